"""Y3, Y4, Y7, Y8, Y12: punish vs expel, counterweight, maintenance cost, bipolarity, distance."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliancelab.theory.disparity import (
    DisparityParams,
    alternative_availability,
    control_effectiveness,
    counterweight_propensity,
    defection_probability,
    discipline_probabilities,
    disparity,
    expel_probability,
    maintenance_cost,
    punish_probability,
)
from tests.theory.test_disparity_params import params_st

SETTINGS = settings(max_examples=60, deadline=None)
u = st.floats(0.0, 1.0)
interior = st.floats(0.2, 0.8)
aid = st.floats(0.0, 1e3)
bidders = st.floats(0.0, 10.0)
km = st.floats(0.0, 20_000.0)


# ---------------------------------------------------------------- Y3
@SETTINGS
@given(u, u, params_st())
def test_Y3_expel_rises_and_punish_falls_as_disparity_narrows(D, frac, p):
    D_narrow = D * frac
    assert expel_probability(D_narrow, p) >= expel_probability(D, p)
    assert punish_probability(D_narrow, p) <= punish_probability(D, p)
    assert punish_probability(D, p) + expel_probability(D, p) == pytest.approx(1.0)


@SETTINGS
@given(st.floats(0.5, 0.8), st.floats(0.02, 0.1))
def test_Y3_strictly_more_expulsion_with_a_narrower_gap(D, dD):
    assert expel_probability(D - dD) > expel_probability(D)


def test_Y3_cases_hungary_punished_china_expelled_yugoslavia_between():
    """Stylised component levels (USSR = 1 on each); see docs/theory-disparity.md on Yugoslavia."""
    p = DisparityParams()
    ussr = np.array([1.0, 1.0, 1.0, 1.0, 1.0])
    hungary56 = np.array([0.03, 0.03, 0.05, 0.1, 0.05])
    yugoslavia48 = np.array([0.08, 0.06, 0.9, 0.3, 0.5])      # Tito's appeal, partisan army, own path
    china60 = np.array([0.35, 0.4, 1.2, 0.6, 0.5])           # dual leadership, rapid industrialisation
    e = [float(expel_probability(disparity(ussr, c, p), p)) for c in (hungary56, yugoslavia48, china60)]
    assert e[0] < 0.1 < 0.5 < e[2]
    assert e[0] < e[1] < e[2]


@SETTINGS
@given(u, u, u, params_st())
def test_Y3_discipline_rows_sum_to_one_and_reduce_to_punish_or_expel_under_full_control(D, c, frac, p):
    out = discipline_probabilities(D, c, p)
    assert out.sum() == pytest.approx(1.0) and np.all(out >= 0)
    full = discipline_probabilities(D, 1.0, p)
    assert full[0] == pytest.approx(float(punish_probability(D, p)))
    assert full[1] == pytest.approx(float(expel_probability(D, p)))
    narrow = discipline_probabilities(D * frac, c, p)
    assert narrow[1] >= out[1] and narrow[0] <= out[0] + 1e-12


@SETTINGS
@given(u, km, km, u, params_st())
def test_Y12_distant_clients_are_harder_to_punish(D, d, dd, proj, p):
    near = discipline_probabilities(D, control_effectiveness(d, proj, p), p)
    far = discipline_probabilities(D, control_effectiveness(d + dd, proj, p), p)
    assert far[0] <= near[0] + 1e-12


# ---------------------------------------------------------------- Y4
@SETTINGS
@given(u, u, st.one_of(st.none(), u), params_st())
def test_Y4_counterweight_non_decreasing_in_relative_power(r, dr, alt, p):
    r2 = min(1.0, r + dr)
    lo = counterweight_propensity(r, p, alternative_available=alt)
    hi = counterweight_propensity(r2, p, alternative_available=alt)
    assert 0.0 <= lo <= hi <= 1.0


@SETTINGS
@given(interior, st.floats(0.05, 0.2))
def test_Y4_stronger_ally_strictly_more_centrifugal(r, dr):
    assert counterweight_propensity(r + dr) > counterweight_propensity(r)


@SETTINGS
@given(st.lists(st.floats(0.01, 10.0), min_size=5, max_size=5), st.floats(1.01, 50.0))
def test_Y4_client_growth_raises_counterweight_via_disparity(client, growth):
    patron = np.ones(5)
    c = np.asarray(client)
    r0 = 1.0 - disparity(patron, c)
    r1 = 1.0 - disparity(patron, c * growth)
    assert counterweight_propensity(r1) > counterweight_propensity(r0)


# ---------------------------------------------------------------- Y7
@SETTINGS
@given(aid, st.floats(0.0, 1e3), bidders, u, u, params_st())
def test_Y7_cost_rises_with_aid_demand(a, da, n, T, alt, p):
    assert maintenance_cost(a + da, n, T, alt, p) >= maintenance_cost(a, n, T, alt, p)


@SETTINGS
@given(aid, bidders, st.floats(0.0, 5.0), u, u, params_st())
def test_Y7_cost_rises_with_number_of_bidders(a, n, dn, T, alt, p):
    assert maintenance_cost(a, n + dn, T, alt, p) >= maintenance_cost(a, n, T, alt, p)


@SETTINGS
@given(aid, bidders, u, u, u, params_st())
def test_Y7_cost_falls_with_threat(a, n, T, frac, alt, p):
    assert maintenance_cost(a, n, T * frac, alt, p) >= maintenance_cost(a, n, T, alt, p)


@SETTINGS
@given(st.floats(0.1, 10.0), st.floats(0.5, 3.0), interior, st.floats(0.1, 1.0))
def test_Y7_strict_in_the_interior(a, n, T, d):
    assert maintenance_cost(a + d, n, T) > maintenance_cost(a, n, T)
    assert maintenance_cost(a, n + d, T) > maintenance_cost(a, n, T)
    assert maintenance_cost(a, n, T) > maintenance_cost(a, n, min(1.0, T + d / 2))


@SETTINGS
@given(aid, bidders, u, u)
def test_Y7_cost_is_finite_and_non_negative(a, n, T, alt):
    c = maintenance_cost(a, n, T, alt)
    assert np.isfinite(c) and c >= 0


# ---------------------------------------------------------------- Y8
@SETTINGS
@given(aid, bidders, u, u, params_st())
def test_Y8_no_alternative_lowers_cost(a, n, T, alt, p):
    assert maintenance_cost(a, n, T, False, p) <= maintenance_cost(a, n, T, alt, p)
    assert maintenance_cost(a, n, T, 0.0, p) <= maintenance_cost(a, n, T, True, p)


@SETTINGS
@given(u, u, u, params_st())
def test_Y8_no_alternative_lowers_defection(base, alt, frac, p):
    assert defection_probability(base, False, p) <= defection_probability(base, alt, p)
    assert defection_probability(base, alt * frac, p) <= defection_probability(base, alt, p)
    assert 0.0 <= defection_probability(base, alt, p) <= base


@SETTINGS
@given(st.floats(0.1, 1.0), st.floats(0.1, 10.0), st.floats(0.5, 3.0), interior)
def test_Y8_strictly_lower_under_bipolar_lock(base, a, n, T):
    assert defection_probability(base, False) < defection_probability(base, True)
    assert maintenance_cost(a, n, T, False) < maintenance_cost(a, n, T, True)


@SETTINGS
@given(st.integers(0, 8), st.integers(0, 4), u, u, params_st())
def test_Y8_alternatives_grow_with_poles_and_shrink_with_rival_threat(n, dn, rt, frac, p):
    a = alternative_availability(n, rt, p)
    assert 0.0 <= a <= 1.0
    assert alternative_availability(n + dn, rt, p) >= a
    assert alternative_availability(n, rt * frac, p) >= a


def test_Y8_bipolar_client_threatened_by_the_rival_has_no_alternative():
    """Third World clients threatened by the U.S. and old metropoles: 'no one to turn to'."""
    p = DisparityParams()
    assert float(alternative_availability(2, 1.0, p)) == 0.0
    assert float(alternative_availability(1, 0.0, p)) == 0.0
    assert alternative_availability(2, 0.0, p) < alternative_availability(4, 0.0, p)
    assert defection_probability(0.4, alternative_availability(2, 1.0, p), p) < 0.1


# ---------------------------------------------------------------- Y12
@SETTINGS
@given(km, km, u, params_st())
def test_Y12_control_non_increasing_in_distance(d, dd, proj, p):
    assert control_effectiveness(d + dd, proj, p) <= control_effectiveness(d, proj, p)


@SETTINGS
@given(km, u, u, params_st())
def test_Y12_control_non_decreasing_in_projection(d, proj, dp, p):
    assert control_effectiveness(d, min(1.0, proj + dp), p) >= control_effectiveness(d, proj, p)
    assert 0.0 <= control_effectiveness(d, proj, p) <= 1.0


@SETTINGS
@given(st.floats(100.0, 10_000.0), st.floats(100.0, 5_000.0), interior, st.floats(0.05, 0.2))
def test_Y12_strict_in_the_interior(d, dd, proj, dp):
    assert control_effectiveness(d + dd, proj) < control_effectiveness(d, proj)
    assert control_effectiveness(d, proj + dp) > control_effectiveness(d, proj)


def test_Y12_neighbours_controllable_distant_clients_not():
    p = DisparityParams()
    budapest = control_effectiveness(1_000, 0.3, p)
    havana = control_effectiveness(9_500, 0.3, p)
    assert budapest > 0.5 > 0.05 > havana
    assert float(control_effectiveness(0.0, 0.0, p)) == 1.0


# ---------------------------------------------------------------- shapes / boundaries
def test_discipline_kernels_broadcast_and_are_finite():
    rng = np.random.default_rng(4)
    runs, clients = 64, 300
    D = rng.random((runs, clients))
    assert expel_probability(D).shape == (runs, clients)
    assert counterweight_propensity(1 - D, alternative_available=rng.random(clients)).shape == (runs, clients)
    c = maintenance_cost(rng.gamma(1.0, size=clients), rng.integers(0, 3, clients), D,
                         rng.random((runs, 1)) < 0.5)
    assert c.shape == (runs, clients) and np.all(np.isfinite(c))
    assert defection_probability(D, rng.random(clients) < 0.5).shape == (runs, clients)
    assert alternative_availability(rng.integers(0, 6, clients), D).shape == (runs, clients)
    ce = control_effectiveness(rng.random(clients) * 15_000, D)
    assert ce.shape == (runs, clients) and np.all((ce > 0) & (ce <= 1))
    edges = np.array([0.0, 1.0])
    for f in (expel_probability, punish_probability, counterweight_propensity):
        out = f(edges)
        assert np.all(np.isfinite(out)) and np.all((out >= 0) & (out <= 1))
    assert np.all(np.isfinite(control_effectiveness(np.array([0.0, 1e9]), edges)))


@settings(max_examples=50, deadline=None)
@given(st.floats(0.0, 1.0), st.floats(0.0, 1.0), st.floats(0.0, 1.0), params_st())
def test_Y14_gap_narrowing_rises_as_the_gap_closes_since_formation(D, D2, D0, p):
    """Y2/Y11 through the narrowing (mechanism Y14): 0 unless the gap narrowed since the alliance began;
    non-increasing in today's disparity, non-decreasing in the disparity at formation; in [0, 1]."""
    from alliancelab.theory.disparity import gap_narrowing

    lo, hi = sorted((D, D2))
    g = float(gap_narrowing(lo, D0, p))
    assert 0.0 <= g <= 1.0
    assert g >= float(gap_narrowing(hi, D0, p)) - 1e-12
    assert float(gap_narrowing(lo, max(D0, hi), p)) >= float(gap_narrowing(lo, min(D0, hi), p)) - 1e-12
    assert float(gap_narrowing(D0, D0, p)) == 0.0


