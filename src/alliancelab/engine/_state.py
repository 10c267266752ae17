"""The state the period loop carries (:class:`RunState`), what one period computes (:class:`PeriodVars`),
the fixed context of a simulation (:class:`SimContext`) and the event recorder (:class:`Recorder`).

Arrays have shape ``(runs R, clients C, ...)``: ``F`` factions (padded, ``active`` mask), ``P`` patrons
(index ``P`` = non-aligned), ``L = max(F, P)`` event labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..theory.params import ModelParams
from .. import _compiled
from ._compile import Compiled

__all__ = ["EVENT_KINDS", "PeriodVars", "Recorder", "RunState", "SimContext", "horizon_counts",
           "onehot", "sample", "take"]

#: Event kinds recorded per run and client; the second element says what labels them.
EVENT_KINDS: dict[str, str] = {
    "election_won": "faction", "coup_attempted": "faction", "coup_succeeded": "faction",
    "ousted_by_unrest": "faction", "alliance_formed": "patron", "aid_without_alliance": "patron",
    "split": "patron", "punishment": "patron", "expulsion": "patron", "realignment": "patron",
    "alliance_left": "patron",
    # issue #10
    "purge": "patron", "power_grab": "faction",
}


def take(x: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """``x[r, c, idx[r, c], ...]`` for x shaped (R, C, N, ...)."""
    fast = _compiled.gather(x, idx)
    if fast is not None:
        return fast
    if idx.ndim == 2 and x.shape[:2] == idx.shape and x.ndim in (3, 4):
        R, C = idx.shape
        rr, cc = np.arange(R)[:, None], np.arange(C)[None, :]
        if x.ndim == 3:
            return x[rr, cc, idx]
        if x.shape[3] < 8:    # a short trailing axis (patrons): one 3-d gather per entry is faster
            out = np.empty((R, C, x.shape[3]), dtype=x.dtype)
            for j in range(x.shape[3]):
                out[..., j] = x[..., j][rr, cc, idx]
            return out
    ix = idx.reshape(idx.shape + (1,) * (x.ndim - idx.ndim))
    return np.take_along_axis(x, ix, axis=2)[:, :, 0]


def onehot(idx: np.ndarray, n: int) -> np.ndarray:
    """Boolean one-hot of ``idx`` on a new last axis of length ``n`` (index ``n`` gives all False)."""
    idx = np.asarray(idx)
    fast = _compiled.onehot(idx, n)
    if fast is not None:
        return fast
    out = np.empty(idx.shape + (n,), dtype=bool)
    for i in range(n):                   # n is small: n comparisons beat one broadcast comparison
        np.equal(idx, i, out=out[..., i])
    return out


def sample(probs: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Index drawn from ``probs`` (last axis) with uniforms ``u`` (leading shape)."""
    probs = np.asarray(probs, dtype=float)
    fast = _compiled.sample(probs, u)
    if fast is not None:
        return fast
    if probs.ndim > 1 and probs.shape[-1] < 8:   # numpy accumulates in index order; so does this
        cdf = np.empty(probs.shape)
        cdf[..., 0] = probs[..., 0]
        for i in range(1, probs.shape[-1]):
            np.add(cdf[..., i - 1], probs[..., i], out=cdf[..., i])
    else:
        cdf = np.cumsum(probs, axis=-1)
    cut = u * cdf[..., -1]
    out = np.zeros(cut.shape, dtype=np.intp)
    for i in range(probs.shape[-1]):     # how many cumulative probabilities lie below the cut
        out += cdf[..., i] < cut
    return np.minimum(out, probs.shape[-1] - 1)


