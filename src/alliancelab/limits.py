"""Documented input limits: how big a scenario, a YAML document and a forecast may be.

Every limit is checked before any work starts; a scenario over a limit is refused with one line that
names the limit and how to raise it deliberately. The defaults are far above the built-in cases (the
largest has 16 periods, 3 clients, 6 factions, 5 patrons, 23 support items, 22 KB) and low enough that
a careless or hostile file cannot hang the command or exhaust memory.

Raising a limit (the CLI only; the web explorer uses :data:`WEB_LIMITS`, which no request can change):

* ``alliancelab --limit periods=500 --limit work=5e10 forecast big.yaml``, or
* ``ALLIANCELAB_LIMITS="periods=500,work=5e10"`` in the environment.

See the "Limits" section of ``docs/scenarios.md``.
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ._exceptions import InputError

__all__ = ["LIMITS_ENV", "Limits", "PERIOD_OVERHEAD", "WEB_LIMITS", "cells", "check_work", "configure",
           "current", "describe", "over_limit", "parse_limits", "work_size"]

LIMITS_ENV = "ALLIANCELAB_LIMITS"


@dataclass(frozen=True)
class Limits:
    """The input limits (see the module docstring and ``docs/scenarios.md``)."""

    #: Size of a scenario file in bytes.
    file_bytes: int = 1_000_000
    #: YAML nodes after expanding aliases (``*name``): bounds an alias bomb before it expands.
    yaml_nodes: int = 200_000
    #: Nesting depth of a YAML document (mappings and lists inside each other).
    yaml_depth: int = 32
    #: Periods of a scenario.
    periods: int = 200
    #: Client states of a scenario.
    clients: int = 50
    #: Factions of one client.
    factions: int = 50
    #: Patrons of a scenario.
    patrons: int = 20
    #: Support items of a scenario.
    support: int = 5_000
    #: Entries of any other list or mapping in a scenario (threats, events, power dates, tags, ...).
    items: int = 5_000
    #: ``--set`` overrides of one command or request.
    overrides: int = 100
    #: Work of one forecast (:func:`work_size`): runs x periods x clients x factions x (patrons + 1),
    #: summed over the main simulation and the driver reruns, each period counted as at least
    #: 5,000 cells. 1e6 is about one second; the largest built-in case (pakistan-1954, 40 driver
    #: reruns) needs 2.1e7 at 10,000 runs with the CLI's 2,000 driver runs each (2.1e7 at the web's
    #: maximum of 50,000 runs with the web's 1,000 driver runs). Raised from 2e8 in session 14, when
    #: its mechanisms (Y19, Y21, E8g, E20j, E21b) added driver reruns and the largest case passed a
    #: tenth of the old budget: the budget keeps room for ten times the default runs (about five
    #: minutes of work); raise it with ``--limit work=N``.
    work: float = 3e8

    def with_changes(self, changes: dict[str, float]) -> Limits:
        """A copy with some limits changed (values are checked)."""
        return dataclasses.replace(self, **changes)


#: The web explorer's fixed limits: no request can raise them. The work budget admits every built-in
#: case at the web's largest request (50,000 runs with drivers at 1,000 runs each, at most 1.9e7) with
#: a margin; the worker timeout (45 s) still stops anything slower. Raised from 3e7 when the mechanisms
#: of issue #10 added six driver reruns per forecast; session 12 halved the web's driver runs instead of
#: raising it again (pakistan-1954's largest request with 2,000 driver runs: 2.5e7, 35 s at load 4).
WEB_LIMITS = Limits(file_bytes=1_000_000, overrides=50, work=4e7)

_NAMES = tuple(f.name for f in dataclasses.fields(Limits))
_DEFAULT = Limits()
_current: Limits | None = None


def describe() -> str:
    """``name=value`` of every default limit, for error messages and help."""
    return ", ".join(f"{n}={getattr(_DEFAULT, n):g}" for n in _NAMES)


def parse_limits(items: Iterable[str], *, source: str = "--limit") -> dict[str, float]:
    """Parse ``["periods=500", "work=5e10"]`` (or one comma-separated string each) into changes."""
    changes: dict[str, float] = {}
    for item in items:
        for part in str(item).split(","):
            part = part.strip()
            if not part:
                continue
            name, sep, raw = part.partition("=")
            name = name.strip().replace("-", "_")
            if not sep or name not in _NAMES:
                raise InputError(f"{part[:60]!r} is not a limit; allowed: NAME=NUMBER with NAME one of "
                                 f"{', '.join(_NAMES)}", field=source)
            try:
                value = float(raw)
            except ValueError:
                value = math.nan
            if not math.isfinite(value) or value < 1:
                raise InputError(f"limit {name} must be a finite number >= 1; got {raw[:40]!r}",
                                 field=source)
            changes[name] = value if name == "work" else int(value)
    return changes


def current() -> Limits:
    """The limits of this process: the defaults, changed by ``$ALLIANCELAB_LIMITS`` and ``--limit``."""
    global _current
    if _current is None:
        env = os.environ.get(LIMITS_ENV, "")
        _current = _DEFAULT.with_changes(parse_limits([env], source=LIMITS_ENV)) if env else _DEFAULT
    return _current


def configure(changes: dict[str, float] | None = None) -> Limits:
    """Change this process's limits (the CLI's ``--limit``); ``None`` resets them to the defaults
    and ``$ALLIANCELAB_LIMITS``."""
    global _current
    _current = None
    if changes:
        _current = current().with_changes(changes)
    return current()


def over_limit(name: str, got: Any, limits: Limits, *, what: str, source: str | None = None,
               field: str | None = None) -> InputError:
    """The one-line error of an input over limit ``name`` (with how to raise it, or that it is fixed)."""
    from ._exceptions import ScenarioError

    value = getattr(limits, name)
    got_txt = f"{got:,}" if isinstance(got, int) else (f"{got:.3g}" if isinstance(got, float) else str(got))
    if limits is WEB_LIMITS:
        how = ("this limit is fixed on the web explorer; ask for fewer runs or a smaller what-if, or run "
               "the CLI")
    else:
        how = (f"raise it deliberately with 'alliancelab --limit {name}=N ...' or "
               f"{LIMITS_ENV}={name}=N (see docs/scenarios.md, Limits)")
    limit_txt = f"{value:,}" if isinstance(value, int) else f"{value:.3g}"
    return ScenarioError(f"{what} is {got_txt}, over the limit {name}={limit_txt}; {how}",
                         source=source, field=field)


# ------------------------------------------------------------------------------------ forecast work
#: The fixed cost of simulating one period, in cells (measured: a period step costs about as much as
#: 5,000 run-cells of array work), so that many periods at few runs are not counted as free.
PERIOD_OVERHEAD = 5_000


def cells(scenario: Any) -> int:
    """Array cells per run and period: clients x (largest faction count) x (patrons + 1)."""
    factions = max((len(c.factions) for c in scenario.clients.values()), default=1)
    return len(scenario.clients) * factions * (len(scenario.patrons) + 1)


def work_size(scenario: Any, runs: int, *, drivers: bool = False, driver_runs: int = 0,
              splits: int = 1) -> float:
    """Work of a forecast: over every simulation (the main one, plus one per mechanism the drivers rerun:
    not those that cannot change this scenario, :func:`alliancelab.engine.forecast.driver_reruns`),
    periods x (runs x :func:`cells` + :data:`PERIOD_OVERHEAD`); ``splits``: the main runs are split
    over that many simulations (a forecast integrated over the posterior: one per cell), each with
    its own period overhead."""
    c, periods = cells(scenario), len(scenario.periods)
    work = periods * (int(runs) * c + max(int(splits), 1) * PERIOD_OVERHEAD)
    if drivers:
        from .engine.forecast import driver_reruns

        work += driver_reruns(scenario) * periods * (min(int(runs), int(driver_runs)) * c + PERIOD_OVERHEAD)
    return float(work)


def check_work(scenario: Any, runs: int, *, drivers: bool = False, driver_runs: int = 0,
               limits: Limits | None = None, splits: int = 1) -> float:
    """Refuse a forecast whose :func:`work_size` exceeds ``limits.work`` (before it starts)."""
    limits = limits or current()
    work = work_size(scenario, runs, drivers=drivers, driver_runs=driver_runs, splits=splits)
    if work > limits.work:
        raise over_limit("work", work, limits, source=getattr(scenario, "origin", None),
                         what=f"the work of this forecast ({runs:,} runs"
                              + (f", drivers {min(runs, driver_runs):,} runs each" if drivers else "")
                              + f", {len(scenario.periods)} periods x {cells(scenario)} cells)")
    return work
