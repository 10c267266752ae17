"""alliancelab: executable models of how states choose allies.

Two theories are implemented as vectorised, property-tested models:

* the elite theory of alliance formation (Eriashov & Makarycheva 2021), a
  two-level game in which patrons back friendly factions inside a client state;
* the power-disparity x external-threat theory (Yu), which classifies and
  simulates alliance behaviour from the power gap and an imminent common threat.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
