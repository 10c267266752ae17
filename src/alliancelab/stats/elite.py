"""Paper E on state-years: H2 (precarity -> new major-power alliance) and H1 (U.S. aid -> U.S. alliance).

H2. Outcome: the state enters a new alliance with a major power in t+1..t+h (``new_major_alliance``).
Precarity proxies at t: irregular entry of the current leader, log(1 + tenure), any irregular leader exit
in the last five years, a CHISOLS change in the leader's source of support, any regime change in the last
five years. Controls: log CINC, Polity2/10 (missing -> 0 with a flag), Leeds-Savun external threat,
already has allies. Sample: non-major-power state-years with the whole outcome window observed.
Standard errors clustered by state.

H1. Outcome: the state, not a U.S. ally at t, becomes one in t+1..t+h. Predictor: log(1 + mean U.S. aid
in t-4..t, constant USD millions), from Greenbook (1946-); sample years >= 1950 so the window lies in the
Greenbook era; the U.S. itself excluded. Controls: log CINC, Leeds-Savun threat, Polity2/10.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .onset import ClusteredLogit, LogitResult
from .operationalize import check_columns

__all__ = ["CAVEATS", "EliteResult", "H1_TERMS", "H2_TERMS", "add_pact_outcomes", "elite_design", "fit_elite",
           "fit_h1", "fit_h1_firth", "fit_h2"]

PRECARITY = ("entry_irregular", "log_tenure", "irregular_exit_recent", "regime_unstable")
H2_CONTROLS = ("log_cinc", "polity", "polity_missing", "ls_threat", "has_allies")
H2_TERMS = PRECARITY + H2_CONTROLS
H2_TERMS_CHISOLS = PRECARITY + ("chisols_change",) + H2_CONTROLS
H1_TERMS = ("log_us_aid", "log_cinc", "ls_threat", "polity", "polity_missing")

CAVEATS = (
    "Precarity proxies (irregular entry, short tenure, recent irregular exits, CHISOLS changes, regime "
    "instability) measure the incumbent's observable insecurity, not the factional contest the paper "
    "describes; they cannot show that an outside patron backed the ruling faction or that support "
    "secured its rise.",
    "A new alliance with a major power is a formal ATOP pledge; paper E's 'seeking external support' "
    "also covers aid, loans and informal alignment that ATOP does not record.",
    "U.S. aid is only recorded from 1946 and only for one patron (no Soviet aid data), so H1 is a "
    "one-patron test: it cannot compare the patron that gave *the greatest* support with its rivals.",
    "Aid is not randomly assigned: the U.S. gives aid where it already expects alignment, so a positive "
    "association is consistent with H1 but also with reverse causation (aid anticipating an alliance).",
    "Both are associations in observational state-years with clustered SEs; none identifies a causal "
    "effect.",
)


def _shift(frame: pd.DataFrame, col: str, k: int) -> np.ndarray:
    """Value of ``col`` in year t+k for the same state (NaN if that state-year is absent)."""
    key = pd.MultiIndex.from_arrays([frame["ccode"], frame["year"]])
    series = pd.Series(frame[col].to_numpy(dtype=float), index=key)
    target = pd.MultiIndex.from_arrays([frame["ccode"], frame["year"] + k])
    return series.reindex(target).to_numpy(dtype=float)


def elite_design(states: pd.DataFrame, horizon: int = 3) -> pd.DataFrame:
    """State-year design with precarity proxies, aid, and forward outcome windows."""
    check_columns(states, ("ccode", "year", "leader_tenure", "entry_irregular", "irregular_exits_5y",
                           "regime_change_5y", "polity2", "ls_threat", "us_aid", "n_allies", "us_ally",
                           "new_major_alliance", "cinc", "major"), "state_years")
    df = states.drop_duplicates(["ccode", "year"]).sort_values(["ccode", "year"]).reset_index(drop=True)
    out = pd.DataFrame({"ccode": df["ccode"].to_numpy(), "year": df["year"].to_numpy()})
    out["entry_irregular"] = df["entry_irregular"].to_numpy(dtype=float)
    out["log_tenure"] = np.log1p(df["leader_tenure"].to_numpy(dtype=float))
    out["irregular_exit_recent"] = (df["irregular_exits_5y"].to_numpy(dtype=float) > 0).astype(float)
    out.loc[df["irregular_exits_5y"].isna().to_numpy(), "irregular_exit_recent"] = np.nan
    if "chisols_change" in df.columns:
        ch = df["chisols_change"].to_numpy(dtype=float)
        out["chisols_change"] = np.where(np.isnan(ch), np.nan, (ch > 0).astype(float))
    else:
        out["chisols_change"] = np.nan
    rc = df["regime_change_5y"].to_numpy(dtype=float)
    out["regime_unstable"] = np.where(np.isnan(rc), np.nan, (rc > 0).astype(float))
    cinc = df["cinc"].to_numpy(dtype=float)
    out["log_cinc"] = np.log(np.clip(cinc, 1e-7, None))
    pol = df["polity2"].to_numpy(dtype=float)
    out["polity"] = np.nan_to_num(pol / 10.0, nan=0.0)
    out["polity_missing"] = np.isnan(pol).astype(float)
    out["ls_threat"] = df["ls_threat"].to_numpy(dtype=float)
    out["has_allies"] = (df["n_allies"].to_numpy(dtype=float) > 0).astype(float)
    out["major"] = df["major"].to_numpy(dtype=float)
    out["us_ally"] = df["us_ally"].to_numpy(dtype=float)
    # forward windows t+1..t+h
    nm = np.column_stack([_shift(df, "new_major_alliance", k) for k in range(1, horizon + 1)])
    us = np.column_stack([_shift(df, "us_ally", k) for k in range(1, horizon + 1)])
    out["h2_outcome"] = _window_any(nm)
    out["h1_outcome"] = _window_any(us)
    # aid: mean over t-4..t, years not recorded count as 0 (Greenbook convention from 1946)
    # negative net flows (de-obligations) count as no aid
    aid = np.column_stack([np.clip(np.nan_to_num(_shift(df, "us_aid", -k)), 0, None) for k in range(5)])
    out["log_us_aid"] = np.log1p(aid.mean(axis=1) / 1e6)
    return out


def add_pact_outcomes(design: pd.DataFrame, states: pd.DataFrame, members: pd.DataFrame,
                      horizon: int = 3, last_year: int = 2016) -> pd.DataFrame:
    """Add the bilateral defence/offence pact outcomes of H1 and H2 (ATOP 4.01 treaty link).

    * ``us_pact``: a bilateral ATOP treaty with a defence or offence pledge with the U.S. in force at t;
    * ``h1_pact_outcome``: such a pact with the U.S. begins in t+1..t+h;
    * ``h2_pact_outcome``: a bilateral defence/offence pact with a state that is a major power that year
      begins in t+1..t+h.
    NaN when the window runs past ``last_year`` (4.01 ends in 2016).
    """
    from .treaties import treaty_dyads

    td = treaty_dyads(members)
    td = td[(td["bilat"] == 1) & ((td["defense"] == 1) | (td["offense"] == 1))]
    both = pd.concat([td[["ccode1", "ccode2", "first", "last"]].set_axis(["s", "partner", "first", "last"], axis=1),
                      td[["ccode2", "ccode1", "first", "last"]].set_axis(["s", "partner", "first", "last"], axis=1)])
    major = states[["ccode", "year", "major"]].dropna().drop_duplicates(["ccode", "year"])
    major = major[major["major"] == 1]
    majset = set(zip(major["ccode"], major["year"]))
    both["partner_major"] = [(p, f) in majset for p, f in zip(both["partner"], both["first"])]
    us = both[both["partner"] == 2]
    new_us = set(zip(us["s"], us["first"]))
    new_major = set(zip(both.loc[both["partner_major"], "s"], both.loc[both["partner_major"], "first"]))
    out = design.copy()
    c = out["ccode"].to_numpy()
    y = out["year"].to_numpy()
    inforce = np.zeros(len(out), dtype=bool)
    for s_, f, l_ in zip(us["s"], us["first"], us["last"]):
        inforce |= (c == s_) & (y >= f) & (y <= l_)
    out["us_pact"] = inforce.astype(float)
    for col, events in (("h1_pact_outcome", new_us), ("h2_pact_outcome", new_major)):
        hit = np.zeros(len(out), dtype=bool)
        for k in range(1, horizon + 1):
            hit |= np.fromiter(((a, b + k) in events for a, b in zip(c, y)), bool, len(out))
        out[col] = np.where(y + horizon > last_year, np.nan, hit.astype(float))
    return out


def _window_any(mat: np.ndarray) -> np.ndarray:
    """1 if any year in the window has the event; 0 if all observed and none; NaN otherwise."""
    any_event = np.nansum(mat, axis=1) > 0
    complete = np.isfinite(mat).all(axis=1)
    return np.where(any_event, 1.0, np.where(complete, 0.0, np.nan))


@dataclass(frozen=True)
class EliteResult:
    """H2 (with and without CHISOLS) and H1 logits plus the caveats of the proxies."""

    h2: LogitResult
    h2_chisols: LogitResult | None
    h1: LogitResult | None
    horizon: int
    caveats: tuple[str, ...] = CAVEATS
    h2_pact: LogitResult | None = None
    h1_pact: LogitResult | None = None
    h1_pact_firth: dict[str, Any] | None = None

    def summary(self) -> pd.DataFrame:
        """All coefficient tables stacked, indexed by (model, term)."""
        parts = {m.name: m.summary() for m in (self.h2, self.h2_chisols, self.h1, self.h2_pact, self.h1_pact)
                 if m is not None}
        return pd.concat(parts, names=["model", "term"])

    def to_dict(self) -> dict[str, Any]:
        """JSON-able numbers and caveats."""
        return {"horizon_years": self.horizon,
                "h2_precarity": self.h2.to_dict(),
                "h2_precarity_chisols": self.h2_chisols.to_dict() if self.h2_chisols else None,
                "h1_us_aid": self.h1.to_dict() if self.h1 else None,
                "h2_precarity_bilateral_pact": self.h2_pact.to_dict() if self.h2_pact else None,
                "h1_us_aid_bilateral_pact": self.h1_pact.to_dict() if self.h1_pact else None,
                "h1_us_aid_bilateral_pact_firth": self.h1_pact_firth,
                "caveats": list(self.caveats)}


def fit_h2(design: pd.DataFrame, *, chisols: bool = False, name: str | None = None,
           outcome: str = "h2_outcome") -> LogitResult:
    """H2 logit on non-major state-years (state-clustered SEs)."""
    terms = H2_TERMS_CHISOLS if chisols else H2_TERMS
    rows = design[(design["major"] != 1)].dropna(subset=[outcome, *terms])
    label = name or ("H2 precarity (+CHISOLS)" if chisols else "H2 precarity")
    return ClusteredLogit(terms, name=label).fit(rows, rows[outcome], rows["ccode"],
                                                 group_type="state").result_


def fit_h1(design: pd.DataFrame, *, first_year: int = 1950, name: str = "H1 U.S. aid",
           outcome: str = "h1_outcome", ally: str = "us_ally") -> LogitResult:
    """H1 logit: non-allies of the U.S. at t, years >= ``first_year``, the U.S. excluded."""
    rows = design[(design["ccode"] != 2) & (design[ally] == 0) & (design["year"] >= first_year)]
    rows = rows.dropna(subset=[outcome, *H1_TERMS])
    return ClusteredLogit(H1_TERMS, name=name).fit(rows, rows[outcome], rows["ccode"],
                                                   group_type="state").result_


def fit_h1_firth(design: pd.DataFrame, *, first_year: int = 1950) -> dict[str, Any]:
    """H1 with the bilateral-pact outcome by Firth's logit (few events)."""
    from .inference import firth_logit

    rows = design[(design["ccode"] != 2) & (design["us_pact"] == 0) & (design["year"] >= first_year)]
    rows = rows.dropna(subset=["h1_pact_outcome", *H1_TERMS])
    X = np.column_stack([np.ones(len(rows))] + [rows[t].to_numpy(float) for t in H1_TERMS])
    r = firth_logit(X, rows["h1_pact_outcome"].to_numpy(float), ("const", *H1_TERMS))
    return {"model": "H1 U.S. aid -> new bilateral defence/offence pact with the U.S. (Firth)",
            "se_type": "firth", "coef": dict(zip(r.terms, map(float, r.params))),
            "se": dict(zip(r.terms, map(float, r.bse))), "p": dict(zip(r.terms, map(float, r.pvalues))),
            "nobs": int(len(rows)), "n_events": int(rows["h1_pact_outcome"].sum()),
            "converged": r.converged}


