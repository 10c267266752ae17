"""Table 1 of Yu: the four alliance types on continuous disparity and threat (THEORY_MAP Y9)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._math import clip01
from .params import ALLIANCE_TYPES, DisparityParams

__all__ = ["ALLIANCE_TYPES", "STRONG", "UNSTABLE", "AFFILIATION", "NONE", "classify", "type_labels"]

_DEFAULT = DisparityParams()

#: Integer codes of :data:`ALLIANCE_TYPES`.
STRONG, UNSTABLE, AFFILIATION, NONE = 0, 1, 2, 3


def classify(D: ArrayLike, T: ArrayLike,
             p: DisparityParams = _DEFAULT) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Classify (disparity, threat) into Yu's Table 1 and give the margin to the nearest boundary.

    ====================  ======================  ===========================
    threat \\ disparity    high (D ≥ d*)           low (D < d*)
    ====================  ======================  ===========================
    high (T ≥ t*)         0 ``strong``            1 ``unstable`` (distrust)
    low (T < t*)          2 ``affiliation``       3 ``none``
    ====================  ======================  ===========================

    Thresholds ``d* = p.d_star`` (default 2/3: the patron holds at least twice the client's weighted
    power) and ``t* = p.t_star`` (default 0.5: where an alliance of equals without frictions forms
    with probability 0.5 under :func:`formation_probability`). Boundary points belong to the "high"
    side.

    Parameters
    ----------
    D, T : array_like in [0, 1]
    p : DisparityParams

    Returns
    -------
    codes : ndarray of int64
        Index into :data:`ALLIANCE_TYPES`.
    margin : ndarray of float
        ``min(|D − d*|, |T − t*|)``: how far the point is from changing cell (0 on a boundary).

    Examples
    --------
    >>> codes, margin = classify([0.9, 0.4, 0.9, 0.4], [0.9, 0.9, 0.1, 0.1])
    >>> [ALLIANCE_TYPES[c] for c in codes]
    ['strong', 'unstable', 'affiliation', 'none']
    >>> margin.round(3).tolist()
    [0.233, 0.267, 0.233, 0.267]
    """
    d = clip01(D)
    t = clip01(T)
    d, t = np.broadcast_arrays(d, t)
    high_d = d >= p.d_star
    high_t = t >= p.t_star
    codes = np.where(high_t, np.where(high_d, STRONG, UNSTABLE),
                     np.where(high_d, AFFILIATION, NONE)).astype(np.int64)
    margin = np.minimum(np.abs(d - p.d_star), np.abs(t - p.t_star))
    return codes, margin


def type_labels(codes: ArrayLike) -> NDArray[np.str_]:
    """Map integer codes to :data:`ALLIANCE_TYPES` labels.

    Examples
    --------
    >>> type_labels([0, 3]).tolist()
    ['strong', 'none']
    """
    return np.asarray(ALLIANCE_TYPES)[np.asarray(codes, dtype=np.int64)]
