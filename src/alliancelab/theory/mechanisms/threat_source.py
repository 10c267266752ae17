"""Y13: a threat has a source and a severity per target (Walt 1987: aggregate power, proximity,
offensive capability and intentions).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..disparity import DisparityParams

__all__ = ["intent_severity"]


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
