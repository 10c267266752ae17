"""The instruments of patron support named by the elite theory (paper E, H1 and the Italy case)."""

from __future__ import annotations

__all__ = ["INSTRUMENTS", "MASS_INSTRUMENTS", "SIGNED_INSTRUMENTS"]

#: Every support instrument, in a fixed order (the last axis of support arrays).
INSTRUMENTS: tuple[str, ...] = (
    "economic_aid",            # loans, credits, commodity aid (E3; E17 when invisible to citizens)
    "reconstruction",          # promise/programme of reconstruction (Marshall Plan) (E3)
    "propaganda",              # propaganda, films, letter campaigns by diaspora (E3)
    "covert_funding",          # campaign finance / covert funding of the faction (E3)
    "military_aid",            # arms, equipment, contingents: adds coercive capacity (E5)
    "armed_action_commitment", # commitment in [0, 1] to back the faction's armed action (E5)
    "diplomatic_gesture",      # signed, in [-1, 1]: backing (+) or opposing (-) the nation's claim (E4)
)

#: Instruments that act on mass support (scaled by visibility and breadth, E6/E17).
MASS_INSTRUMENTS: tuple[str, ...] = ("economic_aid", "reconstruction", "propaganda", "covert_funding")

#: Instruments whose value may be negative.
SIGNED_INSTRUMENTS: tuple[str, ...] = ("diplomatic_gesture",)
