"""CLI: `forecast` integrated by default (`--point` unchanged), `backtest --cv`, `posterior` option errors."""

from __future__ import annotations

import json

import pytest

from alliancelab.cli import main
from alliancelab.engine import forecast


def run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


def test_forecast_integrates_over_the_posterior_by_default(capsys):
    code, out, err = run(capsys, "forecast", "italy-1948", "--json", "--runs", "400", "--seed", "3",
                         "--no-drivers", "--draws", "2", "--input-draws", "2")
    assert code == 0, err
    d = json.loads(out)
    assert d["mode"] == "posterior" and d["runs"] == 400
    u = d["uncertainty"]
    assert u["cells"] == 4 and u["inputs_varied"] > 0
    assert set(u["modal"]["sd"]) == {"total", "monte_carlo", "parameter", "input", "interaction"}
    assert u["posterior"]["label"]


def test_point_forecast_is_the_engine_forecast(capsys):
    code, out, _ = run(capsys, "forecast", "italy-1948", "--json", "--runs", "300", "--seed", "3", "--no-drivers",
                       "--point", "--params", "defaults")
    assert code == 0
    ref = forecast("italy-1948", runs=300, seed=3, drivers=False)
    assert json.loads(out) == json.loads(ref.to_json())
    assert "uncertainty" not in json.loads(out)


def test_point_forecast_uses_the_calibrated_parameter_set_by_default(capsys):
    from alliancelab.calibration.params import calibrated_params

    code, out, _ = run(capsys, "forecast", "italy-1948", "--json", "--runs", "300", "--seed", "3", "--no-drivers",
                       "--point")
    assert code == 0
    ref = forecast("italy-1948", runs=300, seed=3, drivers=False, params=calibrated_params())
    assert json.loads(out) == json.loads(ref.to_json())
    assert json.loads(out)["params_changed"]          # the posterior median is not the source defaults
    default = forecast("italy-1948", runs=300, seed=3, drivers=False)
    assert json.loads(out)["alignment"] != json.loads(default.to_json())["alignment"]


def test_sensitivity_with_plots_writes_a_tornado(capsys, tmp_path):
    code, out, err = run(capsys, "forecast", "italy-1948", "--runs", "200", "--seed", "1", "--no-drivers",
                         "--draws", "2", "--input-draws", "1", "--sensitivity", "--plots", str(tmp_path))
    assert code == 0, err
    assert "Sensitivity of P(alignment=" in out and "Uncertainty of P(final alignment)" in out
    assert (tmp_path / "italy-1948-tornado.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize("args, needle", [
    (["forecast", "italy-1948", "--plots", "x"], "field '--plots': needs --sensitivity"),
    (["forecast", "italy-1948", "--draws", "0"], "field '--draws'"),
    (["backtest", "--cv", "kfold"], "field '--cv'"),
    (["backtest", "--cv", "loo", "--posterior", "/nonexistent.json"], "file not found"),
    (["posterior", "--workers", "-1"], "field '--workers'"),
    (["posterior", "--runs", "0"], "field '--runs'"),
])
def test_bad_options_exit_2_with_one_line(capsys, args, needle):
    code, out, err = run(capsys, *args)
    assert code == 2 and needle in err and len(err.strip().splitlines()) == 1


def test_backtest_runs_the_calibrated_set_unless_told_defaults(capsys):
    from alliancelab.calibration.params import calibrated_params
    from alliancelab.cases import backtest
    from alliancelab.theory.params import ModelParams

    code, out, _ = run(capsys, "backtest", "--json", "--runs", "150", "--case", "italy-1948")
    assert code == 0
    ref = [r.to_dict() for r in backtest(runs=150, seed=1, cases=["italy-1948"], params=calibrated_params())]
    assert json.loads(out) == json.loads(json.dumps(ref))
    code, out, _ = run(capsys, "backtest", "--json", "--runs", "150", "--case", "italy-1948", "--params", "defaults")
    ref = [r.to_dict() for r in backtest(runs=150, seed=1, cases=["italy-1948"], params=ModelParams())]
    assert code == 0 and json.loads(out) == json.loads(json.dumps(ref))
    code, _, err = run(capsys, "backtest", "--runs", "10", "--params", "median")
    assert code == 2 and "--params" in err and len(err.strip().splitlines()) == 1
