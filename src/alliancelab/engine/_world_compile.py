"""A world compiled to the scenario engine's arrays: one model for worlds and scenarios.

:func:`compile_world` turns a :class:`~alliancelab.engine.world.World` into the same
:class:`~alliancelab.engine._compile.Compiled` arrays that :func:`~alliancelab.engine._compile.compile_scenario`
makes of a scenario, so a world runs through the same :func:`~alliancelab.engine._simulate.simulate`
(the same steps, H2 over the commitment horizon, every mechanism). It reads the world's facts the
way ``compile_scenario`` reads a scenario's, vectorised over states (a 50-state world has
thousands of dyads); :func:`scenario_from_world` writes the same facts as a scenario document, and
``tests/engine/test_world_engine.py`` checks that both routes give identical arrays and identical
runs for the same seed.

How a world's facts map to a scenario's (all periods carry the same facts):

* patrons' support: each patron's budget split by the world's strategy
  (:func:`~alliancelab.engine.strategies.allocate`), paid unconditionally (``always``) every period;
* a patron that is not ``available`` to a client (itself, a rival) has interest 0 in it, so it
  is no option (the engine offers only interested patrons);
* ``baseline_support`` is the softmax of ``base_logit`` over the client's factions (the engine
  only uses its logarithm, so the mass-support shares are those of the logits);
* elections every ``election_every`` years: in the periods ``t`` with ``(t + 1) % every == 0``;
* threats and mistrust as the scenario's ``threats`` and ``mistrust`` lists (mistrust between two
  states holds both ways, as a scenario's ``between`` pair does).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import numpy as np

from ..theory import disparity as Y
from ..theory.instruments import INSTRUMENTS
from ..theory.params import ModelParams
from ._compile import Compiled, ThreatFacts, _form0_index, dyad_threats

if TYPE_CHECKING:
    from ..scenario import Scenario
    from .world import World

__all__ = ["common_threat", "compile_world", "period_labels", "scenario_from_world", "world_threats"]

_ARMED = INSTRUMENTS.index("armed_action_commitment")
_GESTURE = INSTRUMENTS.index("diplomatic_gesture")
_MONEY = np.array([i for i in range(len(INSTRUMENTS)) if i not in (_ARMED, _GESTURE)])


def period_labels(world: World) -> list[str]:
    """Yearly period labels: ``year, year + 1, ...`` (2000 for a world without a year)."""
    y0 = 2000 if world.year is None else int(world.year)
    return [str(y0 + t) for t in range(world.periods)]


def _check_factions(world: World) -> None:
    act = world.active
    if not (act[:, :1].all() and (np.diff(act.astype(int), axis=1) <= 0).all()):
        from .._exceptions import InputError

        raise InputError("active factions must come first in every client (no gaps)",
                         field="world.active")


def _threat_facts(world: World) -> ThreatFacts:
    """The world's threat list as :class:`~alliancelab.engine._compile.ThreatFacts` (the severity
    per target where the world gives it, ``Threats.severity_c`` / ``severity_p``, else one severity
    for every target; no stated intent: a world's threats carry none)."""
    th = world.threats
    N = len(th)
    actor = np.array(th.actor, dtype=object).reshape(N)
    sev = np.asarray(th.severity, float)
    per_target = th.severity_c is not None and th.severity_p is not None
    return ThreatFacts(
        severity=sev,
        severity_c=(np.asarray(th.severity_c, float).reshape(N, world.n_states) if per_target
                    else np.repeat(sev[:, None], world.n_states, 1)),
        severity_p=(np.asarray(th.severity_p, float).reshape(N, world.n_patrons) if per_target
                    else np.repeat(sev[:, None], world.n_patrons, 1)),
        hit_c=np.asarray(th.clients, bool), hit_p=np.asarray(th.patrons, bool),
        actor_c=actor[:, None] == np.array(world.states, dtype=object)[None, :],
        actor_p=actor[:, None] == np.array(world.patrons, dtype=object)[None, :],
        offensive=np.full(N, np.nan), imminence=np.asarray(th.imminence, float),
        clarity=np.asarray(th.clarity, float), accommodation=np.asarray(th.accommodation, float),
        wedge=np.asarray(th.wedge, float))


def _same(world: World) -> np.ndarray:
    return np.array(world.states, dtype=object)[:, None] == np.array(world.patrons, dtype=object)[None, :]


def world_threats(world: World, params: ModelParams | None = None, *, y13: bool = False
                  ) -> dict[str, np.ndarray]:
    """The threat arrays of a world's threat list (``threat``, ``threat_from``, ``accommodation``,
    ``wedge``, ``shared`` ``(C, P)``, ``threat_any`` ``(C,)``), by the scenario compile's own
    :func:`~alliancelab.engine._compile.dyad_threats`, without or with Y13."""
    params = ModelParams() if params is None else params
    return dyad_threats(_threat_facts(world), _same(world), params, y13=y13)


