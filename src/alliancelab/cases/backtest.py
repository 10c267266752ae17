"""``backtest``: run every built-in case with ONE parameter set and compare with the papers.

Pass = the model's probability of the paper's outcome is at least :data:`PASS_PROBABILITY` and the
model's year of the outcome's key event is within :data:`TIMING_TOLERANCE` years of history.
"""

from __future__ import annotations

import hashlib
import statistics
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .._random import SeedLike, spawn_seeds
from .._validation import MAX_RUNS, check_positive_int
from ..theory.params import ModelParams
from .baseline_scores import score_baselines
from .catalog import list_cases
from .expected import EXPECTED, PAPER_CASES
from .outcomes import evaluate

__all__ = ["CaseResult", "PASS_PROBABILITY", "TIMING_TOLERANCE", "backtest", "case_seeds", "run_case"]

PASS_PROBABILITY = 0.8
TIMING_TOLERANCE = 1


@dataclass(frozen=True)
class CaseResult:
    """The backtest of one case."""

    case: str
    paper: str
    expected: str
    probability: float
    ci: tuple[float, float]
    model_year: int | None
    historical_year: int
    timing_ok: bool
    passed: bool
    criteria: list[dict[str, Any]]
    year_distribution: dict[str, float]
    conditional_on: list[dict[str, Any]]
    given_probability: float
    secondary: list[dict[str, Any]]
    targets: list[dict[str, Any]]
    runs: int
    seed: int
    warnings: list[str] = field(default_factory=list)
    baselines: dict[str, dict[str, Any]] = field(default_factory=dict)  # rule -> BaselineScore dict

    def to_dict(self) -> dict[str, Any]:
        """JSON-able: ``case, expected, probability, timing, passed`` and details."""
        d = asdict(self)
        d["ci"] = list(self.ci)
        d["timing"] = {
            "model_year": self.model_year,
            "historical_year": self.historical_year,
            "difference": None if self.model_year is None else self.model_year - self.historical_year,
            "within_tolerance": self.timing_ok,
            "tolerance_years": TIMING_TOLERANCE,
        }
        for k in ("model_year", "historical_year", "timing_ok"):
            d.pop(k)
        return d


def case_seeds(seed: int, cases: list[str]) -> dict[str, int]:
    """One independent integer seed per case, derived from ``seed`` (SeedSequence spawning).

    The papers' five cases keep the seeds they have always had: child ``i`` of ``seed`` for the
    ``i``-th of them in ``cases``. Every other (library) case gets the child keyed by its id, so its
    seed does not depend on which other cases exist or are run.
    """
    papers = [c for c in cases if c in PAPER_CASES]
    children = dict(zip(papers, spawn_seeds(int(seed), len(papers))))
    out = {}
    for c in cases:
        ss = children.get(c) or np.random.SeedSequence(int(seed), spawn_key=(_id_key(c),))
        out[c] = int(ss.generate_state(1, dtype=np.uint32)[0])
    return out


def _id_key(case: str) -> int:
    """A spawn key from a case id, above every positional key (no clash with the papers' children)."""
    return 2**32 + int.from_bytes(hashlib.sha256(case.encode()).digest()[:4], "big")


def _r(x: float) -> float:
    return round(float(x), 4)


def run_case(case: str, *, runs: int, seed: int, params: ModelParams | None = None,
             overrides: list[str] | None = None) -> tuple[CaseResult, Any]:
    """Forecast one case and evaluate the paper's outcome; returns ``(CaseResult, Forecast)``."""
    from ..engine import forecast, wilson_interval
    from ..scenario import load_scenario

    exp = EXPECTED[case]
    sc = load_scenario(case, overrides=overrides)
    fc = forecast(sc, runs=runs, seed=seed, params=params or ModelParams(), drivers=False)
    ev = evaluate(fc, exp)
    k = int(ev.holds.sum())
    n = int(ev.given.sum())
    lo, hi = wilson_interval(k, n) if n else (0.0, 1.0)
    idx = ev.event_first[ev.holds & (ev.event_first >= 0)]
    if idx.size:
        model_year: int | None = ev.years[int(statistics.median_low(idx.tolist()))]
        counts = np.bincount(idx, minlength=len(ev.years))
        dist = {str(ev.years[t]): _r(c / idx.size) for t, c in enumerate(counts) if c}
    else:
        model_year, dist = None, {}
    timing_ok = model_year is not None and abs(model_year - exp.year) <= TIMING_TOLERANCE
    prob = k / n if n else 0.0
    crit = [{"criterion": c, "probability": _r(p)} for c, p in zip(exp.criteria, ev.per_criterion)]
    sec = [{"criterion": c, "probability": _r(p)} for c, p in zip(exp.secondary, ev.secondary)]
    res = CaseResult(case=case, paper=exp.paper, expected=exp.expected, probability=_r(prob),
                     ci=(_r(lo), _r(hi)), model_year=model_year, historical_year=exp.year,
                     timing_ok=bool(timing_ok), passed=bool(prob >= PASS_PROBABILITY and timing_ok),
                     criteria=crit, year_distribution=dist, conditional_on=list(exp.given),
                     given_probability=_r(n / runs), secondary=sec,
                     targets=[{**t, "model": _r(v)} for t, v in zip(exp.targets, ev.targets)], runs=runs, seed=seed,
                     warnings=list(fc.warnings),
                     baselines={k: v.to_dict() for k, v in
                                score_baselines(sc, exp, tolerance=TIMING_TOLERANCE).items()})
    return res, fc


def backtest(runs: int = 10_000, seed: SeedLike = 1, *, params: ModelParams | None = None,
             cases: list[str] | None = None, plots_dir: str | Path | None = None) -> list[CaseResult]:
    """Run the built-in cases with one parameter set and compare each with its paper's outcome.

    Parameters
    ----------
    runs
        Monte Carlo runs per case.
    seed
        Master seed; each case gets its own seed derived from it (:func:`case_seeds`), so results do
        not depend on which cases are run.
    params
        The one parameter set (default :class:`~alliancelab.theory.params.ModelParams`).
    cases
        Subset of case ids (default: all built-in cases with an expected outcome).
    plots_dir
        If given, write one timeline PNG per case there (:func:`alliancelab.cases.plots.plot_case`).

    Returns
    -------
    list of :class:`CaseResult`, in the order of :func:`~alliancelab.cases.list_cases`.
    """
    runs = check_positive_int(runs, "runs", maximum=MAX_RUNS)
    from ..engine.forecast import _resolve_seed

    master = _resolve_seed(seed)
    ids = [c.id for c in list_cases() if c.id in EXPECTED]
    if cases is not None:
        unknown = sorted(set(cases) - set(ids))
        if unknown:
            from .._exceptions import InputError

            raise InputError(f"unknown case {unknown[0]!r}; allowed: {', '.join(ids)}", field="cases")
        ids = [c for c in ids if c in cases]
    seeds = case_seeds(master, [c.id for c in list_cases() if c.id in EXPECTED])
    out: list[CaseResult] = []
    for case in ids:
        res, fc = run_case(case, runs=runs, seed=seeds[case], params=params)
        out.append(res)
        if plots_dir is not None:
            from .plots import plot_case

            plot_case(fc, EXPECTED[case], Path(plots_dir) / f"{case}.png", result=res)
    return out
