"""Convergence: the diagnostics and the criterion, the DE moves, stopping when converged, provenance."""

from __future__ import annotations

import json

import numpy as np
import pytest

from alliancelab.calibration import sampler as sampler_mod
from alliancelab.calibration.convergence import ESS_MIN, RHAT_MAX, TAU_MULTIPLE, diagnose
from alliancelab.calibration.likelihood import BLOB_FIELDS
from alliancelab.calibration.sampler import SamplerSettings, run_sampler
from alliancelab.calibration.space import ARCHIGOS_BOXES, EXTRA, FIXED, load_space
from alliancelab.calibration.store import Posterior, build_posterior


def test_iid_draws_converge_and_a_random_walk_does_not():
    rng = np.random.default_rng(0)
    names = ["a", "b", "c"]
    good = diagnose(rng.standard_normal((400, 16, 3)), names, accepted=np.full(16, 120.0))
    assert good["converged"] and not good["failing"]
    assert good["rhat_max"] < RHAT_MAX and good["ess_bulk_min"] >= ESS_MIN and good["acceptance"] == 0.3
    assert good["length_in_tau"] >= TAU_MULTIPLE
    walk = np.cumsum(rng.standard_normal((80, 16, 3)), axis=0)
    bad = diagnose(walk, names)
    assert not bad["converged"]
    assert any("R-hat" in f for f in bad["failing"]) and any("tau" in f for f in bad["failing"])
    short = diagnose(walk[:5], names)
    assert not short["converged"] and "too short" in short["failing"][0]


def _gaussian(x, cases, runs, seed):
    """A cheap stand-in posterior: independent normals around the defaults' coordinates (s.d. 3 % of
    each box), no constraints: converges in a few hundred steps."""
    space = load_space()
    x = np.asarray(x, dtype=float)
    centre = space.defaults()
    lp = 0.0
    for i, p in enumerate(space.parameters):
        lo, hi = p.x_box
        lp += -0.5 * ((x[i] - centre[i]) / (0.03 * (hi - lo))) ** 2
    return lp, np.zeros(len(BLOB_FIELDS) * len(cases))


def _flat(x, cases, runs, seed):
    """The real prior (box, ATOP hazard priors, theory constraints) and a flat likelihood."""
    lp = load_space().log_prior(np.asarray(x, dtype=float))
    return lp, np.zeros(len(BLOB_FIELDS) * len(cases))


def _each(fn):  # noqa: ANN001, ANN202
    """The vectorised form the sampler calls (``log_probability_many``) of a per-walker stand-in."""
    return lambda xs, cases, runs, seed, client=None: [fn(x, cases, runs, seed) for x in xs]


def test_de_moves_stop_when_converged_deterministically_and_say_so(monkeypatch, tmp_path):
    monkeypatch.setattr(sampler_mod, "log_probability_many", _each(_gaussian))
    space = load_space()
    st = SamplerSettings(cases=("italy-1948",), runs=1, seed=4, walkers=2 * space.ndim, steps=3_000,
                         checkpoint_every=25)
    a = run_sampler(st, tmp_path / "a", until_converged=True, min_steps=50)
    assert a["converged"] and a["stopped"] == "converged" and a["steps"] < st.steps
    d = a["diagnostics"]
    assert d["rhat_max"] < RHAT_MAX and d["ess_bulk_min"] >= ESS_MIN and d["steps"] >= TAU_MULTIPLE * d["tau_max"]
    b = run_sampler(st, tmp_path / "b", until_converged=True, min_steps=50)
    np.testing.assert_array_equal(a["chain"], b["chain"])
    # resuming a converged run changes nothing
    c = run_sampler(st, tmp_path / "a", until_converged=True, min_steps=50)
    np.testing.assert_array_equal(a["chain"], c["chain"])
    # the posterior file says whether it converged, by which criterion, and what is fixed
    post = build_posterior(a, st, max_draws=64)
    prov = post.provenance
    assert prov["converged"] is True and prov["label"].startswith("CONVERGED")
    assert prov["convergence"]["criterion"] and prov["stopped"] == "converged" and prov["moves"] == "de"
    assert set(prov["fixed"]) == set(FIXED) and all(v["reason"] for v in prov["fixed"].values())
    again = Posterior.from_dict(json.loads(json.dumps(post.to_dict())))
    assert again.fixed == post.fixed and set(again.fixed) == set(FIXED)


def test_prior_refresh_move_samples_the_hazard_prior_where_the_cases_are_flat(monkeypatch, tmp_path):
    monkeypatch.setattr(sampler_mod, "log_probability_many", _each(_flat))
    space = load_space()
    st = SamplerSettings(cases=("italy-1948",), runs=1, seed=2, walkers=2 * space.ndim, steps=300,
                         checkpoint_every=100)
    out = run_sampler(st, tmp_path)
    i = space.names.index("disparity.haz_intercept")
    p = space.parameters[i]
    kept = out["chain"][150:, :, i].ravel()
    assert abs(kept.mean() - p.mean) < 0.3 and 0.7 * p.sd < kept.std() < 1.3 * p.sd
    rhat = out["diagnostics"]["rhat"]
    # the prior-dominated hazard mixes faster than any parameter only DE moves (with a flat likelihood)
    assert max(rhat[q.name] for q in space.parameters if q.prior == "normal") < \
        min(rhat[q.name] for q in space.parameters if q.prior != "normal")


