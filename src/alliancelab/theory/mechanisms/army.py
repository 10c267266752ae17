"""E20: the army's loyalty to the ruler and incumbent power grabs (self-coups, cancelled elections).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..elite import EliteParams

__all__ = ["focal_unrest", "fraud_backlash", "grab_probability", "junta_elections", "target_loyalty",
           "update_junta", "update_loyalty"]


def target_loyalty(precarity: ArrayLike, backer_present: ArrayLike, challenger_backing: ArrayLike,
                   pay: ArrayLike, p: EliteParams, base: ArrayLike = 1.0) -> NDArray[np.float64]:
    """The loyalty the army moves toward, in [0, 1]:
    ``base x (1 - defection_weight x precarity x (1 - backer_present) x challenger_backing
    x (1 - pay))``.

    Soldiers defect from a ruler likely to fall (its prospects: ``precarity``), when its foreign
    backer is absent and a patron backs the challenger (``challenger_backing``: the strongest
    challenger's backing commitment x its patron's power relative to the ruler's backer), unless they
    are paid (``pay``: the ruler's military aid as a share of saturation). Svolik 2012; McLauchlin 2010.
    ``base`` is the army's structural loyalty, the level it returns to when nothing pushes it (E20s:
    the scenario's ``army_loyalty``; an officer corps with its own networks or a praetorian
    tradition stays that way -- Svolik 2012's military moral hazard, Londregan & Poole 1990's coup trap);
    non-decreasing in it.

    Examples
    --------
    >>> float(target_loyalty(0.8, 0.0, 1.0, 0.0, EliteParams()))
    0.19999999999999996
    >>> float(target_loyalty(0.8, 1.0, 1.0, 0.0, EliteParams()))
    1.0
    """
    q = np.clip(np.asarray(precarity, dtype=float), 0.0, 1.0)
    b = np.clip(np.asarray(backer_present, dtype=float), 0.0, 1.0)
    c = np.clip(np.asarray(challenger_backing, dtype=float), 0.0, 1.0)
    w = np.clip(np.asarray(pay, dtype=float), 0.0, 1.0)
    a = np.clip(np.asarray(base, dtype=float), 0.0, 1.0)
    return a * np.clip(1.0 - p.defection_weight * q * (1.0 - b) * c * (1.0 - w), 0.0, 1.0)


def update_loyalty(loyalty: ArrayLike, target: ArrayLike, p: EliteParams) -> NDArray[np.float64]:
    """Partial adjustment toward the target: ``L + army_adjust_rate x (target - L)``, in [0, 1].

    Examples
    --------
    >>> float(update_loyalty(1.0, 0.0, EliteParams()))
    0.7
    """
    lo = np.clip(np.asarray(loyalty, dtype=float), 0.0, 1.0)
    tg = np.clip(np.asarray(target, dtype=float), 0.0, 1.0)
    return np.clip(lo + p.army_adjust_rate * (tg - lo), 0.0, 1.0)


def grab_probability(lose_election: ArrayLike, coercive_hold: ArrayLike, p: EliteParams) -> NDArray[np.float64]:
    """P(a ruler facing an election cancels it or rules by decree), ``grab_propensity x P(lose) x
    dominance`` with ``dominance = clip(2 hold - 1, 0, 1)`` and ``hold`` its Tullock share of the
    coercive strength (including the forces that defend it): likelier with worse electoral prospects
    and more coercion; a ruler without most of the guns cannot take over (Svolik 2012: incumbent
    takeovers need the military).

    Examples
    --------
    >>> round(float(grab_probability(0.9, 0.8, EliteParams())), 4)
    0.162
    >>> float(grab_probability(0.9, 0.4, EliteParams()))
    0.0
    """
    e = np.clip(np.asarray(lose_election, dtype=float), 0.0, 1.0)
    h = np.clip(np.asarray(coercive_hold, dtype=float), 0.0, 1.0)
    return p.grab_propensity * e * np.clip(2.0 * h - 1.0, 0.0, 1.0)


def fraud_backlash(discontent: ArrayLike, stolen: ArrayLike, p: EliteParams) -> NDArray[np.float64]:
    """Public discontent after an election whose count was rigged for the ruler that kept power
    (E20r): ``discontent + grab_discontent`` where ``stolen``, clipped to [0, 1]; unchanged elsewhere.

    The same backlash as a cancelled election (``grab_discontent``: "a cancelled or rigged election
    adds this much public discontent"). Tucker 2007: electoral fraud solves the opposition's
    collective-action problem -- the stolen vote is the focal grievance of the coloured revolutions
    (Serbia 2000, Georgia 2003, Ukraine 2004, Kyrgyzstan 2005); Beissinger 2007; Kuntz & Thompson
    2009. A ruler beaten despite the rigging has stolen nothing, and its successor inherits no
    grievance.

    Examples
    --------
    >>> fraud_backlash([0.1, 0.1], [True, False], EliteParams()).round(3).tolist()
    [0.4, 0.1]
    >>> float(fraud_backlash(0.9, True, EliteParams()))
    1.0
    """
    d = np.clip(np.asarray(discontent, dtype=float), 0.0, 1.0)
    return np.where(np.asarray(stolen, dtype=bool), np.clip(d + p.grab_discontent, 0.0, 1.0), d)


def focal_unrest(unrest: ArrayLike, ruler_share: ArrayLike, discontent: ArrayLike, stolen: ArrayLike,
                 p: EliteParams) -> NDArray[np.float64]:
    """The probability that unrest ousts the ruler in the period of a stolen count (E20f).

    Where ``stolen``, the ruler's repression does not deter the crowd: the unrest hazard is the
    kernel's without its repression discount, ``unrest_max * clip(1 - s + discontent_weight * d, 0,
    1)`` (:func:`alliancelab.theory.elite.precarity`'s unrest with ``c_inc = 0``), never below the
    ordinary ``unrest``; unchanged elsewhere. Tucker 2007: the stolen vote is the focal point that
    solves the opposition's collective-action problem, so the crowd is at its largest in the days
    after the count, and regimes that kept power by rigging fell when their forces would not fire on
    it (Serbia 2000, Georgia 2003, Ukraine 2004, Kyrgyzstan 2005; Beissinger 2007; Bunce &
    Wolchik 2011). No new parameter: the ceiling is the kernel's own ``unrest_max``.

    Examples
    --------
    >>> focal_unrest([0.1, 0.1], [0.2, 0.2], [0.3, 0.3], [True, False], EliteParams()).round(3).tolist()
    [0.42, 0.1]
    """
    u = np.clip(np.asarray(unrest, dtype=float), 0.0, 1.0)
    s = np.clip(np.asarray(ruler_share, dtype=float), 0.0, 1.0)
    d = np.clip(np.asarray(discontent, dtype=float), 0.0, 1.0)
    free = p.unrest_max * np.clip(1.0 - s + p.discontent_weight * d, 0.0, 1.0)
    return np.where(np.asarray(stolen, dtype=bool), np.maximum(u, free), u)


def update_junta(junta: ArrayLike, seized: ArrayLike, changed: ArrayLike) -> NDArray[np.bool_]:
    """Whether the ruler after this period's contests holds power by force (E20j): ``True`` where a coup
    succeeded (``seized``), ``False`` where the ruler changed by another route (an election, the
    crowd), the previous value where the ruler stayed.

    Examples
    --------
    >>> update_junta([False, True, True], [True, False, False], [True, True, False]).tolist()
    [True, False, True]
    """
    j = np.asarray(junta, dtype=bool)
    s = np.asarray(seized, dtype=bool)
    c = np.asarray(changed, dtype=bool)
    return s | (j & ~c)


def junta_elections(winner: ArrayLike, ruling: ArrayLike, junta: ArrayLike) -> NDArray[np.int64]:
    """The winner of a scheduled election (E20j): the ruler itself where it holds power by force
    (``junta``), the vote's ``winner`` elsewhere.

    A ruler that took power by a coup has suspended the constitution whose calendar the scheduled
    elections belong to: it is not bound to hold them, and a vote it does hold is its own, managed
    to confirm it (Pakistan 1960, South Korea 1963); either way the calendar does not remove it. It
    leaves by a counter-coup, by the crowd, or when it chooses to hand over (scripted in a case as an
    ``election_postponed`` grab, whose election is a free one). Geddes, Wright & Frantz 2014: a
    military regime's end is the junta's own negotiated exit or its overthrow, not the deposed
    government's electoral calendar; Svolik 2012 ch. 5; paper E's E20 (a ruler holding the guns
    cancels the election it would lose). A ruler installed any other way is bound by the calendar.

    Examples
    --------
    >>> junta_elections([1, 1, 2], [0, 0, 0], [False, True, True]).tolist()
    [1, 0, 0]
    """
    return np.where(np.asarray(junta, dtype=bool), np.asarray(ruling), np.asarray(winner)).astype(np.int64)


def junta_calendar_risk(lose: ArrayLike, junta: ArrayLike) -> NDArray[np.float64]:
    """The risk a scheduled election poses to the ruler, as H2's horizon precarity reads it (E20j): 0
    where the ruler holds power by force (``junta``: the calendar does not remove it,
    :func:`junta_elections`), ``lose`` (its probability of losing the vote) elsewhere. The alignment
    choice then weighs the risks the engine's contests actually run.

    Examples
    --------
    >>> junta_calendar_risk([0.4, 0.4], [False, True]).tolist()
    [0.4, 0.0]
    """
    lose_a = np.asarray(lose, dtype=float)
    return np.where(np.asarray(junta, dtype=bool), 0.0, lose_a)


def coup_backing(armed: ArrayLike, loyalty: ArrayLike) -> NDArray[np.float64]:
    """A patron's commitment to back a challenger's armed action (E5) as it counts in a coup (E2t):
    ``clip(armed, 0, 1) x (1 - clip(loyalty, 0, 1))``, in [0, 1], non-decreasing in ``armed``,
    non-increasing in the army's ``loyalty`` to the ruler; 0 against a loyal army, the whole commitment
    against a disloyal one.

    A coup is made by the state's armed forces or with them, not against them (Powell & Thyne 2011's
    definition: "illegal and overt attempts by the military or other elites within the state
    apparatus"); it succeeds when the armed forces coordinate on the putschists (Singh 2014, *Seizing
    Power*), and a patron's promise moves the outcome through the officers' expectations -- E20's army
    loyalty, which already falls when a stronger patron backs the challenger -- not around them. A
    foreign army guarding a faction's province or a guerrilla's base backs an insurgency or a secession,
    which a loyal army resists as a war, not a putsch in the capital (Iran 1945-46's Soviet-protected
    Azerbaijan, Adjara's Russian base). ``loyalty`` is broadcast against ``armed`` over its last
    (faction) axis.

    Examples
    --------
    >>> coup_backing([0.6, 0.6, 0.6], [1.0, 0.5, 0.0]).tolist()
    [0.0, 0.3, 0.6]
    """
    a = np.clip(np.asarray(armed, dtype=float), 0.0, 1.0)
    return a * (1.0 - np.clip(np.asarray(loyalty, dtype=float), 0.0, 1.0))
