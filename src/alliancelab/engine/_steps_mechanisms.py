"""Steps and helpers of the mechanisms issue #10 added (E18-E22, Y13), over the same run state.

Each mechanism is switched off by its id in ``disable``; with all of them off (or with a scenario that
uses none of the new facts, for E21, E22) the engine's numbers are those before issue #10 (golden
tests). Their random draws come from a separate stream (``PeriodVars.v``), so switching them does not
shift the other draws (common random numbers).
"""

from __future__ import annotations

import numpy as np

from ..theory import elite as E
from ..theory import mechanisms as M
from ..theory.elite.alignment import MONEY_INSTRUMENTS
from ..theory._axis import max_last, sum_last
from ..theory.instruments import INSTRUMENTS
from .. import _compiled
from . import _jit
from ._state import PeriodVars, Recorder, RunState, SimContext, onehot, take

__all__ = ["FORM", "NV", "army_loyalty", "army_side", "condition_weights", "forms", "init_state",
           "pressure_and_defence", "ruler_turned_away", "scripted_grabs", "state_aid_stock", "threat_arrays"]

#: Index of each form in ``M.FORMS``.
FORM = {f: i for i, f in enumerate(M.FORMS)}
#: Uniforms drawn per (run, client) per period from the mechanisms' stream.
NV = 6
_ARMED = INSTRUMENTS.index("armed_action_commitment")
_MONEY_IDX = np.array([INSTRUMENTS.index(n) for n in MONEY_INSTRUMENTS])


def init_state(ctx: SimContext, st: RunState) -> None:
    """Initial state of the added mechanisms: army loyalty (E20), alignment form and partners (E19)."""
    R, C, F, P = ctx.shape
    comp = ctx.comp
    loy0 = comp.army_loyalty0 if comp.army_loyalty0 is not None else np.ones(C)
    st.extra["loyalty"] = np.broadcast_to(loy0, (R, C)).astype(float).copy()
    st.extra["purged"] = np.ones((R, C, F))              # scripted purges: coercion left (E20)
    st.extra["defected"] = np.zeros((R, C, F))           # coercion gained from army defectors (E20)
    st.extra["postponed"] = np.zeros((R, C), dtype=bool)
    form0 = comp.form0 if comp.form0 is not None else np.where(comp.aligned0 < P, FORM["alliance"],
                                                               FORM["neutral"])
    st.extra["form"] = np.broadcast_to(form0, (R, C)).astype(np.int8).copy()
    st.extra["partner"] = st.aligned.copy()               # patron of the aid / tacit / alliance form
    second0 = comp.second0 if comp.second0 is not None else np.full(C, P)
    st.extra["second"] = np.broadcast_to(second0, (R, C)).astype(np.int16).copy()
    st.extra["tacit_with"] = np.full((R, C), P)
    st.extra["aid_decided"] = np.zeros((R, C), dtype=bool)     # the ruler chose aid without alliance
    st.extra["eps"] = np.zeros((R, C, P + 1))             # E18: a member ruler's persistent taste shocks,
    st.extra["eps_patron"] = np.full((R, C), P)           # valid for this patron and this ruler
    st.extra["eps_ruler"] = np.full((R, C), -1)
    st.extra["d0"] = np.zeros((R, C))                     # Y14: disparity when the alliance began
    st.extra["d0_patron"] = np.full((R, C), P)
    st.extra["d0_fields"] = np.zeros((R, C, 3))           # Y19: each important field's share then
    if not ctx.off("E19"):
        informal = np.isin(st.extra["form"], (FORM["aid"], FORM["tacit"]))
        st.extra["tacit_with"] = np.where(st.extra["form"] == FORM["tacit"], st.aligned, P)
        st.extra["aid_decided"] = st.extra["form"] == FORM["aid"]
        st.aligned = np.where(informal, P, st.aligned)    # aid and tacit forms are not treaties
        st.last_patron = st.aligned.copy()
    st.extra["ruler_share"] = np.broadcast_to(
        np.take_along_axis(np.exp(ctx.log_base[0]) / np.exp(ctx.log_base[0]).sum(-1, keepdims=True),
                           comp.incumbent0[:, None], -1)[:, 0], (R, C)).copy()


