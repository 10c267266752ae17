"""Regimes: Polity5 (p5v2018) and the isard V-Dem/Polity/UDS panel on COW state-years."""

from __future__ import annotations

import os

import pandas as pd

from .._source import Dataset, register
from ._common import load_frame

__all__ = ["DEMOCRACY", "POLITY5", "load_democracy", "load_polity5"]

PathLike = str | os.PathLike[str] | None
_SPECIAL = ("-66", "-77", "-88")

POLITY5 = register(Dataset(
    key="polity5", title="Polity5 p5v2018", folder="polity5", files=("p5v2018.csv.gz", "p5v2018.csv"),
    columns={"ccode": "INTEGER", "scode": "VARCHAR", "country": "VARCHAR", "year": "INTEGER",
             "democ": "INTEGER", "autoc": "INTEGER", "polity": "INTEGER", "polity2": "INTEGER",
             "durable": "INTEGER"},
    na_columns={c: _SPECIAL for c in ("democ", "autoc", "polity")}, optional=True, version="p5v2018",
    citation="Marshall & Gurr (2020), Polity5 users' manual, Center for Systemic Peace",
))
DEMOCRACY = register(Dataset(
    key="democracy", title="V-Dem v16 / Polity / UDS on COW state-years (isard cw_democracy)",
    folder="democracy_vdem", files=("cw_democracy_isard.csv.gz",),
    columns={"ccode": "INTEGER", "year": "INTEGER", "euds": "DOUBLE", "aeuds": "DOUBLE",
             "polity2": "DOUBLE", "v2x_polyarchy": "DOUBLE"},
    version="V-Dem v16", citation="Coppedge et al. (2026) V-Dem v16; Marquez (2016); Miller's isard",
))


def load_polity5(data_dir: PathLike = None, *, path: PathLike = None) -> pd.DataFrame:
    """Polity5 country-years (Polity's own ccodes); -66/-77/-88 in democ/autoc/polity become NA."""
    return load_frame(POLITY5, data_dir, path)


def load_democracy(data_dir: PathLike = None, *, path: PathLike = None) -> pd.DataFrame:
    """COW state-years with v2x_polyarchy, polity2, euds, aeuds."""
    return load_frame(DEMOCRACY, data_dir, path)
