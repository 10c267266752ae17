"""Engine-level directions of the issue #10 mechanisms (E18-E22, Y13) on small built scenarios."""

from __future__ import annotations

import numpy as np
import pytest

from alliancelab.engine import compile_scenario, simulate
from alliancelab.scenario import parse_scenario
from alliancelab.theory.params import ModelParams

from ._build import base_dict

R = 1500
PARAMS = ModelParams()


def _sim(d: dict, disable=frozenset(), seed: int = 5):  # noqa: ANN001, ANN202
    comp = compile_scenario(parse_scenario(d, source="<test>"), PARAMS)
    return comp, simulate(comp, PARAMS, R, np.random.default_rng(seed), frozenset(disable))


def _with_support(d: dict, **item) -> dict:
    base = {"from": d["periods"][0], "to": d["periods"][-1]}
    base.update(item)
    d["support"].append(base)
    return d


def test_E22_intervention_lowers_coup_success_against_the_backed_ruler():
    def scen(amount: float) -> dict:
        d = base_dict(opp_coercion=0.8, gov_support=0.4)
        _with_support(d, patron="USSR", faction="Opp", instrument="armed_action_commitment", amount=0.8)
        if amount:
            _with_support(d, patron="US", faction="Gov", instrument="intervention", amount=amount)
        return d
    _, none = _sim(scen(0.0))
    _, some = _sim(scen(1.0))
    _, switched = _sim(scen(1.0), {"E22"})
    coup = lambda r: (r.first["coup_succeeded"][:, 0] >= 0).mean()  # noqa: E731
    assert coup(some) < coup(none) - 0.05
    assert coup(switched) == coup(none)                 # off: the intervention changes nothing
    assert (some.ruling[1, :, 0] == 0).mean() > (none.ruling[1, :, 0] == 0).mean()


def test_E22_intervention_raises_the_patrons_stake_in_the_alliance():
    d = base_dict(us_amount=5.0)
    _with_support(d, patron="US", faction="Gov", instrument="intervention", amount=1.0)
    _, on = _sim(d)
    _, off = _sim(d, {"E22"})
    assert (on.first["alliance_formed"][:, 0] >= 0).mean() >= (off.first["alliance_formed"][:, 0] >= 0).mean()


def test_E18_leaving_is_likelier_the_more_the_patron_backs_the_rulers_rivals():
    def scen(rival_money: float) -> dict:
        d = base_dict(us_amount=20.0, ussr_amount=0.0)
        d["clients"]["Client"]["aligned_with"] = "US"
        d["clients"]["Client"]["elections"] = []
        if rival_money:
            _with_support(d, patron="US", faction="Opp", instrument="covert_funding", amount=rival_money)
        return d
    left = [(_sim(scen(m), {"E2"})[1].first["split"][:, 0] == 0).mean() for m in (0.0, 40.0)]
    assert left[1] > left[0] + 0.05                    # the first period's exits, before any ouster
    _, on = _sim(scen(40.0))
    _, off = _sim(scen(40.0), {"E18"})
    assert (off.aligned[-1, :, 0] == 0).mean() > (on.aligned[-1, :, 0] == 0).mean()


def test_E18_a_client_of_a_passive_patron_without_an_alternative_offer_stays_in_its_treaty():
    """No aid, no hostility, no rival offer, no threat: nothing is a reason to leave, so the alliance of
    record lasts ten years (E18 with persistent shocks and a treaty's commitment; before, the yearly
    re-draw took such clients out within a year or two). Y6's dissolution hazard (its own route) is off."""
    d = base_dict(us_amount=0.0, ussr_amount=0.0, n_periods=10)
    d["support"] = []
    d["clients"]["Client"]["aligned_with"] = "US"
    d["clients"]["Client"]["elections"] = []                 # the same ruler throughout
    _, on = _sim(d, {"Y6"})
    same = (on.ruling[:, :, 0] == 0).all(0)                  # runs where the government kept power
    assert same.mean() > 0.5
    assert (on.first["alliance_left"][same, 0] >= 0).mean() < 0.02
    assert (on.aligned[-1, same, 0] == 0).mean() > 0.85      # the rest: Y4's counterweight route
    # a patron backing the ruler's rivals is still a reason: exits rise
    _with_support(d, patron="US", faction="Opp", instrument="covert_funding", amount=60.0)
    _, backed = _sim(d, {"Y6"})
    ever = lambda r: ((r.first["split"][:, 0] >= 0) | (r.first["alliance_left"][:, 0] >= 0)).mean()  # noqa: E731
    assert ever(backed) > ever(on) + 0.05


def test_Y14_an_unequal_alliance_whose_gap_narrows_breaks_more_than_one_at_parity():
    """Y2/Y11 through the patron's discipline (Y14): a client that joined far behind its patron and
    closes on it splits more often than the same alliance with a steady gap; an alliance between equals
    keeps ATOP's low termination rate (no narrowing, ~0.7 %/yr: under 10 % over ten years)."""
    def scen(late_power: float, early_power: float = 1.0) -> dict:
        d = base_dict(us_amount=0.0, ussr_amount=0.0, n_periods=10)
        d["support"] = []
        d["clients"]["Client"]["aligned_with"] = "US"
        d["clients"]["Client"]["elections"] = []
        d["clients"]["Client"]["power"] = {1950: {k: early_power for k in d["clients"]["Client"]["power"][1950]},
                                           1952: {k: late_power for k in d["clients"]["Client"]["power"][1950]}}
        return d
    split = lambda r: (r.first["split"][:, 0] >= 0).mean()  # noqa: E731
    _, steady = _sim(scen(1.0))
    _, closing = _sim(scen(7.0))
    _, closing_off = _sim(scen(7.0), {"Y14"})
    assert split(closing) > split(steady) + 0.1
    assert split(closing) > split(closing_off)
    _, equals = _sim(scen(10.0, 10.0), {"E11"})
    assert split(equals) < 0.1


def test_Y15_a_challenging_ally_that_closes_the_gap_is_disciplined_more():
    """Y15 (refining Y14): the same closing ally splits more often when it openly challenges its patron's
    leadership (a dated ``challenges`` item), more so the bolder the challenge; a challenge from an ally
    whose gap does not narrow changes nothing (it threatens no dominance); off, the challenge is ignored
    (the runs are those without it, common random numbers)."""
    def scen(late_power: float, level: float | None) -> dict:
        d = base_dict(us_amount=0.0, ussr_amount=0.0, n_periods=10)
        d["support"] = []
        d["clients"]["Client"]["aligned_with"] = "US"
        d["clients"]["Client"]["elections"] = []
        d["clients"]["Client"]["power"] = {1950: dict.fromkeys(d["clients"]["Client"]["power"][1950], 1.0),
                                           1952: dict.fromkeys(d["clients"]["Client"]["power"][1950],
                                                               late_power)}
        if level is not None:
            d["challenges"] = [{"patron": "US", "from": 1953, "to": 1959, "level": level}]
        return d
    split = lambda r: (r.first["split"][:, 0] >= 0).mean()  # noqa: E731
    _, none = _sim(scen(7.0, None))
    _, half = _sim(scen(7.0, 0.5))
    _, full = _sim(scen(7.0, 1.0))
    _, off = _sim(scen(7.0, 1.0), {"Y15"})
    assert split(full) > split(half) > split(none)
    assert split(full) > split(none) + 0.1
    assert np.array_equal(off.aligned, none.aligned)
    _, steady = _sim(scen(1.0, None))
    _, steady_ch = _sim(scen(1.0, 1.0))
    assert np.array_equal(steady_ch.aligned, steady.aligned)


