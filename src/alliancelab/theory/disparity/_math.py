"""Numerically safe helpers shared by the paper-Y kernels (private)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import expit as _scipy_expit

__all__ = ["as_float", "expit", "clip01", "EPS"]

#: Smallest distance from 0 and 1 for quantities documented as lying in the open interval (0, 1).
EPS = 1e-9


def as_float(x: ArrayLike) -> NDArray[np.float64]:
    """Return ``x`` as a float64 array (no copy when already one).

    Examples
    --------
    >>> as_float([1, 2]).dtype
    dtype('float64')
    """
    return np.asarray(x, dtype=np.float64)


def expit(z: ArrayLike) -> NDArray[np.float64]:
    """Logistic function, overflow-free, clipped to [0, 1].

    Examples
    --------
    >>> float(expit(0.0))
    0.5
    >>> float(expit(1e6)), float(expit(-1e6))
    (1.0, 0.0)
    """
    return np.clip(_scipy_expit(as_float(z)), 0.0, 1.0)


def clip01(x: ArrayLike) -> NDArray[np.float64]:
    """Clip to [0, 1].

    Examples
    --------
    >>> clip01([-0.1, 0.5, 2.0]).tolist()
    [0.0, 0.5, 1.0]
    """
    return np.clip(as_float(x), 0.0, 1.0)
