"""Model commands: ``forecast``, ``validate``, ``params`` (registered on the shared app)."""

from __future__ import annotations

from typing import Optional

import typer

from ._app import app, emit_json

__all__ = ["forecast_cmd", "params_cmd", "validate_cmd"]


def _pct(p: float) -> str:
    return f"{100 * p:5.1f}%"


def _ci(ci: list[float]) -> str:
    return f"[{100 * ci[0]:.1f}, {100 * ci[1]:.1f}]"


def _render(d: dict) -> None:
    """Print a forecast dict as readable tables (rich)."""
    from rich.console import Console
    from rich.table import Table

    con = Console(width=110, highlight=False, soft_wrap=False)
    con.print(f"[bold]{d['scenario']['title']}[/bold]  ({d['scenario']['id']})")
    con.print(f"client {d['primary_client']}, periods {d['periods'][0]}–{d['final_period']}, "
              f"{d['runs']:,} runs, seed {d['seed']}"
              + (f", disabled: {', '.join(d['disabled'])}" if d["disabled"] else ""))
    for key, title in (("alignment", "Alignment"), ("ruling", "Ruling faction"),
                       ("alliance_type", "Alliance type (Table 1)")):
        tab = Table(title=f"{title} in {d['final_period']}", title_justify="left")
        tab.add_column("outcome")
        tab.add_column("probability", justify="right")
        tab.add_column("95% CI", justify="right")
        for lab, p in sorted(d[key].items(), key=lambda kv: -kv[1]):
            tab.add_row(lab, _pct(p), _ci(d["ci"][key][lab]))
        con.print(tab)
    tab = Table(title="Timeline", title_justify="left")
    for col in ("period", "aligned (any)", "most likely alignment", "most likely ruler", "precarity"):
        tab.add_column(col, justify="left" if col.startswith("most") else "right")
    for row in d["timeline"]:
        al = max(row["alignment"].items(), key=lambda kv: kv[1])
        ru = max(row["ruling"].items(), key=lambda kv: kv[1])
        aligned = 1.0 - row["alignment"].get("non-aligned", 0.0)
        tab.add_row(row["period"], _pct(aligned), f"{al[0]} ({_pct(al[1]).strip()})",
                    f"{ru[0]} ({_pct(ru[1]).strip()})", f"{row['precarity_mean']:.2f}")
    con.print(tab)
    tab = Table(title="Events (at least once)", title_justify="left")
    for col, just in (("event", "left"), ("probability", "right"), ("95% CI", "right"),
                      ("modal first", "right"), ("most often by", "left")):
        tab.add_column(col, justify=just)  # type: ignore[arg-type]
    for kind, ev in d["events"].items():
        by = max(ev["by"].items(), key=lambda kv: kv[1]["probability"], default=None)
        by_txt = f"{by[0]} ({_pct(by[1]['probability']).strip()})" if by and by[1]["probability"] > 0 else "–"
        tab.add_row(kind, _pct(ev["probability"]), _ci(ev["ci"]), ev["modal_first_period"] or "–", by_txt)
    con.print(tab)
    if d["drivers"]:
        ranked = sorted(d["drivers"].items(), key=lambda kv: kv[1]["rank"])
        outcome = ranked[0][1]["outcome"]
        tab = Table(title=f"Drivers: change of P({outcome}) when a mechanism is switched off "
                    f"({d['driver_runs']:,} runs each)", title_justify="left")
        tab.add_column("mechanism")
        tab.add_column("change", justify="right")
        tab.add_column("what it does")
        for mech, v in ranked[:10]:
            tab.add_row(mech, f"{100 * v['change_when_off']:+.1f} pts", v["description"])
        con.print(tab)
    if d.get("uncertainty") or d.get("sensitivity"):
        from .posterior_cmds import render_uncertainty

        render_uncertainty(d, con)
    if d["warnings"]:
        con.print("[bold]Warnings[/bold]")
        for w in d["warnings"]:
            con.print(f"  - {w}")


