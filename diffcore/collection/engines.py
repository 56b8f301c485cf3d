"""Where a collection's pages are built: a process pool on this machine, or a Dask cluster.

An engine maps a picklable task over the pages and gives the results in the
pages' order, with a bounded number in flight, so memory stays flat however
many pages there are and every engine writes the same dataset.
"""

from __future__ import annotations

import json
import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from diffcore._extras import require
from diffcore._pool import PARALLEL_FROM, ordered_map, workers_for
from diffcore.errors import CollectionError

if TYPE_CHECKING:
    from distributed import Client

T = TypeVar("T")
R = TypeVar("R")

ENGINES = ("local", "dask")
CONNECT_TIMEOUT = "20s"
"""How long to wait for a Dask scheduler to answer."""


class Engine(Protocol):
    """Runs a task once per page, results in the pages' order."""

    name: str

    def map(self, task: Callable[[T], R], items: Iterable[T]) -> Iterator[R]: ...


class LocalEngine:
    """A process pool over this machine's cores (`workers`, else DIFFCORE_WORKERS, else every core)."""

    name = "local"

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers_for(PARALLEL_FROM, workers)

    def map(self, task: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        return ordered_map(task, items, self.workers, batch=1, ahead=2)


class DaskEngine:
    """Dask's distributed scheduler: a LocalCluster of this machine, or a running cluster.

    `scheduler` is its address (tcp://HOST:8786) and `scheduler_file` the file
    dask-jobqueue, dask-kubernetes or `dask scheduler --scheduler-file` write;
    with neither, a LocalCluster of `workers` processes is started and
    stopped. `client` uses a Client already connected (a notebook's, a test's).
    Every worker needs diffcore installed.
    """

    name = "dask"

    def __init__(
        self,
        scheduler: str | None = None,
        scheduler_file: str | None = None,
        workers: int | None = None,
        client: Client | None = None,
    ) -> None:
        require("distributed", "dask", "--engine dask")
        self.scheduler = scheduler
        self.scheduler_file = scheduler_file
        self.workers = workers
        self.client = client

    @contextmanager
    def _connected(self) -> Iterator[Client]:
        import distributed

        # distributed has no type hints: its classes are used as Any.
        Client: Any = distributed.Client
        LocalCluster: Any = distributed.LocalCluster
        if self.client is not None:
            yield self.client
            return
        where = self.scheduler or self.scheduler_file or "a local Dask cluster"
        cluster: Any = None
        try:
            if self.scheduler or self.scheduler_file:
                address = self.scheduler or _address_in(self.scheduler_file or "")
                client = Client(address, timeout=CONNECT_TIMEOUT)
            else:
                count = workers_for(PARALLEL_FROM, self.workers)
                cluster = LocalCluster(
                    n_workers=count,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
                client = Client(cluster)
        except (OSError, TimeoutError, ValueError) as exc:
            raise CollectionError(where, f"cannot reach the Dask scheduler: {_first_line(exc)}") from None
        try:
            yield client
        finally:
            client.close()
            if cluster is not None:
                cluster.close()

    def map(self, task: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        with self._connected() as client:
            in_flight = max(2, 2 * _worker_threads(client))
            pending: deque[Any] = deque()
            for item in items:
                pending.append(client.submit(task, item, pure=False))
                if len(pending) >= in_flight:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()


def _address_in(scheduler_file: str) -> str:
    """The scheduler's address a scheduler file gives, read here: distributed waits forever for a file that
    is not there, and fails with an internal error on one that is not JSON."""
    try:
        with open(scheduler_file, encoding="utf-8") as file:
            address = json.load(file)["address"]
    except FileNotFoundError:
        raise CollectionError(scheduler_file, "no such scheduler file (is the Dask scheduler running?)") from None
    except OSError as exc:
        raise CollectionError(scheduler_file, f"cannot read the scheduler file: {exc.strerror}") from None
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        raise CollectionError(scheduler_file, "not a Dask scheduler file (no scheduler address in it)") from None
    if not isinstance(address, str) or not address:
        raise CollectionError(scheduler_file, "not a Dask scheduler file (no scheduler address in it)")
    return address


def _worker_threads(client: Client) -> int:
    workers = client.scheduler_info().get("workers", {})
    return sum(int(worker.get("nthreads", 1)) for worker in workers.values()) or 1


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def engine_named(
    name: str, workers: int | None = None, scheduler: str | None = None, scheduler_file: str | None = None
) -> Engine:
    """The engine `--engine` names, with its options."""
    if name == "local":
        if scheduler or scheduler_file:
            raise CollectionError("--scheduler", "is for --engine dask")
        return LocalEngine(workers)
    if name == "dask":
        return DaskEngine(scheduler, scheduler_file, workers)
    raise CollectionError("--engine", f"no engine {name!r}; the engines are {', '.join(ENGINES)}")
