"""Sandwich covariances for dependent dyad-years, Holm/BH adjustment and Firth's penalised logit.

* :func:`cluster_cov` - one-way cluster-robust covariance (Stata/statsmodels small-sample factor
  ``G/(G-1) * (N-1)/(N-K)``); used with treaty ids from :mod:`alliancelab.stats.treaties`.
* :func:`multiway_cov` - Cameron, Gelbach & Miller (2011) two-way clustering,
  ``V_a + V_b - V_ab``, negative eigenvalues set to zero.
* :func:`dyadic_cov` - Aronow, Samii & Assenova (2015) dyadic-robust covariance: any two dyad-years
  that share a state (in any year) may be correlated. Its meat is
  ``sum_k S_k S_k' - sum_d S_d S_d'`` with ``S_k`` the summed scores of all rows involving state k and
  ``S_d`` those of dyad d (pairs sharing both states would otherwise count twice); factor
  ``G/(G-1)`` with ``G`` states.
* :func:`firth_logit` - Firth (1993) bias-reduced logit (Heinze & Schemper 2002) for small or
  separated samples; profile-free Wald SEs from the penalised information.
* :func:`holm` and :func:`benjamini_hochberg` - multiplicity adjustment of the primary tests.

Every covariance takes the logit's design ``X`` (with constant), outcome ``y`` and coefficients ``beta``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["Dyadic", "FirthResult", "SE_TYPES", "benjamini_hochberg", "cluster_cov", "covariance",
           "dyadic_cov", "firth_logit", "holm", "multiway_cov"]

#: readable names of the SE types used in tables
SE_TYPES = {
    "dyad": "clustered by dyad",
    "treaty": "clustered by treaty (linked events by ATOP treaty, others by dyad)",
    "dyad+year": "two-way clustered by dyad and year (Cameron-Gelbach-Miller)",
    "dyadic": "dyadic-robust (Aronow-Samii-Assenova)",
    "year": "clustered by year",
    "state": "clustered by state",
    "model": "model-based (inverse information)",
    "firth": "Firth penalised likelihood, model-based",
}


@dataclass(frozen=True)
class Dyadic:
    """Spec for :func:`covariance`: the two states of every row (dyadic-robust SEs)."""

    node1: np.ndarray
    node2: np.ndarray


def _scores_bread(X: np.ndarray, y: np.ndarray, beta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    p = 1.0 / (1.0 + np.exp(-(X @ beta)))
    scores = X * (y - p)[:, None]
    info = (X * (p * (1 - p))[:, None]).T @ X
    return scores, np.linalg.pinv(info)


def _meat(scores: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, int]:
    g, _ = pd.factorize(groups)
    sums = _group_sums(scores, g, int(g.max() + 1))
    return sums.T @ sums, int(g.max() + 1)


def _group_sums(scores: np.ndarray, codes: np.ndarray, n: int) -> np.ndarray:
    return np.column_stack([np.bincount(codes, weights=scores[:, j], minlength=n)
                            for j in range(scores.shape[1])])


def _psd(cov: np.ndarray) -> np.ndarray:
    vals, vecs = np.linalg.eigh((cov + cov.T) / 2)
    return (vecs * np.clip(vals, 0, None)) @ vecs.T


def cluster_cov(X: np.ndarray, y: np.ndarray, beta: np.ndarray, groups: np.ndarray,
                pre: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """One-way cluster-robust covariance (same small-sample factor as statsmodels)."""
    scores, bread = pre or _scores_bread(X, y, beta)
    meat, g = _meat(scores, np.asarray(groups))
    n, k = X.shape
    c = g / (g - 1) * (n - 1) / (n - k)
    return c * bread @ meat @ bread


def _pair_key(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    fa, _ = pd.factorize(np.asarray(a))
    fb, _ = pd.factorize(np.asarray(b))
    return fa.astype(np.int64) * (int(fb.max()) + 1) + fb


def multiway_cov(X: np.ndarray, y: np.ndarray, beta: np.ndarray, a: np.ndarray, b: np.ndarray,
                 pre: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """Two-way cluster-robust covariance, ``V_a + V_b - V_(a,b)`` (each with its own factor)."""
    pre = pre or _scores_bread(X, y, beta)
    va = cluster_cov(X, y, beta, a, pre)
    vb = cluster_cov(X, y, beta, b, pre)
    vab = cluster_cov(X, y, beta, _pair_key(a, b), pre)
    return _psd(va + vb - vab)


def dyadic_cov(X: np.ndarray, y: np.ndarray, beta: np.ndarray, node1: np.ndarray,
               node2: np.ndarray, pre: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """Aronow-Samii-Assenova dyadic-robust covariance (rows sharing a state are dependent)."""
    scores, bread = pre or _scores_bread(X, y, beta)
    n1 = np.asarray(node1)
    n2 = np.asarray(node2)
    codes, uniq = pd.factorize(np.concatenate([n1, n2]))
    g = len(uniq)
    sums = _group_sums(scores, codes[: len(n1)], g) + _group_sums(scores, codes[len(n1):], g)
    lo, hi = np.minimum(codes[: len(n1)], codes[len(n1):]), np.maximum(codes[: len(n1)], codes[len(n1):])
    dyad_meat, _ = _meat(scores, lo.astype(np.int64) * g + hi)
    meat = sums.T @ sums - dyad_meat
    return _psd(g / (g - 1) * bread @ meat @ bread)


def covariance(X: np.ndarray, y: np.ndarray, beta: np.ndarray, spec: Any,
               pre: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """Dispatch: an array (one-way), a pair of arrays (two-way), or :class:`Dyadic`.

    ``pre`` = (scores, bread) from an earlier call, to avoid recomputing them.
    """
    if isinstance(spec, Dyadic):
        return dyadic_cov(X, y, beta, spec.node1, spec.node2, pre)
    if isinstance(spec, tuple) and len(spec) == 2:
        return multiway_cov(X, y, beta, spec[0], spec[1], pre)
    return cluster_cov(X, y, beta, np.asarray(spec), pre)


@dataclass(frozen=True)
class FirthResult:
    """Firth logit: coefficients, penalised-information SEs, Wald p-values."""

    terms: tuple[str, ...]
    params: np.ndarray
    bse: np.ndarray
    pvalues: np.ndarray
    converged: bool
    iterations: int


def firth_logit(X: np.ndarray, y: np.ndarray, terms: Sequence[str] | None = None, *,
                maxiter: int = 100, tol: float = 1e-8) -> FirthResult:
    """Firth's bias-reduced logit by modified-score Newton steps with step halving.

    Modified score: ``X'(y - p + h (1/2 - p))`` with ``h`` the diagonal of the weighted hat matrix;
    the penalised log likelihood ``l + 1/2 log|X'WX|`` must not decrease (step halving).

    Examples
    --------
    A single binary regressor gives the log odds ratio of the 2x2 table with 1/2 added to every cell:

    >>> X = np.column_stack([np.ones(8), [0, 0, 0, 0, 1, 1, 1, 1]])
    >>> r = firth_logit(X, np.array([0, 0, 0, 1, 1, 1, 1, 1.0]))
    >>> round(float(r.params[1]), 6) == round(float(np.log((4.5 / 0.5) / (1.5 / 3.5))), 6)
    True
    """
    from scipy.stats import norm

    X = np.asarray(X, float)
    y = np.asarray(y, float)

    def penalised(beta: np.ndarray) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
        eta = X @ beta
        p = 1.0 / (1.0 + np.exp(-eta))
        w = p * (1 - p)
        info = (X * w[:, None]).T @ X
        sign, logdet = np.linalg.slogdet(info)
        ll = float(np.sum(y * eta - np.logaddexp(0.0, eta))) + 0.5 * logdet
        return ll, p, w, info

    beta = np.zeros(X.shape[1])
    ll, p, w, info = penalised(beta)
    converged = False
    it = 0
    for it in range(1, maxiter + 1):
        inv = np.linalg.pinv(info)
        h = w * np.einsum("ij,jk,ik->i", X, inv, X)
        score = X.T @ (y - p + h * (0.5 - p))
        step = inv @ score
        t = 1.0
        while True:
            new = beta + t * step
            ll_new, p_new, w_new, info_new = penalised(new)
            if ll_new >= ll - 1e-12 or t < 1e-4:
                break
            t /= 2
        beta, ll, p, w, info = new, ll_new, p_new, w_new, info_new
        if np.max(np.abs(t * step)) < tol:
            converged = True
            break
    cov = np.linalg.pinv(info)
    bse = np.sqrt(np.clip(np.diag(cov), 0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        pv = 2 * norm.sf(np.abs(beta / bse))
    names = tuple(terms) if terms is not None else tuple(f"x{j}" for j in range(X.shape[1]))
    return FirthResult(terms=names, params=beta, bse=bse, pvalues=pv, converged=converged, iterations=it)


def holm(pvalues: Sequence[float]) -> np.ndarray:
    """Holm (1979) step-down adjusted p-values (family-wise error).

    >>> holm([0.01, 0.04, 0.03]).round(3).tolist()
    [0.03, 0.06, 0.06]
    """
    p = np.asarray(pvalues, float)
    order = np.argsort(p)
    m = len(p)
    adj = np.maximum.accumulate((m - np.arange(m)) * p[order])
    out = np.empty(m)
    out[order] = np.minimum(adj, 1.0)
    return out


def benjamini_hochberg(pvalues: Sequence[float]) -> np.ndarray:
    """Benjamini-Hochberg (1995) adjusted p-values (false discovery rate).

    >>> benjamini_hochberg([0.01, 0.04, 0.03]).round(3).tolist()
    [0.03, 0.04, 0.04]
    """
    p = np.asarray(pvalues, float)
    m = len(p)
    order = np.argsort(p)[::-1]
    adj = np.minimum.accumulate(p[order] * m / np.arange(m, 0, -1))
    out = np.empty(m)
    out[order] = np.minimum(adj, 1.0)
    return out
