"""``alliancelab hypotheses``: test both theories on the real panel (issue 5)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ._app import app, emit_json

__all__ = ["hypotheses"]


@app.command("hypotheses")
def hypotheses(
    data_dir: Optional[Path] = typer.Option(
        None, "--data-dir", help="Folder with the dataset files (default: $ALLIANCELAB_DATA_DIR)."),
    panel: Optional[Path] = typer.Option(
        None, "--panel", help="DuckDB panel to reuse; built there from --data-dir if it does not exist."),
    as_json: bool = typer.Option(False, "--json", help="Print every number as JSON on stdout."),
    report: Optional[Path] = typer.Option(None, "--report", help="Write the HTML report here."),
    start: Optional[int] = typer.Option(None, "--start", help="First year (default: all)."),
    end: Optional[int] = typer.Option(None, "--end", help="Last year (default: all)."),
    split_year: int = typer.Option(1946, "--split-year", help="First out-of-sample test year."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress lines on stderr."),
) -> None:
    """Quadrant table, onset logit, Cox duration, elite H1/H2 and out-of-sample forecasts."""
    from ..stats.hypotheses import run_hypotheses

    def say(msg: str) -> None:
        if not quiet:
            typer.echo(msg, err=True)

    result = run_hypotheses(data_dir, panel, start=start, end=end, split_year=split_year, progress=say)
    if report is not None:
        from ..stats.report import write_report

        write_report(result, report)
        say(f"wrote {report}")
    if as_json:
        emit_json(result.to_dict())
        return
    import pandas as pd

    with pd.option_context("display.width", 200, "display.max_rows", 500, "display.max_columns", 20):
        typer.echo("== Table 1 on data (onset / termination per quadrant, %) ==")
        typer.echo(result.quadrants.summary().to_string(index=False))
        typer.echo("\n== Models ==")
        typer.echo(result.summary().round(3).to_string())
        if result.out_of_sample is not None:
            typer.echo("\n== Out of sample, legacy single split ==")
            typer.echo(result.out_of_sample.summary().round(5).to_string())
        if result.expanding is not None:
            exp = result.expanding
            typer.echo(f"\n== Out of sample, expanding window (refit every {exp.settings['step']} years, "
                       f"95% year-block bootstrap) ==")
            table = exp.metrics.set_index("model")[["auc", "auc_ci", "pr_auc", "brier", "brier_skill", "n",
                                                    "events"]].copy()
            table["auc_ci"] = [f"[{lo:.3f}, {hi:.3f}]" for lo, hi in table["auc_ci"]]
            typer.echo(table.round(4).to_string())
            inc = exp.increment
            if inc:
                typer.echo(f"theory increment (AUC, Y minus {inc['best_baseline']}): {inc['auc']:+.4f} "
                           f"[{inc['auc_ci'][0]:+.4f}, {inc['auc_ci'][1]:+.4f}]")
        primary = result.extra.get("primary_tests")
        if primary:
            typer.echo("\n== Pre-specified primary tests ==")
            typer.echo(pd.DataFrame(primary).set_index("id")[["estimate", "se", "p", "p_holm", "p_bh",
                                                              "se_type"]].to_string())
