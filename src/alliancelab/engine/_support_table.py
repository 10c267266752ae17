"""The support kernels of one period tabulated over the payment codes that can occur (step 1's speed).

What a (run, client, faction) is paid depends only on the payment codes of its patrons
``code[r, c, f, :]`` (bit ``q``: condition ``q`` holds; bit ``RULER_BIT``: the faction rules), and
only on the bits under which something is scheduled for that (client, faction, patron): a bit with
nothing scheduled adds exact zeros. :func:`support_by_code` therefore

1. keeps, per (client, faction, patron), only the *relevant* bits of the code and packs them into a
   small index ``k[r, c, f]`` over the patrons (a lookup table, no sort of the runs);
2. evaluates :func:`._steps_domestic.support_terms` once for every possible packed index - a table
   ``(K, C, F, ...)`` with ``K = 2**(relevant bits)``, usually a handful - the same kernels on the same
   support amounts, so every number is bit-for-bit what the per-run evaluation gives;
3. gathers the table back to the runs.

When the relevant bits are too many for a dense table (``K`` larger than the runs), the runs are
grouped by their masked codes instead (:func:`patterns`), which is what the engine did before, on
codes that no longer differ where nothing is paid.
"""

from __future__ import annotations

import hashlib
from typing import Callable

import numpy as np

__all__ = ["code_bits", "content_key", "patterns", "support_by_code"]

#: Payment codes are below ``2 ** CODE_BITS`` (conditions and the ruler bit).
CODE_BITS = 8


