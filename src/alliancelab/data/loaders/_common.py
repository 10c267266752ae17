"""The one loading routine every ``load_*`` function uses."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pandas as pd

from .._source import Dataset, require_file, stage

__all__ = ["load_frame", "resolve"]


def resolve(ds: Dataset, data_dir: str | os.PathLike[str] | None, path: str | os.PathLike[str] | None) -> Path:
    """Return ``path`` when given (it must exist), else the dataset's file under ``data_dir``."""
    if path is not None:
        p = Path(path)
        if not p.is_file():
            from ..._exceptions import InputError

            raise InputError(f"file {str(p)!r} does not exist", field="path")
        return p
    return require_file(ds, data_dir)


def load_frame(
    ds: Dataset,
    data_dir: str | os.PathLike[str] | None = None,
    path: str | os.PathLike[str] | None = None,
    sql: str | None = None,
    extra: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Stage the dataset in an in-memory DuckDB and return it (or ``sql`` over it) as pandas."""
    file = resolve(ds, data_dir, path)
    con = duckdb.connect()
    try:
        table = stage(con, ds, file, extra=extra)
        query = sql.replace("{t}", table) if sql else f"SELECT * FROM {table}"
        return con.execute(query).df()
    finally:
        con.close()
