"""The empirical prior of ``elite.unrest_max`` (Archigos 4.1 popular-protest exits, docs/calibration.md)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from alliancelab.calibration.unrest_prior import (REFERENCE_FACTOR, exit_rates, fit_unrest_prior,
                                                  load_unrest_prior)
from alliancelab.theory.elite import EliteParams
from alliancelab.theory.elite.contest import precarity


@pytest.mark.shared_data
def test_shipped_prior_matches_a_recomputation_from_archigos(shared_data_dir: Path):
    if not (shared_data_dir / "archigos" / "archigos_4.1.csv.gz").is_file():
        print(f"skip reason: no archigos/archigos_4.1.csv.gz under {shared_data_dir}")
        pytest.skip(f"Archigos 4.1 (archigos/archigos_4.1.csv.gz) not under {shared_data_dir}")
    fresh, shipped = fit_unrest_prior(shared_data_dir), load_unrest_prior()
    assert fresh["events"] == shipped["events"]
    for k in ("mean", "sd", "median"):
        assert fresh["priors"]["elite.unrest_max"][k] == pytest.approx(
            shipped["priors"]["elite.unrest_max"][k], rel=1e-9)
    assert fresh["leader_years"] == pytest.approx(shipped["leader_years"], rel=1e-9)


def test_the_prior_median_reproduces_the_protest_rate_at_the_reference_state():
    """At s_inc 0.5, no discontent, c_inc = repression_half, the kernel gives Archigos's annual rate."""
    hp = load_unrest_prior()
    pr = hp["priors"]["elite.unrest_max"]
    assert pr["scale"] == "log" and pr["median"] == pytest.approx(math.exp(pr["mean"]))
    p = EliteParams(unrest_max=pr["median"], repression_half=0.25)
    act = np.array([True, True])
    # a two-faction polity with no coup threat (challenger without coercion) and no election due
    q = float(precarity(np.array([0.5, 0.5]), np.array([0.25, 0.0]), 0, 0.0, 0.0, act, p))
    assert q == pytest.approx(hp["annual_probability_protest"], rel=1e-6)
    assert REFERENCE_FACTOR == pytest.approx(0.25)
    # Archigos: popular protest is a small share of irregular exits, the military a large one
    share = hp["share_of_irregular_exits"]
    assert share["protest"] < 0.15 < 0.5 < share["military_and_other_government"]
    assert 0 < hp["rate_per_leader_year"]["protest"] < hp["rate_per_leader_year"]["military"]


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
