"""E18: the incumbent re-weighs its alignment every period; a patron backing its rivals is purged
before the ruler leaves (paper E, Yugoslavia 1948, generalised).

The ruler's utilities are those of the first choice (:func:`alliancelab.theory.elite.alignment_utilities`)
with three triggers subtracted from a patron's utility (its backing of the ruler's rivals, its failure
to help under threat) and a status-quo inertia added to the current option (random-utility switching
cost). A rival's better offer and a new threat act through the same utilities.

A formal alliance adds a commitment cost to breaking it (audience and reputation costs of a treaty:
Fearon 1997; Leeds 2003; Gibler 2008), and the ruler's idiosyncratic taste for its options persists
while it stays in the alliance: its random-utility shocks are drawn once, conditional on the choice it
made (the Gumbel-max structural model of Oberst & Sontag 2019; top-down sampling, Maddison, Tarlow &
Minka 2014), so that re-weighing the same utilities never reverses a decision -- only a change in the
utilities (a reason) can (:func:`persistent_shocks`, :func:`leaves`).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..elite import EliteParams

__all__ = ["abandonment", "leaves", "persistent_shocks", "purge_success", "reweigh_utilities", "rival_backing"]


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
                      abandoned: ArrayLike, sitting: ArrayLike, p: EliteParams, *,
                      formal: ArrayLike = False) -> NDArray[np.float64]:
    """Utilities ``(..., P + 1)`` (last: non-alignment) of a ruler re-weighing its alignment.

    Where ``sitting`` (a ruler re-weighing a decision it made: it did not just take power), ``U_p -
    rival_backing_weight x backing_rivals_p - abandonment_weight x abandoned_p`` and
    ``+ alignment_inertia`` on option ``current`` (index ``P`` = non-alignment); elsewhere (a first
    choice, a new ruler) the utilities are unchanged: H1 already counts who supported the ruler.
    Where ``formal`` (the state is in a treaty alliance with ``current``), ``+ treaty_commitment``
    replaces the inertia, for any ruler, sitting or new: the treaty binds the state, and breaking it
    costs audience and reputation (Fearon 1997; Leeds 2003; Gibler 2008). A member's taste shocks
    persist (:func:`persistent_shocks`), which carries the status quo's persistence itself (Heckman
    1981: heterogeneity versus true state dependence); the inertia stands in for it where choices are
    re-drawn with fresh shocks (an informal alignment).

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
    bonus = np.where(np.asarray(formal, dtype=bool), p.treaty_commitment, p.alignment_inertia * sit)
    return u + onehot * bonus[..., None]


def persistent_shocks(logits: ArrayLike, chosen: ArrayLike, uniforms: ArrayLike) -> NDArray[np.float64]:
    """Gumbel taste shocks ``(..., K)`` of a chooser that picked ``chosen`` under ``logits``, drawn from
    their distribution given that choice: ``argmax(logits + shocks) == chosen`` always.

    The maximum is ``G ~ Gumbel(logsumexp(logits))`` and every other option's perturbed utility is a
    Gumbel with location ``logits_k`` truncated below ``G`` (Maddison, Tarlow & Minka 2014; the
    counterfactual Gumbel-max model of Oberst & Sontag 2019). ``uniforms (..., K)`` in (0, 1): the
    chosen option's entry draws ``G``, the others their truncated Gumbels. Options with logit ``-inf``
    (unavailable) get shock 0.

    Examples
    --------
    >>> import numpy as np
    >>> z = np.array([0.0, 2.0, 1.0])
    >>> e = persistent_shocks(z, 0, np.array([0.3, 0.6, 0.9]))
    >>> int(np.argmax(z + e))
    0
    """
    z = np.asarray(logits, dtype=float)
    u = np.clip(np.asarray(uniforms, dtype=float), 1e-12, 1.0 - 1e-12)
    avail = np.isfinite(z)
    zf = np.where(avail, z, -np.inf)
    top = zf.max(-1, keepdims=True)
    lse = top + np.log(np.exp(zf - top).sum(-1, keepdims=True))
    g = -np.log(-np.log(u))                                    # standard Gumbel draws
    cur = np.asarray(chosen, dtype=np.intp)[..., None]
    gmax = np.take_along_axis(lse + g, cur, -1)                # (..., 1) the maximum
    free = np.where(avail, z + g, -np.inf)                     # untruncated perturbed utilities
    with np.errstate(over="ignore"):
        trunc = -np.log(np.exp(-gmax) + np.exp(-free))        # Gumbel(z_k) truncated below gmax
    pert = np.where(np.arange(z.shape[-1]) == cur, gmax, trunc)
    return np.where(avail, pert - np.where(avail, z, 0.0), 0.0)


def leaves(logits: ArrayLike, current: ArrayLike, shocks: ArrayLike) -> NDArray[np.bool_]:
    """Whether a chooser with persistent ``shocks`` now prefers another option than ``current``:
    ``argmax(logits + shocks) != current`` over the available options (logit ``-inf`` = unavailable).

    Examples
    --------
    >>> import numpy as np
    >>> z = np.array([1.0, 0.0, 0.0]); e = persistent_shocks(z, 0, np.full(3, 0.5))
    >>> bool(leaves(z, 0, e)), bool(leaves(z - np.array([5.0, 0.0, 0.0]), 0, e))
    (False, True)
    """
    z = np.asarray(logits, dtype=float)
    v = np.where(np.isfinite(z), z + np.asarray(shocks, dtype=float), -np.inf)
    return np.argmax(v, axis=-1) != np.asarray(current, dtype=np.intp)


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
