"""A world built from the real datasets for one year, and its forecast camps.

Everything comes from the panel of :mod:`alliancelab.data` (``state_years``/``dyad_years``) and
the COW NMC file; nothing is set by hand per state. The mapping from data to model facts uses a few
global constants (below), documented with their reasons in ``docs/world.md``:

=====================  =========================================================================
patrons                COW major powers of the year
clients                every system member (or ``states``), the ``max_states`` largest by CINC,
                       always including the majors (a major is also a client of the other majors)
power (Y1)             military and economic components from NMC shares (CINC's sub-indices; a
                       missing one from the state's own earlier years); ideological, cultural,
                       institutional power have no data: imputed as the state's measured composite
common threat (Y5)     Walt's components from the dyad's shared strategic rivals and shared MID
                       opponents (last 5 years) and the strongest such common enemy's CINC;
                       imminence from shared MID opponents, clarity from a shared strategic rival
mistrust (Y10)         ``exp(-peace_years / 10)`` between client and patron with a MID history, else 0
available              a patron is not an option for itself, a strategic rival or a state against
                       which it threatens or uses force in an ongoing MID
distance (Y12)         capital distance; projection = patron's military share / largest patron's
factions (E1)          ``incumbent`` and ``opposition``; baseline support from regime (Polity:
                       autocratic incumbents dominate) and recent irregular exits (Archigos)
coercion (E2)          incumbent controls the army; opposition armed capacity grows with irregular
                       leader exits in the last 5 years
ideology (E14)         incumbent at Polity2/10 (V-Dem polyarchy when Polity is missing), the
                       opposition leaning the other way; affinity = 1 - |ideology distance|
interest (E7)          contiguity, the client's CINC, an existing alliance
pacts                  ATOP pledges of the year still in force at its end (member-level exit years);
                       for the camp read-out also each state's own pledges, directed, with their
                       terms (``notes["pledges"]``: a pledge conditional on non-provocation is no
                       camp membership; ``_world_inputs.camp_pledges``)
initial alignment      the strongest major with which the state has an ATOP defence or offence pledge
budgets                proportional to the patron's share of world military expenditure (NMC milex)
elections              every 4 years where Polity2 >= 6
neutral by treaty      Switzerland, Belgium 1839-1918, Luxembourg 1867-1947, Austria from 1955, Laos
                       1962-74, Malta from 1981 (E19; the treaties in ``_world_inputs``)
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
from ._world_inputs import (ALLIANCE_OF_RECORD, camp_pledges, ended_in_year, ideology,
                            measured_power,
                            neutral_by_treaty, pact_weights, patron_means, polity2, power_vectors,
                            threat_list)
from .world import Threats, World, _mix_default, run_world

__all__ = ["BUDGET_PER_CINC", "INPUT_OPTIONS", "forecast_camps", "input_options",
           "require_world_files", "world_from_data"]

#: Million USD of support per period per unit of CINC (a patron with 20% of world CINC spends 1,000).
BUDGET_PER_CINC = 5_000.0
_PEACE_SCALE = 10.0
#: Weights of the ideological distance behind affinity (E14): the communist / non-communist axis
#: first (paper E's East-West affinity), economic left/right and regime (democracy) second.
W_COMMUNIST, W_LEFT_RIGHT, W_REGIME = 0.6, 0.2, 0.2


#: The optional input rules of :func:`world_from_data` (off by default; ``docs/world.md``).
INPUT_OPTIONS: tuple[str, ...] = ("threat_by_target", "hostile_unpaid")


def input_options(names: Sequence[str] | None) -> dict[str, bool]:
    """``{name: True}`` for each named input option; a one-line :class:`InputError` for an
    unknown one."""
    out = {}
    for name in names or ():
        key = str(name).strip().replace("-", "_")
        if key not in INPUT_OPTIONS:
            raise InputError(f"unknown input option {name!r}; choose from "
                             f"{', '.join(INPUT_OPTIONS)}", field="--input")
        out[key] = True
    return out


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


def _atop_members(root: Any) -> pd.DataFrame | None:
    """ATOP's member-level file (optional), read once per data folder."""
    from ..data._source import find_file
    from ..data.loaders.atop import ATOP_MEMBER, load_atop_members

    key = str(root)
    if key not in _MEMBERS:
        frame = None
        if find_file(ATOP_MEMBER, root) is not None:
            from ..data.loaders._common import load_frame
            try:     # the terms of the pledges (camp read-out): conditional on non-provocation
                frame = load_frame(ATOP_MEMBER, root, None,
                                   "SELECT * REPLACE (NULLIF(yrexit, 0) AS yrexit) FROM {t}",
                                   extra={"defconpr": "INTEGER"})
            except Exception:  # noqa: BLE001 - a member file without the terms: the plain loader
                frame = load_atop_members(root)
        _MEMBERS[key] = frame
    return _MEMBERS[key]