@settings(max_examples=50, deadline=None)
@given(u, u, u, u, u, u)
def test_Y15_a_challenge_is_disciplined_more_the_bolder_the_less_tolerated_and_the_closer_the_ally(
        c1, c2, tol1, tol2, n1, n2):
    """Mechanism Y15: the patron's yearly crisis probability from an ally's open challenge is in [0, 1],
    non-decreasing in the challenge and in the gap's narrowing since the alliance began, non-increasing in
    the patron's tolerance; 0 without a challenge, without narrowing, or under full tolerance."""
    from alliancelab.theory.disparity import challenge_discipline as h

    (c_lo, c_hi), (t_lo, t_hi), (n_lo, n_hi) = sorted((c1, c2)), sorted((tol1, tol2)), sorted((n1, n2))
    x = float(h(c_lo, t_lo, n_lo))
    assert 0.0 <= x <= 1.0
    assert float(h(c_hi, t_lo, n_lo)) >= x - 1e-12
    assert float(h(c_lo, t_lo, n_hi)) >= x - 1e-12
    assert float(h(c_lo, t_hi, n_lo)) <= x + 1e-12
    assert float(h(0.0, t_lo, n_hi)) == 0.0 and float(h(c_hi, t_lo, 0.0)) == 0.0
    assert float(h(c_hi, 1.0, n_hi)) == 0.0


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(u, u, u, u), min_size=3, max_size=3), u, u, params_st())
def test_Y19_the_patron_senses_the_narrowing_in_whatever_field_the_ally_closes(fields, n1, n2, p):
    """Mechanism Y19: the sensed narrowing is in [0, 1], never below the composite's, equal to it when
    no field narrowed since the alliance began, at least each field's own narrowing, non-increasing in
    each field's present share and non-decreasing in its share at the start, and in the composite."""
    from alliancelab.theory.disparity import field_gap_narrowing as f
    from alliancelab.theory.disparity import gap_narrowing

    D = np.array([x[0] for x in fields])
    D0 = np.array([x[1] for x in fields])
    lo_D = np.minimum(D, np.array([x[2] for x in fields]))     # a narrower present gap, field by field
    hi_D0 = np.maximum(D0, np.array([x[3] for x in fields]))   # a wider gap at the start
    n_lo, n_hi = sorted((n1, n2))
    x = float(f(D, D0, n_lo, p))
    assert 0.0 <= x <= 1.0
    assert x >= n_lo - 1e-12
    assert x >= float(gap_narrowing(D, D0, p).max()) - 1e-12
    assert float(f(lo_D, D0, n_lo, p)) >= x - 1e-12
    assert float(f(D, hi_D0, n_lo, p)) >= x - 1e-12
    assert float(f(D, D0, n_hi, p)) >= x - 1e-12
    assert float(f(D0, D0, n_lo, p)) == pytest.approx(n_lo)          # no field moved: the composite
    assert float(f(np.maximum(D, D0), D0, n_lo, p)) == pytest.approx(n_lo)   # every field widened


