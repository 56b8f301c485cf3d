"""W5, HTML pages to snapshots: throughput in MB/s of HTML bytes, against reading them and the bare extractor.

The corpus is the fictional page as the Wayback Machine serves it: the
capture in `<main>`, site chrome around it (`synthetic.html.snapshot_html`)
and the Wayback toolbar and head includes (`wayback_view`), with enough
items for a page of about 100 KB. It is written to a temporary folder, one
file a page. Every rate is the corpus size over the best of a few passes, on
one core unless a row says workers. The snapshots of the scan on one core and
on every core are compared: they must be the same.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.measure import best_of
from bench.w3_parse import Rate
from diffcore._pool import cores
from diffcore.inputs.html import EXTRACT_OPTIONS, SKIP_ELEMENTS, decode_html
from diffcore.inputs.text import page_text
from diffcore.load import capture_snapshot, iter_snapshots, scan
from diffcore.model import Snapshot
from diffcore.parse import parse
from diffcore.profile import default_profile
from synthetic import Churn, iter_captures
from synthetic.html import BASE_URL, snapshot_html, wayback_timestamp, wayback_view

SEED = 70
ITEMS = 190
"""Items a page: about 100 KB of HTML with the chrome and the Wayback markup."""
PAGES = 300
SMOKE_PAGES = 10
PASSES = 3


@dataclass(frozen=True)
class W5Result:
    """W5: the corpus, every rate through it, and what the scans made of it."""

    pages: int
    size: int
    text_size: int
    """The page text the extractor gives back, in bytes (UTF-8)."""
    rates: tuple[Rate, ...]
    snapshots: int
    """Snapshots the scan and `iter_snapshots` gave (one a page expected)."""
    skipped: int
    duplicates: int
    identical: bool
    """Whether the snapshots with one worker and with every core are the same."""
    workers: int

    @property
    def mean_size(self) -> float:
        """The mean size of a page, in bytes."""
        return self.size / self.pages

    def rate(self, name: str) -> Rate:
        """The rate of one way through the corpus."""
        return next(rate for rate in self.rates if rate.name == name)


def capture_time(captured: dt.date, index: int) -> dt.datetime:
    """A capture time on the capture's date (the page's day), distinct for every capture."""
    return dt.datetime.combine(captured, dt.time(4, 17), dt.UTC) + dt.timedelta(seconds=index)


def iter_pages(pages: int, items: int, seed: int, *, wayback: bool) -> Iterator[tuple[dt.datetime, bytes]]:
    """Each capture of a random archive as its capture time and HTML bytes (UTF-8), one at a time."""
    for index, capture in enumerate(iter_captures(pages, items, seed, Churn())):
        when = capture_time(capture.snapshot.captured, index)
        page = snapshot_html(capture.snapshot)
        if wayback:
            page = wayback_view(page, BASE_URL, wayback_timestamp(when))
        yield when, page.encode("utf-8")


def write_pages(pages: int, folder: Path) -> list[Path]:
    """The corpus as files named by their Wayback timestamp (as waybackpack names them)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for when, data in iter_pages(pages, ITEMS, SEED, wayback=True):
        path = folder / f"{wayback_timestamp(when)}.html"
        path.write_bytes(data)
        paths.append(path)
    return paths


def extract_all(htmls: Sequence[str]) -> list[str]:
    """The bare extractor over decoded pages: resiliparse's `extract_plain_text` with diffcore's options."""
    from resiliparse.extract.html2text import extract_plain_text

    skip = list(SKIP_ELEMENTS)
    return [extract_plain_text(html, skip_elements=skip, **EXTRACT_OPTIONS) for html in htmls]


def _stream(folder: str, workers: int) -> list[Snapshot]:
    profile = default_profile()
    return list(iter_snapshots(scan([folder], profile, workers=workers), profile))


def run(smoke: bool = False, progress: Callable[[str], None] = lambda _: None) -> W5Result:
    """Measure each way through a corpus of `PAGES` pages of `ITEMS` items."""
    pages = SMOKE_PAGES if smoke else PAGES
    every = cores()
    progress(f"W5: {pages} HTML pages of {ITEMS} items")
    profile = default_profile()
    with tempfile.TemporaryDirectory(prefix="diffcore-bench-w5-") as tmp:
        paths = write_pages(pages, Path(tmp))
        datas = [path.read_bytes() for path in paths]
        size = sum(len(data) for data in datas)
        htmls = [decode_html(data, str(path))[0] for data, path in zip(datas, paths, strict=True)]
        texts = [page_text(data, str(path), None).text for data, path in zip(datas, paths, strict=True)]
        inventory = scan([tmp], profile, workers=1)
        entries = inventory.captures
        ways: list[tuple[str, str, Callable[[], object]]] = [
            ("read", "read the bytes of every file", lambda: [path.read_bytes() for path in paths]),
            (
                "decode",
                "decode the bytes (`decode_html`: BOM, declared charset, UTF-8)",
                lambda: [decode_html(data, "page")[0] for data in datas],
            ),
            (
                "extract",
                "bare extractor: resiliparse `extract_plain_text` on decoded pages, diffcore's options",
                lambda: extract_all(htmls),
            ),
            (
                "page-text",
                "`page_text` on the bytes: decode, strip the Wayback markup, extract, read the page's facts",
                lambda: [page_text(data, "page", None) for data in datas],
            ),
            (
                "parse",
                "`diffcore.parse` on the page texts alone",
                lambda: [parse(text, "page", profile) for text in texts],
            ),
            (
                "snapshot",
                "diffcore's path, HTML bytes to Snapshot: `capture_snapshot` on scanned entries "
                "(read, hash, page text, parse)",
                lambda: [capture_snapshot(entry, profile) for entry in entries],
            ),
            ("scan-1", "`scan`, one core: read, page text, date, hash", lambda: scan([tmp], profile, workers=1)),
            (
                "scan",
                f"`scan` with {every} workers (the pages examined in worker processes)",
                lambda: scan([tmp], profile, workers=every),
            ),
            ("stream-1", "`scan` + `iter_snapshots`, one core", lambda: _stream(tmp, 1)),
            ("stream", f"`scan` with {every} workers + `iter_snapshots`", lambda: _stream(tmp, every)),
        ]
        rates = []
        results: dict[str, object] = {}
        for name, what, call in ways:
            progress(f"W5: {name}")
            timed = best_of(call, runs=PASSES, budget=float("inf"))
            rates.append(Rate(name, what, timed.seconds, size))
            if name.startswith("stream"):
                results[name] = timed.result
        one, many = results["stream-1"], results["stream"]
        assert isinstance(one, list) and isinstance(many, list)
    return W5Result(
        pages=pages,
        size=size,
        text_size=sum(len(text.encode("utf-8")) for text in texts),
        rates=tuple(rates),
        snapshots=len(one),
        skipped=len(inventory.skipped),
        duplicates=len(inventory.duplicates),
        identical=one == many and len(one) == pages,
        workers=every,
    )
