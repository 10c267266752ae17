"""One parameter set: the shipped posterior's median, used wherever one point is needed.

``alliancelab backtest``, ``forecast --point``, ``advise --point`` and the web explorer's point mode
all run :func:`calibrated_params` (docs/calibration.md, "One parameter set"); ``--params defaults``
gives the source defaults (:class:`~alliancelab.theory.params.ModelParams`, the point calibration of
issue #3, docs/parameters.md). The Python API's ``params=None`` keeps meaning ``ModelParams()``.
"""

from __future__ import annotations

from pathlib import Path

from .._exceptions import InputError
from ..theory.params import ModelParams
from .store import Posterior, load_posterior

__all__ = ["PARAMS_CHOICES", "calibrated_params", "point_params"]

#: The values of ``--params``.
PARAMS_CHOICES = ("calibrated", "defaults")


def calibrated_params(posterior: Posterior | str | Path | None = None) -> ModelParams:
    """The posterior median (each free parameter's marginal median; fixed parameters at their values).

    If that point breaks a theory property (:func:`~alliancelab.calibration.space.violations`; a
    coordinate-wise median need not lie in the support) the draw with the highest likelihood is used
    instead (the posterior's best stored point). ``posterior``: a :class:`Posterior`, a file, or the
    shipped one (``None``).
    """
    from .space import violations

    post = posterior if isinstance(posterior, Posterior) else load_posterior(posterior)
    med = post.median_params()
    if not violations(med):
        return med
    best = int(post.pointwise["loglik"].sum(axis=1).argmax())
    return post.params(best)


def point_params(choice: str, posterior: Posterior | str | Path | None = None, *,
                 field: str = "--params") -> ModelParams:
    """``--params calibrated`` (:func:`calibrated_params`) or ``--params defaults`` (``ModelParams()``)."""
    if choice == "calibrated":
        return calibrated_params(posterior)
    if choice == "defaults":
        return ModelParams()
    raise InputError(f"unknown parameter set {str(choice)[:40]!r}; allowed: {', '.join(PARAMS_CHOICES)}",
                     field=field)
