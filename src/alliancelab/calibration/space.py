"""The free parameters of the posterior: boxes, priors, constraints, and the sampler's coordinates.

The candidates are the point calibration's (:data:`alliancelab.cases.calibrate.FREE`, 13 parameters) and
:data:`EXTRA` (``elite.coup_attempt_max``, free because it has an empirical prior); :data:`FIXED` holds
those the cases do not inform at their source defaults (9 stay free).
Every parameter is sampled in a coordinate ``x``: ``log(value)`` for log-scale parameters, the value
otherwise. Priors (docs/calibration.md, "Priors"):

* the three hazard parameters: normal priors from ATOP (:mod:`.hazard_prior`), truncated to their box;
* ``elite.unrest_max`` and ``elite.coup_attempt_max``: log-normal priors from Archigos 4.1 leader exits
  (:mod:`.unrest_prior`, :mod:`.coup_prior`; normal in ``x = log(value)``), truncated to their box;
* every other parameter: uniform on its box in ``x`` (log-uniform where the box is log-scale).

Boxes are the point calibration's, except those with an empirical prior, widened so that the prior lies
inside them (the calibration's ``haz_intercept`` box −4…8 excluded the observed termination rate,
whose cloglog intercept is about −5; its ``unrest_max`` box 0.1…0.8 excluded Archigos's protest rate,
whose reading is 0.011). Points that break a theory property (:func:`violations`) have
prior density 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from ..theory.params import ModelParams

__all__ = ["ARCHIGOS_BOXES", "EXTRA", "HAZARD_BOXES", "Parameter", "ParameterSpace", "candidate_defaults",
           "load_space", "violations"]

#: Hazard boxes for the posterior: (low, high). Sampled on the natural scale (normal priors).
HAZARD_BOXES: dict[str, tuple[float, float]] = {
    "disparity.haz_intercept": (-9.0, 8.0),
    "disparity.haz_beta_disparity": (0.01, 40.0),
    "disparity.haz_beta_threat": (0.01, 20.0),
}

#: Boxes of the parameters with an Archigos prior: (low, high), log scale (log-normal priors).
#: ``unrest_max`` 0.001…0.8 holds the prior's 95 % range 0.002–0.057 and the session-12 posterior
#: (median 0.66); ``coup_attempt_max`` 0.01…1 is the probability's range above a coup every century.
ARCHIGOS_BOXES: dict[str, tuple[float, float]] = {
    "elite.unrest_max": (0.001, 0.8),
    "elite.coup_attempt_max": (0.01, 1.0),
}

#: Candidates beyond the point calibration's ``FREE``: (group, field, low, high, log-scale), free in the
#: posterior because they have an empirical prior (docs/calibration.md, "Which parameters are free").
EXTRA: tuple[tuple[str, str, float, float, bool], ...] = (
    ("elite", "coup_attempt_max", 0.01, 1.0, True),
)


@dataclass(frozen=True)
class Parameter:
    """One free parameter: name ``section.field``, box, scale, prior."""

    name: str
    low: float
    high: float
    log: bool
    prior: str = "uniform"        # "uniform" (in the sampling coordinate) or "normal"
    mean: float = math.nan
    sd: float = math.nan

    def to_x(self, v: float) -> float:
        return math.log(v) if self.log else float(v)

    def from_x(self, x: float) -> float:
        return math.exp(x) if self.log else float(x)

    @property
    def x_box(self) -> tuple[float, float]:
        return (self.to_x(self.low), self.to_x(self.high))

    def describe(self) -> str:
        box = f"[{self.low:g}, {self.high:g}]{' log' if self.log else ''}"
        if self.prior == "normal":
            return f"normal({self.mean:.3g}, {self.sd:.3g}) truncated to {box}"
        return f"uniform on {box}"


#: Candidates (``cases.calibrate.FREE``) the posterior holds FIXED, each at its source default
#: (docs/parameters.md), with the reason (docs/calibration.md, "Which parameters are free"). The screen:
#: ``python scripts/parameter_profile.py --runs 200 --points 5`` (30 cases, seed 1): a parameter stays
#: free when moving it over its whole box changes the total log-likelihood by at least
#: :data:`INFORMED_RANGE` (the others at the posterior median), or when it has an empirical prior.
FIXED: dict[str, str] = {
    "elite.ambition_rate": "log-likelihood range 1.87 over its box [0.03, 0.6]: the cases barely inform it",
    "engine.counterweight_weight": "log-likelihood range 1.90 over its box [0, 0.3]",
    "disparity.form_beta_disparity": "log-likelihood range 1.62 over its box [2, 20]",
    "elite.aid_only_threshold": "log-likelihood range 0.55 over its box [0.02, 0.95]",
    "elite.autonomy_margin": "log-likelihood range 0.49 over its box [0.01, 3] (E9 keeps autonomy_cost "
                             "at the E9 bound + 0.01 as security_weight moves)",
}
#: Smallest log-likelihood range over the box (a likelihood ratio of e² ≈ 7.4 between the best and the
#: worst value) for which a parameter without an empirical prior is kept free.
INFORMED_RANGE = 2.0


def _candidates() -> tuple[tuple[str, str, float, float, bool], ...]:
    from ..cases.calibrate import FREE

    return FREE + EXTRA


def candidate_defaults(base: ModelParams) -> dict[str, float]:
    """``{"section.field": value}`` of every candidate in ``base`` (``autonomy_margin`` derived as the
    point calibration derives it)."""
    from ..cases.calibrate import _defaults

    return {**_defaults(base), **{f"{g}.{f}": float(getattr(getattr(base, g), f)) for g, f, *_ in EXTRA}}


def _build(all_candidates: bool = False) -> tuple[Parameter, ...]:
    from .coup_prior import load_coup_prior
    from .hazard_prior import load_hazard_prior
    from .unrest_prior import load_unrest_prior

    priors = {**load_hazard_prior()["priors"], **load_unrest_prior()["priors"], **load_coup_prior()["priors"]}
    out = []
    for g, f, lo, hi, lg in _candidates():
        name = f"{g}.{f}"
        if name in FIXED and not all_candidates:
            continue
        if name in HAZARD_BOXES:
            lo, hi = HAZARD_BOXES[name]
            pr = priors[name]
            out.append(Parameter(name, lo, hi, False, "normal", float(pr["mean"]), float(pr["sd"])))
        elif name in ARCHIGOS_BOXES:
            lo, hi = ARCHIGOS_BOXES[name]
            pr = priors[name]
            assert pr["scale"] == "log"
            out.append(Parameter(name, lo, hi, True, "normal", float(pr["mean"]), float(pr["sd"])))
        else:
            out.append(Parameter(name, lo, hi, lg))
    return tuple(out)


def violations(params: ModelParams) -> list[str]:
    """Theory properties a posterior draw must keep (as the point calibration's, one clause dropped).

    :func:`alliancelab.cases.calibrate.constraint_violations` (E8, E9, Y2/Y6 strictness, Y5, Y6's
    "wartime alliances last") except Y6's quantitative clause "a peacetime alliance at D 0.8 has
    10-year survival < 0.5": it needs a yearly hazard >= 6.7 % without threat, while ATOP's observed
    termination rate at parity without threat is 0.7 % (:mod:`.hazard_prior`); THEORY_MAP states Y6 as a
    direction (the hazard rises as threat falls), which the strictness clause keeps.
    """
    from ..cases.calibrate import constraint_violations
    from ..theory.disparity import dissolution_hazard

    out = [v for v in constraint_violations(params) if not v.startswith("Y6: wartime")]
    war = (1 - float(dissolution_hazard(0.8, 0.9, p=params.disparity))) ** 10
    if not war > 0.8:
        out.append("Y6: a wartime alliance must last (10-year survival > 0.8 at D 0.8, T 0.9)")
    return out


@dataclass(frozen=True)
class ParameterSpace:
    """The free parameters and their joint prior."""

    parameters: tuple[Parameter, ...]
    #: The candidates held fixed (:data:`FIXED`) at their source-default values.
    fixed: tuple[tuple[str, float], ...] = ()

    def fixed_values(self) -> dict[str, float]:
        return dict(self.fixed)

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.parameters]

    @property
    def ndim(self) -> int:
        return len(self.parameters)

    def values(self, x: np.ndarray) -> dict[str, float]:
        """``{"elite.x": value}`` of a coordinate vector (rounded to 9 significant digits)."""
        return {p.name: float(f"{p.from_x(float(v)):.9g}") for p, v in zip(self.parameters, x)}

    def to_x(self, values: dict[str, float], base: ModelParams | None = None) -> np.ndarray:
        """Coordinates of ``values``; a free parameter ``values`` lacks (a posterior fitted on an older
        space) takes its value in ``base`` (default :class:`ModelParams`: its source default), the value
        that posterior's draws were simulated with."""
        missing = [p.name for p in self.parameters if p.name not in values]
        if missing:
            d = candidate_defaults(base or ModelParams())
            values = {**values, **{n: d[n] for n in missing}}
        return np.array([p.to_x(values[p.name]) for p in self.parameters])

    def params(self, x: np.ndarray, base: ModelParams | None = None) -> ModelParams:
        """The :class:`ModelParams` of a coordinate vector (others at their defaults)."""
        from ..cases.calibrate import params_with

        return params_with({**self.fixed_values(), **self.values(x)}, base)

    # -- the sampler's unbounded coordinates u (``SamplerSettings.coords == "logit"``) ------------------
    # u_i = logit((x_i - low_i) / (high_i - low_i)) maps each box onto the real line, so a move that would
    # leave the box (over half of the session-12 run's proposals: docs/calibration.md, "Why the posterior
    # does not mix") lands near the bound instead. The density in u is the density in x times the
    # Jacobian dx/du (:meth:`log_jacobian`).

    def _box_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        lo = np.array([p.x_box[0] for p in self.parameters], dtype=float)
        hi = np.array([p.x_box[1] for p in self.parameters], dtype=float)
        return lo, hi

    def to_u(self, x: np.ndarray) -> np.ndarray:
        """Unbounded coordinates of ``x`` (..., d); a point on a bound maps to ±27.6 (fraction 1e-12)."""
        lo, hi = self._box_arrays()
        f = np.clip((np.asarray(x, dtype=float) - lo) / (hi - lo), 1e-12, 1 - 1e-12)
        return np.log(f) - np.log1p(-f)

    def from_u(self, u: np.ndarray) -> np.ndarray:
        """The box coordinates ``x`` of unbounded coordinates ``u`` (..., d); always inside the box."""
        lo, hi = self._box_arrays()
        s = 0.5 * (1.0 + np.tanh(0.5 * np.asarray(u, dtype=float)))          # the logistic function, stable
        return np.clip(lo + (hi - lo) * s, lo, hi)

    def log_jacobian(self, u: np.ndarray, index: list[int] | None = None) -> np.ndarray:
        """``log |dx/du|`` summed over the coordinates (or over ``index``), for each row of ``u`` (..., d)."""
        lo, hi = self._box_arrays()
        u = np.asarray(u, dtype=float)
        terms = np.log(hi - lo) - np.logaddexp(0.0, u) - np.logaddexp(0.0, -u)
        if index is not None:
            terms = terms[..., index]
        return terms.sum(axis=-1)

    def in_box(self, x: np.ndarray) -> bool:
        return all(lo <= v <= hi for v, (lo, hi) in ((float(v), p.x_box) for p, v in zip(self.parameters, x)))

    def log_prior(self, x: np.ndarray, base: ModelParams | None = None) -> float:
        """Log prior density in the sampling coordinates (−inf outside the box or the theory's properties)."""
        if not np.all(np.isfinite(x)) or not self.in_box(x):
            return -math.inf
        lp = 0.0
        for p, v in zip(self.parameters, x):
            if p.prior == "normal":
                lp += -0.5 * ((float(v) - p.mean) / p.sd) ** 2 - math.log(p.sd * math.sqrt(2 * math.pi))
        try:
            if violations(self.params(x, base)):
                return -math.inf
        except Exception:  # noqa: BLE001 - a value a dataclass rejects is outside the prior's support
            return -math.inf
        return lp

    def defaults(self, base: ModelParams | None = None) -> np.ndarray:
        """Coordinates of the current defaults (the point calibration), clipped into the box."""
        x = self.to_x(candidate_defaults(base or ModelParams()))
        return np.array([min(max(v, p.x_box[0]), p.x_box[1]) for v, p in zip(x, self.parameters)])

    def initial(self, n: int, rng: np.random.Generator, *, scale: float = 0.15,
                base: ModelParams | None = None, max_tries: int = 10_000) -> np.ndarray:
        """``n`` starting points with finite prior: the defaults, the hazard's prior means, jittered.

        Each point: the non-hazard coordinates are the defaults plus ``scale`` × box width normal noise;
        the hazard coordinates are drawn from their priors (the log-normal Archigos priors are not: their
        coordinates start near the defaults, like the uniform ones). Points outside the support are redrawn.
        """
        centre = self.defaults(base)
        widths = np.array([hi - lo for lo, hi in (p.x_box for p in self.parameters)])
        out = []
        tries = 0
        while len(out) < n:
            tries += 1
            if tries > max_tries:
                raise RuntimeError(f"no starting point with finite prior after {max_tries} tries")
            x = centre + scale * widths * rng.standard_normal(self.ndim)
            for i, p in enumerate(self.parameters):
                if p.prior == "normal" and not p.log:
                    x[i] = p.mean + p.sd * rng.standard_normal()
            if math.isfinite(self.log_prior(x, base)):
                out.append(x)
        return np.array(out)

    def table(self) -> list[dict[str, Any]]:
        return [{"name": p.name, "low": p.low, "high": p.high, "log": p.log, "prior": p.describe()}
                for p in self.parameters]


@lru_cache(maxsize=2)
def load_space(all_candidates: bool = False) -> ParameterSpace:
    """The posterior's parameter space (reads the stored hazard priors once); ``all_candidates``: with
    the parameters :data:`FIXED` holds fixed (for the profile that chose them)."""
    fixed = () if all_candidates else tuple(
        (k, float(v)) for k, v in candidate_defaults(ModelParams()).items() if k in FIXED)
    return ParameterSpace(_build(all_candidates), fixed)

