"""Y2, Y5, Y10: threat (Walt, imminence, clarity) and the patron's formation probability."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from alliancelab.theory.disparity import (
    DisparityParams,
    classify,
    dissolution_hazard,
    hazard_index,
    effective_threat,
    formation_probability,
    perceived_intentions,
    walt_threat,
)
from tests.theory.test_disparity_params import params_st

SETTINGS = settings(max_examples=60, deadline=None)
u = st.floats(0.0, 1.0)
interior = st.floats(0.2, 0.8)
up = st.floats(0.0, 1.0)


def _raise(x: float, dx: float) -> float:
    return min(1.0, x + dx)


# ---------------------------------------------------------------- Y2: disparity
@SETTINGS
@given(u, up, u, u, u, u, params_st())
def test_Y2_formation_non_decreasing_in_disparity(D, dD, T, m, a, w, p):
    assert formation_probability(_raise(D, dD), T, m, a, w, p) >= formation_probability(D, T, m, a, w, p)


@SETTINGS
@given(interior, st.floats(0.05, 0.2), interior, interior, interior, interior)
def test_Y2_formation_strictly_higher_with_a_wider_gap_in_the_interior(D, dD, T, m, a, w):
    assert formation_probability(D + dD, T, m, a, w) > formation_probability(D, T, m, a, w)


# ---------------------------------------------------------------- Y5: threat
@SETTINGS
@given(u, u, up, u, u, u, params_st())
def test_Y5_formation_non_decreasing_in_threat(D, T, dT, m, a, w, p):
    assert formation_probability(D, _raise(T, dT), m, a, w, p) >= formation_probability(D, T, m, a, w, p)


@SETTINGS
@given(u, u, u, up, st.integers(0, 2), params_st())
def test_Y5_effective_threat_non_decreasing_in_severity_imminence_clarity(s, i, c, dx, which, p):
    args = [s, i, c]
    base = effective_threat(*args, p=p)
    args[which] = _raise(args[which], dx)
    hi = effective_threat(*args, p=p)
    assert 0.0 <= base <= hi <= 1.0


@SETTINGS
@given(st.lists(u, min_size=4, max_size=4), up, st.integers(0, 3), st.one_of(st.none(), u), params_st())
def test_Y5_walt_threat_non_decreasing_in_each_source(comp, dx, which, clarity, p):
    base = walt_threat(*comp, p, clarity=clarity)
    comp[which] = _raise(comp[which], dx)
    assert base <= walt_threat(*comp, p, clarity=clarity) + 1e-15
    assert 0.0 <= base <= 1.0


@SETTINGS
@given(st.floats(1e-6, 1.0 - 1e-6))
def test_Y5_at_maximal_threat_an_alliance_forms_at_any_disparity(D):
    assert formation_probability(D, 1.0) > 0.5


@SETTINGS
@given(st.floats(0.3, 0.6), st.floats(0.95, 1.0), st.floats(0.0, 0.5), st.floats(0.0, 0.1),
       st.floats(0.0, 0.5))
def test_Y5_high_threat_beats_low_disparity_and_distrust_but_alliance_is_unstable(D, T, m, a, w):
    """UK/US-Soviet 1941-42: as strong as the USSR, distrusted, yet allied; Table 1 'unstable'.

    Region: imminent threat (T >= 0.95), appeasement abandoned (accommodation <= 0.1), mistrust and
    Nazi discord up to half the scale. Worst case logit = -4 - 1.2 + 7.6 - 1 - 0.2 - 0.75 = 0.45.
    """
    p = DisparityParams()
    assert formation_probability(D, T, m, a, w, p) > 0.5
    code, _ = classify(D, T, p)
    assert int(code) == 1
    assert hazard_index(D, T, m, w, p) > hazard_index(0.9, T, m, w, p)
    assert dissolution_hazard(D, T, m, w, p) >= dissolution_hazard(0.9, T, m, w, p)


@SETTINGS
@given(u, st.floats(0.0, 0.2), u)
def test_Y5_without_threat_a_low_disparity_alliance_does_not_form(D_low, T, m):
    """Yu §1: alliances 'formed during peacetime or without a targeting rival are hardly seen'."""
    D = D_low * DisparityParams().d_star
    assert formation_probability(D, 0.0, m) < 0.05
    assert formation_probability(D, T, m) < 0.25


# ---------------------------------------------------------------- Y10: clarity, accommodation, mistrust, wedge
@SETTINGS
@given(u, u, u, u, u, up, st.integers(0, 2), params_st())
def test_Y10_mistrust_accommodation_wedge_each_lower_formation(D, T, m, a, w, dx, which, p):
    args = [m, a, w]
    base = formation_probability(D, T, *args, p=p)
    args[which] = _raise(args[which], dx)
    assert formation_probability(D, T, *args, p=p) <= base


@SETTINGS
@given(interior, interior, interior, interior, interior, st.floats(0.05, 0.2), st.integers(0, 2))
def test_Y10_each_friction_strictly_lowers_formation_in_the_interior(D, T, m, a, w, dx, which):
    args = [m, a, w]
    base = formation_probability(D, T, *args)
    args[which] += dx
    assert formation_probability(D, T, *args) < base


@SETTINGS
@given(u, u, u, u, up, u, u, u, params_st())
def test_Y10_clarity_never_lowers_formation(D, s, i, c, dc, m, a, w, p):
    lo = formation_probability(D, effective_threat(s, i, c, p), m, a, w, p)
    hi = formation_probability(D, effective_threat(s, i, _raise(c, dc), p), m, a, w, p)
    assert hi >= lo


@SETTINGS
@given(st.floats(0.5, 1.0), u, up)
def test_Y10_clarity_weighs_intentions(intent, c, dc):
    """Clearer aggressive intentions are perceived as more aggressive; opaque ones fall to the prior."""
    p = DisparityParams()
    assert perceived_intentions(intent, _raise(c, dc), p) >= perceived_intentions(intent, c, p)
    assert float(perceived_intentions(intent, 0.0, p)) == p.intentions_prior


def test_Y10_anglo_franco_soviet_1939_fails_then_1941_forms():
    """Unclear threat + appeasement + mistrust + Nazi discord (1939) vs imminent, clear threat (1941)."""
    p = DisparityParams()
    sev = walt_threat(0.8, 0.8, 0.8, 0.9, p)
    t39 = effective_threat(sev, 0.4, 0.3, p)
    t41 = effective_threat(sev, 1.0, 1.0, p)
    p39 = formation_probability(0.45, t39, mistrust=0.8, accommodation=0.8, wedge=0.6, p=p)
    p41 = formation_probability(0.45, t41, mistrust=0.6, accommodation=0.0, wedge=0.2, p=p)
    assert p39 < 0.05 < 0.5 < p41


# ---------------------------------------------------------------- shapes, boundaries
def test_formation_broadcasts_and_has_no_nan_at_boundaries():
    rng = np.random.default_rng(1)
    D = rng.random((100, 300))
    T = rng.random(300)
    out = formation_probability(D, T, 0.5, np.zeros((100, 1)), 1.0)
    assert out.shape == (100, 300)
    edges = np.array([0.0, 1e-300, 0.5, 1.0 - 1e-16, 1.0])
    grid = np.meshgrid(edges, edges, edges, edges, edges, indexing="ij")
    out = formation_probability(*grid)
    assert np.all(np.isfinite(out)) and np.all((out >= 0) & (out <= 1))
    et = effective_threat(*np.meshgrid(edges, edges, edges))
    assert np.all(np.isfinite(et)) and np.all((et >= 0) & (et <= 1))


# ---------------------------------------------------------------- Y16: talks
TALKS = settings(max_examples=50, deadline=None)


@TALKS
@given(u, u, u, u, u, st.floats(0.0, 0.5), st.integers(0, 2), params_st())
def test_Y16_talks_conclude_at_once_without_mistrust_and_slower_with_each_friction(D, T, m, a, w, dx, which,
                                                                                    p):
    """q in (0, 1]; 1 without mistrust; never higher with more mistrust, accommodation or wedge; and
    q x (formation without mistrust) is paper Y's formation with it (mistrust moves, it does not add)."""
    from alliancelab.theory.disparity import talks_conclusion_probability as q
    assert q(D, T, 0.0, a, w, p) == 1.0
    args = [m, a, w]
    base = float(q(D, T, *args, p=p))
    assert 0.0 < base <= 1.0
    np.testing.assert_allclose(base * formation_probability(D, T, 0.0, a, w, p),
                               formation_probability(D, T, *args, p=p), rtol=1e-9, atol=1e-300)
    args[which] = _raise(args[which], dx)
    assert float(q(D, T, *args, p=p)) <= base + 1e-12