def horizon_counts(period_years: np.ndarray, election_due: np.ndarray,
                   horizon_years: float) -> tuple[np.ndarray, np.ndarray]:
    """Per period ``t``: the commitment horizon in periods of ``t``'s length, ``(T,)``, and the
    number of elections scheduled in the periods after ``t`` that fall within it, ``(T, C)``.

    Elections after the scenario's last period are unknown and not counted.
    """
    T = len(period_years)
    k = horizon_years / np.maximum(np.asarray(period_years, dtype=float), 1e-9)
    ends = np.cumsum(period_years)
    n = np.zeros(election_due.shape, dtype=float)
    for t in range(T - 1):
        within = (ends[t + 1:] - ends[t]) <= horizon_years + 1e-9
        within[0] = True                     # the next period's election always counts
        n[t] = election_due[t + 1:][within].sum(axis=0)
    return k, n


@dataclass(frozen=True)
class SimContext:
    """What does not change during one simulation: the compiled scenario, parameters, switches."""

    comp: Compiled
    params: ModelParams
    runs: int
    disable: frozenset[str]
    light: bool
    log_base: np.ndarray          # (T, C, F) log baseline support
    h_periods: np.ndarray         # (T,) commitment horizon in periods
    h_elections: np.ndarray       # (T, C) elections within the horizon
    #: tables computed once per simulation (e.g. the support kernels per schedule, ``_support_table``)
    cache: dict = field(default_factory=dict, compare=False, repr=False)
    #: several parameter sets in one call (:mod:`._batch`); ``None``: one set (``params``)
    batch: Any = None

    @classmethod
    def build(cls, comp: Compiled, params: ModelParams, runs: int, disable: frozenset[str],
              light: bool, batch: Any = None) -> SimContext:
        hp, he = horizon_counts(comp.period_years, comp.election_due, params.elite.commitment_horizon)
        per_run = None if batch is None else batch.horizon(comp, params)
        if per_run is not None:                 # (T, R, 1) and (T, R, C): the horizon differs per set
            hp, he = per_run
        return cls(comp=comp, params=params, runs=runs, disable=frozenset(disable), light=light,
                   log_base=np.log(np.clip(comp.baseline, 1e-6, None)), h_periods=hp, h_elections=he,
                   batch=batch)

    def per_run(self, group: str, ndim: int) -> Any:
        """``params.<group>`` (``"elite"``, ``"disparity"``); in a batch its varying fields are arrays
        ``(R, 1, ...)`` of ``ndim`` axes, to broadcast against a kernel's ``(R, ...)`` operands."""
        return getattr(self.params, group) if self.batch is None else self.batch.per_run(self.params, group, ndim)

    def per_set(self, group: str, ndim: int) -> Any:
        """``params.<group>`` for a table over payment codes (``ndim`` axes); in a batch its varying
        fields are arrays on a new leading axis of parameter sets."""
        return getattr(self.params, group) if self.batch is None else self.batch.per_set(self.params, group, ndim)

    @property
    def set_of_run(self) -> np.ndarray | None:
        """(R,) the parameter set of each run in a batch, ``None`` otherwise."""
        return None if self.batch is None else self.batch.block

    def horizon_precarity(self, t: int, q_alone: np.ndarray, lose_alone: Any) -> np.ndarray:
        """H2's precarity over the commitment horizon at period ``t`` (``E.horizon_precarity``)."""
        from ..theory import elite as E

        if self.h_periods.ndim == 1:
            return E.horizon_precarity(q_alone, lose_alone, self.h_elections[t][None], self.h_periods[t])
        return self.batch.horizon_precarity(E.horizon_precarity, q_alone, lose_alone, self.h_periods[t],
                                            self.h_elections[t])

    def off(self, mech: str) -> bool:
        """True if mechanism ``mech`` is switched off."""
        return mech in self.disable

    @property
    def shape(self) -> tuple[int, int, int, int]:
        """``(R, C, F, P)``."""
        _, C, F = self.comp.baseline.shape
        return self.runs, C, F, len(self.comp.patrons)

    @property
    def act(self) -> np.ndarray:
        """(R, C, F) active-faction mask."""
        R, C, F, _ = self.shape
        return np.broadcast_to(self.comp.active[None], (R, C, F))


