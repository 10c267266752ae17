"""The coup-success contest (:func:`.contest.coup_success_probability`) as two compiled loops (numba)
around numpy's ``log1p`` and ``**``, which stay in numpy (numba's differ in the last bit).

One pass builds the challengers' strengths, the incumbent's defence and both sides' strengths relative
to the stronger (the bases of ``**``: the stronger side's is exactly 1, so only the weaker side's is
kept); numpy raises them to ``r_coup``; a second pass forms the shares. The military-aid term
(``log1p``) of a read-only aid array is computed once per array (the engine's period).
The arithmetic is the numpy path's, operation by operation, so the numbers are identical
(``tests/engine/test_jit.py``). Used for ``(runs, clients, factions)`` arrays and scalar parameters;
``None`` otherwise (the caller's numpy path runs).
"""

from __future__ import annotations

import threading

import numpy as np

from ... import _compiled
from ..._compiled import compiled, normalise_active

__all__ = ["coup_success", "tullock_shares"]


@compiled
def _bases(c, lg, armed, s, ruling, back, boost, force, legit):  # noqa: ANN001, ANN202, PLR0913
    R, C, F = c.shape
    m = np.empty((R, C, F))
    side = np.empty((R, C, F), dtype=np.int8)
    attack = np.empty(F)
    for r in range(R):
        for cc in range(C):
            for f in range(F):
                a = armed[r, cc, f]
                a = a if a > 0.0 else 0.0
                a = a if a < 1.0 else 1.0
                x = c[r, cc, f]
                base = (x if x > 0.0 else 0.0) + lg[r, cc, f]
                attack[f] = base * (1.0 + boost * a) + force * a
            i = ruling[r, cc]
            if back:
                own = attack[i]
            else:
                own = c[r, cc, i]
                own = own if own > 0.0 else 0.0
            si = s[r, cc, i]
            si = si if si > 0.0 else 0.0
            si = si if si < 1.0 else 1.0
            inc = own + legit * si
            b = inc if inc > 0.0 else 0.0
            for f in range(F):
                a = attack[f] if attack[f] > 0.0 else 0.0
                top = a if a > b else b
                x = a / top if top > 0 else 0.0
                y = b / top if top > 0 else 0.0
                if x == y:                     # both 0 (or 1): one power serves both
                    side[r, cc, f] = 0
                    m[r, cc, f] = x
                elif x == 1.0:                 # the challenger is the stronger: 1 ** r is 1
                    side[r, cc, f] = 1
                    m[r, cc, f] = y
                elif y == 1.0:
                    side[r, cc, f] = 2
                    m[r, cc, f] = x
                else:                          # not finite: no shortcut
                    return m, side, False
    return m, side, True


@compiled
def _shares(pw, side, one, act, ruling):  # noqa: ANN001, ANN202
    R, C, F = pw.shape
    out = np.empty((R, C, F))
    for r in range(R):
        for cc in range(C):
            i = ruling[r, cc]
            for f in range(F):
                k = side[r, cc, f]
                xa = one if k == 1 else pw[r, cc, f]       # the challenger's ratio ** r
                xb = one if k == 2 else pw[r, cc, f]       # the incumbent's
                total = xa + xb
                v = xa / total if total > 0 else 0.0
                out[r, cc, f] = v if (act[r, cc, f] and f != i) else 0.0
    return out


_LOCAL = threading.local()


def _aid_term(mil_raw: object, mil: np.ndarray, w: float, scale: float) -> np.ndarray:
    """``w * log1p(clip(mil, 0) / scale)``, element by element (numpy's ``log1p``). A read-only
    ``mil_raw`` (the engine's period arrays) is evaluated once and reused by the period's later contests
    of the same thread: it cannot change in place."""
    if isinstance(mil_raw, np.ndarray) and not mil_raw.flags.writeable and mil_raw.dtype == np.float64:
        hit = getattr(_LOCAL, "aid", None)
        if hit is not None and hit[0] is mil_raw and hit[1] == (w, scale):
            return np.broadcast_to(hit[2], mil.shape)
        lg = w * np.log1p(np.clip(mil_raw, 0.0, None) / scale)
        _LOCAL.aid = (mil_raw, (w, scale), lg)
        return np.broadcast_to(lg, mil.shape)
    return np.broadcast_to(w * np.log1p(np.clip(mil, 0.0, None) / scale), mil.shape)


def _scalar(*xs: object) -> bool:
    return all(np.ndim(x) == 0 for x in xs)


def coup_success(c: np.ndarray, mil: np.ndarray, armed: np.ndarray, incumbent: object, s: np.ndarray,
                 act: np.ndarray, p: object, back_incumbent: bool,
                 mil_raw: object = None) -> np.ndarray | None:
    """:func:`.contest.coup_success_probability` for operands already broadcast to (R, C, F) and
    ``incumbent`` (R, C); ``None`` when the kernels are off or the case is other. ``mil_raw``: the
    military aid as the caller passed it (before broadcasting).

    In each pairwise contest the stronger side's ratio to the stronger is exactly 1, and numpy's
    ``1.0 ** r`` is exactly 1, so one ``**`` pass over the other side's ratios gives both powers."""
    if not _compiled.ENABLED or c.ndim != 3 or not isinstance(incumbent, np.ndarray) \
            or incumbent.shape != c.shape[:2] or incumbent.dtype.kind not in "iu":
        return None
    w, scale, boost, force = (p.military_aid_weight, p.scale_military_aid, p.armed_backing_boost,
                              p.armed_backing_force)
    if not _scalar(w, scale, boost, force, p.coup_legitimacy_weight, p.r_coup):
        return None
    lg = _aid_term(mil_raw, mil, w, scale)
    m, side, ok = _bases(c, lg, armed, s, incumbent, bool(back_incumbent), float(boost), float(force),
                         float(p.coup_legitimacy_weight))
    if not ok:
        return None
    one = (np.ones(16) ** p.r_coup)[0]      # the vectorised loop's 1 ** r: 1 exactly (IEEE 754 pow)
    if one != 1.0:
        return None
    return _shares(m ** p.r_coup, side, 1.0, act, incumbent)


