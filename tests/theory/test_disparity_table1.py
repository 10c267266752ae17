"""Y9: Table 1 on continuous inputs, the margin, and consistency with formation, hazard and cost."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliancelab.theory.disparity import (
    AFFILIATION,
    ALLIANCE_TYPES,
    NONE,
    STRONG,
    UNSTABLE,
    DisparityParams,
    classify,
    dissolution_hazard,
    hazard_index,
    formation_probability,
    maintenance_cost,
    type_labels,
)
from tests.theory.test_disparity_params import params_st

SETTINGS = settings(max_examples=60, deadline=None)
P = DisparityParams()
u = st.floats(0.0, 1.0)
hiD = st.floats(P.d_star, 1.0)
loD = st.floats(0.0, P.d_star, exclude_max=True)
hiT = st.floats(P.t_star, 1.0)
#: Largest margin of a "none" point whose frictionless formation probability is >= 0.5 (defaults):
#: solve beta_D (d* - m - 0.5) + beta_T (t* - m) + alpha = 0 for m (docs/theory-disparity.md).
BORDER = (P.form_intercept + P.form_beta_disparity * (P.d_star - 0.5) + P.form_beta_threat * P.t_star) / (
    P.form_beta_disparity + P.form_beta_threat)
loT = st.floats(0.0, P.t_star, exclude_max=True)


def test_Y9_codes_follow_alliance_types():
    assert ALLIANCE_TYPES == ("strong", "unstable", "affiliation", "none")
    assert (STRONG, UNSTABLE, AFFILIATION, NONE) == (0, 1, 2, 3)
    assert type_labels([0, 1, 2, 3]).tolist() == list(ALLIANCE_TYPES)


@SETTINGS
@given(hiD, hiT, u, u)
def test_Y9_cell_strong_high_threat_high_disparity(D, T, m, w):
    code, margin = classify(D, T)
    assert int(code) == STRONG and margin >= 0
    assert dissolution_hazard(D, T, m, w) <= dissolution_hazard(P.d_star - 1e-3, T, m, w)


@SETTINGS
@given(loD, hiT, u, u)
def test_Y9_cell_unstable_high_threat_low_disparity(D, T, m, w):
    code, _ = classify(D, T)
    assert int(code) == UNSTABLE
    # consistent with the dynamics: at the same threat the unstable cell dissolves faster than the strong one
    assert dissolution_hazard(D, T, m, w) >= dissolution_hazard(P.d_star, T, m, w)
    assert hazard_index(D, T, m, w) > hazard_index(P.d_star + 0.1, T, m, w)


@SETTINGS
@given(hiD, loT, st.floats(0.0, 10.0), st.floats(0.0, 3.0))
def test_Y9_cell_affiliation_low_threat_high_disparity_carries_extra_burden(D, T, aid, n):
    code, _ = classify(D, T)
    assert int(code) == AFFILIATION
    # "Affiliated/control (Extra burden may emerge)": the same client costs more than under high threat
    assert maintenance_cost(aid, n, T) >= maintenance_cost(aid, n, P.t_star)
    assert maintenance_cost(aid, n, T) > maintenance_cost(aid, n, 1.0)
    # and it is more durable than a no-alliance pair at the same threat
    assert dissolution_hazard(D, T) <= dissolution_hazard(P.d_star - 1e-3, T)
    assert hazard_index(D, T) < hazard_index(P.d_star - 1e-3, T)


@SETTINGS
@given(loD, loT, u)
def test_Y9_cell_none_low_threat_low_disparity(D, T, m):
    code, margin = classify(D, T)
    assert int(code) == NONE
    # consistent with formation: no alliance is the modal outcome unless the point is borderline
    # (within BORDER of the corner (d*, t*), where the formation logit's P = 0.5 line cuts the cell)
    if margin >= BORDER:
        assert formation_probability(D, T, m) < 0.5
    assert formation_probability(D, T, m) <= formation_probability(P.d_star, P.t_star, m)


@SETTINGS
@given(u, u, params_st())
def test_Y9_margin_is_distance_to_nearest_boundary(D, T, p):
    code, margin = classify(D, T, p)
    assert margin == pytest.approx(min(abs(D - p.d_star), abs(T - p.t_star)))
    # moving strictly less than the margin in any direction keeps the cell
    if margin < 1e-9:
        return
    for dd, dt in [(1, 0), (-1, 0), (0, 1), (0, -1), (0.7, 0.7), (-0.7, 0.7)]:
        c2, _ = classify(np.clip(D + 0.99 * margin * dd, 0, 1), np.clip(T + 0.99 * margin * dt, 0, 1), p)
        assert int(c2) == int(code)


@SETTINGS
@given(u, u, params_st())
def test_Y9_crossing_the_nearest_boundary_changes_the_cell(D, T, p):
    code, margin = classify(D, T, p)
    if abs(D - p.d_star) <= abs(T - p.t_star):
        D2 = p.d_star - 1e-9 if D >= p.d_star else p.d_star
        c2, _ = classify(D2, T, p)
    else:
        T2 = p.t_star - 1e-9 if T >= p.t_star else p.t_star
        c2, _ = classify(D, T2, p)
    assert int(c2) != int(code)


@SETTINGS
@given(u, u, u, params_st())
def test_Y9_cells_ordered_consistently_with_hazard_and_formation(Dlo, Dhi, T, p):
    Dlo, Dhi = sorted((Dlo, Dhi))
    clo, _ = classify(Dlo, T, p)
    chi, _ = classify(Dhi, T, p)
    if int(clo) == UNSTABLE and int(chi) == STRONG or int(clo) == NONE and int(chi) == AFFILIATION:
        assert dissolution_hazard(Dhi, T, p=p) <= dissolution_hazard(Dlo, T, p=p)
        assert formation_probability(Dhi, T, p=p) >= formation_probability(Dlo, T, p=p)


def test_Y9_threat_threshold_matches_formation_of_equals():
    """t* documented as the threat where a frictionless alliance of equals forms with P = 0.5."""
    assert float(formation_probability(0.5, P.t_star, p=P)) == pytest.approx(0.5, abs=1e-9)
    assert P.t_star == pytest.approx(-P.form_intercept / P.form_beta_threat)


def test_Y9_papers_cases_land_in_their_cells():
    cases = {  # (D, T) as stylised in docs/theory-disparity.md
        "Sino-Soviet 1950": (0.85, 0.8, "strong"),
        "Anti-fascist 1942": (0.45, 0.95, "unstable"),
        "USSR-Third World (North Korea bidding)": (0.9, 0.2, "affiliation"),
        "Anglo-Franco-Soviet 1939 talks (unclear threat)": (0.5, 0.3, "none"),
    }
    D = np.array([v[0] for v in cases.values()])
    T = np.array([v[1] for v in cases.values()])
    codes, margin = classify(D, T)
    assert type_labels(codes).tolist() == [v[2] for v in cases.values()]
    assert np.all(margin > 0.1)


def test_Y9_vectorised_shapes_and_boundaries():
    rng = np.random.default_rng(2)
    codes, margin = classify(rng.random((50, 400)), rng.random(400))
    assert codes.shape == margin.shape == (50, 400)
    assert codes.dtype == np.int64
    assert set(np.unique(codes)) == {0, 1, 2, 3}
    c, m = classify([0.0, 1.0, P.d_star], [0.0, 1.0, P.t_star])
    assert c.tolist() == [NONE, STRONG, STRONG] and np.all(np.isfinite(m)) and m[2] == 0
