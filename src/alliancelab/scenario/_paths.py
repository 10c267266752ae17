"""Dotted paths into a scenario: the syntax shared by ``--set`` overrides and scripted events.

Syntax
------
``<key>.<key>...`` where each key is

* a mapping key: a patron, client, faction or actor name, or a field name
  (``patrons.USSR.budget``, ``clients.Italy.factions.PCI.baseline_support``,
  ``patrons.USA.interest.Italy``);
* for lists (``support``, ``threats``, ``mistrust``, ``events``, ``periods``): the item's ``id`` if it
  has one, else its 0-based position (``support.marshall.amount``, ``threats.0.imminence``).

Names may not contain dots, so paths are unambiguous. Values are parsed as YAML scalars or flow
collections (``0.4``, ``true``, ``null``, ``[US, UK]``, ``{military: 3}``).
"""

from __future__ import annotations

from typing import Any

__all__ = ["get_path", "set_path", "split_path"]


def split_path(path: str) -> list[str]:
    """Split a dotted path into keys; raise ``KeyError`` on an empty key."""
    keys = path.strip().split(".")
    if not path.strip() or any(k == "" for k in keys):
        raise KeyError(path)
    return keys


def _child_key(node: Any, key: str) -> Any:
    if isinstance(node, dict):
        if key in node:
            return key
        # YAML may have parsed mapping keys such as years as ints
        for k in node:
            if str(k) == key:
                return k
        raise KeyError(key)
    if isinstance(node, list):
        for i, item in enumerate(node):
            if isinstance(item, dict) and item.get("id") is not None and str(item["id"]) == key:
                return i
        if key.lstrip("-").isdigit():
            i = int(key)
            if -len(node) <= i < len(node):
                return i
        raise KeyError(key)
    raise KeyError(key)


def get_path(data: Any, path: str) -> Any:
    """Return the value at ``path`` in a nested dict/list; ``KeyError`` names the first bad key."""
    node = data
    for key in split_path(path):
        node = node[_child_key(node, key)]
    return node


def set_path(data: Any, path: str, value: Any, *, create: bool = True) -> None:
    """Set ``path`` in a nested dict/list in place.

    The parent must exist; the last key may be new in a mapping when ``create`` (e.g. a new patron in
    a faction's ``affinity``). ``KeyError`` names the first key that does not resolve.
    """
    keys = split_path(path)
    node = data
    for key in keys[:-1]:
        node = node[_child_key(node, key)]
    last = keys[-1]
    try:
        node[_child_key(node, last)] = value
    except KeyError:
        if create and isinstance(node, dict):
            node[last] = value
        else:
            raise
