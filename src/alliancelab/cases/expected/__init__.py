"""What each built-in case must reproduce: one YAML file per case, ``cases/expected/<id>.yaml``.

The criteria are data, not code: one evaluator (:mod:`alliancelab.cases.outcomes`) applies the same
small vocabulary to every case, so no case has a code path of its own. Each criterion is checked per
Monte Carlo run; the case's probability is the share of runs in which *all* its criteria hold.

A file (the papers' five cases and the library's episodes share this one format)::

    case: turkey-1945                 # = the scenario id = the file name
    title: "Turkey 1945-52: Soviet pressure on the Straits"
    paper: library                    # E, Y, "E (+Y)" for the papers' cases; library otherwise
    era: early-cold-war               # one of ERAS
    region: middle-east               # one of REGIONS
    mechanisms: [E8, E9, Y5, Y13]     # THEORY_MAP ids the case exercises (MECHANISM_IDS)
    expected: "aligns with the U.S.; NATO 1952"       # one line, from the historical record
    source: "Leffler 1985, J. Am. Hist. 71(4)"        # for the outcome
    criteria:                         # one-key mappings: {<criterion type>: {fields}}
      - {aligned_at: {period: "1952", label: USA}}
    timing: {kind: alliance_formed, label: USA}
    year: 1952                        # historical year of the timing event
    given: []                         # optional criteria the probability is conditioned on
    secondary: []                     # optional criteria reported, not part of pass/fail
    targets: []                       # optional measured quantities, e.g. {ruler_share: {...}}
    notes: ""                         # optional
    history:                          # optional dated annotations for plots (never model inputs)
      - ["1946-08-07", "Soviet note on the Straits"]

Criterion vocabulary (``client`` defaults to the scenario's primary client):

``event``         ``{kind, label, client?, by?}`` the event happened (at least once, by ``by``, a period
                  label, if given) with that label (a patron or a faction)
``never``         ``{kind, label, client?, until?}`` the event never happened (up to ``until``)
``ruling_at``     ``{period, faction, client?}`` the faction rules at the end of that period
``aligned_at``    ``{period, label, client?}`` alignment at the end of that period (a patron name or
                  ``non-aligned``)
``not_aligned_through`` ``{period, label, client?}`` never aligned with ``label`` in any period up to
                  and including ``period``
``type_at``       ``{period, atype, client?}`` Table 1 type of the alliance at that period

``kind`` is an engine event kind (:data:`alliancelab.engine.EVENT_KINDS`), ``atype`` a Table 1 type.
``given`` lists criteria the probability is conditioned on, for outcomes a paper states conditionally
(paper Y: *if* an ally is disloyal, the response depends on the gap): the probability is then
P(criteria | given). ``secondary`` criteria are reported with their probabilities but are not part of
pass/fail (historical details the papers do not argue, or directions such as E10).

``targets`` are measured quantities the model should match, used by the calibration objective and
reported by the backtest (not pass criteria): ``{ruler_share: {period, value, tolerance, source,
note?, client?}}`` is the mean mass-support share of the ruling faction at the end of the period (e.g.
the DC's 48.5% of the vote on 18 April 1948).

``timing`` names the event whose first year is compared with history (``kind``, ``label``,
``client``?), and ``year`` the historical year.

In memory a criterion is a flat dict with its type under ``"type"``
(``{"type": "aligned_at", "period": "1952", "label": "USA"}``), the form the evaluator reads.
:func:`load_expected` validates a file (one-line :class:`~alliancelab.InputError` naming the file and
the field; unknown keys are refused); :func:`check_case` also checks its names against the case's
scenario (clients, periods, patrons, factions).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..._exceptions import InputError

__all__ = [
    "CRITERIA", "ERAS", "EXPECTED", "Expectation", "HISTORY", "MECHANISM_IDS", "PAPERS", "PAPER_CASES",
    "REGIONS", "TARGETS", "check_case", "expected_ids", "load_expected", "parse_expected",
]

#: Allowed ``era`` values.
ERAS: tuple[str, ...] = ("pre-1914", "interwar", "ww2", "early-cold-war", "cold-war", "post-cold-war")
#: Allowed ``region`` values.
REGIONS: tuple[str, ...] = ("europe", "middle-east", "asia", "africa", "americas", "eurasia")
#: Allowed ``paper`` values: the papers' cases (E, Y, both) and the case library's episodes.
PAPERS: tuple[str, ...] = ("E", "Y", "E (+Y)", "library")
#: Mechanism ids of ../shared/THEORY_MAP.md (E1-E22, Y1-Y13).
MECHANISM_IDS: tuple[str, ...] = tuple(f"E{i}" for i in range(1, 23)) + tuple(f"Y{i}" for i in range(1, 14))
#: The papers' five cases, in the order their seeds have always been drawn (see backtest.case_seeds).
PAPER_CASES: tuple[str, ...] = ("italy-1948", "yugoslavia-1948", "grand-alliance-1941", "sino-soviet-1950",
                                "poland-hungary-1956")

#: Criterion type -> (required fields, optional fields).
CRITERIA: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "event": (("kind", "label"), ("client", "by")),
    "never": (("kind", "label"), ("client", "until")),
    "ruling_at": (("period", "faction"), ("client",)),
    "aligned_at": (("period", "label"), ("client",)),
    "not_aligned_through": (("period", "label"), ("client",)),
    "type_at": (("period", "atype"), ("client",)),
}
#: Target type -> (required fields, optional fields).
TARGETS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "ruler_share": (("period", "value", "tolerance", "source"), ("note", "client")),
}
_TIMING = (("kind", "label"), ("client",))
_PERIOD_FIELDS = {"period", "by", "until"}
_REQUIRED = ("case", "title", "paper", "era", "region", "mechanisms", "expected", "source", "criteria",
             "timing", "year")
_OPTIONAL = ("given", "secondary", "targets", "notes", "history")


@dataclass(frozen=True)
class Expectation:
    """The historical outcome of a case, with its timing (see the module docstring for the fields)."""

    case: str
    paper: str
    expected: str
    criteria: tuple[dict[str, Any], ...]
    timing: dict[str, Any]
    year: int
    source: str
    notes: str = ""
    history: tuple[tuple[str, str], ...] = field(default=())
    given: tuple[dict[str, Any], ...] = ()
    secondary: tuple[dict[str, Any], ...] = ()
    targets: tuple[dict[str, Any], ...] = ()
    title: str = ""
    era: str = ""
    region: str = ""
    mechanisms: tuple[str, ...] = ()


# --- validation ---------------------------------------------------------------------------------

def _err(source: str, path: str, message: str) -> InputError:
    return InputError(message, source=source, field=path or None)


def _text(v: Any, source: str, path: str, *, empty: bool = False) -> str:
    if not isinstance(v, str) or (not empty and not v.strip()):
        got = f"; got {v!r}" if not isinstance(v, (dict, list)) else ""
        raise _err(source, path, f"expected {'text' if empty else 'non-empty text'}{got}; allowed: a string")
    return v


def _label(v: Any, source: str, path: str) -> str:
    """A period or date label: YAML may read 1952 as an int and 1946-08-07 as a date."""
    if isinstance(v, bool):
        raise _err(source, path, f"expected a period label; got {v!r}; allowed: text such as \"1952\"")
    if isinstance(v, int):
        return str(v)
    if isinstance(v, _dt.date):
        return v.isoformat()
    return _text(v, source, path)


def _choice(v: Any, allowed: tuple[str, ...], source: str, path: str) -> str:
    if v not in allowed:
        raise _err(source, path, f"not an allowed value; got {v!r}; allowed: {', '.join(allowed)}")
    return str(v)


def _mapping(v: Any, source: str, path: str) -> dict[str, Any]:
    if not isinstance(v, dict):
        got = "" if isinstance(v, list) else f"; got {v!r}"
        raise _err(source, path, f"expected a mapping (key: value){got}; allowed: a YAML mapping")
    return v


def _list(v: Any, source: str, path: str) -> list[Any]:
    if not isinstance(v, list):
        got = "" if isinstance(v, dict) else f"; got {v!r}"
        raise _err(source, path, f"expected a list{got}; allowed: a YAML list")
    return v


def _fields(v: Any, spec: tuple[tuple[str, ...], tuple[str, ...]], source: str, path: str) -> dict[str, Any]:
    """Check a flat mapping's keys against (required, optional); values are text or period labels."""
    m = _mapping(v, source, path)
    required, optional = spec
    for k in m:
        if k not in required and k not in optional:
            raise _err(source, f"{path}.{k}", f"unknown field; allowed: {', '.join(required + optional)}")
    for k in required:
        if k not in m:
            raise _err(source, f"{path}.{k}", "required field is missing; allowed: required fields "
                                              f"here: {', '.join(required)}")
    return dict(m)