@compiled
def _tullock_bases(x, act):  # noqa: ANN001, ANN202
    R, C, F = x.shape
    rel = np.empty((R, C, F))
    pos = np.empty((R, C), dtype=np.bool_)
    v = np.empty(F)
    for r in range(R):
        for cc in range(C):
            top = 0.0
            for f in range(F):
                a = x[r, cc, f]
                a = a if a > 0.0 else 0.0
                v[f] = a if act[r, cc, f] else 0.0
                top = v[f] if f == 0 else (top if top > v[f] else v[f])   # numpy's maximum
            pos[r, cc] = top > 0
            for f in range(F):
                rel[r, cc, f] = v[f] / top if top > 0 else 0.0
    return rel, pos


@compiled
def _tullock_shares(pw, pos, act):  # noqa: ANN001, ANN202
    R, C, F = pw.shape
    x = np.empty((R, C, F))
    for r in range(R):
        for cc in range(C):
            for f in range(F):       # no positive base: equal shares among the active factions
                x[r, cc, f] = pw[r, cc, f] if pos[r, cc] else (1.0 if act[r, cc, f] else 0.0)
    return normalise_active(x, act)


def tullock_shares(strength: np.ndarray, r: object, act: np.ndarray) -> np.ndarray | None:
    """:func:`.contest.tullock` for operands broadcast to a 3-d shape with fewer than 8 contestants and
    a scalar ``r``; ``None`` when the kernels are off or the case is other."""
    if not _compiled.ENABLED or strength.ndim != 3 or strength.shape[-1] >= 8 or np.ndim(r) != 0 \
            or strength.dtype != np.float64:
        return None
    rel, pos = _tullock_bases(strength, act)
    return _tullock_shares(rel ** r, pos, act)


@compiled
def _precarity_tail(success, armed, s, c, incumbent, d, lose, has_lose,  # noqa: ANN001, ANN202, PLR0913
                    clip_c, amax, u, w_d, umax, half):
    R, C, F = success.shape
    out = np.empty((R, C))
    om = 1.0 - u
    for r in range(R):
        for cc in range(C):
            surv = 1.0
            for f in range(F):               # prod_last(1 - attempt * success), in faction order
                sf = success[r, cc, f]
                sc = sf if sf > 0.0 else 0.0
                sc = sc if sc < 1.0 else 1.0
                a = armed[r, cc, f]
                a = a if a > 0.0 else 0.0
                a = a if a < 1.0 else 1.0
                term = 1.0 - amax * sc * (u + om * a) * sf
                surv = term if f == 0 else surv * term
            i = incumbent[r, cc]
            si = s[r, cc, i]
            si = si if si > 0.0 else 0.0
            si = si if si < 1.0 else 1.0
            ci = c[r, cc, i]
            if clip_c:
                ci = ci if ci > 0.0 else 0.0
            dd = d[r, cc]
            dd = dd if dd > 0.0 else 0.0
            dd = dd if dd < 1.0 else 1.0
            ill = 1.0 - si + w_d * dd
            ill = ill if ill > 0.0 else 0.0
            ill = ill if ill < 1.0 else 1.0
            unrest = umax * ill * half / (half + ci)
            keep = (1.0 - lose[r, cc]) * surv if has_lose else surv
            v = 1.0 - keep * (1.0 - unrest)
            v = v if v > 0.0 else 0.0
            out[r, cc] = v if v < 1.0 else 1.0
    return out


def precarity_tail(success: np.ndarray, armed: np.ndarray, s: np.ndarray, c: np.ndarray, incumbent: object,
                   discontent: object, lose_election: object, p: object, clip_c: bool) -> np.ndarray | None:
    """:func:`.contest.precarity` from the coup success on: the coup attempts, the survival of all of
    them, the unrest and the three routes combined, for operands broadcast to (R, C, F), ``incumbent``
    (R, C), scalar parameters; ``c`` the incumbent's strengths (``clip_c``: clipped at 0 first).
    ``None`` when the kernels are off or the case is other (the caller's numpy path runs)."""
    if not _compiled.ENABLED or success.ndim != 3 or not isinstance(incumbent, np.ndarray) \
            or incumbent.shape != success.shape[:2] or incumbent.dtype.kind not in "iu" \
            or not _scalar(p.coup_attempt_max, p.unbacked_attempt_factor, p.discontent_weight,
                           p.unrest_max, p.repression_half):
        return None
    R, C, _ = success.shape
    d = np.asarray(discontent, dtype=float)
    has_lose = not (np.ndim(lose_election) == 0 and float(lose_election) == 0.0)
    if d.ndim > 2 or (has_lose and np.ndim(lose_election) > 2):
        return None
    lose = np.broadcast_to(np.asarray(lose_election, dtype=float), (R, C)) if has_lose else np.zeros((1, 1))
    arrays = (success, armed, s, c)
    if any(x.dtype != np.float64 for x in arrays):
        return None
    return _precarity_tail(success, armed, s, c, incumbent, np.broadcast_to(d, (R, C)), lose, has_lose,
                           bool(clip_c), float(p.coup_attempt_max), float(p.unbacked_attempt_factor),
                           float(p.discontent_weight), float(p.unrest_max), float(p.repression_half))
