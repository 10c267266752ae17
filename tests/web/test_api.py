"""The web explorer's API functions, called directly (no server)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from alliancelab import InputError
from alliancelab.web import api

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"


def _forecast(**kw):
    req = {"id": "italy-1948", "runs": 300, "seed": 5, "drivers": False, **kw}
    return api.run_forecast(req, EXAMPLES)


def test_list_scenarios_has_cases_and_example_scenarios_only():
    out = api.list_scenarios(EXAMPLES)
    ids = [s["id"] for s in out["scenarios"]]
    assert {"italy-1948", "yugoslavia-1948"} <= set(ids)
    assert all(s["title"] for s in out["scenarios"])
    examples = [s["id"] for s in out["scenarios"] if s["kind"] == "example"]
    assert "examples/contested_election.yaml" in examples
    assert not any("sweep" in e for e in examples)  # sweep configs are not scenarios
    assert out["max_runs"] == api.MAX_RUNS
    json.dumps(out, allow_nan=False)


def test_list_scenarios_without_examples_folder(tmp_path):
    out = api.list_scenarios(tmp_path / "absent")
    assert {s["kind"] for s in out["scenarios"]} == {"case"}


def test_get_scenario_facts():
    out = api.get_scenario("italy-1948")
    assert out["primary_client"] == "Italy"
    assert set(out["scenario"]["patrons"]) == {"USA", "USSR"}
    assert "Italy" in out["scenario"]["clients"]
    assert out["periods"][0] == "1946"
    # support by period sums money-like amounts per patron -> client/faction -> period
    usa = out["support_by_period"]["USA"]
    assert any(k.startswith("Italy/") for k in usa)
    assert all(set(cells) <= set(out["periods"]) for cells in usa.values())
    paths = {e["path"] for e in out["editable"]}
    assert "patrons.USA.budget" in paths
    assert any(p.startswith("support.") and p.endswith(".amount") for p in paths)
    json.dumps(out, allow_nan=False)


def test_editable_paths_are_valid_overrides():
    facts = api.get_scenario("italy-1948")
    sample = [e for e in facts["editable"] if e["path"].startswith(("support.", "patrons."))][:4]
    overrides = [f"{e['path']}={e['value']}" for e in sample]
    out = _forecast(overrides=overrides)
    assert out["request"]["overrides"] == overrides


def test_forecast_keys_and_period_summary():
    out = _forecast()
    for key in ("alignment", "ruling", "alliance_type", "ci", "events", "drivers", "warnings", "timeline",
                "period_summary", "clients", "request"):
        assert key in out
    assert out["runs"] == 300 and out["seed"] == 5
    assert sum(out["alignment"].values()) == pytest.approx(1.0, abs=1e-6)
    assert len(out["timeline"]) == len(out["periods"])
    variables = {r["variable"] for r in out["period_summary"]}
    assert {"alignment", "ruling", "alliance_type", "precarity_mean"} <= variables
    json.dumps(out, allow_nan=False)  # strict JSON: NaN intervals became null


def test_forecast_is_deterministic_and_seed_matters():
    a, b = _forecast(), _forecast()
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    c = _forecast(seed=6)
    assert c["timeline"] != a["timeline"]


def test_forecast_defaults_and_override_changes_result():
    out = api.run_forecast({"id": "italy-1948", "runs": 200, "drivers": False})
    assert out["request"] == {"id": "italy-1948", "runs": 200, "seed": 1, "overrides": [], "drivers": False}
    # A scenario whose later scripted events do not reset the overridden fact.
    scen = {"id": "examples/contested_election.yaml"}
    base = _forecast(**scen)
    alt = _forecast(**scen, overrides=["clients.Ruritania.factions.Union.baseline_support=0.02"])
    assert alt["ruling"]["Union"] < base["ruling"]["Union"]


def test_forecast_example_scenario_and_drivers():
    out = api.run_forecast({"id": "examples/contested_election.yaml", "runs": 100, "seed": 1}, EXAMPLES)
    assert out["drivers"] and all("rank" in d for d in out["drivers"].values())
    assert out["driver_runs"] == 100


@pytest.mark.parametrize(("request_", "message"), [
    ({"id": "no-such-case"}, "field 'id': unknown scenario 'no-such-case'; allowed: "),
    ({"id": "../../etc/passwd"}, "unknown scenario"),
    ({"id": "examples/sweep-grid.yaml"}, "unknown scenario"),
    ({"id": "italy-1948", "runs": 0}, "field 'runs': must be a whole number in [1, 50,000]; got 0"),
    ({"id": "italy-1948", "runs": 50_001}, "field 'runs': must be a whole number in [1, 50,000]"),
    ({"id": "italy-1948", "runs": True}, "field 'runs'"),
    ({"id": "italy-1948", "runs": "many"}, "field 'runs'"),
    ({"id": "italy-1948", "seed": -1}, "field 'seed'"),
    ({"id": "italy-1948", "drivers": "yes"}, "field 'drivers': must be true or false"),
    ({"id": "italy-1948", "overrides": "patrons.USA.budget=1"}, "field 'overrides': must be a list"),
    ({"id": "italy-1948", "overrides": ["patrons.XX.budget=1"]}, "field 'patrons.XX.budget': no such path"),
    ({"id": "italy-1948", "overrides": ["patrons.USA.budget=-5"]}, "must not be negative"),
    ({"id": "italy-1948", "overrides": ["patrons.USA.budget"]}, "has no '='"),
    ({"id": "italy-1948", "overrides": ["a=1"] * 51}, "at most 50 overrides"),
    ({"id": "italy-1948", "color": "red"}, "field 'color': unknown field"),
    ({"runs": 10}, "field 'id': missing"),
    ([1, 2], "must be a JSON object"),
])
def test_bad_forecast_requests_are_one_line_input_errors(request_, message):
    with pytest.raises(InputError) as info:
        api.run_forecast(request_, EXAMPLES)
    text = str(info.value)
    assert message in text
    assert "\n" not in text and "Traceback" not in text


def test_get_scenario_unknown_id():
    with pytest.raises(InputError, match="field 'id': unknown scenario 'nope'"):
        api.get_scenario("nope")


def test_backtest_small():
    out = api.run_backtest(runs=60, seed=2)
    assert out["total"] == len(out["cases"]) >= 5
    assert out["passed"] == sum(c["passed"] for c in out["cases"])
    for case in out["cases"]:
        assert {"case", "expected", "probability", "ci", "passed", "timing"} <= set(case)
    json.dumps(out, allow_nan=False)


@pytest.mark.parametrize("runs", [0, -3, 10**9, "x"])
def test_backtest_bad_runs(runs):
    with pytest.raises(InputError, match="field 'runs'"):
        api.run_backtest(runs=runs, seed=1)


# ------------------------------------------------------------------------------ validation
@pytest.fixture(scope="module")
def validation():
    return api.validation()


def test_validation_totals_equal_the_cli_json(validation, capsys):
    """The page's numbers are ``alliancelab backtest --cv loo --no-refit --json`` for the shipped posterior."""
    from alliancelab.cli import main

    with pytest.raises(SystemExit) as info:
        main(["backtest", "--cv", "loo", "--no-refit", "--json"])
    out, err = capsys.readouterr()
    assert int(info.value.code or 0) == 0, err
    cli = json.loads(out)
    for key in ("n_cases", "hit_rate", "mean_log_score", "mean_brier", "baselines", "posterior", "k_threshold"):
        assert validation[key] == cli[key], key
    assert [r["case"] for r in validation["cases"]] == [r["case"] for r in cli["cases"]]
    for ours, theirs in zip(validation["cases"], cli["cases"], strict=True):
        for key in ("probability", "p_outcome", "timing_mass", "hit", "log_score", "brier", "pareto_k",
                    "method", "baselines"):
            assert ours[key] == theirs[key], (ours["case"], key)
    assert validation["command"] == "alliancelab backtest --cv loo --no-refit --json"


