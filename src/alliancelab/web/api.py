"""The web explorer's JSON API as pure functions (the HTTP handler in :mod:`.server` only routes).

Every function takes plain JSON-like input, validates it once and returns a JSON-able ``dict``. Bad
input raises :class:`~alliancelab.InputError` with a one-line message naming the field and what is
allowed; the server turns it into ``400 {"error": "..."}``.

* :func:`list_scenarios` — the built-in cases and the scenario files of an examples folder.
* :func:`get_scenario` — one scenario's facts (patrons, factions, support by period, threats, ...).
* :func:`run_forecast` — a forecast with what-if overrides, plus its per-period summary.
* :func:`run_backtest` — every built-in case against its paper's outcome.
* :func:`run_whatif` — a baseline and a changed scenario with the same seed, and the paired differences.
* :func:`check_scenario_text` — validate a scenario edited in the page (YAML text); its facts and fields.
* :func:`run_advise` — the ``advise`` strategies table for one patron.
* :func:`world_camps` — ``world --year Y`` from the server's data folder, with each state's inputs.
* :func:`world_camps_score` — ``world camps --year Y``: the model's camps against the reference
  partition of a year that has one (1914, 1950), state by state.
* :func:`validation` — ``backtest --cv loo --no-refit``: leave-one-case-out validation of the posterior.
* :func:`glossary` — every term and mechanism code the page shows.

A request names a scenario by ``id`` (a listed case or example) or carries its YAML text as ``yaml``
(a scenario edited in the page); the text is validated with the web's size limits.
"""

from __future__ import annotations

import functools
import json
import math
import threading
from numbers import Integral
from pathlib import Path
from typing import Any

from .._exceptions import InputError

__all__ = [
    "DEFAULT_RUNS", "MAX_OVERRIDES", "MAX_RUNS", "check_runs", "check_seed", "default_examples_dir",
    "check_scenario_text", "get_scenario", "glossary", "list_scenarios", "normalize_forecast_request",
    "resolve_scenario", "run_advise", "run_backtest", "run_forecast", "run_whatif", "validation", "world_camps",
    "world_camps_score",
]

#: Largest Monte Carlo ensemble one request may ask for (keeps a local server responsive).
MAX_RUNS = 50_000
#: Runs used when a request does not say.
DEFAULT_RUNS = 2_000
#: Most ``--set`` overrides one request may carry, and the longest one.
MAX_OVERRIDES = 50
_MAX_OVERRIDE_LEN = 500
_MAX_SEED = 2**63 - 1
#: Runs per mechanism when measuring drivers (capped by ``runs``). Half the CLI's default (2,000):
#: the drivers rerun the forecast once per mechanism that can change the scenario (about 34 of 37 for
#: the built-in cases), so at 2,000 runs each they were most of a web request's work and the largest
#: case (pakistan-1954) no longer fitted the web budget with its margin. With common random numbers a
#: mechanism's effect at 1,000 runs is still ranked reliably; the CLI's ``--driver-runs`` sets more.
_DRIVER_RUNS = 1_000
_FORECAST_FIELDS = ("id", "yaml", "runs", "seed", "overrides", "drivers", "uncertainty")
#: The web's posterior mode (``"uncertainty": true``): the same cells as ``alliancelab forecast``'s
#: default (8 posterior draws x 3 input perturbations, at least 50 runs per cell), so a web forecast
#: equals the CLI's for the same runs and seed; the runs are split over the cells (same work budget,
#: plus one period overhead per cell, :func:`alliancelab.limits.work_size`).
WEB_DRAWS, WEB_INPUT_DRAWS = 8, 3
_EXAMPLE_PREFIX = "examples/"


# ---------------------------------------------------------------------------------------- inputs
def _int_field(value: Any, name: str, low: int, high: int, default: int) -> int:
    """An integer in ``[low, high]`` from JSON (``"2000"`` from a query string is accepted)."""
    if value is None or value == "":
        return default
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            raise InputError(f"must be a whole number in [{low:,}, {high:,}]; got {value!r}",
                             field=name) from None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, Integral) or not low <= value <= high:
        raise InputError(f"must be a whole number in [{low:,}, {high:,}]; got {value!r}", field=name)
    return int(value)


def check_runs(value: Any) -> int:
    """Validate ``runs``: a whole number in ``[1, MAX_RUNS]`` (default :data:`DEFAULT_RUNS`)."""
    return _int_field(value, "runs", 1, MAX_RUNS, DEFAULT_RUNS)


