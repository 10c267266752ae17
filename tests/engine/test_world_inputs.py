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


def test_patron_budgets_follow_military_expenditure():
    from alliancelab.engine._world_inputs import patron_means

    nmc = pd.DataFrame({"ccode": [1, 2, 3, 4], "year": [1950] * 4, "milex": [60.0, 30.0, 10.0, np.nan]})
    share = patron_means(nmc, [1, 3, 4], 1950, fallback=np.array([0.1, 0.5, 0.2]))
    np.testing.assert_allclose(share, [0.6, 0.1, 0.2])        # state 4: no milex, its CINC


def test_consultation_is_no_alliance_of_record(shared_data_dir):
    # 1995: Poland and the Czech Republic have consultation pledges with Russia (ATOP), no alliance
    w = world_from_data(1995, data_dir=shared_data_dir, states=["USA", "RUS", "POL", "CZR", "GMY"],
                        periods=1)
    st, P = list(w.states), list(w.patrons)
    pacts = w.notes["pacts"]
    assert pacts[st.index("POL"), st.index("RUS")] == 0.5
    assert w.initial_alignment[st.index("POL")] == len(P)      # aligned with no one
    w14 = world_from_data(1914, data_dir=shared_data_dir, states=["FRN", "RUS", "GMY", "AUH", "JPN", "UKG"],
                          periods=1)
    s14, P14 = list(w14.states), list(w14.patrons)
    assert P14[w14.initial_alignment[s14.index("JPN")]] == "UKG"   # the Anglo-Japanese alliance


def test_mistrust_needs_a_mid_and_one_sided_incidents_do_not_bar_a_patron(shared_data_dir):
    w = world_from_data(1949, data_dir=shared_data_dir, states=["USA", "RUS", "ROK", "TAW", "THI"],
                        periods=1)
    st, P = list(w.states), list(w.patrons)
    # South Korea (a state since 1948) never fought the U.S.: no mistrust, whatever its peace_years
    assert w.mistrust[st.index("ROK"), P.index("USA")] == 0.0
    # Thailand and France fought in 1940-41 and 1946: mistrust stays (France is a 1949 major)
    if "FRN" in P:
        assert w.mistrust[st.index("THI"), P.index("FRN")] > 0
    # the 1949-50 U.S.-ROC MID: the Nationalists used force (hostility 4), the U.S. took no
    # militarized action (1): the U.S. stays an option for Taiwan
    assert w.available[st.index("TAW"), P.index("USA")]
    # a patron using force against a state in an ongoing MID is no option: the 1950 Korean War
    w50 = world_from_data(1950, data_dir=shared_data_dir, states=["USA", "RUS", "CHN", "PRK", "ROK"],
                          periods=1)
    assert not w50.available[list(w50.states).index("PRK"), list(w50.patrons).index("USA")]


def test_neutral_by_treaty_reaches_the_engine_as_in_a_scenario(shared_data_dir):
    from alliancelab.engine._compile import compile_scenario
    from alliancelab.engine.world import compile_world, run_world, scenario_from_world

    w = world_from_data(1949, data_dir=shared_data_dir, states=["USA", "RUS", "UKG", "SWZ", "SWD"],
                        periods=3)
    st = list(w.states)
    assert w.neutral_by_treaty.tolist() == [s == "SWZ" for s in st]     # Sweden: by policy only
    from alliancelab.theory.params import ModelParams

    a, b = compile_world(w, ModelParams()), compile_scenario(scenario_from_world(w), ModelParams())
    np.testing.assert_array_equal(a.neutral_treaty, b.neutral_treaty)
    assert a.neutral_treaty[:, st.index("SWZ")].all()
    probs = run_world(w, runs=200, seed=0).alignment_probabilities(-1)
    assert probs.loc["SWZ"].drop("none").sum() == 0.0                     # E19: never allied
    w14 = world_from_data(1913, data_dir=shared_data_dir, states=["GMY", "FRN", "BEL"], periods=1)
    assert w14.neutral_by_treaty[list(w14.states).index("BEL")]           # Treaty of London, 1839


