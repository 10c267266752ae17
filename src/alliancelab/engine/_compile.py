"""Compile a validated :class:`~alliancelab.scenario.Scenario` into the engine's dense arrays.

Everything deterministic about the scenario is computed once here, per period: facts after scripted
events, scheduled support by payment condition, power, disparity (paper Y kernel), common threat,
mistrust. The Monte Carlo loop then only draws and updates run states.

Axes: ``T`` periods, ``C`` clients, ``F`` factions (padded; ``active`` mask), ``P`` patrons,
``I`` instruments (:data:`INSTRUMENTS`), ``K`` power components, ``Q`` payment conditions.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np

from ..scenario import CONDITIONS, POWER_COMPONENTS, Scenario
from ..scenario._dates import date_key
from ..scenario._paths import set_path
from ..theory import disparity as Y
from ..theory.instruments import INSTRUMENTS
from ..theory.params import ModelParams

__all__ = ["Compiled", "compile_scenario"]

_ARMED = INSTRUMENTS.index("armed_action_commitment")
_GESTURE = INSTRUMENTS.index("diplomatic_gesture")


@dataclass(frozen=True)
class Compiled:
    """Dense, per-period arrays of a scenario (no runs axis)."""

    periods: list[str]
    clients: list[str]
    patrons: list[str]
    factions: list[list[str]]          # per client
    active: np.ndarray                 # (C, F) bool
    incumbent0: np.ndarray             # (C,) int
    aligned0: np.ndarray               # (C,) int, P = non-aligned
    baseline: np.ndarray               # (T, C, F)
    coercion: np.ndarray               # (T, C, F)
    affinity: np.ndarray               # (T, C, F, P)
    pro_share: np.ndarray              # (T, C, F, P)
    interest: np.ndarray               # (T, C, P)
    alliance_open: np.ndarray          # (T, C, P) bool: the patron can conclude an alliance
    budget: np.ndarray                 # (T, P)
    tolerance: np.ndarray              # (T, P)
    control: np.ndarray                # (T, C, P) Y12 control effectiveness
    aid_need: np.ndarray               # (T, C)
    support: np.ndarray                # (T, Q, C, F, P, I) scheduled amounts per condition
    visibility: np.ndarray             # (T, C, F, P, I) amount-weighted
    breadth: np.ndarray                # (T, C, F, P, I) amount-weighted
    election_due: np.ndarray           # (T, C) bool
    disparity: np.ndarray              # (T, C, P) patron's share of the dyad's power
    threat: np.ndarray                 # (T, C, P) common threat of the dyad, Y5
    threat_any: np.ndarray             # (T, C) strongest threat to the client from anyone
    threat_from: np.ndarray            # (T, C, P) threat the patron itself poses to the client (Y8)
    accommodation: np.ndarray          # (T, C, P)
    wedge: np.ndarray                  # (T, C, P)
    mistrust: np.ndarray               # (T, C, P)
    period_years: np.ndarray           # (T,)
    scheduled_spend: np.ndarray        # (T, P) money scheduled by each patron (all clients)


def _period_of(s: Scenario, date: str) -> int:
    return max(s.period_index(date), 0)


def _span(s: Scenario, start: str | None, end: str | None, *, default_end_last: bool) -> range:
    """Periods covered by ``[start, end]`` (inclusive); ``end=None`` -> start only or the last."""
    t0 = 0 if start is None else _period_of(s, start)
    if end is None:
        t1 = len(s.periods) - 1 if default_end_last else t0
    else:
        t1 = s.period_index(end)
    return range(t0, t1 + 1)


def _power_series(power: dict, s: Scenario) -> np.ndarray:
    """(T, K) power components, carried forward from dated entries (an entry applies from the
    period its date falls in)."""
    out = np.zeros((len(s.periods), len(POWER_COMPONENTS)))
    cur = {c: 0.0 for c in POWER_COMPONENTS}
    entries = sorted(power.items(), key=lambda kv: date_key(kv[0]))
    j = 0
    for t in range(len(s.periods)):
        while j < len(entries) and max(s.period_index(entries[j][0]), 0) <= t:
            for c in POWER_COMPONENTS:
                v = getattr(entries[j][1], c)
                if v is not None:
                    cur[c] = v
            j += 1
        out[t] = [cur[c] for c in POWER_COMPONENTS]
    return out


def _period_years(s: Scenario) -> np.ndarray:
    keys = s.period_keys
    def years(k: tuple[int, int, int]) -> float:
        return k[0] + (max(k[1], 1) - 1) / 12.0 + (max(k[2], 1) - 1) / 365.25
    t = np.array([years(k) for k in keys])
    if len(t) == 1:
        return np.ones(1)
    d = np.diff(t)
    d = np.where(d > 0, d, 1.0)
    return np.append(d, d[-1])


def _states_by_period(s: Scenario) -> list[Scenario]:
    """The scenario's facts in force in each period (scripted events applied cumulatively)."""
    if not s.events:
        return [s] * len(s.periods)
    base = s.model_dump(by_alias=True, exclude={"events"})
    out: list[Scenario] = []
    work = copy.deepcopy(base)
    applied = 0
    events = list(s.events)
    cache: Scenario | None = None
    for t in range(len(s.periods)):
        changed = False
        while applied < len(events) and _period_of(s, events[applied].date) <= t:
            for path, value in events[applied].set.items():
                set_path(work, path, value)
            applied += 1
            changed = True
        if cache is None or changed:
            cache = Scenario.model_validate(work)
        out.append(cache)
    return out


