"""Which free parameters do the cases inform? A one-at-a-time profile of the log-likelihood.

For every parameter of the posterior's candidate set (``cases.calibrate.FREE``): the total
log-likelihood of all cases (``calibration.likelihood``, common random numbers) with that parameter at
``--points`` values spread over its box (in the sampling coordinate; the hazard parameters over their
prior's mean ± 2 s.d., clipped to the box) and every other parameter at the shipped posterior's median.
Points that break a theory property are skipped. Prints a markdown table: the range (max − min) of the
log-likelihood per parameter, and its Monte Carlo s.d. (delta method) for comparison.

    python scripts/parameter_profile.py --runs 200 --points 5 [--workers 2] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time

import numpy as np


def _grid(p, points: int) -> list[float]:
    lo, hi = p.x_box
    if p.prior == "normal":
        lo, hi = max(lo, p.mean - 2 * p.sd), min(hi, p.mean + 2 * p.sd)
    return [p.from_x(v) for v in np.linspace(lo, hi, points)]


def _eval(arg):
    values, cases, runs, seed = arg
    from alliancelab.calibration.likelihood import CaseLikelihood, split_blob
    from alliancelab.calibration.space import violations
    from alliancelab.cases.calibrate import params_with

    try:
        params = params_with(values)
    except Exception:  # noqa: BLE001 - a value a dataclass refuses
        return None
    if violations(params):
        return None
    blob = CaseLikelihood(tuple(cases), runs, seed).blob(params)
    pw = split_blob(blob, len(cases))
    return float(pw["loglik"].sum()), pw["p_joint"].tolist()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--points", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", default=None)
    a = ap.parse_args(argv)
    from alliancelab.calibration import load_posterior
    from alliancelab.calibration.likelihood import available_cases, mc_sd
    from alliancelab.calibration.space import load_space

    post = load_posterior()
    centre = post.median_values()
    cases = available_cases()
    params = [p for p in load_space(all_candidates=True).parameters]
    jobs, keys = [], []
    for p in params:
        for v in _grid(p, a.points):
            jobs.append(({**post.fixed, **centre, p.name: v}, cases, a.runs, a.seed))
            keys.append((p.name, v))
    t0 = time.perf_counter()
    if a.workers:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(a.workers) as ex:
            res = list(ex.map(_eval, jobs))
    else:
        res = [_eval(j) for j in jobs]
    out = {}
    for (name, v), r in zip(keys, res):
        out.setdefault(name, []).append({"value": v, "loglik": None if r is None else r[0],
                                         "p_joint": None if r is None else r[1]})
    rows = []
    for name, pts in out.items():
        ll = [q["loglik"] for q in pts if q["loglik"] is not None]
        ps = [q["p_joint"] for q in pts if q["p_joint"] is not None]
        mc = float(np.sqrt(np.sum(mc_sd(np.median(np.array(ps), axis=0), a.runs) ** 2))) if ps else math.nan
        rows.append({"name": name, "range": (max(ll) - min(ll)) if len(ll) > 1 else math.nan,
                     "best": pts[int(np.nanargmax([q["loglik"] if q["loglik"] is not None else -np.inf
                                                   for q in pts]))]["value"],
                     "points": len(ll), "mc_sd_total": mc, "profile": pts})
    rows.sort(key=lambda r: -(r["range"] if math.isfinite(r["range"]) else -1))
    print(f"{len(cases)} cases, {a.runs} runs, seed {a.seed}, {a.points} points per parameter, "
          f"{time.perf_counter() - t0:.0f} s", file=sys.stderr)
    print("| parameter | log-lik range over the box | best point | points | MC s.d. of the total |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(f"| `{r['name']}` | {r['range']:.2f} | {r['best']:.4g} | {r['points']} | {r['mc_sd_total']:.2f} |")
    if a.json:
        with open(a.json, "w") as fh:
            json.dump({"runs": a.runs, "seed": a.seed, "cases": cases, "rows": rows}, fh, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
