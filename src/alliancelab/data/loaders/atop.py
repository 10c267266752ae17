"""ATOP: 5.1 directed dyad-year (peacesciencer layout) and 4.01 member/alliance level."""

from __future__ import annotations

import os

import pandas as pd

from .._source import Dataset, register
from ._common import load_frame

__all__ = ["ATOP_ALLIANCE", "ATOP_DYAD_YEAR", "ATOP_MEMBER", "load_atop_alliances", "load_atop_dyad_years", "load_atop_members"]

_CITE = "Leeds, Ritter, Mitchell & Long (2002), International Interactions 28(3): 237-260"
_PLEDGES = {p: "INTEGER" for p in ("atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul")}

ATOP_DYAD_YEAR = register(Dataset(
    key="atop_ddy", title="ATOP 5.1 directed dyad-year", folder="atop",
    files=("atop5.1_directed_dyad_year_peacesciencer.csv.gz", "atop5_1ddyr.csv"),
    columns={"ccode1": "INTEGER", "ccode2": "INTEGER", "year": "INTEGER", **_PLEDGES},
    version="5.1", citation=_CITE,
))
_OBLIG = {p: "INTEGER" for p in ("defense", "offense", "neutral", "nonagg", "consul")}
ATOP_MEMBER = register(Dataset(
    key="atop_member", title="ATOP 4.01 member-level", folder="atop",
    files=("atop4.01_member-level.csv", "atop5_1m.csv", "atop4_01m.csv"),
    columns={"atopid": "INTEGER", "member": "INTEGER", "yrent": "INTEGER", "yrexit": "INTEGER", **_OBLIG},
    optional=True, version="4.01", citation=_CITE,
))
ATOP_ALLIANCE = register(Dataset(
    key="atop_alliance", title="ATOP 4.01 alliance-level", folder="atop",
    files=("atop4.01_alliance-level.csv", "atop5_1a.csv", "atop4_01a.csv"),
    columns={"atopid": "INTEGER", "begyr": "INTEGER", "endyr": "INTEGER", **_OBLIG},
    absent=("member",), optional=True, version="4.01", citation=_CITE,
))


def load_atop_dyad_years(data_dir: str | os.PathLike[str] | None = None, *, path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """ATOP 5.1 directed dyad-years with an alliance: ccode1, ccode2, year and five 0/1 pledges."""
    return load_frame(ATOP_DYAD_YEAR, data_dir, path)


def load_atop_members(data_dir: str | os.PathLike[str] | None = None, *, path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """ATOP member-level rows (alliance x member x phase); yrexit 0 (still in force) becomes NA."""
    return load_frame(ATOP_MEMBER, data_dir, path,
                      "SELECT * REPLACE (NULLIF(yrexit, 0) AS yrexit) FROM {t}")


def load_atop_alliances(data_dir: str | os.PathLike[str] | None = None, *, path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """ATOP alliance-level rows (one per alliance); endyr 0 (still in force) becomes NA."""
    return load_frame(ATOP_ALLIANCE, data_dir, path,
                      "SELECT * REPLACE (NULLIF(endyr, 0) AS endyr) FROM {t}")
