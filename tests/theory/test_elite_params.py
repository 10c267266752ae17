"""EliteParams metadata and validation; doctests of the paper-E kernels; the public API."""

from __future__ import annotations

import doctest
import importlib
import math
from dataclasses import FrozenInstanceError, fields

import pytest

from alliancelab._exceptions import InputError
from alliancelab.theory import elite
from alliancelab.theory.elite import EliteParams

MODULES = ["params", "support", "contest", "alignment", "dynamics", "scope"]


@pytest.mark.parametrize("f", fields(EliteParams), ids=lambda f: f.name)
def test_every_field_has_unit_range_source_and_a_default_in_range(f) -> None:  # type: ignore[no-untyped-def]
    meta = f.metadata
    assert isinstance(meta.get("unit"), str) and meta["unit"]
    lo, hi = meta["range"]
    assert lo < hi
    assert isinstance(meta.get("source"), str) and len(meta["source"]) > 15
    assert lo <= f.default <= hi


@pytest.mark.parametrize("f", fields(EliteParams), ids=lambda f: f.name)
@pytest.mark.parametrize("where", ["below", "above", "nan", "text"])
def test_bad_params_raise_input_error_naming_the_field(f, where: str) -> None:  # type: ignore[no-untyped-def]
    lo, hi = f.metadata["range"]
    value = {"below": lo - 1.0 - abs(lo), "above": hi + 1.0 + abs(hi), "nan": math.nan,
             "text": "big"}[where]
    with pytest.raises(InputError, match=f"'{f.name}'"):
        EliteParams(**{f.name: value})


def test_narrow_support_decays_at_least_as_fast_as_broad() -> None:
    with pytest.raises(InputError, match="stock_decay_narrow"):
        EliteParams(stock_decay_broad=0.5, stock_decay_narrow=0.2)


def test_params_are_frozen() -> None:
    with pytest.raises(FrozenInstanceError):
        EliteParams().r_coup = 3.0  # type: ignore[misc]


def test_param_table_lists_every_field() -> None:
    assert [r["name"] for r in elite.param_table()] == [f.name for f in fields(EliteParams)]


@pytest.mark.parametrize("name", MODULES)
def test_doctests_pass(name: str) -> None:
    module = importlib.import_module(f"alliancelab.theory.elite.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


def test_all_is_complete_and_sorted() -> None:
    public = sorted(n for n, v in vars(elite).items()
                    if not n.startswith("_") and (n.isupper() or callable(v) and getattr(
                        v, "__module__", "").startswith("alliancelab.theory.elite")))
    assert elite.__all__ == sorted(elite.__all__)
    assert sorted(elite.__all__) == public


CONTRACT = ["support_effect", "elite_loyalty_effect", "update_support_stock", "update_discontent",
            "mass_support_shares", "tullock", "election_win_probability", "coup_success_probability",
            "coup_attempt_probability", "precarity", "alignment_utilities", "choice_probabilities",
            "alliance_relief", "update_ambition", "split_hazard", "instigated_coup_success", "purge",
            "aid_without_alliance", "scope_violations"]


@pytest.mark.parametrize("name", CONTRACT)
def test_contract_functions_exist(name: str) -> None:
    assert callable(getattr(elite, name))


def test_every_theory_map_row_has_a_property_test() -> None:
    """Each of E1-E17 has at least one test named ``test_E<n>_...`` in tests/theory (docs table)."""
    import pathlib
    import re

    here = pathlib.Path(__file__).parent
    names = set()
    for path in here.glob("test_elite_*.py"):
        names |= set(re.findall(r"^def (test_E\d+[ab]?_\w+)", path.read_text(), re.M))
    for n in range(1, 18):
        assert any(re.match(rf"test_E{n}[ab]?_", name) for name in names), f"E{n} has no test"
    doc = (here.parents[1] / "docs" / "theory-elite.md").read_text()
    missing = [name for name in names if name not in doc and not name.startswith("test_E16_")]
    assert not missing, f"tests not listed in docs/theory-elite.md: {missing}"
