"""External threat: Walt's sources of threat, imminence and clarity (Yu §3.1, §4.1; THEORY_MAP Y5, Y10).

All inputs are indices in [0, 1] (clipped) and broadcast against each other.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._math import clip01
from .params import WALT_COMPONENTS, DisparityParams

__all__ = ["WALT_COMPONENTS", "walt_threat", "perceived_intentions", "effective_threat"]

_DEFAULT = DisparityParams()


def perceived_intentions(intentions: ArrayLike, clarity: ArrayLike,
                         p: DisparityParams = _DEFAULT) -> NDArray[np.float64]:
    """Intentions as perceived: ``c · intentions + (1 − c) · intentions_prior`` (clarity weighs intentions).

    With no clarity the patron cannot tell a revisionist from an aggressor (Yu §4.1: "Hitler's stance
    was confusing") and falls back on ``p.intentions_prior``.

    Examples
    --------
    >>> float(perceived_intentions(1.0, 0.0))
    0.5
    >>> float(perceived_intentions(1.0, 1.0))
    1.0
    """
    c = clip01(clarity)
    return clip01(c * clip01(intentions) + (1.0 - c) * p.intentions_prior)


def walt_threat(aggregate_power: ArrayLike, proximity: ArrayLike, offensive: ArrayLike,
                intentions: ArrayLike, p: DisparityParams = _DEFAULT, *,
                clarity: ArrayLike | None = None) -> NDArray[np.float64]:
    """Threat severity from Walt's (1985, 1987) four sources of threat, in [0, 1].

    ``S = w_a·aggregate_power + w_p·proximity + w_o·offensive + w_i·intentions`` with the weights
    ``p.walt_w_*`` (sum to 1). If ``clarity`` is given, ``intentions`` is replaced by
    :func:`perceived_intentions` (the threat's aims are only as visible as they are clear).

    Parameters
    ----------
    aggregate_power, proximity, offensive, intentions : array_like in [0, 1]
        The adversary's aggregate power (e.g. its share of the system's CINC, rescaled), its
        geographic proximity, offensive capability and aggressiveness of intentions.
    p : DisparityParams
    clarity : array_like in [0, 1], optional

    Returns
    -------
    ndarray in [0, 1], non-decreasing in every component.

    Examples
    --------
    >>> float(walt_threat(1, 1, 1, 1))
    1.0
    >>> float(walt_threat(0.8, 1.0, 0.8, 1.0, clarity=0.0))
    0.775
    """
    i = clip01(intentions) if clarity is None else perceived_intentions(intentions, clarity, p)
    s = (p.walt_w_aggregate * clip01(aggregate_power) + p.walt_w_proximity * clip01(proximity)
         + p.walt_w_offensive * clip01(offensive) + p.walt_w_intentions * i)
    return clip01(s)


def effective_threat(severity: ArrayLike, imminence: ArrayLike, clarity: ArrayLike,
                     p: DisparityParams = _DEFAULT) -> NDArray[np.float64]:
    """Effective threat T in [0, 1] from severity, imminence and clarity.

    ``T = S · (f_i + (1 − f_i)·imminence) · (f_c + (1 − f_c)·clarity)`` with ``f_i = imminence_floor``
    and ``f_c = clarity_floor``. A distant or undiscerned threat still counts, at the floor fraction
    (Yu §4.1: in the mid-1930s "the external threats were not clear and difficult to discern"; by
    1941 "Hitler's threats became imminent and not to be ignored"). T is non-decreasing in all three
    arguments, 0 when severity is 0 and 1 only when all three are 1.

    Examples
    --------
    >>> float(effective_threat(1, 1, 1))
    1.0
    >>> round(float(effective_threat(0.8, 0.2, 0.3)), 4)
    0.1469
    """
    fi, fc = p.imminence_floor, p.clarity_floor
    t = clip01(severity) * (fi + (1.0 - fi) * clip01(imminence)) * (fc + (1.0 - fc) * clip01(clarity))
    return clip01(t)
