"""Property tests of the struggle for power: E1, E2, E5, E9 (precarity), E15."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliancelab.theory import elite
from alliancelab.theory.elite import EliteParams

from .test_elite_strategies import (
    MASS,
    MAX_AMOUNT,
    N_I,
    PROPERTY,
    TOL,
    arrays,
    elite_params,
    faction_state,
    unit,
)


@PROPERTY
@given(data=st.data(), r=unit(0.1, 20.0))
def test_E1_tullock_is_a_distribution_monotone_in_own_strength(data: st.DataObject, r: float) -> None:
    k = data.draw(st.integers(1, 6))
    x = data.draw(arrays((2, k), 0.0, 1e6))
    pr = elite.tullock(x, r)
    assert np.all(np.isfinite(pr)) and np.all(pr >= 0)
    np.testing.assert_allclose(pr.sum(axis=-1), 1.0)
    j = data.draw(st.integers(0, k - 1))
    y = x.copy()
    y[:, j] += data.draw(unit(0.0, 1e6))
    assert np.all(elite.tullock(y, r)[:, j] >= pr[:, j] - TOL)


@PROPERTY
@given(data=st.data(), p=elite_params())
def test_E1_holding_power_non_decreasing_in_own_mass_support(data: st.DataObject, p: EliteParams) -> None:
    r, f = data.draw(st.integers(1, 3)), data.draw(st.integers(2, 4))
    s = data.draw(faction_state((r, f)))
    j = data.draw(st.integers(0, 1))                     # factions 0 and 1 are always active
    more = s["shares"].copy()
    more[:, j] += data.draw(unit(0.0, 1.0))             # own support up, all else fixed
    more = more / more.sum(axis=-1, keepdims=True)
    w0 = elite.election_win_probability(s["shares"], s["active"], p)
    w1 = elite.election_win_probability(more, s["active"], p)
    assert np.all(w1[:, j] >= w0[:, j] - TOL)
    np.testing.assert_allclose(w0.sum(axis=-1), 1.0)
    assert np.all(w0[~s["active"]] == 0.0)
    # as incumbent, its precarity (the probability of losing power) does not rise
    inc = np.full(r, j)
    due, disc = data.draw(unit()), data.draw(unit())
    p0 = elite.precarity(s["shares"], s["coercion"], inc, due, disc, s["active"], p)
    p1 = elite.precarity(more, s["coercion"], inc, due, disc, s["active"], p)
    assert np.all(p1 <= p0 + TOL)


@PROPERTY
@given(data=st.data(), p=elite_params())
def test_E2_coup_success_rises_with_challenger_coercion_and_falls_with_incumbent_defence(
        data: st.DataObject, p: EliteParams) -> None:
    r, f = data.draw(st.integers(1, 3)), data.draw(st.integers(2, 4))
    s = data.draw(faction_state((r, f)))
    mil = data.draw(arrays((r, f), 0.0, MAX_AMOUNT))
    commit = data.draw(arrays((r, f), 0.0, 1.0))
    args = (s["incumbent"], s["shares"], s["active"], p)
    base = elite.coup_success_probability(s["coercion"], mil, commit, *args)
    assert np.all((base >= 0) & (base <= 1))
    assert np.all(np.take_along_axis(base, s["incumbent"][:, None], -1) == 0.0)
    assert np.all(base[~s["active"]] == 0.0)
    bump = data.draw(unit(0.0, 2.0))
    up = elite.coup_success_probability(s["coercion"] + bump, mil, commit, *args)
    is_inc = np.arange(f) == s["incumbent"][:, None]
    challengers = s["active"] & ~is_inc
    # raising every faction's coercion by the same amount includes the incumbent, so compare a
    # challenger-only rise and an incumbent-only rise separately
    ch_up = elite.coup_success_probability(s["coercion"] + bump * challengers, mil, commit, *args)
    inc_up = elite.coup_success_probability(s["coercion"] + bump * is_inc, mil, commit, *args)
    mil_up = elite.coup_success_probability(s["coercion"], mil + bump * 100, commit, *args)
    assert np.all(ch_up >= base - TOL)
    assert np.all(mil_up >= base - TOL)
    assert np.all(inc_up <= base + TOL)
    assert np.all(np.isfinite(up))


@PROPERTY
@given(data=st.data(), c_lo=unit(), c_hi=unit(), p=elite_params())
def test_E5_attempt_and_success_non_decreasing_in_armed_backing(data: st.DataObject, c_lo: float,
                                                                 c_hi: float, p: EliteParams) -> None:
    r, f = data.draw(st.integers(1, 3)), data.draw(st.integers(2, 4))
    s = data.draw(faction_state((r, f)))
    mil = data.draw(arrays((r, f), 0.0, MAX_AMOUNT))
    lo, hi = sorted((c_lo, c_hi))
    args = (s["incumbent"], s["shares"], s["active"], p)
    s_lo = elite.coup_success_probability(s["coercion"], mil, np.full((r, f), lo), *args)
    s_hi = elite.coup_success_probability(s["coercion"], mil, np.full((r, f), hi), *args)
    assert np.all(s_hi >= s_lo - TOL)
    a_lo = elite.coup_attempt_probability(s_lo, lo, p)
    a_hi = elite.coup_attempt_probability(s_hi, hi, p)
    assert np.all(a_hi >= a_lo - TOL)
    assert np.all((a_lo >= 0) & (a_hi <= 1))
    # attempt is non-decreasing in the success chance at fixed backing
    assert np.all(elite.coup_attempt_probability(s_hi, lo, p) >= a_lo - TOL)


@PROPERTY
@given(weak=unit(0.0, 0.05), inc_c=unit(0.3, 2.0), inc_s=unit(0.0, 1.0))
def test_E5_no_backing_and_weak_coercion_makes_a_coup_near_hopeless(weak: float, inc_c: float,
                                                                      inc_s: float) -> None:
    p = EliteParams()
    coercion = np.array([inc_c, weak])
    shares = np.array([inc_s, 1.0 - inc_s])
    success = elite.coup_success_probability(coercion, 0.0, np.zeros(2), 0, shares,
                                             np.ones(2, bool), p)
    attempt = elite.coup_attempt_probability(success, np.zeros(2), p)
    assert attempt[1] * success[1] < 0.01
    assert attempt[1] < 0.02
    # the same challenger with full backing is a real threat
    backed = elite.coup_success_probability(coercion, 0.0, np.array([0.0, 1.0]), 0, shares,
                                            np.ones(2, bool), p)
    assert backed[1] > success[1]


@PROPERTY
@given(data=st.data(), p=elite_params())
def test_E9_precarity_in_unit_interval_and_rises_with_discontent_falls_with_coercion(
        data: st.DataObject, p: EliteParams) -> None:
    r, f = data.draw(st.integers(1, 3)), data.draw(st.integers(2, 4))
    s = data.draw(faction_state((r, f)))
    due, d_lo, d_hi = data.draw(unit()), data.draw(unit()), data.draw(unit())
    d_lo, d_hi = sorted((d_lo, d_hi))
    args = (s["shares"], s["coercion"], s["incumbent"], due)
    p_lo = elite.precarity(*args, d_lo, s["active"], p)
    p_hi = elite.precarity(*args, d_hi, s["active"], p)
    assert np.all((p_lo >= 0) & (p_lo <= 1)) and np.all(np.isfinite(p_lo))
    assert np.all(p_hi >= p_lo - TOL)
    is_inc = np.arange(f) == s["incumbent"][:, None]
    stronger = s["coercion"] + data.draw(unit(0.0, 2.0)) * is_inc
    p_strong = elite.precarity(s["shares"], stronger, s["incumbent"], due, d_lo, s["active"], p)
    assert np.all(p_strong <= p_lo + TOL)
    # an election being due never makes the incumbent safer
    p_noelect = elite.precarity(s["shares"], s["coercion"], s["incumbent"], 0.0, d_lo, s["active"], p)
    assert np.all(p_lo >= p_noelect - TOL)
    # patron backing of the challengers never makes the incumbent safer
    backed = elite.precarity(*args, d_lo, s["active"], p, armed_commitment=np.ones((r, f)),
                             military_aid=np.full((r, f), 100.0))
    assert np.all(backed >= p_lo - TOL)


def test_E15a_the_quiet_corner_still_fails_within_20_years():
    """Hypothesis's counterexample to the old proxy: 20 % support, no election, no discontent,
    rivals with no force. Precarity is lowest here, and a long tenure must still be improbable."""
    prec = float(elite.precarity(np.array([0.2, 0.8]), np.array([0.05, 0.0]), 0, 0.0, 0.0,
                                 np.ones(2, bool), EliteParams()))
    assert 0.2 < prec < 0.35
    assert (1.0 - prec) ** 20 < 0.01


@PROPERTY
@given(data=st.data(), inc_s=unit(0.0, 0.2), inc_c=unit(0.0, 0.05))
def test_E15a_unpopular_leader_without_support_or_repression_is_precarious(
        data: st.DataObject, inc_s: float, inc_c: float) -> None:
    """Falsifier (a): such a leader lasting long gets low probability."""
    p = EliteParams()
    f = data.draw(st.integers(2, 4))
    rest = data.draw(arrays((f - 1,), 0.01, 1.0))
    shares = np.concatenate([[inc_s], (1.0 - inc_s) * rest / rest.sum()])
    coercion = np.concatenate([[inc_c], data.draw(arrays((f - 1,), 0.0, 2.0))])
    due, disc = data.draw(unit()), data.draw(unit())
    prec = elite.precarity(shares, coercion, 0, due, disc, np.ones(f, bool), p)
    # THEORY_MAP E15(a) is about lasting LONG: 20 periods in office must be improbable (< 1 %).
    # (An earlier 'prec > 0.3' was a stricter proxy of ours, not the falsifier: Hypothesis found 0.28
    # for a 20 % leader with no election due, no discontent and unarmed rivals, where 20-year
    # survival is 0.14 %; that corner is pinned by the test below.)
    long_tenure = 20                                   # periods (20 years with yearly periods)
    assert (1.0 - prec) ** long_tenure < 0.01
    # a popular leader with the army is far safer
    safe = elite.precarity(np.concatenate([[0.8], 0.2 * rest / rest.sum()]),
                           np.concatenate([[1.0], np.minimum(coercion[1:], 0.2)]), 0, 0.0, 0.0,
                           np.ones(f, bool), p)
    assert safe < prec


@PROPERTY
@given(a=unit(1.0, MAX_AMOUNT), gap=unit(1.0, MAX_AMOUNT), vis=unit(0.1, 1.0), br=unit(0.1, 1.0),
       i=st.sampled_from(MASS), base=unit(-3.0, 3.0), p=elite_params())
def test_E15b_better_resourced_of_two_equally_popular_parties_wins_more_often(
        a: float, gap: float, vis: float, br: float, i: int, base: float, p: EliteParams) -> None:
    """Falsifier (b): the side with fewer resources winning gets probability < 0.5."""
    if p.mass_effect_weight < 1e-3:
        p = EliteParams()
    s = np.zeros((2, 2, N_I))                           # factions x patrons (rivals) x instruments
    s[0, 0, i] = a + gap                                # patron 0 backs party 0 with more
    s[1, 1, i] = a                                      # patron 1 backs party 1
    eff = elite.support_effect(s, vis, br, p)
    shares = elite.mass_support_shares(np.array([base, base]), eff, 0.0, np.ones(2, bool))
    win = elite.election_win_probability(shares, np.ones(2, bool), p)
    assert win[0] > 0.5 > win[1]


def test_E2_both_routes_exist_and_are_vectorised() -> None:
    p = EliteParams()
    rng = np.random.default_rng(3)
    shape = (64, 300, 3)                                # runs, clients, factions
    shares = rng.dirichlet(np.ones(3), size=shape[:2])
    coercion = rng.uniform(0, 1, size=shape)
    inc = rng.integers(0, 3, size=shape[:2])
    active = np.ones(shape, bool)
    succ = elite.coup_success_probability(coercion, 0.0, rng.uniform(size=shape), inc, shares, active, p)
    prec = elite.precarity(shares, coercion, inc, rng.uniform(size=shape[:2]), 0.1, active, p)
    win = elite.election_win_probability(shares, active, p)
    assert succ.shape == win.shape == shape and prec.shape == shape[:2]
    assert np.all(np.isfinite(prec)) and np.all(np.isfinite(succ))
    assert succ.max() > 0.1 and win.max() > 0.5


@PROPERTY
@given(data=st.data(), lo=unit(), hi=unit(), p=elite_params())
def test_E6_a_regime_its_patron_backs_by_force_is_safer(data: st.DataObject, lo: float, hi: float,
                                                         p: EliteParams) -> None:
    """'...can provoke a change of elites if the existing regime's patron suddenly refuses to
    support it with armed action' (paper E): backing the incumbent never raises its precarity."""
    r, f = data.draw(st.integers(1, 3)), data.draw(st.integers(2, 4))
    s = data.draw(faction_state((r, f)))
    lo, hi = sorted((lo, hi))
    is_inc = np.arange(f) == s["incumbent"][:, None]
    challengers = data.draw(arrays((r, f), 0.0, 1.0)) * ~is_inc
    mil = data.draw(arrays((r, f), 0.0, MAX_AMOUNT))
    due, disc = data.draw(unit()), data.draw(unit())
    kw = dict(military_aid=mil, back_incumbent=True)
    p_lo = elite.precarity(s["shares"], s["coercion"], s["incumbent"], due, disc, s["active"], p,
                           armed_commitment=challengers + lo * is_inc, **kw)
    p_hi = elite.precarity(s["shares"], s["coercion"], s["incumbent"], due, disc, s["active"], p,
                           armed_commitment=challengers + hi * is_inc, **kw)
    assert np.all(p_hi <= p_lo + TOL)
    # without back_incumbent the incumbent's own entries are ignored (contract behaviour)
    a0 = elite.precarity(s["shares"], s["coercion"], s["incumbent"], due, disc, s["active"], p,
                         armed_commitment=challengers, military_aid=mil * ~is_inc)
    a1 = elite.precarity(s["shares"], s["coercion"], s["incumbent"], due, disc, s["active"], p,
                         armed_commitment=challengers + hi * is_inc, military_aid=mil)
    np.testing.assert_allclose(a0, a1)
    # and so is every challenger's chance of a successful coup
    succ_lo = elite.coup_success_probability(s["coercion"], mil, challengers + lo * is_inc,
                                             s["incumbent"], s["shares"], s["active"], p,
                                             back_incumbent=True)
    succ_hi = elite.coup_success_probability(s["coercion"], mil, challengers + hi * is_inc,
                                             s["incumbent"], s["shares"], s["active"], p,
                                             back_incumbent=True)
    assert np.all(succ_hi <= succ_lo + TOL)


