"""Cox model of alliance duration with time-varying disparity and threat (lifelines).

A *spell* is a run of consecutive years in which a dyad has an alliance in force. Each spell-year is an
interval ``(start, stop]`` in years since the spell began; the event is the end of all pledges between
the two states in year t. Covariates are measured at t-1. Spells still in force at the last panel year,
or cut by a state leaving the system, are right-censored; spells in force in the panel's first year are
treated as starting then (left truncation is ignored, as in most of the literature).

Paper Y's questions become two time-varying terms:

* ``gap_narrowing`` = max(0, disparity at formation - disparity now): does a narrowing gap raise the
  hazard of termination (Y2, Y11)?
* ``threat_gone`` = 1 if the dyad faced a common threat at formation and faces none now (Y6).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._exceptions import InputError, ModelError

__all__ = ["CoxResult", "DURATION_TERMS", "DurationCox", "alliance_spells", "fit_duration",
           "fit_termination_logit", "km_by_quadrant", "link_spells", "ph_tests", "termination_models"]

DURATION_TERMS = ("disparity", "threat", "gap_narrowing", "threat_gone", "contiguous",
                  "any_major_f", "regime_distance")


def alliance_spells(prepared: pd.DataFrame) -> pd.DataFrame:
    """Long (start, stop, event) spell-year table from :func:`prepare_dyads` output."""
    rows = prepared[prepared["at_risk_end"]].dropna(subset=["disparity", "threat"])
    rows = rows.sort_values(["dyad_id", "year"], kind="mergesort")
    dyad = rows["dyad_id"].to_numpy()
    year = rows["year"].to_numpy(dtype=np.int64)
    end = rows["end"].to_numpy(dtype=float)
    cont = np.zeros(len(rows), dtype=bool)
    cont[1:] = (dyad[1:] == dyad[:-1]) & (year[1:] == year[:-1] + 1) & (end[:-1] == 0)
    spell = np.cumsum(~cont)
    first_year = pd.Series(year).groupby(spell).transform("min").to_numpy()
    disp = rows["disparity"].to_numpy(dtype=float)
    thr = rows["threat"].to_numpy(dtype=float)
    disp0 = pd.Series(disp).groupby(spell).transform("first").to_numpy()
    thr0 = pd.Series(thr).groupby(spell).transform("first").to_numpy()
    quad0 = pd.Series(rows["quadrant"].to_numpy()).groupby(spell).transform("first").to_numpy()
    out = pd.DataFrame({
        "spell": spell, "dyad_id": dyad, "year": year, "start": (year - first_year).astype(float),
        "stop": (year - first_year + 1).astype(float), "event": end.astype(int),
        "disparity": disp, "threat": thr, "gap_narrowing": np.clip(disp0 - disp, 0, None),
        "threat_gone": ((thr0 == 1) & (thr == 0)).astype(float),
        "contiguous": rows["contiguous"].to_numpy(dtype=float),
        "any_major_f": rows["any_major_f"].to_numpy(dtype=float),
        "regime_distance": rows["regime_distance"].to_numpy(dtype=float),
        "quadrant_at_formation": quad0, "formation_year": first_year - 1,
    })
    return out


@dataclass(frozen=True)
class CoxResult:
    """A fitted Cox model: log hazard ratios with model-based standard errors."""

    name: str
    terms: tuple[str, ...]
    params: np.ndarray
    bse: np.ndarray
    pvalues: np.ndarray
    nobs: int
    n_spells: int
    n_events: int
    concordance: float
    log_likelihood: float
    notes: tuple[str, ...] = field(default_factory=tuple)

    def coef(self, term: str) -> float:
        """Log hazard ratio of ``term``."""
        return float(self.params[self.terms.index(term)])

    def summary(self) -> pd.DataFrame:
        """Coefficient table: coef (log HR), SE, z, p, hazard ratio."""
        return pd.DataFrame({"coef": self.params, "se": self.bse, "z": self.params / self.bse,
                             "p": self.pvalues, "hazard_ratio": np.exp(self.params)},
                            index=pd.Index(self.terms, name=self.name))

    def to_dict(self) -> dict[str, Any]:
        """JSON-able numbers."""
        def num(v: float) -> float | None:
            return float(v) if np.isfinite(v) else None
        return {"coef": {t: num(v) for t, v in zip(self.terms, self.params)},
                "se": {t: num(v) for t, v in zip(self.terms, self.bse)},
                "p": {t: num(v) for t, v in zip(self.terms, self.pvalues)},
                "hazard_ratio": {t: num(np.exp(v)) for t, v in zip(self.terms, self.params)},
                "nobs": self.nobs, "n_spells": self.n_spells, "n_events": self.n_events,
                "concordance": num(self.concordance), "log_likelihood": num(self.log_likelihood),
                "notes": list(self.notes)}


class DurationCox:
    """Cox proportional hazards with time-varying covariates (lifelines ``CoxTimeVaryingFitter``).

    Parameters
    ----------
    terms
        Covariate columns of the spell table.
    robust
        Kept for API symmetry; lifelines' ``CoxTimeVaryingFitter`` has no sandwich estimator yet,
        so standard errors are model-based (inverse observed information).
    penalizer
        Small ridge penalty for numerical stability (0 = plain partial likelihood).
    """

    def __init__(self, terms: Sequence[str] = DURATION_TERMS, *, robust: bool = False,
                 penalizer: float = 0.0, name: str = "duration") -> None:
        self.terms = terms
        self.robust = robust
        self.penalizer = penalizer
        self.name = name

    def fit(self, spells: pd.DataFrame) -> "DurationCox":
        """Fit on a spell table from :func:`alliance_spells`."""
        import warnings

        from lifelines import CoxTimeVaryingFitter

        need = ["spell", "start", "stop", "event", *self.terms]
        missing = [c for c in need if c not in spells.columns]
        if missing:
            raise InputError(f"spell table lacks column(s) {', '.join(missing)}", field=self.name)
        df = spells[need].dropna()
        if df["event"].sum() == 0:
            raise ModelError(f"model {self.name!r}: no alliance ends in {len(df)} spell-years")
        terms = [t for t in self.terms if df[t].nunique() > 1]
        notes = []
        if len(terms) < len(self.terms):
            notes.append("dropped constant covariates: "
                         + ", ".join(t for t in self.terms if t not in terms))
        ctv = CoxTimeVaryingFitter(penalizer=self.penalizer)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            ctv.fit(df[["spell", "start", "stop", "event", *terms]].astype(float), id_col="spell",
                    event_col="event", start_col="start", stop_col="stop", 
                    show_progress=False)
        notes += [str(w.message).split("\n")[0] for w in caught
                  if "ConvergenceWarning" in type(w.message).__name__]
        s = ctv.summary
        try:
            conc = float(ctv.concordance_index_)
        except Exception:  # noqa: BLE001 - lifelines versions differ
            conc = float("nan")
        self.result_ = CoxResult(
            name=self.name, terms=tuple(terms), params=s["coef"].to_numpy(dtype=float),
            bse=s["se(coef)"].to_numpy(dtype=float), pvalues=s["p"].to_numpy(dtype=float),
            nobs=len(df), n_spells=int(df["spell"].nunique()), n_events=int(df["event"].sum()),
            concordance=conc, log_likelihood=float(ctv.log_likelihood_), notes=tuple(notes))
        self.coef_ = self.result_.params
        return self


def fit_duration(prepared: pd.DataFrame, terms: Sequence[str] = DURATION_TERMS,
                 name: str = "duration") -> CoxResult:
    """Build spells and fit the Cox model."""
    return DurationCox(terms, name=name).fit(alliance_spells(prepared)).result_


def km_by_quadrant(spells: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Kaplan-Meier survival of alliance spells by Table 1 quadrant at formation.

    Returns ``{quadrant: DataFrame(timeline, survival)}``, skipping quadrants without spells.
    """
    per = spells.groupby("spell").agg(duration=("stop", "max"), event=("event", "max"),
                                      quadrant=("quadrant_at_formation", "first"))
    out: dict[str, pd.DataFrame] = {}
    for quad, g in per.groupby("quadrant"):
        if quad is None or len(g) < 5:
            continue
        d = g["duration"].to_numpy()
        e = g["event"].to_numpy()
        times = np.unique(d[e == 1])
        surv = []
        s = 1.0
        for t in times:
            at_risk = (d >= t).sum()
            deaths = ((d == t) & (e == 1)).sum()
            s *= 1 - deaths / at_risk
            surv.append(s)
        out[str(quad)] = pd.DataFrame({"timeline": np.r_[0.0, times], "survival": np.r_[1.0, surv],
                                       "n": len(g)})
    return out


