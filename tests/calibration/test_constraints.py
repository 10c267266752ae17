"""The theory constraints on calibrated parameter sets (cases.calibrate.constraint_violations)."""

from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from alliancelab.cases.calibrate import constraint_violations, params_with
from alliancelab.theory.elite import alignment_utilities
from alliancelab.theory.params import ModelParams

_Y5 = "Y5: the gravest common threat"


def _y5(p: ModelParams) -> bool:
    return any(v.startswith(_Y5) for v in constraint_violations(p))


def test_defaults_keep_every_constraint() -> None:
    assert constraint_violations(ModelParams()) == []


def test_Y5_flags_a_threat_weight_below_the_autonomy_cost() -> None:
    base = ModelParams()
    low = dataclasses.replace(base, elite=dataclasses.replace(base.elite, threat_weight=base.elite.autonomy_cost))
    assert _y5(low)
    assert not _y5(base)


@settings(max_examples=50, deadline=None)
@given(sw=st.floats(3.6, 50.0), tw=st.floats(0.5, 5.0), margin=st.floats(0.01, 3.0))
def test_Y5_clause_means_the_gravest_threat_makes_an_alliance_worth_it(sw: float, tw: float,
                                                                       margin: float) -> None:
    """Where the clause holds, a client with no support from a distrusted partner (affinity -0.5) prefers
    the alliance to non-alignment at threat 1, whatever its precarity; where it fails, it does not."""
    p = params_with({"elite.security_weight": sw, "elite.threat_weight": tw, "elite.autonomy_margin": margin})
    u = alignment_utilities(np.array([0.0, 1.0]), np.zeros(1), np.full(1, -0.5), np.ones(1), p.elite)
    ally_better = bool(np.all(u[..., 0] > u[..., 1]))
    if not _y5(p):
        assert ally_better
    if ally_better is False:
        assert _y5(p)


def test_autonomy_margin_uses_the_new_threat_weight() -> None:
    """params_with puts autonomy_cost at E9's bound for the new values, so E9 holds at any margin > 0.02."""
    p = params_with({"elite.security_weight": 8.0, "elite.threat_weight": 4.0, "elite.autonomy_margin": 0.01})
    assert not any(v.startswith("E9") for v in constraint_violations(p))
