"""Per-period hazard that an alliance dissolves (Yu §3, §4.2; THEORY_MAP Y2, Y6, Y11).

A discrete-time proportional-hazards (complementary log-log) model, the period-by-period form of a
Weibull duration model (Bennett 1997; Leeds & Savun 2007): with rate ``λ = exp(η)`` and shape ``k``
the cumulative hazard after ``a`` years is ``λ a^k``, so the probability of dissolving during the next
``Δ`` years given survival to age ``a`` is ``1 − exp(−λ((a + Δ)^k − a^k))``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._math import as_float, clip01
from .params import DisparityParams

__all__ = ["hazard_index", "dissolution_hazard", "survival"]

_DEFAULT = DisparityParams()


def hazard_index(D: ArrayLike, T: ArrayLike, mistrust: ArrayLike = 0.0, wedge: ArrayLike = 0.0,
                 p: DisparityParams = _DEFAULT) -> NDArray[np.float64]:
    """Linear predictor ``η = h0 − β_T T − β_D (D − 0.5) + β_m mistrust + β_w wedge`` (log rate per year).

    Examples
    --------
    >>> float(hazard_index(0.5, 0.0))
    -5.07
    """
    return (p.haz_intercept - p.haz_beta_threat * clip01(T) - p.haz_beta_disparity * (clip01(D) - 0.5)
            + p.haz_beta_mistrust * clip01(mistrust) + p.haz_beta_wedge * clip01(wedge))


def dissolution_hazard(D: ArrayLike, T: ArrayLike, mistrust: ArrayLike = 0.0, wedge: ArrayLike = 0.0,
                       p: DisparityParams = _DEFAULT, *, age: ArrayLike | None = None,
                       period_years: float = 1.0) -> NDArray[np.float64]:
    """Probability that an existing alliance dissolves during the next period, in [0, 1].

    Rises as threat falls toward 0 (Y6: "Once the opponent is defeated or vanished, the Soviet-led
    alliance would likely fall apart") and as disparity narrows (Y2, Y11: "the narrowing disparity
    of power makes the Soviet Union sense threats to its dominant position"); rises with mistrust and
    the adversary's wedge effort (Table 1's "Distrust and Discords").

    Parameters
    ----------
    D, T, mistrust, wedge : array_like in [0, 1]
    p : DisparityParams
        ``haz_*`` fields; ``haz_shape`` is the Weibull shape ``k`` (1 = constant hazard).
    age : array_like, optional
        Years the alliance has lasted at the start of the period; needed only when ``haz_shape != 1``
        (default 0).
    period_years : float
        Length of one period in years (default 1).

    Returns
    -------
    ndarray, broadcast shape of the inputs

    Examples
    --------
    >>> round(float(dissolution_hazard(0.5, 0.0)), 4)     # parity, no rival: ATOP's ~0.7 %/yr
    0.0063
    >>> strong = dissolution_hazard(0.9, 0.9)
    >>> unstable = dissolution_hazard(0.4, 0.9, mistrust=0.8)
    >>> bool(strong < unstable)
    True
    """
    eta = np.clip(hazard_index(D, T, mistrust, wedge, p), -700.0, 700.0)
    rate = np.exp(eta)
    dt = float(period_years)
    k = p.haz_shape
    if age is None and k == 1.0:
        increment = np.asarray(dt)
    else:
        a = np.clip(as_float(0.0 if age is None else age), 0.0, None)
        increment = (a + dt) ** k - a ** k
    with np.errstate(over="ignore"):
        return clip01(-np.expm1(-rate * increment))


def survival(hazards: ArrayLike, axis: int = -1) -> NDArray[np.float64]:
    """Survival curve ``Π (1 − h_t)`` accumulated along ``axis`` (periods).

    Examples
    --------
    >>> survival([0.5, 0.5]).tolist()
    [0.5, 0.25]
    """
    return np.cumprod(1.0 - clip01(hazards), axis=axis)
