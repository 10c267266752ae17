"""E21: negative instruments (sanctions, embargoes, cut quotas, blockades, reparations/extraction,
withdrawn aid): economic damage to the government they target.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..elite import EliteParams

__all__ = ["affront_hazard", "damage_share", "donor_withholds", "rally_factor", "support_loss"]


def damage_share(amount: ArrayLike, p: EliteParams) -> NDArray[np.float64]:
    """Economic damage as a share in [0, 1): ``amount / (amount + scale_pressure)`` (saturating).

    Examples
    --------
    >>> float(damage_share(100.0, EliteParams()))
    0.5
    """
    a = np.clip(np.asarray(amount, dtype=float), 0.0, None)
    return a / (a + p.scale_pressure)


def rally_factor(ruler_share: ArrayLike, hostility: ArrayLike, p: EliteParams) -> NDArray[np.float64]:
    """Share of the support loss reversed by rallying round the flag (Mueller 1970):
    ``rally_weight x ruler's mass share x hostility to the sanctioner`` in [0, 1]; a popular
    nationalist ruler (high share, negative affinity to the sanctioner) loses least.

    Examples
    --------
    >>> float(rally_factor(0.8, 1.0, EliteParams()))
    0.4
    """
    s = np.clip(np.asarray(ruler_share, dtype=float), 0.0, 1.0)
    h = np.clip(np.asarray(hostility, dtype=float), 0.0, 1.0)
    return np.clip(p.rally_weight * s * h, 0.0, 1.0)


def support_loss(amount: ArrayLike, rally: ArrayLike, weight: float, p: EliteParams) -> NDArray[np.float64]:
    """Loss of the ruler's mass-support logit, ``weight x log1p(amount / scale_pressure) x (1 - rally)``:
    the support response of paper E's instruments with the opposite sign (one concave form for all
    instruments, MODELING_NOTES). Non-decreasing in the amount, non-increasing in the rally.

    Examples
    --------
    >>> round(float(support_loss(100.0, 0.0, 0.5, EliteParams())), 4)
    0.3466
    """
    a = np.clip(np.asarray(amount, dtype=float), 0.0, None)
    r = np.clip(np.asarray(rally, dtype=float), 0.0, 1.0)
    return weight * np.log1p(a / p.scale_pressure) * (1.0 - r)


def affront_hazard(own_pressure: ArrayLike, p: EliteParams) -> NDArray[np.float64]:
    """E21c: yearly probability that a ruler whose own ally presses it *by name* (items aimed at the
    ruler's faction, not at the state) challenges that ally -- a crisis of the alliance the patron then
    answers (Y3, Y12). The affront's weight is the pressure's damage share: ``damage_share(A_own)``.

    Examples
    --------
    >>> float(affront_hazard(100.0, EliteParams()))
    0.5
    >>> float(affront_hazard(0.0, EliteParams()))
    0.0
    """
    return damage_share(own_pressure, p)


def donor_withholds(allied_elsewhere: ArrayLike, ruler_affinity: ArrayLike,
                    tolerance: ArrayLike) -> NDArray[np.bool_]:
    """Where a donor withholds its aid to the state (the ``faction: ruling`` items) and its forces
    from the ruler, ``(..., P)`` bool: the ruler is allied with another patron (E21h), or (E21b) the
    ruling faction is averse to the donor (its affinity for it below 0) and the donor does not
    tolerate defiance (its ``tolerance`` below the middle of its scale, 0.5).

    Aid to a state follows the donor's interest in the government that receives it (Alesina & Dollar
    2000: aid allocation follows UN-voting alignment; Kuziemko & Werker 2006; Baldwin 1985: aid is
    withheld from an adversary). A tolerant donor courts an averse government with aid (a wedge: U.S.
    aid to Tito from 1949); an intolerant one treats it as an adversary's client and uses the stick
    (Russia's gas prices to pro-Western neighbours: Stern 2006; Newnham 2011). Monotone: a more
    averse ruler, or a less tolerant donor, is never paid where the other is withheld from.

    Examples
    --------
    >>> import numpy as np
    >>> donor_withholds(np.array([False, False, False, True]), np.array([0.5, -0.3, -0.3, 0.5]),
    ...                 np.array([0.3, 0.3, 0.7, 0.7])).tolist()
    [False, True, False, True]
    """
    averse = np.asarray(ruler_affinity, dtype=float) < 0.0
    intolerant = np.asarray(tolerance, dtype=float) < 0.5
    return np.asarray(allied_elsewhere, dtype=bool) | (averse & intolerant)
