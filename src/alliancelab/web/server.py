"""The web explorer's local HTTP server: standard library only (``http.server``).

Serves the static page (``static/index.html``, ``app.js``, ``style.css``, shipped as package data) and
the JSON API of :mod:`.api`:

======================  =====================================================================
``GET  /api/scenarios``  built-in cases and example scenarios with titles
``GET  /api/scenario``   ``?id=...``: one scenario's facts
``POST /api/forecast``   ``{id, runs, seed, overrides, drivers}``: forecast + period summary
``GET  /api/backtest``   ``?runs=&seed=``: every case against its paper's outcome
``GET  /api/glossary``   every term and mechanism code
``GET  /api/world``      ``?year=&runs=&seed=&max_states=``: the world's camps (needs ``data_dir``)
``POST /api/whatif``     a forecast request with overrides: baseline, change, paired differences
``POST /api/validate``   ``{yaml}``: a scenario edited in the page, validated
``POST /api/advise``     ``{id|yaml, patron, runs, seed}``: the advise strategies table
======================  =====================================================================

User errors answer ``400 {"error": "<one line>"}``; identical requests are answered from an in-memory
cache; one computation runs at a time. By default the server binds to 127.0.0.1 and, when bound to a
loopback address, answers only requests whose ``Host`` is a loopback name (DNS-rebinding guard).
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .._exceptions import AllianceLabError, InputError
from . import api

__all__ = ["ExplorerServer", "make_server", "serve"]

_STATIC = {"/": ("index.html", "text/html; charset=utf-8"),
           "/index.html": ("index.html", "text/html; charset=utf-8"),
           "/app.js": ("app.js", "text/javascript; charset=utf-8"),
           "/style.css": ("style.css", "text/css; charset=utf-8")}
# the page's other scripts and the vendored graph library (web/static/vendor, with its licence)
_STATIC.update({f"/{n}": (n, "text/javascript; charset=utf-8")
                for n in ("lab.js", "editor.js", "network.js", "world.js", "advise.js", "glossary.js",
                          "vendor/cytoscape.min.js")})
_STATIC["/vendor/cytoscape.LICENSE"] = ("vendor/cytoscape.LICENSE", "text/plain; charset=utf-8")
#: POST endpoints: path -> (api function, whether it takes the examples folder).
_POSTS = {"/api/forecast": ("run_forecast", True), "/api/whatif": ("run_whatif", True),
          "/api/advise": ("run_advise", True), "/api/validate": ("check_scenario_text", False)}
_MAX_BODY = 64 * 1024
_CACHE_SIZE = 128
_LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


class _Cache:
    """A small thread-safe LRU of JSON response bodies keyed by the canonical request."""

    def __init__(self, size: int = _CACHE_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0

    def get(self, key: str) -> bytes | None:
        with self._lock:
            body = self._items.get(key)
            if body is not None:
                self._items.move_to_end(key)
                self.hits += 1
            return body

    def put(self, key: str, body: bytes) -> None:
        with self._lock:
            self._items[key] = body
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


class ExplorerServer(ThreadingHTTPServer):
    """A :class:`ThreadingHTTPServer` holding the explorer's settings, cache and compute lock."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], *, examples_dir: str | Path | None = None,
                 quiet: bool = False, data_dir: str | Path | None = None) -> None:
        super().__init__(address, _Handler)
        self.examples_dir = examples_dir
        self.data_dir = data_dir
        self.quiet = quiet
        self.cache = _Cache()
        self.compute_lock = threading.Lock()
        self.loopback_only = address[0] in _LOOPBACK_HOSTS

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = f"[{host}]" if ":" in str(host) else host
        return f"http://{host}:{port}/"

    def answer(self, key: str, compute: Callable[[], Any]) -> bytes:
        """The cached JSON body for ``key``, computing it (one computation at a time) on a miss."""
        body = self.cache.get(key)
        if body is not None:
            return body
        with self.compute_lock:
            body = self.cache.get(key)
            if body is None:
                body = _dumps(compute())
                self.cache.put(key, body)
        return body


def _dumps(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, allow_nan=False, separators=(",", ":")).encode("utf-8")


