"""The period loop of the combined model: vectorised over runs, a Python loop over periods only.

One period is a sequence of named steps (:data:`STEPS`, in :mod:`._steps_domestic` and
:mod:`._steps_alliance`), each a function over the run state (:mod:`._state`). Every formula lives in the theory kernels (:mod:`alliancelab.theory.elite`,
:mod:`alliancelab.theory.disparity`); this module only wires them in the order of
``docs/theory.md`` ("One period") and draws the random events. State arrays have shape
``(runs, clients, ...)``. All randomness comes from one ``numpy.random.Generator``; every period draws
the same arrays in the same order whatever mechanisms are switched off, so reruns with a mechanism
disabled use common random numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from ..theory.params import ModelParams
from ._batch import make_batch
from ._compile import Compiled
from ._state import EVENT_KINDS, PeriodVars, Recorder, RunState, SimContext, horizon_counts
from ._steps_alliance import Outputs, alignment, alliance_dynamics, record
from ._steps_domestic import contests, mass_support, precarity, support_paid
from ._steps_mechanisms import NV, army_loyalty, forms, pressure_and_defence

__all__ = ["EVENT_KINDS", "MECHANISMS", "NEW_MECHANISMS", "STEPS", "SimResult", "horizon_counts", "simulate",
           "simulate_many", "split_result"]

#: Mechanisms that can be switched off (``forecast(..., disable={...})``) and what switching does.
MECHANISMS: dict[str, str] = {
    "E2": "coups: challengers may seize power by force (off: no coups)",
    "E3": "patron support raises the backed faction's mass support (off: no mass effect of money)",
    "E4": "diplomatic gestures with their sign (off: gestures ignored)",
    "E5": "patron commitment to back armed action (off: commitment 0)",
    "E6": "breadth: narrow support decays fast and breeds discontent (off: all support broad)",
    "E8": "H1: the patron that supported the ruler offers most security and accepts the alliance "
          "(off: equal support shares, acceptance by paper Y's formation probability only)",
    "E9": "H2: precarity drives the demand for alignment (off: precarity fixed at 0.5)",
    "E10": "alliance membership lowers precarity (off: no relief)",
    "E11": "excess support builds ambition and split hazard (off: no ambition)",
    "E12": "punishment: blockade, instigated coup, purge (off: none of these)",
    "E13": "a strong client takes aid without alliance (off: never)",
    "E14": "ideological affinity in alignment (off: affinity 0)",
    "E17": "visibility: invisible transfers buy elite loyalty, not mass support (off: all visible)",
    "Y2": "disparity in formation, dissolution and discipline (off: D fixed at d*)",
    "Y3": "punish vs expel by disparity (off: even odds)",
    "Y4": "counterweight seeking of a stronger ally (off: none)",
    "Y5": "common threat in alignment, formation and dissolution (off: threat 0)",
    "Y6": "dissolution hazard of alliances (off: alliances do not dissolve by themselves)",
    "Y7": "maintenance cost against the patron's budget (off: always affordable)",
    "Y8": "no alternative patron lowers defection (off: ignored)",
    "Y10": "mistrust, accommodation and wedge effort (off: all 0)",
    "Y12": "distance and weak projection: a patron may only tolerate disloyalty (off: full control)",
    # issue #10
    "E18": "the sitting ruler re-weighs its alignment every period (rival backing, abandonment, a better "
           "offer, a new threat; purge before leaving) (off: only a new ruler re-decides)",
    "E19": "forms of alignment: aid without alliance for a secure ruler, tacit alignment, neutrality by "
           "treaty, both patrons (off: alliance or none)",
    "E20": "army loyalty and power grabs: cancelled/rigged elections, self-coups, purges, defection "
           "(off: a loyal army, elections always held)",
    "E21": "negative instruments: sanctions, blockades, extraction, withdrawn aid (off: ignored)",
    # issue #11
    "E20s": "structural army loyalty: the army's loyalty reverts to the client's own level "
            "(army_loyalty), under a new ruler too (coup trap), and its disloyal share backs the "
            "officers' coup attempts (off: full loyalty; a new ruler's army is loyal)",
    "E21h": "a donor stops paying the state (faction: ruling items) and defending the ruler while "
            "that ruler is allied with another patron (off: aid to the state follows whoever "
            "rules)",
    "E22": "a patron's forces defend the ruler (intervention, armed backing of the incumbent) (off: the "
           "ruler's backing ignored in coups and unrest)",
    "Y13": "threats with a source and per-target severity; a threat to the client alone counts fully "
           "(off: single-target weight, no source penalty)",
    # issue #11 (session 11)
    "E13b": "non-alignment keeps every bidder: aligning with one patron forfeits its rivals' aid to the "
            "state (E21h), which the ruler weighs as it weighs a patron's support for security (off: "
            "the choice ignores it; also off with E21h or E8)",
    "E20r": "a rigged election the ruler kept adds the backlash of a cancelled one (grab_discontent) "
            "to public discontent, so unrest can oust it in that period (Tucker 2007) (off: rigging "
            "shifts the count only)",
    # issue #11 (session 12)
    "E20f": "the period of a stolen count (E20r) is a focal point: the ruler's repression does not deter "
            "the unrest that can oust it then (off: the stolen count only adds discontent)",
    # issue #11 (session 13)
    "E1m": "a ruler the voters or the crowd put in starts with a mandate: a honeymoon of mass support "
           "(mandate_weight logits) that fades at the rate of broad support (off: a new ruler has "
           "only its faction's support)",
    # issue #11 (session 14)
    "E20j": "a ruler that seized power by a coup is not voted out at the scheduled elections (it "
            "suspended the constitution they belong to) until a ruler not installed by force takes "
            "over; it leaves by counter-coup, unrest or a scripted hand-over (off: a junta faces the "
            "calendar)",
    # issue #11 (session 10)
    "Y14": "disparity acts through the gap's narrowing since the alliance began: the patron's discipline "
           "of a closing ally and the ally's counterweight (off: counterweight by the gap's level, no "
           "dominance crisis)",
    # issue #11 (session 11)
    "Y15": "a client's dated challenge to its patron's leadership raises the patron's discipline as the "
           "gap narrows (refines Y14; off: challenges ignored)",
    "Y19": "an ally's challenge (Y15) is as dangerous as the gap's narrowing in whichever of the first three "
           "fields of power (military, economic, ideological appeal) the ally closed most (off: the composite alone)",
    "Y13p": "the patron's side of formation reads the common enemy: a threat aimed at both members "
            "counts fully, one aimed at either alone at the single-target weight (off: the patron "
            "accepts on the client's dyad threat)",
    # issue #11 (session 12)
    "E9s": "H2's security term is the security aligning buys the ruler over the commitment horizon: "
           "the fall in its cumulative hazard of losing power from its support (and, with E10, the "
           "alliance's relief) (E.security_gain) (off: the horizon precarity without outside "
           "support)",
    "Y16": "talks: once the client has chosen a patron and the patron is willing, the treaty is "
           "negotiated; the parties' mistrust (Y10) slows its conclusion instead of lowering the "
           "patron's willingness, and the threat overcomes it; talks opened when the option opens "
           "mid-period have the rest of it (off: a willing patron's treaty is concluded in the period "
           "it is chosen)",
    "E21c": "an ally's negative instruments aimed at the ruler's own faction (not the state) are an "
            "affront the ruler answers with a crisis of the alliance, at the pressure's damage share "
            "a year (off: the ally's pressure only costs support and appeal, E21)",
    # issue #11 (session 13)
    "E11m": "money a state raised on a bond market (support items with market: true) builds no ambition "
            "(E11): it counts for H1 like any money, but no patron handed over a surplus (off: it builds "
            "ambition like a patron's aid)",
    "Y17": "treaty terms: where a dated term of a client's treaty with its patron ends (treaty_terms), "
           "the alliance lapses unless both sides renew it, each deciding afresh on the present threat, "
           "disparity and support as at a formation (off: treaties run until a crisis or an exit ends "
           "them)",
    # issue #11 (session 14)
    "E8g": "a patron's support is a costly signal that dispels the ruler's mistrust of it: a ruler that "
           "rose to power in the scenario brings the state's mistrust (Y10) of a patron to the treaty talks "
           "scaled by the share of its support that did not come from that patron's backing of it by name "
           "(M.trusted_mistrust) (off: the state's mistrust whoever rules; also off with E8)",
    "Y18": "the patron tolerates a staying ally's defiance in proportion to its tolerance of allies' "
           "autonomy and its lack of a lever, the E12 coup it could instigate (Y.tolerate_without_lever); "
           "it still punishes an exit and its own move against a rising ally (off: Y3/Y12 alone decide "
           "punish, expel, tolerate)",
    "Y21": "the parties' mistrust slows the talks (Y16) by its log-odds on the patron's whole will to ally, "
           "an H1 stake included (Y.talks_conclusion_given_will) (off: the talks' pace reads paper Y's "
           "formation probability alone, however willing the stake makes the patron)",
    # issue #11 (session 14)
    "E21b": "a donor that does not tolerate defiance (tolerance below 0.5) does not pay the state "
            "(faction: ruling items) nor defend the ruler while the ruling faction is averse to it "
            "(affinity below 0; aid follows alignment) (refines E21h; off with E21h or E14) (off: aid to "
            "the state follows whoever rules unless it is allied elsewhere)",
    # issue #11 (session 15)
    "E2t": "a patron's commitment to back a challenger's armed action counts in a coup only through "
           "the army's disloyal share (M.coup_backing): a coup is made with the state's armed forces, "
           "not against a loyal army (Powell & Thyne 2011; Singh 2014) (off: the whole commitment "
           "backs the attempt and the putsch; also off with E20)",
    "Y24": "Y7's budget bounds paper Y's structural will to ally, not H1's stake of a patron whose support "
           "raised the ruler (off: the affordability scales both)",
    "E13p": "a rivalry relation between patrons (a patron's rivals list; a pair is rivals only if each "
            "lists the other; M.rivalry): E21h stops a donor's aid only to a government in a rival's "
            "camp, and E13b forfeits only the rivals' aid (off, or no rivals list: every other patron "
            "is a rival)",
    "Y22": "a patron's loss of ideological appeal is a legitimacy shock to its allies' rulers: in the period "
           "the appeal falls, the ally's defiance (a crisis) has the yearly probability drop x the ruler's "
           "affinity to the patron x the share of the people not backing the ruler "
           "(Y.legitimacy_shock_defiance) (off: the appeal acts on the disparity only)",
    "E23": "the ambition a period's surplus support builds (E11) acts on the split hazard from the next "
           "period: the hazard reads the stock at the start of the period (off: the same period's surplus "
           "already counts)",
}

#: Mechanisms added by issues #10 and #11 (all of them off reproduces the engine before #10).
NEW_MECHANISMS: frozenset[str] = frozenset({"E1m", "E2t", "E9s", "E13b", "E18", "E19", "E20", "E20f", "E20j", "E20r", "E20s", "E21",
                                            "E21c",
                                            "E21h", "E22", "Y13", "Y13p", "Y14", "Y15", "Y16",
                                            "Y17", "E11m", "Y18", "Y21",
                                            "E8g", "E21b", "Y19", "Y24", "E13p", "Y22", "E23"})

_NU = 11  # uniforms drawn per (run, client) per period

#: The steps of one period, in order (docs/theory.md, "One period").
STEPS = (support_paid, pressure_and_defence, mass_support, contests, precarity, army_loyalty, alignment,
         alliance_dynamics, forms)


@dataclass
class SimResult:
    """Raw outputs of one simulation (arrays indexed ``[period, run, client]``)."""

    ruling: np.ndarray        # (T, R, C) int faction index
    aligned: np.ndarray       # (T, R, C) int patron index, P = non-aligned
    atype: np.ndarray         # (T, R, C) int index of Y.ALLIANCE_TYPES
    precarity: np.ndarray     # (T, R, C) float, after alliance relief
    ruler_share: np.ndarray   # (T, R, C) float, mass support of the ruling faction
    first: dict[str, np.ndarray]   # kind -> (R, C) first period index, -1 if never
    by: dict[str, np.ndarray]      # kind -> (R, C, L) bool: ever happened with that label
    #: kind -> (R, C, L) first period index of the event with that label, -1 if never
    first_label: dict[str, np.ndarray] | None = None
    #: (T, R, C) H2's precarity of the ruler without outside support over the commitment horizon
    #: (what the alignment choice uses); zeros in light runs
    prec_alone: np.ndarray = field(default_factory=lambda: np.zeros((0, 0, 0)))
    #: (T, R, C) alignment form (index of ``theory.mechanisms.FORMS``), its patron and the second
    #: patron of form ``both`` (P = none); the army's loyalty to the ruler (E19, E20)
    form: np.ndarray | None = None
    partner: np.ndarray | None = None
    second: np.ndarray | None = None
    army_loyalty: np.ndarray | None = None


def simulate(comp: Compiled, params: ModelParams, runs: int, rng: np.random.Generator,
             disable: frozenset[str] = frozenset(), *, light: bool = False) -> SimResult:
    """Run ``runs`` Monte Carlo histories of the compiled scenario (see ``docs/theory.md``).

    ``light=True`` (used for driver reruns) skips what only the reports need (events, Table 1 types,
    the reported precarity); ruling and alignment histories are identical to a full run.
    """
    return _run(SimContext.build(comp, params, runs, frozenset(disable), light), rng)


def simulate_many(comp: Compiled, params_list: Sequence[ModelParams], runs: int, rng: np.random.Generator,
                  disable: frozenset[str] = frozenset(), *, light: bool = False) -> SimResult:
    """``len(params_list) * runs`` histories in one call: runs ``k * runs`` to ``(k + 1) * runs - 1``
    use ``params_list[k]`` and are bit-for-bit ``simulate(comp, params_list[k], runs, rng)`` with a
    generator in the same state (:mod:`._batch`; :func:`split_result` cuts them apart).

    The sets may differ only in :data:`._batch.VARYING` (the posterior's free parameters); ``comp``
    is compiled with any of them (compilation reads none of those fields).
    """
    batch = make_batch(params_list, runs)
    ctx = SimContext.build(comp, params_list[0], batch.sets * runs, frozenset(disable), light, batch=batch)
    return _run(ctx, rng)


def split_result(res: SimResult, sets: int) -> list[SimResult]:
    """The ``sets`` equal blocks of runs of a :func:`simulate_many` result (views, no copies)."""
    R = res.ruling.shape[1]
    if sets < 1 or R % sets:
        raise ValueError(f"{R} runs do not split into {sets} equal blocks")
    n = R // sets

    def cut(k: int) -> SimResult:
        sl = slice(k * n, (k + 1) * n)
        per_period = {f: getattr(res, f)[:, sl] for f in ("ruling", "aligned", "atype", "precarity",
                                                            "ruler_share", "form", "partner", "second",
                                                            "army_loyalty")
                      if getattr(res, f) is not None}
        alone = res.prec_alone[:, sl] if res.prec_alone.ndim == 3 and res.prec_alone.shape[1] == R \
            else res.prec_alone
        return replace(res, **per_period, prec_alone=alone, first={k_: v[sl] for k_, v in res.first.items()},
                       by={k_: v[sl] for k_, v in res.by.items()},
                       first_label=None if res.first_label is None else
                       {k_: v[sl] for k_, v in res.first_label.items()})

    return [cut(k) for k in range(sets)]


def _run(ctx: SimContext, rng: np.random.Generator) -> SimResult:
    """The period loop of one simulation context."""
    comp = ctx.comp
    R, C, F, P = ctx.shape
    T = len(comp.periods)
    st = RunState.start(ctx)
    rec = Recorder(R, C, max(F, P), ctx.light)
    out = Outputs(T, R, C)
    rng_new = rng.spawn(1)[0]            # the added mechanisms' own stream (common random numbers)
    rng_exit = rng.spawn(1)[0]           # E18's persistent taste shocks: a third stream
    rng_talks = rng.spawn(1)[0]          # Y16's conclusion of talks: a fourth stream
    rng_renew = rng.spawn(1)[0]          # Y17's renewal at a treaty's term: a fifth stream
    for t in range(T):
        pv = PeriodVars.draw(t, ctx, rng, _NU, rng_new, NV, rng_exit, rng_talks, rng_renew)
        for step in STEPS:
            step(ctx, st, pv, rec)
        record(ctx, st, pv, out)
    return SimResult(ruling=out.ruling, aligned=out.aligned, atype=out.atype, precarity=out.precarity,
                     ruler_share=out.ruler_share, first=rec.first, by=rec.by,
                     first_label=rec.first_label,
                     prec_alone=out.prec_alone,
                     form=out.form, partner=out.partner, second=out.second, army_loyalty=out.army_loyalty)
