"""Logit of alliance onset (paper Y): disparity x threat with controls and Carter-Signorino cubic time.

Unit: undirected dyad-years at risk (no alliance in t-1). Covariates are measured at t-1
(:func:`alliancelab.stats.operationalize.prepare_dyads`). Standard errors are clustered by dyad
(statsmodels ``cov_type="cluster"``). The design matrix is built as a float64 numpy array (no formula
parsing), so a million rows fit in seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._exceptions import InputError, ModelError

__all__ = ["ClusteredLogit", "LogitResult", "ONSET_CONTROLS", "ONSET_TERMS", "fit_onset",
           "onset_design", "peace_spline"]

#: controls of the onset model (t-1): contiguity, distance, regime dissimilarity, major power
ONSET_CONTROLS = ("contiguous", "log_capdist", "regime_distance", "regime_missing", "any_major_f")
#: Carter & Signorino (2010) cubic in alliance-free years, scaled by 1/10 for conditioning; years are
#: capped at SPLINE_CAP so that a cubic fitted on the 19th century is not extrapolated to 200 years
SPLINE_CAP = 100.0
SPLINE_TERMS = ("ps1", "ps2", "ps3")
ONSET_TERMS = ("disparity", "threat", "disparity_x_threat") + ONSET_CONTROLS + SPLINE_TERMS


def peace_spline(years_free: np.ndarray) -> dict[str, np.ndarray]:
    """Cubic polynomial in years without an alliance (t/10, (t/10)^2, (t/10)^3), t capped at 100."""
    t = np.minimum(np.asarray(years_free, dtype=float), SPLINE_CAP) / 10.0
    return {"ps1": t, "ps2": t**2, "ps3": t**3}


@dataclass(frozen=True)
class LogitResult:
    """A fitted logit: coefficients with clustered standard errors, fit statistics."""

    name: str
    terms: tuple[str, ...]
    params: np.ndarray
    bse: np.ndarray
    pvalues: np.ndarray
    nobs: int
    n_events: int
    n_clusters: int
    llf: float
    llnull: float
    converged: bool
    notes: tuple[str, ...] = field(default_factory=tuple)
    cov: np.ndarray | None = None

    def lincom(self, weights: dict[str, float]) -> dict[str, float]:
        """Estimate, SE and two-sided p of a linear combination of coefficients (e.g. b1 + b3)."""
        from scipy.stats import norm

        if self.cov is None or any(t not in self.terms for t in weights):
            return {"coef": float("nan"), "se": float("nan"), "p": float("nan")}
        w = np.array([weights.get(t, 0.0) for t in self.terms])
        est = float(w @ self.params)
        se = float(np.sqrt(w @ self.cov @ w))
        return {"coef": est, "se": se, "p": float(2 * norm.sf(abs(est / se))) if se > 0 else float("nan")}

    @property
    def pseudo_r2(self) -> float:
        """McFadden's pseudo-R^2, 1 - llf/llnull."""
        return float(1.0 - self.llf / self.llnull) if self.llnull != 0 else float("nan")

    def coef(self, term: str) -> float:
        """The coefficient of ``term``."""
        return float(self.params[self.terms.index(term)])

    def summary(self) -> pd.DataFrame:
        """Coefficient table: coef, clustered SE, z, p, odds ratio."""
        return pd.DataFrame({"coef": self.params, "se": self.bse, "z": self.params / self.bse,
                             "p": self.pvalues, "odds_ratio": np.exp(self.params)},
                            index=pd.Index(self.terms, name=self.name))

    def to_dict(self) -> dict[str, Any]:
        """JSON-able numbers."""
        return {
            "coef": {t: _num(v) for t, v in zip(self.terms, self.params)},
            "se": {t: _num(v) for t, v in zip(self.terms, self.bse)},
            "p": {t: _num(v) for t, v in zip(self.terms, self.pvalues)},
            "nobs": self.nobs, "n_events": self.n_events, "n_clusters": self.n_clusters,
            "pseudo_r2": _num(self.pseudo_r2), "llf": _num(self.llf), "converged": self.converged,
            "notes": list(self.notes),
            **({"disparity_effect_under_threat": {
                k: _num(v) for k, v in self.lincom({"disparity": 1.0, "disparity_x_threat": 1.0}).items()}}
               if "disparity_x_threat" in self.terms else {}),
        }


def _num(v: float) -> float | None:
    v = float(v)
    return v if np.isfinite(v) else None


