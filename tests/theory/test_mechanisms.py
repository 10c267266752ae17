"""Property tests of the issue #10 kernels (THEORY_MAP E18-E22, Y13), over any valid parameters."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliancelab.theory import elite
from alliancelab.theory import mechanisms as M
from alliancelab.theory.disparity import DisparityParams

from .test_elite_strategies import TOL, arrays, elite_params, unit

PROP = settings(max_examples=40, deadline=None)


# ------------------------------------------------------------------------------------------ E22
@PROP
@given(a=unit(), b=unit(), c=unit(), d=unit())
def test_E22_defence_commitment_is_monotone_and_in_unit_interval(a, b, c, d) -> None:
    lo, hi = sorted((a, b))
    assert 0.0 <= M.defence_commitment(lo, c) <= M.defence_commitment(hi, c) + TOL <= 1.0 + TOL
    assert M.defence_commitment(lo, c) >= max(lo, c) - TOL
    assert M.patron_stake(d, c, hi) >= M.patron_stake(d, c, lo) - TOL


@PROP
@given(coer=arrays((3,), 0.0, 2.0), share=arrays((3,), 0.01, 1.0), lo=unit(), hi=unit(), mil=unit(0, 500),
       p=elite_params())
def test_E22_forces_defending_the_ruler_lower_coup_success_and_precarity(coer, share, lo, hi, mil, p) -> None:
    lo, hi = sorted((lo, hi))
    act = np.ones(3, dtype=bool)
    s = share / share.sum()
    armed = np.array([0.0, 0.5, 0.2])
    mil_v = np.array([mil, 10.0, 0.0])
    out = []
    for iv in (lo, hi):
        arm = armed.copy()
        arm[0] = M.defence_commitment(iv, 0.0)
        out.append((elite.coup_success_probability(coer, mil_v, arm, 0, s, act, p, back_incumbent=True),
                    elite.precarity(s, coer, 0, 0.0, 0.0, act, p, military_aid=mil_v, armed_commitment=arm,
                                    back_incumbent=True)))
    assert np.all(out[1][0] <= out[0][0] + TOL)
    assert out[1][1] <= out[0][1] + TOL


# ------------------------------------------------------------------------------------------ E18
@PROP
@given(rec=arrays((3, 2), 0.0, 100.0), extra=unit(0.0, 100.0), p=elite_params())
def test_E18_rival_backing_rises_with_money_to_the_rivals(rec, extra, p) -> None:
    mask = np.array([True, False, False])
    base = M.rival_backing(rec, mask)
    more = rec.copy()
    more[1, 0] += extra
    assert np.all((base >= -TOL) & (base <= 1 + TOL))
    assert M.rival_backing(more, mask)[0] >= base[0] - TOL


@PROP
@given(u=arrays((3,), -3.0, 3.0), rb_lo=unit(), rb_hi=unit(), t=unit(), h_lo=unit(), h_hi=unit(),
       p=elite_params())
def test_E18_leaving_is_likelier_with_more_rival_backing_and_less_help(u, rb_lo, rb_hi, t, h_lo, h_hi, p) -> None:
    rb_lo, rb_hi = sorted((rb_lo, rb_hi))
    h_lo, h_hi = sorted((h_lo, h_hi))
    util = np.concatenate([u[:2], [0.0]])
    av = np.ones(3, dtype=bool)

    def stay(rb, help_):  # noqa: ANN001, ANN202
        ab = M.abandonment(t, np.array([help_, 1.0]))
        uu = M.reweigh_utilities(util, 0, np.array([rb, 0.0]), ab, True, p)
        return elite.choice_probabilities(uu, av, p)[0]

    assert stay(rb_hi, h_hi) <= stay(rb_lo, h_hi) + TOL           # more backing of rivals: leave more
    assert stay(rb_lo, h_lo) <= stay(rb_lo, h_hi) + TOL           # less help under threat: leave more
    # inertia: a sitting ruler stays at least as often as a new one
    sitting = elite.choice_probabilities(M.reweigh_utilities(util, 0, 0.0, 0.0, True, p), av, p)[0]
    fresh = elite.choice_probabilities(M.reweigh_utilities(util, 0, 0.0, 0.0, False, p), av, p)[0]
    assert sitting >= fresh - TOL


@PROP
@given(u=arrays((3,), -3.0, 3.0), unif=arrays((3,), 0.001, 0.999), rb_lo=unit(), rb_hi=unit(), t=unit(),
       h_lo=unit(), h_hi=unit(), offer=unit(0, 3), p=elite_params())
def test_E18_a_member_leaves_only_for_a_reason_and_more_for_a_stronger_one(u, unif, rb_lo, rb_hi, t, h_lo, h_hi,
                                                                          offer, p) -> None:
    """Persistent shocks (drawn given the alliance) and a treaty's commitment: with the utilities of the
    decision unchanged the member never leaves; rival backing, abandonment and a rival's better offer each
    can only turn staying into leaving, never the reverse; a treaty never makes leaving likelier."""
    rb_lo, rb_hi = sorted((rb_lo, rb_hi))
    h_lo, h_hi = sorted((h_lo, h_hi))
    util = np.concatenate([u[:2], [0.0]])
    eps = M.persistent_shocks(p.logit_scale * util, 0, unif)
    assert int(np.argmax(p.logit_scale * util + eps)) == 0           # the shocks reproduce the choice

    def leave(rb, help_, off=0.0, formal=True):  # noqa: ANN001, ANN202
        ab = M.abandonment(t, np.array([help_, 1.0]))
        uu = M.reweigh_utilities(util + np.array([0.0, off, 0.0]), 0, np.array([rb, 0.0]), ab, True, p,
                                 formal=formal)
        return bool(M.leaves(p.logit_scale * uu, 0, eps))

    assert not leave(0.0, 1.0)                                       # no reason: stays
    assert leave(rb_hi, h_hi) >= leave(rb_lo, h_hi)                  # more backing of rivals
    assert leave(rb_lo, h_lo) >= leave(rb_lo, h_hi)                  # less help under threat
    assert leave(rb_lo, h_lo, offer) >= leave(rb_lo, h_lo)           # a rival's better offer
    if p.treaty_commitment >= p.alignment_inertia:
        assert leave(rb_hi, h_lo, offer, formal=True) <= leave(rb_hi, h_lo, offer, formal=False)


@settings(max_examples=10, deadline=None)
@given(u=arrays((3,), -2.0, 2.0), chosen=unit(0, 2.999))
def test_E18_persistent_shocks_have_the_logit_conditional_law(u, chosen) -> None:
    """Drawn given the choice, the shocks give the logit's choice probabilities under other utilities:
    mixing the conditionals over the logit's choice reproduces the unconditional law (Oberst & Sontag
    2019); checked on P(argmax = 0) after a utility change."""
    rng = np.random.default_rng(3)
    n = 40_000
    z = np.concatenate([u[:2], [0.0]])
    pz = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    ch = rng.choice(3, size=n, p=pz)
    eps = M.persistent_shocks(np.broadcast_to(z, (n, 3)), ch, rng.random((n, 3)))
    z2 = z + np.array([0.0, chosen, -0.5])
    got = (np.argmax(z2 + eps, -1) == 0).mean()
    want = np.exp(z2[0] - z2.max()) / np.exp(z2 - z2.max()).sum()
    assert abs(got - want) < 0.015


@PROP
@given(x=unit(0, 5), y=unit(0, 5), z=unit(0, 5), p=elite_params())
def test_E18_purge_contest_rises_with_the_rulers_coercion(x, y, z, p) -> None:
    lo, hi = sorted((x, y))
    assert M.purge_success(hi, z, p.r_coup) >= M.purge_success(lo, z, p.r_coup) - TOL
    # a purge lowers the instigated coup's success (the ruler survives more often)
    pro = min(z / 5.0, 1.0)
    assert elite.instigated_coup_success(elite.purge(pro, p), 0.5, 0.5, p) <= \
        elite.instigated_coup_success(pro, 0.5, 0.5, p) + TOL


# ------------------------------------------------------------------------------------------ E19
@PROP
@given(m1=unit(), m2=unit(), t=unit(), s1=unit(), s2=unit(), e=unit())
def test_E19_tacit_rises_with_mistrust_under_threat_and_aid_only_with_security(m1, m2, t, s1, s2, e) -> None:
    lo, hi = sorted((m1, m2))
    assert M.tacit_probability(hi, t) >= M.tacit_probability(lo, t) - TOL
    assert M.tacit_probability(hi, 0.0) == 0.0
    a, b = sorted((s1, s2))
    assert M.aid_only_probability(b, e) >= M.aid_only_probability(a, e) - TOL
    assert 0.0 <= M.aid_only_probability(b, e) <= 1.0


# ------------------------------------------------------------------------------------------ E20
@PROP
@given(q1=unit(), q2=unit(), b=unit(), c=unit(), w=unit(), p=elite_params())
def test_E20_defection_likelier_when_doomed_unbacked_and_the_challenger_backed(q1, q2, b, c, w, p) -> None:
    lo, hi = sorted((q1, q2))
    assert M.target_loyalty(hi, b, c, w, p) <= M.target_loyalty(lo, b, c, w, p) + TOL
    assert M.target_loyalty(hi, 1.0, c, w, p) >= M.target_loyalty(hi, b, c, w, p) - TOL   # backer present
    assert M.target_loyalty(hi, b, 1.0, w, p) <= M.target_loyalty(hi, b, c, w, p) + TOL   # challenger backed
    new = M.update_loyalty(0.5, M.target_loyalty(hi, b, c, w, p), p)
    assert 0.0 <= new <= 1.0


@PROP
@given(l1=unit(), l2=unit(), h1=unit(), h2=unit(), p=elite_params())
def test_E20_grabs_likelier_with_worse_prospects_and_more_coercion(l1, l2, h1, h2, p) -> None:
    lo, hi = sorted((l1, l2))
    hlo, hhi = sorted((h1, h2))
    assert M.grab_probability(hi, hhi, p) >= M.grab_probability(lo, hhi, p) - TOL
    assert M.grab_probability(hi, hhi, p) >= M.grab_probability(hi, hlo, p) - TOL
    assert M.grab_probability(hi, 0.5, p) == 0.0                   # no takeover without most of the guns


@PROP
@given(d1=unit(), d2=unit(), p=elite_params())
def test_E20r_a_stolen_count_adds_the_backlash_of_a_cancelled_election(d1, d2, p) -> None:
    lo, hi = sorted((d1, d2))
    after = M.fraud_backlash(np.array([lo, hi]), np.array([True, True]), p)
    assert np.all((after >= 0.0) & (after <= 1.0))
    assert after[1] >= after[0] - TOL                              # monotone in prior discontent
    assert np.allclose(after, np.minimum(np.array([lo, hi]) + p.grab_discontent, 1.0))
    assert np.allclose(M.fraud_backlash(np.array([lo, hi]), np.array([False, False]), p), [lo, hi])


@PROP
@given(u=unit(), s=unit(), d1=unit(), d2=unit(), c=unit(0, 5), p=elite_params())
def test_E20f_a_stolen_counts_unrest_is_the_kernels_without_repression(u, s, d1, d2, c, p) -> None:
    lo, hi = sorted((d1, d2))
    both = np.array([True, True])
    out = M.focal_unrest(np.array([u, u]), np.array([s, s]), np.array([lo, hi]), both, p)
    assert np.all((out >= u - TOL) & (out <= max(u, p.unrest_max) + TOL))  # never below, capped
    assert out[1] >= out[0] - TOL                                          # monotone in discontent
    assert np.allclose(M.focal_unrest(np.array([u]), np.array([s]), np.array([lo]), np.array([False]), p),
                       [u])                                                # no stolen count: unchanged
    # it is the precarity kernel's unrest with no repression (c_inc = 0), which repression only lowers
    act = np.array([True, True])
    unrest_of = lambda ci: float(elite.precarity(np.array([s, 1.0 - s]), np.array([ci, 0.0]), 0, 0.0,  # noqa: E731
                                                   lo, act, p))
    free = unrest_of(0.0)
    if free < 1.0 - TOL:     # no election due and no coup threat: the kernel is unrest alone
        assert M.focal_unrest(0.0, s, lo, True, p) >= free - 1e-9
        assert unrest_of(c) <= free + TOL


# ------------------------------------------------------------------------------------------ E21
@PROP
@given(a1=unit(0, 1e4), a2=unit(0, 1e4), r1=unit(), r2=unit(), s=unit(), h=unit(), p=elite_params())
def test_E21_damage_hurts_more_with_more_pressure_and_less_with_a_rally(a1, a2, r1, r2, s, h, p) -> None:
    lo, hi = sorted((a1, a2))
    rlo, rhi = sorted((r1, r2))
    w = p.mass_effect_weight
    assert M.support_loss(hi, rlo, w, p) >= M.support_loss(lo, rlo, w, p) - TOL
    assert M.support_loss(hi, rhi, w, p) <= M.support_loss(hi, rlo, w, p) + TOL
    assert 0.0 <= M.damage_share(hi, p) < 1.0
    assert M.damage_share(hi, p) >= M.damage_share(lo, p) - TOL
    assert 0.0 <= M.rally_factor(s, h, p) <= 1.0


# ------------------------------------------------------------------------------------------ Y13
@given(s1=unit(), s2=unit(), o1=unit(), o2=unit())
@PROP
def test_Y13_offensive_intent_raises_severity_up_to_the_severity(s1, s2, o1, o2) -> None:
    p = DisparityParams()
    lo, hi = sorted((o1, o2))
    assert M.intent_severity(s1, hi, p) >= M.intent_severity(s1, lo, p) - TOL
    assert M.intent_severity(s1, hi, p) <= s1 + TOL
    a, b = sorted((s1, s2))
    assert M.intent_severity(b, lo, p) >= M.intent_severity(a, lo, p) - TOL


@given(a1=unit(), a2=unit(), b1=unit(), b2=unit(), w1=unit(), w2=unit())
@PROP
def test_Y13p_each_seat_weighs_its_own_exposure_and_the_common_threat_fully(a1, a2, b1, b2, w1, w2) -> None:
    """The dyad threat from one member's seat: in [0, 1], non-decreasing in both exposures, at least the
    common part and the member's own exposure at its weight; equal weights make the seats agree."""
    w_own, w_other = max(w1, w2), min(w1, w2)
    t = M.dyad_threat(a1, b1, w_own, w_other)
    assert -TOL <= t <= 1.0 + TOL
    assert t >= min(a1, b1) - TOL and t >= w_own * a1 - TOL and t >= w_other * b1 - TOL
    lo_a, hi_a = sorted((a1, a2))
    lo_b, hi_b = sorted((b1, b2))
    assert M.dyad_threat(hi_a, hi_b, w_own, w_other) >= M.dyad_threat(lo_a, lo_b, w_own, w_other) - TOL
    assert abs(M.dyad_threat(a1, b1, w1, w1) - M.dyad_threat(b1, a1, w1, w1)) <= TOL
    # with the own weight above the other's, a member exposed more than its partner weighs no less
    # from its own seat than the partner does from its seat
    hi, lo = max(a1, b1), min(a1, b1)
    assert M.dyad_threat(hi, lo, w_own, w_other) >= M.dyad_threat(lo, hi, w_own, w_other) - TOL


