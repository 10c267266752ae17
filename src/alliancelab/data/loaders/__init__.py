"""Loaders of the official dataset files, one module per dataset family."""

from __future__ import annotations

from .aid import load_us_aid, unmatched_recipients
from .atop import load_atop_alliances, load_atop_dyad_years, load_atop_members
from .cow import (load_capitals, load_contiguity, load_cow_alliance_dyad_years, load_cow_alliance_members,
                  load_majors, load_nmc, load_states)
from .leaders import load_archigos, load_chisols
from .leeds_savun import load_leeds_savun
from .mid import load_gml, load_mid_dyadic, load_mida, load_midb
from .regime import load_democracy, load_polity5
from .rivalries import load_rivalries, load_tss_rivalries

__all__ = [
    "load_archigos", "load_atop_alliances", "load_atop_dyad_years", "load_atop_members", "load_capitals",
    "load_chisols", "load_contiguity", "load_cow_alliance_dyad_years", "load_cow_alliance_members",
    "load_democracy", "load_gml", "load_leeds_savun", "load_majors", "load_mid_dyadic", "load_mida",
    "load_midb", "load_nmc", "load_polity5", "load_rivalries", "load_states", "load_tss_rivalries",
    "load_us_aid", "unmatched_recipients",
]
