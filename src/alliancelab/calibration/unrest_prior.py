"""An empirical prior for the unrest ceiling ``elite.unrest_max``, from Archigos 4.1 leader exits.

The model's per-year risk that a ruler is ousted by unrest (E15a, :func:`alliancelab.theory.elite.
contest.precarity`) is::

    unrest = unrest_max · clip(1 − s_inc + w_d·d, 0, 1) · half / (half + c_inc)

Archigos codes every irregular removal's manner (``exitcode``). The model's unrest route is removal by
the masses: "Popular Protest" (with or without foreign support). Its coup route is removal by the
military or other government actors. Per leader-year in office between :data:`YEARS` (the case
library's span, clipped to Archigos's last year) the popular-protest exit rate ``λ`` is a Poisson rate
(events / years in office), its annual probability ``1 − exp(−λ)``.

**The reference state** (as the hazard prior reads ATOP at "parity without threat"): a ruler with half
the mass support (``s_inc = 0.5``), no discontent (``d = 0``) and a repressive apparatus of
``c_inc = repression_half`` (the model's own scale of coercion: the coercion that halves unrest). There
the kernel is ``unrest_max · 0.5 · 0.5``, whatever ``repression_half`` is, so

    unrest_max = (1 − exp(−λ)) / :data:`REFERENCE_FACTOR`.

The prior is normal in ``log(unrest_max)`` (the posterior samples it on the log scale). Its s.d. adds,
to the Poisson standard error ``1/√events``, the spread of ``log λ`` across specifications (rebels
counted as unrest too; irregular exits of unknown manner shared out pro rata; before/after 1945; per
country-year) and a transport term :data:`REFERENCE_TRANSPORT_SD` for the reference state (an average
Archigos leader-year may sit anywhere from no repressive apparatus, factor 0.5, to a strong army of
three times ``repression_half``, factor 0.125). Run ``python scripts/unrest_prior.py`` to recompute the
file.
"""

from __future__ import annotations

import json
import math
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["REFERENCE_FACTOR", "REFERENCE_TRANSPORT_SD", "YEARS", "exit_rates", "fit_unrest_prior",
           "load_unrest_prior"]

#: Years whose leader-years count (inclusive); the case library spans 1890–2020, Archigos 4.1 ends 2015.
YEARS = (1890, 2015)
#: Kernel factor at the reference state: illegitimacy 1 − 0.5 = 0.5, repression half/(half + half) = 0.5.
REFERENCE_FACTOR = 0.25
#: Extra s.d. (log units) of the prior for the reference state (documented judgement: the factor's
#: range 0.125–0.5 is ±ln 2 about 0.25).
REFERENCE_TRANSPORT_SD = math.log(2.0)

#: Archigos ``exitcode`` groups (Archigos 4.1 codebook).
PROTEST = ("Popular Protest, without Foreign Support", "Popular Protest, with Foreign Support")
REBELS = ("Removed by Rebels, without Foreign Support", "Removed by Rebels, with Foreign Support")
MILITARY = ("Removed by Military, without Foreign Support", "Removed by Military, with Foreign Support",
            "Removed in Military Power Struggle Short of Coup")
OTHER_GOVERNMENT = ("Removed by Other Government Actors, without Foreign Support",
                    "Removed by Other Government Actors, with Foreign Support")

_FILE = "unrest_prior.json"


def _spells(frame: Any, years: tuple[int, int]) -> Any:
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
    d = _spells(frame, years)
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


def _country_years(frame: Any, years: tuple[int, int]) -> float:
    """Country-years with a leader in office (a country counted once a year however many leaders)."""
    import pandas as pd

    d = _spells(frame, years)
    lo, hi = years
    first = pd.to_datetime(d["startdate"]).dt.year.clip(lower=lo)
    last = d["end_year"].clip(upper=hi)
    pairs = {(int(c), y) for c, a, b in zip(d["ccode"], first, last) for y in range(int(a), int(b) + 1)}
    return float(len(pairs))


def fit_unrest_prior(data_dir: str | Path | None = None, *, path: str | Path | None = None) -> dict[str, Any]:
    """Archigos exit rates and the prior of ``elite.unrest_max`` they imply, with the mapping."""
    from ..data.loaders.leaders import load_archigos

    frame = load_archigos(data_dir, path=path)
    main = exit_rates(frame)
    ev, lam = main["events"], main["rate"]
    if ev["protest"] < 1:
        raise ValueError("no popular-protest exits in the Archigos years: cannot derive the unrest prior")
    known = ev["irregular"] - ev["irregular_unknown_manner"]
    pre, post = exit_rates(frame, (YEARS[0], 1944)), exit_rates(frame, (1945, YEARS[1]))
    variants = {
        "protest + rebels": (ev["protest"] + ev["rebels"]) / main["leader_years"],
        "unknown manner shared out pro rata": lam["protest"] * ev["irregular"] / max(known, 1),
        "years < 1945": pre["rate"]["protest"],
        "years >= 1945": post["rate"]["protest"],
        "per country-year": ev["protest"] / _country_years(frame, YEARS),
    }
    logs = np.log([lam["protest"], *[max(v, 1e-9) for v in variants.values()]])
    spread = float(np.std(logs, ddof=1))
    se = 1.0 / math.sqrt(ev["protest"])
    p_year = 1.0 - math.exp(-lam["protest"])
    mean = math.log(p_year / REFERENCE_FACTOR)
    sd = math.sqrt(se ** 2 + spread ** 2 + REFERENCE_TRANSPORT_SD ** 2)
    coups = ev["military"] + ev["other_government"]
    out = {
        "model": "Poisson rate of leader exits by popular protest per leader-year in office (Archigos "
                 "exitcode), read through the unrest kernel at the reference state",
        "data": "Archigos 4.1 leader spells (alliancelab.data.loaders.leaders.load_archigos)",
        "years": list(YEARS),
        "leader_years": main["leader_years"],
        "events": ev,
        "rate_per_leader_year": lam,
        "share_of_irregular_exits": {"protest": ev["protest"] / ev["irregular"],
                                     "military_and_other_government": coups / ev["irregular"]},
        "annual_probability_protest": p_year,
        "variants_protest_rate": variants,
        "reference_state": {"s_inc": 0.5, "discontent": 0.0, "c_inc": "repression_half",
                            "kernel_factor": REFERENCE_FACTOR},
        "se_log_rate": se, "spread_log_rate": spread,
        "reference_transport_sd": REFERENCE_TRANSPORT_SD,
        "priors": {"elite.unrest_max": {"scale": "log", "mean": mean, "sd": sd,
                                        "median": math.exp(mean)}},
    }
    return json.loads(json.dumps(out))   # plain floats


def load_unrest_prior() -> dict[str, Any]:
    """The stored prior (``calibration/data/unrest_prior.json``)."""
    text = resources.files("alliancelab.calibration").joinpath("data", _FILE).read_text(encoding="utf-8")
    return json.loads(text)
