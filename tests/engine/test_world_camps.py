"""Camps in known years: the chain rule, and the scoring against the reference partitions."""

from __future__ import annotations

import numpy as np

from alliancelab.engine.world_camps import REFERENCE, camp_of, score_camps


def test_camp_follows_the_chain_of_alignments_to_an_anchor():
    states = ["A", "B", "C", "D", "E"]
    patrons = ["A", "B", "E"]                 # A and E anchor two camps; B is a patron of C
    modal = np.array([3, 0, 1, 3, 3])          # B -> A, C -> B, D and E aligned with no one
    camps = camp_of(states, patrons, modal, {"x": ["A"], "y": ["E"]})
    assert camps == {"A": "x", "B": "x", "C": "x", "D": "neutral", "E": "y"}


def test_reference_partitions_are_disjoint():
    for ref in REFERENCE.values():
        names = [s for v in (*ref["anchors"].values(), *ref["camps"].values()) for s in v]
        assert len(names) == len(set(names))


def test_score_1914_lists_every_state(shared_data_dir):
    res = score_camps(1914, data_dir=shared_data_dir, runs=50, seed=0)
    assert res["data_year"] == 1913 and res["scored"] >= 20
    by = {r["state"]: r for r in res["rows"]}
    assert by["ITA"]["reference"] == "neutral" and by["UKG"]["reference"] == "entente"
    assert res["n_errors"] == len(res["errors"]) <= res["scored"]
