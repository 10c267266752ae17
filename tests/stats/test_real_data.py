"""Integration on the real datasets (skipped with a reason when ../shared/data is absent)."""

from __future__ import annotations

import numpy as np
import pytest

from alliancelab.stats.hypotheses import run_hypotheses

pytestmark = pytest.mark.shared_data


def test_real_panel_1900_1960(real_panel, shared_data_dir):
    r = run_hypotheses(shared_data_dir, panel=real_panel, split_year=1940, horizon=3)
    d = r.to_dict()
    assert d["meta"]["years"] == [1900, 1960]
    main = r.onset["onset: disparity x threat"]
    assert main.converged and main.nobs > 100_000 and main.n_events > 100
    assert np.isfinite(main.bse).all()
    assert r.duration["duration: Cox"].n_events > 50
    for m in d["out_of_sample"]["auc"].values():
        assert 0.4 < m < 1.0
    q = d["quadrants"]["samples"]
    assert "Russia/USSR (365)" in q and "USA (2)" in q
    # the threat quadrants hold a higher onset rate than the no-threat ones (a stable fact of the data)
    allq = q["all dyads"]
    hi = [v["onset_rate"] for k, v in allq.items() if k.startswith(("strong", "unstable"))]
    lo = [v["onset_rate"] for k, v in allq.items() if k.startswith(("affiliation", "no alliance"))]
    assert min(hi) > max(lo)
    assert r.elite is not None and r.elite.h2.nobs > 1000
    # issue 13: treaty link, treaty-clustered SEs, the theory increment with its interval
    link = d["meta"]["treaty_link"]["onset"]
    assert link["linked"] > 0.9 * link["events"]
    assert main.se_type == "treaty" and {"dyad", "dyad+year", "dyadic"} <= set(main.cov_alt)
    inc = d["out_of_sample"]["theory_increment"]
    assert inc["auc_ci"][0] <= inc["auc"] <= inc["auc_ci"][1]
    assert d["out_of_sample"]["expanding"]["geography"]["auc"] > 0.7
