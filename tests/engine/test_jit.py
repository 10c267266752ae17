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

from alliancelab.engine import compile_scenario
from alliancelab.engine._simulate import simulate_many
from alliancelab.engine.world import compile_world, default_params, synthetic_world
from alliancelab.scenario import load_scenario

from .test_batch import _sets
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
    assert _jit.armed_backing_conditions(np.zeros((2, 3), np.int16), np.zeros((2, 3, 2), bool),
                                         np.zeros((4, 3, 3, 2)), np.zeros((2, 3), int), None, np.ones((3, 2)),
                                         np.ones((3, 3), bool)) is None
    assert _compiled.pick(x, np.full((2, 3), 3)).tolist() == [[3.0, 7.0, 11.0], [15.0, 19.0, 23.0]]


@needs_numba
def test_simulations_identical_with_and_without_the_kernels(monkeypatch: pytest.MonkeyPatch) -> None:
    configs = _configs()
    fast = [_digest(c, p, light, off) for c, p, light, off in configs]
    monkeypatch.setattr(_compiled, "ENABLED", False)
    plain = [_digest(c, p, light, off) for c, p, light, off in configs]
    assert fast == plain


def _worlds() -> list[tuple[object, object, bool, frozenset[str]]]:
    """Worlds with 1, 2 and 4 patrons (the E19 forms kernel runs up to 3), full and light, E12 off."""
    wp = default_params()
    out = []
    for C, P, F, T, seed in ((20, 2, 3, 8, 1), (9, 4, 4, 6, 7), (8, 1, 2, 5, 3)):
        comp = compile_world(synthetic_world(n_states=C, n_patrons=P, n_factions=F, periods=T, seed=seed), wp)
        out += [(comp, wp, False, frozenset()), (comp, wp, True, frozenset({"E12"}))]
    return out


@needs_numba
def test_worlds_identical_with_and_without_the_kernels(monkeypatch: pytest.MonkeyPatch) -> None:
    configs = _worlds()
    fast = [_digest(c, p, light, off) for c, p, light, off in configs]
    monkeypatch.setattr(_compiled, "ENABLED", False)
    assert fast == [_digest(c, p, light, off) for c, p, light, off in configs]


@needs_numba
def test_batched_simulation_identical_with_and_without_the_kernels(monkeypatch: pytest.MonkeyPatch) -> None:
    comp = compile_scenario(load_scenario("yugoslavia-1948"), _sets()[0])

    def run() -> list[bytes]:
        res = simulate_many(comp, _sets(), 60, np.random.default_rng(3))
        return [np.ascontiguousarray(getattr(res, k)).tobytes() for k in ("ruling", "aligned", "prec_alone",
                                                                            "army_loyalty")]
    fast = run()
    monkeypatch.setattr(_compiled, "ENABLED", False)
    assert fast == run()


def test_without_numba_at_import_the_numpy_path_gives_the_same_numbers() -> None:
    """``ALLIANCELAB_NUMBA=0`` makes the import fail over to numpy, as a machine without numba does."""
    import os
    import subprocess
    import sys

    code = ("import numpy as np, hashlib; from alliancelab import _compiled; "
            "from alliancelab.engine._simulate import simulate; "
            "from alliancelab.engine.world import compile_world, default_params, synthetic_world; "
            "p = default_params(); c = compile_world(synthetic_world(n_states=10, periods=5, seed=2), p); "
            "r = simulate(c, p, 50, np.random.default_rng(1)); "
            "print(_compiled.ENABLED, hashlib.sha256(r.ruling.tobytes() + r.aligned.tobytes() "
            "+ r.prec_alone.tobytes()).hexdigest())")
    out = {}
    for flag in ("0", "1"):
        env = {**os.environ, "ALLIANCELAB_NUMBA": flag}
        out[flag] = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                                   check=True).stdout.split()
    assert out["0"][0] == "False"
    assert out["1"][0] == str(_compiled.njit is not None)
    assert out["0"][1] == out["1"][1]