def test_validation_shape_cases_and_convergence(validation):
    from alliancelab.calibration.baseline_seam import RULES
    from alliancelab.calibration.store import load_posterior

    v = validation
    assert v["n_cases"] == len(v["cases"]) >= 5
    assert v["hit_rate"] == round(sum(r["hit"] for r in v["cases"]) / v["n_cases"], 4)
    assert set(v["baselines"]) == set(RULES)
    for row in v["cases"]:
        assert row["title"] and row["method"].startswith(("psis-loo", "held out"))  # never a refit
        assert 0.0 <= row["probability"] <= 1.0 and 0.0 <= row["p_outcome"] <= 1.0
        assert row["brier"] == pytest.approx((1 - row["probability"]) ** 2, abs=1e-3)
        assert {"era", "region", "timing_mass", "log_score", "pareto_k", "hit"} <= set(row)
        assert set(row["baselines"]) == set(RULES) and all("hit" in b for b in row["baselines"].values())
    prov = load_posterior().provenance
    c = v["convergence"]
    assert c["converged"] is prov["converged"] and c["label"] == prov["label"]
    assert c["rhat_max"] == prov["convergence"]["rhat_max"]
    assert c["ess_bulk_min"] == prov["convergence"]["ess_bulk_min"]
    json.dumps(v, allow_nan=False)


# ------------------------------------------------------------------------------ world camps scores
@pytest.mark.shared_data
def test_world_view_names_the_scored_years(shared_data_dir):
    from alliancelab.engine.world_camps import REFERENCE

    out = api.world_camps(1950, shared_data_dir, runs=20, seed=1, max_states=6)
    assert out["reference_years"] == sorted(REFERENCE) == [1914, 1950]


@pytest.mark.shared_data
def test_world_camps_score_is_the_cli_scoring(shared_data_dir):
    from alliancelab.engine.world_camps import REFERENCE, score_camps

    out = api.world_camps_score("1914", shared_data_dir, runs="60", seed="2")
    assert out == {**score_camps(1914, data_dir=shared_data_dir, runs=60, seed=2),
                   "command": "alliancelab world camps --year 1914 --runs 60 --seed 2"}
    listed = {s for names in REFERENCE[1914]["camps"].values() for s in names}
    assert {r["state"] for r in out["rows"]} == listed
    assert out["n_errors"] == len(out["errors"]) == sum(
        r["model"] is not None and r["model"] != r["reference"] for r in out["rows"])


@pytest.mark.parametrize(("year", "data", "message"), [
    (1950, None, "field '--data-dir': the server has no data folder"),
    (1915, "x", "field 'year': no reference partition for 1915; allowed: 1914, 1950"),
    ("soon", "x", "field 'year': must be a whole number"),
])
def test_world_camps_score_bad_requests(year, data, message):
    with pytest.raises(InputError) as info:
        api.world_camps_score(year, data)
    assert message in str(info.value) and "\n" not in str(info.value)
