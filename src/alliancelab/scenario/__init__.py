"""Scenario files: the pydantic schema, safe YAML loading, dotted-path overrides, scope checks.

See ``docs/scenarios.md`` for every field and a complete example.
"""

from __future__ import annotations

from ._dates import date_key, format_date
from ._load import builtin_case_ids, load_scenario, parse_scenario
from ._overrides import apply_overrides, parse_override
from ._scope import scope_warnings
from ._schema import (
    ALIGNMENT_FORMS,
    CONDITIONS,
    NON_ALIGNED,
    POWER_GRAB_KINDS,
    RULING,
    POWER_COMPONENTS,
    Actor,
    Challenge,
    TreatyTerm,
    Client,
    Event,
    Faction,
    Metadata,
    Mistrust,
    Patron,
    PowerEntry,
    PowerGrab,
    Provenance,
    Scenario,
    SupportItem,
    Threat,
)

__all__ = [
    "ALIGNMENT_FORMS", "POWER_GRAB_KINDS", "PowerGrab", "RULING", "Actor", "CONDITIONS", "Challenge", "TreatyTerm", "Client", "Event", "Faction", "Metadata", "Mistrust", "NON_ALIGNED",
    "POWER_COMPONENTS", "Patron", "PowerEntry", "Provenance", "Scenario", "SupportItem", "Threat",
    "apply_overrides", "builtin_case_ids", "date_key", "format_date", "load_scenario",
    "parse_override", "parse_scenario", "scope_warnings",
]
