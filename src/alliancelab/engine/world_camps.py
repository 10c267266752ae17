"""Camps in known years, scored state by state against reference partitions from the record.

The reference partitions (:data:`REFERENCE`) are written from the historical record in
``docs/world.md`` (sources there), never from model output. A state's camp in the model is where its
chain of modal alignments leads: a state aligned with a patron takes that patron's camp, a patron
aligned with another takes that one's, until the chain reaches an *anchor* of a camp (the states
that define it: France and Russia for the Entente, Germany and Austria-Hungary for the Central
Powers, the United States for the West, the Soviet Union for the East) or a state aligned with no
one (then: neutral / non-aligned). Anchors are not scored.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

__all__ = ["REFERENCE", "camp_of", "score_camps"]

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


def score_camps(year: int, *, data_dir: str | os.PathLike[str] | None = None, runs: int = 1_000,
                seed: int = 0, max_states: int = 50, periods: int = 1) -> dict[str, Any]:
    """Build the world of ``year - 1`` from data, simulate ``periods`` year(s), and score each listed
    state's modal camp against :data:`REFERENCE` ``[year]``; also the starting (data) camps."""
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
    base = world_from_data(year - 1, data_dir=root, max_states=max_states, periods=periods)
    # the largest states plus every listed state that is a system member in the data year
    cow = load_states(root)
    abb = {str(a).upper(): int(c) for a, c in zip(cow["stateabb"], cow["ccode"], strict=False)}
    members = set(state_years(root, start=year - 1, end=year - 1)["ccode"].astype(int))
    listed = [abb[s] for names in (*ref["anchors"].values(), *ref["camps"].values()) for s in names
              if s in abb and abb[s] in members]
    codes = list(dict.fromkeys([int(c) for c in base.notes["codes"]] + listed))
    world = world_from_data(year - 1, data_dir=root, states=codes, periods=periods)
    res = run_world(world, runs=runs, seed=seed)
    probs = res.alignment_probabilities(-1)
    modal = probs.to_numpy().argmax(axis=1)
    states, patrons = list(world.states), list(world.patrons)
    model = camp_of(states, patrons, modal, ref["anchors"])
    start = camp_of(states, patrons, np.asarray(world.initial_alignment), ref["anchors"])
    rows, errors, start_errors = [], [], []
    for camp, names in ref["camps"].items():
        for s in names:
            if s not in model:
                rows.append({"state": s, "reference": camp, "model": None, "start": None})
                continue
            rows.append({"state": s, "reference": camp, "model": model[s], "start": start[s],
                         "p": {c: round(float(v), 3) for c, v in probs.loc[s].items() if v >= 0.05}})
            if model[s] != camp:
                errors.append(s)
            if start[s] != camp:
                start_errors.append(s)
    scored = [r for r in rows if r["model"] is not None]
    return {"year": year, "data_year": year - 1, "periods": periods, "runs": runs, "seed": seed,
            "n_states": world.n_states, "scored": len(scored), "errors": errors,
            "n_errors": len(errors), "start_errors": start_errors, "rows": rows,
            "not_in_world": [r["state"] for r in rows if r["model"] is None]}
