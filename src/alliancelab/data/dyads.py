"""The dyad-year table (see docs/panel.md for the column contract).

Every dyadic source is first reduced to a sparse table keyed on the dyad-year key (only dyad-years
where something happens: an alliance, a MID, a rivalry, contiguity, a shared threat, a past MID
onset for the peace-years count). These are full-joined into one sparse table, so the
million-row skeleton of system-member dyads is probed by a single hash join, plus one join per side
for the state-year attributes.
"""

from __future__ import annotations

import duckdb

from ._sources_sql import YEAR, dkey

__all__ = ["PLEDGES", "build_dyad_years"]

PLEDGES = {"defense": "atop_defense", "offense": "atop_offense", "neutral": "atop_neutral",
           "nonagg": "atop_nonagg", "consul": "atop_consul"}

_EARTH_KM = 6371.0088
_FLAG = "TINYINT"


def _both_ways(table: str, cols: str, directed: bool) -> str:
    """Rows of a symmetric (ccode1 < ccode2 keyed) table, mirrored when the panel is directed."""
    sql = f"SELECT k, {cols} FROM {table}"
    if directed:
        swapped = f"(k // {YEAR}) * {YEAR} + (k % 1000) * 1000 + (k % {YEAR}) // 1000"
        sql += f" UNION ALL SELECT {swapped} AS k, {cols} FROM {table}"
    return sql


COW_TYPES = {"defense": "cow_defense", "neutrality": "cow_neutrality", "nonaggression": "cow_nonaggression",
             "entente": "cow_entente"}


