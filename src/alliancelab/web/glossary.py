"""The explorer's glossary: every term and mechanism code the page shows, in one place.

Mechanism codes join two texts: what the papers state (the wording of ``THEORY_MAP.md``, shortened) and
what the model does with it (:data:`alliancelab.engine._simulate.MECHANISMS`, whose text also says what
switching the mechanism off means). Terms are the scenario's and the forecast's vocabulary
(``docs/scenarios.md``, ``docs/theory*.md``).
"""

from __future__ import annotations

from typing import Any

__all__ = ["MECHANISM_THEORY", "TERMS", "glossary_entries"]

#: What each paper states, per THEORY_MAP id (paper E: elite theory; paper Y: power disparity x threat).
MECHANISM_THEORY: dict[str, str] = {
    "E1": "The state is two levels: elite factions compete for power, the masses grant legitimacy.",
    "E2": "Elections and coups are two sides of the same coin: the struggle for power.",
    "E3": "Patron support (aid, reconstruction, campaign money, propaganda) lets the friendly faction show "
          "people the benefits of cooperation.",
    "E4": "Diplomatic gestures boost legitimacy; a patron's stance against the nation's claim hurts its friends.",
    "E5": "Military backing: a patron's commitment (or refusal) to back an armed uprising decides coups.",
    "E6": "Scope of support: broad support lasts; narrow support is cheaper now but breeds discontent.",
    "E7": "Scope conditions: an interested patron, and alternative patrons each backing its own supporters.",
    "E8": "H1: a country allies with the state that gave the most support to the elite that rose to power.",
    "E9": "H2: the more precarious the incumbent elite, the more it seeks external support; a popular "
          "leader stays out of blocs.",
    "E9s": "H2 weighs the security an alliance and its patron's support buy: a popular leader, whose "
           "position they barely change, hardly needs outside help.",
    "E10": "Joining the alliance ends the domestic struggle and stabilises the government.",
    "E11": "Excessive support fuels the client's own ambitions, which provoke a split with the patron.",
    "E12": "A patron punishes a disloyal client: blockade, instigated coup; the leader purges.",
    "E13": "A client under pressure turns to another donor, but a strong one takes aid without joining a bloc.",
    "E13b": "A ruler courted by rival patrons stays out of both camps: joining one ends the other's aid.",
    "E13p": "Only a rival stops its aid when the client joins another camp; a friend's ally keeps it.",
    "E14": "Legitimacy has an ideological basis, which can pull a client back to a patron.",
    "E15": "Falsifiers the authors state: situations the theory says are improbable.",
    "E16": "Recommendations R1-R4 to patrons, compared with naive strategies (alliancelab advise).",
    "E17": "Support citizens never feel buys elite loyalty at best, not mass support.",
    "E18": "The incumbent re-decides alignment every period; a ruler whose patron backs its rivals can purge "
           "them and turn elsewhere.",
    "E19": "Alignment has forms: formal alliance, aid without alliance, tacit alignment, neutrality, two patrons.",
    "E20": "Incumbents grab power (self-coups, postponed or rigged elections, purges); armies choose sides.",
    "E21": "Negative instruments: sanctions, embargoes, cut quotas, blockades, reparations, withdrawn aid.",
    "E20s": "An army's loyalty is structural: an officer corps with its own networks stays that way; coups beget coups.",
    "E20j": "A junta keeps no electoral calendar: officers who seized power are not voted out at the scheduled elections.",
    "E2t": "A coup is made with the army, not against it: a patron's backing of a challenger counts in a coup only through the army's disloyal share.",
    "E20r": "A stolen election sparks protest: rigging a count the ruler keeps adds public discontent.",
    "E20f": "A stolen count is a focal point: in its year, the crowd it brings out is not deterred by repression.",
    "E21c": "An ally that sanctions the ruler and its circle by name provokes a crisis of the alliance: the ruler defies it.",
    "E1m": "A ruler the voters or the crowd put in starts with a mandate: a honeymoon of popular support that fades.",
    "E21h": "A donor does not keep paying or defending a government that has joined a rival patron's camp.",
    "E21b": "A donor that does not tolerate defiance does not subsidise a government averse to it.",
    "E22": "A patron's forces defend its client ruler (intervention, garrisons, military backing).",
    "Y1": "Power is many-dimensional: military, economic, ideological, cultural, institutional.",
    "Y2": "The narrower the power gap between patron and ally, the less likely an alliance forms or lasts.",
    "Y3": "A disloyal ally is punished while the gap is wide and expelled when it is narrow.",
    "Y4": "An ally that grows stronger seeks a counterweight: a second patron.",
    "Y5": "An imminent threat makes a patron align even with partners it distrusts.",
    "Y6": "Without a clear rival, alliances fall apart.",
    "Y7": "Poorer allies demand aid; rival patrons bidding raise the cost of loyalty.",
    "Y8": "With no alternative patron, defection and maintenance cost fall.",
    "Y9": "Threat x disparity: strong alliance, unstable alliance, affiliation, or no alliance.",
    "Y10": "A threat must be discernible: unclear aims, appeasement, mistrust and wedge strategies delay "
           "or break alliances.",
    "Y11": "A rise in the ally's ideological appeal alone can narrow the gap enough to split an alliance.",
    "Y12": "Distance and weak power projection make distant clients hard to control or punish.",
    "Y13": "A threat has a source and a severity per target (Walt: power, proximity, offensive intent).",
    "Y14": "A narrowing gap threatens the patron's dominance: it disciplines the closing ally, which seeks a "
           "counterweight as it grows stronger (Y2, Y4, Y11).",
    "Y15": "An ally that openly challenges its patron's leadership is disciplined, the more the closer it has "
           "come to the patron's power (Y3, Y14).",
    "Y13p": "Both sides must face the common enemy: the patron accepts an alliance on a threat aimed at both, "
            "a threat to either alone counting half.",
    "Y16": "A treaty takes time: once both sides want it, their mistrust slows the talks, and a graver "
           "common threat speeds them (Y10).",
    "E11m": "Money a state borrows on a foreign bond market is bought and repaid, not a patron's surplus: it "
            "builds no ambition (E11), though it still ties the ruler to the lender's country (H1).",
    "E8g": "A patron's support to a faction is a costly signal of its intent: a ruler it raised brings "
           "little of the state's old mistrust of that patron to the treaty talks (H1, Y10, Y16).",
    "Y17": "A treaty has a term: when it ends, the alliance lapses unless both sides renew it, each deciding "
           "afresh on the present common threat and power gap, as at a formation.",
    "Y18": "A patron tolerates an ally's defiance it has no lever to punish (no faction able to replace the "
           "ruler), the more the more it tolerates its allies' autonomy; it still punishes an exit (Y3, E12).",
    "Y21": "Mistrust slows a treaty's talks by the same odds whatever makes the patron willing: a patron "
           "with a large stake in the ruler (H1) overcomes it faster than one moved by the threat alone (Y16).",
    "Y24": "A patron's budget limits what it bids for a client's loyalty, not its will to ally with the "
           "ruler its support already raised (H1).",
    "Y19": "An ally's challenge to its patron's lead is as dangerous as the ground the ally has gained in "
           "whichever of the three most important fields of power (military, economic, ideological appeal) it "
           "gained most, not only in the total.",
    "Y22": "A patron's fall in ideological appeal (the 20th Congress, 1956) shakes the legitimacy of allies' "
           "rulers that borrow it: in that year a narrow, patron-minded leadership faces a crisis with the "
           "patron, the likelier the fewer people back it.",
    "E23": "The ambitions a surplus of aid feeds (E11) take time: a split comes from the ambition standing "
           "when a period opens, not from the aid of that same period.",
}

