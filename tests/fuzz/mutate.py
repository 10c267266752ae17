"""Mutations of scenario files for fuzzing the CLI (shared by tests/fuzz and benchmarks/fuzz.py).

A mutant is ``(class, yaml_text, overrides)``: the text of a scenario file and ``--set`` overrides
(for the ``bad_options`` class: raw options, entries starting with ``--`` or ``\x00raw:``).
Every mutation starts from a real scenario (the examples and the built-in case files) and is drawn
from a ``random.Random``, so a seed reproduces it. The classes follow issue #14: deleted keys, swapped
types, out-of-range numbers, NaN/inf, unicode, anchors and aliases, deep nesting, huge lists, plus
corrupted text and hostile ``--set`` values.
"""

from __future__ import annotations

import copy
import functools
import math
import pickle
import random
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]

CLASSES = ("delete_key", "swap_type", "out_of_range", "nan_inf", "unicode", "aliases", "deep_nesting",
           "huge_list", "corrupt_text", "hostile_set", "bad_options")

_OPTIONS = ["--runs", "--seed", "--driver-runs", "--disable", "--limit", "--set", "--json", "--bogus"]
_OPTION_VALUES = ["abc", "-1", "0", "nan", "inf", "1e3", "99999999999999999999", "", "😀", "--json", "E10",
                  "Y2", "periods=1", "work=1e3", "yaml_depth=0", "x=1", "3", "20", "10000001"]

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_WEIRD_TEXT = ["", " ", ".", "=", "a.b", "*", "none", "ruling", "non-aligned", "\u202eevil", "😀" * 50,
               "\x00", "x" * 5000, "Ünïcödé", "\t", "中文", "-", "null", "~", "1e999", "NaN", "\ufeff"]
_NUMBERS = [-1, -1e9, 2, 1e300, 10**30, -(10**30), -0.0, 1.5, 0, 1, 0.5, 1e-320, 2**63, 3.0]


def seed_files() -> dict[str, str]:
    """Name -> text of every seed scenario: ``examples/*.yaml`` scenarios and the built-in cases."""
    out: dict[str, str] = {}
    for path in sorted((REPO / "examples").glob("*.yaml")):
        if not path.name.startswith("sweep"):
            out[f"examples/{path.name}"] = path.read_text(encoding="utf-8")
    root = resources.files("alliancelab.cases").joinpath("data")
    for res in sorted(root.iterdir(), key=lambda r: r.name):
        if res.name.endswith(".yaml"):
            out[f"cases/{res.name}"] = res.read_text(encoding="utf-8")
    return out


def _nodes(data: Any) -> list[tuple[Any, Any, Any]]:
    """Every ``(parent, key, value)`` in ``data`` (iterative walk)."""
    out: list[tuple[Any, Any, Any]] = []
    stack = [data]
    while stack:
        node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for k, v in list(items):
            out.append((node, k, v))
            if isinstance(v, (dict, list)):
                stack.append(v)
    return out


