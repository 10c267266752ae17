"""Benchmark the DuckDB panel build against a plain pandas-merge reference, in the same run.

Usage::

    python benchmarks/panel_build.py [--data-dir DIR] [--repeat N] [--json]

Each build runs in a child process so its wall time and peak resident memory (``ru_maxrss`` of the
child, via ``resource.getrusage(RUSAGE_CHILDREN)`` measured in a fresh wrapper process) are its own.
``seconds`` is the wall time of ``build_panel`` (full 1816-2018 undirected panel, dyad-years and
state-years, written to a DuckDB file), the best of ``--repeat`` runs; ``process_seconds`` adds the
interpreter start and imports. The pandas reference builds the dyad-years with alliances,
capabilities, majors, COW and GML MIDs, rivalries, contiguity, capital distance, the common-threat
triads, regimes and peace-years (every dyad-year column of the DuckDB build) by
``pandas.merge``/``groupby``, and its column sums are compared with the DuckDB file (``same_panel``); ``pandas_ratio`` = pandas seconds / median DuckDB seconds
(``pandas_ratio_best`` uses the best run). The machine's 1-minute load average is recorded: other
processes on the two cores slow DuckDB's two threads more than single-threaded pandas. The last line
printed is the JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# Runs in a child: time one build, print {"seconds": ...}.
_DUCKDB_CHILD = """
import json, sys, time
t0 = time.perf_counter()
from alliancelab.data import build_panel
t1 = time.perf_counter()
res = build_panel(sys.argv[1], sys.argv[2])
t2 = time.perf_counter()
import duckdb
cols = sys.argv[3].split(",")
con = duckdb.connect(sys.argv[2], read_only=True)
sums = con.execute("SELECT " + ", ".join(f"sum({c})::DOUBLE" for c in cols) + " FROM dyad_years").fetchone()
print(json.dumps({"seconds": t2 - t1, "import_seconds": t1 - t0, "rows": res.rows,
                  "checks": dict(zip(cols, sums)), "steps": res.steps, "cpu": sum(res.cpu.values())}))
"""

# Runs in a wrapper process: start the child, report its peak RSS (only child in this wrapper).
_WRAPPER = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
out = subprocess.run(sys.argv[1:], capture_output=True, text=True)
wall = time.perf_counter() - t
if out.returncode:
    sys.stderr.write(out.stderr); sys.exit(out.returncode)
res = json.loads(out.stdout.strip().splitlines()[-1])
res["process_seconds"] = wall
res["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps(res))
"""


