"""The budget's reach (Y24): Y7's affordability bounds paper Y's bid for a client, not H1's stake."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["affordable_will"]


def affordable_will(will_y: ArrayLike, stake: ArrayLike, afford: ArrayLike) -> NDArray[np.float64]:
    """A patron's will to ally under its budget, ``max(will_y x afford, stake)``.

    Paper Y (Y7, Yu §3): in a low confrontation the great powers "need to bid for the loyalty of lesser
    states", and the bidding's expense is what a patron's budget must cover (``afford`` = budget /
    maintenance cost, in [0, 1]); so the budget bounds the will paper Y's structure gives the patron
    (``will_y``: disparity and threat). Paper E, H1: a patron that supported a faction into power
    accepts the alliance "it has been working for" (E8's ``stake`` = interest x its share of the
    ruler's support): it has already paid for that loyalty, out of the budget that paid the support,
    and the group that has come to power allies with the state that provided the assistance. So the
    budget does not scale the stake. A patron with no budget for the client at all (``afford`` 0: it
    will spend nothing on it) keeps no alliance by either route: Y7's bound at zero stands. With no
    stake (0) this is Y7's ``will_y x afford``; the result is in [0, 1], never below paper Y's bound,
    never above ``max(will_y, stake)``, and equals ``max(will_y, stake)`` when the budget covers the cost.

    Examples
    --------
    >>> import numpy as np
    >>> affordable_will(0.3, np.array([0.0, 0.6]), 1 / 3).round(3).tolist()
    [0.1, 0.6]
    >>> float(affordable_will(0.3, 0.6, 0.0))
    0.0
    """
    w = np.clip(np.asarray(will_y, dtype=float), 0.0, 1.0)
    s = np.clip(np.asarray(stake, dtype=float), 0.0, 1.0)
    a = np.clip(np.asarray(afford, dtype=float), 0.0, 1.0)
    return np.maximum(w * a, np.where(a > 0, s, 0.0))
