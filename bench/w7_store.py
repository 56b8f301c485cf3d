"""W7, the history store (issue 13's "W6"): one page, N captures of 50 items, added to a store and read back.

The archive is W2's (the generator's default churn), written to files with
a few captures more, kept apart: those are added one at a time afterwards,
as a crawler adds each new capture. Every figure is a ratio against the
batch `diffcore timeline` over the same files, measured in the same run:

- `diffcore store add DB FOLDER` (all N, one transaction a capture) and
  `diffcore timeline FOLDER`, each end to end in a child process;
- `diffcore store timeline DB`, whose output must be the batch timeline's,
  byte for byte, and `Store.timeline()` alone (the rows read back into a
  Timeline, nothing rendered); the store file's size;
- one more capture appended: `Store.add_snapshots` of a parsed capture
  (excluding parsing), with the store kept open (a crawler's process) and
  opened for it (a cron job), and `Store.add` of its file (including
  scanning and parsing), medians over the extra captures;
- one capture taken in the middle of the archive, added last (a backfill:
  the captures after it are folded again), once.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.archives import write_archive_files
from bench.measure import Command, run_module

SEED = 40
ITEMS = 50
COUNTS = (1_000, 10_000)
SMOKE_COUNTS = (60,)
EXTRA = 20
SMOKE_EXTRA = 5
CAP = 900.0
SMOKE_CAP = 120.0
REPEATS = {1_000: 2, 60: 1}
"""Runs below 10,000 captures are repeated and the best kept; the longest run once."""


@dataclass(frozen=True)
class StoreRun:
    """One archive: the batch timeline, the store built from it, and captures added one at a time."""

    captures: int
    batch: float | None
    add_all: float | None
    add_rss: int | None
    store_timeline: float | None
    read_timeline: float
    """`Store.timeline()` alone, in this process: the rows read back into a Timeline, nothing rendered."""
    same_output: bool
    size: int
    append_open: float
    append_reopened: float
    append_parsed: float
    backfill: float
    backfill_tail: int
    verified: bool


@dataclass(frozen=True)
class W7Result:
    """W7: one run per archive size."""

    items: int
    extra: int
    runs: tuple[StoreRun, ...]
    cap: float


def _best(args: list[str], repeats: int, cap: float, before: Callable[[], None] = lambda: None) -> Command | None:
    """The fastest of `repeats` runs of `python -m diffcore ARGS` (`before` each), or None when one was stopped."""
    best: Command | None = None
    for _ in range(repeats):
        before()
        command = run_module("diffcore", args, timeout=cap)
        if command.capped:
            return None
        if command.returncode not in (0, 1):
            raise RuntimeError(f"diffcore {' '.join(args[:2])} failed: {command.stderr.strip()[-2000:]}")
        if best is None or command.seconds < best.seconds:
            best = command
    return best


def _appends(db: Path, extra: list[Path]) -> tuple[float, float]:
    """Medians of adding each extra capture at the end, parsed: the store kept open (the first add, which
    opens it, left out), and the store opened for each."""
    from diffcore.load import load
    from diffcore.store import Store

    half = len(extra) // 2
    parsed = [load(path) for path in extra]
    store = Store(db)
    open_times = []
    for snapshot in parsed[:half]:
        started = time.perf_counter()
        store.add_snapshots([snapshot])
        open_times.append(time.perf_counter() - started)
    store.close()
    reopened = []
    for snapshot in parsed[half:]:
        started = time.perf_counter()
        with Store(db) as fresh:
            fresh.add_snapshots([snapshot])
        reopened.append(time.perf_counter() - started)
    return statistics.median(open_times[1:] or open_times), statistics.median(reopened)


def _appends_from_files(db: Path, extra: list[Path]) -> float:
    """The median of `Store.add([file])` (scan, parse, add) for each extra capture, the store kept open."""
    from diffcore.store import Store

    times = []
    with Store(db) as store:
        for path in extra:
            started = time.perf_counter()
            store.add([path])
            times.append(time.perf_counter() - started)
    return statistics.median(times[1:] or times)


def _read_timeline(db: Path) -> float:
    """The best of three `Store.timeline()` calls, the store opened read-only."""
    from bench.measure import best_of
    from diffcore.store import Store

    with Store(db, read_only=True) as store:
        return best_of(store.timeline, runs=3, budget=0).seconds


def _backfill(db: Path, middle: Path) -> tuple[float, int]:
    """The time to add a capture taken in the middle of the archive, and how many captures came after it."""
    from diffcore.load import load
    from diffcore.store import Store

    snapshot = load(middle)
    with Store(db) as store:
        started = time.perf_counter()
        [added] = store.add_snapshots([snapshot]).added
        seconds = time.perf_counter() - started
        tail = store.page().captures - 1 - added.seq
    return seconds, tail


def run_store(captures: int, root: Path, cap: float, extra_count: int, progress: Callable[[str], None]) -> StoreRun:
    """Write the archive, time the batch timeline and the store built from it, then the additions."""
    folder, extra_folder = root / "archive", root / "extra"
    progress(f"W7: writing {captures:,} captures (and {extra_count} more)")
    write_archive_files(captures + extra_count, ITEMS, SEED, folder)
    from diffcore.load import scan

    ordered = [entry.path for entry in scan([folder]).captures]
    extra_folder.mkdir()
    extra = [Path(shutil.move(path, extra_folder / path.name)) for path in ordered[captures:]]
    middle = ordered[captures // 2]
    held = root / middle.name
    shutil.move(middle, held)  # added last, as a backfill
    repeats = REPEATS.get(captures, 1)
    progress(f"W7: diffcore timeline on {captures - 1:,} captures")
    batch_out, store_out = root / "batch.txt", root / "store.txt"
    batch = _best(["timeline", str(folder), "-o", str(batch_out)], repeats, cap)
    db = root / "history.db"

    def fresh() -> None:
        for name in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            name.unlink(missing_ok=True)

    progress(f"W7: diffcore store add on {captures - 1:,} captures")
    add_all = _best(["store", "add", str(db), str(folder), "-o", str(root / "add.txt")], repeats, cap, fresh)
    progress("W7: diffcore store timeline")
    stored = _best(["store", "timeline", str(db), "-o", str(store_out)], repeats, cap)
    same = batch_out.read_bytes() == store_out.read_bytes()
    size = db.stat().st_size
    read_timeline = _read_timeline(db)
    progress("W7: captures added one at a time")
    work = root / "work.db"
    shutil.copy(db, work)
    half = len(extra) // 2  # half added to an open store, half to a store opened for each
    append_open, append_reopened = _appends(work, extra[: 2 * half])
    shutil.copy(db, work)
    append_parsed = _appends_from_files(work, extra)
    progress("W7: a capture taken in the middle, added last")
    shutil.copy(db, work)
    backfill, tail = _backfill(work, held)
    from diffcore.store import Store

    with Store(work, read_only=True) as check:
        verified = not check.verify()
    return StoreRun(
        captures - 1,
        batch.seconds if batch else None,
        add_all.seconds if add_all else None,
        add_all.max_rss if add_all else None,
        stored.seconds if stored else None,
        read_timeline,
        same,
        size,
        append_open,
        append_reopened,
        append_parsed,
        backfill,
        tail,
        verified,
    )


def run(smoke: bool = False, progress: Callable[[str], None] = lambda _: None) -> W7Result:
    """Every W7 archive size, smallest first, each in its own temporary folder."""
    cap = SMOKE_CAP if smoke else CAP
    extra = SMOKE_EXTRA if smoke else EXTRA
    runs = []
    for captures in SMOKE_COUNTS if smoke else COUNTS:
        with tempfile.TemporaryDirectory(prefix="diffcore-bench-w7-") as tmp:
            runs.append(run_store(captures + 1, Path(tmp), cap, extra, progress))
    return W7Result(ITEMS, extra, tuple(runs), cap)
