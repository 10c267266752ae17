"""Expected-outcome files (cases/expected/<id>.yaml): every case validates; bad files give one line."""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from alliancelab import InputError
from alliancelab.cases.backtest import case_seeds
from alliancelab.cases.catalog import check_cases
from alliancelab.cases.expected import EXPECTED, PAPER_CASES, check_case, expected_ids, load_expected
from alliancelab.cli import app
from alliancelab.scenario import builtin_case_ids, load_scenario

GOOD = {
    "case": "italy-1948", "title": "Italy", "paper": "E", "era": "early-cold-war", "region": "europe",
    "mechanisms": ["E8", "E9"], "expected": "DC wins", "source": "paper E",
    "criteria": [{"ruling_at": {"period": 1948, "faction": "DC"}},
                 {"aligned_at": {"period": "1950", "label": "USA"}}],
    "timing": {"kind": "alliance_formed", "label": "USA"}, "year": 1949,
}


@pytest.mark.parametrize("case", builtin_case_ids())
def test_every_case_and_its_expected_file_validate(case):
    """The check a new case must pass: its scenario loads, its expected file loads and names match."""
    exp = check_case(case, load_scenario(case))
    assert exp.case == case and exp.criteria and exp.mechanisms


def test_every_scenario_has_an_expected_file_and_back():
    assert sorted(check_cases()) == sorted(builtin_case_ids())
    assert set(expected_ids()) == set(builtin_case_ids())


def test_the_papers_five_come_first_in_their_seed_order():
    assert list(EXPECTED)[:5] == list(PAPER_CASES)
    assert {EXPECTED[c].paper for c in PAPER_CASES} <= {"E", "Y", "E (+Y)"}


def test_criteria_are_read_into_the_evaluator_form():
    e = load_expected("italy-1948")
    assert e.criteria[0] == {"type": "ruling_at", "period": "1948", "faction": "DC"}
    assert e.targets[0]["type"] == "ruler_share" and e.targets[0]["value"] == pytest.approx(0.485)
    assert e.history[0] == ("1947-05-31", "communists out of government")
    p = load_expected("poland-hungary-1956")
    assert p.given == ({"type": "event", "kind": "split", "label": "USSR", "client": "Hungary"},)


def _write(tmp_path, data, name="italy-1948"):
    f = tmp_path / f"{name}.yaml"
    f.write_text(yaml.safe_dump(data), encoding="utf-8")
    return f


def test_a_valid_file_loads_with_int_periods(tmp_path):
    e = load_expected(_write(tmp_path, GOOD))
    assert e.criteria[0]["period"] == "1948" and e.given == () and e.history == ()


@pytest.mark.parametrize("change, field, allowed", [
    ({"colour": "red"}, "'colour'", "allowed: case, title"),
    ({"era": "victorian"}, "'era'", "allowed: pre-1914"),
    ({"region": "europa"}, "'region'", "allowed: europe"),
    ({"paper": "Z"}, "'paper'", "allowed: E, Y"),
    ({"mechanisms": ["E99"]}, "'mechanisms.0'", "allowed: E1"),
    ({"mechanisms": []}, "'mechanisms'", "at least one"),
    ({"year": "1949"}, "'year'", "1800-2100"),
    ({"case": "turkey-1945"}, "'case'", "'italy-1948'"),
    ({"criteria": []}, "'criteria'", "at least one"),
    ({"criteria": [{"alignd_at": {"period": "1950", "label": "USA"}}]}, "criteria.0 (criterion type)",
     "allowed: event, never"),
    ({"criteria": [{"aligned_at": {"period": "1950", "label": "USA", "by": "1950"}}]},
     "'criteria.0.aligned_at.by'", "allowed: period, label, client"),
    ({"criteria": [{"aligned_at": {"period": "1950"}}]}, "'criteria.0.aligned_at.label'", "required"),
    ({"criteria": [{"event": {"kind": "alliance", "label": "USA"}}]}, "'criteria.0.event.kind'",
     "alliance_formed"),
    ({"criteria": [{"type_at": {"period": "1950", "atype": "solid"}}]}, "'criteria.0.type_at.atype'",
     "strong"),
    ({"criteria": [{"aligned_at": {"period": "1950", "label": "USA"}, "never": {}}]}, "'criteria.0'",
     "one key"),
    ({"timing": {"kind": "alliance_formed"}}, "'timing.label'", "required"),
    ({"targets": [{"ruler_share": {"period": "1947", "value": "half", "tolerance": 0.05, "source": "x"}}]},
     "'targets.0.ruler_share.value'", "a number"),
    ({"history": [["1947-05-31"]]}, "'history.0'", "a pair"),
])
def test_bad_files_give_one_line_naming_file_and_field(tmp_path, change, field, allowed):
    f = _write(tmp_path, {**GOOD, **change})
    with pytest.raises(InputError) as exc:
        load_expected(f)
    msg = str(exc.value)
    assert "\n" not in msg and str(f) in msg and field in msg and allowed in msg, msg


