"""The likelihood of the parameters: the probability the model gives each case's historical outcome.

For case ``c`` and parameters θ the model is run ``runs`` times with the case's own seed (common random
numbers: the same seed for every θ, so the estimate is a deterministic, smooth-in-expectation function
of θ and differences between nearby θ are not swamped by Monte Carlo noise). In each run the outcome
*happened as in history* when every criterion of the case's expected file holds (conditional on its
``given`` criteria) **and** the timing event's first year is within ±1 year of the historical year.
With ``k`` such runs among the ``n`` runs where ``given`` holds,

    p̂_c(θ) = (k + 1/2) / (n + 1)        (never 0 or 1: the Jeffreys-style correction)
    ℓ_c(θ) = log p̂_c(θ) + Σ_targets log N(model | value, tolerance)

and the log-likelihood is ``Σ_c ℓ_c`` (the cases are independent episodes). The Monte Carlo standard
deviation of ``log p̂_c`` is about ``sqrt((1 − p)/(n p))`` (delta method); :func:`mc_sd` reports it.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..theory.params import ModelParams

__all__ = ["BLOB_FIELDS", "CaseLikelihood", "available_cases", "case_inputs_hash", "case_seed", "mc_sd",
           "split_blob"]

#: Per-case quantities recorded for every evaluated θ (in this order, one block per field).
BLOB_FIELDS = ("loglik", "p_joint", "p_outcome", "timing_mass")
TIMING_WINDOW = 1


def available_cases() -> list[str]:
    """Every built-in case with an expected-outcome file, in catalogue order."""
    from ..cases.catalog import list_cases
    from ..cases.expected import EXPECTED

    return [c.id for c in list_cases() if c.id in EXPECTED]


def case_inputs_hash(case: str) -> str:
    """Hash of what a case's likelihood reads: its scenario (validated) and its expected outcome's criteria."""
    import hashlib
    import json

    from ..cases.expected import EXPECTED
    from ..scenario import load_scenario

    e = EXPECTED[case]
    what = [load_scenario(case).model_dump(mode="json"), list(e.criteria), list(e.given), dict(e.timing), e.year,
            list(e.targets)]
    return hashlib.sha256(json.dumps(what, sort_keys=True, default=str).encode()).hexdigest()[:16]


def case_seed(master: int, case: str) -> int:
    """A case's own seed from the master seed and its id (stable when cases are added or removed)."""
    ss = np.random.SeedSequence([int(master), zlib.crc32(case.encode())])
    return int(ss.generate_state(1, dtype=np.uint32)[0])


def mc_sd(p: np.ndarray | float, n: int) -> np.ndarray:
    """Delta-method Monte Carlo s.d. of ``log p̂`` from ``n`` runs."""
    p = np.clip(np.asarray(p, dtype=float), 1.0 / (n + 1), 1.0)
    return np.sqrt((1.0 - p) / (n * p))


@dataclass
class CaseLikelihood:
    """Evaluates the per-case quantities of :data:`BLOB_FIELDS` for a parameter set."""

    cases: tuple[str, ...]
    runs: int
    seed: int
    scenarios: dict[str, Any] = field(default_factory=dict, repr=False)
    compiled: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        from ..scenario import load_scenario

        self.scenarios = {c: load_scenario(c) for c in self.cases}

    def case(self, case: str, params: ModelParams) -> tuple[float, float, float, float]:
        """``(loglik, p_joint, p_outcome, timing_mass)`` of one case."""
        from ..engine import forecast

        fc = forecast(self.scenarios[case], runs=self.runs, seed=case_seed(self.seed, case), params=params,
                      drivers=False)
        return _quantities(case, fc)

    def case_many(self, case: str, params_list: Sequence[ModelParams]) -> np.ndarray:
        """``(K, 4)``: :meth:`case` for each of ``K`` parameter sets, bit for bit, from ONE engine call
        (:func:`~alliancelab.engine.forecast_many`: ``K * runs`` runs, block ``k`` with set ``k``)."""
        from ..engine import compile_scenario, forecast_many
        from ..engine._batch import fixed_key

        # the compiled scenario depends on the parameters outside the free ones only (fixed_key)
        key = (case, fixed_key(params_list[0]))
        if key not in self.compiled:
            if len(self.compiled) >= 2 * len(self.cases):    # other fixed parameters: start afresh
                self.compiled.clear()
            self.compiled[key] = compile_scenario(self.scenarios[case], params_list[0])
        fcs = forecast_many(self.scenarios[case], params_list, runs=self.runs, seed=case_seed(self.seed, case),
                            compiled=self.compiled[key], reports=False)
        return np.array([_quantities(case, fc) for fc in fcs], dtype=float).reshape(len(fcs), 4)

    def blob(self, params: ModelParams) -> np.ndarray:
        """All cases: a vector of ``len(BLOB_FIELDS) × len(cases)`` numbers, field-major."""
        rows = np.array([self.case(c, params) for c in self.cases])          # (C, 4)
        return rows.T.reshape(-1)

    def blob_many(self, params_list: Sequence[ModelParams]) -> np.ndarray:
        """``(K, len(BLOB_FIELDS) × len(cases))``: row ``k`` is ``blob(params_list[k])``, bit for bit, with
        one engine call per case for all ``K`` sets (the sets may differ only in the free parameters)."""
        rows = np.stack([self.case_many(c, params_list) for c in self.cases])   # (C, K, 4)
        return np.ascontiguousarray(rows.transpose(1, 2, 0)).reshape(len(params_list), -1)


def _quantities(case: str, fc: Any) -> tuple[float, float, float, float]:
    """``(loglik, p_joint, p_outcome, timing_mass)`` of a case's forecast (module docstring)."""
    from ..cases.expected import EXPECTED
    from ..cases.outcomes import evaluate

    exp = EXPECTED[case]
    ev = evaluate(fc, exp)
    n = int(ev.given.sum())
    years = np.asarray(ev.years)
    first = ev.event_first
    on_time = (first >= 0) & (np.abs(years[np.clip(first, 0, None)] - exp.year) <= TIMING_WINDOW)
    k_joint = int((ev.holds & on_time).sum())
    k_hold = int(ev.holds.sum())
    k_event = int((ev.holds & (first >= 0)).sum())
    p_joint = (k_joint + 0.5) / (n + 1)
    ll = math.log(p_joint)
    for t, v in zip(exp.targets, ev.targets):
        z = (v - t["value"]) / t["tolerance"]
        ll += -0.5 * z * z - math.log(t["tolerance"] * math.sqrt(2 * math.pi))
    p_out = k_hold / n if n else 0.0
    mass = k_joint / k_event if k_event else 0.0
    return ll, p_joint, p_out, mass


def split_blob(blob: np.ndarray, n_cases: int) -> dict[str, np.ndarray]:
    """Inverse of :meth:`CaseLikelihood.blob` along the last axis: ``{field: (..., C)}``."""
    b = np.asarray(blob, dtype=float)
    return {f: b[..., i * n_cases:(i + 1) * n_cases] for i, f in enumerate(BLOB_FIELDS)}
