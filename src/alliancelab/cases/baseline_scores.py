"""Score the realist baselines (:mod:`alliancelab.engine.baselines`) on a case's expected outcome.

A rule predicts one alignment path per client, so it is judged on the *alignment part* of the
expected outcome, with the same criteria the model is judged on, read on that path:

* ``aligned_at`` and ``not_aligned_through``: the path's label at / up to the period;
* ``event``/``never`` of kind ``alliance_formed`` (the path enters the patron), ``split`` and
  ``alliance_left`` (the path leaves the patron) and ``realignment`` (the path enters the patron
  when the last patron it had was another one); the starting alignment is the state before the first
  period, so a rule whose first period differs from the start moves in the first period;
* the timing, when its event is one of these kinds: the path's first such event must lie within the
  backtest's tolerance (±1 year) of history, as for the model.

Criteria about who rules (``ruling_at``, faction events), the alliance type (``type_at``) and the
patron's responses (``punishment``, ``expulsion``, ``aid_without_alliance``) are outside what the rules
predict and are not scored. A rule **abstains** on a case when none of the case's criteria is scored,
when a ``given`` criterion is outside its scope, when the given criteria do not hold on its path (the
conditional outcome is undefined there), or when it abstains (``None``) in a period a criterion reads.
A hit needs every scored criterion and the timing (when scored) to hold; the probability of a
deterministic rule is 1 or 0. Hit rates count an abstention as a miss (the rule did not predict the
outcome); tables also give the number of cases each rule was scored on.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ..engine.baselines import RULES, BaselinePath, baseline_paths
from ..scenario import NON_ALIGNED, Scenario
from .expected import Expectation

__all__ = ["ALIGNMENT_EVENTS", "BaselineScore", "hit_rates", "score_baselines"]

#: Event kinds a baseline path can produce (see the module docstring).
ALIGNMENT_EVENTS: tuple[str, ...] = ("alliance_formed", "split", "alliance_left", "realignment")
_ALIGNMENT_CRITERIA = ("aligned_at", "not_aligned_through")


@dataclass(frozen=True)
class BaselineScore:
    """One rule on one case."""

    rule: str
    probability: float | None      # 1.0 / 0.0; None when the rule abstains on the case
    hit: bool                      # every scored criterion and the (scored) timing hold
    abstained: bool
    scored: int                    # criteria scored
    year: int | None               # year of the timing event on the path (None: never / not scored)
    alignment: str | None          # the rule's label for the case's primary client at the end
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class _Abstain(Exception):
    pass


def _in_scope(c: dict[str, Any]) -> bool:
    return c["type"] in _ALIGNMENT_CRITERIA or (c["type"] in ("event", "never")
                                                 and c["kind"] in ALIGNMENT_EVENTS)


def _period(periods: list[str], label: str) -> int:
    hits = [i for i, p in enumerate(periods) if p == str(label) or p.startswith(f"{label}-")]
    if not hits:
        raise _Abstain(f"period {label!r} not in the scenario")
    return hits[-1]


def _events(path: tuple[str | None, ...], start: str, kind: str, label: str) -> list[int]:
    """Periods in which the path produces event ``kind`` with ``label``."""
    out, prev, last_patron = [], start, (start if start != NON_ALIGNED else None)
    for t, cur in enumerate(path):
        if cur is None:
            raise _Abstain("the rule abstains in a period the outcome reads")
        if kind == "alliance_formed" and cur == label and prev != label:
            out.append(t)
        elif kind in ("split", "alliance_left") and prev == label and cur != label:
            out.append(t)
        elif kind == "realignment" and cur == label and prev != label and last_patron not in (None, label):
            out.append(t)
        if cur != NON_ALIGNED:
            last_patron = cur
        prev = cur
    return out


def _holds(c: dict[str, Any], paths: dict[str, BaselinePath], starts: dict[str, str],
           periods: list[str], primary: str) -> bool:
    client = c.get("client", primary)
    path = paths[client].alignment
    if c["type"] == "aligned_at":
        a = path[_period(periods, c["period"])]
        if a is None:
            raise _Abstain("the rule abstains in a period the outcome reads")
        return a == c["label"]
    if c["type"] == "not_aligned_through":
        upto = path[: _period(periods, c["period"]) + 1]
        if any(a is None for a in upto):
            raise _Abstain("the rule abstains in a period the outcome reads")
        return c["label"] not in upto
    ev = _events(path, starts[client], c["kind"], c["label"])
    limit = c.get("by") or c.get("until")
    if limit is not None:
        ev = [t for t in ev if t <= _period(periods, limit)]
    return bool(ev) if c["type"] == "event" else not ev


def _score(rule: str, paths: dict[str, BaselinePath], s: Scenario, exp: Expectation,
           tolerance: int) -> BaselineScore:
    periods = [str(p) for p in s.periods]
    primary = list(s.clients)[0]
    starts = {c: (cl.aligned_with or NON_ALIGNED) for c, cl in s.clients.items()}
    final = paths[primary].alignment[-1]

    def abstain(reason: str) -> BaselineScore:
        return BaselineScore(rule=rule, probability=None, hit=False, abstained=True, scored=0, year=None,
                             alignment=final, reason=f"abstains: {reason}")

    scored = [c for c in exp.criteria if _in_scope(c)]
    if not scored:
        return abstain("no criterion of this case is about alignment")
    if any(not _in_scope(g) for g in exp.given):
        return abstain("the outcome is conditional on an event the rule does not predict")
    try:
        if not all(_holds(g, paths, starts, periods, primary) for g in exp.given):
            return abstain("the conditioning event does not happen on the rule's path")
        held = [_holds(c, paths, starts, periods, primary) for c in scored]
        ok = all(held)
        year, timing_ok, why = None, True, "timing not scored (not an alignment event)"
        tm = exp.timing
        if tm["kind"] in ALIGNMENT_EVENTS:
            client = tm.get("client", primary)
            ev = _events(paths[client].alignment, starts[client], tm["kind"], tm["label"])
            year = int(periods[ev[0]][:4]) if ev else None
            timing_ok = year is not None and abs(year - exp.year) <= tolerance
            why = f"{tm['kind']} {tm['label']}: {year if year is not None else 'never'} (history {exp.year})"
    except _Abstain as err:
        return abstain(str(err))
    crit = f"{sum(held)}/{len(scored)} scored criteria hold"
    return BaselineScore(rule=rule, probability=1.0 if ok else 0.0, hit=bool(ok and timing_ok),
                         abstained=False, scored=len(scored), year=year, alignment=final,
                         reason=f"{crit}; {why}")


def score_baselines(s: Scenario, exp: Expectation, *, tolerance: int = 1) -> dict[str, BaselineScore]:
    """Every rule of :data:`~alliancelab.engine.baselines.RULES` scored on case ``exp`` of scenario ``s``.

    Examples
    --------
    >>> from alliancelab.cases.expected import EXPECTED
    >>> from alliancelab.scenario import load_scenario
    >>> sc = score_baselines(load_scenario("italy-1948"), EXPECTED["italy-1948"])
    >>> sc["persistence"].hit, sc["persistence"].scored
    (False, 1)
    """
    paths = baseline_paths(s)
    return {rule: _score(rule, paths[rule], s, exp, tolerance) for rule in RULES}


def hit_rates(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Totals over backtest rows (``CaseResult.to_dict()``): the model's and each rule's hit rate.

    ``hit_rate`` counts an abstention as a miss; ``scored`` is the number of cases the rule was scored
    on and ``model_hit_rate_on_scored`` the model's hit rate on those same cases.
    """
    n = len(rows)
    out: dict[str, dict[str, Any]] = {"model": {"hits": sum(r["passed"] for r in rows), "cases": n,
                                                "hit_rate": _rate(sum(r["passed"] for r in rows), n)}}
    for rule in RULES:
        scored = [r for r in rows if not r["baselines"][rule]["abstained"]]
        hits = sum(r["baselines"][rule]["hit"] for r in rows)
        out[rule] = {"hits": hits, "cases": n, "hit_rate": _rate(hits, n), "scored": len(scored),
                     "hit_rate_on_scored": _rate(hits, len(scored)),
                     "model_hit_rate_on_scored": _rate(sum(r["passed"] for r in scored), len(scored))}
    return out


def _rate(k: int, n: int) -> float | None:
    return round(k / n, 4) if n else None
