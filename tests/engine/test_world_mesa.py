"""The Mesa 3 reference (benchmarks/mesa_reference.py) runs the same model as the engine."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("mesa")
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from mesa_reference import run_mesa  # noqa: E402

from alliancelab.engine.world import run_world, synthetic_world  # noqa: E402


@pytest.fixture(scope="module")
def world():
    return synthetic_world(n_states=5, n_patrons=2, n_factions=3, periods=4, seed=4)


def test_mesa_is_deterministic(world):
    a = run_mesa(world, 4, seed=3)
    b = run_mesa(world, 4, seed=3)
    for key in a:
        np.testing.assert_array_equal(a[key], b[key])


def test_mesa_and_engine_agree_in_distribution(world):
    runs = 80
    mesa = run_mesa(world, runs, seed=1, collect=False)
    eng = run_world(world, runs=3_000, seed=1).alignment[-1]
    P = world.n_patrons
    for p in range(P + 1):
        m = (mesa["alignment"] == p).mean(0)
        e = (eng == p).mean(0)
        se = np.sqrt(np.clip(e * (1 - e), 0.01, None) / runs)
        assert np.all(np.abs(m - e) < 4.5 * se), (p, m, e)
