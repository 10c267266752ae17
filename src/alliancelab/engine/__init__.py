"""The period-by-period Monte Carlo engine of the combined model (paper E + paper Y).

``forecast(scenario, runs=..., seed=..., params=..., disable=...) -> Forecast``. State arrays are
``(runs, clients, ...)``; the only Python loop is over periods. See ``docs/theory.md`` for the order
of one period and ``docs/kernel-contract.md`` for the kernels it calls.
"""

from __future__ import annotations

from ._compile import Compiled, compile_scenario
from ._simulate import EVENT_KINDS, MECHANISMS, SimResult, simulate
from .forecast import DEFAULT_DRIVER_RUNS, Forecast, forecast, forecast_many, scenario_warnings, wilson_interval

__all__ = [
    "Compiled", "DEFAULT_DRIVER_RUNS", "EVENT_KINDS", "Forecast", "MECHANISMS", "SimResult",
    "compile_scenario", "forecast", "forecast_many", "scenario_warnings", "simulate", "wilson_interval",
]
