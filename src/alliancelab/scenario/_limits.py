"""Size limits of a scenario, checked on the parsed YAML before any validation or simulation work.

The named sections (periods, clients, factions per client, patrons, support items) have their own
limits; every other list or mapping anywhere in the document, including fields added to the schema
later, is held to the generic ``items`` limit, so new sections are covered without changes here.
"""

from __future__ import annotations

from typing import Any

from ..limits import Limits, over_limit

__all__ = ["check_scenario_size"]

_NAMED = {"periods": "periods", "clients": "clients", "patrons": "patrons", "support": "support"}


def _count(data: dict[str, Any], key: str) -> int:
    value = data.get(key)
    return len(value) if isinstance(value, (list, dict)) else 0


def check_scenario_size(data: dict[str, Any], limits: Limits, *, source: str) -> None:
    """Raise a one-line :class:`~alliancelab.ScenarioError` naming the first limit ``data`` exceeds."""
    for key, name in _NAMED.items():
        n = _count(data, key)
        if n > getattr(limits, name):
            raise over_limit(name, n, limits, source=source, field=key, what=f"the number of {key}")
    clients = data.get("clients")
    if isinstance(clients, dict):
        for cname, client in clients.items():
            if isinstance(client, dict):
                n = _count(client, "factions")
                if n > limits.factions:
                    raise over_limit("factions", n, limits, source=source,
                                     field=f"clients.{cname}.factions", what="the number of factions")
    # every other list or mapping, at any depth (iterative: no recursion on hostile nesting)
    stack: list[tuple[str, Any]] = [("", data)]
    seen: set[int] = set()
    while stack:
        path, node = stack.pop()
        if not isinstance(node, (dict, list)) or id(node) in seen:
            continue
        seen.add(id(node))  # a shared (aliased) node is checked once
        top = path.split(".", 1)[0]
        named = path in _NAMED or path.endswith(".factions") and top == "clients"
        if not named and path and len(node) > limits.items:
            raise over_limit("items", len(node), limits, source=source, field=path,
                             what="the number of entries")
        children = node.items() if isinstance(node, dict) else enumerate(node)
        for key, child in children:
            if isinstance(child, (dict, list)):
                stack.append((f"{path}.{key}" if path else str(key), child))
