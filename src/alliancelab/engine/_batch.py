"""Batched simulation: ``K`` parameter sets x ``runs`` runs in one engine call (the calibration's speed).

Block ``k`` of the runs (runs ``k * runs`` to ``(k + 1) * runs - 1``) uses parameter set ``k`` and is
bit-for-bit the solo simulation of that set with the same seed:

* every period draws the random numbers of ``runs`` runs, exactly as the solo path does (same
  generators, order and shapes), and tiles them ``K`` times along the runs axis (:meth:`Batch.tile`);
* the parameters that differ between the sets (only those of :data:`VARYING`) enter the kernels as
  arrays over the runs axis, shape ``(K * runs, 1, ...)`` (:meth:`Batch.per_run`), or over a leading
  axis of sets for the tabulated support kernels (:meth:`Batch.per_set`); the same float operations on
  the same operands give the same numbers. Fields equal in all sets stay scalars.
* the commitment horizon, which the solo path turns into per-period counts in Python, is counted per
  set; H2's horizon precarity is then computed per set with the solo path's operands
  (:meth:`Batch.horizon_precarity`, a loop over the sets, not the runs).

The solo path (no batch) is untouched: ``SimContext.batch`` is ``None`` and every helper returns the
scalar parameters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from .._exceptions import InputError
from ..theory.params import ModelParams

__all__ = ["VARYING", "Batch", "PerRun", "fixed_key", "make_batch"]

#: The fields that may differ between the parameter sets of one batch: the posterior's free parameters
#: (``calibration.space``) and ``elite.autonomy_cost``, which the calibration ties to
#: ``security_weight`` and ``threat_weight`` (``autonomy_margin`` keeps it at the E9 bound plus a margin).
VARYING: frozenset[str] = frozenset({
    "elite.mass_effect_weight", "elite.security_weight", "elite.threat_weight", "elite.autonomy_cost",
    "elite.commitment_horizon", "elite.unrest_max", "elite.coup_attempt_max", "disparity.haz_beta_disparity",
    "disparity.haz_beta_threat", "disparity.haz_intercept"})


class PerRun:
    """A parameter group (``EliteParams``, ``DisparityParams``) whose varying fields read as arrays."""

    __slots__ = ("_base", "_arrays")

    def __init__(self, base: Any, arrays: dict[str, np.ndarray]) -> None:
        self._base = base
        self._arrays = arrays

    def __getattr__(self, name: str) -> Any:
        arr = self._arrays.get(name)
        return arr if arr is not None else getattr(self._base, name)


@dataclass(frozen=True)
class Batch:
    """``sets`` parameter sets of ``runs`` runs each; ``values["group.field"]`` (sets,) per varying field."""

    sets: int
    runs: int
    values: dict[str, np.ndarray]
    _views: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def block(self) -> np.ndarray:
        """(sets * runs,) the parameter set of each run."""
        if "block" not in self._views:
            self._views["block"] = np.repeat(np.arange(self.sets), self.runs)
        return self._views["block"]

    def tile(self, x: np.ndarray) -> np.ndarray:
        """The draws of ``runs`` runs (runs first) repeated for every set."""
        return np.tile(x, (self.sets,) + (1,) * (x.ndim - 1))

    def varies(self, name: str) -> bool:
        return name in self.values

    def _group(self, params: ModelParams, group: str, shape_of: Any, key: tuple) -> Any:
        if key not in self._views:
            arrays = {n.split(".", 1)[1]: shape_of(v) for n, v in self.values.items()
                      if n.startswith(group + ".")}
            self._views[key] = PerRun(getattr(params, group), arrays) if arrays else getattr(params, group)
        return self._views[key]

    def per_run(self, params: ModelParams, group: str, ndim: int) -> Any:
        """``params.<group>`` with each varying field an array ``(sets * runs, 1, ..., 1)`` of ``ndim`` axes."""
        return self._group(params, group, lambda v: np.repeat(v, self.runs).reshape((-1,) + (1,) * (ndim - 1)),
                           ("run", group, ndim))

    def per_set(self, params: ModelParams, group: str, ndim: int) -> Any:
        """``params.<group>`` with each varying field an array ``(sets, 1, ..., 1)`` on a new leading axis
        in front of a kernel result of ``ndim`` axes (tables computed once per set, e.g. support)."""
        return self._group(params, group, lambda v: v.reshape((-1,) + (1,) * ndim), ("set", group, ndim))

    def horizon(self, comp: Any, params: ModelParams) -> tuple[np.ndarray, np.ndarray] | None:
        """Per period: the commitment horizon in periods ``(T, sets * runs, 1)`` and the elections within it
        ``(T, sets * runs, C)`` when the horizon differs between the sets; ``None`` otherwise."""
        from ._state import horizon_counts

        if not self.varies("elite.commitment_horizon"):
            return None
        per = [horizon_counts(comp.period_years, comp.election_due, float(h))
               for h in self.values["elite.commitment_horizon"]]
        hp = np.stack([k for k, _ in per], axis=1)                         # (T, sets)
        he = np.stack([n for _, n in per], axis=1)                         # (T, sets, C)
        return (np.repeat(hp, self.runs, axis=1)[..., None], np.repeat(he, self.runs, axis=1))

    def horizon_precarity(self, kernel: Any, q: np.ndarray, lose: Any, hp: np.ndarray,
                          he: np.ndarray) -> np.ndarray:
        """``kernel(q, lose, elections, periods)`` at one period with the horizon of each set (``hp``
        (R, 1), ``he`` (R, C) per run), one call per set with the solo path's operands: a scalar horizon
        and elections ``(1, C)``. (NumPy's ``x ** e`` squares, roots or inverts where ``e`` is 2, 0.5 or
        -1 and constant along its inner loop, so an exponent varying over the runs would round
        differently from the solo path's scalar in those cases.)"""
        out = np.empty(np.shape(q))
        for k in range(self.sets):
            sl = slice(k * self.runs, (k + 1) * self.runs)
            n = he[k * self.runs][None]
            lk = lose[sl] if np.ndim(lose) and n.any() else 0.0    # the solo path: 0 without elections
            out[sl] = kernel(q[sl], lk, n, hp[k * self.runs, 0])
        return out


def _flat(params: ModelParams) -> dict[str, Any]:
    return {f"{g}.{f.name}": getattr(getattr(params, g), f.name)
            for g in ("elite", "disparity", "engine") for f in fields(getattr(params, g))}


def fixed_key(params: ModelParams) -> tuple:
    """The values of every field outside :data:`VARYING` (what a batch's sets share), hashable."""
    return tuple((k, v) for k, v in _flat(params).items() if k not in VARYING)


def make_batch(params_list: Sequence[ModelParams], runs: int) -> Batch:
    """The :class:`Batch` of ``params_list`` (at least one set); an error names a field outside
    :data:`VARYING` that differs between the sets."""
    if not params_list:
        raise InputError("must hold at least one parameter set", field="params")
    for p in params_list:
        if not isinstance(p, ModelParams):
            raise InputError(f"must be ModelParams; got {type(p).__name__}", field="params")
    flat = [_flat(p) for p in params_list]
    values = {}
    for name, v0 in flat[0].items():
        col = [f[name] for f in flat]
        if all(v == v0 for v in col):
            continue
        if name not in VARYING:
            raise InputError(f"differs between the parameter sets of one batch; only "
                             f"{', '.join(sorted(VARYING))} may", field=name)
        values[name] = np.array(col, dtype=float)
    return Batch(sets=len(params_list), runs=int(runs), values=values)
