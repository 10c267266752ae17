"""Property tests of patron-client dynamics: E11 (ambition, split), E12 (instigated coup, purge)."""

from __future__ import annotations

import numpy as np
from hypothesis import given

from alliancelab.theory import elite
from alliancelab.theory.elite import EliteParams

from .test_elite_strategies import PROPERTY, TOL, arrays, elite_params, unit


@PROPERTY
@given(amb=arrays((4,), 0.0, 10.0), need=arrays((4,), 0.0, 1e4), lo=unit(0.0, 1e5), hi=unit(0.0, 1e5),
       p=elite_params())
def test_E11_support_beyond_need_builds_ambition_and_split_risk(
        amb: np.ndarray, need: np.ndarray, lo: float, hi: float, p: EliteParams) -> None:
    lo, hi = sorted((lo, hi))
    a_lo = elite.update_ambition(amb, lo, need, p)
    a_hi = elite.update_ambition(amb, hi, need, p)
    assert np.all(a_hi >= a_lo - TOL) and np.all(a_lo >= 0)
    assert np.all(elite.split_hazard(a_hi, p) >= elite.split_hazard(a_lo, p) - TOL)
    # support capped at need only lets ambition decay
    capped = elite.update_ambition(amb, need, need, p)
    np.testing.assert_allclose(capped, (1.0 - p.ambition_decay) * amb)
    assert np.all(capped <= amb + TOL)
    # far beyond need, ambition strictly grows when the channel is on
    if p.ambition_rate > 1e-6:
        far = elite.update_ambition(amb, need + 10 * np.maximum(need, p.need_floor), need, p)
        assert np.all(far > capped)


@PROPERTY
@given(a=arrays((6,), 0.0, 100.0), p=elite_params())
def test_E11_split_hazard_is_a_probability_rising_in_ambition(a: np.ndarray, p: EliteParams) -> None:
    h = elite.split_hazard(np.sort(a), p)
    assert np.all((h >= 0) & (h <= 1))
    assert np.all(np.diff(h) >= -TOL)
    assert elite.split_hazard(0.0, p) == 0.0


@PROPERTY
@given(share=unit(), d_share=unit(), support=unit(), d_support=unit(), coer=unit(0.0, 2.0),
       d_coer=unit(0.0, 2.0), p=elite_params())
def test_E12_instigated_coup_rises_with_pro_patron_share_falls_with_leader_strength(
        share: float, d_share: float, support: float, d_support: float, coer: float, d_coer: float,
        p: EliteParams) -> None:
    base = elite.instigated_coup_success(share, support, coer, p)
    assert 0.0 <= base <= 1.0
    assert elite.instigated_coup_success(min(share + d_share, 1.0), support, coer, p) >= base - TOL
    assert elite.instigated_coup_success(share, min(support + d_support, 1.0), coer, p) <= base + TOL
    assert elite.instigated_coup_success(share, support, coer + d_coer, p) <= base + TOL
    assert elite.instigated_coup_success(0.0, support, coer, p) == 0.0


@PROPERTY
@given(share=arrays((5,), 0.0, 1.0), p=elite_params())
def test_E12_purge_lowers_the_pro_patron_share(share: np.ndarray, p: EliteParams) -> None:
    after = elite.purge(share, p)
    assert np.all(after <= share + TOL) and np.all(after >= 0)
    strict = (share > 1e-6) & (p.purge_intensity > 1e-6)
    assert np.all(after[strict] < share[strict])
    # and a purge makes the next instigated coup no likelier
    assert np.all(elite.instigated_coup_success(after, 0.5, 0.5, p)
                  <= elite.instigated_coup_success(share, 0.5, 0.5, p) + TOL)


def test_E12_tito_survives_the_cominform_call() -> None:
    """~20% pro-Stalin party members vs a leader with mass support and the army (paper E)."""
    p = EliteParams()
    assert elite.instigated_coup_success(0.2, 0.8, 1.0, p) < 0.05
    assert elite.instigated_coup_success(0.2, 0.2, 0.05, p) > 0.3


def test_E11_yugoslavia_excess_support_raises_split_hazard() -> None:
    """$9m loan + $135m equipment over seven years against a modest need (paper E)."""
    p = EliteParams()
    amb = np.zeros(2)
    for _ in range(8):
        amb = elite.update_ambition(amb, np.array([5.0, 30.0]), 5.0, p)
    h = elite.split_hazard(amb, p)
    assert h[0] == 0.0 and h[1] > 0.3


@PROPERTY
@given(amb=arrays((4,), 0.0, 10.0), need=arrays((4,), 0.0, 1e4), support=unit(0.0, 1e5), p=elite_params())
def test_E23_the_standing_stock_splits_less_exactly_when_the_period_adds_more_ambition_than_decays(
        amb: np.ndarray, need: np.ndarray, support: float, p: EliteParams) -> None:
    """E23: the split hazard reads the ambition standing at the start of a period, not the stock after the
    period's own surplus. That is the lower hazard exactly when the period adds more ambition than
    decays; with no earlier stock (a first period) it is 0 whatever the surplus."""
    updated = elite.update_ambition(amb, support, need, p)
    h_standing, h_updated = elite.split_hazard(amb, p), elite.split_hazard(updated, p)
    grows = updated >= amb
    assert np.all(h_standing[grows] <= h_updated[grows] + TOL)
    assert np.all(h_standing[~grows] >= h_updated[~grows] - TOL)
    assert np.all(elite.split_hazard(np.zeros(4), p) == 0.0)
