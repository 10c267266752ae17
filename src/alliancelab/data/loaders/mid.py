"""Militarized interstate disputes: COW MID 5.0 (MIDA, MIDB, peacesciencer dyadic) and GML 2.1.1."""

from __future__ import annotations

import os

import pandas as pd

from .._source import Dataset, register
from ._common import load_frame

__all__ = ["GML", "MIDA", "MIDB", "MID_DYADIC", "load_gml", "load_mida", "load_midb", "load_mid_dyadic"]

PathLike = str | os.PathLike[str] | None
_NA = ("", "NA", ".", "-9")
_CITE5 = "Palmer et al. (2022), CMPS 39(4): 470-482"

MIDA = register(Dataset(
    key="mida", title="COW MID 5.0 MIDA (dispute level)", folder="cow_mid5", files=("MIDA 5.0.csv",),
    columns={"dispnum": "INTEGER", "styear": "INTEGER", "endyear": "INTEGER", "hostlev": "INTEGER",
             "outcome": "INTEGER", "fatality": "INTEGER", "numa": "INTEGER", "numb": "INTEGER"},
    absent=("ccode",), na=_NA, optional=True, version="5.0", citation=_CITE5,
))
MIDB = register(Dataset(
    key="midb", title="COW MID 5.0 MIDB (participant level)", folder="cow_mid5", files=("MIDB 5.0.csv",),
    columns={"dispnum": "INTEGER", "ccode": "INTEGER", "stday": "INTEGER", "stmon": "INTEGER",
             "styear": "INTEGER", "endday": "INTEGER", "endmon": "INTEGER", "endyear": "INTEGER",
             "sidea": "INTEGER", "hostlev": "INTEGER", "fatality": "INTEGER", "orig": "INTEGER"},
    absent=("incidnum",), na=_NA, version="5.0", citation=_CITE5,
))
MID_DYADIC = register(Dataset(
    key="mid_dyadic", title="COW MID 5.0 directed dyad-dispute-year (peacesciencer)", folder="cow_mid5",
    files=("cow_mid5_directed_dyad_dispute_year_peacesciencer.csv.gz",),
    columns={"dispnum": "INTEGER", "ccode1": "INTEGER", "ccode2": "INTEGER", "year": "INTEGER",
             "dispongoing": "INTEGER", "disponset": "INTEGER", "hostlev1": "INTEGER", "hostlev2": "INTEGER"},
    na=_NA, optional=True, version="5.0", citation=_CITE5 + "; Miller (2022) peacesciencer",
))
GML = register(Dataset(
    key="gml", title="GML MID 2.1.1 directed dyad-year", folder="gml_mid",
    files=("gml-ddy-disputes-2.1.1.csv.gz",),
    columns={"dispnum": "INTEGER", "ccode1": "INTEGER", "ccode2": "INTEGER", "year": "INTEGER",
             "midonset": "INTEGER", "midongoing": "INTEGER", "hostlev": "INTEGER", "fatality": "INTEGER"},
    na=_NA, version="2.1.1", citation="Gibler, Miller & Little (2016), ISQ 60(4): 719-730",
))


def load_mida(data_dir: PathLike = None, *, path: PathLike = None) -> pd.DataFrame:
    """MID 5.0 dispute-level rows; -9 becomes NA."""
    return load_frame(MIDA, data_dir, path)


def load_midb(data_dir: PathLike = None, *, path: PathLike = None) -> pd.DataFrame:
    """MID 5.0 participant-level rows; -9 becomes NA."""
    return load_frame(MIDB, data_dir, path, extra={"stabb": "VARCHAR", "revstate": "INTEGER", "hiact": "INTEGER"})


def load_mid_dyadic(data_dir: PathLike = None, *, path: PathLike = None) -> pd.DataFrame:
    """peacesciencer's directed dyad-dispute-years from MIDB 5.0; -9 becomes NA."""
    return load_frame(MID_DYADIC, data_dir, path)


def load_gml(data_dir: PathLike = None, *, path: PathLike = None) -> pd.DataFrame:
    """GML MID 2.1.1 directed dispute-dyad-years; -9 becomes NA."""
    return load_frame(GML, data_dir, path)
