"""Alliance types, pre-specified primary tests and sensitivity analyses.

* **Types** (through the treaty link): onset of a *defence or offence* pact vs an onset whose treaty has
  only non-aggression, neutrality or consultation pledges; onset of a *bilateral* vs a *multilateral*
  treaty. Each is the onset logit (``onset.ONSET_TERMS``) on the onset risk set with the other kinds of
  onset (and unlinked onsets) left out - competing events, not non-events. SEs clustered by treaty.
* **Russia/USSR** (dyads of ccode 365, 171 onsets): the defence/offence onset model by Firth's penalised
  logit (:func:`alliancelab.stats.inference.firth_logit`).
* **Sensitivity**: onset rates under threat by high vs low disparity for cap-share thresholds
  0.6-0.9; the defence/offence model with the shared-MID threat window widened from 5 to 10 and 15 years.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._exceptions import ModelError
from .inference import benjamini_hochberg, firth_logit, holm
from .onset import ONSET_TERMS, LogitResult, fit_onset
from .operationalize import _lag, _lag_index

__all__ = ["DISPARITY_THRESHOLDS", "THREAT_WINDOWS", "disparity_sensitivity", "fit_types", "firth_ussr",
           "primary_tests", "threat_window_sensitivity", "typed_design"]

DISPARITY_THRESHOLDS = (0.6, 0.67, 0.75, 0.8, 0.9)
THREAT_WINDOWS = (5, 10, 15)
TYPES = {
    "defence/offence pact": lambda d: d["defoff"] == 1,
    "non-aggression/neutrality/consultation only": lambda d: d["defoff"] == 0,
    "bilateral treaty": lambda d: d["bilat"] == 1,
    "multilateral treaty": lambda d: d["bilat"] == 0,
}


def typed_design(design: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Onset design whose outcome is an onset of type ``kind`` (other onsets dropped)."""
    ev = design["onset"] == 1
    mine = ev & (design["linked"] == 1) & TYPES[kind](design)
    return design[~ev | mine]


def fit_types(design: pd.DataFrame) -> dict[str, LogitResult]:
    """Onset logits per alliance type with treaty-clustered SEs (``design`` from ``treaty_groups``)."""
    out = {}
    for kind in TYPES:
        d = typed_design(design, kind)
        name = f"onset: {kind}"
        try:
            out[name] = fit_onset(d, design=d, se="treaty", se_types=("treaty",), name=name)
        except ModelError:
            continue
    return out


def firth_ussr(design: pd.DataFrame) -> dict[str, Any]:
    """Firth logit of defence/offence onset for Russia/USSR dyads (the small subsample)."""
    d = typed_design(design, "defence/offence pact")
    d = d[(d["ccode1"] == 365) | (d["ccode2"] == 365)].dropna(subset=list(ONSET_TERMS))
    terms = [t for t in ONSET_TERMS if d[t].nunique() > 1]
    X = np.column_stack([np.ones(len(d))] + [d[t].to_numpy(float) for t in terms])
    r = firth_logit(X, d["onset"].to_numpy(float), ("const", *terms))
    w = np.zeros(len(r.terms))
    w[r.terms.index("disparity")] = 1
    w[r.terms.index("disparity_x_threat")] = 1
    return {"model": "onset: defence/offence pact, Russia/USSR dyads (Firth)", "se_type": "firth",
            "coef": dict(zip(r.terms, map(float, r.params))), "se": dict(zip(r.terms, map(float, r.bse))),
            "p": dict(zip(r.terms, map(float, r.pvalues))), "nobs": int(len(d)),
            "n_events": int(d["onset"].sum()), "converged": r.converged}


def disparity_sensitivity(prepared: pd.DataFrame) -> list[dict[str, Any]]:
    """Onset % under threat (and without) for high vs low disparity at each cap-share threshold."""
    from .quadrants import wilson_interval as wilson

    rows = prepared[prepared["at_risk_onset"]].dropna(subset=["disparity", "threat"])
    share = 0.5 + rows["disparity"].to_numpy() / 2
    y = rows["onset"].to_numpy()
    thr = rows["threat"].to_numpy() == 1
    out = []
    for cut in DISPARITY_THRESHOLDS:
        hi = share >= cut
        rec: dict[str, Any] = {"threshold_cap_share": cut}
        for label, sel in (("threat_high_gap", thr & hi), ("threat_low_gap", thr & ~hi),
                           ("no_threat_high_gap", ~thr & hi), ("no_threat_low_gap", ~thr & ~hi)):
            k, n = int(y[sel].sum()), int(sel.sum())
            lo, up = wilson(k, n)
            rec[label] = {"onset_pct": 100 * k / n if n else None, "ci": [100 * lo, 100 * up],
                          "n": n, "onsets": k}
        out.append(rec)
    return out


def threat_window_sensitivity(prepared: pd.DataFrame, design: pd.DataFrame) -> dict[str, Any]:
    """Defence/offence onset model with the shared-MID threat window at 5, 10 and 15 years."""
    ok = _lag_index(prepared)
    mid = prepared["shared_mid"].to_numpy(float)
    acc = mid.copy()
    lagged = mid.copy()
    wins = {5: acc.copy()}
    for extra in range(1, max(THREAT_WINDOWS) - 5 + 1):
        lagged = _lag(lagged, ok)
        acc = np.fmax(acc, np.nan_to_num(lagged))
        if 5 + extra in THREAT_WINDOWS:
            wins[5 + extra] = acc.copy()
    rival = np.nan_to_num(prepared["common_rival"].to_numpy(float))
    mask = prepared["at_risk_onset"].to_numpy(bool)
    out = {}
    for w, v in wins.items():
        thr = np.where(np.isnan(mid), np.nan, np.fmax(v, rival))[mask]
        d = design.assign(threat=thr)
        d["disparity_x_threat"] = d["disparity"] * d["threat"]
        d = typed_design(d, "defence/offence pact")
        try:
            r = fit_onset(d, design=d, se="treaty", se_types=("treaty",),
                          name=f"defence/offence onset, MID window {w} years")
        except ModelError:
            continue
        out[f"{w}"] = {"threat": _coef(r, "threat"), "disparity_under_threat":
                       r.lincom({"disparity": 1.0, "disparity_x_threat": 1.0}),
                       "nobs": r.nobs, "n_events": r.n_events, "se_type": r.se_type}
    return out


def _coef(r: LogitResult, term: str) -> dict[str, float]:
    if term not in r.terms:  # dropped (constant or separated in this sample)
        return {"coef": float("nan"), "se": float("nan"), "p": float("nan")}
    i = r.terms.index(term)
    return {"coef": float(r.params[i]), "se": float(r.bse[i]), "p": float(r.pvalues[i])}


def primary_tests(tests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add Holm and Benjamini-Hochberg adjusted p-values to the pre-specified tests (p may be None)."""
    for t in tests:
        t.setdefault("p_holm", None)
        t.setdefault("p_bh", None)
    have = [t for t in tests if t.get("p") is not None and np.isfinite(t["p"])]
    if have:
        ph = holm([t["p"] for t in have])
        pb = benjamini_hochberg([t["p"] for t in have])
        for t, a, b in zip(have, ph, pb):
            t["p_holm"] = float(a)
            t["p_bh"] = float(b)
    return tests