@PROPERTY
@given(q=unit(0.0, 1.0), e=unit(0.0, 1.0), n=st.integers(0, 5), k=unit(0.0, 20.0),
       dq=unit(0.0, 1.0), de=unit(0.0, 1.0), dk=unit(0.0, 10.0), dn=st.integers(0, 3))
def test_E9_horizon_precarity_non_decreasing_in_risk_elections_and_horizon(
        q: float, e: float, n: int, k: float, dq: float, de: float, dk: float, dn: int) -> None:
    base = float(elite.horizon_precarity(q, e, n, k))
    assert 0.0 <= base <= 1.0
    assert float(elite.horizon_precarity(min(q + dq, 1.0), e, n, k)) >= base - TOL
    assert float(elite.horizon_precarity(q, min(e + de, 1.0), n, k)) >= base - TOL
    assert float(elite.horizon_precarity(q, e, n + dn, k)) >= base - TOL
    assert float(elite.horizon_precarity(q, e, n, k + dk)) >= base - TOL


@PROPERTY
@given(data=st.data(), p=elite_params(), due=st.booleans())
def test_E9_one_period_horizon_is_the_kernel_precarity(data: st.DataObject, p: EliteParams, due: bool) -> None:
    """With a horizon of one period the horizon precarity is :func:`precarity` with the election due."""
    st_ = data.draw(faction_state((3, 4)))
    s, c, act, inc = st_["shares"], st_["coercion"], st_["active"], st_["incumbent"]
    disc = data.draw(unit(0.0, 1.0))
    q = elite.precarity(s, c, inc, 0.0, disc, act, p)
    win = elite.election_win_probability(s, act, p)
    lose = 1.0 - np.take_along_axis(win, inc[:, None], axis=-1)[:, 0]
    direct = elite.precarity(s, c, inc, float(due), disc, act, p)
    np.testing.assert_allclose(elite.horizon_precarity(q, lose, int(due), 1.0), direct, atol=1e-9)


