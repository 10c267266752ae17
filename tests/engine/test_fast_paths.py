"""The engine's speed-ups change no number: with every one of them swapped back for the plain numpy
it replaced (per-run payment patterns, ``x.sum(-1)``, ``take_along_axis``, broadcast one-hots ...),
``simulate`` gives byte-identical outputs on cases and a synthetic world, every mechanism on
(issue 12: the speed work of ``engine/_support_table.py`` and ``theory/_axis.py``)."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from alliancelab.engine import _simulate, _state, compile_scenario
from alliancelab.engine import _steps_alliance as A
from alliancelab.engine import _steps_domestic as D
from alliancelab.engine import _steps_mechanisms as M
from alliancelab.engine.world import compile_world, default_params, synthetic_world
from alliancelab.scenario import load_scenario
from alliancelab.theory import _axis
from alliancelab.theory.elite import alignment, contest, support
from alliancelab.theory.params import ModelParams

_PLAIN_AXIS = {
    "sum_last": lambda x, keepdims=False: np.asarray(x).sum(axis=-1, keepdims=keepdims),
    "max_last": lambda x, keepdims=False: np.asarray(x).max(axis=-1, keepdims=keepdims),
    "prod_last": lambda x, keepdims=False: np.prod(np.asarray(x), axis=-1, keepdims=keepdims),
    "max_full": lambda x: np.asarray(x).max(axis=-1, keepdims=True),
    "sum_full": lambda x: np.asarray(x).sum(axis=-1, keepdims=True),
    "sum_axis": lambda x, axis: np.asarray(x).sum(axis=axis),
    "repeat_last": lambda r, n: r * np.ones(np.shape(r)[:-1] + (n,)),
}


def _take(x, idx):  # noqa: ANN001, ANN202
    ix = idx.reshape(idx.shape + (1,) * (x.ndim - idx.ndim))
    return np.take_along_axis(x, ix, axis=2)[:, :, 0]


def _onehot(idx, n):  # noqa: ANN001, ANN202
    return idx[..., None] == np.arange(n)


def _sample(probs, u):  # noqa: ANN001, ANN202
    cdf = np.cumsum(probs, axis=-1)
    return np.minimum((cdf < u[..., None] * cdf[..., -1:]).sum(axis=-1), probs.shape[-1] - 1)


def _contest_take(x, index):  # noqa: ANN001, ANN202
    idx = np.broadcast_to(np.asarray(index, dtype=np.intp), x.shape[:-1])[..., None]
    return np.take_along_axis(x, idx, axis=-1)[..., 0]


def _is_incumbent(shape, index):  # noqa: ANN001, ANN202
    idx = np.broadcast_to(np.asarray(index, dtype=np.intp), shape[:-1])
    return np.arange(shape[-1]) == idx[..., None]


def _per_run_patterns(code, sched, sched_ruling, ruler_bit, terms, *,  # noqa: ANN001, ANN202
                      cache=None, key=None, sets=None, per_patron=True):  # noqa: ANN001
    R = code.shape[0]
    flat = np.ascontiguousarray(code.reshape(R, -1).astype(np.uint8))
    rows = flat.view(np.dtype((np.void, flat.shape[1]))).ravel()
    _, rep, inv = np.unique(rows, return_index=True, return_inverse=True)
    return tuple(x[inv.reshape(R)] for x in terms(code[rep])) + (None, None)


def _plain(monkeypatch: pytest.MonkeyPatch) -> None:
    for mod in (_axis, contest, support, alignment, A, M):
        for name, fn in _PLAIN_AXIS.items():
            if hasattr(mod, name):
                monkeypatch.setattr(mod, name, fn)
    for mod in (_state, D, A, M):
        for name, fn in (("take", _take), ("onehot", _onehot), ("sample", _sample)):
            if hasattr(mod, name):
                monkeypatch.setattr(mod, name, fn)
    monkeypatch.setattr(contest, "_take", _contest_take)
    monkeypatch.setattr(contest, "_is_incumbent", _is_incumbent)
    monkeypatch.setattr(D, "support_by_code", _per_run_patterns)


def _digest(comp, params, light: bool, disable=frozenset()) -> str:  # noqa: ANN001
    res = _simulate.simulate(comp, params, 200, np.random.default_rng(11), frozenset(disable),
                             light=light)
    h = hashlib.sha256()
    for name in ("ruling", "aligned", "atype", "precarity", "ruler_share", "prec_alone", "form",
                 "partner", "second", "army_loyalty"):
        a = getattr(res, name)
        if a is not None:
            h.update(name.encode() + np.ascontiguousarray(a).tobytes())
    for kind in sorted(res.first):
        h.update(kind.encode() + res.first[kind].tobytes() + res.by[kind].tobytes())
    return h.hexdigest()


def _configs() -> list[tuple[object, ModelParams, bool, frozenset[str]]]:
    params = ModelParams()
    out = []
    for case in ("italy-1948", "yugoslavia-1948", "pakistan-1954"):
        comp = compile_scenario(load_scenario(case), params)
        out += [(comp, params, False, frozenset()), (comp, params, True, frozenset({"E12"}))]
    wp = default_params()
    world = synthetic_world(n_states=12, n_patrons=3, n_factions=3, periods=6, seed=4)
    out.append((compile_world(world, wp), wp, False, frozenset()))
    return out


def test_fast_paths_give_the_plain_numpy_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    configs = _configs()
    fast = [_digest(c, p, light, off) for c, p, light, off in configs]
    _plain(monkeypatch)
    plain = [_digest(c, p, light, off) for c, p, light, off in configs]
    assert fast == plain
