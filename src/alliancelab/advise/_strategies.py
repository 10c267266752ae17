"""Patron strategies: paper E's recommendations R1–R4 and naive baselines, as scenario transforms.

Each strategy rewrites the support schedule of ONE patron towards the scenario's primary client and
returns a new, re-validated :class:`~alliancelab.scenario.Scenario`; everything else (the other
patrons, the facts, the threats) is untouched, so strategies are compared on the same world.

The recommendations are paper E's (Russia section, "a number of recommendations seem appropriate"):

* **R1** "link each stage of support to guaranteed distribution of benefits to the population":
  every mass instrument becomes visible and broad (E6, E17).
* **R2** "set regular deadlines for revising the volume of assistance, depending on compliance ...
  excessive support leads to increased ambitions": each period's money is capped at the client's
  ``aid_need`` (E11), and paid only unless the client aligns with a rival.
* **R3** "Russia should not be afraid of acting preemptively ... build a dialogue with the
  Belarusian opposition": a share of each mass-instrument item goes to the factions the patron does
  not back that are not hostile to it (affinity >= 0).
* **R4** "Excessive concessions to Turkey can be a blow to the popularity of the Syrian government,
  especially when it comes to control over territories": no negative diplomatic gestures (E4).

Baselines: the status quo; the same money as "preferential loans and tariffs" that "ordinary
citizens rarely see" (invisible economic aid, E17); and doubling the budget.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields
from typing import Any

from .._exceptions import InputError
from .._validation import check_interval
from ..scenario import Scenario, parse_scenario
from ..theory.instruments import MASS_INSTRUMENTS, MONEY_INSTRUMENTS

__all__ = ["AdviseParams", "STRATEGIES", "apply_strategy", "friendly_faction", "scheduled_cost"]

#: Instruments measured in money (million USD): the mass instruments and military aid.
MONEY: tuple[str, ...] = MONEY_INSTRUMENTS

#: Strategy name -> one-line description (the order of the advice table).
STRATEGIES: dict[str, str] = {
    "status_quo": "baseline: the scheduled support, unchanged",
    "invisible_loans": "baseline: the same money as preferential loans citizens never see (E17)",
    "double_budget": "baseline: every money item doubled",
    "R1_visible_benefits": "R1: tie each stage to visible, broad benefits for the population",
    "R2_revise_by_compliance": "R2: cap each period at the client's need; pay only while it complies",
    "R3_engage_opposition": "R3: pre-emptively engage the non-hostile opposition",
    "R4_no_concessions": "R4: no concessions over the client's territory (no negative gestures)",
    "R1-R4": "all four recommendations together",
}


def _p(default: float, unit: str, low: float, high: float, source: str) -> Any:
    return field(default=default, metadata={"unit": unit, "range": (low, high), "source": source})


@dataclass(frozen=True)
class AdviseParams:
    """How the strategies are parameterised (not model parameters: choices of the adviser).

    Examples
    --------
    >>> AdviseParams().r3_share
    0.3
    """

    r1_visibility: float = _p(
        1.0, "share", 0.0, 1.0,
        "paper E, R1: 'guaranteed distribution of benefits to the population' (fully visible)")
    r1_breadth: float = _p(
        1.0, "share", 0.0, 1.0,
        "paper E, theory section: broad support satisfies 'the majority of people'")
    r2_need_multiple: float = _p(
        1.0, "multiple of the client's aid_need", 0.1, 10.0,
        "paper E, R2: 'excessive support leads to increased ambitions' (cap at need)")
    r3_share: float = _p(
        0.3, "share of each mass-instrument item", 0.0, 1.0,
        "judgement: engage the opposition without abandoning the friendly faction")
    loan_visibility: float = _p(
        0.05, "share", 0.0, 1.0,
        "paper E, Russia section: preferential loans 'ordinary citizens rarely see'")
    loan_breadth: float = _p(
        0.2, "share", 0.0, 1.0,
        "judgement: loans and tariffs reach a narrow circle of firms and officials")
    budget_multiple: float = _p(
        2.0, "multiple", 1.0, 10.0, "baseline 'double budget'")

    def __post_init__(self) -> None:
        for f in fields(self):
            low, high = f.metadata["range"]
            check_interval(getattr(self, f.name), f.name, low, high)


def _is_target(item: dict[str, Any], s: Scenario, patron: str) -> bool:
    return item["patron"] == patron and (item.get("client") or s.primary) == s.primary


def _span(item: dict[str, Any], s: Scenario) -> range:
    start = max(s.period_index(item["from"]), 0)
    end = s.period_index(item["to"]) if item.get("to") is not None else start
    return range(start, end + 1)


def scheduled_cost(scenario: Scenario, patron: str, *, client: str | None = None) -> float:
    """Money the patron schedules for a client over all periods (million USD; conditions ignored).

    Examples
    --------
    >>> from alliancelab.scenario import load_scenario
    >>> s = load_scenario("examples/contested_election.yaml")    # doctest: +SKIP
    >>> scheduled_cost(s, "West")                                 # doctest: +SKIP
    1240.0
    """
    target = client or scenario.primary
    total = 0.0
    for it in scenario.support:
        if it.patron == patron and (it.client or scenario.primary) == target and it.instrument in MONEY:
            data = {"from": it.from_, "to": it.to}
            total += it.amount * len(_span(data, scenario))
    return total


def friendly_faction(scenario: Scenario, patron: str) -> str:
    """The primary client's faction the patron backs most (by scheduled money; else by affinity)."""
    factions = scenario.clients[scenario.primary].factions
    money = dict.fromkeys(factions, 0.0)
    for it in scenario.support:
        if it.patron == patron and (it.client or scenario.primary) == scenario.primary \
                and it.instrument in MONEY:
            name = it.faction if it.faction in money else \
                next(f for f, fa in factions.items() if fa.incumbent)      # "ruling": the incumbent
            money[name] += it.amount * len(_span({"from": it.from_, "to": it.to}, scenario))
    if max(money.values()) > 0:
        return max(money, key=lambda f: money[f])
    return max(factions, key=lambda f: factions[f].affinity.get(patron, 0.0))


