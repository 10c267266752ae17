"""The explorer's lab: the numeric facts of a scenario as sliders, paired what-if differences, and
scenarios edited in the page (YAML text validated as the user types).

* :func:`numeric_fields` — every numeric fact of a validated scenario with its ``--set`` path, section,
  unit and documented range, read from the pydantic schema (``_schema.Share`` is [0, 1], ``Signed``
  [-1, 1], ``NonNeg`` [0, ∞); a support item's amount follows its instrument as the schema's check does).
* :func:`paired_differences` — the change of every final-period probability between two forecasts run
  with the same seed (common random numbers), with a 95% interval from the per-run paired differences.
* :func:`scenario_from_text` — a scenario from YAML text with the server's one-line errors, and
  :func:`line_of_path` — the line of a dotted path in that text, so the page can point at the field.
"""

from __future__ import annotations

import inspect
import math
import typing
from typing import Any

import numpy as np
from pydantic import AfterValidator, BaseModel

from .._exceptions import InputError

__all__ = ["SECTION_UNITS", "line_of_path", "numeric_fields", "paired_differences", "scenario_from_text"]

#: Units of the non-share numeric facts, by field name (docs/scenarios.md); shares are "share".
SECTION_UNITS: dict[str, str] = {
    "budget": "money units per period", "aid_need": "money units per period",
    "amount": "money units per period", "distance_km": "km",
    "military": "power index", "economic": "power index", "ideological": "power index",
    "cultural": "power index", "institutional": "power index",
}
_Z95 = 1.959963984540054
#: Longest scenario text the page may send (the web's file-size limit applies too).
MAX_TEXT_BYTES = 56_000  # leaves room for JSON escaping in the 64 KB request body


# ---------------------------------------------------------------------------------------- fields
def _range_of(metadata: list[Any]) -> tuple[float | None, float | None] | None:
    """``(low, high)`` of a number from its validators (None = unbounded); None if it is no number."""
    for m in metadata:
        if isinstance(m, AfterValidator):
            fn = m.func
            free = inspect.getclosurevars(fn).nonlocals
            if "lo" in free and "hi" in free:
                return float(free["lo"]), float(free["hi"])
            if fn.__name__ == "_nonneg":
                return 0.0, None
    return None


def _strip(tp: Any) -> tuple[Any, list[Any]]:
    """``(inner type, metadata)`` of an ``Annotated``/``Optional`` annotation."""
    meta: list[Any] = []
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            args = typing.get_args(tp)
            tp, meta = args[0], meta + list(args[1:])
        elif origin is typing.Union or str(origin) == "<class 'types.UnionType'>":
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = args[0] if len(args) == 1 else tp
            if len(args) != 1:
                return tp, meta
        else:
            return tp, meta


def _amount_range(item: Any) -> tuple[float | None, float | None]:
    """A support item's amount range, as ``SupportItem._check_amount`` allows it."""
    from ..theory.instruments import INTERVENTION, SIGNED_INSTRUMENTS

    if item.instrument in SIGNED_INSTRUMENTS:
        return -1.0, 1.0
    if item.instrument in ("armed_action_commitment", INTERVENTION):
        return 0.0, 1.0
    return 0.0, None


