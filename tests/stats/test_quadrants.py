"""Quadrant rates and Wilson intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alliancelab import InputError
from alliancelab.stats.operationalize import QUADRANT_ORDER, prepare_dyads
from alliancelab.stats.quadrants import quadrant_table, wilson_interval


@pytest.mark.parametrize("k,n", [(0, 10), (3, 10), (10, 10), (57, 12345)])
def test_wilson_matches_statsmodels(k, n):
    from statsmodels.stats.proportion import proportion_confint

    lo, hi = wilson_interval(k, n)
    ref = proportion_confint(k, n, method="wilson")
    assert lo == pytest.approx(ref[0], abs=1e-12) and hi == pytest.approx(ref[1], abs=1e-12)


def test_table_counts_match_direct_computation(prepared):
    q = quadrant_table(prepared)
    t = q.table
    assert list(t["quadrant"][:4]) == QUADRANT_ORDER
    assert t["sample"].iloc[12] == "Russia/USSR (365)"  # Russia first among great powers
    allrows = t[t["sample"] == "all dyads"]
    risk = prepared[prepared["at_risk_onset"] & prepared["quadrant"].notna()]
    assert allrows["onset_n"].sum() == len(risk)
    assert allrows["onset_events"].sum() == int(risk["onset"].sum())
    strong = allrows.iloc[0]
    sub = risk[(risk["threat"] == 1) & (risk["high_disparity"] == 1)]
    assert strong["onset_rate"] == pytest.approx(sub["onset"].mean())
    assert (t["onset_lo"] <= t["onset_rate"]).all() and (t["onset_rate"] <= t["onset_hi"]).all()
    d = q.to_dict()
    assert set(d["samples"]["all dyads"]) == set(QUADRANT_ORDER)


def test_lags_and_risk_sets_by_hand():
    dy = pd.DataFrame({
        "year": [1900, 1901, 1902, 1903, 1905], "ccode1": 2, "ccode2": 20,
        "alliance": [0, 1, 1, 0, 1], "cap_share": [0.9, 0.6, 0.6, 0.6, 0.6], "cinc1": 0.1, "cinc2": 0.01,
        "shared_rivals": [1, 0, 0, 0, 0], "shared_mid_opponents": 0, "common_threat_cinc": 0.0,
        "conttype": 1, "capdist": 1000.0, "any_major": 1, "politically_relevant": 1,
        "v2x_polyarchy1": 0.5, "v2x_polyarchy2": np.nan, "rivalry": 0, "cowmid_ongoing": 0})
    p = prepare_dyads(dy)
    assert p["at_risk_onset"].tolist() == [False, True, False, False, False]  # 1905 follows a gap
    assert p["onset"].iloc[1] == 1 and p["end"].iloc[3] == 1
    assert p["threat"].iloc[1] == 1 and p["high_disparity"].iloc[1] == 1  # measured at t-1
    assert p["quadrant"].iloc[1].startswith("strong alliance")
    assert p["regime_missing"].iloc[1] == 1


def test_missing_columns_is_one_line_input_error():
    with pytest.raises(InputError, match="lacks required column.*cap_share"):
        prepare_dyads(pd.DataFrame({"year": [1], "ccode1": [2], "ccode2": [20], "alliance": [0]}))
