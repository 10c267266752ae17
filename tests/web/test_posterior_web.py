"""The explorer uses the same parameter set and the same posterior forecasts as the CLI."""

from __future__ import annotations

import json

import pytest

from alliancelab import InputError
from alliancelab.advise import advice_to_dict, advise
from alliancelab.calibration.params import calibrated_params
from alliancelab.calibration.uncertainty import posterior_forecast
from alliancelab.engine import forecast
from alliancelab.web import api


def test_point_mode_is_the_calibrated_parameter_set():
    out = api.run_forecast({"id": "italy-1948", "runs": 300, "seed": 4, "drivers": False})
    ref = forecast("italy-1948", runs=300, seed=4, drivers=False, params=calibrated_params()).to_dict()
    assert out["alignment"] == ref["alignment"] and out["params_changed"] == ref["params_changed"]


def test_posterior_forecast_equals_the_cli_forecast():
    out = api.run_forecast({"id": "italy-1948", "runs": 600, "seed": 4, "drivers": False, "uncertainty": True})
    fc, unc = posterior_forecast("italy-1948", runs=600, seed=4, draws=api.WEB_DRAWS,
                                 input_draws=api.WEB_INPUT_DRAWS)
    assert out["alignment"] == fc.to_dict()["alignment"]
    assert json.dumps(out["uncertainty"], sort_keys=True) == json.dumps(unc, sort_keys=True)


def test_whatif_over_the_posterior_is_paired_on_the_same_cells():
    req = {"id": "italy-1948", "runs": 600, "seed": 2, "uncertainty": True,
           "overrides": ["patrons.USA.budget=0"]}
    out = api.run_whatif(req)
    again = api.run_whatif(req)
    assert json.dumps(out, sort_keys=True) == json.dumps(again, sort_keys=True)
    assert out["uncertainty"]["cells"] > 1 and out["request"]["uncertainty"] is True
    # the baseline is the posterior forecast of the explorer's forecast tab
    fc = api.run_forecast({"id": "italy-1948", "runs": 600, "seed": 2, "drivers": False, "uncertainty": True})
    assert out["base"]["alignment"] == fc["alignment"]
    # a no-op change gives zero paired differences in every run (same draws, inputs and seeds)
    same = api.run_whatif({**req, "overrides": ["patrons.USA.budget=" + str(_budget())]})
    for block in same["difference"]["Italy"]["alignment"].values():
        assert block["diff"] == 0.0 and block["changed_runs"] == 0
    # the change moves the forecast
    assert any(v["changed_runs"] > 0 for v in out["difference"]["Italy"]["alignment"].values())


def _budget() -> float:
    from alliancelab.scenario import load_scenario

    return load_scenario("italy-1948").patrons["USA"].budget


def test_advise_point_and_posterior_as_the_cli():
    point = api.run_advise({"id": "italy-1948", "patron": "USA", "runs": 200, "seed": 1})
    ref = advice_to_dict(advise("italy-1948", "USA", runs=200, seed=1, point=True))
    assert point["strategies"] == ref["strategies"] and point["mode"] == "point"
    post = api.run_advise({"id": "italy-1948", "patron": "USA", "runs": 400, "seed": 1, "uncertainty": True})
    ref = advice_to_dict(advise("italy-1948", "USA", runs=400, seed=1, draws=api.WEB_DRAWS,
                                input_draws=api.WEB_INPUT_DRAWS))
    assert post["strategies"] == ref["strategies"] and post["mode"] == "posterior"
    assert post["uncertainty"]["cells"] > 1 and post["request"]["uncertainty"] is True
    with pytest.raises(InputError, match="uncertainty"):
        api.run_advise({"id": "italy-1948", "patron": "USA", "uncertainty": "yes"})
