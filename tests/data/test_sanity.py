"""Row-count sanity checks, ragged files, stale temporaries and output-path errors (issue #14)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from alliancelab.cli import main
from alliancelab.data._sizes import DOCUMENTED_ROWS, minimum_rows
from alliancelab.data.panel import remove_stale_temporaries

from .conftest import replace_file


def _cli(capsys, *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as ex:
        main(list(args))
    return ex.value.code, capsys.readouterr().err


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_documented_sizes_match_source_md(shared_data_dir: Path):
    """Every documented size is the row count its SOURCE.md gives (so the table cannot drift)."""
    texts = " ".join(p.read_text(encoding="utf-8") for p in shared_data_dir.glob("*/SOURCE.md"))
    for key, rows in DOCUMENTED_ROWS.items():
        assert f"Rows: {rows:,}" in texts, key
    assert minimum_rows("states") == 24 and minimum_rows("cow_alliance_dyad") == 1


@pytest.mark.parametrize("keep", [0, 3])
def test_header_only_file_keeps_the_previous_panel(capsys, data_copy: Path, tmp_path: Path, keep: int):
    out = tmp_path / "panel.duckdb"
    assert _cli(capsys, "data", "build", "--data-dir", str(data_copy), "--out", str(out), "-q",
                "--start", "1990", "--end", "1991")[0] in (0, None)
    before = _digest(out)
    states = data_copy / "cow_states" / "states2016.csv"
    lines = states.read_bytes().splitlines(keepends=True)
    replace_file(states, b"".join(lines[: 1 + keep]))
    code, err = _cli(capsys, "data", "build", "--data-dir", str(data_copy), "--out", str(out), "-q",
                     "--start", "1990", "--end", "1991")
    assert code == 2 and err.count("\n") == 1 and str(states) in err
    assert "SOURCE.md documents 243 rows" in err and "Traceback" not in err
    assert _digest(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_ragged_rows_are_one_line(capsys, data_copy: Path, tmp_path: Path):
    states = data_copy / "cow_states" / "states2016.csv"
    lines = states.read_bytes().splitlines(keepends=True)
    replace_file(states, b"".join(lines[:40] + [b"USA,2,1,2\r\n"] + lines[40:]))
    code, err = _cli(capsys, "data", "build", "--data-dir", str(data_copy), "--out",
                     str(tmp_path / "p.duckdb"), "-q")
    assert code == 2 and err.count("\n") == 1
    assert "line 41 has 4 fields but the header has 21" in err and "Binder" not in err
    replace_file(states, b"".join(lines)[:3000])  # cut inside a row
    code, err = _cli(capsys, "data", "build", "--data-dir", str(data_copy), "--out",
                     str(tmp_path / "p.duckdb"), "-q")
    assert code == 2 and err.count("\n") == 1 and "ragged or truncated" in err and "Binder" not in err


def test_stale_temporaries_are_removed(tmp_path: Path):
    target = tmp_path / "panel.duckdb"
    dead = tmp_path / ".panel.duckdb.pid999999999.x1.duckdb"
    mine = tmp_path / f".panel.duckdb.pid{os.getppid()}.x2.duckdb"  # a live process: kept
    old = tmp_path / ".panel.duckdb.x3.duckdb"
    other = tmp_path / ".other.duckdb.pid999999999.x.duckdb"
    for p in (dead, mine, old, other, Path(str(dead) + ".wal")):
        p.write_bytes(b"x" * 10)
    os.utime(old, (1, 1))
    removed = remove_stale_temporaries(target)
    assert sorted(p.name for p in removed) == sorted([dead.name, dead.name + ".wal", old.name])
    assert mine.exists() and other.exists() and not dead.exists()


def test_output_paths_are_checked_before_work(capsys, tmp_path: Path, data_copy: Path):
    regular = tmp_path / "file.txt"
    regular.write_text("x")
    code, err = _cli(capsys, "data", "build", "--data-dir", str(data_copy), "--out",
                     str(regular / "p.duckdb"), "-q")
    assert code == 2 and err.count("\n") == 1 and "field 'out'" in err and "regular file" in err
    code, err = _cli(capsys, "data", "build", "--data-dir", str(data_copy), "--out",
                     str(tmp_path / "p.duckdb"), "--parquet", str(regular / "pq"), "-q")
    assert code == 2 and err.count("\n") == 1 and "field 'parquet'" in err
    assert not (tmp_path / "p.duckdb").exists()


def test_status_reports_a_too_small_file(capsys, data_copy: Path):
    import json

    states = data_copy / "cow_states" / "states2016.csv"
    replace_file(states, states.read_bytes().splitlines(keepends=True)[0])
    with pytest.raises(SystemExit):
        main(["data", "status", "--data-dir", str(data_copy), "--json"])
    rows = {r["dataset"]: r for r in json.loads(capsys.readouterr().out)}
    assert "has only a header" in rows["states"]["problem"] and rows["nmc"]["problem"] == ""
