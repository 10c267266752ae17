"""Y2, Y6 (and Y11 via D): per-period dissolution hazard."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliancelab.theory.disparity import DisparityParams, dissolution_hazard, hazard_index, survival
from tests.theory.test_disparity_params import params_st

SETTINGS = settings(max_examples=60, deadline=None)
u = st.floats(0.0, 1.0)
interior = st.floats(0.2, 0.8)
age = st.one_of(st.none(), st.floats(0.0, 200.0))


@SETTINGS
@given(u, u, u, u, u, age, params_st())
def test_Y6_hazard_rises_as_threat_falls_toward_zero(D, T, frac, m, w, a, p):
    T_lower = T * frac
    assert dissolution_hazard(D, T_lower, m, w, p, age=a) >= dissolution_hazard(D, T, m, w, p, age=a)


@SETTINGS
@given(interior, interior, interior, interior)
def test_Y6_with_no_rival_the_hazard_is_strictly_higher(D, T, m, w):
    # strict on the log rate; the probability may round to 1 in floating point for a steep hazard
    assert hazard_index(D, 0.0, m, w) > hazard_index(D, T, m, w)
    assert dissolution_hazard(D, 0.0, m, w) >= dissolution_hazard(D, T, m, w)


def test_Y6_peacetime_alliance_lasts_less_than_a_wartime_one():
    """THEORY_MAP Y6's direction with the defaults: ten-year survival is lower without a threat. (Replaces
    'peacetime 10-year survival < 0.5', which ATOP contradicts: ~0.7 %/yr at parity without threat.)"""
    p = DisparityParams()
    war = survival(np.full(10, dissolution_hazard(0.8, 0.9, p=p)))
    peace = survival(np.full(10, dissolution_hazard(0.8, 0.0, p=p)))
    assert war[-1] > peace[-1]


def test_default_hazard_at_parity_without_threat_matches_atop():
    """The default yearly hazard at parity (D = 0.5) without threat lies in the Wilson 95 % interval of
    ATOP's observed termination rate in those spell-years (calibration/data/hazard_prior.json)."""
    from alliancelab.calibration.hazard_prior import load_hazard_prior
    from alliancelab.engine.forecast import wilson_interval

    hp = load_hazard_prior()
    n = hp["n_parity_no_threat"]
    k = round(hp["observed_rate_parity_no_threat"] * n)
    lo, hi = wilson_interval(k, n)
    assert lo <= float(dissolution_hazard(0.5, 0.0, p=DisparityParams())) <= hi


@SETTINGS
@given(u, u, u, u, u, age, params_st())
def test_Y2_stability_non_decreasing_in_disparity(D, frac, T, m, w, a, p):
    D_narrow = D * frac
    assert dissolution_hazard(D_narrow, T, m, w, p, age=a) >= dissolution_hazard(D, T, m, w, p, age=a)


@SETTINGS
@given(interior, st.floats(0.05, 0.2), interior, interior, interior)
def test_Y2_narrower_gap_strictly_raises_hazard_in_the_interior(D, dD, T, m, w):
    assert hazard_index(D - dD / 2, T, m, w) > hazard_index(D + dD / 2, T, m, w)
    assert dissolution_hazard(D - dD / 2, T, m, w) >= dissolution_hazard(D + dD / 2, T, m, w)


@SETTINGS
@given(u, u, u, u, st.floats(1e-3, 1.0), params_st())
def test_hazard_is_the_cloglog_of_its_index(D, T, m, w, dt, p):
    """The probability is a strictly increasing function of the index (so the index's strict
    monotonicity is the hazard's, wherever the probability has not rounded to 0 or 1)."""
    eta = float(hazard_index(D, T, m, w, p))
    h = float(dissolution_hazard(D, T, m, w, p, period_years=dt))
    assert h == pytest.approx(-np.expm1(-np.exp(min(eta, 700.0)) * dt ** p.haz_shape), abs=1e-12)


@SETTINGS
@given(u, u, u, u, st.floats(0.0, 0.5), st.integers(0, 1))
def test_Y10_mistrust_and_wedge_raise_the_hazard(D, T, m, w, dx, which):
    args = [m, w]
    base = dissolution_hazard(D, T, *args)
    args[which] = min(1.0, args[which] + dx)
    assert dissolution_hazard(D, T, *args) >= base


@SETTINGS
@given(u, u, st.floats(0.1, 5.0), st.floats(0.0, 100.0), st.floats(0.1, 5.0))
def test_hazard_weibull_shape_sets_duration_dependence(D, T, k, a, da):
    p = DisparityParams(haz_shape=k)
    h0, h1 = dissolution_hazard(D, T, p=p, age=a), dissolution_hazard(D, T, p=p, age=a + da)
    if k > 1:
        assert h1 >= h0 - 1e-12
    elif k < 1:
        assert h1 <= h0 + 1e-12
    assert 0.0 <= h0 <= 1.0


def test_hazard_constant_shape_equals_exponential_and_period_length():
    p = DisparityParams()
    h1 = float(dissolution_hazard(0.6, 0.4, p=p))
    h_half = float(dissolution_hazard(0.6, 0.4, p=p, period_years=0.5))
    assert (1 - h_half) ** 2 == pytest.approx(1 - h1)
    assert float(dissolution_hazard(0.6, 0.4, p=p, age=17.0)) == pytest.approx(h1)


def test_hazard_broadcasts_and_is_finite_at_boundaries():
    rng = np.random.default_rng(3)
    h = dissolution_hazard(rng.random((200, 500)), rng.random(500), 0.2, rng.random((200, 1)))
    assert h.shape == (200, 500)
    edges = np.array([0.0, 1e-300, 0.5, 1.0])
    g = np.meshgrid(edges, edges, edges, edges, indexing="ij")
    for p in (DisparityParams(), DisparityParams(haz_intercept=20.0, haz_shape=5.0),
              DisparityParams(haz_intercept=-20.0, haz_shape=0.1)):
        out = dissolution_hazard(*g, p=p, age=np.array([0.0, 1e6]).reshape(2, 1, 1, 1, 1))
        assert np.all(np.isfinite(out)) and np.all((out >= 0) & (out <= 1))
