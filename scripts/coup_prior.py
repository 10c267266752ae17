"""Recompute the empirical prior of ``elite.coup_attempt_max`` from Archigos 4.1 and rewrite the shipped numbers.

``python scripts/coup_prior.py [--data-dir /work/shared/data]`` writes
``src/alliancelab/calibration/data/coup_prior.json`` (numbers and provenance, no data).
"""

from alliancelab.calibration.archigos_exits import run_prior_script
from alliancelab.calibration.coup_prior import fit_coup_prior

if __name__ == "__main__":
    run_prior_script(fit_coup_prior, "coup_prior", __doc__)
