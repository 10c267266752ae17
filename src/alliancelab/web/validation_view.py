"""The explorer's validation view: a thin adapter over ``alliancelab backtest --cv loo --no-refit``.

:func:`validation_view` calls :func:`alliancelab.calibration.loo.loo_validate` on the shipped
posterior with PSIS only (no exact refits, nothing stored), exactly as the CLI does, and adds what
the page shows beside the numbers: each case's title, era and region (from its expected-outcome
file) and the posterior's convergence as its file records it (``provenance``: ``converged``,
``label``, ``convergence.rhat_max`` / ``ess_bulk_min`` / ``failing``). The leave-one-out numbers
themselves are passed through unchanged, so the page's totals are the CLI's.
"""

from __future__ import annotations

from typing import Any

__all__ = ["CLI_COMMAND", "validation_view"]

#: The command whose JSON the view reproduces (same posterior, same code).
CLI_COMMAND = "alliancelab backtest --cv loo --no-refit --json"


def _convergence(provenance: dict[str, Any]) -> dict[str, Any]:
    """What the posterior file says about its own convergence (``alliancelab posterior``)."""
    conv = provenance.get("convergence") or {}
    return {"converged": bool(provenance.get("converged", False)), "label": provenance.get("label", ""),
            "rhat_max": conv.get("rhat_max"), "ess_bulk_min": conv.get("ess_bulk_min"),
            "criterion": conv.get("criterion", ""), "failing": list(conv.get("failing", [])),
            "steps_done": provenance.get("steps_done"), "walkers": provenance.get("walkers"),
            "code_version": provenance.get("code_version")}


def validation_view() -> dict[str, Any]:
    """Leave-one-case-out validation of the shipped posterior (PSIS, no refits) for the page.

    The keys of :func:`~alliancelab.calibration.loo.loo_validate` (``hit_rate``, ``baselines``,
    ``cases``, ...), each case row with ``title``, ``era`` and ``region`` added, plus
    ``convergence`` (:func:`_convergence`) and ``command`` (:data:`CLI_COMMAND`).
    """
    from ..calibration.loo import loo_validate
    from ..calibration.store import load_posterior
    from ..cases.expected import EXPECTED

    post = load_posterior()
    res = loo_validate(post, refit=False)
    for row in res["cases"]:
        exp = EXPECTED.get(row["case"])
        for key in ("title", "era", "region"):
            row[key] = getattr(exp, key, "") or ""
    res["convergence"] = _convergence(post.provenance)
    res["command"] = CLI_COMMAND
    return res