# ------------------------------------------------------------------------- E19: the form follows need
@PROP
@given(q1=unit(), q2=unit(), t1=unit(), t2=unit(), m=unit())
def test_E19_aid_without_treaty_follows_the_rulers_need_not_the_money(q1, q2, t1, t2, m) -> None:
    lo, hi = sorted((q1, q2))
    tl, th = sorted((t1, t2))
    # the need for a treaty is non-decreasing in precarity (H2) and in the common threat (Y5)
    assert M.treaty_need(hi, tl) >= M.treaty_need(lo, tl) - TOL
    assert M.treaty_need(lo, th) >= M.treaty_need(lo, tl) - TOL
    # so taking aid without a treaty is non-increasing in both, a probability, and 0 above the bound
    assert M.aid_only_by_need(hi, tl, m) <= M.aid_only_by_need(lo, tl, m) + TOL
    assert M.aid_only_by_need(lo, th, m) <= M.aid_only_by_need(lo, tl, m) + TOL
    p = float(M.aid_only_by_need(lo, tl, m))
    assert 0.0 <= p <= 1.0
    need = float(M.treaty_need(lo, tl))
    assert (p == 0.0) if need > m else p == pytest.approx(1.0 - need)


def test_E19_a_ruler_that_cannot_fall_alone_and_faces_no_threat_never_needs_the_treaty() -> None:
    assert float(M.aid_only_by_need(0.0, 0.0, 0.5)) == 1.0
    assert float(M.aid_only_by_need(1.0, 0.0, 0.5)) == 0.0
    assert float(M.aid_only_by_need(0.0, 1.0, 0.5)) == 0.0


