"""The batched likelihood (one engine call per case for many parameter sets) and the sampler's batched
path: the same numbers, bit for bit, as one evaluation per parameter set."""

from __future__ import annotations

import numpy as np

from alliancelab.calibration.likelihood import BLOB_FIELDS, CaseLikelihood
from alliancelab.calibration.sampler import (SamplerSettings, local_client, log_probability,
                                             log_probability_many, run_sampler)
from alliancelab.calibration.space import load_space

CASES = ("italy-1948", "yugoslavia-1948", "ghana-1957")


def _walkers(n: int, seed: int) -> np.ndarray:
    return load_space().initial(n, np.random.default_rng(seed))


def test_blob_many_equals_blob_per_set():
    space = load_space()
    params = [space.params(x) for x in _walkers(3, 11)]
    assert len({p.elite.security_weight for p in params}) == 3           # the sets differ
    cl = CaseLikelihood(CASES, 40, 5)
    many = cl.blob_many(params)
    assert many.shape == (3, len(BLOB_FIELDS) * len(CASES))
    for row, p in zip(many, params):
        assert row.tobytes() == cl.blob(p).tobytes()
    # the sets give different likelihoods (the batch does not evaluate one set three times)
    assert len({row[: len(CASES)].tobytes() for row in many}) == 3


def test_one_set_is_the_solo_blob():
    p = load_space().params(_walkers(1, 2)[0])
    cl = CaseLikelihood(CASES[:2], 30, 1)
    assert cl.blob_many([p])[0].tobytes() == cl.blob(p).tobytes()


def test_log_probability_many_equals_the_per_walker_function():
    xs = _walkers(4, 3)
    xs[1, 0] = load_space().parameters[0].x_box[1] + 1.0                  # outside the prior's support
    got = log_probability_many(xs, CASES[:2], 30, 9)
    for x, (lp, blob) in zip(xs, got):
        lp0, blob0 = log_probability(x, CASES[:2], 30, 9)
        assert lp == lp0 and np.array_equal(blob, blob0, equal_nan=True)
    assert got[1][0] == -np.inf


def test_batched_chain_on_dask_equals_the_per_walker_chain(tmp_path):
    """2 cases, runs 50, 16 walkers, 2 steps: the batched sampler (one Dask task per case for all
    walkers of a move) gives the per-walker path's chain, log probabilities and blobs exactly."""
    st = SamplerSettings(cases=CASES[:2], runs=50, seed=4, walkers=2 * load_space().ndim, steps=2, checkpoint_every=1)
    old = run_sampler(st, tmp_path / "old", batched=False)
    client = local_client(2)
    try:
        new = run_sampler(st, tmp_path / "new", client=client)
    finally:
        client.close()
        client.cluster.close()
    for k in ("chain", "log_prob", "blobs", "accepted"):
        np.testing.assert_array_equal(old[k], new[k])
    assert np.isfinite(new["log_prob"]).all() and new["steps"] == 2


def test_loo_draw_evaluation_in_chunks_equals_one_call_per_draw(monkeypatch):
    """``backtest --cv loo``'s evaluation of a left-out case at the posterior's draws, DRAW_CHUNK
    draws per engine call, gives the per-draw numbers."""
    import dataclasses

    from alliancelab.calibration import loo
    from alliancelab.calibration.store import load_posterior

    post = load_posterior()
    post = dataclasses.replace(post, draws=post.draws[:5])
    monkeypatch.setattr(loo, "DRAW_CHUNK", 2)                             # chunks of 2, 2 and 1
    got = loo._evaluate_draws("italy-1948", post, 20, 3)
    cl = CaseLikelihood(("italy-1948",), 20, 3)
    want = np.array([cl.blob(post.params(i)) for i in range(5)])
    for i, f in enumerate(BLOB_FIELDS):
        assert got[f].tobytes() == want[:, i].tobytes()
