"""Property tests of alignment: E8 (H1), E9 (H2), E10, E13, E14."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from alliancelab.theory import elite
from alliancelab.theory.elite import EliteParams

from .test_elite_strategies import PROPERTY, TOL, arrays, elite_params, unit


def _shares(amounts: np.ndarray) -> np.ndarray:
    total = amounts.sum(axis=-1, keepdims=True)
    return np.divide(amounts, total, out=np.zeros_like(amounts), where=total > 0)


@st.composite
def alignment_inputs(draw: st.DrawFn) -> dict[str, np.ndarray]:
    r, n_p = draw(st.integers(1, 3)), draw(st.integers(1, 4))
    return {
        "precarity": draw(arrays((r,), 0.0, 1.0)),
        "amounts": draw(arrays((r, n_p), 0.0, 1e4)),
        "affinity": draw(arrays((r, n_p), -1.0, 1.0)),
        "threat": draw(arrays((r, n_p), 0.0, 1.0)),
        "available": np.array(draw(arrays((r, n_p + 1), 0.0, 1.0)) > 0.3),
    }


def _probs(x: dict[str, np.ndarray], p: EliteParams, **over: np.ndarray) -> np.ndarray:
    y = {**x, **over}
    u = elite.alignment_utilities(y["precarity"], _shares(y["amounts"]), y["affinity"], y["threat"], p)
    return elite.choice_probabilities(u, y["available"], p)


@PROPERTY
@given(x=alignment_inputs(), data=st.data(), p=elite_params())
def test_E8_more_support_from_a_patron_never_lowers_alignment_with_it(
        x: dict[str, np.ndarray], data: st.DataObject, p: EliteParams) -> None:
    j = data.draw(st.integers(0, x["amounts"].shape[-1] - 1))
    more = x["amounts"].copy()
    more[:, j] += data.draw(unit(0.0, 1e4))
    before = _probs(x, p)
    after = _probs(x, p, amounts=more)
    assert np.all(after[:, j] >= before[:, j] - TOL)
    np.testing.assert_allclose(before.sum(axis=-1), 1.0)
    unavailable = ~x["available"][:, :-1]
    assert np.all(before[:, :-1][unavailable] == 0.0)


@PROPERTY
@given(n_p=st.integers(2, 4), j=st.integers(0, 3), dominant=unit(0.8, 1.0), prec=unit(0.5, 1.0),
       aff=unit(-1.0, 1.0), thr=unit(0.0, 1.0))
def test_E8_dominant_patron_of_a_precarious_winner_gets_the_alliance(
        n_p: int, j: int, dominant: float, prec: float, aff: float, thr: float) -> None:
    p = EliteParams()
    j = j % n_p
    share = np.full(n_p, (1.0 - dominant) / (n_p - 1))
    share[j] = dominant
    u = elite.alignment_utilities(prec, share, np.full(n_p, aff), np.full(n_p, thr), p)
    pr = elite.choice_probabilities(u, np.ones(n_p + 1, bool), p)
    assert int(np.argmax(pr)) == j


@PROPERTY
@given(x=alignment_inputs(), lo=unit(), hi=unit(), p=elite_params())
def test_E9_demand_for_alignment_non_decreasing_in_precarity(
        x: dict[str, np.ndarray], lo: float, hi: float, p: EliteParams) -> None:
    lo, hi = sorted((lo, hi))
    r = x["precarity"].shape[0]
    none_lo = _probs(x, p, precarity=np.full(r, lo))[:, -1]
    none_hi = _probs(x, p, precarity=np.full(r, hi))[:, -1]
    assert np.all(none_hi <= none_lo + TOL)


@PROPERTY
@given(x=alignment_inputs(), prec=unit(0.0, 0.1), data=st.data())
def test_E9_unchallenged_leader_is_modally_non_aligned_even_with_support_on_offer(
        x: dict[str, np.ndarray], prec: float, data: st.DataObject) -> None:
    p = EliteParams()
    r, n_p = x["amounts"].shape
    aff = data.draw(arrays((r, n_p), -1.0, 0.5))
    thr = data.draw(arrays((r, n_p), 0.0, 0.2))
    pr = _probs(x, p, precarity=np.full(r, prec), affinity=aff, threat=thr,
                available=np.ones((r, n_p + 1), bool))
    assert np.all(np.argmax(pr, axis=-1) == n_p)


@PROPERTY
@given(prec=arrays((5,), 0.0, 1.0), p=elite_params())
def test_E10_alliance_membership_lowers_precarity(prec: np.ndarray, p: EliteParams) -> None:
    member = elite.alliance_relief(prec, np.ones(5, bool), p)
    outside = elite.alliance_relief(prec, np.zeros(5, bool), p)
    np.testing.assert_allclose(outside, prec)
    assert np.all(member <= outside + TOL)
    strict = (prec > 1e-6) & (p.alliance_relief > 1e-6)
    assert np.all(member[strict] < outside[strict])


@PROPERTY
@given(x=alignment_inputs(), data=st.data(), p=elite_params())
def test_E13_realignment_to_an_alternative_patron_when_the_old_one_splits(
        x: dict[str, np.ndarray], data: st.DataObject, p: EliteParams) -> None:
    r, n_p = x["amounts"].shape
    if n_p < 2:
        return
    old = data.draw(st.integers(0, n_p - 1))
    avail = np.ones((r, n_p + 1), bool)
    before = _probs(x, p, available=avail)
    avail[:, old] = False                                   # split with the old patron
    after = _probs(x, p, available=avail)
    assert np.all(after[:, old] == 0.0)
    others = [k for k in range(n_p + 1) if k != old]
    assert np.all(after[:, others] >= before[:, others] - TOL)
    # realignment is possible: positive probability unless exp() underflows (gap > ~700 nats)
    u = elite.alignment_utilities(x["precarity"], _shares(x["amounts"]), x["affinity"], x["threat"], p)
    gap = p.logit_scale * (u.max(axis=-1, keepdims=True) - u)
    ok = gap[:, others[:-1]] < 700
    assert np.all(after[:, others[:-1]][ok] > 0.0)


@PROPERTY
@given(lo=unit(), hi=unit(), p=elite_params())
def test_E13_strong_incumbent_takes_aid_without_joining(lo: float, hi: float, p: EliteParams) -> None:
    lo, hi = sorted((lo, hi))
    a = elite.aid_without_alliance(np.array([lo, hi]), p)
    assert a[0] >= a[1] - TOL
    assert np.all((a >= 0) & (a <= 1))
    if p.aid_only_steepness * (p.aid_only_threshold - lo) > 1e-6:     # clearly below the threshold
        assert a[0] > 0.5


@PROPERTY
@given(x=alignment_inputs(), k=unit(0.0, 1.0), p=elite_params())
def test_E13_equidistance_when_precarity_and_threat_fall(x: dict[str, np.ndarray], k: float,
                                                         p: EliteParams) -> None:
    calm = _probs(x, p, precarity=x["precarity"] * k, threat=x["threat"] * k)
    tense = _probs(x, p)
    assert np.all(calm[:, -1] >= tense[:, -1] - TOL)


@PROPERTY
@given(x=alignment_inputs(), data=st.data(), p=elite_params())
def test_E14_ideological_affinity_raises_alignment(x: dict[str, np.ndarray], data: st.DataObject,
                                                   p: EliteParams) -> None:
    j = data.draw(st.integers(0, x["amounts"].shape[-1] - 1))
    aff = x["affinity"].copy()
    aff[:, j] = np.minimum(aff[:, j] + data.draw(unit(0.0, 2.0)), 1.0)
    assert np.all(_probs(x, p, affinity=aff)[:, j] >= _probs(x, p)[:, j] - TOL)


@PROPERTY
@given(prec=unit(0.3, 1.0), aff_ussr=unit(0.3, 1.0), aff_us=unit(-1.0, 0.0))
def test_E14_affinity_pulls_the_client_back_once_the_conflict_ends(prec: float, aff_ussr: float,
                                                                     aff_us: float) -> None:
    """Yugoslavia 1955-56: with support and threat equal, the ideological kin is preferred."""
    p = EliteParams()
    u = elite.alignment_utilities(prec, np.array([0.5, 0.5]), np.array([aff_ussr, aff_us]),
                                  np.zeros(2), p)
    pr = elite.choice_probabilities(u, np.ones(3, bool), p)
    assert pr[0] > pr[1]


def test_E8_non_aligned_is_the_last_column_and_always_available() -> None:
    p = EliteParams()
    u = elite.alignment_utilities(np.zeros((4, 2)), np.zeros((4, 2, 3)), 0.0, 0.0, p)
    assert u.shape == (4, 2, 4) and np.all(u[..., -1] == 0.0)
    pr = elite.choice_probabilities(u, np.zeros((4, 2, 4), bool), p)
    assert np.all(pr[..., -1] == 1.0)


@PROPERTY
@given(data=st.data(), p=elite_params())
def test_E8_h1_chain_from_support_to_the_ruling_faction_to_alignment(data: st.DataObject,
                                                                     p: EliteParams) -> None:
    """More money from patron j to the eventually ruling faction never lowers P(align with j)."""
    from .test_elite_strategies import dims, support_arrays

    r, f, n_p = data.draw(dims())
    s = data.draw(support_arrays((r, f, n_p)))
    ruling = np.array(data.draw(st.lists(st.integers(0, f - 1), min_size=r, max_size=r)))
    j = data.draw(st.integers(0, n_p - 1))
    inst = data.draw(st.sampled_from(list(range(4)) + [4]))     # a money instrument
    more = s.copy()
    more[np.arange(r), ruling, j, inst] += data.draw(unit(0.0, 1e4))
    prec, aff, thr = (data.draw(arrays(shape, lo, 1.0)) for shape, lo in
                      (((r,), 0.0), ((r, n_p), -1.0), ((r, n_p), 0.0)))
    out = []
    for x in (s, more):
        total, share = elite.ruling_support_by_patron(x, ruling)
        assert np.all(total >= 0) and np.all(share.sum(axis=-1) <= 1 + TOL)
        u = elite.alignment_utilities(prec, share, aff, thr, p)
        out.append(elite.choice_probabilities(u, np.ones((r, n_p + 1), bool), p)[:, j])
    assert np.all(out[1] >= out[0] - TOL)
