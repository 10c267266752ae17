"""E22: a patron's forces defend its client ruler (paper E, H1 and E5/E6).

Paper E, H1: patrons send "military contingents to prevent an unfriendly group from coming to power";
theory section (E6): a patron may back "the existing regime ... with armed action". The defence enters
the coup and unrest contests through :func:`alliancelab.theory.elite.coup_success_probability` and
:func:`~alliancelab.theory.elite.precarity` with ``back_incumbent=True`` (the kernel's existing
option): the incumbent's strength is its coercion, military aid and the defending commitment, in the
same form as a backed challenger's.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..elite import EliteParams
from ..elite.contest import _challenger_strength

__all__ = ["defence_commitment", "defended_strength", "patron_stake"]


def defended_strength(coercion: ArrayLike, military_aid: ArrayLike, commitment: ArrayLike,
                      p: EliteParams) -> NDArray[np.float64]:
    """Coercive strength of a faction with its patrons' arms and commitment, in the form of
    :func:`alliancelab.theory.elite.coup_success_probability`'s backed challenger (E5):
    ``(c + w_mil log1p(mil / scale_mil)) (1 + boost a) + force a``.

    Examples
    --------
    >>> p = EliteParams()
    >>> bool(defended_strength(0.5, 0.0, 1.0, p) > defended_strength(0.5, 0.0, 0.0, p) == 0.5)
    True
    """
    c = np.asarray(coercion, dtype=float)
    m = np.broadcast_to(np.asarray(military_aid, dtype=float), np.broadcast_shapes(c.shape, np.shape(military_aid), np.shape(commitment)))
    a = np.broadcast_to(np.asarray(commitment, dtype=float), m.shape)
    return _challenger_strength(np.broadcast_to(c, m.shape), m, a, p)


def defence_commitment(intervention: ArrayLike, armed_commitment: ArrayLike) -> NDArray[np.float64]:
    """Commitment in [0, 1] of the ruler's patrons to defend it: independent pledges combine as
    ``1 - (1 - intervention)(1 - armed_commitment)``; non-decreasing in both.

    Examples
    --------
    >>> float(defence_commitment(0.5, 0.5))
    0.75
    >>> float(defence_commitment(0.0, 0.0))
    0.0
    """
    a = np.clip(np.asarray(intervention, dtype=float), 0.0, 1.0)
    b = np.clip(np.asarray(armed_commitment, dtype=float), 0.0, 1.0)
    return 1.0 - (1.0 - a) * (1.0 - b)


def patron_stake(interest: ArrayLike, support_share: ArrayLike, intervention: ArrayLike) -> NDArray[np.float64]:
    """The patron's stake in an alliance with the ruler, ``interest x max(support share, intervention)``
    (paper E, E7a: the patron is interested in its faction's success; a patron whose forces defend the
    ruler has committed at least as much as its main supporter). Non-decreasing in every argument.

    Examples
    --------
    >>> round(float(patron_stake(0.8, 0.2, 1.0)), 4), round(float(patron_stake(0.8, 0.2, 0.0)), 4)
    (0.8, 0.16)
    """
    i = np.clip(np.asarray(interest, dtype=float), 0.0, 1.0)
    s = np.clip(np.asarray(support_share, dtype=float), 0.0, 1.0)
    v = np.clip(np.asarray(intervention, dtype=float), 0.0, 1.0)
    return i * np.maximum(s, v)
