"""Table 1 of paper Y on data: alliance onset and termination rates per disparity x threat quadrant.

Onset rate = share of dyad-years without an alliance in t-1 that have one in t; termination rate =
share of dyad-years with an alliance in t-1 that have none in t. Quadrants use t-1 measures
(:mod:`alliancelab.stats.operationalize`). 95% intervals are Wilson score intervals.

Samples: all dyads, politically relevant dyads, dyads with a major power, and each great power's dyads
in the years it held major-power status (the Soviet Union/Russia, ccode 365, next to the others).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .operationalize import GREAT_POWERS, QUADRANT_ORDER

__all__ = ["QuadrantTable", "quadrant_table", "wilson_interval"]

Z95 = 1.959963984540054


def wilson_interval(k: np.ndarray | float, n: np.ndarray | float, z: float = Z95) -> tuple[Any, Any]:
    """Wilson score interval for k successes in n trials (vectorised; NaN where n == 0).

    Examples
    --------
    >>> lo, hi = wilson_interval(5, 100)
    >>> round(float(lo), 4), round(float(hi), 4)
    (0.0215, 0.1118)
    """
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    return centre - half, centre + half


@dataclass(frozen=True)
class QuadrantTable:
    """Onset and termination rates per sample x quadrant (a tidy frame) with the thresholds used."""

    table: pd.DataFrame
    disparity_threshold: float
    threat_measure: str

    def summary(self) -> pd.DataFrame:
        """Compact view: rates with CIs in percent."""
        t = self.table
        return pd.DataFrame({
            "sample": t["sample"], "quadrant": t["quadrant"],
            "onset %": (100 * t["onset_rate"]).round(2),
            "onset 95% CI": [f"[{100*a:.2f}, {100*b:.2f}]" for a, b in zip(t["onset_lo"], t["onset_hi"])],
            "n at risk": t["onset_n"],
            "end %": (100 * t["end_rate"]).round(2),
            "end 95% CI": [f"[{100*a:.2f}, {100*b:.2f}]" for a, b in zip(t["end_lo"], t["end_hi"])],
            "n allied": t["end_n"],
        })

    def to_dict(self) -> dict[str, Any]:
        """JSON-able: {sample: {quadrant: {onset_rate, onset_ci, ...}}}."""
        out: dict[str, Any] = {"disparity_threshold": self.disparity_threshold,
                               "threat_measure": self.threat_measure, "samples": {}}
        for r in self.table.itertuples(index=False):
            out["samples"].setdefault(r.sample, {})[r.quadrant] = {
                "onset_rate": _num(r.onset_rate), "onset_ci": [_num(r.onset_lo), _num(r.onset_hi)],
                "onset_events": int(r.onset_events), "onset_n": int(r.onset_n),
                "end_rate": _num(r.end_rate), "end_ci": [_num(r.end_lo), _num(r.end_hi)],
                "end_events": int(r.end_events), "end_n": int(r.end_n),
            }
        return out


def _num(v: float) -> float | None:
    v = float(v)
    return v if np.isfinite(v) else None


def _samples(df: pd.DataFrame) -> list[tuple[str, np.ndarray]]:
    out = [("all dyads", np.ones(len(df), dtype=bool)),
           ("politically relevant", df["politically_relevant_f"].to_numpy() == 1),
           ("with a major power", df["any_major_f"].to_numpy() == 1)]
    c1 = df["ccode1"].to_numpy()
    c2 = df["ccode2"].to_numpy()
    has_major = "major1" in df.columns and "major2" in df.columns
    m1 = df["major1"].to_numpy() == 1 if has_major else np.ones(len(df), dtype=bool)
    m2 = df["major2"].to_numpy() == 1 if has_major else np.ones(len(df), dtype=bool)
    order = [365] + [g for g in GREAT_POWERS if g != 365]
    for g in order:
        mask = ((c1 == g) & m1) | ((c2 == g) & m2)
        if mask.any():
            out.append((f"{GREAT_POWERS[g]} ({g})", mask))
    return out


def quadrant_table(prepared: pd.DataFrame, *, threat: str = "threat") -> QuadrantTable:
    """Onset/termination rates with Wilson 95% CIs per sample and Table 1 quadrant."""
    from .operationalize import DISPARITY_THRESHOLD, quadrant_of

    df = prepared
    hd = df["high_disparity"].to_numpy()
    ht = df[threat].to_numpy()
    quad = quadrant_of(ht == 1, hd == 1)
    valid = np.isfinite(hd) & np.isfinite(ht)
    onset = df["onset"].to_numpy()
    end = df["end"].to_numpy()
    rows = []
    for name, mask in _samples(df):
        m = mask & valid
        for q in QUADRANT_ORDER:
            mq = m & (quad == q)
            o = onset[mq & np.isfinite(onset)]
            e = end[mq & np.isfinite(end)]
            rows.append({"sample": name, "quadrant": q, "onset_events": int(o.sum()), "onset_n": len(o),
                         "end_events": int(e.sum()), "end_n": len(e)})
    t = pd.DataFrame(rows)
    with np.errstate(invalid="ignore", divide="ignore"):
        t["onset_rate"] = t["onset_events"] / t["onset_n"]
        t["end_rate"] = t["end_events"] / t["end_n"]
    t["onset_lo"], t["onset_hi"] = wilson_interval(t["onset_events"], t["onset_n"])
    t["end_lo"], t["end_hi"] = wilson_interval(t["end_events"], t["end_n"])
    return QuadrantTable(table=t, disparity_threshold=DISPARITY_THRESHOLD, threat_measure=threat)
