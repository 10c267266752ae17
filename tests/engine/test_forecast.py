"""forecast(): distributions sum to 1, intervals contain estimates, determinism, switches, frames."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import numpy as np
import pytest

from alliancelab import InputError, ScenarioError, forecast
from alliancelab.engine import EVENT_KINDS, MECHANISMS, wilson_interval
from alliancelab.scenario import load_scenario
from alliancelab.theory.disparity import ALLIANCE_TYPES

from ._build import build, two_clients

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = [REPO / "examples" / n for n in ("contested_election.yaml", "patron_turns.yaml", "civil_war.yaml")]


@pytest.fixture(scope="module")
def example_fc():
    return forecast(REPO / "examples" / "contested_election.yaml", runs=2000, seed=11, driver_runs=300)


def _check_dist(dist: dict, ci: dict, labels: list[str]) -> None:
    assert list(dist) == labels
    assert sum(dist.values()) == pytest.approx(1.0, abs=1e-5)
    for lab, p in dist.items():
        lo, hi = ci[lab]
        assert 0.0 <= lo <= p <= hi <= 1.0


def test_probabilities_sum_to_one_and_cis_contain_estimates(example_fc):
    d = example_fc.to_dict()
    _check_dist(d["alignment"], d["ci"]["alignment"], ["West", "East", "non-aligned"])
    _check_dist(d["ruling"], d["ci"]["ruling"], ["Reform", "Union", "Greens"])
    _check_dist(d["alliance_type"], d["ci"]["alliance_type"], list(ALLIANCE_TYPES))
    for row in d["timeline"]:
        for key in ("alignment", "ruling", "alliance_type"):
            _check_dist(row[key], row[f"{key}_ci"], list(row[key]))
    assert [r["period"] for r in d["timeline"]] == d["periods"]


def test_json_has_the_issue_keys(example_fc):
    d = json.loads(example_fc.to_json())
    for key in ("alignment", "ruling", "alliance_type", "events", "drivers", "runs", "seed", "warnings",
                "timeline", "clients", "ci"):
        assert key in d
    assert d["runs"] == 2000 and d["seed"] == 11
    assert set(d["events"]) == set(EVENT_KINDS)
    for kind, ev in d["events"].items():
        lo, hi = ev["ci"]
        assert lo <= ev["probability"] <= hi
        if ev["probability"] > 0:
            assert sum(ev["first_period"].values()) == pytest.approx(1.0, abs=1e-5)
            assert ev["modal_first_period"] in d["periods"]
        else:
            assert ev["modal_first_period"] is None
        for lab, b in ev["by"].items():
            assert b["probability"] <= ev["probability"] + 1e-9 or kind in ("coup_attempted",)
            assert b["ci"][0] <= b["probability"] <= b["ci"][1]


def test_election_held_in_every_run(example_fc):
    ev = example_fc.to_dict()["events"]["election_won"]
    assert ev["probability"] == 1.0
    assert ev["modal_first_period"] == "2022"


def test_same_seed_gives_identical_json_bytes_and_other_seeds_differ():
    s = build()
    a = forecast(s, runs=500, seed=7, driver_runs=60).to_json()
    b = forecast(s, runs=500, seed=7, driver_runs=60).to_json()
    c = forecast(s, runs=500, seed=8, driver_runs=60).to_json()
    assert a == b
    assert a != c
    path = REPO / "examples" / "patron_turns.yaml"
    assert forecast(path, runs=300, seed=7, drivers=False).to_json() == \
        forecast(path, runs=300, seed=7, drivers=False).to_json()


def test_unseeded_forecast_records_a_seed_that_reproduces_it():
    s = build()
    fc = forecast(s, runs=300, drivers=False)
    again = forecast(s, runs=300, seed=fc.seed, drivers=False)
    assert fc.to_json() == again.to_json()


def test_generator_seed_is_accepted():
    fc = forecast(build(), runs=200, seed=np.random.default_rng(3), drivers=False)
    assert isinstance(fc.seed, int)


@pytest.mark.parametrize("runs", [0, -5, 10**9, 2.5, True])
def test_bad_runs_is_an_input_error(runs):
    with pytest.raises(InputError, match="runs"):
        forecast(build(), runs=runs, seed=1)


def test_unknown_mechanism_is_an_input_error():
    with pytest.raises(InputError, match="unknown mechanism 'E99'"):
        forecast(build(), runs=10, seed=1, disable={"E99"})


def test_drivers_cover_every_mechanism_not_disabled_and_are_ranked():
    fc = forecast(build(), runs=400, seed=2, driver_runs=200, disable={"E4"})
    drv = fc.to_dict()["drivers"]
    assert set(drv) == set(MECHANISMS) - {"E4"}
    assert sorted(v["rank"] for v in drv.values()) == list(range(1, len(drv) + 1))
    for v in drv.values():
        assert v["change_when_off"] == pytest.approx(v["p_without"] - v["p_with"], abs=2e-6)
    assert fc.to_dict()["disabled"] == ["E4"]
    assert fc.to_dict()["driver_runs"] == 200


def test_switching_off_coups_and_punishment_removes_coups():
    fc = forecast(REPO / "examples" / "patron_turns.yaml", runs=500, seed=1, drivers=False,
                  disable={"E2", "E12"})
    ev = fc.to_dict()["events"]
    assert ev["coup_attempted"]["probability"] == 0.0
    assert ev["coup_succeeded"]["probability"] == 0.0


def test_patron_turning_on_its_client_is_endogenous():
    d = forecast(REPO / "examples" / "patron_turns.yaml", runs=1000, seed=5, drivers=False).to_dict()
    ev = d["events"]
    assert ev["split"]["probability"] > 0.5
    assert ev["punishment"]["by"]["Syldavia"]["probability"] > 0.3
    assert ev["coup_attempted"]["probability"] > 0.3
    # without excess support (E11) the junta rarely outgrows its patron
    calm = forecast(REPO / "examples" / "patron_turns.yaml", runs=1000, seed=5, drivers=False,
                    disable={"E11"}).to_dict()
    assert calm["events"]["split"]["probability"] < ev["split"]["probability"]


def test_multi_client_reports_each_client_and_primary_at_top_level():
    d = forecast(two_clients(), runs=500, seed=4, drivers=False).to_dict()
    assert d["primary_client"] == "Client"
    assert set(d["clients"]) == {"Client", "Second"}
    assert d["alignment"] == d["clients"]["Client"]["alignment"]
    assert list(d["clients"]["Second"]["ruling"]) == ["Gov", "Opp", "Third"]
    assert sum(d["clients"]["Second"]["ruling"].values()) == pytest.approx(1.0, abs=1e-5)


def test_scope_warning_when_only_one_patron_backs_a_faction():
    s = build(ussr_amount=0.0)
    d = forecast(s, runs=100, seed=1, drivers=False).to_dict()
    assert any(w.startswith("E7(b)") for w in d["warnings"])
    assert not any(w.startswith("E7") for w in forecast(build(), runs=100, seed=1,
                                                           drivers=False).to_dict()["warnings"])


def test_trajectories_and_period_summary_are_tidy(example_fc):
    tr = example_fc.trajectories
    assert list(tr.columns[:6]) == ["run", "period", "client", "ruling", "alignment", "alliance_type"]
    assert len(tr) == example_fc.runs * len(example_fc.periods)
    assert tr["precarity"].between(0, 1).all()
    ps = example_fc.period_summary()
    sums = ps[ps.variable != "precarity_mean"].groupby(["period", "client", "variable"]).probability.sum()
    assert np.allclose(sums.to_numpy(), 1.0, atol=1e-5)
    final = tr[tr.period == example_fc.periods[-1]].alignment.value_counts(normalize=True)
    assert final["West"] == pytest.approx(example_fc.to_dict()["alignment"]["West"], abs=1e-6)
    assert set(example_fc.summary().variable) == {"alignment", "ruling", "alliance_type"}


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_examples_validate_and_forecast(path):
    s = load_scenario(path)
    d = forecast(s, runs=300, seed=1, driver_runs=100).to_dict()
    assert sum(d["alignment"].values()) == pytest.approx(1.0, abs=1e-5)
    e7 = [w for w in d["warnings"] if w.startswith("E7")]
    assert all("(Lagonia)" in w for w in e7), e7          # civil_war's second client is meant to warn


def test_multi_client_example_reports_both_clients():
    d = forecast(REPO / "examples" / "civil_war.yaml", runs=300, seed=1, drivers=False).to_dict()
    assert set(d["clients"]) == {"Maravia", "Lagonia"}
    assert d["events"]["election_won"]["modal_first_period"] == "1983"
    assert d["clients"]["Lagonia"]["events"]["election_won"]["probability"] == 1.0


def test_new_ruler_re_decides_alignment():
    d = forecast(REPO / "examples" / "civil_war.yaml", runs=500, seed=1, drivers=False).to_dict()
    assert d["events"]["alliance_left"]["by"]["Southland"]["probability"] > 0.2


def test_wilson_interval_contains_the_estimate_and_shrinks_with_n():
    lo1, hi1 = wilson_interval(30, 100)
    lo2, hi2 = wilson_interval(3000, 10000)
    assert lo1 < 0.3 < hi1 and lo2 < 0.3 < hi2
    assert hi2 - lo2 < hi1 - lo1
    lo, hi = wilson_interval(0, 50)
    assert lo == 0.0 and 0 < hi < 0.1


def test_a_state_can_be_patron_and_client_at_once():
    from alliancelab.scenario import parse_scenario

    from ._build import POWER, base_dict

    d = base_dict(n_periods=4)
    # "USSR" patron of the client; the client is also patron of a small state "Minor"
    d["patrons"]["Client"] = {"interest": {"Minor": 0.9}, "budget": 50, "power": d["clients"]["Client"]["power"]}
    d["patrons"]["US"]["interest"] = {"Client": 0.8, "Minor": 0.5}
    d["patrons"]["USSR"]["interest"] = {"Client": 0.8, "Minor": 0.7}
    d["clients"]["Minor"] = {"power": {1950: {k: 0.2 for k in POWER}},
                             "factions": {"Ruler": {"baseline_support": 0.7, "coercion": 0.5, "incumbent": True,
                                                    "affinity": {"Client": 0.6}},
                                          "Rebels": {"baseline_support": 0.3, "coercion": 0.2}}}
    d["support"].append({"from": 1950, "to": 1953, "patron": "Client", "client": "Minor", "faction": "Ruler",
                         "instrument": "economic_aid", "amount": 20})
    s = parse_scenario(d, source="<test>")
    out = forecast(s, runs=300, seed=1, drivers=False).to_dict()
    assert list(out["alignment"]) == ["US", "USSR", "Client", "non-aligned"]
    assert out["alignment"]["Client"] == 0.0                       # never its own ally
    assert set(out["clients"]["Minor"]["alignment"]) == {"US", "USSR", "Client", "non-aligned"}
    bad = copy.deepcopy(d)
    bad["support"].append({"from": 1950, "patron": "Client", "client": "Client", "faction": "Gov",
                           "instrument": "propaganda", "amount": 1})
    with pytest.raises(ScenarioError, match="own factions"):
        parse_scenario(bad, source="<test>")


@pytest.mark.parametrize("mech", ["E4", "E5", "E17", "E6", "Y7", "Y10", "Y12", "E20f", "Y16", "Y17", "E11m", "Y21",
                                  "E8g", "Y19", "E20j", "E21b", "E13b", "E20r", "E2t"])
def test_skipped_inert_drivers_are_exactly_inert(mech):
    from alliancelab.engine import compile_scenario, simulate
    from alliancelab.engine.forecast import _inert
    from alliancelab.theory.params import ModelParams

    d = _build_dict_all_inert()
    if mech == "E20j":                        # a junta is inert only where no election is scheduled
        d["clients"]["Client"]["elections"] = []
    s = __import__("alliancelab.scenario", fromlist=["parse_scenario"]).parse_scenario(d, source="<t>")
    comp = compile_scenario(s, ModelParams())
    assert _inert(mech, comp)
    a = simulate(comp, ModelParams(), 300, np.random.default_rng(3))
    b = simulate(comp, ModelParams(), 300, np.random.default_rng(3), frozenset({mech}))
    assert np.array_equal(a.aligned, b.aligned) and np.array_equal(a.ruling, b.ruling)


def _build_dict_all_inert() -> dict:
    from ._build import base_dict

    d = base_dict(n_periods=5, severity=0.5)
    d["clients"]["Client"]["aid_need"] = 0
    for it in d["support"]:
        it["visibility"] = 1.0
        it["breadth"] = 1.0
    return d


def test_light_reruns_give_the_same_histories():
    from alliancelab.engine import compile_scenario, simulate
    from alliancelab.theory.params import ModelParams

    comp = compile_scenario(load_scenario(REPO / "examples" / "patron_turns.yaml"), ModelParams())
    full = simulate(comp, ModelParams(), 400, np.random.default_rng(9))
    light = simulate(comp, ModelParams(), 400, np.random.default_rng(9), light=True)
    assert np.array_equal(full.aligned, light.aligned) and np.array_equal(full.ruling, light.ruling)


def test_event_table_agrees_with_event_probabilities(example_fc):
    et = example_fc.event_table
    assert list(et.columns) == ["run", "client", "event", "period"]
    d = example_fc.to_dict()["events"]
    for kind, ev in d.items():
        n = et[et.event == kind].run.nunique()
        assert n / example_fc.runs == pytest.approx(ev["probability"], abs=1e-6)


def test_changed_params_are_recorded_and_first_period_has_intervals():
    from alliancelab import ModelParams

    p = ModelParams.from_dict({"engine": {"shock_sd": 0.5}})
    d = forecast(build(), runs=200, seed=1, drivers=False, params=p).to_dict()
    assert d["params_changed"] == {"engine.shock_sd": 0.5}
    assert forecast(build(), runs=50, seed=1, drivers=False).to_dict()["params_changed"] == {}
    ev = d["events"]["election_won"]
    for per, share in ev["first_period"].items():
        lo, hi = ev["first_period_ci"][per]
        assert lo <= share <= hi
