"""alliancelab: executable models of how states choose allies.

Two theories are implemented as vectorised, property-tested models:

* the elite theory of alliance formation (Eriashov & Makarycheva 2021), a
  two-level game in which patrons back friendly factions inside a client state;
* the power-disparity x external-threat theory (Yu), which classifies and
  simulates alliance behaviour from the power gap and an imminent common threat.

The public API is re-exported here lazily (``import alliancelab`` stays light, so the CLI starts
fast): ``forecast``, ``Forecast``, ``load_scenario``, ``apply_overrides``, ``Scenario``,
``ModelParams``, ``simulate`` (the world model) and the exceptions.
"""

from __future__ import annotations

from importlib import import_module as _import_module

from ._exceptions import AllianceLabError, DataFormatError, InputError, ModelError, ScenarioError

__version__ = "0.1.0"

_LAZY: dict[str, tuple[str, str]] = {
    "Forecast": ("alliancelab.engine", "Forecast"),
    "MECHANISMS": ("alliancelab.engine", "MECHANISMS"),
    "ModelParams": ("alliancelab.theory.params", "ModelParams"),
    "Scenario": ("alliancelab.scenario", "Scenario"),
    "apply_overrides": ("alliancelab.scenario", "apply_overrides"),
    "forecast": ("alliancelab.engine", "forecast"),
    "load_scenario": ("alliancelab.scenario", "load_scenario"),
    "simulate": ("alliancelab.engine.world", "simulate"),
}

__all__ = [
    "AllianceLabError",
    "DataFormatError",
    "Forecast",
    "InputError",
    "MECHANISMS",
    "ModelError",
    "ModelParams",
    "Scenario",
    "ScenarioError",
    "__version__",
    "apply_overrides",
    "forecast",
    "load_scenario",
    "simulate",
]


def __getattr__(name: str) -> object:
    if name in _LAZY:
        module, attr = _LAZY[name]
        value = getattr(_import_module(module), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'alliancelab' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
