"""Spells are built correctly and the Cox model recovers the synthetic hazard."""

from __future__ import annotations

import numpy as np
import pandas as pd

from alliancelab.stats._synthetic import END_TRUTH
from alliancelab.stats.duration import DurationCox, alliance_spells, fit_duration, km_by_quadrant


def test_cox_recovers_known_log_hazard_ratios(prepared):
    spells = alliance_spells(prepared)
    res = DurationCox(("disparity", "threat")).fit(spells).result_
    for term in ("disparity", "threat"):
        est, se = res.coef(term), res.bse[res.terms.index(term)]
        assert abs(est - END_TRUTH[term]) < max(3.5 * se, 0.1), (term, est, se)


def test_full_duration_model_null_terms_near_zero(prepared):
    res = fit_duration(prepared)
    for term in ("gap_narrowing", "threat_gone"):
        i = res.terms.index(term)
        assert abs(res.params[i]) < 3.5 * res.bse[i] + 0.05
    a, b = fit_duration(prepared), fit_duration(prepared)
    np.testing.assert_array_equal(a.params, b.params)


def _tiny():
    # one dyad: alliance 1901-1903, ends 1904; again 1906 to the end (censored)
    years = np.arange(1900, 1909)
    ally = np.array([0, 1, 1, 1, 0, 0, 1, 1, 1])
    return pd.DataFrame({
        "dyad_id": 2020, "year": years, "at_risk_end": np.r_[False, ally[:-1] == 1],
        "end": np.r_[np.nan, np.where(ally[:-1] == 1, 1 - ally[1:], np.nan)],
        "disparity": np.linspace(0.9, 0.5, 9), "threat": [1, 1, 1, 0, 0, 0, 1, 1, 1],
        "contiguous": 1.0, "any_major_f": 0.0, "regime_distance": 0.1, "quadrant": "q"})


def test_spell_construction_by_hand():
    s = alliance_spells(_tiny())
    assert s["spell"].nunique() == 2
    first = s[s["spell"] == s["spell"].iloc[0]]
    assert first["year"].tolist() == [1902, 1903, 1904]
    assert first["start"].tolist() == [0, 1, 2] and first["stop"].tolist() == [1, 2, 3]
    assert first["event"].tolist() == [0, 0, 1]
    assert first["formation_year"].iloc[0] == 1901
    # columns are already t-1 measures: disparity falls, so the gap narrows; threat 1, 0, 0
    assert np.all(np.diff(first["gap_narrowing"]) > 0)
    assert first["threat_gone"].tolist() == [0, 1, 1]
    second = s[s["spell"] != s["spell"].iloc[0]]
    assert second["event"].sum() == 0  # right-censored


def test_km_curves_start_at_one(prepared):
    curves = km_by_quadrant(alliance_spells(prepared))
    assert len(curves) == 4
    for c in curves.values():
        assert c["survival"].iloc[0] == 1.0 and np.all(np.diff(c["survival"]) <= 0)


def test_discrete_time_termination_logit_agrees_with_truth(prepared):
    from alliancelab.stats.duration import fit_termination_logit

    res = fit_termination_logit(alliance_spells(prepared), terms=("disparity", "threat"))
    assert res.n_clusters == alliance_spells(prepared)["dyad_id"].nunique()
    for term in ("disparity", "threat"):
        i = res.terms.index(term)
        # a logit of rare yearly ends approximates the grouped proportional-hazards coefficients
        assert abs(res.params[i] - END_TRUTH[term]) < 4 * res.bse[i] + 0.1, (term, res.params[i])
