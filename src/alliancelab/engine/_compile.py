"""Compile a validated :class:`~alliancelab.scenario.Scenario` into the engine's dense arrays.

Everything deterministic about the scenario is computed once here, per period: facts after scripted
events, scheduled support by payment condition, power, disparity (paper Y kernel), common threat,
mistrust. The Monte Carlo loop then only draws and updates run states.

Axes: ``T`` periods, ``C`` clients, ``F`` factions (padded; ``active`` mask), ``P`` patrons,
``I`` instruments (:data:`INSTRUMENTS`), ``K`` power components, ``Q`` payment conditions.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import numpy as np

from ..scenario import CONDITIONS, POWER_COMPONENTS, Scenario
from ..scenario._dates import date_key
from ..scenario._paths import set_path
from ..theory import disparity as Y
from ..theory.instruments import INSTRUMENTS, INTERVENTION, NEGATIVE_INSTRUMENTS
from ..theory.mechanisms import FORMS, dyad_threat, intent_severity, rivalry
from ..theory.params import ModelParams

__all__ = ["Compiled", "ThreatFacts", "compile_scenario", "dyad_threats"]

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
    # ---- issue #10 (defaults keep other constructors of Compiled working: None = not in the scenario)
    support_ruling: np.ndarray | None = None    # (T, Q, C, P, I) support to whichever faction rules
    pressure: np.ndarray | None = None          # (T, Q, C, F + 1, P) negative instruments (E21); F = ruling
    intervention: np.ndarray | None = None      # (T, Q, C, F + 1, P) defence commitment (E22); F = ruling
    y13: dict[str, np.ndarray] | None = None    # Y13 versions of threat, threat_any, threat_from, ...
    army_loyalty0: np.ndarray | None = None     # (C,) initial army loyalty (E20); None = 1
    form0: np.ndarray | None = None             # (C,) initial alignment form index of FORMS (E19)
    second0: np.ndarray | None = None           # (C,) second patron of form "both", P = none
    neutral_treaty: np.ndarray | None = None    # (T, C) bool: neutral by treaty (E19)
    grabs: tuple[tuple, ...] = field(default=())  # scripted power grabs (E20), see _grab_records
    challenge: np.ndarray | None = None         # (T, C, P) the client's challenge to the patron (Y15)
    #: (T, K, C, P) the patron's share of the dyad on each of paper Y's first three power components
    #: (military, economic, ideological; Y19); None = not compiled (the composite alone)
    disparity_fields: np.ndarray | None = None
    term_end: np.ndarray | None = None          # (T, C, P) bool: a treaty's term ends in the period (Y17)
    #: (T, C, F, P) share of the money scheduled from each patron to each faction (as ruler, with the
    #: faction: ruling items) that is market borrowing (E11m); None without market items
    market_frac: np.ndarray | None = None
    legislative_due: np.ndarray | None = None   # (T, C) bool: an election that cannot replace the ruler
    #: (P, P) bool: E13p's rivalry between patrons (M.rivalry); None = the case lists no ``rivals``
    rivals: np.ndarray | None = None
    #: (T, C, P) share of each period left after the patron's option opens (``alliance_from`` inside
    #: the period; 1 elsewhere): the time talks opened then have in that period (Y16); None = all 1
    open_fraction: np.ndarray | None = None
    #: (T, P) relative fall of each patron's ideological appeal since the previous period (Y22); None =
    #: not compiled (no shock)
    appeal_drop: np.ndarray | None = None


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


def _years(k: tuple[int, int, int]) -> float:
    """A date key as fractional years (month and day count from their start)."""
    return k[0] + (max(k[1], 1) - 1) / 12.0 + (max(k[2], 1) - 1) / 365.25


def _appeal_drop(patron_power: np.ndarray) -> np.ndarray | None:
    """(T, P) Y22: each patron's relative fall in ideological appeal since the previous period; None
    when no patron's appeal falls (the mechanism is inert)."""
    drop = Y.appeal_drop(patron_power[:, :, POWER_COMPONENTS.index("ideological")])
    return drop if drop.any() else None


