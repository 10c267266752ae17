"""Treaty-clustered, two-way and dyadic-robust SEs; Firth logit; Holm/BH (synthetic data)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alliancelab.stats.inference import (Dyadic, benjamini_hochberg, cluster_cov, dyadic_cov,
                                         firth_logit, holm, multiway_cov)
from alliancelab.stats.onset import ClusteredLogit, _newton_logit


def _fit(X, y):
    return _newton_logit(X, y, 100)[0]


def _treaty_panel(rng, n_treaties=150, n_states=60, b=(-0.5, 1.0)):
    """Planted treaty clusters: each treaty binds a triangle of states; its three dyad-rows share the
    regressor and the outcome (the treaty forms or not), so rows are perfectly dependent within a treaty
    while the marginal model of every row is exactly logit(b0 + b1 x)."""
    tri = np.array([rng.choice(n_states, 3, replace=False) for _ in range(n_treaties)])
    x = rng.normal(size=n_treaties)
    fire = rng.random(n_treaties) < 1 / (1 + np.exp(-(b[0] + b[1] * x)))
    pairs = np.array([[0, 1], [0, 2], [1, 2]])
    node1 = np.concatenate([tri[:, i] for i, _ in pairs])
    node2 = np.concatenate([tri[:, j] for _, j in pairs])
    treaty = np.tile(np.arange(n_treaties), 3)
    X = np.column_stack([np.ones(3 * n_treaties), np.tile(x, 3)])
    y = np.tile(fire, 3).astype(float)
    return X, y, treaty, np.minimum(node1, node2), np.maximum(node1, node2)


def test_cluster_and_two_way_match_statsmodels():
    import statsmodels.api as sm

    rng = np.random.default_rng(5)
    n = 3000
    a = rng.integers(0, 80, n)
    b = rng.integers(0, 40, n)
    X = np.column_stack([np.ones(n), rng.normal(size=n), rng.random(n) < 0.3])
    y = (rng.random(n) < 1 / (1 + np.exp(-(-1 + 0.5 * X[:, 1] + 0.2 * rng.normal(size=80)[a])))).astype(float)
    beta = _fit(X, y)
    ref = sm.Logit(y, X).fit(disp=False, cov_type="cluster", cov_kwds={"groups": a})
    np.testing.assert_allclose(cluster_cov(X, y, beta, a), ref.cov_params(), rtol=1e-6)
    va = sm.Logit(y, X).fit(disp=False, cov_type="cluster", cov_kwds={"groups": a}).cov_params()
    vb = sm.Logit(y, X).fit(disp=False, cov_type="cluster", cov_kwds={"groups": b}).cov_params()
    vab = sm.Logit(y, X).fit(disp=False, cov_type="cluster",
                            cov_kwds={"groups": pd.factorize(a * 100 + b)[0]}).cov_params()
    np.testing.assert_allclose(multiway_cov(X, y, beta, a, b), va + vb - vab, rtol=1e-6, atol=1e-12)


def test_dyadic_matches_brute_force_pairs():
    rng = np.random.default_rng(7)
    n = 400
    n1 = rng.integers(0, 15, n)
    n2 = rng.integers(15, 30, n)
    X = np.column_stack([np.ones(n), rng.normal(size=n)])
    y = (rng.random(n) < 0.3).astype(float)
    beta = _fit(X, y)
    p = 1 / (1 + np.exp(-(X @ beta)))
    s = X * (y - p)[:, None]
    share = ((n1[:, None] == n1[None, :]) | (n1[:, None] == n2[None, :]) | (n2[:, None] == n1[None, :])
             | (n2[:, None] == n2[None, :]))
    meat = s.T @ share.astype(float) @ s
    bread = np.linalg.inv((X * (p * (1 - p))[:, None]).T @ X)
    g = 30
    np.testing.assert_allclose(dyadic_cov(X, y, beta, n1, n2), g / (g - 1) * bread @ meat @ bread, rtol=1e-8)


def test_coverage_with_planted_treaty_clusters():
    rng = np.random.default_rng(11)
    hits = {"naive": 0, "treaty": 0, "dyadic": 0, "two-way": 0}
    runs = 200
    est = []
    for _ in range(runs):
        X, y, treaty, n1, n2 = _treaty_panel(rng)
        beta = _fit(X, y)
        est.append(beta[1])
        p = 1 / (1 + np.exp(-(X @ beta)))
        naive = np.linalg.inv((X * (p * (1 - p))[:, None]).T @ X)
        year = treaty % 25  # treaties nested in years
        for name, cov in (("naive", naive), ("treaty", cluster_cov(X, y, beta, treaty)),
                          ("dyadic", dyadic_cov(X, y, beta, n1, n2)),
                          ("two-way", multiway_cov(X, y, beta, n1 * 100 + n2, year))):
            hits[name] += abs(beta[1] - 1.0) < 1.96 * np.sqrt(cov[1, 1])
    cover = {k: v / runs for k, v in hits.items()}
    assert abs(np.mean(est) - 1.0) < 0.08                   # the estimator recovers the coefficient
    assert 0.89 <= cover["treaty"] <= 0.99, cover
    assert 0.89 <= cover["dyadic"] <= 1.0, cover
    assert 0.87 <= cover["two-way"] <= 1.0, cover
    assert cover["naive"] < 0.85, cover                       # ignoring the treaties undercovers


def test_clustered_logit_reports_alternative_ses():
    rng = np.random.default_rng(3)
    X, y, treaty, n1, n2 = _treaty_panel(rng, n_treaties=300)
    d = pd.DataFrame({"x": X[:, 1]})
    r = ClusteredLogit(["x"]).fit(d, y, n1 * 100 + n2,
                                  vcov={"treaty": treaty, "dyadic": Dyadic(n1, n2)}).result_
    assert r.se_type == "dyad" and set(r.cov_alt) == {"treaty", "dyadic"}
    t = r.with_se("treaty")
    assert t.se_type == "treaty" and t.n_clusters == 300 and "dyad" in t.cov_alt
    np.testing.assert_array_equal(t.params, r.params)
    assert t.bse[1] > 1.3 * r.bse[1]  # dyad clusters are mostly singletons here: too small
    d2 = t.to_dict()
    assert d2["se_type"] == "treaty" and set(d2["se_by_type"]) == {"treaty", "dyad", "dyadic"}


def test_firth_two_by_two_and_separation():
    X = np.column_stack([np.ones(8), [0, 0, 0, 0, 1, 1, 1, 1]])
    y = np.array([0, 0, 0, 1, 1, 1, 1, 1.0])
    r = firth_logit(X, y, ("const", "x"))
    assert r.converged
    assert r.params[0] == pytest.approx(np.log(1.5 / 3.5), abs=1e-7)
    assert r.params[1] == pytest.approx(np.log(4.5 / 0.5) - np.log(1.5 / 3.5), abs=1e-7)
    # complete separation in the x = 1 cell: finite estimate
    sep = firth_logit(X, np.array([0, 0, 0, 1, 1, 1, 1, 1.0]) * (X[:, 1] + (np.arange(8) == 3)))
    assert np.all(np.isfinite(sep.params)) and sep.params[1] > 1
    # large n: close to the MLE
    rng = np.random.default_rng(2)
    Xl = np.column_stack([np.ones(20000), rng.normal(size=20000)])
    yl = (rng.random(20000) < 1 / (1 + np.exp(-(-2 + 0.7 * Xl[:, 1])))).astype(float)
    np.testing.assert_allclose(firth_logit(Xl, yl).params, _fit(Xl, yl), atol=5e-3)


def test_holm_and_bh():
    p = [0.001, 0.02, 0.04, 0.3]
    np.testing.assert_allclose(holm(p), [0.004, 0.06, 0.08, 0.3])
    np.testing.assert_allclose(benjamini_hochberg(p), [0.004, 0.04, 0.05333333, 0.3], rtol=1e-6)
    assert (holm(p) >= benjamini_hochberg(p)).all()