@TALKS
@given(u, u, up, st.floats(0.05, 1.0), u, u, params_st())
def test_Y16_the_threat_overcomes_the_mistrust_in_talks(D, T, dT, m, a, w, p):
    """Yu §4.1: as the threat grew 'the Soviet Union eventually overcame its mistrust': a graver threat
    (or a wider gap) never slows the talks, and q never falls below exp(-beta_m x mistrust)."""
    from alliancelab.theory.disparity import talks_conclusion_probability as q
    lo = float(q(D, T, m, a, w, p))
    assert float(q(D, _raise(T, dT), m, a, w, p)) >= lo - 1e-12
    assert float(q(_raise(D, dT), T, m, a, w, p)) >= lo - 1e-12
    assert lo >= np.exp(-p.form_beta_mistrust * m) - 1e-12


@TALKS
@given(u, u, up, up)
def test_Y16_talks_in_part_of_a_period_conclude_less_often_the_less_time_is_left(q, f, dq, df):
    """A constant hazard over the period: 1 - (1 - q)^f is q for a whole period, 1 for frictionless
    talks given any time, in [0, q] for part of a period, and non-decreasing in q and in the time left."""
    from alliancelab.theory.disparity import talks_in_part_of_period as part
    v = float(part(q, f))
    assert 0.0 <= v <= 1.0
    assert abs(float(part(q, 1.0)) - q) < 1e-12
    if f > 0:
        assert float(part(1.0, f)) == 1.0
    assert v <= q + 1e-12                         # part of a period: never more than a whole one
    assert float(part(_raise(q, dq), f)) >= v - 1e-12
    assert float(part(q, _raise(f, df))) >= v - 1e-12


