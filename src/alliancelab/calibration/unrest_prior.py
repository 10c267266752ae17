"""An empirical prior for the unrest ceiling ``elite.unrest_max``, from Archigos 4.1 leader exits.

The model's per-year risk that a ruler is ousted by unrest (E15a, :func:`alliancelab.theory.elite.
contest.precarity`) is::

    unrest = unrest_max · clip(1 − s_inc + w_d·d, 0, 1) · half / (half + c_inc)

Archigos codes every irregular removal's manner (``exitcode``). The model's unrest route is removal by
the masses: "Popular Protest" (with or without foreign support). Its coup route is removal by the
military or other government actors. Per leader-year in office between
:data:`~.archigos_exits.YEARS` (the case library's span, clipped to Archigos's last year) the
popular-protest exit rate ``λ`` is a Poisson rate (events / years in office,
:func:`.archigos_exits.exit_rates`), its annual probability ``1 − exp(−λ)``.

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
from pathlib import Path
from typing import Any

from .archigos_exits import (
    MILITARY,
    OTHER_GOVERNMENT,
    PROTEST,
    REBELS,
    YEARS,
    country_years,
    exit_rates,
    log_rate_prior,
)
from .store import read_prior

__all__ = ["MILITARY", "OTHER_GOVERNMENT", "PROTEST", "REBELS", "REFERENCE_FACTOR", "REFERENCE_TRANSPORT_SD",
           "YEARS", "exit_rates", "fit_unrest_prior", "load_unrest_prior"]

#: Kernel factor at the reference state: illegitimacy 1 − 0.5 = 0.5, repression half/(half + half) = 0.5.
REFERENCE_FACTOR = 0.25
#: Extra s.d. (log units) of the prior for the reference state (documented judgement: the factor's
#: range 0.125–0.5 is ±ln 2 about 0.25).
REFERENCE_TRANSPORT_SD = math.log(2.0)


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
        "per country-year": ev["protest"] / country_years(frame, YEARS),
    }
    coups = ev["military"] + ev["other_government"]
    out = {
        "model": "Poisson rate of leader exits by popular protest per leader-year in office (Archigos "
                 "exitcode), read through the unrest kernel at the reference state",
        "leader_years": main["leader_years"],
        "events": ev,
        "rate_per_leader_year": lam,
        "share_of_irregular_exits": {"protest": ev["protest"] / ev["irregular"],
                                     "military_and_other_government": coups / ev["irregular"]},
        "reference_state": {"s_inc": 0.5, "discontent": 0.0, "c_inc": "repression_half",
                            "kernel_factor": REFERENCE_FACTOR},
        **log_rate_prior("elite.unrest_max", "protest", lam["protest"], ev["protest"], variants,
                         factor=REFERENCE_FACTOR, transport_sd=REFERENCE_TRANSPORT_SD),
    }
    return json.loads(json.dumps(out))   # plain floats


def load_unrest_prior() -> dict[str, Any]:
    """The stored prior (``calibration/data/unrest_prior.json``)."""
    return read_prior("unrest_prior")