@dataclass
class RunState:
    """What the loop carries from one period to the next, per run and client."""

    ruling: np.ndarray            # (R, C) int ruling faction
    aligned: np.ndarray           # (R, C) int patron, P = non-aligned
    last_patron: np.ndarray       # (R, C) int the last patron joined (realignment events)
    stock: np.ndarray             # (R, C, F) mass-support stock bought by patrons (E3)
    received: np.ndarray          # (R, C, F, P) money received, decaying stock (H1)
    discontent: np.ndarray        # (R, C) discontent with narrow support (E6)
    ambition: np.ndarray          # (R, C) ambition fed by excess support (E11)
    estrangement: np.ndarray      # (R, C, P) 1 after a split, decays (E12)
    punishing: np.ndarray         # (R, C, P) bool: the patron is punishing the client (E12)
    ever_split: np.ndarray        # (R, C, P) bool: the client ever broke with the patron
    purge_factor: np.ndarray      # (R, C, P) what is left of the patron's pro-patron elites (E12)
    extra: dict[str, np.ndarray] = field(default_factory=dict)   # state of added mechanisms

    @classmethod
    def initial(cls, ctx: SimContext) -> RunState:
        R, C, F, P = ctx.shape
        aligned = np.broadcast_to(ctx.comp.aligned0, (R, C)).copy()
        return cls(ruling=np.broadcast_to(ctx.comp.incumbent0, (R, C)).copy(), aligned=aligned,
                   last_patron=aligned.copy(), stock=np.zeros((R, C, F)), received=np.zeros((R, C, F, P)),
                   discontent=np.zeros((R, C)), ambition=np.zeros((R, C)), estrangement=np.zeros((R, C, P)),
                   punishing=np.zeros((R, C, P), dtype=bool), ever_split=np.zeros((R, C, P), dtype=bool),
                   purge_factor=np.ones((R, C, P)))

    @classmethod
    def start(cls, ctx: SimContext) -> RunState:
        """The initial state with the added mechanisms' state (issue #10: army loyalty, forms)."""
        from ._steps_mechanisms import init_state   # local: that module imports this one

        st = cls.initial(ctx)
        init_state(ctx, st)
        return st


