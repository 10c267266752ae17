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

__all__ = ["CAVEATS", "EliteResult", "H1_TERMS", "H2_TERMS", "elite_design", "fit_elite", "fit_h1",
           "fit_h2"]

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

    def summary(self) -> pd.DataFrame:
        """All coefficient tables stacked, indexed by (model, term)."""
        parts = {m.name: m.summary() for m in (self.h2, self.h2_chisols, self.h1) if m is not None}
        return pd.concat(parts, names=["model", "term"])

    def to_dict(self) -> dict[str, Any]:
        """JSON-able numbers and caveats."""
        return {"horizon_years": self.horizon,
                "h2_precarity": self.h2.to_dict(),
                "h2_precarity_chisols": self.h2_chisols.to_dict() if self.h2_chisols else None,
                "h1_us_aid": self.h1.to_dict() if self.h1 else None,
                "caveats": list(self.caveats)}


def fit_h2(design: pd.DataFrame, *, chisols: bool = False, name: str | None = None) -> LogitResult:
    """H2 logit on non-major state-years (state-clustered SEs)."""
    terms = H2_TERMS_CHISOLS if chisols else H2_TERMS
    rows = design[(design["major"] != 1)].dropna(subset=["h2_outcome", *terms])
    label = name or ("H2 precarity (+CHISOLS)" if chisols else "H2 precarity")
    return ClusteredLogit(terms, name=label).fit(rows, rows["h2_outcome"], rows["ccode"]).result_


def fit_h1(design: pd.DataFrame, *, first_year: int = 1950, name: str = "H1 U.S. aid") -> LogitResult:
    """H1 logit: non-allies of the U.S. at t, years >= ``first_year``, the U.S. excluded."""
    rows = design[(design["ccode"] != 2) & (design["us_ally"] == 0) & (design["year"] >= first_year)]
    rows = rows.dropna(subset=["h1_outcome", *H1_TERMS])
    return ClusteredLogit(H1_TERMS, name=name).fit(rows, rows["h1_outcome"], rows["ccode"]).result_


def fit_elite(states: pd.DataFrame, *, horizon: int = 3) -> EliteResult:
    """Fit H2 (Archigos proxies; + CHISOLS where available) and H1 on the state-year panel."""
    from .._exceptions import ModelError

    design = elite_design(states, horizon=horizon)
    h2 = fit_h2(design)
    try:
        h2c = fit_h2(design, chisols=True)
    except ModelError:
        h2c = None
    try:
        h1 = fit_h1(design)
    except ModelError:
        h1 = None
    return EliteResult(h2=h2, h2_chisols=h2c, h1=h1, horizon=horizon)
