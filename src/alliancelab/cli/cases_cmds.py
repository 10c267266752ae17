"""Case commands: ``cases``, ``backtest``, ``counterfactuals``, ``calibrate`` (issue #3)."""

from __future__ import annotations

from typing import Optional

import typer

from ._app import app, emit_json

__all__ = ["backtest_cmd", "calibrate_cmd", "cases_cmd", "counterfactuals_cmd"]


def _check_runs_seed(runs: int, seed: int | None) -> None:
    from .._exceptions import InputError
    from .._validation import MAX_RUNS, check_positive_int

    check_positive_int(runs, "--runs", maximum=MAX_RUNS)
    if seed is not None and seed < 0:
        raise InputError(f"must be a whole number >= 0; got {seed!r}", field="--seed")


@app.command("cases")
def cases_cmd(as_json: bool = typer.Option(False, "--json", help="Print the list as JSON."),
              check: bool = typer.Option(False, "--check", help="Validate every built-in scenario and "
                                         "expected-outcome file and the names linking them; exit 2 "
                                         "with one line on the first error.")) -> None:
    """List the built-in cases (the papers' five and the case library; usable wherever a scenario is)."""
    from ..cases import list_cases

    if check:
        from ..cases.catalog import check_cases

        ids = check_cases()
        typer.echo(f"{len(ids)} cases ok: every scenario and expected file validates and their names match")
        return
    cases = list_cases()
    if as_json:
        emit_json([c.to_dict() for c in cases])
        return
    from rich.console import Console
    from rich.table import Table

    tab = Table(title=f"{len(cases)} built-in cases (alliancelab cases --json for all fields)",
                title_justify="left")
    for col in ("id", "paper", "era", "region", "periods", "mechanisms", "title / expected outcome"):
        tab.add_column(col, overflow="fold")
    for c in cases:
        tab.add_row(c.id, c.paper, c.era, c.region, f"{c.first_period}–{c.last_period}",
                    " ".join(c.mechanisms), f"{c.title}\n[dim]expected: {c.expected}[/dim]")
    Console(width=160, highlight=False).print(tab)


@app.command("backtest")
def backtest_cmd(
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list, one object per case (with the "
                                 "baselines' scores)."),
    totals: bool = typer.Option(False, "--totals", help="With --json: print {\"cases\": [...], "
                                "\"hit_rates\": {...}} (model and each baseline) instead of the list."),
    runs: int = typer.Option(10_000, "--runs", help="Monte Carlo runs per case."),
    seed: int = typer.Option(1, "--seed", help="Master seed (each case derives its own)."),
    plots: Optional[str] = typer.Option(None, "--plots", help="Write one timeline PNG per case to DIR."),
    case: Optional[list[str]] = typer.Option(None, "--case", help="Only this case (repeatable); "
                                             "'papers' = the papers' five, 'library' = the others."),
    cv: Optional[str] = typer.Option(None, "--cv", help="Cross-validate the posterior: 'loo' (docs/validation.md)."),
    posterior: Optional[str] = typer.Option(None, "--posterior", help="With --cv: a posterior file (default: shipped)."),
    refit: bool = typer.Option(True, "--refit/--no-refit", help="With --cv: exact refits where Pareto k > 0.7."),
    output: Optional[str] = typer.Option(None, "--output", help="With --cv: write the result JSON (and folds) here."),
    refit_steps: Optional[int] = typer.Option(None, "--refit-steps", help="With --cv: steps of each exact refit."),
    params: str = typer.Option("calibrated", "--params", help="The one parameter set: 'calibrated' (the "
                               "shipped posterior's median) or 'defaults' (the source defaults)."),
) -> None:
    """Run every built-in case with ONE parameter set; score the model and the realist baselines.

    The parameter set is the shipped posterior's median (`--params calibrated`, docs/calibration.md,
    "One parameter set"); `--params defaults` runs the source defaults (docs/parameters.md).

    Exits 0 whether or not cases are missed: passes and misses are reported, not errors.
    """
    from ..cases import backtest
    from ..cases.baseline_scores import hit_rates

    if cv is not None:
        from .posterior_cmds import run_cv

        run_cv(cv, posterior=posterior, refit=refit, output=output, as_json=as_json, refit_steps=refit_steps)
        return
    _check_runs_seed(runs, seed)
    from ..calibration.params import point_params

    pp = point_params(params)
    results = backtest(runs=runs, seed=seed, plots_dir=plots, cases=_select_cases(case), params=pp)
    rows = [r.to_dict() for r in results]
    if as_json:
        emit_json({"cases": rows, "hit_rates": hit_rates(rows)} if totals else rows)
    else:
        _render_backtest(results, rows, plots)
        typer.echo("parameters: " + ("the shipped posterior's median (calibration.calibrated_params; "
                                     "--params defaults for the source defaults)" if params == "calibrated"
                                     else "the source defaults (ModelParams())"))


def _select_cases(case: list[str] | None) -> list[str] | None:
    if not case:
        return None
    from ..cases.expected import EXPECTED

    out: list[str] = []
    for c in case:
        if c in ("papers", "library"):
            out += [k for k, e in EXPECTED.items() if (e.paper == "library") == (c == "library")]
        else:
            out.append(c)
    return out


_RULE_HEADS = {"balance_of_power": "BoP", "balance_of_threat": "BoT", "persistence": "persist"}


def _baseline_cell(b: dict) -> str:  # noqa: ANN001
    if b["abstained"]:
        return "–"
    return "HIT" if b["hit"] else "miss"


