"""Recompute the empirical prior of ``elite.coup_attempt_max`` from Archigos 4.1 and rewrite the shipped numbers.

Usage::

    python scripts/coup_prior.py [--data-dir /work/shared/data]

Writes ``src/alliancelab/calibration/data/coup_prior.json`` (numbers and provenance, no data).
"""

from __future__ import annotations

import argparse

from alliancelab.calibration.coup_prior import fit_coup_prior
from alliancelab.calibration.store import write_prior


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", default=None, help="folder with archigos/ (else $ALLIANCELAB_DATA_DIR)")
    a = ap.parse_args()
    out = fit_coup_prior(a.data_dir)
    target = write_prior(out, script="scripts/coup_prior.py", dataset="archigos", name="coup_prior")
    print(target)


if __name__ == "__main__":
    main()
