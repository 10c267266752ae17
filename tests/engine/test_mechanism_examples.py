"""examples/mechanisms/*.yaml: each forecast has ``alignment_form`` summing to 1 (top level, per client,
per timeline period) through the CLI, and switching its mechanism off moves the forecast in the
direction documented in the file's header and in docs/theory.md."""

from __future__ import annotations

import json
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest

from alliancelab.engine import forecast

REPO = Path(__file__).resolve().parents[2]
DIR = REPO / "examples" / "mechanisms"
RUNS = 2000

#: file -> (mechanism, getter of the documented quantity, +1 if switching the mechanism off raises it)
DIRECTIONS = {
    "e18_exit": ("E18", lambda d: d["alignment"]["East"], +1),
    "e19_forms": ("E19", lambda d: d["alignment"]["West"], +1),
    "e20_power_grab": ("E20", lambda d: d["ruling"]["Junta"], -1),
    "e21_sanctions": ("E21", lambda d: d["timeline"][2]["alignment"]["East"], -1),
    "e22_intervention": ("E22", lambda d: d["ruling"]["Government"], -1),
    "y13_threat_source": ("Y13", lambda d: d["alignment"]["West"], -1),
}
#: mechanisms held off in both arms of an example's comparison, with the reason in the file's header:
#: Y18 (session 13) lets West tolerate its ally's crises, so West's alliances last in both arms and the
#: example's E19 margin fell to 0.018 (0.0595 on vs 0.077 off at seed 1; the direction held); E23
#: (session 15: E11's split hazard reads the ambition standing at the start of the period) lowers the
#: E19-off arm (West in 1958 0.0455 -> 0.0345 at seed 1), so the margin fell to 0.024 (0.011 on vs
#: 0.0345 off; the direction held); with E23 off in both arms it is 0.034 (0.012 vs 0.0455)
BOTH_OFF = {"e19_forms": frozenset({"Y18", "E23"})}


def test_every_example_has_a_documented_direction():
    assert sorted(p.stem for p in DIR.glob("*.yaml")) == sorted(DIRECTIONS)


@lru_cache(maxsize=None)
def _fc(name: str, off: str | None) -> dict:
    return forecast(DIR / f"{name}.yaml", runs=RUNS, seed=1, drivers=False,
                    disable=({off} if off else set()) | BOTH_OFF.get(name, frozenset())).to_dict()


@pytest.mark.parametrize("name", sorted(DIRECTIONS))
def test_cli_forecast_alignment_form_sums_to_one(name):
    proc = subprocess.run([sys.executable, "-m", "alliancelab", "forecast", str(DIR / f"{name}.yaml"), "--json",
                           "--runs", "300", "--seed", "1", "--no-drivers"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    d = json.loads(proc.stdout)
    assert sum(d["alignment_form"].values()) == pytest.approx(1.0, abs=1e-5)
    for block in d["clients"].values():
        assert sum(block["alignment_form"].values()) == pytest.approx(1.0, abs=1e-5)
        for row in block["timeline"]:
            assert sum(row["alignment_form"].values()) == pytest.approx(1.0, abs=1e-5)
            assert set(row["alignment_form_ci"]) == set(row["alignment_form"])


@pytest.mark.parametrize("name", sorted(DIRECTIONS))
def test_disabling_the_mechanism_moves_the_forecast_in_the_documented_direction(name):
    mech, get, sign = DIRECTIONS[name]
    on, off = get(_fc(name, None)), get(_fc(name, mech))
    assert sign * (off - on) > 0.03, (name, on, off)


def test_e18_example_purges_before_leaving_and_e19_example_shows_several_forms():
    assert _fc("e18_exit", None)["events"]["purge"]["probability"] > 0.05
    assert _fc("e18_exit", "E18")["events"]["purge"]["probability"] == 0.0
    forms = _fc("e19_forms", None)["alignment_form"]
    assert any(k.startswith("aid:") for k in forms) and any(k.startswith("both:") for k in forms)
    assert any(k.startswith("tacit:") for k in forms)
    assert set(_fc("e19_forms", "E19")["alignment_form"]) <= {"neutral", "alliance:West", "alliance:East"}


def test_e21_example_sanctions_can_also_topple_the_ruler():
    assert _fc("e21_sanctions", None)["ruling"]["Nationalists"] < _fc("e21_sanctions", "E21")["ruling"]["Nationalists"]


def test_e20_example_records_power_grabs_only_with_e20():
    assert _fc("e20_power_grab", None)["events"]["power_grab"]["probability"] > 0.05
    assert _fc("e20_power_grab", "E20")["events"]["power_grab"]["probability"] == 0.0