def test_Y19_an_ally_that_closes_the_gap_in_one_field_is_disciplined_as_a_challenger():
    """Y19 (refining Y14, Y15): an ally that stays far behind in military and economic power but catches
    up with its patron's ideological appeal (China's "dual leadership", paper Y 4.2) moves the
    composite little, yet the patron senses the narrowing in that field: the challenging ally splits
    more often with Y19 than without; an ally whose every field stays as it was is unaffected."""
    def scen(late_ideology: float) -> dict:
        d = base_dict(us_amount=0.0, ussr_amount=0.0, n_periods=10)
        d["support"] = []
        d["clients"]["Client"]["aligned_with"] = "US"
        d["clients"]["Client"]["elections"] = []
        early = {"military": 1.0, "economic": 1.0, "ideological": 3.0, "cultural": 1.0, "institutional": 1.0}
        d["clients"]["Client"]["power"] = {1950: early, 1953: dict(early, ideological=late_ideology)}
        d["challenges"] = [{"patron": "US", "from": 1954, "to": 1959, "level": 1.0}]
        return d
    split = lambda r: (r.first["split"][:, 0] >= 0).mean()  # noqa: E731
    _, on = _sim(scen(10.0))
    _, off = _sim(scen(10.0), {"Y19"})
    assert split(on) > split(off) + 0.1
    _, steady_on = _sim(scen(3.0))
    _, steady_off = _sim(scen(3.0), {"Y19"})
    assert np.array_equal(steady_on.aligned, steady_off.aligned)


def test_E19_a_secure_ruler_takes_aid_far_beyond_need_without_aligning_and_splits_less():
    d = base_dict(us_amount=100.0, gov_support=0.8, n_periods=10)          # 5x the need of 20
    _, on = _sim(d)
    _, off = _sim(d, {"E19"})
    ever = lambda r: (r.first["alliance_formed"][:, 0] >= 0).mean()  # noqa: E731
    split = lambda r: (r.first["split"][:, 0] >= 0).mean()  # noqa: E731
    assert ever(on) < ever(off) - 0.1
    assert split(on) < split(off) - 0.1
    assert (on.form[-1, :, 0] == 1).mean() > 0.3                          # aid without alliance


def test_E19_forms_are_exclusive_and_tacit_needs_a_common_threat():
    d = base_dict(severity=0.9)
    d["mistrust"] = [{"between": ["Client", "US"], "level": 0.9}, {"between": ["Client", "USSR"], "level": 0.9}]
    _, res = _sim(d)
    assert set(np.unique(res.form)) <= {0, 1, 2, 3, 4}
    assert (res.form == 2).any()
    _, calm = _sim(base_dict())
    assert not (calm.form == 2).any()


def test_E20_power_grabs_need_coercion_and_bad_prospects():
    d = base_dict(gov_support=0.2, opp_coercion=0.05)
    d["clients"]["Client"]["factions"]["Gov"]["coercion"] = 0.95
    _, on = _sim(d)
    _, off = _sim(d, {"E20"})
    assert (on.first["power_grab"][:, 0] >= 0).mean() > 0.05
    assert (off.first["power_grab"][:, 0] >= 0).mean() == 0.0
    popular = base_dict(gov_support=0.9, opp_coercion=0.05)
    _, pop = _sim(popular)
    assert (pop.first["power_grab"][:, 0] >= 0).mean() < (on.first["power_grab"][:, 0] >= 0).mean()


def test_E20_army_loyalty_erodes_when_the_challenger_is_backed_and_the_ruler_is_not():
    d = base_dict(gov_support=0.3)
    _with_support(d, patron="USSR", faction="Opp", instrument="armed_action_commitment", amount=1.0)
    _, backed_rival = _sim(d)
    _, calm = _sim(base_dict(gov_support=0.3))
    assert backed_rival.army_loyalty[-1].mean() < calm.army_loyalty[-1].mean()
    d2 = base_dict(gov_support=0.3)
    _with_support(d2, patron="USSR", faction="Opp", instrument="armed_action_commitment", amount=1.0)
    _with_support(d2, patron="US", faction="Gov", instrument="intervention", amount=1.0)
    _, defended = _sim(d2)
    assert defended.army_loyalty[-1].mean() > backed_rival.army_loyalty[-1].mean()


def test_E20_scripted_defection_and_cancelled_election():
    d = base_dict()
    d["power_grabs"] = [{"date": d["periods"][1], "kind": "army_defection", "strength": 0.5},
                        {"date": d["periods"][2], "kind": "election_cancelled", "faction": "Gov"}]
    _, res = _sim(d)
    assert res.army_loyalty[1].mean() < 0.7              # half defected, partly recovered (adjust rate)
    held = res.first["election_won"][:, 0] >= 0
    gov_ruled = res.ruling[1, :, 0] == 0
    assert not held[gov_ruled].any()                                      # no election while Gov rules


def _rigged_count_arms(mech: str, gov_coercion: float | None = None):
    """A rigged count in the client's first election, simulated with ``mech`` on and off (same seed):
    the election's period, the runs where Gov "won" the count, and both arms' ousters by unrest then."""
    d = base_dict(gov_support=0.35, opp_coercion=0.05)
    if gov_coercion is not None:
        d["clients"]["Client"]["factions"]["Gov"]["coercion"] = gov_coercion
    t = d["clients"]["Client"]["elections"][0]
    d["power_grabs"] = [{"date": t, "kind": "election_rigged", "faction": "Gov", "strength": 0.3}]
    _, on = _sim(d)
    _, off = _sim(d, {mech})
    ti = d["periods"].index(t)
    kept = (on.first_label["election_won"][:, 0, 0] == ti)          # Gov "won" the rigged count
    ousted = lambda r: r.first_label["ousted_by_unrest"][:, 0, 1] == ti   # noqa: E731
    return d, ti, on, off, kept, ousted(on), ousted(off)


def test_E20r_a_rigged_election_the_ruler_keeps_raises_its_ouster_by_unrest_that_period():
    d, ti, on, off, kept, ousted_on, ousted_off = _rigged_count_arms("E20r")
    assert kept.mean() > 0.2
    # common random numbers: every ouster without the backlash happens with it too, and more do
    assert not (ousted_off & ~ousted_on).any()
    assert ousted_on[kept].mean() > ousted_off[kept].mean()
    # same draws before the election: switching E20r moves nothing earlier
    assert np.array_equal(on.ruling[:ti], off.ruling[:ti])
    clean = base_dict(gov_support=0.35, opp_coercion=0.05)
    _, c_on = _sim(clean)
    _, c_off = _sim(clean, {"E20r"})
    assert np.array_equal(c_on.ruling, c_off.ruling)                # no rigging: nothing changes


def test_E20r_a_legislative_election_never_replaces_the_ruler_but_a_rigged_one_sparks_protest():
    d = base_dict(gov_support=0.35, opp_coercion=0.05)
    t = d["clients"]["Client"]["elections"][0]
    d["clients"]["Client"]["elections"] = []
    d["clients"]["Client"]["legislative_elections"] = [t]
    comp, res = _sim(d)
    ti = d["periods"].index(t)
    assert comp.legislative_due[ti, 0] and not comp.election_due.any()
    assert (res.first["election_won"] < 0).all()                     # no contest for power
    rigged = dict(d, power_grabs=[{"date": t, "kind": "election_rigged", "faction": "Gov",
                                   "strength": 0.3}])
    _, on = _sim(rigged)
    _, off = _sim(rigged, {"E20r"})
    assert np.array_equal(res.ruling, off.ruling)                     # rigging alone changes nothing
    ousted = lambda r: r.first_label["ousted_by_unrest"][:, 0, 1] == ti   # noqa: E731
    assert not (ousted(off) & ~ousted(on)).any()
    assert ousted(on).mean() > ousted(off).mean()


