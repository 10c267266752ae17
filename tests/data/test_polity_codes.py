"""Polity5's codes mapped to COW's, one mapping for the panel and for a world (issue 12)."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from alliancelab.data.loaders.regime import POLITY_TO_COW, polity_to_cow, polity_to_cow_sql


def test_sql_and_pandas_mapping_agree_on_planted_codes():
    frame = pd.DataFrame({"ccode": [364, 364, 365, 342, 305, 305, 626, 626, 2],
                          "year": [1950, 1992, 1995, 1913, 1913, 1919, 2015, 1990, 1950]})
    want = [365, 364, 365, 345, 300, 305, 625, 626, 2]   # 364 only 1922-1991, 305 -> 300 until 1918
    assert polity_to_cow(frame["ccode"], frame["year"]).tolist() == want
    con = duckdb.connect()
    con.register("f", frame)
    got = [r[0] for r in con.execute(f"SELECT {polity_to_cow_sql()} FROM f").fetchall()]
    assert got == want


def test_mapping_is_a_function_of_code_and_year():
    seen: dict[tuple[int, int], int] = {}
    for p, c, a, b in POLITY_TO_COW:
        for y in range(a, b + 1):
            assert seen.setdefault((p, y), c) == c


@pytest.mark.shared_data
def test_panel_has_the_ussr_polity2(shared_data_dir):
    from alliancelab.data import load_polity5, state_years

    sy = state_years(shared_data_dir, start=1922, end=1992)
    p5 = load_polity5(shared_data_dir)
    ussr = p5[p5["ccode"] == 364].set_index("year")["polity2"].astype(float)
    got = sy[sy["ccode"] == 365].set_index("year")["polity2"]
    for year in (1923, 1950, 1991):
        assert got[year] == ussr[year]                       # Polity 364 = COW 365
    assert not np.isnan(got.loc[1922:1991]).any()
    own = p5[(p5["ccode"] == 365) & (p5["year"] == 1922)]["polity2"].astype(float).iloc[0]
    assert got[1922] == own                                  # Russia's own row in the overlap year
    rus = p5[(p5["ccode"] == 365) & (p5["year"] == 1992)]["polity2"].astype(float).iloc[0]
    assert got[1992] == rus                                  # Russia (365 in both) from 1992
    serbia = p5[(p5["ccode"] == 342) & (p5["year"] == 1913)]["polity2"].astype(float).iloc[0]
    s13 = state_years(shared_data_dir, start=1913, end=1913)
    assert s13[s13["ccode"] == 345]["polity2"].iloc[0] == serbia     # Polity 342 = COW 345


@pytest.mark.shared_data
def test_world_reads_the_panels_polity2(shared_data_dir):
    from alliancelab.data import state_years
    from alliancelab.engine.world_data import world_from_data

    w = world_from_data(1950, data_dir=shared_data_dir, states=["USA", "RUS", "POL"], periods=1)
    sy = state_years(shared_data_dir, start=1950, end=1950).set_index("ccode")
    pol2 = dict(zip(w.states, w.notes["polity2"], strict=True))
    assert pol2["RUS"] == sy.loc[365, "polity2"] < -5
