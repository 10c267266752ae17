"""Compare patron strategies by cost and forecast probability of alignment (paper E, E16)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._exceptions import InputError
from .._random import SeedLike, as_generator
from .._validation import MAX_RUNS, check_positive_int
from ..scenario import Scenario, load_scenario
from ._strategies import STRATEGIES, AdviseParams, apply_strategy, friendly_faction, scheduled_cost

if TYPE_CHECKING:
    from ..calibration.store import Posterior
    from ..theory.params import ModelParams

__all__ = ["COLUMNS", "advise", "advice_to_dict"]

#: Columns of the advice table, in order.
COLUMNS: tuple[str, ...] = (
    "strategy", "description", "cost", "cost_ratio", "p_align", "p_align_lo", "p_align_hi",
    "delta_p_align", "delta_p_align_lo", "delta_p_align_hi", "p_best", "periods_aligned", "p_friendly_rules", "p_friendly_rules_lo",
    "p_friendly_rules_hi", "p_hedge", "p_split", "p_split_lo", "p_split_hi",
)


def _seed_int(seed: SeedLike) -> int:
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        return int(seed)
    return int(as_generator(seed).integers(0, 2**31 - 1))


def _notes(s: Scenario, patron: str, names: Sequence[str]) -> list[str]:
    notes = []
    if scheduled_cost(s, patron) <= 0:
        notes.append(f"{patron} schedules no money for {s.primary}: the money strategies change "
                     "nothing (add support items to compare them)")
    if "R2_revise_by_compliance" in names or "R1-R4" in names:
        if s.clients[s.primary].aid_need <= 0:
            notes.append(f"{s.primary} has no aid_need: R2 cannot cap support at need and only adds "
                         "the compliance condition")
    if "R3_engage_opposition" in names or "R1-R4" in names:
        friend = friendly_faction(s, patron)
        others = [n for n, f in s.clients[s.primary].factions.items()
                  if n != friend and f.affinity.get(patron, 0.0) >= 0.0]
        if not others:
            notes.append(f"no faction of {s.primary} other than {friend} is open to {patron} "
                         "(affinity >= 0): R3 changes nothing")
    return notes


def advise(scenario: Scenario | str | Path, patron: str, runs: int = 2000, seed: SeedLike = None, *,
           strategies: Sequence[str] | None = None, params: ModelParams | None = None,
           advise_params: AdviseParams | None = None, point: bool = False, posterior: Posterior | None = None,
           draws: int = 8, input_draws: int = 3) -> pd.DataFrame:
    """Forecast every strategy for ``patron`` and tabulate cost and P(align with patron) (E16).

    **Posterior (the default)**: each strategy is forecast integrated over the posterior of the
    parameters and the judgement inputs' bands, on ONE plan of cells
    (:func:`alliancelab.calibration.cells.plan_cells`: ``draws`` posterior draws x ``input_draws``
    input perturbations, the runs split over the cells): every strategy sees the same draws, the same
    perturbed inputs and the same random numbers, so the comparisons are paired. **Point** (``params``
    given, or ``point=True`` for :func:`~alliancelab.calibration.params.calibrated_params`): one
    parameter set, the file's inputs, every strategy with the same seed.

    Parameters
    ----------
    scenario
        A scenario, a path to a scenario YAML, or a built-in case id.
    patron
        The patron taking the advice.
    runs
        Monte Carlo runs per strategy (split over the cells in the posterior mode).
    seed
        ``int``, ``Generator`` or ``None`` (drawn once and recorded in ``df.attrs["seed"]``).
    strategies
        Keys of :data:`STRATEGIES` (default: all, in that order).
    params
        One :class:`~alliancelab.theory.params.ModelParams`: the point mode with these parameters.
    advise_params
        :class:`AdviseParams` for the strategies.
    point
        Without ``params``: the point mode with the calibrated parameter set (the posterior median).
    posterior, draws, input_draws
        The posterior mode's posterior (default: shipped), parameter draws and input perturbations.

    Returns
    -------
    pandas.DataFrame
        One row per strategy with :data:`COLUMNS`: ``cost`` is the money the patron schedules for
        the primary client over all periods (million USD; payment conditions ignored, the file's
        amounts), ``cost_ratio`` the ratio to the status quo, ``p_align`` the probability that the
        primary client is aligned with ``patron`` in the final period with its 95% interval
        (``_lo``/``_hi``: Wilson in the point mode; in the posterior mode the spread over parameters
        and inputs plus the Monte Carlo error, as a forecast's ``uncertainty``), ``delta_p_align`` the
        paired change against the status quo with its interval, ``p_best`` the share of cells
        (parameter draw x input draw; in the point mode the one cell) in which the strategy has the
        highest P(align) of the table (ties shared), ``periods_aligned`` the expected share of periods
        aligned with ``patron``, ``p_friendly_rules`` the probability that the faction the patron
        backs most rules in the final period, ``p_hedge`` the probability that the client is aligned
        with ``patron`` although another faction rules (what engaging the opposition buys, R3),
        ``p_split`` the probability of a split between the client and ``patron`` at some period
        (E11/E12), with its interval. ``df.attrs`` holds ``patron``, ``client``, ``friendly_faction``,
        ``runs``, ``seed``, ``notes``, ``mode`` and, in the posterior mode, ``uncertainty`` (the cells
        and the posterior used).

    Examples
    --------
    >>> df = advise("examples/contested_election.yaml", "West", runs=200, seed=1)  # doctest: +SKIP
    >>> list(df["strategy"])[:3]  # doctest: +SKIP
    ['status_quo', 'invisible_loans', 'double_budget']
    """
    from ..engine import forecast, wilson_interval

    runs = check_positive_int(runs, "runs", maximum=MAX_RUNS)
    s = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    if patron not in s.patrons:
        raise InputError(f"unknown patron {patron!r}; allowed: one of: {', '.join(s.patrons)}",
                         source=s.origin, field="patron")
    names = list(strategies) if strategies is not None else list(STRATEGIES)
    bad = [n for n in names if n not in STRATEGIES]
    if bad:
        raise InputError(f"unknown strategy {bad[0]!r}; allowed: one of: {', '.join(STRATEGIES)}",
                         field="strategy")
    seed_int = _seed_int(seed)
    p_idx = list(s.patrons).index(patron)
    friend = friendly_faction(s, patron)
    f_idx = list(s.clients[s.primary].factions).index(friend)
    base_cost = scheduled_cost(s, patron)
    mode = "point" if (params is not None or point) else "posterior"
    plan = None
    if mode == "point":
        if params is None:
            from ..calibration.params import calibrated_params

            params = calibrated_params(posterior)
    else:
        from ..calibration.cells import plan_cells
        from ..calibration.store import load_posterior

        post = posterior or load_posterior()
        plan = plan_cells(s, runs=runs, seed=seed_int, posterior=post, draws=draws, input_draws=input_draws)

    def simulate(name: str | None) -> Any:
        """The SimResult of a strategy (``None``: the file's schedule); runs in cell order."""
        if plan is None:
            sc = s if name is None else apply_strategy(s, patron, name, advise_params)
            return forecast(sc, runs=runs, seed=seed_int, params=params, drivers=False).result
        from ..calibration.cells import run_cells

        return run_cells(plan, variant=None if name is None else
                         (lambda sc: apply_strategy(sc, patron, name, advise_params)))[1]

    results = {name: simulate(name) for name in names}
    ref = results["status_quo"] if "status_quo" in results else simulate(None)
    ref_align = (ref.aligned[-1, :, 0] == p_idx)
    bounds = np.concatenate([[0], np.cumsum(plan.per)]) if plan is not None else np.array([0, runs])
    cell_p = np.array([[float(np.mean((results[n].aligned[-1, bounds[k]:bounds[k + 1], 0] == p_idx)))
                        for k in range(len(bounds) - 1)] for n in names])          # (strategies, cells)
    best = cell_p == cell_p.max(axis=0, keepdims=True)
    p_best = (best / best.sum(axis=0, keepdims=True)).mean(axis=1)
    rows: list[dict[str, Any]] = []
    for i, name in enumerate(names):
        res = results[name]
        aligned = res.aligned[:, :, 0]                       # (T, R) primary client
        ruling = res.ruling[-1, :, 0]
        final = aligned[-1] == p_idx
        rules = ruling == f_idx
        split = res.by["split"][:, 0, p_idx].astype(bool)
        diff = final.astype(float) - ref_align.astype(float)
        if plan is None:
            a_lo, a_hi = wilson_interval(int(final.sum()), runs)
            r_lo, r_hi = wilson_interval(int(rules.sum()), runs)
            s_lo, s_hi = wilson_interval(int(split.sum()), runs)
            half = 1.959963984540054 * float(diff.std(ddof=1)) / np.sqrt(runs) if runs > 1 else 0.0
            d_lo, d_hi = float(diff.mean()) - half, float(diff.mean()) + half
        else:
            from ..calibration.cells import cell_interval

            (a_lo, a_hi), (r_lo, r_hi), (s_lo, s_hi), (d_lo, d_hi) = (
                _clip(cell_interval(x, plan), lo) for x, lo in
                ((final, 0.0), (rules, 0.0), (split, 0.0), (diff, -1.0)))
        variant = apply_strategy(s, patron, name, advise_params)
        cost = scheduled_cost(variant, patron)
        rows.append({
            "strategy": name, "description": STRATEGIES[name], "cost": round(cost, 6),
            "cost_ratio": round(cost / base_cost, 6) if base_cost > 0 else float("nan"),
            "p_align": float(final.mean()), "p_align_lo": float(a_lo), "p_align_hi": float(a_hi),
            "delta_p_align": float(diff.mean()), "delta_p_align_lo": float(d_lo), "delta_p_align_hi": float(d_hi),
            "p_best": float(p_best[i]),
            "periods_aligned": float(np.mean(aligned == p_idx)),
            "p_friendly_rules": float(rules.mean()), "p_friendly_rules_lo": float(r_lo),
            "p_friendly_rules_hi": float(r_hi),
            "p_hedge": float(np.mean(final & ~rules)),
            "p_split": float(split.mean()), "p_split_lo": float(s_lo), "p_split_hi": float(s_hi),
        })
    df = pd.DataFrame(rows)
    df = df[list(COLUMNS)]
    df.attrs.update(patron=patron, client=s.primary, friendly_faction=friend, runs=runs,
                    seed=seed_int, notes=_notes(s, patron, names), scenario=s.metadata.id, mode=mode)
    if plan is not None:
        df.attrs["uncertainty"] = {
            "method": "every strategy on the same cells (posterior draws x input draws, same cell seeds): "
                      "paired; intervals = spread over parameters and inputs + Monte Carlo error "
                      "(docs/advise.md)",
            "parameter_draws": plan.A, "input_draws": plan.B, "cells": plan.cells,
            "runs_per_cell": [int(plan.per.min()), int(plan.per.max())], "inputs_varied": len(plan.inputs),
            "posterior": {k: post.provenance.get(k) for k in ("label", "cases", "seed", "code_version")},
            "posterior_draws_used": list(plan.draw_index)}
    return df


def _clip(iv: dict[str, Any], low: float) -> tuple[float, float]:
    return max(iv["lo"], low), min(iv["hi"], 1.0)


def advice_to_dict(df: pd.DataFrame) -> dict[str, Any]:
    """The JSON-able form of an :func:`advise` table (floats rounded to 6 decimals).

    Examples
    --------
    >>> import pandas as pd
    >>> d = advice_to_dict(pd.DataFrame({"strategy": ["status_quo"], "p_align": [0.1234567]}))
    >>> d["strategies"][0]["p_align"]
    0.123457
    """
    def clean(v: Any) -> Any:
        if isinstance(v, (float, np.floating)):
            return None if not np.isfinite(v) else round(float(v), 6)
        if isinstance(v, np.integer):
            return int(v)
        if isinstance(v, dict):
            return {k: clean(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [clean(x) for x in v]
        return v

    out: dict[str, Any] = {k: clean(v) for k, v in df.attrs.items()}
    out["strategies"] = [{k: clean(v) for k, v in row.items()} for row in df.to_dict("records")]
    return out
