"""Reproducible dataset facts behind the built-in cases (CINC, US aid, Polity, leaders).

Every number a case file takes from a real dataset is recomputed here from the official files in the
data directory (``--data-dir`` or ``$ALLIANCELAB_DATA_DIR``); nothing is copied into the repository.

* ``nmc(...)``      COW National Material Capabilities v7.0: the six components, CINC, and each
                    component's share of the system total (the CINC building blocks).
* ``power_components(...)`` the material part of paper Y's power vector from those shares:
                    military = mean(milex, milper shares), economic = mean(irst, pec shares),
                    demographic = mean(tpop, upop shares) — the CINC formula split into its pillars
                    (Singer, Bremer & Stuckey 1972).
* ``dyad_shares(...)`` a patron's share of the dyad total per pillar (0.5 = parity): the material
                    disparity paper Y speaks of.
* ``us_aid(...)``   U.S. obligations by fiscal year, current and constant USD (Greenbook).
* ``polity(...)``   Polity5 ``polity`` and ``polity2``.
* ``leaders(...)``  Archigos 4.1 leader spells (entry, exit, tenure).

``python -m alliancelab.cases.facts [--data-dir DIR]`` prints every table used in ``docs/cases/``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from .._config import resolve_data_dir
from .._exceptions import DataFormatError

__all__ = [
    "COW_NAMES",
    "GREENBOOK_CODES",
    "POLITY_CODES",
    "CASE_SPECS",
    "nmc",
    "power_components",
    "dyad_shares",
    "us_aid",
    "polity",
    "leaders",
    "case_tables",
]

#: COW codes of the states in the five cases.
COW_NAMES: dict[int, str] = {
    365: "USSR",
    2: "USA",
    200: "UK",
    220: "France",
    255: "Germany",
    325: "Italy",
    345: "Yugoslavia",
    710: "China",
    290: "Poland",
    310: "Hungary",
    640: "Turkey",
    385: "Norway",
    380: "Sweden",
    740: "Japan",
    732: "South Korea",
    731: "North Korea",
}

#: Greenbook country codes (ISO3-like). Yugoslavia 1946–79 is filed under "Serbia and Montenegro
#: (former)" (SCG); "Yugoslavia (former)" (YUF) only starts in 1980. The PRC has no rows before 1980
#: (aid to the Republic of China is filed under Taiwan, TWN).
GREENBOOK_CODES: dict[str, tuple[str, ...]] = {
    "Italy": ("ITA",),
    "Yugoslavia": ("SCG", "YUF"),
    "Poland": ("POL",),
    "Hungary": ("HUN",),
    "China": ("CHN",),
    "Taiwan": ("TWN",),
    "Turkey": ("TUR",),
    "Norway": ("NOR",),
    "Japan": ("JPN",),
    "South Korea": ("KOR",),
}

#: Polity5 uses its own codes: the USSR is 364 there (365 is Russia from 1992).
POLITY_CODES: dict[int, int] = {365: 364}

_NMC = "cow_nmc/NMC-70-abridged_peacesciencer.csv.gz"
_AID = "us_aid_greenbook/us_foreign_aid_country.csv.gz"
_POLITY = "polity5/p5v2018.csv.gz"
_ARCHIGOS = "archigos/archigos_4.1.csv.gz"

_COMPONENTS = ("milex", "milper", "irst", "pec", "tpop", "upop")

#: States and years each case needs (used by ``case_tables`` and the docs).
CASE_SPECS: dict[str, dict[str, object]] = {
    "italy-1948": {
        "ccodes": (325, 2, 365),
        "years": range(1946, 1950),
        "dyads": ((2, 325), (365, 325), (365, 2)),
        "aid": ("Italy",),
    },
    "yugoslavia-1948": {
        "ccodes": (345, 2, 365),
        "years": range(1945, 1959),
        "dyads": ((365, 345), (2, 345), (365, 2)),
        "aid": ("Yugoslavia",),
    },
    "grand-alliance-1941": {
        "ccodes": (365, 200, 2, 220, 255, 325),
        "years": range(1935, 1943),
        "dyads": ((365, 200), (365, 2), (365, 220), (365, 255), (200, 255)),
        "aid": (),
    },
    "sino-soviet-1950": {
        "ccodes": (365, 710, 2),
        "years": range(1949, 1961),
        "dyads": ((365, 710), (365, 2)),
        "aid": (),
    },
    "poland-hungary-1956": {
        "ccodes": (365, 290, 310),
        "years": range(1953, 1959),
        "dyads": ((365, 290), (365, 310)),
        "aid": ("Poland", "Hungary"),
    },
    "turkey-1945": {
        "ccodes": (640, 2, 365),
        "years": range(1945, 1953),
        "dyads": ((2, 640), (365, 640), (365, 2)),
        "aid": ("Turkey",),
    },
    "norway-1948": {
        "ccodes": (385, 2, 365, 380),
        "years": range(1946, 1951),
        "dyads": ((2, 385), (365, 385), (380, 385)),
        "aid": ("Norway",),
    },
    "japan-1951": {
        "ccodes": (740, 2, 365, 710),
        "years": range(1949, 1953),
        "dyads": ((2, 740), (365, 740)),
        "aid": ("Japan",),
    },
    "south-korea-1953": {
        "ccodes": (732, 731, 2, 365, 710),
        "years": range(1951, 1955),
        "dyads": ((2, 732), (731, 732), (710, 732)),
        "aid": ("South Korea",),
    },
}


def _path(data_dir: str | os.PathLike[str] | None, rel: str) -> Path:
    path = resolve_data_dir(data_dir) / rel
    if not path.is_file():
        raise DataFormatError(f"dataset file {str(path)!r} not found", field="data_dir")
    return path


def _need(df: pd.DataFrame, cols: Iterable[str], path: Path) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise DataFormatError(f"missing columns {missing}", source=str(path))


def nmc(ccodes: Sequence[int], years: Iterable[int], data_dir=None) -> pd.DataFrame:
    """COW NMC v7.0 rows for ``ccodes`` × ``years`` with each component's share of the system total.

    Columns: ``ccode, state, year, milex, milper, irst, pec, tpop, upop, cinc`` and
    ``<component>_share`` (the state's share of the year's system total; NA when the state's value is
    missing). ``milex`` is thousands of current USD, ``milper`` thousands of personnel, ``irst``
    thousands of tons, ``pec`` thousands of coal-ton equivalents, ``tpop``/``upop`` thousands.
    """
    path = _path(data_dir, _NMC)
    df = pd.read_csv(path)
    _need(df, ("ccode", "year", *_COMPONENTS, "cinc"), path)
    years = list(years)
    df = df[df["year"].isin(years)].copy()
    totals = df.groupby("year")[list(_COMPONENTS)].transform("sum")
    for c in _COMPONENTS:
        df[f"{c}_share"] = df[c] / totals[c]
    out = df[df["ccode"].isin(ccodes)].copy()
    out.insert(1, "state", out["ccode"].map(COW_NAMES))
    return out.sort_values(["ccode", "year"]).reset_index(drop=True)


def power_components(ccodes: Sequence[int], years: Iterable[int], data_dir=None) -> pd.DataFrame:
    """The material pillars of the power vector as shares of the system total (CINC = their mean).

    ``military`` = mean of the milex and milper shares, ``economic`` = mean of the irst and pec shares,
    ``demographic`` = mean of the tpop and upop shares; ``cinc`` as published. A pillar is NA when one
    of its two components is missing (no imputation).
    """
    d = nmc(ccodes, years, data_dir)
    out = d[["ccode", "state", "year", "cinc"]].copy()
    out["military"] = (d["milex_share"] + d["milper_share"]) / 2
    out["economic"] = (d["irst_share"] + d["pec_share"]) / 2
    out["demographic"] = (d["tpop_share"] + d["upop_share"]) / 2
    return out


def dyad_shares(patron: int, client: int, years: Iterable[int], data_dir=None) -> pd.DataFrame:
    """The patron's share of the dyad total per pillar and for CINC (0.5 = parity, 1 = total dominance)."""
    p = power_components((patron, client), years, data_dir)
    a = p[p["ccode"] == patron].set_index("year")
    b = p[p["ccode"] == client].set_index("year")
    cols = ["military", "economic", "demographic", "cinc"]
    share = (a[cols] / (a[cols] + b[cols])).reset_index()
    share.insert(0, "dyad", f"{COW_NAMES.get(patron, patron)}-{COW_NAMES.get(client, client)}")
    return share


