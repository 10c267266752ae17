"""Bad dataset files give one-line DataFormatErrors naming the file; the CLI exits 2."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import pytest

from alliancelab._exceptions import DataFormatError, InputError
from alliancelab.data import load_atop_dyad_years, load_nmc, load_polity5, load_states, load_us_aid

from .conftest import replace_file


def _one_line(err: pytest.ExceptionInfo[BaseException]) -> str:
    text = str(err.value)
    assert "\n" not in text
    return text


def test_missing_column_is_named(tmp_path: Path):
    f = tmp_path / "nmc.csv"
    f.write_text("ccode,year,milex,milper,irst,pec,tpop,upop\n2,1816,1,1,1,1,1,1\n")
    with pytest.raises(DataFormatError, match="missing column") as err:
        load_nmc(path=f)
    text = _one_line(err)
    assert str(f) in text and "cinc" in text


def test_renamed_column_is_named(tmp_path: Path):
    f = tmp_path / "atop.csv"
    f.write_text("statea,ccode2,year,atop_defense,atop_offense,atop_neutral,atop_nonagg,atop_consul\n2,20,1942,1,1,0,0,0\n")
    with pytest.raises(DataFormatError, match="ccode1") as err:
        load_atop_dyad_years(path=f)
    assert str(f) in _one_line(err)


def test_one_dataset_passed_as_another(shared_data_dir: Path):
    nmc = shared_data_dir / "cow_nmc" / "NMC-60-abridged.csv.gz"
    with pytest.raises(DataFormatError, match="looks like the COW National Material Capabilities") as err:
        load_atop_dyad_years(path=nmc)
    assert str(nmc) in _one_line(err)
    majors = shared_data_dir / "cow_states" / "majors2016_peacesciencer.csv"
    with pytest.raises(DataFormatError, match="looks like the COW major powers"):
        load_states(path=majors)


def test_truncated_gzip(tmp_path: Path, shared_data_dir: Path):
    src = (shared_data_dir / "atop" / "atop5.1_directed_dyad_year_peacesciencer.csv.gz").read_bytes()
    f = tmp_path / "atop.csv.gz"
    f.write_bytes(src[: len(src) // 3])
    with pytest.raises(DataFormatError, match="truncated or corrupt gzip") as err:
        load_atop_dyad_years(path=f)
    assert str(f) in _one_line(err)


def test_not_really_gzip(tmp_path: Path):
    f = tmp_path / "nmc.csv.gz"
    f.write_text("ccode,year\n")
    with pytest.raises(DataFormatError, match="not a gzip file"):
        load_nmc(path=f)


def test_non_numeric_code(tmp_path: Path):
    f = tmp_path / "nmc.csv.gz"
    with gzip.open(f, "wt") as fh:
        fh.write("ccode,year,milex,milper,irst,pec,tpop,upop,cinc\n2,1816,1,1,1,1,1,1,0.1\nUSA,1817,1,1,1,1,1,1,0.1\n")
    with pytest.raises(DataFormatError, match="column 'ccode' has a non-numeric value 'USA'") as err:
        load_nmc(path=f)
    assert str(f) in _one_line(err)


def test_empty_file(tmp_path: Path):
    f = tmp_path / "empty.csv"
    f.write_text("")
    with pytest.raises(DataFormatError, match="empty"):
        load_nmc(path=f)


def test_missing_file_and_data_dir(tmp_path: Path):
    with pytest.raises(InputError, match="does not exist"):
        load_nmc(path=tmp_path / "nope.csv")
    with pytest.raises(InputError, match="NMC"):
        load_nmc(tmp_path)


def test_missing_codes_are_converted(tmp_path: Path):
    f = tmp_path / "nmc.csv"
    f.write_text("stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc,version\n"
                 "USA,2,1816,-9,17,80,254,8659,101,0.04,2021\n")
    df = load_nmc(path=f)
    assert df["milex"].isna().all() and df["milper"].iloc[0] == 17
    p = tmp_path / "p5.csv"
    p.write_text("\ufeffp5,cyear,ccode,scode,country,year,flag,democ,autoc,polity,polity2,durable\n"
                 "0,7001800,700,AFG,Afghanistan,1800,0,-66,-77,-88,-6,\n")
    df = load_polity5(path=p)
    assert df[["democ", "autoc", "polity", "durable"]].isna().all().all() and df["polity2"].iloc[0] == -6


def test_fiscal_year_transition_quarter(tmp_path: Path):
    f = tmp_path / "aid.csv"
    f.write_text('"Country Code","Country Name","Transaction Type Name","Fiscal Year",current_amount,constant_amount\n'
                 "ISR,Israel,Obligations,1976,10,20\nISR,Israel,Obligations,1976tq,1,2\n"
                 "DEU,Germany,Obligations,1960,5,5\nNULL,Soviet Union (former),Obligations,1991,1,1\n"
                 "WLD,World,Obligations,1991,1,1\n")
    df = load_us_aid(path=f).set_index(["iso3", "year"])
    assert df.loc[("ISR", 1976), "us_aid"] == 22 and df.loc[("ISR", 1976), "ccode"] == 666
    assert df.loc[("DEU", 1960), "ccode"] == 260
    assert df.loc[("NULL", 1991), "ccode"] == 365
    import pandas as pd

    assert pd.isna(df.loc[("WLD", 1991), "ccode"])


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "alliancelab", *args], capture_output=True, text=True)


def test_cli_build_bad_file_exits_2_with_one_line(data_copy: Path, tmp_path: Path):
    nmc = data_copy / "cow_nmc" / "NMC-70-abridged_peacesciencer.csv.gz"
    replace_file(nmc, gzip.compress((data_copy / "cow_states" / "states2016.csv").read_bytes()))
    out = _cli("data", "build", "--data-dir", str(data_copy), "--out", str(tmp_path / "p.duckdb"), "-q")
    assert out.returncode == 2
    err = out.stderr.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and str(nmc) in err[0]
    assert "missing column" in err[0] and "looks like the COW State System" in err[0]
    assert not (tmp_path / "p.duckdb").exists()


def test_cli_truncated_gzip_exits_2(data_copy: Path, tmp_path: Path):
    gml = data_copy / "gml_mid" / "gml-ddy-disputes-2.1.1.csv.gz"
    replace_file(gml, gml.read_bytes()[:5000])
    out = _cli("data", "build", "--data-dir", str(data_copy), "--out", str(tmp_path / "p.duckdb"), "-q")
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "truncated or corrupt gzip" in out.stderr and "gml" in out.stderr


def test_cli_bad_years_and_missing_dir(tmp_path: Path, data_copy: Path):
    out = _cli("data", "build", "--data-dir", str(data_copy), "--start", "1990", "--end", "1950",
               "--out", str(tmp_path / "p.duckdb"))
    assert out.returncode == 2 and "start" in out.stderr
    out = _cli("data", "build", "--data-dir", str(data_copy), "--end", "2020", "--out", str(tmp_path / "p.duckdb"))
    assert out.returncode == 2 and "ATOP file ends in 2018" in out.stderr
    out = _cli("data", "status", "--data-dir", str(tmp_path / "nope"))
    assert out.returncode == 2 and out.stderr.startswith("error: ")


def test_cli_status_reports_a_bad_file(data_copy: Path):
    replace_file(data_copy / "polity5" / "p5v2018.csv.gz", b"not,a,polity\n1,2,3\n")
    out = _cli("data", "status", "--data-dir", str(data_copy), "--json")
    assert out.returncode == 0, out.stderr
    import json

    rows = {r["dataset"]: r for r in json.loads(out.stdout)}
    assert rows["atop_ddy"]["rows"] == 273296
    assert "gzip" in rows["polity5"]["problem"]
    assert rows["cow_alliance_dyad"]["found"] is False


def test_cli_data_dir_falls_back_to_the_environment(shared_data_dir: Path):
    import os

    env = dict(os.environ, ALLIANCELAB_DATA_DIR=str(shared_data_dir))
    out = subprocess.run([sys.executable, "-m", "alliancelab", "data", "status", "--json"],
                         capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert '"atop_ddy"' in out.stdout
    env.pop("ALLIANCELAB_DATA_DIR")
    out = subprocess.run([sys.executable, "-m", "alliancelab", "data", "status"],
                         capture_output=True, text=True, env=env)
    assert out.returncode == 2 and "ALLIANCELAB_DATA_DIR" in out.stderr