# ------------------------------------------------------- E13b: a treaty forfeits the rivals' support
@PROP
@given(q1=unit(), q2=unit(), a=unit(), b=unit(), c=unit(), w=unit(0.0, 50.0))
def test_E13b_a_treaty_forfeits_the_rivals_support_and_one_bidder_forfeits_nothing(q1, q2, a, b, c, w) -> None:
    lo, hi = sorted((q1, q2))
    tot = a + b + c
    share = np.array([a, b, c]) / tot if tot > 0 else np.zeros(3)
    loss = M.rival_support_loss(lo, share, w)
    # the loss of joining p is the others' support valued as H1 values support for security
    assert np.allclose(loss, w * lo * (share.sum() - share))
    assert (loss >= -TOL).all() and (loss <= w * lo + TOL).all()
    # non-decreasing in precarity (H2: the support matters more to a ruler that needs it)
    assert (M.rival_support_loss(hi, share, w) >= loss - TOL).all()
    # the net security of a treaty, share_p - rivals, ranks patrons as the shares do (H1)
    net = w * lo * share - loss
    for i in range(3):
        for j in range(3):
            if share[i] > share[j]:
                assert net[i] >= net[j] - TOL
    # a single bidder: nothing to forfeit by joining it (a precarious ruler with one patron still seeks it)
    one = np.array([1.0, 0.0, 0.0]) if tot > 0 else np.zeros(3)
    assert M.rival_support_loss(hi, one, w)[0] == 0.0
    # a larger rival share costs more to forfeit
    more = np.array([0.5, 0.5, 0.0])
    assert M.rival_support_loss(hi, more, w)[0] >= M.rival_support_loss(hi, np.array([0.8, 0.2, 0.0]), w)[0] - TOL


