"""Benchmark: which sampler configuration converges fastest per likelihood evaluation (issue #11).

Usage::

    python benchmarks/sampler_configs.py [--evaluations 10000] [--seeds 1,2,3,4,5,6] [--rugged 0.5] [--json]
                                         [--configs NAME,NAME,...]

The real likelihood costs ~0.4-0.6 s of a core per walker (``benchmarks/calibration.py --scaling``),
so configurations are compared on a **stand-in posterior** built from the shipped posterior's draws,
at the same number of likelihood evaluations as a 50-minute real run (~10,000: 605 steps x 16
walkers). The stand-in, in the sampling coordinates of the real space:

* a Gaussian kernel density of ``posterior.json``'s 256 draws (bandwidth ``--bandwidth`` x the draws'
  covariance; the real posterior's location, scales, correlations and any separated regions);
* the real box and the ATOP normal priors of the hazard parameters (the theory constraints are left
  out: they cost a ``ModelParams`` per evaluation and rarely bind near the posterior);
* ``--rugged S``: a deterministic plateau field, one N(0, S^2) value per cell of a grid of a quarter
  posterior s.d., like the steps the common-random-number likelihood takes when a case's count of
  on-history runs changes by one (about 1 log unit for a case with k near 0, ``mc_sd_loglik_per_case``).

Each configuration runs ``run_sampler`` itself (moves, walkers, start, checkpoints) for
``evaluations / walkers`` steps and is diagnosed by ``calibration.convergence.diagnose`` (R-hat and bulk
ESS on the kept half, walkers as chains) — the same numbers the real run prints. Reported per
configuration: the median over seeds of the largest R-hat, the smallest bulk ESS, the ESS from tau,
and the acceptance. The last line is JSON.
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
import time
from typing import Any

import numpy as np

#: name -> (moves, walkers, start[, coords]) (coords: ``SamplerSettings.coords``, default ``box``)
CONFIGS: dict[str, tuple[Any, ...]] = {
    "de-16-ball": ("de", 16, "ball"),                 # the session-11 run
    "stretch-16-ball": ("stretch", 16, "ball"),
    "de-32-ball": ("de", 32, "ball"),
    "de-16-prior": ("de", 16, "prior"),
    "de-16-posterior": ("de", 16, "posterior"),
    "deind-16-ball": ("de-ind", 16, "ball"),
    "deind-32-ball": ("de-ind", 32, "ball"),
    "deind-48-ball": ("de-ind", 48, "ball"),
    "deind-64-ball": ("de-ind", 64, "ball"),
    "deind-32-prior": ("de-ind", 32, "prior"),
    "deind-32-posterior": ("de-ind", 32, "posterior"),
    "de-16-ball-logit": ("de", 16, "ball", "logit"),             # session 13: walkers in logit coordinates
    "deind-32-ball-logit": ("de-ind", 32, "ball", "logit"),
    "deind-32-prior-logit": ("de-ind", 32, "prior", "logit"),
    "deind-36-ball": ("de-ind", 36, "ball"),                     # 4 x 9 parameters (session 13's space)
    "deind-36-ball-logit": ("de-ind", 36, "ball", "logit"),
}


class StandIn:
    """The stand-in log posterior (module docstring), vectorised over walkers."""

    def __init__(self, bandwidth: float, rugged: float) -> None:
        from alliancelab.calibration.space import load_space
        from alliancelab.calibration.store import load_posterior

        self.space = load_space()
        post = load_posterior()
        self.base = np.array([self.space.to_x(post.values(i)) for i in range(post.n_draws)])
        # a free parameter the posterior file lacks (fitted before it was freed): its prior (normal) or its
        # box (uniform) spreads the stand-in's draws along it, seed 0 (else the covariance is singular)
        rng = np.random.default_rng(0)
        for j, p in enumerate(self.space.parameters):
            if p.name not in post.parameters:
                lo, hi = p.x_box
                col = p.mean + p.sd * rng.standard_normal(post.n_draws) if p.prior == "normal" \
                    else rng.uniform(lo, hi, post.n_draws)
                self.base[:, j] = np.clip(col, lo, hi)
        cov = np.cov(self.base.T) * bandwidth ** 2
        self.chol_inv = np.linalg.inv(np.linalg.cholesky(cov))
        self.cell = 0.25 * np.sqrt(np.diag(np.cov(self.base.T)))
        self.rugged = rugged
        self.lo = np.array([p.x_box[0] for p in self.space.parameters])
        self.hi = np.array([p.x_box[1] for p in self.space.parameters])
        self.normal = [(i, p.mean, p.sd) for i, p in enumerate(self.space.parameters) if p.prior == "normal"]

    def __call__(self, xs: np.ndarray) -> np.ndarray:
        xs = np.atleast_2d(xs)
        z = (xs[:, None, :] - self.base[None, :, :]) @ self.chol_inv.T           # (n, B, d)
        q = -0.5 * np.sum(z * z, axis=-1)
        m = q.max(axis=1)
        lp = m + np.log(np.exp(q - m[:, None]).mean(axis=1))
        for i, mu, sd in self.normal:
            lp = lp - 0.5 * ((xs[:, i] - mu) / sd) ** 2
        if self.rugged:
            c = np.floor(xs / self.cell).astype(np.int64)
            h = np.sin((c * np.array([12.9898, 78.233, 37.719, 4.581, 91.37, 23.11, 53.7, 67.3, 29.17, 81.49])[: xs.shape[1]])
                       .sum(axis=1)) * 43758.5453
            u = h - np.floor(h)                                                    # a hash in [0, 1)
            lp = lp + self.rugged * math.sqrt(2) * _erfinv(2 * np.clip(u, 1e-9, 1 - 1e-9) - 1)
        inside = np.all((xs >= self.lo) & (xs <= self.hi), axis=1)
        return np.where(inside, lp, -np.inf)


def _erfinv(y: np.ndarray) -> np.ndarray:
    from scipy.special import erfinv

    return erfinv(y)


def run_config(name: str, seed: int, evaluations: int, target: StandIn) -> dict[str, Any]:
    from alliancelab.calibration import sampler as sm
    from alliancelab.calibration.likelihood import BLOB_FIELDS

    moves, walkers, start, *rest = CONFIGS[name]
    coords = rest[0] if rest else "box"
    steps = max(evaluations // walkers, 8)

    def many(xs, cases, runs, seed, client=None):  # noqa: ANN001, ANN202
        lp = target(np.asarray(xs, dtype=float))
        return [(float(v), np.zeros(len(BLOB_FIELDS) * len(cases))) for v in lp]

    old = sm.log_probability_many
    sm.log_probability_many = many
    try:
        st = sm.SamplerSettings(cases=("italy-1948",), runs=1, seed=seed, walkers=walkers, steps=steps,
                                checkpoint_every=max(steps // 4, 1), moves=moves, start=start,
                                coords=coords)
        with tempfile.TemporaryDirectory() as d:
            t = time.perf_counter()
            out = sm.run_sampler(st, d)
            sec = time.perf_counter() - t
    finally:
        sm.log_probability_many = old
    dg = out["diagnostics"]
    return {"config": name, "seed": seed, "steps": steps, "walkers": walkers, "rhat_max": dg["rhat_max"],
            "ess_bulk_min": dg["ess_bulk_min"], "ess_from_tau": dg.get("ess_from_tau"),
            "acceptance": dg.get("acceptance"), "seconds": round(sec, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--evaluations", type=int, default=10_000)
    ap.add_argument("--seeds", default="1,2,3,4,5,6")
    ap.add_argument("--configs", default=",".join(CONFIGS))
    ap.add_argument("--bandwidth", type=float, default=0.65)
    ap.add_argument("--rugged", type=float, default=0.5)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    target = StandIn(a.bandwidth, a.rugged)
    rows = []
    for name in a.configs.split(","):
        runs = [run_config(name, int(s), a.evaluations, target) for s in a.seeds.split(",")]
        med = {k: float(np.median([r[k] if r[k] is not None else np.nan for r in runs]))
               for k in ("rhat_max", "ess_bulk_min", "ess_from_tau", "acceptance")}
        rows.append({"config": name, **{k: round(v, 3) for k, v in med.items()},
                     "per_seed_rhat_max": [r["rhat_max"] for r in runs]})
        if not a.json:
            print(f"{name:22s} R-hat max {med['rhat_max']:.3f}  bulk ESS min {med['ess_bulk_min']:6.1f}  "
                  f"ESS(tau) {med['ess_from_tau']:6.1f}  acceptance {med['acceptance']:.2f}  "
                  f"(per seed R-hat {[r['rhat_max'] for r in runs]})", flush=True)
    print(json.dumps({"evaluations": a.evaluations, "seeds": a.seeds, "bandwidth": a.bandwidth,
                      "rugged": a.rugged, "rows": rows}))


if __name__ == "__main__":
    main()
