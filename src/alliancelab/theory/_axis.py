"""Reductions over a short last axis (factions, patrons: a handful of entries), bit-for-bit numpy's.

``x.sum(-1)`` over an axis of 2-7 entries costs numpy a reduction loop per row, ten times the
element-wise operations that give the same numbers: numpy adds fewer than 8 entries in index order
(``((0 + x0) + x1) + x2 ...``; pairwise summation only starts at 8), multiplies in index order, and the
maximum does not depend on the order. These helpers do that with one array operation per entry and
fall back to numpy for longer axes or non-float arrays, so results are identical either way.

``max_full`` / ``sum_full`` return the reduction repeated along the last axis (the shape of ``x``)
instead of ``keepdims=True``'s length-1 axis: numpy combines an ``(..., 1)`` operand with an
``(..., F)`` one a few entries at a time, several times slower than two arrays of the same shape.
"""

from __future__ import annotations

import numpy as np

__all__ = ["max_full", "max_last", "prod_last", "sum_axis", "sum_full", "sum_last"]

#: Axes shorter than this are reduced entry by entry (numpy's pairwise summation starts at 8).
_SHORT = 8


def _short(x: np.ndarray) -> bool:
    return x.ndim > 1 and 0 < x.shape[-1] < _SHORT and x.dtype == np.float64


def _chain(ufunc: np.ufunc, x: np.ndarray, keepdims: bool) -> np.ndarray:
    # a sum starts from numpy's identity +0.0 (a row of -0.0 sums to +0.0, as numpy's does)
    out = np.add(x[..., 0], 0.0) if ufunc is np.add else x[..., 0].copy()
    for i in range(1, x.shape[-1]):
        ufunc(out, x[..., i], out=out)
    return out[..., None] if keepdims else out


def sum_last(x: np.ndarray, keepdims: bool = False) -> np.ndarray:
    """``x.sum(axis=-1, keepdims=keepdims)``, identical bits."""
    x = np.asarray(x)
    return _chain(np.add, x, keepdims) if _short(x) else x.sum(axis=-1, keepdims=keepdims)


def max_last(x: np.ndarray, keepdims: bool = False) -> np.ndarray:
    """``x.max(axis=-1, keepdims=keepdims)``, identical bits."""
    x = np.asarray(x)
    return _chain(np.maximum, x, keepdims) if _short(x) else x.max(axis=-1, keepdims=keepdims)


def prod_last(x: np.ndarray, keepdims: bool = False) -> np.ndarray:
    """``np.prod(x, axis=-1, keepdims=keepdims)``, identical bits."""
    x = np.asarray(x)
    return _chain(np.multiply, x, keepdims) if _short(x) else np.prod(x, axis=-1, keepdims=keepdims)


def _full(r: np.ndarray, n: int) -> np.ndarray:
    out = np.empty(r.shape[:-1] + (n,), dtype=r.dtype)
    for i in range(n):
        out[..., i] = r[..., 0]
    return out


def max_full(x: np.ndarray) -> np.ndarray:
    """``x.max(axis=-1, keepdims=True)`` broadcast to ``x``'s shape (a new C-contiguous array)."""
    x = np.asarray(x)
    return _full(max_last(x, keepdims=True), x.shape[-1]) if x.ndim > 1 else \
        np.broadcast_to(x.max(axis=-1, keepdims=True), x.shape).copy()


def sum_full(x: np.ndarray) -> np.ndarray:
    """``x.sum(axis=-1, keepdims=True)`` broadcast to ``x``'s shape (a new C-contiguous array)."""
    x = np.asarray(x)
    return _full(sum_last(x, keepdims=True), x.shape[-1]) if x.ndim > 1 else \
        np.broadcast_to(x.sum(axis=-1, keepdims=True), x.shape).copy()


def sum_axis(x: np.ndarray, axis: int) -> np.ndarray:
    """``x.sum(axis=axis)`` for any axis, identical bits (entry by entry when the axis is short)."""
    x = np.asarray(x)
    ax = axis % x.ndim if x.ndim else 0
    if x.ndim > 1 and 0 < x.shape[ax] < _SHORT and x.dtype == np.float64:
        return sum_last(np.moveaxis(x, ax, -1))
    return x.sum(axis=axis)
