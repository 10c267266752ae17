"""The COW Formal Alliances v4.1 loader, on small files in the official layout made here."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from alliancelab._exceptions import DataFormatError
from alliancelab.data import build_panel, load_cow_alliance_dyad_years, load_cow_alliance_members

DYAD_HEADER = ("version4id,ccode1,state_name1,ccode2,state_name2,dyad_st_day,dyad_st_month,dyad_st_year,"
               "dyad_end_day,dyad_end_month,dyad_end_year,left_censor,right_censor,defense,neutrality,"
               "nonaggression,entente,year,version")
MEMBER_HEADER = ("version4id,ccode,state_name,all_st_day,all_st_month,all_st_year,all_end_day,all_end_month,"
                 "all_end_year,mem_st_day,mem_st_month,mem_st_year,mem_end_day,mem_end_month,mem_end_year,"
                 "left_censor,right_censor,defense,neutrality,nonaggression,entente,version")


def write_dyad_file(folder: Path) -> Path:
    """NATO's U.S.-U.K. dyad in 1949-1950 (in force, no end date) and a short entente."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = [DYAD_HEADER]
    for year in (1949, 1950):
        rows.append(f"220,2,United States of America,200,United Kingdom,4,4,1949,,,,0,1,1,0,0,1,{year},4.1")
    rows.append("5,220,France,365,Russia,27,8,1891,4,1,1894,0,0,0,0,0,1,1891,4.1")
    path = folder / "alliance_v4.1_by_dyad_yearly.csv"
    path.write_text("\r\n".join(rows) + "\r\n")
    return path


def write_member_file(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rows = [MEMBER_HEADER,
            "220,2,United States of America,4,4,1949,,,,4,4,1949,,,,0,1,1,0,0,1,4.1",
            "220,200,United Kingdom,4,4,1949,,,,4,4,1949,,,,0,1,1,0,0,1,4.1"]
    path = folder / "alliance_v4.1_by_member.csv"
    path.write_text("\n".join(rows) + "\n")
    return path


def test_load_dyad_yearly(tmp_path: Path):
    write_dyad_file(tmp_path / "cow_alliance")
    df = load_cow_alliance_dyad_years(tmp_path)
    assert len(df) == 3
    us_uk = df[df.ccode2 == 200]
    assert us_uk["defense"].tolist() == [1, 1] and us_uk["dyad_end_year"].isna().all()
    assert us_uk["right_censor"].tolist() == [1, 1]
    assert df.loc[df.ccode1 == 220, "dyad_end_year"].item() == 1894


def test_load_members(tmp_path: Path):
    path = write_member_file(tmp_path / "anywhere")
    df = load_cow_alliance_members(path=path)
    assert df["ccode"].tolist() == [2, 200] and df["mem_end_year"].isna().all()
    assert df["version4id"].tolist() == [220, 220]


def test_member_file_passed_as_dyad_file(tmp_path: Path):
    path = write_member_file(tmp_path)
    with pytest.raises(DataFormatError, match="looks like the COW Formal Alliances v4.1 by member") as err:
        load_cow_alliance_dyad_years(path=path)
    assert "\n" not in str(err.value) and str(path) in str(err.value)


def test_non_numeric_type_code(tmp_path: Path):
    path = write_dyad_file(tmp_path)
    path.write_text(path.read_text().replace(",0,1,1,0,0,1,1950,", ",0,1,yes,0,0,1,1950,"))
    with pytest.raises(DataFormatError, match="column 'defense' has a non-numeric value 'yes'"):
        load_cow_alliance_dyad_years(path=path)


@pytest.mark.shared_data
def test_panel_gets_cow_columns_when_the_files_are_there(data_copy: Path, tmp_path: Path):
    write_dyad_file(data_copy / "cow_alliance")
    out = tmp_path / "p.duckdb"
    build_panel(data_copy, out, start=1949, end=1950)
    con = duckdb.connect(str(out), read_only=True)
    rows = con.execute("""SELECT year, cow_defense, cow_entente, atop_defense FROM dyad_years
                          WHERE ccode1 = 2 AND ccode2 = 200 ORDER BY year""").fetchall()
    assert rows == [(1949, 1, 1, 1), (1950, 1, 1, 1)]
    assert con.execute("SELECT sum(cow_defense) FROM dyad_years").fetchone()[0] == 2
    con.close()
