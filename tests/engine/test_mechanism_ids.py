"""The mechanism ids agree everywhere they are listed: the engine's switches (``MECHANISMS``), the
switch table and the THEORY_MAP table of docs/theory.md, and the explorer's glossary."""

from __future__ import annotations

import re
from pathlib import Path

from alliancelab.engine._simulate import MECHANISMS, NEW_MECHANISMS
from alliancelab.web.glossary import MECHANISM_THEORY

THEORY = (Path(__file__).resolve().parents[2] / "docs" / "theory.md").read_text(encoding="utf-8")


def _ids(start: str, end: str | None) -> set[str]:
    part = THEORY[THEORY.index(start):THEORY.index(end) if end else None]
    return set(re.findall(r"^\| ([EY]\d+[a-z]?) \|", part, re.MULTILINE))


def test_the_switch_table_lists_exactly_the_engine_switches():
    assert _ids("## Mechanism switches", "## Engine constants") == set(MECHANISMS)


def test_every_switch_has_a_theory_map_row_and_a_glossary_entry():
    assert set(MECHANISMS) <= _ids("## THEORY_MAP → function → test", "## Known limits")
    assert set(MECHANISMS) <= set(MECHANISM_THEORY)
    assert NEW_MECHANISMS <= set(MECHANISMS)


def test_a_glossary_entry_is_a_switch_or_a_theory_map_row_without_one():
    rows = _ids("## THEORY_MAP → function → test", "## Known limits")
    assert set(MECHANISM_THEORY) <= set(MECHANISMS) | rows
