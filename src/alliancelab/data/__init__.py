"""Real data: loaders of the official dataset files and the DuckDB dyad-year / state-year panel.

``dyad_years()`` and ``state_years()`` return the panel of docs/panel.md as pandas DataFrames;
``build_panel()`` writes it to a DuckDB file (``alliancelab data build``); the ``load_*`` functions
read one dataset each, with its columns checked and its missing codes converted to NA.
"""

from __future__ import annotations

from .api import dyad_years, state_years
from .loaders import (load_archigos, load_atop_alliances, load_atop_dyad_years, load_atop_members,
                      load_capitals, load_chisols, load_contiguity, load_cow_alliance_dyad_years,
                      load_cow_alliance_members, load_democracy, load_gml, load_leeds_savun, load_majors,
                      load_mid_dyadic, load_mida, load_midb, load_nmc, load_polity5, load_rivalries,
                      load_states, load_tss_rivalries, load_us_aid, unmatched_recipients)
from .panel import PanelBuild, build_panel
from .status import data_status

__all__ = [
    "PanelBuild", "build_panel", "data_status", "dyad_years", "load_archigos", "load_atop_alliances",
    "load_atop_dyad_years", "load_atop_members", "load_capitals", "load_chisols", "load_contiguity",
    "load_cow_alliance_dyad_years", "load_cow_alliance_members", "load_democracy", "load_gml",
    "load_leeds_savun", "load_majors", "load_mid_dyadic", "load_mida", "load_midb", "load_nmc",
    "load_polity5", "load_rivalries", "load_states", "load_tss_rivalries", "load_us_aid", "state_years",
    "unmatched_recipients",
]
