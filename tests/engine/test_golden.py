"""The engine reproduces the numbers recorded before issue #10 (golden digests, ``_golden.py``) when
the mechanisms issue #10 added are switched off: splitting the loop into steps changed no number, and
the new mechanisms draw from their own random stream (common random numbers)."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from alliancelab.cases.backtest import backtest
from alliancelab.engine import _simulate

from . import _golden

forecast_mod = importlib.import_module("alliancelab.engine.forecast")
HERE = Path(__file__).parent
GOLDEN = json.loads(_golden.FILE.read_text())
BACKTEST = json.loads((HERE / "golden_backtest.json").read_text())


def _without_new(monkeypatch: pytest.MonkeyPatch) -> None:
    new = frozenset(getattr(_simulate, "NEW_MECHANISMS", ()))
    real = _simulate.simulate

    def old(comp, params, runs, rng, disable=frozenset(), *, light=False):  # noqa: ANN001, ANN202
        return real(comp, params, runs, rng, frozenset(disable) | new, light=light)

    monkeypatch.setattr(_golden, "simulate", old)
    monkeypatch.setattr(forecast_mod, "simulate", old)


def test_simulate_digests_equal_the_recorded_ones(monkeypatch):
    _without_new(monkeypatch)
    now = _golden.digests()
    assert sorted(now) == sorted(GOLDEN)
    changed = sorted(k for k in GOLDEN if now[k] != GOLDEN[k])
    assert not changed, f"numbers changed for {changed}"


def test_backtest_probabilities_equal_the_recorded_ones(monkeypatch):
    _without_new(monkeypatch)
    for r in backtest(runs=10_000, seed=1):
        d = r.to_dict() if hasattr(r, "to_dict") else r.__dict__
        g = BACKTEST[d["case"]]
        assert d["probability"] == g["probability"], d["case"]
        assert [c["probability"] for c in d["criteria"]] == g["criteria"], d["case"]
