"""Every loader reads its shared file with the row count of its SOURCE.md and no leftover codes."""

from __future__ import annotations

import pytest

import alliancelab.data as data

pytestmark = pytest.mark.shared_data

ROWS = {
    "load_atop_dyad_years": 273_296, "load_atop_members": 2_398, "load_atop_alliances": 745,
    "load_nmc": 17_121, "load_states": 243, "load_majors": 14, "load_contiguity": 1_874,
    "load_capitals": 242, "load_mida": 2_436, "load_midb": 5_883, "load_mid_dyadic": 11_390,
    "load_gml": 10_338, "load_rivalries": 197, "load_tss_rivalries": 264, "load_archigos": 3_409,
    "load_chisols": 9_703, "load_polity5": 17_574, "load_democracy": 17_706, "load_leeds_savun": 14_393,
}


@pytest.mark.parametrize("name", sorted(ROWS))
def test_loader_row_counts_and_codes(shared_data_dir, name):
    df = getattr(data, name)(shared_data_dir)
    assert len(df) == ROWS[name]
    numeric = df.select_dtypes("number")
    for code in (-9, -66, -77, -88, -777, -888, -999):
        cols = [c for c in numeric if (numeric[c] == code).any()]
        if name in ("load_democracy", "load_polity5"):
            cols = [c for c in cols if c not in ("polity2", "polity")]  # -9 is a genuine Polity score
        assert cols == [], f"{name}: code {code} left in {cols}"


def test_archigos_special_codes(shared_data_dir):
    df = data.load_archigos(shared_data_dir)
    assert df["yrdied"].isna().sum() >= 1036  # -777 alive at the end of the data, -999 unknown
    assert str(df["startdate"].dtype).startswith("datetime64")


def test_us_aid_crosswalk(shared_data_dir):
    df = data.load_us_aid(shared_data_dir)
    assert df["year"].min() == 1946 and df["year"].max() == 2024
    un = data.unmatched_recipients(shared_data_dir)
    assert "WLD" in set(un["iso3"]) and "ISR" not in set(un["iso3"])
    assert df.loc[df.ccode.notna(), "us_aid"].sum() > 0.5 * df["us_aid"].sum()


def test_public_api_is_complete():
    public = sorted(n for n in vars(data) if not n.startswith("_") and callable(getattr(data, n)))
    assert sorted(data.__all__) == public
