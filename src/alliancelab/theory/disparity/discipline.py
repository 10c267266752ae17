"""Discipline and upkeep of a patron's alliances (Yu §3, §3.2; THEORY_MAP Y3, Y4, Y7, Y8, Y12).

Punish versus expel a disloyal ally, the ally's counterweight seeking, the cost of keeping a client,
bipolarity (no alternative patron), and distance / power projection.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._math import as_float, clip01, expit
from .params import DisparityParams

__all__ = [
    "expel_probability",
    "punish_probability",
    "discipline_probabilities",
    "tolerate_without_lever",
    "counterweight_propensity",
    "gap_narrowing",
    "field_gap_narrowing",
    "challenge_discipline",
    "appeal_drop",
    "legitimacy_shock_defiance",
    "maintenance_cost",
    "defection_probability",
    "alternative_availability",
    "control_effectiveness",
]

_DEFAULT = DisparityParams()


def expel_probability(D: ArrayLike, p: DisparityParams = _DEFAULT) -> NDArray[np.float64]:
    """P(patron expels a disloyal ally | it responds) = ``logistic(s · (m − D))``; punish = 1 − expel.

    Yu §3: "Depending on the width of the power disparity, the Soviet Union would use punishment
    (case of Poland and Hungary), or directly expel the challenging state out of the alliance (case
    of China and Yugoslavia)". Rises as the gap narrows (Y3); ``m = p.expel_midpoint``,
    ``s = p.expel_slope``.

    Examples
    --------
    >>> round(float(expel_probability(0.95)), 3)   # Hungary 1956: wide gap -> punish
    0.014
    >>> round(float(expel_probability(0.55)), 3)   # China ~1960: narrow gap -> expel
    0.852
    """
    return expit(p.expel_slope * (p.expel_midpoint - clip01(D)))


def punish_probability(D: ArrayLike, p: DisparityParams = _DEFAULT) -> NDArray[np.float64]:
    """P(punish) = 1 − :func:`expel_probability`; falls as the gap narrows (Y3).

    Examples
    --------
    >>> round(float(punish_probability(0.95)), 3)
    0.986
    """
    return clip01(1.0 - expel_probability(D, p))


def discipline_probabilities(D: ArrayLike, control: ArrayLike = 1.0,
                             p: DisparityParams = _DEFAULT) -> NDArray[np.float64]:
    """Patron's response to a disloyal ally: ``[..., 0]`` punish, ``[..., 1]`` expel, ``[..., 2]`` tolerate.

    ``expel = e(D)`` (:func:`expel_probability`), ``punish = (1 − e(D)) · control`` and ``tolerate =
    (1 − e(D)) · (1 − control)``, with ``control`` from :func:`control_effectiveness` (Y12). Yu §3.2:
    "Because of the long-distance and the existence of the US, it would be difficult to punish them
    for disloyalty". With full control (default) this reduces to punish = 1 − expel (Y3). Rows sum to 1.

    Examples
    --------
    >>> discipline_probabilities(0.95).round(3).tolist()
    [0.986, 0.014, 0.0]
    >>> discipline_probabilities(0.95, control=0.1).round(3).tolist()
    [0.099, 0.014, 0.887]
    """
    e = expel_probability(D, p)
    c = clip01(control)
    e, c = np.broadcast_arrays(e, c)
    punish = (1.0 - e) * c
    return np.stack([punish, e, np.clip(1.0 - e - punish, 0.0, 1.0)], axis=-1)


def tolerate_without_lever(probabilities: ArrayLike, tolerance: ArrayLike, lever: ArrayLike,
                           client_act: ArrayLike) -> NDArray[np.float64]:
    """The patron's choice between punishing and tolerating an ally's defiance (mechanism Y18).

    ``probabilities`` is :func:`discipline_probabilities`' ``[..., 3]`` (punish, expel, tolerate). A
    share ``k = client_act · tolerance · (1 − lever)`` of the punish probability moves to tolerate;
    expel is unchanged; rows still sum to 1. No parameter.

    - ``lever`` in [0, 1]: the patron's chance of replacing the defiant ruler with its own faction,
      the E12 instigated coup's success (:func:`alliancelab.theory.elite.instigated_coup_success`).
      Punishment is costly and pays only through a lever: the Cominform's call on the "healthy
      elements" was punishment because "the Soviet Union hoped that ... more loyal elements would come
      to power" (paper E on Yugoslavia 1948); Moscow crushed Budapest (1956) and Prague (1968) with
      an alternative leadership at hand (Kadar; the "healthy forces", then Husak; Kramer 1998, Valdez
      1993 on the Brezhnev doctrine), and tolerated Bucharest, whose home communists had purged the
      Muscovites and held the army and the Securitate (Tismaneanu 2003). A punishment that cannot
      topple the ruler only turns a defiant ally into a lost one (E12: the failed coup ends the
      alliance).
    - ``tolerance`` in [0, 1]: the patron's tolerance of its allies' autonomy (the scenario's
      ``tolerance``, read by E11 and Y15): Yu §3 "the Soviet Union would give little tolerance to
      the disloyalty of its allies", least under Stalin (who punished Tito with no lever).
    - ``client_act`` in [0, 1]: the probability that the crisis is the client's defiance while it
      stays in the alliance, not the patron's own move against a rising ally (Y2, Y15: the patron
      starts that crisis and does not tolerate it) nor the ally's exit (E18: tolerating it is losing
      the ally, the outcome punishment is for; Nagy's declaration of neutrality, 1 Nov 1956).

    Non-increasing punish and non-decreasing tolerate in ``tolerance`` and ``client_act``; the
    reverse in ``lever``; identity when any of ``tolerance``, ``client_act`` is 0 or ``lever`` is 1.

    Examples
    --------
    >>> base = discipline_probabilities(0.97)
    >>> tolerate_without_lever(base, 0.5, 0.03, 1.0).round(3).tolist()   # Romania 1964
    [0.51, 0.01, 0.48]
    >>> tolerate_without_lever(base, 0.2, 0.03, 1.0).round(3).tolist()   # a Stalin-era ally, no lever
    [0.798, 0.01, 0.192]
    >>> tolerate_without_lever(base, 0.5, 1.0, 1.0).round(3).tolist()    # a faction to install
    [0.99, 0.01, 0.0]
    """
    pr = np.asarray(probabilities, dtype=float)
    k = clip01(client_act) * clip01(tolerance) * (1.0 - clip01(lever))
    moved = pr[..., 0] * k
    return np.stack([pr[..., 0] - moved, pr[..., 1], pr[..., 2] + moved], axis=-1)


def counterweight_propensity(client_relative_power: ArrayLike, p: DisparityParams = _DEFAULT, *,
                             alternative_available: ArrayLike | None = None) -> NDArray[np.float64]:
    """Ally's propensity to bring in a counterweight (a second patron), in [0, 1] (Y4).

    ``logistic(s · (r − m))`` with ``r`` the client's share of dyad power (``1 − D``), ``m =
    p.cw_midpoint``, ``s = p.cw_slope``; multiplied by ``alternative_available`` when given (no
    counterweight exists to introduce otherwise, Y8). Yu §3: "when they grow more robust, and the
    bargaining power becomes more extraordinary, they tend to introduce a counterweight".

    Examples
    --------
    >>> round(float(counterweight_propensity(0.1)), 3), round(float(counterweight_propensity(0.45)), 3)
    (0.088, 0.763)
    >>> float(counterweight_propensity(0.45, alternative_available=0.0))
    0.0
    """
    out = expit(p.cw_slope * (clip01(client_relative_power) - p.cw_midpoint))
    if alternative_available is not None:
        out = clip01(out * clip01(alternative_available))
    return out


def gap_narrowing(D: ArrayLike, D0: ArrayLike, p: DisparityParams = _DEFAULT) -> NDArray[np.float64]:
    """How far an alliance has moved into Table 1's narrow-gap column since it began, in [0, 1] (Y2,
    Y11; mechanism Y14).

    ``max(0, e(D) − e(D0))`` with ``e`` = :func:`expel_probability`, the logistic of Table 1's wide/narrow
    boundary ``d*``: 0 when the gap has not narrowed since formation (``D ≥ D0``) and for an alliance
    between equals that stays so; it grows as an ally that joined far behind its patron closes on it.
    Yu §3: "the narrowing disparity of power makes the Soviet Union sense threats to its dominant
    position"; the level of disparity alone barely moves alliance termination in ATOP (docs/findings.md
    §3), so the theory's effect is carried by the change. Non-increasing in ``D``, non-decreasing in ``D0``.

    Examples
    --------
    >>> round(float(gap_narrowing(0.64, 0.77)), 2)    # China 1959 against 1951
    0.42
    >>> float(gap_narrowing(0.5, 0.5)), float(gap_narrowing(0.8, 0.7))
    (0.0, 0.0)
    """
    return clip01(expel_probability(D, p) - expel_probability(D0, p))


def field_gap_narrowing(D_fields: ArrayLike, D0_fields: ArrayLike, narrowing: ArrayLike,
                        p: DisparityParams = _DEFAULT) -> NDArray[np.float64]:
    """The narrowing that makes an ally's challenge a danger to the patron's dominance: the largest of
    the composite's (``narrowing``, :func:`gap_narrowing`) and that of each important field of power,
    in [0, 1] (Y1, Y2, Y11; mechanism Y19, read by :func:`challenge_discipline`'s ``narrowing``).

    ``max(narrowing, max_k gap_narrowing(D_k, D0_k))`` over the last axis of ``D_fields`` /
    ``D0_fields``: the patron's share of the dyad on each of paper Y's "first three" components
    (military, economic, ideological appeal; :func:`component_shares`), now and when the alliance
    began. Yu §3: "the narrowing disparity of power makes the Soviet Union sense threats to its
    dominant position, no matter from what fields the potential challenge comes"; §4.2: China's
    industry and army "were still fragile compared with the Soviet Union's prominent superiority in
    almost all spheres", yet "China's rising ideological authority had become intolerable". An ally
    that closes the gap in one field challenges the patron there even while the composite stays
    wide. No parameter. Never below ``narrowing``; non-increasing in each ``D_k``, non-decreasing in
    each ``D0_k``; equal to ``narrowing`` when no field has narrowed since the alliance began.

    Examples
    --------
    >>> # China 1958 against 1950: military, economic, ideological shares of the USSR
    >>> round(float(field_gap_narrowing([0.689, 0.811, 0.5], [0.675, 0.945, 0.769], 0.34)), 2)
    0.75
    >>> float(field_gap_narrowing([0.9, 0.95, 0.9], [0.9, 0.9, 0.9], 0.0))   # a widening gap
    0.0
    """
    df = gap_narrowing(D_fields, D0_fields, p)
    return clip01(np.maximum(as_float(narrowing), df.max(axis=-1)))


def challenge_discipline(challenge: ArrayLike, tolerance: ArrayLike, narrowing: ArrayLike) -> NDArray[np.float64]:
    """Yearly probability that the patron answers an ally's open challenge to its leadership with a
    crisis, ``challenge × (1 − tolerance) × narrowing``, in [0, 1] (Y2, Y3, Y11; mechanism Y15).

    Yu §3: "the Soviet Union would give little tolerance to the disloyalty of its allies. Depending on
    the width of the power disparity, the Soviet Union would use punishment ... or directly expel the
    challenging state"; §4.2: China "had already started to challenge Soviet Union's leadership" and
    "the Soviet Union would not allow an ally to bring potential danger to its predominant position to
    stay in the alliance". ``challenge`` in [0, 1] is the client's act (a claim to lead, a refusal of
    the patron's demands, a unilateral course: a dated fact of the scenario); the patron counts it as
    disloyalty in proportion to ``1 − tolerance`` (the meaning tolerance has for E11's ambition); and it
    is a danger to the patron's position in proportion to how far the ally has closed the gap since
    the alliance began (``narrowing`` = :func:`gap_narrowing`, Y14): a far weaker ally's challenge,
    or one from an ally that has not gained on its patron, threatens no dominance. No parameter.
    Non-decreasing in ``challenge`` and ``narrowing``, non-increasing in ``tolerance``; 0 without a
    challenge or without narrowing.

    Examples
    --------
    >>> round(float(challenge_discipline(1.0, 0.5, 0.42)), 2)    # China 1958-59 under Khrushchev
    0.21
    >>> float(challenge_discipline(0.0, 0.0, 0.9)), float(challenge_discipline(1.0, 0.2, 0.0))
    (0.0, 0.0)
    """
    return clip01(clip01(challenge) * (1.0 - clip01(tolerance)) * clip01(narrowing))


def appeal_drop(appeal: ArrayLike) -> NDArray[np.float64]:
    """The relative fall of a patron's ideological appeal from one period to the next, in [0, 1] (Y1,
    Y11; mechanism Y22, read by :func:`legitimacy_shock_defiance`).

    ``appeal`` has periods on the first axis; the result has the same shape, ``max(0, (a[t−1] − a[t])
    / a[t−1])`` and 0 in the first period (nothing to fall from) and where ``a[t−1]`` is 0. A shock
    is the change: a level that stays low after the fall is already in the disparity (Y2, Y14, Y19).
    No parameter.

    Examples
    --------
    >>> appeal_drop([10.0, 10.0, 8.0, 8.0]).tolist()    # the USSR 1954-57: the secret speech, Feb 1956
    [0.0, 0.0, 0.2, 0.0]
    >>> appeal_drop([3.0, 6.0, 8.0]).tolist()           # a rise is no shock
    [0.0, 0.0, 0.0]
    """
    a = np.maximum(as_float(appeal), 0.0)
    out = np.zeros_like(a)
    if a.shape and a.shape[0] > 1:
        prev = a[:-1]
        out[1:] = np.divide(prev - a[1:], prev, out=np.zeros_like(prev), where=prev > 0)
    return clip01(out)


def legitimacy_shock_defiance(drop: ArrayLike, affinity: ArrayLike, ruler_share: ArrayLike) -> NDArray[np.float64]:
    """Yearly probability that a patron's loss of ideological appeal sets off its ally's defiance (a
    crisis of the alliance), ``drop × max(0, affinity) × (1 − ruler_share)``, in [0, 1] (Y1, Y11, E14;
    mechanism Y22).

    Yu §4.2: the 20th Congress, and "Shortly after the conference, rebellions against Soviet control
    burst out in Poland and Hungary"; the Soviet Union's "monopoly on the interpretations of Marxist
    theory ... had already become an important source of legitimacy of its leadership in the socialist
    camp", and "Previous high-pressure rules imposed by the Soviet Union on other socialist states had
    already aroused dissatisfaction, and resentment was growing within and out the ruling communist
    parties". Paper E (E14): a ruler's legitimacy has an ideological basis. So a fall in the patron's
    ideological appeal (``drop``, :func:`appeal_drop`) is a fall in the legitimacy of the ally's rulers
    in proportion to how far it rests on the patron's ideology (the ruling faction's ``affinity`` to
    the patron, E14; an averse or indifferent ruler borrows none), and it releases the resentment of
    the share of the people that does not back the ruler (``1 − ruler_share``, its mass support share):
    a popular ruler with a legitimacy of its own (Mao in 1956) is barely shaken, a narrow leadership
    installed and kept by the patron (Rákosi, Bierut) is. No parameter. Non-decreasing in ``drop`` and
    ``affinity``, non-increasing in ``ruler_share``; 0 without a drop.

    Examples
    --------
    >>> round(float(legitimacy_shock_defiance(0.2, 0.9, 0.15)), 3)   # Hungary's Stalinists, 1956
    0.153
    >>> round(float(legitimacy_shock_defiance(0.2, 0.8, 0.85)), 3)   # Mao's CCP, 1956
    0.024
    >>> float(legitimacy_shock_defiance(0.0, 0.9, 0.1)), float(legitimacy_shock_defiance(0.2, -0.5, 0.1))
    (0.0, 0.0)
    """
    return clip01(clip01(drop) * clip01(affinity) * (1.0 - clip01(ruler_share)))


def maintenance_cost(aid_demand: ArrayLike, n_bidders: ArrayLike, T: ArrayLike,
                     alternative_available: ArrayLike = 1.0,
                     p: DisparityParams = _DEFAULT) -> NDArray[np.float64]:
    """Per-period cost to the patron of keeping a client, in aid units (≥ 0) (Y7, Y8).

    ``cost = (c0 + aid·(1 + b·n·a)) · (1 − θ·T) · (1 − κ·(1 − a))``

    with ``c0 = cost_base`` (political capital to coordinate the alliance), ``b = cost_bid_premium``
    per rival patron bidding for the client, ``n = n_bidders``, ``a = alternative_available`` (1 or a
    probability; rival bids matter only if the client can go elsewhere), ``θ = cost_threat_discount``
    and ``κ = cost_captive_discount``. Rises with aid demand and with the number of bidders, falls with
    threat (Yu §3: "When the confrontation is less severe ... the Soviet and its rival ... might often
    need to bid for the loyalty of lesser states. Such competition increased unnecessary expenses"),
    and is lower with no alternative patron (Snyder's bipolarity, Y8). The low-threat "affiliation"
    cell of Table 1 therefore carries the "extra burden".

    Parameters
    ----------
    aid_demand : array_like, >= 0
        Economic aid the client asks for per period.
    n_bidders : array_like, >= 0
        Rival patrons bidding for the client's loyalty (may be fractional, e.g. expected bidders).
    T : array_like in [0, 1]
        Effective threat.
    alternative_available : array_like of bool or in [0, 1]
    p : DisparityParams

    Examples
    --------
    >>> round(float(maintenance_cost(1.0, 1, 0.1)), 3)      # North Korea: low threat, USSR vs China
    1.504
    >>> round(float(maintenance_cost(1.0, 1, 0.9)), 3)      # same client under a clear common threat
    0.736
    >>> round(float(maintenance_cost(1.0, 1, 0.9, alternative_available=False)), 3)
    0.354
    """
    aid = np.clip(as_float(aid_demand), 0.0, None)
    n = np.clip(as_float(n_bidders), 0.0, None)
    a = clip01(as_float(alternative_available))
    cost = ((p.cost_base + aid * (1.0 + p.cost_bid_premium * n * a))
            * (1.0 - p.cost_threat_discount * clip01(T))
            * (1.0 - p.cost_captive_discount * (1.0 - a)))
    return np.clip(cost, 0.0, None)


def defection_probability(base: ArrayLike, alternative_available: ArrayLike,
                          p: DisparityParams = _DEFAULT) -> NDArray[np.float64]:
    """Defection probability after bipolarity: ``base · (1 − λ·(1 − a))`` with ``λ = bipolar_lock`` (Y8).

    Snyder 1990 (quoted in Yu §3): "The allies of superpowers either have no incentive to realign with
    the opposite superpower, or if they do, they will be prevented from acting upon it by their own
    patron." With no alternative patron (``a = 0``) defection falls to ``(1 − λ)·base``.

    Examples
    --------
    >>> float(defection_probability(0.5, True)), round(float(defection_probability(0.5, False)), 3)
    (0.5, 0.1)
    """
    a = clip01(as_float(alternative_available))
    return clip01(clip01(base) * (1.0 - p.bipolar_lock * (1.0 - a)))


def alternative_availability(n_poles: ArrayLike, rival_threat: ArrayLike,
                             p: DisparityParams = _DEFAULT) -> NDArray[np.float64]:
    """Probability a client has a usable alternative patron, from polarity and the rival pole's threat.

    With ``n_poles`` great powers the client's own patron is one; the rival pole is usable if it does
    not threaten the client and the patron does not block realignment: ``(1 − λ)(1 − rival_threat)``
    with ``λ = bipolar_lock``; each further pole (multipolarity) is usable with probability
    ``multipolar_openness``. With one pole there is no alternative. Yu §3: Third World clients "found
    no one to turn to for assistance but the Soviet Union, because the US and the old metropolitan
    states were threatening their liberty all the time".

    Examples
    --------
    >>> float(alternative_availability(1, 0.0))
    0.0
    >>> round(float(alternative_availability(2, 1.0)), 3), round(float(alternative_availability(2, 0.0)), 3)
    (0.0, 0.2)
    >>> round(float(alternative_availability(5, 0.0)), 3)
    0.9
    """
    n = np.floor(np.clip(as_float(n_poles), 0.0, 1e6))
    rival = np.where(n >= 2.0, (1.0 - p.bipolar_lock) * (1.0 - clip01(rival_threat)), 0.0)
    extra = np.clip(n - 2.0, 0.0, None)
    none_usable = (1.0 - rival) * (1.0 - p.multipolar_openness) ** extra
    return clip01(1.0 - none_usable)


def control_effectiveness(distance_km: ArrayLike, projection: ArrayLike,
                          p: DisparityParams = _DEFAULT) -> NDArray[np.float64]:
    """Patron's ability to control or punish a client, ``exp(−distance / L(projection))`` in (0, 1] (Y12).

    A loss-of-strength gradient (Boulding 1962): control decays with distance, with e-folding reach
    ``L = reach_min_km + (reach_max_km − reach_min_km) · projection``. Non-increasing in distance,
    non-decreasing in projection capability. Yu §3.2: "the relative weaker forces of the blue-sea navy
    and projection power of the Soviet Union constrained it from exerting influence towards the
    lesser states on other continents ... Because of the long-distance and the existence of the US,
    it would be difficult to punish them for disloyalty."

    Parameters
    ----------
    distance_km : array_like, >= 0
        Capital-to-capital (or border) distance between patron and client.
    projection : array_like in [0, 1]
        Patron's power-projection capability (blue-water navy, airlift, bases).

    Examples
    --------
    >>> round(float(control_effectiveness(1_000, 0.3)), 2)   # Budapest from Moscow, weak navy
    0.58
    >>> round(float(control_effectiveness(9_500, 0.3)), 3)   # Havana from Moscow
    0.006
    """
    d = np.clip(as_float(distance_km), 0.0, None)
    reach = p.reach_min_km + (p.reach_max_km - p.reach_min_km) * clip01(projection)
    return clip01(np.exp(-d / reach))
