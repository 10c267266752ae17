"""Empirical priors for the dissolution hazard, from the package's ATOP termination data.

The model's hazard is a complementary log-log model per year (``theory.disparity.hazard``)::

    log rate = haz_intercept − haz_beta_threat·T − haz_beta_disparity·(D − 0.5)

The stats track's spell table (:func:`alliancelab.stats.duration.alliance_spells`, ATOP alliance
spells on the COW dyad panel) has one row per alliance-spell-year with the event "the alliance ends
this year" and covariates at t−1. The same cloglog form is fitted there (statsmodels GLM, standard
errors clustered on dyads)::

    log rate = a + b_d·disparity + b_t·threat,   disparity = 2(cap_share − 0.5),  threat ∈ {0, 1}

Mapping to the model (D = cap_share, so D − 0.5 = disparity / 2; T = 1 for the panel's threat):
``haz_intercept ← a``, ``haz_beta_disparity ← −2 b_d``, ``haz_beta_threat ← −b_t``. The prior's
standard deviation adds to the estimate's standard error the spread of the estimates across
specifications (four threat measures, before/after 1945, the first ten years of a spell), so it says
how well the data pin the number, not how well one regression does. The slopes get, on top, a transport
term (:data:`SLOPE_TRANSPORT_SD`): the panel's CINC share and binary threat are proxies of the model's
power-vector D and Walt-index T. Run ``python scripts/hazard_prior.py`` to refit and rewrite the file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from .store import read_prior

__all__ = ["SLOPE_TRANSPORT_SD", "fit_hazard_prior", "load_hazard_prior"]

#: Extra s.d. (log-hazard units) of the slopes' priors for the proxy mismatch (documented judgement:
#: one unit of the model's D or T may act anywhere from not at all to several times as strongly as
#: the panel's CINC-share and binary-threat proxies; 5 units spans the pre-calibration judgements 3-4).
SLOPE_TRANSPORT_SD = 5.0


def _cloglog(df: Any, threat: str) -> tuple[np.ndarray, np.ndarray]:
    import statsmodels.api as sm

    X = sm.add_constant(df[["disparity", threat]].astype(float))
    fam = sm.families.Binomial(link=sm.families.links.CLogLog())
    m = sm.GLM(df["event"].astype(float), X, family=fam).fit(
        cov_type="cluster", cov_kwds={"groups": df["dyad_id"]})
    return np.asarray(m.params, dtype=float), np.asarray(m.bse, dtype=float)


def fit_hazard_prior(panel: str | Path | None = None, data_dir: str | Path | None = None) -> dict[str, Any]:
    """Fit the cloglog termination model on the ATOP spell-years; return the priors with provenance."""
    from ..stats.duration import alliance_spells
    from ..stats.hypotheses import load_panel
    from ..stats.operationalize import prepare_dyads

    frames = load_panel(data_dir, panel)
    prep = prepare_dyads(frames["dyad_years"], frames["state_years"])
    spells = alliance_spells(prep)
    rows = prep[prep["at_risk_end"]].dropna(subset=["disparity", "threat"])
    rows = rows.sort_values(["dyad_id", "year"], kind="mergesort")
    for c in ("common_rival", "shared_mid", "strong_threat"):
        spells[c] = rows[c].to_numpy(dtype=float)
    main_est, main_se = _cloglog(spells, "threat")
    variants = {"threat: common_rival": _cloglog(spells, "common_rival")[0],
                "threat: shared_mid": _cloglog(spells, "shared_mid")[0],
                "threat: strong_threat": _cloglog(spells, "strong_threat")[0],
                "years < 1945": _cloglog(spells[spells["year"] < 1945], "threat")[0],
                "years >= 1945": _cloglog(spells[spells["year"] >= 1945], "threat")[0],
                "first 10 years of a spell": _cloglog(spells[spells["start"] < 10], "threat")[0]}
    spread = np.std(np.vstack([main_est, *variants.values()]), axis=0, ddof=1)
    sd = np.sqrt(main_se ** 2 + spread ** 2)
    parity = spells[(spells["disparity"] < 0.2) & (spells["threat"] == 0)]
    a, b_d, b_t = main_est
    out = {
        "model": "cloglog GLM of alliance termination per spell-year on disparity and threat "
                 "(statsmodels, SE clustered on dyads)",
        "data": "ATOP 5.1 alliances on the COW dyad panel (alliancelab.data.panel.build_panel), "
                "spells from alliancelab.stats.duration.alliance_spells",
        "n_spell_years": int(len(spells)), "n_terminations": int(spells["event"].sum()),
        "years": [int(spells["year"].min()), int(spells["year"].max())],
        "estimate": {"const": a, "disparity": b_d, "threat": b_t},
        "se": dict(zip(("const", "disparity", "threat"), map(float, main_se))),
        "variants": {k: dict(zip(("const", "disparity", "threat"), map(float, v))) for k, v in variants.items()},
        "observed_rate_parity_no_threat": float(parity["event"].mean()),
        "n_parity_no_threat": int(len(parity)),
        "slope_transport_sd": SLOPE_TRANSPORT_SD,
        "priors": {
            "disparity.haz_intercept": {"mean": float(a), "sd": float(sd[0])},
            "disparity.haz_beta_disparity": {"mean": float(-2 * b_d),
                                             "sd": float(np.hypot(2 * sd[1], SLOPE_TRANSPORT_SD))},
            "disparity.haz_beta_threat": {"mean": float(-b_t), "sd": float(np.hypot(sd[2], SLOPE_TRANSPORT_SD))},
        },
    }
    return json.loads(json.dumps(out))   # plain floats


def load_hazard_prior() -> dict[str, Any]:
    """The stored priors (``calibration/data/hazard_prior.json``)."""
    return read_prior("hazard_prior")
