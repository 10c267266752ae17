"""The papers' five cases with issue #10's mechanisms (E18-E22, Y13): none, each alone, all.

Runs ``alliancelab.cases.backtest.backtest(runs=10_000, seed=1)`` with the other new mechanisms
switched off (through the engine's ``disable`` set) and prints one line per configuration:
case -> [probability, passed, model year]. The table in docs/calibration.md comes from this script.

Usage: ``python benchmarks/mechanisms.py [none E18 ... all]``
"""

from __future__ import annotations

import importlib
import json
import sys


def run(off: frozenset[str]) -> dict[str, list]:
    """Backtest with the mechanisms ``off`` switched off; case -> [probability, passed, model year]."""
    from alliancelab.cases.backtest import backtest
    from alliancelab.engine import _simulate

    fm = importlib.import_module("alliancelab.engine.forecast")
    real = _simulate.simulate

    def sim(comp, params, runs, rng, disable=frozenset(), *, light=False):  # noqa: ANN001, ANN202
        return real(comp, params, runs, rng, frozenset(disable) | off, light=light)

    fm.simulate = sim
    try:
        return {d["case"]: [d["probability"], d["passed"], d["timing"].get("model_year")]
                for d in (r.to_dict() for r in backtest(runs=10_000, seed=1))}
    finally:
        fm.simulate = real


def main(argv: list[str] | None = None) -> int:
    from alliancelab.engine._simulate import NEW_MECHANISMS

    configs = (argv if argv is not None else sys.argv[1:]) or ["none", *sorted(NEW_MECHANISMS), "all"]
    for c in configs:
        off = frozenset(NEW_MECHANISMS) if c == "none" else frozenset() if c == "all" \
            else frozenset(NEW_MECHANISMS - {c})
        print(c, json.dumps(run(off), sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