def compile_scenario(s: Scenario, params: ModelParams) -> Compiled:
    """Return the dense arrays of scenario ``s`` (see :class:`Compiled`)."""
    periods = list(s.periods)
    clients = list(s.clients)
    patrons = list(s.patrons)
    T, C, P, I = len(periods), len(clients), len(patrons), len(INSTRUMENTS)
    factions = [list(s.clients[c].factions) for c in clients]
    F = max(len(f) for f in factions)
    Q = len(CONDITIONS)
    active = np.zeros((C, F), dtype=bool)
    for ci, fs in enumerate(factions):
        active[ci, : len(fs)] = True

    states = _states_by_period(s)
    baseline = np.zeros((T, C, F))
    coercion = np.zeros((T, C, F))
    affinity = np.zeros((T, C, F, P))
    pro_share = np.zeros((T, C, F, P))
    interest = np.zeros((T, C, P))
    budget = np.zeros((T, P))
    tolerance = np.zeros((T, P))
    distance = np.zeros((T, C, P))
    projection = np.zeros((T, P))
    aid_need = np.zeros((T, C))
    alliance_open = np.ones((T, C, P), dtype=bool)
    for pi, pn in enumerate(patrons):
        frm = s.patrons[pn].alliance_from
        for ci, cn in enumerate(clients):
            d = frm.get(cn, frm.get("*"))
            if d is not None:
                alliance_open[: max(s.period_index(d), 0), ci, pi] = False
    for t, st in enumerate(states):
        for pi, pn in enumerate(patrons):
            pat = st.patrons[pn]
            budget[t, pi] = pat.budget
            tolerance[t, pi] = pat.tolerance
            projection[t, pi] = pat.projection
            for ci, cn in enumerate(clients):
                interest[t, ci, pi] = 0.0 if cn == pn else pat.interest.get(cn, pat.interest.get("*", 0.0))
                distance[t, ci, pi] = pat.distance_km.get(cn, pat.distance_km.get("*", 0.0))
        for ci, cn in enumerate(clients):
            cl = st.clients[cn]
            aid_need[t, ci] = cl.aid_need
            for fi, fname in enumerate(factions[ci]):
                fa = cl.factions[fname]
                baseline[t, ci, fi] = fa.baseline_support
                coercion[t, ci, fi] = fa.coercion
                for pi, pn in enumerate(patrons):
                    affinity[t, ci, fi, pi] = fa.affinity.get(pn, 0.0)
                    pro_share[t, ci, fi, pi] = fa.pro_patron_share.get(pn, 0.0)
    control = Y.control_effectiveness(distance, projection[:, None, :], params.disparity)

    incumbent0 = np.array([next(i for i, f in enumerate(factions[ci])
                                if s.clients[cn].factions[f].incumbent) for ci, cn in enumerate(clients)])
    aligned0 = np.array([patrons.index(s.clients[cn].aligned_with)
                         if s.clients[cn].aligned_with is not None else P for cn in clients])

    # ---- scheduled support per payment condition
    support = np.zeros((T, Q, C, F, P, I))
    vis_w = np.zeros((T, C, F, P, I))
    br_w = np.zeros((T, C, F, P, I))
    weight = np.zeros((T, C, F, P, I))
    spend = np.zeros((T, P))
    for it in s.support:
        if it.instrument not in INSTRUMENTS:      # negative instruments, intervention: compiled below
            continue
        ci = clients.index(it.client if it.client is not None else s.primary)
        fi = factions[ci].index(it.faction)
        pi = patrons.index(it.patron)
        ii = INSTRUMENTS.index(it.instrument)
        qi = CONDITIONS.index(it.condition)
        for t in _span(s, it.from_, it.to, default_end_last=False):
            support[t, qi, ci, fi, pi, ii] += it.amount
            w = abs(it.amount) if ii not in (_ARMED, _GESTURE) else 1.0
            w = max(w, 1e-12)
            vis_w[t, ci, fi, pi, ii] += w * it.visibility
            br_w[t, ci, fi, pi, ii] += w * it.breadth
            weight[t, ci, fi, pi, ii] += w
            if ii not in (_ARMED, _GESTURE):
                spend[t, pi] += it.amount
    visibility = np.divide(vis_w, weight, out=np.ones_like(vis_w), where=weight > 0)
    breadth = np.divide(br_w, weight, out=np.ones_like(br_w), where=weight > 0)
    support[:, :, :, :, :, _ARMED] = np.clip(support[:, :, :, :, :, _ARMED], 0.0, 1.0)
    support[:, :, :, :, :, _GESTURE] = np.clip(support[:, :, :, :, :, _GESTURE], -1.0, 1.0)

    election_due = np.zeros((T, C), dtype=bool)
    for ci, cn in enumerate(clients):
        for d in s.clients[cn].elections:
            t = s.period_index(d)
            if 0 <= t < T:
                election_due[t, ci] = True

    # ---- power and disparity (paper Y kernel)
    patron_power = np.stack([_power_series(s.patrons[pn].power, s) for pn in patrons], 1)
    client_power = np.stack([_power_series(s.clients[cn].power, s) for cn in clients], 1)
    D = Y.disparity(patron_power[:, None, :, :], client_power[:, :, None, :], params.disparity)

    # ---- threats: common threat of each (client, patron) dyad, Y5/Y10
    names_c = {n: i for i, n in enumerate(clients)}
    names_p = {n: i for i, n in enumerate(patrons)}
    threat = np.zeros((T, C, P))
    accommodation = np.zeros((T, C, P))
    wedge = np.zeros((T, C, P))
    threat_any = np.zeros((T, C))
    threat_from = np.zeros((T, C, P))
    w1 = params.engine.single_target_threat_weight
    for th in s.threats:
        eff = float(Y.effective_threat(th.severity, th.imminence, th.clarity, params.disparity))
        targets = set(th.targets)
        for t in _span(s, th.from_, th.to, default_end_last=True):
            for cn, ci in names_c.items():
                if cn in targets:
                    threat_any[t, ci] = max(threat_any[t, ci], eff)
                    if th.actor in names_p:
                        pa = names_p[th.actor]
                        threat_from[t, ci, pa] = max(threat_from[t, ci, pa], eff)
                for pn, pi in names_p.items():
                    if th.actor in (cn, pn) or cn == pn:
                        continue
                    hit = (cn in targets) + (pn in targets)
                    if hit == 0:
                        continue
                    val = eff * (1.0 if hit == 2 else w1)
                    if val > threat[t, ci, pi]:
                        threat[t, ci, pi] = val
                        accommodation[t, ci, pi] = th.accommodation
                        wedge[t, ci, pi] = th.wedge
    mistrust = np.zeros((T, C, P))
    for m in s.mistrust:
        a, b = m.between
        for t in _span(s, m.from_, m.to, default_end_last=True):
            for cn, ci in names_c.items():
                for pn, pi in names_p.items():
                    if {a, b} == {cn, pn}:
                        mistrust[t, ci, pi] = max(mistrust[t, ci, pi], m.level)

    return Compiled(periods=periods, clients=clients, patrons=patrons, factions=factions, active=active,
                    incumbent0=incumbent0, aligned0=aligned0, baseline=baseline, coercion=coercion,
                    affinity=affinity, pro_share=pro_share, interest=interest, alliance_open=alliance_open,
                    budget=budget,
                    tolerance=tolerance, control=control, aid_need=aid_need, support=support,
                    visibility=visibility, breadth=breadth, election_due=election_due, disparity=D,
                    threat=threat, threat_any=threat_any, threat_from=threat_from, accommodation=accommodation, wedge=wedge,
                    mistrust=mistrust, period_years=_period_years(s), scheduled_spend=spend)