def check_seed(value: Any) -> int:
    """Validate ``seed``: a whole number >= 0 (default 1, so identical requests give identical output)."""
    return _int_field(value, "seed", 0, _MAX_SEED, 1)


def _check_overrides(value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(o, str) for o in value):
        raise InputError(f"must be a list of 'dotted.path=value' strings; got {value!r}"[:300],
                         field="overrides")
    out = [o.strip() for o in value if o.strip()]
    if len(out) > MAX_OVERRIDES:
        raise InputError(f"at most {MAX_OVERRIDES} overrides; got {len(out)}", field="overrides")
    for o in out:
        if len(o) > _MAX_OVERRIDE_LEN or "\n" in o:
            raise InputError(f"an override must be one line of at most {_MAX_OVERRIDE_LEN} characters; "
                             f"got {o[:60]!r}...", field="overrides")
    return out


# ---------------------------------------------------------------------------------------- scenarios
def default_examples_dir() -> Path | None:
    """``./examples`` if it exists, else the ``examples/`` folder of a source checkout, else ``None``."""
    here = Path.cwd() / "examples"
    if here.is_dir():
        return here
    checkout = Path(__file__).resolve().parents[3] / "examples"
    return checkout if checkout.is_dir() else None


def _example_files(examples_dir: str | Path | None) -> dict[str, Path]:
    """``{"examples/<file>.yaml": path}`` of the files in ``examples_dir`` that are scenarios."""
    if examples_dir is None:
        return {}
    root = Path(examples_dir)
    if not root.is_dir():
        return {}
    stamps = []
    for path in sorted(root.glob("*.y*ml")):
        try:
            stamps.append((path, path.stat().st_mtime_ns))
        except OSError:
            continue
    return dict(_scenario_files(tuple(stamps)))


@functools.lru_cache(maxsize=8)
def _scenario_files(stamps: tuple[tuple[Path, int], ...]) -> tuple[tuple[str, Path], ...]:
    """The files (with their modification times, so edits are seen) that load as scenarios."""
    from ..scenario import load_scenario

    out = []
    for path, _ in stamps:
        try:
            load_scenario(path)
        except (InputError, OSError):
            continue  # sweep configs and broken files are not scenarios to explore
        out.append((_EXAMPLE_PREFIX + path.name, path))
    return tuple(out)


def resolve_scenario(scenario_id: Any, examples_dir: str | Path | None = None) -> str | Path:
    """The built-in case id or the example file a scenario ``id`` names; only listed ids are allowed."""
    from ..scenario import builtin_case_ids

    cases = builtin_case_ids()
    examples = _example_files(examples_dir) if str(scenario_id).startswith(_EXAMPLE_PREFIX) else {}
    if isinstance(scenario_id, str) and scenario_id in cases:
        return scenario_id
    if isinstance(scenario_id, str) and scenario_id in examples:
        return examples[scenario_id]
    allowed = ", ".join(cases + sorted(_example_files(examples_dir)))
    raise InputError(f"unknown scenario {scenario_id!r}; allowed: {allowed}"[:400], field="id")


_CASE_ITEMS_LOCK = threading.Lock()


def _case_items() -> str:
    """The built-in cases' listing entries, as JSON: the cases are package data, fixed for the life of the
    process, and validating 30 case files takes about a second, which ``/api/scenarios`` must not pay
    for every page load (40 simultaneous clients queued behind each other on the interpreter lock). The
    first caller computes them; simultaneous callers wait for it instead of each computing them too."""
    with _CASE_ITEMS_LOCK:
        return _case_items_computed()


@functools.lru_cache(maxsize=1)
def _case_items_computed() -> str:
    from ..cases import list_cases
    from ..scenario import load_scenario

    return json.dumps([{"id": c.id, "kind": "case", "title": c.title, "paper": c.paper,
                        "periods": [c.first_period, c.last_period], "clients": list(c.clients),
                        "patrons": list(c.patrons), "expected": c.expected,
                        "description": load_scenario(c.id).metadata.description.strip()}
                       for c in list_cases()])


