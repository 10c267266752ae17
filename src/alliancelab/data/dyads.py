"""The dyad-year table (see docs/panel.md for the column contract)."""

from __future__ import annotations

import duckdb

from ._sources_sql import YEAR, dkey, ukey

__all__ = ["PLEDGES", "build_dyad_years"]

PLEDGES = {"defense": "atop_defense", "offense": "atop_offense", "neutral": "atop_neutral",
           "nonagg": "atop_nonagg", "consul": "atop_consul"}

_EARTH_KM = 6371.0088


def build_dyad_years(con: duckdb.DuckDBPyConnection, *, directed: bool, table: str = "dyad_years") -> None:
    """Create ``table`` from ``sys``/``sy`` and the sparse dyadic tables (see ``_sources_sql``)."""
    x = con.execute
    pair = "a.ccode <> b.ccode" if directed else "a.ccode < b.ccode"
    atop = "atop_d" if directed else "atop_u"
    gml = "gml_d" if directed else "gml_u"
    # ATOP onsets and ends, computed on the sparse alliance table itself (key - YEAR = last year)
    any_p = " OR ".join(f"{c} = 1" for c in PLEDGES.values())
    onsets = ",\n".join(
        f"(a.{c} = 1 AND coalesce(p.{c}, 0) = 0)::INTEGER AS onset_{n}" for n, c in PLEDGES.items())
    x(f"""
    CREATE OR REPLACE TEMP TABLE atop_x AS
    SELECT a.k, {', '.join('a.' + c for c in PLEDGES.values())}, 1 AS alliance,
           (p.k IS NULL)::INTEGER AS alliance_onset, {onsets}
    FROM {atop} a LEFT JOIN {atop} p ON p.k = a.k - {YEAR}
    WHERE {any_p.replace('atop_', 'a.atop_')}""")
    x(f"""
    CREATE OR REPLACE TEMP TABLE atop_end AS
    SELECT a.k + {YEAR} AS k FROM atop_x a ANTI JOIN atop_x n ON n.k = a.k + {YEAR}""")
    x(f"""
    CREATE OR REPLACE TEMP TABLE mid_onsets AS
    SELECT lo, hi, year FROM cowmid WHERE cowmid_onset = 1""")
    pledge_cols = ",\n".join(f"coalesce(al.{c}, 0) AS {c}" for c in PLEDGES.values())
    onset_cols = ",\n".join(f"coalesce(al.onset_{n}, 0) AS onset_{n}" for n in PLEDGES)
    x(f"""
    CREATE OR REPLACE TABLE {table} AS
    WITH d AS (
      SELECT a.year, a.ccode AS ccode1, b.ccode AS ccode2,
             {dkey('a.year', 'a.ccode', 'b.ccode')} AS dk, {ukey('a.year', 'a.ccode', 'b.ccode')} AS uk
      FROM sys a JOIN sys b ON a.year = b.year AND {pair}),
    p AS (
      SELECT d.year, d.ccode1, d.ccode2,
        {pledge_cols},
        coalesce(al.alliance, 0) AS alliance,
        coalesce(al.alliance_onset, 0) AS alliance_onset,
        (ae.k IS NOT NULL)::INTEGER AS alliance_end,
        {onset_cols},
        s1.cinc AS cinc1, s2.cinc AS cinc2,
        CASE WHEN least(s1.cinc, s2.cinc) > 0 THEN greatest(s1.cinc, s2.cinc) / least(s1.cinc, s2.cinc) END AS cap_ratio,
        CASE WHEN s1.cinc + s2.cinc > 0 THEN greatest(s1.cinc, s2.cinc) / (s1.cinc + s2.cinc) END AS cap_share,
        s1.major AS major1, s2.major AS major2, greatest(s1.major, s2.major) AS any_major,
        coalesce(cm.cowmid_onset, 0) AS cowmid_onset, coalesce(cm.cowmid_ongoing, 0) AS cowmid_ongoing,
        coalesce(gm.gmlmid_onset, 0) AS gmlmid_onset, coalesce(gm.gmlmid_ongoing, 0) AS gmlmid_ongoing,
        (rv.k IS NOT NULL)::INTEGER AS rivalry,
        coalesce(ct.conttype, 0) AS conttype,
        2 * {_EARTH_KM} * asin(sqrt(
            pow(sin((s2.rlat - s1.rlat) / 2), 2)
            + cos(s1.rlat) * cos(s2.rlat) * pow(sin((s2.rlng - s1.rlng) / 2), 2))) AS capdist,
        coalesce(th.shared_rivals, 0) AS shared_rivals,
        coalesce(th.shared_mid_opponents, 0) AS shared_mid_opponents,
        coalesce(th.common_threat_cinc, 0) AS common_threat_cinc,
        s1.polity2 AS polity2_1, s2.polity2 AS polity2_2,
        s1.v2x_polyarchy AS v2x_polyarchy1, s2.v2x_polyarchy AS v2x_polyarchy2,
        (coalesce(ct.conttype, 0) > 0 OR greatest(s1.major, s2.major) = 1)::INTEGER AS politically_relevant,
        greatest(s1.first_year, s2.first_year) AS _first
      FROM d
      LEFT JOIN atop_x al ON al.k = d.{'dk' if directed else 'uk'}
      LEFT JOIN atop_end ae ON ae.k = d.{'dk' if directed else 'uk'}
      LEFT JOIN sy s1 ON s1.ccode = d.ccode1 AND s1.year = d.year
      LEFT JOIN sy s2 ON s2.ccode = d.ccode2 AND s2.year = d.year
      LEFT JOIN cowmid cm ON cm.k = d.uk
      LEFT JOIN {gml} gm ON gm.k = d.{'dk' if directed else 'uk'}
      LEFT JOIN riv rv ON rv.k = d.uk
      LEFT JOIN contig ct ON ct.k = d.uk
      LEFT JOIN threat th ON th.k = d.dk)
    SELECT p.* EXCLUDE (_first),
           (p.year - coalesce(o.year + 1, p._first))::INTEGER AS peace_years
    FROM p ASOF LEFT JOIN mid_onsets o
      ON o.lo = least(p.ccode1, p.ccode2) AND o.hi = greatest(p.ccode1, p.ccode2) AND p.year > o.year
    ORDER BY p.year, p.ccode1, p.ccode2""")