#: The page's vocabulary: term -> one or two sentences.
TERMS: dict[str, str] = {
    "patron": "A great power that may back factions inside a client state with support (money, arms, "
              "gestures) and accept it as an ally.",
    "client": "A (potential) client state whose ruling faction decides its alignment.",
    "faction": "An elite group inside a client competing for power by elections or coups (E1, E2).",
    "actor": "A state that is neither patron nor client, e.g. the source of a threat.",
    "alignment": "Whom the client is aligned with at the end of a period: a patron, or non-aligned.",
    "non-aligned": "Aligned with no patron (E9: a secure ruler keeps its autonomy).",
    "who rules": "The faction in power at the end of a period, after elections, coups and unrest.",
    "precarity": "The ruler's probability of losing power next period; the more precarious, the more it "
                 "seeks a patron (E9, H2).",
    "ruler's mass support": "The share of the population backing the ruling faction.",
    "disparity": "The power gap between patron and ally, from the power components (Y1, Y2).",
    "alliance type": "Paper Y's Table 1: strong (high threat, wide gap), unstable (high threat, narrow gap), "
                     "affiliation (low threat, wide gap), none.",
    "strong": "An alliance under a high threat with a wide power gap (Y9).",
    "unstable": "An alliance under a high threat with a narrow power gap: distrust and discord (Y9).",
    "affiliation": "Low threat, wide gap: control of the client at an extra cost to the patron (Y9).",
    "alignment form": "How a client is aligned: formal alliance, aid without alliance, tacit, neutral, or "
                      "with both rival patrons (E19).",
    "budget": "Money a patron can spend per period on support (scenario money units).",
    "tolerance": "How far a patron tolerates an independent course before it punishes (share).",
    "interest": "How much a patron cares about a client, strategically or ideologically (share; E7).",
    "aid need": "Support per period a ruler needs; support beyond it builds ambition (E11).",
    "baseline support": "A faction's mass support before any patron's support (share).",
    "coercion": "A faction's coercive capacity: armed followers, control of the army (share; E2, E5).",
    "affinity": "Ideological closeness of a faction to a patron, in [-1, 1] (E14).",
    "support item": "Dated support by one patron to one faction through one instrument, per period active.",
    "instrument": "The kind of support: economic aid, campaign finance, propaganda, military aid, a "
                  "diplomatic gesture, a commitment to back armed action, or negative ones (blockade).",
    "amount": "A support item's size per period (money units), or a sign/commitment in [-1, 1] / [0, 1].",
    "visibility": "How much citizens see a transfer; invisible ones buy elite loyalty only (E17).",
    "breadth": "How widely support reaches the population; narrow support decays and breeds discontent (E6).",
    "threat": "An external threat by an actor against targets, with severity, imminence and clarity (Y5, Y10).",
    "severity": "How dangerous a threat is (share).",
    "imminence": "How soon a threat may strike (share).",
    "clarity": "How discernible a threat's aims are (share; Y10).",
    "accommodation": "How available appeasement is as an alternative to alliance (share; Y10).",
    "wedge": "The threatening side's effort to split the allies (share; Y10).",
    "mistrust": "Mutual mistrust between two actors (share; Y5, Y10).",
    "camp": "In the world view: the states whose modal alignment is one patron.",
    "bloc": "Patrons whose camps are tied by alliances, with their members.",
    "95% interval": "Wilson score interval of a probability over the Monte Carlo runs.",
    "paired interval": "The 95% interval of a what-if difference from the per-run differences: both "
                       "forecasts use the same seed (common random numbers), so run r of each shares its draws.",
    "common random numbers": "Running the baseline and the change with the same seed so that the "
                             "difference is the change's effect, not Monte Carlo noise.",
    "drivers": "Each mechanism switched off in turn (same seed), ranked by the change of the modal "
               "alignment's probability.",
    "runs": "Monte Carlo runs: independent histories of the scenario.",
    "seed": "The random seed: the same seed gives the same runs.",
    "strategy": "In advice: a rewrite of one patron's support schedule (paper E's R1-R4 or a naive one).",
    "cost": "In advice: the support the patron pays over the periods under a strategy.",
}


def glossary_entries() -> dict[str, Any]:
    """``{"terms": [{term, text}], "mechanisms": [{code, paper, theory, model}]}`` (JSON-able)."""
    from ..engine._simulate import MECHANISMS

    codes = sorted(set(MECHANISM_THEORY) | set(MECHANISMS),
                   key=lambda c: (c[0], int("".join(ch for ch in c[1:] if ch.isdigit()) or 0)))
    mechanisms = [{"code": c, "paper": "E (elite theory)" if c.startswith("E") else "Y (power disparity x threat)",
                   "theory": MECHANISM_THEORY.get(c, ""), "model": MECHANISMS.get(c, "")} for c in codes]
    return {"terms": [{"term": t, "text": x} for t, x in TERMS.items()], "mechanisms": mechanisms}
