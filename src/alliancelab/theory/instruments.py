"""The instruments of patron support named by the elite theory (paper E, H1 and the Italy case)."""

from __future__ import annotations

__all__ = ["ALL_INSTRUMENTS", "INSTRUMENTS", "INTERVENTION", "MASS_INSTRUMENTS", "MONEY_INSTRUMENTS",
           "NEGATIVE_INSTRUMENTS", "RULER_INSTRUMENTS", "SIGNED_INSTRUMENTS"]

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

#: Instruments measured in money (million USD): the mass instruments and military aid.
MONEY_INSTRUMENTS: tuple[str, ...] = MASS_INSTRUMENTS + ("military_aid",)

#: Instruments whose value may be negative.
SIGNED_INSTRUMENTS: tuple[str, ...] = ("diplomatic_gesture",)

#: Negative instruments (E21): pressure on the government a faction forms, in money units per period
#: (the damage to the client's economy), amount >= 0. Kept off the ``INSTRUMENTS`` axis: they are
#: not support, and arrays shaped by ``INSTRUMENTS`` (the world model's) keep their meaning.
NEGATIVE_INSTRUMENTS: tuple[str, ...] = (
    "sanctions",       # sanctions, embargoes, cut import quotas (Cuba 1960, Yugoslavia 1948-49)
    "blockade",        # physical blockade or closure of trade routes (Berlin 1948, Cuba 1962)
    "extraction",      # reparations, extraction, joint companies draining the economy (Romania 1945-56)
    "aid_withdrawal",  # withdrawal of promised or running aid (Aswan 1956, Soviet experts from China 1960)
)

#: A patron's forces defending a faction while it rules (E5, E6, E22): commitment in [0, 1].
INTERVENTION = "intervention"

#: Every value a support item's ``instrument`` may take.
ALL_INSTRUMENTS: tuple[str, ...] = INSTRUMENTS + NEGATIVE_INSTRUMENTS + (INTERVENTION,)

#: Instruments that may target ``faction: ruling`` (whoever rules in that run and period): all of them.
RULER_INSTRUMENTS: tuple[str, ...] = ALL_INSTRUMENTS
