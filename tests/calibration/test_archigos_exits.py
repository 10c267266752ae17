"""Archigos 4.1 exit rates and the log-normal priors read from them (the unrest and the coup prior)."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

from alliancelab.calibration import store
from alliancelab.calibration.archigos_exits import (
    YEARS,
    exit_rates,
    log_rate_prior,
    run_prior_script,
)
from alliancelab.calibration.coup_prior import fit_coup_prior, load_coup_prior
from alliancelab.calibration.unrest_prior import fit_unrest_prior, load_unrest_prior


@pytest.mark.shared_data
@pytest.mark.parametrize("fit, load, parameter", [(fit_unrest_prior, load_unrest_prior, "elite.unrest_max"),
                                                  (fit_coup_prior, load_coup_prior, "elite.coup_attempt_max")])
def test_shipped_prior_matches_a_recomputation_from_archigos(shared_data_dir: Path, fit, load, parameter):
    if not (shared_data_dir / "archigos" / "archigos_4.1.csv.gz").is_file():
        print(f"skip reason: no archigos/archigos_4.1.csv.gz under {shared_data_dir}")
        pytest.skip(f"Archigos 4.1 (archigos/archigos_4.1.csv.gz) not under {shared_data_dir}")
    fresh, shipped = fit(shared_data_dir), load()
    assert fresh["events"] == shipped["events"]
    for k in ("mean", "sd", "median"):
        assert fresh["priors"][parameter][k] == pytest.approx(shipped["priors"][parameter][k], rel=1e-9)
    assert fresh["leader_years"] == pytest.approx(shipped["leader_years"], rel=1e-9)
    assert fresh["reference_state"]["kernel_factor"] == pytest.approx(
        shipped["reference_state"]["kernel_factor"], rel=1e-12)


def test_exit_rates_count_events_and_exposure_inside_the_years():
    import pandas as pd

    frame = pd.DataFrame({
        "ccode": [1, 1, 2],
        "startdate": ["1880-01-01", "1900-01-01", "1950-01-01"],
        "enddate": ["1900-01-01", "1910-01-01", "1960-01-01"],
        "exit": ["Regular", "Irregular", "Irregular"],
        "exitcode": ["Regular", "Popular Protest, without Foreign Support",
                     "Removed by Military, without Foreign Support"],
    })
    r = exit_rates(frame, (1890, 1955))
    assert r["leader_years"] == pytest.approx((10 * 365 + 2 + 10 * 365 + 2 + 6 * 365 + 1) / 365.25, rel=1e-3)
    assert r["events"]["protest"] == 1 and r["events"]["military"] == 0   # the coup of 1960 is outside
    assert r["events"]["irregular"] == 1


def test_log_rate_prior_reads_the_rate_through_the_kernel_factor():
    rate, factor = 0.02, 0.25
    out = log_rate_prior("elite.x", "protest", rate, 100, {"a": rate * math.e, "b": 0.0},
                         factor=factor, transport_sd=0.5)
    p_year = 1.0 - math.exp(-rate)
    assert out["annual_probability_protest"] == pytest.approx(p_year)
    assert out["variants_protest_rate"] == {"a": rate * math.e, "b": 0.0}
    assert out["se_log_rate"] == pytest.approx(0.1)
    # log rates: log r, log r + 1, log 1e-9 (a zero variant is floored, not -inf)
    logs = [math.log(rate), math.log(rate) + 1.0, math.log(1e-9)]
    m = sum(logs) / 3
    assert out["spread_log_rate"] == pytest.approx(math.sqrt(sum((v - m) ** 2 for v in logs) / 2))
    pr = out["priors"]["elite.x"]
    assert pr["scale"] == "log" and pr["mean"] == pytest.approx(math.log(p_year / factor))
    assert pr["median"] * factor == pytest.approx(p_year)
    assert pr["sd"] == pytest.approx(math.sqrt(0.1 ** 2 + out["spread_log_rate"] ** 2 + 0.5 ** 2))
    assert out["years"] == list(YEARS) and out["reference_transport_sd"] == 0.5


def test_run_prior_script_fits_from_the_data_dir_and_writes_the_named_file(monkeypatch, tmp_path, capsys):
    seen = {}
    monkeypatch.setattr(sys, "argv", ["coup_prior.py", "--data-dir", str(tmp_path)])
    monkeypatch.setattr(store, "write_prior", lambda numbers, **kw: seen.update(numbers=numbers, **kw)
                        or tmp_path / "out.json")
    target = run_prior_script(lambda d: {"from": d}, "coup_prior", "Recompute.\n\nmore")
    assert seen == {"numbers": {"from": str(tmp_path)}, "script": "scripts/coup_prior.py",
                    "dataset": "archigos", "name": "coup_prior"}
    assert target == tmp_path / "out.json" and capsys.readouterr().out.strip() == str(target)