@app.command("forecast")
def forecast_cmd(
    scenario: str = typer.Argument(..., help="Scenario YAML file, or a built-in case id."),
    runs: int = typer.Option(10_000, "--runs", help="Monte Carlo runs."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Random seed (recorded in the output)."),
    as_json: bool = typer.Option(False, "--json", help="Print the forecast as one JSON object."),
    overrides: Optional[list[str]] = typer.Option(None, "--set",
                                                  help="Override a value: dotted.path=value (repeatable)."),
    disable: Optional[list[str]] = typer.Option(None, "--disable",
                                                help="Switch a mechanism off, e.g. E10 (repeatable)."),
    drivers: bool = typer.Option(True, "--drivers/--no-drivers", help="Measure each mechanism's effect."),
    driver_runs: int = typer.Option(2_000, "--driver-runs", help="Runs per mechanism for the drivers."),
    point: bool = typer.Option(False, "--point", help="One parameter set (--params), file inputs only: "
                               "Monte Carlo intervals only."),
    params: str = typer.Option("calibrated", "--params", help="With --point: 'calibrated' (the posterior "
                               "median, calibration.calibrated_params) or 'defaults' (the source defaults)."),
    posterior: Optional[str] = typer.Option(None, "--posterior", help="A posterior file (default: shipped)."),
    draws: int = typer.Option(8, "--draws", help="Posterior draws integrated over."),
    input_draws: int = typer.Option(3, "--input-draws", help="Perturbations of the judgement inputs."),
    sensitivity: bool = typer.Option(False, "--sensitivity", help="Rank the inputs and parameters that most "
                                     "move the modal outcome's probability."),
    plots: Optional[str] = typer.Option(None, "--plots", help="With --sensitivity: write a tornado plot to DIR."),
) -> None:
    """Forecast a scenario: who rules, alignment, alliance type, events, drivers, with 95% CIs.

    By default integrated over the posterior of the parameters and the judgement inputs' bands, with
    `uncertainty` split into Monte Carlo, parameter and input parts (docs/calibration.md); `--point`
    gives the forecast of one parameter set (`--params calibrated`, the posterior median, or
    `--params defaults`).
    """
    from .._exceptions import InputError
    from .._validation import MAX_RUNS, check_positive_int
    from ..engine import forecast
    from ..scenario import load_scenario

    check_positive_int(runs, "--runs", maximum=MAX_RUNS)
    check_positive_int(driver_runs, "--driver-runs", maximum=MAX_RUNS)
    if seed is not None and seed < 0:
        raise InputError(f"must be a whole number >= 0; got {seed!r}", field="--seed")
    from ..limits import check_work

    sc = load_scenario(scenario, overrides=list(overrides or []))
    check_work(sc, runs, drivers=drivers, driver_runs=driver_runs)
    from ..calibration.params import point_params

    if point:
        fc = forecast(sc, runs=runs, seed=seed, disable=tuple(disable or ()), drivers=drivers,
                      driver_runs=driver_runs, params=point_params(params, posterior))
        d = fc.to_dict()         # `params_changed` lists where the set differs from the source defaults
    else:
        if params != "calibrated":
            point_params(params, posterior)   # an unknown name is named first
            raise InputError("needs --point (the default integrates over the posterior)", field="--params")
        from .posterior_cmds import integrated_forecast

        d = integrated_forecast(sc, runs=runs, seed=seed, disable=tuple(disable or ()), drivers=drivers,
                                driver_runs=driver_runs, posterior=posterior, draws=draws,
                                input_draws=input_draws, sensitivity=sensitivity, plots=plots)
    if as_json:
        emit_json(d)
    else:
        _render(d)


@app.command("validate")
def validate_cmd(
    scenario: str = typer.Argument(..., help="Scenario YAML file, or a built-in case id."),
    overrides: Optional[list[str]] = typer.Option(None, "--set", help="Override: dotted.path=value."),
) -> None:
    """Validate a scenario file; print a one-line summary and any scope warnings."""
    from ..engine import compile_scenario, scenario_warnings
    from ..scenario import load_scenario
    from ..theory.params import ModelParams

    sc = load_scenario(scenario, overrides=list(overrides or []))
    comp = compile_scenario(sc, ModelParams())
    typer.echo(f"ok: {sc.metadata.id}: {len(sc.periods)} periods {sc.periods[0]}–{sc.periods[-1]}, "
               f"clients {', '.join(sc.clients)}, patrons {', '.join(sc.patrons)}, "
               f"{len(sc.support)} support items, {len(sc.threats)} threats, {len(sc.events)} events")
    for w in scenario_warnings(sc, comp):
        typer.echo(f"warning: {w}")


@app.command("params")
def params_cmd(
    markdown: bool = typer.Option(False, "--markdown", help="Print docs/parameters.md."),
    as_json: bool = typer.Option(False, "--json", help="Print the defaults as JSON."),
) -> None:
    """Show the model's one parameter set (defaults, units, ranges, sources)."""
    from ..theory.params import ModelParams, parameter_rows, parameters_markdown

    if markdown:
        typer.echo(parameters_markdown(), nl=False)
        typer.echo("")
    elif as_json:
        emit_json(ModelParams().to_dict())
    else:
        for r in parameter_rows():
            typer.echo(f"{r['section']}.{r['name']} = {r['default']!r}  [{r['unit']}]")
