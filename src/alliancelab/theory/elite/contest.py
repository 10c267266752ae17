"""The struggle for power: elections, coups and incumbent precarity (paper E: E1, E2, E5, E9, E15).

"Coups and elections are regarded as two sides of the same coin—the struggle for power" (paper E,
theory section). Both are Tullock (1980) contests: elections on mass support, coups on coercive
capacity (armed followers, control of the army, military aid) boosted by a patron's commitment to
back armed action, against the incumbent's coercion plus the defence its mass support gives.

Coercion is an index in coercion units (1 = control of the country's organised armed force).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..._compiled import gather
from .._axis import max_full, prod_last, repeat_last, sum_full
from ._contest_kernels import coup_success, precarity_tail, tullock_shares
from .params import EliteParams

__all__ = [
    "coup_attempt_probability",
    "coup_success_probability",
    "election_win_probability",
    "horizon_precarity",
    "precarity",
    "security_gain",
    "tullock",
]

Array = NDArray[np.float64]


def tullock(strength: ArrayLike, r: float, *, active: ArrayLike | None = None) -> Array:
    """Tullock contest success function ``p_k = x_k^r / sum_j x_j^r`` over the last axis.

    Negative strengths count as 0; inactive contestants get 0; when every active strength is 0
    the active contestants split evenly. Computed relative to the largest strength, so large ``r``
    does not overflow.

    Examples
    --------
    >>> import numpy as np
    >>> tullock(np.array([3.0, 1.0]), 1.0)
    array([0.75, 0.25])
    >>> tullock(np.array([0.0, 0.0, 5.0]), 2.0, active=np.array([True, True, False]))
    array([0.5, 0.5, 0. ])
    """
    x = np.asarray(strength, dtype=float)
    act = np.ones(x.shape, dtype=bool) if active is None else np.asarray(active, dtype=bool)
    x, act = np.broadcast_arrays(x, act)
    fast = tullock_shares(x, r, act)
    if fast is not None:                 # the same numbers from two compiled loops
        return fast
    x = np.clip(x, 0.0, None)
    x = np.where(act, x, 0.0)
    top = max_full(x)
    rel = np.divide(x, top, out=np.zeros_like(x), where=top > 0)
    w = np.where(top > 0, rel ** r, act.astype(float))
    w = np.where(act, w, 0.0)
    total = sum_full(w)
    return np.divide(w, total, out=np.zeros_like(w), where=total > 0)


def _pair(a: Array, b: Array, r: float) -> Array:
    """Pairwise Tullock ``a^r / (a^r + b^r)``; 0 when ``a`` is 0 (a challenger with nothing)."""
    a = np.clip(a, 0.0, None)
    b = np.clip(b, 0.0, None)
    top = np.maximum(a, b)
    ra = np.divide(a, top, out=np.zeros_like(top), where=top > 0) ** r
    rb = np.divide(b, top, out=np.zeros_like(top), where=top > 0) ** r
    total = ra + rb
    return np.divide(ra, total, out=np.zeros_like(total), where=total > 0)


def _take(x: Array, index: ArrayLike) -> Array:
    """``x[..., index]`` per leading cell: ``index`` has the leading shape of ``x``."""
    idx = np.asarray(index, dtype=np.intp)
    fast = gather(x, idx)
    if fast is not None:
        return fast
    if x.ndim == 3 and idx.shape == x.shape[:2]:         # (runs, clients, factions): fancy indexing
        return x[np.arange(x.shape[0])[:, None], np.arange(x.shape[1])[None, :], idx]
    idx = np.broadcast_to(idx, x.shape[:-1])[..., None]
    return np.take_along_axis(x, idx, axis=-1)[..., 0]


def _is_incumbent(shape: tuple[int, ...], index: ArrayLike) -> NDArray[np.bool_]:
    idx = np.broadcast_to(np.asarray(index, dtype=np.intp), shape[:-1])
    out = np.empty(shape, dtype=bool)
    for i in range(shape[-1]):       # one comparison per faction (a broadcast one is slower)
        np.equal(idx, i, out=out[..., i])
    return out


def election_win_probability(shares: ArrayLike, active: ArrayLike, p: EliteParams) -> Array:
    """P(each faction wins an election): Tullock contest on mass support, ``r = r_election`` (E1, E2).

    Non-decreasing in a faction's own share, 0 for inactive factions, sums to 1.

    Examples
    --------
    >>> import numpy as np
    >>> election_win_probability(np.array([0.6, 0.4]), np.array([True, True]), EliteParams())
    array([0.69230769, 0.30769231])
    """
    return tullock(np.asarray(shares, dtype=float), p.r_election, active=active)


def _challenger_strength(coercion: Array, military_aid: Array, armed_commitment: Array,
                         p: EliteParams) -> Array:
    c = np.clip(armed_commitment, 0.0, 1.0)
    base = np.clip(coercion, 0.0, None) \
        + p.military_aid_weight * np.log1p(np.clip(military_aid, 0.0, None) / p.scale_military_aid)
    return base * (1.0 + p.armed_backing_boost * c) + p.armed_backing_force * c


def coup_success_probability(coercion: ArrayLike, military_aid: ArrayLike,
                             armed_commitment: ArrayLike, incumbent: ArrayLike, shares: ArrayLike,
                             active: ArrayLike, p: EliteParams, *,
                             back_incumbent: bool = False) -> Array:
    """P(a coup by faction f succeeds), ``(..., F)``; 0 for the incumbent and inactive factions.

    Challenger strength ``(c_f + w_mil log1p(mil_f / scale_mil)) (1 + boost a_f) + force a_f``
    (``a_f`` the patron's commitment to back armed action, E5) against incumbent defence
    ``c_inc + w_legit s_inc``, in a pairwise Tullock contest with ``r = r_coup`` (E2).

    With ``back_incumbent=True`` the incumbent's own entries of ``military_aid`` and
    ``armed_commitment`` strengthen its defence the same way (``c_inc`` replaced by its backed
    strength): a patron's "military contingents to prevent an unfriendly group from coming to
    power" (paper E, H1) and backing "the existing regime ... with armed action" (theory section,
    E6). The default ``False`` keeps the incumbent's entries unused (contract behaviour).

    Parameters
    ----------
    coercion
        ``(..., F)`` coercive capacity (coercion units, >= 0).
    military_aid
        ``(..., F)`` military aid received this period (million USD).
    armed_commitment
        ``(..., F)`` patron commitment to back the faction's armed action, in [0, 1].
    incumbent
        ``(...)`` integer index of the ruling faction.
    shares
        ``(..., F)`` mass-support shares.
    active
        ``(..., F)`` boolean mask of real factions.

    Examples
    --------
    >>> import numpy as np
    >>> p = EliteParams()
    >>> c = np.array([1.0, 0.2]); s = np.array([0.8, 0.2]); a = np.array([True, True])
    >>> np.round(coup_success_probability(c, 0.0, np.array([0.0, 0.0]), 0, s, a, p), 4)
    array([0.    , 0.0357])
    >>> np.round(coup_success_probability(c, 0.0, np.array([0.0, 1.0]), 0, s, a, p), 4)
    array([0.    , 0.2612])
    >>> np.round(coup_success_probability(c, 0.0, np.array([1.0, 1.0]), 0, s, a, p,
    ...                                   back_incumbent=True), 4)
    array([0.    , 0.0933])
    """
    c = np.asarray(coercion, dtype=float)
    s = np.asarray(shares, dtype=float)
    shape = np.broadcast_shapes(c.shape, s.shape, np.shape(active), np.shape(military_aid),
                                np.shape(armed_commitment))
    c = np.broadcast_to(c, shape)
    s = np.broadcast_to(s, shape)
    act = np.broadcast_to(np.asarray(active, dtype=bool), shape)
    fast = coup_success(c, np.broadcast_to(np.asarray(military_aid, dtype=float), shape),
                        np.broadcast_to(np.asarray(armed_commitment, dtype=float), shape), incumbent, s,
                        act, p, back_incumbent, mil_raw=military_aid)
    if fast is not None:                 # the same numbers from two compiled loops
        return fast
    attack = _challenger_strength(c, np.broadcast_to(np.asarray(military_aid, dtype=float), shape),
                                  np.broadcast_to(np.asarray(armed_commitment, dtype=float), shape),
                                  p)
    own = attack if back_incumbent else np.clip(c, 0.0, None)
    inc = _take(own, incumbent) + p.coup_legitimacy_weight * _take(np.clip(s, 0.0, 1.0), incumbent)
    out = _pair(attack, repeat_last(inc[..., None], shape[-1]), p.r_coup)
    return np.where(act & ~_is_incumbent(shape, incumbent), out, 0.0)


def coup_attempt_probability(success: ArrayLike, armed_commitment: ArrayLike,
                             p: EliteParams) -> Array:
    """P(faction f attempts a coup this period), non-decreasing in success chance and backing (E5).

    ``attempt = attempt_max * success * (u + (1 - u) * a)`` with ``u`` the unbacked attempt
    factor: without backing and with weak coercion (``success`` near 0) a coup is near hopeless.
    ``p.coup_attempt_max`` may be an array of the ruler-level shape ``(...)`` of ``success``'s
    ``(..., F)`` (a batch of parameter sets, :mod:`alliancelab.engine._batch`): it applies to every faction.

    Examples
    --------
    >>> import numpy as np
    >>> coup_attempt_probability(np.array([0.5, 0.5]), np.array([0.0, 1.0]), EliteParams())
    array([0.05, 0.25])
    """
    a = np.clip(np.asarray(armed_commitment, dtype=float), 0.0, 1.0)
    s = np.clip(np.asarray(success, dtype=float), 0.0, 1.0)
    u = p.unbacked_attempt_factor
    m = p.coup_attempt_max
    if np.ndim(m):      # a batch's per-run ceiling, shaped as the ruler's (R, C) quantities: per faction
        m = np.asarray(m)[..., None]
    return m * s * (u + (1.0 - u) * a)


def precarity(shares: ArrayLike, coercion: ArrayLike, incumbent: ArrayLike, election_due: ArrayLike,
              discontent: ArrayLike, active: ArrayLike, p: EliteParams, *,
              military_aid: ArrayLike = 0.0, armed_commitment: ArrayLike = 0.0,
              back_incumbent: bool = False, coup_success: ArrayLike | None = None) -> Array:
    """P(the incumbent loses power next period absent outside support), ``(...)`` (E9, E15a).

    Three independent routes: an election (if due) lost in the Tullock contest on mass support;
    a successful coup by any challenger (:func:`coup_attempt_probability` x
    :func:`coup_success_probability`); and unrest,
    ``unrest_max * clip(1 - s_inc + w_d * discontent, 0, 1) * half / (half + c_inc)``: an unpopular
    leader without a repressive apparatus falls (the paper's first falsifier, E15a).

    ``precarity = 1 - (1 - due * (1 - win_inc)) * prod_f (1 - attempt_f success_f) * (1 - unrest)``.
    ``military_aid`` and ``armed_commitment`` (``(..., F)``, default 0: "absent outside support")
    let the engine evaluate precarity *with* a patron's backing of the challengers; with
    ``back_incumbent=True`` the incumbent's own entries also strengthen its coup defence and its
    repression of unrest (a regime its patron backs by force, E6), see
    :func:`coup_success_probability`. ``coup_success``: that function's result for the same
    arguments, when the caller has it already (it is not recomputed).

    Examples
    --------
    >>> import numpy as np
    >>> p = EliteParams(); a = np.array([True, True])
    >>> popular = precarity(np.array([0.8, 0.2]), np.array([1.0, 0.1]), 0, 0.0, 0.0, a, p)
    >>> unpopular = precarity(np.array([0.1, 0.9]), np.array([0.0, 0.1]), 0, 0.0, 0.0, a, p)
    >>> bool(popular < 0.1 < 0.35 < unpopular)
    True
    """
    s = np.asarray(shares, dtype=float)
    c = np.asarray(coercion, dtype=float)
    shape = np.broadcast_shapes(s.shape, c.shape, np.shape(active))
    s = np.broadcast_to(s, shape)
    c = np.broadcast_to(c, shape)
    act = np.broadcast_to(np.asarray(active, dtype=bool), shape)
    due = np.clip(np.asarray(election_due, dtype=float), 0.0, 1.0)
    if due.ndim == 0 and due == 0.0:     # no election due: 0 * (1 - win) is 0 (win is finite)
        lose_election = 0.0
    else:
        win = _take(election_win_probability(s, act, p), incumbent)
        lose_election = due * (1.0 - win)
    success = coup_success_probability(c, military_aid, armed_commitment, incumbent, s, act, p,
                                       back_incumbent=back_incumbent) if coup_success is None \
        else np.broadcast_to(np.asarray(coup_success, dtype=float), shape)
    armed = np.broadcast_to(np.asarray(armed_commitment, dtype=float), shape)
    if back_incumbent:
        own = _challenger_strength(c, np.broadcast_to(np.asarray(military_aid, dtype=float), shape), armed, p)
    fast = precarity_tail(np.asarray(success), armed, s, own if back_incumbent else c, incumbent, discontent,
                          lose_election, p, clip_c=not back_incumbent)
    if fast is not None:                 # the same numbers from one compiled loop
        return fast
    attempt = coup_attempt_probability(success, armed_commitment, p)
    survive_coups = prod_last(1.0 - attempt * success)
    s_inc = _take(np.clip(s, 0.0, 1.0), incumbent)
    if back_incumbent:
        c_inc = _take(own, incumbent)
    else:
        c_inc = _take(np.clip(c, 0.0, None), incumbent)
    d = np.clip(np.asarray(discontent, dtype=float), 0.0, 1.0)
    illegitimacy = np.clip(1.0 - s_inc + p.discontent_weight * d, 0.0, 1.0)
    unrest = p.unrest_max * illegitimacy * p.repression_half / (p.repression_half + c_inc)
    out = 1.0 - (1.0 - lose_election) * survive_coups * (1.0 - unrest)
    return np.clip(out, 0.0, 1.0)


def horizon_precarity(per_period: ArrayLike, election_loss: ArrayLike, elections: ArrayLike,
                      periods: ArrayLike) -> Array:
    """P(the incumbent loses power within its commitment horizon), in [0, 1] (E9, H2).

    An alliance is a commitment over years (Morrow 1991: the security it buys accrues over its
    life), so the demand for a patron follows the risk of losing power over that horizon, not in
    the next period alone. Paper E, Italy section: after winning the 1948 election "given the
    existence of extra-parliamentary opposition capable of staging an armed uprising, the ruling
    elites were aware that joining Western military organizations was the only way to ensure
    stability".

    ``1 - (1 - per_period) ** periods * (1 - election_loss) ** elections``: the per-period risk of
    a coup or unrest (:func:`precarity` with no election due) compounded over ``periods`` periods,
    and the risk of losing each scheduled election within the horizon. Non-decreasing in every
    argument; with ``periods = 1`` and at most one election it is :func:`precarity` itself.

    Parameters
    ----------
    per_period
        ``(...)`` risk of losing power by coup or unrest in one period, in [0, 1].
    election_loss
        ``(...)`` probability of losing an election held now, in [0, 1].
    elections
        ``(...)`` number of scheduled elections within the horizon (>= 0).
    periods
        ``(...)`` horizon length in periods (>= 0; may be fractional).

    Examples
    --------
    >>> round(float(horizon_precarity(0.1, 0.5, 0, 1)), 3), round(float(horizon_precarity(0.1, 0.5, 1, 1)), 3)
    (0.1, 0.55)
    >>> round(float(horizon_precarity(0.1, 0.5, 0, 5)), 3)     # an armed opposition, five years
    0.41
    """
    q = np.clip(np.asarray(per_period, dtype=float), 0.0, 1.0)
    e = np.clip(np.asarray(election_loss, dtype=float), 0.0, 1.0)
    n = np.clip(np.asarray(elections, dtype=float), 0.0, None)
    k = np.clip(np.asarray(periods, dtype=float), 0.0, None)
    return np.clip(1.0 - (1.0 - q) ** k * (1.0 - e) ** n, 0.0, 1.0)


def security_gain(prec_alone: ArrayLike, prec_backed: ArrayLike) -> Array:
    """The security the ruler's backing buys it over the commitment horizon, in [0, 1] (E9s, H2).

    Morrow (1991): an alliance is worth the security it adds, set against the autonomy it costs;
    the modelling notes' H2 is "security gained (the fall in precarity from patron support) −
    autonomy cost". Precarity over a horizon is ``1 − exp(−Λ)``, ``Λ`` the cumulative hazard of
    losing power (:func:`horizon_precarity`: ``Λ = −k·ln(1 − q) − n·ln(1 − e)``). The fall that
    the backing buys is a *difference of hazards*, ``ΔΛ = Λ_alone − Λ_backed``, read back as a
    probability:

        gain = 1 − exp(−ΔΛ) = 1 − (1 − prec_alone) / (1 − prec_backed)

    — the probability that the ruler loses power within the horizon because it stands without
    its backing (survival alone over survival backed). Unlike ``prec_alone`` it does not approach
    1 for every ruler whose risk compounds over a long horizon: a ruler whose risk the backing
    barely moves gains little however long the horizon ("popular leaders, whose position is not
    endangered, hardly need outside help", paper E, H2); a ruler kept afloat by it gains much.

    Properties: in [0, 1]; 0 where the backing buys nothing (``prec_backed ≥ prec_alone``) or the
    ruler falls with it anyway (``prec_backed = 1``); non-decreasing in ``prec_alone`` (H2's
    monotonicity at a given backed risk), non-increasing in ``prec_backed``; at most
    ``prec_alone``, and equal to it when the backing removes all risk (the measure before E9s).
    No parameter.

    Examples
    --------
    >>> round(float(security_gain(0.9, 0.0)), 3), round(float(security_gain(0.9, 0.8)), 3)
    (0.9, 0.5)
    >>> round(float(security_gain(0.9, 0.88)), 3)      # the backing barely helps
    0.167
    >>> float(security_gain(0.3, 0.5))                 # it helps not at all
    0.0
    """
    a = np.clip(np.asarray(prec_alone, dtype=float), 0.0, 1.0)
    b = np.clip(np.asarray(prec_backed, dtype=float), 0.0, 1.0)
    surv_b = 1.0 - b
    out = np.ones(np.broadcast_shapes(a.shape, b.shape))
    ratio = np.divide(1.0 - a, surv_b, out=out, where=surv_b > 0)
    return np.clip(1.0 - ratio, 0.0, 1.0)
