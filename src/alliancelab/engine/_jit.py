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

import math

import numpy as np

from .. import _compiled
from .._compiled import compiled as _jit

__all__ = ["armed_backing_conditions", "army_side", "condition_weights",
           "coup_round", "forms", "leaves", "payment_codes", "payment_conditions",
           "reweigh_utilities", "rival_backing"]


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
def _armed_backing_cond(aligned, others, armed_q, ruling, iv, has_iv, D, act):  # noqa: ANN001, ANN202
    R, C = aligned.shape
    Q, P = armed_q.shape[0], armed_q.shape[3]
    w = np.empty((Q, P))             # the condition weights of the cell (condition_weights)
    F = armed_q.shape[2]
    backer = np.empty((R, C))
    chall = np.empty((R, C))
    afp = np.empty((F, P))
    rb = np.empty(P)
    relp = np.empty(P)
    for r in range(R):
        for c in range(C):
            a_rc = aligned[r, c]
            for p in range(P):
                w[0, p] = 1.0
                w[1, p] = 1.0 if a_rc == p else 0.0
                w[2, p] = 1.0 if (a_rc == p or a_rc == P) else 0.0
                w[3, p] = 1.0 if others[r, c, p] else 0.0
            for f in range(F):                 # einsum("rcqp,qcfp->rcfp") then clip to [0, 1]
                for p in range(P):
                    s = 0.0
                    for q in range(Q):
                        s += w[q, p] * armed_q[q, c, f, p]
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
                top = top if top > rb[p] else rb[p]       # numpy's maximum: b unless a > b
            d_main = D[c, main]
            d_main = d_main if d_main > 1e-12 else 1e-12
            for p in range(P):                 # each patron's weight, once per cell
                if top > 0:
                    rel = D[c, p] / d_main
                    rel = rel if rel > 0.0 else 0.0
                    relp[p] = rel if rel < 1.0 else 1.0
                else:
                    relp[p] = 1.0
            best = 0.0
            first = True
            for f in range(F):                 # max over (factions, patrons) of chall x rel
                for p in range(P):
                    a = 0.0 if (f == ru or not act[c, f]) else afp[f, p]
                    v = a * relp[p]
                    if first:
                        best = v
                        first = False
                    else:
                        best = best if best > v else v
            backer[r, c] = top
            chall[r, c] = best
    return backer, chall


