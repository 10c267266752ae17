"""The domestic steps of one period: support paid, mass support, contests for power, precarity.

Each step is a function ``step(ctx, st, pv, rec)`` over the simulation context, the run state it
updates and the period's variables it fills (see :mod:`._state`); the order is that of
``docs/theory.md`` ("One period").
"""

from __future__ import annotations

import numpy as np

from ..theory import elite as E
from ..theory import mechanisms as M
from ..theory.instruments import INSTRUMENTS, MASS_INSTRUMENTS
from . import _jit
from ._state import PeriodVars, Recorder, RunState, SimContext, onehot, sample, take
from ._steps_mechanisms import (army_side, defence_of_ruler, pressure_terms, ruler_turned_away,
                                 scripted_grabs)
from ._support_table import content_key, support_by_code

__all__ = ["contests", "mass_support", "precarity", "support_paid", "support_terms"]

_MIL = INSTRUMENTS.index("military_aid")
_ARMED = INSTRUMENTS.index("armed_action_commitment")
_GESTURE = INSTRUMENTS.index("diplomatic_gesture")
_MASS = np.array([INSTRUMENTS.index(n) for n in MASS_INSTRUMENTS])
#: Bit of a payment code marking the ruling faction (paid the ``faction: ruling`` items).
RULER_BIT = 4


def _money_by_patron(S: np.ndarray, f: int) -> np.ndarray:
    """Money each patron gave faction ``f`` (``total * share`` of ``elite.ruling_support_by_patron``)."""
    total, share = E.ruling_support_by_patron(S, f)
    return total[..., None] * share


def support_terms(code: np.ndarray, sched: np.ndarray, visibility: np.ndarray, breadth: np.ndarray,
                  pe: E.EliteParams, off, sched_ruling: np.ndarray | None = None) -> tuple[np.ndarray, ...]:  # noqa: ANN001
    """Support kernels for payment patterns ``code`` (U, C, F, P) of the schedule (Q, C, F, P, I).

    Bit ``q`` of a code: condition ``q`` holds; bit 4 (``RULER_BIT``): the faction rules, so it is also
    paid the items scheduled for ``faction: ruling`` (``sched_ruling`` (Q, C, P, I)).

    Returns per pattern: mass effect per patron (U, C, P, F), elite loyalty per patron (U, C, P, F),
    narrow share (U, C, F), military aid (U, C, F), armed commitment (U, C, F), and the money each
    patron gave each faction (U, C, F, P).
    """
    S = np.zeros(code.shape + (sched.shape[-1],))
    for q in range(sched.shape[0]):
        if sched[q].any():
            S += ((code >> q) & 1)[..., None] * sched[q][None]
    if sched_ruling is not None:
        ruler = (code >> RULER_BIT) & 1
        for q in range(sched_ruling.shape[0]):
            if sched_ruling[q].any():
                S += (ruler * ((code >> q) & 1))[..., None] * sched_ruling[q][None, :, None]
    S_eff = S.copy()
    if off("E3"):
        S_eff[..., _MASS] = 0.0
    if off("E4"):
        S_eff[..., _GESTURE] = 0.0
    vis = np.ones_like(visibility) if off("E17") else visibility
    br = np.ones_like(breadth) if off("E6") else breadth
    # P moved before F with a singleton patron axis: the kernels sum over (patron, instrument), so
    # this gives each patron's contribution separately (they add up to the kernels' totals)
    per = lambda x: np.moveaxis(x, -2, -3)[..., None, :]  # noqa: E731
    vis_p, br_p = per(vis[None]), per(br[None])
    mass_p = E.support_effect(per(S_eff), vis_p, br_p, pe)               # (U, C, P, F)
    loy_p = E.elite_loyalty_effect(per(S), vis_p, br_p, pe)              # (U, C, P, F)
    narrow = np.zeros(code.shape[:-1]) if off("E6") else E.narrow_support_share(S, br[None])
    mil = S[..., _MIL].sum(-1)
    armed = np.zeros(code.shape[:-1]) if off("E5") else np.clip(S[..., _ARMED].sum(-1), 0.0, 1.0)
    # money each patron gave each faction (the kernel's H1/E11 measure), for every faction as ruler
    money_fp = np.stack([_money_by_patron(S, f) for f in range(S.shape[-3])], axis=-2)  # (U, C, F, P)
    return mass_p, loy_p, narrow, mil, armed, money_fp


