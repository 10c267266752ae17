"""Logit of alliance onset (paper Y): disparity x threat with controls and Carter-Signorino cubic time.

Unit: undirected dyad-years at risk (no alliance in t-1). Covariates are measured at t-1
(:func:`alliancelab.stats.operationalize.prepare_dyads`). Standard errors are clustered by dyad by
default (the statsmodels ``cov_type="cluster"`` formula, computed in numpy); :func:`fit_onset` adds
treaty-clustered, two-way dyad+year and dyadic-robust SEs (:mod:`alliancelab.stats.inference`). The
design matrix is built as a float64 numpy array (no formula parsing), so a million rows fit in seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._exceptions import InputError, ModelError

__all__ = ["ClusteredLogit", "LogitResult", "ONSET_CONTROLS", "ONSET_TERMS", "fit_onset",
           "onset_design", "peace_spline", "robust_specs", "treaty_groups"]

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
    se_type: str = "dyad"
    #: alternative covariance matrices by SE type (see ``inference.SE_TYPES``)
    cov_alt: dict[str, np.ndarray] = field(default_factory=dict)
    #: number of clusters per alternative SE type
    clusters_alt: dict[str, int] = field(default_factory=dict)

    def with_se(self, kind: str) -> "LogitResult":
        """The same fit reported with the alternative SE type ``kind`` (a key of ``cov_alt``)."""
        import dataclasses

        from scipy.stats import norm

        if kind == self.se_type:
            return self
        if kind not in self.cov_alt:
            raise ModelError(f"model {self.name!r} has no {kind!r} standard errors")
        cov = self.cov_alt[kind]
        bse = np.sqrt(np.clip(np.diag(cov), 0, None))
        with np.errstate(divide="ignore", invalid="ignore"):
            pv = 2 * norm.sf(np.abs(self.params / bse))
        alt = {**self.cov_alt, self.se_type: self.cov} if self.cov is not None else dict(self.cov_alt)
        alt.pop(kind)
        clusters = {**self.clusters_alt, self.se_type: self.n_clusters}
        return dataclasses.replace(self, bse=bse, pvalues=pv, cov=cov, se_type=kind, cov_alt=alt,
                                   n_clusters=clusters.pop(kind, self.n_clusters), clusters_alt=clusters)

    def se_table(self) -> dict[str, dict[str, float | None]]:
        """SE of every term under every available SE type."""
        out = {self.se_type: {t: _num(v) for t, v in zip(self.terms, self.bse)}}
        for k, c in self.cov_alt.items():
            out[k] = {t: _num(v) for t, v in zip(self.terms, np.sqrt(np.clip(np.diag(c), 0, None)))}
        return out

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
            "se_type": self.se_type, "se_type_label": _se_label(self.se_type),
            **({"se_by_type": self.se_table(), "clusters_by_type": {self.se_type: self.n_clusters,
                                                                   **self.clusters_alt}}
               if self.cov_alt else {}),
            "nobs": self.nobs, "n_events": self.n_events, "n_clusters": self.n_clusters,
            "pseudo_r2": _num(self.pseudo_r2), "llf": _num(self.llf), "converged": self.converged,
            "notes": list(self.notes),
            **({"disparity_effect_under_threat": {
                k: _num(v) for k, v in self.lincom({"disparity": 1.0, "disparity_x_threat": 1.0}).items()}}
               if "disparity_x_threat" in self.terms else {}),
        }


def _se_label(kind: str) -> str:
    from .inference import SE_TYPES

    return SE_TYPES.get(kind, kind)


def _num(v: float) -> float | None:
    v = float(v)
    return v if np.isfinite(v) else None


class ClusteredLogit:
    """Binary logit with cluster-robust standard errors, sklearn-like.

    Parameters
    ----------
    terms
        Column names used as regressors (a constant is added).
    name
        Label of the model in tables.
    maxiter
        Newton iterations.
    inference
        Compute (clustered) standard errors at the numpy Newton solution (statsmodels' cluster
        formula). ``False`` gives point estimates only (fast, for forecasting).
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
            groups: Sequence[Any] | np.ndarray | None = None, *,
            vcov: dict[str, Any] | None = None, group_type: str = "dyad") -> "ClusteredLogit":
        """Fit by Newton-Raphson; SEs clustered on ``groups`` (model-based if None).

        ``vcov`` adds alternative covariances, ``{name: spec}`` with ``spec`` a group array (one-way),
        a pair of arrays (two-way) or :class:`alliancelab.stats.inference.Dyadic` (rows aligned with
        ``X``); they are stored in ``result_.cov_alt`` (``result_.with_se(name)`` reports them).
        ``group_type`` names the SE type of ``groups`` in tables.
        """
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
            lo_, hi_ = col.min(), col.max()
            levels = (lo_, hi_) if np.all((col == lo_) | (col == hi_)) else ()
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
            n_clusters = int(g.max() + 1)
        else:
            g, n_clusters = None, len(yy)
        start, iters, ok_newton = _newton_logit(mat, yy, self.maxiter)
        if not ok_newton:
            notes.append(f"Newton-Raphson did not converge in {iters} iterations")
        ybar = yy.mean()
        llnull = float(len(yy) * (ybar * np.log(ybar) + (1 - ybar) * np.log(1 - ybar)))
        if self.inference:
            # covariance in numpy (same formulas and small-sample factor as statsmodels' Logit with
            # cov_type="cluster"; tests/stats/test_onset.py checks the match)
            from scipy.stats import norm

            from .inference import _scores_bread, cluster_cov

            params = start
            eta = mat @ params
            llf = float(np.sum(yy * eta - np.logaddexp(0.0, eta)))
            pr = 1.0 / (1.0 + np.exp(-eta))
            info = (mat * (pr * (1 - pr))[:, None]).T @ mat
            if not np.all(np.isfinite(info)) or np.linalg.cond(info) > 1e14:
                raise ModelError(f"model {self.name!r}: singular information matrix "
                                 f"(separation in {len(yy)} rows, {int(yy.sum())} events)")
            pre = _scores_bread(mat, yy, params)
            cov = cluster_cov(mat, yy, params, g, pre) if groups is not None else pre[1]
            bse = np.sqrt(np.clip(np.diag(cov), 0, None))
            with np.errstate(divide="ignore", invalid="ignore"):
                pvalues = 2 * norm.sf(np.abs(params / bse))
            converged = ok_newton
        else:  # point estimates only (forecasting): no covariance
            params = start
            bse = pvalues = np.full(len(start), np.nan)
            cov = None
            eta = mat @ params
            llf = float(np.sum(yy * eta - np.logaddexp(0.0, eta)))
            converged = ok_newton
        cov_alt: dict[str, np.ndarray] = {}
        clusters_alt: dict[str, int] = {}
        if vcov and self.inference:
            from .inference import Dyadic, covariance

            for kind, spec in vcov.items():
                if isinstance(spec, Dyadic):
                    spec = Dyadic(np.asarray(spec.node1)[ok], np.asarray(spec.node2)[ok])
                    clusters_alt[kind] = int(len(np.unique(np.r_[spec.node1, spec.node2])))
                elif isinstance(spec, tuple):
                    spec = (np.asarray(spec[0])[ok], np.asarray(spec[1])[ok])
                    clusters_alt[kind] = int(min(len(np.unique(spec[0])), len(np.unique(spec[1]))))
                else:
                    spec = np.asarray(spec)[ok]
                    clusters_alt[kind] = int(len(np.unique(spec)))
                cov_alt[kind] = covariance(mat, yy, params, spec, pre)
        self.result_ = LogitResult(
            name=self.name, terms=names, params=params, bse=bse, pvalues=pvalues,
            nobs=int(len(yy)), n_events=int(yy.sum()), n_clusters=n_clusters, llf=llf,
            llnull=llnull, converged=converged, notes=tuple(dict.fromkeys(notes)), cov=cov,
            se_type=group_type if groups is not None else "model", cov_alt=cov_alt,
            clusters_alt=clusters_alt)
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