def patterns(code: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Representative run of each distinct payment pattern, and each run's pattern index."""
    R = code.shape[0]
    flat = np.ascontiguousarray(code.reshape(R, -1).astype(np.uint8))
    rows = flat.view(np.dtype((np.void, flat.shape[1]))).ravel()
    _, rep, inv = np.unique(rows, return_index=True, return_inverse=True)
    return rep, inv.reshape(R)


def code_bits(sched: np.ndarray, sched_ruling: np.ndarray | None, ruler_bit: int) -> np.ndarray:
    """Bit mask ``(C, F, P)`` of the code bits under which something is scheduled for each
    (client, faction, patron): bit ``q`` if condition ``q`` pays it any item, the ruler bit (and bit
    ``q``) if items for ``faction: ruling`` are scheduled under condition ``q``."""
    Q, C, F, P, _ = sched.shape
    rel = np.zeros((C, F, P), dtype=np.int64)
    for q in range(Q):
        rel |= sched[q].any(-1).astype(np.int64) << q
    if sched_ruling is not None:
        for q in range(sched_ruling.shape[0]):
            ruled = sched_ruling[q].any(-1)[:, None, :]                      # (C, 1, P)
            rel |= (ruled.astype(np.int64) << q) | (ruled.astype(np.int64) << ruler_bit)
    return np.broadcast_to(rel, (C, F, P))


def content_key(*arrays: np.ndarray | None) -> bytes:
    """A digest of the arrays' shapes and bytes (periods with the same schedule share one table)."""
    h = hashlib.blake2b(digest_size=16)
    for a in arrays:
        if a is None:
            h.update(b"-")
            continue
        a = np.ascontiguousarray(a)
        h.update(repr((a.shape, a.dtype.str)).encode())
        h.update(a.tobytes())
    return h.digest()


def _packing(rel: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Lookup ``(C, F, P, 2**CODE_BITS)`` from a code to its packed contribution to ``k``, the codes
    ``(K, C, F, P)`` each packed index stands for, and ``K``."""
    C, F, P = rel.shape
    bits = ((rel[..., None] >> np.arange(CODE_BITS)) & 1).astype(bool)       # (C, F, P, B)
    # position of each relevant bit in the packed index of its (client, faction): patrons in order
    flat = bits.reshape(C, F, P * CODE_BITS)
    pos = (np.cumsum(flat, axis=-1) - 1).reshape(C, F, P, CODE_BITS)
    n = int(flat.sum(-1).max(initial=0))
    K = 1 << n
    codes = np.arange(1 << CODE_BITS)
    lut = np.zeros((C, F, P, 1 << CODE_BITS), dtype=np.int64)
    table = np.zeros((K, C, F, P), dtype=np.int64)
    ks = np.arange(K)
    for b in range(CODE_BITS):
        on = bits[..., b]                                                    # (C, F, P)
        shift = np.where(on, pos[..., b], 0)
        lut |= np.where(on[..., None], ((codes >> b) & 1)[None, None, None] << shift[..., None], 0)
        table |= np.where(on[None], ((ks[:, None, None, None] >> shift[None]) & 1) << b, 0)
    return lut, table, K


def _gather(x: np.ndarray, k: np.ndarray, axis_f: int) -> np.ndarray:
    """``x[k[r, c, f], c, ..f..]`` for a table ``x`` (K, C, ...) whose faction axis is ``axis_f``:
    the runs' values, laid out (R, C, ...) like the table (C-contiguous)."""
    K, C = x.shape[:2]
    F = x.shape[axis_f]
    xf = np.moveaxis(x, axis_f, 2)                                           # (K, C, F, rest)
    rest = xf.shape[3:]
    rows = np.ascontiguousarray(xf).reshape(K * C * F, *rest)
    R = k.shape[0]
    idx = (k * C + np.arange(C)[None, :, None]) * F + np.arange(F)[None, None, :]
    out = rows[idx.reshape(-1)].reshape(R, C, F, *rest)
    return np.ascontiguousarray(np.moveaxis(out, 2, axis_f))


def support_by_code(code: np.ndarray, sched: np.ndarray, sched_ruling: np.ndarray | None,
                    ruler_bit: int, terms: Callable[..., tuple[np.ndarray, ...]], *,
                    cache: dict | None = None, key: bytes | None = None) -> tuple[np.ndarray, ...]:
    """The support terms of every run, ``terms(codes)`` evaluated per distinct packed code.

    ``code`` (R, C, F, P) payment codes; ``sched`` (Q, C, F, P, I) and ``sched_ruling`` (Q, C, P, I)
    the period's schedule; ``terms(codes)`` returns :func:`._steps_domestic.support_terms` for codes
    (U, C, F, P): mass effect (U, C, P, F), loyalty (U, C, P, F), narrow share, military aid, armed
    commitment (U, C, F) and money (U, C, F, P). Returns the same arrays for the R runs.

    With a ``cache`` dict and a ``key`` that identifies everything ``terms`` depends on besides the
    codes (:func:`content_key` of the schedule, visibility and breadth), the packing and the table
    are computed once per key (once per simulation when every period has the same schedule).
    """
    R, C, F, P = code.shape
    if int(code.max(initial=0)) >= 1 << CODE_BITS:
        raise ValueError(f"payment codes must be below {1 << CODE_BITS}")
    hit = None if cache is None or key is None else cache.get(key)
    if hit is None:
        rel = np.ascontiguousarray(code_bits(sched, sched_ruling, ruler_bit))
        lut, table, K = _packing(rel)
        tab = terms(table) if K <= max(R, 64) else None
        hit = (rel, lut.reshape(-1), tab)
        if cache is not None and key is not None:
            cache[key] = hit
    rel, lut, tab = hit
    if tab is None:                                       # too many bits: group the runs instead
        masked = code & rel[None]
        rep, inv = patterns(masked)
        return tuple(x[inv] for x in terms(masked[rep]))
    cell = (np.arange(C * F * P) << CODE_BITS).reshape(C, F, P)
    k = lut[cell[None] + code].sum(-1)                                       # (R, C, F)
    axes = (3, 3, 2, 2, 2, 2)                             # faction axis of each term
    return tuple(_gather(x, k, a) for x, a in zip(tab, axes))
