"""Where the cases' precarity comes from: the unrest route (``elite.unrest_max``) against the coup route
(``elite.coup_attempt_max``), case by case (docs/calibration.md, "The coup prior").

Every other parameter at the shipped posterior's median (its fixed values included). Two tables:

* ``--grid``: the total log-likelihood of all cases (``calibration.likelihood``, ``--runs`` runs, common
  random numbers, seed ``--seed``) on ``unrest_max`` x ``coup_attempt_max``, with the Archigos log prior
  of both (``0.5 z²`` below the prior's mode) and the per-case log-likelihoods (``--json``);
* ``--trade``: the same total at two (``unrest_max``, ``coup_attempt_max``) points with
  ``security_weight`` and ``commitment_horizon`` moved too (can the other free parameters make up for a
  smaller unrest risk?), violations of the theory's properties skipped;
* ``--routes``: per case, the share of runs in which the case's rulers fall to a coup and to unrest at
  least once, and the coup contest they face: the mean over runs, periods and clients of the strongest
  challenger's coup success (``theory.elite.contest.coup_success_probability``, unbacked) with the
  coup and unrest risks the kernel gives at the given ceilings.

    python scripts/precarity_routes.py --grid --runs 200 [--json FILE]
    python scripts/precarity_routes.py --trade --runs 200
    python scripts/precarity_routes.py --routes --runs 200 [--unrest 0.0114] [--coup 1.0]
"""

from __future__ import annotations

import argparse
import math
import sys

import numpy as np

UNREST = (0.0114, 0.05, 0.2, 0.66)
COUP = (0.1, 0.5, 1.0)


def _log_prior_penalty(values: dict[str, float]) -> float:
    """``Σ 0.5 z²`` of the Archigos priors (the log prior up to its constant)."""
    from alliancelab.calibration.coup_prior import load_coup_prior
    from alliancelab.calibration.unrest_prior import load_unrest_prior

    priors = {**load_unrest_prior()["priors"], **load_coup_prior()["priors"]}
    return sum(0.5 * ((math.log(v) - priors[k]["mean"]) / priors[k]["sd"]) ** 2 for k, v in values.items())


def _at_the_median(runs: int, seed: int) -> tuple[dict[str, float], tuple[str, ...], object]:
    """The shipped posterior's median (fixed values included), its cases and their likelihood."""
    from alliancelab.calibration import load_posterior
    from alliancelab.calibration.likelihood import CaseLikelihood

    post = load_posterior()
    cases = tuple(post.cases)
    return {**post.fixed, **post.median_values()}, cases, CaseLikelihood(cases, runs, seed)


def grid(runs: int, seed: int) -> list[dict]:
    from alliancelab.calibration.likelihood import split_blob
    from alliancelab.cases.calibrate import params_with

    med, cases, lik = _at_the_median(runs, seed)
    out = []
    for c in COUP:
        for u in UNREST:
            vals = {"elite.unrest_max": u, "elite.coup_attempt_max": c}
            pw = split_blob(lik.blob(params_with({**med, **vals})), len(cases))
            ll = float(pw["loglik"].sum())
            pen = _log_prior_penalty(vals)
            out.append({**vals, "loglik": ll, "prior_penalty": pen, "loglik_plus_log_prior": ll - pen,
                        "hits": int((pw["p_joint"] >= 0.5).sum()),
                        "per_case": dict(zip(cases, pw["loglik"].tolist()))})
            print(f"unrest_max {u:<7g} coup_attempt_max {c:<4g} loglik {ll:8.2f}  -0.5z² {-pen:7.2f}  "
                  f"sum {ll - pen:8.2f}", file=sys.stderr, flush=True)
    return out


def trade(runs: int, seed: int) -> list[dict]:
    from alliancelab.calibration.likelihood import split_blob
    from alliancelab.calibration.space import violations
    from alliancelab.cases.calibrate import params_with

    med, cases, lik = _at_the_median(runs, seed)
    out = []
    for u, c in ((0.0114, 1.0), (0.2, 1.0)):
        for sw in (med["elite.security_weight"], 15.0, 30.0):
            for h in (med["elite.commitment_horizon"], 30.0):
                vals = {"elite.unrest_max": u, "elite.coup_attempt_max": c, "elite.security_weight": sw,
                        "elite.commitment_horizon": h}
                p = params_with({**med, **vals})
                if violations(p):
                    print(f"{vals}: breaks {violations(p)}", file=sys.stderr)
                    continue
                pw = split_blob(lik.blob(p), len(cases))
                ll = float(pw["loglik"].sum())
                pen = _log_prior_penalty({"elite.unrest_max": u, "elite.coup_attempt_max": c})
                out.append({**vals, "loglik": ll, "loglik_plus_log_prior": ll - pen,
                            "per_case": dict(zip(cases, pw["loglik"].tolist()))})
                print(f"unrest_max {u:<7g} coup {c:<4g} security_weight {sw:6.2f} horizon {h:5.2f}  loglik "
                      f"{ll:8.2f}  + log prior {ll - pen:8.2f}", file=sys.stderr, flush=True)
    return out