def _open_fraction(s: Scenario, alliance_open: np.ndarray) -> np.ndarray | None:
    """(T, C, P) the share of the opening period left after each ``alliance_from`` date (Y16); None
    when every option opens at a period's start (or before the first period)."""
    from ..scenario._dates import date_key

    out = np.ones(alliance_open.shape)
    starts, lengths = [_years(k) for k in s.period_keys], _period_years(s)
    for pi, pn in enumerate(list(s.patrons)):
        frm = s.patrons[pn].alliance_from
        for ci, cn in enumerate(list(s.clients)):
            d = frm.get(cn, frm.get("*"))
            t = s.period_index(d) if d is not None else -1
            if t >= 0:
                left = (starts[t] + lengths[t] - _years(date_key(d))) / lengths[t]
                out[t, ci, pi] = min(1.0, max(0.0, left))
    return out if (out < 1.0).any() else None


def _period_years(s: Scenario) -> np.ndarray:
    keys = s.period_keys
    t = np.array([_years(k) for k in keys])
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
    money_all = np.zeros((T, C, F, P))        # money scheduled to each faction as ruler (E11m)
    money_market = np.zeros((T, C, F, P))
    support_ruling = np.zeros((T, Q, C, P, I))
    pressure = np.zeros((T, Q, C, F + 1, P))
    intervention = np.zeros((T, Q, C, F + 1, P))
    for it in s.support:
        if it.instrument not in INSTRUMENTS:      # negative instruments (E21), intervention (E22)
            ci = clients.index(it.client if it.client is not None else s.primary)
            fi = F if it.faction == "ruling" else factions[ci].index(it.faction)
            target = pressure if it.instrument in NEGATIVE_INSTRUMENTS else intervention
            for t in _span(s, it.from_, it.to, default_end_last=False):
                target[t, CONDITIONS.index(it.condition), ci, fi, patrons.index(it.patron)] += it.amount
            continue
        ci = clients.index(it.client if it.client is not None else s.primary)
        ruler_item = it.faction == "ruling"
        fi = slice(None) if ruler_item else factions[ci].index(it.faction)
        pi = patrons.index(it.patron)
        ii = INSTRUMENTS.index(it.instrument)
        qi = CONDITIONS.index(it.condition)
        for t in _span(s, it.from_, it.to, default_end_last=False):
            if ruler_item:      # paid to whichever faction rules; its visibility and breadth weigh
                support_ruling[t, qi, ci, pi, ii] += it.amount       # in every faction's averages
            else:
                support[t, qi, ci, fi, pi, ii] += it.amount
            w = abs(it.amount) if ii not in (_ARMED, _GESTURE) else 1.0
            w = max(w, 1e-12)
            vis_w[t, ci, fi, pi, ii] += w * it.visibility
            br_w[t, ci, fi, pi, ii] += w * it.breadth
            weight[t, ci, fi, pi, ii] += w
            if ii not in (_ARMED, _GESTURE):
                spend[t, pi] += it.amount
                money_all[t, ci, fi, pi] += it.amount
                if it.market:
                    money_market[t, ci, fi, pi] += it.amount
    visibility = np.divide(vis_w, weight, out=np.ones_like(vis_w), where=weight > 0)
    breadth = np.divide(br_w, weight, out=np.ones_like(br_w), where=weight > 0)
    support[:, :, :, :, :, _ARMED] = np.clip(support[:, :, :, :, :, _ARMED], 0.0, 1.0)
    support[:, :, :, :, :, _GESTURE] = np.clip(support[:, :, :, :, :, _GESTURE], -1.0, 1.0)
    support_ruling[..., _ARMED] = np.clip(support_ruling[..., _ARMED], 0.0, 1.0)
    support_ruling[..., _GESTURE] = np.clip(support_ruling[..., _GESTURE], -1.0, 1.0)

    election_due = _dates_due(s, clients, "elections")
    legislative_due = _dates_due(s, clients, "legislative_elections")

    # ---- power and disparity (paper Y kernel)
    patron_power = np.stack([_power_series(s.patrons[pn].power, s) for pn in patrons], 1)
    client_power = np.stack([_power_series(s.clients[cn].power, s) for cn in clients], 1)
    D = Y.disparity(patron_power[:, None, :, :], client_power[:, :, None, :], params.disparity)
    D_fields = np.moveaxis(Y.component_shares(patron_power[:, None, :, :3], client_power[:, :, None, :3]),
                           -1, 1)                                           # (T, 3, C, P), Y19

    # ---- threats: common threat of each (client, patron) dyad, Y5/Y10 (and Y13)
    threat_legacy, y13 = _scenario_threats(s, clients, patrons, params)
    threat, threat_any, threat_from = (threat_legacy[k] for k in ("threat", "threat_any", "threat_from"))
    accommodation, wedge = threat_legacy["accommodation"], threat_legacy["wedge"]
    names_c = {n: i for i, n in enumerate(clients)}
    names_p = {n: i for i, n in enumerate(patrons)}
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
                    mistrust=mistrust, period_years=_period_years(s), scheduled_spend=spend,
                    support_ruling=support_ruling if support_ruling.any() else None,
                    pressure=pressure if pressure.any() else None,
                    intervention=np.clip(intervention, 0.0, 1.0) if intervention.any() else None,
                    y13=y13, open_fraction=_open_fraction(s, alliance_open), army_loyalty0=np.array([1.0 if s.clients[c].army_loyalty is None
                                                     else s.clients[c].army_loyalty for c in clients]),
                    form0=np.array([_form0(s.clients[c]) for c in clients]),
                    second0=np.array([patrons.index(s.clients[c].also_aligned_with)
                                      if s.clients[c].also_aligned_with else P for c in clients]),
                    neutral_treaty=np.array([[st.clients[c].neutral_by_treaty for c in clients]
                                             for st in states], dtype=bool).reshape(T, C),
                    grabs=_grab_records(s, clients, factions),
                    challenge=_challenges(s, clients, patrons),
                    disparity_fields=D_fields,
                    appeal_drop=_appeal_drop(patron_power),
                    term_end=_term_ends(s, clients, patrons),
                    market_frac=np.divide(money_market, money_all, out=np.zeros_like(money_all),
                                          where=money_all > 0) if money_market.any() else None,
                    legislative_due=legislative_due if legislative_due.any() else None,
                    rivals=_rivals(s, patrons))