# ------------------------------------------------------- E13p: which patrons are rivals
@PROP
@given(listed=st.lists(st.booleans(), min_size=9, max_size=9), q=unit(), a=unit(), b=unit(), c=unit(),
       w=unit(0.0, 50.0))
def test_E13p_rivalry_is_mutual_and_a_treaty_forfeits_only_the_rivals_support(listed, q, a, b, c, w) -> None:
    m = np.array(listed).reshape(3, 3)
    riv = M.rivalry(m)
    assert np.array_equal(riv, riv.T) and not riv.diagonal().any()       # mutual, never oneself
    assert not (riv & ~m).any()                                          # only pairs a patron listed
    everyone = ~np.eye(3, dtype=bool)
    assert np.array_equal(M.rivalry(everyone), everyone)                 # no lists: every other patron
    tot = a + b + c
    share = np.array([a, b, c]) / tot if tot > 0 else np.zeros(3)
    # every other patron a rival: E13b's loss unchanged; no rival: nothing forfeited
    assert np.allclose(M.rival_support_loss(q, share, w, everyone), M.rival_support_loss(q, share, w))
    assert np.allclose(M.rival_support_loss(q, share, w, np.zeros((3, 3), bool)), 0.0)
    # fewer rivals never forfeit more, and the loss is exactly the rivals' shares
    loss = M.rival_support_loss(q, share, w, riv)
    assert (loss <= M.rival_support_loss(q, share, w) + TOL).all() and (loss >= -TOL).all()
    assert np.allclose(loss, w * q * (riv.astype(float) @ share))


