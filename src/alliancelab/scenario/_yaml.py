"""The one safe YAML loader of scenario files, ``--set`` values and the web's what-ifs.

``yaml.safe_load`` alone is not enough for hostile input: aliases (``*name``) are expanded by every
later walk of the data, so a few hundred characters can stand for billions of nodes (an alias bomb);
a self-referencing alias (``&a [*a]``) or deep nesting makes recursive walks raise ``RecursionError``.

:func:`load_yaml` therefore first scans the event stream (no recursion, nothing built) and refuses a
document that is too large, nested deeper than ``limits.yaml_depth``, holds an alias to an anchor that
is still open (a cycle), or whose size *after* alias expansion exceeds ``limits.yaml_nodes``; only
then does it build the Python objects with the safe loader, so no tag is ever executed.
"""

from __future__ import annotations

from typing import Any

import yaml

from .._exceptions import ScenarioError
from ..limits import Limits, current, over_limit

__all__ = ["load_yaml", "yaml_problem"]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def yaml_problem(err: yaml.YAMLError) -> str:
    """``line L, column C: <problem>`` of a YAML error, on one line."""
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    problem = getattr(err, "problem", None) or (str(err).splitlines() or ["unreadable"])[0]
    return f"{where}{problem}"


def _scan(text: str, limits: Limits, source: str, field: str | None) -> None:
    """Walk the event stream once: depth, cycles and the node count after alias expansion."""
    sizes: dict[str, int] = {}        # anchor -> expanded node count of its (closed) node
    open_anchors: set[str] = set()
    stack: list[list[Any]] = [[None, 0]]  # [anchor, expanded nodes so far] per open collection
    total = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if len(stack) > limits.yaml_depth:
                raise over_limit("yaml_depth", len(stack), limits, source=source, field=field,
                                 what="the nesting depth of the YAML")
            if event.anchor:
                open_anchors.add(event.anchor)
            stack.append([event.anchor, 0])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            anchor, n = stack.pop()
            n += 1
            if anchor:
                sizes[anchor] = n
                open_anchors.discard(anchor)
            stack[-1][1] += n
            total += 1
        elif isinstance(event, yaml.ScalarEvent):
            if event.anchor:
                sizes[event.anchor] = 1
            stack[-1][1] += 1
            total += 1
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor in open_anchors:
                raise ScenarioError(f"the alias *{event.anchor} refers to a node that contains it (a "
                                    "cycle); allowed: aliases to complete nodes only",
                                    source=source, field=field)
            n = sizes.get(event.anchor)
            if n is None:
                raise ScenarioError(f"the alias *{event.anchor} has no anchor &{event.anchor} before "
                                    "it; allowed: an alias after its anchor", source=source, field=field)
            stack[-1][1] += n
            total += n
        else:
            continue
        if stack[-1][1] > limits.yaml_nodes or total > limits.yaml_nodes:
            raise over_limit("yaml_nodes", max(stack[-1][1], total), limits, source=source,
                             field=field, what="the number of YAML nodes after expanding aliases")


def load_yaml(text: str, *, source: str, field: str | None = None, limits: Limits | None = None) -> Any:
    """Parse one YAML document safely within ``limits``; errors are one-line :class:`ScenarioError`.

    Examples
    --------
    >>> load_yaml("a: [1, 2]", source="x.yaml")
    {'a': [1, 2]}
    >>> load_yaml("a: &x [1]\\nb: *x", source="x.yaml")
    {'a': [1], 'b': [1]}
    """
    limits = limits or current()
    size = len(text.encode("utf-8", errors="replace"))
    if size > limits.file_bytes:
        raise over_limit("file_bytes", size, limits, source=source, field=field,
                         what="the size of the YAML in bytes")
    try:
        _scan(text, limits, source, field)
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader (no tags executed)
    except ScenarioError:
        raise
    except yaml.YAMLError as err:
        raise ScenarioError(f"not valid YAML (malformed or unsafe) at {yaml_problem(err)}; allowed: plain YAML "
                            "(no tags such as !!python/object)", source=source, field=field) from None
    except (RecursionError, MemoryError, ValueError, TypeError, OverflowError) as err:
        # e.g. a timestamp or number the safe constructor cannot convert
        raise ScenarioError(f"not valid YAML ({type(err).__name__}: {str(err)[:80]}); allowed: plain "
                            "YAML", source=source, field=field) from None