def treaty_groups(design: pd.DataFrame, link: Any | None, kind: str = "onset",
                  outcome: str = "onset", inplace: bool = False) -> pd.DataFrame:
    """Add ``treaty_group`` (cluster id), ``treaty``, ``wartime``, ``bilat``, ``defoff`` (the treaty has
    a defence or offence pledge) and ``linked`` to an event design.

    Rows with an event get their ATOP treaty (``treaties.link_events``; ``-year`` when unlinked); the
    others keep their dyad as cluster, so "clustered by treaty" means: events of one treaty together,
    non-events by dyad. ``inplace`` adds the columns to ``design`` itself (no copy).
    """
    out = design if inplace else design.copy()
    ev = out[outcome].to_numpy() == 1
    treaty = np.zeros(len(out), dtype=np.int64)
    wartime = np.zeros(len(out))
    bilat = np.zeros(len(out))
    defoff = np.zeros(len(out))
    linked = np.zeros(len(out))
    if link is not None:
        lk = link.lookup(kind)
        idx = pd.MultiIndex.from_arrays([out["ccode1"], out["ccode2"], out["year"]])
        got = lk.reindex(idx)
        tid = got["atopid"].to_numpy(dtype=float)
        tid = np.where(np.isnan(tid), -out["year"].to_numpy(dtype=float), tid)
        treaty = np.where(ev, tid, 0).astype(np.int64)
        wartime = np.where(ev, got["wartime"].fillna(0).to_numpy(), 0.0)
        bilat = np.where(ev, got["bilat"].fillna(0).to_numpy(), 0.0)
        d_o = np.fmax(got["defense"].to_numpy(dtype=float), got["offense"].to_numpy(dtype=float))
        defoff = np.where(ev, np.nan_to_num(d_o), 0.0)
        linked = np.where(ev, (got["linked"] == True).to_numpy(dtype=float), 0.0)  # noqa: E712 (NaN -> 0)
    else:
        treaty = np.where(ev, -out["year"].to_numpy(), 0).astype(np.int64)
    out["treaty"] = treaty
    out["wartime"] = wartime
    out["bilat"] = bilat
    out["defoff"] = defoff
    out["linked"] = linked
    out["treaty_group"] = np.where(ev, treaty + np.where(treaty > 0, 10**8, 0),
                                   out["dyad_id"].to_numpy(dtype=np.int64))
    return out


