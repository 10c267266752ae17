"""Leave-one-case-out validation of the posterior (``alliancelab backtest --cv loo``).

Protocol (docs/validation.md):

* For every case in the posterior's fit, the leave-one-out posterior is the full posterior reweighted
  by ``1 / p(case | θ)`` with Pareto-smoothed importance sampling (PSIS, ArviZ ``psislw``); its Pareto
  ``k`` says whether the weights can be trusted. Where ``k > 0.7`` the case is refitted exactly: the
  sampler is run again on every case but that one (same settings, ``refit_steps`` steps), and the case
  is predicted from the refit's draws.
* A case with an expected file that the posterior was not fitted on (added to the library after the
  fit) is held out by construction: it is predicted from the full posterior's draws.
* Per case: the leave-one-out probability of the historical outcome (criteria and timing within ±1
  year, :mod:`.likelihood`), the probability of the outcome's criteria, the share of the timing event's
  probability mass within ±1 year of history, hit (criteria probability ≥ 0.5 — the historical outcome
  is the modal one — and timing mass ≥ 0.5), log score ``log p``, Brier score ``(1 − p)²``, and the
  three realist baselines (:mod:`.baseline_seam`) on the same case.

Folds are stored (``docs/validation/folds.json``) with a hash of their inputs (the posterior, the case's
scenario and expected files, the model's code, the refit settings) and reused while it is unchanged.
"""

from __future__ import annotations

import hashlib
import json
import math
import warnings
from pathlib import Path
from typing import Any, Callable

import numpy as np

from .._exceptions import InputError
from .._io import write_json_atomic
from .baseline_seam import RULES, baseline_scores
from .likelihood import BLOB_FIELDS, CaseLikelihood, available_cases, case_inputs_hash, split_blob
from .store import Posterior

__all__ = ["K_THRESHOLD", "loo_markdown", "loo_validate", "psis_weights"]

K_THRESHOLD = 0.7
HIT_LINE = 0.5
_ROOT = Path(__file__).resolve().parents[1]


