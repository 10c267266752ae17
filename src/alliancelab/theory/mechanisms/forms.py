"""E19: the forms of alignment (formal alliance, aid without alliance, tacit alignment, neutrality,
alignment with two rival patrons), exclusive per client and period.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["FORMS", "aid_only_probability", "tacit_probability"]

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


def aid_only_probability(secure: ArrayLike, excess_share: ArrayLike) -> NDArray[np.float64]:
    """P(a ruler takes a patron's aid without joining), ``secure x excess_share``: H2, aid beyond the
    ruler's need buys no security it lacks, so a secure ruler (``secure`` =
    :func:`alliancelab.theory.elite.aid_without_alliance` of its precarity) takes it without the
    autonomy cost of an alliance (paper E, E13 generalised). ``excess_share`` = share of the aid
    beyond need, in [0, 1].

    Examples
    --------
    >>> float(aid_only_probability(0.9, 0.8))
    0.7200000000000001
    """
    s = np.clip(np.asarray(secure, dtype=float), 0.0, 1.0)
    e = np.clip(np.asarray(excess_share, dtype=float), 0.0, 1.0)
    return s * e