def robust_specs(design: pd.DataFrame) -> dict[str, Any]:
    """Alternative SEs for a dyad-year design: treaty, two-way dyad+year, dyadic-robust."""
    from .inference import Dyadic

    specs: dict[str, Any] = {}
    if "treaty_group" in design.columns:
        specs["treaty"] = design["treaty_group"].to_numpy()
    specs["dyad+year"] = (design["dyad_id"].to_numpy(), design["year"].to_numpy())
    specs["dyadic"] = Dyadic(design["ccode1"].to_numpy(), design["ccode2"].to_numpy())
    return specs


def fit_onset(prepared: pd.DataFrame, *, threat: str = "threat", disparity: str = "disparity",
              subset: str | None = None, pledge: str = "any", name: str | None = None,
              link: Any | None = None, se: str = "dyad", robust: bool = False,
              terms: Sequence[str] = ONSET_TERMS, design: pd.DataFrame | None = None,
              se_types: Sequence[str] | None = None) -> LogitResult:
    """Fit the onset logit (ONSET_TERMS) and return its result, SEs of type ``se``.

    ``subset``: None (all dyads), ``"politically_relevant"``, or ``"ussr"`` (dyads of ccode 365).
    ``robust`` (or ``se`` other than ``"dyad"``) also computes treaty-clustered (needs ``link``, the
    :func:`alliancelab.stats.treaties.link_events` result), two-way dyad+year and dyadic-robust SEs;
    ``se`` picks which one the result reports (the others stay in ``cov_alt``); ``se_types`` limits
    the alternatives computed (default: all three).
    """
    if design is None:
        design = onset_design(prepared, threat=threat, disparity=disparity, pledge=pledge)
    if subset == "politically_relevant":
        design = design[design["politically_relevant_f"] == 1]
    elif subset == "ussr":
        design = design[(design["ccode1"] == 365) | (design["ccode2"] == 365)]
    elif subset is not None:
        raise InputError(f"unknown subset {subset!r}; allowed: politically_relevant, ussr",
                         field="subset")
    if design["disparity"].isna().any() or design["threat"].isna().any():  # no copy when complete
        design = design.dropna(subset=["disparity", "threat"])
    label = name or f"onset[{threat}{'/' + subset if subset else ''}]"
    vcov = None
    if robust or se != "dyad":
        design = treaty_groups(design, link) if "treaty_group" not in design.columns else design
        vcov = robust_specs(design)
        if se_types is not None:
            vcov = {k: v for k, v in vcov.items() if k in se_types or k == se}
    model = ClusteredLogit(terms, name=label).fit(design, design["onset"], design["dyad_id"], vcov=vcov)
    return model.result_.with_se(se)
