"""E13b: non-alignment keeps every bidder; a treaty with one patron forfeits its rivals' support.

Paper E's E13 (Tito 1949-55, equidistance after 1955) and E19's "alignment with two rival patrons needs
rival bidders": a ruler courted by rival patrons keeps both flows only while it stays out of either camp.
A donor does not keep paying a government that has joined its rival's camp (E21h, Baldwin 1985), so the
ruler's choice anticipates it. E13p: only a rival's camp -- a donor keeps paying a government that joins
its friend, as Moscow kept up the aid to Syria it had agreed (Oct 1957) after Syria joined its client Egypt (Feb 1958).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["rival_support_loss", "rivalry"]


def rival_support_loss(precarity: ArrayLike, support_share: ArrayLike,
                       security_weight: float, rivals: ArrayLike | None = None) -> NDArray[np.float64]:
    """``(..., P)`` utility the ruler forfeits by aligning with each patron: its rivals' support.

    ``loss_p = security_weight x precarity x sum_{q != p} share_q``: the support of every other patron
    ``q``, valued as the alignment utilities value a patron's support for security (H1 with H2:
    ``security_weight x precarity x share``, :func:`alliancelab.theory.elite.alignment_utilities`),
    stops when the ruler joins ``p`` (E21h); non-alignment keeps it. The engine subtracts it from the
    utility of each patron, so the net security of a treaty with ``p`` is ``security_weight x
    precarity x (share_p - sum_{q != p} share_q)``.

    Properties: 0 with a single bidder (a precarious ruler with one patron still seeks it, H2);
    non-negative; non-decreasing in precarity and in the rivals' shares; at most ``security_weight x
    precarity``. No new parameter: the weight is the security weight.

    Parameters
    ----------
    precarity
        ``(...)`` the ruler's precarity without outside support (``prec_alone``), in [0, 1].
    support_share
        ``(..., P)`` each patron's share of the ruler's support (H1) that it would stop if the ruler
        joined another patron, in [0, 1]; the engine passes the share that is aid to the state
        (``faction: ruling`` items, what E21h stops), not the items to a named faction.
    security_weight
        ``elite.security_weight``.
    rivals
        ``(P, P)`` bool, E13p: ``rivals[p, q]`` where a treaty with ``p`` stops ``q``'s aid
        (:func:`alliancelab.theory.mechanisms.rivalry`); ``None``: every other patron (the sum above).

    Examples
    --------
    >>> import numpy as np
    >>> np.round(rival_support_loss(0.5, np.array([0.75, 0.25]), 4.0), 3)
    array([0.5, 1.5])
    >>> np.round(rival_support_loss(0.9, np.array([1.0, 0.0]), 4.0), 3)
    array([0. , 3.6])
    >>> np.round(rival_support_loss(0.5, np.array([0.75, 0.25]), 4.0, np.zeros((2, 2), bool)), 3)
    array([0., 0.])
    """
    prec = np.clip(np.asarray(precarity, dtype=float), 0.0, 1.0)[..., None]
    share = np.clip(np.asarray(support_share, dtype=float), 0.0, 1.0)
    if rivals is None:
        lost = share.sum(axis=-1, keepdims=True) - share
    else:                                   # [..., p] = sum_q rivals[p, q] share[..., q]
        lost = share @ np.asarray(rivals, dtype=float).T
    return np.asarray(security_weight, dtype=float) * prec * lost


def rivalry(listed: ArrayLike) -> NDArray[np.bool_]:
    """``(P, P)`` E13p: ``True`` where two patrons are rivals.

    ``listed[p, q]`` says patron ``p`` counts ``q`` as a rival (the case's ``rivals`` list; every other
    patron where the case lists none). A pair is rivals only if each counts the other: one patron's
    explicit list that leaves the other out is enough to make the pair friends (Egypt and the USSR in
    1955-58). A patron is never its own rival.

    Examples
    --------
    >>> import numpy as np
    >>> rivalry(np.array([[False, True, True], [True, False, True], [True, False, False]]))
    array([[False,  True,  True],
           [ True, False, False],
           [ True, False, False]])
    """
    m = np.asarray(listed, dtype=bool)
    out = m & m.T
    np.fill_diagonal(out, False)
    return out
