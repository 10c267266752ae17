"""Validation helpers used at the public boundary (params, loaders, CLI options)."""

from __future__ import annotations

import math
from numbers import Integral, Real

from ._exceptions import InputError

__all__ = ["check_interval", "check_positive_int", "check_nonnegative", "MAX_RUNS"]

#: The largest Monte Carlo ensemble a single call accepts (memory guard for the CLI).
MAX_RUNS = 10_000_000


def check_interval(value: object, name: str, low: float, high: float, *, source: str | None = None) -> float:
    """Return ``value`` as a float if it lies in ``[low, high]``, else raise :class:`InputError`.

    Examples
    --------
    >>> check_interval(0.5, "share", 0.0, 1.0)
    0.5
    """
    if isinstance(value, bool) or not isinstance(value, Real) or math.isnan(float(value)) \
            or not low <= float(value) <= high:
        raise InputError(f"must be a number in [{low}, {high}]; got {value!r}", source=source, field=name)
    return float(value)


def check_nonnegative(value: object, name: str, *, source: str | None = None) -> float:
    """Return ``value`` as a float if it is finite and >= 0, else raise :class:`InputError`.

    Examples
    --------
    >>> check_nonnegative(3, "budget")
    3.0
    """
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(float(value)) \
            or float(value) < 0:
        raise InputError(f"must be a finite number >= 0; got {value!r}", source=source, field=name)
    return float(value)


def check_positive_int(value: object, name: str, *, maximum: int | None = None,
                       source: str | None = None) -> int:
    """Return ``value`` if it is an integer in ``[1, maximum]``, else raise :class:`InputError`.

    Examples
    --------
    >>> check_positive_int(100, "runs", maximum=1000)
    100
    """
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 1 \
            or (maximum is not None and value > maximum):
        upper = f", at most {maximum:,}" if maximum is not None else ""
        raise InputError(f"must be a whole number >= 1{upper}; got {value!r}", source=source, field=name)
    return int(value)
