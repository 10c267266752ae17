"""Property tests of paper E's support response: E1 (shares), E3, E4, E6, E17."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from alliancelab.theory import elite
from alliancelab.theory.elite import EliteParams

from .test_elite_strategies import (
    GESTURE,
    MASS,
    MAX_AMOUNT,
    N_I,
    PROPERTY,
    TOL,
    arrays,
    dims,
    elite_params,
    support_arrays,
    unit,
)


@st.composite
def bump(draw: st.DrawFn, shape: tuple[int, int, int]) -> tuple[int, int, int, float]:
    """A faction, patron, mass instrument and a non-negative increment."""
    _, f, p = shape
    return (draw(st.integers(0, f - 1)), draw(st.integers(0, p - 1)), draw(st.sampled_from(MASS)),
            draw(unit(0.0, MAX_AMOUNT)))


@PROPERTY
@given(data=st.data(), p=elite_params())
def test_E3_more_support_never_lowers_own_effect_share_or_win(data: st.DataObject, p: EliteParams) -> None:
    shape = data.draw(dims())
    s = data.draw(support_arrays(shape))
    vis = data.draw(arrays(shape + (N_I,), 0.0, 1.0))
    br = data.draw(arrays(shape + (N_I,), 0.0, 1.0))
    f, q, i, delta = data.draw(bump(shape))
    more = s.copy()
    more[:, f, q, i] += delta
    before = elite.support_effect(s, vis, br, p)
    after = elite.support_effect(more, vis, br, p)
    assert np.all(after[:, f] >= before[:, f] - TOL)
    others = np.arange(shape[1]) != f
    np.testing.assert_allclose(after[:, others], before[:, others])
    base = data.draw(arrays(shape[:2], -3.0, 3.0))
    active = np.ones(shape[:2], dtype=bool)
    sh0 = elite.mass_support_shares(base, before, 0.0, active)
    sh1 = elite.mass_support_shares(base, after, 0.0, active)
    assert np.all(sh1[:, f] >= sh0[:, f] - TOL)
    w0 = elite.election_win_probability(sh0, active, p)
    w1 = elite.election_win_probability(sh1, active, p)
    assert np.all(w1[:, f] >= w0[:, f] - TOL)


@PROPERTY
@given(a=unit(0.0, MAX_AMOUNT), h=unit(0.01, MAX_AMOUNT), vis=unit(), br=unit(),
       i=st.sampled_from(MASS), p=elite_params())
def test_E3_diminishing_returns(a: float, h: float, vis: float, br: float, i: int, p: EliteParams) -> None:
    s = np.zeros((3, 1, 1, N_I))
    s[:, 0, 0, i] = [a, a + h, a + 2 * h]
    e = elite.support_effect(s, vis, br, p)[:, 0]
    assert e[1] >= e[0] - TOL and e[2] >= e[1] - TOL
    assert e[2] - e[1] <= e[1] - e[0] + TOL


@PROPERTY
@given(a=unit(0.0, 10.0), h=unit(0.1, 10.0), vis=unit(0.1, 1.0), br=unit(0.1, 1.0),
       i=st.sampled_from(MASS))
def test_E3_returns_strictly_diminish_at_relevant_amounts(a: float, h: float, vis: float, br: float,
                                                          i: int) -> None:
    """Amounts in multiples of the instrument's scale: each extra million buys less."""
    p = EliteParams()
    scale = p.scales()[MASS.index(i)]
    s = np.zeros((3, 1, 1, N_I))
    s[:, 0, 0, i] = np.array([a, a + h, a + 2 * h]) * scale
    e = elite.support_effect(s, vis, br, p)[:, 0]
    assert e[0] < e[1] < e[2]
    assert e[2] - e[1] < (e[1] - e[0]) * (1 - 1e-6)