def test_E20r_one_backlash_a_period_when_a_legislature_votes_with_the_executive():
    d = base_dict(gov_support=0.35, opp_coercion=0.05)
    t = d["clients"]["Client"]["elections"][0]
    d["power_grabs"] = [{"date": t, "kind": "election_rigged", "faction": "Gov", "strength": 0.3}]
    both = dict(d, clients={"Client": dict(d["clients"]["Client"], legislative_elections=[t])})
    _, exec_only = _sim(d)
    _, with_leg = _sim(both)
    assert np.array_equal(exec_only.ruling, with_leg.ruling)


def test_E20f_a_stolen_count_ousts_a_repressive_ruler_more_often_that_period_only():
    # Gov's repression (0.8) deters ordinary unrest
    d, ti, on, off, kept, ousted_on, ousted_off = _rigged_count_arms("E20f", gov_coercion=0.8)
    assert kept.mean() > 0.2
    # common random numbers: every ouster without E20f happens with it too, and more do
    assert not (ousted_off & ~ousted_on).any()
    assert ousted_on[kept].mean() > ousted_off[kept].mean() + 0.05
    assert np.array_equal(on.ruling[:ti], off.ruling[:ti])            # nothing moves before the count
    clean = base_dict(gov_support=0.35, opp_coercion=0.05)
    _, c_on = _sim(clean)
    _, c_off = _sim(clean, {"E20f"})
    assert np.array_equal(c_on.ruling, c_off.ruling)                # no rigging: nothing changes
    _, r_off = _sim(d, {"E20r"})                                     # the focal point needs E20r's stolen count
    _, r_both = _sim(d, {"E20r", "E20f"})
    assert np.array_equal(r_off.ruling, r_both.ruling)


def test_E21_sanctions_lower_the_rulers_support_and_raise_its_precarity():
    d = base_dict()
    _with_support(d, patron="USSR", faction="ruling", instrument="sanctions", amount=300.0)
    _, on = _sim(d)
    _, off = _sim(d, {"E21"})
    assert on.ruler_share[2].mean() < off.ruler_share[2].mean()
    assert on.prec_alone[3].mean() > off.prec_alone[3].mean()


def test_Y13_a_threat_to_the_client_alone_reaches_table_1s_high_threat_cells():
    d = base_dict()
    d["threats"] = [{"actor": "Rival", "targets": ["Client"], "from": d["periods"][0], "severity": 0.9,
                     "imminence": 1.0, "clarity": 1.0}]
    comp, on = _sim(d)
    _, off = _sim(d, {"Y13"})
    high = lambda r: np.isin(r.atype[-1, :, 0], (0, 1)).mean()  # noqa: E731   strong or unstable
    assert comp.y13["threat"].max() >= PARAMS.disparity.t_star > comp.threat.max()
    assert high(on) > 0.1 and high(off) == 0.0


@pytest.mark.xfail(strict=True, reason=(
    "E18 reverses Y13's later-period effect (docs/theory.md, Y13 'Open finding'): the first choice "
    "follows Y13 (US 0.93 with Y13 vs 0.75 without, period 1), but an opposition that wins the 1952 "
    "election inherits the US treaty, Y13 makes it keep it more often, and E18's abandonment then "
    "pushes it out in a crisis and the US punishes; final-period US 0.174 with Y13 vs 0.189 without "
    "(6,000 runs, seeds 5, 1, 2; same sign each time). With E18 off in both arms the direction holds "
    "(0.232 vs 0.216). The suspected cause (a new ruler's persistent shocks drawn given utilities "
    "without the treaty's commitment) was a bug, fixed in session 11, but the reversal remains: US "
    "0.172 vs 0.189 after the fix (6,000 runs, seed 5)."))
def test_Y13_per_target_severity_and_a_threatening_patron_loses_appeal():
    d = base_dict()
    d["threats"] = [{"actor": "USSR", "targets": ["Client"], "from": d["periods"][0], "severity": 0.9,
                     "imminence": 0.9, "clarity": 0.9, "severity_by_target": {"Client": 0.9}}]
    _, on = _sim(d)
    _, off = _sim(d, {"Y13"})
    assert (on.aligned[-1, :, 0] == 1).mean() <= (off.aligned[-1, :, 0] == 1).mean()
    assert (on.aligned[-1, :, 0] == 0).mean() >= (off.aligned[-1, :, 0] == 0).mean()


def test_E19_tacit_replaces_formal_alignment_as_mistrust_rises_under_an_imminent_threat():
    def scen(level: float) -> dict:
        d = base_dict(severity=0.9, us_amount=5.0)
        d["mistrust"] = [{"between": ["Client", "US"], "level": level}]
        return d
    _, low = _sim(scen(0.1))
    _, high = _sim(scen(0.9))
    tacit = lambda r: (r.form[-1, :, 0] == 2).mean()  # noqa: E731
    formal = lambda r: (r.aligned[-1, :, 0] == 0).mean()  # noqa: E731
    assert tacit(high) > tacit(low)
    assert formal(high) < formal(low)


def test_E19_both_patrons_needs_rival_bidders_and_a_secure_ruler():
    def scen(ussr_money: float, gov_support: float) -> dict:
        d = base_dict(us_amount=40.0, ussr_amount=0.0, gov_support=gov_support)
        if ussr_money:
            _with_support(d, patron="USSR", faction="Gov", instrument="economic_aid", amount=ussr_money)
        else:
            d["patrons"]["USSR"]["interest"] = 0.0          # the USSR neither bids nor allies
        return d
    both = lambda r: (r.form[-1, :, 0] == 4).mean()  # noqa: E731
    _, one_bidder = _sim(scen(0.0, 0.85))
    _, secure = _sim(scen(40.0, 0.85))
    _, precarious = _sim(scen(40.0, 0.35))
    assert both(one_bidder) == 0.0
    assert both(secure) > 0.05
    assert both(precarious) < both(secure)


def test_a_compiled_scenario_without_the_new_fields_still_simulates():
    import dataclasses

    comp, _ = _sim(base_dict())
    bare = dataclasses.replace(comp, pressure=None, intervention=None, y13=None, army_loyalty0=None,
                               form0=None, second0=None, neutral_treaty=None, grabs=())
    res = simulate(bare, PARAMS, 100, np.random.default_rng(1))
    assert res.form is not None and res.army_loyalty.shape == res.aligned.shape


def test_support_to_whoever_rules_follows_the_ruler():
    d = base_dict(us_amount=0.0, gov_support=0.5)
    _with_support(d, patron="US", faction="ruling", instrument="economic_aid", amount=100.0)
    comp, res = _sim(d)
    assert comp.support_ruling is not None and comp.support_ruling.sum() > 0
    named = base_dict(us_amount=0.0, gov_support=0.5)
    _with_support(named, patron="US", faction="Gov", instrument="economic_aid", amount=100.0)
    _, res_named = _sim(named)
    # in the first period the incumbent rules in every run: the same payment, the same history
    assert np.array_equal(res.ruling[0], res_named.ruling[0])
    assert np.allclose(res.ruler_share[0], res_named.ruler_share[0])
    # later, a new ruler is paid too: its mass support is higher than when the money stays with Gov
    new = res.ruling[-1, :, 0] == 1
    new_named = res_named.ruling[-1, :, 0] == 1
    assert res.ruler_share[-1, new, 0].mean() > res_named.ruler_share[-1, new_named, 0].mean()


def test_E20_defection_likelier_when_a_stronger_patron_backs_the_challenger():
    def scen(ussr_power: float) -> dict:
        d = base_dict(gov_support=0.3)
        d["patrons"]["USSR"]["power"] = {1950: {k: ussr_power for k in
                                                ("military", "economic", "ideological", "cultural", "institutional")}}
        _with_support(d, patron="USSR", faction="Opp", instrument="armed_action_commitment", amount=1.0)
        _with_support(d, patron="US", faction="Gov", instrument="armed_action_commitment", amount=0.3)
        return d
    _, weak = _sim(scen(2.0))
    _, strong = _sim(scen(30.0))
    assert strong.army_loyalty[1:].mean() < weak.army_loyalty[1:].mean()


