"""The papers' five cases: built-in scenarios, backtest, counterfactuals, timeline plots (issue #3).

* :func:`list_cases` — the built-in case files in ``cases/data/`` (facts only, every value sourced).
* :func:`backtest` — every case with ONE parameter set; per case the paper's outcome, its model
  probability, model vs historical year, pass/fail.
* :func:`counterfactuals` — the papers' counterfactuals as ``--set`` overrides, with the direction the
  papers argue.
* :func:`alliancelab.cases.plots.plot_case` — one timeline PNG per case.
* :mod:`alliancelab.cases.facts` — the dataset numbers behind the case files, recomputed.
"""

from __future__ import annotations

from .backtest import CaseResult, backtest, run_case
from .catalog import CaseInfo, list_cases
from .counterfactuals import COUNTERFACTUALS, Counterfactual, CounterfactualResult, counterfactuals
from .expected import EXPECTED, Expectation

__all__ = [
    "COUNTERFACTUALS", "CaseInfo", "CaseResult", "Counterfactual", "CounterfactualResult", "EXPECTED",
    "Expectation", "backtest", "counterfactuals", "list_cases", "run_case",
]