def us_aid(country: str, years: Iterable[int], data_dir=None) -> pd.DataFrame:
    """U.S. foreign assistance obligations for ``country`` by fiscal year (millions of USD).

    Columns: ``fiscal_year, current_musd, constant_musd`` (constant = base year of the download).
    Years with no obligations row are reported as 0.0 with ``recorded=False`` (the Greenbook records no
    obligation that year: it is not a measurement of zero aid in any stronger sense).
    """
    path = _path(data_dir, _AID)
    df = pd.read_csv(path, dtype={"Fiscal Year": str})
    _need(df, ("Country Code", "Transaction Type Name", "Fiscal Year", "current_amount", "constant_amount"), path)
    codes = GREENBOOK_CODES.get(country, (country,))
    df = df[df["Country Code"].isin(codes) & (df["Transaction Type Name"] == "Obligations")]
    df = df[~df["Fiscal Year"].str.contains("tq", na=False)].copy()
    df["fiscal_year"] = df["Fiscal Year"].astype(int)
    g = df.groupby("fiscal_year")[["current_amount", "constant_amount"]].sum() / 1e6
    years = list(years)
    out = pd.DataFrame({"fiscal_year": years})
    out = out.merge(g.reset_index(), on="fiscal_year", how="left")
    out["recorded"] = out["current_amount"].notna()
    out = out.fillna({"current_amount": 0.0, "constant_amount": 0.0})
    out = out.rename(columns={"current_amount": "current_musd", "constant_amount": "constant_musd"})
    out.insert(0, "country", country)
    return out


