"""``alliancelab data``: build the DuckDB panel and show which datasets are present."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ._app import app

__all__ = ["data_app"]

data_app = typer.Typer(help="Real datasets: build the dyad-year / state-year panel, check the files.",
                       no_args_is_help=True)
app.add_typer(data_app, name="data")

_DATA_DIR = typer.Option(None, "--data-dir", help="Folder with the dataset files (default: $ALLIANCELAB_DATA_DIR).")


@data_app.command("build")
def build(
    out: Path = typer.Option(Path("panel.duckdb"), "--out", help="DuckDB file to write (replaced atomically)."),
    data_dir: Optional[Path] = _DATA_DIR,
    directed: bool = typer.Option(False, "--directed", help="Both orders of every dyad."),
    start: Optional[int] = typer.Option(None, "--start", help="First year (default 1816)."),
    end: Optional[int] = typer.Option(None, "--end", help="Last year (default 2018)."),
    parquet: Optional[Path] = typer.Option(None, "--parquet", help="Also write <table>.parquet files here."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress lines on stderr."),
) -> None:
    """Build dyad_years and state_years into a DuckDB file (and Parquet on request)."""
    from ..data.panel import build_panel

    result = build_panel(data_dir, out, start=start, end=end, directed=directed, parquet=parquet,
                         progress=not quiet)
    for table, n in result.rows.items():
        typer.echo(f"{table}: {n} rows")
    typer.echo(f"wrote {result.out} in {result.seconds:.2f} s")


@data_app.command("fetch")
def fetch_cmd(
    data_dir: Optional[Path] = typer.Option(None, "--dir", help="Folder to download into (default: "
                                            "$ALLIANCELAB_DATA_DIR, else ./data)."),
    only: Optional[list[str]] = typer.Option(None, "--only", help="Only this dataset (repeatable)."),
    base_url: Optional[str] = typer.Option(None, "--mirror", help="A mirror laid out as <repo>/<commit>/<path>."),
    timeout: float = typer.Option(30.0, "--timeout", help="Seconds to wait for the server."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars."),
) -> None:
    """Download the datasets from their pinned sources (resumable; checksums verified or recorded)."""
    import math
    import os

    from .._exceptions import InputError
    from ..data.fetch import fetch

    if not math.isfinite(timeout) or not 0 < timeout <= 600:
        raise InputError(f"must be a number of seconds in (0, 600]; got {timeout}", field="--timeout")
    root = data_dir or Path(os.environ.get("ALLIANCELAB_DATA_DIR") or "data")
    out = fetch(root, only=only, base_url=base_url, timeout=timeout, progress=not quiet)
    typer.echo(f"{root}: {len(out['fetched'])} fetched, {len(out['present'])} already present and verified; "
               f"check with: alliancelab data status --data-dir {root}")


@data_app.command("status")
def status(
    data_dir: Optional[Path] = _DATA_DIR,
    as_json: bool = typer.Option(False, "--json", help="JSON instead of a table."),
) -> None:
    """Show which datasets were found, their versions and row counts."""
    from ..data.status import data_status

    df = data_status(data_dir)
    if as_json:
        from ._app import emit_json

        records = df.astype(object).where(df.notna(), None).to_dict(orient="records")
        emit_json(records)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="alliancelab datasets")
    for col in ("dataset", "version", "found", "rows", "file", "problem"):
        table.add_column(col, overflow="fold")
    for r in df.itertuples():
        found = "yes" if r.found else ("MISSING" if r.required else "no (optional)")
        rows = "" if r.rows is None or r.rows != r.rows else f"{int(r.rows):,}"
        table.add_row(r.dataset, r.version, found, rows, r.file, r.problem)
    console = Console()
    if not console.is_terminal:
        console = Console(width=200)
    console.print(table)
