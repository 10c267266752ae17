"""Leave-one-case-out validation: PSIS weights, the per-case report, stored folds reused."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from alliancelab import InputError
from alliancelab.calibration.likelihood import CaseLikelihood, split_blob
from alliancelab.calibration.loo import loo_markdown, loo_validate, psis_weights
from alliancelab.calibration.space import load_space
from alliancelab.calibration.store import Posterior, load_posterior


def _tiny_posterior() -> Posterior:
    space = load_space()
    x = space.initial(4, np.random.default_rng(5))
    cases = ("italy-1948",)
    cl = CaseLikelihood(cases, 30, 2)
    blobs = np.array([cl.blob(space.params(xi)) for xi in x])
    draws = np.array([[p.from_x(v) for p, v in zip(space.parameters, xi)] for xi in x])
    prov = {"runs_per_case": 30, "seed": 2, "walkers": 26, "steps_requested": 1, "label": "test",
            "cases": list(cases)}
    return Posterior(tuple(space.names), draws, cases, split_blob(blobs, 1), prov)


def test_psis_weights_uniform_when_the_case_does_not_discriminate():
    w, k = psis_weights(np.zeros((200, 2)))
    assert w.shape == (200, 2) and k.shape == (2,)
    np.testing.assert_allclose(w.sum(axis=0), 1.0)
    np.testing.assert_allclose(w, 1 / 200)
    # exact, not flagged: leaving out a case that carries no information changes nothing
    np.testing.assert_array_equal(k, 0.0)


def test_a_case_constant_across_draws_beside_informative_ones_gets_k_0_and_finite_json():
    rng = np.random.default_rng(1)
    ll = np.c_[rng.normal(-1, 0.3, 256), np.full(256, -0.7)]
    w, k = psis_weights(ll)
    assert k[1] == 0.0 and np.isfinite(k[0])
    np.testing.assert_allclose(w[:, 1], 1 / 256)
    from alliancelab.calibration.loo import _row

    row = _row("italy-1948", {"probability": 0.5, "p_outcome": 0.6, "timing_mass": 0.7}, "psis-loo",
               float("inf"), -0.7, 256)
    assert row["pareto_k"] == "inf"
    json.dumps(row, allow_nan=False)


def test_psis_weights_downweight_draws_that_fit_the_left_out_case():
    rng = np.random.default_rng(0)
    ll = np.c_[rng.normal(-1, 0.3, 400), np.zeros(400)]
    w, _ = psis_weights(ll)
    order = np.argsort(ll[:, 0])
    assert w[order[:50], 0].mean() > w[order[-50:], 0].mean()


def test_loo_reports_every_case_and_reuses_stored_folds(tmp_path):
    post = _tiny_posterior()
    folds = tmp_path / "folds.json"
    a = loo_validate(post, folds_file=folds, refit=False)
    from alliancelab.calibration.likelihood import available_cases

    assert [r["case"] for r in a["cases"]] == available_cases()
    assert a["reused_folds"] == 0
    for r in a["cases"]:
        assert 0 < r["probability"] <= 1 and r["brier"] == pytest.approx((1 - r["probability"]) ** 2, abs=1e-3)
        assert r["log_score"] == pytest.approx(np.log(r["probability"]), abs=1e-3)
        assert r["hit"] == (r["p_outcome"] >= 0.5 and r["timing_mass"] >= 0.5)
    italy = next(r for r in a["cases"] if r["case"] == "italy-1948")
    assert italy["method"].startswith("psis-loo") and italy["pareto_k"] is not None
    others = [r for r in a["cases"] if r["case"] != "italy-1948"]
    assert all(r["method"] == "held out (not in the fit)" for r in others)
    assert a["hit_rate"] == pytest.approx(sum(r["hit"] for r in a["cases"]) / len(a["cases"]), abs=1e-4)
    assert set(a["baselines"]) == {"balance_of_power", "balance_of_threat", "persistence"}
    b = loo_validate(post, folds_file=folds, refit=False)
    assert b["reused_folds"] == len(b["cases"])
    assert [r["probability"] for r in b["cases"]] == [r["probability"] for r in a["cases"]]
    assert json.loads(folds.read_text())["folds"].keys() == {r["case"] for r in a["cases"]}
    assert "| italy-1948 |" in loo_markdown(b)


def test_a_bad_posterior_file_is_a_one_line_error(tmp_path):
    bad = tmp_path / "p.json"
    bad.write_text('{"draws": [[1, 2]]}')
    with pytest.raises(InputError, match="not a posterior file"):
        load_posterior(bad)
    with pytest.raises(InputError, match="file not found"):
        load_posterior(tmp_path / "missing.json")


@pytest.mark.parametrize("coords", ["box", "logit"])
def test_an_exact_refit_uses_the_full_posteriors_moves_and_coordinates(tmp_path, monkeypatch, coords):
    """A refit samples as the posterior it replaces did (moves and coordinates from its provenance)."""
    from alliancelab.calibration import loo, sampler

    post = _tiny_posterior()
    post.provenance.update(moves="de", coords=coords, walkers=4)
    seen = {}

    class _Stop(Exception):
        pass

    def fake_run(settings, where, **kw):
        seen.update(moves=settings.moves, coords=settings.coords, walkers=settings.walkers,
                    initial=kw["initial"].shape)
        raise _Stop

    monkeypatch.setattr(sampler, "run_sampler", fake_run)
    with pytest.raises(_Stop):
        loo._refit("italy-1948", post, 2, tmp_path, None, lambda s: None)
    assert seen == {"moves": "de", "coords": coords, "walkers": 4, "initial": (4, load_space().ndim)}


def test_an_exact_refit_never_resumes_another_posteriors_checkpoint(tmp_path, monkeypatch):
    """The refit's checkpoint folder is named by the fold's inputs (posterior, code, case inputs): a
    refit left by another posterior or engine with the same sampler settings is not resumed (session
    14 found session 13's Romania refit resumed by the next session's leave-one-out)."""
    from alliancelab.calibration import loo, sampler

    post = _tiny_posterior()
    post.provenance.update(moves="de", coords="box", walkers=4)
    where = []

    class _Stop(Exception):
        pass

    def fake_run(settings, directory, **kw):
        where.append(Path(directory))
        raise _Stop

    monkeypatch.setattr(sampler, "run_sampler", fake_run)
    for inputs in ("a" * 64, "b" * 64, "a" * 64):
        with pytest.raises(_Stop):
            loo._refit("italy-1948", post, 2, tmp_path, None, lambda s: None, inputs=inputs)
    assert where[0] != where[1] and where[0] == where[2]
    assert all(w.parent == tmp_path and w.name.startswith("refit-italy-1948-") for w in where)
