"""CLI commands (registered on the shared app): ``alliancelab web``, the local web explorer."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ._app import app

__all__ = ["web_cmd"]


@app.command("web")
def web_cmd(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (default: this machine only)."),
    port: int = typer.Option(8765, "--port", help="Port to listen on (0 = any free port)."),
    open_browser: bool = typer.Option(True, "--open/--no-open", help="Open the explorer in a web browser."),
    examples: Optional[Path] = typer.Option(None, "--examples",
                                            help="Folder of example scenarios (default: ./examples)."),
    quiet: bool = typer.Option(False, "--quiet", help="Do not log each request."),
    data_dir: Optional[Path] = typer.Option(None, "--data-dir",
                                            help="Real data folder for the world view (default $ALLIANCELAB_DATA_DIR)."),
) -> None:
    """Explore cases, forecasts, what-ifs and the backtest in a local web page (standard library only)."""
    from ..web.server import serve

    serve(host, port, open_browser=open_browser, examples_dir=examples, quiet=quiet, data_dir=data_dir)
