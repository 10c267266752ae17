"""Each step of one period, alone: support paid, mass support, contests, precarity, alignment,
alliance dynamics, record (the loop in ``_simulate.simulate`` only chains them)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis.extra.numpy import arrays as st_arrays
from hypothesis.strategies import floats as st_floats
from hypothesis.strategies import integers as st_integers

from alliancelab.engine import compile_scenario, simulate
from alliancelab.engine._simulate import STEPS
from alliancelab.engine._state import PeriodVars, Recorder, RunState, SimContext
from alliancelab.engine._steps_alliance import Outputs, alignment, alliance_dynamics, record
from alliancelab.engine._steps_domestic import contests, mass_support, precarity, support_paid
from alliancelab.theory.params import ModelParams

from ._build import build

R = 400


def _setup(disable=frozenset(), light=False, **kw):  # noqa: ANN001, ANN202
    params = ModelParams()
    comp = compile_scenario(build(**kw), params)
    ctx = SimContext.build(comp, params, R, frozenset(disable), light)
    st = RunState.start(ctx)
    rec = Recorder(R, 1, 2, light)
    return ctx, st, rec


def _period(ctx, t=0, seed=3):  # noqa: ANN001, ANN202
    rng = np.random.default_rng(seed)
    return PeriodVars.draw(t, ctx, rng, 11, rng.spawn(1)[0], 6)


def _run_until(ctx, st, rec, pv, last):  # noqa: ANN001, ANN202
    for step in STEPS:
        step(ctx, st, pv, rec)
        if step is last:
            return


def test_steps_are_in_the_documented_order():
    assert [s.__name__ for s in STEPS] == ["support_paid", "pressure_and_defence", "mass_support", "contests",
                                           "precarity", "army_loyalty", "alignment", "alliance_dynamics",
                                           "forms"]


def test_support_paid_pays_the_schedule_and_nothing_under_a_blockade():
    ctx, st, rec = _setup(us_amount=100.0)
    pv = _period(ctx)
    support_paid(ctx, st, pv, rec)
    assert pv.money_fp.shape == (R, 1, 2, 2)
    assert np.all(pv.money_fp[:, 0, 0, 0] > 0)                         # US money to Gov
    assert np.all(pv.mass_p[:, 0, 0, 0] > 0)                           # its mass effect on Gov
    st.punishing[:, 0, 0] = True                                       # US punishes: blockade of the ruler
    pv2 = _period(ctx)
    support_paid(ctx, st, pv2, rec)
    assert np.all(pv2.money_fp[:, 0, 0, 0] == 0)


def test_mass_support_shares_sum_to_one_and_money_raises_the_backed_faction():
    lo_ctx, lo_st, rec = _setup(us_amount=0.0)
    hi_ctx, hi_st, _ = _setup(us_amount=300.0)
    shares = []
    for ctx, st in ((lo_ctx, lo_st), (hi_ctx, hi_st)):
        pv = _period(ctx)
        support_paid(ctx, st, pv, rec)
        mass_support(ctx, st, pv, rec)
        assert np.allclose(pv.shares.sum(-1), 1.0)
        shares.append(pv.shares[:, 0, 0].mean())
    assert shares[1] > shares[0]


def test_contests_hold_the_scheduled_election_and_no_coups_when_e2_off():
    ctx, st, rec = _setup(disable={"E2", "E20"})                      # E20: no power grabs
    pv = _period(ctx, t=2)                                             # the election period
    _run_until(ctx, st, rec, pv, contests)
    assert (rec.first["election_won"][:, 0] == 2).all()
    assert (rec.first["coup_attempted"] < 0).all()
    ctx, st, rec = _setup(disable={"E2"})
    pv = _period(ctx, t=0)                                             # no election, no coups
    _run_until(ctx, st, rec, pv, contests)
    changed = st.ruling != pv.ruler_before
    assert np.array_equal(changed, rec.first["ousted_by_unrest"] == 0)


def test_precarity_without_outside_support_is_higher_and_in_unit_interval():
    ctx, st, rec = _setup(us_amount=300.0)
    pv = _period(ctx)
    _run_until(ctx, st, rec, pv, precarity)
    assert pv.prec_alone.shape == (R, 1) and pv.prec.shape == (R, 1)
    assert np.all((pv.prec_alone >= 0) & (pv.prec_alone <= 1))
    # the horizon compounds the per-period risk: H2's precarity is not below one period's
    assert pv.prec_alone.mean() >= pv.prec.mean()


def test_alignment_joins_only_from_non_aligned_and_records_formation():
    ctx, st, rec = _setup(us_amount=300.0)
    pv = _period(ctx)
    _run_until(ctx, st, rec, pv, alignment)
    assert pv.joins.any()
    assert np.all(st.aligned[pv.joins] < 2)
    assert np.array_equal(rec.first["alliance_formed"] == 0, pv.joins)


def test_alliance_dynamics_splits_only_members_and_estrangement_decays():
    ctx, st, rec = _setup(us_amount=600.0, tolerance=0.0)
    st.aligned[:] = 0                                                 # all start allied with the US
    st.ambition[:] = 5.0                                              # strong ambition: split hazard
    pv = _period(ctx)
    _run_until(ctx, st, rec, pv, precarity)
    pv.joins = np.zeros((R, 1), dtype=bool)
    pv.D, pv.Tthr = ctx.comp.disparity[0], ctx.comp.threat[0]
    pv.mis, pv.wed = ctx.comp.mistrust[0], ctx.comp.wedge[0]
    pv.open_p = np.ones((R, 1, 2), dtype=bool)
    alliance_dynamics(ctx, st, pv, rec)
    split = rec.first["split"][:, 0] == 0
    assert split.any()
    broken = split & (st.aligned[:, 0] == 2)
    assert np.all(st.estrangement[broken, 0, 0] == pytest.approx(1.0 - ctx.params.engine.reconcile_rate))


def test_record_writes_the_period_and_light_skips_reports():
    for light in (False, True):
        ctx, st, rec = _setup(light=light)
        pv = _period(ctx)
        _run_until(ctx, st, rec, pv, alliance_dynamics)
        out = Outputs(len(ctx.comp.periods), R, 1)
        record(ctx, st, pv, out)
        assert np.array_equal(out.ruling[0], st.ruling) and np.array_equal(out.aligned[0], st.aligned)
        if light:
            assert not out.prec_alone[0].any()
        else:
            assert np.array_equal(out.prec_alone[0], pv.prec_alone)


def test_simulate_records_the_horizon_precarity_per_period():
    params = ModelParams()
    comp = compile_scenario(build(), params)
    res = simulate(comp, params, 200, np.random.default_rng(1))
    T = len(comp.periods)
    assert res.prec_alone.shape == (T, 200, 1)
    assert np.all((res.prec_alone >= 0) & (res.prec_alone <= 1)) and res.prec_alone.any()


@settings(max_examples=40, deadline=None)
@given(aligned=st_arrays(np.int64, (5, 2), elements=st_integers(0, 3)))
def test_E21h_ruler_turned_away_marks_every_patron_but_the_ally(aligned) -> None:
    """E21h's kernel: a ruler allied with patron a is turned away from every other patron; a
    non-aligned ruler (index P) from none; switched off, None."""
    from types import SimpleNamespace

    from alliancelab.engine._steps_mechanisms import ruler_turned_away

    P = 3
    ctx = SimpleNamespace(shape=(5, 2, 2, P), off=lambda m: False)
    away = ruler_turned_away(ctx, SimpleNamespace(aligned=aligned))
    for r in range(5):
        for c in range(2):
            a = aligned[r, c]
            assert away[r, c].tolist() == [a < P and p != a for p in range(P)]
    off = SimpleNamespace(shape=(5, 2, 2, P), off=lambda m: m == "E21h")
    assert ruler_turned_away(off, SimpleNamespace(aligned=aligned)) is None


@settings(max_examples=30, deadline=None)
@given(loyalty=st_arrays(np.float64, (4, 2), elements=st_floats(0.0, 1.0)),
       ruling=st_arrays(np.int64, (4, 2), elements=st_integers(0, 2)),
       coercion=st_arrays(np.float64, (4, 2, 3), elements=st_floats(0.0, 1.0)))
def test_E20s_army_side_puts_the_disloyal_share_behind_the_strongest_challenger(loyalty, ruling, coercion) -> None:
    from types import SimpleNamespace

    from alliancelab.engine._steps_mechanisms import army_side

    act = np.ones((4, 2, 3), dtype=bool)
    ctx = SimpleNamespace(shape=(4, 2, 3, 2), off=lambda m: False, act=act)
    st = SimpleNamespace(extra={"loyalty": loyalty})
    side = army_side(ctx, st, SimpleNamespace(coercion=coercion), ruling)
    np.testing.assert_allclose(side.sum(-1), 1.0 - loyalty)              # all of the disloyal share ...
    assert (np.take_along_axis(side, ruling[..., None], -1) == 0).all()   # ... never on the ruler's side
    lead = side.argmax(-1)
    for r in range(4):
        for c in range(2):
            if loyalty[r, c] < 1.0:
                others = [f for f in range(3) if f != ruling[r, c]]
                assert coercion[r, c, lead[r, c]] == max(coercion[r, c, f] for f in others)
    for m in ("E20", "E20s"):
        off = SimpleNamespace(shape=(4, 2, 3, 2), off=lambda x, m=m: x == m, act=act)
        assert army_side(off, st, SimpleNamespace(coercion=coercion), ruling) is None


def test_E18_a_new_rulers_shocks_are_drawn_given_the_decision_it_made_under_the_treaty():
    """A ruler that took power in a treaty alliance re-decided it under utilities that include the
    treaty's commitment ``c`` (E18); its persistent shocks must follow from that decision. A later
    reason ``r < c`` against the patron then takes it out with the random-utility model's probability
    ``1 - P(keep | U + c - r) / P(keep | U + c)`` (the events are nested), not never, as when the
    shocks were drawn given the utilities without the commitment (the commitment counted twice)."""
    from alliancelab.engine._steps_alliance import _prefers_other

    runs = 20_000
    params = ModelParams()
    comp = compile_scenario(build(us_amount=100.0), params)
    ctx = SimContext.build(comp, params, runs, frozenset(), False)
    st = RunState.start(ctx)
    st.aligned[:] = 0                                       # in the US treaty
    st.ruling[:] = 1                                        # the opposition has just taken power
    c, r, beta = params.elite.treaty_commitment, 0.5 * params.elite.treaty_commitment, params.elite.logit_scale
    base = np.broadcast_to(np.array([0.0, 0.6, 0.3]), (runs, 1, 3)).copy()   # US, USSR, non-aligned
    bonus = np.array([c, 0.0, 0.0])
    reason = np.array([r, 0.0, 0.0])
    avail = np.ones((runs, 1, 3), dtype=bool)
    rng = np.random.default_rng(11)
    pv = PeriodVars.draw(0, ctx, rng, 11, rng.spawn(1)[0], 6, rng.spawn(1)[0])
    kept = _prefers_other(ctx, st, pv, base, base + bonus, avail, np.ones((runs, 1), dtype=bool))
    assert not kept.any()                                   # the same utilities never reverse the decision
    pv = PeriodVars.draw(1, ctx, rng, 11, rng.spawn(1)[0], 6, rng.spawn(1)[0])
    left = _prefers_other(ctx, st, pv, base - reason, base + bonus - reason, avail,
                          np.zeros((runs, 1), dtype=bool))
    keep = lambda u: np.exp(beta * u[0]) / np.exp(beta * u).sum()  # noqa: E731
    expected = 1.0 - keep(base[0, 0] + bonus - reason) / keep(base[0, 0] + bonus)
    se = np.sqrt(expected * (1.0 - expected) / runs)
    assert expected > 0.05
    assert abs(left.mean() - expected) < 4 * se, (left.mean(), expected)
