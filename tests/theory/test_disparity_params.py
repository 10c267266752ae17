"""DisparityParams: metadata, validation, public API, doctests (paper Y)."""

from __future__ import annotations

import dataclasses
import doctest
import importlib
import math
import types

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import alliancelab.theory.disparity as Y
from alliancelab._exceptions import InputError
from alliancelab.theory.disparity import DisparityParams

MODULES = ["params", "power", "threat", "formation", "table1", "hazard", "discipline", "_math"]
FIELDS = dataclasses.fields(DisparityParams)
SUM_TO_ONE = {"w_military", "w_economic", "w_ideological", "w_cultural", "w_institutional",
              "walt_w_aggregate", "walt_w_proximity", "walt_w_offensive", "walt_w_intentions"}


@st.composite
def params_st(draw: st.DrawFn) -> DisparityParams:
    """Any valid DisparityParams (weights respecting 'the first three are the most important')."""
    big = [draw(st.floats(1.0, 3.0)) for _ in range(3)]
    small = [draw(st.floats(0.0, 1.0)) for _ in range(2)]
    tot = sum(big) + sum(small)
    w = [x / tot for x in big + small]
    walt = [draw(st.floats(0.01, 1.0)) for _ in range(4)]
    wt = sum(walt)
    walt = [x / wt for x in walt]
    kw: dict[str, float] = dict(zip(("w_military", "w_economic", "w_ideological", "w_cultural",
                                     "w_institutional"), w))
    kw.update(zip(("walt_w_aggregate", "walt_w_proximity", "walt_w_offensive", "walt_w_intentions"), walt))
    for f in FIELDS:
        if f.name in kw or f.name in ("reach_min_km", "reach_max_km"):
            continue
        lo, hi = f.metadata["range"]
        kw[f.name] = draw(st.floats(lo, min(hi, 30.0) if hi > 30 and lo >= 0 else hi))
    r1, r2 = sorted(draw(st.floats(1.0, 40_000.0)) for _ in range(2))
    kw["reach_min_km"], kw["reach_max_km"] = r1, r2
    try:
        return DisparityParams(**kw)
    except InputError:  # rounding of the normalised weights
        return DisparityParams()


def test_every_field_has_unit_range_source_and_default():
    for f in FIELDS:
        md = f.metadata
        assert set(md) >= {"unit", "range", "source"}, f.name
        assert isinstance(md["unit"], str) and md["unit"], f.name
        assert isinstance(md["source"], str) and len(md["source"]) > 20, f.name
        lo, hi = md["range"]
        assert lo < hi, f.name
        assert f.default is not dataclasses.MISSING, f.name
        assert lo <= f.default <= hi, f.name


def test_defaults_construct_and_are_frozen():
    p = DisparityParams()
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.d_star = 0.7  # type: ignore[misc]


@pytest.mark.parametrize("f", [f for f in FIELDS if f.name not in SUM_TO_ONE], ids=lambda f: f.name)
@pytest.mark.parametrize("kind", ["below", "above", "nan", "bool", "str"])
def test_bad_value_raises_input_error_naming_field(f, kind):
    lo, hi = f.metadata["range"]
    bad = {"below": lo - 1.0 - abs(lo), "above": hi + 1.0 + abs(hi), "nan": math.nan, "bool": True,
           "str": "0.5"}[kind]
    with pytest.raises(InputError, match=f"'{f.name}'"):
        DisparityParams(**{f.name: bad})


@pytest.mark.parametrize("name", sorted(SUM_TO_ONE))
def test_weight_out_of_range_raises_naming_field(name):
    with pytest.raises(InputError, match=f"'{name}'"):
        DisparityParams(**{name: 1.5})


def test_power_weights_must_sum_to_one():
    with pytest.raises(InputError, match="sum to 1"):
        DisparityParams(w_military=0.3)


def test_first_three_components_are_the_most_important():
    p = DisparityParams()
    assert min(p.power_weights[:3]) >= max(p.power_weights[3:])
    with pytest.raises(InputError, match="w_ideological"):
        DisparityParams(w_ideological=0.05, w_cultural=0.31)


def test_walt_weights_must_sum_to_one():
    with pytest.raises(InputError, match="walt_w_aggregate"):
        DisparityParams(walt_w_intentions=0.5)


def test_reach_order_is_validated():
    with pytest.raises(InputError, match="reach_max_km"):
        DisparityParams(reach_min_km=3000.0, reach_max_km=1000.0)


@settings(max_examples=60, deadline=None)
@given(params_st())
def test_params_strategy_produces_valid_params(p):
    assert math.isclose(sum(p.power_weights), 1.0, abs_tol=1e-9)


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    mod = importlib.import_module(f"alliancelab.theory.disparity.{name}")
    res = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert res.attempted > 0, f"{name} has no doctest examples"
    assert res.failed == 0


def test_all_is_complete_and_sorted():
    public = sorted(n for n, v in vars(Y).items()
                    if not n.startswith("_") and not isinstance(v, types.ModuleType)
                    and n != "annotations")
    assert Y.__all__ == public


@pytest.mark.parametrize("name", MODULES)
def test_module_all_is_reexported(name):
    mod = importlib.import_module(f"alliancelab.theory.disparity.{name}")
    if name.startswith("_"):
        return
    assert set(mod.__all__) <= set(Y.__all__)


def test_contract_names_exist():
    for name in ["POWER_COMPONENTS", "composite_power", "disparity", "effective_threat", "walt_threat",
                 "formation_probability", "ALLIANCE_TYPES", "classify", "dissolution_hazard",
                 "expel_probability", "counterweight_propensity", "maintenance_cost",
                 "defection_probability", "control_effectiveness"]:
        assert hasattr(Y, name), name
    assert Y.POWER_COMPONENTS == ("military", "economic", "ideological", "cultural", "institutional")
    assert Y.ALLIANCE_TYPES == ("strong", "unstable", "affiliation", "none")
