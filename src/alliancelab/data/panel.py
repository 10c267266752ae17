"""Build the dyad-year and state-year panel in DuckDB, end to end (``alliancelab data build``).

Every source file is read by DuckDB's ``read_csv`` into a typed table (missing codes as NULL), the
sparse dyadic sources are keyed on one BIGINT per dyad-year, and the panel is one join over the
system-member dyads. The output file is written atomically: it is built in a temporary file beside
the target and renamed only when the build succeeded.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .._config import resolve_data_dir
from .._exceptions import InputError
from .._io import atomic_path
from . import loaders  # noqa: F401  (registers every dataset)
from ._sizes import check_row_count
from ._source import DATASETS, find_file, stage
from ._sources_sql import build_base
from .dyads import build_dyad_years
from .state_years import build_state_years
from .threat import MID_WINDOW, build_threat

__all__ = ["DEFAULT_END", "DEFAULT_START", "PanelBuild", "build_into", "build_panel", "remove_stale_temporaries"]

DEFAULT_START = 1816
DEFAULT_END = 2018
#: Datasets the panel reads (the others are loaders only).
PANEL_DATASETS = ("states", "majors", "nmc", "capitals", "democracy", "polity5", "atop_ddy", "midb", "gml",
                  "td_rivalries", "contiguity", "archigos", "chisols", "leeds_savun", "us_aid",
                  "cow_alliance_dyad")

#: Row order of each table (rows are stored unordered: sorting a million wide rows would cost a
#: fifth of the build; readers sort, as :func:`dyad_years` does).
ORDER = {"dyad_years": "year, ccode1, ccode2", "state_years": "ccode, year"}

Progress = Callable[[str], None]


@dataclass
class PanelBuild:
    """What a build produced: output path, row counts, sources and timings (seconds per step)."""

    out: Path | None
    rows: dict[str, int]
    sources: dict[str, str]
    steps: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        """One line per table with its row count, plus the total time."""
        lines = [f"{name}: {n:,} rows" for name, n in self.rows.items()]
        lines.append(f"built in {self.seconds:.2f} s")
        return "\n".join(lines)


def _cpu() -> float:
    """CPU seconds of this process (all threads)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _stderr(msg: str) -> None:
    sys.stderr.write(msg + "\n")
    sys.stderr.flush()


def _check_years(start: int | None, end: int | None) -> tuple[int, int]:
    s = DEFAULT_START if start is None else int(start)
    e = DEFAULT_END if end is None else int(end)
    if not 1816 <= s <= e <= 2100:
        raise InputError(f"years must satisfy 1816 <= start <= end <= 2100; got start={s}, end={e}",
                         field="start/end")
    return s, e


def build_into(
    con: duckdb.DuckDBPyConnection,
    data_dir: str | os.PathLike[str] | None = None,
    *,
    start: int | None = None,
    end: int | None = None,
    directed: bool = False,
    tables: tuple[str, ...] = ("dyad_years", "state_years"),
    progress: Progress | None = None,
) -> PanelBuild:
    """Build the panel tables inside an open DuckDB connection and return the build record."""
    s, e = _check_years(start, end)
    root = resolve_data_dir(data_dir)
    say = progress or (lambda _m: None)
    t0 = time.perf_counter()
    steps: dict[str, float] = {}
    cpu: dict[str, float] = {}

    def step(name: str, fn: Callable[[], None]) -> None:
        t, c = time.perf_counter(), _cpu()
        say(f"[{time.perf_counter() - t0:5.2f}s] {name}")
        fn()
        steps[name] = time.perf_counter() - t
        cpu[name] = _cpu() - c

    sources: dict[str, str] = {}
    have: set[str] = set()

    def stage_all() -> None:
        for key in PANEL_DATASETS:
            ds = DATASETS[key]
            path = find_file(ds, root)
            if path is None:
                if not ds.optional:
                    raise InputError(
                        f"{ds.title}: no file {ds.files[0]!r} in {str(root / ds.folder)!r}; "
                        "see docs/data.md for where to download it", field="data_dir")
                if key != "cow_alliance_dyad":
                    say(f"        {ds.title}: not found, its columns will be NULL")
                continue
            table = stage(con, ds, path)
            rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
            check_row_count(key, ds.title, int(rows), str(path), building=True)
            sources[key] = str(path)
            have.add(key)

    con.execute("SET preserve_insertion_order = false")
    con.execute("SET enable_progress_bar = false")
    step("reading source files", stage_all)
    atop_last = con.execute("SELECT max(year) FROM src_atop_ddy").fetchone()[0]  # type: ignore[index]
    if atop_last is not None and e > atop_last:
        raise InputError(f"the ATOP file ends in {atop_last}; --end must be <= {atop_last} (alliances after "
                         "it would all read 0)", field="end")
    step("system members, capabilities, alliances, MIDs, rivalries, contiguity",
         lambda: build_base(con, s, e))
    step(f"common-threat triads (rivals, MID opponents in {MID_WINDOW} years)",
         lambda: build_threat(con, directed=directed, start=s, end=e))
    if "dyad_years" in tables:
        step("dyad-years", lambda: build_dyad_years(con, directed=directed, start=s, end=e,
                                                    cow_alliance="cow_alliance_dyad" in have))
    if "state_years" in tables:
        step("state-years", lambda: build_state_years(con, have=frozenset(have)))
    rows = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}  # type: ignore[index]
    con.execute("CREATE OR REPLACE TABLE build_info (key VARCHAR, value VARCHAR)")
    info = {"start": s, "end": e, "directed": directed, "mid_window": MID_WINDOW,
            **{f"source.{k}": v for k, v in sources.items()}}
    con.executemany("INSERT INTO build_info VALUES (?, ?)", [(k, str(v)) for k, v in info.items()])
    total = time.perf_counter() - t0
    say(f"[{total:5.2f}s] done: " + ", ".join(f"{t} {n:,} rows" for t, n in rows.items()))
    return PanelBuild(out=None, rows=rows, sources=sources, steps=steps, seconds=total, cpu=cpu)