def _event_kinds() -> tuple[str, ...]:
    from ...engine import EVENT_KINDS

    return tuple(EVENT_KINDS)


def _criterion(v: Any, source: str, path: str) -> dict[str, Any]:
    m = _mapping(v, source, path)
    if len(m) != 1:
        raise _err(source, path, f"a criterion is a mapping with one key, its type; got {len(m)} keys; "
                                 f"allowed: {', '.join(CRITERIA)}")
    (kind, body), = m.items()
    _choice(kind, tuple(CRITERIA), source, f"{path} (criterion type)")
    sub = f"{path}.{kind}"
    out: dict[str, Any] = {"type": kind}
    for k, x in _fields(body, CRITERIA[kind], source, sub).items():
        out[k] = _label(x, source, f"{sub}.{k}") if k in _PERIOD_FIELDS else _text(x, source, f"{sub}.{k}")
    if "kind" in out:
        _choice(out["kind"], _event_kinds(), source, f"{sub}.kind")
    if "atype" in out:
        from ...theory.disparity.params import ALLIANCE_TYPES

        _choice(out["atype"], ALLIANCE_TYPES, source, f"{sub}.atype")
    return out


def _criteria(v: Any, source: str, path: str, *, nonempty: bool) -> tuple[dict[str, Any], ...]:
    items = _list(v, source, path)
    if nonempty and not items:
        raise _err(source, path, "too few items; allowed: at least one criterion")
    return tuple(_criterion(c, source, f"{path}.{i}") for i, c in enumerate(items))


