"""The real explorer server on an ephemeral 127.0.0.1 port, hit with urllib."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from alliancelab import InputError
from alliancelab.web.server import ExplorerServer, make_server

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def server() -> Iterator[ExplorerServer]:
    srv = make_server("127.0.0.1", 0, examples_dir=REPO / "examples", quiet=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(timeout=5)


def _get(srv: ExplorerServer, path: str, headers: dict[str, str] | None = None):
    req = urllib.request.Request(srv.url.rstrip("/") + path, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def _post(srv: ExplorerServer, path: str, body, content_type: str = "application/json"):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    req = urllib.request.Request(srv.url.rstrip("/") + path, data=data, method="POST",
                                 headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def test_binds_loopback_ephemeral_port(server):
    host, port = server.server_address[:2]
    assert host == "127.0.0.1" and port > 0
    assert server.url == f"http://127.0.0.1:{port}/"


@pytest.mark.parametrize(("path", "ctype", "needle"), [
    ("/", "text/html", b"<title>alliancelab explorer</title>"),
    ("/app.js", "text/javascript", b"/api/forecast"),
    ("/style.css", "text/css", b"--accent"),
])
def test_static_files(server, path, ctype, needle):
    status, headers, body = _get(server, path)
    assert status == 200
    assert headers["Content-Type"].startswith(ctype)
    assert needle in body
    assert "default-src 'self'" in headers["Content-Security-Policy"]


def test_page_uses_no_external_resources(server):
    for path in ("/", "/app.js", "/style.css"):
        body = _get(server, path)[2].decode()
        assert "http://" not in body.replace("http://www.w3.org/2000/svg", "")
        assert "https://" not in body


def test_scenarios_and_scenario(server):
    status, _, body = _get(server, "/api/scenarios")
    assert status == 200
    ids = [s["id"] for s in json.loads(body)["scenarios"]]
    assert "italy-1948" in ids and "examples/civil_war.yaml" in ids
    status, _, body = _get(server, "/api/scenario?id=examples/civil_war.yaml")
    assert status == 200
    facts = json.loads(body)
    assert len(facts["scenario"]["clients"]) == 2


def test_forecast_post_is_cached_and_deterministic(server):
    req = {"id": "italy-1948", "runs": 400, "seed": 3, "drivers": False,
           "overrides": ["patrons.USSR.budget=0"]}
    hits = server.cache.hits
    status, first = _post(server, "/api/forecast", req)
    assert status == 200
    assert {"alignment", "ruling", "alliance_type", "timeline", "events", "period_summary"} <= set(first)
    status, second = _post(server, "/api/forecast", dict(reversed(list(req.items()))))
    assert status == 200 and second == first
    assert server.cache.hits == hits + 1


@pytest.mark.parametrize(("body", "ctype", "status", "needle"), [
    ({"id": "nope"}, "application/json", 400, "unknown scenario 'nope'"),
    ({"id": "italy-1948", "runs": 10**6}, "application/json", 400, "field 'runs'"),
    ({"id": "italy-1948", "overrides": ["no.such.path=1"]}, "application/json", 400, "no such path"),
    (b"{not json", "application/json", 400, "not valid JSON"),
    (b'{"id": "italy-1948"}', "text/plain", 400, "Content-Type must be application/json"),
])
def test_forecast_user_errors_are_400_json(server, body, ctype, status, needle):
    code, payload = _post(server, "/api/forecast", body, ctype)
    assert code == status
    assert set(payload) == {"error"}
    assert needle in payload["error"] and "\n" not in payload["error"]
    assert "Traceback" not in payload["error"]


def test_backtest_endpoint_and_bad_runs(server):
    status, _, body = _get(server, "/api/backtest?runs=50&seed=1")
    assert status == 200
    out = json.loads(body)
    assert out["total"] == len(out["cases"]) and out["runs"] == 50
    status, _, body = _get(server, "/api/backtest?runs=abc")
    assert status == 400 and "field 'runs'" in json.loads(body)["error"]


@pytest.mark.parametrize(("path", "status"), [
    ("/api/nothing", 404), ("/../../etc/passwd", 404), ("/api/forecast", 405), ("/api/scenario", 400),
    ("/api/scenario?id=nope", 400),
])
def test_unknown_routes_and_missing_params(server, path, status):
    code, headers, body = _get(server, path)
    assert code == status
    assert headers["Content-Type"].startswith("application/json")
    assert "error" in json.loads(body)


def test_foreign_host_header_is_refused(server):
    code, _, body = _get(server, "/api/scenarios", headers={"Host": "attacker.example:80"})
    assert code == 403 and "127.0.0.1" in json.loads(body)["error"]


def test_bad_port_is_an_input_error():
    with pytest.raises(InputError, match="--port"):
        make_server("127.0.0.1", 70000)


def test_port_in_use_is_an_input_error(server):
    with pytest.raises(InputError, match="cannot listen on 127.0.0.1"):
        make_server("127.0.0.1", server.server_address[1])


def test_web_command_is_registered():
    from typer.testing import CliRunner

    from alliancelab.cli import app

    result = CliRunner().invoke(app, ["web", "--help"])
    assert result.exit_code == 0
    assert "--no-open" in result.output and "--port" in result.output


def test_unexpected_failure_is_a_500_json_without_traceback(server, monkeypatch, capsys):
    from alliancelab.web import server as server_mod

    def boom(*args, **kwargs):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(server_mod.api, "get_scenario", boom)
    code, headers, body = _get(server, "/api/scenario?id=boom-test")
    assert code == 500
    payload = json.loads(body)
    assert payload == {"error": "internal error (RuntimeError); see the server's log"}
    assert "kaboom" in capsys.readouterr().err


def test_validation_endpoint_is_computed_once_and_cached(server):
    status, headers, body = _get(server, "/api/validation")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    out = json.loads(body)
    assert out["n_cases"] == len(out["cases"]) and 0.0 <= out["hit_rate"] <= 1.0
    assert {"balance_of_power", "balance_of_threat", "persistence"} == set(out["baselines"])
    assert out["convergence"]["label"]
    hits = server.cache.hits
    status, _, again = _get(server, "/api/validation")
    assert status == 200 and again == body and server.cache.hits == hits + 1


@pytest.mark.parametrize("path", ["/api/validation", "/api/world/camps", "/api/backtest"])
def test_post_to_a_get_endpoint_is_405_json(server, path):
    status, out = _post(server, path, {"x": 1})
    assert status == 405 and out == {"error": f"use GET for {path}"}


def test_put_to_validation_is_405_json(server):
    req = urllib.request.Request(server.url.rstrip("/") + "/api/validation", data=b"{}", method="PUT")
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(req, timeout=30)
    assert info.value.code == 405 and "GET" in info.value.headers["Allow"]
    assert "not allowed" in json.loads(info.value.read())["error"]


@pytest.mark.parametrize("query", ["?year=1915", "?year=x", "?year=1914&runs=0"])
def test_world_camps_bad_requests_are_400_one_line(server, query):
    status, _, body = _get(server, "/api/world/camps" + query)
    assert status == 400
    error = json.loads(body)["error"]
    assert "\n" not in error and ("field 'year'" in error or "field 'runs'" in error or "--data-dir" in error)
