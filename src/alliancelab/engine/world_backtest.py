"""The simulation's own out-of-sample test: worlds built at origin years, pacts predicted per dyad.

At each origin year ``Y`` (``start, start + step, ..., end``) the world of ``Y`` is built from data
known by then (:func:`~alliancelab.engine.world_data.world_from_data`) and simulated ``horizon``
years on the one engine. For every dyad of the world's states it predicts

* **onset**: a new ATOP defence or offence pact between the two in ``(Y, Y + horizon]``, on the dyads
  without one at ``Y``; the simulation's probability is the share of runs in which a new tie forms
  at some period (one aligns with the other, a patron, or both with the same patron, where they
  were not tied the period before);
* **end**: no defence or offence pact at ``Y + horizon``, on the dyads with one at ``Y``; the
  simulation's probability is the share of runs with no such tie at the horizon.

Beside it, on the same rows, two statistical baselines, logits fitted on the dyads of the
``max_states`` largest states of every year before the origin whose outcome is known by ``Y``
(expanding window, ``y + horizon <= Y``): ``controls`` (log capital distance, contiguity, a major
power in the dyad, same region and the regions of both sides) and ``threat`` (controls plus Walt's
balance of threat: shared rivals, shared MID opponents, the common threat's CINC, rivalry and an
ongoing MID between them, the capability ratio). Scores: AUC and Brier pooled over origins, with
95% intervals from resampling origin years, and calibration bins (plots on request).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from .._config import resolve_data_dir
from .._exceptions import InputError

__all__ = ["MODELS", "backtest", "pact_probabilities"]

MODELS: tuple[str, ...] = ("simulation", "controls", "threat")
_RIDGE = 1e-2           # L2 penalty of the baseline logits (separation in small early samples)
_REGIONS = ((2, 199), (200, 399), (400, 626), (630, 699), (700, 999))   # COW code blocks


def _region(code: np.ndarray) -> np.ndarray:
    out = np.full(code.shape, -1)
    for k, (lo, hi) in enumerate(_REGIONS):
        out[(code >= lo) & (code <= hi)] = k
    return out


def _features(d: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Design matrices (controls, threat) of dyad rows ``d`` (columns of ``dyad_years``)."""
    r1, r2 = _region(d["ccode1"].to_numpy()), _region(d["ccode2"].to_numpy())
    regions = np.stack([(r1 == k).astype(float) + (r2 == k) for k in range(1, len(_REGIONS))], 1)
    ct = d["conttype"].fillna(0).to_numpy(float)
    ctrl = np.column_stack([
        np.log1p(d["capdist"].fillna(5_000).to_numpy(float) / 1_000.0),
        ((ct >= 1) & (ct <= 5)).astype(float), (ct == 1).astype(float),
        d["any_major"].fillna(0).to_numpy(float), (r1 == r2).astype(float), regions])
    thr = np.column_stack([
        ctrl, (d["shared_rivals"].fillna(0).to_numpy(float) > 0),
        (d["shared_mid_opponents"].fillna(0).to_numpy(float) > 0),
        np.log1p(100 * d["common_threat_cinc"].fillna(0).to_numpy(float)),
        d["rivalry"].fillna(0).to_numpy(float), d["cowmid_ongoing"].fillna(0).to_numpy(float),
        np.log(d["cap_ratio"].fillna(1.0).clip(1.0, 1e4).to_numpy(float))])
    return ctrl.astype(float), thr.astype(float)


