"""The world model written plainly in Mesa 3: the reference the engine is benchmarked against.

Same rules as :mod:`alliancelab.engine.world`, written the way a Mesa user would write them: one
``ClientState`` agent per state, all randomness from ``model.rng``, a per-agent ``step()`` that
evaluates the theory kernels for its own state (through
:class:`alliancelab.engine.world.PeriodKernels` on a one-client slice, i.e. the same kernel calls)
and then draws its own events in plain Python, in the engine's order:

1. the domestic contest (does the ruler fall; successor and route),
2. alliance survival (dissolution / split -> expel or punish -> instigated coup),
3. a non-aligned client, or a new ruler, chooses a patron; the patron accepts.

A ``DataCollector`` records ruling faction and alignment every step, as the engine does when it
keeps trajectories. ``shared_tables=True`` gives a second, smarter Mesa variant whose agents look up
the engine's precomputed per-period tables instead of re-evaluating the kernels: it isolates what
vectorising over runs buys. ``tests/engine/test_world_mesa.py`` checks that the two implementations
give the same outcome distribution.
"""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np

from alliancelab.engine.strategies import allocate
from alliancelab.engine.world import EVENTS, PeriodKernels, Tables, World, transition_tables

__all__ = ["ClientState", "WorldModel", "run_mesa"]


class ClientState(mesa.Agent):
    """One client state: its ruling faction, its alignment, and its own kernel evaluations."""

    def __init__(self, model: WorldModel, index: int) -> None:
        super().__init__(model)
        w = model.world
        self.index = index
        self.code = w.states[index]
        self.ruler = int(w.initial_ruling[index])
        self.align = int(w.initial_alignment[index])
        self.events: set[str] = set()
        self.ever: set[str] = set()
        if model.tables is None:
            self.kernels = PeriodKernels(w, model.params, alloc=model.alloc,
                                         clients=slice(index, index + 1))

    def _probabilities(self) -> dict[str, Any]:
        m = self.model
        if m.tables is None:
            p = self.kernels.step()
            return {key: value[0] for key, value in p.items()}
        t, c, tab = m.period, self.index, m.tables
        F, A = m.world.n_factions, m.world.n_patrons + 1
        return {"stay": tab.stay[t].reshape(-1, F, A)[c], "end": tab.end[t].reshape(-1, F, A)[c],
                "split": tab.split[t].reshape(-1, F, A)[c],
                "successor": np.diff(tab.successor_cum[t][c], prepend=0.0, axis=-1),
                "choice": np.diff(tab.choice_cum[t][c], prepend=0.0, axis=-1),
                "instigated": tab.instigated[t][c]}

    @staticmethod
    def _pick(probs: np.ndarray, u: float) -> int:
        total = 0.0
        for k, p in enumerate(probs):
            total += float(p)
            if u < total:
                return k
        return len(probs) - 1

    def step(self) -> None:
        m = self.model
        w = m.world
        F, P = w.n_factions, w.n_patrons
        prob = self._probabilities()
        rng = m.rng
        events: set[str] = set()
        ruler, align = self.ruler, self.align
        # 1. domestic contest
        stay = float(prob["stay"][ruler, align])
        u0 = rng.random()
        leader_changed = False
        if u0 >= stay:
            v = (u0 - stay) / max(1.0 - stay, 1e-12)
            k = self._pick(prob["successor"][ruler], v)
            route, self.ruler = divmod(k, F)
            events.add(("election_turnover", "coup", "unrest_fall")[route])
            leader_changed = True
        # 2. alliance survival
        touched = False
        if align < P:
            u1 = rng.random()
            end = float(prob["end"][ruler, align])
            if u1 < end:
                touched = True
                split = float(prob["split"][ruler, align])
                kept = False
                if u1 < split:
                    events.add("split")
                    wv = u1 / max(split, 1e-12)
                    ex = float(m.expel[self.index, align])
                    if wv < ex:
                        events.add("expelled")
                    else:
                        events.add("punished")
                        w2 = (wv - ex) / max(1.0 - ex, 1e-12)
                        if w2 < float(prob["instigated"][self.ruler, align]):
                            self.ruler = int(m.friendly[self.index, align])
                            events.add("instigated_coup")
                            kept = True
                else:
                    events.add("alliance_dissolved")
                if not kept:
                    self.align = P
        # 3. choice of a patron by a non-aligned client or a new ruler
        if (self.align == P or leader_changed) and not touched:
            u2 = rng.random()
            k = self._pick(prob["choice"][self.ruler], u2)
            if k != self.align:
                if k < P:
                    events.add("alliance_formed")
                if self.align < P:
                    events.add("alliance_dissolved")
                self.align = k
        self.events = events
        self.ever |= events


class WorldModel(mesa.Model):
    """A Mesa model of one run of a :class:`~alliancelab.engine.world.World`."""

    def __init__(self, world: World, *, seed: int | None = None, params: Any = None,
                 shared_tables: Tables | None = None, collect: bool = True) -> None:
        super().__init__(seed=seed)
        self.world = world
        self.params = params
        self.period = 0
        self.tables = shared_tables
        self.alloc = allocate(world)              # the patrons' budget strategy
        k = PeriodKernels(world, params, alloc=self.alloc)
        self.expel, self.friendly = k.expel, k.friendly
        for c in range(world.n_states):
            ClientState(self, c)
        self.collector = mesa.DataCollector(
            agent_reporters={"ruling": "ruler", "alignment": "align"}) if collect else None
        if self.collector is not None:
            self.collector.collect(self)

    def step(self) -> None:
        self.agents.do("step")
        self.period += 1
        if self.collector is not None:
            self.collector.collect(self)


def run_mesa(world: World, runs: int, *, seed: int = 0, params: Any = None,
             shared_tables: bool = False, collect: bool = True) -> dict[str, np.ndarray]:
    """Run ``runs`` independent Mesa models; return final ``alignment``/``ruling`` ``(runs, C)`` and
    ``ever`` event masks (bits of :data:`~alliancelab.engine.world.EVENTS`)."""
    tables = transition_tables(world, params) if shared_tables else None
    C = world.n_states
    align = np.zeros((runs, C), np.int16)
    ruling = np.zeros((runs, C), np.int16)
    ever = np.zeros((runs, C), np.uint16)
    for r in range(runs):
        model = WorldModel(world, seed=seed + r, params=params, shared_tables=tables,
                           collect=collect)
        for _ in range(world.periods):
            model.step()
        for agent in model.agents:
            align[r, agent.index] = agent.align
            ruling[r, agent.index] = agent.ruler
            ever[r, agent.index] = sum(1 << EVENTS.index(e) for e in agent.ever)
    return {"alignment": align, "ruling": ruling, "ever": ever}