def polity(ccodes: Sequence[int], years: Iterable[int], data_dir=None) -> pd.DataFrame:
    """Polity5 ``polity`` (with -66/-77/-88 special codes) and ``polity2`` by COW code and year."""
    path = _path(data_dir, _POLITY)
    df = pd.read_csv(path, encoding="utf-8-sig")
    _need(df, ("ccode", "year", "polity", "polity2"), path)
    want = {POLITY_CODES.get(c, c): c for c in ccodes}
    df = df[df["ccode"].isin(want) & df["year"].isin(list(years))].copy()
    df["cow"] = df["ccode"].map(want)
    df["state"] = df["cow"].map(COW_NAMES)
    return df[["cow", "state", "year", "polity", "polity2"]].sort_values(["cow", "year"]).reset_index(drop=True)


def leaders(ccodes: Sequence[int], start: str, end: str, data_dir=None) -> pd.DataFrame:
    """Archigos 4.1 leader spells overlapping [start, end] (ISO dates), with tenure in years."""
    path = _path(data_dir, _ARCHIGOS)
    df = pd.read_csv(path)
    _need(df, ("ccode", "leader", "startdate", "enddate", "entry", "exit", "exitcode"), path)
    df = df[df["ccode"].isin(ccodes) & (df["enddate"] >= start) & (df["startdate"] <= end)].copy()
    df["state"] = df["ccode"].map(COW_NAMES)
    tenure = pd.to_datetime(df["enddate"]) - pd.to_datetime(df["startdate"])
    df["tenure_years"] = (tenure.dt.days / 365.25).round(1)
    cols = ["state", "leader", "startdate", "enddate", "tenure_years", "entry", "exit", "exitcode"]
    return df[cols].sort_values(["state", "startdate"]).reset_index(drop=True)


def case_tables(case_id: str, data_dir=None) -> dict[str, pd.DataFrame]:
    """Every dataset table documented in ``docs/cases/<case_id>.md``."""
    if case_id not in CASE_SPECS:
        raise DataFormatError(f"unknown case {case_id!r}; known: {sorted(CASE_SPECS)}", field="case")
    spec = CASE_SPECS[case_id]
    ccodes = tuple(spec["ccodes"])  # type: ignore[arg-type]
    years = list(spec["years"])  # type: ignore[arg-type]
    out: dict[str, pd.DataFrame] = {"power": power_components(ccodes, years, data_dir)}
    dyads = spec["dyads"]  # type: ignore[assignment]
    out["dyads"] = pd.concat([dyad_shares(a, b, years, data_dir) for a, b in dyads], ignore_index=True)
    aid = [us_aid(c, years, data_dir) for c in spec["aid"]]  # type: ignore[union-attr]
    if aid:
        out["us_aid"] = pd.concat(aid, ignore_index=True)
    out["polity"] = polity(ccodes, years, data_dir)
    out["leaders"] = leaders(ccodes, f"{years[0]}-01-01", f"{years[-1]}-12-31", data_dir)
    return out


