"""The shipped posterior: a small JSON file of parameter draws, per-case likelihoods and provenance.

``calibration/data/posterior.json`` holds ``draws`` (one row per draw, natural units, columns
``parameters``), ``pointwise`` (per draw and case: ``loglik``, ``p_joint``, ``p_outcome``,
``timing_mass``, see :mod:`.likelihood`), ``summary`` (median and 90 % interval per parameter, and
whether the median sits at a box bound) and ``provenance`` (cases, seed, sampler settings, code
version, wall time, whether the run was a short one).
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from .._exceptions import InputError
from .._io import write_json_atomic
from ..theory.params import ModelParams
from .likelihood import BLOB_FIELDS, case_inputs_hash, mc_sd, split_blob

__all__ = ["Posterior", "build_posterior", "code_version", "load_posterior", "read_prior",
           "write_posterior", "write_prior"]

_FILE = "posterior.json"
#: A median closer to a bound than this share of the box width (in the sampling coordinate) is "at" it.
BOUND_TOLERANCE = 0.02


@dataclass(frozen=True)
class Posterior:
    """Parameter draws with their per-case likelihoods."""

    parameters: tuple[str, ...]
    draws: np.ndarray                         # (S, d) natural units
    cases: tuple[str, ...]
    pointwise: dict[str, np.ndarray]          # field -> (S, C)
    provenance: dict[str, Any]
    summary: dict[str, Any] = field(default_factory=dict)
    #: Parameters held fixed by the calibration at documented values (``{"section.field": value}``,
    #: docs/calibration.md, "Which parameters are free"): applied under every draw.
    fixed: dict[str, float] = field(default_factory=dict)

    @property
    def n_draws(self) -> int:
        return int(self.draws.shape[0])

    def values(self, i: int) -> dict[str, float]:
        return {n: float(v) for n, v in zip(self.parameters, self.draws[i])}

    def params(self, i: int, base: ModelParams | None = None) -> ModelParams:
        """The :class:`ModelParams` of draw ``i`` (the non-free parameters at their defaults)."""
        from ..cases.calibrate import params_with

        return params_with({**self.fixed, **self.values(i)}, base)

    def median_values(self) -> dict[str, float]:
        """The coordinate-wise posterior median of the free parameters."""
        return {n: float(v) for n, v in zip(self.parameters, np.median(self.draws, axis=0).tolist())}

    def median_params(self, base: ModelParams | None = None) -> ModelParams:
        from ..cases.calibrate import params_with

        return params_with({**self.fixed, **self.median_values()}, base)

    def to_dict(self) -> dict[str, Any]:
        return {"parameters": list(self.parameters), "cases": list(self.cases),
                "draws": np.round(self.draws, 9).tolist(),
                "pointwise": {k: np.round(v, 9).tolist() for k, v in self.pointwise.items()},
                "fixed": dict(self.fixed), "summary": self.summary, "provenance": self.provenance}

    @classmethod
    def from_dict(cls, d: dict[str, Any], *, source: str = "posterior") -> Posterior:
        try:
            draws = np.asarray(d["draws"], dtype=float)
            pw = {k: np.asarray(d["pointwise"][k], dtype=float) for k in BLOB_FIELDS}
            post = cls(tuple(d["parameters"]), draws, tuple(d["cases"]), pw, dict(d["provenance"]),
                       dict(d.get("summary", {})), {str(k): float(v) for k, v in d.get("fixed", {}).items()})
        except (KeyError, TypeError, ValueError) as err:
            raise InputError(f"not a posterior file ({err})", source=source, field="posterior") from None
        if draws.ndim != 2 or draws.shape[1] != len(post.parameters) or draws.shape[0] == 0:
            raise InputError("draws must be a non-empty table with one column per parameter", source=source,
                             field="draws")
        return post


def code_version() -> str:
    """``alliancelab <version> (git <short sha>[+dirty])`` of the running code."""
    from .. import __version__

    root = Path(__file__).resolve().parents[3]
    try:
        sha = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--", "src"],
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        sha, dirty = "", ""
    return f"alliancelab {__version__}" + (f" (git {sha}{'+dirty' if dirty else ''})" if sha else "")


def write_prior(numbers: dict[str, Any], *, script: str, dataset: str, name: str) -> Path:
    """Write an empirical prior's numbers with their provenance (the script, the code version, the date
    and the dataset's SOURCE.md) to the package's ``calibration/data/<name>.json``, atomically."""
    import datetime as dt

    numbers = dict(numbers, provenance={"script": script, "code_version": code_version(),
                                        "date": dt.date.today().isoformat(),
                                        "data_sources": f"see <data-dir>/{dataset}/SOURCE.md and docs/data.md"})
    return write_json_atomic(Path(__file__).resolve().parent / "data" / f"{name}.json", numbers)


def read_prior(name: str) -> dict[str, Any]:
    """An empirical prior shipped with the package (``calibration/data/<name>.json``, :func:`write_prior`)."""
    text = resources.files("alliancelab.calibration").joinpath("data", f"{name}.json").read_text(encoding="utf-8")
    return json.loads(text)


def _summary(names: list[str], draws: np.ndarray) -> dict[str, Any]:
    from .space import load_space

    space = {p.name: p for p in load_space().parameters}
    out = {}
    for j, n in enumerate(names):
        p = space[n]
        med = float(np.median(draws[:, j]))
        lo, hi = p.x_box
        u = (p.to_x(med) - lo) / (hi - lo)
        out[n] = {"median": med, "q05": float(np.quantile(draws[:, j], 0.05)),
                  "q95": float(np.quantile(draws[:, j], 0.95)), "box": [p.low, p.high], "prior": p.describe(),
                  "at_bound": bool(u < BOUND_TOLERANCE or u > 1 - BOUND_TOLERANCE)}
    return out


_MOVES_TEXT = {
    "stretch": "stretch move (a=2)",
    "de": "DEMove 0.72 + DESnookerMove 0.18 + prior-refresh of the normal-prior parameters 0.1",
    "de-ind": "DEMove 0.35 + DESnookerMove 0.05 + ensemble Student-t independence move 0.5 + prior-refresh of "
              "the normal-prior parameters 0.1",
}


def build_posterior(chain: dict[str, Any], settings: Any, *, max_draws: int = 256, burn_fraction: float = 0.5,
                    short_run: bool = False, command: str = "") -> Posterior:
    """Discard the first ``burn_fraction`` of steps, thin to at most ``max_draws`` draws."""
    import emcee

    from .space import FIXED, load_space

    space = load_space()
    S, W, _ = chain["chain"].shape
    burn = int(S * burn_fraction)
    kept = S - burn
    thin = max(1, int(np.ceil(kept * W / max_draws)))
    xs = chain["chain"][burn::thin].reshape(-1, space.ndim)
    blobs = chain["blobs"][burn::thin].reshape(xs.shape[0], -1)
    lp = chain["log_prob"][burn::thin].reshape(-1)
    ok = np.isfinite(lp)
    xs, blobs = xs[ok], blobs[ok]
    draws = np.array([[p.from_x(v) for p, v in zip(space.parameters, x)] for x in xs])
    pw = split_blob(blobs, len(settings.cases))
    from .convergence import diagnose

    diag = chain.get("diagnostics")
    if diag is None or diag.get("steps") != S or diag.get("burn_in_steps") != burn:
        diag = diagnose(chain["chain"], space.names, accepted=chain.get("accepted"),
                        burn_fraction=burn_fraction)
    tau_l = [diag["tau"][n] for n in space.names] if diag.get("tau") else []
    converged = bool(diag.get("converged"))
    p_med = np.median(pw["p_joint"], axis=0)
    mc = mc_sd(p_med, settings.runs)
    prov = {
        "label": ("CONVERGED" if converged else "NOT CONVERGED") + " (criterion: docs/calibration.md, "
                 "Convergence)" + ("; SHORT RUN (session budget)" if short_run else ""),
        "converged": converged, "convergence": diag, "stopped": chain.get("stopped", "steps"),
        "short_run": bool(short_run), "cases": list(settings.cases), "seed": settings.seed,
        "case_inputs": {c: case_inputs_hash(c) for c in settings.cases},
        "runs_per_case": settings.runs,
        "sampler": f"emcee {emcee.__version__} EnsembleSampler, " + _MOVES_TEXT.get(
            getattr(settings, "moves", "stretch"), str(getattr(settings, "moves", "stretch"))),
        "moves": getattr(settings, "moves", "stretch"),
        "start": getattr(settings, "start", "ball"),
        "coords": getattr(settings, "coords", "box"),
        "fixed": {k: {"value": v, "reason": FIXED.get(k, "")} for k, v in space.fixed_values().items()},
        "walkers": settings.walkers, "steps_done": int(S), "steps_requested": settings.steps,
        "burn_in_steps": burn, "thin": thin, "complete": bool(chain.get("complete", True)),
        "acceptance": round(float(chain.get("acceptance", float("nan"))), 4),
        "autocorr_time_steps": tau_l, "elapsed_seconds": round(float(chain.get("elapsed", 0.0)), 1),
        "code_version": code_version(), "command": command,
        "mc_sd_loglik_per_case": dict(zip(settings.cases, np.round(mc, 4).tolist())),
        "mc_sd_loglik_total": round(float(np.sqrt(np.sum(mc ** 2))), 4),
        "likelihood": "per case log((k + 1/2) / (n + 1)), k = runs with every criterion and the timing event "
                      "within +-1 year of history, n = runs where `given` holds; + Gaussian targets",
    }
    return Posterior(tuple(space.names), draws, tuple(settings.cases), pw, prov,
                     _summary(space.names, draws), space.fixed_values())


def write_posterior(post: Posterior, target: str | Path) -> Path:
    """Write the posterior file atomically."""
    return write_json_atomic(target, post.to_dict())


@lru_cache(maxsize=4)
def _load_cached(path: str | None) -> Posterior:
    if path is None:
        ref = resources.files("alliancelab.calibration").joinpath("data", _FILE)
        if not ref.is_file():
            raise InputError("no posterior shipped with this build; run `alliancelab posterior`",
                             field="posterior")
        return Posterior.from_dict(json.loads(ref.read_text(encoding="utf-8")), source=_FILE)
    p = Path(path)
    if not p.is_file():
        raise InputError("file not found", source=str(p), field="posterior")
    try:
        d = json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise InputError(f"not JSON ({err.msg}, line {err.lineno})", source=str(p), field="posterior") from None
    return Posterior.from_dict(d, source=str(p))


def load_posterior(path: str | Path | None = None) -> Posterior:
    """The shipped posterior (``path=None``) or one written by ``alliancelab posterior --output``."""
    return _load_cached(None if path is None else str(path))