@settings(max_examples=50, deadline=None)
@given(st.floats(0.0, 1.0), u, u, u, u, u, u, u, params_st())
def test_Y18_tolerance_without_a_lever_moves_punishment_to_toleration(D, c, t1, t2, l1, l2, a1, a2, p):
    """Mechanism Y18: the response stays a distribution with expulsion unchanged; punishment is
    non-increasing and toleration non-decreasing in the patron's tolerance and in the share of the crisis
    that is the client's act, the reverse in the patron's lever; the identity with no tolerance, no
    client act or a sure lever; with both full and no lever, all punishment becomes toleration."""
    from alliancelab.theory.disparity import tolerate_without_lever as f

    base = discipline_probabilities(D, c, p)
    (t_lo, t_hi), (l_lo, l_hi), (a_lo, a_hi) = sorted((t1, t2)), sorted((l1, l2)), sorted((a1, a2))
    x = f(base, t_lo, l_hi, a_lo)
    assert np.all(x >= -1e-12) and abs(float(x.sum()) - 1.0) < 1e-9
    assert float(x[1]) == float(base[1])
    for y in (f(base, t_hi, l_hi, a_lo), f(base, t_lo, l_lo, a_lo), f(base, t_lo, l_hi, a_hi)):
        assert float(y[0]) <= float(x[0]) + 1e-12 and float(y[2]) >= float(x[2]) - 1e-12
    for same in (f(base, 0.0, l_lo, a_hi), f(base, t_hi, 1.0, a_hi), f(base, t_hi, l_lo, 0.0)):
        assert np.allclose(same, base, atol=1e-12)
    full = f(base, 1.0, 0.0, 1.0)
    assert float(full[0]) == 0.0 and abs(float(full[2]) - float(base[0] + base[2])) < 1e-12


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0.0, 20.0), min_size=1, max_size=8))
def test_Y22_the_appeal_drop_is_the_relative_fall_since_the_last_period(appeal):
    """Mechanism Y22: the shock is in [0, 1] per period, 0 in the first period and wherever the appeal
    did not fall, and equal to the relative fall where it did."""
    from alliancelab.theory.disparity import appeal_drop

    a = np.array(appeal)
    d = appeal_drop(a)
    assert d.shape == a.shape
    assert np.all((d >= 0.0) & (d <= 1.0))
    assert float(d[0]) == 0.0
    for t in range(1, a.size):
        if a[t] >= a[t - 1] or a[t - 1] == 0.0:
            assert float(d[t]) == 0.0
        else:
            assert float(d[t]) == pytest.approx((a[t - 1] - a[t]) / a[t - 1])


