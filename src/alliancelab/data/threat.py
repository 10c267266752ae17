"""Triadic common-threat measures for every dyad-year, as set operations in DuckDB.

For each year every state has a short list of third parties that threaten it: its strategic rivals
(Thompson-Dreyer) and the states it had a COW MID with in the last ``window`` years (the year itself
and the ``window - 1`` before it). Self-joining those lists on (year, third party) gives, for every
dyad, the third parties it shares; nothing is ever enumerated over all n^3 triads.
"""

from __future__ import annotations

import duckdb

from ._sources_sql import dkey

__all__ = ["MID_WINDOW", "build_threat"]

MID_WINDOW = 5


def build_threat(con: duckdb.DuckDBPyConnection, *, directed: bool, start: int, end: int,
                 window: int = MID_WINDOW) -> None:
    """Create table ``threat(k, shared_rivals, shared_mid_opponents, common_threat_cinc)``.

    ``k`` is the dyad-year key of the panel (directed key when ``directed``). Dyads without a shared
    threat have no row (the panel fills 0). Third parties must be system members that year.
    """
    pair = "a.s <> b.s" if directed else "a.s < b.s"
    con.execute(f"""
    CREATE OR REPLACE TEMP TABLE threat AS
    WITH riv_sy AS (
      SELECT year, lo AS s, hi AS o FROM riv UNION SELECT year, hi, lo FROM riv),
    mid_sy AS (
      SELECT DISTINCT y AS year, s, o FROM (
        SELECT unnest(generate_series(year, year + {window - 1})) AS y, lo AS s, hi AS o FROM cowmid
        UNION ALL
        SELECT unnest(generate_series(year, year + {window - 1})) AS y, hi AS s, lo AS o FROM cowmid)),
    third AS (
      SELECT t.*, sy.cinc FROM (
        SELECT year, s, o, 0 AS kind FROM riv_sy UNION ALL SELECT year, s, o, 1 AS kind FROM mid_sy) t
      JOIN sy ON sy.ccode = t.o AND sy.year = t.year
      WHERE t.year BETWEEN {start} AND {end}),
    triads AS (
      SELECT {dkey('a.year', 'a.s', 'b.s')} AS k, a.o, a.kind, a.cinc
      FROM third a JOIN third b ON a.year = b.year AND a.o = b.o AND a.kind = b.kind AND {pair})
    SELECT k, count(DISTINCT o) FILTER (WHERE kind = 0) AS shared_rivals,
           count(DISTINCT o) FILTER (WHERE kind = 1) AS shared_mid_opponents,
           coalesce(max(cinc), 0) AS common_threat_cinc
    FROM triads GROUP BY k""")
