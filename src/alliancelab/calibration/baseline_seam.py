"""The seam to the realist baselines: scored by ``alliancelab.cases.baseline_scores`` when it exists.

The baselines and their scoring on a case's expected outcome belong to the case library
(``engine/baselines.py``, ``cases/baseline_scores.py``: the same criteria and ±1-year timing as the
model, an abstention counts as a miss). This module only calls them, so leave-one-out reports them the
moment they are installed, and says ``available: false`` before.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["RULES", "baseline_scores"]

#: The three rules, in table order.
RULES: tuple[str, ...] = ("balance_of_power", "balance_of_threat", "persistence")


def baseline_scores(case: str) -> dict[str, dict[str, Any]] | None:
    """``{rule: {hit, abstained, probability, alignment, reason, ...}}`` for a built-in case, or None.

    None when the baselines are not installed (``alliancelab.cases.baseline_scores`` missing).
    """
    try:
        mod = importlib.import_module("alliancelab.cases.baseline_scores")
    except ImportError:
        return None
    from ..cases.expected import EXPECTED
    from ..scenario import load_scenario

    scores = mod.score_baselines(load_scenario(case), EXPECTED[case])
    return {rule: (s.to_dict() if hasattr(s, "to_dict") else dict(s)) for rule, s in scores.items()}
