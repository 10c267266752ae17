"""Y1, Y11 (and Y2 via components): power as a vector, disparity, COW NMC components."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from alliancelab._exceptions import InputError
from alliancelab.theory.disparity import (
    POWER_COMPONENTS,
    DisparityParams,
    cinc_subindices,
    classify,
    component_shares,
    components_from_nmc,
    composite_power,
    disparity,
    dissolution_hazard,
    hazard_index,
    expel_probability,
    formation_probability,
    power_vector,
    shares_of_total,
    with_component,
)
from tests.theory.test_disparity_params import params_st

K = len(POWER_COMPONENTS)
SETTINGS = settings(max_examples=60, deadline=None)
nonneg = st.floats(0.0, 1e6, allow_nan=False, allow_infinity=False)
vec = st.lists(nonneg, min_size=K, max_size=K).map(np.array)
pos_vec = st.lists(st.floats(1e-3, 1e3), min_size=K, max_size=K).map(np.array)
IDEO = POWER_COMPONENTS.index("ideological")


def test_Y1_power_components_are_the_papers_five():
    assert POWER_COMPONENTS == ("military", "economic", "ideological", "cultural", "institutional")


@SETTINGS
@given(vec, params_st())
def test_Y1_composite_is_the_documented_weighted_sum(x, p):
    assert composite_power(x, p) == pytest.approx(float(np.dot(x, p.power_weights)), rel=1e-9, abs=1e-9)


@SETTINGS
@given(vec, vec, params_st(), st.sampled_from(["dyad", "raw"]))
def test_Y1_disparity_is_a_share_in_open_unit_interval_symmetric_parity_half(a, b, p, agg):
    d = float(disparity(a, b, p, aggregation=agg))
    assert 0.0 < d < 1.0
    assert d + float(disparity(b, a, p, aggregation=agg)) == pytest.approx(1.0, abs=1e-6)
    assert float(disparity(a, a, p, aggregation=agg)) == pytest.approx(0.5)


@SETTINGS
@given(pos_vec, pos_vec, st.integers(0, K - 1), st.floats(1.01, 100.0), params_st())
def test_Y1_each_component_moves_disparity_in_its_direction(a, b, k, factor, p):
    d0 = float(disparity(a, b, p))
    a2 = a.copy()
    a2[k] *= factor
    b2 = b.copy()
    b2[k] *= factor
    assert float(disparity(a2, b, p)) >= d0 - 1e-12       # patron stronger -> wider gap
    assert float(disparity(a, b2, p)) <= d0 + 1e-12       # client stronger -> narrower gap
    if p.power_weights[k] > 1e-3:
        assert float(disparity(a2, b, p)) > d0


@SETTINGS
@given(pos_vec, pos_vec, st.floats(1e-3, 1e6), params_st())
def test_Y1_ideological_appeal_changes_disparity_with_no_material_change(a, b, new_ideo, p):
    b2 = with_component(b, "ideological", new_ideo)
    np.testing.assert_array_equal(np.delete(b2, IDEO), np.delete(b, IDEO))   # material unchanged
    d0, d1 = float(disparity(a, b, p)), float(disparity(a, b2, p))
    if new_ideo > b[IDEO] * (1 + 1e-6) and p.w_ideological > 1e-3:
        assert d1 < d0
    elif new_ideo < b[IDEO] * (1 - 1e-6) and p.w_ideological > 1e-3:
        assert d1 > d0


@SETTINGS
@given(st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_Y1_dyad_disparity_is_scale_invariant_per_component(scale_a, scale_b):
    a = np.array([1.0, 2.0, 0.3, 0.1, 0.5])
    b = np.array([0.5, 1.0, 0.6, 0.2, 0.1])
    units = np.array([1e3, 1.0, 1e-2, 7.0, 1.0]) * (1 + scale_a) * (1 + scale_b)
    assert float(disparity(a * units, b * units)) == pytest.approx(float(disparity(a, b)))


def test_Y1_disparity_rejects_wrong_component_axis():
    with pytest.raises(InputError, match="patron"):
        disparity(np.ones(4), np.ones(5))
    with pytest.raises(InputError, match="aggregation"):
        disparity(np.ones(5), np.ones(5), aggregation="ratio")
    with pytest.raises(InputError, match="name"):
        with_component(np.ones(5), "naval", 1.0)


def test_Y1_component_shares_zero_dyad_is_parity():
    np.testing.assert_allclose(component_shares(np.zeros(5), np.zeros(5)), 0.5)
    d = disparity(np.zeros(5), np.zeros(5))
    assert float(d) == 0.5
    assert 0.0 < float(disparity(np.ones(5), np.zeros(5))) < 1.0


@SETTINGS
@given(hnp.arrays(np.float64, (3, 4, K), elements=st.floats(0.0, 10.0)),
       hnp.arrays(np.float64, (4, K), elements=st.floats(0.0, 10.0)))
def test_Y1_disparity_broadcasts_over_runs_and_clients(a, b):
    d = disparity(a, b)
    assert d.shape == (3, 4)
    assert np.all((d > 0) & (d < 1))
    for r in range(3):
        for c in range(4):
            assert d[r, c] == pytest.approx(float(disparity(a[r, c], b[c])))


# ---------------------------------------------------------------- COW NMC -> military/economic (Y1)
shares6 = st.lists(st.floats(0.0, 1.0), min_size=6, max_size=6)


@SETTINGS
@given(shares6)
def test_Y1_nmc_components_reproduce_cinc(s):
    mil, econ = components_from_nmc(*s)
    assert (mil + 2 * econ) / 3 == pytest.approx(np.mean(s), abs=1e-12)
    sub = cinc_subindices(*s)
    assert float(sub.mean()) == pytest.approx(np.mean(s), abs=1e-12)


@SETTINGS
@given(shares6, st.sets(st.integers(0, 5), min_size=1, max_size=5))
def test_Y1_nmc_missing_values_are_left_out_not_nan(s, missing):
    s = [(-9.0 if i % 2 else np.nan) if i in missing else v for i, v in enumerate(s)]
    out = components_from_nmc(*s)
    mil_missing = {0, 1} <= missing
    econ_missing = {2, 3, 4, 5} <= missing
    assert np.isnan(out[0]) == mil_missing
    assert np.isnan(out[1]) == econ_missing
    assert np.all(np.isnan(out) | ((out >= 0) & (out <= 1)))


def test_Y1_nmc_vectorised_and_shares_of_total():
    rng = np.random.default_rng(0)
    raw = rng.gamma(1.0, size=(6, 50, 200))               # 6 indicators, 50 years, 200 states
    shares = shares_of_total(raw, axis=-1)
    np.testing.assert_allclose(shares.sum(axis=-1), 1.0)
    comp = components_from_nmc(*shares)
    assert comp.shape == (50, 200, 2)
    np.testing.assert_allclose((comp[..., 0] + 2 * comp[..., 1]) / 3, shares.mean(axis=0))
    pv = power_vector(military=comp[..., 0], economic=comp[..., 1], ideological=0.5)
    assert pv.shape == (50, 200, K)


@pytest.mark.shared_data
def test_Y1_nmc_components_match_cow_cinc_on_real_data(shared_data_dir):
    pd = pytest.importorskip("pandas")
    path = shared_data_dir / "cow_nmc" / "NMC-60-abridged.csv.gz"
    if not path.exists():
        pytest.skip(f"{path} absent")
    df = pd.read_csv(path)
    df = df[df.year.isin([1950, 1958])]
    cols = ["milex", "milper", "irst", "pec", "tpop", "upop"]
    for _, g in df.groupby("year"):
        raw = g[cols].to_numpy(dtype=float).T
        shares = shares_of_total(raw, axis=-1)
        comp = components_from_nmc(*shares)
        cinc = np.nanmean(np.where(np.isnan(shares), np.nan, shares), axis=0)
        ok = ~np.isnan(comp).any(axis=-1) & (~np.isnan(shares)).all(axis=0)
        np.testing.assert_allclose(((comp[:, 0] + 2 * comp[:, 1]) / 3)[ok], cinc[ok], atol=1e-12)
        np.testing.assert_allclose(((comp[:, 0] + 2 * comp[:, 1]) / 3)[ok], g.cinc.to_numpy()[ok],
                                   atol=5e-4)


# ---------------------------------------------------------------- Y11: ideological appeal alone
@SETTINGS
@given(pos_vec, pos_vec, st.floats(1.0, 1e3), st.floats(0.0, 1.0), st.floats(0.0, 1.0),
       st.floats(0.0, 1.0))
def test_Y11_rising_ideological_appeal_alone_destabilises(a, b, factor, T, m, w):
    b2 = b.copy()
    b2[IDEO] *= factor
    d0, d1 = disparity(a, b), disparity(a, b2)
    assert d1 <= d0
    assert dissolution_hazard(d1, T, m, w) >= dissolution_hazard(d0, T, m, w)
    assert expel_probability(d1) >= expel_probability(d0)
    c0, _ = classify(d0, T)
    c1, _ = classify(d1, T)
    assert not (c0 == 1 and c1 == 0)      # never unstable -> strong by ideology gain of the client


@SETTINGS
@given(st.floats(2 / 3, 0.76), st.floats(0.7, 1.0), st.floats(0.05, 1.0))
def test_Y11_ideology_alone_can_turn_a_strong_alliance_unstable_while_threat_holds(s, T, ideo0):
    """Sino-Soviet 1950 -> 1958: material shares fixed at s, China's ideological appeal soars."""
    p = DisparityParams()
    ussr = np.array([s, s, 1.0, s, s])
    china50 = np.array([1 - s, 1 - s, 0.0, 1 - s, 1 - s])
    china58 = with_component(china50, "ideological", 1e4 * ideo0)
    d50, d58 = float(disparity(ussr, china50, p)), float(disparity(ussr, china58, p))
    c50, _ = classify(d50, T, p)
    c58, _ = classify(d58, T, p)
    assert (int(c50), int(c58)) == (0, 1)                    # strong -> unstable
    assert float(formation_probability(d58, T, p=p)) > 0.5   # the threat still supports an alliance
    assert hazard_index(d58, T, p=p) > hazard_index(d50, T, p=p)
    assert dissolution_hazard(d58, T, p=p) >= dissolution_hazard(d50, T, p=p)
    assert expel_probability(d58, p) > expel_probability(d50, p)
