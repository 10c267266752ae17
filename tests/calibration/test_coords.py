"""The sampler's logit coordinates (``SamplerSettings.coords == "logit"``, session 13): the transform and
its Jacobian, the right answer on a target piled against a bound (which needs the Jacobian), the hazard
prior refresh in ``u``, same-seed reproducibility, resume equality, and checkpoints of the other
coordinates refused in one line (or, written before the field existed, resumed as ``box``)."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliancelab import InputError
from alliancelab.calibration import sampler as sampler_mod
from alliancelab.calibration.likelihood import BLOB_FIELDS
from alliancelab.calibration.sampler import SamplerSettings, run_sampler
from alliancelab.calibration.space import load_space

from ._checkpoint import drop_key_field

SPACE = load_space()
D = SPACE.ndim
LO = np.array([p.x_box[0] for p in SPACE.parameters])
HI = np.array([p.x_box[1] for p in SPACE.parameters])
W = HI - LO
#: A target piled against the upper bound of every coordinate: a normal centred ON the bound, s.d. 5 %
#: of the box, i.e. a half-normal inside the box (the shape of unrest_max's and threat_weight's posterior).
SD = 0.05 * W


def _half_normal(xs: np.ndarray, sd: np.ndarray = SD) -> np.ndarray:
    inside = np.all((xs >= LO) & (xs <= HI), axis=1)
    return np.where(inside, -0.5 * np.sum(((xs - HI) / sd) ** 2, axis=1), -np.inf)


def _target(sd: np.ndarray = SD):  # noqa: ANN202
    def many(xs, cases, runs, seed, client=None):  # noqa: ANN001, ANN202 - log_probability_many's signature
        lp = _half_normal(np.atleast_2d(np.asarray(xs, dtype=float)), sd)
        return [(float(v), np.full(len(BLOB_FIELDS) * len(cases), float(v))) for v in lp]

    return many


_many = _target()


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0.0, 1.0), min_size=D, max_size=D))
def test_the_logit_transform_round_trips_stays_in_the_box_and_has_the_right_jacobian(frac):
    x = LO + W * np.array(frac)
    u = SPACE.to_u(x)
    assert np.all(np.isfinite(u))
    back = SPACE.from_u(u)
    assert np.all((back >= LO) & (back <= HI))
    inner = (np.array(frac) > 1e-6) & (np.array(frac) < 1 - 1e-6)
    np.testing.assert_allclose(back[inner], x[inner], rtol=0, atol=1e-9 * W.max())
    # log |dx/du| per coordinate against a central difference, where the logistic is not saturated
    h = 1e-5
    for i in np.flatnonzero(np.abs(u) < 15):
        e = np.zeros(D)
        e[i] = h
        num = (SPACE.from_u(u + e)[i] - SPACE.from_u(u - e)[i]) / (2 * h)
        assert math.isclose(float(SPACE.log_jacobian(u, [int(i)])), math.log(num), abs_tol=1e-4)
    assert math.isclose(float(SPACE.log_jacobian(u)), sum(float(SPACE.log_jacobian(u, [i])) for i in range(D)))


def test_extreme_u_maps_inside_the_box():
    for v in (-1e3, -40.0, 40.0, 1e3):
        x = SPACE.from_u(np.full(D, v))
        assert np.all((x >= LO) & (x <= HI))


def test_logit_coordinates_sample_a_target_piled_against_the_bound(monkeypatch, tmp_path):
    """The half-normal's mean is the bound − s.d. × sqrt(2/π); the logit walkers find it in every
    coordinate (a sampler in u without the Jacobian would not), and the stored chain and log densities are
    in x: inside the box, log_prob = the target at the stored point."""
    monkeypatch.setattr(sampler_mod, "log_probability_many", _many)
    st_ = SamplerSettings(cases=("italy-1948",), runs=1, seed=3, walkers=32, steps=500, checkpoint_every=250,
                          moves="de-ind", start="prior", coords="logit")
    out = run_sampler(st_, tmp_path)
    kept = out["chain"][150:].reshape(-1, D)
    assert np.all((kept >= LO) & (kept <= HI))
    want = HI - SD * math.sqrt(2 / math.pi)
    assert np.all(np.abs(kept.mean(axis=0) - want) < 0.15 * SD), (kept.mean(axis=0) - want) / SD
    np.testing.assert_allclose(kept.std(axis=0), SD * math.sqrt(1 - 2 / math.pi), rtol=0.15)
    lp = out["log_prob"][150:].reshape(-1)
    np.testing.assert_allclose(lp, _half_normal(kept), rtol=0, atol=1e-6)


def test_logit_coordinates_mix_better_than_box_coordinates_against_a_bound(monkeypatch, tmp_path):
    """A half-normal of s.d. 15 % of each box on its upper bound (about the real posterior's unrest_max),
    300 steps x 32 walkers, de-ind, prior start, same seed: in box coordinates the moves across the bound
    are rejected and the largest R-hat is higher (measured, seeds 1-3: box 1.33-1.45, logit 1.15-1.17;
    bulk ESS 66-83 vs 140-159)."""
    monkeypatch.setattr(sampler_mod, "log_probability_many", _target(0.15 * W))
    diag = {}
    for coords in ("box", "logit"):
        st_ = SamplerSettings(cases=("italy-1948",), runs=1, seed=1, walkers=32, steps=300,
                              checkpoint_every=300, moves="de-ind", start="prior", coords=coords)
        diag[coords] = run_sampler(st_, tmp_path / coords)["diagnostics"]
    assert diag["logit"]["rhat_max"] < diag["box"]["rhat_max"] - 0.1, diag
    assert diag["logit"]["ess_bulk_min"] > 1.5 * diag["box"]["ess_bulk_min"]


def test_prior_refresh_in_u_samples_the_hazard_prior_where_the_cases_are_flat(monkeypatch, tmp_path):
    """A flat likelihood on the real prior: the hazard intercept's draws follow its ATOP prior in x."""
    def flat(xs, cases, runs, seed, client=None):  # noqa: ANN001, ANN202
        return [(SPACE.log_prior(np.asarray(x, dtype=float)), np.zeros(len(BLOB_FIELDS) * len(cases))) for x in xs]

    monkeypatch.setattr(sampler_mod, "log_probability_many", flat)
    st_ = SamplerSettings(cases=("italy-1948",), runs=1, seed=2, walkers=2 * D, steps=300, checkpoint_every=100,
                          moves="de", coords="logit")
    out = run_sampler(st_, tmp_path)
    i = SPACE.names.index("disparity.haz_intercept")
    p = SPACE.parameters[i]
    kept = out["chain"][150:, :, i].ravel()
    assert abs(kept.mean() - p.mean) < 0.3 and 0.7 * p.sd < kept.std() < 1.3 * p.sd


def test_same_seed_same_chain_and_an_interrupted_logit_run_resumes_bit_for_bit(monkeypatch, tmp_path):
    monkeypatch.setattr(sampler_mod, "log_probability_many", _many)
    st_ = SamplerSettings(cases=("italy-1948",), runs=1, seed=5, walkers=32, steps=12, checkpoint_every=4,
                          moves="de-ind", start="ball", coords="logit")
    whole = run_sampler(st_, tmp_path / "a")
    again = run_sampler(st_, tmp_path / "c")
    run_sampler(dataclasses.replace(st_, steps=4), tmp_path / "b")
    resumed = run_sampler(st_, tmp_path / "b")
    for k in ("chain", "log_prob", "blobs"):
        np.testing.assert_array_equal(whole[k], resumed[k])
        np.testing.assert_array_equal(whole[k], again[k])
    box = run_sampler(dataclasses.replace(st_, coords="box"), tmp_path / "d")
    assert not np.array_equal(box["chain"], whole["chain"])


def test_a_box_checkpoint_is_refused_by_a_logit_run_and_an_old_one_resumes_as_box(monkeypatch, tmp_path):
    monkeypatch.setattr(sampler_mod, "log_probability_many", _many)
    st_ = SamplerSettings(cases=("italy-1948",), runs=1, seed=5, walkers=2 * D, steps=4, checkpoint_every=2,
                          moves="de-ind")
    whole = run_sampler(st_, tmp_path / "a")
    run_sampler(dataclasses.replace(st_, steps=2), tmp_path / "b")
    path = tmp_path / "b" / "checkpoint.npz"
    drop_key_field(path, "coords")                      # as written by session 12's code (the s12 run)
    with pytest.raises(InputError) as info:
        run_sampler(dataclasses.replace(st_, coords="logit"), tmp_path / "b")
    msg = str(info.value)
    assert len(msg.splitlines()) == 1 and str(path) in msg and "field 'coords'" in msg
    assert "allowed: 'box' to resume it, or another --dir" in msg
    np.testing.assert_array_equal(whole["chain"], run_sampler(st_, tmp_path / "b")["chain"])


def test_unknown_coords_are_refused_in_one_line(capsys, tmp_path):
    with pytest.raises(InputError, match="field 'coords'"):
        run_sampler(SamplerSettings(cases=("italy-1948",), runs=1, walkers=2 * D, steps=1, coords="polar"), tmp_path)
    from alliancelab.cli import main

    with pytest.raises(SystemExit) as info:
        main(["posterior", "--coords", "polar"])
    err = capsys.readouterr().err
    assert info.value.code == 2 and "field '--coords'" in err and "box, logit" in err
    assert len(err.strip().splitlines()) == 1
