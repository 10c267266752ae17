"""Short-axis reductions (theory/_axis.py) give numpy's bits: sums in numpy's order (and its +0.0
for a row of -0.0), products, maxima, on contiguous, strided, reversed and broadcast arrays."""

from __future__ import annotations

import numpy as np
import pytest

from alliancelab.theory._axis import max_last, prod_last, sum_last

REFERENCE = {sum_last: lambda a, k: a.sum(-1, keepdims=k),
             max_last: lambda a, k: a.max(-1, keepdims=k),
             prod_last: lambda a, k: np.prod(a, -1, keepdims=k)}


def _views(x: np.ndarray) -> list[np.ndarray]:
    out = [x, np.asfortranarray(x), x[::-1], np.moveaxis(np.ascontiguousarray(np.moveaxis(x, -1, 0)), 0, -1),
           np.broadcast_to(x[:1], (3,) + x.shape)]
    wide = np.repeat(x[..., None], 2, axis=-1)
    out.append(wide[..., 1])
    return out


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("fn", list(REFERENCE))
def test_short_axis_reductions_equal_numpy_bit_for_bit(seed, fn):
    rng = np.random.default_rng(seed)
    n = 1 + seed % 9                                            # 1..9: both sides of numpy's 8
    shape = (int(rng.integers(1, 30)), int(rng.integers(1, 20)), n)
    x = rng.normal(size=shape) * 10.0 ** rng.integers(-6, 6, size=shape)
    x[rng.random(shape) < 0.15] = 0.0
    x[rng.random(shape) < 0.25] = -0.0
    x[0] = -0.0                                                 # a row of negative zeros
    for v in _views(x):
        for keep in (False, True):
            got, want = fn(v, keep), REFERENCE[fn](v, keep)
            assert got.shape == want.shape
            assert got.tobytes() == want.tobytes()


def test_non_float_and_one_dimensional_arrays_fall_back_to_numpy():
    b = np.array([[True, False, True], [False, False, False]])
    assert sum_last(b).tolist() == [2, 0]
    assert float(sum_last(np.array([1.0, 2.0, 3.0]))) == 6.0


@pytest.mark.parametrize("seed", range(6))
def test_sum_along_any_axis_and_full_shapes_equal_numpy(seed):
    from alliancelab.theory._axis import max_full, sum_axis, sum_full

    rng = np.random.default_rng(100 + seed)
    shape = tuple(int(v) for v in rng.integers(1, 10, 4))
    x = rng.normal(size=shape) * 10.0 ** rng.integers(-6, 6, size=shape)
    x[rng.random(shape) < 0.3] = -0.0
    for v in (x, np.asfortranarray(x), x[::-1]):
        for ax in range(-4, 4):
            assert sum_axis(v, ax).tobytes() == v.sum(axis=ax).tobytes()
        assert sum_full(v).tobytes() == np.broadcast_to(v.sum(-1, keepdims=True), v.shape).tobytes()
        assert max_full(v).tobytes() == np.broadcast_to(v.max(-1, keepdims=True), v.shape).tobytes()


def test_sampling_cdf_is_numpys_cumulative_sum():
    from alliancelab.engine._state import sample

    rng = np.random.default_rng(7)
    probs = rng.random((300, 4, 5))
    u = rng.random((300, 4))
    cdf = np.cumsum(probs, axis=-1)
    want = np.minimum((cdf < u[..., None] * cdf[..., -1:]).sum(axis=-1), 4)
    assert (sample(probs, u) == want).all()
