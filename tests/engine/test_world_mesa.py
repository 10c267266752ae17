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


def test_slicer_knows_every_compiled_field(world):
    """Each field of Compiled is sliced on its client axis or has none (new fields must be added)."""
    import dataclasses

    from mesa_reference import _CLIENT_AXIS, _NO_CLIENT_AXIS, slice_clients

    from alliancelab.engine._compile import Compiled
    from alliancelab.engine.world import compile_world

    names = {f.name for f in dataclasses.fields(Compiled)}
    assert names == set(_CLIENT_AXIS) | _NO_CLIENT_AXIS | {"clients", "factions", "grabs"}
    comp = compile_world(world)
    one = slice_clients(comp, [2])
    for name, axis in _CLIENT_AXIS.items():
        x, y = getattr(comp, name), getattr(one, name)
        for a, b in ((x, y),) if not isinstance(x, dict) else ((x[k], y[k]) for k in x):
            if a is not None:
                assert b.shape[axis] == 1 and np.array_equal(np.take(a, [2], axis=axis), b), name