def list_scenarios(examples_dir: str | Path | None = None) -> dict[str, Any]:
    """The built-in cases (``kind: "case"``) and example scenarios (``kind: "example"``) with titles.

    The cases' entries are computed once per process (:func:`_case_items`); the example files are read
    on every call, so an edited example shows at once."""
    from ..scenario import load_scenario

    items: list[dict[str, Any]] = json.loads(_case_items())
    for sid, path in _example_files(examples_dir).items():
        sc = load_scenario(path)
        items.append({"id": sid, "kind": "example", "title": sc.metadata.title, "paper": "",
                      "periods": [sc.periods[0], sc.periods[-1]], "clients": list(sc.clients),
                      "patrons": list(sc.patrons), "expected": "",
                      "description": sc.metadata.description.strip()})
    return {"scenarios": items, "max_runs": MAX_RUNS, "default_runs": DEFAULT_RUNS}


def _span(sc: Any, start: str, end: str) -> list[int]:
    """Indices of the periods an item dated ``start``..``end`` is active in."""
    lo, hi = max(sc.period_index(start), 0), sc.period_index(end)
    return list(range(lo, hi + 1)) if hi >= 0 else []


def _editable_paths(sc: Any) -> list[dict[str, Any]]:
    """Numeric facts worth a what-if, each ``{path, value, label}`` (the ``--set`` syntax)."""
    out: list[dict[str, Any]] = []

    def add(path: str, value: Any, label: str) -> None:
        out.append({"path": path, "value": value, "label": label})

    for name, p in sc.patrons.items():
        add(f"patrons.{name}.budget", p.budget, f"{name}: budget per period")
        add(f"patrons.{name}.tolerance", p.tolerance, f"{name}: tolerance of an independent course")
        for key, v in p.interest.items():
            add(f"patrons.{name}.interest.{key}", v, f"{name}: interest in {'every client' if key == '*' else key}")
    for cname, c in sc.clients.items():
        add(f"clients.{cname}.aid_need", c.aid_need, f"{cname}: aid need per period")
        for fname, f in c.factions.items():
            base = f"clients.{cname}.factions.{fname}"
            add(f"{base}.baseline_support", f.baseline_support, f"{cname}/{fname}: baseline support")
            add(f"{base}.coercion", f.coercion, f"{cname}/{fname}: coercion")
            for pat in sc.patrons:
                add(f"{base}.affinity.{pat}", f.affinity.get(pat, 0.0), f"{cname}/{fname}: affinity to {pat}")
    for i, s in enumerate(sc.support):
        key = s.id or str(i)
        add(f"support.{key}.amount", s.amount, f"{s.patron} → {s.faction}: {s.instrument} ({s.from_})")
    for i, t in enumerate(sc.threats):
        key = t.id or str(i)
        for fld in ("severity", "imminence", "clarity"):
            add(f"threats.{key}.{fld}", getattr(t, fld), f"threat by {t.actor} ({t.from_}): {fld}")
    return out


def get_scenario(scenario_id: Any, examples_dir: str | Path | None = None) -> dict[str, Any]:
    """One scenario as JSON: the validated file (``scenario``) and tables for display.

    ``support`` lists every item with the periods it is active in; ``support_by_period`` sums the
    money-like amounts by patron → faction → period; ``editable`` lists paths for what-if overrides.
    """
    from ..limits import WEB_LIMITS
    from ..scenario import load_scenario

    where = resolve_scenario(scenario_id, examples_dir)
    sc = load_scenario(where, limits=WEB_LIMITS)
    out = scenario_facts(sc, scenario_id)
    out["yaml"] = _source_text(where)
    return out


def _source_text(where: str | Path) -> str:
    """The YAML text of a built-in case id or an example file (for the page's editor)."""
    from importlib import resources

    if isinstance(where, Path):
        return where.read_text(encoding="utf-8")
    return resources.files("alliancelab.cases").joinpath("data", f"{where}.yaml").read_text(encoding="utf-8")


