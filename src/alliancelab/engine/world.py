"""The world model: many client states, several patrons, the core model's mechanisms, fast.

A :class:`World` holds the facts of many states at once: factions with baseline mass support,
coercion and ideological affinity to each patron; power vectors; common threats; mistrust; distance;
patron budgets and a budget strategy (:mod:`alliancelab.engine.strategies`). :func:`run_world`
simulates an ensemble and returns a :class:`WorldResult` (tidy frame, networks, camps);
:func:`simulate` returns the tidy frame directly.

One model for worlds and scenarios: a world is compiled to the scenario engine's arrays
(:func:`compile_world`, in :mod:`._world_compile`) and simulated by the same
:func:`alliancelab.engine._simulate.simulate` that runs a scenario - the same steps, H2 over the
commitment horizon, every mechanism (``docs/world.md``). :func:`scenario_from_world` writes a
world's facts as a scenario document; both routes give identical runs for the same seed. Runs are
processed in fixed blocks of :data:`BLOCK_RUNS`, each with its own spawned seed, so the numbers do
not depend on the number of threads (:mod:`._world_run`).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._exceptions import InputError
from .._random import SeedLike
from .._validation import check_positive_int
from ..theory import disparity as dy
from ..theory.instruments import INSTRUMENTS
from ..theory.params import ModelParams
from ._world_compile import compile_world, scenario_from_world
from ._world_run import _BIT, BLOCK_RUNS, EVENTS, Trajectories, run_compiled

__all__ = [
    "BLOCK_RUNS", "EVENTS", "FACTS", "OUTCOMES", "Threats", "World", "WorldResult", "apply_facts",
    "build_world", "check_outcome_names", "check_parameter_names", "compile_world", "default_params",
    "evaluate", "run_scenario", "run_world", "scenario_from_world", "simulate", "synthetic_world",
]

#: Scenario facts a sweep may vary (``facts.<name>``), with what they do.
FACTS: dict[str, str] = {
    "threat_scale": "multiplies every common-threat severity (0 = a world without threats)",
    "budget_scale": "multiplies every patron's budget",
    "mistrust": "added to every patron-client mistrust (then clipped to [0, 1])",
    "wedge": "added to every adversary wedge effort (clipped to [0, 1])",
    "accommodation": "added to every availability of accommodation (clipped to [0, 1])",
    "breadth": "breadth of every patron's mass support, in [0, 1]",
    "visibility": "visibility of every patron's mass support, in [0, 1]",
    "commitment": "every patron's commitment to back its faction's armed action, in [0, 1]",
    "ideology_scale": "multiplies every ideological affinity (clipped to [-1, 1])",
}

#: Outcomes of :func:`evaluate` (plus ``p_align_<PATRON>`` for each patron).
OUTCOMES: tuple[str, ...] = (
    "p_aligned", "p_nonaligned", "bloc_share", "p_strong", "p_unstable", "p_affiliation",
    "p_leader_change", "p_coup", "p_formed", "p_dissolved", "p_split", "p_expelled", "p_punished",
    "mean_precarity",
)


# ---------------------------------------------------------------------------------------------
# Parameters


def default_params() -> ModelParams:
    """The one model parameter set (``ModelParams()``): the same for worlds and scenarios."""
    return ModelParams()


def _param_fields(params: Any) -> dict[str, set[str]]:
    return {block: {f.name for f in dataclasses.fields(getattr(params, block))}
            for block in ("elite", "disparity")}


def check_parameter_names(names: Sequence[str], *, source: str | None = None) -> None:
    """Raise :class:`InputError` unless every name is ``elite.X``, ``disparity.X`` or
    ``facts.X``."""
    known = _param_fields(default_params())
    for name in names:
        block, _, leaf = name.partition(".")
        if block == "facts" and leaf in FACTS:
            continue
        if block in known and leaf in known[block]:
            continue
        hint = ("facts: " + ", ".join(FACTS)) if block == "facts" else \
            "elite.<EliteParams field>, disparity.<DisparityParams field> or facts.<fact>"
        raise InputError(f"unknown parameter {name!r}; use {hint}", source=source,
                         field=f"parameters.{name}")


def check_outcome_names(names: Sequence[str], *, source: str | None = None) -> None:
    """Raise :class:`InputError` for an outcome that :func:`evaluate` does not produce."""
    for name in names:
        if name not in OUTCOMES and not name.startswith("p_align_"):
            raise InputError(f"unknown outcome {name!r}; choose from {', '.join(OUTCOMES)} or "
                             f"p_align_<PATRON>", source=source, field="outcomes")


def _with_overrides(params: Any, overrides: Mapping[str, float]) -> Any:
    blocks: dict[str, dict[str, float]] = {}
    for name, value in overrides.items():
        block, _, leaf = name.partition(".")
        if block in ("elite", "disparity"):
            blocks.setdefault(block, {})[leaf] = float(value)
    for block, changes in blocks.items():
        params = dataclasses.replace(params, **{block: dataclasses.replace(getattr(params, block),
                                                                           **changes)})
    return params


# ---------------------------------------------------------------------------------------------
# The world


@dataclass(frozen=True, eq=False)
class Threats:
    """The world's threats, as a scenario's ``threats:`` list: ``N`` threats, each from an
    ``actor`` (a state's or patron's name, or an outside actor) against the clients marked in
    ``clients`` ``(N, C)`` and the patrons marked in ``patrons`` ``(N, P)`` (a patron that is also a
    client is marked in both); ``severity``, ``imminence``, ``clarity``, ``accommodation``,
    ``wedge`` ``(N,)`` in [0, 1] (paper Y: Y5, Y10). The common threat of a client-patron dyad is
    the strongest threat aimed at both, one aimed at only one of them counting at
    ``engine.single_target_threat_weight`` (as ``engine/_compile.py`` reads a scenario).
    ``severity_c`` ``(N, C)`` and ``severity_p`` ``(N, P)`` (optional, both or neither) are the
    severity per target, as a scenario's ``severity_by_target`` (read with Y13 only; without them
    every target gets ``severity``).
    """

    actor: tuple[str, ...]
    clients: np.ndarray
    patrons: np.ndarray
    severity: np.ndarray
    imminence: np.ndarray
    clarity: np.ndarray
    accommodation: np.ndarray
    wedge: np.ndarray
    severity_c: np.ndarray | None = None
    severity_p: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.actor)

    @staticmethod
    def empty(C: int, P: int) -> Threats:
        z = np.zeros(0)
        return Threats((), np.zeros((0, C), bool), np.zeros((0, P), bool), z, z, z, z, z)

    def replace(self, **changes: Any) -> Threats:
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True, eq=False)
class World:
    """The facts of a world: ``C`` clients, ``F`` factions each, ``P`` patrons.

    Arrays (float unless noted): ``active`` ``(C, F)`` bool; ``base_logit``, ``coercion``
    ``(C, F)`` (coercion in [0, 1]); ``affinity`` ``(C, F, P)`` in [-1, 1]; ``power`` ``(C, K)``,
    ``patron_power`` ``(P, K)`` (components of
    :data:`~alliancelab.theory.disparity.POWER_COMPONENTS`); ``threats`` (:class:`Threats`);
    ``mistrust``, ``distance_km``, ``interest``, ``pro_patron_share``, ``gesture`` ``(C, P)``;
    ``available`` ``(C, P)`` bool (False for a patron's own state and for rivals: the patron is no
    option, as interest 0); ``projection``, ``budget`` (million USD per period), ``commitment``,
    ``tolerance`` ``(P,)``; ``mix``, ``visibility``, ``breadth`` ``(P, I)``; ``election_every``
    ``(C,)`` int (0 = no elections); ``initial_ruling`` ``(C,)`` int; ``initial_alignment``
    ``(C,)`` int (``P`` = non-aligned); ``aid_need`` ``(C,)`` million USD per period a ruler needs
    (support beyond it builds ambition, E11); default: the mean amount a client receives;
    ``neutral_by_treaty`` ``(C,)`` bool (E19: no alliance while neutral by treaty; default none);
    ``ally_aid_to_ruler``: a patron's support to its allies of record is paid to whichever faction
    rules (government aid), the strategy's faction choice applying to other clients (default False);
    ``unpaid``: ``(C, P)`` bool, the patron pays the client nothing although it may be an option
    (a patron that threatened, displayed or used force against the state in the last five years;
    default: none); ``rivals``: ``(P, P)`` bool, ``rivals[p, q]``: ``q`` is ``p``'s rival, and ``p``
    funds no faction that is friendlier to one of its rivals than to ``p`` (E8 in a contest; the
    allocation pays the friendliest faction that is not, and nothing where none is; default: none).

    A world is compiled to the scenario engine's arrays (:func:`compile_world`) and simulated by
    the same :func:`alliancelab.engine._simulate.simulate` as a scenario; :func:`scenario_from_world`
    writes the same facts as a scenario document.
    """

    states: tuple[str, ...]
    patrons: tuple[str, ...]
    factions: tuple[str, ...]
    active: np.ndarray
    base_logit: np.ndarray
    coercion: np.ndarray
    affinity: np.ndarray
    power: np.ndarray
    patron_power: np.ndarray
    threats: Threats
    mistrust: np.ndarray
    distance_km: np.ndarray
    interest: np.ndarray
    pro_patron_share: np.ndarray
    gesture: np.ndarray
    available: np.ndarray
    projection: np.ndarray
    budget: np.ndarray
    commitment: np.ndarray
    mix: np.ndarray
    visibility: np.ndarray
    breadth: np.ndarray
    election_every: np.ndarray
    initial_ruling: np.ndarray
    initial_alignment: np.ndarray
    aid_need: np.ndarray | None = None
    tolerance: np.ndarray | None = None
    neutral_by_treaty: np.ndarray | None = None
    ally_aid_to_ruler: bool = False
    unpaid: np.ndarray | None = None
    rivals: np.ndarray | None = None
    periods: int = 20
    strategy: str = "interest"
    name: str = "world"
    year: int | None = None
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def n_states(self) -> int:
        return len(self.states)

    @property
    def n_patrons(self) -> int:
        return len(self.patrons)

    @property
    def n_factions(self) -> int:
        return len(self.factions)

    def __post_init__(self) -> None:
        C, F, P = len(self.states), len(self.factions), len(self.patrons)
        N = len(self.threats)
        expect = {"active": (C, F), "base_logit": (C, F), "coercion": (C, F), "affinity": (C, F, P),
                  "mistrust": (C, P), "available": (C, P), "interest": (C, P), "budget": (P,),
                  "mix": (P, len(INSTRUMENTS)), "election_every": (C,), "initial_ruling": (C,),
                  "initial_alignment": (C,), "threats.clients": (N, C), "threats.patrons": (N, P),
                  "threats.severity": (N,)}
        for name, shape in expect.items():
            obj: Any = self
            for part in name.split("."):
                obj = getattr(obj, part)
            if np.shape(obj) != shape:
                raise InputError(f"must have shape {shape}; got {np.shape(obj)}", field=f"world.{name}")
        if self.rivals is not None and np.shape(self.rivals) != (P, P):
            raise InputError(f"must have shape {(P, P)}; got {np.shape(self.rivals)}", field="world.rivals")
        check_positive_int(self.periods, "periods", maximum=10_000)


def _mix_default(P: int) -> np.ndarray:
    mix = np.zeros((P, len(INSTRUMENTS)))
    for name, share in (("economic_aid", 0.35), ("reconstruction", 0.25), ("propaganda", 0.02),
                        ("covert_funding", 0.03), ("military_aid", 0.35)):
        mix[:, INSTRUMENTS.index(name)] = share
    return mix


def synthetic_world(n_states: int = 50, n_patrons: int = 2, n_factions: int = 3, periods: int = 20,
                    seed: int = 0, strategy: str = "interest") -> World:
    """A reproducible random world (for sweeps, tests and the benchmark): no data needed.

    Patrons are outside powers (not among the clients). Faction 0 rules at the start.

    Examples
    --------
    >>> w = synthetic_world(n_states=5, n_patrons=2, seed=3)
    >>> w.affinity.shape, bool(w.initial_alignment.max() <= 2)
    ((5, 3, 2), True)
    """
    rng = np.random.default_rng(seed)
    C, P, F = n_states, n_patrons, n_factions
    active = np.ones((C, F), bool)
    base_logit = rng.normal(0.0, 0.7, (C, F))
    base_logit[:, 0] += 0.4                                     # incumbents start ahead
    coercion = rng.uniform(0.05, 0.4, (C, F))
    coercion[:, 0] = rng.uniform(0.4, 1.0, C)                   # incumbent controls the army
    ideology = rng.uniform(-1, 1, (C, F))
    patron_ideology = np.linspace(-1, 1, P) if P > 1 else np.zeros(1)
    affinity = np.clip(1.0 - np.abs(ideology[:, :, None] - patron_ideology[None, None, :]), -1, 1)
    K = len(dy.POWER_COMPONENTS)
    power = rng.gamma(0.6, 0.02, (C, K))
    patron_power = rng.uniform(0.15, 0.35, (P, K))
    N = max(2, C // 4)                                          # outside threatening actors
    threats = Threats(actor=tuple(f"X{n}" for n in range(N)), clients=rng.random((N, C)) < 0.35,
                      patrons=rng.random((N, P)) < 0.5, severity=rng.beta(2, 3, N),
                      imminence=rng.uniform(0, 1, N), clarity=rng.uniform(0.3, 1, N),
                      accommodation=rng.uniform(0, 0.3, N), wedge=np.zeros(N))
    init = np.where(rng.random(C) < 0.3, rng.integers(0, P, C), P)
    return World(
        states=tuple(f"S{c:03d}" for c in range(C)), patrons=tuple(f"P{p}" for p in range(P)),
        factions=tuple(["incumbent", "opposition", "radical", "f3", "f4", "f5"][:F]),
        active=active, base_logit=base_logit, coercion=coercion, affinity=affinity, power=power,
        patron_power=patron_power, threats=threats, mistrust=rng.uniform(0, 0.5, (C, P)),
        distance_km=rng.uniform(300, 9000, (C, P)),
        interest=rng.uniform(0.1, 1.0, (C, P)), pro_patron_share=rng.uniform(0.05, 0.4, (C, P)),
        gesture=np.zeros((C, P)), available=np.ones((C, P), bool),
        projection=rng.uniform(0.3, 1.0, P), budget=np.full(P, 40.0 * C / 2),
        commitment=np.full(P, 0.3), mix=_mix_default(P),
        visibility=np.full((P, len(INSTRUMENTS)), 0.6), breadth=np.full((P, len(INSTRUMENTS)), 0.5),
        election_every=np.where(rng.random(C) < 0.5, 4, 0), initial_ruling=np.zeros(C, int),
        initial_alignment=init.astype(int), aid_need=rng.uniform(10.0, 60.0, C),
        tolerance=np.full(P, 0.5), periods=periods, strategy=strategy, name="synthetic")


def apply_facts(world: World, facts: Mapping[str, float]) -> World:
    """Return ``world`` with scenario facts changed (names of :data:`FACTS`)."""
    changes: dict[str, Any] = {}
    mass = [INSTRUMENTS.index(n) for n in ("economic_aid", "reconstruction", "propaganda",
                                           "covert_funding")]
    for name, value in facts.items():
        v = float(value)
        if name == "threat_scale":
            th = changes.get("threats", world.threats)
            changes["threats"] = th.replace(severity=np.clip(th.severity * v, 0, 1))
        elif name == "budget_scale":
            changes["budget"] = world.budget * max(v, 0.0)
        elif name == "mistrust":
            changes[name] = np.clip(world.mistrust + v, 0, 1)
        elif name in ("wedge", "accommodation"):
            th = changes.get("threats", world.threats)
            changes["threats"] = th.replace(**{name: np.clip(getattr(th, name) + v, 0, 1)})
        elif name in ("breadth", "visibility"):
            arr = np.array(getattr(world, name), dtype=float)
            arr[:, mass] = np.clip(v, 0, 1)
            changes[name] = arr
        elif name == "commitment":
            changes["commitment"] = np.full(world.n_patrons, np.clip(v, 0, 1))
        elif name == "ideology_scale":
            changes["affinity"] = np.clip(world.affinity * v, -1, 1)
        else:
            raise InputError(f"unknown fact {name!r}; choose from {', '.join(FACTS)}",
                             field=f"facts.{name}")
    return dataclasses.replace(world, **changes)


def build_world(spec: Any, *, data_dir: str | os.PathLike[str] | None = None) -> World:
    """Build the world of a sweep's ``world:`` section (:class:`~.sweep_config.WorldSpec`)."""
    if spec.synthetic is not None:
        s = spec.synthetic
        return synthetic_world(n_states=s.n_states, n_patrons=s.n_patrons, n_factions=s.n_factions,
                               periods=s.periods, seed=s.seed, strategy=spec.strategy)
    from .world_data import world_from_data

    d = spec.data
    world = world_from_data(d.year, data_dir=d.data_dir or data_dir, states=d.states,
                            max_states=d.max_states, periods=d.periods)
    return dataclasses.replace(world, strategy=spec.strategy)


