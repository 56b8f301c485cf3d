"""W8, crowded pages, the chart's rows and the second core: three growth and speed-up targets.

- crowded: `diffcore timeline FOLDER -o FILE` end to end in a child
  process, on one core (`DIFFCORE_WORKERS=1`, so every size runs the same
  way), over crowded archives (`bench.crowded`) of 100 to 800 captures of
  50 items, 90% of them replaced at each capture: every item on one date,
  none dated, and the control with dates spread as usual. The growth
  exponent is the slope of log time over log captures between the two
  largest sizes; at 800 captures each crowded archive is compared with the
  control of the same size, in this run.
- chart: `charts.timeline_chart` (SVG) in this process, one row per item at
  400 to 3,200 rows. The labels go at about 400 rows (a font under 5 points
  is unreadable), so the rows are timed without labels at every size (the
  target), with labels up to 400 rows, and as diffcore draws the chart by
  default (labels, then from 1,000 items neighbours sharing a row).
- workers: `diffcore timeline` over the W2 archive of 10,000 captures with
  one process (`DIFFCORE_WORKERS=1`) and with two workers, taken in turn,
  the best of three each; the outputs must be the same bytes. The CPU time
  other work took on the machine during each run is kept beside it: a second
  worker can only pay when a second core is free.

Times are wall times (the best of three runs at every size); the CPU time of each
command (its workers included) is kept beside it, since the machine is
shared and its load is not this run's. The load average is read before each
part.
"""

from __future__ import annotations

import math
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from bench.archives import write_archive_files
from bench.crowded import DATINGS, ITEMS, write_crowded
from bench.measure import Command, machine, run_module
from bench.w2_timeline import SEED as W2_SEED
from bench.w4_growth import crowded as crowded_timeline

COUNTS = (100, 200, 400, 800)
SMOKE_COUNTS = (20, 40)
REPEATS = 3
"""Every size runs this many times and the best is kept: the exponent and the ratio to the control compare
like with like (the best of three at 400 captures against one run at 800 read the noise as growth)."""
CHART_ROWS = (400, 800, 1_600, 3_200)
SMOKE_CHART_ROWS = (40, 80)
LABELLED_ROWS = (100, 200, 400)
SMOKE_LABELLED_ROWS = (20, 40)
WORKERS_CAPTURES = 10_000
WORKERS_ROUNDS = 3
"""One worker, then two, this many times: the best of each is kept (the machine is shared)."""
SMOKE_WORKERS_CAPTURES = 200
CAP = 600.0
SMOKE_CAP = 120.0


@dataclass(frozen=True)
class Run:
    """One measured size: the best wall time and the CPU time of that run (None when capped)."""

    size: int
    seconds: float | None
    cpu: float | None = None
    found: int | None = None
    """Item identities the timeline found."""
    true: int | None = None
    """Item identities the archive truly holds."""
    max_rss: int | None = None
    """The command's peak resident memory (bytes)."""
    others: float | None = None
    """CPU seconds other work (not this run's) took on the machine while the command ran."""


@dataclass(frozen=True)
class Series:
    """One line of measurements at growing sizes."""

    name: str
    runs: tuple[Run, ...]

    def run(self, size: int) -> Run | None:
        """The run at `size`, if measured."""
        return next((run for run in self.runs if run.size == size), None)

    def exponent(self, low: int | None = None, high: int | None = None) -> float | None:
        """Slope of log time over log size between `low` and `high` (default: the two largest sizes)."""
        timed = [run for run in self.runs if run.seconds]
        if len(timed) < 2:
            return None
        first = next((run for run in timed if run.size == low), timed[-2]) if low else timed[-2]
        last = next((run for run in timed if run.size == high), timed[-1]) if high else timed[-1]
        if first is last or not first.seconds or not last.seconds:
            return None
        return math.log(last.seconds / first.seconds) / math.log(last.size / first.size)


@dataclass(frozen=True)
class W8Result:
    """W8: the crowded timelines by dating, the chart's rows, one worker against two."""

    crowded: tuple[Series, ...]
    chart: tuple[Series, ...]
    workers: tuple[Series, ...]
    workers_captures: int
    same_output: bool | None
    loads: tuple[tuple[str, float], ...]
    """The 1-minute load average before each part (2 cores: above 2, other work waits for a core)."""
    machine: str
    """The CPU and cores this run had (a merged results file keeps the machine table of its first run)."""
    cap: float
    smoke: bool

    def series(self, name: str) -> Series | None:
        """A series of any part, by name."""
        return next((s for s in (*self.crowded, *self.chart, *self.workers) if s.name == name), None)


def _identities(output: Path) -> int | None:
    with output.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("Items ("):
                return int(line[len("Items (") :].split(")")[0])
    return None


def _timeline(folder: Path, output: Path, cap: float, workers: int, profile: Path | None = None) -> Command:
    args = ["timeline", str(folder), "-o", str(output)] + (["--profile", str(profile)] if profile else [])
    done = run_module("diffcore", args, timeout=cap, env={"DIFFCORE_WORKERS": str(workers)})
    if not done.capped and done.returncode != 0:
        raise RuntimeError(f"diffcore timeline failed: {done.stderr.strip()[-2000:]}")
    return done


