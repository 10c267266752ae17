"""Bad input for session 13's scenario fields: ``treaty_terms`` (Y17) and support items' ``market`` (E11m)."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from alliancelab._exceptions import ScenarioError
from alliancelab.scenario import load_scenario, parse_scenario

from ._bad_input import assert_one_line_error

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "contested_election.yaml"
MONEY = "economic_aid, reconstruction, propaganda, covert_funding, military_aid"


@pytest.fixture(scope="module")
def base() -> dict:
    return yaml.safe_load(EXAMPLE.read_text())


def _term(d: dict, **kw) -> None:
    t = {"patron": "West", "expires": "2024-06", "source": "hypothetical"}
    t.update(kw)
    d.setdefault("treaty_terms", []).append(t)


def _market(d: dict, value, instrument: str = "economic_aid", amount: float = 30) -> None:
    d["support"].append({"from": 2021, "to": 2023, "patron": "West", "faction": "ruling",
                         "instrument": instrument, "amount": amount, "market": value})


def test_good_terms_and_market_money_validate(base):
    d = copy.deepcopy(base)
    _term(d)
    _term(d, client="Ruritania", patron="East", expires=2027)
    _market(d, True)
    _market(d, False, "military_aid")
    s = parse_scenario(d)
    assert [(t.patron, t.expires) for t in s.treaty_terms] == [("West", "2024-06"), ("East", "2027")]
    assert [it.market for it in s.support[-2:]] == [True, False]


BAD = {
    "term_unknown_patron": (lambda d: _term(d, patron="Mars"), "treaty_terms.0.patron", "unknown patron"),
    "term_patron_is_client": (lambda d: _term(d, patron="Ruritania"), "treaty_terms.0.patron",
                              "unknown patron"),
    "term_unknown_client": (lambda d: _term(d, client="Atlantis"), "treaty_terms.0.client", "unknown client"),
    "term_expires_after": (lambda d: _term(d, expires="2031-01"), "treaty_terms.0.expires",
                           "outside the periods"),
    "term_expires_before": (lambda d: _term(d, expires=1999), "treaty_terms.0.expires", "outside the periods"),
    "term_expires_unparseable": (lambda d: _term(d, expires="next spring"), "treaty_terms.0.expires",
                                 "not a date"),
    "term_expires_missing": (lambda d: d.update(treaty_terms=[{"patron": "West"}]), "treaty_terms.0.expires",
                             "required field"),
    "term_extra_key": (lambda d: _term(d, renewable=True), "treaty_terms.0.renewable", "unknown field"),
    "terms_not_a_list": (lambda d: d.update(treaty_terms={"patron": "West", "expires": 2024}),
                         "treaty_terms", "expected a list"),
    "term_not_a_mapping": (lambda d: d.update(treaty_terms=["West 2024"]), "treaty_terms.0",
                           "expected a mapping"),
    "market_text": (lambda d: _market(d, "maybe"), "support.6.market", "true or false"),
    # a lax bool took these for true (fixed: ``market`` is a strict true/false)
    "market_one": (lambda d: _market(d, 1), "support.6.market", "true or false"),
    "market_yes_text": (lambda d: _market(d, "yes"), "support.6.market", "true or false"),
    "market_null": (lambda d: _market(d, None), "support.6.market", "true or false"),
    # market: true on an instrument that is not money was silently ignored (fixed)
    "market_gesture": (lambda d: _market(d, True, "diplomatic_gesture", 0.5), "support.6.market", MONEY),
    "market_sanctions": (lambda d: _market(d, True, "sanctions"), "support.6.market", MONEY),
    "market_extra_key": (lambda d: d["support"][0].update(markets=True), "support.0.markets", "unknown field"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_term_or_market_is_one_line_naming_file_and_field(base, tmp_path, name):
    mutate, field, needle = BAD[name]
    assert_one_line_error(base, tmp_path, name, mutate, field, needle)


def test_cli_exits_2_on_a_market_that_is_not_a_bool(base, tmp_path):
    data = copy.deepcopy(base)
    _market(data, 1)
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    proc = subprocess.run([sys.executable, "-m", "alliancelab", "validate", str(path)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 2
    err = proc.stderr.strip()
    assert len(err.splitlines()) == 1 and "support.6.market" in err and str(path) in err
    assert "Traceback" not in proc.stderr
