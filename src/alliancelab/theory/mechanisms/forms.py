"""E19: the forms of alignment (formal alliance, aid without alliance, tacit alignment, neutrality,
alignment with two rival patrons), exclusive per client and period.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["FORMS", "aid_only_by_need", "aid_only_probability", "tacit_probability", "treaty_need"]

#: Alignment forms in the engine's state order (``alignment_form`` labels: ``alliance:P``, ``aid:P``,
#: ``tacit:P``, ``neutral``, ``both:P+Q``).
FORMS: tuple[str, ...] = ("alliance", "aid", "tacit", "neutral", "both")


def tacit_probability(mistrust: ArrayLike, threat: ArrayLike) -> NDArray[np.float64]:
    """P(a ruler and the patron it chose cooperate without a treaty when no treaty forms),
    ``mistrust x threat`` (paper Y, Y5 with Y10): an imminent common threat makes cooperation
    necessary, mistrust keeps it informal. Non-decreasing in both; 0 without a common threat.

    Examples
    --------
    >>> float(tacit_probability(0.8, 0.5)), float(tacit_probability(0.8, 0.0))
    (0.4, 0.0)
    """
    m = np.clip(np.asarray(mistrust, dtype=float), 0.0, 1.0)
    t = np.clip(np.asarray(threat, dtype=float), 0.0, 1.0)
    return m * t


def aid_only_probability(secure: ArrayLike, excess_share: ArrayLike = 1.0) -> NDArray[np.float64]:
    """P(a ruler whose chosen patron accepted it takes the patron's aid without a treaty),
    ``secure x excess_share``.

    H2 (paper E): "a popular, unchallenged leader keeps autonomy and stays out of blocs"; Tito "could
    forgo too close relations with any power due to his strong political position". A treaty buys
    security (Morrow 1991's security-autonomy trade-off); the aid itself arrives with or without it
    (the patron's schedule), so what decides the form is the ruler's *need* for a patron, not the
    money: the engine passes ``secure = 1 - prec_alone``, the probability that the ruler keeps power
    over the commitment horizon without outside support, and no money term (``excess_share = 1``).
    ``excess_share`` (in [0, 1]) scales the probability down for a caller that ties the form to the
    share of aid beyond need (the engine before issue #11, E19's first version); it is kept so that
    such a rule stays expressible, not used by the engine. Non-decreasing in ``secure``; 0 for a
    ruler certain to fall without a patron, 1 for one certain to survive alone.

    Examples
    --------
    >>> float(aid_only_probability(0.9, 0.8))
    0.7200000000000001
    >>> float(aid_only_probability(0.9))
    0.9
    """
    s = np.clip(np.asarray(secure, dtype=float), 0.0, 1.0)
    e = np.clip(np.asarray(excess_share, dtype=float), 0.0, 1.0)
    return s * e


def treaty_need(precarity: ArrayLike, threat: ArrayLike) -> NDArray[np.float64]:
    """The ruler's need for a patron's treaty, ``1 - (1 - precarity) x (1 - threat)``, in [0, 1].

    H2 (paper E): the more precarious the incumbent, the more it seeks external support; Y5 (paper Y):
    an imminent common threat makes alignment necessary. ``precarity`` is the ruler's probability of
    losing power over the commitment horizon without outside support (``prec_alone``), ``threat`` the
    common-threat value of aligning with the patron (Y5, in [0, 1]): the probability that the ruler
    needs the patron at home or against the threat. Non-decreasing in both; no money term.

    Examples
    --------
    >>> round(float(treaty_need(0.2, 0.0)), 6), round(float(treaty_need(0.2, 0.5)), 6)
    (0.2, 0.6)
    """
    q = np.clip(np.asarray(precarity, dtype=float), 0.0, 1.0)
    t = np.clip(np.asarray(threat, dtype=float), 0.0, 1.0)
    return 1.0 - (1.0 - q) * (1.0 - t)


def aid_only_by_need(precarity: ArrayLike, threat: ArrayLike, max_need: float) -> NDArray[np.float64]:
    """P(a ruler whose chosen patron accepted it, and pays it, takes the aid without a treaty) (E19, H2).

    A secure ruler -- one whose :func:`treaty_need` is at most ``max_need`` (the engine passes
    ``elite.both_precarity_max``, E19's one definition of a secure ruler: more likely to keep power
    than to need a patron over the commitment horizon) -- keeps its autonomy with the probability that
    it does not need the patron, :func:`aid_only_probability` of ``1 - need``; a ruler that needs the
    patron more signs the treaty. The amount of aid does not enter: it arrives with or without the
    treaty, so the form follows the need, not the money. Non-increasing in precarity and threat.

    Examples
    --------
    >>> float(aid_only_by_need(0.2, 0.0, 0.5)), float(aid_only_by_need(0.7, 0.0, 0.5))
    (0.8, 0.0)
    """
    need = treaty_need(precarity, threat)
    return np.where(need <= max_need, aid_only_probability(1.0 - need), 0.0)
