"""Has the chain converged? emcee's autocorrelation time, ArviZ's split-R-hat and bulk ESS, acceptance.

The criterion (docs/calibration.md, "Convergence"), on the kept half of the chain (the first half is
burn-in), every walker read as one chain:

* rank-normalised split-R-hat (Vehtari et al. 2021, ArviZ) below :data:`RHAT_MAX` for every parameter;
* bulk effective sample size (ArviZ) at least :data:`ESS_MIN` for every parameter, and so is emcee's
  ensemble estimate ``walkers × kept steps / τ_max`` (walkers of one ensemble are not independent);
* the whole chain at least :data:`TAU_MULTIPLE` integrated autocorrelation times long (emcee's estimate
  on the kept half, the largest over the parameters), so the discarded half spans ten of them.

The acceptance fraction is reported (a DE mixture works best at roughly 0.15-0.5) but is not part of
the criterion.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

__all__ = ["ESS_MIN", "RHAT_MAX", "TAU_MULTIPLE", "criterion_text", "diagnose"]

RHAT_MAX = 1.05
ESS_MIN = 100.0
TAU_MULTIPLE = 20.0


def criterion_text() -> str:
    return (f"split-R-hat < {RHAT_MAX} and bulk ESS >= {ESS_MIN:g} for every parameter (ArviZ, walkers as "
            f"chains, kept half), and chain length >= {TAU_MULTIPLE:g} x the largest integrated "
            "autocorrelation time (emcee)")


def diagnose(chain: np.ndarray, names: list[str], *, accepted: np.ndarray | None = None,
             burn_fraction: float = 0.5) -> dict[str, Any]:
    """Diagnostics of an emcee chain ``(steps, walkers, parameters)``; ``converged`` by the criterion."""
    import arviz as az
    import emcee

    S, W, d = chain.shape
    burn = int(S * burn_fraction)
    kept = chain[burn:]
    out: dict[str, Any] = {"criterion": criterion_text(), "steps": int(S), "burn_in_steps": burn,
                           "walkers": int(W)}
    if accepted is not None and S:
        out["acceptance"] = round(float(np.mean(accepted) / S), 4)
    if kept.shape[0] < 4:
        out.update(converged=False, failing=["chain too short for diagnostics (< 8 steps)"], tau={},
                   rhat={}, ess_bulk={})
        return out
    import logging

    log = logging.getLogger("emcee")
    level = log.level
    log.setLevel(logging.ERROR)          # emcee logs a warning for chains shorter than 50 tau: reported below
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            tau = emcee.autocorr.integrated_time(kept, quiet=True)
        finally:
            log.setLevel(level)
        ds = az.convert_to_dataset({"x": np.swapaxes(kept, 0, 1)})       # (chain=walker, draw, d)
        rhat = np.asarray(az.rhat(ds, method="rank")["x"].values, dtype=float)
        ess = np.asarray(az.ess(ds, method="bulk")["x"].values, dtype=float)
    tau_max = float(np.nanmax(tau)) if np.all(np.isfinite(tau)) else math.inf
    r = lambda v: round(float(v), 4) if math.isfinite(float(v)) else None  # noqa: E731
    out.update(tau={n: r(t) for n, t in zip(names, tau)}, tau_max=r(tau_max),
               rhat={n: r(v) for n, v in zip(names, rhat)}, ess_bulk={n: r(v) for n, v in zip(names, ess)},
               rhat_max=r(np.nanmax(rhat)) if np.all(np.isfinite(rhat)) else None,
               ess_bulk_min=r(np.nanmin(ess)) if np.all(np.isfinite(ess)) else None,
               ess_from_tau=r(kept.shape[0] * W / tau_max) if math.isfinite(tau_max) and tau_max > 0 else None,
               length_in_tau=r(S / tau_max) if math.isfinite(tau_max) and tau_max > 0 else None)
    failing = []
    if not (np.all(np.isfinite(rhat)) and np.nanmax(rhat) < RHAT_MAX):
        failing.append(f"R-hat {out['rhat_max']} >= {RHAT_MAX} "
                       f"({', '.join(n for n, v in zip(names, rhat) if not v < RHAT_MAX)})")
    if not (np.all(np.isfinite(ess)) and np.nanmin(ess) >= ESS_MIN):
        failing.append(f"bulk ESS {out['ess_bulk_min']} < {ESS_MIN:g} "
                       f"({', '.join(n for n, v in zip(names, ess) if not v >= ESS_MIN)})")
    elif out["ess_from_tau"] is not None and out["ess_from_tau"] < ESS_MIN:
        # walkers of one ensemble are not independent chains: emcee's walkers x kept steps / tau is the
        # ensemble's own estimate, and the smaller of the two counts
        failing.append(f"ESS from tau {out['ess_from_tau']} < {ESS_MIN:g}")
    if not (math.isfinite(tau_max) and S >= TAU_MULTIPLE * tau_max):
        failing.append(f"chain {S} steps < {TAU_MULTIPLE:g} x tau {out['tau_max']}")
    out["converged"] = not failing
    out["failing"] = failing
    return out


def summary_line(d: dict[str, Any]) -> str:
    """One line for the progress log and the CLI."""
    if not d.get("rhat"):
        return "diagnostics: chain too short"
    state = "CONVERGED" if d["converged"] else "not converged"
    return (f"{state}: R-hat max {d['rhat_max']}, bulk ESS min {d['ess_bulk_min']}, tau max {d['tau_max']} "
            f"steps ({d['length_in_tau']} tau long), acceptance {d.get('acceptance')}")
