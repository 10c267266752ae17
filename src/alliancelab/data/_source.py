"""Finding, checking and staging dataset files (shared by every loader).

A dataset is described by a :class:`Dataset`: where its file lives under the data directory, the
columns it must have (with their types), and its missing-value codes. :func:`stage` reads the file
with DuckDB ``read_csv`` (``.csv`` or ``.csv.gz``) into a typed table, converting the missing codes,
and turns every failure (missing columns, another dataset's file, a truncated gzip, non-numeric
codes) into a one-line :class:`~alliancelab.DataFormatError` naming the file and the problem.
"""

from __future__ import annotations

import gzip
import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .._config import resolve_data_dir
from .._exceptions import DataFormatError, InputError

__all__ = ["DATASETS", "Dataset", "find_file", "read_header", "register", "stage"]

_NUMERIC = ("INTEGER", "BIGINT", "DOUBLE", "SMALLINT")


@dataclass(frozen=True)
class Dataset:
    """How one dataset file is found, checked and typed.

    Parameters
    ----------
    key
        Short name, also the staged table's name (``src_<key>``).
    title
        Official name and version, shown by ``alliancelab data status``.
    folder
        Sub-folder of the data directory (files directly in the data directory are found too).
    files
        Candidate file names, first match wins (``.gz`` variants are tried automatically).
    columns
        Required raw column -> DuckDB type (``VARCHAR`` is kept as text).
    na
        Missing-value codes (strings as written in the file) converted to NULL in every column.
    na_columns
        Extra per-column missing codes.
    optional
        Whether the panel can be built without this dataset.
    """

    key: str
    title: str
    folder: str
    files: tuple[str, ...]
    columns: dict[str, str]
    na: tuple[str, ...] = ("", "NA", ".")
    na_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    optional: bool = False
    absent: tuple[str, ...] = ()
    version: str = ""
    citation: str = ""


DATASETS: dict[str, Dataset] = {}


def register(ds: Dataset) -> Dataset:
    """Add ``ds`` to the registry and return it."""
    DATASETS[ds.key] = ds
    return ds


def _candidates(ds: Dataset) -> list[str]:
    names: list[str] = []
    for name in ds.files:
        names.append(name)
        names.append(name[:-3] if name.endswith(".gz") else name + ".gz")
    return names


def find_file(ds: Dataset, data_dir: str | os.PathLike[str] | None = None) -> Path | None:
    """Return the dataset's file under ``data_dir`` (its folder or the top level), or None."""
    root = resolve_data_dir(data_dir)
    for base in (root / ds.folder, root):
        for name in _candidates(ds):
            path = base / name
            if path.is_file():
                return path
    return None


def require_file(ds: Dataset, data_dir: str | os.PathLike[str] | None = None) -> Path:
    """Like :func:`find_file` but raise :class:`InputError` when the file is absent."""
    path = find_file(ds, data_dir)
    if path is None:
        root = resolve_data_dir(data_dir)
        raise InputError(
            f"{ds.title}: no file {ds.files[0]!r} in {str(root / ds.folder)!r} or {str(root)!r}; "
            f"download it from the official site (see docs/data.md)",
            field="data_dir",
        )
    return path


def read_header(path: Path) -> list[str]:
    """Return the column names on the first line of a ``.csv``/``.csv.gz`` file."""
    try:
        with open(path, "rb") as fh:
            magic = fh.read(2)
        is_gzip = magic == b"\x1f\x8b"
        if path.suffix == ".gz" and not is_gzip:
            raise DataFormatError("named .gz but is not a gzip file", source=str(path))
        opener = gzip.open if is_gzip else open
        with opener(path, "rb") as fh:  # type: ignore[operator]
            first = fh.readline(1 << 20)
    except (EOFError, zlib.error, gzip.BadGzipFile):
        raise DataFormatError("truncated or corrupt gzip file (re-download it)", source=str(path)) from None
    except OSError as err:
        raise DataFormatError(f"cannot read the header ({err.strerror or err})", source=str(path)) from None
    text = first.decode("utf-8-sig", errors="replace").strip()
    if not text:
        raise DataFormatError("file is empty (no header line)", source=str(path))
    import csv

    return [c.strip() for c in next(csv.reader([text]))]


