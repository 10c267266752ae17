"""The triadic common-threat measures against a brute-force recomputation."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

import pytest

pytestmark = pytest.mark.shared_data


@pytest.mark.parametrize("year", [1870, 1914, 1950, 1990])
def test_common_threat_matches_brute_force(panel, shared_data_dir, year):
    members = {c for (c,) in panel.execute("SELECT ccode FROM state_years WHERE year = ?", [year]).fetchall()}
    cinc = dict(panel.execute("SELECT ccode, cinc FROM state_years WHERE year = ?", [year]).fetchall())
    riv = shared_data_dir / "rivalries" / "td_rivalries_thompson_dreyer_2012.csv"
    rivals: dict[int, set[int]] = defaultdict(set)
    for a, b in panel.execute(f"SELECT ccode1, ccode2 FROM read_csv('{riv}') WHERE ? BETWEEN styear AND endyear",
                              [year]).fetchall():
        if a in members and b in members:
            rivals[a].add(b)
            rivals[b].add(a)
    opponents: dict[int, set[int]] = defaultdict(set)
    for a, b in panel.execute("""SELECT ccode1, ccode2 FROM dyad_years WHERE cowmid_ongoing = 1
                                 AND year BETWEEN ? AND ?""", [year - 4, year]).fetchall():
        if a in members and b in members:
            opponents[a].add(b)
            opponents[b].add(a)
    expected = {}
    for a, b in combinations(sorted(members), 2):
        r = (rivals[a] & rivals[b]) - {a, b}
        m = (opponents[a] & opponents[b]) - {a, b}
        if r or m:
            expected[(a, b)] = (len(r), len(m), max(cinc[c] or 0 for c in r | m))
    got = {(a, b): (r, m, c) for a, b, r, m, c in panel.execute(
        """SELECT ccode1, ccode2, shared_rivals, shared_mid_opponents, common_threat_cinc FROM dyad_years
           WHERE year = ? AND (shared_rivals > 0 OR shared_mid_opponents > 0)""", [year]).fetchall()}
    assert got.keys() == expected.keys()
    for key, (r, m, c) in expected.items():
        assert got[key][:2] == (r, m), key
        assert got[key][2] == pytest.approx(c), key
    assert len(got) > 10
    zero = panel.execute("""SELECT count(*) FROM dyad_years WHERE year = ? AND shared_rivals = 0
                            AND shared_mid_opponents = 0 AND common_threat_cinc <> 0""", [year]).fetchone()[0]
    assert zero == 0
