"""The international steps of one period: alignment choice, alliance dynamics, and the record.

Each step is a function ``step(ctx, st, pv, rec)`` (see :mod:`._state`).
"""

from __future__ import annotations

import numpy as np

from ..theory import disparity as Y
from ..theory import elite as E
from ..theory import mechanisms as M
from ..theory._axis import max_last, sum_full, sum_last
from .. import _compiled
from . import _jit
from ._state import PeriodVars, Recorder, RunState, SimContext, onehot, sample, take
from ._steps_mechanisms import (FORM, help_delivered, offer_terms, patron_rivals, purge_before_exit,
                                state_aid_paid, state_aid_stock, threat_arrays)

__all__ = ["Outputs", "alignment", "alliance_dynamics", "record"]


def alignment(ctx: SimContext, st: RunState, pv: PeriodVars, rec: Recorder) -> None:
    """Step 5 (E8, E9, E13, E14, Y2, Y5, Y7, Y10): who the ruler wants and whether the patron accepts."""
    R, C, F, P = ctx.shape
    pe, pd, t, comp, u = ctx.params.elite, ctx.params.disparity, pv.t, ctx.comp, pv.u
    off = ctx.off
    ruling = st.ruling
    # H1: money each patron gave each faction, accumulated over the struggle for power (a stock
    # decaying at the broad-support rate); the ruler's shares by patron enter the utilities
    st.received = E.update_support_stock(st.received, pv.money_fp, 1.0, pe)
    rec_r = take(st.received, ruling)                                    # (R, C, P)
    tot = sum_full(rec_r)                                                # (R, C, P): the sum repeated
    share_p = np.divide(rec_r, tot, out=np.zeros_like(rec_r), where=tot > 0)
    if off("E8"):
        share_p = np.full_like(share_p, 1.0 / P)
    aff = np.zeros((R, C, P)) if off("E14") else take(np.broadcast_to(comp.affinity[t][None],
                                                                      (R, C, F, P)), ruling)
    pv.D = D = np.full((C, P), pd.d_star) if off("Y2") else comp.disparity[t]
    threat, threat_any, threat_from, accommodation, wedge = threat_arrays(ctx, t)   # Y13 unless off
    pv.Tthr = Tthr = np.zeros((C, P)) if off("Y5") else threat
    zero = np.zeros((C, P))
    pv.mis = mis = zero if off("Y10") else comp.mistrust[t]
    acc = zero if off("Y10") else accommodation
    pv.wed = wed = zero if off("Y10") else wedge
    # H2's security term: the security the support buys over the horizon (E9s), else the horizon
    # precarity alone (the measure before E9s)
    prec_align = np.full((R, C), 0.5) if off("E9") else pv.prec_alone if off("E9s") else pv.security
    util = E.alignment_utilities(prec_align, share_p, aff, np.broadcast_to(Tthr, (R, C, P)),
                                 ctx.per_run("elite", 3))
    state_aid = None if (off("E13b") or off("E21h") or off("E8")) else state_aid_stock(ctx, st, pv)
    if state_aid is not None:
        # E13b: a treaty with p forfeits the other patrons' aid to the state (the ruler anticipates
        # E21h), valued as H1 values a patron's support for security; non-alignment keeps every
        # bidder (E13, E19). Nothing to anticipate without E21h, no support shares without H1 (E8).
        # The state's stock counts aid paid under earlier rulers too: at most the ruler's own share
        stop = np.divide(np.minimum(state_aid, rec_r), tot, out=np.zeros_like(rec_r), where=tot > 0)
        util[..., :P] -= M.rival_support_loss(prec_align, stop, ctx.per_run("elite", 3).security_weight,
                                              patron_rivals(ctx))       # E13p: only the rivals' aid
    interested = comp.interest[t][None] > 0                              # (1, C, P)
    pv.open_p = open_p = interested & (st.estrangement < 0.5) & comp.alliance_open[t][None]   # (R, C, P)
    if not off("E19") and comp.neutral_treaty is not None and comp.neutral_treaty[t].any():
        open_p = open_p & ~comp.neutral_treaty[t][None, :, None]       # no treaty while neutral by treaty
    if not off("Y13") and comp.y13 is not None:                          # balance against the source
        util[..., :P] -= ctx.per_run("elite", 3).threat_weight * threat_from[None]
    offer = None if off("E21") else offer_terms(ctx, pv)                 # E21: the rival's offer
    if offer is not None:
        util[..., :P] += offer
    sitting = ruling == pv.ruler_before
    pre_util = util                           # before E18's re-weighing (and the treaty's commitment)
    backing = None
    if not off("E18"):                                                   # E18: re-weigh every period
        backing = _jit.rival_backing(st.received, ruling)                # (R, C, P)
        # a patron that is itself a target of the client's threat is fighting it: not abandonment
        shared = comp.y13["shared"][t] if comp.y13 is not None else np.zeros((C, P))
        unshared = np.clip(threat_any[:, None] - shared, 0.0, 1.0)[None]
        abandoned = M.abandonment(unshared, help_delivered(ctx, st, pv))
        decided = st.extra.get("aid_decided")
        keeps = (st.aligned < P) | (decided & sitting if decided is not None else False)
        base_util = util
        util = _jit.reweigh_utilities(util, st.aligned, backing, abandoned, sitting & keeps, pe,
                                      formal=st.aligned < P)
        partner = st.extra.get("partner", st.aligned)
        cur = np.minimum(np.where(st.aligned < P, st.aligned, partner), P - 1)
        at = lambda x: _compiled.pick(x, cur)  # noqa: E731
        prev_any = threat_arrays(ctx, t - 1)[1] if t > 0 else threat_any
        better = (max_last(np.where(onehot(cur, P), -1.0, share_p)) > at(share_p))
        triggered = (at(backing) > 0) | (at(abandoned) > 0) | better | (threat_any > prev_any + 1e-12)[None]
        pv.extra["triggered"] = triggered
    available = np.concatenate([open_p, np.ones((R, C, 1), dtype=bool)], axis=-1)
    probs = E.choice_probabilities(util, available, pe)
    choice = sample(probs, u[..., 2])
    # the patron accepts: paper Y's formation probability or, for a patron that backs the ruling
    # faction, the alliance it has been working for (H1, E7a: interest x its share of the ruler's
    # support) -- if it can afford the client (Y7)
    bidders = (comp.support[t].sum(axis=(0, 2, 4)) != 0)                 # (C, P)
    if comp.support_ruling is not None:
        bidders = bidders | (comp.support_ruling[t].sum(axis=(0, 3)) != 0)
    n_bid = bidders.sum(-1, keepdims=True) - bidders                     # (C, P) rival bidders
    # Y13p: the patron's side of formation weighs the threat from the patron's own seat (both sides
    # must face the common enemy; a threat to the client alone counts at the single-target weight)
    T_form = Tthr
    if not (off("Y13p") or off("Y13") or off("Y5")) and comp.y13 is not None:
        T_form = comp.y13["threat_patron"][t]
    mis_talks = mis
    if not (off("E8g") or off("E8")) and comp.mistrust.any():   # without mistrust there is none to dispel
        # E8g: a patron's support to the faction it chose is a costly signal of its intent to that
        # faction (Kydd 2005); the ruler brings the state's mistrust of a patron to the talks only in
        # proportion to the part of its support that did not come from that patron's backing of it by
        # name (H1's share less the patron's aid to the state, paid to whoever rules)
        # -- for a ruler that rose to power in the scenario (election, coup, unrest): H1's "secured its
        # rise"; the incumbent the scenario starts with keeps the state's record with its patrons
        risen = st.extra.get("risen", np.zeros((R, C), dtype=bool)) | (ruling != pv.ruler_before)
        st.extra["risen"] = risen
        trusted = M.trusted_mistrust(mis[None], _named_share(ctx, st, pv, tot))   # (R, C, P)
        mis_talks = np.where(risen[..., None], trusted, mis[None])
    talks = not off("Y16")
    if talks:
        # Y16: the patron's willingness reads disparity, threat, accommodation and wedge; the parties'
        # mistrust slows the talks that follow instead (the threat overcame the mistrust in 1941)
        form = Y.formation_probability(D, T_form, zero, acc, wed, pd)[None]   # (1, C, P)
        q_talks = Y.talks_conclusion_probability(D, T_form, mis_talks, acc, wed, pd)  # (C, P) or (R, C, P)
    else:
        form = Y.formation_probability(D, T_form, mis_talks, acc, wed, pd)   # (C, P) or (R, C, P)
        form = form if form.ndim == 3 else form[None]
    iv = pv.extra.get("iv_p")
    stake = None
    if not off("E8"):
        if iv is None:
            stake = comp.interest[t][None] * share_p                     # (R, C, P)
        else:                                                            # E22: forces raise the stake
            stake = M.patron_stake(comp.interest[t][None], share_p, iv)
        form_y, form = form, np.maximum(form, stake)
    if talks and not off("Y21"):
        # Y21: mistrust slows the talks by its log-odds on the patron's whole will to ally, the H1
        # stake included (on paper Y's route alone, where no stake exceeds it, Y16's q exactly)
        # (the mistrust the ruler brings to the talks: E8g's where it applies)
        will_y = Y.formation_probability(D, T_form, zero, acc, wed, pd)[None]
        mis_t = mis_talks if np.ndim(mis_talks) == 3 else mis_talks[None]
        q_old = q_talks if np.ndim(q_talks) == 3 else q_talks[None]
        q_talks = np.where(form > will_y, Y.talks_conclusion_given_will(form, mis_t, pd), q_old)
    if not off("Y7"):
        cost = Y.maintenance_cost(comp.aid_need[t][:, None], n_bid, Tthr, 1.0, pd)
        afford = np.clip(comp.budget[t][None] / np.maximum(cost, 1e-9), 0.0, 1.0)
        afford = np.where(comp.aid_need[t][:, None] > 0, afford, 1.0)   # no aid demanded: no bill
        if stake is None or off("Y24"):
            form = form * afford[None]
        else:
            # Y24: the budget bounds paper Y's bid for a client's loyalty, not H1's harvest: a patron
            # whose support raised the ruler has already paid for the alliance it worked for
            form = M.affordable_will(form_y, stake, afford[None])
    # a new ruler (election, coup, unrest) re-decides the client's alignment: keeping the current
    # patron continues the alliance; anything else takes the client out of it (event alliance_left)
    aligned = st.aligned
    changed = ruling != pv.ruler_before
    if backing is not None:                   # E18: a sitting ruler that re-chose leaves (step 6)
        prefers_other = _prefers_other(ctx, st, pv, base_util, util, available, changed)
        pv.extra["exit"] = ~changed & (aligned < P) & prefers_other & pv.extra["triggered"]
        pv.extra["backing"] = backing
    leaves = changed & (aligned < P) & (choice != aligned)
    rec("alliance_left", leaves, np.minimum(aligned, P - 1), t)
    aligned = np.where(leaves, P, aligned)
    lapse = _term_lapses(ctx, pv, pre_util, available, form, aligned, rec)
    if lapse is not None:
        aligned = np.where(lapse, P, aligned)
    chooser = (aligned == P) & (choice < P)
    if lapse is not None:                     # the lapsed treaty was this period's decision
        chooser &= ~lapse
    if talks:
        # Y16: talks opened in an earlier period go on while the same ruler sits, the client is
        # unaligned and the patron is still open to it; a ruler in talks does not choose afresh
        in_talks = st.extra.get("talks")
        if in_talks is None:
            in_talks = np.full((R, C), P, dtype=np.int16)
        tidx = np.minimum(in_talks, P - 1)
        still_open = np.take_along_axis(open_p, tidx[..., None].astype(np.intp), -1)[..., 0]
        cont = (in_talks < P) & (aligned == P) & ~changed & still_open
        chooser &= ~cont
    if backing is not None and "aid_decided" in st.extra:
        # a sitting ruler that decided to take aid without alliance keeps that decision until a
        # trigger (E18, E19); a new ruler decides afresh
        st.extra["aid_decided"] &= sitting
        chooser &= ~(st.extra["aid_decided"] & ~pv.extra["triggered"])
    cidx = np.minimum(choice, P - 1)
    accept_p = _compiled.pick(form, cidx)
    accepted = chooser & (u[..., 3] < accept_p)
    # E13: a client that has broken with another patron and turns to an alternative donor takes
    # its aid without joining its bloc when strong (Tito 1949-55)
    turned = _compiled.pick(pv.others_split, cidx)
    aid_only_p = np.zeros((R, C)) if off("E13") else E.aid_without_alliance(pv.prec_alone, pe)
    aid_only = accepted & turned & (u[..., 4] < aid_only_p)
    if not off("E19"):
        # E19: a ruler that does not need a patron takes its aid without a treaty (H2): the form
        # follows the ruler's need -- its precarity without outside support over the commitment
        # horizon, and the common threat the patron would help against (Y5) -- not the money, which
        # arrives either way (only a patron that pays the ruler, and sends no forces to defend it,
        # offers aid without alliance); a refused ruler and the patron cooperate tacitly under a
        # common threat when mistrust kept the treaty out (Y5, Y10)
        pick_c = lambda x: _compiled.pick(x, cidx)  # noqa: E731
        pays = pick_c(take(pv.money_fp, ruling)) > 0
        if iv is not None:     # E22: a patron whose forces defend the ruler offers protection,
            pays &= pick_c(iv) <= 0    # not aid alone (its stake asks for the treaty)
        aid_p = M.aid_only_by_need(pv.prec_alone, pick_c(Tthr), pe.both_precarity_max)
        aid_only |= accepted & ~turned & pays & (pv.v[..., 2] < aid_p)
        tacit = chooser & ~accepted & (pv.v[..., 3] < M.tacit_probability(pick_c(mis), pick_c(Tthr)))
        st.extra["tacit_with"] = np.where(tacit, cidx, st.extra["tacit_with"])
        st.extra["form"] = np.where(aid_only, FORM["aid"], st.extra["form"]).astype(np.int8)
        st.extra["aid_decided"] = (st.extra["aid_decided"] | aid_only) & ~(accepted & ~aid_only)
    joins = accepted & ~aid_only
    if talks:                                 # Y16: the treaty is signed when the talks conclude
        opened = joins
        q_at = lambda i: np.take_along_axis(np.broadcast_to(q_talks, (R, C, P)),  # noqa: E731
                                            i[..., None].astype(np.intp), -1)[..., 0]
        u_t = pv.extra["u_talks"]
        q_new = q_talks
        if comp.open_fraction is not None:    # talks opened with the option have the rest of the period
            q_new = Y.talks_in_part_of_period(q_talks, comp.open_fraction[t])
        done_new = opened & (u_t < np.take_along_axis(np.broadcast_to(q_new, (R, C, P)),
                                                      cidx[..., None].astype(np.intp), -1)[..., 0])
        done_old = cont & (u_t < q_at(tidx))
        joins = done_new | done_old
        cidx = np.where(done_old, tidx, cidx)
        st.extra["talks"] = np.where(opened & ~done_new, cidx,
                                     np.where(cont & ~done_old, in_talks, P)).astype(np.int16)
    pv.joins = joins
    rec("aid_without_alliance", aid_only, cidx, t)
    rec("alliance_formed", joins, cidx, t)
    rec("realignment", joins & (st.last_patron < P) & (st.last_patron != cidx), cidx, t)
    st.aligned = np.where(joins, cidx, aligned)
    st.last_patron = np.where(joins, cidx, st.last_patron)


