"""The shared Typer application and small helpers for command modules."""

from __future__ import annotations

import json
import sys
from typing import Any, Optional

import typer

__all__ = ["app", "emit_json"]

app = typer.Typer(
    name="alliancelab",
    help="Models of how states choose allies: forecast, backtest, test on data, simulate worlds.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _root(
    limit: Optional[list[str]] = typer.Option(
        None, "--limit", metavar="NAME=N",
        help="Raise (or lower) an input limit for this command, e.g. --limit periods=500 "
             "(repeatable; see docs/scenarios.md, Limits)."),
) -> None:
    """Models of how states choose allies: forecast, backtest, test on data, simulate worlds."""
    from ..limits import configure, parse_limits

    configure(parse_limits(limit or []))


def emit_json(obj: Any) -> None:
    """Print ``obj`` as deterministic JSON (sorted keys) on stdout."""
    sys.stdout.write(json.dumps(obj, indent=2, sort_keys=True, allow_nan=False) + "\n")


@app.command()
def version() -> None:
    """Print the alliancelab version."""
    from .. import __version__

    typer.echo(__version__)
