"""ModelParams: one frozen parameter set; docs/parameters.md generated from the field metadata."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from alliancelab import InputError, ModelParams
from alliancelab.theory.params import EngineParams, parameter_rows, parameters_markdown

REPO = Path(__file__).resolve().parents[2]


def test_defaults_round_trip_through_dict():
    p = ModelParams()
    assert ModelParams.from_dict(p.to_dict()) == p
    assert set(p.to_dict()) == {"elite", "disparity", "engine"}


def test_partial_dict_and_replace():
    p = ModelParams.from_dict({"engine": {"shock_sd": 0.5}})
    assert p.engine.shock_sd == 0.5 and p.elite == ModelParams().elite
    assert p.replace(elite__r_election=3.0).elite.r_election == 3.0


def test_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        ModelParams().engine = EngineParams()  # type: ignore[misc]


@pytest.mark.parametrize("data, field", [
    ({"nope": {}}, "nope"),
    ({"elite": {"nope": 1}}, "elite.nope"),
    ({"elite": {"r_election": -1}}, "elite.r_election"),
    ({"engine": {"shock_sd": 99}}, "engine.shock_sd"),
])
def test_bad_params_name_the_field(data, field):
    with pytest.raises(InputError, match=f"field '{field}'"):
        ModelParams.from_dict(data)


def test_every_parameter_has_unit_range_and_source_and_default_in_range():
    rows = parameter_rows()
    assert {r["section"] for r in rows} == {"elite", "disparity", "engine"}
    for r in rows:
        assert r["unit"] and r["source"] and r["range"], r["name"]
        lo, hi = r["range"]
        assert lo <= r["default"] <= hi, r["name"]


def test_committed_parameters_md_is_up_to_date():
    committed = (REPO / "docs" / "parameters.md").read_text(encoding="utf-8")
    assert committed.strip() == parameters_markdown().strip(), \
        "docs/parameters.md is stale: run `alliancelab params --markdown > docs/parameters.md`"


def test_doctests_of_the_engine_and_scenario_modules():
    import doctest
    import importlib

    names = ("alliancelab.engine.forecast", "alliancelab.scenario._dates",
             "alliancelab.scenario._overrides", "alliancelab.theory.params")
    for mod in map(importlib.import_module, names):
        result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
        assert result.failed == 0, mod.__name__
