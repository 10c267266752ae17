"""The treaty link: member pairs, joint years, onset/termination linking, ATOP's member counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alliancelab.stats.treaties import (OPEN_END, link_events, link_summary, load_members, treaty_dyads,
                                        treaty_table)


def _members():
    # treaty 10: bilateral 2-20 1950-1960; treaty 20: multilateral 2, 20, 200 from 1955, 200 leaves in 1958
    # (second phase of 2 in 20 ends open); treaty 30: wartime 20-200 1942-1945
    rows = [(10, 2, 1950, 1960, 1, 0, 0), (10, 20, 1950, 1960, 1, 0, 0),
            (20, 2, 1955, 1957, 0, 0, 0), (20, 2, 1957, None, 0, 0, 1), (20, 20, 1955, None, 0, 0, 0),
            (20, 200, 1955, 1958, 0, 0, 0), (30, 20, 1942, 1945, 1, 1, 0), (30, 200, 1942, 1945, 1, 1, 0)]
    m = pd.DataFrame(rows, columns=["atopid", "member", "yrent", "yrexit", "bilat", "wartime", "phase"])
    m["defense"] = 1
    for c in ("offense", "neutral", "nonagg", "consul"):
        m[c] = 0
    return m


def test_treaty_dyads_and_table():
    td = treaty_dyads(_members()).set_index(["atopid", "ccode1", "ccode2"])
    assert td.loc[(20, 2, 20), "first"] == 1955 and td.loc[(20, 2, 20), "last"] == OPEN_END
    assert td.loc[(20, 2, 200), "last"] == 1958 and td.loc[(20, 20, 200), "n_members"] == 3
    assert len(td) == 1 + 3 + 1
    tt = treaty_table(_members()).set_index("atopid")
    assert tt["n_members"].to_dict() == {10: 2, 20: 3, 30: 2}
    assert tt.loc[30, "wartime"] == 1 and tt.loc[20, "bilat"] == 0


def test_link_events_picks_nearest_start_then_larger_treaty():
    onsets = pd.DataFrame({"ccode1": [2, 20, 2, 20, 2], "ccode2": [20, 200, 200, 200, 20],
                           "year": [1950, 1955, 1956, 1942, 1990]})
    ends = pd.DataFrame({"ccode1": [2, 20], "ccode2": [200, 200], "year": [1959, 1946]})
    link = link_events(onsets, ends, _members())
    on = link.lookup("onset")["atopid"]
    assert on[(2, 20, 1950)] == 10
    assert on[(20, 200, 1955)] == 20
    assert on[(2, 200, 1956)] == 20       # a year after the start: within the one-year tolerance
    assert on[(20, 200, 1942)] == 30
    assert on[(2, 20, 1990)] == -1990     # no treaty starts near 1990: pseudo-treaty of its year
    end = link.lookup("end")
    assert end.loc[(2, 200, 1959), "atopid"] == 20 and end.loc[(20, 200, 1946), "wartime"] == 1
    s = link_summary(link)
    assert s["onset"] == {"events": 5, "linked": 4, "unlinked_after_2016": 0, "unlinked_before_2017": 1,
                          "treaties": 3, "wartime_events": 1, "multilateral_events": 2}
    assert (link_events(onsets, ends, None).events["atopid"] < 0).all()


@pytest.mark.shared_data
def test_link_reproduces_atop_member_counts(shared_data_dir):
    members = load_members(shared_data_dir)
    assert members is not None and {"bilat", "wartime"} <= set(members.columns)
    alliances = pd.read_csv(shared_data_dir / "atop" / "atop4.01_alliance-level.csv")
    memcols = [c for c in alliances.columns if c.startswith("mem") and c[3:].isdigit()]
    listed = alliances.set_index("atopid")[memcols].notna().sum(axis=1)
    ours = treaty_table(members).set_index("atopid")["n_members"]
    # NATO, OAS (Rio), Declaration by United Nations, CSCE/Helsinki, African Union, a bilateral treaty
    for atopid, n in ((3180, 30), (3150, 34), (2550, 43), (3740, 59), (4953, 53), (3170, 2)):
        assert ours[atopid] == listed[atopid] == n
    assert (ours.reindex(listed.index) == listed).all()
    # every NATO member pair whose memberships overlap is a treaty-dyad: West Germany (260, 1954-1990)
    # never overlaps with the 13 members that joined from 1997 on
    td = treaty_dyads(members)
    assert (td["atopid"] == 3180).sum() == 30 * 29 // 2 - 13


@pytest.mark.shared_data
def test_most_real_onsets_link_to_a_treaty(shared_data_dir, real_panel):
    from alliancelab.stats.hypotheses import load_panel
    from alliancelab.stats.operationalize import prepare_dyads

    frames = load_panel(panel=real_panel)
    p = prepare_dyads(frames["dyad_years"], frames["state_years"])
    link = link_events(p[p["onset"] == 1], p[p["end"] == 1], load_members(shared_data_dir))
    s = link_summary(link)
    assert s["onset"]["linked"] / s["onset"]["events"] > 0.95
    assert s["end"]["linked"] / s["end"]["events"] > 0.85
    on = link.lookup("onset")
    # the Declaration by United Nations (2550) links the 1942 wartime onsets
    assert np.isin(on.loc[on.index.get_level_values("year") == 1942, "atopid"], [2550]).mean() > 0.5


def test_treaty_fixed_effects_logit_recovers_slopes():
    from alliancelab.stats.joiners import fe_logit

    rng = np.random.default_rng(4)
    n_treaty, n_cand = 120, 60
    strata = np.repeat(np.arange(n_treaty), n_cand)
    cand = np.tile(np.arange(n_cand), n_treaty)
    alpha = rng.normal(-2.5, 1.0, n_treaty)[strata]   # planted treaty effects (size, era)
    X = np.column_stack([rng.normal(size=len(strata)), rng.random(len(strata)) < 0.3])
    y = (rng.random(len(strata)) < 1 / (1 + np.exp(-(alpha - 1.2 * X[:, 0] + 0.8 * X[:, 1])))).astype(float)
    beta, se = fe_logit(X, y, strata, cand)
    assert abs(beta[0] + 1.2) < 3 * se[0] + 0.05 and abs(beta[1] - 0.8) < 3 * se[1] + 0.05
    assert np.all(se > 0) and np.all(se < 0.2)


def test_bilateral_flag_is_the_founding_phase():
    m = _members()
    # treaty 20 continues as a bilateral pact in a later phase: still multilateral at founding
    extra = pd.DataFrame([(20, 2, 1959, 0, 1, 0, 2), (20, 20, 1959, 0, 1, 0, 2)],
                         columns=["atopid", "member", "yrent", "yrexit", "bilat", "wartime", "phase"])
    extra["defense"] = 1
    for c in ("offense", "neutral", "nonagg", "consul"):
        extra[c] = 0
    tt = treaty_table(pd.concat([m, extra], ignore_index=True)).set_index("atopid")
    assert tt.loc[20, "bilat"] == 0 and tt.loc[10, "bilat"] == 1


@pytest.mark.shared_data
def test_seato_is_not_a_bilateral_us_pact(shared_data_dir):
    tt = treaty_table(load_members(shared_data_dir)).set_index("atopid")
    assert tt.loc[3260, "bilat"] == 0 and tt.loc[3260, "n_members"] == 8
