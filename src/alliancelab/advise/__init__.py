"""Patron strategies: paper E's recommendations (R1–R4) against naive baselines (E16).

``advise(scenario, patron, runs, seed) -> DataFrame`` forecasts each strategy (a rewrite of one
patron's support schedule, :func:`apply_strategy`) and tabulates its cost and the probability that
the client aligns with the patron, with 95% intervals. See ``docs/advise.md``.
"""

from __future__ import annotations

from ._advise import COLUMNS, advice_to_dict, advise
from ._strategies import STRATEGIES, AdviseParams, apply_strategy, friendly_faction, scheduled_cost

__all__ = [
    "COLUMNS",
    "STRATEGIES",
    "AdviseParams",
    "advice_to_dict",
    "advise",
    "apply_strategy",
    "friendly_faction",
    "scheduled_cost",
]
