"""Forecasts integrated over the posterior and the judgement inputs; sensitivity and tornado plot."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import yaml

from alliancelab import InputError, ScenarioError
from alliancelab.calibration.space import load_space
from alliancelab.calibration.store import Posterior
from alliancelab.calibration.uncertainty import (DEFAULT_BAND, _components, judgement_inputs,
                                                 posterior_forecast, sensitivity, tornado_plot)
from alliancelab.scenario import load_scenario

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "contested_election.yaml"


@pytest.fixture(scope="module")
def post() -> Posterior:
    space = load_space()
    x = space.initial(6, np.random.default_rng(11))
    draws = np.array([[p.from_x(v) for p, v in zip(space.parameters, xi)] for xi in x])
    pw = {k: np.full((6, 1), 0.5) for k in ("loglik", "p_joint", "p_outcome", "timing_mass")}
    return Posterior(tuple(space.names), draws, ("italy-1948",), pw, {"label": "test", "runs_per_case": 10,
                                                                       "seed": 1})


def _with_band(tmp_path: Path, band: dict) -> Path:
    data = yaml.safe_load(EXAMPLE.read_text())
    data["patrons"]["West"]["interest"] = {"value": 0.6, "source": "test", "judgement": True, **band}
    p = tmp_path / "s.yaml"
    p.write_text(yaml.safe_dump(data))
    return p


def test_judgement_inputs_default_and_file_bands(tmp_path):
    sc = load_scenario(_with_band(tmp_path, {"low": 0.3, "high": 0.9}))
    ji = {j.path: j for j in judgement_inputs(sc)}
    assert ji["patrons.West.interest"].band == "file"
    assert (ji["patrons.West.interest"].low, ji["patrons.West.interest"].high) == (0.3, 0.9)
    for j in ji.values():
        assert j.low <= j.value <= j.high
        if j.band == "default" and j.value > 1:
            assert j.low == pytest.approx(j.value * (1 - DEFAULT_BAND))


def test_bad_bands_are_one_line_errors(tmp_path):
    with pytest.raises(InputError, match="outside its band"):
        judgement_inputs(load_scenario(_with_band(tmp_path, {"low": 0.7, "high": 0.9})))
    with pytest.raises(ScenarioError, match="low and high"):
        load_scenario(_with_band(tmp_path, {"low": 0.9, "high": 0.3}))
    with pytest.raises(ScenarioError, match="low and high"):
        load_scenario(_with_band(tmp_path, {"low": 0.1}))


def test_integrated_forecast_is_seeded_exact_in_runs_and_splits_its_variance(post):
    fc, u = posterior_forecast("italy-1948", runs=1_203, seed=5, posterior=post, draws=4, input_draws=3)
    d = fc.to_dict()
    assert d["runs"] == 1_203 and fc.result.aligned.shape[1] == 1_203
    assert sum(d["alignment"].values()) == pytest.approx(1.0, abs=1e-5)
    assert u["cells"] == u["parameter_draws"] * u["input_draws"] == 12 and u["inputs_varied"] > 0
    for lab, v in u["alignment"].items():
        assert v["probability"] == pytest.approx(d["alignment"][lab], abs=1e-6)
        assert all(s >= 0 for s in v["sd"].values())
        assert v["interval_95"][0] <= v["probability"] <= v["interval_95"][1]
        assert sum(v["variance_share"].values()) == pytest.approx(1.0, abs=2e-3) or v["sd"]["total"] == 0
    _, u2 = posterior_forecast("italy-1948", runs=1_203, seed=5, posterior=post, draws=4, input_draws=3)
    assert json.dumps(u, sort_keys=True) == json.dumps(u2, sort_keys=True)
    _, u3 = posterior_forecast("italy-1948", runs=600, seed=5, posterior=post, draws=4, inputs=False)
    assert u3["input_draws"] == 1 and all(v["sd"]["input"] == 0 for v in u3["alignment"].values())


def test_variance_components_recover_a_known_split():
    rng = np.random.default_rng(0)
    A, B, m = 12, 10, 4_000
    row = rng.normal(0, 0.10, A)[:, None]          # parameter effect, s.d. 0.10
    col = rng.normal(0, 0.03, B)[None, :]          # input effect, s.d. 0.03
    true = np.clip(0.5 + row + col, 0.01, 0.99)
    p = rng.binomial(m, true) / m
    c = _components(p, np.full((A, B), m))
    assert c["parameter"] > 4 * c["input"] > 0
    assert c["monte_carlo"] == pytest.approx(np.mean(p * (1 - p) / m))


def test_sensitivity_ranking_and_tornado_plot(post, tmp_path):
    s = sensitivity("italy-1948", runs=300, seed=2, posterior=post)
    swings = [r["swing"] for r in s["ranking"]]
    assert swings == sorted(swings, reverse=True)
    kinds = {r["kind"].split()[0] for r in s["ranking"]}
    assert kinds == {"parameter", "input"}
    assert len([r for r in s["ranking"] if r["kind"] == "parameter"]) == len(post.parameters)
    out = tornado_plot(s, tmp_path / "t.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
