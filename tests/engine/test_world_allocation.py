"""The allocation rule ``world.rivals`` (E8 in a contest): properties on random synthetic worlds."""

from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from alliancelab.engine.strategies import STRATEGIES, allocate, rival_friends
from alliancelab.engine.world import synthetic_world


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), pairs=st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)),
                                                     max_size=4),
       strategy=st.sampled_from(STRATEGIES))
def test_no_rival_friend_is_paid(seed, pairs, strategy):
    """No faction friendlier to one of the patron's rivals is paid (an ally of record excepted:
    its aid goes to whoever rules); without rivals the allocation is the old one; a funded client
    gets what it got without the rule, the others nothing (their share is not spent)."""
    w = synthetic_world(n_states=6, n_patrons=3, n_factions=3, seed=seed, strategy=strategy)
    rivals = np.zeros((3, 3), bool)
    for a, b in pairs:
        if a != b:
            rivals[a, b] = rivals[b, a] = True
    w1 = dataclasses.replace(w, rivals=rivals)
    friends = rival_friends(w1)
    # a faction is a rival's friend exactly when it is friendlier to some rival
    for p in range(3):
        riv = np.nonzero(rivals[p])[0]
        expect = (w.affinity[:, :, riv] > w.affinity[:, :, [p]]).any(axis=-1) if len(riv) else \
            np.zeros(w.affinity.shape[:2], bool)
        np.testing.assert_array_equal(friends[:, :, p], expect)
    a0, a1 = allocate(w), allocate(w1)
    ally = np.asarray(w.initial_alignment)[:, None, None] == np.arange(3)[None, None, :]
    assert not ((a1.amount > 0) & friends & ~ally).any()
    assert not ((a1.support[..., -1] != 0) & friends & ~ally).any()       # no gesture either
    np.testing.assert_array_equal(allocate(dataclasses.replace(w1, rivals=np.zeros((3, 3), bool))).amount,
                                  a0.amount)
    # what a funded client gets is what it got without the rule; the others' shares go to no one
    funded = ((w.active[:, :, None] & ~friends).any(axis=1) | ally[:, 0, :])
    np.testing.assert_allclose(a1.amount.sum(axis=1), np.where(funded, a0.amount.sum(axis=1), 0.0))
