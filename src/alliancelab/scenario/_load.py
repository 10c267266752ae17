"""Safe loading of scenario YAML: ``yaml.safe_load`` only, one-line errors naming file and field."""

from __future__ import annotations

import typing
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .._exceptions import ScenarioError
from ..limits import Limits, current
from ._limits import check_scenario_size
from ._schema import Scenario
from ._yaml import load_yaml

__all__ = ["builtin_case_ids", "load_scenario", "parse_scenario", "validation_error_line"]

_FACT_KEYS = {"value", "source", "judgement", "note", "low", "high"}


def builtin_case_ids() -> list[str]:
    """Ids of the built-in scenarios shipped in ``alliancelab/cases/data/*.yaml``."""
    try:
        root = resources.files("alliancelab.cases").joinpath("data")
        return sorted(p.name[:-5] for p in root.iterdir() if p.name.endswith(".yaml"))
    except (FileNotFoundError, ModuleNotFoundError, NotADirectoryError):
        return []


def _read(path_or_id: str | Path, limits: Limits) -> tuple[str, str]:
    """Return ``(text, label)`` of a scenario path, or of a built-in case id."""
    path = Path(path_or_id)
    try:
        is_file = path.is_file()
    except (OSError, ValueError) as err:  # a name too long, a NUL byte
        raise ScenarioError(f"not a usable path ({type(err).__name__}); allowed: a YAML file path or a "
                            "built-in case id", source=str(path_or_id)[:200]) from None
    if is_file:
        try:
            size = path.stat().st_size
            if size > limits.file_bytes:
                from ..limits import over_limit

                raise over_limit("file_bytes", size, limits, source=str(path_or_id),
                                 what="the size of the file in bytes")
            with open(path, "rb") as fh:  # read at most one byte more than allowed
                raw = fh.read(limits.file_bytes + 1)
            return raw.decode("utf-8"), str(path_or_id)
        except (OSError, UnicodeDecodeError) as err:
            reason = f"not UTF-8 text ({err.reason} at byte {err.start})" \
                if isinstance(err, UnicodeDecodeError) else (err.strerror or type(err).__name__)
            raise ScenarioError(f"cannot read the file: {reason}; allowed: a UTF-8 YAML file",
                                source=str(path_or_id)) from None
    name = str(path_or_id)
    if "/" not in name and "\\" not in name:
        case = name[:-5] if name.endswith(".yaml") else name
        try:
            res = resources.files("alliancelab.cases").joinpath("data", f"{case}.yaml")
            if res.is_file():
                return res.read_text(encoding="utf-8"), f"{case} (built-in case)"
        except (FileNotFoundError, ModuleNotFoundError, NotADirectoryError):
            pass
    ids = builtin_case_ids()
    allowed = f"; allowed: a YAML file path or a built-in case id ({', '.join(ids) or 'none yet'})"
    shown = name if len(name) <= 200 else name[:197] + "..."
    if path.is_dir():
        raise ScenarioError("is a directory, not a scenario file" + allowed, source=shown)
    raise ScenarioError("no such file or built-in case" + allowed, source=shown)


def _extract_facts(node: Any, path: list[str], facts: dict[str, dict[str, Any]]) -> Any:
    """Replace ``{value: x, source: ..., judgement: ...}`` forms by ``x``, recording provenance."""
    if isinstance(node, dict):
        keys = set(node)
        if "value" in keys and keys <= _FACT_KEYS and not isinstance(node["value"], (dict, list)):
            facts[".".join(path)] = {k: node[k] for k in ("source", "judgement", "note", "low", "high")
                                     if k in node}
            return node["value"]
        return {k: _extract_facts(v, path + [str(k)], facts) for k, v in node.items()}
    if isinstance(node, list):
        return [_extract_facts(v, path + [str(i)], facts) for i, v in enumerate(node)]
    return node


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, __import__("types").UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp


def _model_at(loc: list[Any]) -> type[BaseModel] | None:
    """The model class at a location of the scenario (to list its allowed fields)."""
    tp: Any = Scenario
    for seg in loc:
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = next((f for n, f in tp.model_fields.items() if seg in (n, f.alias)), None)
            if field is None:
                return None
            tp = field.annotation
        else:
            origin = typing.get_origin(tp)
            if origin is dict:
                tp = typing.get_args(tp)[1]
            elif origin in (list, tuple):
                tp = typing.get_args(tp)[0]
            else:
                return None
    tp = _unwrap(tp)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _field_names(model: type[BaseModel]) -> str:
    return ", ".join(f.alias or n for n, f in model.model_fields.items())


