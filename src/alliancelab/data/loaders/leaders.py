"""Leaders: Archigos 4.1 leader spells and CHISOLS 4.0 change in source of leader support."""

from __future__ import annotations

import os

import pandas as pd

from .._source import Dataset, register
from ._common import load_frame

__all__ = ["ARCHIGOS", "CHISOLS", "load_archigos", "load_chisols"]

PathLike = str | os.PathLike[str] | None
_SPECIAL = ("-777", "-888", "-999")

ARCHIGOS = register(Dataset(
    key="archigos", title="Archigos 4.1 leaders", folder="archigos", files=("archigos_4.1.csv.gz", "Archigos_4.1_stata14.csv"),
    columns={"obsid": "VARCHAR", "ccode": "INTEGER", "leader": "VARCHAR", "startdate": "DATE",
             "enddate": "DATE", "entry": "VARCHAR", "exit": "VARCHAR", "exitcode": "VARCHAR",
             "yrborn": "INTEGER", "yrdied": "INTEGER", "prevtimesinoffice": "INTEGER"},
    na=("", "NA", ".") + _SPECIAL, version="4.1",
    citation="Goemans, Gleditsch & Chiozza (2009), JPR 46(2): 269-283",
))
CHISOLS = register(Dataset(
    key="chisols", title="CHISOLS 4.0 state-year", folder="chisols", files=("CHISOLSstyr4_0.csv.gz",),
    columns={"ccode": "INTEGER", "year": "INTEGER", "leader": "VARCHAR", "leadertrans": "INTEGER",
             "solschange": "INTEGER", "solschdum": "INTEGER"},
    na=("", "NA", ".", "Not Applicable"), optional=True, version="4.0",
    citation="Mattes, Leeds & Matsumura (2016), JPR 53(2): 259-267",
))


def load_archigos(data_dir: PathLike = None, *, path: PathLike = None) -> pd.DataFrame:
    """Archigos leader spells; -777/-888/-999 and the string ``NA`` become NA."""
    return load_frame(ARCHIGOS, data_dir, path, extra={"leadid": "VARCHAR", "idacr": "VARCHAR",
                                                        "posttenurefate": "VARCHAR", "gender": "VARCHAR"})


def load_chisols(data_dir: PathLike = None, *, path: PathLike = None) -> pd.DataFrame:
    """CHISOLS state-years (the key columns); "Not Applicable" becomes NA."""
    return load_frame(CHISOLS, data_dir, path, extra={"statename": "VARCHAR", "solschange30": "INTEGER"})
