"""Batched simulation (engine/_batch.py): K parameter sets x runs in one engine call, each block of runs
bit-for-bit the solo simulation of its set with the same seed."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from alliancelab import InputError
from alliancelab._random import as_generator
from alliancelab.engine import compile_scenario, forecast, forecast_many, simulate
from alliancelab.engine._batch import VARYING, make_batch
from alliancelab.engine._simulate import simulate_many, split_result
from alliancelab.engine._steps_domestic import RULER_BIT, support_terms
from alliancelab.engine._support_table import support_by_code
from alliancelab.scenario import load_scenario
from alliancelab.theory.params import ModelParams


def _sets() -> list[ModelParams]:
    """Three sets differing in every field of VARYING (values inside each field's range)."""
    base = ModelParams()
    out = []
    for i, f in enumerate((0.6, 1.0, 1.7)):
        e, d = base.elite, base.disparity
        out.append(dataclasses.replace(
            base,
            elite=dataclasses.replace(e, mass_effect_weight=e.mass_effect_weight * f,
                                      security_weight=e.security_weight * f,
                                      threat_weight=e.threat_weight / f,
                                      autonomy_cost=e.autonomy_cost * (1.0 + 0.1 * i),
                                      commitment_horizon=(2.0, 0.5, 9.3)[i],   # 2 and 0.5: power shortcuts
                                      unrest_max=min(e.unrest_max * f, 0.9),
                                      coup_attempt_max=(0.3, 0.5, 0.9)[i]),
            disparity=dataclasses.replace(d, haz_intercept=d.haz_intercept + (i - 1),
                                          haz_beta_threat=d.haz_beta_threat * f,
                                          haz_beta_disparity=d.haz_beta_disparity * f)))
    return out


def _same(a, b) -> bool:  # noqa: ANN001
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)
    if a is None or b is None:
        return a is b
    return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b)


@pytest.mark.parametrize("case", ["italy-1948", "philippines-2016", "nicaragua-1979"])
def test_each_block_is_the_solo_simulation(case):
    sets = _sets()
    assert {n for n in make_batch(sets, 5).values} == VARYING            # every varying field varies
    sc = load_scenario(case)
    runs, seed = 40, 123
    many = simulate_many(compile_scenario(sc, sets[0]), sets, runs, as_generator(seed))
    assert many.ruling.shape[1] == len(sets) * runs
    for p, part in zip(sets, split_result(many, len(sets))):
        solo = simulate(compile_scenario(sc, p), p, runs, as_generator(seed))
        for f in dataclasses.fields(solo):
            assert _same(getattr(solo, f.name), getattr(part, f.name)), (case, f.name)


def test_forecast_many_equals_forecast_per_set():
    sets = _sets()
    fcs = forecast_many("italy-1948", sets, runs=30, seed=7)
    assert len(fcs) == 3
    for p, fc in zip(sets, fcs):
        solo = forecast("italy-1948", runs=30, seed=7, params=p, drivers=False)
        assert fc.to_json() == solo.to_json()
        assert fc.params == p and fc.runs == 30


def test_one_set_is_the_solo_path():
    p = ModelParams()
    [fc] = forecast_many("yugoslavia-1948", [p], runs=25, seed=3)
    assert fc.to_json() == forecast("yugoslavia-1948", runs=25, seed=3, params=p, drivers=False).to_json()


def test_a_field_outside_the_free_parameters_may_not_differ():
    a = ModelParams()
    b = dataclasses.replace(a, elite=dataclasses.replace(a.elite, r_election=a.elite.r_election + 1.0))
    with pytest.raises(InputError, match="r_election"):
        forecast_many("italy-1948", [a, b], runs=5, seed=1)
    with pytest.raises(InputError, match="at least one"):
        make_batch([], 5)


@pytest.mark.parametrize("seed, R, density", [(1, 120, 0.3), (3, 20, 1.0)])   # table; grouped runs
def test_support_table_with_a_mass_weight_per_set(seed, R, density):
    """Each run reads the support table of its own set's mass-effect weight."""
    rng = np.random.default_rng(seed)
    Q, C, F, P, I = 4, 3, 3, 2, 7
    sched = rng.gamma(1.0, 50.0, (Q, C, F, P, I)) * (rng.random((Q, C, F, P, 1)) < density)
    sched[..., 5] = np.clip(sched[..., 5] / 100, 0, 1)
    sched[..., 6] = np.clip(sched[..., 6] / 50 - 1, -1, 1)
    sr = rng.gamma(1.0, 50.0, (Q, C, P, I)) * (rng.random((Q, C, P, 1)) < density / 2)
    sr[..., 5:] = 0.0
    vis, br = rng.random((C, F, P, I)), rng.random((C, F, P, I))
    sets = [dataclasses.replace(ModelParams(), elite=dataclasses.replace(ModelParams().elite,
                                                                         mass_effect_weight=w))
            for w in (0.05, 0.2, 0.7)]
    batch = make_batch(sets, R)
    code = np.tile(rng.integers(0, 1 << (RULER_BIT + 1), (R, C, F, P)), (3, 1, 1, 1))
    pe = batch.per_set(sets[0], "elite", 4)
    got = support_by_code(code, sched, sr, RULER_BIT,
                          lambda c: support_terms(c, sched, vis, br, pe, lambda m: False, sr),
                          sets=batch.block)
    for k, p in enumerate(sets):
        want = support_by_code(code[:R], sched, sr, RULER_BIT,
                               lambda c: support_terms(c, sched, vis, br, p.elite, lambda m: False, sr))
        for g, w in zip(got, want):
            assert np.array_equal(g[k * R:(k + 1) * R], w)


def test_every_free_parameter_of_the_posterior_may_vary_in_a_batch():
    """The calibration batches walkers that differ in the posterior's free parameters (and the
    autonomy cost tied to them): freeing another parameter must add it to VARYING, or the batched
    sampler refuses its walkers."""
    from alliancelab.calibration.space import load_space

    assert set(load_space().names) | {"elite.autonomy_cost"} <= VARYING
