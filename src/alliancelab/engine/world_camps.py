"""Camps in known years, scored state by state against reference partitions from the record.

The reference partitions (:data:`REFERENCE`) are written from the historical record in
``docs/world.md`` (sources there), never from model output. A state's camp in the model is where its
chain of modal alignments leads: a state aligned with a patron takes that patron's camp, a patron
aligned with another takes that one's, until the chain reaches an *anchor* of a camp (the states
that define it: France and Russia for the Entente, Germany and Austria-Hungary for the Central
Powers, the United States for the West, the Soviet Union for the East) or a state aligned with no
one (then: neutral / non-aligned). Anchors are not scored.

That chain rule (:func:`camp_of`) is one patron per state, as the engine's alignment is. The
scores use :func:`network_camps`: a camp is read from the network of the simulated alignments and
the states' own ATOP pledges with the major powers (``world.notes["pledges"]``, read with their
terms: :func:`~alliancelab.engine._world_inputs.camp_pledges`), so that a state may belong to a camp
through several majors, and the majors form camps of equals among themselves (Britain with France
and Russia in 1914) although in the engine the strongest member of a camp has no patron.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

__all__ = ["CAMP_MIN_WEIGHT", "REFERENCE", "camp_graph", "camp_of", "network_camps", "score_camps"]

#: The least tie that puts a state in a camp: a consultation pledge (ATOP's entente-like pledge,
#: weight 0.5 in ``_world_inputs.PACT_WEIGHTS``). Fixed as the existing pledge weight, not tuned.
CAMP_MIN_WEIGHT = 0.5

#: year -> {"anchors": {camp: [states]}, "camps": {camp: [states]}}; COW abbreviations.
REFERENCE: dict[int, dict[str, dict[str, list[str]]]] = {
    1914: {
        "anchors": {"entente": ["FRN", "RUS"], "central": ["GMY", "AUH"]},
        "camps": {
            "entente": ["UKG", "YUG", "BEL", "JPN"],          # YUG: COW 345 = Serbia before 1918
            "central": ["TUR"],
            "neutral": ["ITA", "USA", "SPN", "NTH", "SWD", "NOR", "DEN", "SWZ", "ROM", "BUL", "GRC",
                        "POR", "CHN", "BRA", "ARG", "MEX", "CHL", "PER", "THI", "IRN"],
        },
    },
    1950: {
        "anchors": {"west": ["USA"], "east": ["RUS"]},
        "camps": {
            "west": ["UKG", "FRN", "ITA", "CAN", "BEL", "NTH", "LUX", "DEN", "NOR", "POR", "TUR",
                     "GRC", "AUL", "NEW", "PHI", "ROK", "TAW", "THI", "BRA", "ARG", "MEX", "CHL",
                     "PER", "COL", "VEN", "CUB"],
            "east": ["CHN", "POL", "CZE", "HUN", "ROM", "BUL", "ALB", "GDR", "PRK", "MON"],
            "neutral": ["SWD", "SWZ", "IND", "INS", "YUG", "FIN", "IRE", "SPN", "AFG", "MYA"],
        },
    },
}


def camp_of(states: list[str], patrons: list[str], modal: np.ndarray,
            anchors: dict[str, list[str]]) -> dict[str, str]:
    """Camp of every state from its modal alignment (patron index, ``P`` = none) and the anchors."""
    P = len(patrons)
    idx = {s: i for i, s in enumerate(states)}
    anchor_camp = {a: camp for camp, names in anchors.items() for a in names}
    out = {}
    for s in states:
        cur, seen = s, set()
        camp = "neutral"
        while True:
            if cur in anchor_camp:
                camp = anchor_camp[cur]
                break
            if cur in seen or cur not in idx:
                break
            seen.add(cur)
            a = int(modal[idx[cur]])
            if a >= P:
                break
            cur = patrons[a]
        out[s] = camp
    return out


def camp_graph(states: list[str], patrons: list[str], modal: np.ndarray, pledges: np.ndarray,
               treaty: np.ndarray | None = None, conditional: np.ndarray | None = None) -> Any:
    """The camp network: a :class:`networkx.DiGraph` over the states with an edge ``i -> j`` to
    each major power ``j`` that ``i`` is tied to, ``weight`` its strength as a camp tie.

    * **simulated** (``kind="alignment"``): ``i``'s modal alignment ``modal[i]`` (patron index,
      ``len(patrons)`` = none). Its weight is 1 when the pair has no treaty in force (``treaty``,
      any ATOP alliance, neutrality and non-aggression included: an alignment the simulation made);
      when it has one, the alignment is that treaty and weighs what ``i``'s own pledge weighs
      (``pledges[i, j]``): a patron's unilateral guarantee, a neutrality pact or a pledge
      conditional on non-provocation is no camp membership of ``i``. An alignment resting on a
      pledge conditional on non-provocation (``conditional[i, j]``) is no firm choice
      (``firm=False``; it does not decide a tie between camps, :func:`network_camps`).
    * **read from data** (``kind="pledge"``): ``i``'s own pledges ``pledges[i, j] > 0`` to every
      major ``j``, for a major power always (the majors' network among themselves, which the
      engine's one patron per state cannot hold) and for any other state only while it is aligned
      in the simulation (a client the simulation leaves non-aligned is read as non-aligned).
    """
    import networkx as nx

    P = len(patrons)
    idx = {s: k for k, s in enumerate(states)}
    modal = np.asarray(modal, int)
    pledges = np.asarray(pledges, float)
    treaty = (np.zeros(pledges.shape, bool) if treaty is None else np.asarray(treaty, bool)) \
        | (pledges > 0) | (pledges.T > 0)
    cond = np.zeros(pledges.shape, bool) if conditional is None else np.asarray(conditional, bool)
    g = nx.DiGraph()
    g.add_nodes_from(states)
    for s in states:
        i = idx[s]
        major = s in patrons
        a = int(modal[i])
        if a < P and patrons[a] in idx and patrons[a] != s:
            j = idx[patrons[a]]
            g.add_edge(s, patrons[a], kind="alignment", firm=not cond[i, j],
                       weight=float(pledges[i, j]) if treaty[i, j] else 1.0)
        if not (major or a < P):
            continue
        for pj in patrons:
            j = idx.get(pj)
            if j is None or j == i or pledges[i, j] <= 0:
                continue
            if g.has_edge(s, pj) and g.edges[s, pj]["weight"] >= pledges[i, j]:
                continue
            g.add_edge(s, pj, kind="pledge", firm=False, weight=float(pledges[i, j]))
    return g


def network_camps(states: list[str], patrons: list[str], modal: np.ndarray, pledges: np.ndarray,
                  anchors: dict[str, list[str]], treaty: np.ndarray | None = None,
                  conditional: np.ndarray | None = None,
                  min_weight: float = CAMP_MIN_WEIGHT) -> dict[str, str]:
    """Camp of every state from the camp network (:func:`camp_graph`), seeded by the anchors.

    A state's tie to a camp is its strongest edge to a member of the camp (an obligation counts by
    its strength, not by the number of partners); the state joins the camp it is most strongly tied
    to if that tie is at least ``min_weight`` and stronger than its tie to any other camp. Tied
    equally to two camps, its simulated alignment decides when it is a firm choice (the engine's
    one patron is the state's primary commitment: Britain in 1950, pledged both to the United
    States by the North Atlantic Treaty and to the Soviet Union by the 1942 treaty, is aligned with
    the United States); otherwise it is neutral (cross-pressured). Tied to none, it is neutral.
    Only the anchors and the states placed so far carry a camp, so camps spread along the network
    (Japan through Britain) until nothing changes; anchors are fixed.
    """
    g = camp_graph(states, patrons, modal, pledges, treaty, conditional)
    anchor_camp = {a: camp for camp, names in anchors.items() for a in names}
    label = {s: anchor_camp.get(s, "neutral") for s in states}
    for _ in range(len(states) + 1):
        new = dict(label)
        for s in states:
            if s in anchor_camp:
                continue
            ties: dict[str, float] = {}
            primary = None
            for _, t, d in g.out_edges(s, data=True):
                camp = label.get(t, "neutral")
                if camp != "neutral":
                    ties[camp] = max(ties.get(camp, 0.0), d["weight"])
                    if d["kind"] == "alignment" and d["firm"]:
                        primary = (camp, d["weight"])
            best = max(ties.values(), default=0.0)
            top = [c for c, w in ties.items() if w == best]
            if best < min_weight:
                new[s] = "neutral"
            elif len(top) == 1:
                new[s] = top[0]
            elif primary is not None and primary[0] in top and primary[1] == best:
                new[s] = primary[0]
            else:
                new[s] = "neutral"
        if new == label:
            break
        label = new
    return label


def score_camps(year: int, *, data_dir: str | os.PathLike[str] | None = None, runs: int = 1_000,
                seed: int = 0, max_states: int = 50, periods: int = 1,
                inputs: dict[str, bool] | None = None) -> dict[str, Any]:
    """Build the world of ``year - 1`` from data, simulate ``periods`` year(s), and score each listed
    state's modal camp against :data:`REFERENCE` ``[year]``; also the starting (data) camps.
    ``inputs``: optional input rules of :func:`~alliancelab.engine.world_data.world_from_data`
    (``world_data.INPUT_OPTIONS``)."""
    from .._exceptions import InputError
    from .world import run_world
    from .world_data import world_from_data

    if year not in REFERENCE:
        raise InputError(f"no reference partition for {year}; choose from {sorted(REFERENCE)}",
                         field="--year")
    ref = REFERENCE[year]
    from .._config import resolve_data_dir
    from ..data import load_states, state_years

    root = resolve_data_dir(data_dir)
    opts = dict(inputs or {})
    base = world_from_data(year - 1, data_dir=root, max_states=max_states, periods=periods, **opts)
    # the largest states plus every listed state that is a system member in the data year
    cow = load_states(root)
    abb = {str(a).upper(): int(c) for a, c in zip(cow["stateabb"], cow["ccode"], strict=False)}
    members = set(state_years(root, start=year - 1, end=year - 1)["ccode"].astype(int))
    listed = [abb[s] for names in (*ref["anchors"].values(), *ref["camps"].values()) for s in names
              if s in abb and abb[s] in members]
    codes = list(dict.fromkeys([int(c) for c in base.notes["codes"]] + listed))
    world = world_from_data(year - 1, data_dir=root, states=codes, periods=periods, **opts)
    res = run_world(world, runs=runs, seed=seed)
    probs = res.alignment_probabilities(-1)
    modal = probs.to_numpy().argmax(axis=1)
    states, patrons = list(world.states), list(world.patrons)
    pledges, treaty = world.notes["pledges"], world.notes["treaty"]
    cond = world.notes["conditional"]
    model = network_camps(states, patrons, modal, pledges, ref["anchors"], treaty, cond)
    start = network_camps(states, patrons, np.asarray(world.initial_alignment), pledges,
                          ref["anchors"], treaty, cond)
    chain = camp_of(states, patrons, modal, ref["anchors"])     # one patron per state (before)
    rows, errors, start_errors, chain_errors = [], [], [], []
    for camp, names in ref["camps"].items():
        for s in names:
            if s not in model:
                rows.append({"state": s, "reference": camp, "model": None, "start": None})
                continue
            rows.append({"state": s, "reference": camp, "model": model[s], "start": start[s],
                         "chain": chain[s],
                         "p": {c: round(float(v), 3) for c, v in probs.loc[s].items() if v >= 0.05}})
            if model[s] != camp:
                errors.append(s)
            if start[s] != camp:
                start_errors.append(s)
            if chain[s] != camp:
                chain_errors.append(s)
    scored = [r for r in rows if r["model"] is not None]
    return {"year": year, "data_year": year - 1, "periods": periods, "runs": runs, "seed": seed,
            "inputs": sorted(k for k, v in opts.items() if v),
            "n_states": world.n_states, "scored": len(scored), "errors": errors,
            "n_errors": len(errors), "start_errors": start_errors,
            "chain_errors": chain_errors, "readout": "network", "rows": rows,
            "not_in_world": [r["state"] for r in rows if r["model"] is None]}
