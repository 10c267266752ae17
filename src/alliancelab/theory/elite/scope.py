"""Scope conditions of the elite theory (paper E: E7).

"Firstly, the external force should be interested in the success of a particular elite group ...
Secondly, it is implied that there are alternative external partners, each of which stakes on its
own supporters" (paper E, theory section). Outside these conditions the model warns instead of
forecasting silently.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["scope_violations"]

_NO_INTEREST = ("E7(a) outside the elite theory's scope: no patron is interested in the success "
                "of any faction{where}; the forecast rests on domestic factors only.")
_ONE_PATRON = ("E7(b) outside the elite theory's scope: {what}{where}; the theory assumes "
               "alternative external partners, each backing its own supporters.")


def _where(mask: np.ndarray, names: Sequence[str] | None) -> str:
    if mask.ndim == 0:
        return ""
    flat = mask.reshape(-1)
    if names is not None and len(names) == flat.size:
        hit = [str(n) for n, m in zip(names, flat) if m]
        return " (" + ", ".join(hit) + ")"
    return f" (in {int(flat.sum())} of {flat.size} cases)"


def scope_violations(patron_interest: ArrayLike, n_patrons_backing: ArrayLike, *,
                     names: Sequence[str] | None = None) -> list[str]:
    """Human-readable warnings for scenarios outside the theory's scope (E7); ``[]`` when inside.

    Parameters
    ----------
    patron_interest
        ``(..., P)`` each patron's interest in some faction's success (bool, or a weight > 0).
    n_patrons_backing
        ``(...)`` number of patrons actually backing a faction.
    names
        Optional labels of the flattened leading cells (e.g. client names) to name in messages.

    Examples
    --------
    >>> import numpy as np
    >>> scope_violations(np.array([True, True]), 2)
    []
    >>> scope_violations(np.array([False, False]), 0)   # doctest: +NORMALIZE_WHITESPACE
    ["E7(a) outside the elite theory's scope: no patron is interested in the success of any
    faction; the forecast rests on domestic factors only.", "E7(b) outside the elite theory's
    scope: no patron backs any faction; the theory assumes alternative external partners, each
    backing its own supporters."]
    >>> scope_violations(np.array([[True, False], [True, True]]), np.array([1, 2]),
    ...                  names=["Italy", "Yugoslavia"])   # doctest: +NORMALIZE_WHITESPACE
    ["E7(b) outside the elite theory's scope: only one patron backs a faction (Italy); the theory
    assumes alternative external partners, each backing its own supporters."]
    """
    interest = np.asarray(patron_interest)
    interested = np.any(interest.astype(float) > 0, axis=-1)
    n = np.broadcast_to(np.asarray(n_patrons_backing), interested.shape)
    messages = []
    none_interested = ~interested
    if none_interested.any():
        messages.append(_NO_INTEREST.format(where=_where(none_interested, names)))
    zero = n < 1
    one = n == 1
    if zero.any():
        messages.append(_ONE_PATRON.format(what="no patron backs any faction",
                                           where=_where(zero, names)))
    if one.any():
        messages.append(_ONE_PATRON.format(what="only one patron backs a faction",
                                           where=_where(one, names)))
    return messages