def validation_error_line(err: ValidationError) -> tuple[str, str]:
    """Return ``(dotted_path, message)`` of the first error of a pydantic ``ValidationError``."""
    e = err.errors(include_url=False)[0]
    ctx = e.get("ctx") or {}
    loc = [x for x in e["loc"] if x != "[key]"]
    if "path" in ctx:
        loc = loc + str(ctx["path"]).split(".")
    path = ".".join(str(x) for x in loc) or "(top level)"
    kind = e["type"]
    if kind == "alliancelab":
        return path, str(e["msg"])
    value = e.get("input")
    got = f"; got {value!r}" if not isinstance(value, (dict, list)) and kind != "missing" else ""
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1])
        allowed = _field_names(model) if model else "see docs/scenarios.md"
        return path, f"unknown field; allowed: {allowed}"
    if kind == "missing":
        model = _model_at(loc[:-1])
        allowed = ("required fields of this section: " + ", ".join(
            f.alias or n for n, f in model.model_fields.items() if f.is_required())) if model else "see docs"
        return path, f"required field is missing; allowed: {allowed}"
    if kind == "literal_error":
        return path, f"not an allowed value{got}; allowed: {ctx.get('expected')}"
    if kind.startswith("float") or kind.startswith("int"):
        return path, f"not a number{got}; allowed: a number"
    if kind.startswith("bool"):
        return path, f"not true/false{got}; allowed: true or false"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return path, f"expected a mapping (key: value){got}; allowed: a YAML mapping"
    if kind in ("list_type", "tuple_type"):
        return path, f"expected a list{got}; allowed: a YAML list"
    if kind == "string_type":
        return path, f"expected text{got}; allowed: a string"
    if kind == "too_short":
        return path, f"too few items; allowed: at least {ctx.get('min_length')}"
    if kind == "too_long":
        return path, f"too many items; allowed: at most {ctx.get('max_length')}"
    return path, f"{e['msg']}{got}; allowed: see docs/scenarios.md"


def parse_scenario(data: Any, *, source: str = "<scenario>", limits: Limits | None = None) -> Scenario:
    """Validate an already-parsed mapping as a :class:`Scenario`; errors are one-line ScenarioErrors.

    The size limits (:mod:`alliancelab.limits`) are checked first, before any validation work.
    """
    if not isinstance(data, dict):
        kind = "empty" if data is None else type(data).__name__
        raise ScenarioError(f"the document is {kind}; allowed: a YAML mapping with metadata, periods, "
                            "patrons, clients, ...", source=source)
    check_scenario_size(data, limits or current(), source=source)
    facts: dict[str, dict[str, Any]] = {}
    clean = _extract_facts(data, [], facts)
    if facts:
        clean = dict(clean)
        given = dict(clean.get("provenance") or {})
        clean["provenance"] = {**facts, **given} if isinstance(given, dict) else given
    try:
        scenario = Scenario.model_validate(clean)
    except ValidationError as err:
        path, message = validation_error_line(err)
        raise ScenarioError(message, source=source, field=path) from None
    scenario._origin = source
    return scenario


def load_scenario(path_or_id: str | Path, *, overrides: list[str] | None = None,
                  limits: Limits | None = None) -> Scenario:
    """Load and validate a scenario YAML file (or a built-in case id), optionally with overrides.

    Parameters
    ----------
    path_or_id
        A path to a ``.yaml`` file; if no such file exists, the id of a built-in case in
        ``alliancelab/cases/data/<id>.yaml``.
    overrides
        ``["dotted.path=value", ...]`` applied after loading (see :func:`apply_overrides`).
    limits
        Size limits (default: :func:`alliancelab.limits.current`; the web passes its fixed ones).

    Raises
    ------
    ScenarioError
        One line ``<file>: field '<path>': <what is wrong>; allowed: <...>``.
    """
    limits = limits or current()
    text, label = _read(path_or_id, limits)
    data = load_yaml(text, source=label, limits=limits)
    scenario = parse_scenario(data, source=label, limits=limits)
    if overrides:
        from ._overrides import apply_overrides

        scenario = apply_overrides(scenario, overrides, limits=limits)
    return scenario
