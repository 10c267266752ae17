"""The Mesa 3 reference (benchmarks/mesa_reference.py) implements the same rules as the engine."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("mesa")
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from mesa_reference import run_mesa  # noqa: E402

from alliancelab.engine.world import (  # noqa: E402
    EVENTS,
    _simulate_arrays,
    synthetic_world,
    transition_tables,
)


@pytest.fixture(scope="module")
def world():
    return synthetic_world(n_states=5, n_patrons=2, n_factions=3, periods=6, seed=4)


def test_plain_mesa_equals_shared_table_mesa(world):
    """Agents that evaluate the kernels themselves draw exactly what table look-ups draw."""
    plain = run_mesa(world, 6, seed=3)
    tables = run_mesa(world, 6, seed=3, shared_tables=True)
    for key in plain:
        np.testing.assert_array_equal(plain[key], tables[key])


def test_mesa_and_engine_agree_in_distribution(world):
    runs = 600
    mesa = run_mesa(world, runs, seed=1, shared_tables=True, collect=False)
    _, eng = _simulate_arrays(world, transition_tables(world), 40_000, 1, record=False, threads=1)
    P = world.n_patrons
    for p in range(P + 1):
        m = (mesa["alignment"] == p).mean(0)
        e = (eng["alignment"] == p).mean(0)
        se = np.sqrt(np.clip(e * (1 - e), 0.01, None) / runs)
        assert np.all(np.abs(m - e) < 4.5 * se), (p, m, e)
    for i, name in enumerate(EVENTS):
        m = ((mesa["ever"] >> i) & 1).mean()
        e = ((eng["ever"] >> i) & 1).mean()
        assert abs(m - e) < 4.5 * np.sqrt(max(e * (1 - e), 0.01) / (runs * world.n_states)), name
