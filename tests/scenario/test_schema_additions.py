"""Issue #10 schema additions: negative instruments, intervention, ``faction: ruling``, threats with
per-target severity and offensive intent, alignment forms, neutrality by treaty, army loyalty and
scripted power grabs. Old files keep their meaning; bad values give one line naming file and field."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from alliancelab._exceptions import ScenarioError
from alliancelab.scenario import load_scenario, parse_scenario

from ._bad_input import assert_one_line_error

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "contested_election.yaml"


@pytest.fixture(scope="module")
def base() -> dict:
    return yaml.safe_load(EXAMPLE.read_text())


def _client(d: dict) -> dict:
    return d["clients"]["Ruritania"]


def _add_support(d: dict, **kw) -> None:
    item = {"from": 2021, "to": 2023, "patron": "West", "faction": "ruling", "instrument": "sanctions",
            "amount": 50}
    item.update(kw)
    d["support"].append(item)


def _grab(d: dict, **kw) -> None:
    g = {"date": 2022, "kind": "election_cancelled"}
    g.update(kw)
    d.setdefault("power_grabs", []).append(g)


def _challenge(d: dict, **kw) -> None:
    c = {"patron": "West", "from": 2022, "to": 2023, "level": 1.0}
    c.update(kw)
    d.setdefault("challenges", []).append(c)


def test_old_files_keep_their_meaning(base):
    s = parse_scenario(copy.deepcopy(base))
    c = s.clients["Ruritania"]
    assert (c.alignment_form, c.also_aligned_with, c.neutral_by_treaty, c.guarantors, c.army_loyalty) == \
        (None, None, False, [], None)
    assert s.power_grabs == []
    assert all(t.severity_by_target == {} and t.offensive is None for t in s.threats)


def test_every_new_field_validates(base):
    d = copy.deepcopy(base)
    _add_support(d)                                                   # sanctions against whoever rules
    _add_support(d, instrument="blockade", faction="Union", amount=10)
    _add_support(d, instrument="extraction", patron="East", amount=5)
    _add_support(d, instrument="aid_withdrawal", amount=20, condition="unless_aligned_with_rival")
    _add_support(d, instrument="intervention", patron="East", faction="Union", amount=0.8)
    _add_support(d, instrument="intervention", faction="ruling", amount=0.5)
    d["threats"][0].update(severity_by_target={"Ruritania": 0.7}, offensive=0.6)
    _client(d).update(army_loyalty=0.8, alignment_form="both", aligned_with="West", also_aligned_with="East")
    _grab(d, kind="election_rigged", faction="Reform", strength=0.2)
    _grab(d, date=2023, kind="purge", target="Union", strength=0.5)
    _grab(d, date=2024, kind="army_defection", target="Union", strength=0.3)
    _grab(d, date=2025, to=2027, kind="self_coup", faction="Reform")
    _grab(d, date="2026-05", to=2027, kind="election_postponed")
    s = parse_scenario(d)
    assert s.clients["Ruritania"].also_aligned_with == "East"
    assert [g.kind for g in s.power_grabs][-1] == "election_postponed"
    assert s.support[-1].faction == "ruling" and s.support[-2].amount == 0.8


def test_any_instrument_may_go_to_whoever_rules(base):
    d = copy.deepcopy(base)
    _add_support(d, instrument="economic_aid", amount=40)
    assert parse_scenario(d).support[-1].faction == "ruling"


def test_neutral_by_treaty_with_guarantors(base):
    d = copy.deepcopy(base)
    _client(d).update(neutral_by_treaty=True, guarantors=["West", "East"], alignment_form="neutral")
    assert parse_scenario(d).clients["Ruritania"].guarantors == ["West", "East"]


BAD = {
    "negative_sanctions": (lambda d: _add_support(d, amount=-1), "support.6.amount", "amount >= 0"),
    "intervention_above_one": (lambda d: _add_support(d, instrument="intervention", amount=1.5),
                               "support.6.amount", "[0, 1]"),
    "severity_non_target": (lambda d: d["threats"][0].update(severity_by_target={"Mars": 0.5}),
                            "threats.0.severity_by_target.Mars", "not a target"),
    "offensive_above_one": (lambda d: d["threats"][0].update(offensive=2), "threats.0.offensive", "[0, 1]"),
    "army_loyalty_above_one": (lambda d: _client(d).update(army_loyalty=1.2),
                               "clients.Ruritania.army_loyalty", "[0, 1]"),
    "unknown_form": (lambda d: _client(d).update(alignment_form="marriage"),
                     "clients.Ruritania.alignment_form", "alliance"),
    "neutral_but_aligned": (lambda d: _client(d).update(alignment_form="neutral", aligned_with="West"),
                            "clients.Ruritania.alignment_form", "neutral"),
    "both_without_second": (lambda d: _client(d).update(alignment_form="both", aligned_with="West"),
                            "clients.Ruritania.also_aligned_with", "second patron"),
    "second_without_both": (lambda d: _client(d).update(aligned_with="West", also_aligned_with="East"),
                            "clients.Ruritania.also_aligned_with", "only used"),
    "treaty_but_aligned": (lambda d: _client(d).update(neutral_by_treaty=True, aligned_with="West"),
                           "clients.Ruritania.neutral_by_treaty", "cannot start aligned"),
    "unknown_guarantor": (lambda d: _client(d).update(neutral_by_treaty=True, guarantors=["Mars"]),
                          "clients.Ruritania.guarantors.0", "unknown guarantor"),
    "guarantors_without_treaty": (lambda d: _client(d).update(guarantors=["West"]),
                                  "clients.Ruritania.guarantors", "neutral_by_treaty is false"),
    "grab_unknown_kind": (lambda d: _grab(d, kind="abdication"), "power_grabs.0.kind", "self_coup"),
    "grab_unknown_faction": (lambda d: _grab(d, faction="Nobody"), "power_grabs.0.faction",
                             "unknown faction"),
    "purge_without_target": (lambda d: _grab(d, kind="purge"), "power_grabs.0.target", "purged faction"),
    "postponed_without_to": (lambda d: _grab(d, kind="election_postponed"), "power_grabs.0.to", "new date"),
    "cancelled_no_election": (lambda d: _grab(d, date=2024), "power_grabs.0.date", "no election"),
    "grab_after_end": (lambda d: _grab(d, date=2031, kind="purge", target="Union"), "power_grabs.0.date",
                       "after the last period"),
    "grab_strength_above_one": (lambda d: _grab(d, strength=3), "power_grabs.0.strength", "[0, 1]"),
    "unknown_rival": (lambda d: d["patrons"]["West"].update(rivals=["Mars"]), "patrons.West.rivals.0",
                      "unknown patron"),
    "self_rival": (lambda d: d["patrons"]["West"].update(rivals=["West"]), "patrons.West.rivals.0",
                   "another patron"),
    "challenge_unknown_patron": (lambda d: _challenge(d, patron="Mars"), "challenges.0.patron",
                                 "unknown patron"),
    "challenge_unknown_client": (lambda d: _challenge(d, client="Atlantis"), "challenges.0.client",
                                 "unknown client"),
    "challenge_level_above_one": (lambda d: _challenge(d, level=2), "challenges.0.level", "[0, 1]"),
    "challenge_after_end": (lambda d: _challenge(d, **{"from": 2031, "to": None}), "challenges.0.from",
                            "after the last period"),
    "event_sets_challenges": (lambda d: d["events"][0]["set"].update({"challenges": []}),
                              "events.0.set.challenges", "cannot be set by an event"),
    "event_sets_army_loyalty": (
        lambda d: d["events"][0]["set"].update({"clients.Ruritania.army_loyalty": 0.5}),
        "events.0.set.clients.Ruritania.army_loyalty", "outcome"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_new_field_is_one_line_naming_file_and_field(base, tmp_path, name):
    mutate, field, needle = BAD[name]
    assert_one_line_error(base, tmp_path, name, mutate, field, needle)


def test_cli_exits_2_on_a_bad_new_field(base, tmp_path):
    data = copy.deepcopy(base)
    _client(data).update(army_loyalty=-0.5)
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    proc = subprocess.run([sys.executable, "-m", "alliancelab", "validate", str(path)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "clients.Ruritania.army_loyalty" in proc.stderr and "Traceback" not in proc.stderr


def test_legislative_elections_validate_and_take_a_rigged_count(base):
    """Issue #11 (E20r): a legislature's election cannot replace the ruler; its count can be rigged."""
    d = copy.deepcopy(base)
    _client(d)["legislative_elections"] = [2024]
    _grab(d, date=2024, kind="election_rigged", faction="Reform", strength=0.2)
    s = parse_scenario(d)
    assert s.clients["Ruritania"].legislative_elections == ["2024"]
    bad = copy.deepcopy(base)
    _client(bad)["legislative_elections"] = [2025, 2024]
    with pytest.raises(ScenarioError, match=r"legislative_elections\.1.*out of order"):
        parse_scenario(bad)
    cancel = copy.deepcopy(base)          # a legislature's vote is no executive election to cancel
    _client(cancel)["legislative_elections"] = [2024]
    _grab(cancel, date=2024, kind="election_cancelled")
    with pytest.raises(ScenarioError, match="no election"):
        parse_scenario(cancel)
