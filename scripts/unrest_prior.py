"""Recompute the empirical prior of ``elite.unrest_max`` from Archigos 4.1 and rewrite the shipped numbers.

``python scripts/unrest_prior.py [--data-dir /work/shared/data]`` writes
``src/alliancelab/calibration/data/unrest_prior.json`` (numbers and provenance, no data).
"""

from alliancelab.calibration.archigos_exits import run_prior_script
from alliancelab.calibration.unrest_prior import fit_unrest_prior

if __name__ == "__main__":
    run_prior_script(fit_unrest_prior, "unrest_prior", __doc__)