def _looks_like(header: set[str], exclude: str) -> str | None:
    best, size = None, 0
    for other in DATASETS.values():
        cols = set(other.columns)
        if other.key != exclude and cols <= header and not set(other.absent) & header:
            if len(cols) > size:
                best, size = other.title, len(cols)
    return best


def check_columns(ds: Dataset, path: Path) -> list[str]:
    """Check that the file has the dataset's columns; name the missing ones (and a likely mix-up)."""
    header = read_header(path)
    missing = [c for c in ds.columns if c not in header]
    clash = [c for c in ds.absent if c in header]
    if missing or clash:
        hint = _looks_like(set(header), ds.key)
        what = f"; this looks like the {hint} file" if hint else ""
        problem = (
            f"missing column(s) {', '.join(missing)}" if missing
            else f"has column(s) {', '.join(clash)} that it should not have"
        )
        raise DataFormatError(f"not a {ds.title} file: {problem}{what}", source=str(path))
    return header


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _null_expr(ds: Dataset, col: str) -> str:
    codes = tuple(ds.na) + tuple(ds.na_columns.get(col, ()))
    inner = f"trim({_q(col)})"
    if not codes:
        return inner
    return f"CASE WHEN {inner} IN ({', '.join(_lit(c) for c in codes)}) THEN NULL ELSE {inner} END"


def stage(
    con: duckdb.DuckDBPyConnection,
    ds: Dataset,
    path: Path,
    table: str | None = None,
    *,
    extra: dict[str, str] | None = None,
) -> str:
    """Read ``path`` into table ``src_<key>`` (typed, missing codes as NULL) and return its name.

    ``extra`` maps optional columns (present in some versions) to types; they are read when present.
    """
    table = table or f"src_{ds.key}"
    header = check_columns(ds, path)
    cols = dict(ds.columns)
    for name, typ in (extra or {}).items():
        if name in header:
            cols[name] = typ
    try:
        _stage_fast(con, ds, path, table, cols, header)
        return table
    except duckdb.IOException as err:
        raise DataFormatError(_short(err, path, header), source=str(path)) from None
    except duckdb.Error:
        pass  # odd but maybe valid values (e.g. "1.0" in an integer column): the careful path decides
    _stage_careful(con, ds, path, table, cols, header)
    return table


def _stage_fast(con: duckdb.DuckDBPyConnection, ds: Dataset, path: Path, table: str,
                cols: dict[str, str], header: list[str]) -> None:
    """One typed ``read_csv`` pass with the schema given (no sniffing); raises on anything unusual."""
    if len(set(header)) != len(header) and any(h in cols for h in header if header.count(h) > 1):
        raise duckdb.InvalidInputException("duplicate column names")
    names = [h if h else f"column{i}" for i, h in enumerate(header)]
    schema = ", ".join(f"{_lit(n)}: '{cols.get(n, 'VARCHAR')}'" for n in names)
    nulls = ", ".join(_lit(v) for v in ds.na)
    exprs = []
    for c, typ in cols.items():
        codes = ds.na_columns.get(c, ())
        if codes and typ != "VARCHAR":
            exprs.append(f"CASE WHEN {_q(c)} IN ({', '.join(codes)}) THEN NULL ELSE {_q(c)} END AS {_q(c)}")
        elif codes:
            exprs.append(f"CASE WHEN {_q(c)} IN ({', '.join(_lit(v) for v in codes)}) THEN NULL ELSE {_q(c)} END AS {_q(c)}")
        else:
            exprs.append(_q(c))
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT {', '.join(exprs)} FROM "
        f"read_csv({_lit(str(path))}, header=true, auto_detect=false, delim=',', quote='\"', "
        f"escape='\"', columns={{{schema}}}, nullstr=[{nulls}])"
    )