def _named_share(ctx: SimContext, st: RunState, pv: PeriodVars, tot: np.ndarray) -> np.ndarray:
    """(R, C, P) E8g: each patron's share of the ruler's H1 support (``tot``, the ruler's whole stock)
    that it gave the ruler's faction by name -- a stock of ``money_fp`` less the aid to the state
    (``faction: ruling`` items, paid to whoever rules), decaying as ``received`` does. Updated once a
    period (step 5)."""
    R, C, F, P = ctx.shape
    paid = state_aid_paid(ctx, st, pv)
    inflow = pv.money_fp
    if paid is not None:                      # the state's aid went to the ruler at payment (step 1)
        inflow = np.clip(inflow - onehot(pv.ruler_before, F)[..., None] * paid[:, :, None, :], 0.0, None)
    st.extra["named"] = E.update_support_stock(st.extra.get("named", np.zeros((R, C, F, P))), inflow, 1.0,
                                               ctx.params.elite)
    named_r = take(st.extra["named"], st.ruling)                         # (R, C, P)
    return np.clip(np.divide(named_r, tot, out=np.zeros_like(named_r), where=tot > 0), 0.0, 1.0)


def _term_lapses(ctx: SimContext, pv: PeriodVars, util: np.ndarray, available: np.ndarray, form: np.ndarray,
                 aligned: np.ndarray, rec: Recorder) -> np.ndarray | None:
    """(R, C) Y17: the members whose treaty's term ends this period and is not renewed (event
    ``alliance_left``); None when no term ends. Renewal is a fresh decision of both sides: the ruler keeps
    the patron by its choice probability under ``util`` (the present utilities, without the expiring
    treaty's commitment), the patron accepts as at a formation (``form``)."""
    comp, t = ctx.comp, pv.t
    if ctx.off("Y17") or comp.term_end is None or not comp.term_end[t].any():
        return None
    P = ctx.shape[3]
    a_idx = np.minimum(aligned, P - 1)
    due = (aligned < P) & _compiled.pick(comp.term_end[t][None], a_idx)
    renew = M.renewal_probability(util, available, np.where(due, a_idx, P), _compiled.pick(form, a_idx),
                                  ctx.params.elite)
    lapse = due & ~(pv.extra["u_renew"] < renew)
    rec("alliance_left", lapse, a_idx, t)
    return lapse