def _paths(data: Any, prefix: str = "") -> list[str]:
    """Dotted paths of the leaves (the ``--set`` syntax), lists by index."""
    out: list[str] = []
    stack: list[tuple[str, Any]] = [(prefix, data)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            for k, v in node.items():
                stack.append((f"{path}.{k}" if path else str(k), v))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                stack.append((f"{path}.{i}" if path else str(i), v))
        else:
            out.append(path)
    return out


def _other_type(rng: random.Random, value: Any) -> Any:
    choices = [None, True, 0, -3, 2.5, "text", [], {}, [1, "a"], {"k": 1}, "1948-13-45", "1e5"]
    choices = [c for c in choices if type(c) is not type(value)]
    return copy.deepcopy(rng.choice(choices))


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def _value_lines(text: str) -> list[int]:
    return [i for i, line in enumerate(text.splitlines()) if ": " in line and not line.rstrip().endswith(":")]


def _replace_value(text: str, rng: random.Random, new: str) -> str:
    lines = text.splitlines()
    idx = _value_lines(text)
    if not idx:
        return text + "\nextra: " + new + "\n"
    i = rng.choice(idx)
    head = lines[i].split(": ", 1)[0]
    lines[i] = f"{head}: {new}"
    return "\n".join(lines) + "\n"


def _alias_text(rng: random.Random) -> str:
    kind = rng.randrange(5)
    if kind == 0:  # a bomb: n levels of m aliases each
        n, m = rng.randint(3, 12), rng.randint(2, 10)
        parts = ["&a0 [" + ",".join(["1"] * m) + "]"]
        for lvl in range(1, n):
            parts.append(f"&a{lvl} [" + ",".join([f"*a{lvl - 1}"] * m) + "]")
        return "[" + ", ".join(parts) + "]"
    if kind == 1:
        return rng.choice(["&a [*a]", "&a {x: *a}", "&a [1, [2, *a]]", "&b {<<: *b}"])
    if kind == 2:
        return rng.choice(["*nope", "[*nope, 1]", "{<<: *missing}"])
    if kind == 3:
        return "{<<: &m {a: 1}, b: *m}"
    return "&x 0.5"


@functools.lru_cache(maxsize=64)
def _parsed(text: str) -> bytes:
    return pickle.dumps(yaml.load(text, Loader=_Loader))


def mutate(rng: random.Random, text: str, cls: str, *, unicode_text: str | None = None) -> tuple[str, list[str]]:
    """One mutant of the scenario ``text`` of class ``cls``: ``(yaml_text, overrides)``."""
    data = pickle.loads(_parsed(text))  # a fresh copy of the parsed seed
    nodes = _nodes(data)
    overrides: list[str] = []
    if cls == "delete_key":
        dicts = [(p, k) for p, k, _ in nodes if isinstance(p, dict)] + [(data, k) for k in list(data)]
        for _ in range(rng.randint(1, 3)):
            p, k = rng.choice(dicts)
            p.pop(k, None)
        return _dump(data), overrides
    if cls == "swap_type":
        for _ in range(rng.randint(1, 3)):
            p, k, v = rng.choice(nodes)
            p[k] = _other_type(rng, v)
        return _dump(data), overrides
    if cls in ("out_of_range", "nan_inf"):
        nums = [(p, k) for p, k, v in nodes if isinstance(v, (int, float)) and not isinstance(v, bool)]
        pool = _NUMBERS if cls == "out_of_range" else [math.nan, math.inf, -math.inf]
        for _ in range(rng.randint(1, 4)):
            if nums:
                p, k = rng.choice(nums)
                p[k] = rng.choice(pool)
        return _dump(data), overrides
    if cls == "unicode":
        s = unicode_text if unicode_text is not None else rng.choice(_WEIRD_TEXT)
        strs = [(p, k) for p, k, v in nodes if isinstance(v, str)]
        if rng.random() < 0.5 and strs:
            p, k = rng.choice(strs)
            p[k] = s
        else:  # rename a key (a patron, a faction, a field)
            dicts = [(p, k) for p, k, v in nodes if isinstance(v, dict) and v]
            if dicts:
                p, k = rng.choice(dicts)
                d = p[k]
                old = rng.choice(list(d))
                d[s] = d.pop(old)
        try:
            return _dump(data), overrides
        except yaml.YAMLError:  # e.g. a NUL byte cannot be dumped: write it raw
            return text.replace("title:", f"title: {s!r} #", 1), overrides
    if cls == "aliases":
        if rng.random() < 0.5:  # shared subtrees: the dumper writes anchors and aliases
            subs = [v for _, _, v in nodes if isinstance(v, (dict, list))]
            for _ in range(rng.randint(1, 4)):
                p, k, _ = rng.choice(nodes)
                p[k] = rng.choice(subs)
            try:
                return _dump(data), overrides
            except (yaml.YAMLError, RecursionError):
                return text, overrides
        return _replace_value(text, rng, _alias_text(rng)), overrides
    if cls == "deep_nesting":
        depth = rng.choice([10, 31, 33, 60, 500, 3000])
        if rng.random() < 0.5:
            new = "[" * depth + "1" + "]" * depth
        else:
            new = "{a: " * depth + "1" + "}" * depth
        return _replace_value(text, rng, new), overrides
    if cls == "huge_list":
        if rng.random() < 0.1:  # written as text: dumping it would dominate the fuzzer's time
            key = rng.choice(["periods", "support", "metadata", "extra"])
            return text + f"\n{key}: [" + "0," * 300_000 + "0]\n", overrides
        n = rng.choice([100, 1_000, 5_001, 20_000])
        targets = [(p, k) for p, k, v in nodes if isinstance(v, (list, dict))] + \
                  [(data, k) for k in ("periods", "support", "threats", "clients", "patrons")]
        p, k = rng.choice(targets)
        old = p.get(k) if isinstance(p, dict) else p[k]
        if isinstance(old, dict) and old:
            first = next(iter(old.values()))
            p[k] = {f"k{i}": first for i in range(n)}
        elif isinstance(old, list) and old:
            p[k] = [old[i % len(old)] for i in range(n)]
        else:
            p[k] = list(range(n))
        return _dump(data), overrides
    if cls == "corrupt_text":
        kind = rng.randrange(5)
        if kind == 0:
            return text[: rng.randrange(len(text))], overrides
        if kind == 1:
            i = rng.randrange(len(text))
            return text[:i] + rng.choice(["\t", "{", "]", ":", "- ", "!!python/object:os.system ", "%", "\x07",
                                          "!!binary ", "? ", "|", "'", '"']) + text[i:], overrides
        if kind == 2:
            lines = text.splitlines()
            i = rng.randrange(len(lines))
            return "\n".join(lines[: i + 1] + lines[i:]) + "\n", overrides  # duplicate key
        if kind == 3:
            return text + "\n---\n" + text, overrides
        return "\n".join(line.lstrip() if rng.random() < 0.05 else line for line in text.splitlines()), overrides
    if cls == "hostile_set":
        paths = _paths(data)
        for _ in range(rng.randint(1, 3)):
            path = rng.choice(paths + ["", ".", "a..b", "patrons.*.x", "periods.999", "x" * 300])
            value = rng.choice([_alias_text(rng), "[" * 100 + "]" * 100, ".nan", ".inf", "-1e999", "null",
                                "{a: 1}", "[1, 2]", "'", "!!python/object:os.system 1", "😀", "9" * 400,
                                "2" * 20, "true", str(rng.choice(_NUMBERS))])
            overrides.append(f"{path}={value}" if rng.random() < 0.95 else path)
        return text, overrides
    if cls == "bad_options":  # raw options (an entry starting with "--"), see runner.command_for
        for _ in range(rng.randint(1, 3)):
            opt = rng.choice(_OPTIONS)
            overrides.append(opt)
            if opt not in ("--json", "--bogus") or rng.random() < 0.3:
                overrides.append("\x00raw:" + rng.choice(_OPTION_VALUES))
        return text, overrides
    raise ValueError(f"unknown mutation class {cls!r}")
