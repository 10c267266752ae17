"""US foreign assistance by country (ForeignAssistance.gov / Greenbook), mapped to COW codes.

The file identifies recipients by ISO3 code (blank or ``NULL`` for dissolved states, which are
matched by name). :data:`ISO3_TO_COW` is the crosswalk; recipients it leaves out (regions, dependent
territories, West Berlin, Tibet, Palestinian territories) are listed by :func:`unmatched_recipients`
and documented in docs/data.md. Fiscal year ``1976tq`` (the transition quarter) is added to 1976.
"""

from __future__ import annotations

import os

import pandas as pd

from .._source import Dataset, register
from ._common import load_frame

__all__ = ["GREENBOOK", "ISO3_TO_COW", "NAME_TO_COW", "crosswalk_sql", "load_us_aid", "unmatched_recipients"]

PathLike = str | os.PathLike[str] | None

GREENBOOK = register(Dataset(
    key="us_aid", title="US foreign assistance by country (Greenbook)", folder="us_aid_greenbook",
    files=("us_foreign_aid_country.csv.gz", "us_foreign_aid_country.csv"),
    columns={"Country Code": "VARCHAR", "Country Name": "VARCHAR", "Transaction Type Name": "VARCHAR",
             "Fiscal Year": "VARCHAR", "current_amount": "DOUBLE", "constant_amount": "DOUBLE"},
    optional=True, version="ForeignAssistance.gov (2026 download)",
    citation="USAID and US Department of State, ForeignAssistance.gov: U.S. Foreign Assistance by Country",
))

_PAIRS = """USA 2 CAN 20 BHS 31 CUB 40 HTI 41 DOM 42 JAM 51 TTO 52 BRB 53 DMA 54 GRD 55 LCA 56 VCT 57 ATG 58
KNA 60 MEX 70 BLZ 80 GTM 90 HND 91 SLV 92 NIC 93 CRI 94 PAN 95 COL 100 VEN 101 GUY 110 SUR 115 ECU 130
PER 135 BRA 140 BOL 145 PRY 150 CHL 155 ARG 160 URY 165 GBR 200 IRL 205 NLD 210 BEL 211 LUX 212 FRA 220
MCO 221 LIE 223 CHE 225 ESP 230 AND 232 PRT 235 POL 290 AUT 305 HUN 310 CZE 316 SVK 317 ITA 325 SMR 331
MLT 338 ALB 339 MNE 341 MKD 343 HRV 344 SRB 345 SCG 345 YUF 345 BIH 346 CS-KM 347 SVN 349 GRC 350
CYP 352 BGR 355 MDA 359 ROU 360 RUS 365 EST 366 LVA 367 LTU 368 UKR 369 BLR 370 ARM 371 GEO 372 AZE 373
FIN 375 SWE 380 NOR 385 DNK 390 ISL 395 CPV 402 STP 403 GNB 404 GNQ 411 GMB 420 MLI 432 SEN 433 BEN 434
MRT 435 NER 436 CIV 437 GIN 438 BFA 439 LBR 450 SLE 451 GHA 452 TGO 461 CMR 471 NGA 475 GAB 481 CAF 482
TCD 483 COG 484 COD 490 UGA 500 KEN 501 TZA 510 BDI 516 RWA 517 SOM 520 DJI 522 ETH 530 ERI 531 AGO 540
MOZ 541 ZMB 551 ZWE 552 MWI 553 ZAF 560 NAM 565 LSO 570 BWA 571 SWZ 572 MDG 580 COM 581 MUS 590 SYC 591
MAR 600 DZA 615 TUN 616 LBY 620 SDN 625 SDF 625 SSD 626 IRN 630 TUR 640 IRQ 645 EGY 651 SYR 652 LBN 660
JOR 663 ISR 666 SAU 670 KWT 690 BHR 692 QAT 694 ARE 696 OMN 698 AFG 700 TKM 701 TJK 702 KGZ 703 UZB 704
KAZ 705 CHN 710 MNG 712 TWN 713 PRK 731 KOR 732 JPN 740 IND 750 BTN 760 PAK 770 BGD 771 MMR 775 LKA 780
MDV 781 NPL 790 THA 800 KHM 811 LAO 812 VNM 816 MYS 820 SGP 830 BRN 835 PHL 840 IDN 850 TLS 860 AUS 900
PNG 910 NZL 920 VUT 935 SLB 940 KIR 946 TUV 947 FJI 950 TON 955 NRU 970 MHL 983 PLW 986 FSM 987 WSM 990"""
_TOKENS = _PAIRS.split()
#: ISO3 -> COW code (Germany and Yemen depend on the year: see :func:`crosswalk_sql`).
ISO3_TO_COW: dict[str, int] = {_TOKENS[i]: int(_TOKENS[i + 1]) for i in range(0, len(_TOKENS), 2)}
ISO3_TO_COW.update({"DEU": 255, "YEM": 679})
#: Dissolved recipients without an ISO3 code in the file, matched by name.
NAME_TO_COW: dict[str, int] = {
    "Czechoslovakia (former)": 315, "Germany (former East)": 265, "Soviet Union (former)": 365,
    "Vietnam (former South)": 817, "Yemen (former P.D.R.)": 680,
}


def crosswalk_sql(code: str, name: str, year: str) -> str:
    """A SQL CASE expression giving the COW code of a Greenbook row (NULL when unmatched)."""
    iso = " ".join(f"WHEN '{k}' THEN {v}" for k, v in ISO3_TO_COW.items() if k not in ("DEU", "YEM"))
    names = " ".join(f"WHEN '{k}' THEN {v}" for k, v in NAME_TO_COW.items())
    return (
        f"CASE WHEN {code} = 'DEU' THEN CASE WHEN {year} <= 1990 THEN 260 ELSE 255 END "
        f"WHEN {code} = 'YEM' THEN CASE WHEN {year} <= 1989 THEN 678 ELSE 679 END "
        f"ELSE coalesce(CASE {code} {iso} END, CASE {name} {names} END) END"
    )


def _yearly_sql(t: str) -> str:
    year = "CAST(regexp_extract(\"Fiscal Year\", '^([0-9]{4})', 1) AS INTEGER)"
    return (
        f"SELECT {crosswalk_sql('iso3', 'name', 'year')} AS ccode, * FROM ("
        f"SELECT \"Country Code\" AS iso3, \"Country Name\" AS name, {year} AS year, "
        f"sum(constant_amount) AS us_aid, sum(current_amount) AS us_aid_current FROM {t} "
        f"WHERE \"Transaction Type Name\" = 'Obligations' GROUP BY ALL)"
    )


def load_us_aid(data_dir: PathLike = None, *, path: PathLike = None) -> pd.DataFrame:
    """Obligations per recipient and fiscal year (constant USD ``us_aid``), with COW ``ccode``."""
    df = load_frame(GREENBOOK, data_dir, path, _yearly_sql("{t}") + " ORDER BY iso3, year")
    return df


def unmatched_recipients(data_dir: PathLike = None, *, path: PathLike = None) -> pd.DataFrame:
    """Recipients (ISO3, name) the crosswalk does not map to a COW code, with their total aid."""
    df = load_us_aid(data_dir, path=path)
    out = df[df["ccode"].isna()].groupby(["iso3", "name"], dropna=False)["us_aid"].sum()
    return out.reset_index()