def _prefers_other(ctx: SimContext, st: RunState, pv: PeriodVars, base_util: np.ndarray, util: np.ndarray,
                   available: np.ndarray, new_ruler: np.ndarray) -> np.ndarray:
    """(R, C) E18: a member's ruler now prefers another option than its alliance, with taste shocks that
    persist while the same ruler stays in the same alliance (:func:`M.persistent_shocks`), drawn given
    that it is in it at the first period it is seen so (revealed preference under that period's utilities
    before the reasons to leave); only a change of the utilities since then -- a reason -- moves it.
    Staying is always available, even where the patron is not open to new alliances.

    A ruler that took power this period (``new_ruler``) re-decided the treaty under ``util``, which
    includes the treaty's commitment: its shocks are drawn given that decision, so the commitment is
    counted once (in the conditioning), not twice. A member seen for the first time without a decision
    of its own (the alignment at the start, a ruler installed by the patron's coup, a client that joined
    last period) reveals only its preference before the treaty: ``base_util``."""
    P = ctx.shape[3]
    beta = ctx.params.elite.logit_scale
    member = st.aligned < P
    cur = np.where(member, st.aligned, P)
    valid = member & (st.extra["eps_patron"] == st.aligned) & (st.extra["eps_ruler"] == st.ruling)
    # staying in the alliance of record is always possible (it needs no new opening or acceptance)
    available = available | (cur[..., None] == np.arange(P + 1))
    # fresh shocks only where they are drawn (a member seen so for the first time): the kernel works
    # row by row, so the rows' values are those of the whole array's (and so are those of the
    # element-wise utilities the choice was made under, evaluated on those rows only)
    r, c = np.nonzero(member & ~valid)
    decided = np.where(new_ruler[r, c][:, None], util[r, c], base_util[r, c])
    z0 = np.where(available[r, c], beta * decided, -np.inf)
    eps = st.extra["eps"].copy()
    eps[r, c] = M.persistent_shocks(z0, cur[r, c], pv.extra["u_exit"][r, c])
    st.extra["eps"] = eps
    st.extra["eps_patron"] = np.where(member, st.aligned, P)
    st.extra["eps_ruler"] = st.ruling.copy()
    return member & _jit.leaves(util, available, beta, cur, st.extra["eps"])