def condition_weights(st: RunState, pv: PeriodVars, P: int) -> np.ndarray:
    """(R, C, Q, P) 1 where a scheduled item of that payment condition is paid in the run."""
    fused = _jit.condition_weights(st.aligned, pv.others_split, P)
    if fused is not None:
        return fused
    R, C = st.aligned.shape
    al1 = onehot(st.aligned, P)
    nonal = (st.aligned == P)[..., None]
    cond = (np.ones((R, C, P), dtype=bool), al1, al1 | nonal, pv.others_split)
    return np.stack(cond, axis=2).astype(float)


def patron_rivals(ctx: SimContext) -> np.ndarray | None:
    """(P, P) bool E13p: the patrons that are rivals (``comp.rivals``); ``None`` (every other patron)
    when E13p is off or the case lists no ``rivals`` (or the context carries no compiled case)."""
    return None if ctx.off("E13p") else getattr(getattr(ctx, "comp", None), "rivals", None)


def ruler_turned_away(ctx: SimContext, st: RunState, t: int | None = None) -> np.ndarray | None:
    """(R, C, P) bool: the ruler is allied with another patron than ``p``, so ``p`` no longer pays
    its state (the ``faction: ruling`` items) nor defends it (E21h); ``None`` when E21h is off.
    With period ``t`` and E21b on, also where the ruling faction is averse to ``p`` (its affinity for
    ``p`` below 0: ``M.donor_withholds``).

    A donor does not keep financing a government that has joined a rival's camp (Baldwin 1985: aid
    is an instrument of statecraft, granted for alignment and withheld from an adversary's client;
    paper E, E21: withdrawn aid). "Rival" is any other patron of the scenario (E7b; the payment
    condition ``unless_aligned_with_rival``) unless the case lists ``rivals``: with E13p, only a patron
    that is a rival of the ally stops (a donor keeps paying a government that joins its friend). A patron that punishes the
    ruler or is estranged from it already pays it nothing (E12's blockade).
    """
    if ctx.off("E21h"):
        return None
    P = ctx.shape[3]
    away = (st.aligned < P)[..., None] & ~onehot(st.aligned, P)
    riv = patron_rivals(ctx)
    if riv is not None:                  # E13p: only a rival's camp, not a friend's
        away = away & np.moveaxis(np.concatenate([riv, np.zeros((P, 1), bool)], 1)[:, st.aligned], 0, -1)
    if t is None or ctx.off("E21b") or ctx.off("E14"):
        return away
    # E21b: nor a government whose ruling faction is averse to the donor (aid follows alignment)
    aff = ctx.comp.affinity[t]                                           # (C, F, P)
    R, C = st.ruling.shape
    ruler_aff = take(np.broadcast_to(aff[None], (R, C) + aff.shape[1:]), st.ruling)   # (R, C, P)
    return M.donor_withholds(away, ruler_aff, ctx.comp.tolerance[t][None, None])


def state_aid_stock(ctx: SimContext, st: RunState, pv: PeriodVars) -> np.ndarray | None:
    """(R, C, P) E13b: the stock of money each patron paid the client's state (its ``faction: ruling``
    items, the aid E21h stops when the ruler joins a rival), decaying as H1's ``received`` stock does;
    ``None`` when the scenario has no such items. Updated once per period (step 5)."""
    paid = state_aid_paid(ctx, st, pv)
    if paid is None:
        return None
    R, C, F, P = ctx.shape
    prev = st.extra.get("state_aid", np.zeros((R, C, P)))
    st.extra["state_aid"] = E.update_support_stock(prev, paid, 1.0, ctx.params.elite)
    return st.extra["state_aid"]