def test_alliances_ended_during_the_year_are_dropped():
    from alliancelab.engine._world_inputs import ended_in_year, pact_weights

    members = pd.DataFrame({"atopid": [1, 1, 2, 2, 3, 3, 3, 3],
                            "member": [10, 20, 10, 30, 20, 30, 20, 30],
                            "yrent": [1945, 1945, 1946, 1946, 1940, 1940, 1949, 1949],
                            "yrexit": [1949, 1949, pd.NA, pd.NA, 1949, 1949, pd.NA, pd.NA]})
    ended = ended_in_year(members, [10, 20, 30], 1949)
    # 10-20: their only alliance ended in 1949; 10-30 in force; 20-30: a new phase of alliance 3
    assert ended.tolist() == [[False, True, False], [True, False, False], [False, False, False]]
    assert not ended_in_year(members, [10, 20, 30], 1948).any()
    dd = pd.DataFrame({"ccode1": [10, 10, 20], "ccode2": [20, 30, 30], "atop_defense": [1, 1, 1],
                       "atop_offense": [0, 0, 0], "atop_consul": [0, 0, 0], "atop_neutral": [0, 0, 0],
                       "atop_nonagg": [0, 0, 0]})
    w = pact_weights(dd, {10: 0, 20: 1, 30: 2}, 3, ended)
    assert w[0, 1] == w[1, 0] == 0.0 and w[0, 2] == 1.0 and w[1, 2] == 1.0
    assert not ended_in_year(None, [10, 20], 1949).any()


def test_yugoslavia_ends_1949_outside_the_soviet_camp(shared_data_dir):
    w = world_from_data(1949, data_dir=shared_data_dir, states=["USA", "RUS", "YUG", "FIN"], periods=1)
    st, P = list(w.states), list(w.patrons)
    assert w.notes["pacts"][st.index("YUG"), st.index("RUS")] == 0.0   # denounced Sept.-Oct. 1949
    assert w.initial_alignment[st.index("YUG")] == len(P)
    assert P[w.initial_alignment[st.index("FIN")]] == "RUS"             # the 1948 treaty, in force


def test_aid_to_an_ally_of_record_goes_to_whoever_rules(shared_data_dir):
    from alliancelab.engine._compile import compile_scenario
    from alliancelab.engine.world import compile_world, scenario_from_world
    from alliancelab.theory.params import ModelParams

    w = world_from_data(1949, data_dir=shared_data_dir, states=["USA", "RUS", "ARG", "POL", "IND"],
                        periods=2)
    st, P = list(w.states), list(w.patrons)
    a, b = compile_world(w, ModelParams()), compile_scenario(scenario_from_world(w), ModelParams())
    np.testing.assert_array_equal(a.support_ruling, b.support_ruling)
    np.testing.assert_array_equal(a.support, b.support)
    np.testing.assert_array_equal(a.visibility, b.visibility)
    arg, usa = st.index("ARG"), P.index("USA")
    assert P[w.initial_alignment[arg]] == "USA"                            # the Rio Treaty
    assert a.support_ruling[0, :, arg, usa].sum() > 0                      # to whoever rules
    assert a.support[0, :, arg, :, usa].sum() == 0
    ind = st.index("IND")                                                  # no ally: a faction
    assert a.support[0, :, ind, :, usa].sum() > 0 and a.support_ruling[0, :, ind, usa].sum() == 0


def test_threat_severity_by_target_follows_proximity(shared_data_dir):
    """``threat_by_target``: a threat row listed for the actor's neighbour also targets the majors
    the actor threatens, each at its own proximity; the row's own target keeps the row severity,
    and a far target of the same actor with the same intentions is threatened less than a near
    one."""
    w = world_from_data(1950, data_dir=shared_data_dir, states=["USA", "UKG", "FRN", "RUS", "POL",
                                                               "TUR", "IRE"], periods=1,
                        threat_by_target=True)
    th, st = w.threats, list(w.states)
    assert th.severity_c.shape == th.clients.shape and th.severity_p.shape == th.patrons.shape
    pidx = [st.index(p) for p in w.patrons]
    np.testing.assert_array_equal(th.severity_p, th.severity_c[:, pidx])
    rus = [n for n, a in enumerate(th.actor) if a == "RUS"]
    # each row's severity toward every state is the actor's (one matrix row per actor)
    for n in rus[1:]:
        np.testing.assert_allclose(th.severity_c[n], th.severity_c[rus[0]])
    row = th.severity_c[rus[0]]
    # Poland (contiguous) is threatened more than Ireland (2,800 km), both by reach or rivalry alone
    assert row[st.index("POL")] > row[st.index("IRE")]
    # the listed target's severity is the row's
    for n in rus:
        listed = [c for c in np.nonzero(th.clients[n])[0] if st[c] not in w.patrons]
        for c in listed:
            assert th.severity_c[n, c] == pytest.approx(th.severity[n])


