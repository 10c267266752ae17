"""``alliancelab posterior``: sample the parameter posterior on every built-in case (issue #11)."""

from __future__ import annotations

from typing import Optional

import typer

from ._app import app, emit_json

__all__ = ["posterior_cmd"]


@app.command("posterior")
def posterior_cmd(
    runs: int = typer.Option(300, "--runs", help="Monte Carlo runs per case and parameter set."),
    seed: int = typer.Option(1, "--seed", help="Master seed (common random numbers; walkers' start; RNG)."),
    walkers: Optional[int] = typer.Option(None, "--walkers", help="emcee walkers (even, >= 2 x parameters; "
                                          "default 4 x parameters, 32; docs/calibration.md)."),
    steps: int = typer.Option(400, "--steps", help="Most steps per walker."),
    directory: str = typer.Option(".posterior-run", "--dir", help="Checkpoint folder (resumes from it)."),
    workers: int = typer.Option(2, "--workers", help="Dask worker processes (0 = in this process)."),
    minutes: Optional[float] = typer.Option(None, "--minutes", help="Wall-time budget: stop at the next "
                                            "checkpoint after this many minutes (resume with the same command)."),
    max_minutes: Optional[float] = typer.Option(None, "--max-minutes", hidden=True, help="Old name of --minutes."),
    until_converged: bool = typer.Option(True, "--until-converged/--no-until-converged",
                                         help="Stop at the first checkpoint where the chain meets the "
                                              "convergence criterion (docs/calibration.md)."),
    min_steps: int = typer.Option(40, "--min-steps", help="With --until-converged: check from this step on."),
    moves: str = typer.Option("de-ind", "--moves", help="'de-ind' (DE + snooker + ensemble independence + "
                              "prior refresh), 'de' (the same without the independence move; session 11) or "
                              "'stretch'."),
    start: str = typer.Option("ball", "--start", help="A fresh run's walkers: 'ball' (defaults jittered), "
                              "'prior' (prior draws), 'posterior' (the shipped posterior's draws) or a "
                              "posterior file."),
    coords: str = typer.Option("box", "--coords", help="The coordinates the walkers move in: 'box' (the "
                               "sampling coordinates, bounded; a move out of the box is rejected) or 'logit' "
                               "(each box mapped onto the real line; session 13, docs/calibration.md)."),
    output: Optional[str] = typer.Option(None, "--output", help="Write the posterior JSON here."),
    cases: Optional[list[str]] = typer.Option(None, "--case", help="Only these cases (default: every case)."),
    short: bool = typer.Option(False, "--short", help="Label the result a short (unconverged) run."),
    max_draws: int = typer.Option(256, "--max-draws", help="Draws kept after burn-in and thinning."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary and provenance as JSON."),
) -> None:
    """Sample the posterior of the free parameters with emcee on a local Dask cluster (resumable)."""
    import shlex
    import sys

    from .._exceptions import InputError
    from .._validation import MAX_RUNS, check_positive_int
    from ..calibration.likelihood import available_cases
    from ..calibration.sampler import SamplerSettings, local_client, run_sampler
    from ..calibration.store import build_posterior, write_posterior

    check_positive_int(runs, "--runs", maximum=MAX_RUNS)
    check_positive_int(steps, "--steps", maximum=1_000_000)
    check_positive_int(max_draws, "--max-draws", maximum=100_000)
    if seed < 0:
        raise InputError(f"must be a whole number >= 0; got {seed!r}", field="--seed")
    if workers < 0 or workers > 64:
        raise InputError(f"must be 0..64; got {workers}", field="--workers")
    from ..calibration.sampler import MOVES
    from ..calibration.space import load_space

    if moves not in MOVES:
        raise InputError(f"unknown moves {moves!r}; allowed: {', '.join(MOVES)}", field="--moves")
    from pathlib import Path

    from ..calibration.sampler import COORDS, STARTS

    if coords not in COORDS:
        raise InputError(f"unknown coords {coords!r}; allowed: {', '.join(COORDS)}", field="--coords")

    if start not in STARTS and not Path(start).is_file():
        raise InputError(f"unknown start {start!r}; allowed: {', '.join(STARTS)} or a posterior file",
                         field="--start")
    budget = minutes if minutes is not None else max_minutes
    if budget is not None and not budget > 0:
        raise InputError(f"must be a number of minutes > 0; got {budget!r}", field="--minutes")
    check_positive_int(min_steps, "--min-steps", maximum=1_000_000)
    walkers = 4 * load_space().ndim if walkers is None else walkers
    settings = SamplerSettings(cases=tuple(cases or available_cases()), runs=runs, seed=seed, walkers=walkers,
                               steps=steps, moves=moves, start=start, coords=coords)
    client = local_client(workers) if workers else None
    try:
        chain = run_sampler(settings, directory, client=client,
                            progress=lambda m: typer.echo(m, err=True),
                            max_seconds=None if budget is None else 60.0 * budget,
                            until_converged=until_converged, min_steps=min_steps)
    finally:
        if client is not None:
            client.close()
            client.cluster.close()
    cmd = "alliancelab " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    post = build_posterior(chain, settings, max_draws=max_draws, short_run=short or not chain["complete"],
                           command=cmd)
    if output:
        write_posterior(post, output)
        typer.echo(f"wrote {output} ({post.n_draws} draws)", err=True)
    out = {"summary": post.summary, "provenance": post.provenance}
    if as_json:
        emit_json(out)
        return
    conv = post.provenance["convergence"]
    for n, s in post.summary.items():
        flag = "  AT BOUND" if s["at_bound"] else ""
        typer.echo(f"{n:34s} median {s['median']:9.4g}  90% [{s['q05']:.4g}, {s['q95']:.4g}]  "
                   f"R-hat {conv.get('rhat', {}).get(n)}  ESS {conv.get('ess_bulk', {}).get(n)}  "
                   f"tau {conv.get('tau', {}).get(n)}{flag}")
    for n, v in post.fixed.items():
        typer.echo(f"{n:34s} fixed  {v:9.4g}")
    from ..calibration.convergence import summary_line

    conv = post.provenance["convergence"]
    typer.echo(f"{post.provenance['label']}; stopped: {post.provenance['stopped']}; "
               f"{post.provenance['steps_done']} steps x {post.provenance['walkers']} walkers; "
               f"{post.provenance['elapsed_seconds']} s")
    typer.echo(summary_line(conv))
    typer.echo(f"criterion: {conv['criterion']}")
    for reason in conv.get("failing", []):
        typer.echo(f"  fails: {reason}")


def run_cv(cv: str, *, posterior: str | None, refit: bool, output: str | None, as_json: bool,
           refit_steps: int | None = None, workers: int = 2) -> None:
    """``backtest --cv loo``: leave-one-case-out validation of the posterior (docs/validation.md)."""
    from pathlib import Path

    from .._exceptions import InputError
    from .._io import write_json_atomic
    from ..calibration.loo import loo_markdown, loo_validate
    from ..calibration.store import load_posterior

    if cv != "loo":
        raise InputError(f"unknown cross-validation {cv!r}; allowed: loo", field="--cv")
    post = load_posterior(posterior)
    folds = None if output is None else Path(output).with_name("folds.json")
    from ..calibration.sampler import local_client

    if refit_steps is not None:
        from .._validation import check_positive_int

        check_positive_int(refit_steps, "--refit-steps", maximum=1_000_000)
    res = loo_validate(post, folds_file=folds, refit=refit, refit_steps=refit_steps,
                       client=(lambda: local_client(workers)) if workers else None,
                       progress=lambda m: typer.echo(m, err=True))
    if res["reused_folds"]:
        typer.echo(f"reused {res['reused_folds']} stored fold(s) from {folds} (inputs unchanged)", err=True)
    if output is not None:
        write_json_atomic(output, res)
    if as_json:
        emit_json(res)
    else:
        typer.echo(loo_markdown(res))


def integrated_forecast(sc, *, runs: int, seed: int | None, disable: tuple[str, ...], drivers: bool,  # noqa: ANN001
                        driver_runs: int, posterior: str | None, draws: int, input_draws: int,
                        sensitivity: bool, plots: str | None) -> dict:
    """The ``forecast`` command's default: integrated over the posterior and the judgement inputs."""
    from pathlib import Path

    from .._exceptions import InputError
    from .._validation import check_positive_int
    from ..calibration.store import load_posterior
    from ..calibration.uncertainty import posterior_forecast, sensitivity as rank, tornado_plot

    check_positive_int(draws, "--draws", maximum=1_000)
    check_positive_int(input_draws, "--input-draws", maximum=1_000)
    if plots is not None and not sensitivity:
        raise InputError("needs --sensitivity", field="--plots")
    post = load_posterior(posterior)
    fc, unc = posterior_forecast(sc, runs=runs, seed=seed, posterior=post, draws=draws, input_draws=input_draws,
                                 drivers=drivers, driver_runs=driver_runs, disable=disable)
    d = fc.to_dict()
    d["uncertainty"] = unc
    d["mode"] = "posterior"
    if sensitivity:
        sens = rank(sc, runs=min(runs, 2_000), seed=fc.seed % (2**32), posterior=post)
        d["sensitivity"] = sens
        if plots is not None:
            out = tornado_plot(sens, Path(plots) / f"{sc.metadata.id}-tornado.png",
                               title=f"{sc.metadata.title}: what moves P({sens['outcome']})")
            typer.echo(f"wrote {out}", err=True)
    return d


def render_uncertainty(d: dict, con) -> None:  # noqa: ANN001
    """Print the uncertainty split and the sensitivity ranking (rich console)."""
    from rich.table import Table

    u = d.get("uncertainty")
    if u:
        tab = Table(title=f"Uncertainty of P(final alignment): {u['parameter_draws']} posterior draws x "
                    f"{u['input_draws']} input draws ({u['inputs_varied']} judgement inputs varied)",
                    title_justify="left")
        for col in ("outcome", "probability", "95% interval", "s.d. MC", "s.d. parameters", "s.d. inputs",
                    "s.d. interaction"):
            tab.add_column(col, justify="left" if col == "outcome" else "right")
        for lab, v in sorted(u["alignment"].items(), key=lambda kv: -kv[1]["probability"]):
            sd = v["sd"]
            tab.add_row(lab, f"{100 * v['probability']:.1f}%",
                        f"[{100 * v['interval_95'][0]:.1f}, {100 * v['interval_95'][1]:.1f}]",
                        f"{sd['monte_carlo']:.3f}", f"{sd['parameter']:.3f}", f"{sd['input']:.3f}",
                        f"{sd['interaction']:.3f}")
        con.print(tab)
        con.print(f"posterior: {u['posterior'].get('label')}")
    s = d.get("sensitivity")
    if s:
        tab = Table(title=f"Sensitivity of P({s['outcome']}) = {100 * s['probability']:.1f}% "
                    f"({s['runs']:,} runs each, one at a time)", title_justify="left")
        for col in ("input or parameter", "kind", "low / high", "P at low", "P at high", "swing"):
            tab.add_column(col, justify="left" if col in ("input or parameter", "kind") else "right")
        for r in s["ranking"][:15]:
            tab.add_row(r["name"], r["kind"], f"{r['low']:.3g} / {r['high']:.3g}", f"{100 * r['p_low']:.1f}%",
                        f"{100 * r['p_high']:.1f}%", f"{100 * r['swing']:.1f} pts")
        con.print(tab)
