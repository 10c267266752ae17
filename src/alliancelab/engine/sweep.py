"""Parameter sweeps of the world model with sensitivity analysis, resumable, locally or on Dask.

The path of a sweep::

    config (YAML) -> design points X (grid / Sobol'-Saltelli / Morris, SALib)
                  -> chunks of ``chunk_points`` points, each point with its own seed
                     (point i: ``spawn_seeds(seed, n_points)[i]``, i.e. ``SeedSequence.spawn``)
                  -> evaluate chunks (in process, a Dask LocalCluster, or a remote scheduler)
                  -> out/chunks/chunk-000007.parquet, written atomically as each chunk completes
                  -> out/results.parquet, out/indices.csv, out/sensitivity.png, out/summary.json

Because every point draws from its own stream, the numbers do not depend on which worker ran which
chunk, on how many workers there were, or on whether the sweep was interrupted and resumed. A rerun
with the same ``--out`` skips chunks already on disk after verifying them (sweep fingerprint, chunk
index, point indices); a lost worker loses at most the chunk it was computing.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._exceptions import InputError
from .._io import atomic_path, write_json_atomic
from .._random import spawn_seeds
from .sweep_config import SweepConfig

__all__ = ["SweepResult", "build_design", "evaluate_chunk", "run_sweep", "sensitivity_indices"]

_META_KEY = b"alliancelab.sweep"


@dataclass(frozen=True)
class Design:
    """The design matrix of a sweep: ``X[i, j]`` is parameter ``names[j]`` at point ``i``."""

    names: tuple[str, ...]
    X: np.ndarray
    problem: dict[str, Any]

    @property
    def n_points(self) -> int:
        return int(self.X.shape[0])


def build_design(cfg: SweepConfig) -> Design:
    """Return the design points of ``cfg`` (deterministic: sampled designs are seeded by ``cfg.seed``).

    Examples
    --------
    >>> from alliancelab.engine.sweep_config import sweep_config_from_dict
    >>> cfg = sweep_config_from_dict({"seed": 1, "world": {"synthetic": {"n_states": 5}},
    ...     "design": {"method": "grid"}, "parameters": {"facts.threat_scale": {"values": [0, 1]},
    ...     "facts.budget_scale": {"low": 1, "high": 2}}})
    >>> build_design(cfg).X.shape   # 2 values x 4 levels
    (8, 2)
    """
    names = tuple(cfg.parameters)
    bounds = []
    for name in names:
        spec = cfg.parameters[name]
        if spec.values is not None:
            bounds.append([min(spec.values), max(spec.values)])
        else:
            bounds.append([float(spec.low), float(spec.high)])  # type: ignore[arg-type]
    problem = {"num_vars": len(names), "names": list(names), "bounds": bounds}
    method = cfg.design.method
    if method == "grid":
        axes = []
        for name in names:
            spec = cfg.parameters[name]
            if spec.values is not None:
                axes.append([float(v) for v in spec.values])
            else:
                axes.append(list(np.linspace(spec.low, spec.high, cfg.design.levels)))
        X = np.array(list(itertools.product(*axes)), dtype=float).reshape(-1, len(names))
    elif method == "sobol":
        from SALib.sample import sobol as sobol_sample

        X = sobol_sample.sample(problem, cfg.design.n, calc_second_order=cfg.design.second_order,
                                scramble=True, seed=cfg.seed % 2**32)
    else:
        from SALib.sample import morris as morris_sample

        X = morris_sample.sample(problem, cfg.design.n, num_levels=cfg.design.levels,
                                 seed=cfg.seed % 2**32)
    return Design(names=names, X=np.asarray(X, dtype=float), problem=problem)


def _chunks(n_points: int, chunk_points: int) -> list[tuple[int, int]]:
    return [(a, min(a + chunk_points, n_points)) for a in range(0, n_points, chunk_points)]


def evaluate_chunk(world: Any, runs: int, names: Sequence[str], X: np.ndarray, start: int,
                   seeds: Sequence[np.random.SeedSequence]) -> pd.DataFrame:
    """Run the world model at the design points ``X`` (rows ``start, start+1, ...``) -> outcomes.

    This is the unit of work sent to a Dask worker; it only depends on its arguments.
    """
    from .world import evaluate

    rows = []
    for k in range(X.shape[0]):
        overrides = {name: float(X[k, j]) for j, name in enumerate(names)}
        outcome = evaluate(world, overrides, runs=runs, seed=seeds[k])
        rows.append({"point": start + k, **{f"x.{n}": v for n, v in overrides.items()}, **outcome})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# Chunk files


def _chunk_path(out: Path, k: int) -> Path:
    return out / "chunks" / f"chunk-{k:06d}.parquet"


def _write_chunk(out: Path, k: int, frame: pd.DataFrame, fingerprint: str) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    meta = dict(table.schema.metadata or {})
    meta[_META_KEY] = json.dumps({"fingerprint": fingerprint, "chunk": k,
                                  "first": int(frame["point"].iloc[0]),
                                  "n": len(frame)}).encode()
    table = table.replace_schema_metadata(meta)
    with atomic_path(_chunk_path(out, k), suffix=".parquet.tmp") as tmp:
        pq.write_table(table, tmp)


def _chunk_is_valid(out: Path, k: int, fingerprint: str, first: int, n: int) -> bool:
    """A chunk on disk counts as done only if it is readable and belongs to this sweep and chunk."""
    import pyarrow.parquet as pq

    path = _chunk_path(out, k)
    if not path.is_file():
        return False
    try:
        meta = pq.read_schema(path).metadata or {}
        info = json.loads(meta[_META_KEY])
        points = pq.read_table(path, columns=["point"]).column("point").to_numpy()
    except Exception:  # noqa: BLE001 - any unreadable file is simply recomputed
        return False
    return (info.get("fingerprint") == fingerprint and info.get("chunk") == k
            and info.get("first") == first and info.get("n") == n
            and np.array_equal(points, np.arange(first, first + n)))


# ---------------------------------------------------------------------------------------------
# Running


@dataclass
class SweepResult:
    """What a sweep produced. ``results`` has one row per design point; ``indices`` the sensitivity."""

    config: SweepConfig
    out: Path
    results: pd.DataFrame
    indices: pd.DataFrame
    n_points: int
    n_chunks: int
    chunks_computed: int
    chunks_reused: int
    seconds: float
    files: dict[str, str] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """JSON-able summary (also written to ``out/summary.json``)."""
        return {
            "name": self.config.name, "fingerprint": self.config.fingerprint(),
            "seed": self.config.seed, "design": self.config.design.method,
            "n_points": self.n_points, "runs_per_point": self.config.runs_per_point,
            "total_runs": self.n_points * self.config.runs_per_point,
            "n_chunks": self.n_chunks, "chunks_computed": self.chunks_computed,
            "chunks_reused": self.chunks_reused, "seconds": round(self.seconds, 3),
            "files": self.files,
            "indices": json.loads(self.indices.to_json(orient="records")),
        }


def _progress(total: int, initial: int, enabled: bool) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, initial=initial, unit="chunk", desc="sweep", file=sys.stderr,
                disable=not enabled, dynamic_ncols=True)


def run_sweep(cfg: SweepConfig, out: str | os.PathLike[str], *, workers: int | None = None,
              scheduler: str | None = None, data_dir: str | os.PathLike[str] | None = None,
              progress: bool = True, connect_timeout: float = 5.0,
              on_chunk: Callable[[int], None] | None = None, client: Any = None) -> SweepResult:
    """Run (or resume) the sweep ``cfg`` into the folder ``out``.

    Parameters
    ----------
    cfg
        A validated :class:`SweepConfig`.
    out
        Output folder. Completed chunks found there (same sweep fingerprint) are verified and reused.
    workers
        Run on a local Dask ``LocalCluster`` with this many worker processes. ``None`` and no
        ``scheduler``: evaluate in this process.
    scheduler
        Address of a running Dask scheduler (``tcp://host:port``). If it does not answer within
        ``connect_timeout`` seconds, :class:`InputError` is raised.
    on_chunk
        Called with the chunk index after each chunk is written (used by tests).
    client
        An open ``distributed.Client`` to use instead of ``workers``/``scheduler`` (not closed).
    """
    from .world import build_world

    from .dask_runner import check_connect_options

    check_connect_options(scheduler, connect_timeout)  # before any work: one line on a bad option
    t0 = time.perf_counter()
    out = Path(out)
    fingerprint = cfg.fingerprint()
    manifest = out / "sweep.json"
    if manifest.is_file():
        try:
            previous = json.loads(manifest.read_text(encoding="utf-8")).get("fingerprint")
        except (OSError, ValueError):
            previous = None
        if previous != fingerprint:
            raise InputError(f"holds a different sweep (fingerprint {previous}, this config "
                             f"{fingerprint}); use another --out folder", source=str(out))
    design = build_design(cfg)
    bounds = _chunks(design.n_points, cfg.chunk_points)
    world = build_world(cfg.world, data_dir=data_dir)
    own_client = client is None
    cluster = None
    if client is None and (workers is not None or scheduler is not None):   # fail fast on a dead scheduler
        from .dask_runner import connect

        client, cluster = connect(workers=workers, scheduler=scheduler,
                                  connect_timeout=connect_timeout)
    try:
        write_json_atomic(manifest, {"fingerprint": fingerprint,
                                     "config": cfg.model_dump(mode="json"),
                                     "n_points": design.n_points, "n_chunks": len(bounds)})
        seeds = spawn_seeds(cfg.seed, design.n_points)
        todo = [k for k, (a, b) in enumerate(bounds)
                if not _chunk_is_valid(out, k, fingerprint, a, b - a)]
        reused = len(bounds) - len(todo)

        def tasks() -> Iterable[tuple[int, tuple[Any, ...]]]:
            for k in todo:
                a, b = bounds[k]
                yield k, (cfg.runs_per_point, design.names, design.X[a:b], a, seeds[a:b])

        bar = _progress(len(bounds), reused, progress)

        def done(k: int, frame: pd.DataFrame) -> None:
            _write_chunk(out, k, frame, fingerprint)
            bar.update(1)
            if on_chunk is not None:
                on_chunk(k)

        try:
            if todo and client is not None:
                from .dask_runner import run_on_dask

                run_on_dask(evaluate_chunk, world, tasks(), done, client=client)
            else:
                for k, args in tasks():
                    done(k, evaluate_chunk(world, *args))
        finally:
            bar.close()
    finally:
        if own_client and client is not None:
            client.close()
        if cluster is not None:
            cluster.close()

    results = collect_results(out, len(bounds))
    indices = sensitivity_indices(cfg, design, results)
    files = _write_outputs(out, cfg, results, indices)
    result = SweepResult(config=cfg, out=out, results=results, indices=indices,
                         n_points=design.n_points, n_chunks=len(bounds), chunks_computed=len(todo),
                         chunks_reused=reused, seconds=time.perf_counter() - t0, files=files)
    write_json_atomic(out / "summary.json", result.summary())
    return result


def collect_results(out: Path, n_chunks: int) -> pd.DataFrame:
    """Concatenate the chunk files (in point order)."""
    frames = [pd.read_parquet(_chunk_path(out, k)) for k in range(n_chunks)]
    return pd.concat(frames, ignore_index=True).sort_values("point", kind="stable").reset_index(drop=True)


def _outcome_columns(cfg: SweepConfig, results: pd.DataFrame) -> list[str]:
    cols = [c for c in results.columns if c != "point" and not c.startswith("x.")]
    return [c for c in cols if cfg.outcomes is None or c in cfg.outcomes]


def sensitivity_indices(cfg: SweepConfig, design: Design, results: pd.DataFrame) -> pd.DataFrame:
    """Sensitivity of each outcome to each parameter, as a tidy frame.

    Columns: ``outcome, parameter, method, index, value, conf``. Sobol' designs give ``S1`` and
    ``ST`` (SALib, bootstrap 95% intervals); Morris gives ``mu_star`` and ``sigma``; a grid gives the
    main-effect ``range`` (max minus min of the outcome's mean over each parameter's levels).
    """
    rows: list[dict[str, Any]] = []
    seed = cfg.seed % 2**32
    for outcome in _outcome_columns(cfg, results):
        y = results[outcome].to_numpy(dtype=float)
        if not np.all(np.isfinite(y)) or np.ptp(y) == 0:
            for name in design.names:
                rows.append({"outcome": outcome, "parameter": name, "method": cfg.design.method,
                             "index": "constant", "value": 0.0, "conf": 0.0})
            continue
        if cfg.design.method == "sobol":
            from SALib.analyze import sobol as sobol_analyze

            si = sobol_analyze.analyze(design.problem, y, calc_second_order=cfg.design.second_order,
                                       seed=seed)
            for j, name in enumerate(design.names):
                for idx in ("S1", "ST"):
                    rows.append({"outcome": outcome, "parameter": name, "method": "sobol",
                                 "index": idx, "value": float(si[idx][j]),
                                 "conf": float(si[f"{idx}_conf"][j])})
        elif cfg.design.method == "morris":
            from SALib.analyze import morris as morris_analyze

            si = morris_analyze.analyze(design.problem, design.X, y, num_levels=cfg.design.levels,
                                        seed=seed)
            for j, name in enumerate(design.names):
                rows.append({"outcome": outcome, "parameter": name, "method": "morris",
                             "index": "mu_star", "value": float(si["mu_star"][j]),
                             "conf": float(si["mu_star_conf"][j])})
                rows.append({"outcome": outcome, "parameter": name, "method": "morris",
                             "index": "sigma", "value": float(si["sigma"][j]), "conf": float("nan")})
        else:
            for j, name in enumerate(design.names):
                means = pd.Series(y).groupby(design.X[:, j]).mean()
                rows.append({"outcome": outcome, "parameter": name, "method": "grid",
                             "index": "range", "value": float(means.max() - means.min()),
                             "conf": float("nan")})
    return pd.DataFrame(rows, columns=["outcome", "parameter", "method", "index", "value", "conf"])


def _write_outputs(out: Path, cfg: SweepConfig, results: pd.DataFrame,
                   indices: pd.DataFrame) -> dict[str, str]:
    with atomic_path(out / "results.parquet", suffix=".parquet.tmp") as tmp:
        results.to_parquet(tmp, index=False)
    with atomic_path(out / "indices.csv") as tmp:
        indices.to_csv(tmp, index=False)
    files = {"results": "results.parquet", "indices": "indices.csv", "chunks": "chunks/"}
    if not indices.empty:
        _plot_indices(out / "sensitivity.png", cfg, indices)
        files["plot"] = "sensitivity.png"
    return files


def _plot_indices(target: Path, cfg: SweepConfig, indices: pd.DataFrame) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    main = {"sobol": "ST", "morris": "mu_star", "grid": "range"}[cfg.design.method]
    sub = indices[indices["index"].isin([main, "S1"])]
    outcomes = list(dict.fromkeys(sub["outcome"]))
    params = list(dict.fromkeys(indices["parameter"]))
    fig, axes = plt.subplots(1, max(1, len(outcomes)), figsize=(3.2 * max(1, len(outcomes)) + 1.5,
                                                                0.45 * len(params) + 1.8),
                             sharey=True, squeeze=False)
    y = np.arange(len(params))
    for ax, outcome in zip(axes[0], outcomes, strict=False):
        part = sub[sub["outcome"] == outcome]
        kinds = [main, "S1"] if cfg.design.method == "sobol" else [main]
        height = 0.8 / len(kinds)
        for i, kind in enumerate(kinds):
            vals = part[part["index"] == kind].set_index("parameter").reindex(params)
            ax.barh(y + i * height - 0.4 + height / 2, vals["value"].fillna(0), height=height,
                    xerr=vals["conf"].where(np.isfinite(vals["conf"]), 0).fillna(0).abs(),
                    label=kind, capsize=2)
        ax.set_title(outcome, fontsize=9)
        ax.axvline(0, color="grey", lw=0.5)
    axes[0][0].set_yticks(y, params, fontsize=8)
    axes[0][0].legend(fontsize=7, loc="lower right")
    fig.suptitle(f"{cfg.name}: sensitivity ({cfg.design.method})", fontsize=10)
    fig.tight_layout()
    with atomic_path(target, suffix=".png.tmp") as tmp:
        fig.savefig(tmp, dpi=110, format="png")
    plt.close(fig)
