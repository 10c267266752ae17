"""``alliancelab posterior``: sample the parameter posterior on every built-in case (issue #11)."""

from __future__ import annotations

from typing import Optional

import typer

from ._app import app, emit_json

__all__ = ["posterior_cmd"]


@app.command("posterior")
def posterior_cmd(
    runs: int = typer.Option(1_000, "--runs", help="Monte Carlo runs per case and parameter set."),
    seed: int = typer.Option(1, "--seed", help="Master seed (common random numbers; walkers' start; RNG)."),
    walkers: int = typer.Option(32, "--walkers", help="emcee walkers (even, >= 2 x parameters)."),
    steps: int = typer.Option(400, "--steps", help="Steps per walker."),
    directory: str = typer.Option(".posterior-run", "--dir", help="Checkpoint folder (resumes from it)."),
    workers: int = typer.Option(2, "--workers", help="Dask worker processes (0 = in this process)."),
    max_minutes: Optional[float] = typer.Option(None, "--max-minutes",
                                                help="Stop at the next checkpoint after this wall time."),
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
    settings = SamplerSettings(cases=tuple(cases or available_cases()), runs=runs, seed=seed, walkers=walkers,
                               steps=steps)
    client = local_client(workers) if workers else None
    try:
        chain = run_sampler(settings, directory, client=client,
                            progress=lambda m: typer.echo(m, err=True),
                            max_seconds=None if max_minutes is None else 60.0 * max_minutes)
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
    for n, s in post.summary.items():
        flag = "  AT BOUND" if s["at_bound"] else ""
        typer.echo(f"{n:34s} median {s['median']:9.4g}  90% [{s['q05']:.4g}, {s['q95']:.4g}]{flag}")
    typer.echo(f"{post.provenance['label']}; acceptance {post.provenance['acceptance']}; "
               f"{post.provenance['elapsed_seconds']} s")


def run_cv(cv: str, *, posterior: str | None, refit: bool, output: str | None, as_json: bool) -> None:
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
    res = loo_validate(post, folds_file=folds, refit=refit, progress=lambda m: typer.echo(m, err=True))
    if res["reused_folds"]:
        typer.echo(f"reused {res['reused_folds']} stored fold(s) from {folds} (inputs unchanged)", err=True)
    if output is not None:
        write_json_atomic(output, res)
    if as_json:
        emit_json(res)
    else:
        typer.echo(loo_markdown(res))