def state_aid_paid(ctx: SimContext, st: RunState, pv: PeriodVars) -> np.ndarray | None:
    """(R, C, P) the money each patron pays the client's state this period (its ``faction: ruling``
    items, stopped by E12's blockade and E21h); ``None`` when the scenario has no such items."""
    comp, t = ctx.comp, pv.t
    if comp.support_ruling is None:
        return None
    P = ctx.shape[3]
    w = condition_weights(st, pv, P)                                     # (R, C, Q, P)
    money = np.clip(comp.support_ruling[t][..., _MONEY_IDX], 0.0, None).sum(-1)   # (Q, C, P)
    paid = (w * np.moveaxis(money, 0, 1)[None]).sum(2)                   # (R, C, P)
    stopped = st.punishing | (st.estrangement >= 0.5)                    # E12's blockade
    away = ruler_turned_away(ctx, st, t)
    if away is not None:
        stopped = stopped | away
    return np.where(stopped, 0.0, paid)


def _ruler_amount(arr: np.ndarray, w: np.ndarray, ruling: np.ndarray, F: int) -> np.ndarray:
    """(R, C, P) amount of a (Q, C, F + 1, P) schedule reaching the ruler (its faction's items and the
    ``ruling`` items), paid under each run's conditions ``w`` (R, C, Q, P)."""
    R, C = ruling.shape
    named = np.take_along_axis(np.broadcast_to(np.moveaxis(arr[:, :, :F], 0, 1)[None],
                                               (R, C, arr.shape[0], F, arr.shape[-1])),
                               ruling[:, :, None, None, None], axis=3)[:, :, :, 0]   # (R, C, Q, P)
    ruler_items = np.moveaxis(arr[:, :, F], 0, 1)[None]                             # (1, C, Q, P)
    return ((named + ruler_items) * w).sum(2)


def pressure_and_defence(ctx: SimContext, st: RunState, pv: PeriodVars, rec: Recorder) -> None:
    """Step 1b (E21, E22): pressure on the ruler's government and the forces defending it, per patron.

    A patron that is punishing or estranged sends no forces (it does not defend a ruler it broke
    with), nor one allied with another patron (E21h).
    """
    R, C, F, P = ctx.shape
    comp, t = ctx.comp, pv.t
    need = comp.pressure is not None and not ctx.off("E21") or \
        comp.intervention is not None and not ctx.off("E22")
    if not need:
        return
    w = condition_weights(st, pv, P)
    if comp.pressure is not None and not ctx.off("E21"):
        pv.extra["pressure_p"] = _ruler_amount(comp.pressure[t], w, st.ruling, F)      # (R, C, P)
        if not ctx.off("E21c"):          # E21c: the items aimed at the ruler's faction by name only
            named = comp.pressure[t].copy()
            named[:, :, F] = 0.0
            pv.extra["pressure_named_p"] = _ruler_amount(named, w, st.ruling, F)   # (R, C, P)
    if comp.intervention is not None and not ctx.off("E22"):
        hostile = st.punishing | (st.estrangement >= 0.5)
        away = ruler_turned_away(ctx, st, t)                             # E21h/E21b: allied elsewhere, averse
        hostile = hostile if away is None else hostile | away
        iv = np.clip(_ruler_amount(comp.intervention[t], w, st.ruling, F), 0.0, 1.0)
        pv.extra["iv_p"] = np.where(hostile, 0.0, iv)


def defence_of_ruler(ctx: SimContext, pv: PeriodVars, ruling: np.ndarray) -> np.ndarray | None:
    """(R, C, F) commitments with the ruler's entry replaced by its defence (E22), or None when E22
    is off or no patron's forces defend anyone (the kernels then ignore the ruler's entries, as
    before issue #10: an ``armed_action_commitment`` alone keeps its meaning of backing a faction's
    own armed action)."""
    iv = pv.extra.get("iv_p")
    if ctx.off("E22") or iv is None:
        return None
    F = ctx.shape[2]
    d = M.defence_commitment(iv.max(-1), take(pv.armed, ruling))
    return np.where(onehot(ruling, F), d[..., None], pv.armed)


