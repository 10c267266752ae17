"""The papers' built-in cases give the same results as scenarios and through the world path."""

from __future__ import annotations

import numpy as np
import pytest

from alliancelab.engine.forecast import forecast
from alliancelab.engine.world import run_scenario
from alliancelab.cases.expected import EXPECTED
from alliancelab.scenario import load_scenario

#: the papers' built-in cases (paper E or Y; the library's cases are not the papers')
CASES = sorted(k for k, v in EXPECTED.items() if v.paper != "library")


@pytest.mark.parametrize("case", CASES)
def test_case_same_as_scenario_and_through_the_world_path(case):
    s = load_scenario(case)
    fc = forecast(s, runs=150, seed=11)
    tr = run_scenario(s, runs=150, seed=11)
    res = fc.result
    np.testing.assert_array_equal(tr.alignment[1:], res.aligned)
    np.testing.assert_array_equal(tr.ruling[1:], res.ruling)
    for kind, first in res.first.items():
        np.testing.assert_array_equal(tr.first[kind], first)


def test_the_five_papers_cases_are_there():
    assert set(CASES) == {"italy-1948", "yugoslavia-1948", "grand-alliance-1941", "sino-soviet-1950",
                          "poland-hungary-1956"}
