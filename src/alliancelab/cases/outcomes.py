"""Evaluate an :class:`~alliancelab.cases.expected.Expectation` on a forecast's Monte Carlo runs.

One evaluator for every case: each criterion becomes a boolean vector over runs, the case's outcome
holds in a run when all of them do, and the timing is read from the first period of the named event
in the runs where the outcome holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._exceptions import ModelError
from ..scenario import NON_ALIGNED
from ..theory import disparity as Y
from .expected import Expectation

__all__ = ["OutcomeEval", "criterion_mask", "evaluate", "first_with_label", "period_year",
           "target_value"]


@dataclass(frozen=True)
class OutcomeEval:
    """Per-run evaluation of an expectation."""

    holds: np.ndarray             # (R,) bool: every criterion holds
    given: np.ndarray             # (R,) bool: the conditioning criteria hold (all True if none)
    per_criterion: list[float]    # share of runs in which each criterion holds (among `given` runs)
    secondary: list[float]        # share of all runs in which each secondary criterion holds
    targets: list[float]          # model value of each measured target
    event_first: np.ndarray       # (R,) int period index of the timing event, -1 if never
    years: list[int]              # year of each period


def period_year(label: str) -> int:
    """Year of a period label (``"1948"``, ``"1948-04"`` ...)."""
    return int(str(label)[:4])


def _index(names: list[str], name: str, what: str) -> int:
    if name not in names:
        raise ModelError(f"expected outcome refers to unknown {what} {name!r}; known: {names}")
    return names.index(name)


def _period(fc: Any, label: str) -> int:
    """Index of the last period whose label starts with ``label`` (a year or a full period label)."""
    hits = [i for i, p in enumerate(fc.periods) if str(p) == str(label) or str(p).startswith(f"{label}-")]
    if not hits:
        raise ModelError(f"expected outcome refers to period {label!r}, not in {fc.periods}")
    return hits[-1]


def _client(fc: Any, crit: dict[str, Any]) -> int:
    return _index(list(fc.clients), crit.get("client", fc.clients[0]), "client")


def _align_label(fc: Any, label: str) -> int:
    labels = [*fc.patrons, NON_ALIGNED]
    return _index(labels, label, "alignment label")


def _event_label(fc: Any, kind: str, ci: int, label: str) -> int:
    from ..engine import EVENT_KINDS

    if kind not in EVENT_KINDS:
        raise ModelError(f"unknown event kind {kind!r}; known: {sorted(EVENT_KINDS)}")
    names = list(fc.factions[ci]) if EVENT_KINDS[kind] == "faction" else list(fc.patrons)
    return _index(names, label, f"{EVENT_KINDS[kind]} for {kind}")


def first_with_label(res: Any, kind: str, ci: int, li: int) -> np.ndarray:
    """(R,) first period index of event ``kind`` *with label* ``li`` for client ``ci``, -1 if never.

    An event of the same kind with another label (another patron or faction) that came first does
    not count. Results without per-label records (an old engine's) fall back to the kind's first
    period where the label ever occurred.
    """
    fl = getattr(res, "first_label", None)
    if fl is not None:
        return fl[kind][:, ci, li].astype(int)
    return np.where(res.by[kind][:, ci, li], res.first[kind][:, ci].astype(int), -1)


def criterion_mask(fc: Any, crit: dict[str, Any]) -> np.ndarray:
    """Boolean vector over runs: does ``crit`` hold in each run of forecast ``fc``?"""
    res = fc.result
    ci = _client(fc, crit)
    kind = crit["type"]
    if kind in ("event", "never"):
        li = _event_label(fc, crit["kind"], ci, crit["label"])
        happened = res.by[crit["kind"]][:, ci, li]
        limit = crit.get("by") or crit.get("until")
        if limit is not None:
            # the first event of this kind *with this label* must be early enough
            first = first_with_label(res, crit["kind"], ci, li)
            happened = happened & (first >= 0) & (first <= _period(fc, limit))
        return happened if kind == "event" else ~happened
    if kind == "ruling_at":
        t = _period(fc, crit["period"])
        fi = _index(list(fc.factions[ci]), crit["faction"], "faction")
        return res.ruling[t, :, ci] == fi
    if kind == "aligned_at":
        t = _period(fc, crit["period"])
        return res.aligned[t, :, ci] == _align_label(fc, crit["label"])
    if kind == "not_aligned_through":
        t = _period(fc, crit["period"])
        li = _align_label(fc, crit["label"])
        return ~(res.aligned[: t + 1, :, ci] == li).any(axis=0)
    if kind == "type_at":
        t = _period(fc, crit["period"])
        ti = _index(list(Y.ALLIANCE_TYPES), crit["atype"], "alliance type")
        return res.atype[t, :, ci] == ti
    raise ModelError(f"unknown criterion type {kind!r}")


def target_value(fc: Any, target: dict[str, Any]) -> float:
    """Model value of a measured target (see :mod:`alliancelab.cases.expected`)."""
    if target["type"] == "ruler_share":
        t = _period(fc, target["period"])
        return float(fc.result.ruler_share[t, :, _client(fc, target)].mean())
    raise ModelError(f"unknown target type {target['type']!r}")


def evaluate(fc: Any, exp: Expectation) -> OutcomeEval:
    """Evaluate ``exp`` on forecast ``fc`` (a :class:`~alliancelab.engine.Forecast`)."""
    given = np.logical_and.reduce([criterion_mask(fc, c) for c in exp.given]) if exp.given else \
        np.ones(fc.runs, dtype=bool)
    masks = [criterion_mask(fc, c) for c in exp.criteria]
    holds = (np.logical_and.reduce(masks) if masks else np.ones(fc.runs, dtype=bool)) & given
    n_given = max(int(given.sum()), 1)
    tm = exp.timing
    ci = _client(fc, tm)
    li = _event_label(fc, tm["kind"], ci, tm["label"])
    # the first period of the event *with that label* (an event of the kind with another label that
    # came first does not count); runs where the label never occurred are marked -1
    first = first_with_label(fc.result, tm["kind"], ci, li)
    return OutcomeEval(holds=holds, given=given,
                       per_criterion=[float((m & given).sum() / n_given) for m in masks],
                       secondary=[float(criterion_mask(fc, c).mean()) for c in exp.secondary],
                       targets=[target_value(fc, t) for t in exp.targets],
                       event_first=first, years=[period_year(p) for p in fc.periods])
