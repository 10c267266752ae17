"""The world model run the way a Mesa user would run it: the benchmark's reference.

One ``ClientState`` agent per state and one Mesa model per Monte Carlo run, all randomness from
the model's own generator. The model is the one engine's (:func:`alliancelab.engine._simulate.simulate`
on the compiled world, :func:`alliancelab.engine.world.compile_world`): each agent holds its own
one-client slice of the compiled arrays and, when first stepped, draws its own single history of it
(``runs=1``), then reveals one period per ``step()``; a ``DataCollector`` records ruling faction
and alignment every step. Clients of a world do not interact within a run (patron support is
decided from the world's facts), so this is the same model without vectorising over runs and
states - which is what the benchmark measures. ``tests/engine/test_world_mesa.py`` checks that
both give the same outcome distribution.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import mesa
import numpy as np

from alliancelab.engine._compile import Compiled
from alliancelab.engine._simulate import simulate
from alliancelab.engine.world import World, compile_world, default_params

__all__ = ["ClientState", "WorldModel", "run_mesa", "slice_clients"]

#: Compiled fields with a client axis, and where it is (optional fields may be ``None``; the
#: ``y13`` dict's arrays all have it at 1; ``grabs`` records name their client, see below).
_CLIENT_AXIS = {"active": 0, "incumbent0": 0, "aligned0": 0, "baseline": 1, "coercion": 1,
                "affinity": 1, "pro_share": 1, "interest": 1, "alliance_open": 1, "control": 1,
                "aid_need": 1, "support": 2, "visibility": 1, "breadth": 1, "election_due": 1,
                "disparity": 1, "threat": 1, "threat_any": 1, "threat_from": 1, "accommodation": 1,
                "wedge": 1, "mistrust": 1, "support_ruling": 2, "pressure": 2, "intervention": 2,
                "y13": 1, "army_loyalty0": 0, "form0": 0, "second0": 0, "neutral_treaty": 1,
                "challenge": 1, "disparity_fields": 2, "legislative_due": 1, "open_fraction": 1, "term_end": 1,
                "market_frac": 1}
#: Compiled fields without a client axis.
_NO_CLIENT_AXIS = {"periods", "patrons", "budget", "tolerance", "period_years", "scheduled_spend",
                   "rivals", "appeal_drop"}


def slice_clients(comp: Compiled, idx: list[int]) -> Compiled:
    """The compiled arrays of clients ``idx`` only."""
    changes: dict[str, Any] = {"clients": [comp.clients[i] for i in idx],
                               "factions": [comp.factions[i] for i in idx]}
    for name, axis in _CLIENT_AXIS.items():
        x = getattr(comp, name)
        if isinstance(x, dict):
            changes[name] = {k: np.take(v, idx, axis=axis) for k, v in x.items()}
        elif x is not None:
            changes[name] = np.take(x, idx, axis=axis)
    new = {c: i for i, c in enumerate(idx)}               # grab records: (t0, t1, client, ...)
    changes["grabs"] = tuple((g[0], g[1], new[g[2]], *g[3:]) for g in comp.grabs if g[2] in new)
    return dataclasses.replace(comp, **changes)


class ClientState(mesa.Agent):
    """One client state: its ruling faction and alignment, from its own run of the engine."""

    def __init__(self, model: WorldModel, index: int) -> None:
        super().__init__(model)
        self.index = index
        self.comp = model.slices[index]
        self.ruler = int(self.comp.incumbent0[0])
        self.align = int(self.comp.aligned0[0])
        self.history: Any = None

    def step(self) -> None:
        m = self.model
        if self.history is None:
            self.history = simulate(self.comp, m.params, 1, m.rng, light=True)
        self.ruler = int(self.history.ruling[m.period, 0, 0])
        self.align = int(self.history.aligned[m.period, 0, 0])


class WorldModel(mesa.Model):
    """A Mesa model of one run of a :class:`~alliancelab.engine.world.World`."""

    def __init__(self, world: World, *, seed: int | None = None, params: Any = None,
                 slices: list[Compiled] | None = None, collect: bool = True) -> None:
        super().__init__(seed=seed)
        self.world = world
        self.params = default_params() if params is None else params
        self.period = 0
        if slices is None:
            comp = compile_world(world, self.params)
            slices = [slice_clients(comp, [c]) for c in range(world.n_states)]
        self.slices = slices
        for c in range(world.n_states):
            ClientState(self, c)
        self.collector = mesa.DataCollector(
            agent_reporters={"ruling": "ruler", "alignment": "align"}) if collect else None

    def step(self) -> None:
        self.agents.do("step")
        self.period += 1
        if self.collector is not None:
            self.collector.collect(self)


def run_mesa(world: World, runs: int, *, seed: int = 0, params: Any = None,
             collect: bool = True) -> dict[str, np.ndarray]:
    """Run ``runs`` independent Mesa models; return the final ``alignment`` and ``ruling``
    ``(runs, C)``."""
    params = default_params() if params is None else params
    comp = compile_world(world, params)
    slices = [slice_clients(comp, [c]) for c in range(world.n_states)]
    C = world.n_states
    align = np.zeros((runs, C), np.int16)
    ruling = np.zeros((runs, C), np.int16)
    for r in range(runs):
        model = WorldModel(world, seed=seed + r, params=params, slices=slices, collect=collect)
        for _ in range(world.periods):
            model.step()
        for agent in model.agents:
            align[r, agent.index] = agent.align
            ruling[r, agent.index] = agent.ruler
    return {"alignment": align, "ruling": ruling}
