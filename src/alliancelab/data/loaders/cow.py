"""COW: national material capabilities, state system and major powers, direct contiguity,
capitals (peacesciencer), and the COW Formal Alliances v4.1 official CSVs."""

from __future__ import annotations

import os

import pandas as pd

from .._source import Dataset, register
from ._common import load_frame

__all__ = [
    "CAPITALS", "CONTIGUITY", "COW_ALLIANCE_DYAD", "COW_ALLIANCE_MEMBER", "MAJORS", "NMC", "STATES",
    "load_capitals", "load_contiguity", "load_cow_alliance_dyad_years", "load_cow_alliance_members",
    "load_majors", "load_nmc", "load_states",
]

PathLike = str | os.PathLike[str] | None
_M9 = ("-9",)

NMC = register(Dataset(
    key="nmc", title="COW National Material Capabilities", folder="cow_nmc",
    files=("NMC-70-abridged_peacesciencer.csv.gz", "NMC-70-abridged.csv", "NMC-60-abridged.csv.gz",
           "NMC-60-abridged.csv"),
    columns={"ccode": "INTEGER", "year": "INTEGER", "milex": "DOUBLE", "milper": "DOUBLE", "irst": "DOUBLE",
             "pec": "DOUBLE", "tpop": "DOUBLE", "upop": "DOUBLE", "cinc": "DOUBLE"},
    na=("", "NA", ".", "-9"), version="7.0 (else 6.0)",
    citation="Singer, Bremer & Stuckey (1972); Greig & Enterline (2021) NMC v6.0/v7.0 codebook",
))
_SPELL = {"ccode": "INTEGER", "styear": "INTEGER", "stmonth": "INTEGER", "stday": "INTEGER",
          "endyear": "INTEGER", "endmonth": "INTEGER", "endday": "INTEGER"}
STATES = register(Dataset(
    key="states", title="COW State System Membership v2016", folder="cow_states",
    files=("states2016.csv",), columns={"stateabb": "VARCHAR", "statenme": "VARCHAR", **_SPELL},
    version="2016", citation="Correlates of War Project (2017), State System Membership List v2016",
))
MAJORS = register(Dataset(
    key="majors", title="COW major powers 2016", folder="cow_states",
    files=("majors2016_peacesciencer.csv", "majors2016.csv"), columns=dict(_SPELL),
    absent=("statenme",), version="2016",
    citation="Correlates of War Project (2017), State System Membership List v2016",
))
CONTIGUITY = register(Dataset(
    key="contiguity", title="COW Direct Contiguity v3.2 (peacesciencer master records)",
    folder="cow_contiguity", files=("cow_contdir_3.2_peacesciencer.csv",),
    columns={"ccode1": "INTEGER", "ccode2": "INTEGER", "conttype": "INTEGER", "stdate": "DATE", "enddate": "DATE"},
    version="3.2", citation="Stinnett, Tir, Schafer, Diehl & Gochman (2002), CMPS 19(2): 58-66",
))
CAPITALS = register(Dataset(
    key="capitals", title="COW capitals with coordinates (peacesciencer)", folder="capitals",
    files=("cow_capitals_peacesciencer.csv",),
    columns={"ccode": "INTEGER", "capital": "VARCHAR", "stdate": "DATE", "enddate": "DATE", "lat": "DOUBLE", "lng": "DOUBLE"},
    version="peacesciencer", citation="Miller (2022), CMPS 39(6): 755-779",
))
_COW_TYPES = {t: "INTEGER" for t in ("defense", "neutrality", "nonaggression", "entente")}
COW_ALLIANCE_DYAD = register(Dataset(
    key="cow_alliance_dyad", title="COW Formal Alliances v4.1 dyad-yearly", folder="cow_alliance",
    files=("alliance_v4.1_by_dyad_yearly.csv",),
    columns={"version4id": "INTEGER", "ccode1": "INTEGER", "state_name1": "VARCHAR", "ccode2": "INTEGER",
             "state_name2": "VARCHAR", "dyad_st_year": "INTEGER", "dyad_end_year": "INTEGER",
             **_COW_TYPES, "year": "INTEGER"},
    na=("", "NA", ".", "-9"), optional=True, version="4.1",
    citation="Gibler (2009), International Military Alliances, 1648-2008, CQ Press",
))
COW_ALLIANCE_MEMBER = register(Dataset(
    key="cow_alliance_member", title="COW Formal Alliances v4.1 by member", folder="cow_alliance",
    files=("alliance_v4.1_by_member.csv",),
    columns={"version4id": "INTEGER", "ccode": "INTEGER", "state_name": "VARCHAR",
             "all_st_year": "INTEGER", "all_end_year": "INTEGER", "mem_st_year": "INTEGER",
             "mem_end_year": "INTEGER", **_COW_TYPES},
    na=("", "NA", ".", "-9"), optional=True, version="4.1",
    citation="Gibler (2009), International Military Alliances, 1648-2008, CQ Press",
))


def load_nmc(data_dir: PathLike = None, *, path: PathLike = None) -> pd.DataFrame:
    """COW NMC state-years (v7.0 if present, else v6.0); -9 becomes NA."""
    return load_frame(NMC, data_dir, path, extra={"stateabb": "VARCHAR", "version": "VARCHAR"})


def load_states(data_dir: PathLike = None, *, path: PathLike = None) -> pd.DataFrame:
    """COW system-membership spells (one row per spell; trailing empty columns dropped)."""
    return load_frame(STATES, data_dir, path)


def load_majors(data_dir: PathLike = None, *, path: PathLike = None) -> pd.DataFrame:
    """COW major-power spells."""
    return load_frame(MAJORS, data_dir, path)


def load_contiguity(data_dir: PathLike = None, *, path: PathLike = None) -> pd.DataFrame:
    """COW direct-contiguity spells (directed master records, ISO dates)."""
    return load_frame(CONTIGUITY, data_dir, path)


def load_capitals(data_dir: PathLike = None, *, path: PathLike = None) -> pd.DataFrame:
    """Capital spells with latitude/longitude."""
    return load_frame(CAPITALS, data_dir, path)


def load_cow_alliance_dyad_years(data_dir: PathLike = None, *, path: PathLike = None) -> pd.DataFrame:
    """COW Formal Alliances v4.1 ``alliance_v4.1_by_dyad_yearly.csv``; empty end year (in force) -> NA."""
    return load_frame(COW_ALLIANCE_DYAD, data_dir, path,
                      extra={"left_censor": "INTEGER", "right_censor": "INTEGER", "version": "VARCHAR"})


def load_cow_alliance_members(data_dir: PathLike = None, *, path: PathLike = None) -> pd.DataFrame:
    """COW Formal Alliances v4.1 ``alliance_v4.1_by_member.csv``; empty end year (in force) -> NA."""
    return load_frame(COW_ALLIANCE_MEMBER, data_dir, path,
                      extra={"left_censor": "INTEGER", "right_censor": "INTEGER", "version": "VARCHAR"})
