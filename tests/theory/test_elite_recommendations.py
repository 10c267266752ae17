"""E16 at kernel level: each recommendation (R1-R4) beats its naive counterpart in the kernels.

The full strategies (scenario transforms compared by Monte Carlo forecast) live in
``alliancelab.advise`` and ``tests/advise``; these properties make sure the kernels give them room.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from alliancelab.theory import elite
from alliancelab.theory.elite import EliteParams

from .test_elite_strategies import GESTURE, MASS, MAX_AMOUNT, N_I, PROPERTY, TOL, elite_params, unit


def _win(s: np.ndarray, vis: float, br: float, p: EliteParams, base: float = 0.0) -> float:
    eff = elite.support_effect(s, vis, br, p)
    sh = elite.mass_support_shares(np.array([base, 0.0]), eff, 0.0, np.ones(2, bool))
    return float(elite.election_win_probability(sh, np.ones(2, bool), p)[0])


@PROPERTY
@given(amount=unit(0.0, MAX_AMOUNT), i=st.sampled_from(MASS), vis=unit(), br=unit(),
       base=unit(-3.0, 3.0), p=elite_params())
def test_E16_R1_visible_broad_benefits_beat_invisible_loans_at_equal_cost(
        amount: float, i: int, vis: float, br: float, base: float, p: EliteParams) -> None:
    s = np.zeros((2, 1, N_I))
    s[0, 0, i] = amount
    assert _win(s, max(vis, 0.9), max(br, 0.9), p, base) >= _win(s, 0.0, br, p, base) - TOL


@PROPERTY
@given(need=unit(0.0, 1e3), extra=unit(0.0, 1e4), k=st.integers(1, 12), p=elite_params())
def test_E16_R2_capping_support_at_need_keeps_ambition_and_split_risk_down(
        need: float, extra: float, k: int, p: EliteParams) -> None:
    amb = np.zeros(2)
    for _ in range(k):
        amb = elite.update_ambition(amb, np.array([need, need + extra]), need, p)
    h = elite.split_hazard(amb, p)
    assert h[0] == 0.0 and h[1] >= h[0]


@PROPERTY
@given(amount=unit(0.0, MAX_AMOUNT), other=unit(0.0, MAX_AMOUNT), prec=unit(), p=elite_params())
def test_E16_R3_pre_emptive_support_to_the_opposition_raises_its_rise_and_alignment(
        amount: float, other: float, prec: float, p: EliteParams) -> None:
    s = np.zeros((2, 2, N_I))                      # factions (incumbent, opposition) x patrons
    s[1, 1, MASS[0]] = other                       # a rival patron already backs the opposition
    engaged = s.copy()
    engaged[1, 0, MASS[1]] = amount                # patron 0 engages the opposition
    win = [1.0 - _win(x, 1.0, 1.0, p) for x in (s, engaged)]     # opposition's chance
    assert win[1] >= win[0] - TOL
    share = [x[1, :, MASS].sum(axis=0) for x in (s, engaged)]
    shares = [np.divide(v, v.sum(), out=np.zeros(2), where=v.sum() > 0) for v in share]
    pr = [elite.choice_probabilities(elite.alignment_utilities(prec, sh, np.zeros(2), np.zeros(2), p),
                                     np.ones(3, bool), p)[0] for sh in shares]
    assert pr[1] >= pr[0] - TOL


@PROPERTY
@given(g=unit(-1.0, 1.0), base=unit(-3.0, 3.0), p=elite_params())
def test_E16_R4_no_concessions_over_the_clients_territory(g: float, base: float, p: EliteParams) -> None:
    s = np.zeros((2, 1, N_I))
    s[0, 0, GESTURE] = g
    no_concession = s.copy()
    no_concession[0, 0, GESTURE] = max(g, 0.0)
    assert _win(no_concession, 1.0, 1.0, p, base) >= _win(s, 1.0, 1.0, p, base) - TOL