def threat_arrays(ctx: SimContext, t: int) -> tuple[np.ndarray, ...]:
    """(threat, threat_any, threat_from, accommodation, wedge) at ``t``, with Y13 unless it is off."""
    comp = ctx.comp
    if comp.y13 is None or ctx.off("Y13"):
        return comp.threat[t], comp.threat_any[t], comp.threat_from[t], comp.accommodation[t], comp.wedge[t]
    y = comp.y13
    return y["threat"][t], y["threat_any"][t], y["threat_from"][t], y["accommodation"][t], y["wedge"][t]


def scripted_grabs(ctx: SimContext, st: RunState, pv: PeriodVars, ruling: np.ndarray) -> dict[str, np.ndarray]:
    """Scripted power grabs (E20) active at ``pv.t`` for each run's ruler: elections cancelled,
    extra (postponed) elections, rigging strength, coercion boost; applies one-off purges and army
    defections to the state."""
    R, C, F, P = ctx.shape
    t = pv.t
    out = {"cancel": np.zeros((R, C), dtype=bool), "extra": np.zeros((R, C), dtype=bool),
           "rig": np.zeros((R, C)), "boost": np.zeros((R, C))}
    if ctx.off("E20") or not ctx.comp.grabs:
        return out
    coercion = ctx.comp.coercion[t]
    for t0, t1, ci, kind, fi, ti, strength in ctx.comp.grabs:
        rules = np.ones(R, dtype=bool) if fi < 0 else ruling[:, ci] == fi
        if kind == 0 and t0 <= t <= t1:                              # self_coup
            out["cancel"][:, ci] |= rules
            c_r = coercion[ci][ruling[:, ci]]
            out["boost"][:, ci] = np.where(rules, strength * (1.0 - np.clip(c_r, 0.0, 1.0)), out["boost"][:, ci])
        elif kind == 1:                                              # election_postponed
            if t == t0:
                out["cancel"][:, ci] |= rules
                st.extra["postponed"][:, ci] |= rules
            if t == t1:
                out["extra"][:, ci] |= st.extra["postponed"][:, ci]
                st.extra["postponed"][:, ci] = False
        elif kind == 2 and t0 <= t <= t1:                            # election_cancelled
            out["cancel"][:, ci] |= rules
        elif kind == 3 and t0 <= t <= t1:                            # election_rigged
            out["rig"][:, ci] = np.where(rules, np.maximum(out["rig"][:, ci], strength), out["rig"][:, ci])
        elif kind == 4 and t == t0 and ti >= 0:                      # purge
            st.extra["purged"][:, ci, ti] = np.where(rules, st.extra["purged"][:, ci, ti] * (1.0 - strength),
                                                     st.extra["purged"][:, ci, ti])
        elif kind == 5 and t == t0:                                  # army_defection
            loy = st.extra["loyalty"][:, ci]
            lost = np.where(rules, loy * strength, 0.0)
            st.extra["loyalty"][:, ci] = loy - lost
            if ti >= 0:
                c_r = coercion[ci][ruling[:, ci]]
                st.extra["defected"][:, ci, ti] += lost * c_r
    return out


