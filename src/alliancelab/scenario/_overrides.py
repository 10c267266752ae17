"""``apply_overrides``: change scenario values by dotted path (the CLI's ``--set``)."""

from __future__ import annotations

import copy
from typing import Any

import yaml

from .._exceptions import ScenarioError
from ._load import parse_scenario
from ._paths import get_path, set_path
from ._schema import Scenario

__all__ = ["apply_overrides", "parse_override"]


def parse_override(text: str) -> tuple[str, Any]:
    """Split ``"dotted.path=value"``; the value is parsed as a YAML scalar or flow collection.

    Examples
    --------
    >>> parse_override("patrons.USSR.budget=12.5")
    ('patrons.USSR.budget', 12.5)
    >>> parse_override("clients.Italy.aligned_with=null")
    ('clients.Italy.aligned_with', None)
    """
    if "=" not in text:
        raise ScenarioError(f"override {text!r} has no '='; allowed: dotted.path=value",
                            source="--set")
    path, raw = text.split("=", 1)
    path = path.strip()
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError:
        raise ScenarioError(f"override value {raw!r} is not valid YAML; allowed: a number, true/false, "
                            "null, text, [a, b] or {k: v}", source="--set", field=path) from None
    return path, value


def apply_overrides(scenario: Scenario, overrides: list[str] | dict[str, Any]) -> Scenario:
    """Return a new, re-validated scenario with values replaced by dotted path.

    Parameters
    ----------
    scenario
        The scenario to change (it is not modified).
    overrides
        ``["patrons.USSR.budget=10", "support.marshall.amount=0"]`` or a mapping path -> value.
        Mapping keys are names (patrons, clients, factions, actors) or field names; list items
        (``support``, ``threats``, ``mistrust``, ``events``) by ``id`` or 0-based position. A new key
        may be added to a mapping (e.g. ``clients.Italy.factions.DC.affinity.UK=0.3``).

    Raises
    ------
    ScenarioError
        When a path does not exist or the result does not validate (one line naming the path).

    Examples
    --------
    >>> from alliancelab.scenario import load_scenario  # doctest: +SKIP
    >>> s2 = apply_overrides(s, ["patrons.USA.budget=0"])  # doctest: +SKIP
    """
    items = list(overrides.items()) if isinstance(overrides, dict) else [parse_override(o) for o in overrides]
    data = copy.deepcopy(scenario.model_dump(by_alias=True, exclude_none=False))
    for path, value in items:
        try:
            old = get_path(data, path)
        except (KeyError, IndexError, TypeError):
            old = None
        try:
            if isinstance(old, dict) and isinstance(value, dict):
                merged = dict(old)
                merged.update(value)
                set_path(data, path, merged)
            else:
                set_path(data, path, value)
        except (KeyError, IndexError, TypeError):
            top = ", ".join(data)
            raise ScenarioError(f"no such path in the scenario; allowed: a dotted path such as "
                                f"patrons.<name>.budget (top-level keys: {top})",
                                source=f"{scenario.origin} --set", field=path) from None
    # a changed scalar replaces the original provenance of that value
    prov = data.get("provenance") or {}
    for path, _ in items:
        prov.pop(path, None)
    return parse_scenario(data, source=f"{scenario.origin} --set")