def _lever(ctx: SimContext, st: RunState, pv: PeriodVars, a_idx: np.ndarray,
           cells: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """(R, C) Y18: the patron's lever on the ruler, the success of the coup E12 would instigate now (the
    pro-patron share of the ruling faction after purges, against its mass support and coercion); at the
    (run, client) ``cells`` only when given (the kernel is element-wise: the same values)."""
    if cells is not None:
        r, c = cells
        ru, a = st.ruling[r, c], a_idx[r, c]
        pro = ctx.comp.pro_share[pv.t][c, ru, a] * st.purge_factor[r, c, a]
        return E.instigated_coup_success(pro, pv.shares[r, c, ru], pv.coercion[r, c, ru], ctx.params.elite)
    C = ctx.shape[1]
    ru = st.ruling
    pro = ctx.comp.pro_share[pv.t][np.arange(C)[None, :], ru, a_idx] \
        * np.take_along_axis(st.purge_factor, a_idx[..., None], -1)[..., 0]
    return E.instigated_coup_success(pro, take(pv.shares, ru), take(pv.coercion, ru), ctx.params.elite)


def _client_act(h_client: np.ndarray, hazard: np.ndarray, exit_: np.ndarray | None) -> np.ndarray:
    """(R, C) Y18: the probability that a crisis is the client's defiance while it stays (its own
    hazard's share of the crisis hazard), not the patron's move against a rising ally (Y2, Y15) nor
    the client's exit (E18)."""
    share = np.where(hazard > 0.0, h_client / np.where(hazard > 0.0, hazard, 1.0), 1.0)
    return share if exit_ is None else np.where(exit_, 0.0, share)


def alliance_dynamics(ctx: SimContext, st: RunState, pv: PeriodVars, rec: Recorder) -> None:
    """Step 6 (E10-E13, Y2-Y8, Y12, Y18): crises of alliances, the patron's response, estrangement."""
    R, C, F, P = ctx.shape
    pe, pd, pg, t, comp, u = ctx.params.elite, ctx.params.disparity, ctx.params.engine, pv.t, ctx.comp, pv.u
    off, act = ctx.off, ctx.act
    ruling, aligned = st.ruling, st.aligned
    money_r = take(pv.money_fp, ruling)                                  # (R, C, P) money to the ruler
    if comp.market_frac is not None and not off("E11m"):   # E11m: market borrowing is no surplus
        money_r = M.grant_money(money_r, comp.market_frac[t][np.arange(C)[None, :], ruling])
    spend_r = sum_last(money_r)
    standing = st.ambition                    # E23: the stock the earlier periods' surplus built
    if not off("E11"):
        st.ambition = E.update_ambition(st.ambition, spend_r, comp.aid_need[t][None], pe)
    ambition = st.ambition
    member = (aligned < P) & ~pv.joins
    a_idx = np.minimum(aligned, P - 1)
    pick = lambda x: _compiled.pick(x, a_idx)  # noqa: E731
    D_a, T_a = pick(pv.D), pick(pv.Tthr)
    # another patron is open and usable: one that threatens the client is no alternative (Y8:
    # clients "threatened by the U.S. ... found no one to turn to", as alternative_availability)
    usable = np.where(pv.open_p & ~onehot(a_idx, P), 1.0 - threat_arrays(ctx, t)[2][None], 0.0)
    alt = max_last(usable)
    tol = pick(comp.tolerance[t][None, None, :])
    tol_factor = (1.0 - tol) / (1.0 - pg.split_tolerance_pivot + 1e-12)
    h_e = np.zeros((R, C)) if off("E11") else \
        E.split_hazard((ambition if off("E23") else standing) * tol_factor, pe)
    if off("Y6"):
        h_y = np.zeros((R, C))
    elif ctx.batch is None:                   # element-wise on (C, P) terms: once per dyad, then picked
        h_y = pick(Y.dissolution_hazard(pv.D, pv.Tthr, pv.mis, pv.wed, pd,
                                        period_years=float(comp.period_years[t])))
    else:
        h_y = Y.dissolution_hazard(D_a, T_a, pick(pv.mis), pick(pv.wed), ctx.per_run("disparity", 2),
                                   period_years=float(comp.period_years[t]))
    y14 = not off("Y14")
    # Y19 reads the fields only for Y15's challenges: without a challenge there is nothing to weigh
    y19 = comp.disparity_fields is not None and comp.challenge is not None and not (off("Y19") or off("Y15"))
    if y14:                                   # Y14: the disparity when each alliance began
        new = (aligned < P) & ((aligned != st.extra["d0_patron"]) | pv.joins)
        st.extra["d0"] = np.where(new, D_a, st.extra["d0"])
        if y19:                               # Y19: each field's share at the start
            fields = np.stack([pick(comp.disparity_fields[t][k]) for k in range(comp.disparity_fields.shape[1])],
                              -1)                                            # (R, C, 3)
            st.extra["d0_fields"] = np.where(new[..., None], fields, st.extra["d0_fields"])
        st.extra["d0_patron"] = np.where(aligned < P, aligned, P)
    h_c = np.zeros((R, C)) if off("Y4") else pg.counterweight_weight * \
        Y.counterweight_propensity(1.0 - D_a, pd, alternative_available=alt)
    if y14 and not off("Y4"):                 # the ally seeks a counterweight as it grows stronger
        h_c = np.clip(h_c - pg.counterweight_weight * Y.counterweight_propensity(
            1.0 - st.extra["d0"], pd, alternative_available=alt), 0.0, 1.0)
    hazard = 1.0 - (1.0 - h_e) * (1.0 - h_y) * (1.0 - h_c)
    if not off("Y8"):
        hazard = Y.defection_probability(hazard, alt, pd)
    if comp.appeal_drop is not None and not off("Y22"):   # Y22: the patron's legitimacy shock
        h_s = Y.legitimacy_shock_defiance(comp.appeal_drop[t][a_idx],
                                          comp.affinity[t][np.arange(C)[None, :], ruling, a_idx],
                                          take(pv.shares, ruling))
        hazard = 1.0 - (1.0 - hazard) * (1.0 - h_s)
    h_client = hazard                         # the client's own acts (Y18 tells them from the patron's)
    if y14 and not off("Y2"):                 # the patron senses a threat to its dominance (Y2, Y11)
        narrowing = Y.gap_narrowing(D_a, st.extra["d0"], pd)
        h_d = pg.dominance_weight * narrowing
        hazard = 1.0 - (1.0 - hazard) * (1.0 - h_d)
        if comp.challenge is not None and not off("Y15"):   # Y15: the ally challenges the patron's lead
            if y19:                           # Y19: in the field it closes in
                narrowing = Y.field_gap_narrowing(fields, st.extra["d0_fields"], narrowing, pd)
            h_ch = Y.challenge_discipline(pick(comp.challenge[t][None]), tol, narrowing)
            hazard = 1.0 - (1.0 - hazard) * (1.0 - h_ch)
    named_p = pv.extra.get("pressure_named_p")
    if named_p is not None and not off("E21c"):   # E21c: the ally's pressure on the ruler by name
        hazard = 1.0 - (1.0 - hazard) * (1.0 - M.affront_hazard(pick(named_p), pe))
    exit_ = pv.extra.get("exit")
    crisis = member & (u[..., 5] < hazard)
    if exit_ is not None:                     # E18: the ruler leaves on its own, after a purge
        exit_ = exit_ & member
        purge_before_exit(ctx, st, pv, exit_, a_idx, pv.extra["backing"], rec)
        crisis = crisis | exit_
    rec("split", crisis, a_idx, t)
    # the patron's response (Y3 punish vs expel by disparity; Y12 a distant patron may only tolerate)
    # (R, C, 3) punish/expel/tolerate: element-wise on the (C, P) terms, once per dyad, then picked
    ctrl = np.ones((C, P)) if off("Y12") else comp.control[t]
    D_resp = np.full((C, P), pd.expel_midpoint) if off("Y3") else pv.D
    resp = Y.discipline_probabilities(np.broadcast_to(D_resp, (C, P)), np.broadcast_to(ctrl, (C, P)), pd)
    resp = resp[np.arange(C)[None, :], a_idx]
    if not off("Y18"):                        # Y18: defiance without a lever to punish it is tolerated
        # the response is read in a crisis only: evaluated on those cells (every term is element-wise
        # or per cell, so their values are the whole arrays')
        r, c = np.nonzero(crisis)
        if r.size:
            cell = lambda x: np.broadcast_to(x, (R, C))[r, c]  # noqa: E731
            resp[r, c] = Y.tolerate_without_lever(
                resp[r, c], cell(tol), _lever(ctx, st, pv, a_idx, (r, c)),
                _client_act(cell(h_client), cell(hazard), None if exit_ is None else cell(exit_)))
    choice_resp = sample(resp, u[..., 6])
    punish = crisis & (choice_resp == 0)
    expel = crisis & (choice_resp == 1)
    rec("expulsion", expel, a_idx, t)
    rec("punishment", punish, a_idx, t)
    broken = expel.copy()
    if punish.any():
        if off("E12"):
            ambition = np.where(punish, 0.0, ambition)
        else:
            # the patron's instigated coup, evaluated for the punished (run, client) cells only:
            # every term is element-wise or per cell, so their values are the whole arrays'
            r, c = np.nonzero(punish)
            a, ru = a_idx[r, c], ruling[r, c]
            pro = comp.pro_share[t][c, ru, a] * st.purge_factor[r, c, a]
            p_inst = E.instigated_coup_success(pro, pv.shares[r, c, ru], pv.coercion[r, c, ru], pe)
            cand_score = np.where(act[0, c] & (np.arange(F) != ru[:, None]), comp.affinity[t][c, :, a],
                                  -np.inf)                                 # (n, F) affinity with patron a
            has_cand = np.isfinite(cand_score).any(-1)
            cand = ruling.astype(np.result_type(np.intp, ruling.dtype))
            cand[r, c] = np.where(has_cand, np.argmax(np.where(np.isfinite(cand_score), cand_score, -9e9),
                                                      -1), ru)
            rec("coup_attempted", punish, cand, t)
            won = np.zeros((R, C), dtype=bool)
            won[r, c] = u[r, c, 7] < p_inst
            rec("coup_succeeded", won, cand, t)
            ruling = np.where(won, cand, ruling)
            ambition = np.where(won, 0.0, ambition)
            failed = punish & ~won
            r, c = np.nonzero(failed)
            a = a_idx[r, c]
            factor, punishing = st.purge_factor.copy(), st.punishing.copy()
            factor[r, c, a] = E.purge(factor[r, c, a], pe)
            punishing[r, c, a] = True
            st.purge_factor, st.punishing = factor, punishing
            broken |= failed
    if exit_ is not None:                     # a tolerated exit: the client just leaves
        quiet = exit_ & (choice_resp == 2)
        rec("alliance_left", quiet, a_idx, t)
        aligned = np.where(quiet, P, aligned)
    if broken.any():
        ev = broken[..., None] & onehot(a_idx, P)
        st.estrangement = np.where(ev, 1.0, st.estrangement)
        st.ever_split |= ev
        aligned = np.where(broken, P, aligned)
        ambition = np.where(broken, 0.0, ambition)
    st.estrangement = st.estrangement * (1.0 - pg.reconcile_rate)
    st.punishing &= st.estrangement >= 0.5
    st.ruling, st.aligned, st.ambition = ruling, aligned, ambition


class Outputs:
    """The per-period arrays a :class:`SimResult` holds, filled by :func:`record`."""

    def __init__(self, T: int, R: int, C: int) -> None:
        self.ruling = np.empty((T, R, C), dtype=np.int16)
        self.aligned = np.empty((T, R, C), dtype=np.int16)
        self.atype = np.zeros((T, R, C), dtype=np.int8)
        self.precarity = np.zeros((T, R, C))
        self.prec_alone = np.zeros((T, R, C))
        self.ruler_share = np.zeros((T, R, C))
        self.form = np.zeros((T, R, C), dtype=np.int8)
        self.partner = np.zeros((T, R, C), dtype=np.int16)
        self.second = np.zeros((T, R, C), dtype=np.int16)
        self.army_loyalty = np.ones((T, R, C))


def record(ctx: SimContext, st: RunState, pv: PeriodVars, out: Outputs) -> None:
    """Step 7 (Y9): who rules, the alignment, its Table 1 type, the precarity, the ruler's support."""
    R, C, F, P = ctx.shape
    pe, pd, t, comp = ctx.params.elite, ctx.params.disparity, pv.t, ctx.comp
    out.ruling[t] = st.ruling
    out.aligned[t] = st.aligned
    if ctx.light:
        return
    aligned = st.aligned
    codes, _ = Y.classify(np.broadcast_to(comp.disparity[t], (R, C, P)),
                          np.broadcast_to(threat_arrays(ctx, t)[0], (R, C, P)), pd)
    a_now = np.minimum(aligned, P - 1)
    out.atype[t] = np.where(aligned < P, np.take_along_axis(codes, a_now[..., None], -1)[..., 0], Y.NONE)
    prec = pv.prec
    out.precarity[t] = np.where(aligned < P, E.alliance_relief(prec, True, pe) if not ctx.off("E10") else prec,
                                prec)
    out.prec_alone[t] = pv.prec_alone
    out.ruler_share[t] = take(pv.shares, st.ruling)
    if "form" in st.extra:
        out.form[t], out.partner[t], out.second[t] = st.extra["form"], st.extra["partner"], st.extra["second"]
        out.army_loyalty[t] = st.extra["loyalty"]
