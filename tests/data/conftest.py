"""Fixtures of the data tests: the full panel is built once per session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest


@pytest.fixture(scope="session")
def panel_db(shared_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The full undirected 1816-2018 panel, built once into a temporary DuckDB file."""
    from alliancelab.data import build_panel

    out = tmp_path_factory.mktemp("panel") / "panel.duckdb"
    build_panel(shared_data_dir, out)
    return out


@pytest.fixture(scope="session")
def panel(panel_db: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the session panel."""
    con = duckdb.connect(str(panel_db), read_only=True)
    yield con
    con.close()


@pytest.fixture()
def data_copy(shared_data_dir: Path, tmp_path: Path) -> Path:
    """A data folder of symlinks to the shared files, safe to break one file at a time."""
    root = tmp_path / "data"
    for sub in shared_data_dir.iterdir():
        if sub.is_dir():
            (root / sub.name).mkdir(parents=True)
            for f in sub.iterdir():
                os.symlink(f, root / sub.name / f.name)
    return root


def replace_file(path: Path, data: bytes) -> None:
    """Replace a (symlinked) file in a data copy by ``data``."""
    path.unlink()
    path.write_bytes(data)


def copy_real(path: Path) -> None:
    """Turn a symlink in a data copy into a real copy of the file."""
    target = path.resolve()
    path.unlink()
    shutil.copyfile(target, path)
