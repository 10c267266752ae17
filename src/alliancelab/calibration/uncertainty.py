"""Forecasts with honest uncertainty: integrated over the posterior and over the judgement inputs.

Design (docs/calibration.md, "Forecast uncertainty"): ``draws`` parameter sets from the posterior ×
``input_draws`` perturbations of the scenario's judgement inputs form a grid of cells; each cell is a
point forecast (:func:`alliancelab.engine.forecast`) with its own seed and ``runs / cells`` runs. The
forecast reported is the mixture of all cells' runs (the posterior predictive). For each final
alignment label of the primary client the spread of the cells' probabilities is split by the law of
total variance and a two-way random-effects ANOVA:

    Var(p̂_cell) = E[p(1−p)/m]                       (Monte Carlo: finitely many runs per cell)
                + σ²_parameter + σ²_input + σ²_interaction   (the epistemic spread of p(θ, inputs))

with ``σ²_parameter = (MS_rows − MS_residual)/B``, ``σ²_input = (MS_cols − MS_residual)/A`` and
``σ²_interaction = MS_residual − σ²_MC`` (each floored at 0). The reported 95 % interval is
``p̄ ± 1.96·sqrt(σ²_parameter + σ²_input + σ²_interaction + se²_MC)``, ``se_MC = sqrt(p̄(1−p̄)/runs)``.

Judgement inputs: every number with ``judgement: true`` in the scenario varies uniformly within its
band: ``{value, low, high}`` in the file, else the default band ``value × (1 ± 0.25)``
(:data:`DEFAULT_BAND`), clipped to [0, 1] when the value lies in [0, 1]; a perturbed value the
scenario's validation refuses is kept at its file value.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from typing import Any

import numpy as np

from .._exceptions import InputError, ModelError, ScenarioError
from ..scenario import NON_ALIGNED, Scenario, load_scenario
from .cells import components, half_width
from .store import Posterior, load_posterior

__all__ = ["DEFAULT_BAND", "JudgementInput", "judgement_inputs", "posterior_forecast", "sensitivity",
           "tornado_plot"]

#: Default relative half-width of a judgement input's band: a judgement stated to one significant
#: figure (0.8, 4, 800) stands for roughly ±25 % of itself.
DEFAULT_BAND = 0.25


@dataclasses.dataclass(frozen=True)
class JudgementInput:
    """One judgement number of a scenario: its dotted path, file value and band."""

    path: str
    value: float
    low: float
    high: float
    band: str          # "file" or "default"


def judgement_inputs(sc: Scenario) -> list[JudgementInput]:
    """Every numeric ``judgement: true`` value of the scenario with its band (module docstring)."""
    from ..scenario._paths import get_path

    data = sc.model_dump(mode="python")
    out = []
    for path, prov in sorted(sc.provenance.items()):
        if not prov.judgement:
            continue
        try:
            v = get_path(data, path)
        except (KeyError, IndexError, TypeError):
            continue
        if isinstance(v, dict) and len(v) == 1:     # a scalar the schema broadcast ({"*": x})
            v = next(iter(v.values()))
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            continue
        v = float(v)
        if prov.low is not None and prov.high is not None:
            if not prov.low <= v <= prov.high:
                raise InputError(f"value {v:g} outside its band [{prov.low:g}, {prov.high:g}]",
                                 source=getattr(sc, "_origin", None), field=path)
            out.append(JudgementInput(path, v, float(prov.low), float(prov.high), "file"))
            continue
        lo, hi = sorted((v * (1 - DEFAULT_BAND), v * (1 + DEFAULT_BAND)))
        if 0.0 <= v <= 1.0:
            lo, hi = max(lo, 0.0), min(hi, 1.0)
        out.append(JudgementInput(path, v, lo, hi, "default"))
    return out


def _perturbed(sc: Scenario, values: dict[str, float]) -> Scenario:
    """The scenario with ``values`` applied; a value the validation refuses is dropped (max 50 tries)."""
    from ..scenario._overrides import apply_overrides

    vals = dict(values)
    for _ in range(50):
        if not vals:
            return sc
        try:
            return apply_overrides(sc, vals)
        except ScenarioError as err:
            bad = err.field if getattr(err, "field", None) in vals else None
            if bad is None:
                bad = next((p for p in vals if f"'{p}'" in str(err)), None)
            if bad is None:
                return sc
            vals.pop(bad)
    return sc


def _concat(results: list[Any], runs: list[int]) -> Any:
    """Join SimResults along the run axis: arrays ``(T, R, ...)``, dict values ``(R, ...)`` (SimResult doc)."""
    first = results[0]
    kw = {}
    for f in dataclasses.fields(first):
        vals = [getattr(r, f.name) for r in results]
        if isinstance(vals[0], np.ndarray):
            if any(v.ndim < 2 or v.shape[1] != n for v, n in zip(vals, runs)):
                raise ModelError(f"SimResult.{f.name}: expected (period, run, ...) arrays")
            kw[f.name] = np.concatenate(vals, axis=1)
        elif isinstance(vals[0], dict):
            for k in vals[0]:
                if any(v[k].shape[0] != n for v, n in zip(vals, runs)):
                    raise ModelError(f"SimResult.{f.name}[{k!r}]: expected (run, ...) arrays")
            kw[f.name] = {k: np.concatenate([v[k] for v in vals], axis=0) for k in vals[0]}
        else:
            kw[f.name] = vals[0]
    return dataclasses.replace(first, **kw)


def _components(p: np.ndarray, m: np.ndarray) -> dict[str, float]:
    """Variance components of cell probabilities ``p`` (A, B) with ``m`` runs per cell (module docstring)."""
    return components(p, m)


def posterior_forecast(scenario: Scenario | str | Path, *, runs: int = 10_000, seed: int | None = None,
                       posterior: Posterior | None = None, draws: int = 8, input_draws: int = 3,
                       inputs: bool = True, drivers: bool = False, driver_runs: int = 2_000,
                       disable: tuple[str, ...] = ()) -> Any:
    """A forecast integrated over ``draws`` posterior draws × ``input_draws`` input perturbations.

    Returns ``(Forecast, uncertainty_dict)``: the Forecast is the mixture of every cell's runs
    (``to_dict()`` as for a point forecast, ``params`` = the posterior median); drivers, if asked, are
    measured at the posterior median with the file's inputs.
    """
    from .._validation import MAX_RUNS, check_positive_int
    from ..engine import forecast
    from ..engine.forecast import _resolve_seed

    runs = check_positive_int(runs, "runs", maximum=MAX_RUNS)
    draws = check_positive_int(draws, "draws", maximum=1_000)
    input_draws = check_positive_int(input_draws, "input_draws", maximum=1_000)
    from .cells import plan_cells, run_cells

    post = posterior or load_posterior()
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    master = _resolve_seed(seed)
    plan = plan_cells(sc, runs=runs, seed=master, posterior=post, draws=draws, input_draws=input_draws,
                      inputs=inputs)
    A, B, K, per, idx = plan.A, plan.B, plan.cells, plan.per, plan.draw_index
    ji = judgement_inputs(sc) if inputs else []
    fcs, merged = run_cells(plan, disable=disable)
    med = post.median_params()
    drv, n_drv = {}, 0
    if drivers:
        d = forecast(sc, runs=min(runs, driver_runs), seed=master, params=med, drivers=True,
                     driver_runs=driver_runs, disable=disable)
        drv, n_drv = d.drivers, d.driver_runs
    extra = {}
    if any(f.name == "baselines" for f in dataclasses.fields(fcs[0])):     # the file's facts, not a cell's
        from ..engine.baselines import baselines as _baselines

        extra["baselines"] = _baselines(sc)
    mix = dataclasses.replace(fcs[0], runs=runs, seed=master, result=merged, params=med, drivers=drv,
                              driver_runs=n_drv, **extra)
    labels = mix.alignment_labels
    final = np.array([[np.bincount(f.result.aligned[-1, :, 0], minlength=len(labels)) / f.runs for f in
                       fcs[a * B:(a + 1) * B]] for a in range(A)])            # (A, B, L)
    m = per.reshape(A, B)
    pbar = np.bincount(merged.aligned[-1, :, 0], minlength=len(labels)) / runs
    modal = labels[int(np.argmax(pbar))]
    by_label = {}
    for li, lab in enumerate(labels):
        comp = _components(final[:, :, li], m)
        se_mc = math.sqrt(pbar[li] * (1 - pbar[li]) / runs)
        epi, half = half_width(comp, se_mc)
        by_label[lab] = {"probability": round(float(pbar[li]), 6),
                         "interval_95": [round(max(pbar[li] - half, 0.0), 6), round(min(pbar[li] + half, 1.0), 6)],
                         "sd": {k: round(math.sqrt(v), 6) for k, v in comp.items()},
                         "monte_carlo_se_of_probability": round(se_mc, 6),
                         "variance_share": {k: round(comp[k] / (epi + comp["monte_carlo"]), 4)
                                            if epi + comp["monte_carlo"] > 0 else 0.0
                                            for k in ("monte_carlo", "parameter", "input", "interaction")}}
    unc = {"method": "mixture of parameter-draw x input-draw cells; law of total variance with a two-way "
                     "random-effects ANOVA (docs/calibration.md)",
           "outcome": f"alignment={modal} (final period, {mix.primary})",
           "modal": by_label[modal], "alignment": by_label,
           "parameter_draws": A, "input_draws": B, "cells": K, "runs_per_cell": [int(per.min()), int(per.max())],
           "inputs_varied": len(ji) if B > 1 else 0,
           "inputs_with_file_band": sum(j.band == "file" for j in ji) if B > 1 else 0,
           "default_band": f"value x (1 +- {DEFAULT_BAND})",
           "posterior": {k: post.provenance.get(k) for k in ("label", "cases", "seed", "code_version")},
           "posterior_draws_used": [int(i) for i in idx]}
    return mix, unc


def sensitivity(scenario: Scenario | str | Path, *, runs: int = 2_000, seed: int = 1,
                posterior: Posterior | None = None, top: int | None = None) -> dict[str, Any]:
    """Rank inputs and parameters by how much they move the modal outcome's probability.

    One at a time from the centre (posterior median, file inputs), common random numbers (one seed):
    each parameter at its posterior 5 % and 95 % quantiles, each judgement input at its band's ends.
    """
    from ..engine import forecast

    post = posterior or load_posterior()
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    med = dict(zip(post.parameters, np.median(post.draws, axis=0).tolist()))
    from ..cases.calibrate import params_with

    def prob(s: Scenario, values: dict[str, float], li: int | None = None) -> tuple[float, int]:
        fc = forecast(s, runs=runs, seed=seed, params=params_with(values), drivers=False)
        counts = np.bincount(fc.result.aligned[-1, :, 0], minlength=len(fc.alignment_labels))
        i = int(np.argmax(counts)) if li is None else li
        return float(counts[i] / runs), i

    p0, li = prob(sc, med)
    labels = [*sc.patrons, NON_ALIGNED]
    rows = []
    for j, name in enumerate(post.parameters):
        lo, hi = (float(np.quantile(post.draws[:, j], q)) for q in (0.05, 0.95))
        pl, _ = prob(sc, {**med, name: lo}, li)
        ph, _ = prob(sc, {**med, name: hi}, li)
        rows.append({"name": name, "kind": "parameter", "low": lo, "high": hi, "p_low": pl, "p_high": ph})
    for ji in judgement_inputs(sc):
        pl, _ = prob(_perturbed(sc, {ji.path: ji.low}), med, li)
        ph, _ = prob(_perturbed(sc, {ji.path: ji.high}), med, li)
        rows.append({"name": ji.path, "kind": f"input ({ji.band} band)", "low": ji.low, "high": ji.high,
                     "p_low": pl, "p_high": ph})
    for r in rows:
        r["swing"] = round(abs(r["p_high"] - r["p_low"]), 6)
        for k in ("low", "high", "p_low", "p_high"):
            r[k] = round(r[k], 6)
    rows.sort(key=lambda r: (-r["swing"], r["name"]))
    return {"outcome": f"alignment={labels[li]}", "probability": round(p0, 6), "runs": runs, "seed": seed,
            "method": "one at a time from the posterior median and the file's inputs, common random numbers; "
                      "parameters at their posterior 5%/95% quantiles, inputs at their bands' ends",
            "ranking": rows[:top] if top else rows}


def tornado_plot(sens: dict[str, Any], path: str | Path, *, top: int = 15, title: str = "") -> Path:
    """Tornado plot of :func:`sensitivity` (the ``top`` widest bars), written atomically as PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .._io import atomic_path

    rows = sens["ranking"][:top][::-1]
    p0 = sens["probability"]
    fig, ax = plt.subplots(figsize=(8.5, 0.38 * len(rows) + 1.6))
    for i, r in enumerate(rows):
        colour = "#4c72b0" if r["kind"] == "parameter" else "#dd8452"
        ax.barh(i, r["p_low"] - p0, left=p0, color=colour, alpha=0.55)
        ax.barh(i, r["p_high"] - p0, left=p0, color=colour)
        ax.text(max(r["p_low"], r["p_high"]) + 0.005, i, f"{r['low']:.3g} / {r['high']:.3g}", va="center",
                fontsize=7)
    ax.axvline(p0, color="black", lw=1)
    ax.set_yticks(range(len(rows)), [r["name"] for r in rows], fontsize=8)
    ax.set_xlabel(f"P({sens['outcome']}) — light: low end, dark: high end; blue: parameter, orange: input")
    ax.set_title(title or f"What moves P({sens['outcome']}) (centre {p0:.3f})", fontsize=10)
    lo = min([p0, *(min(r["p_low"], r["p_high"]) for r in rows)])
    hi = max([p0, *(max(r["p_low"], r["p_high"]) for r in rows)])
    ax.set_xlim(max(lo - 0.03, 0.0), min(hi + 0.09, 1.05))
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path, suffix=".png") as tmp:
        fig.savefig(tmp, dpi=110)
    plt.close(fig)
    return path
