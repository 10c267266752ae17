"""Probability that the patron forms (accepts) an alliance (Yu §3, §3.1, §4.1; THEORY_MAP Y2, Y5, Y10)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._math import clip01, expit
from .params import DisparityParams

__all__ = ["formation_logit", "formation_probability", "talks_conclusion_given_will", "talks_conclusion_probability",
           "talks_in_part_of_period"]

_DEFAULT = DisparityParams()


def formation_logit(D: ArrayLike, T: ArrayLike, mistrust: ArrayLike = 0.0, accommodation: ArrayLike = 0.0,
                    wedge: ArrayLike = 0.0, p: DisparityParams = _DEFAULT) -> NDArray[np.float64]:
    """Log-odds of formation (see :func:`formation_probability`).

    Examples
    --------
    >>> float(formation_logit(0.5, 0.5))
    0.0
    """
    return (p.form_intercept + p.form_beta_disparity * (clip01(D) - 0.5) + p.form_beta_threat * clip01(T)
            - p.form_beta_mistrust * clip01(mistrust) - p.form_beta_accommodation * clip01(accommodation)
            - p.form_beta_wedge * clip01(wedge))


def formation_probability(D: ArrayLike, T: ArrayLike, mistrust: ArrayLike = 0.0,
                          accommodation: ArrayLike = 0.0, wedge: ArrayLike = 0.0,
                          p: DisparityParams = _DEFAULT) -> NDArray[np.float64]:
    """Per-period probability that the patron forms an alliance with the client, in [0, 1].

    ``P = logistic(α + β_D (D − 0.5) + β_T T − β_m·mistrust − β_a·accommodation − β_w·wedge)``.

    Non-decreasing in disparity ``D`` (Y2: "less likely to consider allying ... unless there was a
    significant power disparity") and in effective threat ``T`` (Y5); decreasing in mutual
    ``mistrust``, in the availability of ``accommodation`` (appeasement, a peace deal) and in the
    adversary's ``wedge`` effort (Y10: the failed 1939 talks). With ``β_T > β_D`` the threat can
    outweigh "worries of too close power distance" (Yu §3.1): at ``T = 1`` with no frictions the
    alliance forms with P > 0.5 at every D.

    Parameters
    ----------
    D : array_like in (0, 1)
        Disparity, the patron's share of dyad power (:func:`disparity`).
    T : array_like in [0, 1]
        Effective threat (:func:`effective_threat`).
    mistrust, accommodation, wedge : array_like in [0, 1]
    p : DisparityParams

    Returns
    -------
    ndarray, broadcast shape of the inputs

    Examples
    --------
    >>> round(float(formation_probability(0.5, 0.0)), 3)      # peacetime, parity: hardly ever
    0.018
    >>> round(float(formation_probability(0.4, 1.0, mistrust=0.8)), 3)  # 1941: threat beats distrust
    0.87
    >>> round(float(formation_probability(0.4, 0.3, mistrust=0.8, accommodation=0.8, wedge=0.5)), 4)
    0.0024
    """
    return expit(formation_logit(D, T, mistrust, accommodation, wedge, p))


def talks_conclusion_probability(D: ArrayLike, T: ArrayLike, mistrust: ArrayLike = 0.0,
                                 accommodation: ArrayLike = 0.0, wedge: ArrayLike = 0.0,
                                 p: DisparityParams = _DEFAULT) -> NDArray[np.float64]:
    """Per-period probability that talks both sides have opened end in a treaty (Y16), in (0, 1].

    ``q = formation_probability(D, T, mistrust, accommodation, wedge) /
    formation_probability(D, T, 0, accommodation, wedge)``: the share of the will to ally (disparity,
    threat, and the threat's accommodation and wedge: Y2, Y5, Y10) that survives the parties' mutual
    mistrust. Yu §3.1: with entrenched distrust "it would take extra political capital to eliminate
    discrepancies and coordinate the policies in the alliance"; §4.1: "as the threats of the Nazis had
    become more imminent and dangerous, the Soviet Union eventually overcame its mistrust". So ``q`` is 1
    without mistrust, falls with it (and faster where accommodation or a wedge already weaken the will),
    rises towards 1 as the threat (or the disparity) grows, and never falls below
    ``exp(−β_m · mistrust)``. No parameter of its own: paper Y's formation coefficients. Computed in log
    space (stable for any logit).

    Examples
    --------
    >>> float(talks_conclusion_probability(0.9, 0.3))                     # no mistrust: at once
    1.0
    >>> round(float(talks_conclusion_probability(0.97, 0.3, mistrust=0.3)), 3)
    0.789
    >>> round(float(talks_conclusion_probability(0.4, 1.0, mistrust=0.5)), 3)   # threat beats distrust
    0.952
    """
    will = formation_logit(D, T, 0.0, accommodation, wedge, p)
    fr = formation_logit(D, T, mistrust, accommodation, wedge, p)
    # log expit(x) = -log(1 + exp(-x)) = -logaddexp(0, -x)
    return np.asarray(np.exp(np.logaddexp(0.0, -will) - np.logaddexp(0.0, -fr)), dtype=np.float64)


def talks_conclusion_given_will(will: ArrayLike, mistrust: ArrayLike = 0.0,
                                p: DisparityParams = _DEFAULT) -> NDArray[np.float64]:
    """Per-period probability that talks end in a treaty when the patron's whole will to ally is ``will``
    (Y21), in (0, 1].

    ``q = expit(logit(will) − β_m·mistrust) / will``: the mistrust lowers the log-odds of the patron's
    will, whatever its source (paper Y's formation probability or an H1 stake, E8), by ``β_m`` per
    unit, as it lowers paper Y's formation log-odds (Y10), and the talks conclude at the share that
    survives. Where ``will`` is paper Y's formation probability this is
    :func:`talks_conclusion_probability` (Y16). Yu §4.1: "as the threats of the Nazis had become more
    imminent and dangerous, the Soviet Union eventually overcame its mistrust": the stronger the will
    to ally, the less the same mistrust delays the treaty. 1 without mistrust and at ``will = 1``;
    non-increasing in ``mistrust``, non-decreasing in ``will``; never below ``exp(−β_m · mistrust)``.
    No parameter of its own.

    Examples
    --------
    >>> round(float(talks_conclusion_given_will(0.9, 0.5)), 3)     # a strong stake: mistrust hardly delays
    0.853
    >>> round(float(talks_conclusion_given_will(0.13, 0.5)), 3)    # a weak will: slow talks
    0.401
    >>> float(talks_conclusion_given_will(0.5, 0.0))
    1.0
    """
    w = np.clip(np.asarray(will, dtype=float), 1e-300, 1.0)
    x = np.log(w) - np.log1p(-np.minimum(w, 1.0 - 1e-16))          # logit(will), finite
    fr = x - p.form_beta_mistrust * clip01(mistrust)
    q = np.exp(np.logaddexp(0.0, -x) - np.logaddexp(0.0, -fr))
    return np.asarray(np.where(w >= 1.0, 1.0, np.minimum(q, 1.0)), dtype=np.float64)


def talks_in_part_of_period(q: ArrayLike, fraction: ArrayLike) -> NDArray[np.float64]:
    """Probability that talks with per-period conclusion probability ``q`` conclude within ``fraction``
    of a period (Y16: talks opened when the patron's option opens mid-period): ``1 − (1 − q)^fraction``,
    a constant hazard over the period. 1 at ``q = 1`` for any ``fraction > 0`` (frictionless talks are
    immediate), ``q`` at
    ``fraction = 1``, 0 at ``fraction = 0``; non-decreasing in both.

    Examples
    --------
    >>> round(float(talks_in_part_of_period(0.79, 0.46)), 3)
    0.512
    >>> float(talks_in_part_of_period(1.0, 0.1)), float(talks_in_part_of_period(0.5, 1.0))
    (1.0, 0.5)
    """
    q, f = np.clip(np.asarray(q, dtype=float), 0.0, 1.0), np.clip(np.asarray(fraction, dtype=float), 0.0, 1.0)
    return np.asarray(1.0 - np.power(1.0 - q, f, where=f > 0, out=np.ones(np.broadcast(q, f).shape)),
                      dtype=np.float64)
