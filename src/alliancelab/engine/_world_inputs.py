"""Data inputs of a world built from data: ideology, regime, pacts and threats (``docs/world.md``).

Each function reads the official files through :mod:`alliancelab.data` and returns arrays over the
world's states; nothing is set by hand for a state except the documented pre-1945 communist rulers
(:data:`PRE1945_COMMUNIST`), which Herre's dataset does not cover.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..theory import disparity as dy

__all__ = ["ALLIANCE_OF_RECORD", "COMMUNIST_PARTY", "NEUTRAL_BY_TREATY", "PROXIMITY_KM", "PACT_WEIGHTS", "PRE1945_COMMUNIST", "Ideology", "ideology",
           "camp_pledges", "ended_in_year", "measured_power", "neutral_by_treaty", "pact_weights", "patron_means", "polity2", "power_vectors", "threat_list"]

#: A ruling party whose English name matches is a communist or workers' party (Herre's
#: ``leader_party_eng``); it counts only in a non-democracy (``democracy == "no"``).
COMMUNIST_PARTY = re.compile(
    r"communis|workers'? party|working people's party|united workers|socialist unity party of germany"
    r"|party of labour / albanian|people's revolutionary party|mongolian people's|lao people's"
    r"|party of the working people of ethiopia|kampuchean|liberation of angola|congolese party of labour"
    r"|people's democratic party of afghanistan|yemeni socialist|cuban socialist revolution"
    r"|integrated revolutionary organizations|somali revolutionary socialist", re.I)

#: Ruling communist parties before Herre's coverage (1945): the Soviet Union (COW 365, from the
#: USSR's founding treaty of 30 December 1922; Bolshevik Russia before) and the Mongolian People's
#: Republic (COW 712, from its proclamation, 26 November 1924). Source: Service, R. (2007)
#: *Comrades: a world history of communism*, ch. 8 and 12.
PRE1945_COMMUNIST: dict[int, int] = {365: 1917, 712: 1924}

#: States neutral by treaty (E19), COW code -> (first year, last year), from the treaties
#: themselves: Switzerland, perpetual neutrality recognised by the Powers' Declaration of
#: 20 March 1815 and the Act of Paris of 20 November 1815; Belgium, the Treaty of London of
#: 19 April 1839, until the Treaty of Versailles (1919, art. 31) ended it; Luxembourg, the Treaty of
#: London of 11 May 1867, until it gave neutrality up by joining the Brussels Treaty (17 March 1948);
#: Austria, the Moscow Memorandum (15 April 1955) and the State Treaty (15 May 1955), neutrality law
#: of 26 October 1955; Laos, the Geneva Declaration on the Neutrality of Laos (23 July 1962) until
#: the Pathet Lao took power (1975); Malta, the Italy-Malta agreement on the neutrality of Malta
#: (15 September 1980). Neutrality by policy (Sweden, Ireland, India's non-alignment) is no treaty.
NEUTRAL_BY_TREATY: dict[int, tuple[int, int]] = {225: (1815, 9999), 211: (1839, 1918),
                                                 212: (1867, 1947), 305: (1955, 9999),
                                                 812: (1962, 1974), 338: (1981, 9999)}

#: Weight of an ATOP pledge in the camp network and the starting alignment: defence and offence
#: pledges 1, consultation (ATOP's entente-like pledge) 0.5, neutrality and non-aggression 0.
PACT_WEIGHTS: dict[str, float] = {"atop_defense": 1.0, "atop_offense": 1.0, "atop_consul": 0.5,
                                  "atop_neutral": 0.0, "atop_nonagg": 0.0}


#: The least pact weight that makes an alliance of record (a state's starting alignment): a defence
#: or offence pledge. Consultation pledges (0.5) count in the camp network and in interest only.
ALLIANCE_OF_RECORD = 1.0

#: e-folding distance (km) of proximity ``max(contiguity, exp(-distance / PROXIMITY_KM))`` (Walt's
#: proximity in threats, and a patron's interest in a client)
PROXIMITY_KM = 3_000.0
_MID_WINDOW = 5             # years of MIDs that still make a threat


@dataclass(frozen=True)
class Ideology:
    """Per state: ``communist`` (0/1), ``left_right`` (-1 left, 0 centre or unknown, +1 right),
    ``democracy`` in [0, 1] (Polity2 rescaled; V-Dem polyarchy where Polity is missing),
    ``source`` (``"herre"``, ``"pre-1945"`` or ``"none"``)."""

    communist: np.ndarray
    left_right: np.ndarray
    democracy: np.ndarray
    source: list[str]


def neutral_by_treaty(codes: list[int], year: int) -> np.ndarray:
    """``(C,)`` bool: the state is neutral by treaty in ``year`` (:data:`NEUTRAL_BY_TREATY`)."""
    return np.array([c in NEUTRAL_BY_TREATY and NEUTRAL_BY_TREATY[c][0] <= year <= NEUTRAL_BY_TREATY[c][1]
                     for c in codes], bool)


def polity2(codes: list[int], panel: pd.DataFrame) -> np.ndarray:
    """Polity2 of ``codes`` from the state-year panel, which fills the democracy file's gaps from
    Polity5 with its codes mapped to COW (:data:`~alliancelab.data.loaders.regime.POLITY_TO_COW`:
    the USSR is 364 in Polity, 365 in COW), so a world and the panel read the same value."""
    return panel.reindex(codes)["polity2"].to_numpy(float)


def measured_power(nmc: pd.DataFrame, codes: list[int], year: int) -> tuple[np.ndarray, np.ndarray]:
    """``(C, 2)`` military and economic power of ``codes`` in ``year`` from COW NMC, and ``(C, 2)``
    flags of the values imputed.

    Each NMC indicator is a share of that year's system total (as CINC); the components are CINC's
    sub-indices (:func:`~alliancelab.theory.disparity.components_from_nmc`), which already leave a
    missing indicator out of the mean. A component still missing for a state (every indicator of it
    missing that year) is taken from the state's own nearest earlier year with data (never a later
    one: a world of ``year`` uses data known by then), else from the state's other component, else
    the year's smallest measured value (a state without any capability data is among the smallest).
    A missing value is never read as 0 or as parity.
    """
    cols = list(dy.NMC_COLUMNS)
    n = nmc[nmc["year"] <= year]
    sh = pd.DataFrame({"ccode": n["ccode"].to_numpy(int), "year": n["year"].to_numpy(int)})
    for c in cols:
        v = n[c].to_numpy(float)
        v = np.where(v >= 0, v, np.nan)
        tot = pd.Series(np.nan_to_num(v), index=n.index).groupby(n["year"].to_numpy()).transform("sum")
        sh[c] = np.where(tot.to_numpy() > 0, v / np.where(tot.to_numpy() > 0, tot.to_numpy(), 1), np.nan)
    comp = dy.components_from_nmc(*(sh[c].to_numpy() for c in cols))
    sh["mil"], sh["eco"] = comp[:, 0], comp[:, 1]
    sh = sh[sh["ccode"].isin(codes)].sort_values(["ccode", "year"])
    now = sh[sh["year"] == year].drop_duplicates("ccode").set_index("ccode").reindex(codes)
    out = now[["mil", "eco"]].to_numpy(float)
    imputed = np.isnan(out)
    if imputed.any():
        for j, col in enumerate(("mil", "eco")):
            last = sh.dropna(subset=[col]).groupby("ccode")[col].last().reindex(codes).to_numpy(float)
            out[:, j] = np.where(np.isnan(out[:, j]), last, out[:, j])
        out = np.where(np.isnan(out), out[:, ::-1], out)
        floor = np.nanmin(now[["mil", "eco"]].to_numpy(float), axis=0) if (~np.isnan(
            now[["mil", "eco"]].to_numpy(float))).any() else np.zeros(2)
        out = np.where(np.isnan(out), np.nan_to_num(floor)[None, :], out)
    return out, imputed


def patron_means(nmc: pd.DataFrame, majors: list[int], year: int, fallback: np.ndarray) -> np.ndarray:
    """Each patron's share of the year's world military expenditure (NMC ``milex``), the money a
    patron's support (aid, arms, troops) is paid from; ``fallback`` (its CINC) where ``milex`` is
    missing. CINC also counts population and industry, which pay for no support: with CINC, China
    (the largest CINC from the 1990s on) had the largest budget of all patrons."""
    n = nmc[nmc["year"] == year]
    share = pd.Series(dy.shares_of_total(n["milex"].to_numpy(float)), index=n["ccode"].to_numpy(int))
    share = share[~share.index.duplicated()].reindex(majors).to_numpy(float)
    return np.where(np.isnan(share), np.asarray(fallback, float), share)


def power_vectors(measured: np.ndarray) -> np.ndarray:
    """``(C, K)`` power vectors (Y1) from the ``(C, 2)`` measured military and economic power.

    The ideological, cultural and institutional components have no data for any state. Each is
    imputed as the state's own composite of the measured components (their mean: Y1 weighs military
    and economic power equally), so a component without data carries the disparity the measured
    components show instead of counting as parity: for the USSR and Poland in 1950, D is 0.71
    when the three count as parity and about 0.9 this way, as on the two measured components.
    """
    m = np.asarray(measured, float)
    out = np.empty((m.shape[0], len(dy.POWER_COMPONENTS)))
    out[:, :2] = m
    out[:, 2:] = m.mean(axis=1, keepdims=True)
    return out


def ideology(root: Path, codes: list[int], year: int, pol2: np.ndarray, polyarchy: np.ndarray) -> Ideology:
    """The communist / non-communist axis and economic left/right of each state's ruler in ``year``
    (Herre from 1945; :data:`PRE1945_COMMUNIST` before), and democracy in [0, 1]."""
    C = len(codes)
    dem = np.where(np.isnan(pol2), np.nan_to_num(polyarchy, nan=0.3), (pol2 + 10.0) / 20.0)
    comm = np.zeros(C)
    lr = np.zeros(C)
    src = ["none"] * C
    if year >= 1945:
        from ..data.loaders.ideology import load_leader_ideology

        gli = load_leader_ideology(root)
        gli = gli[gli["year"] == year].drop_duplicates("ccode").set_index("ccode").reindex(codes)
        party = gli["leader_party_eng"].fillna("").astype(str)
        nondem = gli["democracy"].fillna("").astype(str).str.lower() == "no"
        comm = (nondem & party.str.contains(COMMUNIST_PARTY)).to_numpy(float)
        lab = gli["leader_ideology"].fillna("").astype(str)
        lr = np.select([lab == "leftist", lab == "rightist"], [-1.0, 1.0], 0.0)
        src = ["herre" if isinstance(v, str) and v else "none" for v in gli["leader_ideology"]]
    else:
        for i, c in enumerate(codes):
            if c in PRE1945_COMMUNIST and year >= PRE1945_COMMUNIST[c]:
                comm[i], lr[i], src[i] = 1.0, -1.0, "pre-1945"
    return Ideology(communist=comm, left_right=lr, democracy=dem, source=src)


def ended_in_year(members: pd.DataFrame | None, codes: list[int], year: int) -> np.ndarray:
    """``(C, C)`` bool: the pair's ATOP alliances all ended during ``year``.

    ATOP's dyad-year file lists a pledge in every year it was in force at any time, so a world of
    ``year`` would count an alliance denounced in the course of the year (the USSR's treaties with
    Yugoslavia, ended in September-October 1949 after the Tito-Stalin split). From ATOP's
    member-level file (``members``: atopid, member, yrent, yrexit; yrexit NA = in force): a pair
    sharing an alliance in force in ``year`` but none still in force at its end. Without the
    (optional) member-level file, nothing is dropped.
    """
    C = len(codes)
    out = np.zeros((C, C), bool)
    if members is None or members.empty:
        return out
    pos = {c: i for i, c in enumerate(codes)}
    m = members[members["member"].isin(codes) & (members["yrent"] <= year)]
    exit_ = m["yrexit"].astype("Float64").fillna(np.inf).to_numpy(float)
    during = m[exit_ >= year]
    at_end = m[exit_ > year]

    def pairs(frame: pd.DataFrame) -> np.ndarray:
        x = np.zeros((C, C), bool)
        for _, g in frame.groupby("atopid"):
            idx = sorted({pos[int(c)] for c in g["member"]})
            if len(idx) > 1:
                x[np.ix_(idx, idx)] = True
        np.fill_diagonal(x, False)
        return x

    return pairs(during) & ~pairs(at_end)


def pact_weights(dd: pd.DataFrame, pos: dict[int, int], C: int,
                 ended: np.ndarray | None = None) -> np.ndarray:
    """``(C, C)`` symmetric pact weight of each pair (:data:`PACT_WEIGHTS`, the strongest pledge);
    pairs whose alliances all ended during the year (``ended``, :func:`ended_in_year`) get 0."""
    w = np.zeros((C, C))
    cols = [c for c, v in PACT_WEIGHTS.items() if v > 0]
    val = np.max(np.stack([dd[c].fillna(0).to_numpy(float) * PACT_WEIGHTS[c] for c in cols]), axis=0)
    i = dd["ccode1"].map(pos).to_numpy()
    j = dd["ccode2"].map(pos).to_numpy()
    ok = ~(pd.isna(i) | pd.isna(j))
    i, j, val = i[ok].astype(int), j[ok].astype(int), val[ok]
    np.maximum.at(w, (i, j), val)
    np.maximum.at(w, (j, i), val)
    if ended is not None:
        w[ended] = 0.0
    return w


def camp_pledges(dd: pd.DataFrame, members: pd.DataFrame | None, pos: dict[int, int], C: int,
                 year: int, ended: np.ndarray | None = None
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(C, C)`` directed camp weight ``W[i, j]`` of ``i``'s own pledges toward ``j``; ``(C, C)``
    bool ``treaty``: the pair has an ATOP alliance of any kind in force (neutrality and
    non-aggression included); ``(C, C)`` bool ``conditional``: ``i``'s defence pledges to ``j`` are
    all conditional on non-provocation (below); all without the pairs whose alliances all ended
    during the year.

    ``W[i, j]`` is ``i``'s strongest obligation toward ``j`` in ATOP 5.1's directed dyad-year file
    (``ccode1``'s pledges to ``ccode2``; :data:`PACT_WEIGHTS`: defence and offence 1, consultation
    0.5, neutrality and non-aggression 0), read with the terms of ATOP's member-level file
    (``members``, optional) for the alliances in force at the end of ``year``: when every alliance
    in which ``i`` pledges defence to ``j`` makes that pledge conditional on the partner not
    provoking the attack (``defconpr`` = 1) and ``i`` pledges no offence in it, the pledge is no
    camp membership: such an alliance gives ``i`` no camp weight at all (its consultation clause
    serves to establish the casus foederis), and ``W[i, j]`` is ``i``'s strongest obligation in the
    pair's other alliances (the Triple Alliance for Italy, the 1883 alliance for Romania, the
    Anglo-Japanese alliance for Japan: ``docs/world.md``). Without the member-level file the
    dyad-year weights stand.
    """
    w = np.zeros((C, C))
    i = dd["ccode1"].map(pos).to_numpy()
    j = dd["ccode2"].map(pos).to_numpy()
    ok = ~(pd.isna(i) | pd.isna(j))
    i, j = i[ok].astype(int), j[ok].astype(int)
    cols = [c for c, v in PACT_WEIGHTS.items() if v > 0]
    pledge = {c: dd[c].fillna(0).to_numpy(float)[ok] for c in PACT_WEIGHTS}
    val = np.max(np.stack([pledge[c] * PACT_WEIGHTS[c] for c in cols]), axis=0)
    anything = np.max(np.stack(list(pledge.values())), axis=0) > 0
    np.maximum.at(w, (i, j), val)
    treaty = np.zeros((C, C), bool)
    treaty[i[anything], j[anything]] = True
    cond = np.zeros((C, C), bool)
    treaty |= treaty.T
    if members is not None and not members.empty:
        m = members[members["member"].isin(list(pos)) & (members["yrent"] <= year)]
        exit_ = m["yrexit"].astype("Float64").fillna(np.inf).to_numpy(float)
        m = m[exit_ > year]

        def flag(col: str) -> np.ndarray:
            if col not in m:
                return np.zeros(len(m), bool)
            return m[col].fillna(0).to_numpy(float) == 1

        defense, offense, consul = flag("defense"), flag("offense"), flag("consul")
        provo = flag("defconpr")
        conditional = defense & provo & ~offense
        own = np.where(offense | (defense & ~provo), 1.0,
                       np.where(conditional, 0.0,
                                np.where(consul, PACT_WEIGHTS["atop_consul"], 0.0)))
        best = np.zeros((C, C))
        has_cond = np.zeros((C, C), bool)
        has_firm = np.zeros((C, C), bool)
        idx = m["member"].map(pos).to_numpy(int)
        for _, rows in pd.Series(np.arange(len(m))).groupby(m["atopid"].to_numpy()):
            r = rows.to_numpy()
            for a in r:
                others = np.unique(idx[r][idx[r] != idx[a]])
                best[idx[a], others] = np.maximum(best[idx[a], others], own[a])
                has_cond[idx[a], others] |= conditional[a]
                has_firm[idx[a], others] |= own[a] >= 1.0
        cond = has_cond & ~has_firm
        w = np.where(cond, best, w)
    if ended is not None:
        w[ended] = 0.0
        treaty[ended] = False
        cond[ended] = False
    np.fill_diagonal(w, 0.0)
    np.fill_diagonal(treaty, False)
    np.fill_diagonal(cond, False)
    return w, treaty, cond


