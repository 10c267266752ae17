"""Market borrowing (E11m): money a state raises on a bond market is no patron's surplus."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["grant_money"]


def grant_money(money: ArrayLike, market_fraction: ArrayLike) -> NDArray[np.float64]:
    """The part of the money a ruler received that a patron granted, ``money x (1 - market_fraction)``.

    E11 (paper E): a client's ambition grows on support far beyond its need -- a patron's surplus that
    lets it pursue its own course (Tito's Balkan plans on Soviet aid). A state's issues placed with
    private lenders on a foreign bond market (the Paris loans to Russia, 1888-90; the London war loans
    to Japan, 1904-05) are bought at a market price and repaid; they can make the lender's government
    the borrower's main source of money (H1 still counts them), but no patron handed over a surplus.
    ``market_fraction`` in [0, 1] is the share of the money that was market borrowing.

    Examples
    --------
    >>> import numpy as np
    >>> grant_money(np.array([100.0, 100.0]), np.array([0.0, 0.75])).tolist()
    [100.0, 25.0]
    """
    m = np.asarray(money, dtype=float)
    return m * (1.0 - np.clip(np.asarray(market_fraction, dtype=float), 0.0, 1.0))