def test_E19_the_form_follows_the_rulers_need_not_the_amount_of_aid():
    """H2 with E19: a secure ruler (popular, holding the guns, no threat) takes generous aid without a
    treaty about as often as modest aid -- the money arrives either way -- and a precarious one signs."""
    def scen(amount: float, gov_support: float, opp_coercion: float) -> dict:
        d = base_dict(us_amount=amount, gov_support=gov_support, opp_coercion=opp_coercion, n_periods=10)
        d["clients"]["Client"]["elections"] = []
        return d
    ever = lambda r: (r.first["alliance_formed"][:, 0] >= 0).mean()  # noqa: E731
    aid = lambda r: (r.first["aid_without_alliance"][:, 0] >= 0).mean()  # noqa: E731
    split = lambda r: (r.first["split"][:, 0] >= 0).mean()  # noqa: E731
    _, modest = _sim(scen(20.0, 0.9, 0.05))            # aid = need
    _, large = _sim(scen(100.0, 0.9, 0.05))            # 5x need
    _, large_off = _sim(scen(100.0, 0.9, 0.05), {"E19"})
    assert abs(ever(large) - ever(modest)) < 0.05       # the amount of aid does not buy the treaty
    assert ever(large) < 0.5 < ever(large_off)
    assert aid(large) > 0.5
    assert split(large) < split(large_off) - 0.5        # E11's split needs a treaty to break
    _, precarious = _sim(scen(100.0, 0.35, 0.6))
    assert ever(precarious) > ever(large) + 0.3


def test_E19_a_common_threat_makes_a_secure_ruler_sign():
    def scen(severity: float) -> dict:
        d = base_dict(us_amount=100.0, gov_support=0.9, opp_coercion=0.05, n_periods=10, severity=severity)
        d["clients"]["Client"]["elections"] = []
        return d
    ever = lambda r: (r.first["alliance_formed"][:, 0] >= 0).mean()  # noqa: E731
    _, calm = _sim(scen(0.0))
    _, threatened = _sim(scen(0.9))
    assert ever(threatened) > ever(calm) + 0.2


def test_E13b_a_rival_bidder_keeps_a_ruler_out_of_the_first_bidders_camp():
    """E13b: with the USSR also paying the state (faction: ruling), joining the US would end the Soviet
    aid (E21h), so the ruler joins the US less often than when it ignores that; without a rival
    bidder nothing changes (a precarious ruler with one patron still seeks it, H2)."""
    def scen(rival: float) -> dict:
        d = base_dict(us_amount=60.0, ussr_amount=0.0, gov_support=0.5, opp_coercion=0.5, n_periods=8)
        d["clients"]["Client"]["elections"] = []
        if rival:
            _with_support(d, patron="USSR", faction="ruling", instrument="economic_aid", amount=rival)
        return d
    joined_us = lambda r: (r.first_label["alliance_formed"][:, 0, 0] >= 0).mean()  # noqa: E731
    _, rival_on = _sim(scen(40.0))
    _, rival_off = _sim(scen(40.0), {"E13b"})
    assert joined_us(rival_on) < joined_us(rival_off) - 0.05
    # ... and spends fewer periods in the US camp
    in_us = lambda r: (r.aligned[:, :, 0] == 0).mean()  # noqa: E731
    assert in_us(rival_on) < in_us(rival_off) - 0.02
    _, alone_on = _sim(scen(0.0))
    _, alone_off = _sim(scen(0.0), {"E13b"})
    # one bidder: no rival pays the state, so nothing is forfeited and nothing changes
    assert np.array_equal(alone_on.aligned, alone_off.aligned)
    assert joined_us(alone_on) > joined_us(rival_on) + 0.2          # the precarious ruler seeks its patron


def test_E13p_a_patron_that_is_no_rival_keeps_paying_so_joining_its_friend_forfeits_nothing():
    """E13p: with the US and the USSR listed as no rivals (each leaves the other out of its ``rivals``),
    joining the US keeps the Soviet aid to the state, so E13b forfeits nothing and the ruler joins the
    US more often than when every other patron counts as a rival (E13p off); without a ``rivals`` list
    E13p changes nothing."""
    def scen(lists: bool) -> dict:
        d = base_dict(us_amount=60.0, ussr_amount=0.0, gov_support=0.5, opp_coercion=0.5, n_periods=8)
        d["clients"]["Client"]["elections"] = []
        _with_support(d, patron="USSR", faction="ruling", instrument="economic_aid", amount=40.0)
        if lists:
            d["patrons"]["US"]["rivals"] = []
            d["patrons"]["USSR"]["rivals"] = []
        return d
    joined_us = lambda r: (r.first_label["alliance_formed"][:, 0, 0] >= 0).mean()  # noqa: E731
    comp, friends_on = _sim(scen(True))
    assert comp.rivals is not None and not comp.rivals.any()
    _, friends_off = _sim(scen(True), {"E13p"})
    assert joined_us(friends_on) > joined_us(friends_off) + 0.05
    # the Soviet aid reaches a government allied with the US (E21h stops only a rival's camp)
    in_us = lambda r: (r.aligned[:, :, 0] == 0).mean()  # noqa: E731
    assert in_us(friends_on) > in_us(friends_off) + 0.02
    comp, plain_on = _sim(scen(False))
    assert comp.rivals is None
    _, plain_off = _sim(scen(False), {"E13p"})
    assert np.array_equal(plain_on.aligned, plain_off.aligned)


def test_E21h_a_donor_stops_paying_a_government_allied_with_its_rival():
    """Aid to the state (faction: ruling) from the US does not reach a ruler allied with the USSR, so it
    no longer pulls that ruler to the US (H1); switched off, the aid follows whoever rules."""
    def scen() -> dict:
        d = base_dict(us_amount=0.0, ussr_amount=0.0, gov_support=0.7)
        d["clients"]["Client"]["aligned_with"] = "USSR"
        d["clients"]["Client"]["elections"] = []
        _with_support(d, patron="US", faction="ruling", instrument="economic_aid", amount=200.0)
        _with_support(d, patron="USSR", faction="ruling", instrument="economic_aid", amount=20.0)
        return d
    _, on = _sim(scen())
    _, off = _sim(scen(), {"E21h"})
    # the US aid no longer buys the ruler mass support (E3) while it is allied with the USSR ...
    assert on.ruler_share[2].mean() < off.ruler_share[2].mean() - 0.02
    # ... nor a share of its support (H1), so it stays with the USSR at least as often
    assert (on.aligned[-1, :, 0] == 1).mean() >= (off.aligned[-1, :, 0] == 1).mean()
    # a non-aligned ruler is paid either way: same first period
    d = scen()
    d["clients"]["Client"]["aligned_with"] = None
    _, na_on = _sim(d)
    _, na_off = _sim(d, {"E21h"})
    assert na_on.ruler_share[0].mean() == pytest.approx(na_off.ruler_share[0].mean())