def fit_termination_logit(spells: pd.DataFrame, terms: Sequence[str] = DURATION_TERMS,
                          name: str = "termination: discrete-time logit") -> Any:
    """Discrete-time check of the Cox model with dyad-clustered SEs (Beck, Katz & Tucker 1998).

    Logit of termination in a spell-year on the same time-varying terms plus a cubic in years since
    formation (t/10, (t/10)^2, (t/10)^3); statsmodels ``cov_type="cluster"`` on dyads. With yearly
    data and rare events its coefficients approximate the Cox log hazard ratios, and its SEs account
    for the clustering that lifelines' time-varying fitter cannot.
    """
    from .onset import ClusteredLogit, peace_spline

    df = spells.dropna(subset=list(terms)).copy()
    for k, v in peace_spline(df["start"].to_numpy()).items():
        df[k] = v
    model = ClusteredLogit(tuple(terms) + ("ps1", "ps2", "ps3"), name=name)
    return model.fit(df, df["event"], df["dyad_id"]).result_


def link_spells(spells: pd.DataFrame, link: Any | None) -> pd.DataFrame:
    """Add the spell's founding treaty flags and the termination cluster to a spell table.

    ``wartime_spell`` = the onset that opened the spell is linked to an ATOP wartime treaty (spells in
    force in the panel's first year, or unlinked, count as peacetime); ``treaty_group`` = the ending
    treaty for spell-years with a termination (pseudo-treaty ``-year`` when unlinked), the dyad otherwise.
    """
    out = spells.copy()
    c1 = (out["dyad_id"] // 1000).to_numpy()
    c2 = (out["dyad_id"] % 1000).to_numpy()
    war = np.zeros(len(out))
    grp = out["dyad_id"].to_numpy(dtype=np.int64).copy()
    ev = out["event"].to_numpy() == 1
    if link is not None:
        on = link.lookup("onset")
        idx = pd.MultiIndex.from_arrays([c1, c2, out["formation_year"].to_numpy()])
        war = on["wartime"].reindex(idx).fillna(0).to_numpy(dtype=float)
        end = link.lookup("end")
        tid = end["atopid"].reindex(pd.MultiIndex.from_arrays([c1, c2, out["year"].to_numpy()]))
        tid = tid.to_numpy(dtype=float)
        tid = np.where(np.isnan(tid), -out["year"].to_numpy(dtype=float), tid)
        grp = np.where(ev, tid.astype(np.int64) + np.where(tid > 0, 10**8, 0), grp)
    else:
        grp = np.where(ev, -out["year"].to_numpy(dtype=np.int64), grp)
    out["wartime_spell"] = war
    out["treaty_group"] = grp
    return out


def _flat_time(start: np.ndarray) -> dict[str, np.ndarray]:
    from .expanding import SPLINE_KNOTS

    out, lo = {}, 0.0
    for k, knot in enumerate(SPLINE_KNOTS, start=1):
        out[f"fs{k}"] = np.clip(start - lo, 0, knot - lo) / 10.0
        lo = knot
    return out


def termination_models(spells: pd.DataFrame, terms: Sequence[str] = DURATION_TERMS) -> dict[str, Any]:
    """Discrete-time logits of termination, SEs clustered by year (main) with treaty/dyad alternatives.

    Time since formation enters as the flat-tailed linear spline of the forecasts. Specifications:
    peacetime spells (main: the spell did not open with a wartime treaty), all spells, peacetime spells
    formed up to 1945 and from 1946 (era strata), wartime-treaty spells alone.
    """
    from .onset import ClusteredLogit

    df = spells.dropna(subset=list(terms)).copy()
    for k, v in _flat_time(df["start"].to_numpy()).items():
        df[k] = v
    allterms = tuple(terms) + ("fs1", "fs2", "fs3", "fs4")
    peace = df["wartime_spell"] == 0 if "wartime_spell" in df.columns else pd.Series(True, index=df.index)
    specs = {
        "termination: peacetime spells (main)": peace,
        "termination: all spells": pd.Series(True, index=df.index),
        "termination: peacetime, formed to 1945": peace & (df["formation_year"] <= 1945),
        "termination: peacetime, formed 1946-": peace & (df["formation_year"] >= 1946),
        "termination: wartime-treaty spells": ~peace,
    }
    out: dict[str, Any] = {}
    for name, sel in specs.items():
        d = df[sel.to_numpy()]
        if d["event"].sum() < 10:
            continue
        vcov = {"dyad": d["dyad_id"].to_numpy()}
        if "treaty_group" in d.columns:
            vcov["treaty"] = d["treaty_group"].to_numpy()
        try:
            out[name] = ClusteredLogit(allterms, name=name).fit(
                d, d["event"], d["year"], vcov=vcov, group_type="year").result_
        except ModelError:
            continue
    return out


def ph_tests(spells: pd.DataFrame, terms: Sequence[str] = ("disparity", "threat", "gap_narrowing",
                                                             "threat_gone")) -> dict[str, dict[str, float]]:
    """Non-proportionality tests: each term x log(1 + years since formation) added to the main
    (peacetime, year-clustered) discrete-time model; Wald z and p of the interaction.

    A significant interaction means the term's effect on the termination hazard changes with the
    alliance's age - the proportional-hazards assumption fails for it.
    """
    from .onset import ClusteredLogit

    df = spells.dropna(subset=list(DURATION_TERMS)).copy()
    if "wartime_spell" in df.columns:
        df = df[df["wartime_spell"] == 0]
    for k, v in _flat_time(df["start"].to_numpy()).items():
        df[k] = v
    lt = np.log1p(df["start"].to_numpy())
    inter = []
    for t in terms:
        df[f"{t}_x_logt"] = df[t].to_numpy(float) * lt
        inter.append(f"{t}_x_logt")
    model = ClusteredLogit(tuple(DURATION_TERMS) + ("fs1", "fs2", "fs3", "fs4") + tuple(inter),
                           name="termination x log time").fit(df, df["event"], df["year"], group_type="year")
    r = model.result_
    out = {}
    for t, name in zip(terms, inter):
        if name in r.terms:
            i = r.terms.index(name)
            out[t] = {"interaction_with_log_time": float(r.params[i]), "se": float(r.bse[i]),
                      "z": float(r.params[i] / r.bse[i]), "p": float(r.pvalues[i])}
    return out
