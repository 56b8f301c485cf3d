"""An ordered map over worker processes with a bounded lookahead.

Reading and parsing many captures is independent work per file, while the
timeline folds them strictly in order. `ordered_map` gives both: the workers
run ahead by at most `ahead` batches, results come back in input order, and
memory stays flat however many items there are. With one worker it is the
plain built-in `map`, in this process.
"""

from __future__ import annotations

import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from types import FrameType
from typing import TYPE_CHECKING, Any, TypeVar, cast

from diffcore.errors import InputError

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_FROM = 500
"""Fewer items than this are handled in this process: starting workers would cost more."""
WORKERS_VARIABLE = "DIFFCORE_WORKERS"
"""The environment variable that sets how many processes to use (1 keeps to this process), on a shared machine say."""


def cores() -> int:
    """The number of cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def workers_for(count: int, workers: int | None = None) -> int:
    """How many processes to use for `count` items: `workers` if given, else `DIFFCORE_WORKERS` if set,
    else every core for many items."""
    if workers is not None:
        return max(1, workers)
    chosen = os.environ.get(WORKERS_VARIABLE, "").strip()
    if chosen:
        if not chosen.isdigit() or int(chosen) < 1:
            raise InputError(WORKERS_VARIABLE, f"must be a number of processes, 1 or more, not {chosen!r}")
        return int(chosen)
    return cores() if count >= PARALLEL_FROM else 1


HELD = frozenset({signal.SIGINT, signal.SIGTERM})
"""The signals held back while workers are forked, until each has set its own handling."""
_Handler = Callable[[int, FrameType | None], Any] | int | signal.Handlers
"""What `signal.signal` takes and gives back for a signal whose handler Python set."""


def _ignore_interrupts() -> None:
    """Worker setup: Ctrl-C reaches the whole process group, and only the parent handles it.

    SIGTERM ends a worker at once: the handler a forked worker inherits from
    the parent (which cleans up and exits) is not the worker's to run, and the
    parent stops its workers with SIGTERM.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD)


@contextmanager
def interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back while the workers are forked, or while a step must not be cut in two.

    They are handled once the body is done (see `_handlers_deferred`), whichever
    thread takes them: pandas and pyarrow start native threads, so blocking the
    signals in this thread alone would not hold them. They are blocked in this
    thread too, for the workers: a child forked here starts with them blocked,
    so it cannot take one before it ignores it (and die, breaking the pool).
    """
    with _handlers_deferred():
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
        try:
            yield
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)  # one pending is noted here, as it is unblocked


@contextmanager
def _handlers_deferred() -> Iterator[None]:
    """Have SIGINT and SIGTERM only noted while the body runs; then restore their handlers and raise what was noted.

    Python runs its handlers in the main thread whatever thread the signal
    reached, so this holds them for the whole process, and raised again in this
    thread they reach their own handlers (Ctrl-C a KeyboardInterrupt, say) as
    before. Python sets handlers from the main thread only: in another thread
    this does nothing, and nothing is needed, as no handler can interrupt it.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    noted: list[int] = []

    def note(signum: int, frame: FrameType | None) -> None:
        if signum not in noted:
            noted.append(signum)

    previous: dict[signal.Signals, _Handler] = {}
    try:
        for held in HELD:
            handler = signal.getsignal(held)
            if handler is not None:  # None: set outside Python, and it could not be put back
                signal.signal(held, note)
                previous[held] = handler
        yield
    finally:
        for held, handler in previous.items():
            signal.signal(held, handler)
        for signum in noted:
            signal.raise_signal(signum)


def _stop(executor: ProcessPoolExecutor) -> None:
    """Stop a worker at once (the run was interrupted): its one long call's result is not wanted."""
    processes = list((getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join()


_stopping: Any = None
"""In a worker of `ordered_map`: the event that says the run was interrupted, checked between items."""


def _start_worker(stopping: Any) -> None:
    global _stopping
    _ignore_interrupts()
    _stopping = stopping


def _run_batch(function: Callable[[T], R], batch: list[T]) -> list[R]:
    """`function` over a batch; cut short (its result is not wanted) once the run is interrupted."""
    results = []
    for item in batch:
        if _stopping is not None and _stopping.is_set():
            break
        results.append(function(item))
    return results


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def ordered_map(
    function: Callable[[T], R], items: Iterable[T], workers: int, batch: int = 64, ahead: int = 4
) -> Generator[R, None, None]:
    """`function` over `items`, in order, on `workers` processes, at most `ahead` batches per worker in flight.

    `function` must be picklable (a module-level function, or a functools.partial
    of one). An exception raised by `function` reaches the caller at the item
    that raised it, as with `map`. A caller that may stop reading early closes
    it (`contextlib.closing`), which stops the workers there and then.
    """
    if workers <= 1:
        yield from map(function, items)
        return
    import multiprocessing  # here, not at the top: a run in one process never starts workers
    from concurrent.futures import ProcessPoolExecutor

    stopping = multiprocessing.get_context().Event()
    executor = ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(stopping,))
    try:
        batches = _batches(items, batch)
        with interrupts_held():  # the first submit forks the workers
            pending: deque[Future[list[R]]] = deque(
                executor.submit(_run_batch, function, chunk) for chunk in islice(batches, ahead * workers)
            )
        while pending:
            results = pending.popleft().result()
            pending.extend(executor.submit(_run_batch, function, chunk) for chunk in islice(batches, 1))
            yield from results
    except BaseException:  # Ctrl-C, SIGTERM, or the caller stopped reading (GeneratorExit)
        # Workers finish the item at hand and send what they have: a worker
        # killed while it sends a result would leave the executor waiting on
        # half a message for ever.
        stopping.set()
        raise
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


_inherited: Callable[[], object] | None = None
"""In a worker started by `alongside`: the call it runs, inherited through fork, never pickled."""


def _inherit(function: Callable[[], object]) -> None:
    global _inherited
    _ignore_interrupts()
    _inherited = function


def _call_inherited() -> object:
    assert _inherited is not None  # set by the worker's initializer
    return _inherited()


@contextmanager
def alongside(function: Callable[[], R], parallel: bool) -> Iterator[Callable[[], R]]:
    """Run `function` in a forked process while the body runs; the body calls what it is given for the result.

    The process inherits `function` and all it holds (a whole timeline, say)
    through fork rather than pickling it, so it starts at once. Without
    `parallel`, or where processes cannot be forked, the call runs in this
    process when its result is asked for. An exception raised by `function`
    is raised by that ask.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if not parallel or "fork" not in multiprocessing.get_all_start_methods():
        yield function
        return
    executor = ProcessPoolExecutor(
        max_workers=1, mp_context=multiprocessing.get_context("fork"), initializer=_inherit, initargs=(function,)
    )
    try:
        with interrupts_held():  # the submit forks the worker
            future = executor.submit(_call_inherited)
        yield lambda: cast(R, future.result())
    except BaseException:
        _stop(executor)  # its output is not wanted: stop it rather than wait for it
        raise
    finally:
        executor.shutdown(wait=True)