def test_E20s_a_disloyal_army_stays_disloyal_and_its_officers_try_coups():
    """E20s: with army_loyalty 0.5 the army stays near its own level instead of drifting back to full
    loyalty, and the strongest challenger (the officers) attempts coups without a foreign backer."""
    def scen(loyalty: float | None) -> dict:
        d = base_dict(gov_support=0.6, opp_coercion=0.45, n_periods=8, us_amount=20.0)
        d["clients"]["Client"]["elections"] = []
        d["clients"]["Client"]["army_loyalty"] = loyalty
        return d
    _, on = _sim(scen(0.5))
    _, off = _sim(scen(0.5), {"E20s"})
    sitting = on.ruling[-1, :, 0] == 0
    assert on.army_loyalty[-1, sitting, 0].mean() < 0.6 < off.army_loyalty[-1, off.ruling[-1, :, 0] == 0, 0].mean()
    tried = lambda r: (r.first["coup_attempted"][:, 0] >= 0).mean()  # noqa: E731
    assert tried(on) > tried(off) + 0.05
    # without the fact the army is fully loyal and E20s changes nothing
    _, loyal_on = _sim(scen(None))
    _, loyal_off = _sim(scen(None), {"E20s"})
    assert np.array_equal(loyal_on.ruling, loyal_off.ruling)


def test_Y13p_the_patron_accepts_less_when_the_clients_enemy_does_not_threaten_it():
    """Paper Y 4.1: both sides must face the common threat. A client without a backer (no H1 stake, so
    the patron accepts by paper Y's formation alone) under a grave threat forms an alliance less often
    when the threat is aimed at the client alone than when the patrons are targets too; with Y13p off the
    patrons read the client's dyad threat, and where they are targets Y13p changes nothing (same draws)."""
    def scen(patron_targeted: bool) -> dict:
        d = base_dict(us_amount=0.0, ussr_amount=0.0, n_periods=6)
        d["support"] = []
        d["clients"]["Client"]["elections"] = []
        targets = ["Client", "US", "USSR"] if patron_targeted else ["Client"]
        d["threats"] = [{"actor": "Rival", "targets": targets, "from": d["periods"][0], "severity": 0.9,
                         "imminence": 0.8, "clarity": 0.8}]
        return d
    formed = lambda r: (r.first["alliance_formed"][:, 0] == 0).mean()  # noqa: E731   in the first year
    comp_alone, alone = _sim(scen(False))
    comp_both, both = _sim(scen(True))
    _, alone_off = _sim(scen(False), {"Y13p"})
    _, both_off = _sim(scen(True), {"Y13p"})
    # the client's own reading (Y13) is the same in both: the threat to it counts fully
    assert np.allclose(comp_alone.y13["threat"], comp_both.y13["threat"])
    assert comp_alone.y13["threat_patron"][0, 0, 0] < comp_both.y13["threat_patron"][0, 0, 0]
    assert formed(alone) < formed(both) - 0.05
    assert formed(alone) < formed(alone_off)
    assert formed(both) == formed(both_off)                # the patron targeted too: nothing changes


def test_Y13p_a_threat_to_the_patron_alone_is_no_common_enemy():
    """Y13p counts fully only the common enemy: a threat aimed at the patrons alone counts at the
    single-target weight from the patron's seat too (the first version counted it fully, so in the 1913
    world every threatened major accepted every small state); formation is as with Y13p off."""
    def scen() -> dict:
        d = base_dict(us_amount=0.0, ussr_amount=0.0, n_periods=6)
        d["support"] = []
        d["clients"]["Client"]["elections"] = []
        d["threats"] = [{"actor": "Rival", "targets": ["US", "USSR"], "from": d["periods"][0], "severity": 0.9,
                         "imminence": 0.8, "clarity": 0.8}]
        return d
    comp, on = _sim(scen())
    _, off = _sim(scen(), {"Y13p"})
    tp, tc = comp.y13["threat_patron"][0, 0], comp.y13["threat"][0, 0]
    assert np.all(tp > 0) and np.allclose(tp, tc)          # half of the patrons' own exposure, both seats
    assert np.array_equal(on.first["alliance_formed"], off.first["alliance_formed"])


def test_E9s_a_secure_ruler_stays_non_aligned_more_often_a_precarious_one_still_seeks_its_patron():
    """E9s: H2's security term is the security the support buys (E.security_gain), never more than
    the ruler's precarity alone, so a popular, well-armed ruler facing a weak opposition, whose risk
    the US money barely moves, stays out of the US camp more often than under the horizon precarity
    alone; a ruler facing an armed opposition that the support keeps afloat still seeks the US about
    as often, and far more often than the secure one (H2's monotonicity)."""
    def scen(gov: float, gov_coercion: float, opp_coercion: float, us: float) -> dict:
        d = base_dict(us_amount=us, ussr_amount=0.0, gov_support=gov, opp_coercion=opp_coercion, n_periods=8)
        d["clients"]["Client"]["factions"]["Gov"]["coercion"] = gov_coercion
        d["clients"]["Client"]["elections"] = []
        d["clients"]["Client"]["aid_need"] = 5000          # support within need: no E11 ambition
        return d
    non_aligned = lambda r: (r.aligned[:, :, 0] == 2).mean()  # noqa: E731
    with_us = lambda r: (r.aligned[-1, :, 0] == 0).mean()  # noqa: E731
    _, secure_on = _sim(scen(0.75, 0.8, 0.05, 100.0))
    _, secure_off = _sim(scen(0.75, 0.8, 0.05, 100.0), {"E9s"})
    assert non_aligned(secure_on) > non_aligned(secure_off) + 0.015
    _, shaky_on = _sim(scen(0.55, 0.2, 0.6, 200.0))
    _, shaky_off = _sim(scen(0.55, 0.2, 0.6, 200.0), {"E9s"})
    assert shaky_on.prec_alone.mean() > secure_on.prec_alone.mean() + 0.2     # the precarious one
    assert with_us(shaky_on) > with_us(shaky_off) - 0.03
    assert with_us(shaky_on) > with_us(secure_on) + 0.2


def test_Y16_mistrust_delays_the_treaty_a_willing_patron_has_opened_talks_for():
    """Y16: with mistrust between the client and its patron the first alliance comes later (the talks
    take time) and less of it falls in the first period than with Y16 off; a graver common threat
    shortens the talks (Yu 4.1: the threat overcame the mistrust); without any friction the talks
    conclude at once and the histories equal Y16 off (common random numbers)."""
    def scen(mistrust: float, severity: float = 0.0) -> dict:
        d = base_dict(us_amount=30.0, gov_support=0.45, n_periods=8, severity=severity)
        d["clients"]["Client"]["elections"] = []
        if mistrust:
            d["mistrust"] = [{"between": ["Client", "US"], "level": mistrust}]
        return d

    def first_year(r) -> np.ndarray:  # noqa: ANN001
        f = r.first_label["alliance_formed"][:, 0, 0]
        return f[f >= 0]
    _, on = _sim(scen(0.8))
    _, off = _sim(scen(0.8), {"Y16"})
    assert first_year(on).size > 100 and first_year(off).size > 100
    assert first_year(on).mean() > first_year(off).mean() + 0.3
    assert (first_year(on) == 0).mean() < (first_year(off) == 0).mean() - 0.05
    _, grave = _sim(scen(0.8, severity=0.9))
    _, grave_off = _sim(scen(0.8, severity=0.9), {"Y16"})
    delay = lambda a, b: first_year(a).mean() - first_year(b).mean()  # noqa: E731
    assert delay(grave, grave_off) < delay(on, off)
    _, free = _sim(scen(0.0))
    _, free_off = _sim(scen(0.0), {"Y16"})
    assert np.array_equal(free.aligned, free_off.aligned)


