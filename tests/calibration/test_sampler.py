"""The posterior sampler: deterministic, resumable, on a Dask cluster; the space's priors and support."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from alliancelab import InputError
from alliancelab.calibration.hazard_prior import load_hazard_prior
from alliancelab.calibration.likelihood import BLOB_FIELDS, available_cases, case_seed
from alliancelab.calibration.sampler import SamplerSettings, local_client, run_sampler
from alliancelab.calibration.space import load_space, violations
from alliancelab.calibration.store import Posterior, build_posterior

TINY = SamplerSettings(cases=("italy-1948",), runs=20, seed=3, walkers=26, steps=3,
                       checkpoint_every=1)


def test_interrupted_and_resumed_run_gives_the_same_posterior(tmp_path):
    """Stop after one step, resume on a Dask cluster: same chain and same posterior as one serial run."""
    whole = run_sampler(TINY, tmp_path / "a")
    run_sampler(dataclasses.replace(TINY, steps=1), tmp_path / "b")          # "interrupted" after step 1
    client = local_client(2)
    try:
        resumed = run_sampler(TINY, tmp_path / "b", client=client)
    finally:
        client.close()
        client.cluster.close()
    assert resumed["chain"].shape == (3, 26, load_space().ndim)
    np.testing.assert_array_equal(whole["chain"], resumed["chain"])
    np.testing.assert_array_equal(whole["log_prob"], resumed["log_prob"])
    a = build_posterior(whole, TINY, max_draws=20).to_dict()
    b = build_posterior(resumed, TINY, max_draws=20).to_dict()
    assert a["draws"] == b["draws"] and a["pointwise"] == b["pointwise"]
    post = Posterior.from_dict(a)
    assert post.n_draws > 0 and set(post.pointwise) == set(BLOB_FIELDS)
    assert post.pointwise["loglik"].shape == (post.n_draws, 1)
    assert np.all(post.pointwise["p_joint"] > 0) and np.all(post.pointwise["p_joint"] < 1)


def test_a_checkpoint_with_other_settings_is_refused(tmp_path):
    run_sampler(dataclasses.replace(TINY, steps=1), tmp_path)
    with pytest.raises(InputError, match="other settings"):
        run_sampler(dataclasses.replace(TINY, runs=21), tmp_path)


def test_bad_settings_are_one_line_errors(tmp_path):
    with pytest.raises(InputError, match="walkers"):
        run_sampler(dataclasses.replace(TINY, walkers=5), tmp_path)
    with pytest.raises(InputError, match="unknown case"):
        run_sampler(dataclasses.replace(TINY, cases=("atlantis-1900",)), tmp_path)


def test_every_case_with_an_expected_file_is_used():
    from alliancelab.cases.expected import EXPECTED

    assert set(available_cases()) == set(EXPECTED)


def test_case_seeds_do_not_depend_on_the_other_cases():
    assert case_seed(1, "italy-1948") == case_seed(1, "italy-1948")
    assert case_seed(1, "italy-1948") != case_seed(2, "italy-1948")
    assert case_seed(1, "italy-1948") != case_seed(1, "yugoslavia-1948")


def test_hazard_prior_agrees_with_observed_termination_at_parity():
    """At parity without threat the prior's mean hazard is ATOP's observed termination rate (not a step)."""
    from alliancelab.theory.disparity import DisparityParams, dissolution_hazard

    hp = load_hazard_prior()
    mean = hp["priors"]["disparity.haz_intercept"]["mean"]
    h = float(dissolution_hazard(0.5, 0.0, p=DisparityParams(haz_intercept=mean)))
    assert 0 < hp["observed_rate_parity_no_threat"] < 0.05
    assert h == pytest.approx(hp["observed_rate_parity_no_threat"], rel=0.35)
    assert 0.0 < h < 0.05


def test_prior_support_and_theory_constraints():
    space = load_space()
    rng = np.random.default_rng(0)
    x = space.initial(4, rng)
    assert all(math.isfinite(space.log_prior(xi)) for xi in x)
    assert all(not violations(space.params(xi)) for xi in x)
    out = x[0].copy()
    out[0] = space.parameters[0].x_box[1] + 1.0
    assert space.log_prior(out) == -math.inf
    # a normal prior: the density falls away from the mean
    i = space.names.index("disparity.haz_intercept")
    near, far = x[0].copy(), x[0].copy()
    near[i] = space.parameters[i].mean
    far[i] = space.parameters[i].mean + 2.0
    if math.isfinite(space.log_prior(far)):
        assert space.log_prior(near) > space.log_prior(far)