def _stage_careful(con: duckdb.DuckDBPyConnection, ds: Dataset, path: Path, table: str,
                   cols: dict[str, str], header: list[str]) -> None:
    """Read everything as text, convert codes, cast, and name the first bad value on failure."""
    names = [h if h else f"column{i}" for i, h in enumerate(header)]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise DataFormatError(f"the header names column {dup!r} twice", source=str(path))
    schema = ", ".join(f"{_lit(n)}: 'VARCHAR'" for n in names)
    raw = (f"read_csv({_lit(str(path))}, header=true, auto_detect=false, delim=',', quote='\"', "
           f"escape='\"', columns={{{schema}}})")
    select = ", ".join(f"{_null_expr(ds, c)} AS {_q(c)}" for c in cols)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE _raw AS SELECT {select} FROM {raw}")
    except duckdb.Error as err:
        raise DataFormatError(_short(err, path, header), source=str(path)) from None
    typed = []
    for c, typ in cols.items():
        if typ == "VARCHAR":
            typed.append(_q(c))
        else:
            # numbers such as "1.0" in integer columns are accepted
            cast = f"CAST(CAST({_q(c)} AS DOUBLE) AS {typ})" if typ in _NUMERIC[:2] else f"CAST({_q(c)} AS {typ})"
            typed.append(f"{cast} AS {_q(c)}")
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT {', '.join(typed)} FROM _raw")
    except duckdb.Error as err:
        raise DataFormatError(_bad_value(con, cols), source=str(path)) from err
    finally:
        con.execute("DROP TABLE IF EXISTS _raw")


def _bad_value(con: duckdb.DuckDBPyConnection, cols: dict[str, str]) -> str:
    for c, typ in cols.items():
        if typ == "VARCHAR":
            continue
        probe = f"TRY_CAST({_q(c)} AS DOUBLE)" if typ in _NUMERIC else f"TRY_CAST({_q(c)} AS {typ})"
        row = con.execute(
            f"SELECT {_q(c)} FROM _raw WHERE {_q(c)} IS NOT NULL AND {probe} IS NULL LIMIT 1"
        ).fetchone()
        if row is not None:
            kind = "numeric" if typ in _NUMERIC else typ.lower()
            return f"column {c!r} has a non-{kind} value {row[0]!r}"
    return "values cannot be converted to the expected types"


def _ragged_row(path: Path, width: int) -> tuple[int, int] | None:
    """``(line, fields)`` of the first row whose field count differs from the header's, or None."""
    import csv
    import io

    try:
        opener = gzip.open if path.read_bytes()[:2] == b"\x1f\x8b" else open
        with opener(path, "rb") as fh:  # type: ignore[operator]
            text = io.TextIOWrapper(fh, encoding="utf-8-sig", errors="replace", newline="")
            for line, row in enumerate(csv.reader(text), start=1):
                if line > 1 and row and len(row) != width:
                    return line, len(row)
    except (OSError, EOFError, zlib.error, csv.Error):
        return None
    return None


def _short(err: Exception, path: Path | None = None, header: list[str] | None = None) -> str:
    """One readable line for a DuckDB read error (never DuckDB's raw multi-part message)."""
    text = " ".join(str(err).split())
    if "GZIP" in text.upper() or "gzip" in text or "zlib" in text.lower():
        return "truncated or corrupt gzip file (re-download it)"
    if path is not None and header is not None:
        ragged = _ragged_row(path, len(header))
        if ragged is not None:
            line, n = ragged
            return (f"line {line} has {n} field{'s' if n != 1 else ''} but the header has {len(header)} "
                    "(a ragged or truncated CSV file; re-download it)")
    kind, _, rest = text.partition(":")
    detail = rest.strip() if kind.endswith("Error") else text
    return f"cannot be read as a CSV file ({detail[:160]}); re-download it"