# ------------------------------------------------------------ E20s: structural army loyalty
@PROP
@given(q=unit(), b=unit(), c=unit(), w=unit(), a1=unit(), a2=unit(), p=elite_params())
def test_E20s_the_army_returns_to_its_structural_loyalty(q, b, c, w, a1, a2, p) -> None:
    lo, hi = sorted((a1, a2))
    assert M.target_loyalty(q, b, c, w, p, hi) >= M.target_loyalty(q, b, c, w, p, lo) - TOL
    assert M.target_loyalty(q, b, c, w, p, lo) <= lo + TOL                  # never above its own level
    assert M.target_loyalty(q, b, c, w, p, 1.0) == pytest.approx(M.target_loyalty(q, b, c, w, p))
    assert M.target_loyalty(0.0, b, c, w, p, lo) == pytest.approx(lo)      # nothing pushes: its level


@PROP
@given(a1=unit(0, 1000), a2=unit(0, 1000), p=elite_params())
def test_E21c_the_affront_hazard_is_a_probability_rising_with_the_allys_pressure(a1, a2, p) -> None:
    lo, hi = sorted((a1, a2))
    h = M.affront_hazard(np.array([0.0, lo, hi]), p)
    assert h[0] == 0.0                                             # no pressure by name: no affront
    assert np.all((h >= 0.0) & (h < 1.0))
    assert h[2] >= h[1] - TOL                                      # monotone in the pressure
    assert np.allclose(h, M.damage_share(np.array([0.0, lo, hi]), p))   # the pressure's damage share


