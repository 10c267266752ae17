"""Integration on the real datasets (skipped with a reason when ../shared/data is absent)."""

from __future__ import annotations

import numpy as np
import pytest

from alliancelab.stats.hypotheses import run_hypotheses

pytestmark = pytest.mark.shared_data


def test_real_panel_1900_1960(real_panel):
    r = run_hypotheses(panel=real_panel, split_year=1940, horizon=3)
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
