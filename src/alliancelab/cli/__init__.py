"""The ``alliancelab`` command line.

Each command group lives in its own module and registers itself on :data:`app`; this module only
imports them and turns :class:`~alliancelab.InputError` into a one-line message and exit status 2.
Heavy libraries are imported inside the commands, so ``alliancelab --help`` stays fast.
"""

from __future__ import annotations

import functools
import sys

import typer

from .._exceptions import AllianceLabError, InputError
from ._app import app

# Command modules register on `app` when imported.
from . import advise_cmds, cases_cmds, data_cmds, model_cmds, posterior_cmds, stats_cmds, web_cmds, world_cmds  # noqa: E402,F401,E501

__all__ = ["app", "main"]


@functools.lru_cache(maxsize=1)
def _command() -> typer.main.TyperGroup:
    """The click command of :data:`app`, built once (callers such as the fuzz tests run ``main`` often)."""
    return typer.main.get_command(app)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; exit 2 with one line on bad input (options too), never a traceback."""
    from typer import _click
    from typer.exceptions import Abort

    try:
        code = _command().main(args=argv, prog_name="alliancelab", standalone_mode=False)
    except _click.exceptions.NoArgsIsHelpError as err:
        err.show()  # ``alliancelab`` (or a group) alone: the help text, as before
        sys.exit(err.exit_code)
    except _click.exceptions.ClickException as err:  # bad option or argument: one line
        where = err.ctx.command_path if getattr(err, "ctx", None) is not None else "alliancelab"
        message = " ".join(err.format_message().split()).rstrip(".")
        if len(message) > 300:
            message = message[:297] + "..."
        typer.echo(f"error: {where}: {message}; see '{where} --help'", err=True)
        sys.exit(2)
    except Abort:
        typer.echo("aborted", err=True)
        sys.exit(1)
    except InputError as err:
        typer.echo(f"error: {err}", err=True)
        sys.exit(2)
    except AllianceLabError as err:
        typer.echo(f"error: {err}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)
