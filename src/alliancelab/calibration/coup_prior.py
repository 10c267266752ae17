"""An empirical prior for the coup ceiling ``elite.coup_attempt_max``, from Archigos 4.1 leader exits.

The model's per-year risk that a ruler is ousted by a challenger's coup (E2, E5,
:func:`alliancelab.theory.elite.contest.precarity`) is, per challenger ``f``::

    coup_f = attempt_f · success_f,   attempt_f = coup_attempt_max · success_f · (u + (1 − u) a_f)

with ``success_f`` the Tullock coup contest (challenger strength against ``c_inc + w_legit s_inc``),
``u = unbacked_attempt_factor`` and ``a_f`` the patron's commitment to back the challenger's armed
action. ``coup_attempt_max`` is the one factor that scales the whole route linearly whatever the
contest; ``r_coup``, ``coup_legitimacy_weight`` and the backing terms reshape *which* rulers face coups,
not how many, so the rate of coups maps most directly onto ``coup_attempt_max``.

Archigos's coup route is removal by the military ("Removed by Military", with or without foreign
support, and "Military Power Struggle Short of Coup"): its Poisson rate ``λ`` per leader-year in office
in :data:`~.archigos_exits.YEARS` (events / years in office, :func:`.archigos_exits.exit_rates`), annual
probability ``1 − exp(−λ)``.

**The reference state** (as the unrest prior's "half support", the hazard prior's "parity without
threat"): one challenger at **parity** in the coup contest (its strength equal to the ruler's defence,
``success = 1/2`` whatever ``r_coup``) and backed by a patron as often as Archigos's military removals
were foreign-supported (``a`` = that share, :data:`REFERENCE_SUCCESS`). There the kernel is
``coup_attempt_max · (1/2)² · (u + (1 − u) a)``, so

    coup_attempt_max = (1 − exp(−λ)) / reference_factor.

The prior is normal in ``log(coup_attempt_max)`` (the posterior samples it on the log scale). Its s.d.
adds, to the Poisson standard error ``1/√events``, the spread of ``log λ`` across specifications (other
government actors counted too; coups proper without the power struggles; irregular exits of unknown
manner shared out pro rata; before/after 1945; per country-year) and a transport term
:data:`REFERENCE_TRANSPORT_SD` for the reference state (an average Archigos leader-year may face a
challenger anywhere from success 0.35 to 0.71, ``success²`` from half to twice 1/4). Run
``python scripts/coup_prior.py`` to recompute the file.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from .archigos_exits import (
    MILITARY,
    OTHER_GOVERNMENT,
    YEARS,
    country_years,
    exit_rates,
    log_rate_prior,
    spells,
)
from .store import read_prior

__all__ = ["REFERENCE_SUCCESS", "REFERENCE_TRANSPORT_SD", "fit_coup_prior", "load_coup_prior",
           "reference_factor"]

#: The challenger's coup success at the reference state (parity in the Tullock contest).
REFERENCE_SUCCESS = 0.5
#: Extra s.d. (log units) of the prior for the reference state (documented judgement: ``success²``
#: from 1/8 to 1/2 is ±ln 2 about 1/4).
REFERENCE_TRANSPORT_SD = math.log(2.0)
#: Military removals with foreign support (the model's patron-backed coups, ``a = 1``).
MILITARY_FOREIGN = ("Removed by Military, with Foreign Support",)
#: Coups proper (without the "power struggle short of coup").
COUPS_PROPER = ("Removed by Military, without Foreign Support", "Removed by Military, with Foreign Support")


def reference_factor(unbacked_attempt_factor: float, backed_share: float) -> float:
    """``success² · (u + (1 − u) a)`` at the reference state: the coup kernel per unit ``coup_attempt_max``."""
    u = float(unbacked_attempt_factor)
    return REFERENCE_SUCCESS ** 2 * (u + (1.0 - u) * float(backed_share))


def fit_coup_prior(data_dir: str | Path | None = None, *, path: str | Path | None = None,
                   unbacked_attempt_factor: float | None = None) -> dict[str, Any]:
    """Archigos military exit rates and the prior of ``elite.coup_attempt_max`` they imply, with the
    mapping. ``unbacked_attempt_factor``: the model's ``u`` (default: :class:`EliteParams`' default,
    which the posterior holds fixed)."""
    from ..data.loaders.leaders import load_archigos
    from ..theory.elite import EliteParams

    u = EliteParams().unbacked_attempt_factor if unbacked_attempt_factor is None else float(unbacked_attempt_factor)
    frame = load_archigos(data_dir, path=path)
    main = exit_rates(frame)
    ev, lam = main["events"], main["rate"]
    if ev["military"] < 1:
        raise ValueError("no military exits in the Archigos years: cannot derive the coup prior")
    d = spells(frame, YEARS)
    code = d["exitcode"].fillna("Unknown")
    inside = d["ends_inside"]
    foreign = int((inside & code.isin(MILITARY_FOREIGN)).sum())
    proper = int((inside & code.isin(COUPS_PROPER)).sum())
    backed = foreign / ev["military"]
    known = ev["irregular"] - ev["irregular_unknown_manner"]
    pre, post = exit_rates(frame, (YEARS[0], 1944)), exit_rates(frame, (1945, YEARS[1]))
    variants = {
        "military + other government actors": (ev["military"] + ev["other_government"]) / main["leader_years"],
        "coups proper (no power struggle short of coup)": proper / main["leader_years"],
        "unknown manner shared out pro rata": lam["military"] * ev["irregular"] / max(known, 1),
        "years < 1945": pre["rate"]["military"],
        "years >= 1945": post["rate"]["military"],
        "per country-year": ev["military"] / country_years(frame, YEARS),
    }
    factor = reference_factor(u, backed)
    out = {
        "model": "Poisson rate of leader exits by the military per leader-year in office (Archigos "
                 "exitcode), read through the coup kernel at the reference state",
        "leader_years": main["leader_years"],
        "events": {**ev, "military_with_foreign_support": foreign, "coups_proper": proper},
        "rate_per_leader_year": lam,
        "reference_state": {"success": REFERENCE_SUCCESS, "backed_share": backed,
                            "unbacked_attempt_factor": u, "kernel_factor": factor,
                            "groups": {"military": list(MILITARY), "other_government": list(OTHER_GOVERNMENT)}},
        **log_rate_prior("elite.coup_attempt_max", "military", lam["military"], ev["military"], variants,
                         factor=factor, transport_sd=REFERENCE_TRANSPORT_SD),
    }
    return json.loads(json.dumps(out))   # plain floats


def load_coup_prior() -> dict[str, Any]:
    """The stored prior (``calibration/data/coup_prior.json``)."""
    return read_prior("coup_prior")