@dataclass
class PeriodVars:
    """What one period computes and later steps of the same period use (``None`` until computed)."""

    t: int
    shock: np.ndarray                     # (R, C, F) support shocks
    u: np.ndarray                         # (R, C, NU) uniforms
    u_att: np.ndarray                     # (R, C, F) coup-attempt uniforms
    u_succ: np.ndarray                    # (R, C, F) coup-success uniforms
    v: Any = None                         # (R, C, NV) uniforms of the added mechanisms (own stream)
    # support paid (step 1); ``mass_p`` (R, C, P, F) mass effect and ``loy_p`` elite loyalty per patron
    # are properties (below): no step reads them, so they are gathered only when read
    narrow: Any = None                    # (R, C, F) narrow share
    mil: Any = None                       # (R, C, F) military aid
    armed: Any = None                     # (R, C, F) armed commitment
    money_fp: Any = None                  # (R, C, F, P) money each patron gave each faction
    mass_in: Any = None                   # (R, C, F) mass effect of all patrons (``mass_p.sum(2)``)
    loy_in: Any = None                    # (R, C, F) elite loyalty from all patrons (``loy_p.sum(2)``)
    others_split: Any = None              # (R, C, P) bool: the client split with another patron
    # mass support (step 2)
    shares: Any = None                    # (R, C, F)
    coercion: Any = None                  # (R, C, F)
    # contests (step 3)
    ruler_before: Any = None              # (R, C)
    # precarity (step 4)
    prec: Any = None                      # (R, C) or None when light
    prec_alone: Any = None                # (R, C) H2 precarity without outside support, over the horizon
    security: Any = None                  # (R, C) E9s: the security the support buys over the horizon
    # alignment (step 5)
    D: Any = None                         # (C, P)
    Tthr: Any = None                      # (C, P)
    mis: Any = None                       # (C, P)
    wed: Any = None                       # (C, P)
    open_p: Any = None                    # (R, C, P) bool
    joins: Any = None                     # (R, C) bool
    extra: dict[str, Any] = field(default_factory=dict)
    #: ``(mass_p, loy_p)``, or a function returning them (gathered when first read)
    per_patron: Any = field(default=None, repr=False)

    def _per_patron(self) -> tuple[Any, Any]:
        if callable(self.per_patron):
            self.per_patron = tuple(self.per_patron())
        return self.per_patron if self.per_patron is not None else (None, None)

    @property
    def mass_p(self) -> Any:
        """(R, C, P, F) the mass effect of each patron's support (step 1)."""
        return self._per_patron()[0]

    @property
    def loy_p(self) -> Any:
        """(R, C, P, F) the elite loyalty each patron's support buys (step 1)."""
        return self._per_patron()[1]

    @classmethod
    def draw(cls, t: int, ctx: SimContext, rng: np.random.Generator, nu: int,
             rng_new: np.random.Generator | None = None, nv: int = 0,
             rng_exit: np.random.Generator | None = None,
             rng_talks: np.random.Generator | None = None,
             rng_renew: np.random.Generator | None = None) -> PeriodVars:
        """The period's random draws, always the same arrays in the same order (common random numbers);
        the added mechanisms draw ``nv`` uniforms from their own stream ``rng_new``, E18's persistent
        taste shocks from a third stream ``rng_exit`` (0.5 without one), Y16's conclusion of talks from a
        fourth stream ``rng_talks`` (0 without one: talks conclude at once, as before Y16), Y17's
        renewal of a treaty at its term's end from a fifth stream ``rng_renew`` (0 without one: renewed)."""
        R, C, F, _ = ctx.shape
        if ctx.batch is not None:           # the draws of one set's runs, repeated for every set
            R = ctx.batch.runs
        shock = rng.normal(0.0, 1.0, (R, C, F)) * ctx.params.engine.shock_sd
        u = rng.random((R, C, nu))
        u_att = rng.random((R, C, F))
        u_succ = rng.random((R, C, F))
        v = rng_new.random((R, C, nv)) if rng_new is not None else np.ones((R, C, max(nv, 8)))
        P = ctx.shape[3]
        u_exit = rng_exit.random((R, C, P + 1)) if rng_exit is not None else np.full((R, C, P + 1), 0.5)
        u_talks = rng_talks.random((R, C)) if rng_talks is not None else np.zeros((R, C))
        u_renew = rng_renew.random((R, C)) if rng_renew is not None else np.zeros((R, C))
        if ctx.batch is not None:
            shock, u, u_att, u_succ, v, u_exit, u_talks, u_renew = map(
                ctx.batch.tile, (shock, u, u_att, u_succ, v, u_exit, u_talks, u_renew))
        return cls(t=t, shock=shock, u=u, u_att=u_att, u_succ=u_succ, v=v,
                   extra={"u_exit": u_exit, "u_talks": u_talks, "u_renew": u_renew})


class Recorder:
    """First period and labels of the events of each kind (skipped in light runs): ``first`` is the
    first period of the kind whatever its label, ``first_label`` the first period of each label."""

    def __init__(self, runs: int, clients: int, labels: int, light: bool) -> None:
        self.light = light
        self.first = {k: np.full((runs, clients), -1, dtype=np.int16) for k in EVENT_KINDS}
        self.by = {k: np.zeros((runs, clients, labels), dtype=bool) for k in EVENT_KINDS}
        self.first_label = {k: np.full((runs, clients, labels), -1, dtype=np.int16)
                            for k in EVENT_KINDS}

    def __call__(self, kind: str, mask: np.ndarray, label: np.ndarray, t: int) -> None:
        if self.light or not mask.any():
            return
        f = self.first[kind]
        f[mask & (f < 0)] = t
        r, c = np.nonzero(mask)
        lab = label[r, c]
        self.by[kind][r, c, lab] = True
        fl = self.first_label[kind]
        unset = fl[r, c, lab] < 0
        fl[r[unset], c[unset], lab[unset]] = t