def scenario_facts(sc: Any, scenario_id: Any) -> dict[str, Any]:
    """The display tables of a validated scenario (see :func:`get_scenario`)."""
    from ..theory.instruments import INSTRUMENTS, SIGNED_INSTRUMENTS
    from .lab import numeric_fields

    periods = list(sc.periods)
    support = []
    by_period: dict[str, dict[str, dict[str, float]]] = {}
    for i, s in enumerate(sc.support):
        active = _span(sc, s.from_, s.to or s.from_)
        client = s.client or sc.primary
        support.append({"id": s.id or str(i), "patron": s.patron, "client": client, "faction": s.faction,
                        "instrument": s.instrument, "amount": s.amount, "from": s.from_,
                        "to": s.to or s.from_, "condition": s.condition, "visibility": s.visibility,
                        "breadth": s.breadth, "periods": [periods[t] for t in active],
                        "source": s.source})
        money = s.instrument in INSTRUMENTS and s.instrument not in SIGNED_INSTRUMENTS \
            and s.instrument != "armed_action_commitment"   # negative instruments are not support
        if money:
            row = by_period.setdefault(s.patron, {}).setdefault(f"{client}/{s.faction}", {})
            for t in active:
                row[periods[t]] = round(row.get(periods[t], 0.0) + s.amount, 6)
    threats = [{"id": t.id or str(i), "actor": t.actor, "targets": list(t.targets), "from": t.from_,
                "to": t.to, "severity": t.severity, "imminence": t.imminence, "clarity": t.clarity}
               for i, t in enumerate(sc.threats)]
    events = [{"date": e.date, "kind": e.kind, "description": e.description, "set": e.set}
              for e in sc.events]
    return {
        "id": scenario_id,
        "scenario": sc.model_dump(mode="json", by_alias=True, exclude={"provenance"}),
        "periods": periods,
        "primary_client": sc.primary,
        "support": support,
        "support_by_period": by_period,
        "threats": threats,
        "events": events,
        "editable": _editable_paths(sc),
        "fields": numeric_fields(sc),
        "actors": sorted(sc.actors),
    }


# ---------------------------------------------------------------------------------------- forecast
def _clean(x: Any) -> Any:
    """NaN → ``None`` so the output is strict JSON."""
    return None if isinstance(x, float) and math.isnan(x) else x


def normalize_forecast_request(request: Any) -> dict[str, Any]:
    """Validate a forecast request; return ``{id, runs, seed, overrides, drivers}`` with defaults."""
    if not isinstance(request, dict):
        raise InputError(f"the request body must be a JSON object with fields {', '.join(_FORECAST_FIELDS)}")
    unknown = sorted(set(request) - set(_FORECAST_FIELDS))
    if unknown:
        raise InputError(f"unknown field; allowed: {', '.join(_FORECAST_FIELDS)}", field=str(unknown[0]))
    if "id" not in request and "yaml" not in request:
        raise InputError("missing; allowed: a scenario id from /api/scenarios (or 'yaml': the scenario's "
                         "text)", field="id")
    if "id" in request and "yaml" in request:
        raise InputError("give 'id' or 'yaml', not both", field="yaml")
    drivers = request.get("drivers", True)
    if not isinstance(drivers, bool):
        raise InputError(f"must be true or false; got {drivers!r}", field="drivers")
    uncertainty = request.get("uncertainty", False)
    if not isinstance(uncertainty, bool):
        raise InputError(f"must be true or false; got {uncertainty!r}"[:200], field="uncertainty")
    out = {"runs": check_runs(request.get("runs")), "seed": check_seed(request.get("seed")),
           "overrides": _check_overrides(request.get("overrides")), "drivers": drivers}
    if uncertainty:  # only when asked, so the canonical request (and the cache key) stays as before
        out["uncertainty"] = True
    if "yaml" in request:
        if not isinstance(request["yaml"], str):
            raise InputError("must be the scenario's YAML text", field="yaml")
        out["yaml"] = request["yaml"]
    else:
        out["id"] = request["id"]
    return out


def _load_request_scenario(req: dict[str, Any], examples_dir: str | Path | None,
                           overrides: list[str] | None = None) -> Any:
    """The scenario a normalized request names (``id``) or carries (``yaml``), with ``overrides``."""
    from ..limits import WEB_LIMITS
    from ..scenario import load_scenario

    if "yaml" in req:
        from .lab import scenario_from_text

        sc = scenario_from_text(req["yaml"])
        if overrides:
            from ..scenario import apply_overrides

            sc = apply_overrides(sc, overrides, limits=WEB_LIMITS)
        return sc
    return load_scenario(resolve_scenario(req["id"], examples_dir), overrides=overrides or None,
                         limits=WEB_LIMITS)


