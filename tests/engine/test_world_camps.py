"""Camps in known years: the chain rule, and the scoring against the reference partitions."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliancelab.engine.world_camps import REFERENCE, camp_of, score_camps


def test_camp_follows_the_chain_of_alignments_to_an_anchor():
    states = ["A", "B", "C", "D", "E"]
    patrons = ["A", "B", "E"]                 # A and E anchor two camps; B is a patron of C
    modal = np.array([3, 0, 1, 3, 3])          # B -> A, C -> B, D and E aligned with no one
    camps = camp_of(states, patrons, modal, {"x": ["A"], "y": ["E"]})
    assert camps == {"A": "x", "B": "x", "C": "x", "D": "neutral", "E": "y"}


def test_reference_partitions_are_disjoint():
    for ref in REFERENCE.values():
        names = [s for v in (*ref["anchors"].values(), *ref["camps"].values()) for s in v]
        assert len(names) == len(set(names))


def test_score_1914_lists_every_state(shared_data_dir):
    res = score_camps(1914, data_dir=shared_data_dir, runs=50, seed=0)
    assert res["data_year"] == 1913 and res["scored"] >= 20
    by = {r["state"]: r for r in res["rows"]}
    assert by["ITA"]["reference"] == "neutral" and by["UKG"]["reference"] == "entente"
    assert res["n_errors"] == len(res["errors"]) <= res["scored"]


# --- the camp network (generated pact tables) --------------------------------------------------

def _dd(rows):
    """A directed ATOP dyad-year table from (ccode1, ccode2, pledge) rows."""
    import pandas as pd

    cols = ["atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul"]
    out = []
    for a, b, pledge in rows:
        out.append({"ccode1": a, "ccode2": b, "year": 1913,
                    **{c: int(c == f"atop_{pledge}") for c in cols}})
    return pd.DataFrame(out)


def test_pledge_conditional_on_non_provocation_is_no_camp_membership():
    import pandas as pd

    from alliancelab.engine._world_inputs import camp_pledges

    # alliance 1: 10, 20, 30 pledge defence; 30's pledge is conditional on non-provocation, 20's
    # too but 20 also pledges offence. alliance 2: 30 and 20 consult. alliance 3: 40 consults with
    # 10, which guarantees 40 alone (40 pledges nothing); 50 and 10: non-aggression only.
    members = pd.DataFrame({
        "atopid": [1, 1, 1, 2, 2, 3, 3, 4, 4], "member": [10, 20, 30, 30, 20, 10, 40, 10, 50],
        "yrent": [1900] * 9, "yrexit": [pd.NA] * 9,
        "defense": [1, 1, 1, 0, 0, 1, 0, 0, 0], "offense": [0, 1, 0, 0, 0, 0, 0, 0, 0],
        "consul": [1, 1, 1, 1, 1, 0, 0, 0, 0], "defconpr": [0, 1, 1, 0, 0, 0, 0, 0, 0]})
    dd = _dd([(10, 20, "defense"), (10, 30, "defense"), (20, 10, "defense"), (20, 30, "defense"),
              (30, 10, "defense"), (30, 20, "defense"), (10, 40, "defense"), (10, 50, "nonagg"),
              (50, 10, "nonagg")])
    pos = {c: k for k, c in enumerate([10, 20, 30, 40, 50])}
    w, treaty, cond = camp_pledges(dd, members, pos, 5, 1913)
    assert w[0, 1] == w[0, 2] == 1.0                 # 10's defence pledges: unconditional
    assert w[1, 0] == 1.0 and not cond[1, 0]          # 20: conditional defence, but offence too
    assert cond[2, 0] and w[2, 0] == 0.0              # 30 -> 10: only the conditional alliance
    assert cond[2, 1] and w[2, 1] == 0.5              # 30 -> 20: the consultation of alliance 2
    assert w[0, 3] == 1.0 and w[3, 0] == 0.0          # a unilateral guarantee binds the guarantor
    assert treaty[0, 4] and treaty[4, 0] and w[4, 0] == 0.0   # non-aggression: a treaty, no tie
    # without the member-level file the dyad-year weights stand
    w2, _, cond2 = camp_pledges(dd, None, pos, 5, 1913)
    assert w2[2, 0] == 1.0 and not cond2.any()
    # an alliance that ends during the year counts no more
    ended = np.zeros((5, 5), bool)
    ended[0, 1] = ended[1, 0] = True
    w3, t3, _ = camp_pledges(dd, members, pos, 5, 1913, ended)
    assert w3[0, 1] == 0.0 and not t3[0, 1]


def _network(modal, pledges, treaty=None, conditional=None):
    from alliancelab.engine.world_camps import network_camps

    states = ["A", "E", "B", "C", "J", "D", "F", "G"]
    patrons = ["A", "E", "B", "C", "J"]              # majors; A and E anchor camps x and y
    return network_camps(states, patrons, np.asarray(modal), np.asarray(pledges, float),
                         {"x": ["A"], "y": ["E"]}, treaty, conditional)


def _pledges(ties):
    names = ["A", "E", "B", "C", "J", "D", "F", "G"]
    w = np.zeros((8, 8))
    for (a, b), v in ties.items():
        w[names.index(a), names.index(b)] = v
    return w


NONE = 5   # len(patrons): aligned with no one


def test_majors_form_camps_through_their_pledges_and_clients_follow_their_alignment():
    ties = {("B", "A"): 0.5,                      # B consults with A: a camp tie among majors
            ("J", "B"): 1.0,                      # J pledged to B: reaches x through B
            ("C", "A"): 0.5, ("C", "E"): 0.5,     # C tied equally to both camps
            ("G", "A"): 1.0}                      # G pledged to A, but the simulation leaves it
    w = _pledges(ties)
    modal = [NONE, NONE, NONE, NONE, NONE, 2, NONE, NONE]     # D aligned with B (no treaty)
    camps = _network(modal, w)
    assert camps["B"] == "x" and camps["J"] == "x"            # chained: J -> B -> A
    assert camps["C"] == "neutral"                            # cross-pressured
    assert camps["D"] == "x"                                  # a simulated alignment, weight 1
    assert camps["G"] == "neutral"                            # a client read as the simulation says
    assert camps["A"] == "x" and camps["E"] == "y"


def test_a_firm_alignment_decides_a_tie_and_a_conditional_one_does_not():
    w = _pledges({("C", "A"): 1.0, ("C", "E"): 1.0})
    treaty = (w > 0) | (w.T > 0)
    modal = [NONE, NONE, NONE, 1, NONE, NONE, NONE, NONE]     # C aligned with E
    assert _network(modal, w, treaty)["C"] == "y"
    cond = np.zeros((8, 8), bool)
    cond[3, 1] = True                                         # ...by a conditional pledge
    assert _network(modal, w, treaty, cond)["C"] == "neutral"


def test_an_alignment_resting_on_a_treaty_weighs_the_states_own_pledge():
    w = _pledges({("A", "F"): 1.0})               # A guarantees F; F pledges nothing
    treaty = (w > 0) | (w.T > 0)
    modal = [NONE, NONE, NONE, NONE, NONE, NONE, 0, NONE]     # F aligned with A
    assert _network(modal, w, treaty)["F"] == "neutral"
    assert _network(modal, np.zeros((8, 8)))["F"] == "x"      # no treaty: the simulation's
    weak = _pledges({("B", "A"): 0.25})                       # below a consultation pledge
    assert _network([NONE] * 8, weak)["B"] == "neutral"


def test_1914_camps_of_the_majors_come_from_their_pledges(shared_data_dir):
    res = score_camps(1914, data_dir=shared_data_dir, runs=50, seed=0)
    by = {r["state"]: r for r in res["rows"]}
    # Britain: consultation with France (ATOP 1485); Japan: consultation with Russia (1465), its
    # alliance with Britain conditional on non-provocation; Italy tied by consultation to both
    # camps (the Triple Alliance's defence pledge is conditional); Romania: a conditional pledge
    assert by["UKG"]["model"] == "entente" and by["JPN"]["model"] == "entente"
    assert by["ITA"]["model"] == "neutral" and by["ROM"]["model"] == "neutral"
    assert by["UKG"]["chain"] == "neutral"            # the one-patron chain could not place Britain



_STATES7 = [f"S{k}" for k in range(7)]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([0.0, 0.0, 0.5, 1.0]), min_size=49, max_size=49),
       st.lists(st.integers(0, 4), min_size=7, max_size=7))
def test_network_camps_properties_on_random_pact_tables(values, modal):
    from alliancelab.engine.world_camps import network_camps

    states, patrons = _STATES7, _STATES7[:4]      # S0 anchors x, S1 anchors y; 4 = no one
    w = np.array(values).reshape(7, 7)
    np.fill_diagonal(w, 0.0)
    modal = np.array(modal)
    a = network_camps(states, patrons, modal, w, {"x": ["S0"], "y": ["S1"]})
    b = network_camps(states, patrons, modal, w, {"y": ["S0"], "x": ["S1"]})
    assert a["S0"] == "x" and a["S1"] == "y"                         # anchors are fixed
    swap = {"x": "y", "y": "x", "neutral": "neutral"}
    assert b == {s: swap[c] for s, c in a.items()}                   # camp names carry no weight
    for k, s in enumerate(states[2:], start=2):
        if not ((w[k, :4] >= 0.5).any() or modal[k] < 4):
            assert a[s] == "neutral"                                 # no tie, no camp
        if k >= 4 and modal[k] == 4:
            assert a[s] == "neutral"                                 # a client left non-aligned


def test_unknown_world_input_option_is_one_line_exit_2(capsys):
    from alliancelab.cli import main
    from alliancelab.engine.world_data import INPUT_OPTIONS, input_options

    both = input_options(["threat-by-target", "hostile_unpaid"])
    assert both == dict.fromkeys(INPUT_OPTIONS, True)
    assert input_options(None) == {}
    for cmd in (["world", "camps", "--year", "1950"], ["world", "backtest"]):
        with pytest.raises(SystemExit) as ex:
            main([*cmd, "--input", "bogus"])
        err = capsys.readouterr().err.strip()
        assert ex.value.code == 2
        assert "\n" not in err and "'--input'" in err and "threat_by_target" in err