@PROPERTY
@given(data=st.data(), g=unit(-1.0, 0.0), g2=unit(-1.0, 1.0), p=elite_params())
def test_E4_negative_gesture_lowers_the_favoured_faction(data: st.DataObject, g: float, g2: float,
                                                        p: EliteParams) -> None:
    shape = data.draw(dims())
    s = data.draw(support_arrays(shape))
    vis = data.draw(arrays(shape + (N_I,), 0.0, 1.0))
    br = data.draw(arrays(shape + (N_I,), 0.0, 1.0))
    f, q = data.draw(st.integers(0, shape[1] - 1)), data.draw(st.integers(0, shape[2] - 1))
    neutral, against, other = s.copy(), s.copy(), s.copy()
    neutral[:, f, q, GESTURE] = 0.0
    against[:, f, q, GESTURE] = g
    other[:, f, q, GESTURE] = g2
    e0 = elite.support_effect(neutral, vis, br, p)[:, f]
    e1 = elite.support_effect(against, vis, br, p)[:, f]
    e2 = elite.support_effect(other, vis, br, p)[:, f]
    # the sign is explicit: opposing the nation's claim lowers the favoured faction...
    np.testing.assert_allclose(e1 - e0, p.gesture_weight * g, atol=1e-9)
    if p.gesture_weight * g < -1e-6:
        assert np.all(e1 < e0)
    # ...and the effect is monotone in the gesture
    if g2 >= g:
        assert np.all(e2 >= e1 - TOL)


@PROPERTY
@given(amount=unit(0.0, MAX_AMOUNT), vis=unit(), b_lo=unit(), b_hi=unit(),
       i=st.sampled_from(MASS), k=st.integers(1, 12), p=elite_params())
def test_E6_broad_support_is_more_durable_at_equal_cost(amount: float, vis: float, b_lo: float,
                                                         b_hi: float, i: int, k: int,
                                                         p: EliteParams) -> None:
    narrow_b, broad_b = sorted((b_lo, b_hi))
    s = np.zeros((2, 1, 1, N_I))
    s[:, 0, 0, i] = amount                                  # the same money
    br = np.array([broad_b, narrow_b])[:, None, None, None]
    stock = elite.update_support_stock(np.zeros((2, 1)), elite.support_effect(s, vis, br, p),
                                       np.array([[broad_b], [narrow_b]]), p)
    for _ in range(k):                                       # and then nothing more
        stock = elite.update_support_stock(stock, 0.0, np.array([[broad_b], [narrow_b]]), p)
    assert stock[0, 0] >= stock[1, 0] - TOL


@PROPERTY
@given(data=st.data(), n_lo=unit(), n_hi=unit(), k=st.integers(1, 20), p=elite_params())
def test_E6_narrow_support_raises_precarity_over_time(data: st.DataObject, n_lo: float, n_hi: float,
                                                       k: int, p: EliteParams) -> None:
    from .test_elite_strategies import faction_state

    lo, hi = sorted((n_lo, n_hi))
    d = np.zeros(2)
    for _ in range(k):
        d = elite.update_discontent(d, np.array([hi, lo]), p)
    assert d[0] >= d[1] - TOL
    assert np.all((0.0 <= d) & (d <= 1.0))
    # purely narrow support breeds discontent; purely broad support lets it fade
    d0 = data.draw(unit(0.01, 0.99))
    grown, faded = elite.update_discontent(np.array([d0, d0]), np.array([1.0, 0.0]), p)
    assert grown >= d0 and faded <= d0
    if p.discontent_rate > 1e-6:
        assert grown > d0
    if p.discontent_decay > 1e-6:
        assert faded < d0
    st_ = data.draw(faction_state((1, data.draw(st.integers(2, 4)))))
    due = data.draw(unit())
    prec = [elite.precarity(st_["shares"], st_["coercion"], st_["incumbent"], due, d[j],
                            st_["active"], p)[0] for j in (0, 1)]
    assert prec[0] >= prec[1] - TOL


@PROPERTY
@given(data=st.data(), p=elite_params())
def test_E6_narrow_share_is_amount_weighted(data: st.DataObject, p: EliteParams) -> None:
    shape = data.draw(dims())
    s = data.draw(support_arrays(shape))
    br = data.draw(arrays(shape + (N_I,), 0.0, 1.0))
    n = elite.narrow_support_share(s, br)
    assert np.all((n >= 0.0) & (n <= 1.0 + TOL))
    n_broad = elite.narrow_support_share(s, 1.0)
    n_narrow = elite.narrow_support_share(s, 0.0)
    assert np.all(n_broad == 0.0)
    total = s[..., MASS].sum(axis=(-1, -2))
    assert np.all(n_narrow[total > 0] == 1.0)


