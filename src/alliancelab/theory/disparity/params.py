"""Parameters of the power-disparity × external-threat model (paper Y).

One frozen dataclass, :class:`DisparityParams`, holds every constant the paper-Y kernels use. Each field
carries ``metadata={"unit", "range", "source"}``; ``source`` is the justification (a passage of Yu's
paper, a cited building block, a dataset, or an explicit documented judgement). ``__post_init__``
validates every field with :func:`alliancelab._validation.check_interval` and raises
:class:`alliancelab.InputError` naming the offending field.

The equations that use these fields are documented in ``docs/theory-disparity.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any

from ..._exceptions import InputError
from ..._validation import check_interval

__all__ = ["DisparityParams", "POWER_COMPONENTS", "ALLIANCE_TYPES", "WALT_COMPONENTS"]

#: The components of a state's power, in the order of the last axis ``K`` of power arrays (Y1).
POWER_COMPONENTS: tuple[str, ...] = ("military", "economic", "ideological", "cultural", "institutional")

#: Table 1 cells, in the order of the integer codes returned by :func:`classify` (Y9).
ALLIANCE_TYPES: tuple[str, ...] = ("strong", "unstable", "affiliation", "none")

#: Walt's (1985, 1987) sources of threat, in the order used by :func:`walt_threat`.
WALT_COMPONENTS: tuple[str, ...] = ("aggregate_power", "proximity", "offensive", "intentions")

_Y3 = "Yu §3: 'The first three are the most important, because they are the direct reflections of the powers of a state.'"
_JUDGE = "documented judgement (docs/theory-disparity.md)"


def _f(default: float, unit: str, lo: float, hi: float, source: str) -> Any:
    return field(default=default, metadata={"unit": unit, "range": (lo, hi), "source": source})


@dataclass(frozen=True)
class DisparityParams:
    """Constants of paper Y's kernels (power vector, threat, formation, Table 1, hazard, discipline).

    Every field has a default, a unit, an allowed range and a justification in its ``metadata``.

    Examples
    --------
    >>> p = DisparityParams()
    >>> round(sum(p.power_weights), 12)
    1.0
    >>> DisparityParams(w_military=2.0)
    Traceback (most recent call last):
    ...
    alliancelab._exceptions.InputError: field 'w_military': must be a number in [0.0, 1.0]; got 2.0
    """

    # ---- Y1: power as a vector -------------------------------------------------------------------
    w_military: float = _f(0.26, "weight", 0.0, 1.0, _Y3 + " Military power is listed first.")
    w_economic: float = _f(0.26, "weight", 0.0, 1.0, _Y3 + " Economic power is listed second.")
    w_ideological: float = _f(0.24, "weight", 0.0, 1.0, _Y3 + " Ideological appeal is the third "
                              "(Sino-Soviet 'dual leadership', Yu §4.2). Judgement: 0.24, a shade below the "
                              "two material components, which CINC measures; ideology is scenario-given.")
    w_cultural: float = _f(0.12, "weight", 0.0, 1.0, "Yu §3 lists cultural power after the 'first three'; "
                           "judgement: half an important weight.")
    w_institutional: float = _f(0.12, "weight", 0.0, 1.0, "Yu §3 lists institutional power after the "
                                "'first three'; judgement: half an important weight.")

    # ---- Y5, Y10: threat -------------------------------------------------------------------------
    walt_w_aggregate: float = _f(0.25, "weight", 0.0, 1.0, "Walt 1985/1987: aggregate power is one of four "
                                 "sources of threat; equal weights absent evidence of ranking.")
    walt_w_proximity: float = _f(0.25, "weight", 0.0, 1.0, "Walt 1985/1987: geographic proximity.")
    walt_w_offensive: float = _f(0.25, "weight", 0.0, 1.0, "Walt 1985/1987: offensive capability.")
    walt_w_intentions: float = _f(0.25, "weight", 0.0, 1.0, "Walt 1985/1987: aggressive intentions.")
    intentions_prior: float = _f(0.5, "probability", 0.0, 1.0, "MODELING_NOTES (clarity weighs intentions): "
                                 "with zero clarity, intentions are perceived at this uninformative prior "
                                 "(Yu §4.1: 'Hitler's stance was confusing').")
    imminence_floor: float = _f(0.2, "fraction", 0.0, 1.0, "Yu §3: the patron aligns against an 'imminent' "
                                "threat; a distant threat counts at this fraction (judgement).")
    clarity_floor: float = _f(0.3, "fraction", 0.0, 1.0, "Yu §4.1: 'the external threats were not clear and "
                              "difficult to discern'; an undiscerned threat counts at this fraction (judgement).")

    # ---- Y2, Y5, Y10: formation (logit) -------------------------------------------------------------
    form_intercept: float = _f(-4.0, "log-odds", -20.0, 20.0, "Yu §1: 'alliances that are formed during "
                               "peacetime or without a targeting rival are hardly seen'; P(form | D=0.5, T=0) "
                               "= 1.8%.")
    form_beta_disparity: float = _f(4.952425, "log-odds per unit D", 0.0, 50.0, "calibrated: docs/calibration.md (default before calibration 6.0); Yu §3 (Y2): less likely to ally "
                                    "'unless there was a significant power disparity'; D 0.5→1 multiplies "
                                    "the odds by e^2.5 ≈ 12.")
    form_beta_threat: float = _f(8.0, "log-odds per unit T", 0.0, 50.0, "Yu §3.1 (Y5): 'the fear of the threat "
                                 "... outweighs its worries of too close power distance'; chosen so that T "
                                 "dominates D (β_T > β_D) and P(form | D=0.5, T=t*) = 0.5.")
    form_beta_mistrust: float = _f(2.0, "log-odds per unit", 0.0, 50.0, "Yu §4.1 (Y10): 'the mistrust and "
                                   "disbelief among these parties'; Snyder 1984 alliance security dilemma.")
    form_beta_accommodation: float = _f(2.0, "log-odds per unit", 0.0, 50.0, "Yu §3.1 (Y10): 'the option to "
                                        "reach a peace contract or appeasement ... can be attractive alternatives'.")
    form_beta_wedge: float = _f(1.5, "log-odds per unit", 0.0, 50.0, "Yu §4.1–4.2 (Y10): 'discord and "
                                "dissension sowed among them by Nazi Germany'; Dulles's wedge; Crawford 2011.")

    # ---- Y9: Table 1 thresholds ----------------------------------------------------------------------
    d_star: float = _f(2 / 3, "share of dyad power", 0.5, 0.99, "Yu Table 1 'High/Low' power disparity. "
                       "Judgement: wide = patron holds ≥ 2× the client's weighted power (D ≥ 2/3), above the "
                       "parity zone of power-transition theory (challenger ≥ 80% of the leader, D ≤ 0.556; "
                       "Organski & Kugler 1980).")
    t_star: float = _f(0.5, "threat index", 0.01, 0.99, "Yu Table 1 'High/Low' external threat; chosen so "
                       "that at t* an alliance between equals without frictions forms with P = 0.5 "
                       "(t* = −form_intercept/form_beta_threat), making Table 1 consistent with Y5.")

    # ---- Y2, Y6, Y11: dissolution hazard (discrete-time cloglog; Weibull in age) -----------------
    haz_intercept: float = _f(-5.07, "log cumulative hazard", -20.0, 20.0, "empirical: ATOP 5.1 "
                              "termination, cloglog per spell-year, constant -5.073 (SE 0.077; "
                              "calibration/data/hazard_prior.json, scripts/hazard_prior.py): at parity "
                              "without threat the yearly hazard is 0.63 %, against the observed 0.71 % "
                              "(13,689 spell-years; Wilson 95 % CI 0.58-0.86 %). Replaces the step "
                              "function of the old point calibration (5.2: ~100 %/yr at parity without "
                              "threat), which ATOP rejects.")
    haz_beta_threat: float = _f(0.55, "log-hazard per unit T", 0.0, 50.0, "Yu §3 (Y6): 'reluctant to "
                                "maintain an alliance during peacetime or without a clear rival' gives "
                                "the direction (hazard rises as threat falls). CONFLICT with ATOP: the "
                                "cloglog on current threat estimates +1.82 (threat raises termination), "
                                "driven by wartime treaties that end with their war (docs/findings.md "
                                "§3: 4.14 in wartime-treaty spells). In peacetime spells the threat "
                                "present at formation and gone raises the hazard by 1.38 against 0.83 "
                                "for a threat still present (docs/findings.md §3): the theory's "
                                "direction, of size 1.38 - 0.83 = 0.55, used here (empirically small: "
                                "losing a full threat multiplies the rate by e^0.55 = 1.7).")
    haz_beta_disparity: float = _f(0.23, "log-hazard per unit D", 0.0, 50.0, "empirical: ATOP 5.1 "
                                   "cloglog, disparity -0.116 per unit of the panel's 2(D - 0.5) "
                                   "(SE 0.098), i.e. 0.23 per unit D (hazard_prior.json priors): the "
                                   "gap's level barely moves termination. Paper Y's Y2/Y11 act through a "
                                   "narrowing since formation, via the patron's discipline and the "
                                   "ally's counterweight (mechanism Y14), not this generic hazard.")
    haz_beta_mistrust: float = _f(1.0, "log-hazard per unit", 0.0, 50.0, "Yu Table 1: 'Unstable alliance "
                                  "(Distrust and Discords)'; Snyder 1984.")
    haz_beta_wedge: float = _f(1.0, "log-hazard per unit", 0.0, 50.0, "Yu §4.2: Dulles's wedge strategy "
                               "'worked out in the late 50s'; Crawford 2011.")
    haz_shape: float = _f(1.0, "Weibull shape", 0.1, 5.0, "Bennett 1997; Leeds & Savun 2007 (duration "
                          "dependence); default 1 = no duration dependence (constant hazard).")

    # ---- Y3: punish vs expel ----------------------------------------------------------------------------
    expel_midpoint: float = _f(2 / 3, "share of dyad power", 0.5, 1.0, "Yu §3: 'Depending on the width of "
                               "the power disparity, the Soviet Union would use punishment ... or directly "
                               "expel'; midpoint at Table 1's wide/narrow boundary d*.")
    expel_slope: float = _f(15.0, "log-odds per unit D", 0.0, 200.0, "Yu §3 cases: Poland/Hungary (wide) "
                            "punished, Yugoslavia/China (narrow) expelled; D ± 0.1 around the midpoint "
                            "moves P(expel) between 18% and 82% (judgement).")

    # ---- Y4: counterweight ------------------------------------------------------------------------------
    cw_midpoint: float = _f(1 / 3, "client share of dyad power", 0.0, 1.0, "Yu §3: 'when they grow more "
                            "robust ... they tend to introduce a counterweight'; midpoint at 1 − d*.")
    cw_slope: float = _f(10.0, "log-odds per unit", 0.0, 200.0, "judgement: a client with 10% of dyad power "
                         "seeks a counterweight with P ≈ 9%, one with 45% (China c. 1958) with P ≈ 76%.")

    # ---- Y7, Y8: maintenance cost, defection, bipolarity ---------------------------------------------
    cost_base: float = _f(0.1, "aid units per period", 0.0, 100.0, "Yu §3: 'it would take extra political "
                          "capital to eliminate discrepancies and coordinate the policies in the alliance'.")
    cost_bid_premium: float = _f(0.5, "fraction of aid per bidder", 0.0, 10.0, "Yu §3.2: the USSR and China "
                                 "'bid for' Kim Il-sung's loyalty; each rival bidder adds this fraction to the "
                                 "aid bill (judgement).")
    cost_threat_discount: float = _f(0.6, "fraction", 0.0, 0.99, "Yu §3: 'When the confrontation is less "
                                     "severe ... competition increased unnecessary expenses'; at T=1 the bill "
                                     "is 40% of the peacetime bill (judgement).")
    cost_captive_discount: float = _f(0.3, "fraction", 0.0, 0.99, "Yu §3 quoting Snyder 1990: 'the resources "
                                      "... to maintain the loyalty of its formal allies were kept low'.")
    bipolar_lock: float = _f(0.8, "probability", 0.0, 1.0, "Snyder 1990 pp.107–108 (quoted in Yu §3): allies "
                             "'will be prevented from acting upon it by their own patron'.")
    multipolar_openness: float = _f(0.5, "probability", 0.0, 1.0, "Snyder 1990: in multipolarity realignment "
                                    "options exist; each extra pole is usable with this probability (judgement).")

    # ---- Y12: distance and projection (loss-of-strength gradient) --------------------------------------
    reach_min_km: float = _f(500.0, "km", 1.0, 40_000.0, "Boulding 1962 loss-of-strength gradient; Yu §3.2 "
                             "'relative weaker forces of the blue-sea navy and projection power'. e-folding "
                             "distance of control with no projection capability (judgement).")
    reach_max_km: float = _f(5_000.0, "km", 1.0, 40_000.0, "Boulding 1962; e-folding distance with full "
                             "projection capability (judgement: a global navy keeps ~15% control at 9,500 km).")

    def __post_init__(self) -> None:
        for f in fields(self):
            lo, hi = f.metadata["range"]
            check_interval(getattr(self, f.name), f.name, lo, hi)
        total = sum(self.power_weights)
        if not math.isclose(total, 1.0, abs_tol=1e-9):
            raise InputError(f"power weights w_military..w_institutional must sum to 1; got {total!r}",
                             field="w_military")
        if min(self.power_weights[:3]) < max(self.power_weights[3:]):
            raise InputError("military, economic and ideological weights must each be at least the "
                             "cultural and institutional weights (Yu §3: 'The first three are the most "
                             f"important'); got {self.power_weights!r}", field="w_ideological")
        wt = sum(self.walt_weights)
        if not math.isclose(wt, 1.0, abs_tol=1e-9):
            raise InputError(f"Walt weights walt_w_* must sum to 1; got {wt!r}", field="walt_w_aggregate")
        if self.reach_max_km < self.reach_min_km:
            raise InputError(f"must be >= reach_min_km ({self.reach_min_km!r}); got {self.reach_max_km!r}",
                             field="reach_max_km")

    @property
    def power_weights(self) -> tuple[float, float, float, float, float]:
        """Weights of :data:`POWER_COMPONENTS`, in that order."""
        return (self.w_military, self.w_economic, self.w_ideological, self.w_cultural,
                self.w_institutional)

    @property
    def walt_weights(self) -> tuple[float, float, float, float]:
        """Weights of :data:`WALT_COMPONENTS`, in that order."""
        return (self.walt_w_aggregate, self.walt_w_proximity, self.walt_w_offensive,
                self.walt_w_intentions)