def common_threat(world: World, params: ModelParams | None = None
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``threat, accommodation, wedge, threat_from`` ``(C, P)`` and ``threat_any`` ``(C,)`` of a
    world's threat list, read exactly as ``compile_scenario`` reads a scenario's ``threats``
    (without Y13; :func:`world_threats`).

    The common threat of client ``c`` and patron ``p`` is the strongest effective threat aimed at
    both, one aimed at only one of them counting at ``single_target_threat_weight``; a threat by
    ``c`` or ``p`` itself does not count; accommodation and wedge are those of the first threat
    reaching the maximum. ``threat_from`` is the strongest threat the patron poses to the client.
    """
    d = world_threats(world, params, y13=False)
    return d["threat"], d["accommodation"], d["wedge"], d["threat_from"], d["threat_any"]


def _symmetric_mistrust(world: World) -> np.ndarray:
    """Mistrust ``(C, P)`` holding both ways between two states (as a scenario's pair does)."""
    mis = np.clip(np.asarray(world.mistrust, float), 0.0, 1.0).copy()
    sidx = {n: i for i, n in enumerate(world.states)}
    pidx = {n: j for j, n in enumerate(world.patrons)}
    for c, cn in enumerate(world.states):
        for p, pn in enumerate(world.patrons):
            if cn == pn:
                mis[c, p] = 0.0
            elif cn in pidx and pn in sidx:
                mis[c, p] = max(world.mistrust[c, p], world.mistrust[sidx[pn], pidx[cn]])
    return mis


def _baseline(world: World) -> np.ndarray:
    logit = np.where(world.active, world.base_logit, -np.inf)
    e = np.exp(logit - logit.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _interest(world: World) -> np.ndarray:
    same = np.array(world.states, dtype=object)[:, None] == np.array(world.patrons, dtype=object)[None, :]
    return np.where(world.available & ~same, np.clip(world.interest, 0.0, 1.0), 0.0)


def _aid_need(world: World, amount: np.ndarray) -> np.ndarray:
    if world.aid_need is not None:
        return np.asarray(world.aid_need, float)
    return np.full(world.n_states, amount.sum() / max(world.n_states, 1))


def compile_world(world: World, params: ModelParams | None = None) -> Compiled:
    """The :class:`Compiled` arrays of ``world`` (``T = world.periods`` yearly periods)."""
    from .strategies import allocate

    params = ModelParams() if params is None else params
    _check_factions(world)
    T, C, F, P = world.periods, world.n_states, world.n_factions, world.n_patrons
    I = len(INSTRUMENTS)  # noqa: E741
    tile = lambda x: np.broadcast_to(np.asarray(x), (T,) + np.shape(x)).copy()  # noqa: E731
    alloc = allocate(world)
    sup = np.array(alloc.support, dtype=float)
    sup[..., _ARMED] = np.clip(sup[..., _ARMED], 0.0, 1.0)
    sup[..., _GESTURE] = np.clip(sup[..., _GESTURE], -1.0, 1.0)
    sup = np.where(world.active[:, :, None, None], sup, 0.0)
    spend = sup[..., _MONEY].sum(axis=(0, 1, 3))
    rul = _ruling_mask(alloc, C, P)                                          # (C, P)
    to_ruler = np.where(rul[:, None, :, None], sup, 0.0).sum(axis=1)         # (C, P, I)
    to_ruler[..., _ARMED] = np.clip(to_ruler[..., _ARMED], 0.0, 1.0)
    to_ruler[..., _GESTURE] = np.clip(to_ruler[..., _GESTURE], -1.0, 1.0)
    sup = np.where(rul[:, None, :, None], 0.0, sup)
    # a ruling item's visibility and breadth weigh in every faction's averages (as a scenario's)
    paid = (sup != 0) | ((to_ruler != 0)[:, None] & world.active[:, :, None, None])
    vis = np.where(paid, alloc.visibility, 1.0)
    br = np.where(paid, alloc.breadth, 1.0)
    from ..scenario import CONDITIONS

    support = np.zeros((T, len(CONDITIONS), C, F, P, I))
    support[:, CONDITIONS.index("always")] = sup[None]
    support_ruling = np.zeros((T, len(CONDITIONS), C, P, I))
    support_ruling[:, CONDITIONS.index("always")] = to_ruler[None]
    interest = _interest(world)
    tolerance = np.full(P, 0.5) if world.tolerance is None else np.asarray(world.tolerance, float)
    distance = np.asarray(world.distance_km, float)
    control = Y.control_effectiveness(distance, np.asarray(world.projection, float)[None, :],
                                      params.disparity)
    D = Y.disparity(np.asarray(world.patron_power, float)[None, :, :],
                    np.asarray(world.power, float)[:, None, :], params.disparity)
    D_fields = np.moveaxis(Y.component_shares(np.asarray(world.patron_power, float)[None, :, :3],
                                              np.asarray(world.power, float)[:, None, :3]), -1, 0)  # Y19
    threat, acc, wed, threat_from, threat_any = common_threat(world, params)
    y13 = {k: tile(v) for k, v in world_threats(world, params, y13=True).items()}
    aligned0 = np.asarray(world.initial_alignment, int).copy()
    every = np.asarray(world.election_every, int)
    t1 = np.arange(1, T + 1)[:, None]
    election_due = (every[None, :] > 0) & (t1 % np.maximum(every, 1)[None, :] == 0)
    pro = np.broadcast_to(np.clip(world.pro_patron_share, 0.0, 1.0)[:, None, :], (C, F, P))
    factions = [[f for f, a in zip(world.factions, world.active[c], strict=True) if a] for c in range(C)]
    return Compiled(
        periods=period_labels(world), clients=list(world.states), patrons=list(world.patrons),
        factions=factions, active=np.asarray(world.active, bool).copy(),
        incumbent0=np.asarray(world.initial_ruling, int).copy(),
        aligned0=aligned0,
        baseline=tile(_baseline(world)), coercion=tile(np.clip(world.coercion, 0.0, 1.0)),
        affinity=tile(np.where(world.active[:, :, None], np.clip(world.affinity, -1.0, 1.0), 0.0)),
        pro_share=tile(np.where(world.active[:, :, None], pro, 0.0)), interest=tile(interest),
        alliance_open=np.ones((T, C, P), bool), budget=tile(np.asarray(world.budget, float)),
        tolerance=tile(tolerance), control=tile(control), aid_need=tile(_aid_need(world, alloc.amount)),
        support=support, visibility=tile(vis), breadth=tile(br), election_due=election_due,
        disparity=tile(D), disparity_fields=tile(D_fields), threat=tile(threat), threat_any=tile(threat_any),
        threat_from=tile(threat_from), accommodation=tile(acc), wedge=tile(wed),
        mistrust=tile(_symmetric_mistrust(world)), period_years=np.ones(T), scheduled_spend=tile(spend),
        # issue #10's fields, as compile_scenario fills them from the same facts: a world has no
        # support to "ruling", negative instruments, intervention or scripted grabs; its army is
        # loyal; each aligned state starts in a formal alliance; neutrality by treaty as given
        y13=y13, army_loyalty0=np.ones(C), second0=np.full(C, P),
        support_ruling=support_ruling if support_ruling.any() else None,
        form0=np.array([_form0_index(None, a < P) for a in aligned0]),
        neutral_treaty=np.broadcast_to(_neutral(world)[None, :], (T, C)).copy())


def _ruling_mask(alloc: Any, C: int, P: int) -> np.ndarray:
    """``(C, P)`` bool: the patron pays that client's support to whichever faction rules."""
    return np.zeros((C, P), bool) if alloc.to_ruling is None else np.asarray(alloc.to_ruling, bool)


def _neutral(world: World) -> np.ndarray:
    """``(C,)`` bool: neutral by treaty (E19), none when the world does not say."""
    if world.neutral_by_treaty is None:
        return np.zeros(world.n_states, bool)
    return np.asarray(world.neutral_by_treaty, bool)


def _num(x: Any) -> float:
    return float(x)


def scenario_from_world(world: World, params: ModelParams | None = None) -> Scenario:
    """The facts of ``world`` written as a scenario document (validated :class:`Scenario`).

    ``compile_scenario(scenario_from_world(w))`` gives the arrays of ``compile_world(w)``.
    """
    from ..scenario import POWER_COMPONENTS, Scenario
    from .strategies import allocate

    _check_factions(world)
    labels = period_labels(world)
    P = world.n_patrons
    alloc = allocate(world)
    interest = _interest(world)
    base = _baseline(world)
    t1 = np.arange(1, world.periods + 1)

    def power(row: np.ndarray) -> dict[str, Any]:
        return {labels[0]: {k: _num(v) for k, v in zip(POWER_COMPONENTS, row, strict=True)}}

    patrons = {}
    for p, pn in enumerate(world.patrons):
        patrons[pn] = {
            "interest": {cn: _num(interest[c, p]) for c, cn in enumerate(world.states) if cn != pn},
            "budget": _num(world.budget[p]),
            "tolerance": 0.5 if world.tolerance is None else _num(world.tolerance[p]),
            "power": power(world.patron_power[p]),
            "distance_km": {cn: _num(world.distance_km[c, p]) for c, cn in enumerate(world.states)
                            if cn != pn},
            "projection": _num(world.projection[p])}
    clients = {}
    for c, cn in enumerate(world.states):
        facs = {}
        for f, fn in enumerate(world.factions):
            if not world.active[c, f]:
                continue
            facs[fn] = {"baseline_support": _num(base[c, f]),
                        "coercion": _num(np.clip(world.coercion[c, f], 0, 1)),
                        "affinity": {pn: _num(np.clip(world.affinity[c, f, p], -1, 1))
                                     for p, pn in enumerate(world.patrons)},
                        "pro_patron_share": {pn: _num(np.clip(world.pro_patron_share[c, p], 0, 1))
                                             for p, pn in enumerate(world.patrons)},
                        "incumbent": bool(f == world.initial_ruling[c])}
        every = int(world.election_every[c])
        a = int(world.initial_alignment[c])
        clients[cn] = {"factions": facs, "power": power(world.power[c]),
                       "elections": [labels[t] for t in range(world.periods)
                                     if every > 0 and t1[t] % every == 0],
                       "aligned_with": world.patrons[a] if a < P else None,
                       "neutral_by_treaty": bool(_neutral(world)[c]),
                       "aid_need": _num(_aid_need(world, alloc.amount)[c])}
    support = []
    sup = np.where(world.active[:, :, None, None], alloc.support, 0.0)
    rul = _ruling_mask(alloc, world.n_states, P)
    for c, p, i in zip(*np.nonzero(np.where(rul[:, None, :, None], sup, 0.0).sum(axis=1)), strict=True):
        amount = _num(sup[c, :, p, i].sum())
        if i == _ARMED:
            amount = min(max(amount, 0.0), 1.0)
        elif i == _GESTURE:
            amount = min(max(amount, -1.0), 1.0)
        f0 = int(np.nonzero(world.active[c])[0][0])
        support.append({"from": labels[0], "to": labels[-1], "patron": world.patrons[p],
                        "client": world.states[c], "faction": "ruling",
                        "instrument": INSTRUMENTS[i], "amount": amount,
                        "visibility": _num(alloc.visibility[c, f0, p, i]),
                        "breadth": _num(alloc.breadth[c, f0, p, i]), "condition": "always"})
    sup = np.where(rul[:, None, :, None], 0.0, sup)
    for c, f, p, i in zip(*np.nonzero(sup), strict=True):
        if not world.active[c, f]:
            continue
        amount = _num(sup[c, f, p, i])
        if i == _ARMED:
            amount = min(max(amount, 0.0), 1.0)
        elif i == _GESTURE:
            amount = min(max(amount, -1.0), 1.0)
        support.append({"from": labels[0], "to": labels[-1], "patron": world.patrons[p],
                        "client": world.states[c], "faction": world.factions[f],
                        "instrument": INSTRUMENTS[i], "amount": amount,
                        "visibility": _num(alloc.visibility[c, f, p, i]),
                        "breadth": _num(alloc.breadth[c, f, p, i]), "condition": "always"})
    th = world.threats
    threats = []
    for n, actor in enumerate(th.actor):
        targets = [world.states[c] for c in np.nonzero(th.clients[n])[0]]
        targets += [pn for p, pn in enumerate(world.patrons) if th.patrons[n, p] and pn not in targets]
        if not targets:
            continue
        item = {"actor": actor, "targets": targets, "from": labels[0],
                "severity": _num(th.severity[n]), "imminence": _num(th.imminence[n]),
                "clarity": _num(th.clarity[n]), "accommodation": _num(th.accommodation[n]),
                "wedge": _num(th.wedge[n])}
        if th.severity_c is not None and th.severity_p is not None:   # per target (Y13)
            by = {world.states[c]: _num(th.severity_c[n, c]) for c in np.nonzero(th.clients[n])[0]}
            by.update({pn: _num(th.severity_p[n, p]) for p, pn in enumerate(world.patrons)
                       if th.patrons[n, p] and pn not in by})
            item["severity_by_target"] = by
        threats.append(item)
    mistrust = []
    for c, cn in enumerate(world.states):
        for p, pn in enumerate(world.patrons):
            if cn != pn and world.mistrust[c, p] > 0:
                mistrust.append({"between": [cn, pn], "level": _num(min(world.mistrust[c, p], 1.0))})
    known = set(world.states) | set(world.patrons)
    actors = {a: {} for a in dict.fromkeys(th.actor) if a not in known}
    name = re.sub(r"[^a-z0-9-]+", "-", world.name.lower()).strip("-") or "world"
    doc = {"version": 1, "metadata": {"id": name, "title": f"world {world.name}"},
           "periods": labels, "patrons": patrons, "clients": clients, "actors": actors,
           "support": support, "threats": threats, "mistrust": mistrust}
    return Scenario.model_validate(doc)