def build_dyad_years(con: duckdb.DuckDBPyConnection, *, directed: bool, start: int, end: int,
                     table: str = "dyad_years", cow_alliance: bool = False) -> None:
    """Create ``table`` from ``sys``/``sy`` and the sparse dyadic tables (see ``_sources_sql``).

    With ``cow_alliance`` (the COW Formal Alliances v4.1 dyad-yearly file was staged as
    ``src_cow_alliance_dyad``) four more 0/1 columns ``cow_defense`` ... ``cow_entente`` are added.
    """
    x = con.execute
    pair = "a.ccode <> b.ccode" if directed else "a.ccode < b.ccode"
    atop = "atop_d" if directed else "atop_u"
    gml = "gml_d" if directed else "gml_u"
    # ATOP onsets and ends, computed on the sparse alliance table itself (key - YEAR = last year)
    any_p = " OR ".join(f"a.{c} = 1" for c in PLEDGES.values())
    onsets = ", ".join(f"(a.{c} = 1 AND coalesce(p.{c}, 0) = 0)::{_FLAG} AS onset_{n}" for n, c in PLEDGES.items())
    x(f"""
    CREATE OR REPLACE TEMP TABLE atop_x AS
    SELECT a.k, {', '.join(f'a.{c}::{_FLAG} AS {c}' for c in PLEDGES.values())}, 1::{_FLAG} AS alliance,
           (p.k IS NULL)::{_FLAG} AS alliance_onset, {onsets}
    FROM {atop} a LEFT JOIN {atop} p ON p.k = a.k - {YEAR} AND ({any_p.replace('a.', 'p.')})
    WHERE {any_p}""")
    # peace-years: for each dyad with COW MID onsets, the last onset before each later year
    x(f"""
    CREATE OR REPLACE TEMP TABLE last_onset AS
    WITH o AS (SELECT lo, hi, year AS o, lead(year) OVER (PARTITION BY lo, hi ORDER BY year) AS nxt
               FROM cowmid WHERE cowmid_onset = 1)
    SELECT {dkey('y', 'lo', 'hi')} AS k, o AS last_onset FROM (
      SELECT lo, hi, o, unnest(generate_series(greatest(o + 1, {start}), least(coalesce(nxt, {end}), {end}))) AS y
      FROM o)""")
    parts = [
        "SELECT * FROM atop_x",
        f"SELECT a.k + {YEAR} AS k, 1::{_FLAG} AS alliance_end FROM atop_x a "
        f"ANTI JOIN atop_x n ON n.k = a.k + {YEAR}",
        _both_ways("cowmid", f"cowmid_onset::{_FLAG} AS cowmid_onset, 1::{_FLAG} AS cowmid_ongoing", directed),
        f"SELECT k, gmlmid_onset::{_FLAG} AS gmlmid_onset, 1::{_FLAG} AS gmlmid_ongoing FROM {gml}",
        _both_ways("riv", f"1::{_FLAG} AS rivalry", directed),
        _both_ways("contig", f"conttype::{_FLAG} AS conttype", directed),
        "SELECT k, shared_rivals::SMALLINT AS shared_rivals, "
        "shared_mid_opponents::SMALLINT AS shared_mid_opponents, common_threat_cinc FROM threat",
        _both_ways("last_onset", "last_onset", directed),
    ]
    extra_cols = ""
    if cow_alliance:
        x(f"""
        CREATE OR REPLACE TEMP TABLE cow_all AS
        SELECT (year::BIGINT * {YEAR} + least(ccode1, ccode2) * 1000 + greatest(ccode1, ccode2)) AS k,
               {', '.join(f'max(coalesce({raw}, 0))::{_FLAG} AS {c}' for raw, c in COW_TYPES.items())}
        FROM src_cow_alliance_dyad WHERE ccode1 <> ccode2 GROUP BY k""")
        parts.append(_both_ways("cow_all", ", ".join(COW_TYPES.values()), directed))
        extra_cols = "".join(f",\n      coalesce(z.{c}, 0)::{_FLAG} AS {c}" for c in COW_TYPES.values())
    # every part has at most one row per key, so a chain of full joins collapses them
    joined = " ".join(f"FULL OUTER JOIN ({p}) p{i} USING (k)" for i, p in enumerate(parts[1:], start=1))
    x(f"CREATE OR REPLACE TEMP TABLE sparse AS SELECT * FROM ({parts[0]}) p0 {joined}")
    x("CREATE OR REPLACE TEMP TABLE sy_k AS SELECT year * 1000 + ccode AS k, * EXCLUDE (ccode, year) FROM sy")
    z = lambda c: f"coalesce(z.{c}, 0)::{_FLAG} AS {c}"  # noqa: E731
    flags = ", ".join(z(c) for c in list(PLEDGES.values()) + ["alliance", "alliance_onset", "alliance_end"]
                      + [f"onset_{n}" for n in PLEDGES])
    x(f"""
    CREATE OR REPLACE TABLE {table} AS
    WITH d AS (
      SELECT a.year, a.ccode AS ccode1, b.ccode AS ccode2, {dkey('a.year', 'a.ccode', 'b.ccode')} AS k
      FROM sys a JOIN sys b ON a.year = b.year AND {pair})
    SELECT d.year::INTEGER AS year, d.ccode1::INTEGER AS ccode1, d.ccode2::INTEGER AS ccode2,
      {flags},
      s1.cinc AS cinc1, s2.cinc AS cinc2,
      CASE WHEN least(s1.cinc, s2.cinc) > 0 THEN greatest(s1.cinc, s2.cinc) / least(s1.cinc, s2.cinc) END AS cap_ratio,
      CASE WHEN s1.cinc + s2.cinc > 0 THEN greatest(s1.cinc, s2.cinc) / (s1.cinc + s2.cinc) END AS cap_share,
      s1.major::{_FLAG} AS major1, s2.major::{_FLAG} AS major2, greatest(s1.major, s2.major)::{_FLAG} AS any_major,
      {z('cowmid_onset')}, {z('cowmid_ongoing')}, {z('gmlmid_onset')}, {z('gmlmid_ongoing')},
      {z('rivalry')}, {z('conttype')},
      2 * {_EARTH_KM} * asin(sqrt(
          pow(sin((s2.rlat - s1.rlat) / 2), 2)
          + cos(s1.rlat) * cos(s2.rlat) * pow(sin((s2.rlng - s1.rlng) / 2), 2))) AS capdist,
      coalesce(z.shared_rivals, 0)::INTEGER AS shared_rivals,
      coalesce(z.shared_mid_opponents, 0)::INTEGER AS shared_mid_opponents,
      coalesce(z.common_threat_cinc, 0) AS common_threat_cinc,
      s1.polity2 AS polity2_1, s2.polity2 AS polity2_2,
      s1.v2x_polyarchy AS v2x_polyarchy1, s2.v2x_polyarchy AS v2x_polyarchy2,
      (coalesce(z.conttype, 0) > 0 OR greatest(s1.major, s2.major) = 1)::{_FLAG} AS politically_relevant,
      (d.year - coalesce(z.last_onset + 1, greatest(s1.first_year, s2.first_year)))::INTEGER AS peace_years{extra_cols}
    FROM d
    LEFT JOIN sparse z ON z.k = d.k
    LEFT JOIN sy_k s1 ON s1.k = d.year * 1000 + d.ccode1
    LEFT JOIN sy_k s2 ON s2.k = d.year * 1000 + d.ccode2""")