def run_forecast(request: Any, examples_dir: str | Path | None = None) -> dict[str, Any]:
    """Forecast a scenario for the explorer: ``Forecast.to_dict()`` plus ``period_summary`` and ``request``.

    Parameters
    ----------
    request
        ``{"id": ..., "runs": 2000, "seed": 1, "overrides": ["path=value", ...], "drivers": true}``;
        ``runs`` in ``[1, MAX_RUNS]``, ``seed`` >= 0, overrides in the ``--set`` syntax.
    examples_dir
        Folder of example scenarios whose ``examples/<file>`` ids are allowed.

    Examples
    --------
    >>> out = run_forecast({"id": "italy-1948", "runs": 200, "seed": 1, "drivers": False})
    >>> sorted(out["alignment"])
    ['USA', 'USSR', 'non-aligned']
    """
    from ..engine.forecast import forecast
    from ..limits import WEB_LIMITS, check_work

    req = normalize_forecast_request(request)
    sc = _load_request_scenario(req, examples_dir, req["overrides"])
    driver_runs = min(req["runs"], _DRIVER_RUNS)
    check_work(sc, req["runs"], drivers=req["drivers"], driver_runs=driver_runs, limits=WEB_LIMITS,
               splits=WEB_DRAWS * WEB_INPUT_DRAWS if req.get("uncertainty") else 1)
    unc = None
    if req.get("uncertainty"):
        # integrated over the shipped posterior and the judgement inputs (alliancelab forecast's default):
        # the same runs, split over the cells, so the same work
        from ..calibration.uncertainty import posterior_forecast

        fc, unc = posterior_forecast(sc, runs=req["runs"], seed=req["seed"], drivers=req["drivers"],
                                     driver_runs=driver_runs, draws=WEB_DRAWS, input_draws=WEB_INPUT_DRAWS)
    else:
        from ..calibration.params import calibrated_params

        fc = forecast(sc, runs=req["runs"], seed=req["seed"], drivers=req["drivers"],
                      driver_runs=driver_runs, params=calibrated_params())
    out = fc.to_dict()
    if unc is not None:
        out["uncertainty"] = unc
    rows = fc.period_summary().to_dict(orient="records")
    out["period_summary"] = [{k: _clean(v) for k, v in row.items()} for row in rows]
    out["request"] = req
    return out


# ---------------------------------------------------------------------------------------- backtest
def run_backtest(runs: Any = None, seed: Any = None) -> dict[str, Any]:
    """Every built-in case with one parameter set against its paper's outcome (pass/fail per case).

    Examples
    --------
    >>> out = run_backtest(runs=100, seed=1)  # doctest: +SKIP
    >>> out["total"]  # doctest: +SKIP
    5
    """
    from ..cases import backtest
    from ..cases.backtest import PASS_PROBABILITY, TIMING_TOLERANCE

    from ..calibration.params import calibrated_params

    n, s = check_runs(runs), check_seed(seed)
    results = [r.to_dict() for r in backtest(runs=n, seed=s, params=calibrated_params())]
    return {"runs": n, "seed": s, "cases": results, "passed": sum(r["passed"] for r in results),
            "total": len(results), "pass_probability": PASS_PROBABILITY,
            "timing_tolerance_years": TIMING_TOLERANCE}


# ---------------------------------------------------------------------------------------- what-if
def run_whatif(request: Any, examples_dir: str | Path | None = None) -> dict[str, Any]:
    """A baseline and a changed scenario with the same runs and seed, and their paired differences.

    ``request`` is a forecast request whose ``overrides`` are the change (``drivers`` is ignored: no
    driver runs). Returns ``{"base": forecast, "alt": forecast, "difference": {client: {alignment|ruling|
    alliance_type|events: {label: {diff, ci, changed_runs}}}}, "request"}``: ``diff`` is the change of
    the final-period probability and ``ci`` its 95% interval from the per-run paired differences
    (common random numbers), computed here so the page shows exactly what the model gives.

    Examples
    --------
    >>> out = run_whatif({"id": "italy-1948", "runs": 200, "overrides": ["patrons.USA.budget=0"]})
    >>> sorted(out["difference"]["Italy"])
    ['alignment', 'alliance_type', 'events', 'ruling']
    """
    from ..engine.forecast import forecast
    from ..limits import WEB_LIMITS, check_work
    from .lab import paired_differences

    req = normalize_forecast_request(request)
    req["drivers"] = False
    if not req["overrides"]:
        raise InputError("a what-if needs at least one change 'path=value'", field="overrides")
    base_sc = _load_request_scenario(req, examples_dir)
    alt_sc = _load_request_scenario(req, examples_dir, req["overrides"])
    posterior = bool(req.get("uncertainty"))
    for sc in (base_sc, alt_sc):  # the web's work budget, for each of the two forecasts
        check_work(sc, req["runs"], limits=WEB_LIMITS, splits=WEB_DRAWS * WEB_INPUT_DRAWS if posterior else 1)
    if posterior:
        base, alt, unc = _paired_posterior(base_sc, req)
    else:
        from ..calibration.params import calibrated_params

        params = calibrated_params()
        base = forecast(base_sc, runs=req["runs"], seed=req["seed"], drivers=False, params=params)
        alt = forecast(alt_sc, runs=req["runs"], seed=req["seed"], drivers=False, params=params)
        unc = None
    out: dict[str, Any] = {"base": _forecast_dict(base), "alt": _forecast_dict(alt),
                           "difference": paired_differences(base, alt)}
    if unc is not None:
        out["uncertainty"] = unc
    out["request"] = {k: v for k, v in req.items() if k != "yaml"}
    return out