def test_E9_an_armed_opposition_makes_a_winner_precarious_over_the_horizon() -> None:
    """Italy 1948: a per-period risk that looks small compounds over a legislature (paper E)."""
    one_year = 0.1
    assert float(elite.horizon_precarity(one_year, 0.0, 0, 1.0)) == pytest.approx(0.1)
    assert float(elite.horizon_precarity(one_year, 0.0, 0, 5.0)) > 0.4


@settings(max_examples=50, deadline=None)
@given(qa=unit(0.0, 1.0), qb=unit(0.0, 1.0), ea=unit(0.0, 1.0), eb=unit(0.0, 1.0), n=st.integers(0, 4),
       k=unit(0.0, 20.0), da=unit(0.0, 1.0), db=unit(0.0, 1.0))
def test_E9s_security_gain_is_the_hazard_difference_bounded_and_monotone(
        qa: float, qb: float, ea: float, eb: float, n: int, k: float, da: float, db: float) -> None:
    """E9s: the security the support buys is ``1 - exp(-(Λ_alone - Λ_backed))`` (a difference of
    cumulative hazards), in [0, prec_alone]; non-decreasing in the risk alone (H2), non-increasing in
    the risk backed; equal to ``prec_alone`` when the backing removes all risk, 0 when it removes none."""
    alone = float(elite.horizon_precarity(qa, ea, n, k))
    backed = float(elite.horizon_precarity(qb, eb, n, k))
    g = float(elite.security_gain(alone, backed))
    assert 0.0 <= g <= alone + 1e-12
    if alone < 1.0 and backed < alone:
        haz = lambda p: -np.log1p(-p)  # noqa: E731
        assert g == pytest.approx(-np.expm1(-(haz(alone) - haz(backed))), abs=1e-9)
    if backed >= alone:
        assert g == 0.0
    assert float(elite.security_gain(alone, 0.0)) == pytest.approx(alone, abs=1e-12)
    more_alone = min(alone + da * (1.0 - alone), 1.0)
    assert float(elite.security_gain(more_alone, backed)) >= g - 1e-12
    more_backed = min(backed + db * (1.0 - backed), 1.0)
    assert float(elite.security_gain(alone, more_backed)) <= g + 1e-12


