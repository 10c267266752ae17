"""Benchmark: one half-ensemble of the posterior's sampler, per-walker vs batched likelihood (issue #11).

Usage::

    python benchmarks/calibration.py [--walkers 8] [--runs 300] [--cases N] [--workers 0] [--repeat 1] [--json]
    python benchmarks/calibration.py --sampler-steps 2 --workers 2 [--walkers 16]
    python benchmarks/calibration.py --scaling 8,16,32 [--runs 300] [--cases N] [--repeat 2]

emcee evaluates half the walkers per move (8 of the 16 the posterior uses). The old path evaluates
them one at a time, :meth:`CaseLikelihood.blob` per walker (a forecast of every case each); the
batched path evaluates them together, :meth:`CaseLikelihood.blob_many` (one engine call per case for
all walkers: ``walkers x runs`` runs). Both give the same numbers (checked here, bit for bit). With
``--workers N`` both run through the sampler's own Dask functions on a local cluster: the old path one
task per walker (:func:`log_probability`), the batched path one task per case
(:func:`log_probability_many`). Prints each path's best wall time, the ratio measured in the same run,
and the 1-minute load average (other processes on the two cores slow both). The last line is JSON.

``--sampler-steps S`` instead runs the sampler itself (``run_sampler``, ``--walkers`` walkers, default
16 there, fresh directories) for S steps per-walker and then batched, on the same cluster, and
reports seconds per step of each (the start's evaluation of every walker included) and whether the
two chains are identical.

``--scaling K1,K2,...`` times the batched likelihood alone (:meth:`CaseLikelihood.blob_many`, in this
process, one core) for K1, K2, ... walkers per engine call (the walkers of one emcee move), best of
``--repeat``; it prints seconds per call, per walker, and each K's cost relative to the first. This is
what decides how many walkers are nearly free (docs/calibration.md, "Sampler configuration").
"""

from __future__ import annotations

import argparse
import json
import os
import time
from functools import partial


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--walkers", type=int, default=8)
    ap.add_argument("--runs", type=int, default=300)
    ap.add_argument("--cases", type=int, default=0, help="only the first N cases (0: all)")
    ap.add_argument("--workers", type=int, default=0, help="Dask workers (0: this process)")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sampler-steps", type=int, default=0)
    ap.add_argument("--scaling", default="", help="comma-separated walkers per call, e.g. 8,16,32")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    if a.sampler_steps:
        return _sampler(a)
    if a.scaling:
        return _scaling(a)
    import numpy as np

    from alliancelab.calibration.likelihood import CaseLikelihood, available_cases
    from alliancelab.calibration.sampler import (DaskPool, local_client, log_probability,
                                                 log_probability_many)
    from alliancelab.calibration.space import load_space

    cases = tuple(available_cases()[: a.cases or None])
    space = load_space()
    xs = space.initial(a.walkers, np.random.default_rng(a.seed))
    client = local_client(a.workers) if a.workers else None
    try:
        if client is None:
            cl = CaseLikelihood(cases, a.runs, a.seed)
            params = [space.params(x) for x in xs]
            cl.blob_many(params[:2])                                     # warm-up (imports, caches)
            old_fn = lambda: np.array([cl.blob(p) for p in params])   # noqa: E731
            new_fn = lambda: cl.blob_many(params)                        # noqa: E731
        else:
            pool = DaskPool(client)
            fn = partial(log_probability, cases=cases, runs=a.runs, seed=a.seed)
            log_probability_many(xs[:2], cases, a.runs, a.seed, client)  # warm-up on the workers
            old_fn = lambda: np.array([b for _, b in pool.map(fn, xs)])   # noqa: E731
            new_fn = lambda: np.array([b for _, b in log_probability_many(xs, cases, a.runs, a.seed,  # noqa: E731
                                                                          client)])
        old_t, new_t = [], []
        for _ in range(a.repeat):
            t = time.perf_counter()
            old = old_fn()
            old_t.append(time.perf_counter() - t)
            t = time.perf_counter()
            new = new_fn()
            new_t.append(time.perf_counter() - t)
    finally:
        if client is not None:
            client.close()
            client.cluster.close()
    same = bool(np.array_equal(old, new, equal_nan=True))
    out = {"walkers": a.walkers, "runs": a.runs, "cases": len(cases), "workers": a.workers,
           "per_walker_seconds": round(min(old_t), 3), "batched_seconds": round(min(new_t), 3),
           "speedup": round(min(old_t) / min(new_t), 2), "identical": same,
           "load_1min": round(os.getloadavg()[0], 2)}
    if not a.json:
        print(f"{a.walkers} walkers x {len(cases)} cases x {a.runs} runs, workers {a.workers}: per walker "
              f"{out['per_walker_seconds']} s, batched {out['batched_seconds']} s, speed-up {out['speedup']}x, "
              f"identical {same} (load {out['load_1min']})")
    print(json.dumps(out))
    if not same:
        raise SystemExit("the batched likelihood differs from the per-walker one")


