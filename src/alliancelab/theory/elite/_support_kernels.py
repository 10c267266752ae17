"""Mass-support shares (:func:`.support.mass_support_shares`) as two compiled loops (numba) around
numpy's ``exp``, which stays in numpy (numba's differs in the last bit).

The first pass forms the utilities, their maximum over the active factions and the exponent's
argument; numpy exponentiates; the second pass normalises. Every operation is the numpy path's, in
its order, so the numbers are identical (``tests/engine/test_jit.py``). Used for ``(runs, clients,
factions)`` operands; ``None`` otherwise (the caller's numpy path runs).
"""

from __future__ import annotations

import numpy as np

from ... import _compiled
from ..._compiled import compiled

__all__ = ["softmax_shares"]


@compiled
def _arguments(base, effect, shock, act):  # noqa: ANN001, ANN202
    R, C, F = act.shape
    arg = np.empty((R, C, F))
    u = np.empty(F)
    for r in range(R):
        for c in range(C):
            top = -np.inf
            for f in range(F):
                u[f] = base[r, c, f] + effect[r, c, f] + shock[r, c, f]
                m = u[f] if act[r, c, f] else -np.inf
                top = m if f == 0 else (top if top > m else m)     # numpy's maximum: b unless a > b
            if not np.isfinite(top):
                top = 0.0
            for f in range(F):
                arg[r, c, f] = u[f] - top if act[r, c, f] else 0.0
    return arg


def softmax_shares(base: np.ndarray, effect: np.ndarray, shock: np.ndarray,
                   act: np.ndarray) -> np.ndarray | None:
    """:func:`.support.mass_support_shares` for float operands broadcasting to a 3-d ``act`` with
    fewer than 8 factions; ``None`` when the kernels are off or the case is other."""
    if not _compiled.ENABLED or act.ndim != 3 or act.shape[-1] >= 8:
        return None
    shape = act.shape
    try:
        ops = [np.broadcast_to(np.asarray(x, dtype=float), shape) for x in (base, effect, shock)]
    except ValueError:
        return None
    arg = _arguments(*ops, act)
    return _compiled.normalise_active(np.exp(arg), act)
