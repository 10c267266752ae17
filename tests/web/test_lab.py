"""The explorer's lab API: fields from the schema, paired what-if intervals, edited scenarios, advice,
glossary and the world adapter (pure functions, no browser)."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest

from alliancelab import InputError
from alliancelab.engine.forecast import forecast
from alliancelab.scenario import builtin_case_ids, load_scenario
from alliancelab.web import api
from alliancelab.web.lab import line_of_path, numeric_fields, paired_differences


def _text(case: str) -> str:
    return resources.files("alliancelab.cases").joinpath("data", f"{case}.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("case", builtin_case_ids())
def test_every_numeric_fact_has_a_range_unit_and_a_settable_path(case):
    sc = load_scenario(case)
    fields = numeric_fields(sc)
    assert fields
    for f in fields:
        assert f["min"] is None or f["value"] >= f["min"] - 1e-9, f
        assert f["max"] is None or f["value"] <= f["max"] + 1e-9, f
        assert f["unit"] and f["section"]
    # every path is accepted by the --set syntax and lands on the same value
    some = fields[:: max(1, len(fields) // 6)]
    for f in some:
        new = f["value"] if f["max"] is None else (f["min"] + f["max"]) / 2
        again = {g["path"]: g["value"] for g in numeric_fields(load_scenario(case, overrides=[f"{f['path']}={new}"]))}
        assert again[f["path"]] == pytest.approx(new), f["path"]


def test_ranges_come_from_the_schema_types():
    by_path = {f["path"]: f for f in numeric_fields(load_scenario("italy-1948"))}
    assert (by_path["patrons.USA.tolerance"]["min"], by_path["patrons.USA.tolerance"]["max"]) == (0.0, 1.0)
    assert by_path["patrons.USA.budget"]["min"] == 0.0 and by_path["patrons.USA.budget"]["max"] is None
    aff = next(f for p, f in by_path.items() if ".affinity." in p)
    assert (aff["min"], aff["max"]) == (-1.0, 1.0)
    assert by_path["patrons.USA.budget"]["unit"] == "money units per period"
    # an out-of-range slider value is what the validator refuses
    with pytest.raises(InputError, match="tolerance"):
        load_scenario("italy-1948", overrides=["patrons.USA.tolerance=1.5"])


def test_paired_interval_is_the_per_run_difference_and_narrower_than_unpaired():
    base = forecast("italy-1948", runs=800, seed=3, drivers=False)
    alt = forecast(load_scenario("italy-1948", overrides=["patrons.USA.budget=300"]), runs=800, seed=3,
                   drivers=False)
    d = paired_differences(base, alt)["Italy"]["alignment"]["USA"]
    i = base.alignment_labels.index("USA")
    per_run = (alt.result.aligned[-1, :, 0] == i).astype(float) - (base.result.aligned[-1, :, 0] == i)
    assert d["diff"] == pytest.approx(per_run.mean(), abs=1e-6)
    half = 1.959963984540054 * per_run.std(ddof=1) / np.sqrt(per_run.size)
    assert d["ci"] == pytest.approx([per_run.mean() - half, per_run.mean() + half], abs=1e-6)
    pb, pa = base.to_dict()["alignment"]["USA"], alt.to_dict()["alignment"]["USA"]
    unpaired = 1.96 * np.sqrt(pb * (1 - pb) / 800 + pa * (1 - pa) / 800)
    assert d["ci"][1] - d["ci"][0] < 2 * unpaired
    # no change, no difference
    same = paired_differences(base, base)["Italy"]["alignment"]["USA"]
    assert same == {"diff": 0.0, "ci": [0.0, 0.0], "changed_runs": 0}


def test_run_whatif_returns_both_forecasts_and_the_differences():
    out = api.run_whatif({"id": "italy-1948", "runs": 300, "seed": 1, "overrides": ["patrons.USA.budget=0"]})
    assert out["base"]["runs"] == out["alt"]["runs"] == 300
    diff = out["difference"]["Italy"]["alignment"]["USA"]
    assert diff["diff"] == pytest.approx(out["alt"]["alignment"]["USA"] - out["base"]["alignment"]["USA"], abs=1e-6)
    assert diff["ci"][0] <= diff["diff"] <= diff["ci"][1]
    json.dumps(out, allow_nan=False)
    with pytest.raises(InputError, match="overrides"):
        api.run_whatif({"id": "italy-1948", "runs": 10})


def test_edited_text_validates_with_the_field_and_its_line():
    text = _text("italy-1948")
    ok = api.check_scenario_text({"yaml": text})
    assert ok["ok"] and ok["facts"]["fields"]
    lines = text.splitlines()
    n = next(i for i, x in enumerate(lines) if x.strip().startswith("tolerance:"))
    lines[n] = lines[n].split("tolerance:")[0] + "tolerance: 7"
    bad = api.check_scenario_text({"yaml": "\n".join(lines)})
    assert not bad["ok"] and bad["field"] == "patrons.USA.tolerance" and bad["line"] == n + 1
    assert "allowed" in bad["error"] and "\n" not in bad["error"]
    broken = api.check_scenario_text({"yaml": "metadata: [unclosed\n"})
    assert not broken["ok"] and broken["line"] in (1, 2)
    with pytest.raises(InputError):
        api.check_scenario_text({"yaml": "x" * 70_000})
    with pytest.raises(InputError):
        api.check_scenario_text({"text": text})


def test_line_of_path_follows_list_ids_and_positions():
    text = "a:\n  b:\n    - id: x\n      v: 1\n    - v: 2\n"
    assert line_of_path(text, "a.b.x.v") == 4
    assert line_of_path(text, "a.b.1") == 5
    assert line_of_path(text, "a.missing") == 1
    assert line_of_path("[", "a") is None


def test_forecast_of_edited_text_equals_the_case():
    text = _text("italy-1948")
    a = api.run_forecast({"yaml": text, "runs": 200, "seed": 2, "drivers": False})
    b = api.run_forecast({"id": "italy-1948", "runs": 200, "seed": 2, "drivers": False})
    assert a["alignment"] == b["alignment"] and a["timeline"] == b["timeline"]
    with pytest.raises(InputError, match="not both"):
        api.normalize_forecast_request({"id": "italy-1948", "yaml": text})


def test_advise_and_glossary():
    out = api.run_advise({"id": "italy-1948", "patron": "USA", "runs": 200, "seed": 1})
    assert len(out["strategies"]) >= 5 and all("cost" in s and "p_align" in s for s in out["strategies"])
    with pytest.raises(InputError, match="patron"):
        api.run_advise({"id": "italy-1948", "patron": "France", "runs": 50})
    g = api.glossary()
    codes = {m["code"] for m in g["mechanisms"]}
    from alliancelab.engine._simulate import MECHANISMS

    assert set(MECHANISMS) <= codes and all(m["theory"] for m in g["mechanisms"])
    assert {"precarity", "disparity", "alignment form"} <= {t["term"] for t in g["terms"]}


def test_world_needs_a_data_folder():
    with pytest.raises(InputError, match="--data-dir"):
        api.world_camps(1950, None)


def test_world_view_adds_each_states_inputs(shared_data_dir):
    out = api.world_camps(1950, shared_data_dir, runs=100, seed=1, max_states=12)
    assert out["camps"] and set(out["inputs"]) == set(out["alignment_probabilities"])
    entry = next(iter(out["inputs"].values()))
    assert {"power", "patrons", "rivals"} <= set(entry)
    json.dumps(out, allow_nan=False)


def test_posterior_forecast_on_request_only():
    plain = api.run_forecast({"id": "italy-1948", "runs": 300, "seed": 1, "drivers": False})
    assert "uncertainty" not in plain and "uncertainty" not in plain["request"]
    post = api.run_forecast({"id": "italy-1948", "runs": 300, "seed": 1, "drivers": False, "uncertainty": True})
    assert post["uncertainty"]["alignment"] and post["request"]["uncertainty"] is True
    with pytest.raises(InputError, match="uncertainty"):
        api.normalize_forecast_request({"id": "italy-1948", "uncertainty": "yes"})