def _rivals(s: Scenario, patrons: list[str]) -> np.ndarray | None:
    """(P, P) bool E13p rivalry from the patrons' ``rivals`` lists; None when no patron has one."""
    if all(s.patrons[p].rivals is None for p in patrons):
        return None
    listed = np.array([[q != p and (s.patrons[p].rivals is None or q in s.patrons[p].rivals)
                        for q in patrons] for p in patrons], dtype=bool)
    return rivalry(listed)


def _dates_due(s: Scenario, clients: list[str], kind: str) -> np.ndarray:
    """(T, C) bool: a date of each client's ``kind`` list (``elections``, ``legislative_elections``)
    falls in the period."""
    T = len(s.periods)
    due = np.zeros((T, len(clients)), dtype=bool)
    for ci, cn in enumerate(clients):
        for d in getattr(s.clients[cn], kind):
            t = s.period_index(d)
            if 0 <= t < T:
                due[t, ci] = True
    return due


def _challenges(s: Scenario, clients: list[str], patrons: list[str]) -> np.ndarray | None:
    """(T, C, P) the strongest challenge of each client to each patron active in each period (Y15);
    None without any. Several acts in one period count once, at the highest level."""
    if not s.challenges:
        return None
    out = np.zeros((len(s.periods), len(clients), len(patrons)))
    for ch in s.challenges:
        ci = clients.index(ch.client if ch.client is not None else s.primary)
        pi = patrons.index(ch.patron)
        for t in _span(s, ch.from_, ch.to, default_end_last=False):
            out[t, ci, pi] = max(out[t, ci, pi], ch.level)
    return out


def _term_ends(s: Scenario, clients: list[str], patrons: list[str]) -> np.ndarray | None:
    """(T, C, P) bool: the term of a treaty between the client and the patron ends in the period (Y17);
    None without any."""
    if not s.treaty_terms:
        return None
    out = np.zeros((len(s.periods), len(clients), len(patrons)), dtype=bool)
    for tt in s.treaty_terms:
        t = s.period_index(tt.expires)
        if 0 <= t < len(s.periods):
            out[t, clients.index(tt.client if tt.client is not None else s.primary), patrons.index(tt.patron)] = True
    return out


def _form0_index(form: str | None, aligned: bool) -> int:
    """Initial alignment form (E19): the stated one, else a formal alliance if aligned, else neutral."""
    if form is not None:
        return FORMS.index(form)
    return FORMS.index("alliance") if aligned else FORMS.index("neutral")


def _form0(c) -> int:  # noqa: ANN001
    return _form0_index(c.alignment_form, c.aligned_with is not None)


#: Kinds of scripted power grabs, in the order of the records' ``kind`` field.
GRAB_KINDS = ("self_coup", "election_postponed", "election_cancelled", "election_rigged", "purge",
              "army_defection")


