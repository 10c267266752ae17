"""Refit the empirical hazard priors from the ATOP data and rewrite the shipped numbers.

Usage::

    python scripts/hazard_prior.py [--data-dir /work/shared/data] [--panel panel.duckdb]

Writes ``src/alliancelab/calibration/data/hazard_prior.json`` (numbers and provenance, no data).
"""

from __future__ import annotations

import argparse

from alliancelab.calibration.hazard_prior import fit_hazard_prior
from alliancelab.calibration.store import write_prior


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", default=None)
    ap.add_argument("--panel", default=None, help="an existing DuckDB panel (else built from --data-dir)")
    a = ap.parse_args()
    out = fit_hazard_prior(a.panel, a.data_dir)
    target = write_prior(out, script="scripts/hazard_prior.py", dataset="atop", name="hazard_prior")
    print(target)


if __name__ == "__main__":
    main()
