"""Parameters of the elite theory (paper E): one frozen, validated dataclass.

Every field has a default and ``metadata={"unit", "range", "source"}``; ``source`` is the
justification (a passage of Eriashov & Makarycheva 2021, "paper E", a cited building block, or a
documented judgement). Money is in **millions of US dollars of the year** the support is given
(the paper's own figures: "$9 million" loan, "$135 million" equipment, "about $1 million annually"
for propaganda, "$38 million", "$29 million"). Probabilities and hazards are **per period** (the
scenario's time step).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from ..._exceptions import InputError
from ..._validation import check_interval

__all__ = ["EliteParams", "param_table"]

_E = "paper E (Eriashov & Makarycheva 2021)"


def _p(default: float, unit: str, low: float, high: float, source: str) -> Any:
    """A dataclass field with the unit/range/source metadata every parameter carries."""
    return field(default=default, metadata={"unit": unit, "range": (low, high), "source": source})


@dataclass(frozen=True)
class EliteParams:
    """Parameters of the elite-theory kernels (paper E); one set serves every case.

    Examples
    --------
    >>> p = EliteParams()
    >>> p.r_election
    2.0
    >>> EliteParams(r_election=-1.0)
    Traceback (most recent call last):
    ...
    alliancelab._exceptions.InputError: field 'r_election': must be a number in [0.1, 20.0]; got -1.0
    """

    # --- support response, E3/E6/E17: effect = w * vis * breadth * log1p(amount / scale_i) ---------
    scale_economic_aid: float = _p(
        50.0, "million USD per period", 0.01, 1e6,
        "judgement: half-saturation near the paper's loan sizes ('$9 million' loan, '$38 million' "
        "U.S. aid; Yugoslavia section); log1p response, MODELING_NOTES 'diminishing returns'")
    scale_reconstruction: float = _p(
        200.0, "million USD per period", 0.01, 1e6,
        "judgement: reconstruction programmes are larger ('$135 million' equipment promise; "
        "Marshall Plan, Italy section)")
    scale_propaganda: float = _p(
        1.0, "million USD per period", 0.01, 1e6,
        "paper E, Italy section: propaganda 'cost about $1 million annually' and 'played a "
        "prominent role'")
    scale_covert_funding: float = _p(
        2.0, "million USD per period", 0.01, 1e6,
        "judgement: campaign finance of the same order as propaganda (CIA 'financed the election "
        "campaign of Christian Democrats', Italy section)")
    scale_military_aid: float = _p(
        30.0, "million USD per period", 0.01, 1e6,
        "paper E, Yugoslavia section: '$29 million to strengthen its defense capabilities'")
    mass_effect_weight: float = _p(
        0.108, "logit units per log-unit of support", 0.0, 5.0,
        "calibrated: docs/calibration.md (default before calibration 0.5); "
        "paper E, theory section: support lets the faction 'show people the benefits of "
        "cooperation'; judgement on magnitude (a large programme shifts a 50/50 race by ~10 pts)")
    gesture_weight: float = _p(
        0.5, "logit units per unit gesture", 0.0, 5.0,
        "paper E, H1: gestures 'boost the elite's legitimacy'; Trieste made the PCI 'look like an "
        "unpatriotic agent of external influence' (conclusion of cases)")
    elite_loyalty_weight: float = _p(
        0.1, "coercion units per log-unit of support", 0.0, 5.0,
        "paper E, Russia section: preferential loans 'ordinary citizens rarely see' buy the elite, "
        "not the masses (E17); judgement on magnitude")
    military_aid_weight: float = _p(
        0.2, "coercion units per log-unit of military aid", 0.0, 5.0,
        "paper E, H1: 'military contingents'; Moscow 'supplied weapons to the Yugoslav army'")
    # --- durability of support and discontent, E6 ----------------------------------------------------
    stock_decay_broad: float = _p(
        0.1, "fraction per period", 0.0, 1.0,
        "paper E, theory section: broad support can 'disarm the junior partner's domestic "
        "political opponents for a long time'")
    stock_decay_narrow: float = _p(
        0.4, "fraction per period", 0.0, 1.0,
        "paper E, theory section: limited support saves resources 'in the short term'; must be "
        ">= stock_decay_broad")
    discontent_rate: float = _p(
        0.1, "fraction of the gap to 1 per period at fully narrow support", 0.0, 1.0,
        "paper E, theory section: 'reliance on a narrow group is fraught with growing public "
        "discontent'")
    discontent_decay: float = _p(
        0.05, "fraction per period at fully broad support", 0.0, 1.0,
        "judgement: discontent fades slowly once benefits are broad")
    # --- contests for power, E1/E2/E5 ----------------------------------------------------------------
    r_election: float = _p(
        2.0, "Tullock decisiveness (dimensionless)", 0.1, 20.0,
        "Tullock 1980; Hirshleifer 1989: r > 1 makes the larger mass support decisive (plurality)")
    r_coup: float = _p(
        1.5, "Tullock decisiveness (dimensionless)", 0.1, 20.0,
        "Tullock 1980; Hirshleifer 1989, 'Conflict and rent-seeking success functions'")
    coup_legitimacy_weight: float = _p(
        1.0, "coercion units per unit mass share", 0.0, 10.0,
        "paper E, Yugoslavia: Tito's power 'was based on people's support and control of the "
        "armed forces' (mass support defends against a coup)")
    armed_backing_boost: float = _p(
        2.0, "relative increase of coercion at full commitment", 0.0, 20.0,
        "paper E, Italy: 'no promise of support if it came to power in a non-parliamentary way "
        "made the revolution senseless' (Molotov's cable)")
    armed_backing_force: float = _p(
        0.3, "coercion units at full commitment", 0.0, 10.0,
        "paper E, H1: 'the use of military contingents to prevent an unfriendly group from coming "
        "to power'")
    coup_attempt_max: float = _p(
        0.5, "probability per period", 0.0, 1.0,
        "judgement: even a sure coup is not attempted every period; cf. Svolik 2012; Archigos 4.1 "
        "military exits (2.33 %/leader-year) imply 0.43 at parity, the posterior's prior "
        "(docs/calibration.md, 'The coup prior')")
    unbacked_attempt_factor: float = _p(
        0.2, "fraction of the attempt probability without patron backing", 0.0, 1.0,
        "paper E, Italy: after Molotov's refusal the communists' uprising was 'a gamble'")
    # --- precarity, E9/E15a -------------------------------------------------------------------------
    unrest_max: float = _p(
        0.420448, "probability per period", 0.0, 1.0,
        "calibrated: docs/calibration.md (default before calibration 0.5); paper E, falsifier: an unpopular leader lasting long without 'internal sources of funding "
        "for a huge repressive apparatus' would refute the theory, so such a leader is precarious")
    repression_half: float = _p(
        0.25, "coercion units", 0.001, 10.0,
        "judgement: coercion that halves unrest (repressive apparatus, falsifier passage)")
    discontent_weight: float = _p(
        1.0, "illegitimacy units per unit discontent", 0.0, 10.0,
        "paper E, theory section: discontent 'can provoke a change of elites'")
    # --- alignment, E8/E9/E14 (Morrow 1991; McFadden logit) ------------------------------------------
    security_weight: float = _p(
        3.786643, "utility per unit (precarity x support share)", 0.0, 50.0,
        "calibrated: docs/calibration.md (default before calibration 4.0); Morrow 1991 security gain; paper E, H2: 'the more precarious ... the more likely it is "
        "to seek external support'")
    affinity_weight: float = _p(
        0.5, "utility per unit affinity", 0.0, 10.0,
        "paper E, Yugoslavia: Tito's 'legitimacy was still based on communist ideology'; Haas 2005")
    threat_weight: float = _p(
        1.5, "utility per unit common-threat value", 0.0, 10.0,
        "calibrated: docs/calibration.md (default before calibration 1.5); paper Y (Yu), Y5: an imminent threat makes alignment valuable; judgement on magnitude")
    autonomy_cost: float = _p(
        0.958664, "utility", 0.0, 50.0,
        "calibrated: docs/calibration.md (default before calibration 1.0); Morrow 1991 autonomy cost; paper E, H2: a popular leader will not 'limit its freedom of "
        "maneuver by making allied commitments'")
    logit_scale: float = _p(
        2.0, "inverse Gumbel scale (1/utility)", 0.01, 100.0,
        "McFadden random-utility logit; judgement")
    commitment_horizon: float = _p(
        13.276801, "years", 0.1, 50.0,
        "calibrated: docs/calibration.md (default before calibration 4.0); Morrow 1991: an alliance is a commitment whose security accrues over its life, so H2's "
        "demand follows the risk of losing power over a horizon, not one period; paper E, Italy: "
        "the DC, having won, joined because of an 'extra-parliamentary opposition capable of "
        "staging an armed uprising'; the fitted 13 years is of the order of treaty terms (North "
        "Atlantic Treaty art. 13: 20 years before a party may leave; Sino-Soviet treaty of 1950: 30)")
    alliance_relief: float = _p(
        0.5, "fraction of precarity removed per period of membership", 0.0, 1.0,
        "paper E, Italy: 'Accession to NATO put an end to the domestic political struggle and lent "
        "stability to the De Gasperi government'")
    # --- dynamics, E11/E12/E13 ----------------------------------------------------------------------
    ambition_rate: float = _p(
        0.494265, "ambition units per log-unit of relative excess support", 0.0, 10.0,
        "calibrated: docs/calibration.md (default before calibration 0.3); paper E, Yugoslavia: 'Moscow's support boosted Tito's regional ambitions'; Russia section: "
        "'excessive support leads to increased ambitions'")
    ambition_decay: float = _p(
        0.1, "fraction per period", 0.0, 1.0,
        "judgement: ambitions fade when support is cut back to need")
    need_floor: float = _p(
        1.0, "million USD per period", 0.001, 1e6,
        "numerical floor on a client's need (relative excess of support over need)")
    split_rate: float = _p(
        0.5, "hazard per unit ambition (per period)", 0.0, 10.0,
        "paper E, conclusion: assistance 'fueled Belgrade's regional ambitions, which collided with "
        "the interests of Moscow's other allies ... which provoked a split'")
    purge_intensity: float = _p(
        0.7, "fraction of the pro-patron share removed", 0.0, 1.0,
        "paper E, Yugoslavia: 'a large-scale campaign to cleanse the party of Cominform "
        "supporters: thousands of people were arrested, killed or sent into exile'")
    aid_only_threshold: float = _p(
        0.95, "precarity", 0.0, 1.0,
        "calibrated: docs/calibration.md (default before calibration 0.3); paper E, Yugoslavia: 'Tito could forgo too close relations with any power due to his "
        "strong political position'; judgement on the threshold")
    aid_only_steepness: float = _p(
        10.0, "1/precarity", 0.1, 1000.0,
        "judgement: logistic steepness of aid-without-alliance around the threshold")

    # --- issue #10 mechanisms (docs/theory.md, 'Mechanisms of issue #10'); not calibrated -------
    # --- E18: the incumbent re-weighs its alignment every period --------------------------------
    alignment_inertia: float = _p(
        1.0, "utility", 0.0, 20.0,
        "switching cost of a sitting ruler's current alignment in the random-utility choice (status-"
        "quo inertia of discrete-choice models); judgement: equal in size to the autonomy cost of "
        "joining (elite.autonomy_cost ~ 1), so leaving costs what joining costs")
    treaty_commitment: float = _p(
        1.0, "utility", 0.0, 20.0,
        "cost of breaking a formal (treaty) alliance, added to staying in it for any ruler, sitting or "
        "new: treaties tie hands through audience costs (Fearon 1997) and reputation (Gibler 2008; "
        "Leeds 2003: formal alliances are honoured in most crises they cover; ATOP termination is "
        "~0.7 %/yr at parity without threat, calibration/data/hazard_prior.json); it replaces "
        "elite.alignment_inertia for a treaty member, whose taste shocks persist (E18, Heckman 1981: "
        "true state dependence); judgement: equal to the inertia of an informal alignment (1.0)")
    rival_backing_weight: float = _p(
        2.0, "utility per unit share of the patron's money in the client going to the ruler's rivals",
        0.0, 20.0,
        "paper E, Yugoslavia: Moscow's backing of the 'healthy elements' against Tito preceded the "
        "break; judgement: half the security weight (elite.security_weight ~ 3.8)")
    abandonment_weight: float = _p(
        1.5, "utility per unit (threat to the client x help not delivered)", 0.0, 20.0,
        "Snyder 1984 (abandonment); paper Y, Y5: an ally's value is its help against the threat; "
        "judgement: equal to elite.threat_weight's default, so an ally that does not help under a "
        "threat loses what a helping one gains")
    # --- E19: forms of alignment ------------------------------------------------------------------
    both_min_share: float = _p(
        0.25, "share of the ruler's foreign money", 0.0, 1.0,
        "paper E, E13: Yugoslavia's equidistance after 1955 took aid from both blocs; judgement: each "
        "patron must provide at least a quarter of the ruler's foreign money to count as a partner")
    both_precarity_max: float = _p(
        0.5, "precarity (horizon, without outside support)", 0.0, 1.0,
        "paper E, Yugoslavia: Tito 'could forgo too close relations with any power due to his strong "
        "political position'; judgement: only a ruler more likely to keep power than lose it over the "
        "commitment horizon can play both patrons; the same bound on the need for a treaty "
        "(precarity and common threat, M.treaty_need) decides who may take a paying patron's aid "
        "without one (H2)")
    # --- E20: army loyalty and power grabs ------------------------------------------------------
    army_adjust_rate: float = _p(
        0.3, "fraction of the gap to the target loyalty closed per period", 0.0, 1.0,
        "partial adjustment (a first-order lag); judgement: an army's loyalty shifts over a few years "
        "(Svolik 2012 on the military's moral hazard)")
    defection_weight: float = _p(
        1.0, "loyalty lost per unit (precarity x challenger backing x backer absent)", 0.0, 5.0,
        "Svolik 2012; McLauchlin 2010 (loyalty strategies): soldiers defect when the regime is likely "
        "to fall and the challenger is backed; judgement: at full weight a doomed, unbacked ruler "
        "facing a fully backed challenger loses its whole army")
    grab_propensity: float = _p(
        0.3, "probability scale", 0.0, 1.0,
        "Svolik 2012 (authoritarian power-sharing, incumbent takeovers); judgement: at most about one "
        "in three rulers certain to lose an election and holding all coercion cancels it")
    grab_discontent: float = _p(
        0.3, "discontent units", 0.0, 1.0,
        "paper E, theory section: discontent 'can provoke a change of elites'; judgement: a cancelled "
        "or rigged election adds this much public discontent (Tucker 2007 on electoral fraud and "
        "protest)")
    # --- E21: negative instruments ----------------------------------------------------------------
    scale_pressure: float = _p(
        100.0, "million USD per period", 0.01, 1e6,
        "one concave response for all instruments (MODELING_NOTES); judgement: the half-saturation of "
        "economic damage between elite.scale_economic_aid (50) and scale_reconstruction (200)")
    pressure_discontent: float = _p(
        0.3, "discontent units at full damage", 0.0, 1.0,
        "Galtung 1967, Hufbauer et al. 2007: sanctions work, when they do, through economic hardship "
        "and discontent with the government; judgement, = grab_discontent")
    rally_weight: float = _p(
        0.5, "fraction of the damage's support loss reversed", 0.0, 1.0,
        "Mueller 1970 (rally round the flag); Galtung 1967: sanctions can rally a population behind a "
        "popular nationalist ruler; applied x the ruler's mass share x its hostility to the sanctioner "
        "(negative affinity); judgement on the size")
    offer_weight: float = _p(
        1.5, "utility per unit economic damage", 0.0, 20.0,
        "paper E, E13: a punished client turns to an alternative donor; Hirschman 1945 (trade "
        "dependence): damage by one patron raises the value of another's offer; judgement: = "
        "elite.threat_weight's default")
    mandate_weight: float = _p(
        0.5, "logit units of mass support", 0.0, 5.0,
        "E1m: Mueller 1970 and Carlin et al. 2018 (presidential honeymoon: new leaders start 10-15 "
        "points above their later approval, which fades over the term); judgement: 0.5 logits lifts a "
        "third of the public to about 45%; fades at stock_decay_broad")
    def __post_init__(self) -> None:
        for f in fields(self):
            low, high = f.metadata["range"]
            check_interval(getattr(self, f.name), f.name, low, high)
        if self.stock_decay_narrow < self.stock_decay_broad:
            raise InputError(
                f"must be >= stock_decay_broad ({self.stock_decay_broad!r}): narrow support decays "
                f"at least as fast as broad (E6); got {self.stock_decay_narrow!r}",
                field="stock_decay_narrow")

    def scales(self) -> tuple[float, ...]:
        """Return the per-instrument scale in the order of ``MASS_INSTRUMENTS``.

        Examples
        --------
        >>> EliteParams().scales()
        (50.0, 200.0, 1.0, 2.0)
        """
        return (self.scale_economic_aid, self.scale_reconstruction, self.scale_propaganda,
                self.scale_covert_funding)


def param_table() -> list[dict[str, object]]:
    """Return one row per parameter: name, default, unit, range and source (for docs).

    Examples
    --------
    >>> rows = param_table()
    >>> rows[0]["name"], rows[0]["unit"]
    ('scale_economic_aid', 'million USD per period')
    """
    return [{"name": f.name, "default": f.default, "unit": f.metadata["unit"],
             "range": f.metadata["range"], "source": f.metadata["source"]} for f in fields(EliteParams)]
