"""The explorer's transport under hostile or careless clients (issue #14, item 5)."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from alliancelab import InputError
from alliancelab.web import server as server_mod
from alliancelab.web.server import ExplorerServer, is_loopback, make_server

REPO = Path(__file__).resolve().parents[2]


def _start(srv: ExplorerServer) -> threading.Thread:
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    return thread


@pytest.fixture(scope="module")
def server() -> Iterator[ExplorerServer]:
    srv = make_server("127.0.0.1", 0, examples_dir=REPO / "examples", quiet=True)
    thread = _start(srv)
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(timeout=5)


def _request(srv: ExplorerServer, method: str, path: str, body=None, headers=None, timeout=60):
    data = None if body is None else json.dumps(body).encode()
    hdrs = {"Content-Type": "application/json"} if body is not None else {}
    hdrs.update(headers or {})
    req = urllib.request.Request(srv.url.rstrip("/") + path, data=data, method=method, headers=hdrs)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.headers, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, err.headers, json.loads(err.read())


def test_listen_backlog_and_many_simultaneous_clients(server):
    assert server.request_queue_size >= 128

    def one(_):
        return _request(server, "GET", "/api/scenarios")[0]

    with ThreadPoolExecutor(40) as pool:
        assert list(pool.map(one, range(40))) == [200] * 40


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "OPTIONS"])
def test_other_methods_answer_405_json(server, method):
    code, headers, payload = _request(server, method, "/api/forecast")
    assert code == 405 and headers["Content-Type"].startswith("application/json")
    assert headers["Allow"] == "GET, HEAD, POST" and "not allowed" in payload["error"]


def test_unknown_method_and_bad_request_line_are_json(server):
    host, port = server.server_address[:2]
    for raw in (b"FOO / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", b"GARBAGE\r\n\r\n"):
        with socket.create_connection((host, port), timeout=10) as sock:
            sock.sendall(raw)
            reply = b""
            while chunk := sock.recv(65536):
                reply += chunk
        body = reply.split(b"\r\n\r\n")[-1]  # a bare request line gets an HTTP/0.9 reply: no head
        assert "error" in json.loads(body) and b"<html" not in reply.lower()
        if raw.startswith(b"FOO"):
            assert b"application/json" in reply and b" 501 " in reply


def test_error_lines_are_truncated(server):
    code, _, payload = _request(server, "POST", "/api/forecast", {"id": "x" * 5000})
    assert code == 400 and len(payload["error"]) <= server_mod.MAX_ERROR_CHARS
    code, _, payload = _request(server, "GET", "/api/" + "y" * 5000)
    assert code == 404 and len(payload["error"]) <= server_mod.MAX_ERROR_CHARS


def test_slow_client_is_dropped(monkeypatch):
    monkeypatch.setattr(server_mod._Handler, "timeout", 1.0)
    srv = make_server("127.0.0.1", 0, examples_dir=REPO / "examples", quiet=True)
    thread = _start(srv)
    try:
        with socket.create_connection(srv.server_address[:2], timeout=10) as sock:
            sock.sendall(b"POST /api/forecast HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # never finishes
            t = time.perf_counter()
            assert sock.recv(100) == b""  # the server closed the connection
            assert time.perf_counter() - t < 5
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(timeout=5)


def test_any_loopback_address_is_loopback():
    assert is_loopback("127.0.0.2") and is_loopback("127.255.0.1") and is_loopback("::1")
    assert is_loopback("[::1]") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.2") and not is_loopback("example.org")
    srv = make_server("127.0.0.2", 0, quiet=True)
    thread = _start(srv)
    try:
        assert srv.loopback_only  # the DNS-rebinding guard stays on
        port = srv.server_address[1]
        assert _request(srv, "GET", "/api/scenarios", headers={"Host": f"127.0.0.2:{port}"})[0] == 200
        assert _request(srv, "GET", "/api/scenarios", headers={"Host": "attacker.example"})[0] == 403
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(timeout=5)


def test_serve_on_another_loopback_address_prints_no_warning(monkeypatch, capsys):
    def fake_forever(self, *a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(ExplorerServer, "serve_forever", fake_forever)
    server_mod.serve("127.0.0.2", 0, open_browser=False, quiet=True)
    err = capsys.readouterr().err
    assert "warning" not in err and "127.0.0.2" in err


def test_drivers_use_runs_proportional_to_the_request(server):
    code, _, out = _request(server, "POST", "/api/forecast", {"id": "italy-1948", "runs": 50, "seed": 4})
    assert code == 200 and out["runs"] == 50 and out["driver_runs"] == 50


def test_work_budget_is_checked_before_work(server):
    adds = [f"clients.Italy.factions.X{i}={{baseline_support: 0.1, coercion: 0.1}}" for i in range(14)]
    adds += ["periods=[1946, 1947, 1948, 1949, 1950, 1951, 1952, 1953, 1954, 1955, 1956, 1957, 1958]",
             "patrons.USA.budget=3"]  # 16 overrides adding factions and periods (issue #14)
    t = time.perf_counter()
    code, _, payload = _request(server, "POST", "/api/forecast",
                                {"id": "italy-1948", "runs": 50_000, "overrides": adds})
    assert code == 400 and "over the limit work" in payload["error"]
    assert "fixed on the web explorer" in payload["error"] and time.perf_counter() - t < 5


def test_hostile_request_in_flight_does_not_block_a_normal_forecast(server):
    """While the heaviest allowed request computes, another client's forecast answers within 5 s."""
    assert _request(server, "POST", "/api/forecast",
                    {"id": "italy-1948", "runs": 20, "seed": 99, "drivers": False})[0] == 200  # warm-up
    heavy: dict = {}

    def hostile():
        heavy["result"] = _request(server, "POST", "/api/forecast",
                                   {"id": "poland-hungary-1956", "runs": 50_000, "seed": 12345},
                                   timeout=120)

    thread = threading.Thread(target=hostile)
    thread.start()
    time.sleep(1.0)
    try:
        t = time.perf_counter()
        code, _, out = _request(server, "POST", "/api/forecast",
                                {"id": "italy-1948", "runs": 1000, "seed": 77, "drivers": False})
        elapsed = time.perf_counter() - t
        assert code == 200 and out["runs"] == 1000
        assert thread.is_alive(), "the hostile request was not in flight"
        assert elapsed < 5, f"a normal forecast took {elapsed:.1f} s while a heavy one was in flight"
    finally:
        thread.join(timeout=120)
    assert heavy["result"][0] in (200, 503)


def test_per_request_timeout_kills_the_computation():
    srv = make_server("127.0.0.1", 0, examples_dir=REPO / "examples", quiet=True)
    srv.work_timeout = 1.0
    thread = _start(srv)
    try:
        t = time.perf_counter()
        code, headers, payload = _request(srv, "POST", "/api/forecast",
                                          {"id": "yugoslavia-1948", "runs": 50_000, "seed": 5})
        assert code == 503 and "limit of 1 s" in payload["error"] and headers["Retry-After"]
        assert time.perf_counter() - t < 15
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(timeout=5)


def test_deeply_nested_json_body_is_400(server):
    host, port = server.server_address[:2]
    body = b"[" * 60_000
    req = (b"POST /api/forecast HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
           b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    with socket.create_connection((host, port), timeout=30) as sock:
        sock.sendall(req)
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 400") and b"nested too deeply" in reply


def test_bad_input_in_the_worker_is_400(server):
    code, _, payload = _request(server, "POST", "/api/forecast",
                                {"id": "italy-1948", "overrides": ["metadata.tags=&a [*a]"]})
    assert code == 400 and "cycle" in payload["error"]


def test_port_error_still_an_input_error():
    with pytest.raises(InputError):
        make_server("127.0.0.1", -1)