def _grab_records(s: Scenario, clients: list[str], factions: list[list[str]]) -> tuple[tuple, ...]:
    """``(t0, t1, client, kind, faction, target, strength)`` per scripted power grab (E20); faction
    ``-1`` = whoever rules, target ``-1`` = none; ``t1`` is the end of the span (the new period of a
    postponed election)."""
    out = []
    T = len(s.periods)
    for g in s.power_grabs:
        ci = clients.index(g.client if g.client is not None else s.primary)
        t0 = _period_of(s, g.date)
        if g.to is None:
            t1 = T - 1 if g.kind == "self_coup" else t0
        else:
            t1 = min(s.period_index(g.to), T) if g.kind == "election_postponed" else \
                min(max(s.period_index(g.to), t0), T - 1)
        fi = -1 if g.faction == "ruling" else factions[ci].index(g.faction)
        ti = -1 if g.target is None else factions[ci].index(g.target)
        out.append((t0, t1, ci, GRAB_KINDS.index(g.kind), fi, ti, float(g.strength)))
    return tuple(out)


@dataclass(frozen=True)
class ThreatFacts:
    """``N`` threats as arrays over the dyads' clients ``C`` and patrons ``P`` (in the scenario's
    order, which decides ties): ``severity`` ``(N,)``; ``severity_c`` ``(N, C)`` and ``severity_p``
    ``(N, P)`` per target (Y13: ``severity_by_target``, else the severity), ``hit_c`` ``(N, C)``
    and ``hit_p`` ``(N, P)`` bool targets, ``actor_c``
    ``(N, C)`` and ``actor_p`` ``(N, P)`` bool (the threat's actor is that client or patron),
    ``offensive`` ``(N,)`` (NaN = not stated), ``imminence``, ``clarity``, ``accommodation``,
    ``wedge`` ``(N,)``. Both a scenario's ``threats`` list and a world's threats are read into this,
    so :func:`dyad_threats` is the one formula for both."""

    severity: np.ndarray
    severity_c: np.ndarray
    severity_p: np.ndarray
    hit_c: np.ndarray
    hit_p: np.ndarray
    actor_c: np.ndarray
    actor_p: np.ndarray
    offensive: np.ndarray
    imminence: np.ndarray
    clarity: np.ndarray
    accommodation: np.ndarray
    wedge: np.ndarray

    def rows(self, keep: np.ndarray) -> ThreatFacts:
        """The threats selected by ``keep`` (bool or index array), in order."""
        return ThreatFacts(**{f: getattr(self, f)[keep] for f in self.__dataclass_fields__})


