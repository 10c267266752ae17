"""Posterior-averaged outcome and timing of every case with one mechanism on and off (a quick check of a
new mechanism before the posterior is refitted; NOT leave-one-out: every draw is from the full shipped
posterior, whose per-draw likelihoods were computed with the engine before the mechanism).

    python scripts/posterior_mechanism_check.py --mechanism Y16 [--draws 32] [--runs 500] [--cases a,b]

Per case and arm: ``p_outcome`` (the criteria, mean over draws) and ``timing_mass`` (the share of the timing
event's mass, in runs where the criteria hold and the event happens, within ±1 year of history, weighted
by ``p_outcome`` across draws), exactly as ``calibration.likelihood`` and ``calibration.loo`` define them;
``hit`` = both >= 0.5. Seeds: ``cases.backtest.case_seeds(1, cases)``; the same draws and seeds in both arms.
"""

from __future__ import annotations

import argparse
import json

import numpy as np

from alliancelab.calibration.likelihood import TIMING_WINDOW
from alliancelab.calibration.store import load_posterior
from alliancelab.cases.backtest import case_seeds
from alliancelab.cases.expected import EXPECTED
from alliancelab.cases.outcomes import evaluate
from alliancelab.engine.forecast import forecast_many
from alliancelab.scenario import load_scenario


def _arm(case: str, params: list, runs: int, seed: int, disable: tuple[str, ...]) -> dict:
    exp, sc = EXPECTED[case], load_scenario(case)
    po, tm = [], []
    for fc in forecast_many(sc, params, runs=runs, seed=seed, disable=disable):
        ev = evaluate(fc, exp)
        n, k = int(ev.given.sum()), int(ev.holds.sum())
        first = ev.event_first[ev.holds & (ev.event_first >= 0)]
        years = np.asarray(ev.years)[first]
        po.append(k / n if n else 0.0)
        tm.append(float((np.abs(years - exp.year) <= TIMING_WINDOW).mean()) if first.size else 0.0)
    p, m = np.array(po), np.array(tm)
    mass = float((p * m).sum() / p.sum()) if p.sum() > 0 else 0.0
    return {"p_outcome": round(float(p.mean()), 4), "timing_mass": round(mass, 4),
            "hit": bool(p.mean() >= 0.5 and mass >= 0.5)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mechanism", required=True)
    ap.add_argument("--draws", type=int, default=32)
    ap.add_argument("--runs", type=int, default=500)
    ap.add_argument("--cases", default="")
    ap.add_argument("--json", default="")
    a = ap.parse_args()
    post = load_posterior()
    step = max(1, post.n_draws // a.draws)
    params = [post.params(i) for i in range(0, post.n_draws, step)][: a.draws]
    cases = a.cases.split(",") if a.cases else sorted(EXPECTED)
    seeds = case_seeds(1, cases)
    out = {}
    for case in cases:
        on = _arm(case, params, a.runs, seeds[case], ())
        off = _arm(case, params, a.runs, seeds[case], (a.mechanism,))
        out[case] = {"on": on, "off": off}
        print(f"{case:22s} off p {off['p_outcome']:.3f} mass {off['timing_mass']:.3f} hit {off['hit']!s:5s} | "
              f"on p {on['p_outcome']:.3f} mass {on['timing_mass']:.3f} hit {on['hit']}", flush=True)
    print(f"hits: off {sum(r['off']['hit'] for r in out.values())}, on {sum(r['on']['hit'] for r in out.values())} "
          f"of {len(out)}")
    if a.json:
        with open(a.json, "w", encoding="utf-8") as fh:
            json.dump(out, fh, indent=1)


if __name__ == "__main__":
    main()
