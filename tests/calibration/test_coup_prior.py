"""The empirical prior of ``elite.coup_attempt_max`` (Archigos 4.1 military exits, docs/calibration.md)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from alliancelab.calibration.coup_prior import REFERENCE_SUCCESS, load_coup_prior, reference_factor
from alliancelab.calibration.unrest_prior import load_unrest_prior
from alliancelab.theory.elite import EliteParams
from alliancelab.theory.elite.contest import coup_success_probability, precarity


def test_the_prior_median_reproduces_the_military_rate_at_the_reference_state():
    """One challenger at parity in the coup contest, backed as often as Archigos's military removals were
    foreign-supported, no unrest (unrest_max 0): the kernel gives Archigos's annual military-exit rate."""
    cp = load_coup_prior()
    pr = cp["priors"]["elite.coup_attempt_max"]
    ref = cp["reference_state"]
    assert pr["scale"] == "log" and pr["median"] == pytest.approx(math.exp(pr["mean"]))
    assert ref["unbacked_attempt_factor"] == EliteParams().unbacked_attempt_factor   # the posterior's fixed u
    p = EliteParams(coup_attempt_max=pr["median"], unrest_max=0.0)
    act = np.array([True, True])
    s = np.array([0.5, 0.5])
    # parity: the challenger's coercion equals the ruler's defence c_inc + w_legit s_inc
    c = np.array([0.25, 0.25 + p.coup_legitimacy_weight * 0.5])
    assert coup_success_probability(c, 0.0, np.zeros(2), 0, s, act, p)[1] == pytest.approx(REFERENCE_SUCCESS)
    a = ref["backed_share"]
    # the kernel is linear in the commitment a: average the unbacked and the backed coup risk
    q0 = float(precarity(s, c, 0, 0.0, 0.0, act, p))
    q1 = float(precarity(s, c, 0, 0.0, 0.0, act, p, armed_commitment=np.array([0.0, 1.0])))
    # with a = 1 the challenger's strength is boosted: evaluate the backed risk at the reference success
    q1_ref = pr["median"] * REFERENCE_SUCCESS ** 2
    assert q1 > q1_ref                     # backing strengthens the challenger as well (E5)
    q = (1 - a) * q0 + a * q1_ref
    assert q == pytest.approx(cp["annual_probability_military"], rel=1e-9)
    assert reference_factor(ref["unbacked_attempt_factor"], a) == pytest.approx(ref["kernel_factor"])
    # Archigos: the military's rate is ~8 times popular protest's (docs/calibration.md, "The coup prior")
    un = load_unrest_prior()
    assert cp["rate_per_leader_year"]["military"] > 5 * un["rate_per_leader_year"]["protest"]
    assert 0.0 < a < 0.1


def test_reference_factor_is_linear_in_the_backing_and_the_default_u():
    assert reference_factor(0.2, 0.0) == pytest.approx(0.05)
    assert reference_factor(0.2, 1.0) == pytest.approx(0.25)
    assert reference_factor(0.2, 0.5) == pytest.approx(0.15)
