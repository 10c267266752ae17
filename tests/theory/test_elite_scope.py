"""Property tests of the scope conditions (E7)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from alliancelab.theory import elite

from .test_elite_strategies import PROPERTY


@PROPERTY
@given(interest=hnp.arrays(bool, hnp.array_shapes(min_dims=1, max_dims=3, max_side=4)),
       data=st.data())
def test_E7_scope_violations_are_reported_exactly_when_a_condition_fails(
        interest: np.ndarray, data: st.DataObject) -> None:
    lead = interest.shape[:-1]
    n = data.draw(hnp.arrays(np.int64, lead, elements=st.integers(0, 4)))
    msgs = elite.scope_violations(interest, n)
    no_interest = ~interest.any(axis=-1)
    assert any(m.startswith("E7(a)") for m in msgs) == bool(no_interest.any())
    assert any(m.startswith("E7(b)") for m in msgs) == bool((n < 2).any())
    assert (msgs == []) == bool(interest.any(axis=-1).all() and (n >= 2).all())
    assert all(isinstance(m, str) and "\n" not in m and "scope" in m for m in msgs)


def test_E7_messages_name_the_clients() -> None:
    msgs = elite.scope_violations(np.array([[True, True], [False, False], [True, False]]),
                                  np.array([2, 0, 1]), names=["Italy", "Narnia", "Belarus"])
    assert len(msgs) == 3
    assert "no patron is interested" in msgs[0] and "(Narnia)" in msgs[0]
    assert "no patron backs" in msgs[1] and "(Narnia)" in msgs[1]
    assert "only one patron" in msgs[2] and "(Belarus)" in msgs[2]
    assert elite.scope_violations(np.array([True, True]), 2) == []