@dataclass(frozen=True, eq=False)
class WorldResult:
    """An ensemble of world trajectories (the one engine's runs of the compiled world).

    ``ruling``, ``alignment`` ``(periods + 1, runs, C)`` int (alignment ``P`` = non-aligned;
    period 0 is the initial state); ``events`` ``(periods + 1, runs, C)`` uint16 bit masks of
    :data:`EVENTS`; ``types`` ``(C, P + 1)`` Table-1 code of each possible alignment (Y9).
    """

    world: World
    types: np.ndarray
    runs: int
    seed: Any
    ruling: np.ndarray
    alignment: np.ndarray
    events: np.ndarray

    def frame(self) -> pd.DataFrame:
        """Tidy long frame: ``run, period, [year,] state, ruling, alignment, alliance_type,
        events``.

        ``events`` joins the period's events with ``|`` (empty string: none).
        """
        w = self.world
        T1, R, C = self.ruling.shape
        period, run, state = (a.ravel() for a in np.indices((T1, R, C), dtype=np.int32))
        align = self.alignment.ravel().astype(np.intp)
        types = self.types[state, align]
        codes = self.events.ravel()
        uniq, inv = np.unique(codes, return_inverse=True)
        labels = ["|".join(n for i, n in enumerate(EVENTS) if int(u) >> i & 1) for u in uniq]
        data: dict[str, Any] = {"run": run, "period": period}
        if w.year is not None:
            data["year"] = period + w.year
        data.update({
            "state": pd.Categorical.from_codes(state, list(w.states)),
            "ruling": pd.Categorical.from_codes(self.ruling.ravel().astype(np.int16),
                                                list(w.factions)),
            "alignment": pd.Categorical.from_codes(align, [*w.patrons, "none"]),
            "alliance_type": pd.Categorical.from_codes(types, list(dy.ALLIANCE_TYPES)),
            "events": pd.Categorical.from_codes(inv.ravel(), pd.Index(labels).unique()
                                                if len(set(labels)) == len(labels) else labels),
        })
        frame = pd.DataFrame(data)
        return frame.sort_values(["run", "period"], kind="stable").reset_index(drop=True)

    def alignment_probabilities(self, period: int = -1) -> pd.DataFrame:
        """``P(state aligned with patron)`` at ``period`` (rows: states; columns: patrons +
        none)."""
        a = self.alignment[period].astype(np.intp)
        P = self.world.n_patrons
        probs = np.stack([(a == p).mean(0) for p in range(P + 1)], axis=1)
        return pd.DataFrame(probs, index=pd.Index(self.world.states, name="state"),
                            columns=[*self.world.patrons, "none"])

    def network(self, period: int = -1, run: int | None = None, *, min_weight: float = 0.0) -> Any:
        """The alliance network at ``period`` as a :class:`networkx.Graph`.

        Nodes are states and patrons (a patron that is also a state is one node). An ``alliance``
        edge joins a client and its patron; a ``bloc`` edge joins two clients aligned with the same
        patron. ``weight`` is the share of runs with that edge (1 for a single ``run``); edges with
        weight ``<= min_weight`` are left out.
        """
        import networkx as nx

        w = self.world
        a = self.alignment[period]
        if run is not None:
            a = a[run:run + 1]
        R, C = a.shape
        P = w.n_patrons
        g = nx.Graph(period=int(period % self.alignment.shape[0]), runs=R)
        g.add_nodes_from(w.states, kind="state")
        for p in w.patrons:
            g.add_node(p, kind="patron" if p not in g else "state+patron")
        onehot = np.stack([(a == p) for p in range(P)], axis=-1).astype(np.float32)  # (R, C, P)
        client_patron = onehot.mean(0)
        co = np.einsum("rcp,rdp->cd", onehot, onehot) / R
        for c in range(C):
            for p in range(P):
                if client_patron[c, p] > min_weight and w.states[c] != w.patrons[p]:
                    g.add_edge(w.states[c], w.patrons[p], kind="alliance",
                               weight=float(client_patron[c, p]))
            for d in range(c + 1, C):
                if co[c, d] > min_weight and not g.has_edge(w.states[c], w.states[d]):
                    g.add_edge(w.states[c], w.states[d], kind="bloc", weight=float(co[c, d]))
        return g

    def networks(self, run: int | None = None, *, min_weight: float = 0.0) -> list[Any]:
        """One :meth:`network` per period (0 .. periods)."""
        return [self.network(t, run, min_weight=min_weight) for t in range(self.alignment.shape[0])]