def foreign_backing(ctx: SimContext, st: RunState, pv: PeriodVars) -> tuple[np.ndarray, np.ndarray]:
    """(R, C) each: the ruler's foreign backing (the largest armed commitment or intervention for it)
    and the strongest challenger's (E20): its patrons' armed commitment, each weighted by that patron's
    strength relative to the ruler's main backer (``D``, the patron's share of its dyad with the
    client, Y1): a stronger patron backing the challenger weighs fully, a weaker one in proportion;
    against a ruler without a backer every commitment weighs fully."""
    P = ctx.shape[3]
    comp, t = ctx.comp, pv.t
    armed_q = comp.support[t][..., _ARMED]                                  # (Q, C, F, P)
    fused = _jit.armed_backing_conditions(st.aligned, pv.others_split, armed_q, st.ruling,
                                          pv.extra.get("iv_p"), comp.disparity[t], comp.active)
    if fused is not None:                    # the same numbers from one compiled loop
        return fused
    return backing_numpy(condition_weights(st, pv, P), armed_q, st.ruling, pv.extra.get("iv_p"),
                         comp.disparity[t], comp.active)


def backing_numpy(w: np.ndarray, armed_q: np.ndarray, ruling: np.ndarray, iv: np.ndarray | None,
                  D: np.ndarray, active: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`foreign_backing` in numpy (the path without the compiled kernel, and the kernel's
    reference): condition weights ``w`` (R, C, Q, P), armed commitments ``armed_q`` (Q, C, F, P), forces
    ``iv`` (R, C, P) or ``None``, disparity ``D`` (C, P), active factions (C, F)."""
    R, C = ruling.shape
    F, P = armed_q.shape[2], armed_q.shape[3]
    armed_fp = np.clip(np.einsum("rcqp,qcfp->rcfp", w, armed_q), 0.0, 1.0)   # (R, C, F, P)
    ruler_backing = take(armed_fp, ruling)                                  # (R, C, P)
    if iv is not None:
        ruler_backing = np.maximum(ruler_backing, iv)
    D = D[None]                                                             # (1, C, P)
    main = np.argmax(ruler_backing, axis=-1)
    d_main = np.take_along_axis(np.broadcast_to(D, (R, C, P)), main[..., None], -1)
    has = ruler_backing.max(-1, keepdims=True) > 0
    rel = np.where(has, np.clip(D / np.maximum(d_main, 1e-12), 0.0, 1.0), 1.0)  # (R, C, P)
    chall = np.where((onehot(ruling, F) | ~active[None])[..., None], 0.0, armed_fp)
    return ruler_backing.max(-1), (chall * rel[:, :, None, :]).max(axis=(-1, -2))

def army_side(ctx: SimContext, st: RunState, pv: PeriodVars,
              ruling: np.ndarray) -> np.ndarray | None:
    """(R, C, F) the share of the army not loyal to the ruler, on the side of the challenger best
    placed to lead it (the one with the most coercion), 0 elsewhere (E20s); ``None`` when E20 or
    E20s is off.

    Svolik 2012's military moral hazard: soldiers who do not defend the ruler are not neutral --
    they are the officers' means to take power, so an officers' coup needs no foreign backer to be
    worth trying. The engine reads this share as the challenger's backing in the coup-attempt kernel
    (the role a patron's armed commitment plays for a party, E5); coups beget coups (Londregan &
    Poole 1990) because E20s keeps the army at its structural loyalty under a new ruler.
    """
    if ctx.off("E20") or ctx.off("E20s") or "loyalty" not in st.extra:
        return None
    F = ctx.shape[2]
    fused = _jit.army_side(ruling, ctx.act, pv.coercion, st.extra["loyalty"])
    if fused is not None:
        return fused
    c = np.where(onehot(ruling, F) | ~ctx.act, -1.0, pv.coercion)
    lead = np.argmax(c, axis=-1)
    return onehot(lead, F) * (1.0 - st.extra["loyalty"])[..., None]


def army_loyalty(ctx: SimContext, st: RunState, pv: PeriodVars, rec: Recorder) -> None:
    """Step 4b (E20): the army's loyalty moves toward its target (prospects, backer, challenger
    backing, pay)."""
    if ctx.off("E20"):
        return
    R, C, F, P = ctx.shape
    pe = ctx.params.elite
    ruling = st.ruling
    backer, challengers = foreign_backing(ctx, st, pv)
    mil_r = take(pv.mil, ruling)
    pay = mil_r / (mil_r + pe.scale_military_aid)
    # E20s: the army returns to its own structural loyalty (the scenario's army_loyalty), under a
    # new ruler too (coup trap); off: to full loyalty, and a new ruler's army is loyal
    own = ctx.comp.army_loyalty0
    base = 1.0 if ctx.off("E20s") or own is None else own[None]
    target = M.target_loyalty(pv.prec_alone, backer, challengers, pay, pe, base)
    loyalty = np.where(ruling != pv.ruler_before, base, st.extra["loyalty"])   # a new ruler's army
    st.extra["loyalty"] = M.update_loyalty(loyalty, target, pe)


def forms(ctx: SimContext, st: RunState, pv: PeriodVars, rec: Recorder) -> None:
    """Step 6b (E19): each client's alignment form this period (alliance, aid, tacit, neutral, both)."""
    R, C, F, P = ctx.shape
    pe = ctx.params.elite
    aligned = st.aligned
    if ctx.off("E19"):
        st.extra["form"] = np.where(aligned < P, FORM["alliance"], FORM["neutral"]).astype(np.int8)
        st.extra["partner"], st.extra["second"] = aligned.copy(), np.full((R, C), P, dtype=np.int16)
        return
    T_now = threat_arrays(ctx, pv.t)[0]                                # (C, P)
    fused = _jit.forms(aligned, st.extra["tacit_with"], T_now, take(pv.money_fp, st.ruling), pv.prec_alone,
                       pe.both_precarity_max, pe.both_min_share, FORM)
    if fused is not None:                    # the same numbers from one compiled loop
        st.extra["tacit_with"], st.extra["form"], st.extra["partner"], st.extra["second"] = fused
        return
    tw = st.extra["tacit_with"]
    t_idx = np.minimum(tw, P - 1)
    still = (tw < P) & (_compiled.pick(T_now, t_idx) > 0)
    tw = np.where(still & (aligned == P), tw, P)
    st.extra["tacit_with"] = tw
    money = take(pv.money_fp, st.ruling)                               # (R, C, P) money to the ruler
    tot = sum_last(money)
    share = np.divide(money, tot[..., None], out=np.zeros_like(money), where=tot[..., None] > 0)
    top = np.argsort(-share, axis=-1)
    first, second = top[..., 0], (top[..., 1] if P > 1 else top[..., 0])
    s1 = _compiled.pick(share, first)
    s2 = _compiled.pick(share, second) if P > 1 else np.zeros((R, C))
    secure = pv.prec_alone <= pe.both_precarity_max
    # both: formally aligned with one and taking >= both_min_share from a rival, or non-aligned and
    # taking >= both_min_share from two; only a secure ruler plays both (E19, Y7 bidding)
    rival = np.where(first == aligned, second, first)
    rival_share = np.where(first == aligned, s2, s1)
    both_al = (aligned < P) & secure & (rival_share >= pe.both_min_share) & (rival != aligned)
    both_na = (aligned == P) & (tw == P) & secure & (s2 >= pe.both_min_share) & (P > 1)
    form = np.full((R, C), FORM["neutral"], dtype=np.int8)
    partner = np.full((R, C), P)
    sec = np.full((R, C), P)
    aid = (aligned == P) & (tw == P) & (tot > 0)
    form = np.where(aid, FORM["aid"], form)
    partner = np.where(aid, first, partner)
    form = np.where(tw < P, FORM["tacit"], form)
    partner = np.where(tw < P, tw, partner)
    form = np.where(aligned < P, FORM["alliance"], form)
    partner = np.where(aligned < P, aligned, partner)
    form = np.where(both_al, FORM["both"], form)
    sec = np.where(both_al, rival, sec)
    form = np.where(both_na, FORM["both"], form)
    partner = np.where(both_na, first, partner)
    sec = np.where(both_na, second, sec)
    st.extra["form"], st.extra["partner"], st.extra["second"] = form, partner, sec.astype(np.int16)


