"""Intermediate tables shared by the dyad-year and state-year builds (DuckDB SQL).

Conventions: a symmetric dyad-year key is ``year * 1_000_000 + low ccode * 1_000 + high ccode``
(COW codes are below 1000), so most joins are on one BIGINT. Adding 1_000_000 moves a key one year on.
Datasets that end before the panel's last year (states, majors, contiguity end in 2016) carry the
spells still in force at their last date forward to the panel's end (as peacesciencer's ``mry``).
"""

from __future__ import annotations

import duckdb

from .loaders.regime import polity_to_cow_sql

__all__ = ["YEAR", "build_base", "ukey", "dkey"]

YEAR = 1_000_000


def ukey(year: str, a: str, b: str) -> str:
    """SQL for the symmetric dyad-year key."""
    return f"({year}::BIGINT * {YEAR} + least({a}, {b}) * 1000 + greatest({a}, {b}))"


def dkey(year: str, a: str, b: str) -> str:
    """SQL for the directed dyad-year key."""
    return f"({year}::BIGINT * {YEAR} + {a} * 1000 + {b})"


def build_base(con: duckdb.DuckDBPyConnection, start: int, end: int) -> None:
    """Create ``sys`` (system state-years), ``democracy_cow`` (the democracy panel with Polity5's
    Polity2 filling its gaps, on COW codes), ``sy`` (state-year attributes) and the sparse dyadic
    source tables ``atop_u``/``atop_d``, ``cowmid``, ``gml_u``/``gml_d``, ``riv``, ``contig``."""
    x = con.execute
    # --- system membership and majors (spells ending at the data's last year run on to `end`)
    x(f"""
    CREATE OR REPLACE TEMP TABLE sys_all AS
    WITH s AS (SELECT ccode, styear, CASE WHEN endyear >= (SELECT max(endyear) FROM src_states)
                                          THEN greatest(endyear, {end}) ELSE endyear END AS e
               FROM src_states)
    SELECT DISTINCT ccode, unnest(generate_series(styear, e)) AS year FROM s""")
    x(f"CREATE OR REPLACE TEMP TABLE sys AS SELECT * FROM sys_all WHERE year BETWEEN {start} AND {end}")
    x(f"""
    CREATE OR REPLACE TEMP TABLE major_sy AS
    WITH s AS (SELECT ccode, styear, CASE WHEN endyear >= (SELECT max(endyear) FROM src_majors)
                                          THEN greatest(endyear, {end}) ELSE endyear END AS e
               FROM src_majors)
    SELECT DISTINCT ccode, unnest(generate_series(styear, e)) AS year FROM s""")
    # --- capitals: the capital whose spell began last among those covering the year
    x("""
    CREATE OR REPLACE TEMP TABLE cap_sy AS
    SELECT ccode, year, arg_max(lat, stdate) AS lat, arg_max(lng, stdate) AS lng FROM (
      SELECT ccode, stdate, lat, lng, unnest(generate_series(year(stdate), year(enddate))) AS year
      FROM src_capitals) GROUP BY ccode, year""")
    # --- democracy on COW codes: the V-Dem/Polity panel, with a Polity2 it lacks taken from Polity5's
    #     own file, its codes mapped to COW (loaders.regime.POLITY_TO_COW: Polity's USSR is 364, COW's
    #     365, so the panel had no Polity2 for the USSR in 1922-1991; Serbia, Austria-Hungary, ... too).
    #     Without the optional Polity5 file the panel's values stay as they are.
    tables = {r[0] for r in x("SELECT table_name FROM information_schema.tables").fetchall()}
    if "src_polity5" in tables:
        x(f"""
        CREATE OR REPLACE TEMP TABLE democracy_cow AS
        WITH m AS (SELECT {polity_to_cow_sql()} AS cow, ccode AS own, year, polity2 FROM src_polity5
                   WHERE polity2 IS NOT NULL),
             -- a year with two Polity rows for one COW state (Russia and the USSR in 1922): the
             -- row under the state's own code first
             p AS (SELECT cow AS ccode, year, arg_min(polity2, (own <> cow)::INTEGER * 10000 - polity2) AS p5
                   FROM m GROUP BY ALL)
        SELECT coalesce(d.ccode, p.ccode) AS ccode, coalesce(d.year, p.year) AS year, d.euds, d.aeuds,
               coalesce(d.polity2, p.p5) AS polity2, d.v2x_polyarchy
        FROM src_democracy d FULL OUTER JOIN p ON d.ccode = p.ccode AND d.year = p.year""")
    else:
        x("CREATE OR REPLACE TEMP TABLE democracy_cow AS SELECT * FROM src_democracy")
    # --- state-year attributes used on both sides of a dyad
    x("""
    CREATE OR REPLACE TEMP TABLE sy AS
    SELECT s.ccode, s.year, n.cinc, (m.ccode IS NOT NULL)::INTEGER AS major,
           d.polity2, d.v2x_polyarchy, radians(c.lat) AS rlat, radians(c.lng) AS rlng,
           f.first_year
    FROM sys s
    LEFT JOIN src_nmc n USING (ccode, year)
    LEFT JOIN major_sy m USING (ccode, year)
    LEFT JOIN democracy_cow d USING (ccode, year)
    LEFT JOIN cap_sy c USING (ccode, year)
    LEFT JOIN (SELECT ccode, min(year) AS first_year FROM sys_all GROUP BY ccode) f USING (ccode)""")
    # --- ATOP pledges: directed rows as published, undirected = any pledge in either direction
    pledges = ("atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul")
    agg = ", ".join(f"max({p}) AS {p}" for p in pledges)
    x(f"""CREATE OR REPLACE TEMP TABLE atop_d AS SELECT {dkey('year', 'ccode1', 'ccode2')} AS k, {agg}
          FROM src_atop_ddy GROUP BY k""")
    x(f"""CREATE OR REPLACE TEMP TABLE atop_u AS SELECT {ukey('year', 'ccode1', 'ccode2')} AS k, {agg}
          FROM src_atop_ddy GROUP BY k""")
    # --- COW MID 5.0 dyads from MIDB: opposite sides of a dispute active on a common day
    x("""
    CREATE OR REPLACE TEMP TABLE midp AS
    SELECT dispnum, ccode, sidea, hostlev,
           make_date(styear, coalesce(stmon, 1), coalesce(stday, 1)) AS sd,
           CASE WHEN endday IS NULL THEN last_day(make_date(endyear, coalesce(endmon, 12), 1))
                ELSE make_date(endyear, coalesce(endmon, 12), endday) END AS ed
    FROM src_midb""")
    x(f"""
    CREATE OR REPLACE TEMP TABLE cowmid_ddy AS
    WITH pairs AS (
      SELECT a.dispnum, a.ccode AS lo, b.ccode AS hi, greatest(a.sd, b.sd) AS s, least(a.ed, b.ed) AS e,
             least(a.hostlev, b.hostlev) AS hl, greatest(a.hostlev, b.hostlev) AS hh
      FROM midp a JOIN midp b ON a.dispnum = b.dispnum AND a.ccode < b.ccode AND a.sidea <> b.sidea
      WHERE greatest(a.sd, b.sd) <= least(a.ed, b.ed)),
    yrs AS (SELECT DISTINCT dispnum, lo, hi, unnest(generate_series(year(s), year(e))) AS year FROM pairs)
    SELECT y.*, {ukey('y.year', 'y.lo', 'y.hi')} AS k,
           (p.dispnum IS NULL)::INTEGER AS onset
    FROM yrs y LEFT JOIN yrs p ON p.dispnum = y.dispnum AND p.lo = y.lo AND p.hi = y.hi AND p.year = y.year - 1""")
    x("""CREATE OR REPLACE TEMP TABLE cowmid AS
         SELECT k, any_value(year) AS year, any_value(lo) AS lo, any_value(hi) AS hi,
                max(onset) AS cowmid_onset, 1 AS cowmid_ongoing, count(*) AS cowmid_disputes
         FROM cowmid_ddy GROUP BY k""")
    # --- GML 2.1.1 (directed dyad-years as published; undirected = either direction)
    for name, key in (("gml_d", dkey("year", "ccode1", "ccode2")), ("gml_u", ukey("year", "ccode1", "ccode2"))):
        x(f"""CREATE OR REPLACE TEMP TABLE {name} AS SELECT {key} AS k,
              max(coalesce(midonset, 0)) AS gmlmid_onset, 1 AS gmlmid_ongoing
              FROM src_gml GROUP BY k""")
    # --- Thompson-Dreyer strategic rivalries
    x(f"""
    CREATE OR REPLACE TEMP TABLE riv AS
    SELECT DISTINCT {ukey('year', 'ccode1', 'ccode2')} AS k, year, least(ccode1, ccode2) AS lo,
           greatest(ccode1, ccode2) AS hi FROM (
      SELECT ccode1, ccode2, unnest(generate_series(styear, endyear)) AS year FROM src_td_rivalries
      WHERE ccode1 IS NOT NULL AND ccode2 IS NOT NULL)""")
    # --- direct contiguity: lowest type among spells overlapping the year
    x(f"""
    CREATE OR REPLACE TEMP TABLE contig AS
    WITH s AS (SELECT ccode1, ccode2, conttype, year(stdate) AS sy,
                      CASE WHEN year(enddate) >= (SELECT max(year(enddate)) FROM src_contiguity)
                           THEN greatest(year(enddate), {end}) ELSE year(enddate) END AS ey
               FROM src_contiguity)
    SELECT {ukey('year', 'ccode1', 'ccode2')} AS k, min(conttype) AS conttype
    FROM (SELECT ccode1, ccode2, conttype, unnest(generate_series(sy, ey)) AS year FROM s)
    GROUP BY k""")