def test_Y16_talks_opened_with_a_mid_period_offer_have_only_the_rest_of_that_period():
    """Y16: with mistrust, an option that opens in October of a period yields fewer treaties in that
    period than one open from the period's start (same draws); with Y16 off the date inside the
    period makes no difference (the option is open for the whole period, as before)."""
    def scen(opens) -> dict:  # noqa: ANN001
        d = base_dict(us_amount=30.0, gov_support=0.45, n_periods=6)
        d["clients"]["Client"]["elections"] = []
        d["mistrust"] = [{"between": ["Client", "US"], "level": 0.5}]
        d["patrons"]["US"]["alliance_from"] = opens
        return d
    in_1951 = lambda r: (r.first_label["alliance_formed"][:, 0, 0] == 1).mean()  # noqa: E731
    _, start = _sim(scen(1951))
    _, late = _sim(scen("1951-10-01"))
    assert in_1951(late) < in_1951(start) - 0.05
    _, start_off = _sim(scen(1951), {"Y16"})
    _, late_off = _sim(scen("1951-10-01"), {"Y16"})
    assert np.array_equal(start_off.aligned, late_off.aligned)


def test_Y21_a_patron_willing_through_its_stake_overcomes_the_mistrust_sooner():
    """Y21: a patron that pays the ruler (H1's stake) and faces no common threat concludes the talks
    sooner than with Y21 off, where their pace reads paper Y's small will alone (same draws); no money (no stake above paper Y's will) gives the histories of Y21 off exactly."""
    def scen(amount: float) -> dict:
        d = base_dict(us_amount=amount, gov_support=0.6, n_periods=8)
        d["clients"]["Client"]["elections"] = []
        d["mistrust"] = [{"between": ["Client", "US"], "level": 0.8}]
        return d

    def first_year(r) -> np.ndarray:  # noqa: ANN001
        f = r.first_label["alliance_formed"][:, 0, 0]
        return np.where(f >= 0, f, 99)
    _, on = _sim(scen(30.0))
    _, off = _sim(scen(30.0), {"Y21"})
    assert (first_year(off) < 99).sum() > 100
    assert first_year(on).mean() < first_year(off).mean() - 0.3
    assert (first_year(on) < 99).mean() >= (first_year(off) < 99).mean()
    _, bare = _sim(scen(0.0))
    _, bare_off = _sim(scen(0.0), {"Y21"})
    assert np.array_equal(bare.aligned, bare_off.aligned)


def _affront_arms(faction: str):
    """A client allied with the US whose ruler (Gov) the US sanctions from the third period, by name
    (``faction: Gov``) or as the state (``faction: ruling``), simulated with E21c on and off."""
    d = base_dict(us_amount=10.0)
    d["clients"]["Client"]["aligned_with"] = "US"
    _with_support(d, patron="US", faction=faction, instrument="sanctions", amount=50.0, **{"from": 1952})
    _, on = _sim(d)
    _, off = _sim(d, {"E21c"})
    split = lambda r: r.first_label["split"][:, 0, 0]   # noqa: E731  first split with the US
    return on, off, split(on), split(off)


def test_E21c_an_allys_sanction_of_the_ruler_by_name_brings_the_alliance_crisis_forward():
    on, off, s_on, s_off = _affront_arms("Gov")
    # same draws: the affront only adds to the crisis hazard, so no run's first crisis comes later
    ever_off = s_off >= 0
    assert np.all((s_on >= 0)[ever_off]) and np.all(s_on[ever_off] <= s_off[ever_off])
    calm = (s_off < 0) | (s_off >= 2)                          # no crisis before the sanction
    assert calm.mean() > 0.3
    assert (s_on[calm] == 2).mean() > (s_off[calm] == 2).mean() + 0.1   # the crisis comes with it
    assert np.array_equal(on.aligned[:2], off.aligned[:2])      # nothing moves before the sanction


def test_E21c_pressure_on_the_state_is_no_affront():
    on, off, s_on, s_off = _affront_arms("ruling")
    assert np.array_equal(s_on, s_off) and np.array_equal(on.aligned, off.aligned)


def test_Y17_an_alliance_lapses_at_its_terms_end_unless_both_sides_renew_it():
    """Y17: an alliance of record whose treaty's term ends in 1953 is less often in force afterwards than
    the same alliance without a term (the lapse is recorded as ``alliance_left`` in that period); a grave
    common threat makes renewal likelier (paper Y: the alliance rests on the common threat); off, or with
    the client not allied then, the term changes nothing (common random numbers)."""
    def scen(term: bool, severity: float = 0.0, aligned: str | None = "US") -> dict:
        d = base_dict(us_amount=0.0, ussr_amount=0.0, n_periods=8, severity=severity)
        d["support"] = []
        d["clients"]["Client"]["aligned_with"] = aligned
        d["clients"]["Client"]["elections"] = []
        if term:
            d["treaty_terms"] = [{"patron": "US", "expires": "1953-06", "source": "test"}]
        return d
    t3 = 3
    _, none = _sim(scen(False))
    _, term = _sim(scen(True))
    _, off = _sim(scen(True), {"Y17"})
    held = lambda r: (r.aligned[t3 - 1, :, 0] == 0)  # noqa: E731  (allied with the US before the term's end)
    after = lambda r: (r.aligned[t3, held(r), 0] == 0).mean()  # noqa: E731
    assert held(term).mean() > 0.5
    assert after(term) < after(none) - 0.1
    lapsed = term.first_label["alliance_left"][:, 0, 0] == t3
    assert lapsed.mean() > 0.1 and (none.first_label["alliance_left"][:, 0, 0] == t3).mean() < lapsed.mean()
    assert np.array_equal(off.aligned, none.aligned) and np.array_equal(off.ruling, none.ruling)
    _, grave = _sim(scen(True, severity=0.9))
    _, grave_none = _sim(scen(False, severity=0.9))
    assert after(grave) > after(term)
    assert after(grave_none) - after(grave) < after(none) - after(term)   # the threat carries the renewal
    _, free = _sim(scen(False, aligned=None))
    _, free_term = _sim(scen(True, aligned=None))
    # a client not allied when the term ends: only the runs allied with the US then can differ
    allied_then = (free.aligned[t3, :, 0] == 0) | (free_term.aligned[t3, :, 0] == 0)
    assert np.array_equal(free.aligned[:t3], free_term.aligned[:t3])
    assert np.array_equal(free.aligned[:, ~allied_then], free_term.aligned[:, ~allied_then])


def test_E11m_aid_far_beyond_need_splits_an_alliance_less_when_it_is_market_borrowing():
    """E11m: the same money far beyond the client's need builds ambition and splits the alliance (E11)
    when a patron grants it, less when it is the client's borrowing on the patron's bond market
    (``market: true``); off, the market flag changes nothing (common random numbers)."""
    def scen(market: bool) -> dict:
        d = base_dict(us_amount=0.0, ussr_amount=0.0, n_periods=8)
        d["support"] = [{"id": "loans", "from": 1950, "to": 1957, "patron": "US", "faction": "ruling",
                         "instrument": "economic_aid", "amount": 300.0, "visibility": 0.2, "breadth": 0.2,
                         "market": market}]
        d["clients"]["Client"]["aligned_with"] = "US"
        d["clients"]["Client"]["elections"] = []
        return d
    split = lambda r: (r.first["split"][:, 0] >= 0).mean()  # noqa: E731
    _, grant = _sim(scen(False))
    _, market = _sim(scen(True))
    _, off = _sim(scen(True), {"E11m"})
    assert split(grant) > split(market) + 0.05
    assert np.array_equal(off.aligned, grant.aligned) and np.array_equal(off.ruling, grant.ruling)
    # the market money still ties the ruler to the lender (H1): the alliance holds at least as often
    assert (market.aligned[-1, :, 0] == 0).mean() >= (grant.aligned[-1, :, 0] == 0).mean()


