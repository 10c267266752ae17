"""Kernels of the mechanisms issues #10 and #11 added (THEORY_MAP E13b, E18-E22, Y13): rival bidders
(E13b), exit and purge (E18), forms of alignment (E19), army loyalty and power grabs (E20), a popular ruler's
mandate (E1m), negative instruments (E21), a patron's forces defending the ruler (E22), threats with a source (Y13),
treaty terms (Y17), market borrowing (E11m), a backer's trust (E8g), aid withheld from an averse ruler (E21b),
the budget's reach (Y24), rivalry between patrons (E13p).
Equations: docs/theory.md, "Mechanisms of
issue #10"."""

from __future__ import annotations

from .army import (coup_backing, focal_unrest, fraud_backlash, grab_probability, junta_calendar_risk,
                   junta_elections, target_loyalty, update_junta, update_loyalty)
from .bidders import rival_support_loss, rivalry
from .budget import affordable_will
from .defence import defence_commitment, defended_strength, patron_stake
from .exit import (abandonment, leaves, persistent_shocks, purge_success, reweigh_utilities,
                   rival_backing)
from .market import grant_money
from .gratitude import trusted_mistrust
from .forms import FORMS, aid_only_by_need, aid_only_probability, tacit_probability, treaty_need
from .mandate import update_mandate
from .pressure import affront_hazard, damage_share, donor_withholds, rally_factor, support_loss
from .threat_source import dyad_threat, intent_severity
from .treaty import renewal_probability

__all__ = [
    "affordable_will",
    "FORMS", "abandonment", "affront_hazard", "aid_only_by_need", "aid_only_probability", "damage_share",
    "defence_commitment", "defended_strength", "donor_withholds", "dyad_threat", "focal_unrest", "fraud_backlash", "grab_probability",
    "grant_money",
    "intent_severity", "leaves",
    "patron_stake", "persistent_shocks", "purge_success",
    "rally_factor", "renewal_probability", "reweigh_utilities", "rival_backing", "rival_support_loss", "support_loss",
    "tacit_probability",
    "target_loyalty", "treaty_need", "trusted_mistrust", "update_loyalty", "update_mandate",
    "junta_elections", "update_junta", "junta_calendar_risk",  # E20j
    "coup_backing",  # E2t
    "rivalry",  # E13p
]
