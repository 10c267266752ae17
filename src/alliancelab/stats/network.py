"""Lagged network terms of the alliance and hostility networks (Warren 2010; Cranmer, Desmarais &
Menninga 2012), aligned with the rows of :func:`alliancelab.stats.operationalize.prepare_dyads`.

For each year the alliance network A (any ATOP pledge) and the hostility network H (an ongoing COW MID
or a Thompson-Dreyer rivalry) are built over the states in the panel that year. For a dyad (i, j):

* ``net_shared_partners`` - log(1 + number of third states allied with both): closure of the alliance
  network (GWESP-like);
* ``net_fof`` - friend of a friend: 1 if at least one ally of i is an ally of j;
* ``net_eoe`` - enemy of an enemy: 1 if some third state is hostile to both (structural balance's
  "the enemy of my enemy is my friend"); unlike the paper-Y ``threat`` it uses the year's ongoing
  MIDs and rivalries only, not a five-year window or MID onsets;
* ``net_foe`` - friend of an enemy: 1 if an ally of one is hostile to the other (a negative triad);
* ``net_degree`` - log(1 + allies of i) + log(1 + allies of j) (popularity).

All are measured in year t-1 for the row of year t (NaN when the dyad did not exist at t-1).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .operationalize import _lag, _lag_index

__all__ = ["NETWORK_TERMS", "network_terms"]

NETWORK_TERMS = ("net_shared_partners", "net_fof", "net_eoe", "net_foe", "net_degree")


def network_terms(prepared: pd.DataFrame) -> pd.DataFrame:
    """Network terms at t-1 for every row of ``prepared`` (same index, same order)."""
    c1 = prepared["ccode1"].to_numpy()
    c2 = prepared["ccode2"].to_numpy()
    year = prepared["year"].to_numpy()
    ally = np.nan_to_num(prepared["alliance"].to_numpy(dtype=float))
    host = np.zeros(len(prepared))
    for col in ("cowmid_ongoing", "rivalry"):
        if col in prepared.columns:
            host = np.maximum(host, np.nan_to_num(prepared[col].to_numpy(dtype=float)))
    codes, states = pd.factorize(np.concatenate([c1, c2]))
    i_all, j_all = codes[: len(c1)], codes[len(c1):]
    n = len(states)
    cur = {k: np.zeros(len(prepared)) for k in ("sp", "eoe", "foe", "deg")}
    order = np.argsort(year, kind="stable")
    bounds = np.flatnonzero(np.diff(year[order])) + 1
    for rows in np.split(order, bounds):
        i, j = i_all[rows], j_all[rows]
        a = np.zeros((n, n))
        h = np.zeros((n, n))
        a[i, j] = a[j, i] = ally[rows]
        h[i, j] = h[j, i] = host[rows]
        aa = a @ a
        hh = h @ h
        ah = a @ h
        cur["sp"][rows] = aa[i, j]
        cur["eoe"][rows] = hh[i, j]
        cur["foe"][rows] = ah[i, j] + ah[j, i]
        deg = a.sum(axis=1)
        cur["deg"][rows] = np.log1p(deg[i]) + np.log1p(deg[j])
    ok = _lag_index(prepared)
    sp = _lag(cur["sp"], ok)
    return pd.DataFrame({
        "net_shared_partners": np.log1p(sp), "net_fof": np.where(np.isnan(sp), np.nan, (sp > 0) * 1.0),
        "net_eoe": _lag((cur["eoe"] > 0) * 1.0, ok), "net_foe": _lag((cur["foe"] > 0) * 1.0, ok),
        "net_degree": _lag(cur["deg"], ok)}, index=prepared.index)
