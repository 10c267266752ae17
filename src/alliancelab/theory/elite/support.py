"""Patron support and mass support (paper E: E1, E3, E4, E6, E17).

Support arrays have shape ``(..., F, P, I)``: factions, patrons, instruments in the order of
:data:`alliancelab.theory.instruments.INSTRUMENTS`. Amounts are millions of US dollars per period;
``armed_action_commitment`` is in [0, 1] and ``diplomatic_gesture`` in [-1, 1].

The response of mass support to instrument ``i`` is one concave form for every instrument,

    effect_f = w_mass * sum_{p, i in mass} vis * breadth * log1p(amount / scale_i)
               + w_gesture * sum_p gesture_{f,p},

so support shows "people the benefits of cooperation" (E3) with diminishing returns, only as far
as citizens see it (visibility, E17) and it reaches them (breadth, E6), and a patron's stance on the
nation's claim enters with its sign (E4).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._axis import max_full, sum_full
from ..instruments import INSTRUMENTS, MASS_INSTRUMENTS
from ._support_kernels import softmax_shares
from .params import EliteParams

__all__ = [
    "elite_loyalty_effect",
    "mass_support_shares",
    "narrow_support_share",
    "support_effect",
    "update_discontent",
    "update_support_stock",
]

_MASS_IDX = np.array([INSTRUMENTS.index(name) for name in MASS_INSTRUMENTS])
_GESTURE = INSTRUMENTS.index("diplomatic_gesture")

Array = NDArray[np.float64]


def _mass_terms(support: ArrayLike, p: EliteParams) -> Array:
    """``log1p(amount / scale_i)`` for the mass instruments, shape ``(..., F, P, len(MASS))``."""
    s = np.asarray(support, dtype=float)
    amounts = np.clip(s[..., _MASS_IDX], 0.0, None)
    scales = np.asarray(p.scales(), dtype=float)
    return np.log1p(amounts / scales)


def _reach(visibility: ArrayLike, breadth: ArrayLike, shape: tuple[int, ...]) -> Array:
    """visibility x breadth clipped to [0, 1], cut to the mass instruments (broadcastable)."""
    vis = np.clip(np.broadcast_to(np.asarray(visibility, dtype=float), shape), 0.0, 1.0)
    br = np.clip(np.broadcast_to(np.asarray(breadth, dtype=float), shape), 0.0, 1.0)
    return (vis * br)[..., _MASS_IDX]


def _joint(support: ArrayLike, visibility: ArrayLike, breadth: ArrayLike) -> tuple[Array, tuple[int, ...]]:
    """Support broadcast against visibility and breadth (any of them may carry extra leading axes)."""
    s = np.asarray(support, dtype=float)
    shape = np.broadcast_shapes(s.shape, np.shape(visibility), np.shape(breadth))
    return np.broadcast_to(s, shape), shape


def support_effect(support: ArrayLike, visibility: ArrayLike, breadth: ArrayLike,
                   p: EliteParams) -> Array:
    """Shift of each faction's mass-support logit bought by patron support (E3, E4, E6, E17).

    Parameters
    ----------
    support
        ``(..., F, P, I)`` support by faction, patron, instrument (million USD; commitment in
        [0, 1]; gesture in [-1, 1]). Negative amounts of mass instruments count as 0.
    visibility, breadth
        ``(..., F, P, I)`` (or broadcastable) in [0, 1]: how far citizens see the benefit (E17)
        and how much of the population it reaches (E6).
    p
        :class:`EliteParams`.

    Returns
    -------
    ndarray ``(..., F)``
        Logit shift; the gesture term is signed (a patron opposing the nation's claim lowers the
        faction it favours, E4).

    Examples
    --------
    >>> import numpy as np
    >>> s = np.zeros((2, 1, 7)); s[0, 0, 1] = 200.0          # reconstruction to faction 0
    >>> np.round(support_effect(s, 1.0, 1.0, EliteParams()), 3)
    array([0.075, 0.   ])
    >>> s[1, 0, 6] = -1.0                                       # patron opposes the claim
    >>> np.round(support_effect(s, 1.0, 1.0, EliteParams()), 3)
    array([ 0.075, -0.5  ])
    """
    s, shape = _joint(support, visibility, breadth)
    mass = p.mass_effect_weight * np.sum(_reach(visibility, breadth, shape) * _mass_terms(s, p),
                                         axis=(-1, -2))
    gesture = p.gesture_weight * np.sum(np.clip(s[..., _GESTURE], -1.0, 1.0), axis=-1)
    return mass + gesture


def elite_loyalty_effect(support: ArrayLike, visibility: ArrayLike, breadth: ArrayLike,
                         p: EliteParams) -> Array:
    """What invisible or narrow transfers buy: elite cohesion, not mass support (E17, E6).

    ``loyalty_f = w_loyal * sum_{p, i in mass} (1 - vis * breadth) * log1p(amount / scale_i)``,
    in coercion units (the engine may add it to the faction's coercive capacity: a loyal elite
    keeps the army and the apparatus on side).

    Examples
    --------
    >>> import numpy as np
    >>> s = np.zeros((1, 1, 7)); s[0, 0, 0] = 50.0             # economic aid, a preferential loan
    >>> float(np.round(elite_loyalty_effect(s, 0.0, 1.0, EliteParams())[0], 4))   # invisible
    0.0693
    >>> float(elite_loyalty_effect(s, 1.0, 1.0, EliteParams())[0])                 # fully felt
    0.0
    """
    s, shape = _joint(support, visibility, breadth)
    hidden = 1.0 - _reach(visibility, breadth, shape)
    return p.elite_loyalty_weight * np.sum(hidden * _mass_terms(s, p), axis=(-1, -2))


def narrow_support_share(support: ArrayLike, breadth: ArrayLike) -> Array:
    """Amount-weighted share of a faction's mass-instrument support that is narrow, ``(..., F)``.

    ``sum amount * (1 - breadth) / sum amount`` over patrons and mass instruments; 0 without
    support. Feed it to :func:`update_discontent` (E6).

    Examples
    --------
    >>> import numpy as np
    >>> s = np.zeros((1, 2, 7)); s[0, :, 0] = [30.0, 10.0]
    >>> b = np.ones((1, 2, 7)); b[0, 1] = 0.0
    >>> narrow_support_share(s, b)
    array([0.25])
    """
    s, shape = _joint(support, 1.0, breadth)
    amounts = np.clip(s[..., _MASS_IDX], 0.0, None)
    br = np.clip(np.broadcast_to(np.asarray(breadth, dtype=float), shape), 0.0, 1.0)[..., _MASS_IDX]
    total = amounts.sum(axis=(-1, -2))
    narrow = (amounts * (1.0 - br)).sum(axis=(-1, -2))
    return np.divide(narrow, total, out=np.zeros_like(total), where=total > 0)


def update_support_stock(stock: ArrayLike, inflow: ArrayLike, breadth: ArrayLike,
                         p: EliteParams) -> Array:
    """Next period's support stock (logit units): decays faster when support is narrow (E6).

    ``stock' = (1 - d(b)) * stock + inflow`` with
    ``d(b) = stock_decay_broad + (stock_decay_narrow - stock_decay_broad) * (1 - b)``.
    ``inflow`` is this period's :func:`support_effect`; the stock is what the engine adds to a
    faction's baseline logit.

    Examples
    --------
    >>> import numpy as np
    >>> update_support_stock(np.array([1.0, 1.0]), 0.0, np.array([1.0, 0.0]), EliteParams())
    array([0.9, 0.6])
    """
    b = np.clip(np.asarray(breadth, dtype=float), 0.0, 1.0)
    decay = p.stock_decay_broad + (p.stock_decay_narrow - p.stock_decay_broad) * (1.0 - b)
    return (1.0 - decay) * np.asarray(stock, dtype=float) + np.asarray(inflow, dtype=float)


def update_discontent(discontent: ArrayLike, narrow_share: ArrayLike, p: EliteParams) -> Array:
    """Next period's public discontent in [0, 1]: narrow support breeds it, broad lets it fade (E6).

    ``d' = d + rate * n * (1 - d) - decay * (1 - n) * d`` with ``n`` the narrow share
    (:func:`narrow_support_share`); non-decreasing in ``n`` and in ``d``, and stays in [0, 1].

    Examples
    --------
    >>> import numpy as np
    >>> update_discontent(np.array([0.0, 0.5]), np.array([1.0, 0.0]), EliteParams())
    array([0.1  , 0.475])
    """
    d = np.clip(np.asarray(discontent, dtype=float), 0.0, 1.0)
    n = np.clip(np.asarray(narrow_share, dtype=float), 0.0, 1.0)
    out = d + p.discontent_rate * n * (1.0 - d) - p.discontent_decay * (1.0 - n) * d
    return np.clip(out, 0.0, 1.0)


def mass_support_shares(base_logit: ArrayLike, effect: ArrayLike, shock: ArrayLike,
                        active: ArrayLike) -> Array:
    """Factions' shares of mass support: softmax of baseline + support effect + shock (E1).

    Inactive factions (padding) get exactly 0; shares of active factions sum to 1.

    Examples
    --------
    >>> import numpy as np
    >>> np.round(mass_support_shares(np.zeros(3), np.array([1.0, 0.0, 0.0]), 0.0,
    ...                              np.array([True, True, False])), 3)
    array([0.731, 0.269, 0.   ])
    """
    act = np.asarray(active, dtype=bool)
    fast = softmax_shares(base_logit, effect, shock, act)
    if fast is not None:                 # the same numbers from two compiled loops
        return fast
    u = np.asarray(base_logit, dtype=float) + np.asarray(effect, dtype=float) \
        + np.asarray(shock, dtype=float)
    u = np.broadcast_to(u, np.broadcast_shapes(u.shape, act.shape))
    act = np.broadcast_to(act, u.shape)
    masked = np.where(act, u, -np.inf)
    top = max_full(masked)
    top = np.where(np.isfinite(top), top, 0.0)
    w = np.where(act, np.exp(np.where(act, u - top, 0.0)), 0.0)
    total = sum_full(w)
    return np.divide(w, total, out=np.zeros_like(w), where=total > 0)
