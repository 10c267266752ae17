"""Regimes: Polity5 (p5v2018) and the isard V-Dem/Polity/UDS panel on COW state-years."""

from __future__ import annotations

import os

import pandas as pd

from .._source import Dataset, register
from ._common import load_frame

__all__ = ["DEMOCRACY", "POLITY5", "POLITY_TO_COW", "load_democracy", "load_polity5",
           "polity_to_cow", "polity_to_cow_sql"]

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



#: Polity5 codes that differ from COW's, as ``(polity code, COW code, first year, last year)``
#: (Marshall & Gurr 2020, Polity5 users' manual, country list; COW states2016). Polity codes the
#: Soviet Union 364 (COW 365), Serbia 342 before 1921 and after 2006 and Serbia and Montenegro 347
#: (COW 345 throughout), the Habsburg monarchy 305 "Austria" until 1918 (COW 300 Austria-Hungary),
#: Montenegro 348 (COW 341), Kosovo 341 (COW 347), Ethiopia 529 from 1993 (COW 530), Pakistan 769
#: until 1971 (COW 770), Vietnam 818 from 1976 (COW 816), South Sudan 525 (COW 626) and Sudan-North
#: 626 (COW 625). One mapping, used by the panel's democracy table (``data/_sources_sql.py``) and by
#: a world's regime inputs (``engine/_world_inputs.polity2``).
POLITY_TO_COW: tuple[tuple[int, int, int, int], ...] = (
    (364, 365, 1922, 1991), (342, 345, 1800, 2100), (347, 345, 1991, 2006), (305, 300, 1800, 1918),
    (348, 341, 2006, 2100), (341, 347, 2008, 2100), (529, 530, 1993, 2100), (769, 770, 1947, 1971),
    (818, 816, 1976, 2100), (525, 626, 2011, 2100), (626, 625, 2011, 2100))


def polity_to_cow_sql(code: str = "ccode", year: str = "year") -> str:
    """SQL expression: the COW code of Polity code ``code`` in ``year`` (:data:`POLITY_TO_COW`)."""
    whens = " ".join(f"WHEN {code} = {p} AND {year} BETWEEN {a} AND {b} THEN {c}"
                     for p, c, a, b in POLITY_TO_COW)
    return f"(CASE {whens} ELSE {code} END)"


def polity_to_cow(codes: pd.Series, years: pd.Series) -> pd.Series:
    """COW codes of Polity ``codes`` in ``years`` (:data:`POLITY_TO_COW`), element-wise."""
    out = codes.astype("Int64").copy()
    for p, c, a, b in POLITY_TO_COW:
        hit = (codes == p) & years.between(a, b)
        out = out.mask(hit.fillna(False).to_numpy(bool), c)
    return out
