"""The cells of a forecast integrated over the posterior: parameter draws x judgement-input draws.

One :class:`CellPlan` fixes, from a master seed, which posterior draws (rows ``a``) and which
perturbations of the scenario's judgement inputs (columns ``b``) are used, how many runs each cell gets
and each cell's seed. Every comparison built on one plan is **paired**: :func:`run_cells` evaluates any
variant of the scenario (an advice strategy, a what-if) on the same draws, the same input
perturbations and the same cell seeds, so run ``r`` of every variant shares its parameters, its
inputs and its random numbers (common random numbers), and differences between variants are due to
the variant alone. Used by :func:`~alliancelab.calibration.uncertainty.posterior_forecast`,
:func:`alliancelab.advise.advise` and the web explorer (docs/calibration.md, "Forecast uncertainty").
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..engine.forecast import _Z95
from ..scenario import Scenario
from .store import Posterior

__all__ = ["CellPlan", "cell_interval", "components", "half_width", "plan_cells", "run_cells"]

#: Fewest runs a cell gets: fewer cells are used when ``runs`` is small.
MIN_RUNS_PER_CELL = 50


@dataclasses.dataclass(frozen=True)
class CellPlan:
    """Rows = posterior draws (``params``), columns = input perturbations (``scenarios``)."""

    master: int
    A: int
    B: int
    per: np.ndarray                  # (A*B,) runs per cell, row-major (a, b)
    seeds: tuple[int, ...]           # (A*B,) cell seeds
    draw_index: tuple[int, ...]      # (A,) rows of the posterior's draws
    params: tuple[Any, ...]          # (A,) ModelParams
    scenarios: tuple[Scenario, ...]  # (B,) the scenario with perturbed judgement inputs
    inputs: tuple[Any, ...]          # the JudgementInput list varied (empty when B == 1)

    @property
    def cells(self) -> int:
        return self.A * self.B

    @property
    def runs(self) -> int:
        return int(self.per.sum())

    @property
    def runs_by_cell(self) -> np.ndarray:
        """``(A, B)`` runs per cell."""
        return self.per.reshape(self.A, self.B)


def plan_cells(sc: Scenario, *, runs: int, seed: int, posterior: Posterior, draws: int, input_draws: int,
               inputs: bool = True) -> CellPlan:
    """The cells of ``runs`` runs over ``draws`` posterior draws x ``input_draws`` input perturbations.

    At least :data:`MIN_RUNS_PER_CELL` runs per cell (fewer cells otherwise: the larger factor shrinks
    first). The draws are chosen and the inputs perturbed with generators spawned from ``seed``.
    """
    from .uncertainty import _perturbed, judgement_inputs

    ji = judgement_inputs(sc) if inputs else []
    B = input_draws if ji else 1
    A = draws
    while A * B > 1 and runs // (A * B) < MIN_RUNS_PER_CELL:
        if B > 1 and B >= A:
            B -= 1
        else:
            A -= 1
    K = A * B
    per = np.full(K, runs // K)
    per[: runs % K] += 1
    ss = np.random.SeedSequence([int(seed), 0x5EED])
    pick_rng, input_rng = (np.random.default_rng(s) for s in ss.spawn(2))
    cell_seeds = tuple(int(s.generate_state(1, dtype=np.uint32)[0]) for s in ss.spawn(K))
    idx = pick_rng.choice(posterior.n_draws, size=A, replace=A > posterior.n_draws)
    scen = (sc,) if B == 1 else tuple(
        _perturbed(sc, {j.path: float(input_rng.uniform(j.low, j.high)) for j in ji}) for _ in range(B))
    params = tuple(posterior.params(int(i)) for i in idx)
    return CellPlan(int(seed), A, B, per, cell_seeds, tuple(int(i) for i in idx), params, scen,
                    tuple(ji) if B > 1 else ())


def run_cells(plan: CellPlan, scenarios: Sequence[Scenario] | None = None, *,
              variant: Callable[[Scenario], Scenario] | None = None, disable: tuple[str, ...] = ()) \
        -> tuple[list[Any], Any]:
    """Forecast every cell; return ``(forecasts in row-major cell order, merged SimResult)``.

    ``scenarios``: the ``B`` scenarios of the columns (default the plan's); ``variant`` maps each to
    the variant compared (e.g. an advice strategy applied to the perturbed scenario).
    """
    from ..engine import forecast
    from .uncertainty import _concat

    cols = list(plan.scenarios if scenarios is None else scenarios)
    if variant is not None:
        cols = [variant(s) for s in cols]
    fcs = []
    for a in range(plan.A):
        for b in range(plan.B):
            k = a * plan.B + b
            fcs.append(forecast(cols[b], runs=int(plan.per[k]), seed=plan.seeds[k], params=plan.params[a],
                                drivers=False, disable=disable))
    merged = _concat([f.result for f in fcs], plan.per.tolist())
    return fcs, merged


def components(p: np.ndarray, m: np.ndarray, mc_var: np.ndarray | None = None) -> dict[str, float]:
    """Variance components of cell means ``p`` (A, B) with ``m`` runs per cell.

    ``mc_var``: the per-run variance in each cell (default ``p(1−p)``, a probability); the Monte Carlo
    part is ``mean(mc_var / m)``. The epistemic part is split by a two-way random-effects ANOVA (rows =
    parameter draws, columns = input draws; each component floored at 0).
    """
    A, B = p.shape
    v = p * (1 - p) if mc_var is None else mc_var
    mc = float(np.mean(v / m))
    total = float(np.var(p, ddof=1)) if p.size > 1 else 0.0
    par = inp = inter = 0.0
    if A > 1 and B > 1:
        rows, cols, g = p.mean(1), p.mean(0), p.mean()
        ms_a = B * float(np.var(rows, ddof=1))
        ms_b = A * float(np.var(cols, ddof=1))
        resid = p - rows[:, None] - cols[None, :] + g
        ms_e = float((resid ** 2).sum() / ((A - 1) * (B - 1)))
        par, inp, inter = max((ms_a - ms_e) / B, 0.0), max((ms_b - ms_e) / A, 0.0), max(ms_e - mc, 0.0)
    elif A > 1:
        par = max(total - mc, 0.0)
    elif B > 1:
        inp = max(total - mc, 0.0)
    return {"total": total, "monte_carlo": mc, "parameter": par, "input": inp, "interaction": inter}


def half_width(comp: dict[str, float], se_mc: float) -> tuple[float, float]:
    """The epistemic variance of ``components`` (parameter + input + interaction) and the 95 %
    half-width ``1.96·sqrt(epistemic + se_mc²)`` of an interval around a mean with Monte Carlo SE
    ``se_mc``."""
    epi = comp["parameter"] + comp["input"] + comp["interaction"]
    return epi, _Z95 * math.sqrt(epi + se_mc ** 2)


def cell_interval(x: np.ndarray, plan: CellPlan) -> dict[str, Any]:
    """Mean and 95 % interval of a per-run quantity ``x`` (merged runs, row-major cells) over the plan.

    ``x`` is an indicator (a probability) or a paired difference of indicators. The interval is
    ``mean ± 1.96·sqrt(σ²_parameter + σ²_input + σ²_interaction + se²_MC)`` as for a forecast's
    ``uncertainty`` (the spread of the quantity over the posterior and the inputs, plus the Monte Carlo
    error of the mean).
    """
    x = np.asarray(x, dtype=float)
    m = plan.runs_by_cell
    bounds = np.concatenate([[0], np.cumsum(plan.per)])
    means = np.array([x[bounds[k]:bounds[k + 1]].mean() for k in range(plan.cells)]).reshape(plan.A, plan.B)
    var = np.array([x[bounds[k]:bounds[k + 1]].var(ddof=1) if plan.per[k] > 1 else 0.0
                    for k in range(plan.cells)]).reshape(plan.A, plan.B)
    comp = components(means, m, var)
    mean = float(x.mean())
    se_mc = math.sqrt(float(x.var(ddof=1)) / x.size) if x.size > 1 else 0.0
    _, half = half_width(comp, se_mc)
    return {"mean": mean, "lo": mean - half, "hi": mean + half, "se_mc": se_mc,
            "sd": {k: math.sqrt(v) for k, v in comp.items()}, "cell_means": means}