def numeric_fields(sc: Any) -> list[dict[str, Any]]:
    """Every numeric fact of scenario ``sc`` for sliders: ``{path, value, section, label, unit, min, max}``.

    ``min``/``max`` are the documented range (``None`` when unbounded); ``section`` groups the facts
    (``patrons.USA``, ``clients.Italy.factions.DC``, ``support``, ``threats``, ...).
    """
    out: list[dict[str, Any]] = []

    def leaf(path: list[str], value: Any, rng: tuple[float | None, float | None], name: str,
             section: str) -> None:
        lo, hi = rng
        unit = "share" if (lo, hi) == (0.0, 1.0) else "−1 … +1" if (lo, hi) == (-1.0, 1.0) \
            else SECTION_UNITS.get(name, "number")
        out.append({"path": ".".join(path), "value": float(value), "section": section,
                    "label": " ".join(path[2:]) if section.count(".") >= 1 else " ".join(path[1:]),
                    "name": name, "unit": unit, "min": lo, "max": hi})

    def walk(model: BaseModel, path: list[str], section: str) -> None:
        for fname, finfo in type(model).model_fields.items():
            if fname in ("provenance", "metadata", "version"):
                continue
            key = finfo.alias or fname
            visit(getattr(model, fname), finfo.annotation, list(finfo.metadata), path + [key], fname,
                  section, model)

    def visit(value: Any, ann: Any, meta: list[Any], path: list[str], name: str, section: str,
              owner: Any) -> None:
        tp, more = _strip(ann)
        meta = meta + more
        if value is None or isinstance(value, bool):
            return
        if isinstance(value, BaseModel):
            walk(value, path, section)
        elif isinstance(value, dict):
            args = typing.get_args(tp)
            vt = args[1] if len(args) == 2 else Any
            for k, v in value.items():
                sub = section
                if len(path) == 1 or (len(path) == 3 and path[-1] == "factions") or path[-1] in ("actors",):
                    sub = ".".join(path + [str(k)])
                visit(v, vt, [], path + [str(k)], name if isinstance(v, (int, float)) else str(k), sub, owner)
        elif isinstance(value, (list, tuple)) and len(path) == 1:
            args = typing.get_args(tp)
            et = args[0] if args else Any
            for i, item in enumerate(value):
                key = str(getattr(item, "id", None) or i)
                visit(item, et, [], path + [key], name, path[0], item)
        elif isinstance(value, (int, float)) and math.isfinite(float(value)):
            if name == "amount" and hasattr(owner, "instrument"):
                rng: Any = _amount_range(owner)
            else:
                rng = _range_of(meta)
            if rng is not None:
                leaf(path, value, rng, name, section)

    walk(sc, [], "")
    return out


# ---------------------------------------------------------------------------------------- paired
def _paired(a: np.ndarray, b: np.ndarray) -> dict[str, Any]:
    """Mean of ``b - a`` (0/1 indicators per run) with a 95% normal interval of the paired mean."""
    d = b.astype(float) - a.astype(float)
    n = d.size
    mean = float(d.mean())
    half = _Z95 * float(d.std(ddof=1)) / math.sqrt(n) if n > 1 else float("nan")
    r = lambda x: round(x, 6)  # noqa: E731
    return {"diff": r(mean), "ci": [r(mean - half), r(mean + half)] if math.isfinite(half) else None,
            "changed_runs": int(np.count_nonzero(d))}


def paired_differences(base: Any, alt: Any) -> dict[str, Any]:
    """Per client, the change of each final-period probability from ``base`` to ``alt`` (two
    :class:`~alliancelab.engine.forecast.Forecast` objects of the same runs and seed).

    The interval is the 95% interval of the mean of the per-run differences of the outcome indicator
    (common random numbers: run ``r`` of both forecasts shares its random draws, so the paired interval
    is much narrower than the difference of two independent intervals). Labels present in only one
    forecast (a what-if that adds a faction) count as 0 in the other.
    """
    from ..theory.disparity import ALLIANCE_TYPES

    if base.runs != alt.runs or base.seed != alt.seed:
        raise InputError("paired differences need the same runs and seed", field="runs")
    out: dict[str, Any] = {}
    for client in base.clients:
        if client not in alt.clients:
            continue
        ib, ia = base.clients.index(client), alt.clients.index(client)
        block: dict[str, Any] = {}
        for key, lb, la, arr in (
                ("alignment", base.alignment_labels, alt.alignment_labels, "aligned"),
                ("ruling", base.factions[ib], alt.factions[ia], "ruling"),
                ("alliance_type", list(ALLIANCE_TYPES), list(ALLIANCE_TYPES), "atype")):
            xb, xa = getattr(base.result, arr)[-1, :, ib], getattr(alt.result, arr)[-1, :, ia]
            block[key] = {lab: _paired(xb == (lb.index(lab) if lab in lb else -1),
                                       xa == (la.index(lab) if lab in la else -1))
                          for lab in dict.fromkeys([*lb, *la])}
        block["events"] = {kind: _paired(base.result.first[kind][:, ib] >= 0, alt.result.first[kind][:, ia] >= 0)
                           for kind in base.result.first if kind in alt.result.first}
        out[client] = block
    return out


