"""The alignment choice's utilities (:func:`.alignment.alignment_utilities`) as one compiled loop, and
its logit (:func:`.alignment.choice_probabilities`) as two compiled loops (numba) around numpy's ``exp``,
which stays in numpy (numba's differs in the last bit).

Every operation is the numpy path's, in its order (a maximum keeping ``b`` unless ``a > b``, a short
sum in index order from +0.0), so the numbers are identical (``tests/engine/test_jit_steps.py``).
Used for ``(runs, clients, options)`` operands and scalar parameters; ``None`` otherwise (the caller's
numpy path runs).
"""

from __future__ import annotations

import numpy as np

from ... import _compiled
from ..._compiled import compiled

__all__ = ["logit_probabilities", "utilities"]


@compiled
def _utilities(prec, share, aff, thr, sw, aw, tw, ac):  # noqa: ANN001, ANN202, PLR0913
    R, C, P = share.shape
    out = np.empty((R, C, P + 1))
    for r in range(R):
        for c in range(C):
            q = prec[r, c]
            q = q if q > 0.0 else 0.0
            q = q if q < 1.0 else 1.0
            sq = sw * q
            for p in range(P):
                s = share[r, c, p]
                s = s if s > 0.0 else 0.0
                s = s if s < 1.0 else 1.0
                a = aff[r, c, p]
                a = a if a > -1.0 else -1.0
                a = a if a < 1.0 else 1.0
                t = thr[r, c, p]
                t = t if t > 0.0 else 0.0
                t = t if t < 1.0 else 1.0
                out[r, c, p] = sq * s + aw * a + tw * t - ac
            out[r, c, P] = 0.0
    return out


def utilities(precarity: object, support_share: object, affinity: object, threat_value: object,
              p: object) -> np.ndarray | None:
    """:func:`.alignment.alignment_utilities` for ``precarity`` (R, C) and the rest broadcasting to
    ``support_share``'s (R, C, P), scalar weights; ``None`` otherwise."""
    ws = (p.security_weight, p.affinity_weight, p.threat_weight, p.autonomy_cost)
    if not _compiled.ENABLED or not all(np.ndim(w) == 0 for w in ws) \
            or not isinstance(support_share, np.ndarray) or support_share.ndim != 3 \
            or np.shape(precarity) != support_share.shape[:2]:
        return None
    shape = support_share.shape
    try:
        ops = [np.broadcast_to(np.asarray(x, dtype=float), shape)
               for x in (support_share, affinity, threat_value)]
    except ValueError:
        return None
    return _utilities(np.asarray(precarity, dtype=float), *ops, *(float(w) for w in ws))


@compiled
def _shifted(u, available, scale):  # noqa: ANN001, ANN202
    R, C, K = u.shape
    z = np.empty((R, C, K))
    av = np.empty((R, C, K), dtype=np.bool_)
    for r in range(R):
        for c in range(C):
            top = 0.0
            for k in range(K):
                ok = available[r, c, k] or k == K - 1          # non-alignment is always available
                av[r, c, k] = ok
                v = scale * u[r, c, k] if ok else -np.inf
                z[r, c, k] = v
                top = v if k == 0 else (top if top > v else v)   # numpy's maximum: b unless a > b
            for k in range(K):
                z[r, c, k] = z[r, c, k] - top
    return z, av


@compiled
def _normalised(e, av):  # noqa: ANN001, ANN202
    R, C, K = e.shape
    out = np.empty((R, C, K))
    w = np.empty(K)
    for r in range(R):
        for c in range(C):
            total = 0.0
            for k in range(K):
                w[k] = e[r, c, k] if av[r, c, k] else 0.0
                total += w[k]
            for k in range(K):
                out[r, c, k] = w[k] / total if total != 0.0 else np.nan
    return out


def logit_probabilities(utilities: np.ndarray, available: object, scale: object) -> np.ndarray | None:
    """:func:`.alignment.choice_probabilities` for utilities (R, C, K), ``available`` broadcasting to
    them and a scalar ``scale``; ``None`` otherwise."""
    u = utilities
    if not _compiled.ENABLED or not isinstance(u, np.ndarray) or u.ndim != 3 or u.dtype != np.float64 \
            or np.ndim(scale) != 0 or u.shape[-1] >= 8:
        return None
    try:
        av = np.broadcast_to(np.asarray(available, dtype=bool), u.shape)
    except ValueError:
        return None
    z, av = _shifted(u, av, float(scale))
    return _normalised(np.exp(z), av)