@PROPERTY
@given(data=st.data(), v_lo=unit(), v_hi=unit(), p=elite_params())
def test_E17_effect_scales_with_visibility_invisible_buys_loyalty_only(
        data: st.DataObject, v_lo: float, v_hi: float, p: EliteParams) -> None:
    shape = data.draw(dims())
    s = data.draw(support_arrays(shape))
    s[..., GESTURE] = 0.0
    br = data.draw(arrays(shape + (N_I,), 0.0, 1.0))
    lo, hi = sorted((v_lo, v_hi))
    e_lo, e_hi = (elite.support_effect(s, v, br, p) for v in (lo, hi))
    assert np.all(e_hi >= e_lo - TOL)
    l_lo, l_hi = (elite.elite_loyalty_effect(s, v, br, p) for v in (lo, hi))
    assert np.all(l_lo >= l_hi - TOL)
    invisible = elite.support_effect(s, 0.0, br, p)
    assert np.all(invisible == 0.0)                          # no mass support at all...
    assert np.all(elite.elite_loyalty_effect(s, 0.0, br, p) >= 0.0)   # ...elite loyalty at best


@PROPERTY
@given(amount=unit(0.01, MAX_AMOUNT), vis=unit(0.05, 1.0), br=unit(0.05, 1.0), i=st.sampled_from(MASS))
def test_E17_visible_broad_support_beats_invisible_loan_at_equal_cost(amount: float, vis: float,
                                                                       br: float, i: int) -> None:
    p = EliteParams()
    s = np.zeros((1, 1, N_I))
    s[0, 0, i] = amount
    assert elite.support_effect(s, vis, br, p)[0] > elite.support_effect(s, 0.0, br, p)[0]


@PROPERTY
@given(data=st.data())
def test_E1_mass_support_shares_sum_to_one_and_rise_with_own_logit(data: st.DataObject) -> None:
    r, f = data.draw(st.integers(1, 3)), data.draw(st.integers(2, 5))
    base = data.draw(arrays((r, f), -5.0, 5.0))
    eff = data.draw(arrays((r, f), -5.0, 5.0))
    shock = data.draw(arrays((r, f), -5.0, 5.0))
    n_active = data.draw(st.integers(1, f))
    active = np.arange(f) < n_active
    sh = elite.mass_support_shares(base, eff, shock, active)
    np.testing.assert_allclose(sh.sum(axis=-1), 1.0)
    assert np.all(sh[:, ~active] == 0.0)
    j = data.draw(st.integers(0, n_active - 1))
    eff2 = eff.copy()
    eff2[:, j] += data.draw(unit(0.0, 5.0))
    assert np.all(elite.mass_support_shares(base, eff2, shock, active)[:, j] >= sh[:, j] - TOL)


def test_E3_support_effect_is_finite_at_zero_and_huge_support() -> None:
    p = EliteParams()
    s = np.zeros((2, 3, 2, N_I))
    s[1, ..., MASS] = 1e12
    e = elite.support_effect(s, 1.0, 1.0, p)
    assert np.all(np.isfinite(e)) and np.all(e[0] == 0.0) and np.all(e[1] > 0)
    assert np.all(np.isfinite(elite.mass_support_shares(np.zeros(3), e, 0.0, np.ones(3, bool))))


def test_E3_broadcasts_over_leading_axes() -> None:
    p = EliteParams()
    rng = np.random.default_rng(0)
    s = rng.uniform(0, 100, size=(5, 200, 3, 2, N_I))         # runs, clients, F, P, I
    s[..., GESTURE] = rng.uniform(-1, 1, size=s.shape[:-1])
    vis = rng.uniform(size=s.shape)
    e = elite.support_effect(s, vis, 0.5, p)
    assert e.shape == (5, 200, 3)
    np.testing.assert_allclose(e[2, 17], elite.support_effect(s[2, 17], vis[2, 17], 0.5, p))
    # one support schedule shared by every run, visibility varying by run: broadcasts too
    per_run = elite.support_effect(s[0], vis, 0.5, p)
    assert per_run.shape == (5, 200, 3)
    np.testing.assert_allclose(per_run[3], elite.support_effect(s[0], vis[3], 0.5, p))