def test_E9s_security_gain_does_not_saturate_with_the_horizon():
    """prec_alone of two rulers at 15 % and 30 % a year is 0.86 and 0.99 over 12 years (saturated); the
    security their backing buys when it halves that risk differs by the backing, not the horizon: the
    popular ruler whose support barely moves its risk gains little however long the horizon."""
    k = 12.0
    alone = elite.horizon_precarity(np.array([0.15, 0.30]), 0.0, 0, k)
    assert np.all(alone > 0.85)
    halved = elite.security_gain(alone, elite.horizon_precarity(np.array([0.075, 0.15]), 0.0, 0, k))
    barely = elite.security_gain(alone, elite.horizon_precarity(np.array([0.145, 0.29]), 0.0, 0, k))
    assert np.all(halved > 0.55) and np.all(barely < 0.2)
    for kk in (4.0, 12.0, 30.0):       # a ruler the support barely helps gains < 0.35 at any horizon
        a = elite.horizon_precarity(0.15, 0.0, 0, kk)
        assert float(elite.security_gain(a, elite.horizon_precarity(0.145, 0.0, 0, kk))) < 0.35 < float(a)


def test_coup_attempt_ceiling_per_run_applies_to_every_faction():
    """A batch's per-run ``coup_attempt_max`` (shape (R, C), engine._batch) equals the scalar kernel row by row."""
    import dataclasses

    from alliancelab.engine._batch import PerRun

    rng = np.random.default_rng(3)
    success, armed = rng.uniform(size=(4, 2, 3)), rng.uniform(size=(4, 2, 3))
    ceilings = np.array([0.1, 0.3, 0.5, 1.0])
    p = EliteParams()
    batched = elite.coup_attempt_probability(success, armed, PerRun(p, {"coup_attempt_max": ceilings[:, None]}))
    for r, m in enumerate(ceilings):
        solo = elite.coup_attempt_probability(success[r], armed[r], dataclasses.replace(p, coup_attempt_max=m))
        assert np.array_equal(batched[r], solo)
