"""The panel against its sources and well-known facts (needs ../shared/data)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.shared_data

DOCS = Path(__file__).resolve().parents[2] / "docs" / "panel.md"


def _contract(section: str) -> list[str]:
    text = DOCS.read_text(encoding="utf-8").split(f"## `{section}`")[1].split("\n## ")[0]
    names: list[str] = []
    for line in text.splitlines():
        if not line.startswith("| ") or line.startswith("| column") or line.startswith("|--"):
            continue
        cell = line.split("|")[1]
        for part in cell.split(","):
            part = part.strip().strip("`")
            if re.fullmatch(r"[a-z_0-9]+", part):
                names.append(part)
    return names


def _columns(panel, table):
    return [r[0] for r in panel.execute(f"DESCRIBE {table}").fetchall()]


@pytest.mark.parametrize("table", ["dyad_years", "state_years"])
def test_every_contract_column_is_present(panel, table):
    wanted = _contract(table)
    assert len(wanted) > 15
    missing = sorted(set(wanted) - set(_columns(panel, table)))
    assert missing == []


def test_onset_columns_for_every_pledge(panel):
    cols = set(_columns(panel, "dyad_years"))
    assert {f"onset_{p}" for p in ("defense", "offense", "neutral", "nonagg", "consul")} <= cols


def test_dyad_count_per_year_is_n_choose_2(panel):
    bad = panel.execute("""
        WITH n AS (SELECT year, count(*) AS n FROM state_years GROUP BY year),
             d AS (SELECT year, count(*) AS d FROM dyad_years GROUP BY year)
        SELECT n.year, n.n, d.d FROM n JOIN d USING (year) WHERE d.d <> n.n * (n.n - 1) / 2""").fetchall()
    assert bad == []
    years = panel.execute("SELECT min(year), max(year), count(DISTINCT year) FROM dyad_years").fetchone()
    assert years == (1816, 2018, 203)
    assert panel.execute("SELECT count(*) FROM dyad_years WHERE ccode1 >= ccode2").fetchone()[0] == 0


def test_system_members_match_cow_states(panel, shared_data_dir):
    # 1816-2016 state-years of states2016 equal the NMC v6 state-year count (15,951)
    n = panel.execute("SELECT count(*) FROM state_years WHERE year <= 2016").fetchone()[0]
    assert n == 15951


def test_allied_dyad_years_equal_atop(panel, shared_data_dir):
    atop = shared_data_dir / "atop" / "atop5.1_directed_dyad_year_peacesciencer.csv.gz"
    expected = panel.execute(f"""
        SELECT count(*) FROM (
          SELECT DISTINCT year, least(ccode1, ccode2) AS a, greatest(ccode1, ccode2) AS b
          FROM read_csv('{atop}') WHERE atop_defense + atop_offense + atop_neutral + atop_nonagg + atop_consul > 0) t
        SEMI JOIN dyad_years d ON d.year = t.year AND d.ccode1 = a AND d.ccode2 = b""").fetchone()[0]
    got = panel.execute("SELECT sum(alliance) FROM dyad_years").fetchone()[0]
    assert got == expected > 50_000
    for p in ("defense", "offense", "neutral", "nonagg", "consul"):
        exp = panel.execute(f"""
            SELECT count(*) FROM (SELECT DISTINCT year, least(ccode1, ccode2) a, greatest(ccode1, ccode2) b
                                  FROM read_csv('{atop}') WHERE atop_{p} = 1) t
            SEMI JOIN dyad_years d ON d.year = t.year AND d.ccode1 = a AND d.ccode2 = b""").fetchone()[0]
        assert panel.execute(f"SELECT sum(atop_{p}) FROM dyad_years").fetchone()[0] == exp


def test_cinc_equals_nmc(panel, shared_data_dir):
    nmc = shared_data_dir / "cow_nmc" / "NMC-70-abridged_peacesciencer.csv.gz"
    diff = panel.execute(f"""
        SELECT count(*), max(abs(d.cinc1 - n.cinc)) FROM dyad_years d
        JOIN read_csv('{nmc}') n ON n.ccode = d.ccode1 AND n.year = d.year""").fetchone()
    assert diff[0] > 900_000 and diff[1] == 0
    assert panel.execute(f"""SELECT count(*) FROM state_years s JOIN read_csv('{nmc}') n USING (ccode, year)
                             WHERE s.cinc IS DISTINCT FROM n.cinc""").fetchone()[0] == 0


def test_us_uk_defense_pact_from_1949(panel):
    rows = dict(panel.execute("""SELECT year, atop_defense FROM dyad_years
                                 WHERE ccode1 = 2 AND ccode2 = 200 AND year BETWEEN 1946 AND 1960""").fetchall())
    assert [rows[y] for y in (1946, 1947, 1948)] == [0, 0, 0]
    assert all(rows[y] == 1 for y in range(1949, 1961))
    onset = panel.execute("""SELECT onset_defense FROM dyad_years WHERE ccode1 = 2 AND ccode2 = 200
                             AND year = 1949""").fetchone()[0]
    assert onset == 1


def test_franco_prussian_mid_in_1870(panel):
    row = panel.execute("""SELECT cowmid_onset, cowmid_ongoing, gmlmid_ongoing, rivalry, conttype
                           FROM dyad_years WHERE ccode1 = 220 AND ccode2 = 255 AND year = 1870""").fetchone()
    assert row[0] == 1 and row[1] == 1 and row[2] == 1
    assert row[3] == 1  # France-Prussia/Germany strategic rivalry


def test_soviet_chinese_alliance_in_the_1950s(panel):
    rows = dict(panel.execute("""SELECT year, atop_defense FROM dyad_years
                                 WHERE ccode1 = 365 AND ccode2 = 710 AND year BETWEEN 1950 AND 1959""").fetchall())
    assert len(rows) == 10 and all(v == 1 for v in rows.values())


def test_majors_and_capability_columns(panel):
    row = panel.execute("""SELECT major1, major2, any_major, cap_ratio, cap_share, capdist
                           FROM dyad_years WHERE ccode1 = 2 AND ccode2 = 200 AND year = 1950""").fetchone()
    assert row[:3] == (1, 1, 1)
    assert row[3] >= 1 and 0.5 <= row[4] <= 1
    assert 5800 < row[5] < 6000  # Washington-London great-circle distance, km
    assert panel.execute("SELECT min(cap_ratio), min(cap_share), max(cap_share) FROM dyad_years").fetchone() \
        >= (1.0, 0.5, 0.0)


def test_contiguity_us_canada_and_mexico(panel):
    got = dict(panel.execute("""SELECT ccode2, conttype FROM dyad_years WHERE ccode1 = 2 AND year = 1990
                                AND ccode2 IN (20, 70, 200)""").fetchall())
    assert got == {20: 1, 70: 1, 200: 0}


def test_cow_mid_dyads_agree_with_peacesciencer(panel, shared_data_dir):
    ps = shared_data_dir / "cow_mid5" / "cow_mid5_directed_dyad_dispute_year_peacesciencer.csv.gz"
    n_ps, n_both = panel.execute(f"""
        WITH p AS (SELECT DISTINCT year, least(ccode1, ccode2) a, greatest(ccode1, ccode2) b FROM read_csv('{ps}'))
        SELECT (SELECT count(*) FROM p SEMI JOIN dyad_years d ON d.year = p.year AND d.ccode1 = a AND d.ccode2 = b),
               (SELECT count(*) FROM p JOIN dyad_years d ON d.year = p.year AND d.ccode1 = a AND d.ccode2 = b
                WHERE d.cowmid_ongoing = 1)""").fetchone()
    assert n_both == n_ps
    assert panel.execute("SELECT sum(cowmid_ongoing) FROM dyad_years").fetchone()[0] == n_ps


def test_peace_years_reset_after_onset(panel):
    rows = panel.execute("""SELECT year, cowmid_onset, peace_years FROM dyad_years
                            WHERE ccode1 = 220 AND ccode2 = 255 AND year BETWEEN 1866 AND 1875
                            ORDER BY year""").fetchall()
    by_year = {y: (o, p) for y, o, p in rows}
    assert by_year[1872][1] == 0  # the 1871 onset resets the count the next year
    assert by_year[1873][1] == 1
    assert panel.execute("SELECT min(peace_years) FROM dyad_years").fetchone()[0] == 0


def test_no_missing_codes_leak(panel):
    for col in ("polity2_1", "v2x_polyarchy1", "cinc1", "capdist"):
        assert panel.execute(f"SELECT count(*) FROM dyad_years WHERE {col} IN (-9, -66, -77, -88)").fetchone()[0] \
            == 0 or col == "polity2_1"  # polity2 = -9 is a genuine score
    assert panel.execute("SELECT count(*) FROM state_years WHERE irregular_exits_5y < 0").fetchone()[0] == 0


def test_state_year_facts(panel):
    us = dict(panel.execute("SELECT year, leader FROM state_years WHERE ccode = 2 AND year IN (1950, 2001)").fetchall())
    assert us == {1950: "Truman", 2001: "G.W. Bush"}
    isr = panel.execute("SELECT us_aid FROM state_years WHERE ccode = 666 AND year = 1985").fetchone()[0]
    assert isr > 1e9
    assert panel.execute("SELECT us_aid FROM state_years WHERE ccode = 2 AND year = 1900").fetchone()[0] is None
    uk = panel.execute("SELECT us_ally, n_major_allies > 0 FROM state_years WHERE ccode = 200 AND year = 1950").fetchone()
    assert uk == (1, True)
    assert panel.execute("SELECT count(*) FROM state_years WHERE new_major_alliance = 1").fetchone()[0] > 100
