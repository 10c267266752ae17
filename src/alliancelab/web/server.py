"""The web explorer's local HTTP server: standard library only (``http.server``).

Serves the static page (``static/index.html``, ``app.js``, ``style.css``, shipped as package data) and
the JSON API of :mod:`.api`:

=========================  =====================================================================
``GET  /api/scenarios``    built-in cases and example scenarios with titles
``GET  /api/scenario``     ``?id=...``: one scenario's facts
``POST /api/forecast``     ``{id, runs, seed, overrides, drivers}``: forecast + period summary
``GET  /api/backtest``     ``?runs=&seed=``: every case against its paper's outcome
``GET  /api/glossary``     every term and mechanism code
``GET  /api/world``        ``?year=&runs=&seed=&max_states=``: the world's camps (needs ``data_dir``)
``GET  /api/world/camps``  ``?year=&runs=&seed=``: camps scored against a reference year (1914, 1950)
``GET  /api/validation``   leave-one-case-out validation of the shipped posterior (PSIS, no refits)
``POST /api/whatif``       a forecast request with overrides: baseline, change, paired differences
``POST /api/validate``     ``{yaml}``: a scenario edited in the page, validated
``POST /api/advise``       ``{id|yaml, patron, runs, seed}``: the advise strategies table
=========================  =====================================================================

``/api/validation`` depends only on the shipped posterior and the code, so it is computed once (in a
worker process, like a forecast) and then answered from the server's cache.

User errors answer ``400 {"error": "<one line>"}`` (every error, including an unknown method, is JSON;
``PUT``/``DELETE``/... answer 405); identical requests are answered from an in-memory cache. By
default the server binds to 127.0.0.1 and, when bound to any loopback address (127.0.0.0/8, ::1),
answers only requests whose ``Host`` is a loopback name (DNS-rebinding guard).

Hostile or careless clients cannot stall it: each connection is served by its own thread with a
socket timeout (slow clients are dropped), the listen backlog is :data:`BACKLOG`, scenarios are held
to :data:`alliancelab.limits.WEB_LIMITS` (size and work budget), and every forecast or backtest runs
in its own worker process (at most :data:`WORKERS` at once) that is killed after
:data:`WORK_TIMEOUT` seconds, so one heavy request never blocks another client's forecast.
"""

from __future__ import annotations

import ipaddress
import json
import multiprocessing
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
                          "validation.js", "vendor/cytoscape.min.js")})
_STATIC["/vendor/cytoscape.LICENSE"] = ("vendor/cytoscape.LICENSE", "text/plain; charset=utf-8")
#: POST endpoints: path -> (api function, whether it takes the examples folder).
_POSTS = {"/api/forecast": ("run_forecast", True), "/api/whatif": ("run_whatif", True),
          "/api/advise": ("run_advise", True), "/api/validate": ("check_scenario_text", False)}
#: GET-only API endpoints (a POST to one answers 405).
_GETS = ("/api/scenarios", "/api/scenario", "/api/backtest", "/api/glossary", "/api/world", "/api/world/camps",
         "/api/validation")
_MAX_BODY = 64 * 1024
_CACHE_SIZE = 128
#: Pending connections the listening socket queues (the ``listen()`` backlog).
BACKLOG = 128
#: Seconds a client may take to send a request (or stay idle on a kept-alive connection).
CLIENT_TIMEOUT = 15.0
#: Seconds one forecast or backtest may compute before its worker process is killed.
WORK_TIMEOUT = 45.0
#: Computations running at once (each in its own process); more wait up to WORK_TIMEOUT for a slot.
WORKERS = 2
#: Longest error message echoed to a client or the log (bad input is never echoed in full).
MAX_ERROR_CHARS = 300
_METHODS = "GET, HEAD, POST"
#: Modules the worker processes import once (in the fork server), so a computation starts fast.
_PRELOAD = ["alliancelab.web.server", "alliancelab.web.api", "alliancelab.engine.forecast", "alliancelab.cases"]


