"""A world built from the real datasets for one year, and its forecast camps.

Everything comes from the panel of :mod:`alliancelab.data` (``state_years``/``dyad_years``) and
the COW NMC file; nothing is set by hand per state. The mapping from data to model facts uses a few
global constants (below), documented with their reasons in ``docs/world.md``:

=====================  =========================================================================
patrons                COW major powers of the year
clients                every system member (or ``states``), the ``max_states`` largest by CINC,
                       always including the majors (a major is also a client of the other majors)
power (Y1)             military and economic components from NMC shares (CINC's sub-indices);
                       ideological, cultural, institutional power have no data: left at parity
common threat (Y5)     Walt's components from the dyad's shared strategic rivals and shared MID
                       opponents (last 5 years) and the strongest such common enemy's CINC;
                       imminence from shared MID opponents, clarity from a shared strategic rival
mistrust (Y10)         ``exp(-peace_years / 10)`` between client and patron (recent MIDs)
available              a patron is not an option for itself, a strategic rival or an ongoing MID
                       opponent
distance (Y12)         capital distance; projection = patron's military share / largest patron's
factions (E1)          ``incumbent`` and ``opposition``; baseline support from regime (Polity:
                       autocratic incumbents dominate) and recent irregular exits (Archigos)
coercion (E2)          incumbent controls the army; opposition armed capacity grows with irregular
                       leader exits in the last 5 years
ideology (E14)         incumbent at Polity2/10 (V-Dem polyarchy when Polity is missing), the
                       opposition leaning the other way; affinity = 1 - |ideology distance|
interest (E7)          contiguity, the client's CINC, an existing alliance
initial alignment      the major with which the state has an ATOP pledge (defence first), if any
budgets                proportional to the patron's CINC
elections              every 4 years where Polity2 >= 6
=====================  =========================================================================
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._config import resolve_data_dir
from .._exceptions import InputError
from ..theory import disparity as dy
from ..theory.instruments import INSTRUMENTS
from .world import World, _mix_default, run_world

__all__ = ["BUDGET_PER_CINC", "forecast_camps", "world_from_data"]

#: Million USD of support per period per unit of CINC (a patron with 20% of world CINC spends 1,000).
BUDGET_PER_CINC = 5_000.0
_PEACE_SCALE = 10.0


def _resolve_codes(items: Sequence[str | int], states: pd.DataFrame) -> list[int]:
    by_abb = {str(a).upper(): int(c) for a, c in zip(states["stateabb"], states["ccode"], strict=False)}
    out = []
    for item in items:
        text = str(item).strip()
        if text.lstrip("-").isdigit():
            out.append(int(text))
        elif text.upper() in by_abb:
            out.append(by_abb[text.upper()])
        else:
            raise InputError(f"unknown state {text!r}; give COW codes (2, 200) or abbreviations "
                             f"(USA, UKG)", field="--states")
    return out


def world_from_data(year: int, *, data_dir: str | os.PathLike[str] | None = None,
                    states: Sequence[str | int] | None = None, max_states: int = 50,
                    periods: int = 5, strategy: str = "interest") -> World:
    """Build the :class:`World` of ``year`` from the real datasets (see the module docstring)."""
    from ..data import dyad_years, load_nmc, load_states, state_years

    root = resolve_data_dir(data_dir)
    if not 1816 <= int(year) <= 2014:
        raise InputError(f"must be a year in 1816-2014 (NMC coverage); got {year}", field="--year")
    sy = state_years(root, start=year, end=year)
    sy = sy[sy["year"] == year].drop_duplicates("ccode").set_index("ccode")
    if sy.empty:
        raise InputError(f"no system members in {year}", field="--year")
    cow = load_states(root)
    abb = dict(zip(cow["ccode"].astype(int), cow["stateabb"].astype(str), strict=False))
    majors = sorted(int(c) for c in sy.index[sy["major"].fillna(0) == 1])
    if not majors:
        raise InputError(f"no COW major powers in {year}: nobody to align with", field="--year")
    if states is not None:
        chosen = _resolve_codes(states, cow)
        missing = [c for c in chosen if c not in sy.index]
        if missing:
            raise InputError(f"not system members in {year}: {missing}", field="--states")
        codes = list(dict.fromkeys(chosen + majors))
    else:
        ranked = sy["cinc"].fillna(0).sort_values(ascending=False).index.astype(int).tolist()
        codes = list(dict.fromkeys(majors + [c for c in ranked if c not in majors]))[:max(max_states,
                                                                                         len(majors))]
    C, P, F = len(codes), len(majors), 2
    pos = {c: i for i, c in enumerate(codes)}
    s = sy.reindex(codes)

    # power vectors (Y1): NMC shares -> military & economic components
    nmc = load_nmc(root)
    nmc = nmc[nmc["year"] == year].set_index("ccode")
    cols = list(dy.NMC_COLUMNS)
    shares = pd.DataFrame({c: dy.shares_of_total(nmc[c].to_numpy(float)) for c in cols},
                          index=nmc.index).reindex(codes)
    comp = dy.components_from_nmc(*(shares[c].to_numpy() for c in cols))
    comp = np.nan_to_num(comp, nan=0.0)
    K = len(dy.POWER_COMPONENTS)
    power = np.zeros((C, K))
    power[:, 0], power[:, 1] = comp[:, 0], comp[:, 1]
    pidx = [pos[m] for m in majors]
    patron_power = power[pidx]

    # dyads, both orders
    dd = dyad_years(root, start=year, end=year)
    dd = dd[(dd["year"] == year) & dd["ccode1"].isin(codes) & dd["ccode2"].isin(codes)]
    rev = dd.rename(columns={"ccode1": "ccode2", "ccode2": "ccode1", "cinc1": "cinc2",
                             "cinc2": "cinc1", "major1": "major2", "major2": "major1",
                             "polity2_1": "polity2_2", "polity2_2": "polity2_1"})
    both = pd.concat([dd, rev], ignore_index=True)
    both = both[both["ccode2"].isin(majors)]

    def dyad(col: str, fill: float) -> np.ndarray:
        out = np.full((C, P), fill, dtype=float)
        for c1, c2, v in zip(both["ccode1"], both["ccode2"], both[col], strict=False):
            if pd.notna(v):
                out[pos[int(c1)], majors.index(int(c2))] = float(v)
        return out

    shared_rivals = dyad("shared_rivals", 0.0)
    shared_mids = dyad("shared_mid_opponents", 0.0)
    common_cinc = dyad("common_threat_cinc", 0.0)
    rivalry = dyad("rivalry", 0.0)
    mid_now = dyad("cowmid_ongoing", 0.0)
    peace = dyad("peace_years", np.nan)
    capdist = dyad("capdist", np.nan)
    contig = dyad("conttype", 0.0)
    defense = dyad("atop_defense", 0.0)
    anyally = dyad("alliance", 0.0)

    top_cinc = float(np.nanmax(s["cinc"].to_numpy(float)))
    agg = np.clip(common_cinc / max(top_cinc, 1e-9), 0, 1)
    has_common = (shared_rivals + shared_mids) > 0
    intentions = np.clip((shared_rivals + shared_mids) / 2.0, 0, 1)
    severity = np.where(has_common, dy.walt_threat(agg, 0.5, agg, intentions), 0.0)
    # the patron's principal rival as a threat to the client (Walt: power, proximity, offensive
    # power, intentions read from regime distance) - the bloc-level threat dyadic data misses
    full = pd.concat([dd, rev], ignore_index=True)
    pair_dist = np.full((C, C), 5_000.0)
    pair_contig = np.zeros((C, C))
    for c1, c2, dist_km, ct in zip(full["ccode1"], full["ccode2"], full["capdist"], full["conttype"],
                                   strict=False):
        if pd.notna(dist_km):
            pair_dist[pos[int(c1)], pos[int(c2)]] = float(dist_km)
        if pd.notna(ct) and 1 <= ct <= 5:
            pair_contig[pos[int(c1)], pos[int(c2)]] = 1.0
    polity0 = s["polity2"].to_numpy(float)
    ideo0 = np.where(np.isnan(polity0), np.nan_to_num(s["v2x_polyarchy"].to_numpy(float), nan=0.3)
                     * 2 - 1, polity0 / 10.0)
    cinc0 = np.nan_to_num(s["cinc"].to_numpy(float))
    mil0 = power[:, 0] / max(float(power[:, 0].max()), 1e-9)
    bloc_side = np.zeros((C, P), bool)
    for j, m in enumerate(majors):
        rivals = [q for q in majors if q != m and rivalry[pos[q], j] > 0]
        if not rivals:
            continue
        r = pos[max(rivals, key=lambda q: cinc0[pos[q]])]
        prox = np.maximum(pair_contig[:, r], np.exp(-pair_dist[:, r] / 3_000.0))
        intent = np.clip(np.abs(ideo0 - ideo0[r]) / 2.0, 0, 1)
        bloc = dy.walt_threat(cinc0[r] / max(top_cinc, 1e-9), prox, mil0[r], intent)
        bloc[r] = 0.0
        severity[:, j] = np.maximum(severity[:, j], bloc)
        bloc_side[:, j] = bloc > 0
    imminence = np.where(shared_mids > 0, 1.0, np.where(bloc_side, 0.5, 0.2))
    clarity = np.where((shared_rivals > 0) | bloc_side, 1.0, 0.5)
    mistrust = np.where(np.isnan(peace), 0.0, np.exp(-np.nan_to_num(peace) / _PEACE_SCALE))
    self_patron = np.zeros((C, P), bool)
    for j, m in enumerate(majors):
        self_patron[pos[m], j] = True
    available = ~self_patron & (rivalry == 0) & (mid_now == 0)
    distance = np.where(np.isnan(capdist), np.where(self_patron, 0.0, 5_000.0), capdist)
    projection = patron_power[:, 0] / max(float(patron_power[:, 0].max()), 1e-9)

    # domestic facts (E1, E2, E14)
    polity = s["polity2"].to_numpy(float)
    poly = s["v2x_polyarchy"].to_numpy(float)
    ideo = np.where(np.isnan(polity), np.nan_to_num(poly, nan=0.3) * 2 - 1, polity / 10.0)
    irregular = np.nan_to_num(s["irregular_exits_5y"].to_numpy(float))
    democracy = np.nan_to_num(polity, nan=-10) >= 6
    base = np.zeros((C, F))
    base[:, 0] = np.where(democracy, 0.2, 1.0) - 0.4 * np.minimum(irregular, 2)
    coercion = np.zeros((C, F))
    coercion[:, 0] = 1.0 - 0.2 * np.nan_to_num(s["entry_irregular"].to_numpy(float))
    coercion[:, 1] = np.minimum(0.1 + 0.25 * irregular, 0.8)
    faction_ideo = np.stack([ideo, -0.5 * ideo], axis=1)                     # (C, F)
    patron_ideo = ideo[pidx]
    affinity = np.clip(1.0 - np.abs(faction_ideo[:, :, None] - patron_ideo[None, None, :]), -1, 1)
    cinc = np.nan_to_num(s["cinc"].to_numpy(float))
    interest = np.where(available, (np.where(contig > 0, 1.0, 0.3))
                        * (0.2 + cinc[:, None] / max(cinc.max(), 1e-9)) + 0.5 * (anyally > 0), 0.0)
    pro_share = np.clip(0.05 + 0.2 * np.clip(affinity[:, 1, :], 0, None), 0, 1)

    # existing ties: the strongest major with a defence pledge, else any ATOP pledge
    strength = np.where(defense > 0, 2.0, np.where(anyally > 0, 1.0, 0.0)) + cinc[pidx][None, :]
    tie = np.where((defense + anyally) > 0, strength, -np.inf)
    init = np.where(np.isfinite(tie.max(axis=1)), tie.argmax(axis=1), P)
    budget = BUDGET_PER_CINC * cinc[pidx]
    every = np.where(democracy, 4, 0)
    notes = {"data_year": year, "patron_codes": majors, "codes": codes,
             "observed_alignment": [majors[a] if a < P else None for a in init]}
    return World(
        states=tuple(abb.get(c, str(c)) for c in codes), patrons=tuple(abb.get(m, str(m)) for m in majors),
        factions=("incumbent", "opposition"), active=np.ones((C, F), bool), base_logit=base,
        coercion=coercion, affinity=affinity, power=power, patron_power=patron_power,
        severity=severity, imminence=imminence, clarity=clarity, mistrust=mistrust,
        accommodation=np.zeros((C, P)), wedge=np.zeros((C, P)), distance_km=distance,
        interest=interest, pro_patron_share=pro_share, gesture=np.zeros((C, P)),
        available=available, projection=projection, budget=budget, commitment=np.zeros(P),
        mix=_mix_default(P), visibility=np.full((P, len(INSTRUMENTS)), 0.6),
        breadth=np.full((P, len(INSTRUMENTS)), 0.5), election_every=every,
        initial_ruling=np.zeros(C, int), initial_alignment=init.astype(int),
        aid_need=np.maximum(2.0 * BUDGET_PER_CINC * cinc, 10.0), periods=periods,
        strategy=strategy, name=f"world-{year}", year=year, notes=notes)


def _blocs(world: World, modal: np.ndarray) -> list[list[str]]:
    """Merge camps whose patrons align with each other (e.g. France with Russia)."""
    P = world.n_patrons
    parent = list(range(P))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for j, name in enumerate(world.patrons):
        if name in world.states:
            a = modal[world.states.index(name)]
            if a < P:
                parent[find(j)] = find(int(a))
    groups: dict[int, list[str]] = {}
    for j in range(P):
        groups.setdefault(find(j), []).append(world.patrons[j])
    return list(groups.values())


def forecast_camps(year: int, *, data_dir: str | os.PathLike[str] | None = None,
                   states: Sequence[str | int] | None = None, max_states: int = 50,
                   periods: int = 5, runs: int = 2_000, seed: int | None = 0,
                   strategy: str = "interest") -> dict[str, Any]:
    """Build the world of ``year`` from data, simulate it, and report its camps (JSON-able)."""
    world = world_from_data(year, data_dir=data_dir, states=states, max_states=max_states,
                            periods=periods, strategy=strategy)
    res = run_world(world, runs=runs, seed=seed)
    probs = res.alignment_probabilities(-1)
    P = world.n_patrons
    modal = probs.to_numpy().argmax(axis=1)
    camps = []
    for j, patron in enumerate(world.patrons):
        col = probs[patron]
        members = [{"state": st, "probability": round(float(col[st]), 3)}
                   for st in col.sort_values(ascending=False).index
                   if modal[world.states.index(st)] == j]
        camps.append({"patron": patron, "members": members,
                      "expected_size": round(float(col.sum()), 2)})
    observed = world.notes.get("observed_alignment", [])
    code_to_abb = dict(zip(world.notes.get("patron_codes", []), world.patrons, strict=False))
    blocs = _blocs(world, modal)
    bloc_members = []
    for group in blocs:
        idx = [world.patrons.index(g) for g in group]
        bloc_members.append({"patrons": group, "members": [
            st for k, st in enumerate(world.states) if modal[k] in idx]})
    return {
        "year": year, "periods": periods, "runs": runs, "seed": seed, "strategy": strategy,
        "n_states": world.n_states, "patrons": list(world.patrons),
        "camps": camps, "blocs": bloc_members,
        "nonaligned": [st for k, st in enumerate(world.states) if modal[k] == P],
        "alignment_probabilities": {st: {c: round(float(v), 3) for c, v in row.items()}
                                    for st, row in probs.iterrows()},
        "observed_alignment": {st: (code_to_abb.get(o) if o is not None else None)
                               for st, o in zip(world.states, observed, strict=False)},
        "notes": [f"{world.n_states} states (majors + largest by CINC); camps are the modal "
                  f"alignment after {periods} years; probabilities over {runs} runs"],
    }
