"""The tabulated support kernels (engine/_support_table.py) give bit-for-bit the kernels evaluated on
every run's own payment codes, on the dense-table path and on the grouped-runs fallback."""

from __future__ import annotations

import numpy as np
import pytest

from alliancelab.engine._steps_domestic import RULER_BIT, support_terms
from alliancelab.engine._support_table import code_bits, support_by_code
from alliancelab.theory.params import ModelParams

PE = ModelParams().elite


def _case(seed: int, R: int, C: int, F: int, P: int, density: float, ruling: bool):  # noqa: ANN202
    rng = np.random.default_rng(seed)
    Q, I = 4, 7
    sched = rng.gamma(1.0, 50.0, (Q, C, F, P, 7)) * (rng.random((Q, C, F, P, 1)) < density)
    sched[..., 5] = np.clip(sched[..., 5] / 100, 0, 1)
    sched[..., 6] = np.clip(sched[..., 6] / 50 - 1, -1, 1)
    sr = None
    if ruling:
        sr = rng.gamma(1.0, 50.0, (Q, C, P, I)) * (rng.random((Q, C, P, 1)) < density / 2)
        sr[..., 5:] = 0.0
    vis = rng.random((C, F, P, I))
    br = rng.random((C, F, P, I))
    code = rng.integers(0, 1 << (RULER_BIT + 1 if ruling else 4), (R, C, F, P))
    return code, sched, sr, vis, br


@pytest.mark.parametrize("seed, R, C, F, P, density, ruling, off", [
    (1, 300, 3, 3, 2, 0.3, False, frozenset()),
    (2, 300, 2, 4, 2, 0.2, True, frozenset()),
    (6, 300, 3, 2, 3, 0.15, True, frozenset({"E6"})),
    (3, 50, 4, 3, 3, 1.0, True, frozenset({"E3", "E6", "E17"})),     # K > runs: grouped runs
    (4, 200, 5, 2, 2, 0.0, False, frozenset()),                        # nothing scheduled
    (5, 200, 3, 3, 2, 0.25, True, frozenset({"E4", "E5"})),
])
def test_support_by_code_equals_the_kernels_on_every_run(seed, R, C, F, P, density, ruling, off):
    code, sched, sr, vis, br = _case(seed, R, C, F, P, density, ruling)

    def terms(codes):  # noqa: ANN001, ANN202
        return support_terms(codes, sched, vis, br, PE, off.__contains__, sr)

    got = support_by_code(code, sched, sr, RULER_BIT, terms)
    want = terms(code)
    want = want + (want[0].sum(2), want[1].sum(2))             # the patrons' sums (mass, loyalty)
    assert len(got) == len(want) == 8
    for g, w in zip(got, want):
        assert g.shape == w.shape and g.dtype == w.dtype
        assert np.ascontiguousarray(g).tobytes() == w.tobytes()


def test_code_bits_mark_only_scheduled_conditions():
    sched = np.zeros((4, 2, 2, 2, 7))
    sched[0, 0, 1, 1, 3] = 5.0
    sched[2, 1, 0, 0, 0] = 1.0
    sr = np.zeros((4, 2, 2, 7))
    sr[3, 1, 1, 2] = 7.0
    rel = code_bits(sched, sr, RULER_BIT)
    assert rel[0, 1, 1] == 0b1 and rel[1, 0, 0] == 0b100
    assert (rel[1, :, 1] == (1 << 3) | (1 << RULER_BIT)).all()
    assert rel[0, 0, 0] == 0
