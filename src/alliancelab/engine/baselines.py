"""Realist baselines: the alignment three classic rules predict for each client from a scenario's facts.

The rules are deterministic functions of the scenario file (no parameters, no randomness, no model
run); docs/baselines.md states them with their tie-breaks and abstentions. Per client and period each
rule gives an alignment label (a patron or ``non-aligned``) or ``None`` (the rule abstains):

``balance_of_power`` (Waltz)
    The poles are the scenario's patrons and actors (the other clients choose, they are not poles).
    Material power = mean of the ``military`` and ``economic`` components of the latest dated power
    entry (as the engine carries them forward). Against the strongest pole, side with the weaker camp:
    if the strongest pole is a patron, align with the strongest *other* patron (the largest
    counterweight); none -> ``non-aligned``. If it is a non-patron actor, every patron is in the
    weaker camp: align with the strongest patron. Abstains when fewer than two poles have material
    power. Ties: the pole listed first (patrons in file order, then actors).
``balance_of_threat`` (Walt)
    Each threat active in the period whose ``targets`` include the client scores
    ``severity`` (per target: ``severity_by_target`` where given) x ``offensive`` (when given; unset
    means intentions are folded into ``severity``, as the schema says). ``severity`` is, by the
    schema's definition, Walt's aggregate power x proximity x offensive capability. The most
    threatening source is the one with the highest score (ties: the source with more material power,
    then the threat listed first). Align against it: with a patron that does not itself threaten the
    client, preferring one that shares the threat (is itself a target of the source), then the
    strongest, then the first listed; no such patron -> ``non-aligned``. No active threat against the
    client -> ``non-aligned`` (nothing to balance).
Both balancing rules use only patrons whose alliance is on offer in the period (``alliance_from``,
read as the engine reads it); if none is, they predict ``non-aligned``.

``persistence``
    The alignment at the start (``clients.<name>.aligned_with``) in every period.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..scenario import NON_ALIGNED, POWER_COMPONENTS, Scenario
from ._compile import _power_series, _span

__all__ = ["RULES", "BaselinePath", "baseline_paths", "baselines"]

#: The rules, in the order every table lists them.
RULES: tuple[str, ...] = ("balance_of_power", "balance_of_threat", "persistence")

_MIL, _ECO = POWER_COMPONENTS.index("military"), POWER_COMPONENTS.index("economic")


@dataclass(frozen=True)
class BaselinePath:
    """One rule's prediction for one client: a label (or ``None``: abstains) and its reason per period."""

    rule: str
    client: str
    alignment: tuple[str | None, ...]
    basis: tuple[str, ...]

    def to_dict(self, periods: list[str]) -> dict[str, Any]:
        return {"alignment": self.alignment[-1], "basis": self.basis[-1],
                "path": {p: a for p, a in zip(periods, self.alignment)}}


def _material(s: Scenario) -> dict[str, np.ndarray]:
    """(T,) material power of every patron, client and actor (0 where the file gives none)."""
    owners = {**s.actors, **s.clients, **s.patrons}
    out = {}
    for name, owner in owners.items():
        series = _power_series(owner.power, s) if owner.power else np.zeros((len(s.periods), len(POWER_COMPONENTS)))
        out[name] = (series[:, _MIL] + series[:, _ECO]) / 2.0
    return out


def _fmt(x: float) -> str:
    return f"{x:.3g}"


def _open(s: Scenario, patron: str, client: str, t: int) -> bool:
    """Is ``patron``'s alliance on offer to ``client`` in period ``t`` (``alliance_from``, as the engine)?"""
    frm = s.patrons[patron].alliance_from
    d = frm.get(client, frm.get("*"))
    return d is None or t >= max(s.period_index(d), 0)


