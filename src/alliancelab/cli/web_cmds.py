"""CLI commands (registered on the shared app)."""

from __future__ import annotations

from ._app import app  # noqa: F401