@settings(max_examples=50, deadline=None)
@given(u, u, st.floats(-1.0, 1.0), st.floats(-1.0, 1.0), u, u)
def test_Y22_a_legitimacy_shock_sets_off_more_defiance_the_more_the_ruler_borrows_from_the_patron(
        d1, d2, a1, a2, s1, s2):
    """Mechanism Y22: the defiance probability is in [0, 1], non-decreasing in the appeal's fall and in
    the ruler's affinity to the patron, non-increasing in the ruler's mass support; 0 without a fall,
    for a ruler with no positive affinity, and for a ruler everyone backs."""
    from alliancelab.theory.disparity import legitimacy_shock_defiance as f

    (d_lo, d_hi), (a_lo, a_hi), (s_lo, s_hi) = sorted((d1, d2)), sorted((a1, a2)), sorted((s1, s2))
    x = float(f(d_lo, a_lo, s_hi))
    assert 0.0 <= x <= 1.0
    assert float(f(d_hi, a_lo, s_hi)) >= x - 1e-12
    assert float(f(d_lo, a_hi, s_hi)) >= x - 1e-12
    assert float(f(d_lo, a_lo, s_lo)) >= x - 1e-12
    assert float(f(0.0, a_hi, s_lo)) == 0.0
    assert float(f(d_hi, min(a_lo, 0.0), s_lo)) == 0.0
    assert float(f(d_hi, a_hi, 1.0)) == 0.0
