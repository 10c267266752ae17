"""The sweep configuration file (YAML): which world, which design, which parameters, which outcomes.

A sweep runs the world model (:mod:`alliancelab.engine.world`) at many *design points*. Each point
sets some model parameters (dotted names of :class:`~alliancelab.theory.params.ModelParams`, e.g.
``elite.logit_scale``) and some scenario facts (``facts.threat_scale``, see
:data:`alliancelab.engine.world.FACTS`), runs ``runs_per_point`` Monte Carlo runs and records the
outcome probabilities. Example (``examples/sweep-sobol.yaml``)::

    name: sobol-demo
    seed: 20261122
    runs_per_point: 200
    chunk_points: 16
    world:
      synthetic: {n_states: 50, n_patrons: 2, periods: 20}
    design: {method: sobol, n: 64}
    parameters:
      facts.threat_scale: {low: 0.0, high: 2.0}
      facts.budget_scale: {low: 0.2, high: 3.0}
    outcomes: [p_aligned, p_leader_change]

Validation happens once, here: unknown keys are rejected (``extra="forbid"``) and every error is one
line naming the file and the field (:class:`~alliancelab.InputError`).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .._exceptions import InputError
from .._validation import MAX_RUNS

__all__ = [
    "DataWorld",
    "Design",
    "ParameterSpec",
    "SweepConfig",
    "SyntheticWorld",
    "WorldSpec",
    "load_sweep_config",
    "sweep_config_from_dict",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SyntheticWorld(_Strict):
    """A randomly drawn world (reproducible from ``seed``): no data needed."""

    n_states: int = Field(50, ge=2, le=400, description="client states")
    n_patrons: int = Field(2, ge=1, le=12, description="patrons (major powers)")
    n_factions: int = Field(3, ge=2, le=6, description="factions per state")
    periods: int = Field(20, ge=1, le=400, description="periods (years) simulated")
    seed: int = Field(0, ge=0, description="seed of the world's facts (not of the Monte Carlo)")


class DataWorld(_Strict):
    """A world built from the real datasets for one year (:mod:`alliancelab.engine.world_data`)."""

    year: int = Field(ge=1816, le=2025)
    states: list[int] | None = Field(None, description="COW codes; default: the politically relevant set")
    max_states: int = Field(50, ge=2, le=400)
    periods: int = Field(10, ge=1, le=400)
    data_dir: str | None = Field(None, description="default: --data-dir or $ALLIANCELAB_DATA_DIR")


class WorldSpec(_Strict):
    """Exactly one of ``synthetic`` or ``data``."""

    synthetic: SyntheticWorld | None = None
    data: DataWorld | None = None
    strategy: str = Field("interest", description="patron budget strategy (engine.strategies)")

    @model_validator(mode="after")
    def _one_kind(self) -> WorldSpec:
        if (self.synthetic is None) == (self.data is None):
            raise ValueError("give exactly one of 'synthetic' or 'data'")
        return self


class Design(_Strict):
    """How design points are chosen.

    * ``grid``: the Cartesian product of every parameter's ``values`` (or ``levels`` evenly spaced
      points of its ``[low, high]``); no sensitivity indices beyond main-effect ranges.
    * ``sobol``: Saltelli/Sobol' sampling (SALib) with ``n`` base samples (a power of 2), giving
      ``n * (D + 2)`` points (``n * (2D + 2)`` with ``second_order``); Sobol' indices S1, ST.
    * ``morris``: ``n`` Morris trajectories on ``levels`` levels, ``n * (D + 1)`` points; mu*, sigma.
    """

    method: Literal["grid", "sobol", "morris"]
    n: int = Field(16, ge=1, le=1_048_576)
    levels: int = Field(4, ge=2, le=64)
    second_order: bool = False

    @model_validator(mode="after")
    def _power_of_two(self) -> Design:
        if self.method == "sobol" and self.n & (self.n - 1):
            raise ValueError(f"sobol needs n a power of 2 (e.g. 64, 128, 1024); got {self.n}")
        return self


class ParameterSpec(_Strict):
    """One swept parameter: a range ``[low, high]`` or explicit ``values`` (grid only)."""

    low: float | None = None
    high: float | None = None
    values: list[float] | None = Field(None, min_length=1)

    @model_validator(mode="after")
    def _range_or_values(self) -> ParameterSpec:
        has_range = self.low is not None or self.high is not None
        if has_range and self.values is not None:
            raise ValueError("give either low/high or values, not both")
        if not has_range and self.values is None:
            raise ValueError("give low and high, or values")
        if has_range:
            if self.low is None or self.high is None:
                raise ValueError("give both low and high")
            if not self.low < self.high:
                raise ValueError(f"low must be < high; got low={self.low}, high={self.high}")
        return self


class SweepConfig(_Strict):
    """A whole sweep. Its :meth:`fingerprint` identifies the results in an output folder."""

    name: str = Field("sweep", min_length=1, max_length=80, pattern=r"^[A-Za-z0-9_.-]+$")
    seed: int = Field(ge=0, description="root seed; design point i gets SeedSequence(seed).spawn()[i]")
    runs_per_point: int = Field(100, ge=1, le=MAX_RUNS)
    chunk_points: int = Field(16, ge=1, le=100_000, description="design points per Parquet chunk")
    world: WorldSpec
    design: Design
    parameters: dict[str, ParameterSpec] = Field(min_length=1)
    outcomes: list[str] | None = Field(None, description="outcomes analysed; default: all")

    @model_validator(mode="after")
    def _design_fits_parameters(self) -> SweepConfig:
        for name, spec in self.parameters.items():
            if self.design.method != "grid" and spec.values is not None:
                raise ValueError(
                    f"parameter {name!r}: {self.design.method} designs need low/high, not values")
        if self.design.method == "sobol" and len(self.parameters) < 2:
            raise ValueError("sobol designs need at least 2 parameters")
        return self

    def fingerprint(self) -> str:
        """SHA-256 (hex, 16 chars) of everything that determines the results (not ``outcomes``,
        which only selects what is analysed)."""
        canon = json.dumps(self.model_dump(mode="json", exclude={"outcomes"}), sort_keys=True,
                           separators=(",", ":"))
        return hashlib.sha256(canon.encode()).hexdigest()[:16]


def _loc(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(top level)"


def sweep_config_from_dict(data: object, *, source: str | None = None) -> SweepConfig:
    """Validate a mapping into a :class:`SweepConfig` (one-line :class:`InputError` otherwise).

    Examples
    --------
    >>> cfg = sweep_config_from_dict({"seed": 1, "world": {"synthetic": {"n_states": 5}},
    ...     "design": {"method": "grid"}, "parameters": {"facts.threat_scale": {"values": [0, 1]}}})
    >>> cfg.world.synthetic.n_states
    5
    """
    if not isinstance(data, dict):
        raise InputError(f"a sweep config must be a mapping; got {type(data).__name__}", source=source)
    try:
        cfg = SweepConfig.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        loc = tuple(p for p in first["loc"] if not (isinstance(p, str) and p[:1].isupper()))
        msg = str(first["msg"]).removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            msg = "unknown field (check the spelling; see docs/performance.md for the sweep format)"
        raise InputError(msg, source=source, field=_loc(loc)) from None
    from .world import check_parameter_names  # the model defines which names exist

    for name in cfg.parameters:
        check_parameter_names([name], source=source)
    if cfg.outcomes is not None:
        from .world import check_outcome_names

        check_outcome_names(cfg.outcomes, source=source)
    return cfg


def load_sweep_config(path: str | os.PathLike[str]) -> SweepConfig:
    """Read and validate a sweep YAML file."""
    from ..scenario._yaml import load_yaml

    path = Path(path)
    if not path.is_file():
        raise InputError("sweep config file does not exist", source=str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError("not a UTF-8 text file", source=str(path)) from None
    except OSError as err:
        raise InputError(f"cannot read the file: {err.strerror or err}", source=str(path)) from None
    data = load_yaml(text, source=str(path))  # the one safe loader: aliases, depth and size bounded
    return sweep_config_from_dict(data, source=str(path))