def payment_conditions(st: RunState, P: int) -> tuple[np.ndarray, np.ndarray]:
    """Bit-coded payment conditions per (run, client, patron) in ``CONDITIONS`` order, and whether the
    client has split with another patron (``after_split``)."""
    fused = _jit.payment_conditions(st.aligned, st.ever_split, P)
    if fused is not None:
        return fused
    R, C = st.aligned.shape
    al1 = onehot(st.aligned, P)                                          # (R, C, P)
    nonal = (st.aligned == P)[..., None]
    others_split = (st.ever_split.sum(-1, keepdims=True) - st.ever_split) > 0
    cond = (np.ones((R, C, P), dtype=bool), al1, al1 | nonal, others_split)   # CONDITIONS order
    combo = sum(m.astype(np.int64) << q for q, m in enumerate(cond))     # (R, C, P)
    return combo, others_split


def support_paid(ctx: SimContext, st: RunState, pv: PeriodVars, rec: Recorder) -> None:
    """Step 1 (E3-E6, E12, E17): the support actually paid this period and its kernels.

    Each (run, client, faction, patron) is paid the scheduled items whose condition holds (bit q of
    ``code``), nothing under a blockade. The support kernels run once per distinct code of the bits
    under which something is scheduled, and are gathered back to the runs (:mod:`._support_table`).
    """
    R, C, F, P = ctx.shape
    t, comp = pv.t, ctx.comp
    combo, pv.others_split = payment_conditions(st, P)
    hostile = (st.punishing | (st.estrangement >= 0.5)) if not ctx.off("E12") else \
        np.zeros((R, C, P), dtype=bool)
    code = None if comp.support_ruling is not None else _jit.payment_codes(combo, hostile, st.ruling, F)
    if code is None:                                                     # numpy (or faction: ruling items)
        is_ruler = onehot(st.ruling, F)                                  # (R, C, F)
        blockade = hostile[:, :, None, :] & is_ruler[..., None]          # (R, C, F, P)
        if comp.support_ruling is None:
            code = np.where(blockade, 0, combo[:, :, None, :])           # (R, C, F, P)
        else:                                                            # ruler bit: faction: ruling items
            away = ruler_turned_away(ctx, st, t)             # E21h/E21b: not to a rival's ally or a foe
            state = is_ruler[..., None] if away is None else is_ruler[..., None] & ~away[:, :, None, :]
            code = np.where(blockade, 0, combo[:, :, None, :] | (state.astype(np.int64) << RULER_BIT))
    ruled = None if comp.support_ruling is None else comp.support_ruling[t]
    def terms(per_patron: bool) -> tuple[np.ndarray | None, ...]:
        return support_by_code(
            code, comp.support[t], ruled, RULER_BIT,
            lambda codes: support_terms(codes, comp.support[t], comp.visibility[t], comp.breadth[t],
                                        ctx.per_set("elite", 4), ctx.off, ruled),
            cache=ctx.cache, key=(content_key(comp.support[t], ruled, comp.visibility[t], comp.breadth[t]),
                                  R, ctx.disable, ctx.params.elite),
            sets=ctx.set_of_run, per_patron=per_patron)
    # the steps read the patrons' sums only: the per-patron terms are gathered if something reads them
    mass_p, loy_p, pv.narrow, pv.mil, pv.armed, pv.money_fp, pv.mass_in, pv.loy_in = terms(False)
    pv.per_patron = (mass_p, loy_p) if mass_p is not None else (lambda: terms(True)[:2])
    pv.mil.flags.writeable = False          # the period's military aid: the contests reuse its log1p term


