"""W4, growth: how each command's cost grows as its input doubles, against a floor measured on the same input.

Six cases, each run at doubling sizes: a long lead article edited (`diffcore
diff`), one item with a long summary edited (`diffcore diff`), a report folder
with many counters (`diffcore report --format html`), the items chart of many
items (`charts.timeline_chart`, in this process), a report folder of many
captures (`diffcore report --format html`) and one huge capture (`diffcore
show`). Commands run in a child process (wall time, own peak RSS); inputs are
generated and written first, untimed. The growth exponent is the slope of
log(time) over log(size) between the two largest sizes: 1 is linear, 2
quadratic. After each command, its floor runs on the same input (`FLOORS`):
reading and parsing the captures alone, or for the chart an empty figure of
its size saved alike; each time target is a ratio to it.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from bench.archives import write_archive_files
from bench.measure import run_module
from synthetic import Entry, Page, Tally, chronicle, new_entry
from synthetic.page import identity
from synthetic.vocabulary import edit_words, paragraph

if TYPE_CHECKING:
    from diffcore.model import Timeline

SEED = 44
START = dt.date(2021, 3, 1)
CAP = 600.0
SMOKE_CAP = 120.0


@dataclass(frozen=True)
class Case:
    """One case: what it measures, its sizes (full and smoke), the unit of size, and its target."""

    name: str
    title: str
    sizes: tuple[int, ...]
    smoke: tuple[int, ...]
    unit: str
    target: str


CASES = (
    Case(
        "lead",
        "Lead article edited, `diffcore diff`",
        (5_000, 10_000, 20_000, 40_000),
        (2_000, 4_000),
        "words",
        "linear; 40,000 words in at most 8x parsing both captures",
    ),
    Case(
        "summary",
        "One item with a long summary edited, `diffcore diff`",
        (2_500, 5_000, 10_000, 20_000),
        (1_000, 2_000),
        "words",
        "20,000 words in at most 8x parsing both captures",
    ),
    Case(
        "counters",
        "Counters, `diffcore report --format html` (30 captures)",
        (50, 100, 200, 400),
        (10, 20),
        "counters",
        "linear; 400 counters in at most 40x parsing the captures",
    ),
    Case(
        "chart",
        "Items chart, `charts.timeline_chart` (60 captures)",
        (2_000, 4_000, 8_000, 16_000),
        (200, 400),
        "items",
        "16,000 items in at most 10x an empty figure saved alike",
    ),
    Case(
        "captures",
        "Report folder, `diffcore report --format html` (50 items a capture)",
        (5_000, 10_000, 20_000),
        (40, 80),
        "captures",
        "20,000 captures in at most 6x parsing them, 600 MB, memory flat",
    ),
    Case(
        "show", "One huge capture, `diffcore show`", (25, 50, 100, 200), (1, 2), "MB", "200 MB in at most 1 GB peak RSS"
    ),
)


@dataclass(frozen=True)
class Point:
    """One size of one case: wall time and peak RSS (None when capped or not measured), and its floor's time."""

    size: int
    seconds: float | None
    max_rss: int | None
    floor: float | None = None
    """The floor the case is held to, on the same input (`FLOORS`); None where it has none."""

    @property
    def over_floor(self) -> float | None:
        """The case's time over its floor's."""
        return self.seconds / self.floor if self.seconds and self.floor else None


FLOORS = {
    "lead": "reading and parsing both captures alone (`bench.parse_all`)",
    "summary": "reading and parsing both captures alone (`bench.parse_all`)",
    "counters": "reading and parsing the captures alone (`bench.parse_all`)",
    "captures": "reading and parsing the captures alone (`bench.parse_all`)",
    "chart": "an empty figure of the same size saved alike (matplotlib alone)",
}
"""What each case's time is held to, measured on the same input in the same run."""


@dataclass(frozen=True)
class Growth:
    """A case's points, smallest first."""

    case: Case
    points: tuple[Point, ...]

    def point(self, size: int) -> Point | None:
        """The point at `size`, if measured."""
        return next((p for p in self.points if p.size == size), None)

    @property
    def exponent(self) -> float | None:
        """Slope of log time over log size between the two largest sizes measured (1 = linear)."""
        timed = [p for p in self.points if p.seconds]
        if len(timed) < 2:
            return None
        low, high = timed[-2], timed[-1]
        return math.log(high.seconds / low.seconds) / math.log(high.size / low.size)  # type: ignore[operator]


