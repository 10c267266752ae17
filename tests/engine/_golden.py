"""Golden outputs of ``simulate`` recorded before the loop was split into steps (issue #10).

``python -m tests.engine._golden`` (from the repository root) rewrites ``golden_simulate.json``; only do
that for a deliberate change of the model's numbers, and say so in the commit. ``digests()`` computes the
same digests from the current code, so a test can compare them.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from alliancelab.engine import compile_scenario, simulate
from alliancelab.scenario import builtin_case_ids, load_scenario
from alliancelab.theory.params import ModelParams

REPO = Path(__file__).resolve().parents[2]
FILE = Path(__file__).with_name("golden_simulate.json")
RUNS = 300
SEED = 20261201
EXAMPLES = ("civil_war", "contested_election", "patron_turns")
#: Event kinds before issue #10 (the digest covers those).
OLD_KINDS = ("election_won", "coup_attempted", "coup_succeeded", "ousted_by_unrest", "alliance_formed",
             "aid_without_alliance", "split", "punishment", "expulsion", "realignment", "alliance_left")
#: Mechanism switches before issue #10.
OLD_MECHANISMS = ("E2", "E3", "E4", "E5", "E6", "E8", "E9", "E10", "E11", "E12", "E13", "E14", "E17",
                  "Y2", "Y3", "Y4", "Y5", "Y6", "Y7", "Y8", "Y10", "Y12")
#: Cases rerun with each mechanism switched off in turn (every branch of the loop).
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


def _scenarios() -> dict[str, object]:
    out = {c: load_scenario(c) for c in builtin_case_ids()}
    for e in EXAMPLES:
        out[e] = load_scenario(REPO / "examples" / f"{e}.yaml")
    return out


def digests(names: list[str] | None = None) -> dict[str, str]:
    """Digest of every recorded configuration (``<scenario>|<variant>``)."""
    params = ModelParams()
    out: dict[str, str] = {}
    for name, sc in _scenarios().items():
        comp = compile_scenario(sc, params)
        variants: dict[str, tuple[frozenset[str], bool]] = {"full": (frozenset(), False),
                                                            "light": (frozenset(), True)}
        if name in ABLATED:
            variants.update({f"off:{m}": (frozenset({m}), False) for m in OLD_MECHANISMS})
            variants["off:all"] = (frozenset(OLD_MECHANISMS), False)
        for v, (off, light) in variants.items():
            key = f"{name}|{v}"
            if names is not None and key not in names:
                continue
            res = simulate(comp, params, RUNS, np.random.default_rng(SEED), off, light=light)
            out[key] = _digest(res)
    return out


if __name__ == "__main__":
    FILE.write_text(json.dumps(digests(), indent=1, sort_keys=True) + "\n")
    print(f"wrote {FILE}")
