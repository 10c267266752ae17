"""The honest forecasting test: expanding-window forecasts of alliance onset with year-block bootstrap.

Every ``step`` years from ``first_origin`` each model is refitted on all earlier onset-risk dyad-years
and predicts the next ``step`` years; the pooled out-of-sample predictions are scored with ROC-AUC,
PR-AUC (average precision), Brier score, Brier skill (against each window's training base rate) and
calibration. Intervals come from a bootstrap that resamples test *years* (all dyads of a year together,
so a treaty's many same-year onsets stay in one block); every statistic of a replicate is computed from
per-year sufficient statistics, so 1,000 replicates cost less than one refit.

Wartime alliances (ATOP ``wartime``, through the treaty link) are a different process - coalitions
signed during a war, most dissolved at its end - so the headline sample drops the dyad-years whose onset
is a wartime treaty (from training and scoring); how well the same forecasts rank the wartime onsets
is reported separately (``wartime``).

Models share no polynomial: time since the last alliance enters as a linear spline that is flat beyond
60 years (knots 3, 10, 30, 60), so nothing explodes when the last decades are extrapolated.

* ``geography`` - log capital distance, contiguity, land contiguity, a major power in the dyad, both
  major powers, same COW region, and which regions the dyad involves;
* ``geography + history`` - plus the flat-tailed spline in alliance-free years and "ever allied";
* ``controls`` - plus regime dissimilarity (the standard onset model's controls);
* ``disparity x threat (Y)``, ``balance of power``, ``balance of threat (Walt)`` - controls plus each
  theory's terms (as in :mod:`alliancelab.stats.oos`);
* ``network`` - controls plus lagged network terms (:mod:`alliancelab.stats.network`);
* ``Y + network`` - controls plus both.

The **theory increment** is AUC(Y) minus the AUC of the best baseline (the highest pooled AUC among
geography, geography + history, controls, balance of power and balance of threat), with a paired
bootstrap interval (same resampled years for both).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._random import SeedLike, as_generator
from .network import NETWORK_TERMS
from .operationalize import _lag, _lag_index
from .oos import auc_score, calibration_bins

__all__ = ["BASELINES", "EXPANDING_MODELS", "ExpandingResult", "auc_interval", "block_bootstrap", "expanding_design", "expanding_window",
           "forecast_features", "average_precision"]

REGIONS = {"americas": (2, 199), "europe": (200, 399), "africa": (400, 626), "middle_east": (630, 699),
           "asia_oceania": (700, 999)}
REGION_TERMS = tuple(f"region_{r}" for r in REGIONS)
GEOGRAPHY = ("log_capdist", "contiguous", "land_contiguous", "any_major_f", "both_major", "same_region",
             *REGION_TERMS[1:])
HISTORY = ("fs1", "fs2", "fs3", "fs4", "ever_allied")
CONTROLS = GEOGRAPHY + HISTORY + ("regime_distance", "regime_missing")
Y_TERMS = ("disparity", "threat", "disparity_x_threat")
BOP_TERMS = ("dyad_cinc", "strongest_other_cinc", "in_dyad_strongest")
WALT_TERMS = ("log_common_threat", "common_rival", "shared_mid", "mid_ongoing", "rival_pair")
EXPANDING_MODELS: dict[str, tuple[str, ...]] = {
    "geography": GEOGRAPHY,
    "geography + history": GEOGRAPHY + HISTORY,
    "controls": CONTROLS,
    "disparity x threat (Y)": CONTROLS + Y_TERMS,
    "balance of power": CONTROLS + BOP_TERMS,
    "balance of threat (Walt)": CONTROLS + WALT_TERMS,
    "network": CONTROLS + NETWORK_TERMS,
    "Y + network": CONTROLS + Y_TERMS + NETWORK_TERMS,
}
THEORY = "disparity x threat (Y)"
BASELINES = ("geography", "geography + history", "controls", "balance of power", "balance of threat (Walt)")
#: knots of the flat-tailed linear spline in alliance-free years
SPLINE_KNOTS = (3.0, 10.0, 30.0, 60.0)


def _fit_logit(X: np.ndarray, y: np.ndarray, start: np.ndarray | None, maxiter: int = 30,
               ridge: float = 1e-4) -> np.ndarray:
    """Newton logit with a tiny ridge on the slopes, warm-started.

    Like :class:`alliancelab.stats.onset.ClusteredLogit`, a 0/1 column with no event (or no
    non-event) in one of its levels is left out (coefficient 0): its MLE is infinite, and carrying a
    huge coefficient into the next window (e.g. an African region dummy before the first African
    alliance) would wreck the forecasts.
    """
    k = X.shape[1]
    active = np.ones(k, dtype=bool)
    n1 = y.sum()
    for j in range(1, k):
        col = X[:, j]
        mx = col.max()
        if mx == col.min():
            active[j] = False
            continue
        if mx == 1.0 and col.min() == 0.0 and np.all((col == 0) | (col == 1)):
            ev1 = float(col @ y)
            on = float(col.sum())
            if ev1 == 0 or ev1 == on or n1 - ev1 == 0 or (len(y) - on) - (n1 - ev1) == 0:
                active[j] = False
    full = np.zeros(k)
    if start is not None and len(start) == k:
        start = start[active]
    else:
        start = None
    X = X[:, active]
    k = X.shape[1]
    beta = np.zeros(k) if start is None or len(start) != k else start.copy()
    if start is None:
        beta[0] = np.log(y.mean() / (1 - y.mean()))
    pen = np.full(k, ridge)
    pen[0] = 0.0
    for _ in range(maxiter):
        p = 1.0 / (1.0 + np.exp(-(X @ beta)))
        hess = (X * (p * (1 - p))[:, None]).T @ X + np.diag(pen)
        grad = X.T @ (y - p) - pen * beta
        try:
            step = np.linalg.solve(hess, grad)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(hess, grad, rcond=None)[0]
        big = np.max(np.abs(step))
        beta = beta + (step if big < 5 else step * 5 / big)
        if big < 1e-8:
            break
    full[active] = beta
    return full


def _region(c: np.ndarray) -> np.ndarray:
    out = np.full(len(c), "", dtype=object)
    for name, (lo, hi) in REGIONS.items():
        out[(c >= lo) & (c <= hi)] = name
    return out


def forecast_features(prepared: pd.DataFrame) -> pd.DataFrame:
    """Geography, flat-tailed history spline and region columns for every row of ``prepared`` (t-1)."""
    c1 = prepared["ccode1"].to_numpy()
    c2 = prepared["ccode2"].to_numpy()
    r1, r2 = _region(c1), _region(c2)
    out = {"same_region": (r1 == r2).astype(float)}
    for name in REGIONS:
        out[f"region_{name}"] = ((r1 == name) | (r2 == name)).astype(float)
    ok = _lag_index(prepared)
    if "major1" in prepared.columns and "major2" in prepared.columns:
        both = np.nan_to_num(prepared["major1"].to_numpy(float)) * np.nan_to_num(prepared["major2"].to_numpy(float))
        out["both_major"] = np.nan_to_num(_lag(both, ok))
    else:
        out["both_major"] = np.zeros(len(prepared))
    t = prepared["alliance_free_years"].to_numpy(float)
    lo = 0.0
    for k, knot in enumerate(SPLINE_KNOTS, start=1):
        out[f"fs{k}"] = np.clip(t - lo, 0, knot - lo) / 10.0
        lo = knot
    ally = np.nan_to_num(prepared["alliance"].to_numpy(float))
    dyad = prepared["dyad_id"].to_numpy()
    start = np.r_[True, dyad[1:] != dyad[:-1]]
    seg = np.cumsum(start) - 1
    cum = pd.Series(ally).groupby(seg).cummax().to_numpy()
    out["ever_allied"] = np.nan_to_num(_lag(cum, ok))
    return pd.DataFrame(out, index=prepared.index)


def expanding_design(prepared: pd.DataFrame, link: Any | None = None) -> pd.DataFrame:
    """Onset design with the forecasting features, lagged network terms and the ``wartime`` flag."""
    from .network import network_terms
    from .onset import ONSET_TERMS, onset_design, treaty_groups

    full = onset_design(prepared)
    needed = {t for terms in EXPANDING_MODELS.values() for t in terms} | set(ONSET_TERMS)
    keep = [c for c in full.columns if c in needed or c in ("year", "dyad_id", "ccode1", "ccode2", "onset")]
    design = full[keep].reset_index(drop=True)
    del full
    mask = prepared["at_risk_onset"].to_numpy(bool)
    for frame in (forecast_features(prepared), network_terms(prepared)):
        for c in frame.columns:
            design[c] = frame[c].to_numpy()[mask]
        del frame
    return treaty_groups(design, link, inplace=True)


def average_precision(y: np.ndarray, p: np.ndarray) -> float:
    """Average precision (area under the precision-recall curve, step interpolation, ties together)."""
    return float(_ap_from(_rank_stats(np.asarray(y, bool), np.asarray(p, float),
                                      np.zeros(len(y), dtype=np.int64), 1), np.ones(1)))


@dataclass(frozen=True)
class _Stats:
    """Per-year sufficient statistics of one model's pooled predictions."""

    pos_year: np.ndarray       # year index of each positive (sorted by p descending)
    below: np.ndarray          # (n_pos, n_years): negatives of each year ranked below (ties 1/2)
    above: np.ndarray          # (n_pos, n_years): negatives of each year with p >= p_i
    pos_rank: np.ndarray       # for each positive, index of the last positive with p >= its p
    n_neg: np.ndarray          # negatives per year


