"""Session 13's compiled kernels of whole step parts give the numpy path's bytes on awkward inputs
(negative entries, -0.0, values beyond [0, 1], broadcast operands); whole simulations are compared in
``test_jit.py``."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from alliancelab import _compiled
from alliancelab.theory import elite as E
from alliancelab.theory.elite.params import EliteParams

from .test_jit import _awkward, _same, needs_numba


def _both(monkeypatch: pytest.MonkeyPatch, fn):  # noqa: ANN001, ANN202
    fast = fn()
    with monkeypatch.context() as m:
        m.setattr(_compiled, "ENABLED", False)
        plain = fn()
    return fast, plain


@needs_numba
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("back", [False, True])
def test_precarity_equals_numpy(seed: int, back: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(seed)
    R, C, F = 9, 5, 3
    p = EliteParams()
    s = np.abs(_awkward(rng, (R, C, F)))
    s[0, 0] = -0.0
    c = _awkward(rng, (R, C, F))
    mil = np.abs(_awkward(rng, (1, C, F))) * 50.0
    armed = _awkward(rng, (R, C, F))
    inc = rng.integers(0, F, (R, C))
    act = rng.random((R, C, F)) < 0.8
    d = _awkward(rng, (R, C))
    for due in (0.0, (rng.random((1, C)) < 0.5).astype(float), 1.0):
        fast, plain = _both(monkeypatch, lambda: E.precarity(   # noqa: B023
            s, c, inc, due, d, act, p, military_aid=mil, armed_commitment=armed, back_incumbent=back))
        _same(fast, plain)
    fast, plain = _both(monkeypatch, lambda: E.precarity(s, c, inc, 0.0, d, act, p))   # armed 0 broadcast
    _same(fast, plain)


@needs_numba
@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("e2", [True, False])
def test_coup_round_equals_numpy(seed: int, e2: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    from alliancelab.engine import _jit

    rng = np.random.default_rng(seed)
    R, C, F = 40, 6, 3
    p = EliteParams()
    success = np.clip(_awkward(rng, (R, C, F)), -0.1, 1.2)
    success[0, 0] = -0.0
    success[1, :, 1] = success[1, :, 2]                  # ties: the first maximum is recorded
    backed, commit = _awkward(rng, (R, C, F)), _awkward(rng, (R, C, F))
    relief = np.where(rng.random((R, C)) < 0.5, 1.0, 0.6)
    u_att, u_succ = rng.random((R, C, F)) * 0.3, rng.random((R, C, F))
    fast, plain = _both(monkeypatch, lambda: _jit.coup_round(success, backed, commit, relief, u_att, u_succ,
                                                             e2, p))
    assert len(fast) == len(plain) == 5
    for a, b in zip(fast, plain):
        _same(a, b)
    assert fast[0].any() == e2                           # attempts happen (with E2) and are checked


@needs_numba
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reweigh_and_leaves_equal_the_theory_kernels(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    from alliancelab.engine import _jit
    from alliancelab.theory import mechanisms as M

    rng = np.random.default_rng(seed)
    R, C, P = 30, 5, 2
    p = EliteParams()
    util = _awkward(rng, (R, C, P + 1))
    util[0, 0] = -0.0                                     # -0.0 + 0.0 is +0.0 in both
    cur = rng.integers(0, P + 1, (R, C)).astype(np.int16)
    backing, abandoned = _awkward(rng, (R, C, P)), _awkward(rng, (1, C, P))
    sitting, formal = rng.random((R, C)) < 0.6, cur < P
    fast = _jit.reweigh_utilities(util, cur, backing, abandoned, sitting, p, formal=formal)
    _same(fast, M.reweigh_utilities(util, cur, backing, abandoned, sitting, p, formal=formal))
    neg = dataclasses.replace(p, treaty_commitment=-0.0)   # a bonus of -0.0 keeps -0.0 entries
    _same(_jit.reweigh_utilities(util, cur, backing, abandoned, sitting, neg, formal=formal),
          M.reweigh_utilities(util, cur, backing, abandoned, sitting, neg, formal=formal))
    available = rng.random((R, C, P + 1)) < 0.7
    shocks = _awkward(rng, (R, C, P + 1))
    util[1, :, 0] = util[1, :, 1]                         # ties: the first maximum
    util[2, 0, 1] = np.inf                                # an infinite utility counts as unavailable
    for beta in (1.0, 2.5):
        _same(_jit.leaves(util, available, beta, cur, shocks),
              M.leaves(np.where(available, beta * util, -np.inf), cur, shocks))


@needs_numba
@pytest.mark.parametrize("C, ruling, density", [(3, False, 0.3), (2, True, 0.15)])   # dense tables: compiled
def test_support_table_without_the_per_patron_terms(C: int, ruling: bool, density: float) -> None:
    """``per_patron=False`` (the engine: it reads only the patrons' sums) gives the same other terms."""
    from alliancelab.engine._steps_domestic import RULER_BIT, support_terms
    from alliancelab.engine._support_table import support_by_code
    from alliancelab.theory.params import ModelParams

    from .test_support_table import _case

    code, sched, sr, vis, br = _case(1, 300, C, 3, 2, density, ruling)
    pe = ModelParams().elite

    def terms(codes):  # noqa: ANN001, ANN202
        return support_terms(codes, sched, vis, br, pe, frozenset().__contains__, sr)

    full = support_by_code(code, sched, sr, RULER_BIT, terms)
    sums = support_by_code(code, sched, sr, RULER_BIT, terms, per_patron=False)
    assert sums[0] is None and sums[1] is None and len(sums) == 8
    for a, b in zip(full[2:], sums[2:]):
        _same(a, b)


@needs_numba
@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("back", [False, True])
def test_coup_success_one_power_and_the_reused_aid_term(seed: int, back: bool,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """One ``**`` pass (the stronger side's ratio is 1) and the aid term of a read-only array computed
    once give numpy's numbers, with ties, zero strengths and several ``r_coup``; a writeable aid array
    changed in place is read afresh."""
    rng = np.random.default_rng(seed)
    R, C, F = 25, 4, 3
    c = _awkward(rng, (R, C, F))
    c[0] = 0.0                                            # no strength on either side: 0 ** r
    s = np.abs(_awkward(rng, (R, C, F)))
    armed = _awkward(rng, (R, C, F))
    inc = rng.integers(0, F, (R, C))
    act = rng.random((R, C, F)) < 0.8
    mil = np.abs(_awkward(rng, (R, C, F))) * 40.0
    mil[1] = 0.0
    ro = mil.copy()
    ro.flags.writeable = False
    for r_coup in (1.5, 2.0, 0.7, 6.3):
        p = dataclasses.replace(EliteParams(), r_coup=r_coup)
        for aid in (ro, ro, mil):                         # the second call reuses the read-only term
            fast, plain = _both(monkeypatch, lambda: E.coup_success_probability(   # noqa: B023
                c, aid, armed, inc, s, act, p, back_incumbent=back))
            _same(fast, plain)
    before = E.coup_success_probability(c, mil, armed, inc, s, act, p, back_incumbent=back)
    mil *= 3.0                                            # in place: a writeable array is not cached
    after = E.coup_success_probability(c, mil, armed, inc, s, act, p, back_incumbent=back)
    with monkeypatch.context() as m:
        m.setattr(_compiled, "ENABLED", False)
        _same(after, E.coup_success_probability(c, mil, armed, inc, s, act, p, back_incumbent=back))
    assert not np.array_equal(before, after)


@needs_numba
@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("forces", [False, True])
def test_armed_backing_with_the_weights_in_the_loop(seed: int, forces: bool,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """E20's foreign backing with the condition weights formed per cell equals the numpy path (einsum
    over the gathered (R, C, 4, P) weights, ``_steps_mechanisms.backing_numpy``)."""
    from alliancelab.engine import _jit
    from alliancelab.engine._steps_mechanisms import backing_numpy

    rng = np.random.default_rng(seed)
    R, C, F, P = 30, 5, 3, 2
    aligned = rng.integers(0, P + 1, (R, C)).astype(np.int16)
    others = rng.random((R, C, P)) < 0.3
    armed_q = np.clip(_awkward(rng, (4, C, F, P)), -0.2, 1.3)
    ruling = rng.integers(0, F, (R, C))
    iv = np.abs(_awkward(rng, (R, C, P))) if forces else None
    D = rng.random((C, P))
    D[0, 0] = 0.0
    active = rng.random((C, F)) < 0.85
    fast = _jit.armed_backing_conditions(aligned, others, armed_q, ruling, iv, D, active)
    w = _jit.condition_weights(aligned, others, P)
    for a, b in zip(fast, backing_numpy(w, armed_q, ruling, iv, D, active)):
        _same(a, b)
    monkeypatch.setattr(_compiled, "ENABLED", False)
    assert _jit.armed_backing_conditions(aligned, others, armed_q, ruling, iv, D, active) is None


@needs_numba
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_alignment_utilities_and_logit_equal_numpy(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(seed)
    R, C, P = 30, 5, 2
    p = EliteParams()
    prec = _awkward(rng, (R, C))
    share, aff = _awkward(rng, (R, C, P)), _awkward(rng, (R, C, P)) * 2.0
    thr = _awkward(rng, (C, P))                           # broadcast over the runs, as the engine passes
    fast, plain = _both(monkeypatch, lambda: E.alignment_utilities(prec, share, aff,
                                                                   np.broadcast_to(thr, (R, C, P)), p))
    _same(fast, plain)
    util = fast * 3.0
    util[0, 0] = -0.0
    util[1, :, 0] = util[1, :, 1]                         # ties in the maximum
    available = rng.random((R, C, P + 1)) < 0.6
    for av in (available, available[:1], np.ones((R, C, P + 1), bool)):
        for scale in (1.0, 4.0, 60.0):                    # large scales: exp underflows to 0
            q = dataclasses.replace(p, logit_scale=scale)
            fast, plain = _both(monkeypatch, lambda: E.choice_probabilities(util, av, q))   # noqa: B023
            _same(fast, plain)


@needs_numba
@pytest.mark.parametrize("seed", [0, 1])
def test_mandate_update_equals_numpy(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    from alliancelab.theory import mechanisms as M

    rng = np.random.default_rng(seed)
    R, C, F = 40, 5, 3
    p = EliteParams()
    mandate = _awkward(rng, (R, C, F))
    mandate[0, 0] = -0.0
    ruler = rng.integers(0, F, (R, C))
    popular, changed = rng.random((R, C)) < 0.5, rng.random((R, C)) < 0.4
    fast, plain = _both(monkeypatch, lambda: M.update_mandate(mandate, ruler, popular, changed, p))
    _same(fast, plain)
    assert (fast > 0).any() and (fast == 0).any()