def _r1(items: list[dict[str, Any]], s: Scenario, patron: str, a: AdviseParams) -> None:
    for it in items:
        if _is_target(it, s, patron) and it["instrument"] in MASS_INSTRUMENTS:
            it["visibility"] = max(it.get("visibility", 1.0), a.r1_visibility)
            it["breadth"] = max(it.get("breadth", 1.0), a.r1_breadth)


def _r4(items: list[dict[str, Any]], s: Scenario, patron: str) -> list[dict[str, Any]]:
    return [it for it in items if not (_is_target(it, s, patron)
                                       and it["instrument"] == "diplomatic_gesture"
                                       and it["amount"] < 0)]


def _r3(items: list[dict[str, Any]], s: Scenario, patron: str, a: AdviseParams) -> list[dict[str, Any]]:
    factions = s.clients[s.primary].factions
    friend = friendly_faction(s, patron)
    targets = {n: f.baseline_support for n, f in factions.items()
               if n != friend and f.affinity.get(patron, 0.0) >= 0.0}
    weight = sum(targets.values())
    if not targets or weight <= 0:
        return items
    out = []
    for it in items:
        if _is_target(it, s, patron) and it["instrument"] in MASS_INSTRUMENTS \
                and it["faction"] == friend and it["amount"] > 0:
            moved = it["amount"] * a.r3_share
            out.append({**it, "amount": it["amount"] - moved})
            for name, w in targets.items():
                new = {**it, "faction": name, "amount": moved * w / weight}
                new["id"] = f"{it['id']}~{name}" if it.get("id") else None
                out.append(new)
        else:
            out.append(it)
    return out


def _r2(items: list[dict[str, Any]], s: Scenario, patron: str, a: AdviseParams) -> list[dict[str, Any]]:
    cap = a.r2_need_multiple * s.clients[s.primary].aid_need
    mine = [it for it in items if _is_target(it, s, patron) and it["instrument"] in MONEY]
    spend = [0.0] * len(s.periods)
    for it in mine:
        for t in _span(it, s):
            spend[t] += it["amount"]
    out = []
    for it in items:
        if not _is_target(it, s, patron):
            out.append(it)
            continue
        cond = "unless_aligned_with_rival" if it.get("condition", "always") == "always" \
            else it["condition"]
        if it["instrument"] not in MONEY or cap <= 0:
            out.append({**it, "condition": cond})
            continue
        for t in _span(it, s):                          # one item per period: revised each period
            scale = min(1.0, cap / spend[t]) if spend[t] > 0 else 1.0
            new = {**it, "from": s.periods[t], "to": s.periods[t], "amount": it["amount"] * scale,
                   "condition": cond}
            new["id"] = f"{it['id']}@{s.periods[t]}" if it.get("id") else None
            out.append(new)
    return out


def _invisible(items: list[dict[str, Any]], s: Scenario, patron: str, a: AdviseParams) -> None:
    for it in items:
        if _is_target(it, s, patron) and it["instrument"] in MASS_INSTRUMENTS:
            it.update(instrument="economic_aid", visibility=a.loan_visibility, breadth=a.loan_breadth)


def _double(items: list[dict[str, Any]], s: Scenario, patron: str, a: AdviseParams) -> None:
    for it in items:
        if _is_target(it, s, patron) and it["instrument"] in MONEY:
            it["amount"] = it["amount"] * a.budget_multiple


def apply_strategy(scenario: Scenario, patron: str, strategy: str,
                   params: AdviseParams | None = None) -> Scenario:
    """Return the scenario with ``patron``'s support to the primary client rewritten by ``strategy``.

    Parameters
    ----------
    scenario
        A validated scenario (not modified).
    patron
        The patron whose schedule is rewritten.
    strategy
        A key of :data:`STRATEGIES`.
    params
        :class:`AdviseParams` (defaults if ``None``).

    Raises
    ------
    InputError
        Unknown patron or strategy (one line naming the option and what is allowed).
    """
    a = params or AdviseParams()
    if patron not in scenario.patrons:
        raise InputError(f"unknown patron {patron!r}; allowed: one of: {', '.join(scenario.patrons)}",
                         field="patron")
    if strategy not in STRATEGIES:
        raise InputError(f"unknown strategy {strategy!r}; allowed: one of: {', '.join(STRATEGIES)}",
                         field="strategy")
    data = copy.deepcopy(scenario.model_dump(by_alias=True, exclude_none=False))
    items: list[dict[str, Any]] = data.get("support") or []
    s = scenario
    if strategy == "invisible_loans":
        _invisible(items, s, patron, a)
    elif strategy == "double_budget":
        _double(items, s, patron, a)
    elif strategy == "R1_visible_benefits":
        _r1(items, s, patron, a)
    elif strategy == "R2_revise_by_compliance":
        items = _r2(items, s, patron, a)
    elif strategy == "R3_engage_opposition":
        items = _r3(items, s, patron, a)
    elif strategy == "R4_no_concessions":
        items = _r4(items, s, patron)
    elif strategy == "R1-R4":
        items = _r3(_r4(items, s, patron), s, patron, a)
        _r1(items, s, patron, a)
        items = _r2(items, s, patron, a)
    data["support"] = items
    return parse_scenario(data, source=f"{scenario.origin} [{strategy} for {patron}]")