# ------------------------------------------------------------------ Y17: treaty terms
@PROP
@given(u=arrays((4,), -3.0, 3.0), av=arrays((4,), 0.0, 1.0), cur=unit(0, 2.99), a1=unit(), a2=unit(),
       bump=unit(0.0, 2.0), p=elite_params())
def test_Y17_renewal_needs_both_sides_and_rises_with_each(u, av, cur, a1, a2, bump, p) -> None:
    """Mechanism Y17: the probability that a treaty is renewed at its term's end is in [0, 1], at most
    either side's (the client's choice of the patron, the patron's acceptance), equal to their product,
    rises with the patron's acceptance and with the client's utility of the patron, is 0 when the patron
    refuses, and the current patron counts as available even where it is closed to new alliances."""
    c = int(cur)
    lo, hi = sorted((a1, a2))
    avail = av > 0.5
    avail_open = avail.copy()
    avail_open[c] = True
    keep = elite.choice_probabilities(u, avail_open, p)[c]
    r_lo = float(M.renewal_probability(u, avail, c, lo, p))
    r_hi = float(M.renewal_probability(u, avail, c, hi, p))
    assert 0.0 <= r_lo <= r_hi + TOL <= 1.0 + TOL
    assert r_hi <= min(hi, keep) + TOL
    assert r_hi == pytest.approx(keep * hi, abs=1e-12)
    assert float(M.renewal_probability(u, avail, c, 0.0, p)) == 0.0
    v = u.copy()
    v[c] += bump
    assert float(M.renewal_probability(v, avail, c, hi, p)) >= r_hi - TOL
    # vectorised over cells: each row is its own scalar value
    rows = M.renewal_probability(np.stack([u, v]), np.stack([avail, avail]), np.array([c, c]),
                                 np.array([lo, hi]), p)
    assert rows[0] == pytest.approx(r_lo) and rows[1] == pytest.approx(
        float(M.renewal_probability(v, avail, c, hi, p)))


# ------------------------------------------------------------ E11m: market borrowing
@PROP
@given(m=arrays((5,), 0.0, 500.0), f1=unit(), f2=unit())
def test_E11m_market_borrowing_is_no_surplus(m, f1, f2) -> None:
    """Mechanism E11m: the granted part of the money is in [0, money], all of it without market
    borrowing, none of it when all is market borrowing, and it falls as the market share rises."""
    lo, hi = sorted((f1, f2))
    g_lo, g_hi = M.grant_money(m, lo), M.grant_money(m, hi)
    assert np.all(g_hi >= -TOL) and np.all(g_lo <= m + TOL)
    assert np.all(g_hi <= g_lo + TOL)
    assert np.allclose(M.grant_money(m, 0.0), m) and np.allclose(M.grant_money(m, 1.0), 0.0)
    # ambition (E11) then never rises with the market share
    p = elite.EliteParams()
    a_lo = elite.update_ambition(np.zeros(5), g_lo, 50.0, p)
    a_hi = elite.update_ambition(np.zeros(5), g_hi, 50.0, p)
    assert np.all(a_hi <= a_lo + TOL)