def clip(text: str, n: int = MAX_ERROR_CHARS) -> str:
    """``text`` on one line, cut to ``n`` characters."""
    one = " ".join(str(text).split())
    return one if len(one) <= n else one[: n - 3] + "..."


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address, optionally ``[...]``) is this machine only.

    Examples
    --------
    >>> is_loopback("127.0.0.2"), is_loopback("[::1]"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, True, False)
    """
    name = str(host).strip().strip("[]").lower().rstrip(".")
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


class WorkTimeout(Exception):
    """A computation exceeded :data:`WORK_TIMEOUT` (or found no free worker in that time)."""


def _child(conn: Any, name: str, args: tuple[Any, ...]) -> None:
    """Worker process: run ``api.<name>(*args)`` and send ``(kind, payload)`` back."""
    try:
        conn.send(("ok", _dumps(getattr(api, name)(*args))))
    except InputError as err:
        conn.send(("input", str(err)))
    except AllianceLabError as err:
        conn.send(("model", str(err)))
    except MemoryError:
        conn.send(("model", "the computation ran out of memory; use fewer runs"))
    except Exception as err:  # noqa: BLE001 - reported to the parent, which logs it
        conn.send(("internal", clip(f"{type(err).__name__}: {err}")))
    finally:
        conn.close()


_CONTEXT_LOCK = threading.Lock()
_CONTEXT: Any = None


def _context() -> Any:
    """The fork-server multiprocessing context (fresh, thread-safe children; modules preloaded)."""
    global _CONTEXT
    with _CONTEXT_LOCK:
        if _CONTEXT is None:
            method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
            ctx = multiprocessing.get_context(method)
            if method == "forkserver":
                ctx.set_forkserver_preload(_PRELOAD)
            _CONTEXT = ctx
        return _CONTEXT
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
    """A :class:`ThreadingHTTPServer` holding the explorer's settings, cache and worker slots."""

    daemon_threads = True
    request_queue_size = BACKLOG

    def __init__(self, address: tuple[str, int], *, examples_dir: str | Path | None = None,
                 quiet: bool = False, data_dir: str | Path | None = None,
                 work_timeout: float = WORK_TIMEOUT, workers: int = WORKERS) -> None:
        super().__init__(address, _Handler)
        self.examples_dir = examples_dir
        self.data_dir = data_dir
        self.quiet = quiet
        self.cache = _Cache()
        self.work_timeout = float(work_timeout)
        self.slots = threading.BoundedSemaphore(workers)
        self.loopback_only = is_loopback(address[0])

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = f"[{host}]" if ":" in str(host) else host
        return f"http://{host}:{port}/"

    def answer(self, key: str, compute: Callable[[], Any]) -> bytes:
        """The cached JSON body for ``key``, computing it in this thread on a miss (cheap requests)."""
        body = self.cache.get(key)
        if body is None:
            body = _dumps(compute())
            self.cache.put(key, body)
        return body

    def answer_isolated(self, key: str, name: str, *args: Any) -> bytes:
        """The cached JSON body for ``key``, else ``api.<name>(*args)`` run in a worker process that
        is killed after ``work_timeout`` seconds (:class:`WorkTimeout`)."""
        body = self.cache.get(key)
        if body is not None:
            return body
        deadline = self.work_timeout
        if not self.slots.acquire(timeout=deadline):
            raise WorkTimeout(f"the server is busy with other computations for more than {deadline:g} s; "
                              "try again later")
        try:
            body = self.cache.get(key)
            if body is None:
                body = self._run_in_worker(name, args)
                self.cache.put(key, body)
        finally:
            self.slots.release()
        return body

    def _run_in_worker(self, name: str, args: tuple[Any, ...]) -> bytes:
        ctx = _context()
        recv, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_child, args=(send, name, args), daemon=True)
        proc.start()
        send.close()
        try:
            if not recv.poll(self.work_timeout):
                raise WorkTimeout(f"the computation took longer than the web explorer's limit of "
                                  f"{self.work_timeout:g} s; ask for fewer runs or use the CLI")
            try:
                kind, payload = recv.recv()
            except EOFError:
                raise AllianceLabError("the computation's worker process died (out of memory?); "
                                       "ask for fewer runs") from None
        finally:
            recv.close()
            if proc.is_alive():
                proc.kill()
            proc.join(5)
        if kind == "ok":
            return payload
        if kind == "input":
            raise InputError(payload)
        if kind == "model":
            raise AllianceLabError(payload)
        raise RuntimeError(payload)


def _dumps(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, allow_nan=False, separators=(",", ":")).encode("utf-8")