def test_Y18_a_tolerant_patron_without_a_lever_tolerates_defiance_a_lever_restores_punishment():
    """Y18: among an ally's crises the patron punishes fewer when it tolerates its allies' autonomy and
    has no faction to install (the E12 coup it could instigate would fail), and more again when the
    ruling party holds many of its men; with no tolerance (a Stalin-era patron) the runs are those
    with Y18 off (common random numbers)."""
    def scen(tolerance: float, pro: float) -> dict:
        d = base_dict(us_amount=0.0, ussr_amount=0.0, n_periods=10, tolerance=tolerance)
        d["support"] = []
        d["clients"]["Client"]["aligned_with"] = "US"
        d["clients"]["Client"]["elections"] = []
        d["clients"]["Client"]["factions"]["Gov"]["pro_patron_share"] = {"US": pro}
        return d

    def punished_share(r) -> float:  # noqa: ANN001
        split = r.first["split"][:, 0] >= 0
        assert split.sum() > 40                              # enough crises to compare
        return float((r.first["punishment"][:, 0] >= 0)[split].mean())
    _, off = _sim(scen(0.5, 0.0), {"Y18"})
    _, no_lever = _sim(scen(0.5, 0.0))
    _, lever = _sim(scen(0.5, 1.0))
    assert punished_share(no_lever) < punished_share(off) - 0.2
    assert punished_share(lever) > punished_share(no_lever) + 0.1
    _, stalin = _sim(scen(0.0, 0.0))
    _, stalin_off = _sim(scen(0.0, 0.0), {"Y18"})
    assert np.array_equal(stalin.aligned, stalin_off.aligned)
    assert np.array_equal(stalin.first["punishment"], stalin_off.first["punishment"])


def test_E1m_a_ruler_the_voters_put_in_is_more_popular_and_keeps_power_more_often():
    d = base_dict(gov_support=0.5, opp_coercion=0.05)
    p = d["periods"]
    d["clients"]["Client"]["elections"] = [p[2], p[4]]
    _, on = _sim(d)
    _, off = _sim(d, {"E1m"})
    assert np.array_equal(on.ruling[0], off.ruling[0])        # nothing moves before a ruler changes
    # runs where the first ruler sat until the election: the same histories until the vote
    sat = (on.ruling[:2, :, 0] == 0).all(0)
    assert np.array_equal(on.ruling[:3, sat], off.ruling[:3, sat])
    voted_in = sat & (on.first["election_won"][:, 0] == 2) & (on.ruling[2, :, 0] != 0)
    assert voted_in.mean() > 0.1
    # the same runs (common random numbers): the winner's mass share a period later is higher ...
    assert on.ruler_share[3, voted_in, 0].mean() > off.ruler_share[3, voted_in, 0].mean() + 0.02
    # ... and it survives to the next election's end more often
    kept = lambda r: (r.ruling[4, voted_in, 0] == r.ruling[2, voted_in, 0]).mean()  # noqa: E731
    assert kept(on) > kept(off)


def _us_pays_the_opposition() -> dict:
    """The base scenario with the US paying the opposition by name (20 a period, 1950-57) and the
    opposition friendly to it; no other support."""
    d = base_dict(us_amount=0.0, ussr_amount=0.0, gov_support=0.5, n_periods=8)
    d["support"] = [{"id": "us-opp", "from": 1950, "to": 1957, "patron": "US", "faction": "Opp",
                     "instrument": "economic_aid", "amount": 20.0, "visibility": 0.8, "breadth": 0.8}]
    d["clients"]["Client"]["factions"]["Opp"]["affinity"] = {"US": 0.3, "USSR": -0.1}
    return d


def _assert_the_ruler_the_us_raised_allies_with_it_more(on, off) -> np.ndarray:
    """Where the first ruler never fell the histories are equal (common random numbers); where the
    opposition the US paid rules from the vote, the client is US-aligned more often with the mechanism
    (periods 4 and 7). Returns the never-fell mask."""
    sat = (on.ruling[:, :, 0] == 0).all(0)                 # the first ruler never fell
    assert np.array_equal(on.aligned[:, sat], off.aligned[:, sat])
    opp = (on.ruling[2:, :, 0] == 1).all(0) & (off.ruling[2:, :, 0] == 1).all(0)   # Opp rules from the vote
    assert opp.mean() > 0.1
    us = lambda r, t: (r.aligned[t, opp, 0] == 0).mean()  # noqa: E731
    assert us(on, 4) > us(off, 4) + 0.05 and us(on, 7) > us(off, 7) + 0.05
    return sat


def test_E8g_a_ruler_its_backer_raised_concludes_the_treaty_despite_the_states_mistrust():
    """E8g: the client's state mistrusts the US (Y10, 0.8). An opposition the US pays by name that wins
    power brings little of that mistrust to the talks (Y16), so it is allied with the US in more runs
    (the aid at the client's need, so no E11 ambition splits what forms); in the runs where the
    scenario's first ruler still sits the histories are those with E8g off (common random numbers).
    Y21 is held off in both arms: it too speeds the talks of a patron whose H1 stake exceeds paper Y's
    will, so with it on both arms saturate by period 7 (0.95 vs 0.95) and E8g's own effect is hidden."""
    d = _us_pays_the_opposition()
    d["mistrust"] = [{"between": ["Client", "US"], "level": 0.8}]
    _, on = _sim(d, {"Y21"})
    _, off = _sim(d, {"E8g", "Y21"})
    _assert_the_ruler_the_us_raised_allies_with_it_more(on, off)


def test_E20j_officers_who_seized_power_are_not_voted_out_at_the_scheduled_election():
    """E20j: the calendar's election does not remove a junta, so the officers who took power keep it past
    it instead of losing it to the popular party (E20j off: they face the vote with an electoral
    following of 2 %). Same draws before the election: nothing earlier moves."""
    d = base_dict(gov_support=0.55, opp_coercion=0.1, n_periods=8, us_amount=20.0)
    d["clients"]["Client"]["factions"]["Army"] = {"baseline_support": 0.02, "coercion": 0.9}
    d["clients"]["Client"]["army_loyalty"] = 0.5
    d["clients"]["Client"]["elections"] = d["periods"][4:5]
    _, on = _sim(d)
    _, off = _sim(d, {"E20j"})
    army = 2
    early = (on.first_label["coup_succeeded"][:, 0, army] >= 0) & (on.first_label["coup_succeeded"][:, 0, army] < 4)
    assert early.mean() > 0.05                               # the scenario has juntas before the election
    assert np.array_equal(on.ruling[:4], off.ruling[:4])     # identical before the election
    kept = lambda r: (r.ruling[4, early, 0] == army).mean()  # noqa: E731
    assert kept(on) > kept(off) + 0.2
    # the calendar's election still takes place; under a junta it confirms the junta
    won = lambda r: (r.first_label["election_won"][early, 0, army] >= 0).mean()  # noqa: E731
    assert won(on) > won(off) + 0.2


def test_E21b_an_intolerant_donor_does_not_subsidise_a_government_averse_to_it():
    """E21b: the USSR (tolerance 0.3) pays the state (faction: ruling) a large subsidy; the incumbent Gov
    is averse to it (affinity -0.1), so with E21b the aid does not reach it: less mass support from the
    money (E3) and no pull to the USSR (H1). A tolerant donor (0.7) keeps paying: E21b changes nothing."""
    def scen(tolerance: float) -> dict:
        d = base_dict(us_amount=20.0, ussr_amount=0.0, gov_support=0.6, opp_coercion=0.1, n_periods=8)
        d["clients"]["Client"]["elections"] = []
        d["patrons"]["USSR"]["tolerance"] = tolerance
        _with_support(d, patron="USSR", faction="ruling", instrument="economic_aid", amount=300.0)
        return d
    joined_ussr = lambda r: (r.first_label["alliance_formed"][:, 0, 1] >= 0).mean()  # noqa: E731
    _, on = _sim(scen(0.3))
    _, off = _sim(scen(0.3), {"E21b"})
    gov_on, gov_off = on.ruling[0, :, 0] == 0, off.ruling[0, :, 0] == 0
    assert on.ruler_share[0, gov_on, 0].mean() < off.ruler_share[0, gov_off, 0].mean() - 0.01
    assert joined_ussr(on) < joined_ussr(off) - 0.05
    _, tol_on = _sim(scen(0.7))
    _, tol_off = _sim(scen(0.7), {"E21b"})
    assert np.array_equal(tol_on.aligned, tol_off.aligned)
    assert np.array_equal(tol_on.ruling, tol_off.ruling)