def pandas_reference(data_dir: str) -> dict[str, object]:
    """The undirected dyad-year panel (same definitions as the DuckDB build) with pandas merges."""
    import numpy as np
    import pandas as pd

    t0 = time.perf_counter()
    d = Path(data_dir)
    end = 2018
    states = pd.read_csv(d / "cow_states" / "states2016.csv", usecols=range(10))
    last = states["endyear"].max()
    states["e"] = np.where(states["endyear"] >= last, np.maximum(states["endyear"], end), states["endyear"])
    sys_ = (states.assign(year=[list(range(s, e + 1)) for s, e in zip(states.styear, states.e)])
            .explode("year")[["ccode", "year"]].astype(int).drop_duplicates())
    sys_ = sys_[(sys_.year >= 1816) & (sys_.year <= end)]
    dy = sys_.merge(sys_, on="year", suffixes=("1", "2"))
    dy = dy[dy.ccode1 < dy.ccode2].reset_index(drop=True)

    atop = pd.read_csv(d / "atop" / "atop5.1_directed_dyad_year_peacesciencer.csv.gz")
    a, b = atop[["ccode1", "ccode2"]].min(axis=1), atop[["ccode1", "ccode2"]].max(axis=1)
    atop = atop.assign(ccode1=a, ccode2=b).groupby(["year", "ccode1", "ccode2"], as_index=False).max()
    pl = ["atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul"]
    atop = atop[atop[pl].max(axis=1) == 1]
    atop["alliance"] = 1
    prev = atop[["year", "ccode1", "ccode2"] + pl].assign(year=atop.year + 1)
    atop = atop.merge(prev, on=["year", "ccode1", "ccode2"], how="left", suffixes=("", "_prev"), indicator=True)
    atop["alliance_onset"] = (atop["_merge"] == "left_only").astype(int)
    for p in pl:
        atop["onset_" + p[5:]] = ((atop[p] == 1) & (atop[p + "_prev"].fillna(0) == 0)).astype(int)
    atop = atop.drop(columns=[c for c in atop if c.endswith("_prev")] + ["_merge"])
    ends = atop[["year", "ccode1", "ccode2"]].assign(year=atop.year + 1).merge(
        atop[["year", "ccode1", "ccode2"]], how="left", indicator=True)
    ends = ends[ends["_merge"] == "left_only"].drop(columns="_merge").assign(alliance_end=1)
    dy = dy.merge(atop, how="left", on=["year", "ccode1", "ccode2"]).merge(ends, how="left", on=["year", "ccode1", "ccode2"])

    nmc = pd.read_csv(d / "cow_nmc" / "NMC-70-abridged_peacesciencer.csv.gz")[["ccode", "year", "cinc"]]
    maj = pd.read_csv(d / "cow_states" / "majors2016_peacesciencer.csv")
    maj["e"] = np.where(maj.endyear >= maj.endyear.max(), np.maximum(maj.endyear, end), maj.endyear)
    maj = (maj.assign(year=[list(range(s, e + 1)) for s, e in zip(maj.styear, maj.e)]).explode("year")
           [["ccode", "year"]].astype(int).drop_duplicates().assign(major=1))
    cap = pd.read_csv(d / "capitals" / "cow_capitals_peacesciencer.csv", parse_dates=["stdate", "enddate"])
    cap = (cap.assign(year=[list(range(s.year, e.year + 1)) for s, e in zip(cap.stdate, cap.enddate)])
           .explode("year").sort_values("stdate").groupby(["ccode", "year"], as_index=False).last()
           [["ccode", "year", "lat", "lng"]])
    cap["year"] = cap["year"].astype(int)
    dem = pd.read_csv(d / "democracy_vdem" / "cw_democracy_isard.csv.gz")[["ccode", "year", "polity2", "v2x_polyarchy"]]
    for i in ("1", "2"):
        for tab in (nmc, maj, cap, dem):
            dy = dy.merge(tab.rename(columns={c: c + i for c in tab if c != "year"}), how="left",
                          on=["year", "ccode" + i])
    dy = dy.rename(columns={"polity21": "polity2_1", "polity22": "polity2_2"})
    dy["cap_ratio"] = dy[["cinc1", "cinc2"]].max(axis=1) / dy[["cinc1", "cinc2"]].min(axis=1)
    dy["cap_share"] = dy[["cinc1", "cinc2"]].max(axis=1) / (dy.cinc1 + dy.cinc2)
    dy[["major1", "major2"]] = dy[["major1", "major2"]].fillna(0)
    dy["any_major"] = dy[["major1", "major2"]].max(axis=1)
    la1, lo1, la2, lo2 = (np.radians(dy[c]) for c in ("lat1", "lng1", "lat2", "lng2"))
    h = np.sin((la2 - la1) / 2) ** 2 + np.cos(la1) * np.cos(la2) * np.sin((lo2 - lo1) / 2) ** 2
    dy["capdist"] = 2 * 6371.0088 * np.arcsin(np.sqrt(h))

    midb = pd.read_csv(d / "cow_mid5" / "MIDB 5.0.csv").replace(-9, np.nan)
    midb["sd"] = pd.to_datetime(dict(year=midb.styear, month=midb.stmon.fillna(1), day=midb.stday.fillna(1)))
    ed = pd.to_datetime(dict(year=midb.endyear, month=midb.endmon.fillna(12), day=1)) + pd.offsets.MonthEnd(0)
    midb["ed"] = ed.where(midb.endday.isna(), pd.to_datetime(
        dict(year=midb.endyear, month=midb.endmon.fillna(12), day=midb.endday.fillna(1))))
    pr = midb.merge(midb, on="dispnum", suffixes=("a", "b"))
    pr = pr[(pr.ccodea < pr.ccodeb) & (pr.sideaa != pr.sideab)]
    pr = pr.assign(s=pr[["sda", "sdb"]].max(axis=1), e=pr[["eda", "edb"]].min(axis=1))
    pr = pr[pr.s <= pr.e]
    yrs = (pr.assign(year=[list(range(s.year, e.year + 1)) for s, e in zip(pr.s, pr.e)]).explode("year")
           [["dispnum", "ccodea", "ccodeb", "year"]].astype(int).drop_duplicates())
    prev = yrs.assign(year=yrs.year + 1, had=1)
    yrs = yrs.merge(prev, how="left", on=["dispnum", "ccodea", "ccodeb", "year"])
    yrs["cowmid_onset"] = yrs["had"].isna().astype(int)
    mid = (yrs.rename(columns={"ccodea": "ccode1", "ccodeb": "ccode2"})
           .groupby(["year", "ccode1", "ccode2"], as_index=False)["cowmid_onset"].max().assign(cowmid_ongoing=1))
    dy = dy.merge(mid, how="left", on=["year", "ccode1", "ccode2"])

    con = pd.read_csv(d / "cow_contiguity" / "cow_contdir_3.2_peacesciencer.csv", parse_dates=["stdate", "enddate"])
    last_c = con.enddate.dt.year.max()
    ey = np.where(con.enddate.dt.year >= last_c, np.maximum(con.enddate.dt.year, end), con.enddate.dt.year)
    con = con.assign(year=[list(range(s.year, e + 1)) for s, e in zip(con.stdate, ey)]).explode("year")
    con["year"] = con["year"].astype(int)
    a, b = con[["ccode1", "ccode2"]].min(axis=1), con[["ccode1", "ccode2"]].max(axis=1)
    con = con.assign(ccode1=a, ccode2=b).groupby(["year", "ccode1", "ccode2"], as_index=False)["conttype"].min()
    dy = dy.merge(con, how="left", on=["year", "ccode1", "ccode2"])

    gml = pd.read_csv(d / "gml_mid" / "gml-ddy-disputes-2.1.1.csv.gz")
    a, b = gml[["ccode1", "ccode2"]].min(axis=1), gml[["ccode1", "ccode2"]].max(axis=1)
    gml = (gml.assign(ccode1=a, ccode2=b, gmlmid_onset=gml.midonset.clip(lower=0))
           .groupby(["year", "ccode1", "ccode2"], as_index=False)["gmlmid_onset"].max().assign(gmlmid_ongoing=1))
    dy = dy.merge(gml, how="left", on=["year", "ccode1", "ccode2"])
    riv = pd.read_csv(d / "rivalries" / "td_rivalries_thompson_dreyer_2012.csv")
    riv = riv.assign(year=[list(range(s, e + 1)) for s, e in zip(riv.styear, riv.endyear)]).explode("year")
    a, b = riv[["ccode1", "ccode2"]].min(axis=1), riv[["ccode1", "ccode2"]].max(axis=1)
    riv = riv.assign(ccode1=a, ccode2=b)[["year", "ccode1", "ccode2"]].astype(int).drop_duplicates()
    dy = dy.merge(riv.assign(rivalry=1), how="left", on=["year", "ccode1", "ccode2"])

    # common threat: per year each state's rivals and MID opponents of the last 5 years, self-merged
    def both(df: pd.DataFrame) -> pd.DataFrame:
        x = df[["year", "ccode1", "ccode2"]]
        return pd.concat([x.set_axis(["year", "s", "o"], axis=1), x[["year", "ccode2", "ccode1"]]
                          .set_axis(["year", "s", "o"], axis=1)])
    mids5 = pd.concat([mid.assign(year=mid.year + i) for i in range(5)])
    third = pd.concat([both(riv).assign(kind=0), both(mids5).drop_duplicates().assign(kind=1)])
    third = third.merge(sys_.rename(columns={"ccode": "o"}), on=["year", "o"]).merge(
        nmc.rename(columns={"ccode": "o"}), how="left", on=["year", "o"])
    third = third[(third.year >= 1816) & (third.year <= end)]
    tri = third.merge(third[["year", "o", "kind", "s"]], on=["year", "o", "kind"], suffixes=("1", "2"))
    tri = tri[tri.s1 < tri.s2]
    thr = tri.groupby(["year", "s1", "s2"])["cinc"].max().rename("common_threat_cinc").to_frame()
    cnt = tri.groupby(["year", "s1", "s2", "kind"])["o"].nunique().unstack("kind", fill_value=0)
    thr["shared_rivals"] = cnt[0] if 0 in cnt else 0
    thr["shared_mid_opponents"] = cnt[1] if 1 in cnt else 0
    thr = thr.reset_index()
    dy = dy.merge(thr.rename(columns={"s1": "ccode1", "s2": "ccode2"}), how="left", on=["year", "ccode1", "ccode2"])

    fill = pl + ["alliance", "alliance_onset", "alliance_end", "cowmid_onset", "cowmid_ongoing", "conttype",
                 "gmlmid_onset", "gmlmid_ongoing", "rivalry", "shared_rivals", "shared_mid_opponents"] + \
        [c for c in dy if c.startswith("onset_")]
    dy["common_threat_cinc"] = dy["common_threat_cinc"].fillna(0.0)
    dy[fill] = dy[fill].fillna(0).astype(int)
    # peace-years: years since the last COW MID onset before this year (else since the dyad's first year)
    first = sys_.groupby("ccode")["year"].min()
    dy["first"] = np.maximum(dy.ccode1.map(first), dy.ccode2.map(first))
    # (onsets in years the dyad is outside the panel, e.g. before a state's entry, count too)
    ons = mid.loc[mid.cowmid_onset == 1, ["year", "ccode1", "ccode2"]].assign(last_onset=lambda m: m.year)
    dy = pd.merge_asof(dy.sort_values("year"), ons.sort_values("year"), on="year", by=["ccode1", "ccode2"],
                       allow_exact_matches=False)
    dy["peace_years"] = (dy.year - np.where(dy.last_onset.notna(), dy.last_onset + 1, dy["first"])).astype(int)
    dy["politically_relevant"] = ((dy.conttype > 0) | (dy.any_major == 1)).astype(int)
    dy = dy.sort_values(["year", "ccode1", "ccode2"]).reset_index(drop=True)
    seconds = time.perf_counter() - t0
    checks = {c: float(dy[c].sum()) for c in CHECK_COLUMNS}
    return {"seconds": seconds, "rows": {"dyad_years": len(dy)}, "checks": checks}