def _number(v: Any, source: str, path: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise _err(source, path, f"not a number; got {v!r}; allowed: a number")
    return float(v)


def _target(v: Any, source: str, path: str) -> dict[str, Any]:
    m = _mapping(v, source, path)
    if len(m) != 1:
        raise _err(source, path, f"a target is a mapping with one key, its type; got {len(m)} keys; "
                                 f"allowed: {', '.join(TARGETS)}")
    (kind, body), = m.items()
    _choice(kind, tuple(TARGETS), source, f"{path} (target type)")
    sub = f"{path}.{kind}"
    out: dict[str, Any] = {"type": kind}
    for k, x in _fields(body, TARGETS[kind], source, sub).items():
        if k in ("value", "tolerance"):
            out[k] = _number(x, source, f"{sub}.{k}")
        elif k == "period":
            out[k] = _label(x, source, f"{sub}.{k}")
        else:
            out[k] = _text(x, source, f"{sub}.{k}")
    return out


def _history(v: Any, source: str, path: str) -> tuple[tuple[str, str], ...]:
    out = []
    for i, item in enumerate(_list(v, source, path)):
        if not isinstance(item, list) or len(item) != 2:
            raise _err(source, f"{path}.{i}", f"expected a pair; got {item!r}; allowed: [\"YYYY-MM-DD\", "
                                              "\"what happened\"]")
        out.append((_label(item[0], source, f"{path}.{i}.0"), _text(item[1], source, f"{path}.{i}.1")))
    return tuple(out)


def parse_expected(data: Any, *, source: str = "<expected>", case: str | None = None) -> Expectation:
    """Validate a parsed expected-outcome mapping; ``case`` (the file's stem) must match its ``case``.

    Raises
    ------
    InputError
        One line ``<file>: field '<path>': <what is wrong>; allowed: <...>``.
    """
    d = _mapping(data, source, "")
    for k in d:
        if k not in _REQUIRED and k not in _OPTIONAL:
            raise _err(source, str(k), f"unknown field; allowed: {', '.join(_REQUIRED + _OPTIONAL)}")
    for k in _REQUIRED:
        if k not in d:
            raise _err(source, k, f"required field is missing; allowed: required fields: {', '.join(_REQUIRED)}")
    cid = _text(d["case"], source, "case")
    if case is not None and cid != case:
        raise _err(source, "case", f"does not match the file name; got {cid!r}; allowed: {case!r}")
    mech = _list(d["mechanisms"], source, "mechanisms")
    if not mech:
        raise _err(source, "mechanisms", "too few items; allowed: at least one THEORY_MAP id")
    for i, m in enumerate(mech):
        _choice(m, MECHANISM_IDS, source, f"mechanisms.{i}")
    if len(set(mech)) != len(mech):
        raise _err(source, "mechanisms", "an id is listed twice; allowed: each THEORY_MAP id once")
    year = d["year"]
    if isinstance(year, bool) or not isinstance(year, int) or not 1800 <= year <= 2100:
        raise _err(source, "year", f"not a year; got {year!r}; allowed: a whole number 1800-2100")
    timing = {k: _text(x, source, f"timing.{k}") for k, x in _fields(d["timing"], _TIMING, source,
                                                                      "timing").items()}
    _choice(timing["kind"], _event_kinds(), source, "timing.kind")
    return Expectation(
        case=cid,
        title=_text(d["title"], source, "title"),
        paper=_choice(d["paper"], PAPERS, source, "paper"),
        era=_choice(d["era"], ERAS, source, "era"),
        region=_choice(d["region"], REGIONS, source, "region"),
        mechanisms=tuple(mech),
        expected=_text(d["expected"], source, "expected"),
        source=_text(d["source"], source, "source"),
        criteria=_criteria(d["criteria"], source, "criteria", nonempty=True),
        given=_criteria(d.get("given") or [], source, "given", nonempty=False),
        secondary=_criteria(d.get("secondary") or [], source, "secondary", nonempty=False),
        targets=tuple(_target(t, source, f"targets.{i}")
                      for i, t in enumerate(_list(d.get("targets") or [], source, "targets"))),
        timing=timing,
        year=year,
        notes=_text(d.get("notes") or "", source, "notes", empty=True),
        history=_history(d.get("history") or [], source, "history"),
    )


def load_expected(path_or_id: str | Path) -> Expectation:
    """Load and validate an expected-outcome file: a path, or the id of a built-in case.

    Examples
    --------
    >>> load_expected("italy-1948").timing
    {'kind': 'alliance_formed', 'label': 'USA'}
    """
    path = Path(path_or_id)
    if path.is_file():
        label, stem = str(path), path.stem
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise InputError(f"cannot read the file: {err}", source=label) from None
    else:
        stem = str(path_or_id)
        res = resources.files(__name__).joinpath(f"{stem}.yaml")
        if "/" in stem or not res.is_file():
            raise InputError("no such file or built-in expected outcome; allowed: a YAML file path or one "
                             f"of {', '.join(expected_ids())}", source=stem)
        label, text = f"cases/expected/{stem}.yaml", res.read_text(encoding="utf-8")
    from ...scenario._yaml import load_yaml

    data = load_yaml(text, source=label)      # the one safe loader: aliases capped, depth bounded
    return parse_expected(data, source=label, case=stem)


def expected_ids() -> list[str]:
    """Ids of the shipped expected-outcome files: the papers' five first, then the rest by id."""
    names = sorted(p.name[:-5] for p in resources.files(__name__).iterdir() if p.name.endswith(".yaml"))
    return [c for c in PAPER_CASES if c in names] + [c for c in names if c not in PAPER_CASES]


# --- consistency with the scenario ------------------------------------------------------------

def _known(name: str, allowed: list[str], source: str, path: str, what: str) -> None:
    if name not in allowed:
        raise _err(source, path, f"unknown {what} {name!r}; allowed: {', '.join(map(str, allowed))}")


def check_case(case: str | Path, scenario: Any = None, *, exp: Expectation | None = None) -> Expectation:
    """Load a case's expected file and check every name in it against the case's scenario.

    Checks that each criterion's client, period, patron/faction/alignment label exist in the scenario
    (``scenario``: a :class:`~alliancelab.scenario.Scenario`, default the built-in case of that id).
    Raises a one-line :class:`~alliancelab.InputError` naming the expected file and the field.
    """
    from ...engine import EVENT_KINDS
    from ...scenario import NON_ALIGNED, load_scenario

    exp = exp or load_expected(case)
    sc = scenario if scenario is not None else load_scenario(exp.case)
    source = f"cases/expected/{exp.case}.yaml" if not Path(case).is_file() else str(case)
    if sc.metadata.id != exp.case:
        raise _err(source, "case", f"the scenario's id is {sc.metadata.id!r}; allowed: the same id")
    clients, patrons = list(sc.clients), list(sc.patrons)
    periods = [str(p) for p in sc.periods]

    def period(label: str, path: str) -> None:
        if not any(p == label or p.startswith(f"{label}-") for p in periods):
            raise _err(source, path, f"period {label!r} is not in the scenario; allowed: {', '.join(periods)}")

    def check(c: dict[str, Any], path: str) -> None:
        client = c.get("client", clients[0])
        _known(client, clients, source, f"{path}.client", "client")
        factions = list(sc.clients[client].factions)
        for k in _PERIOD_FIELDS & set(c):
            period(c[k], f"{path}.{k}")
        if "kind" in c:
            names = factions if EVENT_KINDS[c["kind"]] == "faction" else patrons
            _known(c["label"], names, source, f"{path}.label", f"{EVENT_KINDS[c['kind']]} for {c['kind']}")
        elif "label" in c:
            _known(c["label"], [*patrons, NON_ALIGNED], source, f"{path}.label", "alignment label")
        if "faction" in c:
            _known(c["faction"], factions, source, f"{path}.faction", "faction")

    for key in ("criteria", "given", "secondary"):
        for i, c in enumerate(getattr(exp, key)):
            check(c, f"{key}.{i}.{c['type']}")
    for i, t in enumerate(exp.targets):
        check(t, f"targets.{i}.{t['type']}")
    check(exp.timing, "timing")
    return exp


# --- the shipped files, loaded on first use ---------------------------------------------------------

class _Expected(Mapping[str, Expectation]):
    """Case id -> :class:`Expectation`, read from the shipped YAML files on first use."""

    def __init__(self) -> None:
        self._data: dict[str, Expectation] | None = None

    def _load(self) -> dict[str, Expectation]:
        if self._data is None:
            self._data = {cid: load_expected(cid) for cid in expected_ids()}
        return self._data

    def __getitem__(self, key: str) -> Expectation:
        return self._load()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())

    def __repr__(self) -> str:
        return f"EXPECTED({list(self)})"


#: Every shipped expected outcome (the papers' five first, in their historical order, then the library).
EXPECTED: Mapping[str, Expectation] = _Expected()


class _History(Mapping[str, tuple[tuple[str, str], ...]]):
    """Case id -> dated historical annotations (the ``history`` of each expected file)."""

    def __getitem__(self, key: str) -> tuple[tuple[str, str], ...]:
        return EXPECTED[key].history

    def __iter__(self) -> Iterator[str]:
        return iter(EXPECTED)

    def __len__(self) -> int:
        return len(EXPECTED)


#: Dated historical events drawn on the timeline plots (annotation only: never a model input).
HISTORY: Mapping[str, tuple[tuple[str, str], ...]] = _History()
