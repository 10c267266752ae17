"""CLI: ``alliancelab world`` (camps forecast from real data) and ``alliancelab sweep``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ._app import app, emit_json

__all__: list[str] = []


@app.command()
def sweep(
    config: Annotated[Path, typer.Argument(help="Sweep YAML (see examples/sweep-*.yaml).")],
    out: Annotated[Path, typer.Option("--out", help="Output folder (rerun to resume).")],
    workers: Annotated[Optional[int], typer.Option(
        "--workers", help="Run on a local Dask cluster with N worker processes.")] = None,
    scheduler: Annotated[Optional[str], typer.Option(
        "--scheduler", help="Address of a running Dask scheduler, tcp://HOST:PORT.")] = None,
    data_dir: Annotated[Optional[Path], typer.Option(
        "--data-dir", help="Real data folder (for a world built from data).")] = None,
    timeout: Annotated[float, typer.Option(
        "--timeout", help="Seconds to wait for --scheduler to answer.")] = 5.0,
    progress: Annotated[bool, typer.Option("--progress/--no-progress")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Run a parameter sweep of the world model with sensitivity analysis (resumable)."""
    from .._exceptions import InputError
    from ..engine.sweep import run_sweep
    from ..engine.sweep_config import load_sweep_config

    if workers is not None and scheduler is not None:
        raise InputError("give --workers or --scheduler, not both", field="--workers")
    if workers is not None and workers < 1:
        raise InputError(f"must be a whole number >= 1; got {workers}", field="--workers")
    cfg = load_sweep_config(config)
    result = run_sweep(cfg, out, workers=workers, scheduler=scheduler, data_dir=data_dir,
                       progress=progress, connect_timeout=timeout)
    summary = result.summary()
    if as_json:
        emit_json(summary)
        return
    typer.echo(f"sweep {cfg.name}: {summary['n_points']} points x {cfg.runs_per_point} runs = "
               f"{summary['total_runs']:,} runs in {summary['seconds']:.1f} s "
               f"({summary['chunks_computed']} chunks computed, {summary['chunks_reused']} reused)")
    top = result.indices
    if not top.empty:
        main = {"sobol": "ST", "morris": "mu_star", "grid": "range"}[cfg.design.method]
        top = top[top["index"] == main].sort_values("value", ascending=False)
        for outcome, part in top.groupby("outcome", sort=False):
            best = part.iloc[0]
            typer.echo(f"  {outcome}: most sensitive to {best['parameter']} "
                       f"({main} = {best['value']:.3f})")
    typer.echo(f"results: {out / 'results.parquet'}; indices: {out / 'indices.csv'}; "
               f"plot: {out / 'sensitivity.png'}")


@app.command()
def world(
    year: Annotated[int, typer.Option("--year", help="Year of the world to build from data.")],
    data_dir: Annotated[Optional[Path], typer.Option(
        "--data-dir", help="Real data folder (default $ALLIANCELAB_DATA_DIR).")] = None,
    states: Annotated[Optional[str], typer.Option(
        "--states", help="Comma-separated COW codes (numbers or abbreviations).")] = None,
    max_states: Annotated[int, typer.Option("--max-states", help="Largest states kept.")] = 50,
    periods: Annotated[int, typer.Option("--periods", help="Years forecast.")] = 5,
    runs: Annotated[int, typer.Option("--runs", help="Monte Carlo runs.")] = 2_000,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    strategy: Annotated[str, typer.Option("--strategy", help="Patron budget strategy.")] = "interest",
    as_json: Annotated[bool, typer.Option("--json", help="Print the camps as JSON.")] = False,
) -> None:
    """Build the world of YEAR from real data and forecast its camps (who aligns with whom)."""
    from ..engine.world_data import forecast_camps

    codes = None if states is None else [s.strip() for s in states.split(",") if s.strip()]
    camps = forecast_camps(year, data_dir=data_dir, states=codes, max_states=max_states,
                           periods=periods, runs=runs, seed=seed, strategy=strategy)
    if as_json:
        emit_json(camps)
        return
    typer.echo(f"World of {year}: {camps['n_states']} states, patrons "
               f"{', '.join(camps['patrons'])}; {runs:,} runs, {periods} years "
               f"(to {year + periods}), seed {seed}")
    for camp in camps["camps"]:
        members = ", ".join(f"{m['state']} {m['probability']:.2f}" for m in camp["members"])
        typer.echo(f"  camp {camp['patron']}: {members or '-'}")
    typer.echo(f"  non-aligned (modal): {', '.join(camps['nonaligned']) or '-'}")
    for note in camps.get("notes", []):
        typer.echo(f"  note: {note}")
