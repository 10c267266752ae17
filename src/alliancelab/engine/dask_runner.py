"""Run sweep chunks on Dask: a local ``LocalCluster`` or an existing distributed scheduler.

The driver (the process that called :func:`run_on_dask`) writes every chunk to disk as soon as its
future completes, so a worker that dies loses only the chunk it was computing; Dask reschedules that
chunk on another worker. Workers need no shared file system. Numbers do not depend on scheduling:
each design point carries its own seed (see :mod:`alliancelab.engine.sweep`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from .._exceptions import InputError, ModelError

__all__ = ["check_connect_options", "connect", "run_on_dask"]

#: Scheduler protocols usable from the command line (``inproc://`` works only inside one process;
#: ``ucx://`` needs optional packages this project does not install).
_PROTOCOLS = ("tcp", "tls")


def check_connect_options(scheduler: str | None, connect_timeout: float) -> None:
    """Refuse a malformed ``--scheduler`` address or ``--timeout`` with one line, before any work."""
    import math
    from urllib.parse import urlsplit

    if isinstance(connect_timeout, bool) or not isinstance(connect_timeout, (int, float)) \
            or not math.isfinite(connect_timeout) or not 0 < connect_timeout <= 3600:
        raise InputError(f"must be a number of seconds in (0, 3600]; got {connect_timeout!r}",
                         field="--timeout")
    if scheduler is None:
        return
    shown = scheduler if len(scheduler) <= 80 else scheduler[:77] + "..."
    allowed = "allowed: tcp://HOST:PORT or tls://HOST:PORT with PORT in [1, 65535]"
    proto, sep, _ = scheduler.partition("://")
    if not sep:
        raise InputError(f"{shown!r} has no protocol; {allowed}", field="--scheduler")
    if proto.lower() not in _PROTOCOLS:
        raise InputError(f"protocol {proto[:20]!r} is not supported; {allowed}", field="--scheduler")
    try:
        parts = urlsplit(scheduler)
        port = parts.port
        host = parts.hostname
    except ValueError:
        port, host = None, None
    if not host or port is None or not 1 <= port <= 65535 or parts.path not in ("", "/") \
            or parts.query or parts.fragment:
        raise InputError(f"{shown!r} is not a usable scheduler address; {allowed}", field="--scheduler")


def connect(*, workers: int | None = None, scheduler: str | None = None,
            connect_timeout: float = 5.0) -> tuple[Any, Any]:
    """Return ``(client, cluster)``; ``cluster`` is ``None`` for a remote scheduler.

    Raises
    ------
    InputError
        If ``scheduler`` is malformed or does not answer within ``connect_timeout`` seconds.
    """
    from distributed import Client, LocalCluster

    check_connect_options(scheduler, connect_timeout)
    if scheduler is not None:
        logging.getLogger("distributed").setLevel(logging.CRITICAL)
        try:
            client = Client(scheduler, timeout=f"{connect_timeout}s", set_as_default=False)
        except (OSError, TimeoutError) as err:
            raise InputError(f"Dask scheduler {scheduler} did not answer within "
                             f"{connect_timeout:g} s ({type(err).__name__}); is it running and "
                             f"reachable?", field="--scheduler") from None
        except ValueError as err:
            raise InputError(f"not a usable scheduler address {scheduler!r}: {err}",
                             field="--scheduler") from None
        return client, None
    n = 1 if workers is None else int(workers)
    if n < 1:
        raise InputError(f"must be a whole number >= 1; got {workers!r}", field="--workers")
    cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=logging.ERROR)
    client = Client(cluster, set_as_default=False)
    return client, cluster


def run_on_dask(func: Callable[..., Any], shared: Any,
                tasks: Iterable[tuple[int, tuple[Any, ...]]],
                done: Callable[[int, Any], None], *, workers: int | None = None,
                scheduler: str | None = None, connect_timeout: float = 5.0,
                client: Any = None) -> None:
    """Submit ``func(shared, *args)`` for every ``(key, args)`` of ``tasks``; call ``done(key, result)``
    in the driver as results arrive (in completion order).

    ``shared`` (e.g. the world) is scattered once to every worker. Pass ``client`` to reuse an open
    client (tests); otherwise one is created from ``workers``/``scheduler`` and closed at the end.
    """
    from distributed import as_completed
    from distributed.client import FutureCancelledError

    own = client is None
    cluster = None
    if own:
        client, cluster = connect(workers=workers, scheduler=scheduler,
                                  connect_timeout=connect_timeout)
    try:
        shared_f = client.scatter(shared, broadcast=True, hash=False)
        futures = {}
        for key, args in tasks:
            fut = client.submit(func, shared_f, *args, pure=False, retries=3,
                                key=f"alliancelab-chunk-{key}-{id(futures)}")
            futures[fut] = key
        try:
            for fut, result in as_completed(list(futures), with_results=True, loop=client.loop):
                done(futures[fut], result)
        except FutureCancelledError as err:
            raise ModelError(f"the Dask cluster cancelled a sweep chunk ({err}); rerun the same "
                             f"command to resume") from err
        except Exception as err:
            if type(err).__name__ == "KilledWorker":
                raise ModelError(f"a sweep chunk killed its workers repeatedly ({err}); completed "
                                 f"chunks are saved, rerun to resume") from err
            raise
    finally:
        if own:
            client.close()
            if cluster is not None:
                cluster.close()
