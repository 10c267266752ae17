"""docs/scenarios.md: its complete example is the example file and validates; every field is documented."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from alliancelab.scenario import Scenario, parse_scenario
from alliancelab.scenario._schema import (Actor, Challenge, Client, Event, Faction, Metadata, Mistrust, Patron,
                                          PowerGrab, SupportItem, Threat)

REPO = Path(__file__).resolve().parents[2]
DOC = (REPO / "docs" / "scenarios.md").read_text(encoding="utf-8")


def test_complete_example_in_docs_matches_the_file_and_validates():
    blocks = re.findall(r"```yaml\n(.*?)```", DOC, flags=re.S)
    full = [b for b in blocks if "metadata:" in b and "clients:" in b]
    assert full, "no complete example in docs/scenarios.md"
    example = (REPO / "examples" / "contested_election.yaml").read_text(encoding="utf-8")
    assert full[-1].strip() == example.strip()
    parse_scenario(yaml.safe_load(full[-1]), source="docs/scenarios.md")


def test_every_schema_field_is_documented():
    for model in (Scenario, Metadata, Patron, Client, Faction, SupportItem, Threat, Mistrust, Event, Actor,
                  PowerGrab, Challenge):
        for name, field in model.model_fields.items():
            key = field.alias or name
            assert f"`{key}`" in DOC, f"{model.__name__}.{key} is not documented in docs/scenarios.md"
