"""E21: negative instruments (sanctions, embargoes, cut quotas, blockades, reparations/extraction,
withdrawn aid): economic damage to the government they target.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..elite import EliteParams

__all__ = ["affront_hazard", "damage_share", "rally_factor", "support_loss"]


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
