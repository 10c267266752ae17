"""Alliance types, bilateral-pact outcomes of H1/H2, primary tests, sensitivity, duration extras."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alliancelab.stats.duration import alliance_spells, link_spells, ph_tests, termination_models
from alliancelab.stats.elite import add_pact_outcomes, elite_design
from alliancelab.stats.onset import onset_design, treaty_groups
from alliancelab.stats.treaties import link_events
from alliancelab.stats.types import (DISPARITY_THRESHOLDS, disparity_sensitivity, primary_tests,
                                     typed_design)


def _members():
    # 10: bilateral U.S.-20 defence pact from 1952; 20: bilateral 20-200 non-aggression 1953;
    # 30: multilateral defence 2, 20, 200 from 1956
    rows = [(10, 2, 1952, None, 1, 1, 0), (10, 20, 1952, None, 1, 1, 0),
            (20, 20, 1953, 1958, 1, 0, 1), (20, 200, 1953, 1958, 1, 0, 1),
            (30, 2, 1956, None, 0, 1, 0), (30, 20, 1956, None, 0, 1, 0), (30, 200, 1956, None, 0, 1, 0)]
    m = pd.DataFrame(rows, columns=["atopid", "member", "yrent", "yrexit", "bilat", "defense", "nonagg"])
    for c in ("offense", "neutral", "consul", "wartime"):
        m[c] = 0
    return m


def test_bilateral_pact_outcomes_of_h1_h2():
    states = pd.DataFrame({"ccode": [20] * 8 + [2] * 8, "year": list(range(1948, 1956)) * 2})
    states["major"] = (states["ccode"] == 2).astype(float)
    design = states[["ccode", "year"]].copy()
    out = add_pact_outcomes(design, states, _members(), horizon=3).set_index(["ccode", "year"])
    # the 1952 U.S. pact: outcome in 1949-1951 (t+1..t+3), in force from 1952
    assert out.loc[(20, 1949), "h1_pact_outcome"] == 1 and out.loc[(20, 1948), "h1_pact_outcome"] == 0
    assert out.loc[(20, 1952), "us_pact"] == 1 and out.loc[(20, 1951), "us_pact"] == 0
    assert out.loc[(20, 1951), "h2_pact_outcome"] == 1           # the U.S. is a major power
    # the 1953 non-aggression pact with 200 is not a defence/offence pact; the multilateral 1956 is not bilateral
    assert out.loc[(20, 1953), "h1_pact_outcome"] == 0 and out.loc[(20, 1953), "h2_pact_outcome"] == 0
    assert np.isnan(add_pact_outcomes(design, states, _members(), horizon=3, last_year=1953)
                    .set_index(["ccode", "year"]).loc[(20, 1952), "h1_pact_outcome"])


def test_typed_designs_split_onsets(prepared):
    design = onset_design(prepared)
    ev = design[design["onset"] == 1]
    fake = ev[["ccode1", "ccode2", "year"]].copy()
    link = link_events(fake, fake.iloc[:0], None)
    g = treaty_groups(design, link)
    # unlinked (no member file): typed designs keep no onsets
    assert typed_design(g, "bilateral treaty")["onset"].sum() == 0
    g.loc[g["onset"] == 1, "linked"] = 1
    g.loc[g["onset"] == 1, "bilat"] = (np.arange(int(g["onset"].sum())) % 2).astype(float)
    b = typed_design(g, "bilateral treaty")
    m = typed_design(g, "multilateral treaty")
    assert b["onset"].sum() + m["onset"].sum() == g["onset"].sum()
    assert len(b) + len(m) == len(g) + (g["onset"] == 0).sum()


def test_disparity_sensitivity_cells_add_up(prepared):
    rows = disparity_sensitivity(prepared)
    assert [r["threshold_cap_share"] for r in rows] == list(DISPARITY_THRESHOLDS)
    risk = prepared[prepared["at_risk_onset"]].dropna(subset=["disparity", "threat"])
    for r in rows:
        cells = [r[k] for k in ("threat_high_gap", "threat_low_gap", "no_threat_high_gap", "no_threat_low_gap")]
        assert sum(c["n"] for c in cells) == len(risk)
        assert sum(c["onsets"] for c in cells) == int(risk["onset"].sum())


def test_primary_tests_adjustment():
    out = primary_tests([{"id": "a", "p": 0.01}, {"id": "b", "p": 0.04}, {"id": "c", "p": None}])
    assert out[0]["p_holm"] == pytest.approx(0.02) and out[1]["p_holm"] == pytest.approx(0.04)
    assert out[2]["p_holm"] is None


def test_year_clustered_termination_models(prepared):
    from alliancelab.stats._synthetic import END_TRUTH

    spells = link_spells(alliance_spells(prepared), None)
    res = termination_models(spells)
    main = res["termination: peacetime spells (main)"]
    assert main.se_type == "year" and main.n_clusters == spells["year"].nunique()
    assert {"dyad", "treaty"} <= set(main.cov_alt)
    # the synthetic hazard is a grouped proportional hazards model: the logit recovers its signs
    assert np.sign(main.coef("disparity")) == np.sign(END_TRUTH["disparity"])
    tests = ph_tests(spells)
    assert set(tests) == {"disparity", "threat", "gap_narrowing", "threat_gone"}
    # the synthetic hazard is proportional: no interaction with time is strongly significant
    assert all(v["p"] > 0.001 for v in tests.values())