@dataclass(frozen=True)
class W4Result:
    """W4: every case's growth, and the cap a command ran under."""

    cases: tuple[Growth, ...]
    cap: float
    smoke: bool


def prose(words: int, rng: random.Random) -> tuple[str, ...]:
    """Generated paragraphs of at least `words` words in all."""
    out: list[str] = []
    total = 0
    while total < words:
        out.append(paragraph(rng))
        total += len(out[-1].split())
    return tuple(out)


def edited(paragraphs: tuple[str, ...], rng: random.Random, edits: int = 10) -> tuple[str, ...]:
    """The paragraphs with `edits` of them changed by a word."""
    out = list(paragraphs)
    for at in rng.sample(range(len(out)), min(edits, len(out))):
        out[at] = edit_words(out[at], rng)
    return tuple(out)


def _items(rng: random.Random, count: int, first: int = 2) -> tuple[Entry, ...]:
    taken: set[str] = set()
    entries = []
    for number in range(first, first + count):
        entry = new_entry(rng, identity(number), START - dt.timedelta(days=number // 3), taken)
        taken.add(entry.id)
        entries.append(entry)
    return tuple(entries)


def _write_pages(pages: list[Page], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for capture in chronicle(pages):
        path = folder / capture.name
        path.write_bytes(capture.text.encode("utf-8"))
        paths.append(path)
    return paths


def lead_pair(words: int, folder: Path) -> list[Path]:
    """Two captures whose lead article of `words` words differs by ten one-word edits."""
    rng = random.Random(SEED)
    lead = Entry(identity(1), START, "The year at the lighthouse", prose(words, rng))
    items = _items(rng, 20)
    counters = (Tally("the last keeper left the Fog Station", START, 100),)
    later = START + dt.timedelta(days=7)
    return _write_pages(
        [
            Page(START, "10:00", counters, lead, items),
            Page(
                later,
                "10:00",
                (replace(counters[0], value=107),),
                replace(lead, summary=edited(lead.summary, rng)),
                items,
            ),
        ],
        folder,
    )


def summary_pair(words: int, folder: Path) -> list[Path]:
    """Two captures whose first item, with a summary of `words` words, differs by ten one-word edits."""
    rng = random.Random(SEED)
    items = _items(rng, 20)
    long = replace(items[0], summary=prose(words, rng))
    later = START + dt.timedelta(days=7)
    lead = Entry(identity(1), START, "The year at the lighthouse", (paragraph(rng),))
    return _write_pages(
        [
            Page(START, "10:00", (), lead, (long, *items[1:])),
            Page(later, "10:00", (), lead, (replace(long, summary=edited(long.summary, rng)), *items[1:])),
        ],
        folder,
    )


def counters_archive(counters: int, folder: Path, captures: int = 30) -> list[Path]:
    """`captures` weekly captures of 20 items with `counters` counters, one in seven stalled each week."""
    rng = random.Random(SEED)
    items = _items(rng, 20)
    lead = Entry(identity(1), START, "The year at the lighthouse", (paragraph(rng),))
    since = [START - dt.timedelta(days=rng.randint(30, 3000)) for _ in range(counters)]
    values = [(START - day).days for day in since]
    pages = []
    for week in range(captures):
        captured = START + dt.timedelta(days=7 * week)
        if week:
            values = [value if rng.random() < 1 / 7 else value + 7 for value in values]
        tallies = tuple(
            Tally(f"the beacon number {n + 1} at the North Pier was lit", since[n], values[n]) for n in range(counters)
        )
        pages.append(Page(captured, "10:00", tallies, lead, items))
    return _write_pages(pages, folder)


def huge_capture(megabytes: int, folder: Path) -> list[Path]:
    """One capture of about `megabytes` MB: a very long item list."""
    rng = random.Random(SEED)
    lead = Entry(identity(1), START, "The year at the lighthouse", (paragraph(rng),))
    folder.mkdir(parents=True, exist_ok=True)
    probe = next(chronicle([Page(START, "10:00", (), lead, _items(rng, 200))]))
    per_item = len(probe.text.encode("utf-8")) / 200
    items = _items(random.Random(SEED), int(megabytes * 1_000_000 / per_item))
    return _write_pages([Page(START, "10:00", (), lead, items)], folder)


def _command(args: list[str], cap: float) -> tuple[float | None, int | None]:
    """Wall time and peak RSS of `diffcore ARGS` (None, None when capped); success is exit 0 (or 1 from `diff`)."""
    done = run_module("diffcore", args, timeout=cap)
    if done.capped:
        return None, None
    if done.returncode not in ((0, 1) if args[0] == "diff" else (0,)) or "Traceback" in done.stderr:
        raise RuntimeError(f"diffcore {args[0]} failed: {done.stderr.strip()[-2000:]}")
    return done.seconds, done.max_rss


def measure(case: Case, size: int, root: Path, cap: float) -> Point:
    """Write the input of one case at one size, then run and time its command, then its floor (`FLOORS`)."""
    out = root / "out"
    if case.name == "chart":
        return Point(size, *_chart_seconds(size))
    inputs = [str(root / "in")]
    if case.name in ("lead", "summary"):
        inputs = [str(path) for path in (lead_pair if case.name == "lead" else summary_pair)(size, root / "in")]
        args = ["diff", *inputs, "-o", str(out)]
    elif case.name == "counters":
        counters_archive(size, root / "in")
        args = ["report", *inputs, "--format", "html", "-o", str(out)]
    elif case.name == "captures":
        write_archive_files(size, 50, SEED, root / "in")
        args = ["report", *inputs, "--format", "html", "-o", str(out)]
    else:
        paths = huge_capture(size, root / "in")
        args = ["show", str(paths[0]), "-o", str(out)]
    seconds, rss = _command(args, cap)
    floor = None
    if case.name in FLOORS and seconds is not None:
        parsed = run_module("bench.parse_all", inputs, timeout=cap)
        floor = None if parsed.capped else parsed.seconds
    return Point(size, seconds, rss, floor)


def crowded(items: int, captures: int = 60) -> Timeline:
    """A made-up timeline of `items` items over `captures` weekly captures, some with gaps and edits."""
    from diffcore.model import CaptureRef, ItemHistory, Timeline

    refs = tuple(CaptureRef(f"c{n}.txt", START + dt.timedelta(days=7 * n), None) for n in range(captures))
    histories = []
    for n in range(items):
        first = n * captures // items
        last = min(captures - 1, first + 3 + n % 7)
        runs = ((first, first), (first + 2, last)) if n % 5 == 0 and last > first + 2 else ((first, last),)
        histories.append(
            ItemHistory(
                f"item{n}",
                refs[first].captured,
                refs[first].captured.strftime("%d.%m.%Y"),
                f"Item number {n} of the crowded page",
                ("t",),
                runs,
                n % 4,
            )
        )
    return Timeline(refs, tuple(histories), (), ())


def _chart_seconds(items: int) -> tuple[float, None, float]:
    """The items chart's time (no RSS: it runs in this process), and its floor's: an empty figure of the chart's
    size, with one axes, saved as SVG under the chart's settings (matplotlib alone)."""
    import io

    import matplotlib
    from matplotlib.figure import Figure

    from diffcore.render import charts

    timeline = crowded(items)
    charts.timeline_chart(crowded(3))  # matplotlib's import and font cache, outside the timing
    started = time.perf_counter()
    charts.timeline_chart(timeline)
    seconds = time.perf_counter() - started
    height = min(charts.MAX_HEIGHT, charts.TOP + charts.BOTTOM + 0.6 + charts.ROW * items)  # the chart's height
    started = time.perf_counter()
    with matplotlib.rc_context(charts.SETTINGS):
        figure = Figure(figsize=(charts.WIDTH, height))
        figure.add_axes((0.1, 0.1, 0.8, 0.8))
        figure.savefig(io.BytesIO(), format="svg", dpi=charts.DPI)
    return seconds, None, time.perf_counter() - started


def _sizes(case: Case, smoke: bool) -> Iterator[int]:
    yield from case.smoke if smoke else case.sizes


def run(smoke: bool = False, progress: Callable[[str], None] = lambda _: None, cases: tuple[str, ...] = ()) -> W4Result:
    """The W4 cases (those named in `cases`, or all) at their doubling sizes, smallest first, each
    input in its own temporary folder."""
    cap = SMOKE_CAP if smoke else CAP
    results = []
    for case in CASES:
        if cases and case.name not in cases:
            continue
        points = []
        for size in _sizes(case, smoke):
            progress(f"W4: {case.name}, {size:,} {case.unit}")
            with tempfile.TemporaryDirectory(prefix="diffcore-bench-w4-") as tmp:
                point = measure(case, size, Path(tmp), cap)
            points.append(point)
            if point.seconds is None:
                break  # capped: larger sizes would be too
        results.append(Growth(case, tuple(points)))
    return W4Result(tuple(results), cap, smoke)
