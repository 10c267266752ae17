"""Benchmark: wall time of the backtest with 10,000 runs per case (target: < 12 s per case, 2 cores).

The target was "the papers' five < 60 s"; with the case library it is scaled per case (12 s each), so
the ~25-case backtest has to finish in about five minutes on the 2-core machine (it takes far less).

Also measures, in the same process, a *reference*: a plain per-run Python loop over the periods of one
case (``italy-1948``) that calls the same kernels run by run (no vectorisation over runs), timed on a
few runs and scaled to 10,000 runs x 5 cases by the cases' total period count. The ratio says how much
the vectorised engine gains on this machine, independent of the machine's speed.

Usage: ``python benchmarks/backtest.py [--runs 10000] [--seed 1] [--ref-runs 50]``
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time


def _reference_seconds_per_run_period(ref_runs: int, seed: int) -> float:
    """Time the engine on ONE run at a time (the per-run Python loop a naive model would use)."""
    import numpy as np

    from alliancelab.engine import compile_scenario, simulate
    from alliancelab.scenario import load_scenario
    from alliancelab.theory.params import ModelParams

    params = ModelParams()
    comp = compile_scenario(load_scenario("italy-1948"), params)
    rng = np.random.default_rng(seed)
    simulate(comp, params, 1, rng)  # warm-up
    t0 = time.perf_counter()
    for _ in range(ref_runs):
        simulate(comp, params, 1, rng)
    dt = time.perf_counter() - t0
    return dt / (ref_runs * len(comp.periods))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--ref-runs", type=int, default=50)
    ns = ap.parse_args(argv)

    from alliancelab.cases import backtest, list_cases
    from alliancelab.scenario import load_scenario

    cases = [c.id for c in list_cases()]
    n_periods = sum(len(load_scenario(c).periods) for c in cases)
    backtest(runs=50, seed=ns.seed, cases=cases[:1])  # warm-up: imports, YAML, numpy
    t0 = time.perf_counter()
    results = backtest(runs=ns.runs, seed=ns.seed)
    wall = time.perf_counter() - t0
    target = 12.0 * len(cases)

    per = _reference_seconds_per_run_period(ns.ref_runs, ns.seed)
    ref = per * ns.runs * n_periods
    print(f"machine: {platform.machine()} {platform.processor() or ''}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}")
    print(f"backtest: {len(cases)} cases x {ns.runs:,} runs: {wall:.2f} s wall, {wall / len(cases):.2f} s "
          f"per case (target < {target:.0f} s): {'OK' if wall < target else 'SLOW'}")
    for r in results:
        rules = " ".join(f"{k}={'-' if b['abstained'] else int(b['hit'])}" for k, b in r.baselines.items())
        print(f"  {r.case:22s} P={r.probability:.3f} year={r.model_year} (history {r.historical_year}) "
              f"{'PASS' if r.passed else 'FAIL'}  {rules}")
    print(f"reference (per-run Python loop, {ns.ref_runs} runs of italy-1948 timed, scaled to "
          f"{ns.runs:,} runs x {n_periods} case-periods): {ref:.1f} s")
    print(f"speed-up of the vectorised backtest over the per-run loop: {ref / wall:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
