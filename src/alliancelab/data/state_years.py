"""The state-year table (see docs/panel.md for the column contract)."""

from __future__ import annotations

import duckdb

from .loaders.aid import crosswalk_sql

__all__ = ["REGIME_CHANGE_POINTS", "build_state_years"]

#: A year-on-year polity2 move of at least this many points counts as a regime change.
REGIME_CHANGE_POINTS = 3


def build_state_years(con: duckdb.DuckDBPyConnection, *, table: str = "state_years",
                      have: frozenset[str] = frozenset()) -> None:
    """Create ``table`` from ``sys``/``sy``, the staged sources and ``atop_u``/``atop_x``.

    ``have`` names the optional datasets that were staged (others give NULL columns).
    """
    x = con.execute
    # leaders: the last leader to take office by the end of the year (still in office at year end
    # unless the spell ended that year and no successor is recorded)
    x("""
    CREATE OR REPLACE TEMP TABLE leader_sy AS
    SELECT ccode, year, arg_max(leader, startdate) AS leader,
           arg_max(startdate, startdate) AS startdate, arg_max(entry, startdate) AS leader_entry,
           arg_max(exit, startdate) AS leader_exit, arg_max(obsid, startdate) AS leader_obsid
    FROM (SELECT *, unnest(generate_series(year(startdate), year(coalesce(enddate, startdate)))) AS year
          FROM src_archigos WHERE startdate IS NOT NULL)
    GROUP BY ccode, year""")
    x("""
    CREATE OR REPLACE TEMP TABLE irr_exit AS
    SELECT ccode, year(enddate) AS year, count(*) AS n FROM src_archigos
    WHERE exit = 'Irregular' AND enddate IS NOT NULL GROUP BY ALL""")
    x(f"""
    CREATE OR REPLACE TEMP TABLE regime_chg AS
    WITH d AS (SELECT ccode, year, polity2,
                      abs(polity2 - lag(polity2) OVER (PARTITION BY ccode ORDER BY year)) AS dp
               FROM democracy_cow)
    SELECT a.ccode, a.year,
           max((b.dp >= {REGIME_CHANGE_POINTS})::INTEGER) AS regime_change_5y
    FROM d a JOIN d b ON a.ccode = b.ccode AND b.year BETWEEN a.year - 4 AND a.year
    GROUP BY a.ccode, a.year""")
    if "us_aid" in have:
        year = "CAST(regexp_extract(\"Fiscal Year\", '^([0-9]{4})', 1) AS INTEGER)"
        x(f"""
        CREATE OR REPLACE TEMP TABLE aid_sy AS
        SELECT ccode, year, sum(amt) AS us_aid FROM (
          SELECT {crosswalk_sql('"Country Code"', '"Country Name"', year)} AS ccode, {year} AS year,
                 constant_amount AS amt
          FROM src_us_aid WHERE "Transaction Type Name" = 'Obligations')
        WHERE ccode IS NOT NULL GROUP BY ALL""")
        aid_first = "(SELECT min(year) FROM aid_sy)"
    else:
        x("CREATE OR REPLACE TEMP TABLE aid_sy (ccode INTEGER, year INTEGER, us_aid DOUBLE)")
        aid_first = "NULL"
    for key, ddl in (("chisols", "ccode INTEGER, year INTEGER, solschange INTEGER"),
                     ("leeds_savun", "ccode INTEGER, year INTEGER, lsthreat DOUBLE")):
        if key not in have:
            x(f"CREATE OR REPLACE TEMP TABLE src_{key} ({ddl})")
    # alliance portfolio from ATOP (any pledge, either direction)
    x("""
    CREATE OR REPLACE TEMP TABLE atop_u_x AS
    SELECT a.k, (p.k IS NULL)::INTEGER AS alliance_onset FROM atop_u a
    LEFT JOIN atop_u p ON p.k = a.k - 1000000""")
    x("""
    CREATE OR REPLACE TEMP TABLE ally_pairs AS
    SELECT year, s, o, onset FROM (
      SELECT k // 1000000 AS year, (k % 1000000) // 1000 AS lo, k % 1000 AS hi, alliance_onset AS onset
      FROM atop_u_x) t, LATERAL (SELECT lo AS s, hi AS o UNION ALL SELECT hi, lo)""")
    x("""
    CREATE OR REPLACE TEMP TABLE portfolio AS
    SELECT a.s AS ccode, a.year, count(*) AS n_allies,
           count(*) FILTER (WHERE m.major = 1) AS n_major_allies,
           max((a.o = 2)::INTEGER) AS us_ally,
           coalesce(max((a.onset = 1 AND m.major = 1)::INTEGER), 0) AS new_major_alliance
    FROM ally_pairs a JOIN sy m ON m.ccode = a.o AND m.year = a.year
    GROUP BY a.s, a.year""")
    x(f"""
    CREATE OR REPLACE TABLE {table} AS
    SELECT s.ccode, s.year,
           l.leader,
           CASE WHEN l.startdate IS NOT NULL THEN
             round(date_diff('day', l.startdate, make_date(s.year, 12, 31)) / 365.25, 3) END AS leader_tenure,
           (l.leader_entry = 'Irregular')::INTEGER AS entry_irregular,
           l.leader_entry, l.leader_exit,
           CASE WHEN s.year BETWEEN (SELECT min(year(startdate)) FROM src_archigos)
                                AND (SELECT max(year(enddate)) FROM src_archigos) THEN
             (SELECT coalesce(sum(i.n), 0) FROM irr_exit i
              WHERE i.ccode = s.ccode AND i.year BETWEEN s.year - 4 AND s.year) END AS irregular_exits_5y,
           c.solschange AS chisols_change,
           s.polity2, s.v2x_polyarchy, r.regime_change_5y,
           t.lsthreat AS ls_threat,
           CASE WHEN a.us_aid IS NOT NULL THEN a.us_aid
                WHEN s.year >= {aid_first} AND s.year <= (SELECT max(year) FROM aid_sy) THEN 0 END AS us_aid,
           coalesce(p.n_allies, 0) AS n_allies, coalesce(p.n_major_allies, 0) AS n_major_allies,
           coalesce(p.us_ally, 0) AS us_ally, coalesce(p.new_major_alliance, 0) AS new_major_alliance,
           s.cinc, s.major
    FROM sy s
    LEFT JOIN leader_sy l USING (ccode, year)
    LEFT JOIN (SELECT ccode, year, max(solschange) AS solschange FROM src_chisols GROUP BY ALL) c USING (ccode, year)
    LEFT JOIN regime_chg r USING (ccode, year)
    LEFT JOIN (SELECT ccode, year, avg(lsthreat) AS lsthreat FROM src_leeds_savun GROUP BY ALL) t USING (ccode, year)
    LEFT JOIN aid_sy a USING (ccode, year)
    LEFT JOIN portfolio p USING (ccode, year)""")
