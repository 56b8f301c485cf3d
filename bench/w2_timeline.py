"""W2, timeline: `diffcore timeline` end to end over archives of N captures read from files.

Each archive is streamed to a temporary folder (its generation is not timed),
then the command runs in a child process: its wall time and its own peak RSS
are the figures. The growth of the cost with N is the ratio of the times.
Beside each run, `bench.parse_all` reads and parses the same captures on as
many cores and does nothing else: the floor the timeline is held to.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.archives import write_archive_files
from bench.measure import run_module, tree_peak

SEED = 40
ITEMS = 50
COUNTS = (100, 1_000, 10_000)
SMOKE_COUNTS = (20, 60)
CAP = 300.0
SMOKE_CAP = 60.0
REPEATS = {100: 3, 1_000: 3}
"""Short runs are repeated and the best kept; the longest runs once."""


@dataclass(frozen=True)
class TimelineRun:
    """One archive through `diffcore timeline`: size, truth, best wall time and the highest peak RSS.

    `max_rss` is the command's own process; `tree_rss` the command and its worker processes together.
    `parse_seconds`: the best wall time of parsing the same captures alone (`bench.parse_all`).
    """

    captures: int
    size: int
    identities: int
    histories: int | None
    seconds: float | None
    max_rss: int | None
    runs: int
    parse_seconds: float | None = None
    tree_rss: int | None = None

    @property
    def over_parsing(self) -> float | None:
        """The timeline's time over that of parsing its captures alone."""
        return self.seconds / self.parse_seconds if self.seconds and self.parse_seconds else None


@dataclass(frozen=True)
class W2Result:
    """W2: one run per archive size."""

    items: int
    runs: tuple[TimelineRun, ...]
    cap: float


def _histories(output: Path) -> int | None:
    """The number of item identities the command found (the "Items (n)" heading of its text output)."""
    with output.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("Items ("):
                return int(line[len("Items (") :].split(")")[0])
    return None


def run_timeline(captures: int, root: Path, cap: float) -> TimelineRun:
    """Write an archive of `captures` captures, then time `diffcore timeline` on its folder."""
    folder = root / f"archive-{captures}"
    written = write_archive_files(captures, ITEMS, SEED, folder)
    output = root / f"timeline-{captures}.txt"
    args = ["timeline", str(folder), "-o", str(output)]
    done, parsed, trees = [], [], []
    for _ in range(REPEATS.get(captures, 1)):
        with tree_peak() as tree:
            command = run_module("diffcore", args, timeout=cap)
        trees.append(tree[0])
        if command.capped:
            return TimelineRun(captures, written.size, written.identities, None, None, None, len(done) + 1)
        if command.returncode != 0:
            raise RuntimeError(f"diffcore timeline failed: {command.stderr.strip()[-2000:]}")
        done.append(command)
        floor = run_module("bench.parse_all", [str(folder)], timeout=cap)
        if floor.returncode != 0 or floor.capped:
            raise RuntimeError(f"parsing the captures alone failed: {floor.stderr.strip()[-2000:]}")
        parsed.append(floor.seconds)
    peaks = [command.max_rss for command in done if command.max_rss is not None]
    return TimelineRun(
        captures,
        written.size,
        written.identities,
        _histories(output),
        min(command.seconds for command in done),
        max(peaks) if peaks else None,
        len(done),
        min(parsed),
        max(trees + peaks),  # the command is in its tree: a run too short to sample has its own peak
    )


def run(smoke: bool = False, progress: Callable[[str], None] = lambda _: None) -> W2Result:
    """Every W2 archive size, smallest first, each in its own temporary folder."""
    cap = SMOKE_CAP if smoke else CAP
    runs = []
    for captures in SMOKE_COUNTS if smoke else COUNTS:
        progress(f"W2: {captures:,} captures of {ITEMS} items")
        with tempfile.TemporaryDirectory(prefix="diffcore-bench-w2-") as tmp:
            runs.append(run_timeline(captures, Path(tmp), cap))
    return W2Result(ITEMS, tuple(runs), cap)
