"""Out-of-sample metrics and the model comparison."""

from __future__ import annotations

import numpy as np
import pytest

from alliancelab.stats.onset import onset_design
from alliancelab.stats.oos import MODELS, auc_score, brier_score, calibration_bins, out_of_sample


def test_auc_against_pairwise_definition():
    rng = np.random.default_rng(3)
    y = rng.random(300) < 0.2
    p = np.round(rng.random(300), 1)  # ties
    pos, neg = p[y], p[~y]
    pairs = (pos[:, None] > neg[None, :]).mean() + 0.5 * (pos[:, None] == neg[None, :]).mean()
    assert auc_score(y, p) == pytest.approx(pairs)
    assert brier_score([0, 1], [0.5, 0.5]) == 0.25
    cb = calibration_bins(y, p, n_bins=5)
    assert cb["n"].sum() == 300


def test_theory_model_beats_controls_on_its_own_dgp(prepared):
    r = out_of_sample(onset_design(prepared), split_year=1940, origins=(1930,), window=10)
    s = r.summary()
    assert set(s.index) == set(MODELS)
    assert (s["n"] == s["n"].iloc[0]).all()  # same rows for every model
    assert s.loc["disparity x threat (Y)", "auc"] > s.loc["controls only", "auc"]
    d = r.to_dict()
    assert set(d["auc"]) == set(MODELS) and set(d["brier"]) == set(MODELS)
    assert {row["origin"] for row in d["rolling_origin"]} == {1930}
    r2 = out_of_sample(onset_design(prepared), split_year=1940, origins=(1930,), window=10)
    assert r2.to_dict() == d
