"""Benchmark: a 10,000-run forecast integrated over the posterior and the judgement inputs (issue #11).

Usage::

    python benchmarks/posterior_forecast.py [--case italy-1948] [--runs 10000] [--repeat 3] [--json]

Target: under 5 s on the 2-core machine (a point forecast of the same size takes about 1.2 s). Prints
the best and median wall time of ``--repeat`` runs of
:func:`alliancelab.calibration.uncertainty.posterior_forecast` (drivers off, default 8 posterior draws
x 3 input draws), the point forecast's time for comparison, and the 1-minute load average (other
processes on the two cores slow both). The last line printed is the JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--case", default="italy-1948")
    ap.add_argument("--runs", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    from alliancelab.calibration.store import load_posterior
    from alliancelab.calibration.uncertainty import posterior_forecast
    from alliancelab.engine import forecast
    from alliancelab.scenario import load_scenario

    post = load_posterior()
    sc = load_scenario(a.case)
    posterior_forecast(sc, runs=500, seed=0, posterior=post)          # warm-up (imports, caches)
    times, point = [], []
    for i in range(a.repeat):
        t = time.perf_counter()
        _, unc = posterior_forecast(sc, runs=a.runs, seed=i, posterior=post)
        times.append(time.perf_counter() - t)
        t = time.perf_counter()
        forecast(sc, runs=a.runs, seed=i, drivers=False)
        point.append(time.perf_counter() - t)
    out = {"case": a.case, "runs": a.runs, "cells": unc["cells"], "seconds_best": round(min(times), 3),
           "seconds_median": round(statistics.median(times), 3), "point_seconds_best": round(min(point), 3),
           "ratio_to_point": round(min(times) / min(point), 2), "target_seconds": 5.0, "meets_target": min(times) < 5.0, "load_1min": round(os.getloadavg()[0], 2)}
    if not a.json:
        print(f"integrated forecast, {a.runs} runs, {unc['cells']} cells: best {out['seconds_best']} s, "
              f"median {out['seconds_median']} s (point forecast {out['point_seconds_best']} s, ratio "
              f"{out['ratio_to_point']}; "
              f"load {out['load_1min']})")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
