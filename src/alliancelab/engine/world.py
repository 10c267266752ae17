"""The world model: many client states, several patrons, the core model's mechanisms, fast.

A :class:`World` holds the facts of many states at once: factions with baseline mass support,
coercion and ideological affinity to each patron; power vectors; common threats; mistrust; distance;
patron budgets and a budget strategy (:mod:`alliancelab.engine.strategies`). :func:`run_world`
simulates an ensemble and returns a :class:`WorldResult` (tidy frame, networks, camps);
:func:`simulate` returns the tidy frame directly.

How it is fast (details and the exact period order in ``docs/world.md``):

* Every probability comes from the theory kernels (:mod:`alliancelab.theory.elite`,
  :mod:`alliancelab.theory.disparity`) - nothing is re-derived here. Because patron support is
  run-independent, the kernels are evaluated once per period on small ``(clients, factions, ...)``
  arrays for *every possible* domestic state (who rules, with whom aligned): the period's
  transition tables.
* Each Monte Carlo run then only carries discrete state ``(runs, clients)`` - the ruling faction
  and the alignment - and a period is a handful of table look-ups and uniform draws (float32), with
  the rare events (a change of ruler, a split) handled on the few cells where they happen.
* Runs are processed in fixed blocks of :data:`BLOCK_RUNS`, each with its own spawned seed, so the
  numbers do not depend on the number of threads.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._exceptions import InputError
from .._random import SeedLike, spawn_seeds
from .._validation import MAX_RUNS, check_positive_int
from ..theory import disparity as dy
from ..theory import elite as el
from ..theory.instruments import INSTRUMENTS
from .strategies import allocate, friendly_faction

__all__ = [
    "BLOCK_RUNS", "EVENTS", "FACTS", "OUTCOMES", "World", "WorldResult", "apply_facts",
    "build_world", "check_outcome_names", "check_parameter_names", "default_params", "evaluate",
    "run_world", "simulate", "synthetic_world", "transition_tables",
]

#: Runs per block; each block has its own seed (results independent of the thread count).
BLOCK_RUNS = 1024

#: Event bits of the ``events`` array, in bit order.
EVENTS: tuple[str, ...] = ("election_turnover", "coup", "unrest_fall", "alliance_formed",
                           "alliance_dissolved", "split", "expelled", "punished", "instigated_coup")
_BIT = {name: np.uint16(1 << i) for i, name in enumerate(EVENTS)}
_LEADER_MASK = np.uint16(_BIT["election_turnover"] | _BIT["coup"] | _BIT["unrest_fall"])
_ROUTE_BITS = np.array([_BIT["election_turnover"], _BIT["coup"], _BIT["unrest_fall"]], np.uint16)

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


@dataclass(frozen=True)
class _FallbackParams:
    elite: el.EliteParams = field(default_factory=el.EliteParams)
    disparity: dy.DisparityParams = field(default_factory=dy.DisparityParams)


def default_params() -> Any:
    """The one model parameter set (``ModelParams()``), with ``.elite`` and ``.disparity``."""
    try:
        from ..theory.params import ModelParams
    except ImportError:  # theory/params.py not there yet: the same two parameter blocks
        return _FallbackParams()
    return ModelParams()


def _param_fields(params: Any) -> dict[str, set[str]]:
    return {block: {f.name for f in dataclasses.fields(getattr(params, block))}
            for block in ("elite", "disparity")}


def check_parameter_names(names: Sequence[str], *, source: str | None = None) -> None:
    """Raise :class:`InputError` unless every name is ``elite.X``, ``disparity.X`` or ``facts.X``."""
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
class World:
    """The facts of a world: ``C`` clients, ``F`` factions each, ``P`` patrons.

    Arrays (float unless noted): ``active`` ``(C, F)`` bool; ``base_logit``, ``coercion`` ``(C, F)``;
    ``affinity`` ``(C, F, P)`` in [-1, 1]; ``power`` ``(C, K)``, ``patron_power`` ``(P, K)``
    (components of :data:`~alliancelab.theory.disparity.POWER_COMPONENTS`); ``severity``,
    ``imminence``, ``clarity`` (common threat of client and patron), ``mistrust``,
    ``accommodation``, ``wedge``, ``distance_km``, ``interest``, ``pro_patron_share``, ``gesture``
    ``(C, P)``; ``available`` ``(C, P)`` bool (False for a patron's own state and for rivals);
    ``projection``, ``budget`` (million USD per period), ``commitment`` ``(P,)``; ``mix``,
    ``visibility``, ``breadth`` ``(P, I)``; ``election_every`` ``(C,)`` int (0 = no elections);
    ``initial_ruling`` ``(C,)`` int; ``initial_alignment`` ``(C,)`` int (``P`` = non-aligned);
    ``aid_need`` ``(C,)`` million USD per period a ruler needs (support beyond it builds ambition,
    E11; the core engine's ``aid_need``); default: the mean amount a client receives.
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
    severity: np.ndarray
    imminence: np.ndarray
    clarity: np.ndarray
    mistrust: np.ndarray
    accommodation: np.ndarray
    wedge: np.ndarray
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
        expect = {"active": (C, F), "base_logit": (C, F), "coercion": (C, F), "affinity": (C, F, P),
                  "severity": (C, P), "available": (C, P), "interest": (C, P), "budget": (P,),
                  "mix": (P, len(INSTRUMENTS)), "election_every": (C,), "initial_ruling": (C,),
                  "initial_alignment": (C,)}
        for name, shape in expect.items():
            if np.shape(getattr(self, name)) != shape:
                raise InputError(f"must have shape {shape}; got {np.shape(getattr(self, name))}",
                                 field=f"world.{name}")
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
    coercion[:, 0] = rng.uniform(0.4, 1.2, C)                   # incumbent controls the army
    ideology = rng.uniform(-1, 1, (C, F))
    patron_ideology = np.linspace(-1, 1, P) if P > 1 else np.zeros(1)
    affinity = np.clip(1.0 - np.abs(ideology[:, :, None] - patron_ideology[None, None, :]), -1, 1)
    K = len(dy.POWER_COMPONENTS)
    power = rng.gamma(0.6, 0.02, (C, K))
    patron_power = rng.uniform(0.15, 0.35, (P, K))
    severity = rng.beta(2, 3, (C, P))
    imminence = rng.uniform(0, 1, (C, P))
    clarity = rng.uniform(0.3, 1, (C, P))
    init = np.where(rng.random(C) < 0.3, rng.integers(0, P, C), P)
    return World(
        states=tuple(f"S{c:03d}" for c in range(C)), patrons=tuple(f"P{p}" for p in range(P)),
        factions=tuple(["incumbent", "opposition", "radical", "f3", "f4", "f5"][:F]),
        active=active, base_logit=base_logit, coercion=coercion, affinity=affinity, power=power,
        patron_power=patron_power, severity=severity, imminence=imminence, clarity=clarity,
        mistrust=rng.uniform(0, 0.5, (C, P)), accommodation=rng.uniform(0, 0.3, (C, P)),
        wedge=np.zeros((C, P)), distance_km=rng.uniform(300, 9000, (C, P)),
        interest=rng.uniform(0.1, 1.0, (C, P)), pro_patron_share=rng.uniform(0.05, 0.4, (C, P)),
        gesture=np.zeros((C, P)), available=np.ones((C, P), bool),
        projection=rng.uniform(0.3, 1.0, P), budget=np.full(P, 40.0 * C / 2),
        commitment=np.full(P, 0.3), mix=_mix_default(P),
        visibility=np.full((P, len(INSTRUMENTS)), 0.6), breadth=np.full((P, len(INSTRUMENTS)), 0.5),
        election_every=np.where(rng.random(C) < 0.5, 4, 0), initial_ruling=np.zeros(C, int),
        initial_alignment=init.astype(int), aid_need=rng.uniform(10.0, 60.0, C), periods=periods,
        strategy=strategy, name="synthetic")


def apply_facts(world: World, facts: Mapping[str, float]) -> World:
    """Return ``world`` with scenario facts changed (names of :data:`FACTS`)."""
    changes: dict[str, Any] = {}
    mass = [INSTRUMENTS.index(n) for n in ("economic_aid", "reconstruction", "propaganda",
                                           "covert_funding")]
    for name, value in facts.items():
        v = float(value)
        if name == "threat_scale":
            changes["severity"] = np.clip(world.severity * v, 0, 1)
        elif name == "budget_scale":
            changes["budget"] = world.budget * max(v, 0.0)
        elif name in ("mistrust", "wedge", "accommodation"):
            changes[name] = np.clip(getattr(world, name) + v, 0, 1)
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


# ---------------------------------------------------------------------------------------------
# Transition tables: the kernels, evaluated once per period for every possible domestic state

_MIL = INSTRUMENTS.index("military_aid")
_ARMED = INSTRUMENTS.index("armed_action_commitment")


class PeriodKernels:
    """Evaluate the theory kernels period by period for clients ``clients`` of ``world``.

    ``step()`` advances one period and returns that period's probabilities for every client, every
    possible ruling faction ``f`` and every alignment ``a`` (``a = P``: non-aligned). The support
    stock, discontent and ambition paths are deterministic (support is run-independent) and are
    tracked per possible ruler. Used by :func:`transition_tables` and by the Mesa reference.
    """

    def __init__(self, world: World, params: Any = None, *, alloc: Any = None,
                 clients: slice | None = None) -> None:
        self.params = default_params() if params is None else params
        e, d = self.params.elite, self.params.disparity
        alloc = allocate(world) if alloc is None else alloc
        sl = slice(None) if clients is None else clients
        self.world = world
        C = len(range(*sl.indices(world.n_states)))
        F, P = world.n_factions, world.n_patrons
        self.C, self.F, self.P, self.A = C, F, P, P + 1
        sup = alloc.support[sl]
        vis, br = alloc.visibility[sl], alloc.breadth[sl]
        self.effect = el.support_effect(sup, vis, br, e)
        narrow = el.narrow_support_share(sup, br)
        self.narrow, self.breadth_f = narrow, 1.0 - narrow
        self.mil = np.clip(sup[..., _MIL], 0, None).sum(-1)
        self.arm = np.clip(sup[..., _ARMED].sum(-1), 0.0, 1.0)
        amount = alloc.amount[sl]
        self.total_f = amount.sum(-1)
        self.share_from = np.divide(amount, self.total_f[..., None], out=np.zeros_like(amount),
                                    where=self.total_f[..., None] > 0)
        self.active = world.active[sl]
        self.base_logit = world.base_logit[sl]
        self.affinity = world.affinity[sl]
        self.coercion = world.coercion[sl] + el.elite_loyalty_effect(sup, vis, br, e)
        self.every = world.election_every[sl]
        D = dy.disparity(world.patron_power[None, :, :], world.power[sl][:, None, :], d)
        T = dy.effective_threat(world.severity[sl], world.imminence[sl], world.clarity[sl], d)
        self.D, self.T = D, T
        mis, acc, wed = world.mistrust[sl], world.accommodation[sl], world.wedge[sl]
        self.accept = dy.formation_probability(D, T, mis, acc, wed, d)
        self.dissolve = dy.dissolution_hazard(D, T, mis, wed, d)
        self.expel = dy.expel_probability(D, d)
        self.control = dy.control_effectiveness(world.distance_km[sl], world.projection[None, :], d)
        codes, self.type_margin = dy.classify(D, T, d)
        self.types = np.concatenate([codes, np.full((C, 1), dy.NONE)], axis=1).astype(np.int8)
        self.available = np.concatenate([world.available[sl], np.ones((C, 1), bool)], axis=1)
        self.friendly = friendly_faction(world)[sl]
        self.pro_share = world.pro_patron_share[sl]
        need = world.aid_need[sl] if world.aid_need is not None else \
            np.full(C, alloc.amount.sum() / max(world.n_states, 1))
        self.need = np.broadcast_to(np.asarray(need, float)[:, None], (C, F))
        self.stock = np.zeros((C, F))
        self.discontent = np.zeros((C, F))
        self.ambition = np.zeros((C, F))
        self.t = 0

    def step(self) -> dict[str, np.ndarray]:
        """Advance one period; return its probabilities (see :func:`transition_tables`)."""
        e = self.params.elite
        C, F, P, A = self.C, self.F, self.P, self.A
        self.stock = el.update_support_stock(self.stock, self.effect, self.breadth_f, e)
        shares = el.mass_support_shares(self.base_logit, self.stock, 0.0, self.active)
        self.t += 1
        due = ((self.every > 0) & (self.t % np.maximum(self.every, 1) == 0)).astype(float)
        # every faction f as the incumbent: axis 1 = incumbent, axis 2 = faction
        inc = np.broadcast_to(np.arange(F), (C, F))
        full = (C, F, F)
        sb = np.broadcast_to(shares[:, None, :], full)
        cb = np.broadcast_to(self.coercion[:, None, :], full)
        mb = np.broadcast_to(self.mil[:, None, :], full)
        ab = np.broadcast_to(self.arm[:, None, :], full)
        act = np.broadcast_to(self.active[:, None, :], full)
        success = el.coup_success_probability(cb, mb, ab, inc, sb, act, e)
        attempt = el.coup_attempt_probability(success, ab, e)
        prec = el.precarity(sb, cb, inc, due[:, None], self.discontent, act, e,
                            military_aid=mb, armed_commitment=ab)
        win = el.election_win_probability(shares, self.active, e)
        # who takes over, by route (election, coup, unrest), given that the incumbent falls
        p_el = due[:, None] * (1.0 - win)
        p_coup = 1.0 - np.prod(1.0 - attempt * success, axis=-1)
        p_unrest = np.clip(prec - (1.0 - (1.0 - p_el) * (1.0 - p_coup)), 0.0, None)
        routes = np.stack([p_el, p_coup * (1.0 - p_el), p_unrest], axis=-1)       # (C, F, 3)
        others = act & (np.arange(F)[None, None, :] != np.arange(F)[None, :, None])
        weights = np.stack([np.where(others, win[:, None, :], 0.0),
                            np.where(others, attempt * success, 0.0),
                            np.where(others, sb, 0.0)], axis=2)                   # (C, F, 3, F)
        wsum = weights.sum(-1, keepdims=True)
        uniform = others[:, :, None, :] / np.maximum(others.sum(-1), 1)[:, :, None, None]
        weights = np.where(wsum > 0, weights / np.where(wsum > 0, wsum, 1.0), uniform)
        joint = (routes[..., None] * weights).reshape(C, F, 3 * F)
        jsum = joint.sum(-1, keepdims=True)
        fallback = np.zeros_like(joint)
        fallback[..., 2 * F:] = uniform[:, :, 0, :]
        joint = np.where(jsum > 0, joint / np.where(jsum > 0, jsum, 1.0), fallback)
        prec_al = el.alliance_relief(prec, True, e)
        precarity = np.concatenate([np.repeat(prec_al[..., None], P, -1), prec[..., None]], -1)
        # alignment choice of ruler f, patron acceptance (paper Y formation)
        util = el.alignment_utilities(prec, self.share_from, self.affinity,
                                      np.broadcast_to(self.T[:, None, :], (C, F, P)), e)
        choice = el.choice_probabilities(util, self.available[:, None, :], e)
        new = np.empty((C, F, A))
        new[..., :P] = choice[..., :P] * self.accept[:, None, :]
        new[..., P] = choice[..., P] + (choice[..., :P] * (1.0 - self.accept[:, None, :])).sum(-1)
        # alliance survival: paper Y dissolution hazard and paper E split hazard (ambition)
        h_split = el.split_hazard(self.ambition, e)                               # (C, F)
        end = np.zeros((C, F, A))
        split = np.zeros((C, F, A))
        end[..., :P] = 1.0 - (1.0 - self.dissolve[:, None, :]) * (1.0 - h_split[..., None])
        split[..., :P] = np.broadcast_to(h_split[..., None], (C, F, P))
        instig = el.instigated_coup_success(self.pro_share[:, None, :], shares[:, :, None],
                                            self.coercion[:, :, None], e) * self.control[:, None, :]
        # deterministic paths for the next period (per possible ruler)
        self.discontent = el.update_discontent(self.discontent, self.narrow, e)
        self.ambition = el.update_ambition(self.ambition, self.total_f, self.need, e)
        stay = 1.0 - precarity
        return {"stay": stay, "successor": joint, "choice": new, "end": end, "split": split,
                "instigated": instig, "precarity": precarity, "shares": shares}


def _cum(p: np.ndarray) -> np.ndarray:
    c = np.cumsum(p, axis=-1)
    c[..., -1] = 1.0
    return c.astype(np.float32)


@dataclass(frozen=True, eq=False)
class Tables:
    """Per-period transition tables (``T`` periods, ``S = F * (P + 1)`` domestic states per client).

    ``stay``, ``end``, ``split``, ``precarity``: ``(T, C * S)`` float32 (flat, for ``take``);
    ``successor_cum`` ``(T, C, F, 3F)`` and ``choice_cum`` ``(T, C, F, P + 1)`` cumulative;
    ``instigated`` ``(T, C, F, P)``; ``expel`` ``(C, P)``; ``friendly`` ``(C, P)``; ``types``
    ``(C, P + 1)`` Table-1 codes; ``D``, ``T`` ``(C, P)``.
    """

    stay: np.ndarray
    end: np.ndarray
    split: np.ndarray
    precarity: np.ndarray
    successor_cum: np.ndarray
    choice_cum: np.ndarray
    instigated: np.ndarray
    expel: np.ndarray
    friendly: np.ndarray
    types: np.ndarray
    D: np.ndarray
    T: np.ndarray
    shares: np.ndarray
    stay_u32: np.ndarray = field(default=None)  # type: ignore[assignment]
    end_u32: np.ndarray = field(default=None)  # type: ignore[assignment]
    choice_u32: np.ndarray = field(default=None)  # type: ignore[assignment]


def transition_tables(world: World, params: Any = None) -> Tables:
    """Evaluate the kernels for every period and every domestic state (run-independent)."""
    k = PeriodKernels(world, params)
    steps = [k.step() for _ in range(world.periods)]
    C = world.n_states

    def flat(name: str) -> np.ndarray:
        return np.stack([s[name].reshape(C, -1) for s in steps]).reshape(len(steps), -1) \
            .astype(np.float32)

    stay, end = flat("stay"), flat("end")
    choice_cum = np.stack([_cum(s["choice"]) for s in steps])             # (T, C, F, A)
    choice64 = np.stack([np.cumsum(s["choice"], -1) for s in steps])
    choice_u32 = np.ascontiguousarray(
        _thresholds(choice64[..., :-1]).reshape(len(steps), -1, world.n_patrons).transpose(0, 2, 1))
    return Tables(
        stay=stay, end=end, split=flat("split"), precarity=flat("precarity"),
        stay_u32=_thresholds(np.stack([s["stay"].reshape(-1) for s in steps])),
        end_u32=_thresholds(np.stack([s["end"].reshape(-1) for s in steps])),
        choice_u32=choice_u32,
        successor_cum=np.stack([_cum(s["successor"]) for s in steps]),
        choice_cum=choice_cum,
        instigated=np.stack([s["instigated"] for s in steps]).astype(np.float32),
        expel=k.expel.astype(np.float32), friendly=k.friendly.astype(np.int32), types=k.types,
        D=k.D, T=k.T, shares=np.stack([s["shares"] for s in steps]))


# ---------------------------------------------------------------------------------------------
# The Monte Carlo loop: discrete state (runs, clients), one loop over periods


_U32 = float(2**32)


def _thresholds(p: np.ndarray) -> np.ndarray:
    """Probabilities -> uint32 thresholds for comparison with raw 32-bit uniforms."""
    return np.clip(np.floor(np.asarray(p, np.float64) * _U32), 0, _U32 - 1).astype(np.uint32)


def _run_block(tab: Tables, world: World, n: int, seed: np.random.SeedSequence,
               out: dict[str, np.ndarray] | None, lo: int) -> dict[str, np.ndarray]:
    """Simulate ``n`` runs; write trajectories into ``out[...][:, lo:lo+n]`` when recording.

    Uniforms are raw 32-bit integers (two per 64-bit draw of the PCG64 stream) compared with
    uint32 thresholds of the tables (resolution 2**-32); rare events are resolved on the cells where
    they happen, with the leftover of the same uniform.
    """
    rng = np.random.default_rng(seed)
    C, F, P = world.n_states, world.n_factions, world.n_patrons
    A = P + 1
    S = F * A
    N = n * C
    ruler = np.broadcast_to(world.initial_ruling.astype(np.int32), (n, C)).reshape(-1).copy()
    align = np.broadcast_to(world.initial_alignment.astype(np.int8), (n, C)).reshape(-1).copy()
    cidx = np.tile(np.arange(C, dtype=np.intp), n)   # intp: `take` needs no index conversion
    cbase_s = cidx * S
    cbase_f = cidx * F
    ever = np.zeros(N, np.uint16)
    if out is not None:
        out["ruling"][0, lo:lo + n] = ruler.reshape(n, C)
        out["alignment"][0, lo:lo + n] = align.reshape(n, C)
    words = (3 * N + 1) // 2
    idx = cbase_s + ruler * A + align              # flat index of (client, ruler, alignment)
    row = cbase_f + ruler                          # flat index of (client, ruler)
    k = np.empty(N, np.int8)
    tmp = np.empty(N, bool)
    record = out is not None
    for t in range(world.periods):
        raw = rng.bit_generator.random_raw(words).view(np.uint32)
        u0, u1, u2 = raw[:N], raw[N:2 * N], raw[2 * N:3 * N]
        # events go to `ev` when trajectories are kept, else straight into `ever`
        ev = np.zeros(N, np.uint16) if record else ever
        # 1. the domestic contest: does the ruler fall, to whom, by which route?
        stay = tab.stay_u32[t].take(idx)
        li = np.flatnonzero(u0 >= stay)
        if li.size:
            c = cidx.take(li)
            st = stay.take(li) / _U32
            v = (u0.take(li) / _U32 - st) / np.maximum(1.0 - st, 1e-12)
            old_r = ruler.take(li)
            kk = (v[:, None] >= tab.successor_cum[t][c, old_r]).sum(1)
            kk = np.minimum(kk, 3 * F - 1)
            ruler[li] = kk % F
            ev[li] |= _ROUTE_BITS[kk // F]
        # 2. alliance survival (dissolution hazard; split from ambition -> expel or punish)
        #    (hazards of the state at the start of the period: idx is not yet updated)
        ei = np.flatnonzero(u1 < tab.end_u32[t].take(idx))
        ei_idx = idx.take(ei)
        if li.size:
            delta = ruler.take(li) - old_r
            idx[li] += delta * A
            row[li] += delta
        if ei.size:
            c = cidx.take(ei)
            p = align.take(ei)
            sp = tab.split[t].take(ei_idx)
            w = u1.take(ei) / _U32
            is_split = w < sp
            keep = np.zeros(ei.size, bool)
            ev[ei[~is_split]] |= _BIT["alliance_dissolved"]
            if is_split.any():
                si, cs, ps = ei[is_split], c[is_split], p[is_split]
                w = w[is_split] / np.maximum(sp[is_split], 1e-12)
                ex = tab.expel[cs, ps]
                expelled = w < ex
                ev[si] |= np.where(expelled, _BIT["split"] | _BIT["expelled"],
                                   _BIT["split"] | _BIT["punished"]).astype(np.uint16)
                w2 = (w - ex) / np.maximum(1.0 - ex, 1e-12)
                won = ~expelled & (w2 < tab.instigated[t][cs, ruler.take(si), ps])
                if won.any():          # the patron's "healthy elements" take over; alliance kept
                    wi = si[won]
                    new_r = tab.friendly[cs[won], ps[won]]
                    d = new_r - ruler.take(wi)
                    ruler[wi] = new_r
                    idx[wi] += d * A
                    row[wi] += d
                    ev[wi] |= _BIT["instigated_coup"]
                    keep[np.flatnonzero(is_split)[won]] = True
            gone = ei[~keep]
            idx[gone] += P - align.take(gone)
            align[gone] = P
        # 3. the (new) ruler of a non-aligned client chooses; the patron accepts (formation)
        np.greater_equal(u2, tab.choice_u32[t, 0].take(row), out=tmp)
        k[:] = tmp
        for j in range(1, P):
            np.greater_equal(u2, tab.choice_u32[t, j].take(row), out=tmp)
            k += tmp
        need = align == P
        if li.size:
            need[li] = True
        if ei.size:
            need[ei] = False
        np.not_equal(k, align, out=tmp)
        tmp &= need
        changed = np.flatnonzero(tmp)
        if changed.size:
            old, newk = align.take(changed), k.take(changed)
            ev[changed[newk < P]] |= _BIT["alliance_formed"]
            ev[changed[old < P]] |= _BIT["alliance_dissolved"]
            align[changed] = newk
            idx[changed] += newk - old
        if record:
            ever |= ev
            out["ruling"][t + 1, lo:lo + n] = ruler.reshape(n, C)
            out["alignment"][t + 1, lo:lo + n] = align.reshape(n, C)
            out["events"][t + 1, lo:lo + n] = ev.reshape(n, C)
    last = world.periods - 1
    prec = tab.precarity[last].take(cbase_s + ruler * A + align).reshape(n, C)
    return {"alignment": align.reshape(n, C), "ruling": ruler.reshape(n, C),
            "ever": ever.reshape(n, C), "precarity": prec}


_ENDED = np.uint16(_BIT["alliance_dissolved"] | _BIT["split"])


def _simulate_arrays(world: World, tab: Tables, runs: int, seed: SeedLike, *, record: bool,
                     threads: int | None) -> tuple[dict[str, np.ndarray] | None, dict[str, np.ndarray]]:
    runs = check_positive_int(runs, "runs", maximum=MAX_RUNS)
    if isinstance(seed, np.random.Generator):
        seed = int(seed.integers(2**63))
    bounds = [(a, min(a + BLOCK_RUNS, runs)) for a in range(0, runs, BLOCK_RUNS)]
    seeds = spawn_seeds(seed, len(bounds))
    C = world.n_states
    out = None
    if record:
        T1 = world.periods + 1
        out = {"ruling": np.zeros((T1, runs, C), np.int8),
               "alignment": np.zeros((T1, runs, C), np.int8),
               "events": np.zeros((T1, runs, C), np.uint16)}

    def one(i: int) -> dict[str, np.ndarray]:
        a, b = bounds[i]
        return _run_block(tab, world, b - a, seeds[i], out, a)

    n_threads = max(1, min(threads or os.cpu_count() or 1, len(bounds)))
    if n_threads == 1:
        parts = [one(i) for i in range(len(bounds))]
    else:
        with ThreadPoolExecutor(n_threads) as pool:
            parts = list(pool.map(one, range(len(bounds))))
    final = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    return out, final


@dataclass(frozen=True, eq=False)
class WorldResult:
    """An ensemble of world trajectories.

    ``ruling``, ``alignment`` ``(periods + 1, runs, C)`` int8 (alignment ``P`` = non-aligned;
    period 0 is the initial state); ``events`` ``(periods + 1, runs, C)`` uint16 bit masks of
    :data:`EVENTS`.
    """

    world: World
    tables: Tables
    runs: int
    seed: Any
    ruling: np.ndarray
    alignment: np.ndarray
    events: np.ndarray

    def frame(self) -> pd.DataFrame:
        """Tidy long frame: ``run, period, [year,] state, ruling, alignment, alliance_type, events``.

        ``events`` joins the period's events with ``|`` (empty string: none).
        """
        w = self.world
        T1, R, C = self.ruling.shape
        period, run, state = (a.ravel() for a in np.indices((T1, R, C), dtype=np.int32))
        align = self.alignment.ravel().astype(np.intp)
        types = self.tables.types[state, align]
        codes = self.events.ravel()
        uniq, inv = np.unique(codes, return_inverse=True)
        labels = ["|".join(n for i, n in enumerate(EVENTS) if int(u) >> i & 1) for u in uniq]
        data: dict[str, Any] = {"run": run, "period": period}
        if w.year is not None:
            data["year"] = period + w.year
        data.update({
            "state": pd.Categorical.from_codes(state, list(w.states)),
            "ruling": pd.Categorical.from_codes(self.ruling.ravel().astype(np.int16), list(w.factions)),
            "alignment": pd.Categorical.from_codes(align, [*w.patrons, "none"]),
            "alliance_type": pd.Categorical.from_codes(types, list(dy.ALLIANCE_TYPES)),
            "events": pd.Categorical.from_codes(inv.ravel(), pd.Index(labels).unique()
                                                if len(set(labels)) == len(labels) else labels),
        })
        frame = pd.DataFrame(data)
        return frame.sort_values(["run", "period"], kind="stable").reset_index(drop=True)

    def alignment_probabilities(self, period: int = -1) -> pd.DataFrame:
        """``P(state aligned with patron)`` at ``period`` (rows: states; columns: patrons + none)."""
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


def run_world(world: World, *, runs: int = 1_000, seed: SeedLike = None, params: Any = None,
              threads: int | None = None) -> WorldResult:
    """Simulate ``runs`` Monte Carlo runs of ``world`` and keep the full trajectories.

    Examples
    --------
    >>> res = run_world(synthetic_world(n_states=6, periods=5, seed=1), runs=50, seed=2)
    >>> res.alignment.shape
    (6, 50, 6)
    >>> sorted(res.frame().columns)
    ['alignment', 'alliance_type', 'events', 'period', 'ruling', 'run', 'state']
    """
    tab = transition_tables(world, params)
    out, _ = _simulate_arrays(world, tab, runs, seed, record=True, threads=threads)
    assert out is not None
    return WorldResult(world=world, tables=tab, runs=runs, seed=seed, ruling=out["ruling"],
                       alignment=out["alignment"], events=out["events"])


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
             seed: SeedLike = None, params: Any = None, threads: int | None = 1) -> dict[str, float]:
    """Outcome probabilities of ``world`` under parameter/fact ``overrides`` (one sweep point).

    ``overrides`` maps ``elite.X``/``disparity.X`` (model parameters) and ``facts.X`` (scenario
    facts, :data:`FACTS`) to values. Returns :data:`OUTCOMES` plus ``p_align_<PATRON>``; "ever"
    outcomes (``p_coup``, ``p_split``, ...) are the share of client-runs with at least one such event
    over the horizon; alignment outcomes are at the last period.
    """
    overrides = dict(overrides or {})
    facts = {k.partition(".")[2]: v for k, v in overrides.items() if k.startswith("facts.")}
    if facts:
        world = apply_facts(world, facts)
    params = _with_overrides(default_params() if params is None else params, overrides)
    tab = transition_tables(world, params)
    _, final = _simulate_arrays(world, tab, runs, seed, record=False, threads=threads)
    a, ever = final["alignment"], final["ever"]
    P = world.n_patrons
    types = tab.types[np.arange(world.n_states)[None, :], a]
    res = {"p_aligned": float((a < P).mean()), "p_nonaligned": float((a == P).mean())}
    per = [float((a == p).mean()) for p in range(P)]
    res["bloc_share"] = max(per) / res["p_aligned"] if res["p_aligned"] > 0 else 0.0
    for code, name in ((dy.STRONG, "p_strong"), (dy.UNSTABLE, "p_unstable"),
                       (dy.AFFILIATION, "p_affiliation")):
        res[name] = float((types == code).mean())
    res["p_leader_change"] = float(((ever & _LEADER_MASK) != 0).mean())
    for ev, name in (("coup", "p_coup"), ("alliance_formed", "p_formed"),
                     ("alliance_dissolved", "p_dissolved"), ("split", "p_split"),
                     ("expelled", "p_expelled"), ("punished", "p_punished")):
        res[name] = float(((ever & _BIT[ev]) != 0).mean())
    res["mean_precarity"] = float(final["precarity"].mean())
    for p, name in enumerate(world.patrons):
        res[f"p_align_{name}"] = per[p]
    return res