def mass_support(ctx: SimContext, st: RunState, pv: PeriodVars, rec: Recorder) -> None:
    """Step 2 (E1, E3, E4, E6, E17): support stocks, discontent, coercion and mass-support shares."""
    pe, t = ctx.params.elite, pv.t
    inflow = pv.mass_p.sum(2) if pv.mass_in is None else pv.mass_in     # (R, C, F)
    pressure = pressure_terms(ctx, st, pv)                               # E21 (None: no pressure)
    if pressure is not None:
        inflow = inflow - pressure[0][..., None] * onehot(st.ruling, ctx.shape[2])
    st.stock = E.update_support_stock(st.stock, inflow, 1.0 - pv.narrow, pe)
    st.discontent = E.update_discontent(st.discontent, take(pv.narrow, st.ruling), pe)
    if pressure is not None:
        st.discontent = np.clip(st.discontent + pe.pressure_discontent * pressure[1], 0.0, 1.0)
    pv.coercion = ctx.comp.coercion[t][None] + (pv.loy_p.sum(2) if pv.loy_in is None else pv.loy_in)
    if not ctx.off("E20") and ctx.comp.grabs:                           # scripted purges, defections
        pv.coercion = pv.coercion * st.extra["purged"] + st.extra["defected"]
    pv.shares = E.mass_support_shares(_base(ctx, st, t), st.stock, pv.shock, ctx.act)
    pv.shares.flags.writeable = False       # the period's shares: their election odds are computed once
    if "ruler_share" in st.extra:
        st.extra["ruler_share"] = take(pv.shares, st.ruling)


def _base(ctx: SimContext, st: RunState, t: int) -> np.ndarray:
    """The factions' baseline logits, with a popular ruler's mandate (E1m) when it is on."""
    if ctx.off("E1m"):
        return ctx.log_base[t][None]
    if "mandate" not in st.extra:
        st.extra["mandate"] = np.zeros(ctx.shape[:3])
    return ctx.log_base[t][None] + st.extra["mandate"]


def _ruler_coercion(ctx: SimContext, st: RunState, pv: PeriodVars, ruling: np.ndarray,
                    boost: np.ndarray | None = None) -> np.ndarray:
    """Coercion with the ruler's entry scaled by its army's loyalty (E20) and a self-coup's boost."""
    if ctx.off("E20") or "loyalty" not in st.extra:
        return pv.coercion
    c = pv.coercion
    own = take(c, ruling) * st.extra["loyalty"] + (boost if boost is not None else 0.0)
    return np.where(onehot(ruling, ctx.shape[2]), own[..., None], c)


def _rigged(shares: np.ndarray, ruling: np.ndarray, rig: np.ndarray, F: int) -> np.ndarray:
    """Reported shares when ``rig`` of the other factions' vote is counted for the ruler (E20)."""
    is_r = onehot(ruling, F)
    moved = (np.where(is_r, 0.0, shares) * rig[..., None]).sum(-1)
    return np.where(is_r, shares + moved[..., None], shares * (1.0 - rig[..., None]))


def _win(ctx: SimContext, pv: PeriodVars, shares: np.ndarray) -> np.ndarray:
    """``E.election_win_probability(shares, ctx.act, ...)``; for the period's mass-support shares
    (``pv.shares``, read-only) computed once per period and reused by the later steps."""
    if shares is not pv.shares:
        return E.election_win_probability(shares, ctx.act, ctx.params.elite)
    hit = pv.extra.get("win")
    if hit is None:
        hit = pv.extra["win"] = E.election_win_probability(shares, ctx.act, ctx.params.elite)
        hit.flags.writeable = False
    return hit


