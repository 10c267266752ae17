"""The onset logit recovers the coefficients that generated a synthetic panel."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alliancelab import InputError, ModelError
from alliancelab.stats._synthetic import ONSET_TRUTH
from alliancelab.stats.onset import ONSET_TERMS, ClusteredLogit, fit_onset, onset_design


def test_onset_logit_recovers_known_coefficients(prepared):
    res = fit_onset(prepared)
    assert res.converged
    assert res.terms == ("const",) + ONSET_TERMS
    for term, truth in ONSET_TRUTH.items():
        est, se = res.coef(term), res.bse[res.terms.index(term)]
        assert abs(est - truth) < max(3.5 * se, 0.05), (term, est, truth, se)
    # dyad-clustered: as many clusters as dyads in the sample
    assert res.n_clusters == onset_design(prepared)["dyad_id"].nunique()


def test_clustered_se_match_statsmodels_cluster(prepared):
    import statsmodels.api as sm

    d = onset_design(prepared).iloc[:20000]
    terms = ("disparity", "threat", "disparity_x_threat")
    res = ClusteredLogit(terms).fit(d, d["onset"], d["dyad_id"]).result_
    X = sm.add_constant(d[list(terms)].to_numpy(float))
    ref = sm.Logit(d["onset"].to_numpy(float), X).fit(disp=False, cov_type="cluster",
                                                      cov_kwds={"groups": pd.factorize(d["dyad_id"])[0]})
    np.testing.assert_allclose(res.params, ref.params, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(res.bse, ref.bse, rtol=1e-6)
    assert res.pseudo_r2 == pytest.approx(ref.prsquared, rel=1e-6)


def test_onset_is_reproducible(prepared):
    a = fit_onset(prepared)
    b = fit_onset(prepared)
    np.testing.assert_array_equal(a.params, b.params)
    np.testing.assert_array_equal(a.bse, b.bse)


def test_predict_proba_and_point_estimates_only(prepared):
    d = onset_design(prepared)
    m = ClusteredLogit(ONSET_TERMS, inference=False).fit(d, d["onset"])
    p = m.predict_proba(d)
    assert p.shape == (len(d),) and np.all((p > 0) & (p < 1))
    assert abs(p.mean() - d["onset"].mean()) < 1e-6  # logit score equation with a constant
    assert np.isnan(m.result_.bse).all()


def test_errors_are_one_line():
    d = pd.DataFrame({"x": [0.0, 1.0, 2.0], "y": [0, 0, 0]})
    with pytest.raises(ModelError, match="no variation"):
        ClusteredLogit(["x"]).fit(d, d["y"])
    with pytest.raises(InputError, match="lacks column"):
        ClusteredLogit(["z"]).fit(d, d["y"])
    with pytest.raises(ModelError, match="not fitted"):
        ClusteredLogit(["x"]).predict_proba(d)


def test_unknown_subset(prepared):
    with pytest.raises(InputError, match="unknown subset"):
        fit_onset(prepared, subset="nope")