# ------------------------------------------------------------------------------------------ E1m
@PROP
@given(m=arrays((4,), 0.0, 3.0), r=st.integers(0, 3), pop=st.booleans(), ch=st.booleans(), p=elite_params())
def test_E1m_a_mandate_is_the_new_popular_rulers_alone_and_fades_while_it_stays(m, r, pop, ch, p) -> None:
    out = M.update_mandate(m, np.array(r), np.array(pop), np.array(ch), p)
    assert out.shape == (4,) and np.all(out >= 0.0)
    if ch:                                   # a new ruler: only a popular one has a mandate, only its own
        expect = np.zeros(4)
        expect[r] = p.mandate_weight if pop else 0.0
        assert np.allclose(out, expect)
    else:                                    # the same ruler: every entry fades at broad support's rate
        assert np.allclose(out, m * (1.0 - p.stock_decay_broad))
        assert np.all(out <= m + TOL)
    # a fresh mandate raises the new ruler's mass share and lowers every other faction's
    base = np.zeros(4)
    with_m = elite.mass_support_shares(base + out, 0.0, 0.0, np.ones(4, dtype=bool))
    without = elite.mass_support_shares(base, 0.0, 0.0, np.ones(4, dtype=bool))
    if ch and pop:
        assert with_m[r] >= without[r] - TOL
        assert np.all(np.delete(with_m, r) <= np.delete(without, r) + TOL)


# ------------------------------------------------------------------------------------------ E8g
@PROP
@given(m=unit(), s1=unit(), s2=unit(), D=unit(0.05, 0.99), T=unit())
def test_E8g_a_backers_support_dispels_the_rulers_mistrust_of_it(m, s1, s2, D, T) -> None:
    """Mechanism E8g: the ruler's mistrust of a patron is in [0, the state's mistrust], the state's
    whole mistrust where the patron gave it nothing, none where it gave all; it falls as the patron's
    share of the ruler's support rises, and so Y16's talks with that patron conclude no slower."""
    lo, hi = sorted((s1, s2))
    m_lo, m_hi = float(M.trusted_mistrust(m, lo)), float(M.trusted_mistrust(m, hi))
    assert -TOL <= m_hi <= m_lo + TOL <= m + 2 * TOL
    assert float(M.trusted_mistrust(m, 0.0)) == pytest.approx(m)
    assert float(M.trusted_mistrust(m, 1.0)) == pytest.approx(0.0)
    from alliancelab.theory import disparity as Y
    q = lambda x: float(Y.talks_conclusion_probability(D, T, x))  # noqa: E731
    assert q(m_hi) >= q(m_lo) - TOL >= q(m) - 2 * TOL


# ------------------------------------------------------------------------------------------ E20j
@PROP
@given(junta=st.lists(st.booleans(), min_size=1, max_size=8), data=st.data())
def test_E20j_a_ruler_by_force_keeps_power_at_the_calendars_election_and_only_a_coup_installs_one(junta,
                                                                                                  data) -> None:
    n = len(junta)
    j = np.array(junta)
    idx = st.lists(st.integers(0, 3), min_size=n, max_size=n)
    winner, ruling = np.array(data.draw(idx)), np.array(data.draw(idx))
    seized = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    changed = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n))) | seized
    out = M.junta_elections(winner, ruling, j)
    assert np.array_equal(out[j], ruling[j])                 # a junta is not voted out
    assert np.array_equal(out[~j], winner[~j])               # a civilian ruler faces the vote
    after = M.update_junta(j, seized, changed)
    assert after[seized].all()                               # a coup installs a junta
    assert not after[changed & ~seized].any()                # an election or the crowd ends it
    assert np.array_equal(after[~changed], j[~changed])      # a sitting ruler keeps its origin


