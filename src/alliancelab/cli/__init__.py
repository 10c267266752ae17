"""The ``alliancelab`` command line.

Each command group lives in its own module and registers itself on :data:`app`; this module only
imports them and turns :class:`~alliancelab.InputError` into a one-line message and exit status 2.
Heavy libraries are imported inside the commands, so ``alliancelab --help`` stays fast.
"""

from __future__ import annotations

import sys

import typer

from .._exceptions import AllianceLabError, InputError
from ._app import app

# Command modules register on `app` when imported.
from . import advise_cmds, cases_cmds, data_cmds, model_cmds, posterior_cmds, stats_cmds, web_cmds, world_cmds  # noqa: E402,F401,E501

__all__ = ["app", "main"]


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; exit 2 with one line on bad input, never a traceback."""
    try:
        app(args=argv)
    except InputError as err:
        typer.echo(f"error: {err}", err=True)
        sys.exit(2)
    except AllianceLabError as err:
        typer.echo(f"error: {err}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
