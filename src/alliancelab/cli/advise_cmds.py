"""``alliancelab advise``: paper E's recommendations against naive strategies (registered on the app)."""

from __future__ import annotations

from typing import Any, Optional

import typer

from ._app import app, emit_json

__all__ = ["advise_cmd"]


def _render(d: dict[str, Any]) -> None:
    """Print an advice dict as a readable table (rich)."""
    from rich.console import Console
    from rich.table import Table

    con = Console(width=140, highlight=False, soft_wrap=False)
    con.print(f"[bold]Advice for {d['patron']}[/bold] on {d['client']} ({d['scenario']}): "
              f"backs {d['friendly_faction']}; {d['runs']:,} runs per strategy, seed {d['seed']}")
    tab = Table(title="P(client aligned with the patron in the final period), by strategy",
                title_justify="left")
    for col, just in (("strategy", "left"), ("cost $m", "right"), ("x SQ", "right"),
                      ("P(align)", "right"), ("95% CI", "right"), ("vs SQ", "right"),
                      ("P(friend rules)", "right"), ("P(split)", "right")):
        tab.add_column(col, justify=just, no_wrap=True)  # type: ignore[arg-type]
    for r in d["strategies"]:
        ratio = "–" if r["cost_ratio"] is None else f"{r['cost_ratio']:.2f}"
        tab.add_row(r["strategy"], f"{r['cost']:,.0f}", ratio, f"{100 * r['p_align']:.1f}%",
                    f"[{100 * r['p_align_lo']:.1f}, {100 * r['p_align_hi']:.1f}]",
                    f"{100 * r['delta_p_align']:+.1f} pts", f"{100 * r['p_friendly_rules']:.1f}%",
                    f"{100 * r['p_split']:.1f}%")
    con.print(tab)
    for r in d["strategies"]:
        con.print(f"  {r['strategy']}: {r['description']}")
    con.print("  (SQ = status quo; P(split) = a split between the client and the patron at some period)")
    for note in d.get("notes") or []:
        con.print(f"note: {note}")


@app.command("advise")
def advise_cmd(
    scenario: str = typer.Argument(..., help="Scenario YAML file, or a built-in case id."),
    patron: str = typer.Option(..., "--patron", help="The patron taking the advice."),
    runs: int = typer.Option(2_000, "--runs", help="Monte Carlo runs per strategy."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Random seed (recorded in the output)."),
    as_json: bool = typer.Option(False, "--json", help="Print the advice as one JSON object."),
    overrides: Optional[list[str]] = typer.Option(None, "--set",
                                                  help="Override a value: dotted.path=value (repeatable)."),
) -> None:
    """Compare paper E's recommendations R1-R4 with naive strategies: cost and P(alignment)."""
    from .._exceptions import InputError
    from .._validation import MAX_RUNS, check_positive_int
    from ..advise import advice_to_dict, advise
    from ..scenario import load_scenario

    check_positive_int(runs, "--runs", maximum=MAX_RUNS)
    if seed is not None and seed < 0:
        raise InputError(f"must be a whole number >= 0; got {seed!r}", field="--seed")
    sc = load_scenario(scenario, overrides=list(overrides or []))
    if patron not in sc.patrons:
        raise InputError(f"unknown patron {patron!r}; allowed: one of: {', '.join(sc.patrons)}",
                         source=sc.origin, field="--patron")
    from ..advise._strategies import STRATEGIES
    from ..limits import check_work

    check_work(sc, runs * (len(STRATEGIES) + 1))  # one forecast per strategy (+ the status quo)
    d = advice_to_dict(advise(sc, patron, runs=runs, seed=seed))
    if as_json:
        emit_json(d)
    else:
        _render(d)
