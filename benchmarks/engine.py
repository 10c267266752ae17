"""Benchmark of the one engine on a 50-state world: Mesa reference ratio, throughput, memory, scaling.

    python benchmarks/engine.py [--json] [--quick] [--write-docs]

(a) the same world model written plainly in Mesa 3 (``benchmarks/mesa_reference.py``) against the
    engine on the same world, both keeping full trajectories; ratio of time per run;
(b) throughput in client-period updates per second (runs x states x periods / wall time, compilation
    included, ``light`` runs), best of 1 and all cores;
(c) peak memory per run (tracemalloc), with and without trajectories;
(d) how time grows with runs, states and periods (``--write-docs`` puts the table into
    ``docs/performance.md``).

The last line of ``--json`` output is one JSON object with at least ``mesa_ratio`` and
``updates_per_second``. Timings are wall-clock on a shared machine: best of ``--repeat`` tries.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from mesa_reference import run_mesa  # noqa: E402

from alliancelab.engine._world_run import run_compiled  # noqa: E402
from alliancelab.engine.world import (  # noqa: E402
    compile_world,
    default_params,
    run_world,
    synthetic_world,
)

DOCS = HERE.parent / "docs" / "performance.md"


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def engine_time(world, runs: int, *, light: bool, threads: int | None, repeat: int) -> float:
    """Seconds for ``runs`` runs of ``world`` on the one engine, compilation included."""
    params = default_params()

    def go() -> None:
        run_compiled(compile_world(world, params), params, runs, 1, light=light, threads=threads)
    return _best(go, repeat)


def mesa_ratio(args, log) -> dict[str, float]:
    world = synthetic_world(n_states=50, n_patrons=2, n_factions=3, periods=20, seed=1)
    mesa_runs = 1 if args.quick else 3
    t_mesa = _best(lambda: run_mesa(world, mesa_runs, seed=1), 1) / mesa_runs
    runs = 1_024 if args.quick else 4_096
    t_eng = _best(lambda: run_world(world, runs=runs, seed=1), args.repeat) / runs
    log("(a) Mesa reference, 50 states x 20 periods, trajectories kept:")
    log(f"    Mesa (an agent per state, one run per model): {t_mesa * 1e3:9.1f} ms per run")
    log(f"    engine ({runs:,} runs):                       {t_eng * 1e3:9.4f} ms per run")
    log(f"    mesa_ratio = {t_mesa / t_eng:,.0f}")
    return {"mesa_ratio": t_mesa / t_eng, "mesa_seconds_per_run": t_mesa,
            "engine_seconds_per_run": t_eng}


def throughput(args, log) -> dict[str, float]:
    runs = 2_048 if args.quick else 8_192
    world = synthetic_world(n_states=50, n_patrons=2, n_factions=3, periods=20, seed=1)
    updates = runs * world.n_states * world.periods
    out = {}
    for threads in (1, os.cpu_count() or 1):
        sec = engine_time(world, runs, light=True, threads=threads, repeat=args.repeat)
        out[threads] = updates / sec
        log(f"(b) throughput, {runs:,} runs x 50 states x 20 periods, light, {threads} thread(s): "
            f"{updates / sec / 1e6:6.2f} M client-period updates/s")
    best_threads = max(out, key=out.get)
    params = default_params()
    comp = compile_world(world, params)
    cpu = float("inf")
    for _ in range(args.repeat):
        c0 = time.process_time()
        run_compiled(comp, params, runs, 1, light=True, threads=1)
        cpu = min(cpu, time.process_time() - c0)
    log(f"    per CPU-second of one thread (insensitive to other load): {updates / cpu / 1e6:6.2f} M")
    return {"updates_per_second": out[best_threads], "updates_per_second_1thread": out[1],
            "updates_per_cpu_second": updates / cpu, "threads": best_threads}


def memory(args, log) -> dict[str, float]:
    world = synthetic_world(n_states=50, n_patrons=2, n_factions=3, periods=20, seed=1)
    runs = 1_024
    res = {}
    params = default_params()
    for light in (True, False):
        tracemalloc.start()
        run_compiled(compile_world(world, params), params, runs, 1, light=light, threads=1)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        key = "peak_bytes_per_run" if light else "peak_bytes_per_run_trajectories"
        res[key] = peak / runs
        log(f"(c) peak memory, 50 states x 20 periods, {'light' if light else 'full'}: "
            f"{peak / runs / 1024:7.1f} KiB per run ({peak / 2**20:.1f} MiB for {runs:,} runs)")
    return res


def scaling(args, log, threads: int | None = None) -> list[dict[str, float]]:
    base = {"runs": 2_048, "states": 50, "periods": 10}
    grid = [("runs", [1_024, 4_096]), ("states", [25, 50, 100]), ("periods", [5, 10, 20])]
    if args.quick:
        grid = [("runs", [1_024]), ("states", [25, 100]), ("periods", [5, 20])]
    rows = []
    for name, values in grid:
        for v in values:
            cfg = {**base, name: v}
            world = synthetic_world(n_states=cfg["states"], n_patrons=2, periods=cfg["periods"],
                                    seed=1)
            sec = engine_time(world, cfg["runs"], light=True, threads=threads, repeat=args.repeat)
            upd = cfg["runs"] * cfg["states"] * cfg["periods"]
            rows.append({"vary": name, **cfg, "seconds": sec, "updates_per_second": upd / sec})
            log(f"(d) {name:>7} = {v:>6}: {sec:7.3f} s  ({upd / sec / 1e6:5.2f} M updates/s)")
    return rows


def _table(rows: list[dict[str, float]]) -> str:
    lines = ["| varied | runs | states | periods | seconds | M updates/s |",
             "|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['vary']} | {r['runs']:,} | {r['states']} | {r['periods']} | "
                     f"{r['seconds']:.3f} | {r['updates_per_second'] / 1e6:.1f} |")
    return "\n".join(lines)


def write_docs(result: dict, rows: list[dict[str, float]]) -> None:
    if not DOCS.is_file():
        return
    text = DOCS.read_text(encoding="utf-8")
    block = (f"<!-- benchmark:start -->\nMeasured {result['when']} on {result['machine']} "
             f"(`python benchmarks/engine.py --write-docs`).\n\n{_table(rows)}\n\n"
             f"```json\n{json.dumps({k: result[k] for k in sorted(result) if k != 'scaling'}, indent=1)}\n```\n"
             f"<!-- benchmark:end -->")
    new = re.sub(r"<!-- benchmark:start -->.*?<!-- benchmark:end -->", block, text, flags=re.S)
    from alliancelab._io import write_text_atomic

    write_text_atomic(DOCS, new)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--json", action="store_true", help="last line: one JSON object")
    ap.add_argument("--quick", action="store_true", help="smaller sizes (smoke test)")
    ap.add_argument("--repeat", type=int, default=3, help="best of N timings")
    ap.add_argument("--write-docs", action="store_true", help="update docs/performance.md")
    args = ap.parse_args(argv)

    def log(msg: str) -> None:
        print(msg, flush=True)

    result: dict = {"when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                    "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                               f"load {os.getloadavg()[0]:.1f}, numpy {np.__version__}"}
    result.update(mesa_ratio(args, log))
    result.update(throughput(args, log))
    result.update(memory(args, log))
    rows = scaling(args, log, threads=result["threads"])   # the faster setting of (b)
    result["scaling"] = rows
    result["targets_met"] = bool(result["mesa_ratio"] >= 100 and
                                 result["updates_per_second"] >= 5e6)
    log(f"targets (mesa_ratio >= 100, updates_per_second >= 5e6): "
        f"{'met' if result['targets_met'] else 'NOT met'}")
    if args.write_docs:
        write_docs(result, rows)
    if args.json:
        print(json.dumps({k: (round(v, 6) if isinstance(v, float) else v)
                          for k, v in result.items()}, sort_keys=True))


if __name__ == "__main__":
    main()
