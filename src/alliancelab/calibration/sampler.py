"""Sample the posterior with emcee's affine-invariant ensemble sampler on a local Dask cluster.

Why emcee (docs/calibration.md, "Sampler"): the likelihood is a Monte Carlo estimate on common random
numbers, so it is deterministic in θ but has no gradient; emcee's ensemble moves need neither gradients
nor tuning, are invariant to linear correlations, evaluate a whole (half-)ensemble per step (one Dask
``map``, so both cores work), and the whole state is the walkers' positions plus one RNG state — which
makes an exact resume trivial.

Moves (:func:`make_moves`, ``settings.moves``): ``"de"`` — differential evolution (80 %, ter Braak
2006) and its snooker variant (20 %, ter Braak & Vrugt 2008), with an independence move that redraws
the parameters with an empirical (normal) prior from that prior (:func:`prior_refresh_move`, 10 % of
steps when there are such parameters); ``"de-ind"`` — the same plus, on half the steps, an
independence proposal from a Student-t fitted to the other half-ensemble (:func:`ensemble_t_move`),
which lets a walker jump between the regions the ensemble occupies; ``"stretch"`` — emcee's default
stretch move (a = 2). Measured on a stand-in of the real posterior (``benchmarks/sampler_configs.py``,
docs/calibration.md "Sampler configuration"): at the same number of likelihood evaluations ``de-ind``
with 32 walkers has about twice the bulk ESS of ``de`` with 16 and a somewhat lower R-hat; the
``posterior`` command's defaults are those.

Start (``settings.start``, :func:`initial_walkers`): a ball around the defaults, the prior, or the
draws of a posterior (a warm start).

Stopping: at ``steps``, at the first checkpoint after ``max_seconds`` of wall time, or (``until_
converged``) at the first checkpoint with at least ``min_steps`` steps where the chain meets the
convergence criterion (:mod:`.convergence`). The convergence check depends on the chain only, so a run
stopped there is the same for the same seed.

Resumable: after every ``checkpoint_every`` steps the chain, the walkers' last positions, log
probabilities and blobs, and the sampler's RNG state are written atomically to ``<dir>/checkpoint.npz``;
a run started again with the same settings continues from there and gives the same chain, bit for bit,
as an uninterrupted one (the likelihood is deterministic under common random numbers).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from .._exceptions import InputError
from .._io import atomic_path
from .likelihood import BLOB_FIELDS, CaseLikelihood, available_cases

__all__ = ["COORDS", "MOVES", "STARTS", "DaskPool", "ensemble_t_move", "initial_walkers", "SamplerSettings", "log_probability", "log_probability_many", "make_moves",
           "prior_refresh_move", "run_sampler"]


@dataclass(frozen=True)
class SamplerSettings:
    """Everything that determines the chain (stored with the posterior as provenance)."""

    cases: tuple[str, ...]
    runs: int = 1_000
    seed: int = 1
    walkers: int = 32
    steps: int = 400
    checkpoint_every: int = 5
    moves: str = "de"
    start: str = "ball"
    #: The coordinates emcee moves in (:data:`COORDS`): ``box`` (``x``, bounded) or ``logit`` (``u``, each
    #: box mapped onto the real line; :meth:`ParameterSpace.to_u`). The chain is stored in ``x`` either way.
    coords: str = "box"

    def key(self) -> dict[str, Any]:
        """The settings a checkpoint must share to be resumed (all but ``steps``), and the free parameters."""
        from .space import load_space

        d = asdict(self)
        d.pop("steps")
        d["cases"] = list(self.cases)
        d["parameters"] = load_space().names
        return d


MOVES = ("de", "de-ind", "stretch")
#: Where a fresh run's walkers start (:func:`initial_walkers`): ``ball`` (the defaults jittered, the
#: hazard from its prior), ``prior`` (every coordinate from its prior), ``posterior`` (draws of the
#: shipped posterior), or the path of a posterior JSON file (its draws).
STARTS = ("ball", "prior", "posterior")
#: Key fields added after checkpoints were first written, with the value those checkpoints used.
_LEGACY_KEY = {"start": "ball", "coords": "box"}
#: The sampler's coordinates (``SamplerSettings.coords``): ``box`` moves the walkers in the sampling
#: coordinates ``x`` (a proposal outside the box is rejected); ``logit`` in ``u = logit`` of each
#: coordinate's place in its box (session 13: docs/calibration.md, "Why the posterior does not mix").
COORDS = ("box", "logit")


def prior_refresh_move(space: Any, coords: str = "box") -> Any:
    """Independence Metropolis–Hastings move for the parameters with a normal (empirical) prior.

    Proposes new values of those coordinates drawn from their truncated normal prior, the others kept;
    the proposal density cancels the prior in the acceptance ratio, which becomes the likelihood ratio.
    Where the cases barely inform these parameters (the hazard: docs/calibration.md) nearly every
    proposal is accepted and they mix as independent prior draws. With ``coords="logit"`` the walkers
    are in ``u``: the proposal is the same prior draw mapped to ``u``, its density in ``u`` carries the
    Jacobian of those coordinates, and the ratio is again the likelihood ratio.
    """
    import emcee

    idx = [i for i, p in enumerate(space.parameters) if p.prior == "normal"]
    pars = [space.parameters[i] for i in idx]

    def log_q(v: np.ndarray) -> np.ndarray:
        return sum(-0.5 * ((v[:, j] - p.mean) / p.sd) ** 2 for j, p in enumerate(pars))

    def proposal(w0: np.ndarray, random: Any) -> tuple[np.ndarray, np.ndarray]:
        x0 = space.from_u(w0) if coords == "logit" else w0
        q = x0.copy()
        for j, p in zip(idx, pars):
            lo, hi = p.x_box
            v = p.mean + p.sd * random.randn(x0.shape[0])
            for _ in range(1_000):                       # rejection sampling from the truncated prior
                bad = (v < lo) | (v > hi)
                if not bad.any():
                    break
                v[bad] = p.mean + p.sd * random.randn(int(bad.sum()))
            q[:, j] = np.clip(v, lo, hi)
        if coords != "logit":
            return q, log_q(x0[:, idx]) - log_q(q[:, idx])
        qu = w0.copy()
        qu[:, idx] = space.to_u(q)[:, idx]
        return qu, (log_q(x0[:, idx]) + space.log_jacobian(w0, idx)
                    - log_q(space.from_u(qu)[:, idx]) - space.log_jacobian(qu, idx))

    return emcee.moves.MHMove(proposal)


def ensemble_t_move(df: float = 4.0, scale: float = 1.2, shrink: float = 0.25) -> Any:
    """Independence move from a multivariate Student-t fitted to the complementary half-ensemble.

    emcee's red-blue scheme updates one half of the walkers while the other half (``c``) is held fixed,
    so a proposal may depend on ``c`` in any way (Goodman & Weare 2010; emcee's ``KDEMove``, after
    kombine, Farr & Farr 2015, uses a kernel density of ``c``). Here: the mean and covariance of ``c``
    (the covariance shrunk towards its diagonal by ``shrink``, so 8 walkers suffice in 8 dimensions),
    times ``scale``, as a Student-t with ``df`` degrees of freedom (heavy tails: the proposal covers
    the posterior's tails). A walker's proposal does not depend on its own position, so one accepted
    proposal moves it anywhere the ensemble is — between separated regions in one step — and the
    Metropolis–Hastings factor ``log g(x) - log g(q)`` keeps the posterior invariant.
    """
    import emcee

    class EnsembleT(emcee.moves.RedBlueMove):
        def get_proposal(self, s: np.ndarray, c: list[np.ndarray], random: Any) -> tuple[np.ndarray, np.ndarray]:
            c = np.concatenate(c, axis=0)
            n, d = s.shape
            mu = c.mean(axis=0)
            cov = np.cov(c.T, ddof=1).reshape(d, d)
            cov = (1 - shrink) * cov + shrink * np.diag(np.diag(cov)) + 1e-12 * np.eye(d)
            L = np.linalg.cholesky(cov * scale ** 2)
            z = random.randn(n, d)
            w = random.chisquare(df, size=n) / df
            q = mu + (z @ L.T) / np.sqrt(w)[:, None]

            def logg(x: np.ndarray) -> np.ndarray:
                y = np.linalg.solve(L, (x - mu).T).T
                return -0.5 * (df + d) * np.log1p(np.sum(y * y, axis=1) / df)

            return q, logg(s) - logg(q)

    return EnsembleT()


def make_moves(kind: str, space: Any, coords: str = "box") -> Any:
    """emcee moves of ``kind`` (module docstring), for walkers in ``coords`` (:data:`COORDS`)."""
    import emcee

    if kind == "stretch":
        return None
    if kind not in MOVES:
        raise InputError(f"unknown moves {kind!r}; allowed: {', '.join(MOVES)}", field="moves")
    refresh = any(p.prior == "normal" for p in space.parameters)
    if kind == "de-ind":
        # half the steps an independence proposal from the other half-ensemble (ensemble_t_move), the
        # rest DE and snooker for local moves, and the hazard's prior refresh (docs/calibration.md)
        mix = [(emcee.moves.DEMove(), 0.35 / 0.9), (emcee.moves.DESnookerMove(), 0.05 / 0.9),
               (ensemble_t_move(), 0.5 / 0.9)]
        if refresh:
            mix = [(m, w * 0.9) for m, w in mix] + [(prior_refresh_move(space, coords), 0.1)]
        return mix
    mix = [(emcee.moves.DEMove(), 0.8), (emcee.moves.DESnookerMove(), 0.2)]
    if refresh:
        mix = [(emcee.moves.DEMove(), 0.72), (emcee.moves.DESnookerMove(), 0.18), (prior_refresh_move(space, coords), 0.1)]
    return mix


def initial_walkers(start: str, walkers: int, space: Any, seed: int) -> np.ndarray:
    """The walkers' starting coordinates ``(walkers, d)`` of a fresh run, a function of ``start`` and ``seed``.

    ``ball``: :meth:`ParameterSpace.initial` (the defaults plus 0.15 x box width, the hazard from its
    prior). ``prior``: every coordinate from its prior (uniform on the box in the sampling coordinate,
    the hazard's truncated normal), theory constraints by rejection — over-dispersed, as R-hat assumes.
    ``posterior`` or a posterior file: ``walkers`` distinct draws of that posterior, picked at random
    (a warm start; coordinates of parameters it lacks, and draws the current prior rejects, are
    replaced from the ball).
    """
    rng = np.random.default_rng(seed)
    if start == "ball":
        return space.initial(walkers, rng)
    if start == "prior":
        out: list[np.ndarray] = []
        for _ in range(10_000 * walkers):
            x = np.array([p.mean + p.sd * rng.standard_normal() if p.prior == "normal"
                          else rng.uniform(*p.x_box) for p in space.parameters])
            if math.isfinite(space.log_prior(x)):
                out.append(x)
                if len(out) == walkers:
                    return np.array(out)
        raise InputError("no starting point with finite prior", field="start")
    from .store import load_posterior

    post = load_posterior(None if start == "posterior" else start)
    ball = space.initial(walkers, rng)
    order = rng.permutation(post.n_draws)
    out = []
    for i in order:
        vals = post.values(int(i))
        x = np.array([p.to_x(vals[p.name]) if p.name in vals else ball[len(out), j]
                      for j, p in enumerate(space.parameters)])
        if math.isfinite(space.log_prior(x)) and not any(np.array_equal(x, y) for y in out):
            out.append(x)
            if len(out) == walkers:
                return np.array(out)
    raise InputError(f"the posterior has {len(out)} distinct draws inside the current prior; {walkers} walkers "
                     "need as many", source=start, field="start")


_CACHE: dict[tuple[Any, ...], CaseLikelihood] = {}


def log_probability(x: np.ndarray, cases: tuple[str, ...], runs: int, seed: int) -> tuple[float, np.ndarray]:
    """Log posterior (up to a constant) and the per-case blob at coordinates ``x`` (worker-side cache)."""
    from .space import load_space

    space = load_space()
    nan = np.full(len(BLOB_FIELDS) * len(cases), np.nan)
    lp = space.log_prior(np.asarray(x, dtype=float))
    if not math.isfinite(lp):
        return -math.inf, nan
    blob = _likelihood(cases, runs, seed).blob(space.params(np.asarray(x, dtype=float)))
    return lp + float(blob[: len(cases)].sum()), blob


def _likelihood(cases: tuple[str, ...], runs: int, seed: int) -> CaseLikelihood:
    """The (process-wide, cached) likelihood of ``cases``."""
    key = (cases, runs, seed)
    if key not in _CACHE:
        if len(_CACHE) > 64:
            _CACHE.clear()
        _CACHE[key] = CaseLikelihood(cases, runs, seed)
    return _CACHE[key]


def _case_rows(case: str, xs: np.ndarray, runs: int, seed: int) -> tuple[np.ndarray, float]:
    """One task: ``(K, 4)`` quantities of one case for the walkers ``xs`` (K, d), one engine call, and
    the seconds it took (to order the next move's tasks, longest first)."""
    from .space import load_space

    t0 = time.perf_counter()
    space = load_space()
    rows = _likelihood((case,), runs, seed).case_many(case, [space.params(x) for x in xs])
    return rows, time.perf_counter() - t0


#: Seconds the last task of each case took (the order of the next tasks: longest first).
_COST: dict[str, float] = {}


def log_probability_many(xs: np.ndarray, cases: tuple[str, ...], runs: int, seed: int,
                         client: Any = None) -> list[tuple[float, np.ndarray]]:
    """:func:`log_probability` of every walker in ``xs`` (n, d), equal to it walker by walker, bit for bit.

    The walkers with a finite prior are evaluated together: for each case ONE engine call simulates
    all of them (``n x runs`` runs, :meth:`CaseLikelihood.case_many`), so the engine's per-period
    overhead is paid once per move, not once per walker. With a Dask ``client`` each case is one
    task (the cases spread over the workers, longest first); the per-walker log-likelihood is the sum
    over the cases, as in :func:`log_probability`.
    """
    from .space import load_space

    space = load_space()
    xs = np.asarray(xs, dtype=float)
    B = len(BLOB_FIELDS) * len(cases)
    lps = [space.log_prior(x) for x in xs]
    out: list[tuple[float, np.ndarray]] = [(-math.inf, np.full(B, np.nan)) for _ in lps]
    live = [i for i, lp in enumerate(lps) if math.isfinite(lp)]
    if not live:
        return out
    sub = xs[live]
    if client is None:
        blobs = _likelihood(tuple(cases), runs, seed).blob_many([space.params(x) for x in sub])
    else:
        order = sorted(cases, key=lambda c: -_COST.get(c, 0.0))
        futures = {c: client.submit(_case_rows, c, sub, runs, seed, pure=False) for c in order}
        done = dict(zip(futures, client.gather(list(futures.values()))))
        _COST.update({c: sec for c, (_, sec) in done.items()})
        rows = np.stack([done[c][0] for c in cases])                            # (C, K, 4)
        blobs = np.ascontiguousarray(rows.transpose(1, 2, 0)).reshape(len(live), -1)
    for j, i in enumerate(live):
        blob = blobs[j]
        out[i] = (lps[i] + float(blob[: len(cases)].sum()), blob)
    return out


class DaskPool:
    """The ``map`` emcee needs, on a ``dask.distributed`` client (order preserved)."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def map(self, fn: Callable[[Any], Any], iterable: Iterable[Any]) -> list[Any]:
        futures = self.client.map(fn, list(iterable), pure=False)
        return self.client.gather(futures)


def _save(path: Path, settings: SamplerSettings, sampler: Any, state: Any, chain: dict[str, np.ndarray],
          elapsed: float) -> None:
    rs = state.random_state
    with atomic_path(path, suffix=".npz") as tmp:
        with open(tmp, "wb") as fh:
            np.savez(fh, key=json.dumps(settings.key(), sort_keys=True), last_coords=state.coords,
                     last_log_prob=state.log_prob, last_blobs=state.blobs, rng_keys=rs[1], rng_pos=rs[2],
                     rng_has_gauss=rs[3], rng_gauss=rs[4], elapsed=elapsed, **chain)


def _load(path: Path, settings: SamplerSettings) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    with np.load(path) as z:
        d = {k: z[k] for k in z.files}
    old = {**_LEGACY_KEY, **json.loads(str(d["key"]))}
    new = json.loads(json.dumps(settings.key(), sort_keys=True))
    for k in sorted(set(old) | set(new)):
        if old.get(k) != new.get(k):
            def show(v: Any) -> str:
                return f"a list of {len(v)}" if isinstance(v, list) and len(v) > 4 else repr(v)

            raise InputError(f"the checkpoint was made with other settings ({k} {show(old.get(k))}, this run "
                             f"{show(new.get(k))}); allowed: {show(old.get(k))} to resume it, or another --dir",
                             source=str(path), field=k)
    return d


def _vectorised(xs: np.ndarray, coords: str = "box", **kw: Any) -> list[tuple[float, np.ndarray]]:
    """emcee's vectorised log-probability: :func:`log_probability_many` (looked up at call time); with
    ``coords="logit"`` ``xs`` are unbounded coordinates ``u`` and the log density gains the Jacobian."""
    if coords != "logit":
        return log_probability_many(xs, **kw)
    from .space import load_space

    space = load_space()
    us = np.asarray(xs, dtype=float)
    out = log_probability_many(space.from_u(us), **kw)
    lj = space.log_jacobian(us)
    return [(lp + float(j), b) if math.isfinite(lp) else (lp, b) for (lp, b), j in zip(out, lj)]


def _per_walker(u: np.ndarray, coords: str = "box", **kw: Any) -> tuple[float, np.ndarray]:
    """:func:`log_probability` of one walker in ``coords`` (the unbatched path)."""
    if coords != "logit":
        return log_probability(u, **kw)
    from .space import load_space

    space = load_space()
    lp, blob = log_probability(space.from_u(u), **kw)
    return (lp + float(space.log_jacobian(u)) if math.isfinite(lp) else lp), blob


def run_sampler(settings: SamplerSettings, directory: str | Path, *, client: Any = None,
                progress: Callable[[str], None] | None = None, max_seconds: float | None = None,
                initial: np.ndarray | None = None, until_converged: bool = False,
                min_steps: int = 40, batched: bool = True) -> dict[str, Any]:
    """Run (or resume) the chain to ``settings.steps`` steps; return the chain arrays.

    ``client``: a ``dask.distributed.Client`` (its workers evaluate the walkers); ``None`` evaluates
    in this process (same numbers). ``batched`` (default): emcee passes all walkers of a move at once
    (``vectorize=True``) and :func:`log_probability_many` simulates them in one engine call per case,
    one Dask task per case; ``False``: one :func:`log_probability` per walker, one task per walker
    (the same chain, bit for bit; slower). ``initial``: the walkers' starting coordinates (walkers x
    parameters) for a fresh run, e.g. a warm start from another posterior's last walkers (default:
    :meth:`ParameterSpace.initial` from the seed). ``max_seconds`` stops cleanly at the next checkpoint after that
    wall time (resume later with the same command). ``until_converged``: stop at the first checkpoint
    with at least ``min_steps`` steps where the chain meets :mod:`.convergence`'s criterion. Returns
    ``{"chain" (S, W, d), "log_prob" (S, W), "blobs" (S, W, B), "steps", "complete", "elapsed",
    "acceptance", "diagnostics", "converged", "stopped"}``.
    """
    import emcee

    from .space import load_space

    say = progress or (lambda m: None)
    bad = sorted(set(settings.cases) - set(available_cases()))
    if bad:
        raise InputError(f"unknown case {bad[0]!r}; allowed: {', '.join(available_cases())}", field="cases")
    space = load_space()
    if settings.coords not in COORDS:
        raise InputError(f"unknown coords {settings.coords!r}; allowed: {', '.join(COORDS)}", field="coords")
    logit = settings.coords == "logit"
    if settings.walkers < 2 * space.ndim or settings.walkers % 2:
        raise InputError(f"must be an even number >= {2 * space.ndim}; got {settings.walkers}", field="walkers")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    ck_path = directory / "checkpoint.npz"
    if batched:
        fn = partial(_vectorised, coords=settings.coords, cases=tuple(settings.cases), runs=settings.runs,
                     seed=settings.seed, client=client)
        sampler = emcee.EnsembleSampler(settings.walkers, space.ndim, fn, vectorize=True,
                                        moves=make_moves(settings.moves, space, settings.coords))
    else:
        fn = partial(_per_walker, coords=settings.coords, cases=tuple(settings.cases), runs=settings.runs,
                     seed=settings.seed)
        pool = DaskPool(client) if client is not None else None
        sampler = emcee.EnsembleSampler(settings.walkers, space.ndim, fn, pool=pool,
                                        moves=make_moves(settings.moves, space, settings.coords))
    prev = _load(ck_path, settings)
    t0 = time.perf_counter()
    if prev is None:
        x0 = initial_walkers(settings.start, settings.walkers, space, settings.seed) if initial is None else \
            np.asarray(initial, dtype=float)
        if x0.shape != (settings.walkers, space.ndim):
            raise InputError(f"initial walkers must be {settings.walkers} x {space.ndim}; got {x0.shape}",
                             field="initial")
        rs = np.random.RandomState(settings.seed).get_state()
        state = emcee.State(space.to_u(x0) if logit else x0, random_state=rs)
        chain = {"chain": np.zeros((0, settings.walkers, space.ndim)), "log_prob": np.zeros((0, settings.walkers)),
                 "blobs": np.zeros((0, settings.walkers, len(BLOB_FIELDS) * len(settings.cases))),
                 "accepted": np.zeros(settings.walkers)}
        elapsed0 = 0.0
        say(f"starting: {settings.walkers} walkers, {space.ndim} parameters, {len(settings.cases)} cases"
            + (" (batched: one engine call per case for all walkers of a move)" if batched else ""))
    else:
        rs = ("MT19937", prev["rng_keys"], int(prev["rng_pos"]), int(prev["rng_has_gauss"]),
              float(prev["rng_gauss"]))
        state = emcee.State(prev["last_coords"], log_prob=prev["last_log_prob"], blobs=prev["last_blobs"],
                            random_state=rs)
        chain = {k: prev[k] for k in ("chain", "log_prob", "blobs", "accepted")}
        elapsed0 = float(prev["elapsed"])
        say(f"resuming from step {chain['chain'].shape[0]} ({ck_path})")
    from .convergence import diagnose, summary_line

    def check() -> dict[str, Any] | None:
        s = chain["chain"].shape[0]
        if not until_converged or s < min_steps:
            return None
        return diagnose(chain["chain"], space.names, accepted=chain["accepted"])

    stopped = "steps"
    s_start = chain["chain"].shape[0]
    diag = check()
    if diag is not None and diag["converged"]:
        stopped = "converged"
        say(f"already converged at step {chain['chain'].shape[0]}: {summary_line(diag)}")
    while stopped != "converged" and chain["chain"].shape[0] < settings.steps:
        n = min(settings.checkpoint_every, settings.steps - chain["chain"].shape[0])
        sampler.reset()
        state = sampler.run_mcmc(state, n, progress=False, skip_initial_state_check=True)
        got, got_lp = sampler.get_chain(), sampler.get_log_prob()
        if logit:          # the walkers move in u; the chain is stored in x with the density in x
            got_lp = got_lp - space.log_jacobian(got)
            got = space.from_u(got)
        chain["chain"] = np.concatenate([chain["chain"], got])
        chain["log_prob"] = np.concatenate([chain["log_prob"], got_lp])
        chain["blobs"] = np.concatenate([chain["blobs"], sampler.get_blobs()])
        chain["accepted"] = chain["accepted"] + sampler.backend.accepted
        elapsed = elapsed0 + time.perf_counter() - t0
        _save(ck_path, settings, sampler, state, chain, elapsed)
        s = chain["chain"].shape[0]
        say(f"step {s}/{settings.steps}: mean log posterior {np.mean(chain['log_prob'][-1]):.2f}, "
            f"acceptance {np.mean(chain['accepted']) / s:.2f}, {elapsed:.0f} s "
            f"({(time.perf_counter() - t0) / max(s - s_start, 1):.1f} s/step)")
        diag = check()
        if diag is not None:
            say(f"step {s}: {summary_line(diag)}")
            if diag["converged"]:
                stopped = "converged"
                break
        if max_seconds is not None and time.perf_counter() - t0 > max_seconds:
            stopped = "time budget"
            break
    s = chain["chain"].shape[0]
    if diag is None or diag.get("steps") != s:
        diag = diagnose(chain["chain"], space.names, accepted=chain["accepted"])
    return {**chain, "steps": s, "complete": s >= settings.steps or stopped == "converged",
            "elapsed": elapsed0 + time.perf_counter() - t0,
            "acceptance": float(np.mean(chain["accepted"]) / max(s, 1)),
            "diagnostics": diag, "converged": bool(diag["converged"]), "stopped": stopped}


def local_client(workers: int = 2, memory_limit: str = "1.5GB") -> Any:
    """A local Dask cluster of single-threaded worker processes (close it with ``client.close()``)."""
    from dask.distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           memory_limit=memory_limit, dashboard_address=":0")
    return Client(cluster)