def pressure_terms(ctx: SimContext, st: RunState, pv: PeriodVars) -> tuple[np.ndarray, np.ndarray] | None:
    """(support loss of the ruler (R, C), damage share (R, C)) of the negative instruments (E21)."""
    pp = pv.extra.get("pressure_p")
    if pp is None:
        return None
    R, C, F, P = ctx.shape
    comp, t = ctx.comp, pv.t
    total = pp.sum(-1)
    aff = take(np.broadcast_to(comp.affinity[t][None], (R, C, F, P)), st.ruling)      # (R, C, P)
    hostility = np.divide((pp * np.clip(-aff, 0.0, 1.0)).sum(-1), total, out=np.zeros_like(total),
                          where=total > 0)
    rally = M.rally_factor(st.extra["ruler_share"], hostility, ctx.params.elite)
    loss = M.support_loss(total, rally, ctx.per_run("elite", 2).mass_effect_weight, ctx.params.elite)
    return loss, M.damage_share(total, ctx.params.elite) * (1.0 - rally)


def offer_terms(ctx: SimContext, pv: PeriodVars) -> np.ndarray | None:
    """(R, C, P) utility change of each patron from the negative instruments (E21): a patron's own
    pressure lowers its appeal, the others' pressure raises the value of its offer."""
    pp = pv.extra.get("pressure_p")
    if pp is None:
        return None
    pe = ctx.params.elite
    total = pp.sum(-1, keepdims=True)
    return pe.offer_weight * (M.damage_share(total - pp, pe) - M.damage_share(pp, pe))