def _rank_stats(y: np.ndarray, p: np.ndarray, yidx: np.ndarray, n_years: int) -> _Stats:
    pos = np.flatnonzero(y)
    order = pos[np.argsort(-p[pos], kind="stable")]
    pp = p[order]
    below = np.zeros((len(order), n_years))
    above = np.zeros((len(order), n_years))
    n_neg = np.zeros(n_years)
    neg = ~y
    for k in range(n_years):
        q = np.sort(p[neg & (yidx == k)])
        n_neg[k] = len(q)
        lt = np.searchsorted(q, pp, side="left")
        le = np.searchsorted(q, pp, side="right")
        below[:, k] = lt + 0.5 * (le - lt)
        above[:, k] = len(q) - lt
    # positives tied with p_i count as predicted positive at threshold p_i
    last = np.searchsorted(-pp, -pp, side="right") - 1
    return _Stats(pos_year=yidx[order], below=below, above=above, pos_rank=last, n_neg=n_neg)


def _auc_from(s: _Stats, w: np.ndarray) -> float:
    wp = w[s.pos_year]
    # positives vs negatives across all years; positive-positive pairs are not counted
    num = float(wp @ (s.below @ w))
    den = float(wp.sum() * (s.n_neg @ w))
    return num / den if den > 0 else float("nan")