# ---------------------------------------------------------------------------------------- text
def scenario_from_text(text: Any, *, source: str = "<edited scenario>") -> Any:
    """Validate YAML ``text`` as a scenario with the loader's one-line errors (and its limits)."""
    from ..scenario import _load

    if not isinstance(text, str):
        raise InputError("must be the scenario's YAML text", field="yaml")
    size = len(text.encode("utf-8"))
    if size > MAX_TEXT_BYTES:
        raise InputError(f"the scenario text is {size:,} bytes; allowed: at most {MAX_TEXT_BYTES:,} in the "
                         "web explorer (use the CLI for larger files)", field="yaml")
    limits = _web_limits()
    data = _parse_yaml(text, source, limits)
    kwargs = {"limits": limits} if limits is not None else {}
    return _load.parse_scenario(data, source=source, **kwargs)


def _web_limits() -> Any:
    """The web's fixed scenario limits where the installed version has them (issue #14), else None."""
    try:
        from ..limits import WEB_LIMITS  # type: ignore[import-not-found]
    except ImportError:
        return None
    return WEB_LIMITS


def _parse_yaml(text: str, source: str, limits: Any) -> Any:
    """The loader's safe YAML parser (bounded aliases and depth where available)."""
    from .._exceptions import ScenarioError

    try:
        from ..scenario._yaml import load_yaml  # type: ignore[import-not-found]
    except ImportError:
        load_yaml = None
    if load_yaml is not None:
        return load_yaml(text, source=source, limits=limits)
    import yaml

    if "&" in text and "*" in text:
        # without the bounded loader, refuse anchors and aliases (an alias bomb expands exponentially)
        try:
            for ev in yaml.parse(text):
                if isinstance(ev, yaml.AliasEvent):
                    raise ScenarioError("YAML aliases (*name) are not allowed in the web explorer; allowed: "
                                        "plain YAML", source=source)
        except yaml.YAMLError:
            pass
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise ScenarioError(f"malformed YAML at {where}{problem}; allowed: plain YAML", source=source) from None
    except RecursionError:
        raise ScenarioError("the YAML is nested too deeply; allowed: plain YAML", source=source) from None


def line_of_path(text: str, path: str | None) -> int | None:
    """1-based line of the deepest node of ``path`` (dotted, as in error messages) found in ``text``.

    Uses the YAML node tree (no alias expansion); list items match by ``id`` or position. ``None`` when
    the text does not parse or the path is empty.
    """
    import yaml

    if not path:
        return None
    try:
        node = yaml.compose(text)
    except (yaml.YAMLError, RecursionError):
        return None
    line = None
    for key in str(path).split("."):
        if isinstance(node, yaml.MappingNode):
            nxt = None
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and str(k.value) == key:
                    line, nxt = k.start_mark.line + 1, v
                    break
            if nxt is None:
                return line
            node = nxt
        elif isinstance(node, yaml.SequenceNode):
            nxt = None
            for i, item in enumerate(node.value):
                ident = None
                if isinstance(item, yaml.MappingNode):
                    ident = next((str(v.value) for k, v in item.value
                                  if isinstance(k, yaml.ScalarNode) and k.value == "id"
                                  and isinstance(v, yaml.ScalarNode)), None)
                if ident == key or str(i) == key:
                    nxt = item
                    line = item.start_mark.line + 1
                    break
            if nxt is None:
                return line
            node = nxt
        else:
            return line
    return line
