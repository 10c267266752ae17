"""Out-of-sample forecasts of alliance onset: paper Y's model against realist baselines.

All models are logits on the same at-risk dyad-years (rows missing any model's input are dropped for
every model) and share the controls of the onset model (contiguity, distance, regime dissimilarity,
major power, cubic in alliance-free years), so they differ only in their theory terms:

* ``controls only`` - the shared controls; the floor every theory must beat;
* ``disparity x threat (Y)`` - disparity, common threat, their interaction;
* ``balance of power`` - capability aggregation against the strongest state: log combined CINC of the
  dyad, log CINC of the strongest state outside the dyad, whether the strongest state is in the dyad;
* ``balance of threat (Walt)`` - aggregate power of the strongest common threat (log), hostility
  towards a common enemy (common rival, shared MID opponent), the pair's own hostility (ongoing MID,
  rivalry between them); proximity enters through the shared contiguity/distance controls.

Split: train on 1816-1945, test on 1946-2018; plus rolling origins (train on all years before the
origin, test on the next 20 years). Metrics: AUC (Mann-Whitney) with a 95 % year-block bootstrap interval,
Brier score, Brier skill against the training base rate, log loss; calibration in deciles of predicted
risk. This is the legacy single split; the headline test is :mod:`alliancelab.stats.expanding`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from .onset import ONSET_CONTROLS, SPLINE_TERMS

__all__ = ["MODELS", "OutOfSampleResult", "auc_score", "brier_score", "calibration_bins",
           "out_of_sample"]

SHARED = ONSET_CONTROLS + SPLINE_TERMS
MODELS: dict[str, tuple[str, ...]] = {
    "controls only": SHARED,
    "disparity x threat (Y)": ("disparity", "threat", "disparity_x_threat") + SHARED,
    "balance of power": ("dyad_cinc", "strongest_other_cinc", "in_dyad_strongest") + SHARED,
    "balance of threat (Walt)": ("log_common_threat", "common_rival", "shared_mid", "mid_ongoing",
                                 "rival_pair") + SHARED,
}
ROLLING_ORIGINS = (1900, 1920, 1946, 1960, 1980, 2000)


def auc_score(y: np.ndarray, p: np.ndarray) -> float:
    """Area under the ROC curve (ties get half credit).

    Examples
    --------
    >>> auc_score(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8]))
    0.75
    """
    y = np.asarray(y, dtype=bool)
    n1 = int(y.sum())
    n0 = len(y) - n1
    if n1 == 0 or n0 == 0:
        return float("nan")
    r = rankdata(p)
    return float((r[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def brier_score(y: np.ndarray, p: np.ndarray) -> float:
    """Mean squared error of predicted probabilities."""
    return float(np.mean((np.asarray(p, float) - np.asarray(y, float)) ** 2))


def calibration_bins(y: np.ndarray, p: np.ndarray, n_bins: int = 10) -> pd.DataFrame:
    """Observed rate vs mean predicted risk in quantile bins of predicted risk."""
    y = np.asarray(y, float)
    p = np.asarray(p, float)
    order = np.argsort(p, kind="mergesort")
    bins = np.array_split(order, n_bins)
    return pd.DataFrame({"bin": np.arange(len(bins)),
                         "mean_predicted": [float(p[b].mean()) for b in bins],
                         "observed": [float(y[b].mean()) for b in bins],
                         "n": [len(b) for b in bins]})


def _metrics(y: np.ndarray, p: np.ndarray, base: float, years: np.ndarray | None = None) -> dict[str, Any]:
    from .expanding import auc_interval

    pc = np.clip(p, 1e-12, 1 - 1e-12)
    brier = brier_score(y, p)
    ref = brier_score(y, np.full(len(y), base))
    return {"auc": auc_score(y, p), "brier": brier, "brier_skill": 1 - brier / ref if ref > 0 else np.nan,
            "log_loss": float(-np.mean(y * np.log(pc) + (1 - y) * np.log(1 - pc))),
            "n": int(len(y)), "events": int(y.sum()), "mean_predicted": float(p.mean()),
            **({"auc_ci": auc_interval(y, p, years, reps=500, seed=7)} if years is not None else {})}


@dataclass(frozen=True)
class OutOfSampleResult:
    """Held-out metrics per model (main split and rolling origins) and calibration bins."""

    split: pd.DataFrame          # one row per model: auc, brier, brier_skill, log_loss, n, events
    rolling: pd.DataFrame        # origin x model
    calibration: pd.DataFrame    # model x bin
    train_years: tuple[int, int]
    test_years: tuple[int, int]

    def summary(self) -> pd.DataFrame:
        """Main split, one row per model."""
        return self.split.set_index("model")[["auc", "brier", "brier_skill", "log_loss", "n", "events"]]

    def to_dict(self) -> dict[str, Any]:
        """JSON-able: ``auc``/``brier`` per model, rolling-origin rows, calibration bins."""
        def clean(v: Any) -> Any:
            if isinstance(v, (float, np.floating)):
                return float(v) if np.isfinite(v) else None
            if isinstance(v, (np.integer,)):
                return int(v)
            if isinstance(v, list):
                return [clean(x) for x in v]
            return v
        return {
            "train_years": list(self.train_years), "test_years": list(self.test_years),
            "auc": {r.model: clean(r.auc) for r in self.split.itertuples()},
            "brier": {r.model: clean(r.brier) for r in self.split.itertuples()},
            "models": {r["model"]: {k: clean(v) for k, v in r.items() if k != "model"}
                       for r in self.split.to_dict("records")},
            "rolling_origin": [{k: clean(v) for k, v in r.items()} for r in self.rolling.to_dict("records")],
            "calibration": {m: g.drop(columns="model").to_dict("list")
                            for m, g in self.calibration.groupby("model", sort=False)},
        }


def _fit_predict(terms: tuple[str, ...], train: pd.DataFrame, test: pd.DataFrame,
                 name: str) -> np.ndarray:
    """Maximum-likelihood logit on ``train`` (numpy Newton, separated 0/1 terms left out), P on ``test``."""
    from .._exceptions import ModelError
    from .expanding import _fit_logit

    def mat(d: pd.DataFrame) -> np.ndarray:
        return np.column_stack([np.ones(len(d))] + [d[t].to_numpy(np.float64) for t in terms])

    y = train["onset"].to_numpy(np.float64)
    if y.sum() == 0 or y.sum() == len(y):
        raise ModelError(f"model {name!r}: outcome has no variation in {len(y)} training rows")
    beta = _fit_logit(mat(train), y, None, maxiter=100, ridge=0.0)
    return 1.0 / (1.0 + np.exp(-(mat(test) @ beta)))


def out_of_sample(design: pd.DataFrame, *, split_year: int = 1946, last_year: int | None = None,
                  origins: tuple[int, ...] = ROLLING_ORIGINS, window: int = 20,
                  models: dict[str, tuple[str, ...]] | None = None) -> OutOfSampleResult:
    """Evaluate every model on the same held-out rows of an onset design (:func:`onset_design`)."""
    from .._exceptions import ModelError

    models = models or MODELS
    cols = sorted({t for terms in models.values() for t in terms})
    data = design.dropna(subset=[*cols, "onset"])
    last = int(data["year"].max()) if last_year is None else last_year
    first = int(data["year"].min())
    train = data[data["year"] < split_year]
    test = data[(data["year"] >= split_year) & (data["year"] <= last)]
    y = test["onset"].to_numpy(dtype=float)
    base = float(train["onset"].mean())
    rows, calib = [], []
    for name, terms in models.items():
        p = _fit_predict(terms, train, test, name)
        rows.append({"model": name, **_metrics(y, p, base, test["year"].to_numpy())})
        cb = calibration_bins(y, p)
        cb.insert(0, "model", name)
        calib.append(cb)
    roll = []
    for origin in origins:
        tr = data[data["year"] < origin]
        te = data[(data["year"] >= origin) & (data["year"] < origin + window) & (data["year"] <= last)]
        if len(te) == 0 or tr["onset"].sum() == 0 or te["onset"].sum() == 0:
            continue
        yb = te["onset"].to_numpy(dtype=float)
        b = float(tr["onset"].mean())
        for name, terms in models.items():
            try:
                p = _fit_predict(terms, tr, te, name)
            except ModelError:
                continue
            roll.append({"origin": origin, "test_to": int(min(origin + window - 1, last)), "model": name,
                         **_metrics(yb, p, b, te["year"].to_numpy())})
    return OutOfSampleResult(split=pd.DataFrame(rows), rolling=pd.DataFrame(roll),
                             calibration=pd.concat(calib, ignore_index=True),
                             train_years=(first, split_year - 1), test_years=(split_year, last))