def test_missing_required_field(tmp_path):
    data = dict(GOOD)
    del data["source"]
    with pytest.raises(InputError, match="field 'source': required field is missing"):
        load_expected(_write(tmp_path, data))


@pytest.mark.parametrize("criterion, field", [
    ({"aligned_at": {"period": "1950", "label": "US"}}, "criteria.0.aligned_at.label"),
    ({"aligned_at": {"period": "1960", "label": "USA"}}, "criteria.0.aligned_at.period"),
    ({"ruling_at": {"period": "1948", "faction": "PCI"}}, "criteria.0.ruling_at.faction"),
    ({"event": {"kind": "coup_attempted", "label": "USA"}}, "criteria.0.event.label"),
    ({"aligned_at": {"period": "1950", "label": "USA", "client": "Greece"}}, "criteria.0.aligned_at.client"),
])
def test_names_are_checked_against_the_scenario(tmp_path, criterion, field):
    f = _write(tmp_path, {**GOOD, "criteria": [criterion]})
    with pytest.raises(InputError) as exc:
        check_case(f, load_scenario("italy-1948"))
    assert f"field '{field}'" in str(exc.value) and "allowed:" in str(exc.value)


def test_cli_cases_check():
    res = CliRunner().invoke(app, ["cases", "--check"])
    assert res.exit_code == 0 and f"{len(builtin_case_ids())} cases ok" in res.output


def test_case_seeds_keep_the_papers_seeds_and_key_library_cases_by_id():
    papers = ["grand-alliance-1941", "yugoslavia-1948", "italy-1948", "sino-soviet-1950",
              "poland-hungary-1956"]
    legacy = [int(s.generate_state(1, dtype=np.uint32)[0]) for s in np.random.SeedSequence(1).spawn(5)]
    mixed = case_seeds(1, ["franco-russian-1891", *papers[:2], "turkey-1945", *papers[2:]])
    assert [mixed[c] for c in papers] == legacy
    alone = case_seeds(1, ["turkey-1945"])
    assert alone["turkey-1945"] == mixed["turkey-1945"] != mixed["franco-russian-1891"]
    assert case_seeds(2, ["turkey-1945"])["turkey-1945"] != alone["turkey-1945"]


def test_cli_cases_json_lists_era_region_paper_and_mechanisms():
    import json

    res = CliRunner().invoke(app, ["cases", "--json"])
    assert res.exit_code == 0, res.output
    rows = {r["id"]: r for r in json.loads(res.output)}
    assert set(rows) == set(builtin_case_ids())
    for cid, r in rows.items():
        exp = EXPECTED[cid]
        assert (r["title"], r["era"], r["region"], r["paper"]) == (exp.title, exp.era, exp.region, exp.paper)
        assert r["mechanisms"] == list(exp.mechanisms) and r["mechanisms"]
    assert rows["sino-soviet-1950"]["region"] == "asia" and "Y11" in rows["sino-soviet-1950"]["mechanisms"]
    table = CliRunner().invoke(app, ["cases"])
    assert table.exit_code == 0 and "early-cold-war" in table.output and "Y11" in table.output


def test_an_alias_bomb_in_an_expected_file_is_a_one_line_error(tmp_path):
    """Expected files go through the same safe loader as scenarios (aliases capped, cycles refused)."""
    from alliancelab.cases.expected import load_expected

    bomb = tmp_path / "bomb.yaml"
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}]"
              for i in range(1, 9)]
    bomb.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_expected(bomb)
    assert "\n" not in str(err.value) and "bomb.yaml" in str(err.value)
