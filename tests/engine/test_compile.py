"""compile_scenario: dated facts become per-period arrays (events, support spans, power, threats)."""

from __future__ import annotations

import numpy as np

from alliancelab.engine import compile_scenario
from alliancelab.scenario import parse_scenario
from alliancelab.theory.instruments import INSTRUMENTS
from alliancelab.theory.params import ModelParams

from ._build import base_dict


def _compile(d):
    return compile_scenario(parse_scenario(d, source="<test>"), ModelParams())


def test_support_is_active_from_to_inclusive_and_by_condition():
    d = base_dict(n_periods=5)
    d["support"] = [{"from": "1951-06", "to": 1952, "patron": "US", "faction": "Gov",
                     "instrument": "economic_aid", "amount": 7, "condition": "while_aligned"}]
    c = _compile(d)
    amounts = c.support[:, 1, 0, 0, 0, INSTRUMENTS.index("economic_aid")]
    assert amounts.tolist() == [0, 7, 7, 0, 0]
    assert c.support[:, 0].sum() == 0          # nothing under "always"


def test_single_period_item_defaults_to_its_from_period():
    d = base_dict(n_periods=4)
    d["support"] = [{"from": 1952, "patron": "US", "faction": "Gov", "instrument": "propaganda",
                     "amount": 1}]
    assert _compile(d).support[:, 0, 0, 0, 0, INSTRUMENTS.index("propaganda")].tolist() == [0, 0, 1, 0]


def test_events_change_facts_from_their_period_on():
    d = base_dict(n_periods=4)
    d["events"] = [{"date": "1952-03", "set": {"clients.Client.factions.Gov.coercion": 0.1,
                                                "patrons.US.tolerance": 0.9}}]
    c = _compile(d)
    assert c.coercion[:, 0, 0].tolist() == [0.6, 0.6, 0.1, 0.1]
    assert c.tolerance[:, 0].tolist() == [0.5, 0.5, 0.9, 0.9]


def test_power_entries_carry_forward_and_move_disparity():
    d = base_dict(n_periods=4)
    d["clients"]["Client"]["power"][1952] = {"ideological": 8.0}
    c = _compile(d)
    assert c.disparity[0, 0, 0] == c.disparity[1, 0, 0]
    assert c.disparity[2, 0, 0] < c.disparity[1, 0, 0]     # Y11: ideological appeal alone narrows D
    assert c.disparity[3, 0, 0] == c.disparity[2, 0, 0]


def test_common_threat_counts_fully_single_target_partially():
    d = base_dict(n_periods=3)
    d["threats"] = [{"actor": "Rival", "targets": ["Client", "US"], "from": 1950, "severity": 1,
                     "imminence": 1, "clarity": 1}]
    c = _compile(d)
    assert np.allclose(c.threat[:, 0, 0], 1.0)                                # common to Client and US
    assert np.allclose(c.threat[:, 0, 1], ModelParams().engine.single_target_threat_weight)


def test_a_patron_threatening_its_client_gives_itself_no_threat_value():
    d = base_dict(n_periods=2)
    d["threats"] = [{"actor": "USSR", "targets": ["Client"], "from": 1950, "severity": 1,
                     "imminence": 1, "clarity": 1}]
    c = _compile(d)
    assert np.all(c.threat[:, 0, 1] == 0) and np.all(c.threat[:, 0, 0] > 0)


def test_elections_and_padding():
    d = base_dict(n_periods=4)
    d["clients"]["Other"] = {"power": {1950: {k: 1 for k in ("military", "economic", "ideological",
                                                           "cultural", "institutional")}},
                             "factions": {"Only": {"baseline_support": 1, "coercion": 1, "incumbent": True}}}
    c = _compile(d)
    assert c.election_due[:, 0].tolist() == [False, False, True, False]
    assert c.active.tolist() == [[True, True], [True, False]]


def test_alliance_from_closes_the_patron_before_its_date():
    from alliancelab import forecast

    d = base_dict(n_periods=5, us_amount=300, severity=0.8, opp_coercion=0.6)
    d["patrons"]["US"]["alliance_from"] = 1953
    c = _compile(d)
    assert c.alliance_open[:, 0, 0].tolist() == [False, False, False, True, True]
    assert c.alliance_open[:, 0, 1].all()
    tl = forecast(parse_scenario(d), runs=500, seed=1, drivers=False).to_dict()["timeline"]
    assert all(row["alignment"]["US"] == 0.0 for row in tl[:3])


def test_open_fraction_is_the_share_of_the_opening_period_left_after_alliance_from():
    """Y16: an option that opens on 1 July 1953 leaves half of the 1953 period for talks; a date at a
    period's start leaves it whole (no array at all when every option opens so)."""
    d = base_dict(n_periods=5)
    d["patrons"]["US"]["alliance_from"] = "1953-07-01"
    c = _compile(d)
    frac = c.open_fraction[:, 0, 0]
    assert abs(frac[3] - 0.5) < 1e-12
    assert np.all(np.delete(frac, 3) == 1.0) and np.all(c.open_fraction[:, 0, 1] == 1.0)
    d["patrons"]["US"]["alliance_from"] = 1953
    assert _compile(d).open_fraction is None
