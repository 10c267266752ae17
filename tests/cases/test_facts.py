"""The dataset numbers quoted in docs/cases/ are recomputed from the real files."""

from __future__ import annotations

import pytest

from alliancelab.cases import facts

pytestmark = pytest.mark.shared_data


def test_cinc_values_quoted_in_the_docs(shared_data_dir):
    p = facts.power_components((365, 325, 2), [1948], shared_data_dir).set_index("state")
    assert p.loc["USSR", "cinc"] == pytest.approx(0.1640, abs=5e-5)
    assert p.loc["USA", "cinc"] == pytest.approx(0.2947, abs=5e-5)
    assert p.loc["Italy", "cinc"] == pytest.approx(0.0193, abs=5e-5)


def test_pillars_average_to_cinc(shared_data_dir):
    p = facts.power_components((365, 345, 710), range(1948, 1956), shared_data_dir).dropna()
    mean = (p["military"] + p["economic"] + p["demographic"]) / 3
    assert (mean - p["cinc"]).abs().max() < 2e-3


def test_dyad_share_is_between_zero_and_one(shared_data_dir):
    d = facts.dyad_shares(365, 710, range(1950, 1961), shared_data_dir)
    assert d[["military", "economic", "cinc"]].stack().between(0, 1).all()
    assert d.set_index("year").loc[1950, "economic"] > d.set_index("year").loc[1960, "economic"]


def test_us_aid_yugoslavia_is_filed_under_scg(shared_data_dir):
    a = facts.us_aid("Yugoslavia", range(1946, 1953), shared_data_dir).set_index("fiscal_year")
    assert a.loc[1951, "current_musd"] == pytest.approx(158.3, abs=0.05)
    assert not a.loc[1949, "recorded"]
    it = facts.us_aid("Italy", [1948], shared_data_dir).set_index("fiscal_year")
    assert it.loc[1948, "current_musd"] == pytest.approx(331.0, abs=0.05)


def test_polity_and_leaders(shared_data_dir):
    pol = facts.polity((365,), [1950], shared_data_dir)
    assert pol["polity"].iloc[0] == -9  # USSR is 364 in Polity5
    lead = facts.leaders((345,), "1948-01-01", "1948-12-31", shared_data_dir)
    assert lead["leader"].tolist() == ["Tito"]


def test_every_case_has_tables(shared_data_dir):
    for case in facts.CASE_SPECS:
        tables = facts.case_tables(case, shared_data_dir)
        assert {"power", "dyads", "polity", "leaders"} <= set(tables)


def test_land_contiguity_used_for_distances(shared_data_dir):
    assert facts.land_contiguous(365, 710, 1955, shared_data_dir)
    assert facts.land_contiguous(365, 310, 1956, shared_data_dir)
    assert not facts.land_contiguous(365, 345, 1948, shared_data_dir)
    assert facts.capital_distance_km(365, 710, 1950, shared_data_dir) == 5780.0
