"""Small scenario builders for engine tests (plain dicts validated by the real schema)."""

from __future__ import annotations

import copy
from typing import Any

from alliancelab.scenario import parse_scenario

POWER = {"military": 1.0, "economic": 1.0, "ideological": 1.0, "cultural": 1.0, "institutional": 1.0}


def _power(scale: float) -> dict[str, Any]:
    return {1950: {k: v * scale for k, v in POWER.items()}}


def base_dict(*, n_periods: int = 6, us_amount: float = 100.0, ussr_amount: float = 50.0,
              opp_coercion: float = 0.3, severity: float = 0.0, gov_support: float = 0.55,
              tolerance: float = 0.5) -> dict[str, Any]:
    """Two patrons (US, USSR) bidding for a client with a government and an opposition."""
    periods = list(range(1950, 1950 + n_periods))
    d: dict[str, Any] = {
        "metadata": {"id": "test", "title": "test scenario"},
        "periods": periods,
        "patrons": {
            "US": {"interest": 0.8, "budget": 1000, "tolerance": tolerance, "power": _power(10)},
            "USSR": {"interest": 0.8, "budget": 1000, "tolerance": tolerance, "power": _power(8)},
        },
        "actors": {"Rival": {"power": _power(3)}},
        "clients": {
            "Client": {
                "power": _power(1),
                "aid_need": 20,
                "elections": periods[2:3],
                "factions": {
                    "Gov": {"baseline_support": gov_support, "coercion": 0.6, "incumbent": True,
                            "affinity": {"US": 0.3, "USSR": -0.1}, "pro_patron_share": {"US": 0.2}},
                    "Opp": {"baseline_support": 1 - gov_support, "coercion": opp_coercion,
                            "affinity": {"US": -0.1, "USSR": 0.4}, "pro_patron_share": {"USSR": 0.2}},
                },
            }
        },
        "support": [
            {"id": "us", "from": periods[0], "to": periods[-1], "patron": "US", "faction": "Gov",
             "instrument": "economic_aid", "amount": us_amount, "visibility": 0.8, "breadth": 0.8},
            {"id": "ussr", "from": periods[0], "to": periods[-1], "patron": "USSR", "faction": "Opp",
             "instrument": "propaganda", "amount": ussr_amount / 50, "visibility": 0.8, "breadth": 0.6},
        ],
        "threats": [],
    }
    if severity > 0:
        d["threats"].append({"actor": "Rival", "targets": ["Client", "US", "USSR"], "from": periods[0],
                             "severity": severity, "imminence": 0.8, "clarity": 0.8})
    return d


def build(**kw: Any):  # noqa: ANN201
    return parse_scenario(base_dict(**kw), source="<test>")


def two_clients(**kw: Any):  # noqa: ANN201
    d = base_dict(**kw)
    second = copy.deepcopy(d["clients"]["Client"])
    second["factions"]["Gov"]["baseline_support"] = 0.3
    second["factions"]["Opp"]["baseline_support"] = 0.6
    second["factions"]["Third"] = {"baseline_support": 0.1, "coercion": 0.1}
    d["clients"]["Second"] = second
    d["support"].append({"from": d["periods"][0], "to": d["periods"][-1], "patron": "USSR",
                         "client": "Second", "faction": "Opp", "instrument": "military_aid", "amount": 40})
    return parse_scenario(d, source="<test>")