def _atop_directed(root: Any, year: int, codes: list[int]) -> pd.DataFrame:
    """ATOP 5.1 directed dyad-years of ``year`` among ``codes`` (``ccode1``'s pledges to
    ``ccode2``), the file read once per data folder."""
    from ..data import load_atop_dyad_years

    key = str(root)
    if key not in _DIRECTED:
        _DIRECTED[key] = load_atop_dyad_years(root)
    d = _DIRECTED[key]
    return d[(d["year"] == year) & d["ccode1"].isin(codes) & d["ccode2"].isin(codes)]


_MEMBERS: dict[str, pd.DataFrame | None] = {}
_DIRECTED: dict[str, pd.DataFrame] = {}


def require_world_files(root: Any) -> None:
    """One-line :class:`InputError` naming the first dataset a world needs that is missing."""
    from ..data._source import require_file
    from ..data.loaders.ideology import LEADER_IDEOLOGY
    from ..data.loaders.regime import POLITY5

    for ds in (LEADER_IDEOLOGY, POLITY5):
        require_file(ds, root)


def world_from_data(year: int, *, data_dir: str | os.PathLike[str] | None = None,
                    states: Sequence[str | int] | None = None, max_states: int = 50,
                    periods: int = 5, strategy: str = "interest",
                    threat_by_target: bool = False, hostile_unpaid: bool = False,
                    rival_friends_unpaid: bool = False) -> World:
    """Build the :class:`World` of ``year`` from the real datasets (see the module docstring).

    Three input rules, off by default (``docs/world.md``, *Camps in known years*): the first two
    because each lowers the world backtest's onset AUC, the third because it fixes as many listed
    camps as it breaks:

    * ``threat_by_target``: each threat's severity per target (Y13's ``severity_by_target``), from
      the actor's proximity to and intentions toward that target; off, a threat carries the
      severity of the actor's dyad with the state it is listed for, also toward the majors it
      targets.
    * ``hostile_unpaid``: a patron that threatened, displayed or used force against a state in a
      MID of the last five years (the window in which the MID is a threat) pays it nothing
      (``World.unpaid``); it remains an option unless the MID is ongoing.
    * ``rival_friends_unpaid``: a major funds no faction friendlier (E14 affinity) to one of its
      strategic rivals among the majors than to itself, and pays the friendliest faction that is
      not; a state where every faction is a rival's friend gets nothing from it, and its share of
      the budget is not spent on the others (``World.rivals``; an ally of record is paid all the
      same). Not a CLI ``--input`` (``INPUT_OPTIONS`` is the session-12 pair); measured with
      ``score_camps(year, inputs={"rival_friends_unpaid": True})`` and
      ``world_backtest.backtest(..., inputs={"rival_friends_unpaid": True})``."""
    from ..data import dyad_years, load_nmc, load_states, state_years

    root = resolve_data_dir(data_dir)
    require_world_files(root)
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
    # (a missing indicator from the state's own earlier years; components without data imputed
    # from the measured ones, never read as parity: _world_inputs.measured_power, power_vectors)
    nmc = load_nmc(root)
    measured, power_imputed = measured_power(nmc, codes, year)
    power = power_vectors(measured)
    pidx = [pos[m] for m in majors]
    patron_power = power[pidx]

    # dyads among the world's states, as (C, C) matrices (symmetric sources)
    dd = dyad_years(root, start=year, end=year)
    dd = dd[(dd["year"] == year) & dd["ccode1"].isin(codes) & dd["ccode2"].isin(codes)]

    def pair(col: str, fill: float) -> np.ndarray:
        out = np.full((C, C), fill, dtype=float)
        i = dd["ccode1"].map(pos).to_numpy(int)
        j = dd["ccode2"].map(pos).to_numpy(int)
        v = dd[col].to_numpy(float)
        ok = ~np.isnan(v)
        out[i[ok], j[ok]] = v[ok]
        out[j[ok], i[ok]] = v[ok]
        return out

    rivalry = pair("rivalry", 0.0)
    peace = pair("peace_years", np.nan)
    dist = pair("capdist", 5_000.0)
    np.fill_diagonal(dist, 0.0)
    ct = pair("conttype", 0.0)
    contig = ((ct >= 1) & (ct <= 5)).astype(float)
    # (C, C) camp network: pledges of the year still in force at its end
    ended = ended_in_year(_atop_members(root), codes, year)
    pacts = pact_weights(dd, pos, C, ended)
    # directed camp weights of each state's own pledges, read with their terms (the camp read-out,
    # engine/world_camps.py; the engine's inputs above do not use them)
    pledges, treaty, conditional = camp_pledges(_atop_directed(root, year, codes),
                                                _atop_members(root), pos, C, year, ended)
    pidx = [pos[m] for m in majors]
    cinc = np.nan_to_num(s["cinc"].to_numpy(float))
    major = np.zeros(C, bool)
    major[pidx] = True
    mil = power[:, 0] / max(float(power[:, 0].max()), 1e-9)

    # threats with their source (rivalries, MIDs, a major's reach), weighted by proximity
    tl = threat_list(root, codes, year, rivalry=rivalry, dist_km=dist, contig=contig, cinc=cinc,
                     mil=mil, major=major, allied=pacts)
    tc = tl["clients"]
    # each target at its own proximity to the actor (Y13 reads it): a row listed for the actor's
    # neighbour also targets the majors it threatens, at their distance, not the neighbour's
    sev_c = np.asarray(tl["severity_by_target"], float) if threat_by_target else None
    threats = Threats(actor=tuple(abb.get(int(a), str(a)) for a in tl["actor"]), clients=tc,
                      patrons=tc[:, pidx], severity=np.asarray(tl["severity"], float),
                      imminence=np.asarray(tl["imminence"], float),
                      clarity=np.asarray(tl["clarity"], float),
                      accommodation=np.zeros(len(tc)), wedge=np.zeros(len(tc)),
                      severity_c=sev_c, severity_p=None if sev_c is None else sev_c[:, pidx])
    # mistrust from the pair's MID history only: the panel's peace_years counts from the later
    # state's entry when the two never fought, which is no evidence of mistrust (a state new in
    # 1948 would mistrust every patron at exp(-1/10))
    had_mid = tl["mid_ever"]
    mistrust = np.where(had_mid & ~np.isnan(peace), np.exp(-np.nan_to_num(peace) / _PEACE_SCALE),
                        0.0)[:, pidx]
    self_patron = np.zeros((C, P), bool)
    for j, m in enumerate(majors):
        self_patron[pos[m], j] = True
    # no option: the patron itself, a strategic rival, a patron threatening, displaying or using
    # force against the state in an ongoing MID (the patron's hostility >= 2; a one-sided incident
    # such as the Nationalist blockade's seizures of U.S. ships in 1949-50 does not bar the U.S.)
    hostile_now = tl["ongoing"][pidx, :].T > 0                              # (C, P)
    available = ~self_patron & (rivalry[:, pidx] == 0) & ~hostile_now
    distance = dist[:, pidx]
    projection = patron_power[:, 0] / max(float(patron_power[:, 0].max()), 1e-9)

    # domestic facts (E1, E2) and ideology (E14): Herre's leader ideology, Polity with COW codes
    pol2 = polity2(codes, sy)
    ideo = ideology(root, codes, year, pol2, s["v2x_polyarchy"].to_numpy(float))
    irregular = np.nan_to_num(s["irregular_exits_5y"].to_numpy(float))
    democracy = np.nan_to_num(pol2, nan=-10) >= 6
    base = np.zeros((C, F))
    base[:, 0] = np.where(democracy, 0.2, 1.0) - 0.4 * np.minimum(irregular, 2)
    coercion = np.zeros((C, F))
    coercion[:, 0] = 1.0 - 0.2 * np.nan_to_num(s["entry_irregular"].to_numpy(float))
    coercion[:, 1] = np.minimum(0.1 + 0.25 * irregular, 0.8)
    # the opposition: not communist, on the other side of left/right (a centrist ruler faces the left)
    f_comm = np.stack([ideo.communist, np.zeros(C)], axis=1)                 # (C, F)
    f_lr = np.stack([ideo.left_right, np.where(ideo.left_right == 0, -1.0, -ideo.left_right)], axis=1)
    f_dem = np.stack([ideo.democracy, 1.0 - ideo.democracy], axis=1)
    dist_ideo = (W_COMMUNIST * np.abs(f_comm[:, :, None] - ideo.communist[pidx][None, None, :])
                 + W_LEFT_RIGHT * np.abs(f_lr[:, :, None] - ideo.left_right[pidx][None, None, :]) / 2.0
                 + W_REGIME * np.abs(f_dem[:, :, None] - ideo.democracy[pidx][None, None, :]))
    affinity = np.clip(1.0 - 2.0 * dist_ideo, -1, 1)
    tie = pacts[:, pidx]                                                    # (C, P) pact weights
    near = np.where(contig[:, pidx] > 0, 1.0, 0.3)
    interest = np.where(available, near * (0.2 + cinc[:, None] / max(cinc.max(), 1e-9)) + 0.5 * tie, 0.0)
    pro_share = np.clip(0.05 + 0.2 * np.clip(affinity[:, 1, :], 0, None), 0, 1)

    # starting alignment: a defence or offence pact (the alliance of record; consultation pledges
    # weigh in the network and in interest but are no alliance), the strongest partner; a major
    # aligns only with a stronger major (the strongest of a pact leads)
    stronger = cinc[pidx][None, :] > cinc[:, None]
    eligible = (tie >= ALLIANCE_OF_RECORD) & (~major[:, None] | stronger) & ~self_patron
    score = np.where(eligible, tie * 10.0 + cinc[pidx][None, :], -np.inf)
    init = np.where(np.isfinite(score.max(axis=1)), score.argmax(axis=1), P)
    budget = BUDGET_PER_CINC * patron_means(nmc, majors, year, cinc[pidx])
    every = np.where(democracy, 4, 0)
    notes = {"data_year": year, "patron_codes": majors, "codes": codes,
             "observed_alignment": [majors[a] if a < P else None for a in init],
             "pacts": pacts, "pledges": pledges, "treaty": treaty,
             "conditional": conditional, "ideology_source": ideo.source,
             "communist": ideo.communist,
             "polity2": pol2, "power_imputed": power_imputed}
    return World(
        states=tuple(abb.get(c, str(c)) for c in codes), patrons=tuple(abb.get(m, str(m)) for m in majors),
        factions=("incumbent", "opposition"), active=np.ones((C, F), bool), base_logit=base,
        coercion=np.clip(coercion, 0, 1), affinity=affinity, power=power, patron_power=patron_power,
        threats=threats, mistrust=mistrust, distance_km=distance,
        interest=np.clip(interest, 0, 1), pro_patron_share=pro_share, gesture=np.zeros((C, P)),
        available=available, projection=projection, budget=budget, commitment=np.zeros(P),
        mix=_mix_default(P), visibility=np.full((P, len(INSTRUMENTS)), 0.6),
        breadth=np.full((P, len(INSTRUMENTS)), 0.5), election_every=every,
        initial_ruling=np.zeros(C, int), initial_alignment=init.astype(int),
        aid_need=np.maximum(2.0 * BUDGET_PER_CINC * cinc, 10.0), periods=periods,
        neutral_by_treaty=neutral_by_treaty(codes, year), ally_aid_to_ruler=True,
        unpaid=(tl["mid"][pidx, :].T > 0) if hostile_unpaid else None,
        rivals=(rivalry[np.ix_(pidx, pidx)] > 0) if rival_friends_unpaid else None,
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
