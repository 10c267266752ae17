"""The compiled kernels (``_compiled.py``, ``engine/_jit.py``; numba) give the numpy path's bytes: kernel by kernel on
awkward inputs (negative entries, -0.0, ties, broadcast operands), and whole simulations with the
kernels on and off (the path a machine without numba takes)."""

from __future__ import annotations

import numpy as np
import pytest

from alliancelab import _compiled
from alliancelab.engine import _jit
from alliancelab.engine._state import onehot, sample
from alliancelab.theory import mechanisms as M

from .test_fast_paths import _configs, _digest

needs_numba = pytest.mark.skipif(_compiled.njit is None, reason="numba is not installed")


def _awkward(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    x = rng.choice([-0.5, -0.0, 0.0, 0.25, 0.7, 1.0, 1.5], size=shape)
    return np.where(rng.random(shape) < 0.5, rng.normal(0.3, 0.6, shape), x)


def _same(a: np.ndarray, b: np.ndarray) -> None:
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape and a.dtype == b.dtype
    assert np.ascontiguousarray(a).tobytes() == np.ascontiguousarray(b).tobytes()


@needs_numba
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gather_and_pick_equal_fancy_indexing(seed: int) -> None:
    rng = np.random.default_rng(seed)
    R, C, F, P = 7, 5, 3, 2
    idx = rng.integers(0, F, (R, C))
    for x in (_awkward(rng, (R, C, F)), rng.integers(-3, 9, (R, C, F)).astype(np.int16),
              rng.random((R, C, F)) < 0.5, _awkward(rng, (R, C, F, P))):
        rr, cc = np.arange(R)[:, None], np.arange(C)[None, :]
        _same(_compiled.gather(x, idx), x[rr, cc, idx])
    pidx = rng.integers(0, P, (R, C))
    for x in (_awkward(rng, (C, P)), _awkward(rng, (1, C, P)), _awkward(rng, (R, C, P)),
              rng.random((R, C, P)) < 0.5):
        want = np.take_along_axis(np.broadcast_to(x, (R, C, P)), pidx[..., None], -1)[..., 0]
        _same(_compiled.pick(x, pidx), want)


@needs_numba
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_rival_backing_equals_the_theory_kernel(seed: int) -> None:
    rng = np.random.default_rng(seed)
    R, C, F, P = 9, 4, 3, 2
    received = _awkward(rng, (R, C, F, P))
    received[0, 0] = -0.0                          # a client that was paid nothing at all
    ruling = rng.integers(0, F, (R, C))
    _same(_jit.rival_backing(received, ruling),
          M.rival_backing(received, ruling[..., None] == np.arange(F)))


@needs_numba
@pytest.mark.parametrize("seed", [0, 1])
def test_onehot_and_sample_equal_numpy(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(seed)
    R, C, K = 11, 6, 3
    idx = rng.integers(0, K + 1, (R, C))                 # index K: all False
    probs = rng.dirichlet(np.ones(K), (R, C))
    probs[0, 0] = 0.0                                   # an all-zero row
    probs[1, :, 1] = 0.0
    u = rng.random((R, C, 2))[..., 1]                   # a strided view, as the engine passes
    fast = onehot(idx, K), sample(probs, u)
    monkeypatch.setattr(_compiled, "ENABLED", False)
    _same(fast[0], onehot(idx, K))
    _same(fast[0], idx[..., None] == np.arange(K))
    _same(fast[1], sample(probs, u))


def test_kernels_switched_off_run_numpy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_compiled, "ENABLED", False)
    x = np.arange(24.0).reshape(2, 3, 4)
    assert _compiled.gather(x, np.zeros((2, 3), dtype=int)) is None
    assert _jit.armed_backing(np.zeros((2, 3, 4, 2)), np.zeros((4, 3, 3, 2)), np.zeros((2, 3), int),
                              None, np.ones((3, 2)), np.ones((3, 3), bool)) is None
    assert _compiled.pick(x, np.full((2, 3), 3)).tolist() == [[3.0, 7.0, 11.0], [15.0, 19.0, 23.0]]


@needs_numba
def test_simulations_identical_with_and_without_the_kernels(monkeypatch: pytest.MonkeyPatch) -> None:
    configs = _configs()
    fast = [_digest(c, p, light, off) for c, p, light, off in configs]
    monkeypatch.setattr(_compiled, "ENABLED", False)
    plain = [_digest(c, p, light, off) for c, p, light, off in configs]
    assert fast == plain