def _without_and_with(data_dir, states, option):
    """The one-period world of 1950 among ``states`` without and with the allocation rule ``option``
    (a :func:`world_from_data` flag), and the patrons' allocations in each."""
    from alliancelab.engine.strategies import allocate

    kw = dict(data_dir=data_dir, states=states, periods=1)
    w0, w1 = world_from_data(1950, **kw), world_from_data(1950, **{option: True}, **kw)
    return w0, w1, allocate(w0), allocate(w1)


def test_hostile_unpaid_patron_pays_nothing(shared_data_dir):
    """``hostile_unpaid``: a patron that used force against a state in the last five years pays it
    nothing (an ally of record excepted), its budget going to the other clients."""
    states = ["USA", "UKG", "FRN", "RUS", "TUR", "IRN", "SWD", "POL"]
    w0, w1, a0, a1 = _without_and_with(shared_data_dir, states, "hostile_unpaid")
    assert w0.unpaid is None and w1.unpaid is not None
    st, P = list(w1.states), list(w1.patrons)
    t, r = st.index("TUR"), P.index("RUS")
    assert w1.unpaid[t, r]                                    # the 1946 Straits crisis (MID)
    assert a0.amount[t, :, r].sum() > 0 and a1.amount[t, :, r].sum() == 0
    np.testing.assert_allclose(a1.amount.sum(axis=(0, 1)), a0.amount.sum(axis=(0, 1)))
    ally = np.asarray(w1.initial_alignment)[:, None] == np.arange(len(P))[None, :]
    paid = a1.amount.sum(axis=1) > 0
    assert not (w1.unpaid & ~ally & paid).any()


def test_rival_friends_unpaid_turkey_1950(shared_data_dir):
    """``rival_friends_unpaid`` (off by default): a major funds no faction friendlier to one of its
    strategic rivals than to itself. In the world of 1950 the Soviet Union, the Turkish government's
    largest donor without the rule, pays no Turkish faction (both are friendlier to the United
    States); it pays Poland's communist government what it paid it before (the unspent share goes
    to no one), and no paid faction is a rival's friend."""
    import dataclasses

    from alliancelab.engine.strategies import allocate, rival_friends

    states = ["USA", "UKG", "FRN", "RUS", "TUR", "SWD", "POL", "IRE"]
    w0, w1, a0, a1 = _without_and_with(shared_data_dir, states, "rival_friends_unpaid")
    assert w0.rivals is None and w1.rivals is not None
    st, P = list(w1.states), list(w1.patrons)
    usa, rus = P.index("USA"), P.index("RUS")
    assert w1.rivals[usa, rus] and w1.rivals[rus, usa]            # the Cold War rivalry (data)
    assert not w1.rivals[usa, usa]
    tur, pol = st.index("TUR"), st.index("POL")
    assert a0.amount[tur, :, rus].sum() > 0 and a1.amount[tur, :, rus].sum() == 0
    assert a0.amount[pol, :, rus].sum() > 0
    assert a1.amount[pol, :, rus].sum() == pytest.approx(a0.amount[pol, :, rus].sum())
    assert (a1.amount.sum(axis=(0, 1)) <= a0.amount.sum(axis=(0, 1)) + 1e-9).all()
    ally = np.asarray(w1.initial_alignment)[:, None, None] == np.arange(len(P))[None, None, :]
    assert not ((a1.amount > 0) & rival_friends(w1) & ~ally).any()
    # the rule reads only the rivals: without them the allocation is the old one
    np.testing.assert_array_equal(allocate(dataclasses.replace(w1, rivals=None)).amount, a0.amount)
    # and it reaches the engine: the Soviet money to Turkey is gone from the compiled support
    from alliancelab.engine.world import compile_world

    c0, c1 = compile_world(w0), compile_world(w1)
    assert c0.support[0, :, tur, :, rus].sum() + c0.support_ruling[0, :, tur, rus].sum() > 0
    assert c1.support[0, :, tur, :, rus].sum() + c1.support_ruling[0, :, tur, rus].sum() == 0


def test_rival_friends_unpaid_turns_turkey_west(shared_data_dir):
    """Direction in the engine: without the Soviet money, Turkey's government aligns with the
    United States more often after one simulated year (1949 world, ten states, same seed)."""
    from alliancelab.engine.world import run_world

    kw = dict(data_dir=shared_data_dir, states=["USA", "UKG", "FRN", "RUS", "TUR", "SWD", "POL",
                                                 "IRE", "GRC", "IRN"], periods=1)
    p = [run_world(world_from_data(1949, rival_friends_unpaid=opt, **kw), runs=600, seed=3)
         .alignment_probabilities(-1).loc["TUR", "USA"] for opt in (False, True)]
    assert p[1] > p[0] + 0.1
