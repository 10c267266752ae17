"""Atomic builds, the Python API (reusing a built file) and directed dyads."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from alliancelab._exceptions import DataFormatError, InputError
from alliancelab.data import build_panel, dyad_years, state_years

from .conftest import replace_file

pytestmark = pytest.mark.shared_data


def test_failed_build_leaves_old_file_intact(data_copy: Path, tmp_path: Path):
    out = tmp_path / "panel.duckdb"
    build_panel(data_copy, out, start=1990, end=1991)
    before = out.read_bytes()
    replace_file(data_copy / "cow_mid5" / "MIDB 5.0.csv", b"dispnum,ccode,styear\n1,2,x\n")
    with pytest.raises(DataFormatError, match="MIDB"):
        build_panel(data_copy, out, start=1816, end=2018)
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".panel")] == []
    con = duckdb.connect(str(out), read_only=True)
    assert con.execute("SELECT min(year), max(year) FROM dyad_years").fetchone() == (1990, 1991)
    con.close()


def test_failure_late_in_the_build_is_atomic(shared_data_dir: Path, tmp_path: Path, monkeypatch):
    out = tmp_path / "panel.duckdb"
    out.write_bytes(b"old")
    import alliancelab.data.panel as panel

    def boom(*_a, **_k):
        raise RuntimeError("simulated crash while writing state-years")

    monkeypatch.setattr(panel, "build_state_years", boom)
    with pytest.raises(RuntimeError, match="simulated crash"):
        build_panel(shared_data_dir, out, start=2000, end=2001)
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["panel.duckdb"]


def test_api_reads_a_built_file(panel_db: Path):
    df = dyad_years(db=panel_db, start=1949, end=1950)
    assert set(df["year"]) == {1949, 1950}
    us_uk = df[(df.ccode1 == 2) & (df.ccode2 == 200)]
    assert us_uk["atop_defense"].tolist() == [1, 1]
    sy = state_years(db=panel_db, start=2000, end=2000)
    assert len(sy) == sy["ccode"].nunique() > 180
    with pytest.raises(InputError, match="undirected"):
        dyad_years(db=panel_db, directed=True)
    with pytest.raises(InputError, match="covers 1816-2018"):
        dyad_years(db=panel_db, start=1800)
    with pytest.raises(InputError, match="does not exist"):
        dyad_years(db=panel_db.parent / "nope.duckdb")


def test_api_builds_in_memory_and_matches_the_file(shared_data_dir: Path, panel_db: Path):
    a = dyad_years(shared_data_dir, start=1914, end=1915).sort_values(["year", "ccode1", "ccode2"])
    b = dyad_years(db=panel_db, start=1914, end=1915).sort_values(["year", "ccode1", "ccode2"])
    cols = [c for c in a.columns if c != "peace_years"]
    assert a[cols].reset_index(drop=True).equals(b[cols].reset_index(drop=True))
    assert a["peace_years"].to_numpy().tolist() == b["peace_years"].to_numpy().tolist()


def test_directed_build(shared_data_dir: Path, tmp_path: Path):
    out = tmp_path / "d.duckdb"
    res = build_panel(shared_data_dir, out, start=1950, end=1952, directed=True,
                      parquet=tmp_path / "pq")
    con = duckdb.connect(str(out), read_only=True)
    n = con.execute("SELECT year, count(*) FROM state_years GROUP BY year ORDER BY year").fetchall()
    d = con.execute("SELECT year, count(*) FROM dyad_years GROUP BY year ORDER BY year").fetchall()
    assert [c for _, c in d] == [k * (k - 1) for _, k in n]
    sym = con.execute("""SELECT count(*) FROM dyad_years a JOIN dyad_years b ON a.year = b.year
                         AND a.ccode1 = b.ccode2 AND a.ccode2 = b.ccode1
                         WHERE a.cowmid_ongoing <> b.cowmid_ongoing OR a.shared_rivals <> b.shared_rivals
                            OR a.capdist <> b.capdist OR a.conttype <> b.conttype""").fetchone()[0]
    assert sym == 0
    atop = shared_data_dir / "atop" / "atop5.1_directed_dyad_year_peacesciencer.csv.gz"
    diff = con.execute(f"""SELECT count(*) FROM read_csv('{atop}') t JOIN dyad_years d
                           ON d.year = t.year AND d.ccode1 = t.ccode1 AND d.ccode2 = t.ccode2
                           WHERE d.atop_defense <> t.atop_defense OR d.atop_consul <> t.atop_consul""").fetchone()[0]
    assert diff == 0
    con.close()
    assert (tmp_path / "pq" / "dyad_years.parquet").is_file() and res.rows["dyad_years"] == sum(c for _, c in d)
    assert dyad_years(db=out, directed=True).shape[0] == res.rows["dyad_years"]


def test_start_end_keep_history(panel_db: Path, shared_data_dir: Path):
    # onsets, ends and peace-years of a late-starting build use the years before `start`
    full = dyad_years(db=panel_db, start=1960, end=1961).set_index(["year", "ccode1", "ccode2"]).sort_index()
    part = dyad_years(shared_data_dir, start=1960, end=1961).set_index(["year", "ccode1", "ccode2"]).sort_index()
    for col in ("alliance_onset", "alliance_end", "peace_years", "shared_mid_opponents"):
        assert (full[col] == part[col]).all(), col