def contests(ctx: SimContext, st: RunState, pv: PeriodVars, rec: Recorder) -> None:
    """Step 3 (E1, E2, E5, E10, E15a; E20, E22): scheduled elections (and power grabs), coups, and
    ouster by unrest."""
    R, C, F, P = ctx.shape
    pe, t, act = ctx.params.elite, pv.t, ctx.act
    u, shares, mil, armed = pv.u, pv.shares, pv.mil, pv.armed
    ruling = st.ruling
    pv.ruler_before = ruling
    due = ctx.comp.election_due[t][None]                                 # (1, C)
    junta = st.extra.get("junta") if not ctx.off("E20j") else None      # E20j: (R, C) rulers by force
    e20 = not ctx.off("E20") and "loyalty" in st.extra
    grabs = scripted_grabs(ctx, st, pv, ruling) if e20 else None
    coercion = _ruler_coercion(ctx, st, pv, ruling, grabs["boost"] if grabs is not None else None)
    defended = defence_of_ruler(ctx, pv, ruling)                         # E22 (None: off)
    stolen_any = np.zeros((R, C), dtype=bool)                            # E20f: a count stolen now
    if not e20:
        if due.any():
            win = _win(ctx, pv, shares)
            winner = sample(win, u[..., 0])
            if junta is not None:                    # E20j: a junta's election is its own
                winner = M.junta_elections(winner, ruling, junta)
            held = np.broadcast_to(due, (R, C))
            rec("election_won", held, winner, t)
            ruling = np.where(held, winner, ruling)
    elif due.any() or grabs["extra"].any():
        held = (np.broadcast_to(due, (R, C)) & ~grabs["cancel"]) | grabs["extra"]
        # an incumbent expecting to lose and holding the guns cancels the election (E20)
        strength = coercion if defended is None else M.defended_strength(coercion, mil, defended, pe)
        hold = take(E.tullock(strength, pe.r_coup, active=act), ruling)
        lose = 1.0 - take(_win(ctx, pv, shares), ruling)
        if junta is not None:     # E20j: a junta does not lose its own election (a scripted hand-over,
            junta = junta & ~grabs["extra"]          # the postponed election, is a free one)
            lose = np.where(junta, 0.0, lose)
        grab = held & (pv.v[..., 1] < M.grab_probability(lose, hold, pe))
        cancelled = grab | (np.broadcast_to(due, (R, C)) & grabs["cancel"])
        rec("power_grab", cancelled, ruling, t)
        st.discontent = np.where(cancelled, np.clip(st.discontent + pe.grab_discontent, 0.0, 1.0),
                                 st.discontent)
        held = held & ~grab
        vote = _rigged(shares, ruling, grabs["rig"], F) if grabs["rig"].any() else shares
        win = _win(ctx, pv, vote)
        winner = sample(win, u[..., 0])
        if junta is not None:
            winner = M.junta_elections(winner, ruling, junta)
        if not ctx.off("E20r") and grabs["rig"].any():   # E20r: a stolen count sparks protest
            stolen = held & (grabs["rig"] > 0) & (winner == ruling)
            st.discontent = M.fraud_backlash(st.discontent, stolen, pe)
            stolen_any |= stolen
        rec("election_won", held, winner, t)
        ruling = np.where(held, winner, ruling)
        coercion = _ruler_coercion(ctx, st, pv, ruling, grabs["boost"])
        defended = defence_of_ruler(ctx, pv, ruling)
    leg = ctx.comp.legislative_due
    if e20 and leg is not None and leg[t].any() and not ctx.off("E20r") and grabs["rig"].any():
        # E20r: a legislature's rigged count (the ruler stays whoever wins it) sparks the same protest,
        # once a period (an executive election held in the same period already carried the backlash)
        exec_held = (np.broadcast_to(due, (R, C)) & ~grabs["cancel"]) | grabs["extra"]
        stolen = leg[t][None] & ~grabs["cancel"] & ~exec_held & (grabs["rig"] > 0)
        st.discontent = M.fraud_backlash(st.discontent, stolen, pe)
        stolen_any |= stolen
    relief = E.alliance_relief(np.ones((R, C)), st.aligned < P, pe) if not ctx.off("E10") \
        else np.ones((R, C))
    if defended is not None:               # E22: the defence of the ruler after the elections
        defended = defence_of_ruler(ctx, pv, ruling)
    armed = _coup_armed(ctx, st, armed, ruling)            # E2t: a patron's backing acts through the army
    defended = _coup_armed(ctx, st, defended, ruling)
    if defended is None:
        success = E.coup_success_probability(coercion, mil, armed, ruling, shares, act, pe)
        commit = armed
    else:                                  # E22: the ruler's defenders in the contest (back_incumbent)
        success = E.coup_success_probability(coercion, mil, defended, ruling, shares, act, pe,
                                             back_incumbent=True)
        commit = defended
    side = army_side(ctx, st, pv, ruling)                    # E20s: officers lead the army
    backed = armed if side is None else np.maximum(armed, side)
    any_att, att_at, any_succ, new_ruler, survive_coups = _jit.coup_round(
        success, backed, commit, relief, pv.u_att, pv.u_succ, not ctx.off("E2"), ctx.per_run("elite", 2))
    rec("coup_attempted", any_att, att_at, t)
    # unrest: the part of precarity not due to elections or coups (E15a), as the kernel composes it
    same = defended is None and ctx.batch is None      # prec0's coup success is `success` (not recomputed)
    prec0 = E.precarity(shares, coercion, ruling, 0.0, st.discontent, act, ctx.per_run("elite", 2),
                        military_aid=mil, armed_commitment=commit, back_incumbent=defended is not None,
                        coup_success=success if same else None)
    unrest = np.clip(1.0 - (1.0 - prec0) / np.maximum(survive_coups, 1e-12), 0.0, 1.0)
    if stolen_any.any() and not ctx.off("E20f"):   # E20f: the stolen count's crowd is not deterred
        unrest = M.focal_unrest(unrest, take(shares, ruling), st.discontent, stolen_any,
                                ctx.per_run("elite", 2))
    unrest = unrest * relief
    fell = ~any_succ & (u[..., 1] < unrest)
    challenger_shares = np.where(onehot(ruling, F) | ~act, -1.0, shares)
    popular = np.argmax(challenger_shares, axis=-1)
    fell &= (ctx.comp.active.sum(-1) > 1)[None]            # a challenger exists (per client)
    rec("coup_succeeded", any_succ, new_ruler, t)
    rec("ousted_by_unrest", fell, popular, t)
    st.ruling = np.where(any_succ, new_ruler, np.where(fell, popular, ruling))
    if not ctx.off("E20j"):    # E20j: does the ruler now hold power by force?
        st.extra["junta"] = M.update_junta(st.extra.get("junta", False), any_succ,
                                           st.ruling != pv.ruler_before)
    if not ctx.off("E1m"):     # E1m: a ruler the voters or the crowd put in starts with a mandate
        voted = ruling != pv.ruler_before                      # an election replaced the ruler
        changed = st.ruling != pv.ruler_before
        st.extra["mandate"] = M.update_mandate(st.extra["mandate"], st.ruling, ~any_succ & (fell | voted),
                                               changed, ctx.per_run("elite", 3))