def _fit_logit(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Ridge logit (intercept unpenalised); returns coefficients with the intercept first."""
    mu, sd = X.mean(0), X.std(0)
    sd = np.where(sd > 0, sd, 1.0)
    Z = np.column_stack([np.ones(len(X)), (X - mu) / sd])

    def f(b: np.ndarray) -> tuple[float, np.ndarray]:
        eta = Z @ b
        ll = np.logaddexp(0, eta) - y * eta
        p = 1.0 / (1.0 + np.exp(-eta))
        pen = _RIDGE * (b[1:] ** 2).sum()
        g = Z.T @ (p - y) / len(y)
        g[1:] += 2 * _RIDGE * b[1:]
        return float(ll.mean() + pen), g

    b = minimize(f, np.zeros(Z.shape[1]), jac=True, method="L-BFGS-B").x
    return np.concatenate([[b[0] - (b[1:] * mu / sd).sum()], b[1:] / sd])


def _predict(b: np.ndarray, X: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(b[0] + X @ b[1:])))


def pact_probabilities(alignment: np.ndarray, patron_of_state: np.ndarray, P: int
                       ) -> tuple[np.ndarray, np.ndarray]:
    """From alignment histories ``(T + 1, R, C)``: ``(C, C)`` probability that a new tie forms at
    some period ``1..T`` (tied then, not tied the period before) and that the pair is tied at the
    last period. A tie: one state aligned with the other (a patron), or both with the same patron.
    ``patron_of_state`` ``(C,)`` is each state's patron index or -1."""
    T1, R, C = alignment.shape

    def tie(a: np.ndarray) -> np.ndarray:
        a = a.astype(np.int64)
        same = (a[:, :, None] == a[:, None, :]) & (a[:, :, None] < P)
        to_j = a[:, :, None] == patron_of_state[None, None, :]
        return same | to_j | np.swapaxes(to_j, 1, 2)

    formed = np.zeros((R, C, C), bool)
    prev = tie(alignment[0])
    for t in range(1, T1):
        now = tie(alignment[t])
        formed |= now & ~prev
        prev = now
    return formed.mean(0), prev.mean(0)


def _defoff_keys(dd: pd.DataFrame) -> dict[int, np.ndarray]:
    """Per year, sorted keys ``lo * 1000 + hi`` of dyads with a defence or offence pledge."""
    x = dd[(dd["atop_defense"] == 1) | (dd["atop_offense"] == 1)]
    k = np.minimum(x["ccode1"], x["ccode2"]).to_numpy(np.int64) * 1000 + \
        np.maximum(x["ccode1"], x["ccode2"]).to_numpy(np.int64)
    return {int(y): np.unique(k[(x["year"] == y).to_numpy()]) for y in np.unique(x["year"])}


def _keys(d: pd.DataFrame) -> np.ndarray:
    return np.minimum(d["ccode1"], d["ccode2"]).to_numpy(np.int64) * 1000 + \
        np.maximum(d["ccode1"], d["ccode2"]).to_numpy(np.int64)


def _outcomes(keys: np.ndarray, year: int, horizon: int, S: dict[int, np.ndarray]
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(pact at ``year``, new pact within the horizon, pact at ``year + horizon``)."""
    empty = np.zeros(0, np.int64)
    now = np.isin(keys, S.get(year, empty))
    later = np.zeros(len(keys), bool)
    for y in range(year + 1, year + horizon + 1):
        later |= np.isin(keys, S.get(y, empty))
    at_end = np.isin(keys, S.get(year + horizon, empty))
    return now, later & ~now, at_end


def _score(rows: pd.DataFrame, outcome: str, models: tuple[str, ...], n_boot: int,
           seed: int) -> dict[str, Any]:
    from ..stats.oos import auc_score, brier_score

    y = rows[outcome].to_numpy(float)
    out: dict[str, Any] = {"auc": {}, "brier": {}, "auc_interval": {}, "brier_interval": {}}
    for m in models:
        p = rows[f"p_{m}"].to_numpy(float)
        out["auc"][m] = auc_score(y, p)
        out["brier"][m] = brier_score(y, p)
    origins = rows["origin"].to_numpy()
    uniq = np.unique(origins)
    groups = {o: np.nonzero(origins == o)[0] for o in uniq}
    rng = np.random.default_rng(seed)
    boot: dict[str, list[tuple[float, float]]] = {m: [] for m in models}
    for _ in range(n_boot):
        pick = rng.choice(uniq, len(uniq), replace=True)
        idx = np.concatenate([groups[o] for o in pick])
        yb = y[idx]
        for m in models:
            pb = rows[f"p_{m}"].to_numpy(float)[idx]
            boot[m].append((auc_score(yb, pb), brier_score(yb, pb)))
    for m in models:
        arr = np.array(boot[m], float)
        auc_b = arr[np.isfinite(arr[:, 0]), 0]
        out["auc_interval"][m] = [float(np.percentile(auc_b, 2.5)), float(np.percentile(auc_b, 97.5))] \
            if len(auc_b) else [None, None]
        out["brier_interval"][m] = [float(np.percentile(arr[:, 1], 2.5)),
                                    float(np.percentile(arr[:, 1], 97.5))]
    return out


def _plots(rows: pd.DataFrame, folder: Path) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .._io import atomic_path
    from ..stats.oos import calibration_bins

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for outcome, sub in (("onset", rows[~rows["pact"]]), ("end", rows[rows["pact"]])):
        if sub.empty:
            continue
        fig, ax = plt.subplots(figsize=(5, 5))
        ax.plot([0, 1], [0, 1], color="grey", lw=0.8, ls="--")
        for m in MODELS:
            cb = calibration_bins(sub[outcome].to_numpy(float), sub[f"p_{m}"].to_numpy(float))
            ax.plot(cb["mean_predicted"], cb["observed"], marker="o", label=m)
        ax.set_xlabel("predicted probability")
        ax.set_ylabel("observed share")
        ax.set_title(f"world backtest: pact {outcome}, calibration in deciles")
        ax.legend()
        path = folder / f"world_backtest_{outcome}_calibration.png"
        with atomic_path(path) as tmp:
            fig.savefig(tmp, dpi=110, format="png")
        plt.close(fig)
        written.append(str(path))
    return written


def backtest(data_dir: str | os.PathLike[str] | None = None, *, start: int = 1950, end: int = 2010,
             step: int = 5, horizon: int = 5, runs: int = 400, max_states: int = 50, seed: int = 0,
             plots: str | os.PathLike[str] | None = None, n_boot: int = 200, train_start: int = 1816,
             progress: Callable[[int, int, int], None] | None = None,
             inputs: dict[str, bool] | None = None) -> dict[str, Any]:
    """Run the world backtest (see the module docstring); returns the JSON-able result.

    ``train_start`` is the first year of the baselines' training window (default: all the data).
    """
    from ..data import dyad_years, state_years
    from ._world_run import run_compiled
    from .world import compile_world, default_params
    from .world_data import require_world_files, world_from_data

    root = resolve_data_dir(data_dir)
    require_world_files(root)
    for name, value in (("--step", step), ("--horizon", horizon), ("--runs", runs)):
        if int(value) < 1:
            raise InputError(f"must be a whole number >= 1; got {value}", field=name)
    def bad_years(lo_ok: int, hi_ok: int, last: str) -> InputError:
        return InputError(f"origin years {start}-{end} are outside the data: with --horizon {horizon} "
                          f"they must lie in {lo_ok}-{hi_ok} (leader ideology from 1945{last})",
                          field="--start/--end")

    if start > end or start < 1945:
        raise bad_years(1945, end, "")
    try:
        dd_all = dyad_years(root, start=min(int(train_start), start), end=end + horizon)
    except InputError as err:
        if getattr(err, "field", None) not in ("end", "start"):
            raise
        raise InputError(f"origin years {start}-{end} with --horizon {horizon} reach {end + horizon}, "
                         f"outside the data ({err})",
                         field="--start/--end") from None
    S = _defoff_keys(dd_all)
    first, last = int(dd_all["year"].min()), max(S) if S else int(dd_all["year"].max())
    lo_ok, hi_ok = max(1945, first + 2 * horizon), last - horizon
    if start < lo_ok or end > hi_ok:
        raise bad_years(lo_ok, hi_ok, f", ATOP to {last}")
    origins = list(range(int(start), int(end) + 1, int(step)))
    sy = state_years(root, start=min(int(train_start), start), end=end)
    top = (sy.sort_values(["year", "cinc"], ascending=[True, False]).groupby("year").head(max_states))
    top_k = np.unique(top["year"].to_numpy(np.int64) * 1000 + top["ccode"].to_numpy(np.int64))
    yr = dd_all["year"].to_numpy(np.int64) * 1000
    keep = np.isin(yr + dd_all["ccode1"].to_numpy(np.int64), top_k) & \
        np.isin(yr + dd_all["ccode2"].to_numpy(np.int64), top_k)
    train_all = dd_all[keep & (dd_all["year"] <= end)].reset_index(drop=True)
    tk = _keys(train_all)
    t_now = np.zeros(len(train_all), bool)
    t_new = np.zeros(len(train_all), bool)
    t_end = np.zeros(len(train_all), bool)
    years = train_all["year"].to_numpy()
    for y in np.unique(years):
        m = years == y
        t_now[m], t_new[m], t_end[m] = _outcomes(tk[m], int(y), horizon, S)
    t_end = t_now & ~t_end                                  # the pact ended by the horizon
    Xc_all, Xt_all = _features(train_all)
    params = default_params()
    frames = []
    total = len(origins)
    for k, Y in enumerate(origins):
        if progress is not None:
            progress(k, total, Y)
        world = world_from_data(Y, data_dir=root, max_states=max_states, periods=horizon,
                                **dict(inputs or {}))
        codes = [int(c) for c in world.notes["codes"]]
        pos = {c: i for i, c in enumerate(codes)}
        pat = np.full(len(codes), -1)
        for j, m in enumerate(world.notes["patron_codes"]):
            pat[pos[int(m)]] = j
        tr = run_compiled(compile_world(world, params), params, runs, seed + Y, light=True)
        p_ever, p_last = pact_probabilities(tr.alignment, pat, world.n_patrons)
        d = dd_all[(dd_all["year"] == Y) & dd_all["ccode1"].isin(codes) & dd_all["ccode2"].isin(codes)]
        d = d[d["ccode1"] < d["ccode2"]].reset_index(drop=True)
        keys = _keys(d)
        now, new, at_end = _outcomes(keys, Y, horizon, S)
        i = d["ccode1"].map(pos).to_numpy(int)
        j = d["ccode2"].map(pos).to_numpy(int)
        rows = pd.DataFrame({"origin": Y, "ccode1": d["ccode1"], "ccode2": d["ccode2"], "pact": now,
                             "onset": new, "end": now & ~at_end})
        rows["p_simulation"] = np.where(now, 1.0 - p_last[i, j], p_ever[i, j])
        Xc, Xt = _features(d)
        train = (years + horizon) <= Y
        for name, X_all, X in (("controls", Xc_all, Xc), ("threat", Xt_all, Xt)):
            p = np.zeros(len(d))
            for at_risk, target, mask in ((~t_now, t_new, ~now), (t_now, t_end, now)):
                sel = train & at_risk
                if sel.sum() > 10 and target[sel].any() and not target[sel].all():
                    b = _fit_logit(X_all[sel], target[sel].astype(float))
                    p[mask] = _predict(b, X[mask])
                else:
                    p[mask] = float(target[sel].mean()) if sel.any() else 0.5
            rows[f"p_{name}"] = p
        frames.append(rows)
    if progress is not None:
        progress(total, total, origins[-1])
    allrows = pd.concat(frames, ignore_index=True)
    onset_rows = allrows[~allrows["pact"]]
    end_rows = allrows[allrows["pact"]]
    on = _score(onset_rows, "onset", MODELS, n_boot, seed)
    en = _score(end_rows, "end", MODELS, n_boot, seed) if end_rows["end"].nunique() > 1 else {}
    from ..stats.oos import calibration_bins

    calib = {m: calibration_bins(onset_rows["onset"].to_numpy(float),
                                 onset_rows[f"p_{m}"].to_numpy(float)).to_dict("list") for m in MODELS}
    result: dict[str, Any] = {
        "origins": origins, "horizon": horizon, "runs": runs, "max_states": max_states, "seed": seed,
        "rows": int(len(onset_rows)), "onsets": int(onset_rows["onset"].sum()),
        "auc": on["auc"], "brier": on["brier"], "auc_interval": on["auc_interval"],
        "brier_interval": on["brier_interval"], "calibration": calib,
        "end": {"rows": int(len(end_rows)), "ends": int(end_rows["end"].sum()), **en},
        "per_origin": [{"origin": int(o), "rows": int(len(g)), "onsets": int(g["onset"].sum()),
                        **{f"auc_{m}": _safe_auc(g["onset"], g[f"p_{m}"]) for m in MODELS}}
                       for o, g in onset_rows.groupby("origin")],
    }
    if plots is not None:
        result["plots"] = _plots(allrows, Path(plots))
    return _clean(result)


def _safe_auc(y: pd.Series, p: pd.Series) -> float | None:
    from ..stats.oos import auc_score

    v = auc_score(y.to_numpy(float), p.to_numpy(float))
    return None if not np.isfinite(v) else float(v)


def _clean(x: Any) -> Any:
    if isinstance(x, dict):
        return {str(k): _clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_clean(v) for v in x]
    if isinstance(x, (np.floating, float)):
        return float(x) if np.isfinite(x) else None
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, np.bool_):
        return bool(x)
    return x