class ClusteredLogit:
    """Binary logit with cluster-robust standard errors (statsmodels), sklearn-like.

    Parameters
    ----------
    terms
        Column names used as regressors (a constant is added).
    name
        Label of the model in tables.
    maxiter
        Newton iterations.
    inference
        Compute (clustered) standard errors with statsmodels, started at the numpy Newton solution
        so it converges in one step. ``False`` gives point estimates only (fast, for forecasting).
    """

    def __init__(self, terms: Sequence[str], *, name: str = "logit", maxiter: int = 100,
                 inference: bool = True) -> None:
        self.terms = terms
        self.name = name
        self.maxiter = maxiter
        self.inference = inference

    def _matrix(self, X: pd.DataFrame) -> np.ndarray:
        missing = [t for t in self.terms if t not in X.columns]
        if missing:
            raise InputError(f"design lacks column(s) {', '.join(missing)}", field=self.name)
        mat = np.empty((len(X), len(self.terms) + 1), dtype=np.float64)
        mat[:, 0] = 1.0
        for j, t in enumerate(self.terms, start=1):
            mat[:, j] = X[t].to_numpy(dtype=np.float64)
        return mat

    def fit(self, X: pd.DataFrame, y: Sequence[float] | np.ndarray,
            groups: Sequence[Any] | np.ndarray | None = None) -> "ClusteredLogit":
        """Fit by Newton-Raphson; SEs clustered on ``groups`` (model-based if None)."""
        import warnings

        import statsmodels.api as sm
        from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning

        mat = self._matrix(X)
        yy = np.asarray(y, dtype=np.float64)
        if len(yy) != len(mat):
            raise InputError(f"y has {len(yy)} rows, X has {len(mat)}", field=self.name)
        ok = np.isfinite(mat).all(axis=1) & np.isfinite(yy)
        mat, yy = mat[ok], yy[ok]
        if len(yy) == 0 or yy.sum() == 0 or yy.sum() == len(yy):
            raise ModelError(f"model {self.name!r}: outcome has no variation in {len(yy)} usable rows")
        notes: list[str] = []
        # drop regressors without variation (e.g. a dummy that is always 0 in a subsample)
        keep = [0] + [j for j in range(1, mat.shape[1]) if np.ptp(mat[:, j]) > 0]
        dropped = [self.terms[j - 1] for j in range(1, mat.shape[1]) if j not in keep]
        if dropped:
            notes.append(f"dropped constant regressors: {', '.join(dropped)}")
        # drop 0/1 regressors with quasi-complete separation (a level without events, or all events):
        # their MLE is infinite and they would make the information matrix singular
        for j in list(keep[1:]):
            col = mat[:, j]
            levels = np.unique(col)
            if len(levels) == 2:
                for v in levels:
                    ys = yy[col == v]
                    if ys.sum() == 0 or ys.sum() == len(ys):
                        keep.remove(j)
                        notes.append(f"dropped {self.terms[j - 1]}: no variation in the outcome when "
                                     f"it equals {v:g} (separation)")
                        break
        # drop regressors that are linear combinations of earlier ones (e.g. in small subsamples)
        xtx = mat[:, keep].T @ mat[:, keep]
        scale = np.sqrt(np.clip(np.diag(xtx), 1e-300, None))
        corr = xtx / np.outer(scale, scale)
        independent: list[int] = []
        for pos, j in enumerate(keep):
            trial = independent + [pos]
            if np.linalg.matrix_rank(corr[np.ix_(trial, trial)], tol=1e-9) == len(trial):
                independent.append(pos)
            else:
                notes.append(f"dropped collinear regressor: {self.terms[j - 1]}")
        keep = [keep[pos] for pos in independent]
        names = ("const",) + tuple(self.terms[j - 1] for j in keep[1:])
        mat = mat[:, keep]
        if groups is not None:
            g = pd.factorize(np.asarray(groups)[ok])[0]
            cov_type, cov_kwds = "cluster", {"groups": g}
            n_clusters = int(g.max() + 1)
        else:
            cov_type, cov_kwds, n_clusters = "nonrobust", {}, len(yy)
        start, iters, ok_newton = _newton_logit(mat, yy, self.maxiter)
        if not ok_newton:
            notes.append(f"Newton-Raphson did not converge in {iters} iterations")
        ybar = yy.mean()
        llnull = float(len(yy) * (ybar * np.log(ybar) + (1 - ybar) * np.log(1 - ybar)))
        if self.inference:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                model = sm.Logit(yy, mat)
                try:
                    res = model.fit(start_params=start, method="newton", maxiter=self.maxiter,
                                    disp=False, cov_type=cov_type, cov_kwds=cov_kwds)
                except np.linalg.LinAlgError as err:
                    raise ModelError(f"model {self.name!r}: singular information matrix "
                                     f"(separation in {len(yy)} rows, {int(yy.sum())} events)") from err
            for w in caught:
                if issubclass(w.category, (ConvergenceWarning, PerfectSeparationWarning)):
                    notes.append(str(w.message).split("\n")[0])
            converged = bool(res.mle_retvals.get("converged", True)) and ok_newton
            params = np.asarray(res.params, dtype=float)
            bse = np.asarray(res.bse, dtype=float)
            pvalues = np.asarray(res.pvalues, dtype=float)
            cov = np.asarray(res.cov_params(), dtype=float)
            llf = float(res.llf)
        else:  # point estimates only (forecasting): no covariance
            params = start
            bse = pvalues = np.full(len(start), np.nan)
            cov = None
            eta = mat @ params
            llf = float(np.sum(yy * eta - np.logaddexp(0.0, eta)))
            converged = ok_newton
        self.result_ = LogitResult(
            name=self.name, terms=names, params=params, bse=bse, pvalues=pvalues,
            nobs=int(len(yy)), n_events=int(yy.sum()), n_clusters=n_clusters, llf=llf,
            llnull=llnull, converged=converged, notes=tuple(dict.fromkeys(notes)), cov=cov)
        self.coef_ = self.result_.params
        self._keep = keep
        return self

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """P(y=1) for each row (NaN where a regressor is missing)."""
        if not hasattr(self, "coef_"):
            raise ModelError(f"model {self.name!r} is not fitted; call fit first")
        mat = self._matrix(X)[:, self._keep]
        return 1.0 / (1.0 + np.exp(-(mat @ self.coef_)))


