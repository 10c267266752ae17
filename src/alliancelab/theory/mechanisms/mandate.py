"""E1m: a ruler carried to power by the public (a won election, the crowd's ouster of its predecessor)
starts with a mandate -- a honeymoon of mass support that fades."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ... import _compiled
from ..._compiled import compiled
from ..elite import EliteParams

__all__ = ["update_mandate"]


def update_mandate(mandate: ArrayLike, new_ruler: ArrayLike, popular: ArrayLike, changed: ArrayLike,
                   p: EliteParams) -> NDArray[np.float64]:
    """Next period's mandate (logit units added to each faction's baseline mass support), ``(..., F)``.

    Where the ruler ``changed`` by a popular route (``popular``: it won a held election or the crowd
    that ousted its predecessor put it in), the new ruler's entry is ``mandate_weight`` and every other
    entry 0; where it changed otherwise (a coup), all entries are 0 (an unelected ruler has no
    mandate, and the fallen ruler's is gone); where it did not change, the mandate fades at the rate
    of broad support, ``(1 - stock_decay_broad)`` a period (E3: the public's support is a stock that
    decays). The presidential-approval literature's honeymoon: new leaders start well above their
    later approval and lose it over the term (Mueller 1970; Carlin et al. 2018 for 18 Latin
    American democracies), and revolutionary winners win their founding votes by landslides
    (Georgia Jan 2004, Kyrgyzstan July 2005). Non-negative, at most ``mandate_weight``; non-increasing
    while the ruler stays.

    Examples
    --------
    >>> import numpy as np
    >>> p = EliteParams()
    >>> m = update_mandate(np.zeros((3, 2)), np.array([1, 1, 0]), np.array([True, False, False]),
    ...                    np.array([True, True, False]), p)
    >>> m.tolist() == [[0.0, p.mandate_weight], [0.0, 0.0], [0.0, 0.0]]
    True
    >>> float(update_mandate(m, np.array([1, 1, 0]), False, False, p)[0, 1]) == p.mandate_weight * 0.9
    True
    """
    fast = _update_compiled(mandate, new_ruler, popular, changed, p)
    if fast is not None:                 # the same numbers from one compiled loop
        return fast
    m = np.clip(np.asarray(mandate, dtype=float), 0.0, None)
    F = m.shape[-1]
    ruler = np.asarray(new_ruler)[..., None] == np.arange(F)
    fresh = np.where(ruler & np.asarray(popular, dtype=bool)[..., None], p.mandate_weight, 0.0)
    kept = m * (1.0 - p.stock_decay_broad)
    return np.where(np.asarray(changed, dtype=bool)[..., None], fresh, kept)


@compiled
def _update(m, ruler, popular, changed, weight, keep):  # noqa: ANN001, ANN202
    R, C, F = m.shape
    out = np.empty((R, C, F))
    for r in range(R):
        for c in range(C):
            ch = changed[r, c]
            fresh_here = popular[r, c]
            ru = ruler[r, c]
            for f in range(F):
                if ch:
                    out[r, c, f] = weight if (fresh_here and f == ru) else 0.0
                else:
                    x = m[r, c, f]
                    x = x if x > 0.0 else 0.0             # np.clip(m, 0, None): -0.0 gives +0.0
                    out[r, c, f] = x * keep
    return out


def _update_compiled(mandate: ArrayLike, new_ruler: ArrayLike, popular: ArrayLike, changed: ArrayLike,
                     p: EliteParams) -> NDArray[np.float64] | None:
    """:func:`update_mandate` for (R, C, F) float64 ``mandate``, (R, C) operands and scalar parameters;
    ``None`` otherwise (the numpy path runs)."""
    if not _compiled.ENABLED or not isinstance(mandate, np.ndarray) or mandate.ndim != 3 \
            or mandate.dtype != np.float64 or np.ndim(p.mandate_weight) or np.ndim(p.stock_decay_broad):
        return None
    shape = mandate.shape[:2]
    if any(np.shape(x) != shape for x in (new_ruler, popular, changed)):
        return None
    return _update(mandate, np.asarray(new_ruler), np.asarray(popular, dtype=bool),
                   np.asarray(changed, dtype=bool), float(p.mandate_weight), 1.0 - p.stock_decay_broad)
