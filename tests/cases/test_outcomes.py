"""The outcome evaluator reads the timing and ``by`` limits from the event *with the named label*."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from alliancelab.cases.expected import Expectation
from alliancelab.cases.outcomes import criterion_mask, evaluate, first_with_label
from alliancelab.engine._state import EVENT_KINDS, Recorder

PATRONS = ["USA", "USSR"]


def _fc(rec: Recorder, runs: int) -> SimpleNamespace:
    T = 4
    res = SimpleNamespace(first=rec.first, by=rec.by, first_label=rec.first_label,
                          ruling=np.zeros((T, runs, 1), dtype=int), aligned=np.zeros((T, runs, 1), dtype=int))
    return SimpleNamespace(result=res, runs=runs, clients=["X"], patrons=PATRONS,
                           factions=[["Ruler", "Rebels"]], periods=["1950", "1951", "1952", "1953"])


def _recorder_other_patron_first() -> Recorder:
    """Run 0: an alliance with the USA in period 0, then with the USSR in period 2.
    Run 1: an alliance with the USSR in period 1 only. Run 2: no alliance at all."""
    runs = 3
    rec = Recorder(runs, 1, 2, light=False)
    lab = np.zeros((runs, 1), dtype=int)
    rec("alliance_formed", np.array([[True], [False], [False]]), lab, 0)           # USA, run 0
    rec("alliance_formed", np.array([[False], [True], [False]]), lab + 1, 1)       # USSR, run 1
    rec("alliance_formed", np.array([[True], [False], [False]]), lab + 1, 2)       # USSR, run 0
    rec("alliance_formed", np.array([[True], [True], [False]]), lab + 1, 3)        # USSR again: not first
    return rec


def test_first_with_label_ignores_an_earlier_event_with_another_patron() -> None:
    rec = _recorder_other_patron_first()
    res = SimpleNamespace(first=rec.first, by=rec.by, first_label=rec.first_label)
    # the kind's first period is 0 in run 0 (the USA), but the USSR's first is period 2
    assert rec.first["alliance_formed"][:, 0].tolist() == [0, 1, -1]
    assert first_with_label(res, "alliance_formed", 0, 1).tolist() == [2, 1, -1]
    assert first_with_label(res, "alliance_formed", 0, 0).tolist() == [0, -1, -1]


def test_timing_uses_the_named_patrons_first_event() -> None:
    rec = _recorder_other_patron_first()
    fc = _fc(rec, 3)
    exp = Expectation(case="x", paper="library", expected="-", criteria=(), source="-", year=1952,
                      timing={"kind": "alliance_formed", "label": "USSR"})
    ev = evaluate(fc, exp)
    assert ev.event_first.tolist() == [2, 1, -1]


def test_by_limit_uses_the_named_patrons_first_event() -> None:
    rec = _recorder_other_patron_first()
    fc = _fc(rec, 3)
    # by 1951: run 0's USSR alliance came in 1952 (its USA alliance in 1950 does not count), run 1's in 1951
    crit = {"type": "event", "kind": "alliance_formed", "label": "USSR", "by": "1951"}
    assert criterion_mask(fc, crit).tolist() == [False, True, False]
    crit = {"type": "never", "kind": "alliance_formed", "label": "USSR", "until": "1951"}
    assert criterion_mask(fc, crit).tolist() == [True, False, True]


def test_recorder_first_label_matches_first_for_single_label_histories() -> None:
    rng = np.random.default_rng(3)
    runs, T = 50, 6
    rec = Recorder(runs, 2, 3, light=False)
    for t in range(T):
        for kind in EVENT_KINDS:
            rec(kind, rng.random((runs, 2)) < 0.2, np.ones((runs, 2), dtype=int), t)
    for kind in EVENT_KINDS:
        assert np.array_equal(rec.first_label[kind][:, :, 1], rec.first[kind])
        assert (rec.first_label[kind][:, :, [0, 2]] == -1).all()
