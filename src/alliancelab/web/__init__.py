"""The local web explorer (``alliancelab web``): a standard-library HTTP server, a JSON API and one page.

* :mod:`alliancelab.web.api` — the endpoints as pure functions (validate, compute, return JSON-able dicts).
* :mod:`alliancelab.web.server` — :func:`make_server` / :func:`serve` (``http.server``), caching, routing.
* ``static/`` — ``index.html``, ``app.js``, ``style.css`` (vanilla JS, no external resources).

See ``docs/web.md``.
"""

from __future__ import annotations

from .server import ExplorerServer, make_server, serve

__all__ = ["ExplorerServer", "make_server", "serve"]
