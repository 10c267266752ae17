"""Bad options give one line on stderr and exit 2, never a traceback or exit 1 (issue #14, item 4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from alliancelab.cli import main

REPO = Path(__file__).resolve().parents[2]
GRID = str(REPO / "examples" / "sweep-grid.yaml")


def _run(capsys, *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as ex:
        main(list(args))
    return ex.value.code, capsys.readouterr().err


@pytest.mark.parametrize(("extra", "needle"), [
    (["--timeout", "nan"], "--timeout"),
    (["--timeout", "inf", "--scheduler", "tcp://127.0.0.1:9"], "--timeout"),
    (["--timeout", "0"], "--timeout"),
    (["--scheduler", "ucx://127.0.0.1:8786"], "protocol 'ucx' is not supported"),
    (["--scheduler", "inproc://"], "protocol 'inproc' is not supported"),
    (["--scheduler", "tcp://localhost:abc"], "not a usable scheduler address"),
    (["--scheduler", "tcp://host:99999"], "not a usable scheduler address"),
    (["--scheduler", "localhost:8786"], "has no protocol"),
])
def test_sweep_bad_options(capsys, tmp_path, extra, needle):
    code, err = _run(capsys, "sweep", GRID, "--out", str(tmp_path / "o"), "--no-progress", *extra)
    assert code == 2 and err.count("\n") == 1 and err.startswith("error: ") and needle in err
    assert "Traceback" not in err and not (tmp_path / "o").exists()


def test_unreachable_scheduler_leaves_no_stray_traceback(capfd):
    """Run in a child process: the traceback of a half-made Client appeared at interpreter exit."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "alliancelab", "sweep", GRID, "--out", "/nonexistent/o",
                          "--scheduler", "tcp://localhost:abc"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and out.stderr.count("\n") == 1 and "Traceback" not in out.stderr


def test_drivers_use_runs_proportional_to_runs(capsys):
    import json

    with pytest.raises(SystemExit) as ex:
        main(["forecast", "italy-1948", "--runs", "50", "--seed", "1", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert ex.value.code == 0 and out["runs"] == 50 and out["driver_runs"] == 50


@pytest.mark.parametrize(("argv", "needle"), [
    (["forecast", "italy-1948", "--runs", "abc"], "Invalid value for '--runs'"),
    (["forecast"], "Missing argument 'scenario'"),
    (["validate", "italy-1948", "--bogus"], "No such option: --bogus"),
    (["nosuch"], "No such command 'nosuch'"),
    (["web", "--port", "abc"], "'--port'"),
])
def test_usage_errors_are_one_line(capsys, argv, needle):
    code, err = _run(capsys, *argv)
    assert code == 2 and err.count("\n") == 1 and err.startswith("error: alliancelab") and needle in err