def fit_elite(states: pd.DataFrame, *, horizon: int = 3, members: pd.DataFrame | None = None) -> EliteResult:
    """Fit H2 (Archigos proxies; + CHISOLS where available) and H1 on the state-year panel.

    With ``members`` (ATOP member level) also the primary versions: outcome = a new *bilateral
    defence or offence* pact with the U.S. (H1, also by Firth's logit) or with a major power (H2).
    """
    from .._exceptions import ModelError

    design = elite_design(states, horizon=horizon)
    h2p = h1p = h1f = None
    if members is not None:
        pd_ = add_pact_outcomes(design, states, members, horizon=horizon)
        for attempt in ("h2", "h1", "firth"):
            try:
                if attempt == "h2":
                    h2p = fit_h2(pd_, outcome="h2_pact_outcome",
                                 name="H2 precarity -> bilateral defence/offence pact with a major power")
                elif attempt == "h1":
                    h1p = fit_h1(pd_, outcome="h1_pact_outcome", ally="us_pact",
                                 name="H1 U.S. aid -> bilateral defence/offence pact with the U.S.")
                else:
                    h1f = fit_h1_firth(pd_)
            except (ModelError, np.linalg.LinAlgError, ValueError):
                continue
    h2 = fit_h2(design)
    try:
        h2c = fit_h2(design, chisols=True)
    except ModelError:
        h2c = None
    try:
        h1 = fit_h1(design)
    except ModelError:
        h1 = None
    return EliteResult(h2=h2, h2_chisols=h2c, h1=h1, horizon=horizon, h2_pact=h2p, h1_pact=h1p,
                       h1_pact_firth=h1f)
