"""Recompute the empirical prior of ``elite.unrest_max`` from Archigos 4.1 and rewrite the shipped numbers.

Usage::

    python scripts/unrest_prior.py [--data-dir /work/shared/data]

Writes ``src/alliancelab/calibration/data/unrest_prior.json`` (numbers and provenance, no data).
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
from pathlib import Path

from alliancelab._io import write_json_atomic
from alliancelab.calibration.unrest_prior import fit_unrest_prior

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", default=None, help="folder with archigos/ (else $ALLIANCELAB_DATA_DIR)")
    a = ap.parse_args()
    out = fit_unrest_prior(a.data_dir)
    rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                         text=True).stdout.strip()
    out["provenance"] = {"script": "scripts/unrest_prior.py", "code_version": rev or "unknown",
                         "date": dt.date.today().isoformat(),
                         "data_sources": "see /work/shared/data/archigos/SOURCE.md and docs/data.md"}
    target = ROOT / "src/alliancelab/calibration/data/unrest_prior.json"
    write_json_atomic(target, out)
    print(target)


if __name__ == "__main__":
    main()
