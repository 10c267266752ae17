"""Compiled gathers for the simulation (numba), each with the plain numpy it replaces.

Fancy indexing on ``(runs, clients)`` index arrays costs numpy index broadcasting and iterator set-up
per call; a compiled loop copies the same entries. Copies, comparisons and sums in numpy's order are
bit-for-bit numpy's; numba's ``exp``, ``log`` and ``**`` are not (they differ from numpy's vectorised
ones in the last bit), so no compiled kernel of this package evaluates them. The engine's fused
kernels are in :mod:`alliancelab.engine._jit`.

Without numba (not installed, or ``ALLIANCELAB_NUMBA=0`` in the environment) every function runs its
numpy path; ``ENABLED`` switches at call time (``tests/engine/test_jit.py`` asserts both give
identical bytes).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["ENABLED", "any_last", "compiled", "gather", "njit", "normalise_active", "onehot", "pick",
           "sample"]

try:                                      # numba is a dependency; the numpy path remains the reference
    if os.environ.get("ALLIANCELAB_NUMBA", "1") == "0":
        raise ImportError("numba switched off by ALLIANCELAB_NUMBA=0")
    from numba import njit
except ImportError:                       # pragma: no cover - exercised by switching ENABLED off
    njit = None

#: Whether the compiled kernels are used (False: the numpy paths, same numbers).
ENABLED: bool = njit is not None


def compiled(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` compiled by numba (cached on disk, releasing the GIL), or ``fn`` itself without numba."""
    return njit(cache=True, nogil=True)(fn) if njit is not None else fn


@compiled
def _gather3(x, idx):  # noqa: ANN001, ANN202
    R, C = idx.shape
    out = np.empty((R, C), dtype=x.dtype)
    for r in range(R):
        for c in range(C):
            out[r, c] = x[r, c, idx[r, c]]
    return out


@compiled
def _gather4(x, idx):  # noqa: ANN001, ANN202
    R, C = idx.shape
    K = x.shape[3]
    out = np.empty((R, C, K), dtype=x.dtype)
    for r in range(R):
        for c in range(C):
            i = idx[r, c]
            for k in range(K):
                out[r, c, k] = x[r, c, i, k]
    return out


def _usable(x: np.ndarray, idx: np.ndarray) -> bool:
    return ENABLED and isinstance(x, np.ndarray) and isinstance(idx, np.ndarray) and idx.ndim == 2 \
        and idx.dtype.kind in "iu" and x.shape[:2] == idx.shape and x.dtype != object


def gather(x: np.ndarray, idx: np.ndarray) -> np.ndarray | None:
    """``x[r, c, idx[r, c], ...]`` for ``x`` (R, C, N) or (R, C, N, K) and ``idx`` (R, C) in range;
    ``None`` when the kernels are off or the shapes are other (the caller's numpy path runs)."""
    if not _usable(x, idx):
        return None
    if x.ndim == 3:
        return _gather3(x, idx)
    if x.ndim == 4:
        return _gather4(x, idx)
    return None


def pick(x: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """``x`` broadcast to ``idx.shape + (K,)``, at ``idx`` on its last axis: ``np.take_along_axis(
    np.broadcast_to(x, (R, C, K)), idx[..., None], -1)[..., 0]`` for ``idx`` (R, C) in ``[0, K)``."""
    R, C = idx.shape
    xb = np.broadcast_to(x, (R, C, np.shape(x)[-1]))
    if _usable(xb, idx):
        return _gather3(xb, idx)
    return np.take_along_axis(xb, idx[..., None], -1)[..., 0]


@compiled
def _onehot(idx, n):  # noqa: ANN001, ANN202
    R, C = idx.shape
    out = np.zeros((R, C, n), dtype=np.bool_)
    for r in range(R):
        for c in range(C):
            i = idx[r, c]
            if 0 <= i < n:
                out[r, c, i] = True
    return out


def onehot(idx: np.ndarray, n: int) -> np.ndarray | None:
    """``idx[..., None] == np.arange(n)`` for ``idx`` (R, C); ``None`` when the kernels are off or the
    shape is other."""
    if not ENABLED or not isinstance(idx, np.ndarray) or idx.ndim != 2 or idx.dtype.kind not in "iu":
        return None
    return _onehot(idx, n)


@compiled
def _sample(probs, u):  # noqa: ANN001, ANN202
    R, C, K = probs.shape
    out = np.empty((R, C), dtype=np.intp)
    cdf = np.empty(K)
    for r in range(R):
        for c in range(C):
            cdf[0] = probs[r, c, 0]
            for i in range(1, K):
                cdf[i] = cdf[i - 1] + probs[r, c, i]
            cut = u[r, c] * cdf[K - 1]
            n = 0
            for i in range(K):
                if cdf[i] < cut:
                    n += 1
            out[r, c] = n if n < K - 1 else K - 1
    return out


def sample(probs: np.ndarray, u: np.ndarray) -> np.ndarray | None:
    """Index drawn from ``probs`` (R, C, K) float64 with uniforms ``u`` (R, C), as
    :func:`alliancelab.engine._state.sample`; ``None`` when the kernels are off or shapes are other."""
    if not ENABLED or not isinstance(probs, np.ndarray) or probs.ndim != 3 or probs.dtype != np.float64 \
            or np.shape(u) != probs.shape[:2] or np.asarray(u).dtype != np.float64:
        return None
    return _sample(probs, u)


@compiled
def _any3(x):  # noqa: ANN001, ANN202
    R, C, K = x.shape
    out = np.zeros((R, C), dtype=np.bool_)
    for r in range(R):
        for c in range(C):
            for k in range(K):
                if x[r, c, k]:
                    out[r, c] = True
                    break
    return out


def any_last(x: np.ndarray) -> np.ndarray:
    """``x.any(-1)`` for a boolean ``x`` (R, C, K)."""
    if ENABLED and isinstance(x, np.ndarray) and x.ndim == 3 and x.dtype == np.bool_:
        return _any3(x)
    return x.any(-1)


@compiled
def normalise_active(e, act):  # noqa: ANN001, ANN202
    """``e`` over the active factions of each (run, client), summed in faction order (numpy's order for a
    short last axis); 0 where nothing is positive. Shared by the contest and mass-support kernels."""
    R, C, F = act.shape
    out = np.empty((R, C, F))
    w = np.empty(F)
    for r in range(R):
        for c in range(C):
            total = 0.0
            for f in range(F):
                w[f] = e[r, c, f] if act[r, c, f] else 0.0
                total += w[f]
            for f in range(F):
                out[r, c, f] = w[f] / total if total > 0 else 0.0
    return out
