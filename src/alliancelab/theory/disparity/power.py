"""Power as a vector and the patron–client disparity index (Yu §3; THEORY_MAP Y1, Y2, Y11).

Power arrays have the components of :data:`POWER_COMPONENTS` on their last axis ``K`` and broadcast over
any leading axes. The material components can be taken straight from the Correlates of War National
Material Capabilities data (Singer, Bremer & Stuckey 1972) with :func:`components_from_nmc`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..._exceptions import InputError
from ._math import EPS, as_float
from .params import POWER_COMPONENTS, DisparityParams

__all__ = [
    "POWER_COMPONENTS",
    "NMC_COLUMNS",
    "composite_power",
    "disparity",
    "component_shares",
    "shares_of_total",
    "cinc_subindices",
    "components_from_nmc",
    "power_vector",
    "with_component",
]

_DEFAULT = DisparityParams()

#: The six COW NMC indicators, in the order :func:`components_from_nmc` takes them.
NMC_COLUMNS: tuple[str, ...] = ("milex", "milper", "irst", "pec", "tpop", "upop")


def _weights(p: DisparityParams) -> NDArray[np.float64]:
    return np.asarray(p.power_weights, dtype=np.float64)


def _check_k(x: NDArray[np.float64], name: str) -> None:
    if x.ndim == 0 or x.shape[-1] != len(POWER_COMPONENTS):
        raise InputError(f"last axis must have length {len(POWER_COMPONENTS)} "
                         f"{POWER_COMPONENTS}; got shape {x.shape}", field=name)


def composite_power(components: ArrayLike, p: DisparityParams = _DEFAULT) -> NDArray[np.float64]:
    """Weighted composite power ``Σ_k w_k x_k`` over the last axis.

    Parameters
    ----------
    components : array_like, shape (..., K)
        Non-negative power components in the order of :data:`POWER_COMPONENTS`, on a common scale
        (e.g. world shares, or indices in [0, 1]).
    p : DisparityParams
        Supplies the weights ``w_military`` … ``w_institutional`` (sum to 1).

    Returns
    -------
    ndarray, shape (...)

    Examples
    --------
    >>> float(composite_power([1.0, 1.0, 1.0, 1.0, 1.0]))
    1.0
    >>> composite_power([[1, 0, 0, 0, 0], [0, 0, 1, 0, 0]]).round(2).tolist()
    [0.26, 0.24]
    """
    x = as_float(components)
    _check_k(x, "components")
    return np.clip(x, 0.0, None) @ _weights(p)


def component_shares(patron: ArrayLike, client: ArrayLike) -> NDArray[np.float64]:
    """Patron's share of the dyad on each power component, ``x_pk / (x_pk + x_ck)``.

    A component on which both have zero power carries no information and gets share 0.5 (parity).

    Examples
    --------
    >>> component_shares([3, 1, 0, 1, 1], [1, 1, 0, 3, 0]).tolist()
    [0.75, 0.5, 0.5, 0.25, 1.0]
    """
    a = np.clip(as_float(patron), 0.0, None)
    b = np.clip(as_float(client), 0.0, None)
    total = a + b
    with np.errstate(invalid="ignore", divide="ignore"):
        s = np.where(total > 0.0, a / np.where(total > 0.0, total, 1.0), 0.5)
    return s


def disparity(patron: ArrayLike, client: ArrayLike, p: DisparityParams = _DEFAULT, *,
              aggregation: str = "dyad") -> NDArray[np.float64]:
    """Power disparity D: the patron's share of the dyad's composite power, in (0, 1).

    ``D = Σ_k w_k · x_pk / (x_pk + x_ck)`` (``aggregation="dyad"``, default): each component is first
    normalised by the dyad's total on that component, so military spending in dollars, population in
    thousands and an ideological-appeal index in [0, 1] can be mixed without a common unit; the
    patron's and client's composites then sum to 1, and D is the patron's share of it.
    ``aggregation="raw"`` gives ``C(x_p) / (C(x_p) + C(x_c))`` for components already on one scale.

    A share rather than a ratio: bounded, so logits and thresholds in D are well behaved; symmetric
    (the client's share is 1 − D); parity is D = 0.5; D → 1 as the patron's preponderance grows.
    D is clipped to [1e-9, 1 − 1e-9] so it stays in the open interval.

    Parameters
    ----------
    patron, client : array_like, shape (..., K)
        Power components (:data:`POWER_COMPONENTS` order), broadcast against each other.
    p : DisparityParams
    aggregation : {"dyad", "raw"}

    Returns
    -------
    ndarray, shape (...)

    Examples
    --------
    >>> float(disparity([1, 1, 1, 1, 1], [1, 1, 1, 1, 1]))
    0.5
    >>> round(float(disparity([3, 3, 3, 3, 3], [1, 1, 1, 1, 1])), 3)
    0.75

    A rise in the client's ideological appeal alone narrows the gap (Y11):

    >>> ussr = [0.9, 0.9, 0.9, 0.5, 0.5]
    >>> d1950 = disparity(ussr, [0.1, 0.1, 0.2, 0.3, 0.2])
    >>> d1958 = disparity(ussr, [0.1, 0.1, 0.9, 0.3, 0.2])
    >>> bool(d1958 < d1950)
    True
    """
    a = as_float(patron)
    b = as_float(client)
    _check_k(a, "patron")
    _check_k(b, "client")
    if aggregation == "dyad":
        d = component_shares(a, b) @ _weights(p)
    elif aggregation == "raw":
        ca = composite_power(a, p)
        cb = composite_power(b, p)
        tot = ca + cb
        d = np.where(tot > 0.0, ca / np.where(tot > 0.0, tot, 1.0), 0.5)
    else:
        raise InputError(f"must be 'dyad' or 'raw'; got {aggregation!r}", field="aggregation")
    return np.clip(d, EPS, 1.0 - EPS)


def shares_of_total(values: ArrayLike, axis: int = -1) -> NDArray[np.float64]:
    """Each state's share of the system total along ``axis`` (how CINC normalises each indicator).

    Missing values (NaN, or negative codes such as COW v6.0's ``-9``) are treated as missing: they
    are excluded from the total and stay NaN. An all-missing or all-zero slice gives NaN / 0.

    Examples
    --------
    >>> shares_of_total([[2.0, 6.0, -9.0]]).tolist()
    [[0.25, 0.75, nan]]
    """
    x = as_float(values)
    x = np.where(x >= 0.0, x, np.nan)
    total = np.nansum(x, axis=axis, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0.0, x / np.where(total > 0.0, total, 1.0), np.where(np.isnan(x), np.nan, 0.0))


def _mean_present(*cols: NDArray[np.float64]) -> NDArray[np.float64]:
    stack = np.stack(np.broadcast_arrays(*cols), axis=-1)
    stack = np.where(stack >= 0.0, stack, np.nan)
    present = ~np.isnan(stack)
    n = present.sum(axis=-1)
    s = np.where(present, stack, 0.0).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, s / np.maximum(n, 1), np.nan)


def cinc_subindices(milex: ArrayLike, milper: ArrayLike, irst: ArrayLike, pec: ArrayLike,
                    tpop: ArrayLike, upop: ArrayLike) -> NDArray[np.float64]:
    """CINC's three sub-indices from the six NMC indicator *shares* (each a share of the world total).

    Returns ``(..., 3)``: military = mean(milex, milper), industrial = mean(irst, pec), demographic =
    mean(tpop, upop). Missing shares (NaN or negative, e.g. COW's ``-9``) are left out of the mean,
    as COW does when computing CINC; all missing → NaN. The mean of the three is CINC itself
    (Singer, Bremer & Stuckey 1972).

    Examples
    --------
    >>> cinc_subindices(0.2, 0.1, 0.3, 0.1, 0.05, 0.05).round(3).tolist()
    [0.15, 0.2, 0.05]
    >>> cinc_subindices(0.2, float("nan"), 0.3, -9, 0.05, 0.05).round(3).tolist()
    [0.2, 0.3, 0.05]
    """
    cols = [as_float(c) for c in (milex, milper, irst, pec, tpop, upop)]
    return np.stack([_mean_present(cols[0], cols[1]), _mean_present(cols[2], cols[3]),
                     _mean_present(cols[4], cols[5])], axis=-1)


def components_from_nmc(milex: ArrayLike, milper: ArrayLike, irst: ArrayLike, pec: ArrayLike,
                        tpop: ArrayLike, upop: ArrayLike) -> NDArray[np.float64]:
    """Military and economic power components from COW NMC indicator *shares*.

    ``military`` = mean of the military-expenditure and military-personnel shares (CINC's military
    sub-index); ``economic`` = mean of the iron-and-steel, energy, total- and urban-population shares
    (CINC's industrial and demographic sub-indices together), so that
    ``(military + 2·economic)/3`` equals CINC. Convert raw NMC columns to shares of the system total per
    year first with :func:`shares_of_total`.

    Returns
    -------
    ndarray, shape (..., 2)
        ``[..., 0]`` military, ``[..., 1]`` economic; NaN only where every input is missing.

    Examples
    --------
    >>> components_from_nmc(0.2, 0.1, 0.3, 0.1, 0.05, 0.05).round(3).tolist()
    [0.15, 0.125]
    """
    sub = cinc_subindices(milex, milper, irst, pec, tpop, upop)
    econ = _mean_present(sub[..., 1], sub[..., 1], sub[..., 2], sub[..., 2])
    return np.stack([sub[..., 0], econ], axis=-1)


def power_vector(military: ArrayLike = 0.0, economic: ArrayLike = 0.0, ideological: ArrayLike = 0.0,
                 cultural: ArrayLike = 0.0, institutional: ArrayLike = 0.0) -> NDArray[np.float64]:
    """Stack named components into a ``(..., K)`` power array (broadcasting the inputs).

    Examples
    --------
    >>> power_vector(military=[0.2, 0.1], ideological=0.5).tolist()
    [[0.2, 0.0, 0.5, 0.0, 0.0], [0.1, 0.0, 0.5, 0.0, 0.0]]
    """
    cols = np.broadcast_arrays(*(as_float(c) for c in (military, economic, ideological, cultural,
                                                           institutional)))
    return np.stack(cols, axis=-1)


def with_component(power: ArrayLike, name: str, value: ArrayLike) -> NDArray[np.float64]:
    """Return a copy of ``power`` with component ``name`` replaced by ``value`` (e.g. Y11 scenarios).

    Examples
    --------
    >>> with_component([1, 1, 1, 1, 1], "ideological", 3).tolist()
    [1.0, 1.0, 3.0, 1.0, 1.0]
    """
    if name not in POWER_COMPONENTS:
        raise InputError(f"must be one of {POWER_COMPONENTS}; got {name!r}", field="name")
    x = as_float(power)
    _check_k(x, "power")
    v = as_float(value)
    out = np.array(np.broadcast_to(x, np.broadcast_shapes(x.shape, v.shape + (1,))), dtype=np.float64)
    out[..., POWER_COMPONENTS.index(name)] = v
    return out
