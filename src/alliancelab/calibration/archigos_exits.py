"""Leader-exit rates from Archigos 4.1 and the log-normal prior they imply for a ceiling of the elite model.

The unrest prior (:mod:`.unrest_prior`, ``elite.unrest_max``) and the coup prior (:mod:`.coup_prior`,
``elite.coup_attempt_max``) read the same data the same way: Archigos codes every irregular removal's
manner (``exitcode``); per leader-year in office between :data:`YEARS` (the case library's span, clipped
to Archigos's last year) the rate ``λ`` of one manner of exit is a Poisson rate (events / years in
office, :func:`exit_rates`), its annual probability ``1 − exp(−λ)``. At a model state of reference the
route's kernel is ``ceiling · factor``, so the ceiling's prior is normal in ``log(ceiling)`` with mean
``log((1 − exp(−λ)) / factor)`` and an s.d. that adds, to the Poisson standard error ``1/√events``, the
spread of ``log λ`` across specifications and a transport term for the reference state
(:func:`log_rate_prior`). ``python scripts/unrest_prior.py`` and ``python scripts/coup_prior.py``
recompute the shipped files (:func:`run_prior_script`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["MILITARY", "OTHER_GOVERNMENT", "PROTEST", "REBELS", "YEARS", "country_years", "exit_rates",
           "log_rate_prior", "run_prior_script", "spells"]

#: Years whose leader-years count (inclusive); the case library spans 1890–2020, Archigos 4.1 ends 2015.
YEARS = (1890, 2015)

#: Archigos ``exitcode`` groups (Archigos 4.1 codebook).
PROTEST = ("Popular Protest, without Foreign Support", "Popular Protest, with Foreign Support")
REBELS = ("Removed by Rebels, without Foreign Support", "Removed by Rebels, with Foreign Support")
MILITARY = ("Removed by Military, without Foreign Support", "Removed by Military, with Foreign Support",
            "Removed in Military Power Struggle Short of Coup")
OTHER_GOVERNMENT = ("Removed by Other Government Actors, without Foreign Support",
                    "Removed by Other Government Actors, with Foreign Support")

#: What every Archigos prior file says of its data.
DATA = "Archigos 4.1 leader spells (alliancelab.data.loaders.leaders.load_archigos)"


def spells(frame: Any, years: tuple[int, int]) -> Any:
    """Leader spells clipped to ``years``: exposure in years and whether the exit falls inside."""
    import pandas as pd

    lo = pd.Timestamp(f"{years[0]}-01-01")
    hi = pd.Timestamp(f"{years[1] + 1}-01-01")
    d = frame.dropna(subset=["startdate"]).copy()
    start = pd.to_datetime(d["startdate"])
    end = pd.to_datetime(d["enddate"]).fillna(hi)
    s, e = start.clip(lower=lo), end.clip(upper=hi)
    d["exposure"] = ((e - s).dt.days / 365.25).clip(lower=0.0)
    d["ends_inside"] = (end >= lo) & (end < hi)
    d["end_year"] = end.dt.year
    return d[d["exposure"] > 0]


def exit_rates(frame: Any, years: tuple[int, int] = YEARS) -> dict[str, Any]:
    """Events and Poisson rates per leader-year of each manner of exit within ``years``."""
    d = spells(frame, years)
    code = d["exitcode"].fillna("Unknown")
    inside = d["ends_inside"]
    irregular = inside & (d["exit"] == "Irregular")
    n = {"protest": int((inside & code.isin(PROTEST)).sum()),
         "rebels": int((inside & code.isin(REBELS)).sum()),
         "military": int((inside & code.isin(MILITARY)).sum()),
         "other_government": int((inside & code.isin(OTHER_GOVERNMENT)).sum()),
         "irregular": int(irregular.sum()),
         "irregular_unknown_manner": int((irregular & (code == "Unknown")).sum())}
    years_in_office = float(d["exposure"].sum())
    return {"leader_years": years_in_office, "events": n,
            "rate": {k: v / years_in_office for k, v in n.items()}}


def country_years(frame: Any, years: tuple[int, int]) -> float:
    """Country-years with a leader in office (a country counted once a year however many leaders)."""
    import pandas as pd

    d = spells(frame, years)
    lo, hi = years
    first = pd.to_datetime(d["startdate"]).dt.year.clip(lower=lo)
    last = d["end_year"].clip(upper=hi)
    pairs = {(int(c), y) for c, a, b in zip(d["ccode"], first, last) for y in range(int(a), int(b) + 1)}
    return float(len(pairs))


def log_rate_prior(parameter: str, route: str, rate: float, events: int, variants: Mapping[str, float], *,
                   factor: float, transport_sd: float) -> dict[str, Any]:
    """The fields every Archigos prior file shares, for the exits of one ``route`` (``"protest"``,
    ``"military"``): the annual probability ``1 − exp(−rate)``, the ``variants`` of the rate, the standard
    error ``1/√events`` and the spread (s.d., ``ddof=1``) of ``log rate`` over ``rate`` and its variants,
    and under ``"priors"`` the normal prior of ``log(parameter)`` with mean ``log(p_year / factor)`` and
    s.d. ``√(se² + spread² + transport_sd²)``."""
    logs = np.log([rate, *[max(v, 1e-9) for v in variants.values()]])
    spread = float(np.std(logs, ddof=1))
    se = 1.0 / math.sqrt(events)
    p_year = 1.0 - math.exp(-rate)
    mean = math.log(p_year / factor)
    sd = math.sqrt(se ** 2 + spread ** 2 + transport_sd ** 2)
    return {"data": DATA, "years": list(YEARS), f"annual_probability_{route}": p_year,
            f"variants_{route}_rate": dict(variants), "se_log_rate": se, "spread_log_rate": spread,
            "reference_transport_sd": transport_sd,
            "priors": {parameter: {"scale": "log", "mean": mean, "sd": sd, "median": math.exp(mean)}}}


def run_prior_script(fit: Callable[[str | Path | None], dict[str, Any]], name: str, doc: str | None) -> Path:
    """The body of ``scripts/<name>.py``: parse ``--data-dir``, fit, write ``calibration/data/<name>.json``
    with its provenance (:func:`.store.write_prior`) and print where."""
    import argparse

    from .store import write_prior

    ap = argparse.ArgumentParser(description=(doc or name).splitlines()[0])
    ap.add_argument("--data-dir", default=None, help="folder with archigos/ (else $ALLIANCELAB_DATA_DIR)")
    a = ap.parse_args()
    target = write_prior(fit(a.data_dir), script=f"scripts/{name}.py", dataset="archigos", name=name)
    print(target)
    return target
