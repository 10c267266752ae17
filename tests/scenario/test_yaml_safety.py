"""The one safe YAML loader: alias bombs, cycles and deep nesting give one-line errors, fast."""

from __future__ import annotations

import time

import pytest

from alliancelab import ScenarioError
from alliancelab.limits import Limits
from alliancelab.scenario import load_scenario
from alliancelab.scenario._yaml import load_yaml

LEVELS = "".join(f", &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(8))
BOMB = "[&a [1,1,1,1,1,1,1,1,1]" + LEVELS + "]"   # 9**9 nodes once expanded, 330 characters


def test_alias_bomb_is_refused_before_expansion():
    t = time.perf_counter()
    with pytest.raises(ScenarioError, match="after expanding aliases .* over the limit yaml_nodes") as err:
        load_yaml(BOMB, source="--set")
    assert time.perf_counter() - t < 2 and "\n" not in str(err.value)


def test_alias_bomb_in_an_override_exits_cleanly():
    with pytest.raises(ScenarioError, match="yaml_nodes"):
        load_scenario("italy-1948", overrides=[f"metadata.tags={BOMB}"])


@pytest.mark.parametrize("text", ["a: &a [*a]", "&a {x: *a}", "a: &a [1, [2, *a]]"])
def test_self_referencing_alias_is_refused(text):
    with pytest.raises(ScenarioError, match="cycle"):
        load_yaml(text, source="f.yaml")


def test_undefined_alias_is_refused():
    with pytest.raises(ScenarioError, match="no anchor"):
        load_yaml("a: *nope", source="f.yaml")


@pytest.mark.parametrize("text", ["x: " + "[" * 3000 + "]" * 3000, "{a: " * 200 + "1" + "}" * 200,
                                  "- " * 500 + "1"])
def test_deep_nesting_is_refused_without_recursion_error(text):
    with pytest.raises(ScenarioError) as err:
        load_yaml(text, source="f.yaml")
    assert "\n" not in str(err.value) and ("yaml_depth" in str(err.value) or "not valid YAML" in str(err.value))


def test_small_aliases_are_allowed_and_counted():
    assert load_yaml("a: &x [1, 2]\nb: *x\nc: {<<: {k: 1}}", source="f") == {"a": [1, 2], "b": [1, 2],
                                                                           "c": {"k": 1}}
    with pytest.raises(ScenarioError, match="yaml_nodes=5"):
        load_yaml("a: &x [1, 2]\nb: [*x, *x]", source="f", limits=Limits(yaml_nodes=5))


def test_file_size_limit(tmp_path):
    f = tmp_path / "big.yaml"
    f.write_text("metadata: {id: x, title: " + "x" * 2_000_000 + "}\n")
    with pytest.raises(ScenarioError, match=r"big\.yaml: the size of the file .* file_bytes=1,000,000; "
                                            r"raise it deliberately with 'alliancelab --limit file_bytes"):
        load_scenario(f)


def test_non_utf8_file_is_one_line(tmp_path):
    f = tmp_path / "latin.yaml"
    f.write_bytes(b"metadata: {id: x, title: \xe9}\n")
    with pytest.raises(ScenarioError, match="not UTF-8"):
        load_scenario(f)
