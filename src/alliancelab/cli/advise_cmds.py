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
    u = d.get("uncertainty")
    if u:
        con.print(f"integrated over the posterior: {u['parameter_draws']} parameter draws x {u['input_draws']} "
                  f"input draws ({u['inputs_varied']} judgement inputs varied), the same cells for every "
                  f"strategy (paired); posterior: {u['posterior'].get('label')}")
    else:
        con.print(f"one parameter set ({d.get('params', 'given')}), the file's inputs: Monte Carlo intervals only")
    tab = Table(title="P(client aligned with the patron in the final period), by strategy",
                title_justify="left")
    for col, just in (("strategy", "left"), ("cost $m", "right"), ("x SQ", "right"),
                      ("P(align)", "right"), ("95% interval", "right"), ("vs SQ", "right"),
                      ("95% interval", "right"), ("P(best)", "right"),
                      ("P(friend rules)", "right"), ("P(split)", "right")):
        tab.add_column(col, justify=just, no_wrap=True)  # type: ignore[arg-type]
    for r in d["strategies"]:
        ratio = "–" if r["cost_ratio"] is None else f"{r['cost_ratio']:.2f}"
        tab.add_row(r["strategy"], f"{r['cost']:,.0f}", ratio, f"{100 * r['p_align']:.1f}%",
                    f"[{100 * r['p_align_lo']:.1f}, {100 * r['p_align_hi']:.1f}]",
                    f"{100 * r['delta_p_align']:+.1f} pts",
                    f"[{100 * r['delta_p_align_lo']:+.1f}, {100 * r['delta_p_align_hi']:+.1f}]",
                    f"{100 * r['p_best']:.0f}%", f"{100 * r['p_friendly_rules']:.1f}%",
                    f"{100 * r['p_split']:.1f}%")
    con.print(tab)
    for r in d["strategies"]:
        con.print(f"  {r['strategy']}: {r['description']}")
    con.print("  (SQ = status quo; P(best) = share of parameter x input cells in which the strategy does best; "
              "P(split) = a split between the client and the patron at some period)")
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
    point: bool = typer.Option(False, "--point", help="One parameter set (--params), the file's inputs: "
                               "Monte Carlo intervals only."),
    params: str = typer.Option("calibrated", "--params", help="With --point: 'calibrated' (the posterior "
                               "median) or 'defaults' (the source defaults)."),
    posterior: Optional[str] = typer.Option(None, "--posterior", help="A posterior file (default: shipped)."),
    draws: int = typer.Option(8, "--draws", help="Posterior draws integrated over."),
    input_draws: int = typer.Option(3, "--input-draws", help="Perturbations of the judgement inputs."),
) -> None:
    """Compare paper E's recommendations R1-R4 with naive strategies: cost and P(alignment).

    By default every strategy is forecast integrated over the posterior and the judgement inputs, on
    the same cells (paired); `--point` uses one parameter set (docs/advise.md).
    """
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

    from ..calibration.params import point_params
    from ..calibration.store import load_posterior

    check_positive_int(draws, "--draws", maximum=1_000)
    check_positive_int(input_draws, "--input-draws", maximum=1_000)
    post = load_posterior(posterior)
    pp = point_params(params, post) if point else None
    if not point and params != "calibrated":
        point_params(params, post)   # an unknown name is named first
        raise InputError("needs --point (the posterior mode integrates over the posterior)", field="--params")
    # one forecast per strategy (+ the status quo), split over the cells in the posterior mode
    check_work(sc, runs * (len(STRATEGIES) + 1), splits=1 if point else draws * input_draws)
    d = advice_to_dict(advise(sc, patron, runs=runs, seed=seed, params=pp, posterior=post, draws=draws,
                              input_draws=input_draws))
    if point:
        d["params"] = params
    if as_json:
        emit_json(d)
    else:
        _render(d)