def _types(comp: Any, params: ModelParams) -> np.ndarray:
    codes, _ = dy.classify(comp.disparity[0], comp.threat[0], params.disparity)
    C = codes.shape[0]
    return np.concatenate([codes, np.full((C, 1), dy.NONE)], axis=1).astype(np.int8)


def run_world(world: World, *, runs: int = 1_000, seed: SeedLike = None, params: Any = None,
              threads: int | None = None, disable: frozenset[str] = frozenset()) -> WorldResult:
    """Simulate ``runs`` Monte Carlo runs of ``world`` on the one engine and keep the trajectories.

    The world is compiled to the scenario engine's arrays (:func:`compile_world`) and run by the
    same ``simulate`` as a scenario; ``disable`` switches mechanisms off as in ``forecast``.

    Examples
    --------
    >>> res = run_world(synthetic_world(n_states=6, periods=5, seed=1), runs=50, seed=2)
    >>> res.alignment.shape
    (6, 50, 6)
    >>> sorted(res.frame().columns)
    ['alignment', 'alliance_type', 'events', 'period', 'ruling', 'run', 'state']
    """
    params = default_params() if params is None else params
    comp = compile_world(world, params)
    tr = run_compiled(comp, params, runs, seed, disable=frozenset(disable), threads=threads)
    return WorldResult(world=world, types=_types(comp, params), runs=runs, seed=seed,
                       ruling=tr.ruling, alignment=tr.alignment, events=tr.events)


