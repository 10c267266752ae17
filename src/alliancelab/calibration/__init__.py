"""A posterior over the model's free parameters, fitted jointly on every built-in case (issue #11).

* :mod:`.space` — the free parameters, their boxes and priors (hazard priors from ATOP), constraints.
* :mod:`.hazard_prior` — the empirical hazard priors, fitted on the package's own ATOP panel.
* :mod:`.unrest_prior` — the empirical prior of ``elite.unrest_max``, from Archigos 4.1 popular-protest exits.
* :mod:`.coup_prior` — the empirical prior of ``elite.coup_attempt_max``, from Archigos 4.1 military exits.
* :mod:`.archigos_exits` — the Archigos exit rates and the log-normal fit both of those share.
* :mod:`.likelihood` — per-case log-likelihood from the cases' outcome probabilities (common random numbers).
* :mod:`.sampler` — emcee's ensemble sampler on a local Dask cluster, checkpointed and resumable.
* :mod:`.store` — the shipped posterior file and its provenance.
* :mod:`.loo` — leave-one-case-out validation (PSIS-LOO with exact refits where Pareto k > 0.7).
* :mod:`.uncertainty` — forecasts integrated over the posterior and the judgement inputs.
* :mod:`.cells` — the grid of posterior draws x input draws that paired comparisons share (advise, what-if).
* :mod:`.params` — :func:`calibrated_params`, the one parameter set of every point computation.
"""

from __future__ import annotations

from .params import calibrated_params
from .space import ParameterSpace, load_space
from .store import Posterior, load_posterior

__all__ = ["ParameterSpace", "Posterior", "calibrated_params", "load_posterior", "load_space"]