def _balance_of_power(s: Scenario, client: str, power: dict[str, np.ndarray],
                      t: int) -> tuple[str | None, str]:
    patrons = list(s.patrons)
    poles = [n for n in [*patrons, *s.actors] if power[n][t] > 0]
    if len(poles) < 2:
        return None, "abstains: fewer than two patrons/actors with military and economic power"
    top = max(poles, key=lambda n: power[n][t])  # max() keeps the first of equals: file order
    lead = f"strongest power {top} ({_fmt(power[top][t])})"
    cands = [p for p in patrons if p != top and power[p][t] > 0]
    if not cands:
        why = "is the only patron: no counterweight to join" if top in s.patrons else \
            "is not a patron and no patron has power data"
        return NON_ALIGNED, f"{lead} {why}"
    camp = "weaker camp" if top in s.patrons else "weaker camp (the strongest power is no patron)"
    offered = [p for p in cands if _open(s, p, client, t)]
    if not offered:
        return NON_ALIGNED, f"{lead}; no patron of the {camp} offers an alliance yet (alliance_from)"
    pick = max(offered, key=lambda n: power[n][t])
    return pick, f"{lead}; {camp}: {pick} ({_fmt(power[pick][t])})"


def _threat_scores(s: Scenario, spans: list[range], client: str, t: int) -> dict[str, tuple[float, int]]:
    """Source -> (best Walt score against ``client`` in period ``t``, index of that threat item)."""
    out: dict[str, tuple[float, int]] = {}
    for i, th in enumerate(s.threats):
        if client not in th.targets or t not in spans[i]:
            continue
        sev = (getattr(th, "severity_by_target", None) or {}).get(client, th.severity)
        off = getattr(th, "offensive", None)
        score = float(sev) * (1.0 if off is None else float(off))
        if th.actor not in out or score > out[th.actor][0]:
            out[th.actor] = (score, i)
    return out


def _targets_of(s: Scenario, spans: list[range], source: str, t: int) -> set[str]:
    """Everyone an active threat of ``source`` targets in period ``t``."""
    return {x for i, th in enumerate(s.threats) if th.actor == source and t in spans[i] for x in th.targets}


def _balance_of_threat(s: Scenario, spans: list[range], client: str, power: dict[str, np.ndarray],
                       t: int) -> tuple[str, str]:
    scores = _threat_scores(s, spans, client, t)
    if not scores:
        return NON_ALIGNED, "no active threat against the client: nothing to balance"
    src = max(scores, key=lambda n: (scores[n][0], power.get(n, np.zeros(t + 1))[t], -scores[n][1]))
    lead = f"most threatening: {src} (severity x intent {_fmt(scores[src][0])})"
    cands = [p for p in s.patrons if p != src and p not in scores and _open(s, p, client, t)]
    if not cands:
        return NON_ALIGNED, f"{lead}; no patron that does not threaten the client offers an alliance (now)"
    shared = _targets_of(s, spans, src, t)
    order = {p: i for i, p in enumerate(s.patrons)}
    pick = max(cands, key=lambda p: (p in shared, power[p][t], -order[p]))
    why = "shares the threat" if pick in shared else "does not share the threat"
    return pick, f"{lead}; align against it with {pick} ({why})"


def baseline_paths(s: Scenario) -> dict[str, dict[str, BaselinePath]]:
    """Every rule's prediction for every client: ``{rule: {client: BaselinePath}}``.

    Examples
    --------
    >>> from alliancelab.scenario import load_scenario
    >>> baseline_paths(load_scenario("italy-1948"))["persistence"]["Italy"].alignment[-1]
    'non-aligned'
    """
    power = _material(s)
    spans = [_span(s, th.from_, th.to, default_end_last=True) for th in s.threats]  # active periods
    T = len(s.periods)
    out: dict[str, dict[str, BaselinePath]] = {r: {} for r in RULES}
    for c, cl in s.clients.items():
        bop = [_balance_of_power(s, c, power, t) for t in range(T)]
        bot = [_balance_of_threat(s, spans, c, power, t) for t in range(T)]
        start = cl.aligned_with or NON_ALIGNED
        per = [(start, f"alignment at the start: {start}")] * T
        for rule, rows in zip(RULES, (bop, bot, per)):
            out[rule][c] = BaselinePath(rule=rule, client=c, alignment=tuple(a for a, _ in rows),
                                        basis=tuple(b for _, b in rows))
    return out


def baselines(s: Scenario) -> dict[str, dict[str, Any]]:
    """The ``baselines`` object of ``forecast --json``: ``{rule: {client: {alignment, basis, path}}}``.

    ``alignment`` and ``basis`` are the final period's; ``path`` maps each period to the rule's label
    (``null`` where the rule abstains).
    """
    periods = [str(p) for p in s.periods]
    return {rule: {c: p.to_dict(periods) for c, p in by_client.items()}
            for rule, by_client in baseline_paths(s).items()}
