"""The split engine, with issue #10's mechanisms switched off, gives the numbers of the loop before the
split: the same SimResult digests as the reference loop (``_reference_loop.py``) on the papers' five
cases and the examples (light runs, each mechanism off), the recorded digests of the examples, and the
same backtest probabilities. The new mechanisms draw from their own stream (common random numbers)."""

from __future__ import annotations

import importlib
import json

import pytest

from alliancelab.cases.backtest import backtest
from alliancelab.engine import _simulate

from . import _golden, _reference_loop

forecast_mod = importlib.import_module("alliancelab.engine.forecast")


def _without_new(disable=frozenset()):  # noqa: ANN001, ANN202
    new = frozenset(_simulate.NEW_MECHANISMS)

    def sim(comp, params, runs, rng, disable=disable, *, light=False):  # noqa: ANN001, ANN202
        return _simulate.simulate(comp, params, runs, rng, frozenset(disable) | new, light=light)
    return sim


@pytest.mark.parametrize("which", ["cases", "examples"])
def test_split_engine_equals_the_reference_loop(which):
    now = _golden.digests(_without_new(), which)
    ref = _golden.digests(_reference_loop.simulate, which)
    changed = sorted(k for k in ref if now[k] != ref[k])
    assert not changed, f"numbers changed for {changed}"


def test_examples_equal_the_recorded_digests():
    assert _golden.digests(_without_new(), "examples") == json.loads(_golden.FILE.read_text())


def test_backtest_probabilities_equal_the_reference_loops(monkeypatch):
    import alliancelab.scenario as scenario_pkg

    load = scenario_pkg.load_scenario
    monkeypatch.setattr(scenario_pkg, "load_scenario",
                        lambda case, **kw: _golden._pre_issue10(load(case, **kw)))
    out = []
    for sim in (_without_new(), _reference_loop.simulate):
        monkeypatch.setattr(forecast_mod, "simulate", sim)
        out.append([(r.to_dict()["case"], r.to_dict()["probability"],
                     [c["probability"] for c in r.to_dict()["criteria"]])
                    for r in backtest(runs=2_000, seed=1, cases=list(_golden.PAPER_CASES))])
    assert out[0] == out[1]
