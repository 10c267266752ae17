"""Y13: a threat has a source and a severity per target (Walt 1987: aggregate power, proximity,
offensive capability and intentions); Y13p: each side of a dyad reads the threat from its own seat.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..disparity import DisparityParams

__all__ = ["dyad_threat", "intent_severity"]


def intent_severity(severity: ArrayLike, offensive: ArrayLike, p: DisparityParams) -> NDArray[np.float64]:
    """Severity with the source's offensive intentions made explicit:
    ``severity x (f + (1 - f) x offensive)`` with ``f = walt_w_aggregate + walt_w_proximity`` (the
    capability part of Walt's four components, which threatens whatever the intentions). In [0, 1],
    non-decreasing in both arguments; ``offensive = 1`` gives the severity itself.

    Examples
    --------
    >>> float(intent_severity(0.8, 0.0, DisparityParams())), float(intent_severity(0.8, 1.0, DisparityParams()))
    (0.4, 0.8)
    """
    f = p.walt_w_aggregate + p.walt_w_proximity
    s = np.clip(np.asarray(severity, dtype=float), 0.0, 1.0)
    o = np.clip(np.asarray(offensive, dtype=float), 0.0, 1.0)
    return s * (f + (1.0 - f) * o)


def dyad_threat(e_own: ArrayLike, e_other: ArrayLike, w_own: float, w_other: float) -> NDArray[np.float64]:
    """The threat one member of a dyad weighs in allying with the other, from its own seat (Y13, Y13p):
    ``max(min(e_own, e_other), w_own x e_own, w_other x e_other)``.

    ``e_own`` is the effective threat the source poses to this member, ``e_other`` to its partner. A
    threat aimed at both counts fully (the common threat, paper Y 4.1); one aimed at one member only
    counts at that member's weight. The client's side of the dyad (its choice, Y13) uses
    ``w_own = client_threat_weight``, ``w_other = single_target_threat_weight``; with Y13p the
    patron's side of formation uses ``w_own = w_other = single_target_threat_weight``: only the
    common enemy counts fully, a threat to either member alone at the single-target weight. In [0, 1] for
    inputs and weights in [0, 1]; non-decreasing in both threats; symmetric when the weights are equal.

    Examples
    --------
    >>> float(dyad_threat(1.0, 0.0, 1.0, 0.5)), float(dyad_threat(0.0, 1.0, 1.0, 0.5))
    (1.0, 0.5)
    >>> float(dyad_threat(0.6, 0.6, 1.0, 0.5))
    0.6
    """
    a = np.clip(np.asarray(e_own, dtype=float), 0.0, 1.0)
    b = np.clip(np.asarray(e_other, dtype=float), 0.0, 1.0)
    return np.maximum(np.maximum(np.minimum(a, b), w_own * a), w_other * b)