def _main(argv: Sequence[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", default=None)
    ap.add_argument("cases", nargs="*", default=sorted(CASE_SPECS))
    ns = ap.parse_args(argv)
    with pd.option_context("display.width", 200, "display.max_rows", 1000, "display.max_columns", 50):
        for case in ns.cases:
            print(f"# {case}")
            for name, table in case_tables(case, ns.data_dir).items():
                print(f"## {name}")
                print(table.to_string(index=False, float_format=lambda v: f"{v:.4f}"))
            print()
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(_main())


def scenario_power(ccode: int, years: Iterable[int], data_dir=None) -> dict[int, dict[str, float]]:
    """Material power entries for a case file: ``{year: {"military": %, "economic": %}}``.

    ``military`` = the CINC military pillar (mean of the milex and milper shares) and ``economic`` = the
    CINC industrial pillar (mean of the iron-and-steel and energy shares), both in **percent of the
    system total**, rounded to 2 decimals. The demographic pillar is left out on purpose: paper Y's
    power vector is "military power, economic power, ideological appeal, cultural power, institutional
    power" (Yu §3) and its China case turns on "almost no heavy industry" despite "China's huge
    population" (Yu §4.2). (``theory.disparity.components_from_nmc`` folds population into the economic
    component; the cases do not, and ``docs/cases/README.md`` says why.) Missing pillars are omitted so
    the previous value carries forward.
    """
    p = power_components((ccode,), years, data_dir)
    out: dict[int, dict[str, float]] = {}
    for row in p.itertuples():
        entry = {}
        for k in ("military", "economic"):
            v = getattr(row, k)
            if pd.notna(v):
                entry[k] = round(float(v) * 100, 2)
        out[int(row.year)] = entry
    return out


_CAPITALS = "capitals/cow_capitals_peacesciencer.csv"


def capital_distance_km(a: int, b: int, year: int, data_dir=None) -> float:
    """Great-circle (haversine, R = 6371 km) distance between the capitals of COW states ``a`` and ``b``
    in ``year`` (peacesciencer's COW capitals; Miller 2022), rounded to 10 km."""
    import math

    path = _path(data_dir, _CAPITALS)
    df = pd.read_csv(path)
    _need(df, ("ccode", "capital", "stdate", "enddate", "lat", "lng"), path)
    day = f"{year}-07-01"

    def where(c: int) -> tuple[float, float]:
        rows = df[(df["ccode"] == c) & (df["stdate"].astype(str) <= day) & (df["enddate"].astype(str) >= day)]
        if rows.empty:
            rows = df[df["ccode"] == c]
        if rows.empty:
            raise DataFormatError(f"no capital for COW code {c}", source=str(path))
        r = rows.iloc[0]
        return math.radians(float(r["lat"])), math.radians(float(r["lng"]))

    (la1, lo1), (la2, lo2) = where(a), where(b)
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return round(2 * 6371.0 * math.asin(math.sqrt(h)), -1)


_CONTIGUITY = "cow_contiguity/cow_contdir_3.2_peacesciencer.csv"


def land_contiguous(a: int, b: int, year: int, data_dir=None) -> bool:
    """True if COW states ``a`` and ``b`` share a land border (COW Direct Contiguity v3.2, type 1) in
    ``year``. The case files set ``distance_km: 0`` for such dyads (paper Y: the USSR 'is often too
    close to its allies and makes it easily project power on them'), else the capitals' distance."""
    path = _path(data_dir, _CONTIGUITY)
    df = pd.read_csv(path)
    _need(df, ("ccode1", "ccode2", "conttype", "stdate", "enddate"), path)
    day = f"{year}-07-01"
    m = df[(((df["ccode1"] == a) & (df["ccode2"] == b)) | ((df["ccode1"] == b) & (df["ccode2"] == a)))
           & (df["conttype"] == 1) & (df["stdate"].astype(str) <= day) & (df["enddate"].astype(str) >= day)]
    return not m.empty
