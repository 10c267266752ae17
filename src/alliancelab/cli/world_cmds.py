"""CLI: ``alliancelab world`` (camps forecast from real data) and ``alliancelab sweep``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ._app import app, emit_json

__all__ = ["world_app"]


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


world_app = typer.Typer(help="Many-state worlds built from real data: camps forecast and backtest.",
                        invoke_without_command=True)
app.add_typer(world_app, name="world")


@world_app.callback()
def world(
    ctx: typer.Context,
    year: Annotated[Optional[int], typer.Option("--year", help="Year of the world to build from data.")] = None,
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
    if ctx.invoked_subcommand is not None:
        return
    from .._exceptions import InputError
    from ..engine.world_data import forecast_camps

    if year is None:
        raise InputError("give --year (or a subcommand: backtest)", field="--year")
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


@world_app.command("backtest")
def backtest_cmd(
    data_dir: Annotated[Optional[Path], typer.Option(
        "--data-dir", help="Real data folder (default $ALLIANCELAB_DATA_DIR).")] = None,
    start: Annotated[int, typer.Option("--start", help="First origin year.")] = 1950,
    end: Annotated[int, typer.Option("--end", help="Last origin year.")] = 2010,
    step: Annotated[int, typer.Option("--step", help="Years between origins.")] = 5,
    horizon: Annotated[int, typer.Option("--horizon", help="Years simulated and predicted.")] = 5,
    runs: Annotated[int, typer.Option("--runs", help="Monte Carlo runs per origin.")] = 400,
    max_states: Annotated[int, typer.Option("--max-states", help="Largest states per world.")] = 50,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    train_start: Annotated[int, typer.Option(
        "--train-start", help="First year of the baselines' training window.")] = 1816,
    plots: Annotated[Optional[Path], typer.Option("--plots", help="Folder for calibration plots.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    progress: Annotated[bool, typer.Option("--progress/--no-progress")] = True,
    inputs: Annotated[Optional[list[str]], typer.Option(
        "--input", help="An optional input rule of the world (threat_by_target, hostile_unpaid); "
                        "repeatable.")] = None,
) -> None:
    """Out-of-sample test of the simulation: pact onsets and ends per dyad vs statistical baselines."""
    import sys

    from ..engine.world_backtest import MODELS, backtest
    from ..engine.world_data import input_options

    opts = input_options(inputs)

    def bar(k: int, total: int, year: int) -> None:
        if not progress:
            return
        width = 30
        done = int(width * k / max(total, 1))
        sys.stderr.write(f"\rworld backtest [{'#' * done}{'.' * (width - done)}] {k}/{total} "
                         f"origins (at {year})")
        if k >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    res = backtest(data_dir, start=start, end=end, step=step, horizon=horizon, runs=runs,
                   max_states=max_states, seed=seed, plots=plots, train_start=train_start,
                   progress=bar, inputs=opts)
    if as_json:
        emit_json(res)
        return
    typer.echo(f"world backtest: origins {start}-{end} every {step}, horizon {horizon}; "
               f"{res['rows']:,} dyads at risk, {res['onsets']} onsets")
    for m in MODELS:
        lo, hi = (f"{v:.3f}" if v is not None else "-" for v in res["auc_interval"][m])
        auc = f"{res['auc'][m]:.3f}" if res["auc"][m] is not None else "-"
        typer.echo(f"  {m:<10} onset AUC {auc} [{lo}, {hi}]  Brier {res['brier'][m]:.4f}")
    e = res["end"]
    if "auc" in e:
        for m in MODELS:
            auc = f"{e['auc'][m]:.3f}" if e["auc"][m] is not None else "-"
            typer.echo(f"  {m:<10} end   AUC {auc}  Brier {e['brier'][m]:.4f}  "
                       f"({e['rows']} pacts, {e['ends']} ended)")
    for path in res.get("plots", []):
        typer.echo(f"  plot: {path}")


@world_app.command("camps")
def camps_cmd(
    year: Annotated[int, typer.Option("--year", help="A year with a reference partition (1914, 1950).")],
    data_dir: Annotated[Optional[Path], typer.Option(
        "--data-dir", help="Real data folder (default $ALLIANCELAB_DATA_DIR).")] = None,
    runs: Annotated[int, typer.Option("--runs", help="Monte Carlo runs.")] = 1_000,
    periods: Annotated[int, typer.Option("--periods", help="Years simulated from year - 1.")] = 1,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    inputs: Annotated[Optional[list[str]], typer.Option(
        "--input", help="An optional input rule of the world (threat_by_target, hostile_unpaid); "
                        "repeatable.")] = None,
) -> None:
    """Score the model's camps state by state against the reference partition of YEAR."""
    from ..engine.world_camps import score_camps
    from ..engine.world_data import input_options

    res = score_camps(year, data_dir=data_dir, runs=runs, seed=seed, periods=periods,
                      inputs=input_options(inputs))
    if as_json:
        emit_json(res)
        return
    typer.echo(f"camps {year} (world of {res['data_year']} data, {periods} year(s) simulated, "
               f"{runs:,} runs): {res['n_errors']} errors among {res['scored']} listed states "
               f"(starting camps: {len(res['start_errors'])} errors; camps read from the network of "
               f"alignments and pledges, the one-patron chain alone: {len(res['chain_errors'])} "
               f"errors)")
    for row in res["rows"]:
        if row["model"] is None:
            continue
        mark = "  " if row["model"] == row["reference"] else "x "
        typer.echo(f"  {mark}{row['state']:<4} reference {row['reference']:<8} model {row['model']:<8} "
                   f"start {row['start']:<8} {row['p']}")
    if res["not_in_world"]:
        typer.echo(f"  not in the world (not among the largest states): {', '.join(res['not_in_world'])}")