def _ap_from(s: _Stats, w: np.ndarray) -> float:
    wp = w[s.pos_year]
    if wp.sum() == 0:
        return float("nan")
    tp = np.cumsum(wp)[s.pos_rank]
    fp = s.above @ w
    prec = tp / np.maximum(tp + fp, 1e-300)
    return float((wp * prec).sum() / wp.sum())


@dataclass(frozen=True)
class ExpandingResult:
    """Pooled metrics with bootstrap intervals, per-window rows, calibration, theory increment."""

    metrics: pd.DataFrame                  # one row per model
    windows: pd.DataFrame                  # origin x model: n, events, auc, brier
    calibration: pd.DataFrame              # model x bin
    increment: dict[str, Any]
    wartime: pd.DataFrame                  # model: auc for wartime onsets (same forecasts)
    settings: dict[str, Any] = field(default_factory=dict)
    network_share: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able: ``{model: {auc, auc_ci, pr_auc, pr_auc_ci, brier, brier_skill, ...}}`` etc."""
        def clean(v: Any) -> Any:
            if isinstance(v, (float, np.floating)):
                return float(v) if np.isfinite(v) else None
            if isinstance(v, np.integer):
                return int(v)
            if isinstance(v, (list, tuple, np.ndarray)):
                return [clean(x) for x in v]
            return v
        return {
            "models": {r["model"]: {k: clean(v) for k, v in r.items() if k != "model"}
                       for r in self.metrics.to_dict("records")},
            "windows": [{k: clean(v) for k, v in r.items()} for r in self.windows.to_dict("records")],
            "calibration": {m: {k: clean(v) for k, v in g.drop(columns="model").to_dict("list").items()}
                            for m, g in self.calibration.groupby("model", sort=False)},
            "wartime": {r["model"]: {k: clean(v) for k, v in r.items() if k != "model"}
                        for r in self.wartime.to_dict("records")},
            "theory_increment": {k: clean(v) for k, v in self.increment.items()},
            "network_vs_theory": {k: clean(v) for k, v in self.network_share.items()},
            "settings": self.settings,
        }


def block_bootstrap(stats: dict[str, _Stats], sse: dict[str, np.ndarray], sse_ref: np.ndarray,
                    n_year: np.ndarray, *, reps: int, seed: SeedLike) -> dict[str, np.ndarray]:
    """Replicates of AUC, PR-AUC and Brier per model from resampled test years (arrays reps x 1)."""
    rng = as_generator(seed)
    k = len(n_year)
    draws = rng.integers(0, k, size=(reps, k))
    out: dict[str, np.ndarray] = {}
    for b in range(reps):
        w = np.bincount(draws[b], minlength=k).astype(float)
        for m, s in stats.items():
            out.setdefault(f"{m}|auc", np.empty(reps))[b] = _auc_from(s, w)
            out.setdefault(f"{m}|pr_auc", np.empty(reps))[b] = _ap_from(s, w)
            brier = float(sse[m] @ w / (n_year @ w))
            out.setdefault(f"{m}|brier", np.empty(reps))[b] = brier
            out.setdefault(f"{m}|brier_skill", np.empty(reps))[b] = 1 - brier / float(sse_ref @ w / (n_year @ w))
    return out


def auc_interval(y: np.ndarray, p: np.ndarray, years: np.ndarray, *, reps: int = 500,
                 seed: SeedLike = 0) -> list[float]:
    """95 % year-block bootstrap interval of the AUC (test years resampled with replacement)."""
    uy, yidx = np.unique(np.asarray(years), return_inverse=True)
    s = _rank_stats(np.asarray(y, bool), np.asarray(p, float), yidx, len(uy))
    rng = as_generator(seed)
    draws = rng.integers(0, len(uy), size=(reps, len(uy)))
    vals = np.array([_auc_from(s, np.bincount(d, minlength=len(uy)).astype(float)) for d in draws])
    return _ci(vals)


def _ci(x: np.ndarray) -> list[float]:
    x = x[np.isfinite(x)]
    return [float(np.quantile(x, 0.025)), float(np.quantile(x, 0.975))] if len(x) else [np.nan, np.nan]


def expanding_window(design: pd.DataFrame, *, first_origin: int = 1900, step: int = 5,
                     last_year: int | None = None, models: dict[str, tuple[str, ...]] | None = None,
                     reps: int = 1000, seed: SeedLike = 20261201, drop_wartime: bool = True,
                     train_rate: float = 0.2, progress: Any = None) -> ExpandingResult:
    """Refit every ``step`` years, predict the next ``step``; pooled metrics with year-block bootstrap.

    ``design`` is an onset design (:func:`alliancelab.stats.onset.onset_design`) with the columns of
    :func:`forecast_features`, the network terms and ``wartime`` (1 for a wartime-treaty onset).
    Training uses every onset and a seeded ``train_rate`` share of the non-onsets (case-control
    sampling with the intercept corrected by log(rate), exact for the logit; Prentice & Pyke 1979,
    King & Zeng 2001); predictions are scored on every test row.
    """
    say = progress or (lambda m: None)
    models = models or EXPANDING_MODELS
    cols = sorted({t for terms in models.values() for t in terms})
    usable = np.ones(len(design), dtype=bool)
    for c in (*cols, "onset"):  # column by column: no copy of the design
        usable &= design[c].notna().to_numpy()
    wart = (design["wartime"].to_numpy() == 1) if "wartime" in design.columns else np.zeros(len(design), bool)
    year_all = design["year"].to_numpy()
    war_ix = np.flatnonzero(usable & wart)
    keep = usable & ~wart if drop_wartime else usable
    data_ix = np.flatnonzero(keep)
    data_ix = data_ix[np.argsort(year_all[data_ix], kind="stable")]
    yrall = year_all[data_ix]
    last = int(yrall.max()) if last_year is None else int(last_year)
    origins = list(range(first_origin, last + 1, step))
    col_ix = {c: j for j, c in enumerate(cols)}
    # float32 storage (the training sample and test windows are cast back to float64 when used)
    full = np.empty((len(data_ix), len(cols) + 1), dtype=np.float32)
    wfull = np.empty((len(war_ix), len(cols) + 1), dtype=np.float32)
    full[:, 0] = 1.0
    wfull[:, 0] = 1.0
    for j, c in enumerate(cols, start=1):
        v = design[c].to_numpy(np.float64)
        full[:, j] = v[data_ix]
        wfull[:, j] = v[war_ix]
    yall = design["onset"].to_numpy(np.float64)[data_ix]
    wyrall = year_all[war_ix]
    # case-control sample of the non-onsets for training (all onsets kept), fixed per row so that the
    # training samples of successive origins are nested; the intercept is corrected by log(rate)
    u = as_generator(seed).random(len(data_ix))
    sampled = (yall == 1) | (u < train_rate)
    idx = {m: np.r_[0, [1 + col_ix[t] for t in terms]] for m, terms in models.items()}
    preds = {m: [] for m in models}
    war_preds = {m: [] for m in models}
    ys, years, refs, wys = [], [], [], []
    windows = []
    warm: dict[str, np.ndarray] = {}
    for origin in origins:
        n_train = int(np.searchsorted(yrall, origin, side="left"))
        hi = int(np.searchsorted(yrall, min(origin + step - 1, last), side="right"))
        if hi <= n_train or yall[:n_train].sum() == 0:
            continue
        tr = np.flatnonzero(sampled[:n_train])
        Xtr_all, ytr = full[tr].astype(np.float64), yall[tr]
        Xte_all, yb = full[n_train:hi].astype(np.float64), yall[n_train:hi]
        wsel = (wyrall >= origin) & (wyrall < origin + step)
        base = float(yall[:n_train].mean())
        ys.append(yb)
        years.append(yrall[n_train:hi])
        refs.append(np.full(len(yb), base))
        wys.append(wyrall[wsel])
        for m in models:
            beta = _fit_logit(Xtr_all[:, idx[m]], ytr, warm.get(m))
            warm[m] = beta
            beta_c = beta.copy()
            beta_c[0] += np.log(train_rate)
            p = 1.0 / (1.0 + np.exp(-(Xte_all[:, idx[m]] @ beta_c)))
            preds[m].append(p)
            war_preds[m].append(1.0 / (1.0 + np.exp(-(wfull[wsel][:, idx[m]].astype(np.float64) @ beta_c))))
            windows.append({"origin": origin, "test_to": int(min(origin + step - 1, last)), "model": m,
                            "n_train": n_train, "n": int(len(yb)), "events": int(yb.sum()),
                            "auc": auc_score(yb, p) if 0 < yb.sum() < len(yb) else np.nan,
                            "brier": float(np.mean((p - yb) ** 2))})
        say(f"expanding window: origin {origin} ({n_train:,} training rows, {len(tr):,} used)")
    y = np.concatenate(ys)
    yr = np.concatenate(years)
    ref = np.concatenate(refs)
    uyears, yidx = np.unique(yr, return_inverse=True)
    n_year = np.bincount(yidx, minlength=len(uyears)).astype(float)
    sse_ref = np.bincount(yidx, weights=(ref - y) ** 2, minlength=len(uyears))
    stats, sse, rows, calib = {}, {}, [], []
    ybool = y.astype(bool)
    for m in models:
        p = np.concatenate(preds[m])
        stats[m] = _rank_stats(ybool, p, yidx, len(uyears))
        sse[m] = np.bincount(yidx, weights=(p - y) ** 2, minlength=len(uyears))
        cb = calibration_bins(y, p)
        cb.insert(0, "model", m)
        calib.append(cb)
    ones = np.ones(len(uyears))
    boot = block_bootstrap(stats, sse, sse_ref, n_year, reps=reps, seed=seed)
    for m in models:
        brier = float(sse[m].sum() / n_year.sum())
        rows.append({"model": m, "auc": _auc_from(stats[m], ones), "auc_ci": _ci(boot[f"{m}|auc"]),
                     "pr_auc": _ap_from(stats[m], ones), "pr_auc_ci": _ci(boot[f"{m}|pr_auc"]),
                     "brier": brier, "brier_ci": _ci(boot[f"{m}|brier"]),
                     "brier_skill": 1 - brier / float(sse_ref.sum() / n_year.sum()),
                     "brier_skill_ci": _ci(boot[f"{m}|brier_skill"]),
                     "n": int(len(y)), "events": int(y.sum())})
    metrics = pd.DataFrame(rows)
    auc = metrics.set_index("model")["auc"]
    increment: dict[str, Any] = {}
    if THEORY in models:
        base_models = [b for b in BASELINES if b in models]
        best = max(base_models, key=lambda b: auc[b])
        diff = boot[f"{THEORY}|auc"] - boot[f"{best}|auc"]
        increment = {"theory": THEORY, "best_baseline": best, "auc_theory": float(auc[THEORY]),
                     "auc_best_baseline": float(auc[best]), "auc": float(auc[THEORY] - auc[best]),
                     "auc_ci": _ci(diff), "share_of_replicates_above_0": float(np.mean(diff > 0)),
                     "vs_each_baseline": {b: {"auc": float(auc[THEORY] - auc[b]),
                                              "auc_ci": _ci(boot[f"{THEORY}|auc"] - boot[f"{b}|auc"])}
                                          for b in base_models},
                     "pr_auc": float(metrics.set_index("model").loc[THEORY, "pr_auc"]
                                     - metrics.set_index("model").loc[best, "pr_auc"]),
                     "pr_auc_ci": _ci(boot[f"{THEORY}|pr_auc"] - boot[f"{best}|pr_auc"])}
    network_share: dict[str, Any] = {}
    if {"network", "controls"} <= set(models):
        for m in ("network", THEORY, "Y + network"):
            if m in models:
                network_share[f"{m} minus controls"] = {
                    "auc": float(auc[m] - auc["controls"]),
                    "auc_ci": _ci(boot[f"{m}|auc"] - boot["controls|auc"])}
        if "geography" in models:
            network_share["controls minus geography"] = {
                "auc": float(auc["controls"] - auc["geography"]),
                "auc_ci": _ci(boot["controls|auc"] - boot["geography|auc"])}
    # wartime onsets: rank them against the same years' peacetime non-onsets, same forecasts
    war_rows = []
    if drop_wartime and sum(len(w) for w in wys):
        wy = np.concatenate(wys)
        neg = ~ybool
        for m in models:
            pw = np.concatenate(war_preds[m])
            p = np.concatenate(preds[m])
            keep = np.isin(yr, np.unique(wy)) & neg
            yy = np.r_[np.ones(len(pw)), np.zeros(int(keep.sum()))]
            war_rows.append({"model": m, "auc": auc_score(yy, np.r_[pw, p[keep]]), "events": int(len(pw)),
                             "years": sorted({int(v) for v in wy})[:1] + sorted({int(v) for v in wy})[-1:]})
    settings = {"first_origin": first_origin, "step": step, "last_year": last, "bootstrap_reps": reps,
                "training_sample": f"all onsets + {train_rate:.0%} of non-onsets (intercept corrected)",
                "bootstrap": "test years resampled with replacement (year blocks)", "seed": seed,
                "wartime": "wartime-treaty onsets dropped from training and scoring" if drop_wartime
                else "included", "test_years": [int(uyears[0]), int(uyears[-1])],
                "spline": f"linear in alliance-free years, knots {SPLINE_KNOTS}, flat beyond {SPLINE_KNOTS[-1]:g}"}
    return ExpandingResult(metrics=metrics, windows=pd.DataFrame(windows),
                           calibration=pd.concat(calib, ignore_index=True), increment=increment,
                           wartime=pd.DataFrame(war_rows), settings=settings, network_share=network_share)
