"""The explorer's world view: a thin adapter over the public world API (``alliancelab world``).

:func:`world_view` calls :func:`alliancelab.engine.world_data.forecast_camps` (the camps and their
probabilities, exactly as ``alliancelab world --year Y --json``) and adds, per state, the inputs the
world was built from (power components, rivals, ideological affinity, alignment at the start / pacts),
read by name from the :class:`~alliancelab.engine.world.World` so that new or renamed inputs of the
world model show up without changes here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["world_view"]

#: Per-(state, patron) inputs shown when a state is clicked, if the world has them.
_PAIR_INPUTS = ("available", "severity", "imminence", "mistrust", "interest", "distance_km", "gesture")


def _r(x: Any) -> Any:
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    x = float(x)
    return round(x, 4) if np.isfinite(x) else None


def _inputs(world: Any) -> dict[str, Any]:
    """``{state: {power: {component: v}, patrons: {patron: {input: v}}, affinity: {patron: mean},
    aligned_at_start: patron or null, rivals: [patrons not available to it]}}``."""
    from ..theory.disparity import POWER_COMPONENTS

    patrons = list(world.patrons)
    P = len(patrons)
    out: dict[str, Any] = {}
    power = np.asarray(getattr(world, "power", np.zeros((len(world.states), 0))))
    active = np.asarray(getattr(world, "active", None)) if getattr(world, "active", None) is not None else None
    aff = np.asarray(getattr(world, "affinity", None)) if getattr(world, "affinity", None) is not None else None
    init = getattr(world, "initial_alignment", None)
    for i, st in enumerate(world.states):
        entry: dict[str, Any] = {
            "power": {c: _r(power[i, k]) for k, c in enumerate(POWER_COMPONENTS) if k < power.shape[1]},
            "patrons": {},
        }
        for j, p in enumerate(patrons):
            row = {}
            for name in _PAIR_INPUTS:
                arr = getattr(world, name, None)
                if arr is not None and np.ndim(arr) == 2 and np.shape(arr)[1] == P:
                    row[name] = _r(np.asarray(arr)[i, j])
            if aff is not None and aff.ndim == 3:
                w = active[i] if active is not None and active.ndim == 2 else np.ones(aff.shape[1], bool)
                row["affinity"] = _r(aff[i, w, j].mean()) if w.any() else None
            entry["patrons"][p] = row
        entry["rivals"] = [p for p in patrons if p != st and entry["patrons"][p].get("available") is False]
        if init is not None:
            a = int(np.asarray(init)[i])
            entry["aligned_at_start"] = patrons[a] if 0 <= a < P else None
        out[st] = entry
    return out


def world_view(year: int, data_dir: str | Path, *, runs: int, seed: int, max_states: int) -> dict[str, Any]:
    """The camps of ``year`` (``forecast_camps``) plus ``inputs`` per state (see :func:`_inputs`) and
    ``reference_years``: the years scored against a reference partition (``alliancelab world camps``)."""
    from ..engine.world_camps import REFERENCE
    from ..engine.world_data import forecast_camps, world_from_data

    camps = forecast_camps(year, data_dir=data_dir, max_states=max_states, runs=runs, seed=seed)
    try:
        world = world_from_data(year, data_dir=data_dir, max_states=max_states, periods=camps.get("periods", 5))
        camps["inputs"] = _inputs(world)
    except TypeError:  # the world API changed its signature: show the camps without the inputs
        camps["inputs"] = {}
    camps["reference_years"] = sorted(REFERENCE)
    return camps
