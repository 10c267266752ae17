"""Patron–client dynamics: ambition, split, instigated coups and purges (paper E: E11, E12).

"Moscow's support boosted Tito's regional ambitions" and "additional Soviet assistance further
fueled Belgrade's regional ambitions, which collided with the interests of Moscow's other allies.
As a result, the Soviet Union had to make a choice, which provoked a split" (paper E). The patron
then called on the "healthy elements of the party" to replace the leadership; "approximately 20
percent of the party members were on Stalin's side"; the attempt failed because Tito's "power was
based on people's support and control of the armed forces", and he purged the Cominformists.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .contest import _pair
from .params import EliteParams

__all__ = ["instigated_coup_success", "purge", "split_hazard", "update_ambition"]

Array = NDArray[np.float64]


def update_ambition(ambition: ArrayLike, support_total: ArrayLike, need: ArrayLike,
                    p: EliteParams) -> Array:
    """Next period's client ambition (>= 0): support beyond need builds it (E11).

    ``a' = (1 - decay) * a + rate * log1p(max(total - need, 0) / max(need, need_floor))``; support
    at or below need only lets ambition decay.

    Parameters
    ----------
    ambition
        ``(...)`` current ambition stock (ambition units, >= 0).
    support_total
        ``(...)`` support the ruling faction received this period (million USD).
    need
        ``(...)`` what it needed this period to hold power (million USD).

    Examples
    --------
    >>> import numpy as np
    >>> np.round(update_ambition(np.zeros(2), np.array([10.0, 100.0]), 10.0, EliteParams()), 3)
    array([0.   , 1.138])
    """
    a = np.clip(np.asarray(ambition, dtype=float), 0.0, None)
    total = np.clip(np.asarray(support_total, dtype=float), 0.0, None)
    nd = np.clip(np.asarray(need, dtype=float), 0.0, None)
    excess = np.clip(total - nd, 0.0, None) / np.maximum(nd, p.need_floor)
    return (1.0 - p.ambition_decay) * a + p.ambition_rate * np.log1p(excess)


def split_hazard(ambition: ArrayLike, p: EliteParams) -> Array:
    """Per-period hazard of a patron–client split from client ambition: ``1 - exp(-rate * a)`` (E11).

    Examples
    --------
    >>> import numpy as np
    >>> np.round(split_hazard(np.array([0.0, 1.0]), EliteParams()), 3)
    array([0.   , 0.393])
    """
    a = np.clip(np.asarray(ambition, dtype=float), 0.0, None)
    return -np.expm1(-p.split_rate * a)


def instigated_coup_success(pro_patron_share: ArrayLike, leader_support: ArrayLike,
                            leader_coercion: ArrayLike, p: EliteParams) -> Array:
    """P(a patron's "healthy elements" replace the leader) (E12).

    Pairwise Tullock contest (``r = r_coup``) of the pro-patron elite share against the leader's
    ``coercion + w_legit * mass support``: increasing in the pro-patron share, decreasing in the
    leader's mass support and coercive control; 0 without pro-patron elites.

    Examples
    --------
    >>> import numpy as np
    >>> p = EliteParams()
    >>> tito = instigated_coup_success(0.2, 0.8, 1.0, p)          # Yugoslavia 1948
    >>> weak = instigated_coup_success(0.2, 0.2, 0.05, p)
    >>> bool(tito < 0.05 < 0.3 < weak)
    True
    """
    plotters = np.clip(np.asarray(pro_patron_share, dtype=float), 0.0, 1.0)
    leader = np.clip(np.asarray(leader_coercion, dtype=float), 0.0, None) \
        + p.coup_legitimacy_weight * np.clip(np.asarray(leader_support, dtype=float), 0.0, 1.0)
    plotters, leader = np.broadcast_arrays(plotters, leader)
    return _pair(plotters, leader, p.r_coup)


def purge(pro_patron_share: ArrayLike, p: EliteParams) -> Array:
    """Pro-patron elite share after the leader's purge: ``share * (1 - purge_intensity)`` (E12).

    Examples
    --------
    >>> import numpy as np
    >>> np.round(purge(np.array([0.2]), EliteParams()), 3)
    array([0.06])
    """
    return np.clip(np.asarray(pro_patron_share, dtype=float), 0.0, 1.0) * (1.0 - p.purge_intensity)
