"""Hypothesis strategies shared by the paper-E property tests (no tests here)."""

from __future__ import annotations

from dataclasses import fields

import numpy as np
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from alliancelab.theory.elite import EliteParams
from alliancelab.theory.instruments import INSTRUMENTS, MASS_INSTRUMENTS

PROPERTY = settings(max_examples=60, deadline=None)
TOL = 1e-9

N_I = len(INSTRUMENTS)
MASS = [INSTRUMENTS.index(n) for n in MASS_INSTRUMENTS]
COMMIT = INSTRUMENTS.index("armed_action_commitment")
GESTURE = INSTRUMENTS.index("diplomatic_gesture")
MILITARY = INSTRUMENTS.index("military_aid")

#: largest support amount drawn, million USD per period (above the Marshall Plan's yearly flow to Italy)
MAX_AMOUNT = 1e4


def unit(lo: float = 0.0, hi: float = 1.0) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


@st.composite
def elite_params(draw: st.DrawFn) -> EliteParams:
    """Any valid :class:`EliteParams` (every field drawn from its documented range)."""
    kw = {}
    for f in fields(EliteParams):
        lo, hi = f.metadata["range"]
        kw[f.name] = draw(unit(lo, hi))
    if kw["stock_decay_narrow"] < kw["stock_decay_broad"]:
        kw["stock_decay_narrow"], kw["stock_decay_broad"] = kw["stock_decay_broad"], kw["stock_decay_narrow"]
    return EliteParams(**kw)


def arrays(shape: tuple[int, ...], lo: float, hi: float) -> st.SearchStrategy[np.ndarray]:
    return hnp.arrays(np.float64, shape, elements=unit(lo, hi))


@st.composite
def dims(draw: st.DrawFn, max_runs: int = 3) -> tuple[int, int, int]:
    """(runs, factions, patrons)."""
    return (draw(st.integers(1, max_runs)), draw(st.integers(2, 4)), draw(st.integers(1, 3)))


@st.composite
def support_arrays(draw: st.DrawFn, shape: tuple[int, int, int]) -> np.ndarray:
    """A valid ``(R, F, P, I)`` support array: amounts >= 0, commitment in [0, 1], gesture in [-1, 1]."""
    r, f, p = shape
    s = draw(arrays((r, f, p, N_I), 0.0, MAX_AMOUNT))
    s[..., COMMIT] = draw(arrays((r, f, p), 0.0, 1.0))
    s[..., GESTURE] = draw(arrays((r, f, p), -1.0, 1.0))
    return s


@st.composite
def faction_state(draw: st.DrawFn, shape: tuple[int, int]) -> dict[str, np.ndarray]:
    """Shares (sum 1 over active), coercion, incumbent index and active mask for ``(R, F)``."""
    r, f = shape
    raw = draw(arrays((r, f), 0.01, 1.0))
    n_active = draw(st.integers(2, f))
    active = np.zeros((r, f), dtype=bool)
    active[:, :n_active] = True
    raw = np.where(active, raw, 0.0)
    shares = raw / raw.sum(axis=-1, keepdims=True)
    coercion = draw(arrays((r, f), 0.0, 2.0))
    incumbent = np.array(draw(st.lists(st.integers(0, n_active - 1), min_size=r, max_size=r)))
    return {"shares": shares, "coercion": coercion, "incumbent": incumbent, "active": active}