def _crowded(counts: tuple[int, ...], cap: float, progress: Callable[[str], None]) -> tuple[Series, ...]:
    series = []
    for dating in DATINGS:
        runs = []
        for captures in counts:
            progress(f"W8: {captures:,} crowded captures, dates: {dating}")
            with tempfile.TemporaryDirectory(prefix="diffcore-bench-w8-") as tmp:
                written = write_crowded(captures, dating, Path(tmp) / "archive")
                output = Path(tmp) / "timeline.txt"
                best: Command | None = None
                for _ in range(REPEATS):
                    done = _timeline(written.folder, output, cap, 1, written.profile)
                    if done.capped:
                        best = None
                        break
                    best = done if best is None or done.seconds < best.seconds else best
                found = _identities(output) if best is not None else None
            runs.append(
                Run(
                    captures,
                    best.seconds if best else None,
                    best.cpu if best else None,
                    found,
                    written.identities,
                    best.max_rss if best else None,
                )
            )
            if best is None:
                break  # capped: larger sizes would be too
        series.append(Series(dating, tuple(runs)))
    return tuple(series)


@contextmanager
def _rows_apart(labels: bool) -> Iterator[None]:
    """One row per item however many (and, unless `labels`, no labels at any size)."""
    from diffcore.render import charts

    with mock.patch.object(charts, "MAX_ITEM_ROWS", 10**9):
        if labels:
            yield
            return
        with mock.patch.object(charts, "SMALLEST_LABEL", charts.LARGEST_LABEL + 1):
            yield


def _chart_seconds(rows: int) -> float:
    from diffcore.render.charts import timeline_chart

    timeline = crowded_timeline(rows)
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        timeline_chart(timeline)
        best = min(best, time.perf_counter() - started)
    return best


def _chart(rows: tuple[int, ...], labelled: tuple[int, ...], progress: Callable[[str], None]) -> tuple[Series, ...]:
    from diffcore.render.charts import timeline_chart

    timeline_chart(crowded_timeline(3))  # matplotlib's import and font cache, outside the timing
    series = []
    for name, sizes, apart, labels in (
        ("rows", rows, True, False),
        ("labelled", labelled, True, True),
        ("default", rows, False, True),
    ):
        runs = []
        for size in sizes:
            progress(f"W8: the timeline chart, {size:,} items ({name})")
            if apart:
                with _rows_apart(labels):
                    runs.append(Run(size, _chart_seconds(size)))
            else:
                runs.append(Run(size, _chart_seconds(size)))
        series.append(Series(name, tuple(runs)))
    return tuple(series)


def _workers(captures: int, cap: float, progress: Callable[[str], None]) -> tuple[tuple[Series, ...], bool | None]:
    with tempfile.TemporaryDirectory(prefix="diffcore-bench-w8-") as tmp:
        progress(f"W8: writing {captures:,} captures of {ITEMS} items (the W2 archive)")
        written = write_archive_files(captures, ITEMS, W2_SEED, Path(tmp) / "archive")
        best: dict[int, Command] = {}
        outputs: dict[int, bytes] = {}
        for workers in (1, 2) * WORKERS_ROUNDS:
            progress(f"W8: {captures:,} captures with {workers} worker{'s' if workers > 1 else ''}")
            output = Path(tmp) / f"timeline-{workers}.txt"
            done = _timeline(written.folder, output, cap, workers)
            if done.capped:
                continue
            outputs[workers] = output.read_bytes()
            if workers not in best or done.seconds < best[workers].seconds:
                best[workers] = done
        same = outputs[1] == outputs[2] if len(outputs) == 2 else None
        series = tuple(
            Series(
                f"{workers} worker{'s' if workers > 1 else ''}",
                (
                    Run(captures, best[workers].seconds, best[workers].cpu, others=best[workers].others_cpu)
                    if workers in best
                    else Run(captures, None),
                ),
            )
            for workers in (1, 2)
        )
    return series, same


def run(smoke: bool = False, progress: Callable[[str], None] = lambda _: None) -> W8Result:
    """The three parts of W8, smallest sizes first."""
    cap = SMOKE_CAP if smoke else CAP
    loads = [("crowded", os.getloadavg()[0])]
    crowded = _crowded(SMOKE_COUNTS if smoke else COUNTS, cap, progress)
    loads.append(("chart", os.getloadavg()[0]))
    chart = _chart(SMOKE_CHART_ROWS if smoke else CHART_ROWS, SMOKE_LABELLED_ROWS if smoke else LABELLED_ROWS, progress)
    loads.append(("workers", os.getloadavg()[0]))
    captures = SMOKE_WORKERS_CAPTURES if smoke else WORKERS_CAPTURES
    workers, same = _workers(captures, cap, progress)
    loads.append(("end", os.getloadavg()[0]))
    found = machine()
    return W8Result(
        crowded, chart, workers, captures, same, tuple(loads), f"{found['CPU']}, {found['cores']} cores", cap, smoke
    )
