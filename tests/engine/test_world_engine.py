"""One engine: a world and a scenario holding the same facts are the same model (issue 12)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from alliancelab.engine._compile import compile_scenario
from alliancelab.engine._simulate import MECHANISMS, simulate
from alliancelab.engine.world import (
    compile_world,
    evaluate,
    run_world,
    scenario_from_world,
    synthetic_world,
)
from alliancelab.theory.params import ModelParams


def _same_arrays(a, b) -> None:
    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
            assert isinstance(x, np.ndarray) and isinstance(y, np.ndarray), f.name
            assert x.shape == y.shape, f.name
            np.testing.assert_allclose(x, y, rtol=1e-12, atol=1e-12, err_msg=f.name)
        elif isinstance(x, dict) or isinstance(y, dict):
            assert isinstance(x, dict) and isinstance(y, dict) and x.keys() == y.keys(), f.name
            for k in x:
                assert x[k].shape == y[k].shape, (f.name, k)
                np.testing.assert_allclose(x[k], y[k], rtol=1e-12, atol=1e-12, err_msg=f"{f.name}.{k}")
        else:
            assert x == y, f.name


def _same_runs(ca, cb, seed: int, runs: int = 200, disable=frozenset()) -> None:
    p = ModelParams()
    ra = simulate(ca, p, runs, np.random.default_rng(seed), disable)
    rb = simulate(cb, p, runs, np.random.default_rng(seed), disable)
    np.testing.assert_array_equal(ra.ruling, rb.ruling)
    np.testing.assert_array_equal(ra.aligned, rb.aligned)
    for k in ra.first:
        np.testing.assert_array_equal(ra.first[k], rb.first[k])


@pytest.mark.parametrize("strategy", ["interest", "threat", "preemptive"])
def test_world_and_scenario_with_the_same_facts_are_one_model(strategy):
    w = synthetic_world(n_states=7, n_patrons=3, n_factions=3, periods=6, seed=5, strategy=strategy)
    cw = compile_world(w)
    cs = compile_scenario(scenario_from_world(w), ModelParams())
    _same_arrays(cw, cs)
    _same_runs(cw, cs, seed=3)


def test_world_runs_every_mechanism_of_the_engine():
    """The world is simulated by the scenario engine: each mechanism switch changes its runs."""
    w = synthetic_world(n_states=10, n_patrons=2, n_factions=3, periods=8, seed=2)
    base = run_world(w, runs=400, seed=1)
    changed = []
    for m in ("E9", "E11", "E14", "Y2", "Y5", "Y6"):
        assert m in MECHANISMS
        off = run_world(w, runs=400, seed=1, disable=frozenset({m}))
        changed.append(not np.array_equal(base.alignment, off.alignment))
    assert all(changed)


def test_world_from_data_is_the_scenario_engine(shared_data_dir):
    """A world from data (majors are patrons and clients) compiles to the arrays of its scenario."""
    from alliancelab.engine.world_data import world_from_data

    w = world_from_data(1950, data_dir=shared_data_dir, max_states=12, periods=3)
    cw = compile_world(w)
    cs = compile_scenario(scenario_from_world(w), ModelParams())
    _same_arrays(cw, cs)
    _same_runs(cw, cs, seed=7, runs=100)


def test_h2_uses_the_commitment_horizon():
    """H2 in a world is the engine's: the commitment horizon parameter reaches the world's runs."""
    w = synthetic_world(n_states=10, n_patrons=2, n_factions=3, periods=8, seed=4)
    base = ModelParams()
    short = dataclasses.replace(base, elite=dataclasses.replace(base.elite, commitment_horizon=1.0))
    a = evaluate(w, runs=600, seed=3, params=base)
    b = evaluate(w, runs=600, seed=3, params=short)
    assert a != b


def test_world_with_per_target_threat_severity_is_the_scenario_engine(shared_data_dir):
    """The option ``threat_by_target`` (Y13's severity per target) reaches the engine as a
    scenario's ``severity_by_target``: same arrays, same runs; and it changes the Y13 arrays."""
    from alliancelab.engine.world_data import world_from_data

    w = world_from_data(1950, data_dir=shared_data_dir, max_states=12, periods=3,
                        threat_by_target=True)
    assert w.threats.severity_c is not None and w.threats.severity_p is not None
    cw = compile_world(w)
    cs = compile_scenario(scenario_from_world(w), ModelParams())
    _same_arrays(cw, cs)
    _same_runs(cw, cs, seed=7, runs=100)
    flat = compile_world(world_from_data(1950, data_dir=shared_data_dir, max_states=12, periods=3))
    assert not np.allclose(cw.y13["threat"], flat.y13["threat"])