class _Handler(BaseHTTPRequestHandler):
    server: ExplorerServer
    server_version = "alliancelab-explorer"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    # ------------------------------------------------------------------ plumbing
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        if not self.server.quiet:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")

    def _send(self, status: int, body: bytes, content_type: str, *, cache: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Content-Security-Policy", _CSP)
        self.send_header("Cache-Control", "max-age=60" if cache else "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, body: bytes) -> None:
        self._send(status, body, "application/json; charset=utf-8")

    def _error(self, status: int, message: str) -> None:
        self._json(status, _dumps({"error": message}))

    def _host_ok(self) -> bool:
        if not self.server.loopback_only:
            return True
        host = (self.headers.get("Host") or "").strip()
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        name = name.strip("[]").lower()
        return name in _LOOPBACK_HOSTS

    def _guarded(self, route: Callable[[], None]) -> None:
        if not self._host_ok():
            self._error(HTTPStatus.FORBIDDEN, "this server answers only requests to 127.0.0.1 or localhost")
            return
        try:
            route()
        except InputError as err:
            if self.command == "POST":
                self.close_connection = True  # the body may be unread: do not reuse the connection
            self._error(HTTPStatus.BAD_REQUEST, str(err))
        except AllianceLabError as err:  # a deliberate, one-line domain failure (ModelError)
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, str(err))
        except (BrokenPipeError, ConnectionResetError):
            pass
        except Exception as err:  # noqa: BLE001 - a server must answer, never die or leak a traceback
            sys.stderr.write(f"alliancelab web: internal error on {self.command} {self.path}: "
                             f"{type(err).__name__}: {err}\n")
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"internal error ({type(err).__name__}); "
                        "see the server's log")

    # ------------------------------------------------------------------ routes
    def do_GET(self) -> None:  # noqa: N802
        self._guarded(self._get)

    def do_HEAD(self) -> None:  # noqa: N802
        self._guarded(self._get)

    def do_POST(self) -> None:  # noqa: N802
        self._guarded(self._post)

    def _query(self) -> dict[str, str]:
        query = parse_qs(urlsplit(self.path).query, keep_blank_values=True)
        return {k: v[-1] for k, v in query.items()}

    def _get(self) -> None:
        path = urlsplit(self.path).path
        if path in _STATIC:
            name, ctype = _STATIC[path]
            body = resources.files("alliancelab.web").joinpath("static", *name.split("/")).read_bytes()
            self._send(HTTPStatus.OK, body, ctype)
            return
        srv, q = self.server, self._query()
        if path == "/api/scenarios":
            self._json(HTTPStatus.OK, srv.answer("scenarios", lambda: api.list_scenarios(srv.examples_dir)))
        elif path == "/api/scenario":
            if "id" not in q:
                raise InputError("missing; allowed: /api/scenario?id=<a scenario id from /api/scenarios>",
                                 field="id")
            key = "scenario " + json.dumps(q["id"])
            self._json(HTTPStatus.OK, srv.answer(key, lambda: api.get_scenario(q["id"], srv.examples_dir)))
        elif path == "/api/backtest":
            runs, seed = api.check_runs(q.get("runs")), api.check_seed(q.get("seed"))
            self._json(HTTPStatus.OK, srv.answer(f"backtest {runs} {seed}",
                                                 lambda: api.run_backtest(runs, seed)))
        elif path == "/api/glossary":
            self._json(HTTPStatus.OK, srv.answer("glossary", api.glossary))
        elif path == "/api/world":
            args = (q.get("year"), srv.data_dir, q.get("runs"), q.get("seed"), q.get("max_states"))
            key = "world " + json.dumps(args[:1] + args[2:])
            self._json(HTTPStatus.OK, srv.answer(key, lambda: api.world_camps(*args)))
        elif path in _POSTS:
            self._error(HTTPStatus.METHOD_NOT_ALLOWED, f"use POST with a JSON body for {path}")
        else:
            self._error(HTTPStatus.NOT_FOUND, f"no such page {path!r}; the API is /api/scenarios, "
                        "/api/scenario?id=, POST /api/forecast, /api/backtest")

    def _read_json(self) -> Any:
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype != "application/json":
            raise InputError(f"Content-Type must be application/json; got {ctype or 'none'!r}")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise InputError("bad Content-Length") from None
        if length <= 0 or length > _MAX_BODY:
            raise InputError(f"the request body must be a JSON object of 1 to {_MAX_BODY:,} bytes; "
                             f"got {length:,}")
        raw = self.rfile.read(length)
        try:
            return json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise InputError(f"the request body is not valid JSON: {err}") from None

    def _post(self) -> None:
        path = urlsplit(self.path).path
        if path not in _POSTS:
            self.close_connection = True  # the body is not read
            self._error(HTTPStatus.NOT_FOUND, f"no such endpoint {path!r}; POST only {', '.join(_POSTS)}")
            return
        name, with_examples = _POSTS[path]
        req = self._read_json()
        if name in ("run_forecast", "run_whatif"):
            req = api.normalize_forecast_request(req)
        srv = self.server
        key = f"{path} " + json.dumps(req, sort_keys=True)
        args = (req, srv.examples_dir) if with_examples else (req,)
        self._json(HTTPStatus.OK, srv.answer(key, lambda: getattr(api, name)(*args)))


def make_server(host: str = "127.0.0.1", port: int = 8765, *, examples_dir: str | Path | None = None,
                quiet: bool = False, data_dir: str | Path | None = None) -> ExplorerServer:
    """Create (bind) the explorer's server; ``port=0`` picks a free port (see ``server.url``).

    ``examples_dir`` defaults to :func:`.api.default_examples_dir`. Call ``serve_forever()`` to run it
    and ``shutdown()`` + ``server_close()`` to stop it.
    """
    if not isinstance(port, int) or isinstance(port, bool) or not 0 <= port <= 65535:
        raise InputError(f"must be a port number in [0, 65535]; got {port!r}", field="--port")
    if examples_dir is None:
        examples_dir = api.default_examples_dir()
    try:
        return ExplorerServer((host, port), examples_dir=examples_dir, quiet=quiet,
                              data_dir=data_dir or os.environ.get("ALLIANCELAB_DATA_DIR") or None)
    except OSError as err:
        raise InputError(f"cannot listen on {host}:{port}: {err.strerror or err}", field="--host/--port") from None


def serve(host: str = "127.0.0.1", port: int = 8765, *, open_browser: bool = True,
          examples_dir: str | Path | None = None, quiet: bool = False,
          data_dir: str | Path | None = None) -> None:
    """Run the explorer until interrupted (Ctrl-C), optionally opening it in a browser."""
    srv = make_server(host, port, examples_dir=examples_dir, quiet=quiet, data_dir=data_dir)
    sys.stderr.write(f"alliancelab explorer on {srv.url}  (Ctrl-C to stop)\n")
    if not srv.loopback_only:
        sys.stderr.write(f"warning: listening on {host}, reachable from other machines; the explorer "
                         "has no authentication\n")
    if open_browser:
        import webbrowser

        threading.Timer(0.5, webbrowser.open, args=(srv.url,)).start()
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        sys.stderr.write("stopped\n")
    finally:
        srv.server_close()
