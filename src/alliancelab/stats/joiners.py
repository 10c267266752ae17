"""Treaty-level robustness check (Poast-style): which states join a multilateral treaty at its founding.

Unit: (multilateral ATOP treaty, candidate state). For every treaty with at least three members
(``bilat == 0``) founded in a panel year, the *anchor* is the founding member with the highest CINC; the
candidates are all other system members that year; the outcome is 1 if the candidate is a founding
member (entered in the treaty's first year). Covariates describe the candidate's relation to the anchor
at t-1 (the dyad panel's lagged measures): common threat, disparity, their product, contiguity, log
distance, regime dissimilarity, an alliance already in force, and whether the candidate is a major power.

Estimator: logit with a fixed effect per treaty (with ~90 candidates per treaty the incidental-parameter
bias is small; statsmodels' exact conditional logit took over a minute), so every treaty's own size and
era are absorbed; SEs clustered by candidate state (a state's choices across treaties are dependent).
This answers "given a treaty led by A, who joins?", the k-adic question that dyadic
onset models split into many correlated dyads (Poast 2010, 2012).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._exceptions import ModelError
from .treaties import treaty_members, treaty_table

__all__ = ["JOINER_TERMS", "JoinerResult", "fe_logit", "fit_joiners", "joiner_design"]

JOINER_TERMS = ("threat", "disparity", "disparity_x_threat", "contiguous", "log_capdist",
                "regime_distance", "allied_before", "candidate_major")


def joiner_design(prepared: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """One row per (multilateral treaty, candidate state) with the outcome ``founder``."""
    tt = treaty_table(members)
    multi = tt[(tt["bilat"] == 0) & (tt["n_members"] >= 3)][["atopid", "begyr"]]
    tm = treaty_members(members).merge(multi, on="atopid")
    founders = tm[tm["first"] == tm["begyr"]][["atopid", "member", "begyr"]]
    years = set(multi["begyr"])
    rows = prepared[prepared["year"].isin(years)]
    cinc = pd.concat([rows[["year", "ccode1", "cinc1"]].set_axis(["year", "ccode", "cinc"], axis=1),
                      rows[["year", "ccode2", "cinc2"]].set_axis(["year", "ccode", "cinc"], axis=1)])
    cinc = cinc.drop_duplicates(["year", "ccode"])
    f = founders.merge(cinc, left_on=["begyr", "member"], right_on=["year", "ccode"])
    f = f.sort_values(["atopid", "cinc", "member"], ascending=[True, False, True])
    anchors = f.drop_duplicates("atopid")[["atopid", "begyr", "member"]].rename(columns={"member": "anchor"})
    keep = ["year", "ccode1", "ccode2", "threat", "disparity", "contiguous", "log_capdist",
            "regime_distance", "at_risk_end", "major1", "major2"]
    keep = [c for c in keep if c in rows.columns]
    parts = []
    for side, other in (("ccode1", "ccode2"), ("ccode2", "ccode1")):
        m = anchors.merge(rows[keep], left_on=["begyr", "anchor"], right_on=["year", side])
        m["candidate"] = m[other]
        m["candidate_major"] = (m["major2" if side == "ccode1" else "major1"].astype(float)
                                if "major1" in m.columns else 0.0)
        parts.append(m)
    d = pd.concat(parts, ignore_index=True)
    fset = set(zip(founders["atopid"], founders["member"]))
    d["founder"] = [float((a, c) in fset) for a, c in zip(d["atopid"], d["candidate"])]
    d["allied_before"] = d["at_risk_end"].astype(float)
    d["disparity_x_threat"] = d["disparity"] * d["threat"]
    d = d.dropna(subset=list(JOINER_TERMS))
    # strata need both outcomes
    ok = d.groupby("atopid")["founder"].transform(lambda s: 0 < s.sum() < len(s))
    return d[ok.astype(bool)].reset_index(drop=True)


@dataclass(frozen=True)
class JoinerResult:
    """Conditional-logit coefficients of joining a multilateral treaty at its founding."""

    terms: tuple[str, ...]
    params: np.ndarray
    bse: np.ndarray
    pvalues: np.ndarray
    nobs: int
    n_events: int
    n_treaties: int
    se_type: str = "state"
    name: str = "treaty level: who founds a multilateral treaty (treaty fixed effects)"

    def to_dict(self) -> dict[str, Any]:
        """JSON-able numbers."""
        def num(v: float) -> float | None:
            return float(v) if np.isfinite(v) else None
        return {"coef": {t: num(v) for t, v in zip(self.terms, self.params)},
                "se": {t: num(v) for t, v in zip(self.terms, self.bse)},
                "p": {t: num(v) for t, v in zip(self.terms, self.pvalues)},
                "nobs": self.nobs, "n_events": self.n_events, "n_treaties": self.n_treaties,
                "se_type": self.se_type, "se_type_label": "clustered by candidate state; treaty fixed effects"}


def fit_joiners(prepared: pd.DataFrame, members: pd.DataFrame | None) -> JoinerResult:
    """Fit the conditional logit of founding membership (see module docstring)."""
    from scipy.stats import norm

    if members is None:
        raise ModelError("treaty-level model needs the ATOP member-level file")
    d = joiner_design(prepared, members)
    if d.empty:
        raise ModelError("treaty-level model: no multilateral treaty founded in the panel's years")
    terms = [t for t in JOINER_TERMS if d[t].nunique() > 1]
    beta, bse = fe_logit(d[terms].to_numpy(float), d["founder"].to_numpy(float), d["atopid"].to_numpy(),
                         d["candidate"].to_numpy())
    return JoinerResult(terms=tuple(terms), params=beta, bse=bse,
                        pvalues=2 * norm.sf(np.abs(beta / bse)), nobs=len(d), n_events=int(d["founder"].sum()),
                        n_treaties=int(d["atopid"].nunique()))


def fe_logit(X: np.ndarray, y: np.ndarray, strata: np.ndarray,
             clusters: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Logit with one intercept per stratum; slopes and their cluster-robust SEs.

    Strata without both outcomes carry no information on the slopes and are dropped.
    """
    from .inference import cluster_cov
    from .onset import _newton_logit

    s = pd.Series(y).groupby(np.asarray(strata)).transform("mean").to_numpy()
    ok = (s > 0) & (s < 1)
    X, y, strata, clusters = X[ok], y[ok], np.asarray(strata)[ok], np.asarray(clusters)[ok]
    fe = pd.get_dummies(pd.Series(strata), dtype=float).to_numpy()
    mat = np.column_stack([X, fe])
    beta, _, converged = _newton_logit(mat, y, 100)
    if not converged:
        raise ModelError("fixed-effects logit did not converge")
    k = X.shape[1]
    cov = cluster_cov(mat, y, beta, np.asarray(clusters))
    return beta[:k], np.sqrt(np.diag(cov)[:k])
