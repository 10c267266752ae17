"""Data inputs of a world from data: ideology, the USSR's Polity code, pacts, threats with source."""

from __future__ import annotations

import numpy as np
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