def test_E20j_the_horizon_risk_of_a_junta_counts_no_scheduled_election():
    """E20j in H2: a junta is not voted out at the calendar's election, so the horizon precarity its
    alignment choice reads (``prec_alone``) no longer counts that election; a civilian ruler's still
    does (same draws: with E20j off the same runs' juntas carry the election's risk)."""
    d = base_dict(gov_support=0.55, opp_coercion=0.1, n_periods=8, us_amount=20.0)
    d["clients"]["Client"]["factions"]["Army"] = {"baseline_support": 0.02, "coercion": 0.9}
    d["clients"]["Client"]["army_loyalty"] = 0.5
    d["clients"]["Client"]["elections"] = d["periods"][4:5]
    _, on = _sim(d)
    _, off = _sim(d, {"E20j"})
    army, t = 2, 2
    junta = (on.ruling[t, :, 0] == army) & (off.ruling[t, :, 0] == army) \
        & (on.first_label["coup_succeeded"][:, 0, army] >= 0) & (on.first_label["coup_succeeded"][:, 0, army] <= t)
    civil = (on.ruling[t, :, 0] == 0) & (off.ruling[t, :, 0] == 0) & (on.first["coup_succeeded"][:, 0] < 0) \
        & (off.first["coup_succeeded"][:, 0] < 0)
    assert junta.sum() > 20 and civil.sum() > 20
    assert on.prec_alone[t, junta, 0].mean() < off.prec_alone[t, junta, 0].mean() - 0.05
    assert np.allclose(on.prec_alone[t, civil, 0], off.prec_alone[t, civil, 0])


def test_E2t_a_patrons_backing_makes_no_putsch_against_a_loyal_army_but_does_through_a_disloyal_one():
    """E2t: a patron's commitment (0.8) to back the opposition's armed action. Against a loyal army
    (army_loyalty 1.0) it barely moves a coup with E2t (the putsch must be made with the army), so the
    opposition's coups are far rarer than with E2t off; against a largely disloyal army (0.2) most of
    the commitment still counts, and E2t takes away much less."""
    def scen(loyalty: float) -> dict:
        d = base_dict(opp_coercion=0.3, gov_support=0.55, n_periods=6)
        d["clients"]["Client"]["elections"] = []
        d["clients"]["Client"]["army_loyalty"] = loyalty
        _with_support(d, patron="USSR", faction="Opp", instrument="armed_action_commitment", amount=0.8)
        return d
    coup = lambda r: (r.first_label["coup_succeeded"][:, 0, 1] >= 0).mean()  # noqa: E731
    _, loyal_on = _sim(scen(1.0))
    _, loyal_off = _sim(scen(1.0), {"E2t"})
    _, split_on = _sim(scen(0.2))
    _, split_off = _sim(scen(0.2), {"E2t"})
    assert coup(loyal_off) > 0.2                              # the scenario has E5's putsches
    assert coup(loyal_on) < 0.5 * coup(loyal_off)
    assert coup(loyal_off) - coup(loyal_on) > 2 * (coup(split_off) - coup(split_on))
    assert coup(split_on) > coup(loyal_on) + 0.1              # the army's disloyalty carries the backing


def test_Y24_a_patron_short_of_budget_still_allies_with_the_ruler_its_support_raised():
    """Y24: the US's budget (30) covers a tenth of the client's aid need (300), so Y7 cuts paper Y's
    will and, with Y24 off, the H1 stake of the opposition the US paid into power. With Y24 the stake
    is not scaled: in the runs where the Opp rules from the vote the client is US-aligned more often.
    Where the first ruler never fell (the US gave it nothing: no stake) the histories equal Y24 off."""
    d = _us_pays_the_opposition()
    d["patrons"]["US"]["budget"] = 30
    d["clients"]["Client"]["aid_need"] = 300
    _, on = _sim(d)
    _, off = _sim(d, {"Y24"})
    sat = _assert_the_ruler_the_us_raised_allies_with_it_more(on, off)
    assert sat.mean() > 0.1


def test_Y22_a_patrons_loss_of_appeal_sets_off_its_narrow_allys_crisis_in_that_year():
    """Y22: the patron's ideological appeal falls in 1953 (paper Y 4.2: the 20th Congress, then the
    rebellions in Poland and Hungary). An ally ruled by a narrow, patron-minded faction has more crises
    in 1953 with Y22 than without, and more than one ruled by a popular faction; a level that does not
    fall changes nothing; off, the fall acts through the disparity only (the runs are those without
    the shock's hazard, common random numbers)."""
    def scen(late_appeal: float, gov_support: float) -> dict:
        d = base_dict(us_amount=0.0, ussr_amount=0.0, n_periods=6, gov_support=gov_support)
        d["support"] = []
        d["clients"]["Client"]["aligned_with"] = "US"
        d["clients"]["Client"]["elections"] = []
        d["clients"]["Client"]["factions"]["Gov"]["affinity"]["US"] = 0.9
        early = {"military": 10.0, "economic": 10.0, "ideological": 10.0, "cultural": 10.0, "institutional": 10.0}
        d["patrons"]["US"]["power"] = {1950: early, 1953: dict(early, ideological=late_appeal)}
        return d
    in_1953 = lambda r: (r.first["split"][:, 0] == 3).mean()  # noqa: E731
    _, narrow = _sim(scen(6.0, 0.15))
    _, narrow_off = _sim(scen(6.0, 0.15), {"Y22"})
    _, popular = _sim(scen(6.0, 0.85))
    assert in_1953(narrow) > in_1953(narrow_off) + 0.1
    assert in_1953(narrow) > in_1953(popular) + 0.1
    _, steady = _sim(scen(10.0, 0.15))
    _, steady_off = _sim(scen(10.0, 0.15), {"Y22"})
    assert np.array_equal(steady.aligned, steady_off.aligned)


def test_E23_aid_beyond_need_splits_an_alliance_only_from_the_period_after_it_builds_ambition():
    """E23 (refining E11): an ally paid far beyond its need from the first period has no ambition split
    in that period (its stock starts at 0) and its splits come later than without E23; a client paid
    within its need is unaffected (no ambition; common random numbers)."""
    def scen(amount: float) -> dict:
        d = base_dict(us_amount=0.0, ussr_amount=0.0, n_periods=8)
        d["support"] = [{"id": "aid", "from": 1950, "to": 1957, "patron": "US", "faction": "ruling",
                         "instrument": "economic_aid", "amount": amount, "visibility": 0.2, "breadth": 0.2}]
        d["clients"]["Client"]["aligned_with"] = "US"
        d["clients"]["Client"]["elections"] = []
        return d
    first = lambda r: r.first["split"][:, 0]  # noqa: E731
    _, on = _sim(scen(300.0))
    _, off = _sim(scen(300.0), {"E23"})
    assert (first(off) == 0).mean() > 0.05
    assert (first(on) == 0).mean() < (first(off) == 0).mean() - 0.05
    year = lambda r: np.where(first(r) >= 0, first(r), 8).mean()  # noqa: E731   # never = after the end
    assert year(on) > year(off)
    _, within = _sim(scen(10.0))
    _, within_off = _sim(scen(10.0), {"E23"})
    assert np.array_equal(within.aligned, within_off.aligned)
