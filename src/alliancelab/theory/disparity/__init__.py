"""Paper Y: power disparity × external threat (Yu), as pure vectorised kernels.

``from alliancelab.theory import disparity``. Every kernel takes arrays that broadcast over any
leading axes (the engine's ``(runs, clients)``, a world of hundreds of clients) and a frozen
:class:`DisparityParams`. The mapping THEORY_MAP row → function → test is in
``docs/theory-disparity.md``.
"""

from __future__ import annotations

from .discipline import (
    alternative_availability,
    appeal_drop,
    challenge_discipline,
    control_effectiveness,
    counterweight_propensity,
    defection_probability,
    discipline_probabilities,
    expel_probability,
    field_gap_narrowing,
    gap_narrowing,
    legitimacy_shock_defiance,
    maintenance_cost,
    punish_probability,
    tolerate_without_lever,
)
from .formation import (formation_logit, formation_probability, talks_conclusion_given_will,
                        talks_conclusion_probability, talks_in_part_of_period)
from .hazard import dissolution_hazard, hazard_index, survival
from .params import ALLIANCE_TYPES, POWER_COMPONENTS, WALT_COMPONENTS, DisparityParams
from .power import (
    NMC_COLUMNS,
    cinc_subindices,
    component_shares,
    components_from_nmc,
    composite_power,
    disparity,
    power_vector,
    shares_of_total,
    with_component,
)
from .table1 import AFFILIATION, NONE, STRONG, UNSTABLE, classify, type_labels
from .threat import effective_threat, perceived_intentions, walt_threat

__all__ = [
    "AFFILIATION",
    "ALLIANCE_TYPES",
    "DisparityParams",
    "NMC_COLUMNS",
    "NONE",
    "POWER_COMPONENTS",
    "STRONG",
    "UNSTABLE",
    "WALT_COMPONENTS",
    "alternative_availability",
    "appeal_drop",
    "challenge_discipline",
    "cinc_subindices",
    "classify",
    "component_shares",
    "components_from_nmc",
    "composite_power",
    "control_effectiveness",
    "counterweight_propensity",
    "defection_probability",
    "discipline_probabilities",
    "disparity",
    "dissolution_hazard",
    "effective_threat",
    "expel_probability",
    "field_gap_narrowing",
    "formation_logit",
    "formation_probability",
    "gap_narrowing",
    "hazard_index",
    "legitimacy_shock_defiance",
    "maintenance_cost",
    "perceived_intentions",
    "power_vector",
    "punish_probability",
    "shares_of_total",
    "survival",
    "talks_conclusion_given_will",
    "talks_conclusion_probability",
    "talks_in_part_of_period",
    "tolerate_without_lever",
    "type_labels",
    "walt_threat",
    "with_component",
]