def psis_weights(loglik: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """PSIS leave-one-out weights: ``loglik`` (S, C) → normalised weights (S, C) and Pareto k (C,)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import arviz as az

        lw, k = az.psislw(-np.asarray(loglik, dtype=float).T.copy())      # (C, S)
    w = np.exp(np.asarray(lw)).T
    k = np.atleast_1d(np.asarray(k, dtype=float)).copy()
    # a case whose log-likelihood is the same at every draw carries no information about the
    # parameters: leaving it out leaves the posterior unchanged, so uniform weights are exact (k = 0;
    # psislw reports k = inf there, having no tail to fit)
    flat = np.ptp(np.asarray(loglik, dtype=float), axis=0) == 0
    w[:, flat] = 1.0 / w.shape[0]
    k[flat] = 0.0
    return w, k


def _sha(*parts: Any) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p if isinstance(p, bytes) else json.dumps(p, sort_keys=True, default=str).encode())
    return h.hexdigest()[:16]


def _model_code_hash() -> str:
    files = sorted([*(_ROOT / "engine").glob("*.py"), *(_ROOT / "theory").rglob("*.py"),
                    *(_ROOT / "cases").glob("outcomes.py"), *(_ROOT / "calibration").glob("likelihood.py"),
                    *(_ROOT / "calibration").glob("loo.py")])   # a stored row is this module's output too
    return _sha(*[f.read_bytes() for f in files])


def _predict(p: dict[str, np.ndarray], w: np.ndarray) -> dict[str, float]:
    """Weighted predictions of one case from per-draw quantities ``p[field]`` (S,) and weights (S,)."""
    w = w / w.sum()
    pj = float(np.sum(w * p["p_joint"]))
    po = float(np.sum(w * p["p_outcome"]))
    denom = float(np.sum(w * p["p_outcome"]))
    mass = float(np.sum(w * p["p_outcome"] * p["timing_mass"]) / denom) if denom > 0 else 0.0
    return {"probability": pj, "p_outcome": po, "timing_mass": mass}


def _row(case: str, pred: dict[str, float], method: str, k: float | None, elpd: float | None,
         draws: int) -> dict[str, Any]:
    from ..cases.expected import EXPECTED

    exp = EXPECTED[case]
    pred = {k: round(v, 4) for k, v in pred.items()}       # the hit is decided on the reported numbers
    out_hit = pred["p_outcome"] >= HIT_LINE
    time_hit = pred["timing_mass"] >= HIT_LINE
    p = min(max(pred["probability"], 1e-12), 1.0)
    return {"case": case, "paper": getattr(exp, "paper", ""), "expected": exp.expected,
            "historical_year": exp.year, "method": method,
            # psislw reports k = inf where it cannot fit the tail (too few distinct draws): kept as
            # the string "inf" (JSON has no infinity), read as unreliable (> 0.7)
            "pareto_k": None if k is None else (round(k, 4) if math.isfinite(k) else "inf"),
            "draws": draws, "probability": round(p, 4), "p_outcome": round(pred["p_outcome"], 4),
            "timing_mass": round(pred["timing_mass"], 4), "outcome_hit": bool(out_hit),
            "timing_hit": bool(time_hit), "hit": bool(out_hit and time_hit),
            "log_score": round(math.log(p), 4), "brier": round((1.0 - p) ** 2, 4),
            "elpd_loo": None if elpd is None else round(elpd, 4)}


def _evaluate_draws(case: str, post: Posterior, runs: int, seed: int, client: Any = None) -> dict[str, np.ndarray]:
    """One case's per-draw quantities at the posterior's draws (for a case not in its fit)."""
    from .sampler import DaskPool

    from ..engine._batch import make_batch

    cl = CaseLikelihood((case,), runs, seed)
    params = [post.params(i) for i in range(post.n_draws)]
    try:                        # draws that differ only in the free parameters: DRAW_CHUNK per engine call
        make_batch(params, runs)
        chunks = [params[i:i + DRAW_CHUNK] for i in range(0, len(params), DRAW_CHUNK)]
    except InputError:          # (a posterior of another parameter space: one call per draw)
        chunks = None
    if chunks is not None:
        if client is not None:
            blobs = np.concatenate(DaskPool(client).map(_blobs_of, [(case, runs, seed, ch) for ch in chunks]))
        else:
            blobs = np.concatenate([cl.blob_many(ch) for ch in chunks])
    elif client is not None:
        blobs = DaskPool(client).map(_blob_of, [(case, runs, seed, p) for p in params])
    else:
        blobs = [cl.blob(p) for p in params]
    return {k: v[:, 0] for k, v in split_blob(np.array(blobs), 1).items()}


#: Posterior draws simulated together in one engine call (``CaseLikelihood.blob_many``; the same
#: numbers as one call per draw).
DRAW_CHUNK = 16


def _blob_of(arg: tuple[str, int, int, Any]) -> np.ndarray:
    case, runs, seed, params = arg
    return CaseLikelihood((case,), runs, seed).blob(params)


def _blobs_of(arg: tuple[str, int, int, Any]) -> np.ndarray:
    case, runs, seed, params = arg
    return CaseLikelihood((case,), runs, seed).blob_many(params)


def _refit(case: str, post: Posterior, steps: int, directory: Path, client: Any,
           say: Callable[[str], None], inputs: str = "") -> tuple[dict[str, np.ndarray], int]:
    from .sampler import SamplerSettings, run_sampler
    from .store import build_posterior

    from .space import load_space

    pv = post.provenance
    rest = tuple(c for c in post.cases if c != case)
    W = int(pv["walkers"])
    st = SamplerSettings(cases=rest, runs=int(pv["runs_per_case"]), seed=int(pv["seed"]), walkers=W, steps=steps,
                         moves=str(pv.get("moves", "de")),          # the full posterior's own moves
                         coords=str(pv.get("coords", "box")))       # and coordinates
    space = load_space()
    # warm start: the full posterior's last walkers (the last W draws), near the leave-one-out posterior
    x0 = np.array([space.to_x(post.values(i)) for i in range(post.n_draws - W, post.n_draws)]) \
        if post.n_draws >= W else None
    say(f"exact refit without {case} ({steps} steps, warm start from the full posterior's last walkers)")
    # the fold's inputs (the posterior, the model code, the case's inputs) name the checkpoint folder: a
    # refit of another posterior or engine with the same sampler settings is never resumed as this one's
    where = directory / (f"refit-{case}-{inputs[:12]}" if inputs else f"refit-{case}")
    try:
        chain = run_sampler(st, where, client=client, progress=say, initial=x0)
    except InputError as err:          # a stale checkpoint of another posterior's refit: start afresh
        if "other settings" not in str(err):
            raise
        say(f"discarding the stale refit checkpoint in {where}")
        (where / "checkpoint.npz").unlink()
        chain = run_sampler(st, where, client=client, progress=say, initial=x0)
    fold = build_posterior(chain, st, max_draws=min(post.n_draws, 128))
    q = _evaluate_draws(case, fold, int(pv["runs_per_case"]), int(pv["seed"]), client)
    return q, fold.n_draws


def loo_validate(post: Posterior, *, folds_file: str | Path | None = None, refit: bool = True,
                 refit_steps: int | None = None, work_dir: str | Path = ".posterior-run/loo",
                 client: Any = None, progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Leave-one-case-out validation of ``post`` on every case with an expected file (module docstring).

    ``folds_file``: stored folds to reuse and update (None: compute all, store nothing).
    ``refit``: exact refits where Pareto k > 0.7 (else the PSIS estimate is kept and flagged).
    ``client``: a Dask client, or a zero-argument callable making one when first needed (refits and
    held-out cases), or None (this process).
    """
    say = progress or (lambda m: None)
    made: list[Any] = []

    def get_client() -> Any:
        if callable(client) and not hasattr(client, "map"):
            if not made:
                made.append(client())
            return made[0]
        return client

    cases = available_cases()
    fitted = [c for c in post.cases if c in cases]
    runs, seed = int(post.provenance["runs_per_case"]), int(post.provenance["seed"])
    steps = int(refit_steps or post.provenance.get("steps_requested", 400))
    post_hash = _sha(post.to_dict())
    code = _model_code_hash()
    stored: dict[str, Any] = {}
    if folds_file is not None and Path(folds_file).is_file():
        stored = json.loads(Path(folds_file).read_text(encoding="utf-8")).get("folds", {})
    ll = np.column_stack([post.pointwise["loglik"][:, post.cases.index(c)] for c in fitted]) if fitted else \
        np.zeros((post.n_draws, 0))
    weights, ks = psis_weights(ll) if fitted else (np.zeros((post.n_draws, 0)), np.zeros(0))
    folds: dict[str, Any] = {}
    rows = []
    reused = 0
    for case in cases:
        key = _sha(post_hash, code, case_inputs_hash(case), refit, steps if refit else None)
        if case in stored and stored[case].get("inputs") == key:
            row = stored[case]["row"]
            row["reused"] = True
            reused += 1
        elif case in fitted:
            j = fitted.index(case)
            ci = post.cases.index(case)
            p = {f: post.pointwise[f][:, ci] for f in BLOB_FIELDS}
            k = float(ks[j])
            lw = np.log(np.clip(weights[:, j], 1e-300, None))
            elpd = float(np.log(np.sum(np.exp(lw + p["loglik"] - np.max(lw + p["loglik"])))) +
                         np.max(lw + p["loglik"]))
            if k > K_THRESHOLD and refit:
                q, n = _refit(case, post, steps, Path(work_dir), get_client(), say, inputs=key)
                row = _row(case, _predict(q, np.ones(n)), "exact refit", k, float(np.log(np.mean(np.exp(q["loglik"])))),
                           n)
            else:
                method = "psis-loo" if k <= K_THRESHOLD else (
                    "psis-loo (k > 0.7, unreliable: refit off)" if math.isfinite(k) else
                    "psis-loo (k not estimable, unreliable: refit off)")
                row = _row(case, _predict(p, weights[:, j]), method, k, elpd, post.n_draws)
            row["reused"] = False
        else:
            say(f"{case}: not in the posterior's fit; predicting from all {post.n_draws} draws")
            q = _evaluate_draws(case, post, runs, seed, get_client())
            row = _row(case, _predict(q, np.ones(post.n_draws)), "held out (not in the fit)", None,
                       float(np.log(np.mean(np.exp(q["loglik"])))), post.n_draws)
            row["reused"] = False
        row["baselines"] = baseline_scores(case)
        fitted_on = post.provenance.get("case_inputs", {}).get(case)
        row["changed_since_fit"] = bool(case in fitted and fitted_on is not None and
                                        fitted_on != case_inputs_hash(case))
        folds[case] = {"inputs": key, "row": row}
        rows.append(row)
    out = _totals(rows)
    out.update({"cases": rows, "reused_folds": reused, "k_threshold": K_THRESHOLD, "refit_steps": steps,
                "posterior": {k: post.provenance.get(k) for k in
                              ("label", "cases", "seed", "runs_per_case", "walkers", "steps_done", "code_version")},
                "protocol": "PSIS-LOO from the posterior's pointwise log-likelihoods (ArviZ psislw), exact refits "
                            "where Pareto k > 0.7; cases not in the fit predicted from every draw; hit = P(outcome's "
                            "criteria) >= 0.5 and >= half the timing event's mass within +-1 year"})
    if folds_file is not None:
        write_json_atomic(folds_file, {"folds": folds})
    for c in made:
        c.close()
        c.cluster.close()
    return out


def _totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    n = len(rows)
    hits = sum(r["hit"] for r in rows)
    out: dict[str, Any] = {"n_cases": n, "hit_rate": round(hits / n, 4) if n else None,
                           "mean_log_score": round(float(np.mean([r["log_score"] for r in rows])), 4) if n else None,
                           "mean_brier": round(float(np.mean([r["brier"] for r in rows])), 4) if n else None}
    avail = n > 0 and all(r.get("baselines") for r in rows)
    base: dict[str, Any] = {}
    for rule in RULES:
        if not avail:
            base[rule] = {"hit_rate": None, "available": False}
            continue
        bh = sum(bool(r["baselines"][rule]["hit"]) for r in rows)
        scored = [r for r in rows if not r["baselines"][rule].get("abstained", False)]
        base[rule] = {"hit_rate": round(bh / n, 4), "available": True, "hits": bh, "scored": len(scored),
                      "model_hit_rate_on_scored": round(sum(r["hit"] for r in scored) / len(scored), 4)
                      if scored else None}
    out["baselines"] = base
    return out


def loo_markdown(res: dict[str, Any]) -> str:
    """The table of docs/validation.md."""
    lines = ["| case | method | Pareto k | P(history) | P(criteria) | timing mass ±1y | hit | log score | Brier |"
             + " BoP | BoT | persistence |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in res["cases"]:
        b = r.get("baselines") or {}

        def mark(rule: str) -> str:
            if not b:
                return "n/a"
            s = b[rule]
            return "abstains" if s.get("abstained") else ("hit" if s["hit"] else "miss")

        k = "—" if r["pareto_k"] is None else (r["pareto_k"] if isinstance(r["pareto_k"], str)
                                               else f"{r['pareto_k']:.2f}")
        lines.append(f"| {r['case']} | {r['method']} | {k} | {r['probability']:.3f} | {r['p_outcome']:.3f} | "
                     f"{r['timing_mass']:.3f} | {'**hit**' if r['hit'] else 'miss'} | {r['log_score']:.2f} | "
                     f"{r['brier']:.3f} | {mark('balance_of_power')} | {mark('balance_of_threat')} | "
                     f"{mark('persistence')} |")
    bl = res["baselines"]
    fmt = lambda v: "n/a" if v is None else f"{v:.2f}"  # noqa: E731
    lines += ["", f"Hit rate: model **{fmt(res['hit_rate'])}** ({res['n_cases']} cases); balance of power "
              f"{fmt(bl['balance_of_power']['hit_rate'])}, balance of threat {fmt(bl['balance_of_threat']['hit_rate'])}, "
              f"persistence {fmt(bl['persistence']['hit_rate'])}. Mean log score {res['mean_log_score']}, "
              f"mean Brier {res['mean_brier']}."]
    return "\n".join(lines)