def _coup_armed(ctx: SimContext, st: RunState, armed: np.ndarray | None,
                ruling: np.ndarray) -> np.ndarray | None:
    """(R, C, F) commitments with the challengers' entries as they count in a coup (E2t,
    ``M.coup_backing``: through the army's disloyal share); the ruler's entry (its defence, E22)
    unchanged. ``armed`` itself when E2t, E20 or the army's loyalty state is off."""
    if armed is None or ctx.off("E2t") or ctx.off("E20") or "loyalty" not in st.extra:
        return armed
    F = ctx.shape[2]
    scaled = M.coup_backing(armed, st.extra["loyalty"][..., None])
    return np.where(onehot(ruling, F), armed, scaled)


def _calendar_risk(lose: np.ndarray | float, junta: np.ndarray | None) -> np.ndarray | float:
    """P(losing a scheduled election) as H2's horizon risk reads it: 0 for a ruler that holds power by
    force (E20j: the calendar does not remove a junta, ``M.junta_elections``), ``lose`` elsewhere."""
    if junta is None or not np.any(lose) or not np.any(junta):
        return lose
    return M.junta_calendar_risk(lose, junta)


def precarity(ctx: SimContext, st: RunState, pv: PeriodVars, rec: Recorder) -> None:
    """Step 4 (E9, E10, H2): the reported precarity and the horizon precarity without outside support."""
    R, C, F, P = ctx.shape
    pe, t, act, comp = ctx.params.elite, pv.t, ctx.act, ctx.comp
    T = len(comp.periods)
    ruling, shares, coercion = st.ruling, pv.shares, pv.coercion
    due_next = comp.election_due[t + 1][None] if t + 1 < T else np.zeros((1, C), dtype=bool)
    defended = _coup_armed(ctx, st, defence_of_ruler(ctx, pv, ruling), ruling)   # E22 (None: off)
    armed_c = _coup_armed(ctx, st, pv.armed, ruling)                     # E2t: as the coups read it
    junta = st.extra.get("junta") if not ctx.off("E20j") else None      # E20j: no calendar for a junta
    pv.prec = None if ctx.light else E.precarity(
        shares, _ruler_coercion(ctx, st, pv, ruling), ruling, _calendar_risk(due_next.astype(float), junta),
        st.discontent, act,
        ctx.per_run("elite", 2), military_aid=pv.mil,
        armed_commitment=armed_c if defended is None else defended, back_incumbent=defended is not None)
    # H2's precarity "absent outside support": the ruler without the support stock and the elite
    # loyalty its patrons bought (challengers keep theirs); the security an alliance offers
    ruler_now = onehot(ruling, F)
    shares_alone = E.mass_support_shares(_base(ctx, st, t), np.where(ruler_now, 0.0, st.stock),
                                         pv.shock, act)
    coercion_alone = np.where(ruler_now, comp.coercion[t][None], coercion)
    # ... over the commitment horizon (H2 with Morrow's long-lived commitment): coups and unrest
    # compounded over the horizon's periods, and every election scheduled within it
    q_alone = E.precarity(shares_alone, coercion_alone, ruling, 0.0, st.discontent, act,
                          ctx.per_run("elite", 2), military_aid=pv.mil, armed_commitment=armed_c)
    lose_alone = 1.0 - take(E.election_win_probability(shares_alone, act, pe), ruling) \
        if ctx.h_elections[t].any() else 0.0
    lose_alone = _calendar_risk(lose_alone, junta)        # E20j: a junta keeps no calendar (H2 too)
    pv.prec_alone = ctx.horizon_precarity(t, q_alone, lose_alone)
    if not ctx.off("E9s"):
        # E9s: H2's security gained -- the fall in the horizon hazard that aligning with its backers
        # buys (E.security_gain): the same horizon risk with the ruler's support stock, the loyalty
        # its patrons bought and, with E22, their forces' defence of it, as a member of the alliance,
        # whose relief (E10) cuts the coup and unrest risk as the reported precarity of an aligned
        # client does. Elections are not relieved (E10 acts on coups and unrest); the army's loyalty
        # (E20) is in neither risk.
        armed = armed_c if defended is None else defended
        q_backed = E.precarity(shares, coercion, ruling, 0.0, st.discontent, act, ctx.per_run("elite", 2),
                               military_aid=pv.mil, armed_commitment=armed, back_incumbent=defended is not None)
        if not ctx.off("E10"):
            q_backed = E.alliance_relief(q_backed, True, ctx.per_run("elite", 2))
        lose_backed = _calendar_risk(1.0 - take(_win(ctx, pv, shares), ruling)
                                     if ctx.h_elections[t].any() else 0.0, junta)
        pv.security = E.security_gain(pv.prec_alone, ctx.horizon_precarity(t, q_backed, lose_backed))
