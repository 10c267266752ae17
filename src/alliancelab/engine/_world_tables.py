"""Per-period transition tables of the world model: the theory kernels, evaluated once per period.

Patron support is run-independent, so :class:`PeriodKernels` evaluates the kernels
(:mod:`alliancelab.theory.elite`, :mod:`alliancelab.theory.disparity`) on small
``(clients, factions, ...)`` arrays for *every possible* domestic state (who rules, with whom
aligned); :func:`transition_tables` stacks the periods into :class:`Tables`, which the Monte Carlo
loop (:mod:`._world_run`) only looks up. Public names are re-exported by
:mod:`alliancelab.engine.world`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..theory import disparity as dy
from ..theory import elite as el
from ..theory.instruments import INSTRUMENTS
from .strategies import allocate, friendly_faction

if TYPE_CHECKING:
    from .world import World

__all__ = ["PeriodKernels", "Tables", "default_params", "transition_tables"]


# ---------------------------------------------------------------------------------------------
# Parameters


@dataclass(frozen=True)
class _FallbackParams:
    elite: el.EliteParams = field(default_factory=el.EliteParams)
    disparity: dy.DisparityParams = field(default_factory=dy.DisparityParams)


def default_params() -> Any:
    """The one model parameter set (``ModelParams()``), with ``.elite`` and ``.disparity``."""
    try:
        from ..theory.params import ModelParams
    except ImportError:  # theory/params.py not there yet: the same two parameter blocks
        return _FallbackParams()
    return ModelParams()


# ---------------------------------------------------------------------------------------------
# Transition tables: the kernels, evaluated once per period for every possible domestic state

_MIL = INSTRUMENTS.index("military_aid")
_ARMED = INSTRUMENTS.index("armed_action_commitment")


class PeriodKernels:
    """Evaluate the theory kernels period by period for clients ``clients`` of ``world``.

    ``step()`` advances one period and returns that period's probabilities for every client, every
    possible ruling faction ``f`` and every alignment ``a`` (``a = P``: non-aligned). The support
    stock, discontent and ambition paths are deterministic (support is run-independent) and are
    tracked per possible ruler. Used by :func:`transition_tables` and by the Mesa reference.
    """

    def __init__(self, world: World, params: Any = None, *, alloc: Any = None,
                 clients: slice | None = None) -> None:
        self.params = default_params() if params is None else params
        e, d = self.params.elite, self.params.disparity
        alloc = allocate(world) if alloc is None else alloc
        sl = slice(None) if clients is None else clients
        self.world = world
        C = len(range(*sl.indices(world.n_states)))
        F, P = world.n_factions, world.n_patrons
        self.C, self.F, self.P, self.A = C, F, P, P + 1
        sup = alloc.support[sl]
        vis, br = alloc.visibility[sl], alloc.breadth[sl]
        self.effect = el.support_effect(sup, vis, br, e)
        narrow = el.narrow_support_share(sup, br)
        self.narrow, self.breadth_f = narrow, 1.0 - narrow
        self.mil = np.clip(sup[..., _MIL], 0, None).sum(-1)
        self.arm = np.clip(sup[..., _ARMED].sum(-1), 0.0, 1.0)
        amount = alloc.amount[sl]
        self.total_f = amount.sum(-1)
        self.share_from = np.divide(amount, self.total_f[..., None], out=np.zeros_like(amount),
                                    where=self.total_f[..., None] > 0)
        self.active = world.active[sl]
        self.base_logit = world.base_logit[sl]
        self.affinity = world.affinity[sl]
        self.coercion = world.coercion[sl] + el.elite_loyalty_effect(sup, vis, br, e)
        self.every = world.election_every[sl]
        D = dy.disparity(world.patron_power[None, :, :], world.power[sl][:, None, :], d)
        T = dy.effective_threat(world.severity[sl], world.imminence[sl], world.clarity[sl], d)
        self.D, self.T = D, T
        mis, acc, wed = world.mistrust[sl], world.accommodation[sl], world.wedge[sl]
        self.accept = dy.formation_probability(D, T, mis, acc, wed, d)
        self.dissolve = dy.dissolution_hazard(D, T, mis, wed, d)
        self.expel = dy.expel_probability(D, d)
        self.control = dy.control_effectiveness(world.distance_km[sl], world.projection[None, :], d)
        codes, self.type_margin = dy.classify(D, T, d)
        self.types = np.concatenate([codes, np.full((C, 1), dy.NONE)], axis=1).astype(np.int8)
        self.available = np.concatenate([world.available[sl], np.ones((C, 1), bool)], axis=1)
        self.friendly = friendly_faction(world)[sl]
        self.pro_share = world.pro_patron_share[sl]
        need = world.aid_need[sl] if world.aid_need is not None else \
            np.full(C, alloc.amount.sum() / max(world.n_states, 1))
        self.need = np.broadcast_to(np.asarray(need, float)[:, None], (C, F))
        self.stock = np.zeros((C, F))
        self.discontent = np.zeros((C, F))
        self.ambition = np.zeros((C, F))
        self.t = 0

    def step(self) -> dict[str, np.ndarray]:
        """Advance one period; return its probabilities (see :func:`transition_tables`)."""
        e = self.params.elite
        C, F, P, A = self.C, self.F, self.P, self.A
        self.stock = el.update_support_stock(self.stock, self.effect, self.breadth_f, e)
        shares = el.mass_support_shares(self.base_logit, self.stock, 0.0, self.active)
        self.t += 1
        due = ((self.every > 0) & (self.t % np.maximum(self.every, 1) == 0)).astype(float)
        # every faction f as the incumbent: axis 1 = incumbent, axis 2 = faction
        inc = np.broadcast_to(np.arange(F), (C, F))
        full = (C, F, F)
        sb = np.broadcast_to(shares[:, None, :], full)
        cb = np.broadcast_to(self.coercion[:, None, :], full)
        mb = np.broadcast_to(self.mil[:, None, :], full)
        ab = np.broadcast_to(self.arm[:, None, :], full)
        act = np.broadcast_to(self.active[:, None, :], full)
        success = el.coup_success_probability(cb, mb, ab, inc, sb, act, e)
        attempt = el.coup_attempt_probability(success, ab, e)
        prec = el.precarity(sb, cb, inc, due[:, None], self.discontent, act, e,
                            military_aid=mb, armed_commitment=ab)
        win = el.election_win_probability(shares, self.active, e)
        # who takes over, by route (election, coup, unrest), given that the incumbent falls
        p_el = due[:, None] * (1.0 - win)
        p_coup = 1.0 - np.prod(1.0 - attempt * success, axis=-1)
        p_unrest = np.clip(prec - (1.0 - (1.0 - p_el) * (1.0 - p_coup)), 0.0, None)
        routes = np.stack([p_el, p_coup * (1.0 - p_el), p_unrest], axis=-1)       # (C, F, 3)
        others = act & (np.arange(F)[None, None, :] != np.arange(F)[None, :, None])
        weights = np.stack([np.where(others, win[:, None, :], 0.0),
                            np.where(others, attempt * success, 0.0),
                            np.where(others, sb, 0.0)], axis=2)                   # (C, F, 3, F)
        wsum = weights.sum(-1, keepdims=True)
        uniform = others[:, :, None, :] / np.maximum(others.sum(-1), 1)[:, :, None, None]
        weights = np.where(wsum > 0, weights / np.where(wsum > 0, wsum, 1.0), uniform)
        joint = (routes[..., None] * weights).reshape(C, F, 3 * F)
        jsum = joint.sum(-1, keepdims=True)
        fallback = np.zeros_like(joint)
        fallback[..., 2 * F:] = uniform[:, :, 0, :]
        joint = np.where(jsum > 0, joint / np.where(jsum > 0, jsum, 1.0), fallback)
        prec_al = el.alliance_relief(prec, True, e)
        precarity = np.concatenate([np.repeat(prec_al[..., None], P, -1), prec[..., None]], -1)
        # alignment choice of ruler f, patron acceptance (paper Y formation)
        util = el.alignment_utilities(prec, self.share_from, self.affinity,
                                      np.broadcast_to(self.T[:, None, :], (C, F, P)), e)
        choice = el.choice_probabilities(util, self.available[:, None, :], e)
        new = np.empty((C, F, A))
        new[..., :P] = choice[..., :P] * self.accept[:, None, :]
        new[..., P] = choice[..., P] + (choice[..., :P] * (1.0 - self.accept[:, None, :])).sum(-1)
        # alliance survival: paper Y dissolution hazard and paper E split hazard (ambition)
        h_split = el.split_hazard(self.ambition, e)                               # (C, F)
        end = np.zeros((C, F, A))
        split = np.zeros((C, F, A))
        end[..., :P] = 1.0 - (1.0 - self.dissolve[:, None, :]) * (1.0 - h_split[..., None])
        split[..., :P] = np.broadcast_to(h_split[..., None], (C, F, P))
        instig = el.instigated_coup_success(self.pro_share[:, None, :], shares[:, :, None],
                                            self.coercion[:, :, None], e) * self.control[:, None, :]
        # deterministic paths for the next period (per possible ruler)
        self.discontent = el.update_discontent(self.discontent, self.narrow, e)
        self.ambition = el.update_ambition(self.ambition, self.total_f, self.need, e)
        stay = 1.0 - precarity
        return {"stay": stay, "successor": joint, "choice": new, "end": end, "split": split,
                "instigated": instig, "precarity": precarity, "shares": shares}


def _cum(p: np.ndarray) -> np.ndarray:
    c = np.cumsum(p, axis=-1)
    c[..., -1] = 1.0
    return c.astype(np.float32)


@dataclass(frozen=True, eq=False)
class Tables:
    """Per-period transition tables (``T`` periods, ``S = F * (P + 1)`` domestic states per client).

    ``stay``, ``end``, ``split``, ``precarity``: ``(T, C * S)`` float32 (flat, for ``take``);
    ``successor_cum`` ``(T, C, F, 3F)`` and ``choice_cum`` ``(T, C, F, P + 1)`` cumulative;
    ``instigated`` ``(T, C, F, P)``; ``expel`` ``(C, P)``; ``friendly`` ``(C, P)``; ``types``
    ``(C, P + 1)`` Table-1 codes; ``D``, ``T`` ``(C, P)``.
    """

    stay: np.ndarray
    end: np.ndarray
    split: np.ndarray
    precarity: np.ndarray
    successor_cum: np.ndarray
    choice_cum: np.ndarray
    instigated: np.ndarray
    expel: np.ndarray
    friendly: np.ndarray
    types: np.ndarray
    D: np.ndarray
    T: np.ndarray
    shares: np.ndarray
    stay_u32: np.ndarray = field(default=None)  # type: ignore[assignment]
    end_u32: np.ndarray = field(default=None)  # type: ignore[assignment]
    choice_u32: np.ndarray = field(default=None)  # type: ignore[assignment]


def transition_tables(world: World, params: Any = None) -> Tables:
    """Evaluate the kernels for every period and every domestic state (run-independent)."""
    k = PeriodKernels(world, params)
    steps = [k.step() for _ in range(world.periods)]
    C = world.n_states

    def flat(name: str) -> np.ndarray:
        return np.stack([s[name].reshape(C, -1) for s in steps]).reshape(len(steps), -1) \
            .astype(np.float32)

    stay, end = flat("stay"), flat("end")
    choice_cum = np.stack([_cum(s["choice"]) for s in steps])             # (T, C, F, A)
    choice64 = np.stack([np.cumsum(s["choice"], -1) for s in steps])
    choice_u32 = np.ascontiguousarray(
        _thresholds(choice64[..., :-1]).reshape(len(steps), -1, world.n_patrons).transpose(0, 2, 1))
    return Tables(
        stay=stay, end=end, split=flat("split"), precarity=flat("precarity"),
        stay_u32=_thresholds(np.stack([s["stay"].reshape(-1) for s in steps])),
        end_u32=_thresholds(np.stack([s["end"].reshape(-1) for s in steps])),
        choice_u32=choice_u32,
        successor_cum=np.stack([_cum(s["successor"]) for s in steps]),
        choice_cum=choice_cum,
        instigated=np.stack([s["instigated"] for s in steps]).astype(np.float32),
        expel=k.expel.astype(np.float32), friendly=k.friendly.astype(np.int32), types=k.types,
        D=k.D, T=k.T, shares=np.stack([s["shares"] for s in steps]))


_U32 = float(2**32)


def _thresholds(p: np.ndarray) -> np.ndarray:
    """Probabilities -> uint32 thresholds for comparison with raw 32-bit uniforms."""
    return np.clip(np.floor(np.asarray(p, np.float64) * _U32), 0, _U32 - 1).astype(np.uint32)