def test_a_budget_stop_is_reported_as_not_converged(monkeypatch, tmp_path):
    monkeypatch.setattr(sampler_mod, "log_probability_many", _each(_gaussian))
    space = load_space()
    st = SamplerSettings(cases=("italy-1948",), runs=1, seed=4, walkers=2 * space.ndim, steps=30,
                         checkpoint_every=10)
    out = run_sampler(st, tmp_path, until_converged=True, min_steps=10, max_seconds=0.0)
    assert out["stopped"] == "time budget" and out["steps"] == 10 and not out["converged"]
    post = build_posterior(out, st, max_draws=32)
    assert post.provenance["label"].startswith("NOT CONVERGED") and post.provenance["convergence"]["failing"]


def test_fixed_parameters_apply_under_every_draw():
    space = load_space()
    assert not set(FIXED) & set(space.names) and len(space.names) + len(FIXED) == 13 + len(EXTRA)
    x = space.defaults()
    p = space.params(x)
    margin = space.fixed_values()["elite.autonomy_margin"]
    e = p.elite
    bound = 0.1 * e.security_weight + 0.5 * e.affinity_weight + 0.2 * e.threat_weight + 0.02
    assert e.autonomy_cost == pytest.approx(bound + margin, abs=1e-6)
    # every parameter with an empirical prior stays free
    assert {q.name for q in space.parameters if q.prior == "normal"} == {
        "disparity.haz_intercept", "disparity.haz_beta_disparity", "disparity.haz_beta_threat",
        "elite.unrest_max", "elite.coup_attempt_max"}
    # the Archigos priors: log-normal, their medians inside the box, the free values reach the engine
    from alliancelab.calibration.coup_prior import load_coup_prior
    from alliancelab.calibration.unrest_prior import load_unrest_prior

    priors = {**load_unrest_prior()["priors"], **load_coup_prior()["priors"]}
    for q in space.parameters:
        if q.name in ARCHIGOS_BOXES:
            assert q.log and (q.low, q.high) == ARCHIGOS_BOXES[q.name]
            assert q.mean == pytest.approx(priors[q.name]["mean"]) and q.sd == pytest.approx(priors[q.name]["sd"])
            assert q.low < priors[q.name]["median"] < q.high
    i, j = space.names.index("elite.unrest_max"), space.names.index("elite.coup_attempt_max")
    x[i], x[j] = np.log(0.0114), np.log(0.9)
    p = space.params(x)
    assert p.elite.unrest_max == pytest.approx(0.0114) and p.elite.coup_attempt_max == pytest.approx(0.9)
    assert p.elite.autonomy_cost == pytest.approx(bound + margin, abs=1e-6)    # the fixed ones still apply
    # the log prior is the sum of the normal densities in x: the coup prior's median beats its box's ends
    lp = space.log_prior(x)
    x_med = x.copy()
    x_med[j] = priors["elite.coup_attempt_max"]["mean"]
    assert space.log_prior(x_med) - lp == pytest.approx(
        0.5 * ((np.log(0.9) - priors["elite.coup_attempt_max"]["mean"]) / priors["elite.coup_attempt_max"]["sd"]) ** 2)


def test_a_posterior_fitted_before_a_parameter_was_freed_gives_it_its_default():
    """The session-12 posterior (8 free parameters) lacks ``elite.coup_attempt_max``: its draws were
    simulated with the source default, which forecasts (``Posterior.params``) and warm starts
    (``space.to_x``) keep until the refit."""
    from alliancelab.calibration import load_posterior
    from alliancelab.theory.params import ModelParams

    import dataclasses

    post = load_posterior()
    keep = [k for k, n in enumerate(post.parameters) if n != "elite.coup_attempt_max"]   # as fitted in session 12
    post = dataclasses.replace(post, parameters=tuple(post.parameters[k] for k in keep), draws=post.draws[:, keep])
    space = load_space()
    missing = [n for n in space.names if n not in post.parameters]
    assert missing == ["elite.coup_attempt_max"]
    default = ModelParams().elite.coup_attempt_max
    assert post.params(0).elite.coup_attempt_max == default
    assert post.median_params().elite.coup_attempt_max == default
    x = space.to_x(post.values(0))
    assert x[space.names.index("elite.coup_attempt_max")] == pytest.approx(np.log(default))
    assert space.values(x)["elite.unrest_max"] == pytest.approx(post.values(0)["elite.unrest_max"], rel=1e-8)