def run_scenario(scenario: Any, *, runs: int = 1_000, seed: int = 0, params: Any = None,
                 disable: frozenset[str] = frozenset()) -> Trajectories:
    """A scenario run through the world path (compiled arrays -> :func:`run_compiled`), seeded as
    ``forecast`` seeds it: the same histories as ``forecast(scenario, runs=runs, seed=seed)``."""
    from ._compile import compile_scenario

    params = default_params() if params is None else params
    comp = compile_scenario(scenario, params)
    return run_compiled(comp, params, runs, int(seed), disable=frozenset(disable), blocks=False)


def simulate(world: World, *, runs: int = 1_000, seed: SeedLike = None, params: Any = None,
             threads: int | None = None) -> pd.DataFrame:
    """Simulate a world and return the tidy frame (``run, period, state, ruling, alignment,
    alliance_type, events``). For networks and camps use :func:`run_world`.

    Examples
    --------
    >>> df = simulate(synthetic_world(n_states=3, periods=2, seed=0), runs=4, seed=1)
    >>> len(df)   # 4 runs x 3 periods (0..2) x 3 states
    36
    """
    return run_world(world, runs=runs, seed=seed, params=params, threads=threads).frame()


def evaluate(world: World, overrides: Mapping[str, float] | None = None, *, runs: int = 1_000,
             seed: SeedLike = None, params: Any = None,
             threads: int | None = 1) -> dict[str, float]:
    """Outcome probabilities of ``world`` under parameter/fact ``overrides`` (one sweep point).

    ``overrides`` maps ``elite.X``/``disparity.X`` (model parameters) and ``facts.X`` (scenario
    facts, :data:`FACTS`) to values. Returns :data:`OUTCOMES` plus ``p_align_<PATRON>``; "ever"
    outcomes (``p_coup``, ``p_split``, ...) are the share of client-runs with at least one such
    event over the horizon; alignment outcomes are at the last period.
    """
    overrides = dict(overrides or {})
    facts = {k.partition(".")[2]: v for k, v in overrides.items() if k.startswith("facts.")}
    if facts:
        world = apply_facts(world, facts)
    params = _with_overrides(default_params() if params is None else params, overrides)
    comp = compile_world(world, params)
    tr: Trajectories = run_compiled(comp, params, runs, seed, threads=threads)
    a = tr.alignment[-1].astype(np.intp)
    P = world.n_patrons
    types = _types(comp, params)[np.arange(world.n_states)[None, :], a]
    res = {"p_aligned": float((a < P).mean()), "p_nonaligned": float((a == P).mean())}
    per = [float((a == p).mean()) for p in range(P)]
    res["bloc_share"] = max(per) / res["p_aligned"] if res["p_aligned"] > 0 else 0.0
    for code, name in ((dy.STRONG, "p_strong"), (dy.UNSTABLE, "p_unstable"),
                       (dy.AFFILIATION, "p_affiliation")):
        res[name] = float((types == code).mean())
    assert tr.events is not None and tr.precarity is not None
    ever = np.bitwise_or.reduce(tr.events, axis=0)
    for ev, name in (("leader_change", "p_leader_change"), ("coup_succeeded", "p_coup"),
                     ("alliance_formed", "p_formed"), ("alliance_ended", "p_dissolved"),
                     ("split", "p_split"), ("expulsion", "p_expelled"), ("punishment", "p_punished")):
        res[name] = float(((ever & _BIT[ev]) != 0).mean())
    res["mean_precarity"] = float(tr.precarity.mean())
    for p, name in enumerate(world.patrons):
        res[f"p_align_{name}"] = per[p]
    return res
