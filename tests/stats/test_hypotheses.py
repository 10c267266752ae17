"""run_hypotheses end to end on a synthetic panel: JSON keys, reproducibility, report, CLI."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from alliancelab import InputError
from alliancelab.stats.hypotheses import run_hypotheses
from alliancelab.stats.oos import MODELS
from alliancelab.stats.report import render_report, write_report


@pytest.fixture(scope="module")
def result(synth):
    return run_hypotheses(panel=synth)


def test_to_dict_has_named_keys_and_is_strict_json(result):
    d = result.to_dict()
    assert {"quadrants", "models", "out_of_sample", "elite"} <= set(d)
    assert set(d["out_of_sample"]["auc"]) == set(MODELS) == set(d["out_of_sample"]["brier"])
    assert "onset: disparity x threat" in d["models"]["onset"]
    assert "duration: Cox" in d["models"]["duration"]
    assert "termination: discrete-time logit" in d["models"]["termination"]
    assert "Russia/USSR (365)" in d["quadrants"]["samples"]
    json.dumps(d, allow_nan=False)


def test_results_are_reproducible(synth, result):
    again = run_hypotheses(panel=synth).to_dict()
    first = result.to_dict()
    for d in (again, first):
        d["meta"].pop("seconds")
        d["meta"].pop("timings")
    assert again == first


def test_duckdb_panel_gives_the_same_numbers(synth_duckdb, result):
    d = run_hypotheses(panel=synth_duckdb, robustness=False, oos=False).to_dict()
    full = result.to_dict()
    assert d["models"]["onset"]["onset: disparity x threat"] == full["models"]["onset"]["onset: disparity x threat"]
    assert d["quadrants"] == full["quadrants"]


def test_report_builds(result, tmp_path):
    html = render_report(result)
    for needle in ("Logit of alliance onset", "Cox model", "Out-of-sample", "Pseudo-R²", "data:image/png;base64,",
                   "Russia/USSR (365)", "balance of threat (Walt)"):
        assert needle in html
    out = write_report(result, tmp_path / "sub" / "report.html")
    assert out.read_text(encoding="utf-8") == html
    assert [p.name for p in out.parent.iterdir()] == ["report.html"]  # no temp file left


def test_bad_panel_is_input_error(synth):
    with pytest.raises(InputError, match="lacks required column"):
        run_hypotheses(panel={"dyad_years": synth.dyad_years.drop(columns="cap_share"),
                              "state_years": synth.state_years})
    with pytest.raises(InputError, match="does not exist"):
        run_hypotheses(data_dir="/nonexistent/alliancelab-data")


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "alliancelab", "hypotheses", *args],
                          capture_output=True, text=True, timeout=300)


def test_cli_json_and_report(synth_duckdb, tmp_path, result):
    report = tmp_path / "r.html"
    out = _cli("--panel", str(synth_duckdb), "--json", "--report", str(report))
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    assert d["out_of_sample"]["auc"] == result.to_dict()["out_of_sample"]["auc"]
    assert report.is_file() and "onset logits done" in out.stderr


def test_cli_bad_input_exits_2(tmp_path, synth):
    out = _cli("--data-dir", str(tmp_path / "missing"), "--json")
    assert out.returncode == 2 and out.stderr.strip().splitlines()[-1].startswith("error:")
    import duckdb

    bad = tmp_path / "bad.duckdb"
    con = duckdb.connect(str(bad))
    small = synth.dyad_years.drop(columns=["cap_share"]).head(10)  # noqa: F841
    states = synth.state_years.head(10)  # noqa: F841
    con.execute("CREATE TABLE dyad_years AS SELECT * FROM small")
    con.execute("CREATE TABLE state_years AS SELECT * FROM states")
    con.close()
    out = _cli("--panel", str(bad))
    assert out.returncode == 2
    last = out.stderr.strip().splitlines()[-1]
    assert last.startswith("error:") and "cap_share" in last
