"""REFERENCE ONLY (tests): the engine's period loop as it was before issue #10 split it into steps
(``git show eaf0bac:src/alliancelab/engine/_simulate.py``, verbatim but for the imports). The golden
tests compare the split engine, with issue #10's mechanisms switched off, against it on the current
inputs. Do not edit it to follow engine changes: it is the fixed point of comparison.

Original docstring: the period loop of the combined model: vectorised over runs, a Python loop over
periods only.

Every formula lives in the theory kernels (:mod:`alliancelab.theory.elite`,
:mod:`alliancelab.theory.disparity`); this module only wires them in the order of
``docs/theory.md`` ("One period") and draws the random events. State arrays have shape
``(runs, clients, ...)``. All randomness comes from one ``numpy.random.Generator``; every period draws
the same arrays in the same order whatever mechanisms are switched off, so reruns with a mechanism
disabled use common random numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from alliancelab.engine._compile import Compiled
from alliancelab.theory import disparity as Y
from alliancelab.theory import elite as E
from alliancelab.theory.instruments import INSTRUMENTS, MASS_INSTRUMENTS
from alliancelab.theory.params import ModelParams

__all__ = ["EVENT_KINDS", "MECHANISMS", "SimResult", "simulate"]

#: Mechanisms that can be switched off (``forecast(..., disable={...})``) and what switching does.
MECHANISMS: dict[str, str] = {
    "E2": "coups: challengers may seize power by force (off: no coups)",
    "E3": "patron support raises the backed faction's mass support (off: no mass effect of money)",
    "E4": "diplomatic gestures with their sign (off: gestures ignored)",
    "E5": "patron commitment to back armed action (off: commitment 0)",
    "E6": "breadth: narrow support decays fast and breeds discontent (off: all support broad)",
    "E8": "H1: the patron that supported the ruler offers most security and accepts the alliance "
          "(off: equal support shares, acceptance by paper Y's formation probability only)",
    "E9": "H2: precarity drives the demand for alignment (off: precarity fixed at 0.5)",
    "E10": "alliance membership lowers precarity (off: no relief)",
    "E11": "excess support builds ambition and split hazard (off: no ambition)",
    "E12": "punishment: blockade, instigated coup, purge (off: none of these)",
    "E13": "a strong client takes aid without alliance (off: never)",
    "E14": "ideological affinity in alignment (off: affinity 0)",
    "E17": "visibility: invisible transfers buy elite loyalty, not mass support (off: all visible)",
    "Y2": "disparity in formation, dissolution and discipline (off: D fixed at d*)",
    "Y3": "punish vs expel by disparity (off: even odds)",
    "Y4": "counterweight seeking of a stronger ally (off: none)",
    "Y5": "common threat in alignment, formation and dissolution (off: threat 0)",
    "Y6": "dissolution hazard of alliances (off: alliances do not dissolve by themselves)",
    "Y7": "maintenance cost against the patron's budget (off: always affordable)",
    "Y8": "no alternative patron lowers defection (off: ignored)",
    "Y10": "mistrust, accommodation and wedge effort (off: all 0)",
    "Y12": "distance and weak projection: a patron may only tolerate disloyalty (off: full control)",
}

#: Event kinds recorded per run and client; the second element says what labels them.
EVENT_KINDS: dict[str, str] = {
    "election_won": "faction", "coup_attempted": "faction", "coup_succeeded": "faction",
    "ousted_by_unrest": "faction", "alliance_formed": "patron", "aid_without_alliance": "patron",
    "split": "patron", "punishment": "patron", "expulsion": "patron", "realignment": "patron",
    "alliance_left": "patron",
}

_MIL = INSTRUMENTS.index("military_aid")
_ARMED = INSTRUMENTS.index("armed_action_commitment")
_GESTURE = INSTRUMENTS.index("diplomatic_gesture")
_MASS = np.array([INSTRUMENTS.index(n) for n in MASS_INSTRUMENTS])
_NU = 11  # uniforms drawn per (run, client) per period


@dataclass
class SimResult:
    """Raw outputs of one simulation (arrays indexed ``[period, run, client]``)."""

    ruling: np.ndarray        # (T, R, C) int faction index
    aligned: np.ndarray       # (T, R, C) int patron index, P = non-aligned
    atype: np.ndarray         # (T, R, C) int index of Y.ALLIANCE_TYPES
    precarity: np.ndarray     # (T, R, C) float, after alliance relief
    ruler_share: np.ndarray   # (T, R, C) float, mass support of the ruling faction
    first: dict[str, np.ndarray]   # kind -> (R, C) first period index, -1 if never
    by: dict[str, np.ndarray]      # kind -> (R, C, L) bool: ever happened with that label


def _take(x: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """``x[r, c, idx[r, c], ...]`` for x shaped (R, C, N, ...)."""
    ix = idx.reshape(idx.shape + (1,) * (x.ndim - idx.ndim))
    return np.take_along_axis(x, ix, axis=2)[:, :, 0]


def _onehot(idx: np.ndarray, n: int) -> np.ndarray:
    return idx[..., None] == np.arange(n)


def _sample(probs: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Index drawn from ``probs`` (last axis) with uniforms ``u`` (leading shape)."""
    cdf = np.cumsum(probs, axis=-1)
    out = (cdf < u[..., None] * cdf[..., -1:]).sum(axis=-1)
    return np.minimum(out, probs.shape[-1] - 1)


