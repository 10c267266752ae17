"""Scope conditions of the elite theory (E7), checked on a scenario with the elite kernel."""

from __future__ import annotations

import numpy as np

from ._schema import Scenario

__all__ = ["scope_warnings"]


def scope_warnings(scenario: Scenario) -> list[str]:
    """E7 warnings for a scenario outside paper E's scope (``[]`` when inside).

    (a) some patron is interested in a faction's success in the client (``interest > 0``, at the start
    or after a scripted event); (b) at least two interested patrons actually back a faction of the
    client (a support item with a non-zero amount). The messages come from
    :func:`alliancelab.theory.elite.scope_violations`, naming the clients concerned.
    """
    from ..theory.elite import scope_violations

    clients, patrons = list(scenario.clients), list(scenario.patrons)
    interest = np.zeros((len(clients), len(patrons)))
    for pi, pn in enumerate(patrons):
        pat = scenario.patrons[pn]
        for ci, cn in enumerate(clients):
            interest[ci, pi] = 0.0 if cn == pn else pat.interest.get(cn, pat.interest.get("*", 0.0))
    for ev in scenario.events:
        for path, value in ev.set.items():
            keys = path.split(".")
            if len(keys) >= 3 and keys[0] == "patrons" and keys[2] == "interest" and keys[1] in patrons:
                targets = clients if len(keys) == 3 or keys[3] == "*" else [keys[3]]
                for cn in targets:
                    if cn in clients and isinstance(value, (int, float)):
                        ci, pi = clients.index(cn), patrons.index(keys[1])
                        interest[ci, pi] = max(interest[ci, pi], float(value))
    backing = np.zeros((len(clients), len(patrons)), dtype=bool)
    for it in scenario.support:
        if it.amount != 0:
            cn = it.client if it.client is not None else scenario.primary
            backing[clients.index(cn), patrons.index(it.patron)] = True
    n_backing = (backing & (interest > 0)).sum(-1)
    return list(scope_violations(interest > 0, n_backing, names=clients))
