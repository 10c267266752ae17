"""``apply_overrides``: change scenario values by dotted path (the CLI's ``--set``)."""

from __future__ import annotations

import copy
from typing import Any

from .._exceptions import ScenarioError
from ..limits import Limits, current, over_limit
from ._load import parse_scenario
from ._paths import get_path, set_path
from ._schema import Scenario
from ._yaml import load_yaml

__all__ = ["apply_overrides", "parse_override"]


def parse_override(text: str, *, limits: Limits | None = None) -> tuple[str, Any]:
    """Split ``"dotted.path=value"``; the value is parsed as a YAML scalar or flow collection.

    Examples
    --------
    >>> parse_override("patrons.USSR.budget=12.5")
    ('patrons.USSR.budget', 12.5)
    >>> parse_override("clients.Italy.aligned_with=null")
    ('clients.Italy.aligned_with', None)
    """
    if not isinstance(text, str) or "=" not in text:
        raise ScenarioError(f"override {_short(text)} has no '='; allowed: dotted.path=value",
                            source="--set")
    path, raw = text.split("=", 1)
    path = path.strip()
    if len(path) > 200:
        raise ScenarioError(f"override path {_short(path)} is too long; allowed: a dotted path of at most "
                            "200 characters", source="--set")
    if not raw.strip():
        return path, ""
    try:
        value = load_yaml(raw, source="--set", field=path, limits=limits)
    except ScenarioError as err:
        if "over the limit" in str(err) or "alias" in str(err):
            raise
        raise ScenarioError(f"override value {_short(raw)} is not valid YAML; allowed: a number, "
                            "true/false, null, text, [a, b] or {k: v}", source="--set", field=path) from None
    return path, value


def _short(text: object, n: int = 60) -> str:
    """``repr`` of user input, truncated so that error lines stay short."""
    r = repr(text)
    return r if len(r) <= n else r[: n - 3] + "..."


def apply_overrides(scenario: Scenario, overrides: list[str] | dict[str, Any], *,
                    limits: Limits | None = None) -> Scenario:
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
        When a path does not exist, the result does not validate, or a limit (the number of
        overrides, the size of the result; see :mod:`alliancelab.limits`) is exceeded.

    Examples
    --------
    >>> from alliancelab.scenario import load_scenario  # doctest: +SKIP
    >>> s2 = apply_overrides(s, ["patrons.USA.budget=0"])  # doctest: +SKIP
    """
    limits = limits or current()
    if len(overrides) > limits.overrides:
        raise over_limit("overrides", len(overrides), limits, source=f"{scenario.origin} --set",
                         what="the number of overrides")
    items = list(overrides.items()) if isinstance(overrides, dict) \
        else [parse_override(o, limits=limits) for o in overrides]
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
    return parse_scenario(data, source=f"{scenario.origin} --set", limits=limits)
