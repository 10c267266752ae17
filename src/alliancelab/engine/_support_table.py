"""Step 1's support kernels tabulated over the payment codes that can occur (the engine's speed).

What a (run, client, faction) is paid depends only on the payment codes of its patrons
``code[r, c, f, :]`` (bit ``q``: condition ``q`` holds; bit ``RULER_BIT``: the faction rules), and
only on the bits under which something is scheduled for that (client, faction, patron): a bit with
nothing scheduled adds exact zeros. :func:`support_by_code` therefore

1. keeps, per (client, faction, patron), only the *relevant* bits of the code and packs them into a
   small index ``k[r, c, f]`` over the patrons (a lookup table, no sort of the runs);
2. evaluates :func:`._steps_domestic.support_terms` once for every possible packed index - a table
   ``(K, C, F, ...)`` with ``K = 2**(relevant bits)``, usually a handful - the same kernels on the
   same support amounts, so every number is bit-for-bit what the per-run evaluation gives;
3. gathers the table back to the runs.

When the relevant bits are too many for a dense table (``K`` larger than the runs), the runs are
grouped by their masked codes instead (:func:`patterns`), which is what the engine did before, on
codes that no longer differ where nothing is paid. With a ``cache`` (``SimContext.cache``) the
packing and the table are computed once per distinct schedule of a simulation.
"""

from __future__ import annotations

import hashlib
from typing import Callable

import numpy as np

from .. import _compiled
from .._compiled import compiled

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
    if max(Q, ruler_bit + 1) > CODE_BITS:
        raise ValueError(f"payment codes must fit in {CODE_BITS} bits")
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
        if not on.any():
            continue
        shift = np.where(on, pos[..., b], 0)
        lut |= np.where(on[..., None], ((codes >> b) & 1)[None, None, None] << shift[..., None], 0)
        table |= np.where(on[None], ((ks[:, None, None, None] >> shift[None]) & 1) << b, 0)
    return lut, table, K


def _columns(tab: tuple[np.ndarray, ...]) -> np.ndarray:
    """The support terms of a table and the patrons' sums of mass effect and loyalty as columns
    (width, K * C * F), each a (K, C, F) array flattened: mass effect and loyalty per patron, narrow
    share, military aid, armed commitment, money per patron, the two sums.

    A mass effect with a leading axis of parameter sets (S, K, C, P, F) (a batched simulation,
    :mod:`._batch`) gives columns of length S * K * C * F, the other terms repeated for every set."""
    mass, loy, narrow, mil, armed, money = tab
    P = money.shape[-1]
    cols = [mass[..., p, :] for p in range(P)] + [loy[..., p, :] for p in range(P)] \
        + [narrow, mil, armed] + [money[..., p] for p in range(P)] + [mass.sum(-2), loy.sum(-2)]
    if mass.ndim > loy.ndim:
        lead = mass.shape[:1]
        cols = [c if c.ndim == mass.ndim - 1 else np.broadcast_to(c, lead + c.shape) for c in cols]
    return np.ascontiguousarray(np.stack([c.reshape(-1) for c in cols]))


def _gather(cols: np.ndarray, rows: np.ndarray, P: int) -> tuple[np.ndarray, ...]:
    """The runs' values of every column at table rows ``rows`` (R, C, F), in the terms' shapes:
    mass effect and loyalty per patron as (R, C, P, F) views, the rest C-contiguous."""
    R, C, F = rows.shape
    idx = rows.reshape(-1)
    take = lambda w: np.take(cols[w], idx).reshape(R, C, F)  # noqa: E731
    mass = np.stack([take(p) for p in range(P)])                              # (P, R, C, F)
    loy = np.stack([take(P + p) for p in range(P)])
    j = 2 * P
    money = np.empty((R, C, F, P))
    for p in range(P):
        money[..., p] = take(j + 3 + p)
    return (np.moveaxis(mass, 0, 2), np.moveaxis(loy, 0, 2), take(j), take(j + 1), take(j + 2),
            money, take(j + 3 + P), take(j + 4 + P))