#: Column sums compared between the two builds (``same_panel`` in the JSON).
CHECK_COLUMNS = ("alliance", "alliance_onset", "alliance_end", "atop_defense", "onset_consul", "cinc1",
                 "cap_share", "major2", "cowmid_onset", "cowmid_ongoing", "gmlmid_onset", "gmlmid_ongoing",
                 "rivalry", "conttype", "capdist", "shared_rivals", "shared_mid_opponents",
                 "common_threat_cinc", "polity2_1", "v2x_polyarchy2", "politically_relevant", "peace_years")


_PANDAS_CHILD = """
import json, resource, sys
sys.path.insert(0, sys.argv[2])
from panel_build import pandas_reference
r = pandas_reference(sys.argv[1])
u = resource.getrusage(resource.RUSAGE_SELF)
r["cpu"] = u.ru_utime + u.ru_stime
print(json.dumps(r))
"""


def _run(code: str, *args: str) -> dict[str, object]:
    cmd = [sys.executable, "-c", _WRAPPER, sys.executable, "-c", code, *args]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if out.returncode:
        raise SystemExit(f"benchmark child failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a summary and, last, the JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", default=os.environ.get("ALLIANCELAB_DATA_DIR", str(REPO.parent / "shared" / "data")))
    parser.add_argument("--repeat", type=int, default=3, help="DuckDB builds to run (best is reported)")
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        runs = [_run(_DUCKDB_CHILD, args.data_dir, str(Path(tmp) / f"p{i}.duckdb"), ",".join(CHECK_COLUMNS))
                for i in range(args.repeat)]
    best = min(runs, key=lambda r: r["seconds"])  # type: ignore[arg-type,return-value]
    median = statistics.median(float(r["seconds"]) for r in runs)  # type: ignore[arg-type]
    ref = _run(_PANDAS_CHILD, args.data_dir, str(Path(__file__).resolve().parent))
    result = {
        "seconds": round(float(best["seconds"]), 3),  # type: ignore[arg-type]
        "process_seconds": round(float(best["process_seconds"]), 3),  # type: ignore[arg-type]
        "peak_rss_mb": round(max(float(r["peak_rss_mb"]) for r in runs), 1),  # type: ignore[arg-type]
        "all_seconds": [round(float(r["seconds"]), 3) for r in runs],  # type: ignore[arg-type]
        "dyad_years": best["rows"]["dyad_years"],  # type: ignore[index]
        "state_years": best["rows"]["state_years"],  # type: ignore[index]
        "pandas_seconds": round(float(ref["seconds"]), 3),  # type: ignore[arg-type]
        "pandas_cpu_seconds": round(float(ref["cpu"]), 3),  # type: ignore[arg-type]
        # CPU seconds (all threads) are far less sensitive to other load on the machine than wall time
        "pandas_cpu_ratio": round(float(ref["cpu"]) / float(best["cpu"]), 2),  # type: ignore[arg-type]
        "pandas_peak_rss_mb": round(float(ref["peak_rss_mb"]), 1),  # type: ignore[arg-type]
        "pandas_dyad_years": ref["rows"]["dyad_years"],  # type: ignore[index]
        "median_seconds": round(median, 3),
        "cpu_seconds": round(float(best["cpu"]), 3),  # type: ignore[arg-type]
        "steps": {k: round(v, 3) for k, v in best["steps"].items()},  # type: ignore[union-attr]
        # conservative: the pandas run against the median (not the best) DuckDB run
        "pandas_ratio": round(float(ref["seconds"]) / median, 2),  # type: ignore[arg-type]
        "pandas_ratio_best": round(float(ref["seconds"]) / float(best["seconds"]), 2),  # type: ignore[arg-type]
        "same_panel": all(
            abs(float(best["checks"][c]) - float(ref["checks"][c]))  # type: ignore[index]
            <= 1e-6 * max(1.0, abs(float(ref["checks"][c])))  # type: ignore[index]
            for c in CHECK_COLUMNS),
        "cpus": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }
    if not args.json:
        print(f"DuckDB build: {result['seconds']} s (process {result['process_seconds']} s), "
              f"peak RSS {result['peak_rss_mb']} MB, {result['dyad_years']:,} dyad-years")
        print(f"pandas reference: {result['pandas_seconds']} s, peak RSS {result['pandas_peak_rss_mb']} MB "
              f"-> DuckDB is {result['pandas_ratio']}x faster (median run; best {result['pandas_ratio_best']}x)")
    print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