def _temp_prefix(target: Path) -> str:
    """Prefix of this process's temporary files for ``target`` (``.<name>.pid<N>.``)."""
    return f".{target.name}.pid{os.getpid()}."


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temporaries(target: Path, *, older_than: float = 3600.0) -> list[Path]:
    """Remove temporary files of ``target`` left by killed builds; return the removed paths.

    A temporary file named ``.<name>.pid<N>.*`` belongs to a process that is gone when no process
    ``N`` exists; files of the older naming (``.<name>.*``, no pid) are removed when older than
    ``older_than`` seconds. DuckDB's ``.wal`` companions go with their file.
    """
    import re

    removed: list[Path] = []
    folder = target.parent
    if not folder.is_dir():
        return removed
    pattern = re.compile(r"^\." + re.escape(target.name) + r"\.(?:pid(\d+)\.)?[^/]*$")
    now = time.time()
    for path in folder.iterdir():
        m = pattern.match(path.name)
        if m is None or not path.is_file():
            continue
        pid = m.group(1)
        try:
            stale = (not _alive(int(pid))) if pid else now - path.stat().st_mtime > older_than
            if stale and int(pid or 0) != os.getpid():
                path.unlink()
                removed.append(path)
        except (OSError, ValueError):
            continue
    return removed


def _check_writable_folder(folder: Path, option: str) -> None:
    """Refuse an output folder that is a file, under a file, or not writable (before any work)."""
    probe = folder
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        raise InputError(f"{str(probe)!r} is a regular file, so {str(folder)!r} cannot be a folder; "
                         "allowed: a path in a writable folder", field=option)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputError(f"cannot create the folder {str(folder)!r}: {err.strerror or err}; allowed: a path "
                         "in a writable folder", field=option) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(f"the folder {str(folder)!r} is not writable; allowed: a path in a writable folder",
                         field=option)


def build_panel(
    data_dir: str | os.PathLike[str] | None = None,
    out: str | os.PathLike[str] = "panel.duckdb",
    *,
    start: int | None = None,
    end: int | None = None,
    directed: bool = False,
    parquet: str | os.PathLike[str] | None = None,
    progress: Progress | bool | None = None,
    threads: int | None = None,
) -> PanelBuild:
    """Build the panel into the DuckDB file ``out`` (atomically) and optionally Parquet files.

    Parameters
    ----------
    data_dir
        Folder with the dataset files (``$ALLIANCELAB_DATA_DIR`` when None).
    out
        Target DuckDB file; replaced only when the build succeeds.
    start, end
        First and last year (defaults 1816 and 2018).
    directed
        Both orders of every dyad instead of ``ccode1 < ccode2``.
    parquet
        Folder for ``dyad_years.parquet`` and ``state_years.parquet`` (written atomically too).
    progress
        A callable taking a message, ``True`` for step lines on stderr, or None for silence.
    """
    say: Progress | None = _stderr if progress is True else (progress or None)
    out = Path(out)
    if out.exists() and out.is_dir():
        raise InputError(f"{str(out)!r} is a directory, not a DuckDB file", field="out")
    _check_writable_folder(out.parent if str(out.parent) else Path("."), "out")
    folder = Path(parquet) if parquet is not None else None
    if folder is not None:
        _check_writable_folder(folder, "parquet")
    for stale in remove_stale_temporaries(out):
        if say:
            say(f"        removed {stale.name}, left by a build that was killed")
    with atomic_path(out, suffix=".duckdb", prefix=_temp_prefix(out)) as tmp:
        con = duckdb.connect(str(tmp))
        try:
            if threads:
                con.execute(f"SET threads = {int(threads)}")
            result = build_into(con, data_dir, start=start, end=end, directed=directed, progress=say)
            if folder is not None:
                for table in result.rows:
                    target = folder / f"{table}.parquet"
                    remove_stale_temporaries(target)
                    try:
                        with atomic_path(target, suffix=".parquet", prefix=_temp_prefix(target)) as ptmp:
                            con.execute(f"COPY (SELECT * FROM {table} ORDER BY {ORDER[table]}) TO "
                                        f"'{ptmp}' (FORMAT parquet)")
                    except (OSError, duckdb.IOException) as err:
                        reason = getattr(err, "strerror", None) or " ".join(str(err).split())[:120]
                        raise InputError(f"cannot write {str(target)!r}: {reason}; allowed: a path in a "
                                         "writable folder", field="parquet") from None
            con.execute("CHECKPOINT")
        finally:
            con.close()
            wal = Path(str(tmp) + ".wal")
            if wal.exists():
                wal.unlink()
    result.out = out
    return result