def _paired_posterior(base_sc: Any, req: dict[str, Any]) -> tuple[Any, Any, dict[str, Any]]:
    """The baseline and the what-if integrated over the posterior on ONE plan of cells.

    The base is exactly the web's (and ``alliancelab forecast``'s) posterior forecast; the change is
    applied to each cell's perturbed scenario (the change wins where it sets a judgement input), and
    every cell keeps its parameter draw and seed, so run ``r`` of both shares its parameters, inputs and
    random numbers and the paired differences stay paired.
    """
    import dataclasses

    from ..calibration.cells import plan_cells, run_cells
    from ..calibration.store import load_posterior
    from ..calibration.uncertainty import posterior_forecast
    from ..limits import WEB_LIMITS
    from ..scenario import apply_overrides

    post = load_posterior()
    base, unc = posterior_forecast(base_sc, runs=req["runs"], seed=req["seed"], posterior=post,
                                   draws=WEB_DRAWS, input_draws=WEB_INPUT_DRAWS)
    plan = plan_cells(base_sc, runs=req["runs"], seed=req["seed"], posterior=post, draws=WEB_DRAWS,
                      input_draws=WEB_INPUT_DRAWS)
    fcs, merged = run_cells(plan, variant=lambda sc: apply_overrides(sc, req["overrides"], limits=WEB_LIMITS))
    alt = dataclasses.replace(fcs[0], runs=base.runs, seed=base.seed, result=merged, params=base.params,
                              drivers={}, driver_runs=0)
    return base, alt, unc


def _forecast_dict(fc: Any) -> dict[str, Any]:
    out = fc.to_dict()
    rows = fc.period_summary().to_dict(orient="records")
    out["period_summary"] = [{k: _clean(v) for k, v in row.items()} for row in rows]
    return out


# ---------------------------------------------------------------------------------------- editor
def check_scenario_text(request: Any) -> dict[str, Any]:
    """Validate a scenario edited in the page: ``{"yaml": text}``.

    Returns ``{"ok": true, "facts": <as get_scenario>}`` or ``{"ok": false, "error": "<one line>",
    "field": dotted path or null, "line": 1-based line of that field in the text or null}``: the same
    one-line messages as the CLI's validator, pointing at the field. A bad request (no text, too large)
    raises :class:`InputError`.
    """
    from .._exceptions import ScenarioError
    from .lab import line_of_path, scenario_from_text

    if not isinstance(request, dict) or set(request) != {"yaml"}:
        raise InputError("the request body must be {\"yaml\": \"<scenario text>\"}", field="yaml")
    text = request["yaml"]
    try:
        sc = scenario_from_text(text)
    except ScenarioError as err:
        import re

        field = getattr(err, "field", None)
        line = line_of_path(text, field) if field else None
        if line is None:
            m = re.search(r"line (\d+)", str(err))
            line = int(m.group(1)) if m else None
        return {"ok": False, "error": str(err), "field": field, "line": line}
    return {"ok": True, "error": None, "field": None, "line": None,
            "facts": scenario_facts(sc, sc.metadata.id)}


# ---------------------------------------------------------------------------------------- advise
_ADVISE_FIELDS = ("id", "yaml", "patron", "runs", "seed", "uncertainty")


