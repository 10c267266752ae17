"""Data inputs of a world from data: ideology, the USSR's Polity code, pacts, threats with source."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alliancelab.engine.world_data import world_from_data


@pytest.fixture(scope="module")
def w1950(shared_data_dir):
    return world_from_data(1950, data_dir=shared_data_dir,
                           states=["USA", "UKG", "RUS", "CHN", "POL", "TAW", "YUG", "IND", "ROK",
                                   "PRK", "ITA"], periods=2)


def test_ussr_polity_join_and_communist_axis(w1950):
    st = list(w1950.states)
    pol2 = dict(zip(st, w1950.notes["polity2"], strict=True))
    assert not np.isnan(pol2["RUS"]) and pol2["RUS"] < -5          # Polity 364 = COW 365
    comm = dict(zip(st, w1950.notes["communist"], strict=True))
    assert comm["RUS"] == comm["CHN"] == comm["POL"] == comm["YUG"] == comm["PRK"] == 1.0
    assert comm["TAW"] == comm["IND"] == comm["USA"] == comm["ITA"] == 0.0   # Nehru is leftist, not communist
    aff = w1950.affinity[:, 0, :]                                   # the rulers' affinity
    P = list(w1950.patrons)
    assert aff[st.index("TAW"), P.index("USA")] > aff[st.index("TAW"), P.index("RUS")]
    assert aff[st.index("POL"), P.index("RUS")] > aff[st.index("POL"), P.index("USA")]


def test_pre_1945_ideology_is_documented_list(shared_data_dir):
    w = world_from_data(1930, data_dir=shared_data_dir, states=["RUS", "GMY", "UKG", "FRN"], periods=1)
    comm = dict(zip(w.states, w.notes["communist"], strict=True))
    src = dict(zip(w.states, w.notes["ideology_source"], strict=True))
    assert comm == {**{s: 0.0 for s in w.states}, "RUS": 1.0}
    assert src["RUS"] == "pre-1945" and src["GMY"] == "none"


def test_pacts_weighted_and_nonaggression_not_counted(shared_data_dir):
    w = world_from_data(1914, data_dir=shared_data_dir,
                        states=["UKG", "FRN", "RUS", "GMY", "AUH", "ITA"], periods=1)
    st = list(w.states)
    pacts = w.notes["pacts"]
    ix = lambda a, b: pacts[st.index(a), st.index(b)]  # noqa: E731
    assert ix("FRN", "RUS") == 1.0 and ix("GMY", "AUH") == 1.0     # defence pledges
    assert ix("UKG", "FRN") == 0.5                                 # consultation (the Entente)
    np.testing.assert_array_equal(pacts, pacts.T)
    # a state may have pacts with several patrons: Italy with Germany and Austria, and Russia
    assert (pacts[st.index("ITA")][[st.index("GMY"), st.index("AUH"), st.index("RUS")]] > 0).all()
    # a major aligns only with a stronger major: France with Russia, Austria with Germany
    P = list(w.patrons)
    assert P[w.initial_alignment[st.index("FRN")]] == "RUS"
    assert P[w.initial_alignment[st.index("AUH")]] == "GMY"
    w39 = world_from_data(1940, data_dir=shared_data_dir, states=["GMY", "RUS"], periods=1)
    assert w39.notes["pacts"][0, 1] == 0.0                         # Molotov-Ribbentrop: non-aggression


def test_threats_have_their_source(w1950):
    th = w1950.threats
    st = list(w1950.states)
    pairs = {(a, st[c]) for a, row in zip(th.actor, th.clients, strict=True) for c in np.nonzero(row)[0]}
    assert ("PRK", "ROK") in pairs                                  # the Korean War (MID source)
    assert ("CHN", "TAW") in pairs                                  # rivalry
    assert len(th.actor) == len(th.severity) and np.all((th.severity >= 0) & (th.severity <= 1))


def _planted_nmc():
    """Three states over three years; state 20's military indicators are missing in 1950 and
    state 30 has no military data at all; indicators are equal across years for simplicity."""
    rows = []
    for year in (1948, 1949, 1950):
        for code, mil, eco in ((10, 90.0, 90.0), (20, 10.0, 10.0), (30, np.nan, 5.0)):
            gone = code == 20 and year == 1950
            rows.append({"ccode": code, "year": year, "milex": np.nan if gone else mil,
                         "milper": np.nan if gone else mil, "irst": eco, "pec": eco, "tpop": eco,
                         "upop": eco})
    import pandas as pd

    return pd.DataFrame(rows)


def test_missing_power_is_imputed_never_parity():
    from alliancelab.engine._world_inputs import measured_power, power_vectors
    from alliancelab.theory import disparity as dy

    m, imputed = measured_power(_planted_nmc(), [10, 20, 30], 1950)
    assert imputed.tolist() == [[False, False], [True, False], [True, False]]
    # state 20's military share comes from its own 1949 share (10 / 100), not 0 or parity
    assert m[1, 0] == pytest.approx(0.1)
    # state 30 has no military data in any year: its economic share stands in for it
    assert m[2, 0] == pytest.approx(m[2, 1])
    power = power_vectors(m)
    assert power.shape == (3, len(dy.POWER_COMPONENTS))
    assert (power[:, 2:] == power[:, :2].mean(axis=1, keepdims=True)).all()
    # a patron 9x a client on every measured component: D is its share 0.9 on every component,
    # where reading the three unmeasured components as parity would give 0.9*0.52 + 0.5*0.48 = 0.71
    d = dy.disparity(power[0], power[1])
    assert float(d) == pytest.approx(90 / (90 + 10 * 90 / 95), abs=0.02)
    parity = np.zeros_like(power)
    parity[:, :2] = power[:, :2]
    assert float(dy.disparity(parity[0], parity[1])) < float(d) - 0.15


def test_later_years_are_not_used():
    from alliancelab.engine._world_inputs import measured_power

    nmc = _planted_nmc()
    nmc.loc[(nmc["ccode"] == 20) & (nmc["year"] < 1950), ["milex", "milper"]] = np.nan
    later = nmc[nmc["year"] == 1950].assign(year=1951)
    later.loc[later["ccode"] == 20, ["milex", "milper"]] = 50.0
    m, _ = measured_power(pd.concat([nmc, later]), [10, 20, 30], 1950)
    assert m[1, 0] == pytest.approx(m[1, 1])                        # its other component, not 1951


def test_ussr_poland_disparity_from_data(w1950):
    from alliancelab.theory import disparity as dy

    st, P = list(w1950.states), list(w1950.patrons)
    d = dy.disparity(w1950.patron_power[P.index("RUS")], w1950.power[st.index("POL")])
    assert float(d) > 0.85                                   # 0.71 when unmeasured power was parity