def _patterns(code: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Representative run of each distinct payment pattern, and each run's pattern index."""
    R = code.shape[0]
    flat = np.ascontiguousarray(code.reshape(R, -1).astype(np.uint8))     # codes are < 16
    rows = flat.view(np.dtype((np.void, flat.shape[1]))).ravel()
    _, rep, inv = np.unique(rows, return_index=True, return_inverse=True)
    return rep, inv.reshape(R)


def _money_by_patron(S: np.ndarray, f: int) -> np.ndarray:
    """Money each patron gave faction ``f`` (``total * share`` of ``elite.ruling_support_by_patron``)."""
    total, share = E.ruling_support_by_patron(S, f)
    return total[..., None] * share


def _support_terms(code: np.ndarray, sched: np.ndarray, visibility: np.ndarray, breadth: np.ndarray,
                   pe: E.EliteParams, off) -> tuple[np.ndarray, ...]:  # noqa: ANN001
    """Support kernels for payment patterns ``code`` (U, C, F, P) of the schedule (Q, C, F, P, I).

    Returns per pattern: mass effect per patron (U, C, P, F), elite loyalty per patron (U, C, P, F),
    narrow share (U, C, F), military aid (U, C, F), armed commitment (U, C, F), and the money each
    patron gave each faction (U, C, F, P).
    """
    S = np.zeros(code.shape + (sched.shape[-1],))
    for q in range(sched.shape[0]):
        if sched[q].any():
            S += ((code >> q) & 1)[..., None] * sched[q][None]
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


def horizon_counts(period_years: np.ndarray, election_due: np.ndarray,
                   horizon_years: float) -> tuple[np.ndarray, np.ndarray]:
    """Per period ``t``: the commitment horizon in periods of ``t``'s length, ``(T,)``, and the
    number of elections scheduled in the periods after ``t`` that fall within it, ``(T, C)``.

    Elections after the scenario's last period are unknown and not counted.
    """
    T = len(period_years)
    k = horizon_years / np.maximum(np.asarray(period_years, dtype=float), 1e-9)
    ends = np.cumsum(period_years)
    n = np.zeros(election_due.shape, dtype=float)
    for t in range(T - 1):
        within = (ends[t + 1:] - ends[t]) <= horizon_years + 1e-9
        within[0] = True                     # the next period's election always counts
        n[t] = election_due[t + 1:][within].sum(axis=0)
    return k, n


def simulate(comp: Compiled, params: ModelParams, runs: int, rng: np.random.Generator,
             disable: frozenset[str] = frozenset(), *, light: bool = False) -> SimResult:
    """Run ``runs`` Monte Carlo histories of the compiled scenario (see ``docs/theory.md``).

    ``light=True`` (used for driver reruns) skips what only the reports need (events, Table 1 types,
    the reported precarity); ruling and alignment histories are identical to a full run.
    """
    pe, pd, pg = params.elite, params.disparity, params.engine
    off = disable.__contains__
    T, C, F = comp.baseline.shape
    P = len(comp.patrons)
    R = runs
    L = max(F, P)
    act = np.broadcast_to(comp.active[None], (R, C, F))

    ruling = np.broadcast_to(comp.incumbent0, (R, C)).copy()
    aligned = np.broadcast_to(comp.aligned0, (R, C)).copy()
    last_patron = aligned.copy()
    stock = np.zeros((R, C, F))
    received = np.zeros((R, C, F, P))
    discontent = np.zeros((R, C))
    ambition = np.zeros((R, C))
    estrangement = np.zeros((R, C, P))
    punishing = np.zeros((R, C, P), dtype=bool)
    ever_split = np.zeros((R, C, P), dtype=bool)
    purge_factor = np.ones((R, C, P))

    out_ruling = np.empty((T, R, C), dtype=np.int16)
    out_aligned = np.empty((T, R, C), dtype=np.int16)
    out_type = np.zeros((T, R, C), dtype=np.int8)
    out_prec = np.zeros((T, R, C))
    out_share = np.zeros((T, R, C))
    first = {k: np.full((R, C), -1, dtype=np.int16) for k in EVENT_KINDS}
    by = {k: np.zeros((R, C, L), dtype=bool) for k in EVENT_KINDS}

    def record(kind: str, mask: np.ndarray, label: np.ndarray, t: int) -> None:
        if light or not mask.any():
            return
        f = first[kind]
        f[mask & (f < 0)] = t
        r, c = np.nonzero(mask)
        by[kind][r, c, label[r, c]] = True

    log_base = np.log(np.clip(comp.baseline, 1e-6, None))
    h_periods, h_elections = horizon_counts(comp.period_years, comp.election_due, pe.commitment_horizon)

    for t in range(T):
        shock = rng.normal(0.0, 1.0, (R, C, F)) * pg.shock_sd
        u = rng.random((R, C, _NU))
        u_att = rng.random((R, C, F))
        u_succ = rng.random((R, C, F))

        # ------------------------------------------------ 1. support actually paid this period
        # Each (run, client, faction, patron) is paid the scheduled items whose condition holds
        # (bit q of `code`), nothing under a blockade. Runs share few distinct patterns, so the
        # support kernels run once per pattern and are gathered back to the runs.
        al1 = _onehot(aligned, P)                                         # (R, C, P)
        nonal = (aligned == P)[..., None]
        others_split = (ever_split.sum(-1, keepdims=True) - ever_split) > 0
        cond = (np.ones((R, C, P), dtype=bool), al1, al1 | nonal, others_split)   # CONDITIONS order
        combo = sum(m.astype(np.int64) << q for q, m in enumerate(cond))  # (R, C, P)
        hostile = (punishing | (estrangement >= 0.5)) if not off("E12") else \
            np.zeros((R, C, P), dtype=bool)
        is_ruler = _onehot(ruling, F)                                     # (R, C, F)
        blockade = hostile[:, :, None, :] & is_ruler[..., None]           # (R, C, F, P)
        code = np.where(blockade, 0, combo[:, :, None, :])               # (R, C, F, P)
        rep, inv = _patterns(code)
        sup = _support_terms(code[rep], comp.support[t], comp.visibility[t], comp.breadth[t], pe, off)
        mass_p, loy_p, narrow, mil, armed, money_fp = (x[inv] for x in sup)

        # ------------------------------------------------ 2. mass support (E1, E3, E4, E6, E17)
        inflow = mass_p.sum(2)                                            # (R, C, F)
        stock = E.update_support_stock(stock, inflow, 1.0 - narrow, pe)
        discontent = E.update_discontent(discontent, _take(narrow, ruling), pe)
        coercion = comp.coercion[t][None] + loy_p.sum(2)
        shares = E.mass_support_shares(log_base[t][None], stock, shock, act)

        # ------------------------------------------------ 3. elections, coups, unrest (E1, E2, E5)
        ruler_before = ruling
        due = comp.election_due[t][None]                                  # (1, C)
        if due.any():
            win = E.election_win_probability(shares, act, pe)
            winner = _sample(win, u[..., 0])
            held = np.broadcast_to(due, (R, C))
            record("election_won", held, winner, t)
            ruling = np.where(held, winner, ruling)
        relief = E.alliance_relief(np.ones((R, C)), aligned < P, pe) if not off("E10") \
            else np.ones((R, C))
        success = E.coup_success_probability(coercion, mil, armed, ruling, shares, act, pe)
        attempt0 = E.coup_attempt_probability(success, armed, pe)
        if off("E2"):
            attempt0 = np.zeros_like(attempt0)
        attempt = attempt0 * relief[..., None]
        attempted = u_att < attempt
        succeeded = attempted & (u_succ < success)
        any_att = attempted.any(-1)
        record("coup_attempted", any_att, np.argmax(attempted * (1.0 + success), axis=-1), t)
        any_succ = succeeded.any(-1)
        new_ruler = np.argmax(succeeded * (1.0 + success), axis=-1)
        # unrest: the part of precarity not due to elections or coups (E15a), as the kernel composes it
        prec0 = E.precarity(shares, coercion, ruling, 0.0, discontent, act, pe,
                            military_aid=mil, armed_commitment=armed)
        survive_coups = np.prod(1.0 - E.coup_attempt_probability(success, armed, pe) * success, axis=-1)
        unrest = np.clip(1.0 - (1.0 - prec0) / np.maximum(survive_coups, 1e-12), 0.0, 1.0) * relief
        fell = ~any_succ & (u[..., 1] < unrest)
        challenger_shares = np.where(_onehot(ruling, F) | ~act, -1.0, shares)
        popular = np.argmax(challenger_shares, axis=-1)
        fell &= act.sum(-1) > 1
        record("coup_succeeded", any_succ, new_ruler, t)
        record("ousted_by_unrest", fell, popular, t)
        ruling = np.where(any_succ, new_ruler, np.where(fell, popular, ruling))
        is_ruler = _onehot(ruling, F)

        # ------------------------------------------------ 4. precarity (E9, E10)
        due_next = comp.election_due[t + 1][None] if t + 1 < T else np.zeros((1, C), dtype=bool)
        prec = None if light else E.precarity(shares, coercion, ruling, due_next.astype(float), discontent,
                                              act, pe, military_aid=mil, armed_commitment=armed)
        # H2's precarity "absent outside support": the ruler without the support stock and the elite
        # loyalty its patrons bought (challengers keep theirs); the security an alliance offers
        ruler_now = _onehot(ruling, F)
        shares_alone = E.mass_support_shares(log_base[t][None], np.where(ruler_now, 0.0, stock), shock, act)
        coercion_alone = np.where(ruler_now, comp.coercion[t][None], coercion)
        # ... over the commitment horizon (H2 with Morrow's long-lived commitment): coups and unrest
        # compounded over the horizon's periods, and every election scheduled within it
        q_alone = E.precarity(shares_alone, coercion_alone, ruling, 0.0, discontent, act, pe,
                              military_aid=mil, armed_commitment=armed)
        lose_alone = 1.0 - _take(E.election_win_probability(shares_alone, act, pe), ruling) \
            if h_elections[t].any() else 0.0
        prec_alone = E.horizon_precarity(q_alone, lose_alone, h_elections[t][None], h_periods[t])

        # ------------------------------------------------ 5. alignment choice (E8, E9, E14, Y5) + Y2
        # H1: money each patron gave each faction, accumulated over the struggle for power (a stock
        # decaying at the broad-support rate); the ruler's shares by patron enter the utilities
        received = E.update_support_stock(received, money_fp, 1.0, pe)
        rec_r = _take(received, ruling)                                   # (R, C, P)
        tot = rec_r.sum(-1, keepdims=True)
        share_p = np.divide(rec_r, tot, out=np.zeros_like(rec_r), where=tot > 0)
        if off("E8"):
            share_p = np.full_like(share_p, 1.0 / P)
        aff = np.zeros((R, C, P)) if off("E14") else _take(np.broadcast_to(comp.affinity[t][None],
                                                                          (R, C, F, P)), ruling)
        D = np.full((C, P), pd.d_star) if off("Y2") else comp.disparity[t]
        Tthr = np.zeros((C, P)) if off("Y5") else comp.threat[t]
        zero = np.zeros((C, P))
        mis = zero if off("Y10") else comp.mistrust[t]
        acc = zero if off("Y10") else comp.accommodation[t]
        wed = zero if off("Y10") else comp.wedge[t]
        prec_align = np.full((R, C), 0.5) if off("E9") else prec_alone
        util = E.alignment_utilities(prec_align, share_p, aff, np.broadcast_to(Tthr, (R, C, P)), pe)
        interested = comp.interest[t][None] > 0                           # (1, C, P)
        open_p = interested & (estrangement < 0.5) & comp.alliance_open[t][None]   # (R, C, P)
        available = np.concatenate([open_p, np.ones((R, C, 1), dtype=bool)], axis=-1)
        probs = E.choice_probabilities(util, available, pe)
        choice = _sample(probs, u[..., 2])
        # the patron accepts: paper Y's formation probability or, for a patron that backs the ruling
        # faction, the alliance it has been working for (H1, E7a: interest x its share of the ruler's
        # support) -- if it can afford the client (Y7)
        bidders = (comp.support[t].sum(axis=(0, 2, 4)) != 0)              # (C, P)
        n_bid = bidders.sum(-1, keepdims=True) - bidders                  # (C, P) rival bidders
        form = Y.formation_probability(D, Tthr, mis, acc, wed, pd)[None]  # (1, C, P)
        if not off("E8"):
            form = np.maximum(form, comp.interest[t][None] * share_p)     # (R, C, P)
        if not off("Y7"):
            cost = Y.maintenance_cost(comp.aid_need[t][:, None], n_bid, Tthr, 1.0, pd)
            afford = np.clip(comp.budget[t][None] / np.maximum(cost, 1e-9), 0.0, 1.0)
            afford = np.where(comp.aid_need[t][:, None] > 0, afford, 1.0)   # no aid demanded: no bill
            form = form * afford[None]
        # a new ruler (election, coup, unrest) re-decides the client's alignment: keeping the current
        # patron continues the alliance; anything else takes the client out of it (event alliance_left)
        changed = ruling != ruler_before
        leaves = changed & (aligned < P) & (choice != aligned)
        record("alliance_left", leaves, np.minimum(aligned, P - 1), t)
        aligned = np.where(leaves, P, aligned)
        chooser = (aligned == P) & (choice < P)
        cidx = np.minimum(choice, P - 1)
        accept_p = np.take_along_axis(np.broadcast_to(form, (R, C, P)), cidx[..., None], -1)[..., 0]
        accepted = chooser & (u[..., 3] < accept_p)
        # E13: a client that has broken with another patron and turns to an alternative donor takes
        # its aid without joining its bloc when strong (Tito 1949-55)
        turned = np.take_along_axis(others_split, cidx[..., None], -1)[..., 0]
        aid_only_p = np.zeros((R, C)) if off("E13") else E.aid_without_alliance(prec_alone, pe)
        aid_only = accepted & turned & (u[..., 4] < aid_only_p)
        joins = accepted & ~aid_only
        record("aid_without_alliance", aid_only, cidx, t)
        record("alliance_formed", joins, cidx, t)
        record("realignment", joins & (last_patron < P) & (last_patron != cidx), cidx, t)
        aligned = np.where(joins, cidx, aligned)
        last_patron = np.where(joins, cidx, last_patron)

        # ------------------------------------------------ 6. alliance dynamics (E10-E13, Y2-Y8, Y12)
        spend_r = _take(money_fp, ruling).sum(-1)                         # (R, C) money to the ruler
        if not off("E11"):
            ambition = E.update_ambition(ambition, spend_r, comp.aid_need[t][None], pe)
        member = (aligned < P) & ~joins
        a_idx = np.minimum(aligned, P - 1)
        pick = lambda x: np.take_along_axis(np.broadcast_to(x, (R, C, P)), a_idx[..., None], -1)[..., 0]  # noqa: E731
        D_a, T_a = pick(D), pick(Tthr)
        # another patron is open and usable: one that threatens the client is no alternative (Y8:
        # clients "threatened by the U.S. ... found no one to turn to", as alternative_availability)
        usable = np.where(open_p & ~_onehot(a_idx, P), 1.0 - comp.threat_from[t][None], 0.0)
        alt = usable.max(-1)
        tol = pick(comp.tolerance[t][None, None, :])
        tol_factor = (1.0 - tol) / (1.0 - pg.split_tolerance_pivot + 1e-12)
        h_e = np.zeros((R, C)) if off("E11") else E.split_hazard(ambition * tol_factor, pe)
        h_y = np.zeros((R, C)) if off("Y6") else Y.dissolution_hazard(
            D_a, T_a, pick(mis), pick(wed), pd, period_years=float(comp.period_years[t]))
        h_c = np.zeros((R, C)) if off("Y4") else pg.counterweight_weight * \
            Y.counterweight_propensity(1.0 - D_a, pd, alternative_available=alt)
        hazard = 1.0 - (1.0 - h_e) * (1.0 - h_y) * (1.0 - h_c)
        if not off("Y8"):
            hazard = Y.defection_probability(hazard, alt, pd)
        crisis = member & (u[..., 5] < hazard)
        record("split", crisis, a_idx, t)
        # the patron's response (Y3 punish vs expel by disparity; Y12 a distant patron may only tolerate)
        ctrl = np.ones((R, C)) if off("Y12") else pick(comp.control[t][None])
        D_resp = np.full((R, C), pd.expel_midpoint) if off("Y3") else D_a
        resp = Y.discipline_probabilities(D_resp, ctrl, pd)               # (R, C, 3) punish/expel/tolerate
        choice_resp = _sample(resp, u[..., 6])
        punish = crisis & (choice_resp == 0)
        expel = crisis & (choice_resp == 1)
        record("expulsion", expel, a_idx, t)
        record("punishment", punish, a_idx, t)
        broken = expel.copy()
        if punish.any():
            if off("E12"):
                ambition = np.where(punish, 0.0, ambition)
            else:
                pro = _take(np.broadcast_to(comp.pro_share[t][None], (R, C, F, P)), ruling)
                pro = pick(pro * purge_factor)
                s_r = _take(shares, ruling)
                c_r = _take(coercion, ruling)
                p_inst = E.instigated_coup_success(pro, s_r, c_r, pe)
                aff_all = np.broadcast_to(comp.affinity[t][None], (R, C, F, P))
                aff_p = np.take_along_axis(aff_all, a_idx[:, :, None, None], -1)[..., 0]  # (R, C, F)
                cand_score = np.where(act & ~is_ruler, aff_p, -np.inf)
                has_cand = np.isfinite(cand_score).any(-1)
                cand = np.where(has_cand, np.argmax(np.where(np.isfinite(cand_score), cand_score, -9e9),
                                                    -1), ruling)
                record("coup_attempted", punish, cand, t)
                won = punish & (u[..., 7] < p_inst)
                record("coup_succeeded", won, cand, t)
                ruling = np.where(won, cand, ruling)
                ambition = np.where(won, 0.0, ambition)
                failed = punish & ~won
                purged = E.purge(purge_factor, pe)
                purge_factor = np.where((failed[..., None] & _onehot(a_idx, P)), purged, purge_factor)
                punishing = punishing | (failed[..., None] & _onehot(a_idx, P))
                broken |= failed
        if broken.any():
            ev = broken[..., None] & _onehot(a_idx, P)
            estrangement = np.where(ev, 1.0, estrangement)
            ever_split |= ev
            aligned = np.where(broken, P, aligned)
            ambition = np.where(broken, 0.0, ambition)
        estrangement = estrangement * (1.0 - pg.reconcile_rate)
        punishing &= estrangement >= 0.5

        # ------------------------------------------------ 7. record (Table 1 type, Y9)
        out_ruling[t] = ruling
        out_aligned[t] = aligned
        if light:
            continue
        codes, _ = Y.classify(np.broadcast_to(comp.disparity[t], (R, C, P)),
                              np.broadcast_to(comp.threat[t], (R, C, P)), pd)
        a_now = np.minimum(aligned, P - 1)
        out_type[t] = np.where(aligned < P, np.take_along_axis(codes, a_now[..., None], -1)[..., 0], Y.NONE)
        out_prec[t] = np.where(aligned < P, E.alliance_relief(prec, True, pe) if not off("E10") else prec,
                               prec)
        out_share[t] = _take(shares, ruling)

    return SimResult(ruling=out_ruling, aligned=out_aligned, atype=out_type, precarity=out_prec,
                     ruler_share=out_share, first=first, by=by)
