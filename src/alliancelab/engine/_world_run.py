"""Running a world on the one engine: compiled arrays, blocks of runs, event bits.

A world is compiled to the scenario engine's arrays (:func:`._world_compile.compile_world`) and
simulated by :func:`alliancelab.engine._simulate.simulate` - the same function a scenario runs
through. Runs are processed in fixed blocks of :data:`BLOCK_RUNS`, each with its own spawned seed,
so the numbers do not depend on the number of threads. Public names are re-exported by
:mod:`alliancelab.engine.world`.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from .._random import SeedLike, as_generator, spawn_seeds
from .._validation import MAX_RUNS, check_positive_int
from ..theory.params import ModelParams
from ._compile import Compiled
from ._simulate import EVENT_KINDS, SimResult, simulate

__all__ = ["BLOCK_RUNS", "EVENTS", "Trajectories", "run_compiled"]

#: Runs per block; each block has its own seed (results independent of the thread count).
BLOCK_RUNS = 1024

#: Event bits of a world's ``events`` array, in bit order: the engine's event kinds
#: (:data:`~alliancelab.engine._simulate.EVENT_KINDS`, marked in the period of their *first*
#: occurrence in a run, which is what the engine records), then ``leader_change`` and
#: ``alliance_ended`` (every period in which the ruler changed or an alliance ended).
EVENTS: tuple[str, ...] = (*EVENT_KINDS, "leader_change", "alliance_ended")
_BIT = {name: np.uint16(1 << i) for i, name in enumerate(EVENTS)}


@dataclass(frozen=True)
class Trajectories:
    """Histories of a world: ``ruling``, ``alignment`` ``(T + 1, R, C)`` (period 0 = the start),
    ``events`` ``(T + 1, R, C)`` bits of :data:`EVENTS` (``None`` when ``light``), ``precarity``
    ``(R, C)`` at the last period (``None`` when ``light``), ``first`` (kind -> ``(R, C)``)."""

    ruling: np.ndarray
    alignment: np.ndarray
    events: np.ndarray | None
    precarity: np.ndarray | None
    first: dict[str, np.ndarray]


def _seeds(seed: SeedLike, n: int) -> list[np.random.SeedSequence]:
    if isinstance(seed, np.random.Generator):
        seed = np.random.SeedSequence(int(seed.integers(2**63)))
    return spawn_seeds(seed, n)


def _merge(parts: list[SimResult]) -> SimResult:
    cat = lambda name, ax: np.concatenate([getattr(p, name) for p in parts], axis=ax)  # noqa: E731
    return SimResult(ruling=cat("ruling", 1), aligned=cat("aligned", 1), atype=cat("atype", 1),
                     precarity=cat("precarity", 1), ruler_share=cat("ruler_share", 1),
                     first={k: np.concatenate([p.first[k] for p in parts], 0) for k in parts[0].first},
                     by={k: np.concatenate([p.by[k] for p in parts], 0) for k in parts[0].by},
                     first_label=None if parts[0].first_label is None else
                     {k: np.concatenate([p.first_label[k] for p in parts], 0)
                      for k in parts[0].first_label})


def run_compiled(comp: Compiled, params: ModelParams, runs: int, seed: SeedLike, *,
                 disable: frozenset[str] = frozenset(), light: bool = False,
                 threads: int | None = 1, blocks: bool = True) -> Trajectories:
    """Simulate ``runs`` runs of ``comp`` with :func:`simulate`, in blocks of :data:`BLOCK_RUNS`
    (``blocks=False``: one call with ``as_generator(seed)``, as ``forecast`` does)."""
    check_positive_int(runs, "runs", maximum=MAX_RUNS)
    if blocks:
        sizes = [BLOCK_RUNS] * (runs // BLOCK_RUNS) + ([runs % BLOCK_RUNS] if runs % BLOCK_RUNS else [])
        gens = [np.random.default_rng(s) for s in _seeds(seed, len(sizes))]
    else:
        sizes, gens = [runs], [as_generator(seed)]

    def one(k: int) -> SimResult:
        return simulate(comp, params, sizes[k], gens[k], disable, light=light)

    n_threads = max(1, min(int(threads or 1), len(sizes)))
    if n_threads == 1:
        parts = [one(k) for k in range(len(sizes))]
    else:
        with ThreadPoolExecutor(n_threads) as ex:
            parts = list(ex.map(one, range(len(sizes))))
    sim = parts[0] if len(parts) == 1 else _merge(parts)
    R, C = sim.ruling.shape[1:]
    ruling = np.concatenate([np.broadcast_to(comp.incumbent0, (1, R, C)), sim.ruling], 0).astype(np.int16)
    align = np.concatenate([np.broadcast_to(comp.aligned0, (1, R, C)), sim.aligned], 0).astype(np.int16)
    events = None
    if not light:
        events = np.zeros(ruling.shape, np.uint16)
        for kind, first in sim.first.items():
            t, r, c = np.nonzero((first >= 0)[None] & (first[None] == np.arange(len(comp.periods))[:, None, None]))
            events[t + 1, r, c] |= _BIT[kind]
        P = len(comp.patrons)
        events[1:] |= np.where(ruling[1:] != ruling[:-1], _BIT["leader_change"], 0).astype(np.uint16)
        ended = (align[:-1] < P) & (align[1:] != align[:-1])
        events[1:] |= np.where(ended, _BIT["alliance_ended"], 0).astype(np.uint16)
    prec = None if light else sim.precarity[-1]
    return Trajectories(ruling=ruling, alignment=align, events=events, precarity=prec, first=sim.first)
