"""E16: the strategies are faithful rewrites of one patron's schedule (no engine needed)."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliancelab._exceptions import InputError
from alliancelab.advise import STRATEGIES, AdviseParams, apply_strategy, friendly_faction, scheduled_cost
from alliancelab.scenario import Scenario, load_scenario
from alliancelab.theory.instruments import MASS_INSTRUMENTS

HERE = Path(__file__).parent
BIDDING = HERE / "bidding.yaml"
MONEY = MASS_INSTRUMENTS + ("military_aid",)


@pytest.fixture(scope="module")
def bidding() -> Scenario:
    return load_scenario(BIDDING)


@st.composite
def advise_params(draw: st.DrawFn) -> AdviseParams:
    kw = {f.name: draw(st.floats(*f.metadata["range"], allow_nan=False)) for f in fields(AdviseParams)}
    return AdviseParams(**kw)


def _items(s: Scenario, patron: str) -> list:
    return [it for it in s.support if it.patron == patron]


def _per_period(s: Scenario, patron: str) -> list[float]:
    spend = [0.0] * len(s.periods)
    for it in _items(s, patron):
        if it.instrument in MONEY:
            start = max(s.period_index(it.from_), 0)
            end = s.period_index(it.to) if it.to is not None else start
            for t in range(start, end + 1):
                spend[t] += it.amount
    return spend


def test_friendly_faction_and_cost(bidding: Scenario) -> None:
    assert friendly_faction(bidding, "Alpha") == "Blue"
    assert friendly_faction(bidding, "Beta") == "Red"
    assert scheduled_cost(bidding, "Alpha") == pytest.approx(6 * 105)
    assert scheduled_cost(bidding, "Beta") == pytest.approx(6 * 160)


@pytest.mark.parametrize("strategy", list(STRATEGIES))
@pytest.mark.parametrize("patron", ["Alpha", "Beta"])
def test_E16_strategy_touches_only_its_patron_and_revalidates(bidding: Scenario, strategy: str,
                                                               patron: str) -> None:
    out = apply_strategy(bidding, patron, strategy)
    other = "Beta" if patron == "Alpha" else "Alpha"
    assert [it.model_dump() for it in _items(out, other)] == \
        [it.model_dump() for it in _items(bidding, other)]
    assert out.clients == bidding.clients and out.patrons == bidding.patrons
    assert isinstance(out, Scenario)
    assert load_scenario(BIDDING).model_dump() == bidding.model_dump()      # input not modified


@settings(max_examples=30, deadline=None)
@given(a=advise_params(), patron=st.sampled_from(["Alpha", "Beta"]))
def test_E16_costs_equal_where_the_strategy_reallocates_and_capped_where_it_revises(
        a: AdviseParams, patron: str) -> None:
    s = load_scenario(BIDDING)
    base = scheduled_cost(s, patron)
    for name in ("status_quo", "invisible_loans", "R1_visible_benefits", "R3_engage_opposition",
                 "R4_no_concessions"):
        assert scheduled_cost(apply_strategy(s, patron, name, a), patron) == pytest.approx(base)
    assert scheduled_cost(apply_strategy(s, patron, "double_budget", a), patron) == \
        pytest.approx(a.budget_multiple * base)
    need = a.r2_need_multiple * s.clients[s.primary].aid_need
    for name in ("R2_revise_by_compliance", "R1-R4"):
        out = apply_strategy(s, patron, name, a)
        assert scheduled_cost(out, patron) <= base + 1e-6
        assert all(x <= max(need, 0.0) + 1e-6 for x in _per_period(out, patron))
        assert all(it.condition != "always" for it in _items(out, patron))


@settings(max_examples=30, deadline=None)
@given(a=advise_params())
def test_E16_R1_makes_mass_support_visible_and_broad_and_loans_make_it_invisible(a: AdviseParams) -> None:
    s = load_scenario(BIDDING)
    r1 = apply_strategy(s, "Alpha", "R1_visible_benefits", a)
    loans = apply_strategy(s, "Alpha", "invisible_loans", a)
    for it_old, it_r1, it_loan in zip(_items(s, "Alpha"), _items(r1, "Alpha"), _items(loans, "Alpha")):
        if it_old.instrument in MASS_INSTRUMENTS:
            assert it_r1.visibility >= max(it_old.visibility, a.r1_visibility) - 1e-12
            assert it_r1.breadth >= max(it_old.breadth, a.r1_breadth) - 1e-12
            assert it_loan.instrument == "economic_aid"
            assert (it_loan.visibility, it_loan.breadth) == (a.loan_visibility, a.loan_breadth)
            assert it_loan.amount == it_old.amount
        else:
            assert it_r1 == it_old and it_loan == it_old


def test_E16_R3_engages_only_non_hostile_factions(bidding: Scenario) -> None:
    out = apply_strategy(bidding, "Alpha", "R3_engage_opposition")
    backed = {it.faction for it in _items(out, "Alpha") if it.instrument in MASS_INSTRUMENTS}
    assert backed == {"Blue", "Green"}                    # Red is hostile to Alpha (affinity < 0)
    to_green = sum(it.amount for it in _items(out, "Alpha") if it.faction == "Green")
    assert to_green == pytest.approx(0.3 * 105)


def test_E16_R4_drops_negative_gestures_only(bidding: Scenario) -> None:
    out = apply_strategy(bidding, "Alpha", "R4_no_concessions")
    gestures = [it.amount for it in _items(out, "Alpha") if it.instrument == "diplomatic_gesture"]
    assert gestures == []
    assert len(_items(out, "Alpha")) == len(_items(bidding, "Alpha")) - 1


def test_bad_patron_or_strategy_is_one_line_input_error(bidding: Scenario) -> None:
    with pytest.raises(InputError, match="unknown patron 'Gamma'; allowed: one of: Alpha, Beta"):
        apply_strategy(bidding, "Gamma", "status_quo")
    with pytest.raises(InputError, match="unknown strategy 'bribe'"):
        apply_strategy(bidding, "Alpha", "bribe")
    with pytest.raises(InputError, match="r3_share"):
        AdviseParams(r3_share=2.0)


def test_every_advise_param_has_unit_range_source() -> None:
    for f in fields(AdviseParams):
        assert {"unit", "range", "source"} <= set(f.metadata)
        lo, hi = f.metadata["range"]
        assert lo <= f.default <= hi


@pytest.mark.parametrize("module", ["alliancelab.advise._strategies", "alliancelab.advise._advise"])
def test_doctests_pass(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0
