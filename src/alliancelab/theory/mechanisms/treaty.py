"""Treaty terms (Y17): at the end of an alliance treaty's term, renewal is a fresh decision by both sides."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..elite import EliteParams, choice_probabilities

__all__ = ["renewal_probability"]


def renewal_probability(utilities: ArrayLike, available: ArrayLike, current: ArrayLike, acceptance: ArrayLike,
                        p: EliteParams) -> NDArray[np.float64]:
    """Probability that an alliance whose treaty's term ends is renewed (Y17).

    The treaty lapses unless both sides sign again, each deciding afresh on the present threat, disparity
    and support, as at a formation: the client keeps patron ``current`` with its logit choice probability
    over ``utilities`` ``(..., P + 1)`` (last: non-alignment) -- without the expiring treaty's commitment,
    and with ``current`` available even where the patron is closed to new alliances -- and the patron
    accepts with ``acceptance`` (its formation probability for the client, paper Y, or its stake, H1).
    The two decisions are independent: ``P(renew) = choice_current x acceptance``, in [0, 1].

    Examples
    --------
    >>> import numpy as np
    >>> round(float(renewal_probability(np.array([0.0, 0.0]), np.array([True, True]), 0, 0.5,
    ...                                 EliteParams())), 3)
    0.25
    """
    u = np.asarray(utilities, dtype=float)
    cur = np.asarray(current, dtype=np.intp)
    av = np.array(np.broadcast_to(np.asarray(available, dtype=bool), u.shape))
    av |= cur[..., None] == np.arange(u.shape[-1])
    keep = np.take_along_axis(choice_probabilities(u, av, p), cur[..., None], -1)[..., 0]
    return keep * np.clip(np.asarray(acceptance, dtype=float), 0.0, 1.0)