def routes(runs: int, seed: int, unrest: float, coup: float) -> list[dict]:
    from alliancelab._random import as_generator
    from alliancelab.calibration import load_posterior
    from alliancelab.cases.calibrate import params_with
    from alliancelab.engine import compile_scenario, simulate
    from alliancelab.scenario import load_scenario
    from alliancelab.theory import elite as E

    post = load_posterior()
    med = {**post.fixed, **post.median_values(), "elite.unrest_max": unrest, "elite.coup_attempt_max": coup}
    p = params_with(med)
    out = []
    for case in post.cases:
        comp = compile_scenario(load_scenario(case), p)
        res = simulate(comp, p, runs, as_generator(seed))
        coup_ever = float((res.first["coup_succeeded"] >= 0).mean())
        unrest_ever = float((res.first["ousted_by_unrest"] >= 0).mean())
        # the coup contest of the compiled inputs (period x client), the ruler's faction as simulated
        T, R, C = res.ruling.shape
        act = np.asarray(comp.active, dtype=bool)                       # (C, F)
        succ, q_coup, q_unrest = [], [], []
        for t in range(T):
            c_t = np.asarray(comp.coercion[t], dtype=float)[None]        # (1, C, F)
            ruling = res.ruling[t]                                      # (R, C)
            s_inc = res.ruler_share[t]                                  # (R, C)
            F = c_t.shape[-1]
            # mass shares: the ruler's simulated share, the rest spread over the other active factions
            a_t = np.broadcast_to(act[None], (R, C, F))
            others = np.maximum(a_t.sum(-1) - 1, 1)
            is_r = np.arange(F)[None, None, :] == ruling[..., None]
            sh = np.where(is_r, s_inc[..., None], ((1 - s_inc) / others)[..., None] * a_t)
            cc = np.broadcast_to(c_t, (R, C, F))
            sc = E.coup_success_probability(cc, 0.0, 0.0, ruling, sh, a_t, p.elite)
            succ.append(sc.max(-1))
            q_coup.append(1 - np.prod(1 - E.coup_attempt_probability(sc, 0.0, p.elite) * sc, axis=-1))
            q_all = E.precarity(sh, cc, ruling, 0.0, 0.0, a_t, p.elite)
            q_unrest.append(1 - (1 - q_all) / np.maximum(1 - q_coup[-1], 1e-12))
        out.append({"case": case, "p_coup_ever": coup_ever, "p_unrest_ever": unrest_ever,
                    "mean_best_coup_success": float(np.mean(succ)), "mean_coup_risk": float(np.mean(q_coup)),
                    "mean_unrest_risk": float(np.mean(q_unrest)), "periods": T})
        r = out[-1]
        print(f"{case:22s} coup ever {coup_ever:5.2f} unrest ever {unrest_ever:5.2f}  best success "
              f"{r['mean_best_coup_success']:5.3f}  coup risk {r['mean_coup_risk']:6.4f}  unrest risk "
              f"{r['mean_unrest_risk']:6.4f}", file=sys.stderr, flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--grid", action="store_true")
    ap.add_argument("--routes", action="store_true")
    ap.add_argument("--trade", action="store_true")
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--unrest", type=float, default=0.0114)
    ap.add_argument("--coup", type=float, default=1.0)
    ap.add_argument("--json", default=None)
    a = ap.parse_args(argv)
    if a.grid + a.routes + a.trade != 1:
        ap.error("give exactly one of --grid, --trade and --routes")
    result = grid(a.runs, a.seed) if a.grid else trade(a.runs, a.seed) if a.trade else \
        routes(a.runs, a.seed, a.unrest, a.coup)
    if a.json:
        from alliancelab._io import write_json_atomic

        write_json_atomic(a.json, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
