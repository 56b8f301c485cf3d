"""W6, a WARC file through `diffcore timeline`: N HTML captures of one page in one `.warc.gz`.

Each file holds a warcinfo record, then a request and a response per capture,
one gzip member a record, as a crawler writes them; the pages are the
fictional page with site chrome (`synthetic.html.snapshot_html`), about
100 KB each. The records are streamed to the file (its generation is not
timed), then `diffcore timeline FILE --format json -o OUT` runs in a child
process: its wall time and its own peak RSS are the figures. The file is
removed after its run. The baseline, measured in the same run: the bare
extractor (resiliparse's `extract_plain_text`, diffcore's options) on one
core over the first `EXTRACTOR_SAMPLE` pages of the same archive, per page.
"""

from __future__ import annotations

import json
import math
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.measure import Command, best_of, run_module
from bench.w5_html import extract_all, iter_pages
from synthetic.html import BASE_URL
from synthetic.warcs import Record, capture, warcinfo, write_warc

SEED = 80
ITEMS = 205
"""Items a page: about 100 KB of HTML with the site chrome."""
COUNTS = (1_000, 10_000)
SMOKE_COUNTS = (50,)
CAP = 900.0
SMOKE_CAP = 60.0
REPEATS = {1_000: 2}
"""The short run is repeated and the best kept; the longest runs once."""
EXTRACTOR_SAMPLE = 200
SMOKE_EXTRACTOR_SAMPLE = 10
"""Pages of the archive the bare extractor is timed on, for its time a page."""


@dataclass(frozen=True)
class WarcRun:
    """One WARC file through `diffcore timeline`: its size, what the command found, time and peak RSS."""

    captures: int
    payload: int
    """The HTML bytes of the responses."""
    size: int
    """The `.warc.gz` file's size."""
    snapshots: int | None
    """The captures the timeline holds (from its JSON document)."""
    warnings: int
    """Lines the command wrote to stderr besides its summary line."""
    summary: str
    """Its summary line: the captures read and what was left out."""
    seconds: float | None
    max_rss: int | None
    runs: int


@dataclass(frozen=True)
class W6Result:
    """W6: one run per file size."""

    items: int
    runs: tuple[WarcRun, ...]
    cap: float
    extractor_per_page: float
    """The bare extractor's seconds a page of the archive, on one core."""
    extractor_pages: int
    """The pages it was timed on."""

    def over_extractor(self, run: WarcRun) -> float | None:
        """A run's wall time over the bare extractor's time for all its pages on one core."""
        return None if run.seconds is None else run.seconds / (self.extractor_per_page * run.captures)


@dataclass
class _Counted:
    captures: int = 0
    payload: int = 0


def _records(captures: int, counted: _Counted) -> Iterator[Record]:
    """The records of the file, one capture at a time; `counted` adds up the captures and their bytes."""
    first = True
    for when, body in iter_pages(captures, ITEMS, SEED, wayback=False):
        if first:
            yield warcinfo(when, "captures.warc.gz")
            first = False
        counted.captures += 1
        counted.payload += len(body)
        yield from capture(BASE_URL, when, body, "utf-8")


def write_file(captures: int, path: Path) -> tuple[int, int]:
    """Stream a WARC file of `captures` captures to `path`; the captures written and their payload bytes."""
    counted = _Counted()
    write_warc(path, _records(captures, counted))
    return counted.captures, counted.payload


def _snapshots(output: Path) -> int | None:
    """The number of captures in the timeline's JSON document."""
    try:
        document = json.loads(output.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    captures = document.get("captures") if isinstance(document, dict) else None
    return len(captures) if isinstance(captures, list) else None


def run_warc(captures: int, root: Path, cap: float, progress: Callable[[str], None]) -> WarcRun:
    """Write a WARC file of `captures` captures, time `diffcore timeline` on it, then remove it."""
    path = root / f"captures-{captures}.warc.gz"
    progress(f"W6: writing {captures:,} captures to {path.name}")
    written, payload = write_file(captures, path)
    size = path.stat().st_size
    output = root / f"timeline-{captures}.json"
    args = ["timeline", str(path), "--format", "json", "-o", str(output)]
    done: list[Command] = []
    try:
        for _ in range(REPEATS.get(captures, 1)):
            progress(f"W6: diffcore timeline on {captures:,} captures")
            command = run_module("diffcore", args, timeout=cap)
            if command.capped:
                return WarcRun(captures, payload, size, None, 0, "", None, None, len(done) + 1)
            if command.returncode != 0:
                raise RuntimeError(f"diffcore timeline failed: {command.stderr.strip()[-2000:]}")
            done.append(command)
    finally:
        path.unlink()
    assert written == captures
    peaks = [command.max_rss for command in done if command.max_rss is not None]
    said = done[-1].stderr.splitlines()
    summary = next((line for line in reversed(said) if " read" in line), "")
    return WarcRun(
        captures,
        payload,
        size,
        _snapshots(output),
        len(said) - (1 if summary else 0),
        summary.removeprefix("diffcore: "),
        min(command.seconds for command in done),
        max(peaks) if peaks else None,
        len(done),
    )


def extractor_per_page(pages: int) -> float:
    """The bare extractor's seconds a page on one core: the best of three passes over the archive's first pages."""
    htmls = [body.decode("utf-8") for _, body in iter_pages(pages, ITEMS, SEED, wayback=False)]
    timed = best_of(lambda: extract_all(htmls), runs=3, budget=math.inf)
    return timed.seconds / pages


def run(smoke: bool = False, progress: Callable[[str], None] = lambda _: None) -> W6Result:
    """Every W6 file size, smallest first, each in its own temporary folder."""
    cap = SMOKE_CAP if smoke else CAP
    runs = []
    for captures in SMOKE_COUNTS if smoke else COUNTS:
        with tempfile.TemporaryDirectory(prefix="diffcore-bench-w6-") as tmp:
            runs.append(run_warc(captures, Path(tmp), cap, progress))
    progress("W6: the bare extractor on the same pages")
    sample = SMOKE_EXTRACTOR_SAMPLE if smoke else EXTRACTOR_SAMPLE
    return W6Result(ITEMS, tuple(runs), cap, extractor_per_page(sample), sample)
