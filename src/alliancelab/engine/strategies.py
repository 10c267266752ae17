"""How patrons allocate their budgets across clients and factions each period.

A strategy turns a :class:`~alliancelab.engine.world.World` into patron support arrays with the
kernel layout ``(clients, factions, patrons, instruments)`` (instrument order of
:data:`alliancelab.theory.instruments.INSTRUMENTS`). Strategies here depend on the world's facts,
not on the state of an individual Monte Carlo run, so support is the same in every run of an
ensemble and its effects are computed once per period (see ``docs/world.md``).

========================  =====================================================================
``interest`` (default)    each patron spreads its budget over clients in proportion to its
                          interest in them (E7a) and gives it to the friendliest faction (E8)
``equal``                 the same amount to every client the patron is interested in
``threat``                interest x common threat: support flows where the alliance is needed (Y5)
``preemptive``            paper E's R3: 60% to the friendly faction, 40% spread over the other
                          factions that are not hostile (engage the opposition early)
``broad``                 paper E's R1: as ``interest``, but every mass instrument is fully visible
                          and broad (tied to benefits citizens feel, E6/E17)
========================  =====================================================================

A world may mark pairs in which the patron pays the client nothing (``world.unpaid``; a world from
data marks a patron that threatened, displayed or used force against the state in a MID of the last
five years, the window in which that MID is a threat): such a patron is the source of the state's
threat, not its sponsor (E7a, Y13). An ally of record is paid all the same.

A world may name the patrons' rivals (``world.rivals``): a patron then funds no faction that is
friendlier (E14 affinity) to one of its rivals than to the patron itself -- in a contest a faction
closer to the rival is the rival's friend (E8) -- and pays the friendliest faction that is not, and
nothing to a state where no faction is (an ally of record is paid all the same).

A world may pay a patron's support to an ally of record (``initial_alignment``) to whichever faction
rules, as government aid (``world.ally_aid_to_ruler``, set by a world from data); the strategy's
faction choice then applies to the other clients only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .._exceptions import InputError
from ..theory.instruments import INSTRUMENTS, MASS_INSTRUMENTS

if TYPE_CHECKING:
    from .world import World

__all__ = ["STRATEGIES", "Allocation", "allocate", "rival_friends"]

STRATEGIES: tuple[str, ...] = ("interest", "equal", "threat", "preemptive", "broad")

_ARMED = INSTRUMENTS.index("armed_action_commitment")
_GESTURE = INSTRUMENTS.index("diplomatic_gesture")
_MASS = np.array([INSTRUMENTS.index(n) for n in MASS_INSTRUMENTS])


@dataclass(frozen=True, eq=False)
class Allocation:
    """Patron support for one period, run-independent.

    ``support`` ``(C, F, P, I)`` in the kernels' units (million USD per period; commitment in [0, 1];
    gesture in [-1, 1]); ``visibility`` and ``breadth`` broadcast to it; ``amount`` ``(C, F, P)`` the
    dollars (all amount instruments) each faction gets from each patron; ``to_ruling`` ``(C, P)``
    bool: the patron's support to that client is paid to whichever faction rules (government aid to
    an ally of record), not to the faction ``support`` names (``None``: never).
    """

    support: np.ndarray
    visibility: np.ndarray
    breadth: np.ndarray
    amount: np.ndarray
    to_ruling: np.ndarray | None = None


def friendly_faction(world: World) -> np.ndarray:
    """``(C, P)`` index of each patron's friendliest active faction in each client (E8); with
    ``world.rivals``, the friendliest of those no friendlier to one of the patron's rivals
    (:func:`rival_friends`)."""
    ok = world.active[:, :, None] & ~rival_friends(world)
    aff = np.where(ok, world.affinity, -np.inf)
    return np.argmax(aff, axis=1)


def rival_friends(world: World) -> np.ndarray:
    """``(C, F, P)`` bool: the faction is friendlier to one of the patron's rivals than to the patron
    (``world.rivals``; all False without it).

    Examples
    --------
    >>> from alliancelab.engine.world import synthetic_world
    >>> import dataclasses
    >>> w = synthetic_world(n_states=3, n_patrons=2, seed=1)
    >>> bool(rival_friends(w).any())
    False
    >>> w2 = dataclasses.replace(w, rivals=np.array([[False, True], [True, False]]))
    >>> bool((rival_friends(w2) == (w.affinity < w.affinity[:, :, ::-1])).all())
    True
    """
    C, F, P = world.affinity.shape
    if world.rivals is None:
        return np.zeros((C, F, P), bool)
    aff = np.asarray(world.affinity, float)
    rp = np.asarray(world.rivals, bool)                                      # (P, Q): Q rival of P
    best_rival = np.where(rp[None, None], aff[:, :, None, :], -np.inf).max(axis=-1)   # (C, F, P)
    return aff < best_rival


def allocate(world: World, strategy: str | None = None) -> Allocation:
    """Allocate every patron's budget by ``strategy`` (default: the world's own ``strategy``).

    Examples
    --------
    >>> from alliancelab.engine.world import synthetic_world
    >>> w = synthetic_world(n_states=4, n_patrons=2, seed=1)
    >>> a = allocate(w)
    >>> a.support.shape
    (4, 3, 2, 7)
    >>> bool(np.allclose(a.amount.sum(axis=(0, 1)), w.budget))
    True
    """
    name = world.strategy if strategy is None else strategy
    if name not in STRATEGIES:
        raise InputError(f"must be one of {', '.join(STRATEGIES)}; got {name!r}", field="strategy")
    C, F, P = world.affinity.shape
    ok = world.available & (world.interest > 0)
    if world.unpaid is not None:     # a patron funds no state it has lately coerced (E7a)
        ok &= ~np.asarray(world.unpaid, bool) | _to_ruling(world)
    if name == "equal":
        weight = ok.astype(float)
    elif name == "threat":
        from ._world_compile import common_threat

        weight = np.where(ok, world.interest * common_threat(world)[0], 0.0)
    else:
        weight = np.where(ok, world.interest, 0.0)
    total = weight.sum(axis=0, keepdims=True)
    client_amount = np.divide(weight, total, out=np.zeros_like(weight), where=total > 0) \
        * world.budget[None, :]                                             # (C, P)
    if world.rivals is not None:     # nor one whose every faction is its rival's friend (E8): that
        # state's share is not spent, not given to the others (their aid is what their interest buys)
        client_amount = np.where(_funded(world), client_amount, 0.0)
    friend = friendly_faction(world)                                        # (C, P)
    to_friend = np.zeros((C, F, P))
    np.put_along_axis(to_friend, friend[:, None, :], 1.0, axis=1)
    if world.rivals is not None:     # no friend at all where every faction is a rival's friend
        to_friend *= _funded(world)[:, None, :]
    if name == "preemptive":
        others = world.active[:, :, None] & (world.affinity >= 0) & (to_friend == 0) & ~rival_friends(world)
        n_others = others.sum(axis=1, keepdims=True)
        share = np.where(n_others > 0, 0.6, 1.0)
        faction_share = to_friend * share + np.divide(
            others * (1.0 - share), n_others, out=np.zeros((C, F, P)), where=n_others > 0)
    else:
        faction_share = to_friend
    amount = faction_share * client_amount[:, None, :]                      # (C, F, P)
    mix = world.mix                                                          # (P, I), amounts
    support = amount[..., None] * mix[None, None, :, :]
    support[..., _ARMED] = to_friend * world.commitment[None, None, :] * (client_amount[:, None, :] > 0)
    support[..., _GESTURE] = to_friend * world.gesture[:, None, :]
    visibility = np.array(world.visibility, dtype=float)
    breadth = np.array(world.breadth, dtype=float)
    if name == "broad":
        visibility[:, _MASS] = 1.0
        breadth[:, _MASS] = 1.0
    vis = np.broadcast_to(visibility[None, None], support.shape)
    br = np.broadcast_to(breadth[None, None], support.shape)
    return Allocation(support=support, visibility=vis, breadth=br, amount=amount,
                      to_ruling=_to_ruling(world) if world.ally_aid_to_ruler else None)


def _funded(world: World) -> np.ndarray:
    """``(C, P)``: some active faction is no rival's friend (``world.rivals``), or the client is the
    patron's ally of record."""
    return (world.active[:, :, None] & ~rival_friends(world)).any(axis=1) | _to_ruling(world)


def _to_ruling(world: World) -> np.ndarray:
    """``(C, P)``: the client starts allied with the patron (its alliance of record)."""
    a = np.asarray(world.initial_alignment, int)
    return a[:, None] == np.arange(world.n_patrons)[None, :]