def run_advise(request: Any, examples_dir: str | Path | None = None) -> dict[str, Any]:
    """``alliancelab advise``: every strategy for one patron, its cost and P(aligned) with intervals.

    ``request`` is ``{"id" or "yaml", "patron", "runs": 2000, "seed": 1, "uncertainty": false}``; the
    answer is :func:`~alliancelab.advise.advice_to_dict` of the table (``strategies`` rows with
    ``cost``, ``p_align`` and their intervals). ``uncertainty: true``: every strategy integrated over
    the posterior on the same cells as the web's forecast (paired); else the calibrated parameter set.
    """
    from ..advise import advice_to_dict, advise

    if not isinstance(request, dict):
        raise InputError("the request body must be a JSON object {id, patron, runs, seed}")
    unknown = sorted(set(request) - set(_ADVISE_FIELDS))
    if unknown:
        raise InputError(f"unknown field; allowed: {', '.join(_ADVISE_FIELDS)}", field=str(unknown[0]))
    req = normalize_forecast_request({k: v for k, v in request.items() if k != "patron"})
    sc = _load_request_scenario(req, examples_dir)
    patron = request.get("patron")
    if patron not in sc.patrons:
        raise InputError(f"unknown patron {str(patron)[:60]!r}; allowed: {', '.join(sc.patrons)}",
                         field="patron")
    from ..advise import STRATEGIES
    from ..limits import WEB_LIMITS, check_work

    posterior = bool(req.get("uncertainty"))
    check_work(sc, req["runs"] * len(STRATEGIES), limits=WEB_LIMITS,  # one forecast per strategy
               splits=len(STRATEGIES) * WEB_DRAWS * WEB_INPUT_DRAWS if posterior else 1)
    out = advice_to_dict(advise(sc, patron, runs=req["runs"], seed=req["seed"], point=not posterior,
                                draws=WEB_DRAWS, input_draws=WEB_INPUT_DRAWS))
    out["request"] = {k: v for k, v in req.items() if k not in ("yaml", "overrides", "drivers")}
    return out


# ---------------------------------------------------------------------------------------- world
def world_camps(year: Any, data_dir: str | Path | None, runs: Any = None, seed: Any = None,
                max_states: Any = None) -> dict[str, Any]:
    """``alliancelab world --year Y`` from the server's data folder, plus each state's inputs."""
    from .world_view import world_view

    if data_dir is None:
        raise InputError("the server has no data folder; start it with alliancelab web --data-dir DIR",
                         field="--data-dir")
    y = _int_field(year, "year", 1816, 2014, 1950)
    n = _int_field(runs, "runs", 1, 5_000, 500)
    s = check_seed(seed)
    m = _int_field(max_states, "max_states", 2, 80, 30)
    return world_view(y, data_dir, runs=n, seed=s, max_states=m)


def world_camps_score(year: Any, data_dir: str | Path | None, runs: Any = None,
                      seed: Any = None) -> dict[str, Any]:
    """``alliancelab world camps --year Y --runs N --seed S`` (one simulated year) from the server's
    data folder: each listed state's reference camp, the model's camp, and the errors."""
    from ..engine.world_camps import REFERENCE, score_camps

    if data_dir is None:
        raise InputError("the server has no data folder; start it with alliancelab web --data-dir DIR",
                         field="--data-dir")
    years = sorted(REFERENCE)
    y = _int_field(year, "year", 1816, 2014, years[-1])
    if y not in REFERENCE:
        raise InputError(f"no reference partition for {y}; allowed: {', '.join(map(str, years))}", field="year")
    n = _int_field(runs, "runs", 1, 5_000, 500)
    s = check_seed(seed)
    out = score_camps(y, data_dir=data_dir, runs=n, seed=s)
    out["command"] = f"alliancelab world camps --year {y} --runs {n} --seed {s}"
    return out


# ---------------------------------------------------------------------------------------- validation
def validation() -> dict[str, Any]:
    """``alliancelab backtest --cv loo --no-refit --json`` on the shipped posterior, for the page
    (:func:`.validation_view.validation_view`: each case's title and the posterior's convergence added)."""
    from .validation_view import validation_view

    return validation_view()


# ---------------------------------------------------------------------------------------- glossary
def glossary() -> dict[str, Any]:
    """Every term and mechanism code the page shows: ``{"terms": [{term, text}], "mechanisms": [...]}``."""
    from .glossary import glossary_entries

    return glossary_entries()