class _Handler(BaseHTTPRequestHandler):
    server: ExplorerServer
    server_version = "alliancelab-explorer"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    timeout = CLIENT_TIMEOUT  # socket timeout: a slow or idle client is dropped

    # ------------------------------------------------------------------ plumbing
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        if not self.server.quiet:
            sys.stderr.write(f"{self.address_string()} {clip(format % args)}\n")

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Every error the HTTP machinery raises (bad request line, unknown method, ...) as JSON."""
        try:
            short = self.responses[code][0]
        except KeyError:
            short = "error"
        self.log_error("code %d, message %s", code, message or short)
        self.close_connection = True
        body = _dumps({"error": clip(message or short)})
        self.send_response(code, short)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        if code == HTTPStatus.METHOD_NOT_ALLOWED or code == HTTPStatus.NOT_IMPLEMENTED:
            self.send_header("Allow", _METHODS)
        self.end_headers()
        if getattr(self, "command", None) != "HEAD" and code >= 200 and code not in (204, 304):
            self.wfile.write(body)

    def _send(self, status: int, body: bytes, content_type: str, *, cache: bool = False,
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Content-Security-Policy", _CSP)
        self.send_header("Cache-Control", "max-age=60" if cache else "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, body: bytes) -> None:
        self._send(status, body, "application/json; charset=utf-8")

    def _error(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        self._send(status, _dumps({"error": clip(message)}), "application/json; charset=utf-8",
                   headers=headers)

    def _host_ok(self) -> bool:
        if not self.server.loopback_only:
            return True
        host = (self.headers.get("Host") or "").strip()
        if host.startswith("["):
            name = host[1:].split("]", 1)[0]
        else:
            name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
        return is_loopback(name)

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
        except WorkTimeout as err:
            self._error(HTTPStatus.SERVICE_UNAVAILABLE, str(err), headers={"Retry-After": "5"})
        except AllianceLabError as err:  # a deliberate, one-line domain failure (ModelError)
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, str(err))
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except TimeoutError:  # the client stopped sending (slow body): drop the connection
            self.close_connection = True
        except Exception as err:  # noqa: BLE001 - a server must answer, never die or leak a traceback
            sys.stderr.write(clip(f"alliancelab web: internal error on {self.command} {self.path}: "
                                  f"{type(err).__name__}: {err}", 1000) + "\n")
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"internal error ({type(err).__name__}); "
                        "see the server's log")

    # ------------------------------------------------------------------ routes
    def do_GET(self) -> None:  # noqa: N802
        self._guarded(self._get)

    def do_HEAD(self) -> None:  # noqa: N802
        self._guarded(self._get)

    def do_POST(self) -> None:  # noqa: N802
        self._guarded(self._post)

    def _not_allowed(self) -> None:
        self.close_connection = True  # a body, if any, is not read
        self._error(HTTPStatus.METHOD_NOT_ALLOWED, f"method {self.command} is not allowed; allowed: "
                    f"{_METHODS} (POST only for {', '.join(_POSTS)})", headers={"Allow": _METHODS})

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = _not_allowed  # noqa: N815

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
            self._json(HTTPStatus.OK, srv.answer_isolated(f"backtest {runs} {seed}", "run_backtest",
                                                          runs, seed))
        elif path == "/api/glossary":
            self._json(HTTPStatus.OK, srv.answer("glossary", api.glossary))
        elif path == "/api/world":
            args = (q.get("year"), srv.data_dir, q.get("runs"), q.get("seed"), q.get("max_states"))
            key = "world " + json.dumps([str(a) for a in args])
            self._json(HTTPStatus.OK, srv.answer_isolated(key, "world_camps", *args))
        elif path == "/api/world/camps":
            args = (q.get("year"), srv.data_dir, q.get("runs"), q.get("seed"))
            key = "world camps " + json.dumps([str(a) for a in args])
            self._json(HTTPStatus.OK, srv.answer_isolated(key, "world_camps_score", *args))
        elif path == "/api/validation":
            self._json(HTTPStatus.OK, srv.answer_isolated("validation", "validation"))
        elif path in _POSTS:
            self._error(HTTPStatus.METHOD_NOT_ALLOWED, f"use POST with a JSON body for {path}")
        else:
            self._error(HTTPStatus.NOT_FOUND, f"no such page {path!r}; the API is /api/scenarios, "
                        "/api/scenario?id=, POST /api/forecast, /api/backtest, /api/validation")

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
            raise InputError(f"the request body is not valid JSON: {clip(str(err), 120)}") from None
        except RecursionError:
            raise InputError("the request body is nested too deeply; allowed: a flat JSON object "
                             "{id, runs, seed, overrides, drivers}") from None

    def _post(self) -> None:
        path = urlsplit(self.path).path
        if path in _GETS:
            self.close_connection = True  # the body is not read
            self._error(HTTPStatus.METHOD_NOT_ALLOWED, f"use GET for {path}", headers={"Allow": "GET, HEAD"})
            return
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
        self._json(HTTPStatus.OK, srv.answer_isolated(key, name, *args))


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


def _warm_up() -> None:
    """Start the worker fork server in the background, so the first forecast does not wait for it."""
    try:
        proc = _context().Process(target=_noop, daemon=True)
        proc.start()
        proc.join(60)
    except Exception:  # noqa: BLE001 - only an optimisation
        pass


def _noop() -> None:
    """The warm-up worker's task."""


def serve(host: str = "127.0.0.1", port: int = 8765, *, open_browser: bool = True,
          examples_dir: str | Path | None = None, quiet: bool = False,
          data_dir: str | Path | None = None) -> None:
    """Run the explorer until interrupted (Ctrl-C), optionally opening it in a browser."""
    srv = make_server(host, port, examples_dir=examples_dir, quiet=quiet, data_dir=data_dir)
    sys.stderr.write(f"alliancelab explorer on {srv.url}  (Ctrl-C to stop)\n")
    if not srv.loopback_only:
        sys.stderr.write(f"warning: listening on {host}, reachable from other machines; the explorer "
                         "has no authentication\n")
    threading.Thread(target=_warm_up, daemon=True).start()
    if open_browser:
        import webbrowser

        threading.Timer(0.5, webbrowser.open, args=(srv.url,)).start()
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        sys.stderr.write("stopped\n")
    finally:
        srv.server_close()
