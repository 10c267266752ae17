"""`alliancelab forecast / validate / params`: human and JSON output, bad input -> one line, exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from alliancelab.cli import main

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = str(REPO / "examples" / "contested_election.yaml")
FAST = ["--runs", "300", "--driver-runs", "30"]


def run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


def test_json_output_is_one_object_with_the_issue_keys(capsys):
    code, out, err = run(capsys, "forecast", EXAMPLE, "--json", "--seed", "7", *FAST)
    assert code == 0, err
    d = json.loads(out)
    for key in ("alignment", "ruling", "alliance_type", "events", "drivers", "runs", "seed", "warnings"):
        assert key in d
    assert d["seed"] == 7 and d["runs"] == 300
    for key in ("alignment", "ruling", "alliance_type"):
        assert sum(d[key].values()) == pytest.approx(1.0, abs=1e-5)


def test_json_is_byte_identical_for_the_same_seed(capsys):
    fast = ["--runs", "300", "--no-drivers"]
    _, a, _ = run(capsys, "forecast", EXAMPLE, "--json", "--seed", "7", *fast)
    _, b, _ = run(capsys, "forecast", EXAMPLE, "--json", "--seed", "7", *fast)
    _, c, _ = run(capsys, "forecast", EXAMPLE, "--json", "--seed", "8", *fast)
    assert a == b and a != c


def test_human_output_is_a_readable_table(capsys):
    code, out, _ = run(capsys, "forecast", EXAMPLE, "--seed", "1", *FAST)
    assert code == 0
    for text in ("Alignment in 2027", "Ruling faction", "Alliance type", "95% CI", "Events",
                 "election_won", "Drivers", "non-aligned", "Reform"):
        assert text in out
    assert "{" not in out.splitlines()[0]


def test_overrides_and_disable(capsys):
    code, out, _ = run(capsys, "forecast", EXAMPLE, "--json", "--seed", "1", "--no-drivers",
                       "--runs", "200", "--set", "patrons.East.interest=0", "--disable", "E2")
    assert code == 0
    d = json.loads(out)
    assert d["disabled"] == ["E2"] and d["drivers"] == {}
    assert d["alignment"]["East"] == 0.0


@pytest.mark.parametrize("args, needle", [
    (["--runs", "0"], "field '--runs'"),
    (["--runs", "-3"], "field '--runs'"),
    (["--runs", "100000000"], "at most"),
    (["--disable", "E99"], "unknown mechanism"),
    (["--set", "patrons.Nobody.budget=1"], "field 'patrons.Nobody.budget'"),
])
def test_bad_options_exit_2_with_one_line(capsys, args, needle):
    code, out, err = run(capsys, "forecast", EXAMPLE, *args)
    assert code == 2
    assert err.startswith("error: ") and err.count("\n") == 1
    assert needle in err
    assert "Traceback" not in err


@pytest.mark.parametrize("mutate, field", [
    (lambda d: d["patrons"]["West"].update(budget=-1), "patrons.West.budget"),
    (lambda d: d["support"][0].update(patron="Mars"), "support.0.patron"),
    (lambda d: d.update(periods=[2021, 2020]), "periods.1"),
    (lambda d: d["clients"]["Ruritania"]["factions"]["Reform"].update(coercion=2), "coercion"),
    (lambda d: d.update(colour=1), "colour"),
])
def test_bad_scenario_exits_2_naming_file_and_field(capsys, tmp_path, mutate, field):
    d = yaml.safe_load(Path(EXAMPLE).read_text())
    mutate(d)
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(d))
    for cmd in ("forecast", "validate"):
        code, _, err = run(capsys, cmd, str(path), "--runs", "10") if cmd == "forecast" else \
            run(capsys, cmd, str(path))
        assert code == 2
        assert err.startswith(f"error: {path}: field '") and field in err and err.count("\n") == 1


def test_malformed_and_unsafe_yaml_exit_2(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("periods: [1950\nmetadata: {")
    evil = tmp_path / "evil.yaml"
    evil.write_text("!!python/object/apply:os.system [echo pwned]\n")
    for path, needle in ((bad, "line"), (evil, "python/object")):
        code, out, err = run(capsys, "forecast", str(path))
        assert code == 2 and needle in err and err.count("\n") == 1
        assert "pwned" not in out


def test_validate_and_params(capsys):
    code, out, _ = run(capsys, "validate", EXAMPLE)
    assert code == 0 and out.startswith("ok: contested-election")
    code, out, _ = run(capsys, "params", "--markdown")
    assert code == 0 and out.startswith("# Parameters")
    code, out, _ = run(capsys, "params", "--json")
    assert set(json.loads(out)) == {"elite", "disparity", "engine"}


def test_console_entry_point_exit_code():
    out = subprocess.run([sys.executable, "-m", "alliancelab", "forecast", EXAMPLE, "--runs", "0"],
                         capture_output=True, text=True)
    assert out.returncode == 2
    assert out.stderr.strip().startswith("error:") and len(out.stderr.strip().splitlines()) == 1


def test_json_is_byte_identical_across_processes():
    import os

    outs = []
    for hashseed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hashseed}
        res = subprocess.run([sys.executable, "-m", "alliancelab", "forecast", EXAMPLE, "--json", "--seed", "7",
                              "--runs", "300", "--driver-runs", "30"], capture_output=True, env=env)
        assert res.returncode == 0, res.stderr
        outs.append(res.stdout)
    assert outs[0] == outs[1]
