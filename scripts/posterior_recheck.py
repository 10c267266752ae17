"""Is a posterior still the current model's? Re-evaluate its per-draw likelihoods with this code.

The shipped posterior stores, per draw and case, the log-likelihood it was fitted with
(``calibration.likelihood``: common random numbers, the provenance's runs and seed). After the engine
or a case changes, leave-one-out reads those stored values; this script recomputes them with the code
as it is now (one engine call per case for ``--batch`` draws at a time) and prints, per case, how many
draws differ and the largest difference. Exit status 0 either way; the verdict is printed.

    python scripts/posterior_recheck.py [--posterior FILE] [--batch 16] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posterior", default=None, help="posterior JSON (default: the shipped file)")
    ap.add_argument("--batch", type=int, default=16, help="draws per engine call")
    ap.add_argument("--json", default=None, help="also write the per-case result here")
    a = ap.parse_args(argv)

    from alliancelab.calibration.likelihood import CaseLikelihood
    from alliancelab.calibration.store import load_posterior

    post = load_posterior(a.posterior)
    prov = post.provenance
    runs, seed = int(prov["runs_per_case"]), int(prov["seed"])
    lik = CaseLikelihood(tuple(post.cases), runs, seed)
    params = [post.params(i) for i in range(post.n_draws)]
    C = len(post.cases)
    t0 = time.perf_counter()
    now = np.concatenate([lik.blob_many(params[i:i + a.batch]) for i in range(0, len(params), a.batch)])
    loglik = now[:, :C]
    stored = post.pointwise["loglik"]
    diff = np.abs(loglik - stored)
    rows = {c: {"draws_differing": int((diff[:, j] > 1e-6).sum()), "max_abs_diff": float(diff[:, j].max())}
            for j, c in enumerate(post.cases)}
    changed = [c for c, r in rows.items() if r["draws_differing"]]
    print(f"{post.n_draws} draws x {C} cases re-evaluated ({runs} runs, seed {seed}) in "
          f"{time.perf_counter() - t0:.0f} s", file=sys.stderr)
    print("| case | draws differing | largest |log-lik difference| |\n|---|---|---|")
    for c, r in rows.items():
        print(f"| {c} | {r['draws_differing']} | {r['max_abs_diff']:.3g} |")
    print(f"\nverdict: {'IDENTICAL' if not changed else 'STALE for ' + ', '.join(changed)}"
          f" (total log-likelihood at the median draw: stored {np.median(stored.sum(1)):.3f}, "
          f"now {np.median(loglik.sum(1)):.3f})")
    if a.json:
        from alliancelab._io import write_json_atomic

        write_json_atomic(a.json, {"cases": rows, "changed": changed, "runs": runs, "seed": seed})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
