"""Sweeps: validation, determinism local vs Dask, resume after a kill, a lost worker, dead scheduler."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from alliancelab._exceptions import InputError
from alliancelab.engine.sweep import build_design, run_sweep
from alliancelab.engine.sweep_config import load_sweep_config, sweep_config_from_dict

SMALL = {
    "name": "t", "seed": 5, "runs_per_point": 40, "chunk_points": 2,
    "world": {"synthetic": {"n_states": 8, "n_patrons": 2, "periods": 5, "seed": 1}},
    "design": {"method": "grid", "levels": 2},
    "parameters": {"facts.threat_scale": {"values": [0.0, 0.5, 1.0, 2.0]},
                   "elite.autonomy_cost": {"low": 0.5, "high": 1.5}},
}


def _cfg(**changes):
    data = {**SMALL, **changes}
    return sweep_config_from_dict(data)


def _write(tmp_path: Path, data: dict, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "alliancelab", *args], capture_output=True,
                          text=True, timeout=timeout)


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(("change", "message"), [
    ({"design": {"method": "grid", "bogus": 1}}, "field 'design.bogus': unknown field"),
    ({"design": {"method": "sobol", "n": 10}}, "power of 2"),
    ({"parameters": {"facts.nope": {"low": 0, "high": 1}}}, "unknown parameter 'facts.nope'"),
    ({"parameters": {"elite.not_a_param": {"low": 0, "high": 1}}}, "unknown parameter"),
    ({"parameters": {"facts.mistrust": {"low": 1, "high": 0}}}, "low must be < high"),
    ({"runs_per_point": 0}, "field 'runs_per_point'"),
    ({"world": {"synthetic": {}, "data": {"year": 1950}}}, "exactly one"),
    ({"outcomes": ["p_nothing"]}, "unknown outcome"),
])
def test_bad_config_is_one_line_input_error(change, message):
    with pytest.raises(InputError, match=message) as info:
        _cfg(**change)
    assert "\n" not in str(info.value)


def test_bad_config_cli_exits_2_with_one_line(tmp_path):
    path = _write(tmp_path, {**SMALL, "design": {"method": "morris", "levelz": 3}})
    out = _cli("sweep", str(path), "--out", str(tmp_path / "o"))
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "levelz" in lines[0]
    bad_yaml = tmp_path / "b.yaml"
    bad_yaml.write_text("seed: [1,\n", encoding="utf-8")
    out = _cli("sweep", str(bad_yaml), "--out", str(tmp_path / "o"))
    assert out.returncode == 2 and "not valid YAML" in out.stderr and "Traceback" not in out.stderr


def test_unreachable_scheduler_fails_fast(tmp_path):
    path = _write(tmp_path, SMALL)
    t0 = time.monotonic()
    out = _cli("sweep", str(path), "--out", str(tmp_path / "o"), "--scheduler",
               "tcp://127.0.0.1:9", "--timeout", "2")
    assert out.returncode == 2
    assert time.monotonic() - t0 < 30
    lines = out.stderr.strip().splitlines()
    assert lines[-1].startswith("error: ") and "did not answer within 2 s" in lines[-1]
    assert "Traceback" not in out.stderr


def test_designs_are_deterministic():
    for design in ({"method": "sobol", "n": 8}, {"method": "morris", "n": 4, "levels": 4}):
        cfg = _cfg(design=design, parameters={"facts.threat_scale": {"low": 0, "high": 2},
                                              "facts.budget_scale": {"low": 0.5, "high": 2}})
        a, b = build_design(cfg), build_design(cfg)
        np.testing.assert_array_equal(a.X, b.X)
        assert a.X.shape[1] == 2
    assert build_design(_cfg()).X.shape == (8, 2)


# --------------------------------------------------------------------------- running


def test_sweep_outputs_and_resume(tmp_path):
    cfg = _cfg()
    res = run_sweep(cfg, tmp_path, progress=False)
    assert res.n_points == 8 and res.n_chunks == 4 and res.chunks_computed == 4
    for name in ("results.parquet", "indices.csv", "sensitivity.png", "summary.json", "sweep.json"):
        assert (tmp_path / name).is_file()
    assert len(list((tmp_path / "chunks").glob("chunk-*.parquet"))) == 4
    assert not list(tmp_path.rglob(".*tmp"))
    frame = res.results
    assert list(frame["point"]) == list(range(8))
    assert {"p_aligned", "p_leader_change", "x.facts.threat_scale"} <= set(frame.columns)
    assert frame["p_aligned"].between(0, 1).all()
    assert set(res.indices["index"]) <= {"range", "constant"}
    again = run_sweep(cfg, tmp_path, progress=False)
    assert again.chunks_computed == 0 and again.chunks_reused == 4
    pd.testing.assert_frame_equal(again.results, frame)
    # a corrupt chunk is detected and recomputed, a different sweep is refused
    (tmp_path / "chunks" / "chunk-000001.parquet").write_bytes(b"garbage")
    fixed = run_sweep(cfg, tmp_path, progress=False)
    assert fixed.chunks_computed == 1
    pd.testing.assert_frame_equal(fixed.results, frame)
    with pytest.raises(InputError, match="different sweep"):
        run_sweep(_cfg(seed=6), tmp_path, progress=False)


def test_sobol_indices(tmp_path):
    cfg = _cfg(design={"method": "sobol", "n": 8}, chunk_points=8, runs_per_point=30,
               parameters={"facts.threat_scale": {"low": 0, "high": 2},
                           "facts.budget_scale": {"low": 0.5, "high": 2}},
               outcomes=["p_aligned"])
    res = run_sweep(cfg, tmp_path, progress=False)
    assert res.n_points == 8 * (2 + 2)
    idx = res.indices
    assert set(idx["index"]) == {"S1", "ST"} and set(idx["outcome"]) == {"p_aligned"}
    st = idx[(idx["index"] == "ST")].set_index("parameter")["value"]
    assert st["facts.threat_scale"] > st["facts.budget_scale"]   # threat drives alignment (Y5)


def test_local_and_dask_give_identical_results(tmp_path):
    from distributed import Client, LocalCluster

    cfg = _cfg()
    serial = run_sweep(cfg, tmp_path / "serial", progress=False).results
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        dask = run_sweep(cfg, tmp_path / "dask", progress=False, client=client).results
    pd.testing.assert_frame_equal(serial, dask)


def test_killed_worker_loses_no_completed_chunk(tmp_path):
    """Kill a worker process after the first chunk; Dask reruns its chunk; results are identical."""
    from distributed import Client, LocalCluster

    cfg = _cfg(chunk_points=1)
    reference = run_sweep(cfg, tmp_path / "ref", progress=False).results
    killed: list[int] = []
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        def kill_one(_chunk: int) -> None:
            if not killed:
                pid = next(iter(client.run(os.getpid).values()))
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

        res = run_sweep(cfg, tmp_path / "k", progress=False, client=client, on_chunk=kill_one)
    assert killed
    pd.testing.assert_frame_equal(res.results, reference)


def test_killed_sweep_resumes_to_identical_results(tmp_path):
    """Kill the whole `alliancelab sweep --workers 2` mid-run; a rerun resumes, same numbers."""
    data = {**SMALL, "runs_per_point": 300, "chunk_points": 1,
            "world": {"synthetic": {"n_states": 30, "n_patrons": 2, "periods": 10, "seed": 1}},
            "parameters": {"facts.threat_scale": {"values": [0.0, 0.5, 1.0, 1.5, 2.0]},
                           "elite.autonomy_cost": {"low": 0.5, "high": 1.5}},
            "design": {"method": "grid", "levels": 8}}
    path = _write(tmp_path, data)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "alliancelab", "sweep", str(path), "--out",
                             str(out), "--workers", "2", "--no-progress"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and proc.poll() is None:
            if len(list((out / "chunks").glob("chunk-*.parquet"))) >= 2:
                break
            time.sleep(0.05)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    done_before = len(list((out / "chunks").glob("chunk-*.parquet")))
    assert done_before >= 2, "no chunk was written before the kill"
    cfg = load_sweep_config(path)
    resumed = run_sweep(cfg, out, progress=False)
    assert resumed.chunks_reused == done_before
    assert resumed.chunks_computed == resumed.n_chunks - done_before
    reference = run_sweep(cfg, tmp_path / "ref", progress=False)
    pd.testing.assert_frame_equal(resumed.results, reference.results)
    pd.testing.assert_frame_equal(resumed.indices, reference.indices)


def test_remote_scheduler_address_gives_identical_results(tmp_path):
    """`--scheduler tcp://...` (here a LocalCluster's scheduler) gives the serial numbers."""
    from distributed import LocalCluster

    path = _write(tmp_path, SMALL)
    serial = run_sweep(load_sweep_config(path), tmp_path / "serial", progress=False).results
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=True,
                      dashboard_address=None) as cluster:
        out = _cli("sweep", str(path), "--out", str(tmp_path / "remote"), "--scheduler",
                   cluster.scheduler_address, "--no-progress")
    assert out.returncode == 0, out.stderr
    remote = pd.read_parquet(tmp_path / "remote" / "results.parquet")
    pd.testing.assert_frame_equal(serial, remote)


EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("sweep-*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_configs_validate(path):
    cfg = load_sweep_config(path)
    assert build_design(cfg).n_points >= 1


def test_million_example_is_a_million_runs():
    cfg = load_sweep_config(Path(__file__).resolve().parents[2] / "examples" / "sweep-million.yaml")
    assert build_design(cfg).n_points * cfg.runs_per_point >= 1_000_000
    assert cfg.world.synthetic is not None and cfg.world.synthetic.n_states == 50