def armed_backing_conditions(aligned: np.ndarray, others_split: np.ndarray, armed_q: np.ndarray,
                             ruling: np.ndarray, iv: np.ndarray | None, D: np.ndarray,
                             active: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """The compiled :func:`._steps_mechanisms.foreign_backing` (E20): ``(ruler's backing, strongest
    challenger's)`` from the alignment and ``others_split`` (:func:`condition_weights`' four conditions,
    formed in the loop), the armed commitments ``armed_q`` (Q, C, F, P), the forces ``iv`` (R, C, P) or
    ``None``, the disparity ``D`` (C, P) and the active factions (C, F); ``None`` when the kernels are
    off or the schedule has another number of conditions (then :func:`._steps_mechanisms.backing_numpy`)."""
    if not _compiled.ENABLED or aligned.ndim != 2 or others_split.dtype != np.bool_ or armed_q.shape[0] != 4:
        return None
    iv_a = np.zeros((1, 1, 1)) if iv is None else np.ascontiguousarray(iv, dtype=float)
    return _armed_backing_cond(aligned, others_split, np.ascontiguousarray(armed_q, dtype=float), ruling,
                               iv_a, iv is not None, np.ascontiguousarray(D, dtype=float),
                               np.ascontiguousarray(active, dtype=np.bool_))


@_jit
def _conditions(aligned, ever_split, P):  # noqa: ANN001, ANN202
    R, C = aligned.shape
    combo = np.empty((R, C, P), dtype=np.int64)
    others = np.empty((R, C, P), dtype=np.bool_)
    for r in range(R):
        for c in range(C):
            a = aligned[r, c]
            n = 0
            for p in range(P):
                n += 1 if ever_split[r, c, p] else 0
            for p in range(P):
                al = a == p
                o = (n - (1 if ever_split[r, c, p] else 0)) > 0
                others[r, c, p] = o
                combo[r, c, p] = 1 | (int(al) << 1) | (int(al or a == P) << 2) | (int(o) << 3)
    return combo, others


def payment_conditions(aligned: np.ndarray, ever_split: np.ndarray, P: int) -> tuple[np.ndarray, np.ndarray] | None:
    """The compiled :func:`._steps_domestic.payment_conditions`: bit-coded payment conditions
    (R, C, P) int64 and ``others_split`` (R, C, P) bool; ``None`` when the kernels are off."""
    if not _compiled.ENABLED or aligned.ndim != 2 or ever_split.dtype != np.bool_:
        return None
    return _conditions(aligned, ever_split, P)


@_jit
def _weights(aligned, others, P):  # noqa: ANN001, ANN202
    R, C = aligned.shape
    w = np.empty((R, C, 4, P))
    for r in range(R):
        for c in range(C):
            a = aligned[r, c]
            for p in range(P):
                w[r, c, 0, p] = 1.0
                w[r, c, 1, p] = 1.0 if a == p else 0.0
                w[r, c, 2, p] = 1.0 if (a == p or a == P) else 0.0
                w[r, c, 3, p] = 1.0 if others[r, c, p] else 0.0
    return w


def condition_weights(aligned: np.ndarray, others_split: np.ndarray, P: int) -> np.ndarray | None:
    """The compiled :func:`._steps_mechanisms.condition_weights` (R, C, 4, P); ``None`` when off."""
    if not _compiled.ENABLED or aligned.ndim != 2 or others_split.dtype != np.bool_:
        return None
    return _weights(aligned, others_split, P)


@_jit
def _forms(aligned, tw, T_now, money, prec_alone, prec_max, min_share, f_neutral, f_aid, f_tacit,  # noqa: ANN001, ANN202, PLR0913
           f_alliance, f_both):
    R, C = aligned.shape
    P = money.shape[2]
    tw_out = np.empty((R, C), dtype=tw.dtype)
    form = np.empty((R, C), dtype=np.int8)
    partner = np.empty((R, C), dtype=np.int64)
    sec = np.empty((R, C), dtype=np.int16)
    share = np.empty(P)
    for r in range(R):
        for c in range(C):
            a = aligned[r, c]
            w = tw[r, c]
            ti = w if w < P - 1 else P - 1
            if not (w < P and T_now[c, ti] > 0 and a == P):
                w = P
            tw_out[r, c] = w
            tot = 0.0
            for p in range(P):
                tot += money[r, c, p]
            for p in range(P):
                share[p] = money[r, c, p] / tot if tot > 0 else 0.0
            first = 0                          # a stable descending sort's first two (argsort of -share)
            for p in range(1, P):
                if share[p] > share[first]:
                    first = p
            second = first
            if P > 1:
                second = 1 if first == 0 else 0
                for p in range(P):
                    if p != first and share[p] > share[second]:
                        second = p
            s1 = share[first]
            s2 = share[second] if P > 1 else 0.0
            secure = prec_alone[r, c] <= prec_max
            rival = second if first == a else first
            rival_share = s2 if first == a else s1
            both_al = a < P and secure and rival_share >= min_share and rival != a
            both_na = a == P and w == P and secure and s2 >= min_share and P > 1
            f = f_neutral
            pa = P
            s = P
            if a == P and w == P and tot > 0:
                f = f_aid
                pa = first
            if w < P:
                f = f_tacit
                pa = w
            if a < P:
                f = f_alliance
                pa = a
            if both_al:
                f = f_both
                s = rival
            if both_na:
                f = f_both
                pa = first
                s = second
            form[r, c] = f
            partner[r, c] = pa
            sec[r, c] = s
    return tw_out, form, partner, sec


def forms(aligned: np.ndarray, tacit_with: np.ndarray, T_now: np.ndarray, money: np.ndarray,
          prec_alone: np.ndarray, prec_max: float, min_share: float,
          codes: dict[str, int]) -> tuple[np.ndarray, ...] | None:
    """The compiled :func:`._steps_mechanisms.forms` (E19): ``(tacit_with, form, partner, second)``;
    ``None`` when the kernels are off or there are more than 3 patrons (numpy's ``argsort`` orders
    ties as a stable sort does only up to 3 entries)."""
    P = money.shape[-1]
    if not _compiled.ENABLED or P > 3 or aligned.ndim != 2 or money.dtype != np.float64:
        return None
    return _forms(aligned, tacit_with, np.ascontiguousarray(T_now, dtype=float), money,
                  np.asarray(prec_alone, dtype=float), float(prec_max), float(min_share),
                  codes["neutral"], codes["aid"], codes["tacit"], codes["alliance"], codes["both"])


@_jit
def _army_side(ruling, active, coercion, loyalty):  # noqa: ANN001, ANN202
    R, C, F = coercion.shape
    out = np.zeros((R, C, F))
    for r in range(R):
        for c in range(C):
            ru = ruling[r, c]
            lead = 0
            best = -1.0 if (ru == 0 or not active[r, c, 0]) else coercion[r, c, 0]
            for f in range(1, F):               # argmax, the first of equals
                v = -1.0 if (ru == f or not active[r, c, f]) else coercion[r, c, f]
                if v > best:
                    best = v
                    lead = f
            out[r, c, lead] = 1.0 * (1.0 - loyalty[r, c])
    return out


def army_side(ruling: np.ndarray, active: np.ndarray, coercion: np.ndarray,
              loyalty: np.ndarray) -> np.ndarray | None:
    """The compiled :func:`._steps_mechanisms.army_side` (E20s): the army's disloyal share on the side
    of the challenger with the most coercion, (R, C, F), ``active`` (R, C, F); ``None`` when the
    kernels are off."""
    if not _compiled.ENABLED or coercion.ndim != 3 or coercion.dtype != np.float64:
        return None
    return _army_side(ruling, np.asarray(active, dtype=np.bool_), coercion,
                      np.asarray(loyalty, dtype=float))


@_jit
def _payment_codes(combo, hostile, ruling, F):  # noqa: ANN001, ANN202
    R, C, P = combo.shape
    code = np.empty((R, C, F, P), dtype=np.int64)
    for r in range(R):
        for c in range(C):
            ru = ruling[r, c]
            for f in range(F):
                for p in range(P):
                    code[r, c, f, p] = 0 if (hostile[r, c, p] and f == ru) else combo[r, c, p]
    return code


def payment_codes(combo: np.ndarray, hostile: np.ndarray, ruling: np.ndarray, F: int) -> np.ndarray | None:
    """(R, C, F, P) payment codes of step 1 without ``faction: ruling`` items: ``combo`` (R, C, P),
    0 for the ruler's faction under a blockade (``hostile`` (R, C, P)); ``None`` when off."""
    if not _compiled.ENABLED or combo.dtype != np.int64 or hostile.dtype != np.bool_:
        return None
    return _payment_codes(combo, hostile, ruling, F)


@_jit
def _coup_round(success, backed, commit, relief, u_att, u_succ, e2, amax, u):  # noqa: ANN001, ANN202, PLR0913
    R, C, F = success.shape
    any_att = np.zeros((R, C), dtype=np.bool_)
    att_at = np.zeros((R, C), dtype=np.intp)
    any_succ = np.zeros((R, C), dtype=np.bool_)
    succ_at = np.zeros((R, C), dtype=np.intp)
    survive = np.empty((R, C))
    om = 1.0 - u
    for r in range(R):
        for c in range(C):
            rel = relief[r, c]
            best_a = 0.0
            best_s = 0.0
            surv = 1.0
            for f in range(F):
                sf = success[r, c, f]
                sc = sf if sf > 0.0 else 0.0
                sc = sc if sc < 1.0 else 1.0
                b = backed[r, c, f]
                b = b if b > 0.0 else 0.0
                b = b if b < 1.0 else 1.0
                attempt = (amax * sc * (u + om * b) if e2 else 0.0) * rel
                att = u_att[r, c, f] < attempt
                succ = att and (u_succ[r, c, f] < sf)
                w = 1.0 + sf
                va = w if att else 0.0         # argmax(attempted * (1 + success)): the first maximum
                vs = w if succ else 0.0
                if f == 0 or va > best_a:
                    att_at[r, c] = f
                    best_a = va
                if f == 0 or vs > best_s:
                    succ_at[r, c] = f
                    best_s = vs
                any_att[r, c] = any_att[r, c] or att
                any_succ[r, c] = any_succ[r, c] or succ
                a = commit[r, c, f]
                a = a if a > 0.0 else 0.0
                a = a if a < 1.0 else 1.0
                term = 1.0 - amax * sc * (u + om * a) * sf
                surv = term if f == 0 else surv * term
            survive[r, c] = surv
    return any_att, att_at, any_succ, succ_at, survive


def coup_round(success: np.ndarray, backed: np.ndarray, commit: np.ndarray, relief: np.ndarray,
               u_att: np.ndarray, u_succ: np.ndarray, e2: bool, pe: object) -> tuple[np.ndarray, ...]:
    """Step 3's coups (E2, E5, E10): who attempts (``u_att`` below the attempt probability with
    ``backed``, times the alliance ``relief``; none without E2) and who succeeds (``u_succ`` below
    ``success``); returns whether any faction attempted, the attempt the record labels (the first
    largest ``attempted * (1 + success)``), whether any succeeded, the new ruler (the same rule over the
    successes) and the probability of surviving every coup with ``commit`` (R, C)."""
    from ..theory import elite as E
    from ..theory._axis import prod_last

    scalar = np.ndim(pe.coup_attempt_max) == 0 and np.ndim(pe.unbacked_attempt_factor) == 0
    arrays = (success, backed, commit, u_att, u_succ)
    if _compiled.ENABLED and scalar and success.ndim == 3 and all(x.shape == success.shape for x in arrays) \
            and all(x.dtype == np.float64 for x in arrays) and np.shape(relief) == success.shape[:2]:
        return _coup_round(success, backed, commit, np.asarray(relief, dtype=float), u_att, u_succ, bool(e2),
                           float(pe.coup_attempt_max), float(pe.unbacked_attempt_factor))
    attempt0 = E.coup_attempt_probability(success, backed, pe)
    if not e2:
        attempt0 = np.zeros_like(attempt0)
    attempt = attempt0 * relief[..., None]
    attempted = u_att < attempt
    succeeded = attempted & (u_succ < success)
    survive = prod_last(1.0 - E.coup_attempt_probability(success, commit, pe) * success)
    return (_compiled.any_last(attempted), np.argmax(attempted * (1.0 + success), axis=-1),
            _compiled.any_last(succeeded), np.argmax(succeeded * (1.0 + success), axis=-1), survive)


@_jit
def _reweigh(u, cur, rb, ab, sit, formal, rbw, abw, tc, ai):  # noqa: ANN001, ANN202, PLR0913
    R, C, K = u.shape
    out = np.empty((R, C, K))
    for r in range(R):
        for c in range(C):
            s = sit[r, c]
            bonus = tc if formal[r, c] else ai * s
            i = cur[r, c]
            for k in range(K):
                v = u[r, c, k]
                if k < K - 1:                  # u[..., :-1] -= sit * (w_rb clip(rb) + w_ab clip(ab))
                    b = rb[r, c, k]
                    b = b if b > 0.0 else 0.0
                    b = b if b < 1.0 else 1.0
                    a = ab[r, c, k]
                    a = a if a > 0.0 else 0.0
                    a = a if a < 1.0 else 1.0
                    v = v - s * (rbw * b + abw * a)
                out[r, c, k] = v + (1.0 if k == i else 0.0) * bonus   # u + onehot * bonus
    return out


def reweigh_utilities(utilities: np.ndarray, current: np.ndarray, backing_rivals: np.ndarray,
                      abandoned: np.ndarray, sitting: np.ndarray, pe: object, *,
                      formal: np.ndarray) -> np.ndarray:
    """``theory.mechanisms.reweigh_utilities`` (E18) for utilities (R, C, P + 1), ``current``, ``sitting``
    and ``formal`` (R, C), the triggers broadcastable to (R, C, P), scalar parameters: one pass."""
    from ..theory import mechanisms as M

    u = np.asarray(utilities)
    ws = (pe.rival_backing_weight, pe.abandonment_weight, pe.treaty_commitment, pe.alignment_inertia)
    if _compiled.ENABLED and u.ndim == 3 and u.dtype == np.float64 and all(np.ndim(w) == 0 for w in ws) \
            and np.shape(current) == u.shape[:2] and np.shape(sitting) == u.shape[:2] \
            and np.shape(formal) == u.shape[:2]:
        R, C, K = u.shape
        rb = np.broadcast_to(np.asarray(backing_rivals, dtype=float), (R, C, K - 1))
        ab = np.broadcast_to(np.asarray(abandoned, dtype=float), (R, C, K - 1))
        return _reweigh(u, np.asarray(current), rb, ab, np.asarray(sitting, dtype=float),
                        np.asarray(formal, dtype=bool), *(float(w) for w in ws))
    return M.reweigh_utilities(utilities, current, backing_rivals, abandoned, sitting, pe, formal=formal)


@_jit
def _leaves(util, available, beta, cur, eps):  # noqa: ANN001, ANN202
    R, C, K = util.shape
    out = np.empty((R, C), dtype=np.bool_)
    for r in range(R):
        for c in range(C):
            best = 0.0
            at = 0
            for k in range(K):
                z = beta * util[r, c, k] if available[r, c, k] else -np.inf
                v = z + eps[r, c, k] if math.isfinite(z) else -np.inf
                if k == 0 or v > best or (v != v and best == best):   # numpy's argmax: first max, NaN wins
                    best = v
                    at = k
            out[r, c] = at != cur[r, c]
    return out


def leaves(util: np.ndarray, available: np.ndarray, beta: object, current: np.ndarray,
           shocks: np.ndarray) -> np.ndarray:
    """``theory.mechanisms.leaves(np.where(available, beta * util, -np.inf), current, shocks)`` (E18)
    for (R, C, K) operands and a scalar ``beta``: one pass."""
    from ..theory import mechanisms as M

    if _compiled.ENABLED and util.ndim == 3 and util.dtype == np.float64 and np.ndim(beta) == 0 \
            and available.shape == util.shape and np.shape(shocks) == util.shape \
            and np.shape(current) == util.shape[:2] and np.asarray(shocks).dtype == np.float64:
        return _leaves(util, available, float(beta), np.asarray(current), np.asarray(shocks))
    return M.leaves(np.where(available, beta * util, -np.inf), current, shocks)