@PROP
@given(junta=st.lists(st.booleans(), min_size=1, max_size=8), data=st.data())
def test_E20j_H2_reads_no_calendar_risk_for_a_ruler_by_force(junta, data) -> None:
    """E20j in H2 (``junta_calendar_risk``): the election risk is 0 for a junta, unchanged for any
    other ruler, in [0, 1], and never above the vote's own risk."""
    j = np.array(junta)
    lose = np.array(data.draw(st.lists(st.floats(0.0, 1.0), min_size=len(j), max_size=len(j))))
    out = M.junta_calendar_risk(lose, j)
    assert np.all(out[j] == 0.0)
    assert np.array_equal(out[~j], lose[~j])
    assert np.all((0.0 <= out) & (out <= lose))


# ------------------------------------------------------------------------------------------ E2t
@PROP
@given(a=unit(), b=unit(), l1=unit(), l2=unit())
def test_E2t_a_patrons_backing_counts_in_a_coup_through_the_armys_disloyal_share(a, b, l1, l2) -> None:
    """``coup_backing``: in [0, the commitment], non-decreasing in the commitment (E5's direction kept),
    non-increasing in the army's loyalty; nothing against a loyal army, all of it against a disloyal one."""
    lo, hi = sorted((a, b))
    ll, lh = sorted((l1, l2))
    g = lambda x, y: float(M.coup_backing(x, y))  # noqa: E731
    assert 0.0 <= g(hi, ll) <= hi + TOL
    assert g(lo, ll) <= g(hi, ll) + TOL
    assert g(hi, lh) <= g(hi, ll) + TOL
    assert g(hi, 1.0) == 0.0 and g(hi, 0.0) == pytest.approx(hi)


# ------------------------------------------------------------------------------------------ E21b
@settings(max_examples=50, deadline=None)
@given(st.lists(st.booleans(), min_size=4, max_size=4), st.lists(st.floats(-1.0, 1.0), min_size=4, max_size=4),
       st.lists(st.floats(0.0, 1.0), min_size=4, max_size=4), st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_E21b_an_intolerant_donor_withholds_state_aid_from_an_averse_ruler(allied, aff, tol, d_aff, d_tol) -> None:
    """E21b's kernel: withheld wherever E21h withholds (allied elsewhere); otherwise only from a ruler
    averse to the donor (affinity < 0) when the donor is intolerant (tolerance < 0.5); monotone: a more
    averse ruler or a less tolerant donor is never paid where the other is withheld from."""
    a, f, t = np.array(allied), np.array(aff), np.array(tol)
    w = M.donor_withholds(a, f, t)
    assert w.dtype == bool and w.shape == (4,)
    assert np.all(w[a])                                               # E21h's cases stay withheld
    assert np.array_equal(w[~a], ((f < 0) & (t < 0.5))[~a])
    assert not np.any(M.donor_withholds(np.zeros(4, bool), f, np.full(4, 0.5)))    # tolerant: always paid
    assert not np.any(M.donor_withholds(np.zeros(4, bool), np.abs(f), t))          # friendly: always paid
    assert np.all(M.donor_withholds(a, f - d_aff, t) >= w)
    assert np.all(M.donor_withholds(a, f, t - d_tol) >= w)


# ------------------------------------------------------------------------------------------ Y24
@PROP
@given(w=unit(), s=unit(), a1=unit(), a2=unit())
def test_Y24_the_budget_bounds_paper_Ys_bid_not_the_H1_stake(w, s, a1, a2) -> None:
    """Mechanism Y24: the patron's will under its budget is in [0, 1], never below the stake (where the
    patron has any budget for the client) nor below paper Y's will times the affordability, never above
    either route unbounded; with no stake it is Y7's ``will x afford``, with no budget 0; it is
    non-decreasing in the affordability and equals ``max(will, stake)`` when the budget covers the cost."""
    lo, hi = sorted((a1, a2))
    v_lo, v_hi = float(M.affordable_will(w, s, lo)), float(M.affordable_will(w, s, hi))
    assert -TOL <= v_lo <= v_hi + TOL <= 1.0 + 2 * TOL
    assert v_lo >= w * lo - TOL
    assert v_lo >= s - TOL if lo > 0 else v_lo == pytest.approx(0.0)
    assert v_hi <= max(w, s) + TOL
    assert float(M.affordable_will(w, 0.0, lo)) == pytest.approx(w * lo)
    assert float(M.affordable_will(w, s, 1.0)) == pytest.approx(max(w, s))