def _sampler(a: argparse.Namespace) -> None:
    import tempfile

    import numpy as np

    from alliancelab.calibration.likelihood import available_cases
    from alliancelab.calibration.sampler import SamplerSettings, local_client, run_sampler

    cases = tuple(available_cases()[: a.cases or None])
    walkers = a.walkers if a.walkers != 8 else 16
    st = SamplerSettings(cases=cases, runs=a.runs, seed=a.seed, walkers=walkers, steps=a.sampler_steps,
                         checkpoint_every=a.sampler_steps)
    client = local_client(a.workers) if a.workers else None
    out = {}
    try:
        with tempfile.TemporaryDirectory() as d:
            for name, batched in (("per_walker", False), ("batched", True)):
                t = time.perf_counter()
                out[name] = run_sampler(st, f"{d}/{name}", client=client, batched=batched)
                out[name + "_seconds_per_step"] = round((time.perf_counter() - t) / a.sampler_steps, 2)
    finally:
        if client is not None:
            client.close()
            client.cluster.close()
    same = all(np.array_equal(out["per_walker"][k], out["batched"][k]) for k in ("chain", "log_prob", "blobs"))
    res = {"walkers": walkers, "runs": a.runs, "cases": len(cases), "workers": a.workers,
           "steps": a.sampler_steps, "per_walker_seconds_per_step": out["per_walker_seconds_per_step"],
           "batched_seconds_per_step": out["batched_seconds_per_step"],
           "speedup": round(out["per_walker_seconds_per_step"] / out["batched_seconds_per_step"], 2),
           "identical_chains": bool(same), "load_1min": round(os.getloadavg()[0], 2)}
    if not a.json:
        print(f"sampler, {walkers} walkers x {len(cases)} cases x {a.runs} runs, {a.sampler_steps} steps, "
              f"workers {a.workers}: per walker {res['per_walker_seconds_per_step']} s/step, batched "
              f"{res['batched_seconds_per_step']} s/step, speed-up {res['speedup']}x, identical chains {same} "
              f"(load {res['load_1min']})")
    print(json.dumps(res))
    if not same:
        raise SystemExit("the batched sampler's chain differs from the per-walker one")


def _scaling(a: argparse.Namespace) -> None:
    import numpy as np

    from alliancelab.calibration.likelihood import CaseLikelihood, available_cases
    from alliancelab.calibration.space import load_space

    ks = [int(k) for k in a.scaling.split(",")]
    cases = tuple(available_cases()[: a.cases or None])
    space = load_space()
    xs = space.initial(max(ks), np.random.default_rng(a.seed))
    params = [space.params(x) for x in xs]
    cl = CaseLikelihood(cases, a.runs, a.seed)
    cl.blob_many(params[:2])                                             # warm-up (imports, compiled cases)
    best = {k: float("inf") for k in ks}
    for _ in range(a.repeat):
        for k in ks:                                                     # interleaved: load drifts hit all K
            t = time.perf_counter()
            cl.blob_many(params[:k])
            best[k] = min(best[k], time.perf_counter() - t)
    rows = [{"walkers_per_call": k, "seconds": round(best[k], 3), "seconds_per_walker": round(best[k] / k, 4),
             "relative_to_first": round(best[k] / best[ks[0]], 3)} for k in ks]
    res = {"runs": a.runs, "cases": len(cases), "repeat": a.repeat, "rows": rows,
           "load_1min": round(os.getloadavg()[0], 2)}
    if not a.json:
        for r in rows:
            print(f"{r['walkers_per_call']:4d} walkers per call x {len(cases)} cases x {a.runs} runs: "
                  f"{r['seconds']:.2f} s ({r['seconds_per_walker']:.3f} s/walker, x{r['relative_to_first']} "
                  f"of {ks[0]})")
    print(json.dumps(res))


if __name__ == "__main__":
    main()
