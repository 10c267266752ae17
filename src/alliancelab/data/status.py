"""``alliancelab data status``: which datasets were found, their versions and row counts."""

from __future__ import annotations

import os

import duckdb
import pandas as pd

from .._config import resolve_data_dir
from .._exceptions import DataFormatError
from . import loaders  # noqa: F401  (registers every dataset)
from ._sizes import check_row_count
from ._source import DATASETS, check_columns, find_file

__all__ = ["data_status"]


def data_status(data_dir: str | os.PathLike[str] | None = None, *, count_rows: bool = True) -> pd.DataFrame:
    """One row per known dataset: key, title, version, file, found, row count, problem.

    A file that is present but fails its column check is reported with the problem instead of
    raising, so one bad file does not hide the others.
    """
    root = resolve_data_dir(data_dir)
    rows = []
    con = duckdb.connect()
    try:
        for ds in DATASETS.values():
            path = find_file(ds, root)
            version = ds.version
            if ds.key == "nmc" and path is not None:
                version = "6.0" if "NMC-60" in path.name else "7.0"
            row = {"dataset": ds.key, "title": ds.title, "version": version,
                   "required": not ds.optional, "found": path is not None,
                   "file": str(path.relative_to(root)) if path is not None else "", "rows": None,
                   "problem": ""}
            if path is not None:
                try:
                    check_columns(ds, path)
                    if count_rows:
                        row["rows"] = con.execute(
                            "SELECT count(*) FROM read_csv(?, header=true, all_varchar=true)", [str(path)]
                        ).fetchone()[0]  # type: ignore[index]
                        check_row_count(ds.key, ds.title, int(row["rows"]), str(path))
                except DataFormatError as err:
                    row["problem"] = str(err)
                except duckdb.Error as err:
                    row["problem"] = " ".join(str(err).split())[:200]
            elif not ds.optional:
                row["problem"] = "missing (required for the panel)"
            rows.append(row)
    finally:
        con.close()
    return pd.DataFrame(rows)
