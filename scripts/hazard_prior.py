"""Refit the empirical hazard priors from the ATOP data and rewrite the shipped numbers.

Usage::

    python scripts/hazard_prior.py [--data-dir /work/shared/data] [--panel panel.duckdb]

Writes ``src/alliancelab/calibration/data/hazard_prior.json`` (numbers and provenance, no data).
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
from pathlib import Path

from alliancelab._io import write_json_atomic
from alliancelab.calibration.hazard_prior import fit_hazard_prior

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", default=None)
    ap.add_argument("--panel", default=None, help="an existing DuckDB panel (else built from --data-dir)")
    a = ap.parse_args()
    out = fit_hazard_prior(a.panel, a.data_dir)
    rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                         text=True).stdout.strip()
    out["provenance"] = {"script": "scripts/hazard_prior.py", "code_version": rev or "unknown",
                         "date": dt.date.today().isoformat(),
                         "data_sources": "see /work/shared/data/atop/SOURCE.md and docs/data.md"}
    target = ROOT / "src/alliancelab/calibration/data/hazard_prior.json"
    write_json_atomic(target, out)
    print(target)


if __name__ == "__main__":
    main()
