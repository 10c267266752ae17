"""Fused kernels of the period loop (numba), each with the plain numpy it replaces.

The engine's hot short-axis reductions run as one compiled loop over ``(runs, clients)``
instead of a chain of numpy calls on ``(runs, clients, factions, patrons)`` temporaries. Every kernel
gives the numpy path's bits exactly: it only copies, compares, adds in numpy's order (a sum over a
short axis in index order from +0.0, a maximum keeping ``b`` unless ``a > b``), multiplies and divides
(correctly rounded either way). No kernel evaluates ``exp``, ``log`` or ``**``: numba's versions
differ from numpy's vectorised ones in the last bit, so those stay in numpy.

Without numba (not installed, or ``ALLIANCELAB_NUMBA=0``) every function runs its numpy path;
``alliancelab._compiled.ENABLED`` switches at call time (``tests/engine/test_jit.py`` asserts both
give identical bytes). The gathers shared with the theory kernels are in :mod:`alliancelab._compiled`.
"""

from __future__ import annotations

import numpy as np

from .. import _compiled
from .._compiled import compiled as _jit

__all__ = ["armed_backing", "rival_backing"]


@_jit
def _rival_backing(received, ruling):  # noqa: ANN001, ANN202
    R, C, F, P = received.shape
    out = np.empty((R, C, P))
    for r in range(R):
        for c in range(C):
            ru = ruling[r, c]
            for p in range(P):
                tot = 0.0
                riv = 0.0
                for f in range(F):
                    v = received[r, c, f, p]
                    v = v if v > 0.0 else 0.0          # np.clip(v, 0, None): -0.0 and 0 give +0.0
                    tot += v
                    riv += 0.0 if f == ru else v
                out[r, c, p] = riv / tot if tot > 0 else 0.0
    return out


def rival_backing(received: np.ndarray, ruling: np.ndarray) -> np.ndarray:
    """(R, C, P) ``theory.mechanisms.rival_backing(received, onehot(ruling, F))`` (E18): the share of
    each patron's money that went to factions other than the ruler's."""
    from ..theory import mechanisms as M

    if _compiled.ENABLED and received.ndim == 4 and received.dtype == np.float64:
        return _rival_backing(received, ruling)
    F = received.shape[2]
    return M.rival_backing(received, ruling[..., None] == np.arange(F))


@_jit
def _armed_backing(w, armed_q, ruling, iv, has_iv, D, act):  # noqa: ANN001, ANN202
    R, C, Q, P = w.shape
    F = armed_q.shape[2]
    backer = np.empty((R, C))
    chall = np.empty((R, C))
    afp = np.empty((F, P))
    rb = np.empty(P)
    for r in range(R):
        for c in range(C):
            for f in range(F):                 # einsum("rcqp,qcfp->rcfp") then clip to [0, 1]
                for p in range(P):
                    s = 0.0
                    for q in range(Q):
                        s += w[r, c, q, p] * armed_q[q, c, f, p]
                    s = s if s > 0.0 else 0.0
                    afp[f, p] = s if s < 1.0 else 1.0
            ru = ruling[r, c]
            for p in range(P):
                v = afp[ru, p]
                if has_iv:                     # np.maximum(ruler_backing, iv)
                    b = iv[r, c, p]
                    v = v if v > b else b
                rb[p] = v
            top = rb[0]                        # max and argmax (first of equals) over patrons
            main = 0
            for p in range(1, P):
                if rb[p] > top:
                    main = p
                top = rb[p] if rb[p] > top else top
            d_main = D[c, main]
            d_main = d_main if d_main > 1e-12 else 1e-12
            best = 0.0
            first = True
            for f in range(F):                 # max over (factions, patrons) of chall x rel
                for p in range(P):
                    if top > 0:
                        rel = D[c, p] / d_main
                        rel = rel if rel > 0.0 else 0.0
                        rel = rel if rel < 1.0 else 1.0
                    else:
                        rel = 1.0
                    a = 0.0 if (f == ru or not act[c, f]) else afp[f, p]
                    v = a * rel
                    if first:
                        best = v
                        first = False
                    else:
                        best = v if v > best else best
            backer[r, c] = top
            chall[r, c] = best
    return backer, chall


def armed_backing(w: np.ndarray, armed_q: np.ndarray, ruling: np.ndarray, iv: np.ndarray | None,
                  D: np.ndarray, active: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """The compiled :func:`._steps_mechanisms.foreign_backing` (E20): ``(ruler's backing, strongest
    challenger's)`` from the condition weights ``w`` (R, C, Q, P), the armed commitments ``armed_q``
    (Q, C, F, P), the forces ``iv`` (R, C, P) or ``None``, the disparity ``D`` (C, P) and the active
    factions (C, F); ``None`` when the kernels are off."""
    if not _compiled.ENABLED:
        return None
    iv_a = np.zeros((1, 1, 1)) if iv is None else np.ascontiguousarray(iv, dtype=float)
    return _armed_backing(np.ascontiguousarray(w), np.ascontiguousarray(armed_q, dtype=float), ruling,
                          iv_a, iv is not None, np.ascontiguousarray(D, dtype=float),
                          np.ascontiguousarray(active, dtype=np.bool_))
