"""The one check every bad-scenario-file test makes: one line naming the file, the field and what is
allowed (the brief's bad-input rule)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from alliancelab._exceptions import ScenarioError
from alliancelab.scenario import load_scenario


def assert_one_line_error(base: dict[str, Any], tmp_path: Path, name: str,
                          mutate: Callable[[dict[str, Any]], Any], field: str, needle: str) -> None:
    """Write ``base`` changed by ``mutate`` to ``tmp_path/name.yaml``; loading it must raise one line
    ``<file>: field '<field>': ...`` holding ``needle`` and ``allowed: ``."""
    data = copy.deepcopy(base)
    mutate(data)
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    msg = str(info.value)
    assert "\n" not in msg
    assert msg.startswith(f"{path}: field '{field}': "), msg
    assert needle in msg, msg
    assert "allowed: " in msg, msg