def _newton_logit(mat: np.ndarray, y: np.ndarray, maxiter: int,
                  tol: float = 1e-10) -> tuple[np.ndarray, int, bool]:
    """Maximum-likelihood logit by Newton-Raphson in plain numpy (float64)."""
    beta = np.zeros(mat.shape[1])
    ybar = y.mean()
    beta[0] = np.log(ybar / (1 - ybar))
    for it in range(1, maxiter + 1):
        p = 1.0 / (1.0 + np.exp(-(mat @ beta)))
        w = p * (1 - p)
        hess = (mat * w[:, None]).T @ mat
        grad = mat.T @ (y - p)
        try:
            step = np.linalg.solve(hess, grad)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(hess, grad, rcond=None)[0]
        # step halving keeps the iteration stable under near-separation
        step = step if np.max(np.abs(step)) < 10 else step * (10 / np.max(np.abs(step)))
        beta = beta + step
        if np.max(np.abs(step)) < tol * (1 + np.max(np.abs(beta))):
            return beta, it, True
    return beta, maxiter, False


def onset_design(prepared: pd.DataFrame, threat: str = "threat", disparity: str = "disparity",
                 pledge: str = "any") -> pd.DataFrame:
    """At-risk rows with the onset design columns (``disparity``, ``threat``, interaction, ...).

    ``threat``/``disparity`` name the operationalisation to use; it is copied into the generic
    ``threat``/``disparity`` columns so every variant has the same term names. ``pledge="defense"``
    models the onset of defense pacts only (dyads without one at t-1 at risk).
    """
    if pledge == "any":
        risk, outcome, free = "at_risk_onset", "onset", "alliance_free_years"
    elif pledge == "defense":
        risk, outcome, free = "at_risk_defense", "defense_onset", "defense_free_years"
        if risk not in prepared.columns:
            raise InputError("panel has no atop_defense column for defense-pact models", field="pledge")
    else:
        raise InputError(f"unknown pledge {pledge!r}; allowed: any, defense", field="pledge")
    rows = prepared[prepared[risk]]
    out = pd.DataFrame({"year": rows["year"].to_numpy(), "dyad_id": rows["dyad_id"].to_numpy(),
                        "ccode1": rows["ccode1"].to_numpy(), "ccode2": rows["ccode2"].to_numpy(),
                        "onset": rows[outcome].to_numpy(dtype=float)})
    out["disparity"] = rows[disparity].to_numpy(dtype=float)
    out["threat"] = rows[threat].to_numpy(dtype=float)
    out["disparity_x_threat"] = out["disparity"] * out["threat"]
    for c in ONSET_CONTROLS:
        out[c] = rows[c].to_numpy(dtype=float)
    for k, v in peace_spline(rows[free].to_numpy()).items():
        out[k] = v
    for c in ("politically_relevant_f", "quadrant", "dyad_cinc", "strongest_other_cinc",
              "joint_vs_strongest", "in_dyad_strongest", "log_common_threat", "common_rival",
              "shared_mid", "mid_ongoing", "rival_pair", "land_contiguous", "log_cap_ratio"):
        if c in rows.columns:
            out[c] = rows[c].to_numpy()
    return out


def fit_onset(prepared: pd.DataFrame, *, threat: str = "threat", disparity: str = "disparity",
              subset: str | None = None, pledge: str = "any", name: str | None = None) -> LogitResult:
    """Fit the onset logit (ONSET_TERMS) with dyad-clustered SEs and return its result.

    ``subset``: None (all dyads), ``"politically_relevant"``, or ``"ussr"`` (dyads of ccode 365).
    """
    design = onset_design(prepared, threat=threat, disparity=disparity, pledge=pledge)
    if subset == "politically_relevant":
        design = design[design["politically_relevant_f"] == 1]
    elif subset == "ussr":
        design = design[(design["ccode1"] == 365) | (design["ccode2"] == 365)]
    elif subset is not None:
        raise InputError(f"unknown subset {subset!r}; allowed: politically_relevant, ussr",
                         field="subset")
    design = design.dropna(subset=["disparity", "threat"])
    label = name or f"onset[{threat}{'/' + subset if subset else ''}]"
    model = ClusteredLogit(ONSET_TERMS, name=label).fit(design, design["onset"], design["dyad_id"])
    return model.result_
