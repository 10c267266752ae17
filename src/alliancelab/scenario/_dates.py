"""Dates in scenario files: years (``1948``), months (``"1948-04"``) or days (``1948-04-18``).

A date is normalised to a sortable key ``(year, month, day)``; a missing month or day is 0, so
``1948`` sorts before ``"1948-01"``. A period is labelled by its start date; a dated fact falls in the
last period whose start is at or before it.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

__all__ = ["DateKey", "date_key", "format_date"]

DateKey = tuple[int, int, int]

_DATE_RE = re.compile(r"^\s*(\d{3,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?\s*$")


def date_key(value: Any) -> DateKey:
    """Return the sortable key of a scenario date, or raise ``ValueError`` naming what is allowed.

    Examples
    --------
    >>> date_key(1948), date_key("1948-04"), date_key("1948-04-18")
    ((1948, 0, 0), (1948, 4, 0), (1948, 4, 18))
    """
    if isinstance(value, bool):
        raise ValueError(f"not a date: {value!r}")
    if isinstance(value, _dt.date):
        return (value.year, value.month, value.day)
    if isinstance(value, int):
        if not 1000 <= value <= 2999:
            raise ValueError(f"year out of range: {value!r}")
        return (value, 0, 0)
    if isinstance(value, str):
        m = _DATE_RE.match(value)
        if m:
            year = int(m.group(1))
            month = int(m.group(2) or 0)
            day = int(m.group(3) or 0)
            if 1000 <= year <= 2999 and (m.group(2) is None or 1 <= month <= 12) \
                    and (m.group(3) is None or 1 <= day <= 31):
                return (year, month, day)
    raise ValueError(f"not a date: {value!r}")


def format_date(value: Any) -> str:
    """Return the canonical label of a date: ``"1948"``, ``"1948-04"`` or ``"1948-04-18"``.

    Examples
    --------
    >>> format_date(1948), format_date("1948-4")
    ('1948', '1948-04')
    """
    y, m, d = date_key(value)
    if m == 0:
        return f"{y:04d}"
    if d == 0:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"
