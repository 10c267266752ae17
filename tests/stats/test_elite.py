"""H1 and H2 logits recover the synthetic coefficients; caveats are stated."""

from __future__ import annotations

import numpy as np

from alliancelab.stats._synthetic import H1_TRUTH, H2_TRUTH
from alliancelab.stats.elite import CAVEATS, elite_design, fit_elite, fit_h1, fit_h2


def _close(res, truth, k=3.5):
    for term, value in truth.items():
        if term not in res.terms:
            continue
        i = res.terms.index(term)
        assert abs(res.params[i] - value) < max(k * res.bse[i], 0.05), (term, res.params[i], value)


def test_h2_recovers_precarity_effects(synth):
    d = elite_design(synth.state_years, horizon=1)
    res = fit_h2(d, chisols=True)
    _close(res, H2_TRUTH)
    assert res.n_clusters == d.loc[d["major"] != 1, "ccode"].nunique()


def test_h1_recovers_aid_effect(synth):
    d = elite_design(synth.state_years, horizon=1)
    _close(fit_h1(d), H1_TRUTH)


def test_outcome_window_and_aid_mean(synth):
    st = synth.state_years
    d = elite_design(st, horizon=3).set_index(["ccode", "year"])
    one = st[st["ccode"] == 20].set_index("year")
    y = 1960
    expect = float(one.loc[y + 1:y + 3, "new_major_alliance"].max())
    assert d.loc[(20, y), "h2_outcome"] == expect
    aid = one.loc[y - 4:y, "us_aid"].clip(lower=0).mean()
    assert np.isclose(d.loc[(20, y), "log_us_aid"], np.log1p(aid / 1e6))
    # the last years lack a full window unless an event happened
    last = d.xs(20, level="ccode").iloc[-1]
    assert np.isnan(last["h2_outcome"]) or last["h2_outcome"] == 1


def test_fit_elite_reports_caveats(synth):
    r = fit_elite(synth.state_years)
    out = r.to_dict()
    assert out["caveats"] == list(CAVEATS) and len(CAVEATS) >= 4
    assert {"h2_precarity", "h2_precarity_chisols", "h1_us_aid"} <= set(out)
    assert set(r.summary().index.get_level_values(0)) == {r.h2.name, r.h2_chisols.name, r.h1.name}
