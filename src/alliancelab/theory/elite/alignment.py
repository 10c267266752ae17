"""Alignment: security against autonomy, a choice among patrons and non-alignment (E8–E10, E13, E14).

The ruling faction's utility of aligning with patron ``p`` follows Morrow's (1991) autonomy–security
trade-off, which paper E cites:

    U_p = w_sec * precarity * support_share_p + w_aff * affinity_p + w_thr * threat_value_p
          - autonomy_cost,        U_none = 0,

and the choice is McFadden's random-utility logit over the patrons and "non-aligned" (last column).
H1 (E8): the patron that gave most of the ruling faction's support offers most security.
H2 (E9): "popular leaders, whose position is not endangered, hardly need outside help" — at low
precarity the autonomy cost dominates and non-alignment is modal.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import expit

from .._axis import max_full, sum_full, sum_last
from ._alignment_kernels import logit_probabilities as _fast_logit
from ._alignment_kernels import utilities as _fast_utilities
from ..instruments import INSTRUMENTS, MONEY_INSTRUMENTS
from .params import EliteParams

__all__ = [
    "MONEY_INSTRUMENTS",
    "aid_without_alliance",
    "alignment_utilities",
    "alliance_relief",
    "choice_probabilities",
    "ruling_support_by_patron",
]

Array = NDArray[np.float64]

_MONEY_IDX = np.array([INSTRUMENTS.index(n) for n in MONEY_INSTRUMENTS])


def ruling_support_by_patron(support: ArrayLike, ruling: ArrayLike) -> tuple[Array, Array]:
    """Money each patron gave the ruling faction, and each patron's share of it (E8, E11).

    Parameters
    ----------
    support
        ``(..., F, P, I)`` support this period (or accumulated over the struggle for power).
    ruling
        ``(...)`` integer index of the ruling faction.

    Returns
    -------
    total : ndarray ``(...)``
        Money support to the ruling faction (million USD), the ``support_total`` of
        :func:`update_ambition`.
    share : ndarray ``(..., P)``
        Each patron's share of it (0 without support), the ``support_share`` of
        :func:`alignment_utilities`.

    Examples
    --------
    >>> import numpy as np
    >>> s = np.zeros((2, 2, 7)); s[0, 0, 1] = 30.0; s[0, 1, 0] = 10.0; s[1, 1, 4] = 99.0
    >>> total, share = ruling_support_by_patron(s, 0)
    >>> float(total), share
    (40.0, array([0.75, 0.25]))
    """
    s = np.asarray(support, dtype=float)
    money = np.clip(s[..., _MONEY_IDX], 0.0, None).sum(axis=-1)          # (..., F, P)
    idx = np.broadcast_to(np.asarray(ruling, dtype=np.intp), money.shape[:-2])[..., None, None]
    by_patron = np.take_along_axis(money, idx, axis=-2)[..., 0, :]        # (..., P)
    total = sum_last(by_patron)
    share = np.divide(by_patron, total[..., None], out=np.zeros_like(by_patron),
                      where=total[..., None] > 0)
    return total, share


def alignment_utilities(precarity: ArrayLike, support_share: ArrayLike, affinity: ArrayLike,
                        threat_value: ArrayLike, p: EliteParams) -> Array:
    """Utilities of aligning with each patron; the last column is non-alignment (utility 0).

    Parameters
    ----------
    precarity
        ``(...)`` incumbent precarity in [0, 1] (:func:`precarity`).
    support_share
        ``(..., P)`` share of the ruling faction's support that came from each patron, in [0, 1].
    affinity
        ``(..., P)`` ideological affinity of the ruling faction with each patron, in [-1, 1] (E14).
    threat_value
        ``(..., P)`` value of aligning with p against a common threat, in [0, 1] (paper Y, Y5).

    Returns
    -------
    ndarray ``(..., P + 1)``

    Examples
    --------
    >>> import numpy as np
    >>> np.round(alignment_utilities(0.5, np.array([0.9, 0.1]), np.zeros(2), np.zeros(2), EliteParams()), 3)
    array([ 0.745, -0.769,  0.   ])
    """
    fast = _fast_utilities(precarity, support_share, affinity, threat_value, p)
    if fast is not None:                 # the same numbers from one compiled loop
        return fast
    prec = np.clip(np.asarray(precarity, dtype=float), 0.0, 1.0)[..., None]
    share = np.clip(np.asarray(support_share, dtype=float), 0.0, 1.0)
    aff = np.clip(np.asarray(affinity, dtype=float), -1.0, 1.0)
    thr = np.clip(np.asarray(threat_value, dtype=float), 0.0, 1.0)
    u = p.security_weight * prec * share + p.affinity_weight * aff + p.threat_weight * thr \
        - p.autonomy_cost
    none = np.zeros(u.shape[:-1] + (1,))
    return np.concatenate([u, none], axis=-1)


def choice_probabilities(utilities: ArrayLike, available: ArrayLike, p: EliteParams) -> Array:
    """McFadden logit over patrons and non-alignment, scale ``logit_scale`` (E8, E13).

    Unavailable options get 0 (a patron that has split with the client, E13); non-alignment (last
    column) is always available. Rows sum to 1.

    Examples
    --------
    >>> import numpy as np
    >>> u = np.array([0.8, -0.8, 0.0])
    >>> np.round(choice_probabilities(u, np.array([True, True, True]), EliteParams()), 3)
    array([0.805, 0.033, 0.162])
    >>> np.round(choice_probabilities(u, np.array([False, True, True]), EliteParams()), 3)
    array([0.   , 0.168, 0.832])
    """
    u = np.asarray(utilities, dtype=float)
    fast = _fast_logit(u, available, p.logit_scale)
    if fast is not None:                 # the same numbers from two compiled loops around numpy's exp
        return fast
    av = np.array(np.broadcast_to(np.asarray(available, dtype=bool), u.shape))
    av[..., -1] = True
    z = np.where(av, p.logit_scale * u, -np.inf)
    z = z - max_full(z)
    w = np.where(av, np.exp(z), 0.0)
    return w / sum_full(w)


def alliance_relief(precarity: ArrayLike, aligned: ArrayLike, p: EliteParams) -> Array:
    """Precarity after alliance membership: ``precarity * (1 - relief * aligned)`` (E10).

    "Accession to NATO put an end to the domestic political struggle and lent stability to the De
    Gasperi government" (paper E, Italy section).

    Examples
    --------
    >>> import numpy as np
    >>> alliance_relief(np.array([0.4, 0.4]), np.array([True, False]), EliteParams())
    array([0.2, 0.4])
    """
    prec = np.clip(np.asarray(precarity, dtype=float), 0.0, 1.0)
    member = np.asarray(aligned, dtype=bool)
    return prec * (1.0 - p.alliance_relief * member)


def aid_without_alliance(precarity: ArrayLike, p: EliteParams) -> Array:
    """P(a client takes an alternative patron's aid without joining its bloc) (E13).

    Logistic, high for a strong (low-precarity) incumbent:
    ``1 / (1 + exp(steepness * (precarity - threshold)))``. Tito "could forgo too close relations
    with any power due to his strong political position" (paper E, Yugoslavia section).

    Examples
    --------
    >>> import numpy as np
    >>> np.round(aid_without_alliance(np.array([0.05, 0.8, 0.99]), EliteParams()), 3)
    array([1.   , 0.818, 0.401])
    """
    prec = np.clip(np.asarray(precarity, dtype=float), 0.0, 1.0)
    return np.asarray(expit(p.aid_only_steepness * (p.aid_only_threshold - prec)), dtype=float)
