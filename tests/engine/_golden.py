"""Golden outputs of ``simulate`` (issue #10: splitting the loop into steps changed no number).

Two references, both with issue #10's mechanisms switched off in the engine under test:

* ``_reference_loop.simulate``: the loop as it was before the split (verbatim copy), run live on the
  current inputs (the built-in cases change as the case library fixes leakage);
* ``golden_simulate.json``: digests recorded from that loop for the examples (stable inputs).
  ``python -m tests.engine._golden`` rewrites it from the reference loop.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Callable

import numpy as np

from alliancelab.engine import compile_scenario
from alliancelab.scenario import load_scenario
from alliancelab.theory.params import ModelParams

from . import _reference_loop

REPO = Path(__file__).resolve().parents[2]
FILE = Path(__file__).with_name("golden_simulate.json")
RUNS = 300
SEED = 20261201
PAPER_CASES = ("grand-alliance-1941", "italy-1948", "poland-hungary-1956", "sino-soviet-1950",
               "yugoslavia-1948")
EXAMPLES = ("civil_war", "contested_election", "patron_turns")
#: Event kinds before issue #10 (the digest covers those).
OLD_KINDS = ("election_won", "coup_attempted", "coup_succeeded", "ousted_by_unrest", "alliance_formed",
             "aid_without_alliance", "split", "punishment", "expulsion", "realignment", "alliance_left")
#: Mechanism switches before issue #10.
OLD_MECHANISMS = ("E2", "E3", "E4", "E5", "E6", "E8", "E9", "E10", "E11", "E12", "E13", "E14", "E17",
                  "Y2", "Y3", "Y4", "Y5", "Y6", "Y7", "Y8", "Y10", "Y12")
#: Scenarios rerun with each mechanism switched off in turn (every branch of the loop).
ABLATED = ("italy-1948", "yugoslavia-1948")


def _digest(res) -> str:  # noqa: ANN001
    h = hashlib.sha256()
    for name in ("ruling", "aligned", "atype", "precarity", "ruler_share"):
        a = np.ascontiguousarray(getattr(res, name))
        h.update(name.encode())
        h.update(np.round(a.astype(np.float64), 12).tobytes())
    for kind in sorted(OLD_KINDS):
        h.update(kind.encode())
        h.update(np.ascontiguousarray(res.first[kind]).astype(np.int64).tobytes())
        h.update(np.ascontiguousarray(res.by[kind]).astype(np.uint8).tobytes())
    return h.hexdigest()


def _pre_issue10(sc):  # noqa: ANN001, ANN202
    """The case in the schema the reference loop knows: support to whichever faction rules
    (``faction: ruling``, issue #10; the case library's rule for aid to a state) is given to the
    starting incumbent instead, for both engines alike, so the comparison still covers every branch."""
    from alliancelab.scenario import Scenario

    d = sc.model_dump(by_alias=True)
    if not any(it["faction"] == "ruling" for it in d["support"]):
        return sc
    for it in d["support"]:
        if it["faction"] == "ruling":
            client = d["clients"][it["client"] or next(iter(d["clients"]))]
            it["faction"] = next(f for f, fa in client["factions"].items() if fa["incumbent"])
    return Scenario.model_validate(d)


def scenarios(which: str) -> dict[str, object]:
    """``"cases"``: the papers' five built-in cases; ``"examples"``: the example files."""
    if which == "cases":
        return {c: _pre_issue10(load_scenario(c)) for c in PAPER_CASES}
    return {e: load_scenario(REPO / "examples" / f"{e}.yaml") for e in EXAMPLES}


def digests(sim: Callable, which: str) -> dict[str, str]:
    """Digest of every configuration ``<scenario>|<variant>`` simulated with ``sim``."""
    params = ModelParams()
    out: dict[str, str] = {}
    for name, sc in scenarios(which).items():
        comp = compile_scenario(sc, params)
        variants: dict[str, tuple[frozenset[str], bool]] = {"full": (frozenset(), False),
                                                            "light": (frozenset(), True)}
        if name in ABLATED:
            variants.update({f"off:{m}": (frozenset({m}), False) for m in OLD_MECHANISMS})
            variants["off:all"] = (frozenset(OLD_MECHANISMS), False)
        for v, (off, light) in variants.items():
            res = sim(comp, params, RUNS, np.random.default_rng(SEED), off, light=light)
            out[f"{name}|{v}"] = _digest(res)
    return out


if __name__ == "__main__":
    FILE.write_text(json.dumps(digests(_reference_loop.simulate, "examples"), indent=1, sort_keys=True) + "\n")
    print(f"wrote {FILE}")