def threat_list(root: Path, codes: list[int], year: int, *, rivalry: np.ndarray, dist_km: np.ndarray,
                contig: np.ndarray, cinc: np.ndarray, mil: np.ndarray, major: np.ndarray,
                allied: np.ndarray) -> dict[str, np.ndarray | list[str] | list[int]]:
    """Threats with their source: for every actor ``j`` and target ``i``.

    ``i`` is a target of ``j`` when they are strategic rivals (``rivalry`` ``(C, C)``), when ``j``
    threatened, displayed or used force against ``i`` in a MID in the last five years (COW MID 5.0
    directed dispute-years, ``j``'s hostility level >= 2), or when ``j`` is a major power within
    reach of ``i`` (proximity >= exp(-1)) and not allied with it (Walt: power and proximity threaten
    by themselves). Severity is Walt's (:func:`~alliancelab.theory.disparity.walt_threat`) with
    the actor's CINC share, proximity ``max(contiguity, exp(-distance / 3000 km))``, the actor's
    military share and intentions (rivalry and MID 1, one of them 0.75, proximity only 0.25);
    imminence 1 for an ongoing MID, 0.6 for a recent one, else 0.2; clarity 1 for a rivalry, 0.7
    for a MID, else 0.4. Each (actor, target) threat also targets every major power the actor
    threatens, so a patron and a client facing the same enemy share the threat (Y5).
    ``severity_by_target`` ``(N, C)``: the actor's severity toward each target, from that pair's own
    proximity and intentions (a row's major-power targets are threatened at their own distance from
    the actor, not at the row's target's); read with Y13 (a scenario's ``severity_by_target``).

    Also returned: ``mid`` and ``ongoing`` ``(C, C)`` [actor, target] (hostility >= 2 in the last
    five years / this year) and ``mid_ever`` ``(C, C)`` (any MID between the two up to ``year``).
    """
    from ..data import load_mid_dyadic

    C = len(codes)
    pos = {c: i for i, c in enumerate(codes)}
    mids = load_mid_dyadic(root)
    known = mids[(mids["year"] <= year) & mids["ccode1"].isin(codes) & mids["ccode2"].isin(codes)]
    ever = np.zeros((C, C), bool)                  # any MID between the two up to the year
    ever[known["ccode1"].map(pos).to_numpy(int), known["ccode2"].map(pos).to_numpy(int)] = True
    ever |= ever.T
    mids = mids[(mids["year"] > year - _MID_WINDOW) & (mids["year"] <= year) & (mids["hostlev1"] >= 2)
                & mids["ccode1"].isin(codes) & mids["ccode2"].isin(codes)]
    mid = np.zeros((C, C))        # [actor, target]
    ongoing = np.zeros((C, C))
    for a, t, y in zip(mids["ccode1"], mids["ccode2"], mids["year"], strict=False):
        mid[pos[int(a)], pos[int(t)]] = 1.0
        if int(y) == year:
            ongoing[pos[int(a)], pos[int(t)]] = 1.0
    prox = np.maximum(contig, np.exp(-dist_km / PROXIMITY_KM))
    near = major[:, None] & (prox >= np.exp(-1.0)) & (allied <= 0)
    riv = rivalry > 0
    target = riv | (mid > 0) | near
    np.fill_diagonal(target, False)
    intent = np.where(riv & (mid > 0), 1.0, np.where(riv | (mid > 0), 0.75, 0.25))
    top = max(float(cinc.max()), 1e-9)
    sev = dy.walt_threat(np.broadcast_to((cinc / top)[:, None], (C, C)), prox,
                         np.broadcast_to(mil[:, None], (C, C)), intent)
    imm = np.where(ongoing > 0, 1.0, np.where(mid > 0, 0.6, 0.2))
    cla = np.where(riv, 1.0, np.where(mid > 0, 0.7, 0.4))
    a_idx, t_idx = np.nonzero(target)
    clients = np.zeros((len(a_idx), C), bool)
    clients[np.arange(len(a_idx)), t_idx] = True
    clients |= target[a_idx] & major[None, :]          # the actor's major-power targets too
    return {"actor": [codes[a] for a in a_idx], "clients": clients, "severity": sev[a_idx, t_idx],
            "severity_by_target": sev[a_idx],
            "imminence": imm[a_idx, t_idx], "clarity": cla[a_idx, t_idx], "mid": mid,
            "ongoing": ongoing, "mid_ever": ever}
