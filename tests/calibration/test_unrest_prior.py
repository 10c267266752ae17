"""The empirical prior of ``elite.unrest_max`` (Archigos 4.1 popular-protest exits, docs/calibration.md)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from alliancelab.calibration.unrest_prior import REFERENCE_FACTOR, load_unrest_prior
from alliancelab.theory.elite import EliteParams
from alliancelab.theory.elite.contest import precarity


def test_the_prior_median_reproduces_the_protest_rate_at_the_reference_state():
    """At s_inc 0.5, no discontent, c_inc = repression_half, the kernel gives Archigos's annual rate."""
    hp = load_unrest_prior()
    pr = hp["priors"]["elite.unrest_max"]
    assert pr["scale"] == "log" and pr["median"] == pytest.approx(math.exp(pr["mean"]))
    p = EliteParams(unrest_max=pr["median"], repression_half=0.25)
    act = np.array([True, True])
    # a two-faction polity with no coup threat (challenger without coercion) and no election due
    q = float(precarity(np.array([0.5, 0.5]), np.array([0.25, 0.0]), 0, 0.0, 0.0, act, p))
    assert q == pytest.approx(hp["annual_probability_protest"], rel=1e-6)
    assert REFERENCE_FACTOR == pytest.approx(0.25)
    # Archigos: popular protest is a small share of irregular exits, the military a large one
    share = hp["share_of_irregular_exits"]
    assert share["protest"] < 0.15 < 0.5 < share["military_and_other_government"]
    assert 0 < hp["rate_per_leader_year"]["protest"] < hp["rate_per_leader_year"]["military"]