@compiled
def _gather_compiled(code, lut, flat, P, per_patron):  # noqa: ANN001, ANN202
    R, C, F, _ = code.shape
    n = R if per_patron else 0            # without the per-patron terms: empty arrays, not written
    mass = np.empty((n, C, P, F))
    loy = np.empty((n, C, P, F))
    narrow = np.empty((R, C, F))
    mil = np.empty((R, C, F))
    armed = np.empty((R, C, F))
    money = np.empty((R, C, F, P))
    mass_in = np.empty((R, C, F))
    loy_in = np.empty((R, C, F))
    j = 2 * P
    for r in range(R):
        for c in range(C):
            for f in range(F):
                k = 0
                for p in range(P):
                    k += lut[(c * F + f) * P + p, code[r, c, f, p]]
                row = (k * C + c) * F + f
                for p in range(P):
                    if per_patron:
                        mass[r, c, p, f] = flat[p, row]
                        loy[r, c, p, f] = flat[P + p, row]
                    money[r, c, f, p] = flat[j + 3 + p, row]
                narrow[r, c, f] = flat[j, row]
                mil[r, c, f] = flat[j + 1, row]
                armed[r, c, f] = flat[j + 2, row]
                mass_in[r, c, f] = flat[j + 3 + P, row]
                loy_in[r, c, f] = flat[j + 4 + P, row]
    return mass, loy, narrow, mil, armed, money, mass_in, loy_in


def support_by_code(code: np.ndarray, sched: np.ndarray, sched_ruling: np.ndarray | None,
                    ruler_bit: int, terms: Callable[..., tuple[np.ndarray, ...]], *,
                    cache: dict | None = None, key: object = None,
                    sets: np.ndarray | None = None, per_patron: bool = True) -> tuple[np.ndarray | None, ...]:
    """The support terms of every run, ``terms(codes)`` evaluated per distinct packed code.

    ``code`` (R, C, F, P) payment codes; ``sched`` (Q, C, F, P, I) and ``sched_ruling`` (Q, C, P, I)
    the period's schedule; ``terms(codes)`` returns :func:`._steps_domestic.support_terms` for codes
    (U, C, F, P): mass effect (U, C, P, F), loyalty (U, C, P, F), narrow share, military aid, armed
    commitment (U, C, F) and money (U, C, F, P). Returns the same arrays for the R runs, then the
    sums over patrons of the mass effect and of the loyalty (R, C, F) (``x.sum(2)`` of the first
    two; the same numbers, summed once per table entry).

    With a ``cache`` dict and a hashable ``key`` that identifies everything ``terms`` depends on
    besides the codes (the engine: :func:`content_key` of the schedule, visibility and breadth, the
    runs, the switches and the elite parameters), the packing and the table are computed once per
    key (once per simulation when every period has the same schedule).

    ``sets`` (R,): in a batched simulation, the parameter set of each run; where ``terms`` returns the
    mass effect with a leading axis of sets (its parameter differs between them), each run reads its
    set's entry.

    ``per_patron=False``: the caller reads only the sums over patrons, so the compiled path does not
    gather the mass effect and the loyalty per patron (``None`` in their place; the numpy paths still
    return them).
    """
    R, C, F, P = code.shape
    n_runs = R if sets is None else R // (int(sets[-1]) + 1)          # one set's runs: the solo choice
    hit = None if cache is None or key is None else cache.get(key)
    if hit is None:
        rel = np.ascontiguousarray(code_bits(sched, sched_ruling, ruler_bit))
        packing = None if cache is None else cache.get(("packing", rel.tobytes(), rel.shape))
        if packing is None:
            packing = _packing(rel)
            if cache is not None:
                cache[("packing", rel.tobytes(), rel.shape)] = packing
        lut, table, K = packing
        flat = _columns(terms(table)) if K <= max(n_runs, 64) else None
        hit = (rel, lut.reshape(C * F * P, 1 << CODE_BITS), flat, K)
        if cache is not None and key is not None:
            cache[key] = hit
    rel, lut, flat, K = hit
    if flat is None:                                      # too many bits: group the runs instead
        masked = code & rel[None]
        rep, inv = patterns(masked)
        tab = terms(masked[rep])
        out = tuple(x[sets, inv] if x.ndim > tab[1].ndim else x[inv] for x in tab)
        return out + (out[0].sum(2), out[1].sum(2))
    if _compiled.ENABLED and flat.shape[1] == K * C * F:  # one compiled pass: packed index and gather
        out = _gather_compiled(code, lut, flat, P, bool(per_patron))
        return out if per_patron else (None, None) + out[2:]
    cell = np.arange(C * F * P).reshape(C, F, P)
    k = lut[cell[..., 0], code[..., 0]]                                      # (R, C, F)
    for p in range(1, P):
        k += lut[cell[..., p], code[..., p]]
    rows = (k * C + np.arange(C)[:, None]) * F + np.arange(F)
    if flat.shape[1] > K * C * F:                         # a table per parameter set: the run's set
        rows += (sets * (K * C * F))[:, None, None]
    return _gather(flat, rows, P)