def dyad_threats(th: ThreatFacts, same: np.ndarray, params: ModelParams, *, y13: bool
                 ) -> dict[str, np.ndarray]:
    """Threat arrays of one period: ``threat``, ``threat_from``, ``accommodation``, ``wedge``,
    ``shared`` ``(C, P)`` and ``threat_any`` ``(C,)``; ``same`` ``(C, P)`` marks a client that is
    the patron itself.

    Without Y13 (``y13=False``) a threat has one severity, intent is ignored and a threat to only
    one member of the dyad counts at ``single_target_threat_weight``. With Y13 the severity is per
    target and scaled by offensive intent (:func:`intent_severity`), and a dyad's threat is
    ``max(min(e_c, e_p), client_threat_weight e_c, single_target_threat_weight e_p)``. A threat by
    the client or the patron itself does not count for their dyad; accommodation and wedge are those
    of the first threat reaching the dyad's maximum; ``threat_from`` is the strongest threat the
    patron itself poses to the client; ``shared`` the strongest threat aimed at both;
    ``threat_patron`` (Y13p) the dyad's threat read from the patron's seat: the common part fully,
    ``max(min(e_c, e_p), single_target_threat_weight e_p, single_target_threat_weight e_c)``
    (:func:`~alliancelab.theory.mechanisms.dyad_threat` with the roles swapped)."""
    C, P = same.shape
    w_patron = params.engine.single_target_threat_weight
    w_client = params.engine.client_threat_weight if y13 else w_patron
    keys = ("threat", "threat_from", "accommodation", "wedge", "shared", "threat_patron")
    out = {k: np.zeros((C, P)) for k in keys}
    out["threat_any"] = np.zeros(C)
    if len(th.imminence) == 0:
        return out

    def eff(sev: np.ndarray) -> np.ndarray:
        if y13:
            off = th.offensive[:, None]
            stated = intent_severity(sev, np.nan_to_num(off), params.disparity)
            sev = np.where(np.isnan(off), sev, stated)
        return np.asarray(Y.effective_threat(sev, th.imminence[:, None], th.clarity[:, None],
                                             params.disparity), dtype=float)

    one = th.severity[:, None]
    sev_c, sev_p = (th.severity_c, th.severity_p) if y13 else (one, one)
    e_c = np.where(th.hit_c, eff(sev_c), 0.0)                                   # (N, C)
    e_p = np.where(th.hit_p, eff(sev_p), 0.0)                                   # (N, P)
    out["threat_any"] = e_c.max(axis=0).clip(0.0, None)
    from_p = np.where(th.actor_p[:, None, :], e_c[:, :, None], 0.0)             # (N, C, P)
    out["threat_from"] = from_p.max(axis=0).clip(0.0, None)
    ec, ep = e_c[:, :, None], e_p[:, None, :]
    val = dyad_threat(ec, ep, w_client, w_patron)                                # (N, C, P)
    counts = ~(th.actor_c[:, :, None] | th.actor_p[:, None, :] | same[None]) & \
        (th.hit_c[:, :, None] | th.hit_p[:, None, :])
    val = np.where(counts, val, 0.0)
    val_p = np.where(counts, dyad_threat(ep, ec, w_patron, w_patron), 0.0)     # Y13p: the common enemy
    out["threat_patron"] = val_p.max(axis=0).clip(0.0, None)
    both = counts & th.hit_c[:, :, None] & th.hit_p[:, None, :]
    out["shared"] = np.max(np.where(both, ec, 0.0), axis=0).clip(0.0, None)
    best = val.argmax(axis=0)                                                   # the first maximum
    out["threat"] = np.take_along_axis(val, best[None], 0)[0].clip(0.0, None)
    pos = out["threat"] > 0
    out["accommodation"] = np.where(pos, th.accommodation[best], 0.0)
    out["wedge"] = np.where(pos, th.wedge[best], 0.0)
    return out


def _scenario_threat_facts(s: Scenario, clients: list[str], patrons: list[str]) -> ThreatFacts:
    N, C, P = len(s.threats), len(clients), len(patrons)
    sev_c, sev_p = np.zeros((N, C)), np.zeros((N, P))
    hit_c, hit_p = np.zeros((N, C), bool), np.zeros((N, P), bool)
    act_c, act_p = np.zeros((N, C), bool), np.zeros((N, P), bool)
    for n, th in enumerate(s.threats):
        targets = set(th.targets)
        for ci, cn in enumerate(clients):
            hit_c[n, ci] = cn in targets
            sev_c[n, ci] = th.severity_by_target.get(cn, th.severity)
            act_c[n, ci] = th.actor == cn
        for pi, pn in enumerate(patrons):
            hit_p[n, pi] = pn in targets
            sev_p[n, pi] = th.severity_by_target.get(pn, th.severity)
            act_p[n, pi] = th.actor == pn
    col = lambda k: np.array([float(getattr(th, k)) for th in s.threats])  # noqa: E731
    off = np.array([np.nan if th.offensive is None else float(th.offensive) for th in s.threats])
    return ThreatFacts(col("severity"), sev_c, sev_p, hit_c, hit_p, act_c, act_p, off,
                       col("imminence"), col("clarity"),
                       col("accommodation"), col("wedge"))


def _scenario_threats(s: Scenario, clients: list[str], patrons: list[str], params: ModelParams
                      ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """The threat arrays ``(T, ...)`` of a scenario without and with Y13 (:func:`dyad_threats` on the
    threats in force in each period)."""
    T = len(s.periods)
    facts = _scenario_threat_facts(s, clients, patrons)
    same = np.array(clients, dtype=object)[:, None] == np.array(patrons, dtype=object)[None, :]
    live = np.zeros((T, len(s.threats)), bool)
    for n, th in enumerate(s.threats):
        live[list(_span(s, th.from_, th.to, default_end_last=True)), n] = True
    per = [[dyad_threats(facts.rows(live[t]), same, params, y13=y) for t in range(T)] for y in (False, True)]
    legacy, y13 = ({k: np.stack([d[k] for d in ds]) for k in ds[0]} for ds in per)
    del legacy["shared"], legacy["threat_patron"]
    return legacy, y13
