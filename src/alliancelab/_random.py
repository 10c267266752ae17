"""Seeding: every stochastic entry point takes ``seed: int | Generator | None``."""

from __future__ import annotations

import numpy as np

__all__ = ["SeedLike", "as_generator", "spawn_seeds"]

SeedLike = int | np.random.Generator | np.random.SeedSequence | None


def as_generator(seed: SeedLike) -> np.random.Generator:
    """Return a :class:`numpy.random.Generator` for ``seed`` (a Generator is passed through).

    Examples
    --------
    >>> float(as_generator(1).random()) == float(as_generator(1).random())
    True
    """
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(seed)


def spawn_seeds(seed: int | np.random.SeedSequence | None, n: int) -> list[np.random.SeedSequence]:
    """Return ``n`` independent child seed sequences of ``seed`` (same seed -> same children).

    Use this to give each chunk of a parallel ensemble its own stream, so results do not depend on
    how chunks are scheduled across workers.
    """
    root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    return root.spawn(n)