def _render_backtest(results: list, rows: list[dict], plots: str | None) -> None:  # noqa: ANN001
    from rich.console import Console
    from rich.table import Table

    from ..cases.baseline_scores import hit_rates

    con = Console(width=160, highlight=False)
    tab = Table(title=f"Backtest: every built-in case with one parameter set ({results[0].runs:,} runs each); "
                "model vs realist baselines" if results else "Backtest", title_justify="left")
    for col, just in (("case", "left"), ("paper", "left"), ("historical outcome", "left"),
                      ("P(model)", "right"), ("95% CI", "right"), ("model year", "right"),
                      ("history", "right"), ("model", "left"), *((h, "center") for h in _RULE_HEADS.values())):
        tab.add_column(col, justify=just)  # type: ignore[arg-type]
    for r, d in zip(results, rows):
        tab.add_row(r.case, r.paper, r.expected, f"{r.probability:.3f}", f"[{r.ci[0]:.3f}, {r.ci[1]:.3f}]",
                    str(r.model_year) if r.model_year is not None else "–", str(r.historical_year),
                    "PASS" if r.passed else "FAIL", *(_baseline_cell(d["baselines"][k]) for k in _RULE_HEADS))
    con.print(tab)
    papers = [r for r in results if r.paper != "library"]
    library = [r for r in results if r.paper == "library"]
    n = sum(r.passed for r in results)
    con.print(f"model: {n}/{len(results)} cases pass (P >= 0.8 and timing within 1 year): the papers' "
              f"{sum(r.passed for r in papers)}/{len(papers)}, the library's "
              f"{sum(r.passed for r in library)}/{len(library)}")
    rates = hit_rates(rows)
    for rule, head in _RULE_HEADS.items():
        h = rates[rule]
        con.print(f"{head:8s} {rule.replace('_', ' ')}: {h['hits']}/{h['cases']} hits (an abstention '–' "
                  f"counts as a miss); scored on {h['scored']}, where the model passes "
                  f"{sum(r.passed for r, d in zip(results, rows) if not d['baselines'][rule]['abstained'])}"
                  f"/{h['scored']}")
    con.print("baselines: docs/baselines.md (HIT = the rule's alignment path meets the case's alignment "
              "criteria and timing)")
    if plots:
        con.print(f"timeline plots written to {plots}/")


@app.command("counterfactuals")
def counterfactuals_cmd(
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list, one object per counterfactual."),
    runs: int = typer.Option(10_000, "--runs", help="Monte Carlo runs per scenario."),
    seed: int = typer.Option(1, "--seed", help="Master seed (as in backtest)."),
) -> None:
    """The papers' counterfactuals: change in outcome probabilities against the factual cases."""
    from ..cases import counterfactuals

    _check_runs_seed(runs, seed)
    results = counterfactuals(runs=runs, seed=seed)
    if as_json:
        emit_json([r.to_dict() for r in results])
        return
    from rich.console import Console
    from rich.table import Table

    con = Console(width=150, highlight=False)
    tab = Table(title=f"Counterfactuals ({runs:,} runs each, same seed as the factual case)",
                title_justify="left")
    for col, just in (("id", "left"), ("case", "left"), ("outcome", "left"), ("factual", "right"),
                      ("counterfactual", "right"), ("change", "right"), ("paper's direction", "left")):
        tab.add_column(col, justify=just)  # type: ignore[arg-type]
    for r in results:
        tab.add_row(r.id, r.case, r.outcome, f"{r.p_factual:.3f}", f"{r.p_counterfactual:.3f}",
                    f"{r.change:+.3f}", f"{r.expected_direction} ({'ok' if r.direction_ok else 'WRONG'})")
    con.print(tab)
    for r in results:
        con.print(f"  {r.id}: --set " + " --set ".join(r.overrides))


@app.command("calibrate")
def calibrate_cmd(
    as_json: bool = typer.Option(False, "--json", help="Print the calibration result as JSON."),
    runs: int = typer.Option(1_000, "--runs", help="Monte Carlo runs per case per evaluation."),
    seed: int = typer.Option(1, "--seed", help="Master seed (fixed: common random numbers)."),
    iterations: int = typer.Option(60, "--iterations", help="Objective evaluations (coarse search)."),
    output: Optional[str] = typer.Option(None, "--output", help="Write the result JSON to this file."),
    start: Optional[str] = typer.Option(None, "--start",
                                        help="JSON file {\"elite.x\": value, ...} to start from "
                                             "(default: the current defaults)."),
) -> None:
    """Fit the few free parameters jointly over all cases (see docs/calibration.md)."""
    from .._validation import check_positive_int
    from ..cases.calibrate import calibrate

    _check_runs_seed(runs, seed)
    check_positive_int(iterations, "--iterations", maximum=100_000)
    start_values = None
    if start:
        import json
        from pathlib import Path

        from .._exceptions import InputError

        try:
            start_values = json.loads(Path(start).read_text(encoding="utf-8"))
            start_values = start_values.get("fitted", start_values)
        except (OSError, ValueError) as err:
            raise InputError(f"cannot read a JSON object of parameter values: {err}", source=start,
                             field="--start") from None
    result = calibrate(runs=runs, seed=seed, iterations=iterations, start=start_values)
    d = result.to_dict()
    if output:
        from .._io import write_json_atomic

        write_json_atomic(output, d)
    if as_json:
        emit_json(d)
        return
    typer.echo(f"objective: {d['objective_start']:.4f} (start) -> {d['objective_best']:.4f} (fitted), "
               f"{d['evaluations']} evaluations, {runs} runs/case, seed {seed}")
    for name, v in d["fitted"].items():
        typer.echo(f"  {name:40s} {d['start'][name]!r:>10} -> {v!r}")
    for c in d["cases_best"]:
        typer.echo(f"  {c['case']:22s} P={c['probability']:.3f} year={c['model_year']} "
                   f"(history {c['historical_year']})")
