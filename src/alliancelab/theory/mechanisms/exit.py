"""E18: the incumbent re-weighs its alignment every period; a patron backing its rivals is purged
before the ruler leaves (paper E, Yugoslavia 1948, generalised).

The ruler's utilities are those of the first choice (:func:`alliancelab.theory.elite.alignment_utilities`)
with three triggers subtracted from a patron's utility (its backing of the ruler's rivals, its failure
to help under threat) and a status-quo inertia added to the current option (random-utility switching
cost). A rival's better offer and a new threat act through the same utilities.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..elite import EliteParams

__all__ = ["abandonment", "purge_success", "reweigh_utilities", "rival_backing"]


def rival_backing(received: ArrayLike, ruler_mask: ArrayLike) -> NDArray[np.float64]:
    """Share of each patron's money in the client that went to factions other than the ruler's,
    ``(..., P)`` from ``received (..., F, P)`` and the ruler mask ``(..., F)``; 0 for a patron that
    gave nothing.

    Examples
    --------
    >>> import numpy as np
    >>> float(rival_backing(np.array([[10.0], [30.0]]), np.array([True, False]))[0])
    0.75
    """
    r = np.clip(np.asarray(received, dtype=float), 0.0, None)
    m = np.asarray(ruler_mask, dtype=bool)[..., None]
    tot = r.sum(-2)
    rivals = np.where(m, 0.0, r).sum(-2)
    return np.divide(rivals, tot, out=np.zeros_like(tot), where=tot > 0)


def abandonment(threat: ArrayLike, help_delivered: ArrayLike) -> NDArray[np.float64]:
    """How much a patron failed its client under threat: ``threat x (1 - help)``, in [0, 1]
    (Snyder 1984's abandonment). Non-decreasing in the threat, non-increasing in the help.

    Examples
    --------
    >>> float(abandonment(0.8, 0.25))
    0.6000000000000001
    """
    t = np.clip(np.asarray(threat, dtype=float), 0.0, 1.0)
    h = np.clip(np.asarray(help_delivered, dtype=float), 0.0, 1.0)
    return t * (1.0 - h)


def reweigh_utilities(utilities: ArrayLike, current: ArrayLike, backing_rivals: ArrayLike,
                      abandoned: ArrayLike, sitting: ArrayLike, p: EliteParams) -> NDArray[np.float64]:
    """Utilities ``(..., P + 1)`` (last: non-alignment) of a ruler re-weighing its alignment.

    Where ``sitting`` (a ruler re-weighing a decision it made: it did not just take power), ``U_p -
    rival_backing_weight x backing_rivals_p - abandonment_weight x abandoned_p`` and
    ``+ alignment_inertia`` on option ``current`` (index ``P`` = non-alignment); elsewhere (a first
    choice, a new ruler) the utilities are unchanged: H1 already counts who supported the ruler.

    Examples
    --------
    >>> import numpy as np
    >>> u = reweigh_utilities(np.array([1.0, 0.5, 0.0]), 0, np.array([0.5, 0.0]), np.zeros(2), True,
    ...                       EliteParams())
    >>> u.tolist()
    [1.0, 0.5, 0.0]
    """
    u = np.array(utilities, dtype=float)
    rb = np.clip(np.asarray(backing_rivals, dtype=float), 0.0, 1.0)
    ab = np.clip(np.asarray(abandoned, dtype=float), 0.0, 1.0)
    sit = np.asarray(sitting, dtype=float)
    u[..., :-1] -= sit[..., None] * (p.rival_backing_weight * rb + p.abandonment_weight * ab)
    cur = np.asarray(current, dtype=np.intp)
    onehot = cur[..., None] == np.arange(u.shape[-1])
    return u + onehot * (p.alignment_inertia * sit)[..., None]


def purge_success(ruler_strength: ArrayLike, rival_strength: ArrayLike, r: float) -> NDArray[np.float64]:
    """P(the ruler purges the faction a patron backs): a Tullock contest (Tullock 1980) of coercive
    strengths, ``x^r / (x^r + y^r)``; 1 against a rival with no strength.

    Examples
    --------
    >>> float(purge_success(1.0, 1.0, 2.0)), float(purge_success(1.0, 0.0, 2.0))
    (0.5, 1.0)
    """
    x = np.clip(np.asarray(ruler_strength, dtype=float), 0.0, None) ** r
    y = np.clip(np.asarray(rival_strength, dtype=float), 0.0, None) ** r
    tot = x + y
    return np.divide(x, tot, out=np.ones_like(tot), where=tot > 0)
