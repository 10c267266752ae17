"""Strategic rivalries: Thompson & Dreyer (2012) and the Thompson, Sakuwa & Suhas (2021) update."""

from __future__ import annotations

import os

import pandas as pd

from .._source import Dataset, register
from ._common import load_frame

__all__ = ["TD_RIVALRIES", "TSS_RIVALRIES", "load_rivalries", "load_tss_rivalries"]

PathLike = str | os.PathLike[str] | None

TD_RIVALRIES = register(Dataset(
    key="td_rivalries", title="Thompson-Dreyer strategic rivalries (2012)", folder="rivalries",
    files=("td_rivalries_thompson_dreyer_2012.csv",),
    columns={"rivalryno": "INTEGER", "rivalryname": "VARCHAR", "ccode1": "INTEGER", "ccode2": "INTEGER",
             "styear": "INTEGER", "endyear": "INTEGER"},
    version="2012", citation="Thompson & Dreyer (2012), Handbook of International Rivalries, CQ Press",
))
TSS_RIVALRIES = register(Dataset(
    key="tss_rivalries", title="Thompson-Sakuwa-Suhas strategic rivalries (2021)", folder="rivalries",
    files=("tss_rivalries_thompson_sakuwa_suhas_2021.csv",),
    columns={"tssr_id": "INTEGER", "rivalry": "VARCHAR", "ccode1": "INTEGER", "ccode2": "INTEGER",
             "start": "INTEGER", "end": "INTEGER"},
    optional=True, version="2021", citation="Thompson, Sakuwa & Suhas (2022), Springer",
))


def load_rivalries(data_dir: PathLike = None, *, path: PathLike = None) -> pd.DataFrame:
    """Thompson-Dreyer rivalries (ccode1 < ccode2, start and end years)."""
    return load_frame(TD_RIVALRIES, data_dir, path,
                      extra={"region": "VARCHAR", "type1": "VARCHAR", "type2": "VARCHAR", "type3": "VARCHAR"})


def load_tss_rivalries(data_dir: PathLike = None, *, path: PathLike = None) -> pd.DataFrame:
    """Thompson-Sakuwa-Suhas rivalries; type dummies empty -> NA."""
    return load_frame(TSS_RIVALRIES, data_dir, path)
