"""Documented sizes of the dataset files, for a row-count sanity check before a panel is built.

Each number is the row count (excluding the header) given in the dataset's ``SOURCE.md`` in the
shared data folder (``<data-dir>/<folder>/SOURCE.md``). A file is accepted when it has at least
:data:`SIZE_CLASS` of its documented rows: the same order of magnitude, so newer releases (which only
grow) and older ones pass, while a header-only, truncated or absurdly small file is refused before it
can replace a good panel. A dataset without a documented size (COW Formal Alliances, which is not
shipped) must still have at least one data row.
"""

from __future__ import annotations

from .._exceptions import DataFormatError

__all__ = ["DOCUMENTED_ROWS", "SIZE_CLASS", "check_row_count", "minimum_rows"]

#: A file needs at least this fraction of its documented rows.
SIZE_CLASS = 0.1

#: Rows (excluding the header) documented in each dataset's SOURCE.md.
DOCUMENTED_ROWS: dict[str, int] = {
    "states": 243,            # cow_states/SOURCE.md, states2016.csv
    "majors": 14,             # cow_states/SOURCE.md, majors2016_peacesciencer.csv
    "nmc": 15_951,            # cow_nmc/SOURCE.md, NMC 6.0 (7.0: 17,121)
    "capitals": 242,          # capitals/SOURCE.md
    "democracy": 17_706,      # democracy_vdem/SOURCE.md
    "atop_ddy": 273_296,      # atop/SOURCE.md, ATOP 5.1 directed dyad-year
    "atop_member": 2_398,     # atop/SOURCE.md, ATOP 4.01 member level
    "atop_alliance": 745,     # atop/SOURCE.md, ATOP 4.01 alliance level
    "mida": 2_436,            # cow_mid5/SOURCE.md
    "midb": 5_883,            # cow_mid5/SOURCE.md
    "mid_dyadic": 11_390,     # cow_mid5/SOURCE.md, peacesciencer directed dyad-dispute-year
    "gml": 10_338,            # gml_mid/SOURCE.md
    "td_rivalries": 197,      # rivalries/SOURCE.md, Thompson & Dreyer 2012
    "tss_rivalries": 264,     # rivalries/SOURCE.md, Thompson, Sakuwa & Suhas 2021
    "contiguity": 1_874,      # cow_contiguity/SOURCE.md
    "archigos": 3_409,        # archigos/SOURCE.md
    "chisols": 9_703,         # chisols/SOURCE.md
    "leeds_savun": 14_400,    # leeds_savun_threat/SOURCE.md
    "us_aid": 21_942,         # us_aid_greenbook/SOURCE.md
    "polity5": 17_574,        # polity5/SOURCE.md
}


def minimum_rows(key: str) -> int:
    """The fewest data rows a file of dataset ``key`` may have (1 when no size is documented)."""
    documented = DOCUMENTED_ROWS.get(key)
    return max(1, int(documented * SIZE_CLASS)) if documented else 1


def check_row_count(key: str, title: str, rows: int, path: str, *, building: bool = False) -> None:
    """Raise a one-line :class:`DataFormatError` naming the file when it has too few rows."""
    need = minimum_rows(key)
    if rows >= need:
        return
    documented = DOCUMENTED_ROWS.get(key)
    expected = (f"its SOURCE.md documents {documented:,} rows, so at least {need:,} are expected"
                if documented else "at least one data row is expected")
    what = "only a header" if rows == 0 else f"only {rows:,} data row{'s' if rows != 1 else ''}"
    kept = "; nothing was written (the previous panel is kept)" if building else ""
    raise DataFormatError(f"the {title} file has {what}; {expected} (a header-only, truncated or "
                          f"wrong file? re-download it){kept}", source=path)
