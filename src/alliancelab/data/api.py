"""``dyad_years()`` and ``state_years()``: the panel as pandas DataFrames."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pandas as pd

from .._exceptions import InputError
from .panel import ORDER, _check_years, build_into

__all__ = ["dyad_years", "state_years"]

PathLike = str | os.PathLike[str]


def _from_db(db: PathLike, table: str, start: int | None, end: int | None, directed: bool | None) -> pd.DataFrame:
    path = Path(db)
    if not path.is_file():
        raise InputError(f"panel database {str(path)!r} does not exist; build it with "
                         "`alliancelab data build --out FILE`", field="db")
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as err:
        raise InputError(f"{path}: not a DuckDB panel file ({' '.join(str(err).split())[:200]})",
                         field="db") from err
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if table not in tables or "build_info" not in tables:
            raise InputError(f"{path}: no table {table!r}; rebuild with `alliancelab data build`", field="db")
        info = dict(con.execute("SELECT key, value FROM build_info").fetchall())
        built_dir = info.get("directed") == "True"
        if directed is not None and table == "dyad_years" and built_dir != directed:
            want = "directed" if directed else "undirected"
            raise InputError(f"{path}: was built {'directed' if built_dir else 'undirected'}, but {want} "
                             f"dyads were asked for; rebuild with{'' if directed else 'out'} --directed",
                             field="directed")
        lo, hi = int(info["start"]), int(info["end"])
        s = lo if start is None else int(start)
        e = hi if end is None else int(end)
        if s < lo or e > hi or s > e:
            raise InputError(f"{path}: covers {lo}-{hi}; asked for {s}-{e}", field="start/end")
        return con.execute(f"SELECT * FROM {table} WHERE year BETWEEN ? AND ? ORDER BY {ORDER[table]}",
                           [s, e]).df()
    finally:
        con.close()


def _build(table: str, data_dir: PathLike | None, start: int | None, end: int | None, directed: bool) -> pd.DataFrame:
    s, e = _check_years(start, end)
    con = duckdb.connect()
    try:
        build_into(con, data_dir, start=s, end=e, directed=directed, tables=(table,))
        return con.execute(f"SELECT * FROM {table} ORDER BY {ORDER[table]}").df()
    finally:
        con.close()


def dyad_years(
    data_dir: PathLike | None = None,
    start: int | None = None,
    end: int | None = None,
    directed: bool = False,
    db: PathLike | None = None,
) -> pd.DataFrame:
    """Dyad-years of all system members (columns of docs/panel.md), as a pandas DataFrame.

    Parameters
    ----------
    data_dir
        Folder with the datasets (``$ALLIANCELAB_DATA_DIR`` when None); ignored when ``db`` is given.
    start, end
        First and last year (1816 and 2018 by default; a built ``db`` gives its own range).
    directed
        Both orders of each dyad instead of ``ccode1 < ccode2``.
    db
        A DuckDB file written by ``alliancelab data build``; read instead of rebuilding.

    Examples
    --------
    >>> df = dyad_years("../shared/data", start=1949, end=1950)  # doctest: +SKIP
    >>> df.query("ccode1 == 2 and ccode2 == 200")["atop_defense"].tolist()  # doctest: +SKIP
    [1, 1]
    """
    if db is not None:
        return _from_db(db, "dyad_years", start, end, directed)
    return _build("dyad_years", data_dir, start, end, directed)


def state_years(
    data_dir: PathLike | None = None,
    start: int | None = None,
    end: int | None = None,
    db: PathLike | None = None,
) -> pd.DataFrame:
    """State-years of all system members (columns of docs/panel.md), as a pandas DataFrame.

    Parameters are as for :func:`dyad_years`.
    """
    if db is not None:
        return _from_db(db, "state_years", start, end, None)
    return _build("state_years", data_dir, start, end, False)
