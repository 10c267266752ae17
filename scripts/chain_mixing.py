"""Why does a posterior chain not mix? Diagnose a sampler checkpoint without evaluating the likelihood.

Usage::

    python scripts/chain_mixing.py [CHECKPOINT] [--proposals-every 4] [--seed 0] [--box NAME=LOW,HIGH] [--json]

``CHECKPOINT``: a ``<dir>/checkpoint.npz`` of ``alliancelab posterior`` (default
``/work/posterior-run-s12/checkpoint.npz``, session 12's run; read only). Everything is computed from the
stored chain, on its kept second half (the first half is burn-in, as in ``calibration.convergence``):

1. per parameter: split-R-hat, bulk ESS and τ (``calibration.convergence.diagnose``, the run's own numbers);
2. the posterior correlations in the sampling coordinates and the eigenvalues of the correlation matrix
   (a ridge is a small eigenvalue; the sampler's DE and independence moves are affine-invariant anyway);
3. stuck walkers and modes: each walker's mean in pooled-s.d. units, the within-walker / pooled s.d.
   ratio, the number of distinct positions each walker visited, and the ensemble mean in blocks of 25
   steps (a drift or a second mode shows there);
4. where the posterior sits in its box: the share of kept draws within 5 % of the box width of each bound;
5. the acceptance split: the share of walker-steps that moved only the hazard coordinates (the prior
   refresh) or any other coordinate;
6. what the moves propose: from the stored ensembles (every ``--proposals-every`` kept step, one random
   half proposing from the other) the share of DE (γ = 2.38/√(2d)) and ensemble-t (emcee's de-ind
   settings) proposals that fall outside the box or break a theory constraint — rejected without a
   likelihood evaluation's chance — and per coordinate how often it is the one outside its box.

``--box NAME=LOW,HIGH`` (natural units, repeatable) replaces a parameter's box by the one the run used
when the space has changed since: session 12's run had ``elite.unrest_max`` on [0.1, 0.8] (session 13's
space: 0.001-0.8), so its numbers in docs/calibration.md come from
``python scripts/chain_mixing.py /work/posterior-run-s12/checkpoint.npz --box elite.unrest_max=0.1,0.8``.
With a changed space the theory-constraint check is skipped (its column then reads None).

Cost: seconds (the theory-constraint check builds one ``ModelParams`` per proposal). The parameters are
read from the checkpoint's key and matched to the current space by name, so it works for any parameter
count (a checkpoint whose names the current space lacks is diagnosed without the constraint check).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np

DEFAULT = "/work/posterior-run-s12/checkpoint.npz"


def _t_proposal(s: np.ndarray, c: np.ndarray, rng: np.random.Generator, df: float = 4.0, scale: float = 1.2,
                shrink: float = 0.25) -> np.ndarray:
    d = s.shape[1]
    mu = c.mean(axis=0)
    cov = np.cov(c.T)
    cov = (1 - shrink) * cov + shrink * np.diag(np.diag(cov)) + 1e-12 * np.eye(d)
    L = np.linalg.cholesky(cov * scale ** 2)
    w = rng.chisquare(df, len(s)) / df
    return mu + (rng.standard_normal((len(s), d)) @ L.T) / np.sqrt(w)[:, None]


def _de_proposal(s: np.ndarray, c: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    d = s.shape[1]
    g = 2.38 / math.sqrt(2 * d)
    out = []
    for x in s:
        a, b = rng.choice(len(c), 2, replace=False)
        out.append(x + g * (1 + 1e-5 * rng.standard_normal()) * (c[a] - c[b]) + 1e-5 * rng.standard_normal(d))
    return np.array(out)


def analyse(path: str | Path, *, every: int = 4, seed: int = 0,
            boxes: dict[str, tuple[float, float]] | None = None) -> dict[str, Any]:
    from alliancelab.calibration.convergence import diagnose
    from alliancelab.calibration.space import load_space

    with np.load(path) as z:
        key = json.loads(str(z["key"]))
        chain, accepted = z["chain"], z["accepted"]
    names = list(key["parameters"])
    S, W, d = chain.shape
    space = load_space()
    same = space.names == names
    byname = {p.name: p for p in load_space(all_candidates=True).parameters}
    pars = [byname.get(n) for n in names]
    lo = np.array([p.x_box[0] if p else -np.inf for p in pars])
    hi = np.array([p.x_box[1] if p else np.inf for p in pars])
    for i, n in enumerate(names):
        if boxes and n in boxes:
            lo[i], hi[i] = ((math.log(v) if pars[i] is not None and pars[i].log else v) for v in boxes[n])
            same = False
    hazard = [i for i, p in enumerate(pars) if p is not None and p.name.startswith("disparity.haz_")]
    other = [i for i in range(d) if i not in hazard]
    out: dict[str, Any] = {"checkpoint": str(path), "steps": S, "walkers": W, "parameters": names,
                           "settings": {k: v for k, v in key.items() if k not in ("cases", "parameters")}}
    diag = diagnose(chain, names, accepted=accepted)
    out["diagnostics"] = {k: diag[k] for k in ("rhat", "ess_bulk", "tau", "rhat_max", "ess_bulk_min",
                                                "tau_max", "acceptance")}
    kept = chain[S // 2:]
    flat = kept.reshape(-1, d)
    mu, sd = flat.mean(axis=0), flat.std(axis=0)
    corr = np.corrcoef(flat.T)
    out["correlation"] = np.round(corr, 3).tolist()
    out["correlation_eigenvalues"] = np.round(np.linalg.eigvalsh(corr), 3).tolist()
    pairs = sorted(((abs(corr[i, j]), names[i], names[j], round(float(corr[i, j]), 3))
                    for i in range(d) for j in range(i + 1, d)), reverse=True)[:5]
    out["largest_correlations"] = [p[1:] for p in pairs]
    wmean = (kept.mean(axis=0) - mu) / sd                                   # (W, d)
    out["walker_mean_in_sd"] = {n: {"min": round(float(wmean[:, i].min()), 2),
                                    "max": round(float(wmean[:, i].max()), 2),
                                    "sd": round(float(wmean[:, i].std()), 2)} for i, n in enumerate(names)}
    out["within_over_pooled_sd"] = dict(zip(names, np.round(kept.std(axis=0).mean(axis=0) / sd, 3).tolist()))
    distinct = np.array([len({tuple(r) for r in kept[:, w, other]}) for w in range(W)])
    out["distinct_positions_per_walker"] = {"kept_steps": int(kept.shape[0]), "median": float(np.median(distinct)),
                                            "min": int(distinct.min()), "max": int(distinct.max())}
    blocks = []
    for b in range(0, S, 25):
        blk = chain[b:b + 25].reshape(-1, d)
        blocks.append({"from_step": b, "mean_in_sd": np.round((blk.mean(axis=0) - mu) / sd, 2).tolist(),
                       "sd_ratio": np.round(blk.std(axis=0) / sd, 2).tolist()})
    out["blocks_of_25_steps"] = blocks
    frac = (flat - lo) / (hi - lo)
    out["share_within_5pc_of_bound"] = {n: {"low": round(float(np.mean(frac[:, i] < 0.05)), 3),
                                            "high": round(float(np.mean(frac[:, i] > 0.95)), 3)}
                                        for i, n in enumerate(names)}
    moved = np.abs(np.diff(kept, axis=0)) > 0                                # (S/2 - 1, W, d)
    out["accepted_per_walker_step"] = {
        "hazard_only": round(float((moved[:, :, hazard].any(2) & ~moved[:, :, other].any(2)).mean()), 3),
        "moving_other_coordinates": round(float(moved[:, :, other].any(2).mean()), 3)}
    rng = np.random.default_rng(seed)
    props: dict[str, Any] = {}
    for kind, fn in (("de", _de_proposal), ("ensemble_t", _t_proposal)):
        n = box = theory = 0
        by = np.zeros(d)
        for step in range(S // 2, S, every):
            perm = rng.permutation(W)
            q = fn(chain[step][perm[: W // 2]], chain[step][perm[W // 2:]], rng)
            for x in q:
                n += 1
                ob = (x < lo) | (x > hi)
                if ob.any():
                    box += 1
                    by += ob
                elif same and not math.isfinite(space.log_prior(x)):
                    theory += 1
        props[kind] = {"proposals": n, "outside_box": round(box / n, 3),
                       "theory_violation": round(theory / n, 3) if same else None,
                       "outside_box_by_parameter": dict(zip(names, np.round(by / n, 3).tolist()))}
    out["proposals"] = props
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("checkpoint", nargs="?", default=DEFAULT)
    ap.add_argument("--proposals-every", type=int, default=4)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--box", action="append", default=[], metavar="NAME=LOW,HIGH")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    boxes = {}
    for b in a.box:
        try:
            name, rng_ = b.split("=")
            low, high = (float(v) for v in rng_.split(","))
        except ValueError:
            print(f"--box {b!r}: expected NAME=LOW,HIGH, e.g. elite.unrest_max=0.1,0.8", file=sys.stderr)
            return 2
        boxes[name] = (low, high)
    if not Path(a.checkpoint).is_file():
        print(f"{a.checkpoint}: no such checkpoint file", file=sys.stderr)
        return 2
    r = analyse(a.checkpoint, every=a.proposals_every, seed=a.seed, boxes=boxes)
    if a.json:
        print(json.dumps(r))
        return 0
    dg = r["diagnostics"]
    print(f"{r['checkpoint']}: {r['steps']} steps x {r['walkers']} walkers, {r['settings']}")
    print(f"{'parameter':32s} {'R-hat':>6s} {'ESS':>6s} {'tau':>5s} {'w/p sd':>6s} {'walker means (sd)':>18s} "
          f"{'near low':>8s} {'near high':>9s} {'DE out':>6s} {'t out':>6s}")
    for i, n in enumerate(r["parameters"]):
        wm = r["walker_mean_in_sd"][n]
        b = r["share_within_5pc_of_bound"][n]
        print(f"{n:32s} {dg['rhat'][n]:6.3f} {dg['ess_bulk'][n]:6.0f} {dg['tau'][n]:5.1f} "
              f"{r['within_over_pooled_sd'][n]:6.2f} {wm['min']:+6.2f}..{wm['max']:+5.2f} ({wm['sd']:.2f}) "
              f"{b['low']:8.3f} {b['high']:9.3f} {r['proposals']['de']['outside_box_by_parameter'][n]:6.3f} "
              f"{r['proposals']['ensemble_t']['outside_box_by_parameter'][n]:6.3f}")
    print("largest correlations:", r["largest_correlations"])
    print("correlation eigenvalues:", r["correlation_eigenvalues"])
    dp = r["distinct_positions_per_walker"]
    print(f"distinct positions per walker in {dp['kept_steps']} kept steps: median {dp['median']:g}, "
          f"{dp['min']}..{dp['max']}; accepted per walker-step: {r['accepted_per_walker_step']}")
    drift = max(abs(v) for blk in r["blocks_of_25_steps"][1:] for v in blk["mean_in_sd"])
    print(f"ensemble mean in blocks of 25 steps (from step 25): largest |shift| {drift:.2f} pooled s.d.")
    for k, v in r["proposals"].items():
        print(f"{k} proposals: {v['proposals']}, outside the box {v['outside_box']}, theory violation "
              f"{v['theory_violation']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
