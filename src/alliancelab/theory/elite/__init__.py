"""Paper E, the elite theory (Eriashov & Makarycheva 2021), as pure vectorised kernels.

Every function broadcasts over leading axes (``(runs, clients, ...)`` in the engine) and takes a
frozen :class:`EliteParams`. The mapping of THEORY_MAP rows E1–E17 to functions and tests is in
``docs/theory-elite.md``; the contract with the engine in ``docs/kernel-contract.md``.
"""

from __future__ import annotations

from .alignment import (
    MONEY_INSTRUMENTS,
    aid_without_alliance,
    alignment_utilities,
    alliance_relief,
    choice_probabilities,
    ruling_support_by_patron,
)
from .contest import (
    coup_attempt_probability,
    coup_success_probability,
    election_win_probability,
    horizon_precarity,
    precarity,
    security_gain,
    tullock,
)
from .dynamics import instigated_coup_success, purge, split_hazard, update_ambition
from .params import EliteParams, param_table
from .scope import scope_violations
from .support import (
    elite_loyalty_effect,
    mass_support_shares,
    narrow_support_share,
    support_effect,
    update_discontent,
    update_support_stock,
)

__all__ = [
    "EliteParams",
    "MONEY_INSTRUMENTS",
    "aid_without_alliance",
    "alignment_utilities",
    "alliance_relief",
    "choice_probabilities",
    "coup_attempt_probability",
    "coup_success_probability",
    "election_win_probability",
    "elite_loyalty_effect",
    "horizon_precarity",
    "instigated_coup_success",
    "mass_support_shares",
    "narrow_support_share",
    "param_table",
    "precarity",
    "purge",
    "ruling_support_by_patron",
    "scope_violations",
    "security_gain",
    "split_hazard",
    "support_effect",
    "tullock",
    "update_ambition",
    "update_discontent",
    "update_support_stock",
]