def help_delivered(ctx: SimContext, st: RunState, pv: PeriodVars) -> np.ndarray:
    """(R, C, P) help each patron gave the ruler this period: money relative to its need, or forces."""
    pe = ctx.params.elite
    money = take(pv.money_fp, st.ruling)
    need = np.maximum(ctx.comp.aid_need[pv.t], pe.need_floor)[None, :, None]
    h = np.clip(money / need, 0.0, 1.0)
    iv = pv.extra.get("iv_p")
    return np.maximum(h, iv) if iv is not None else h


def purge_before_exit(ctx: SimContext, st: RunState, pv: PeriodVars, leaving: np.ndarray, a_idx: np.ndarray,
                      backing: np.ndarray, rec: Recorder) -> None:
    """E18: a ruler about to leave a patron that backs its rivals first purges them: a Tullock contest
    of the ruler's coercion against the strongest backed rival's; success purges the patron's
    pro-patron elites (``E.purge``), which lowers a later instigated coup's success."""
    R, C, F, P = ctx.shape
    pe = ctx.params.elite
    b = _compiled.pick(backing, a_idx)
    tries = leaving & (b > 0)
    if not tries.any():
        return
    # evaluated for the trying (run, client) cells only: every term is element-wise or per cell
    r, c = np.nonzero(tries)
    a, ru = a_idx[r, c], st.ruling[r, c]
    rec_p = st.received[r, c, :, a]                                       # (n, F) from patron a
    backed = (rec_p > 0) & (np.arange(F) != ru[:, None]) & ctx.comp.active[c]
    rival = max_last(np.where(backed, pv.coercion[r, c], 0.0))
    ruler = pv.coercion[r, c, ru]
    won = pv.v[r, c, 0] < M.purge_success(ruler, rival, pe.r_coup)
    ok = np.zeros((R, C), dtype=bool)
    ok[r[won], c[won]] = True
    rec("purge", ok, a_idx, pv.t)
    r, c, a = r[won], c[won], a[won]
    factor = st.purge_factor.copy()
    factor[r, c, a] = E.purge(factor[r, c, a], pe)
    st.purge_factor = factor