# ---------------------------------------------------------------- Y21: talks on the patron's whole will
@TALKS
@given(u, u, u, u, u, params_st())
def test_Y21_talks_on_paper_Ys_will_are_Y16s_talks(D, T, m, a, w, p):
    """Where the patron's will is paper Y's formation probability, Y21's q is Y16's q (the engine takes
    Y16's own value there, exactly; here the kernel agrees to rounding)."""
    from alliancelab.theory.disparity import talks_conclusion_given_will as qw
    from alliancelab.theory.disparity import talks_conclusion_probability as q
    will = float(formation_probability(D, T, 0.0, a, w, p))
    if 1e-12 < will < 1.0 - 1e-9:
        np.testing.assert_allclose(float(qw(will, m, p)), float(q(D, T, m, a, w, p)), rtol=1e-6)


@TALKS
@given(st.floats(1e-6, 1.0), up, u, up, params_st())
def test_Y21_a_stronger_will_overcomes_the_same_mistrust_sooner(will, dw, m, dm, p):
    """q in (0, 1]: 1 without mistrust and at a certain will; never lower with a stronger will, never
    higher with more mistrust, never below exp(-beta_m x mistrust); and will x q is the will with the
    mistrust's log-odds (Y10) taken off."""
    from alliancelab.theory.disparity import talks_conclusion_given_will as qw
    base = float(qw(will, m, p))
    assert 0.0 < base <= 1.0
    assert float(qw(will, 0.0, p)) == 1.0 and float(qw(1.0, m, p)) == 1.0
    assert float(qw(_raise(will, dw), m, p)) >= base - 1e-12
    assert float(qw(will, _raise(m, dm), p)) <= base + 1e-12
    assert base >= np.exp(-p.form_beta_mistrust * m) - 1e-12
    if will < 1.0 - 1e-9:
        logit = np.log(will) - np.log1p(-will) - p.form_beta_mistrust * m
        np.testing.assert_allclose(will * base, 1.0 / (1.0 + np.exp(-logit)), rtol=1e-9)
