"""The world model's Monte Carlo loop: discrete state ``(runs, clients)``, one loop over periods.

Runs are processed in fixed blocks of :data:`BLOCK_RUNS`, each with its own spawned seed (the
numbers do not depend on the number of threads); a period is a handful of look-ups in the
:class:`~._world_tables.Tables` and uniform draws, with the rare events resolved on the cells where
they happen and recorded as bits of :data:`EVENTS`. Public names are re-exported by
:mod:`alliancelab.engine.world`.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import numpy as np

from .._random import SeedLike, spawn_seeds
from .._validation import MAX_RUNS, check_positive_int
from ._world_tables import _U32, Tables

if TYPE_CHECKING:
    from .world import World

__all__ = ["BLOCK_RUNS", "EVENTS"]

#: Runs per block; each block has its own seed (results independent of the thread count).
BLOCK_RUNS = 1024

#: Event bits of the ``events`` array, in bit order.
EVENTS: tuple[str, ...] = ("election_turnover", "coup", "unrest_fall", "alliance_formed",
                           "alliance_dissolved", "split", "expelled", "punished", "instigated_coup")
_BIT = {name: np.uint16(1 << i) for i, name in enumerate(EVENTS)}
_LEADER_MASK = np.uint16(_BIT["election_turnover"] | _BIT["coup"] | _BIT["unrest_fall"])
_ROUTE_BITS = np.array([_BIT["election_turnover"], _BIT["coup"], _BIT["unrest_fall"]], np.uint16)


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
                     threads: int | None
                     ) -> tuple[dict[str, np.ndarray] | None, dict[str, np.ndarray]]:
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
