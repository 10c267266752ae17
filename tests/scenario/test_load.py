"""Scenario loading: every bad-input class gives one line naming the file and the field."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from alliancelab._exceptions import ScenarioError
from alliancelab.scenario import apply_overrides, load_scenario, parse_scenario

from ._bad_input import assert_one_line_error

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "contested_election.yaml"


@pytest.fixture(scope="module")
def base() -> dict:
    return yaml.safe_load(EXAMPLE.read_text())


def _faction(d: dict) -> dict:
    return d["clients"]["Ruritania"]["factions"]["Reform"]


BAD = {
    "unknown_field": (lambda d: d["patrons"]["West"].update(colour="red"),
                      "patrons.West.colour", "unknown field"),
    "unknown_top": (lambda d: d.update(foo=1), "foo", "unknown field"),
    "undefined_patron": (lambda d: d["support"][0].update(patron="North"), "support.0.patron",
                         "unknown patron 'North'"),
    "undefined_faction": (lambda d: d["support"][0].update(faction="Nobody"), "support.0.faction",
                          "unknown faction"),
    "undefined_client": (lambda d: d["support"][0].update(client="Nowhere"), "support.0.client",
                         "unknown client"),
    "undefined_affinity_patron": (lambda d: _faction(d)["affinity"].update(North=0.1),
                                  "clients.Ruritania.factions.Reform.affinity.North", "unknown patron"),
    "negative_budget": (lambda d: d["patrons"]["West"].update(budget=-5), "patrons.West.budget",
                        "negative"),
    "negative_amount": (lambda d: d["support"][0].update(amount=-5), "support.0.amount", "amount"),
    "share_above_one": (lambda d: _faction(d).update(baseline_support=1.5),
                        "clients.Ruritania.factions.Reform.baseline_support", "[0, 1]"),
    "share_below_zero": (lambda d: d["threats"][0].update(clarity=-0.1), "threats.0.clarity", "[0, 1]"),
    "share_not_number": (lambda d: _faction(d).update(coercion="lots"),
                         "clients.Ruritania.factions.Reform.coercion", "not a number"),
    "periods_out_of_order": (lambda d: d.update(periods=[2020, 2022, 2021]), "periods.2", "out of order"),
    "support_dates_out_of_order": (lambda d: d["support"][0].update({"from": 2025, "to": 2021}),
                                   "support.0.to", "out of order"),
    "support_ends_before_start": (lambda d: d["support"][0].update({"from": 1990, "to": 1995}),
                                  "support.0.to", "before the first period"),
    "support_starts_after_end": (lambda d: d["support"][0].update({"from": 2031, "to": 2032}),
                                 "support.0.from", "after the last period"),
    "elections_out_of_order": (lambda d: d["clients"]["Ruritania"].update(elections=[2024, 2022]),
                               "clients.Ruritania.elections.1", "out of order"),
    "unknown_instrument": (lambda d: d["support"][0].update(instrument="bribes"),
                           "support.0.instrument", "economic_aid"),
    "two_incumbents": (lambda d: d["clients"]["Ruritania"]["factions"]["Union"].update(incumbent=True),
                       "clients.Ruritania.factions", "exactly one"),
    "undefined_threat_actor": (lambda d: d["threats"][0].update(actor="Mars"), "threats.0.actor",
                               "unknown actor"),
    "missing_field": (lambda d: d["patrons"]["West"].pop("budget"), "patrons.West.budget", "missing"),
    "event_scripts_outcome": (
        lambda d: d["events"][0]["set"].update({"clients.Ruritania.factions.Reform.incumbent": False}),
        "events.0.set.clients.Ruritania.factions.Reform.incumbent", "outcome"),
    "event_value_invalid": (
        lambda d: d["events"][0]["set"].update({"clients.Ruritania.factions.Reform.coercion": 3}),
        "events.0.set", "[0, 1]"),
    "fact_form_negative": (lambda d: d["patrons"]["West"].update(budget={"value": -1, "source": "x"}),
                           "patrons.West.budget", "negative"),
    "commitment_above_one": (lambda d: d["support"][3].update(amount=2), "support.3.amount", "[0, 1]"),
    "reserved_name": (lambda d: d["patrons"].update({"non-aligned": d["patrons"]["West"]}),
                      "patrons.non-aligned", "not a valid name"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_is_one_line_naming_file_and_field(base, tmp_path, name):
    mutate, field, needle = BAD[name]
    assert_one_line_error(base, tmp_path, name, mutate, field, needle)


def test_malformed_yaml_names_the_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("metadata:\n  id: x\n  title: [unclosed\nperiods: [1]\n")
    with pytest.raises(ScenarioError, match=r"bad\.yaml: .*line 4"):
        load_scenario(path)


def test_python_object_tag_is_rejected(tmp_path):
    path = tmp_path / "evil.yaml"
    path.write_text('!!python/object/apply:os.system ["echo pwned"]\n')
    with pytest.raises(ScenarioError, match="python/object"):
        load_scenario(path)


@pytest.mark.parametrize("text", ["", "- a\n- b\n", "42\n"])
def test_non_mapping_document(tmp_path, text):
    path = tmp_path / "x.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError, match="allowed: a YAML mapping"):
        load_scenario(path)


def test_missing_file_names_it():
    with pytest.raises(ScenarioError, match="no-such-file.yaml: no such file"):
        load_scenario("no-such-file.yaml")


def test_fact_form_records_provenance(base):
    s = parse_scenario(base)
    assert s.patrons["East"].interest["Ruritania"] == 0.9
    prov = s.provenance["patrons.East.interest.Ruritania"]
    assert prov.source == "hypothetical" and prov.judgement is True


def test_primary_client_and_period_index(base):
    s = parse_scenario(base)
    assert s.primary == "Ruritania"
    assert s.period_index("2022-06-01") == 2
    assert s.period_index("1999") == -1


@pytest.mark.parametrize("override, check", [
    ("patrons.West.budget=10", lambda s: s.patrons["West"].budget == 10),
    ("support.recon.amount=0", lambda s: s.support[0].amount == 0),
    ("support.1.visibility=0.5", lambda s: s.support[1].visibility == 0.5),
    ("clients.Ruritania.factions.Reform.affinity.East=0.9",
     lambda s: s.clients["Ruritania"].factions["Reform"].affinity["East"] == 0.9),
    ("clients.Ruritania.aligned_with=West", lambda s: s.clients["Ruritania"].aligned_with == "West"),
    ("patrons.East.interest.Ruritania=0.1", lambda s: s.patrons["East"].interest["Ruritania"] == 0.1),
])
def test_apply_overrides(base, override, check):
    s = parse_scenario(base)
    s2 = apply_overrides(s, [override])
    assert check(s2)
    assert s2 is not s


def test_override_replaces_provenance(base):
    s = parse_scenario(base)
    s2 = apply_overrides(s, ["patrons.East.interest.Ruritania=0.2"])
    assert "patrons.East.interest.Ruritania" not in s2.provenance


@pytest.mark.parametrize("override, field, needle", [
    ("patrons.Wes.budget=1", "patrons.Wes.budget", "no such path"),
    ("support.9.amount=1", "support.9.amount", "no such path"),
    ("patrons.West.budget=-1", "patrons.West.budget", "negative"),
    ("patrons.West.budget", "", "no '='"),
])
def test_bad_overrides(base, override, field, needle):
    s = parse_scenario(base)
    with pytest.raises(ScenarioError) as info:
        apply_overrides(s, [override])
    assert needle in str(info.value)
    assert field in str(info.value)


def test_scope_warnings_e7(base):
    from alliancelab.scenario import scope_warnings

    assert scope_warnings(parse_scenario(base)) == []
    one = copy.deepcopy(base)
    one["support"] = [it for it in one["support"] if it["patron"] == "West"]
    msgs = scope_warnings(parse_scenario(one))
    assert len(msgs) == 1 and msgs[0].startswith("E7(b)") and "(Ruritania)" in msgs[0]
    none = copy.deepcopy(base)
    for p in none["patrons"].values():
        p["interest"] = 0
    assert any(m.startswith("E7(a)") for m in scope_warnings(parse_scenario(none)))
