"""W3, parsing: throughput in MB/s against reading the same bytes and a bare regular-expression split.

The corpus is an archive of captures written to a temporary folder. Every
rate is the corpus size over the best of a few passes. Parsing is measured on
one core; the rows with workers show what every core gives: scanning (dating
and hashing) pays, parsing in workers does not, as sending a snapshot back
costs about as much as parsing it.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from bench.archives import write_archive_files
from bench.measure import best_of
from diffcore._pool import cores, ordered_map
from diffcore.inputs.decoding import decode
from diffcore.load import iter_snapshots, load, scan
from diffcore.parse import parse
from diffcore.profile import default_profile

SEED = 60
ITEMS = 50
CAPTURES = 1_000
SMOKE_CAPTURES = 20


@dataclass(frozen=True)
class Rate:
    """One way through the corpus: its best time and the throughput it gives."""

    name: str
    what: str
    seconds: float
    size: int

    @property
    def mb_per_s(self) -> float:
        """Megabytes (10^6 bytes) per second."""
        return self.size / 1e6 / self.seconds


@dataclass(frozen=True)
class W3Result:
    """W3: the corpus and every rate through it."""

    captures: int
    size: int
    rates: tuple[Rate, ...]

    def rate(self, name: str) -> Rate:
        """The rate of one way through the corpus."""
        return next(rate for rate in self.rates if rate.name == name)


def run(smoke: bool = False, progress: Callable[[str], None] = lambda _: None) -> W3Result:
    """Measure each way through a corpus of `CAPTURES` captures of `ITEMS` items."""
    captures = SMOKE_CAPTURES if smoke else CAPTURES
    progress(f"W3: parsing {captures} captures of {ITEMS} items")
    profile = default_profile()
    item_lines = re.compile(profile.item_starts[0].pattern, re.MULTILINE)
    with tempfile.TemporaryDirectory(prefix="diffcore-bench-w3-") as tmp:
        written = write_archive_files(captures, ITEMS, SEED, Path(tmp))
        paths = sorted(Path(tmp).glob("*.txt"))
        texts = [decode(path.read_bytes(), str(path)) for path in paths]
        size = written.size
        ways: list[tuple[str, str, Callable[[], object]]] = [
            ("read", "read the bytes of every file", lambda: [path.read_bytes() for path in paths]),
            ("decode", "read and decode every file", lambda: [decode(path.read_bytes(), str(path)) for path in paths]),
            (
                "regex",
                "split decoded text at item lines (one regular expression)",
                lambda: [item_lines.split(text) for text in texts],
            ),
            (
                "parse",
                "diffcore.parse on decoded text (one core)",
                lambda: [parse(text, str(path), profile) for text, path in zip(texts, paths, strict=False)],
            ),
            ("load", "diffcore.load: read, decode, parse (one core)", lambda: [load(path, profile) for path in paths]),
            (
                "load-workers",
                f"diffcore.load in {cores()} worker processes, snapshots sent back (not used)",
                lambda: sum(1 for _ in ordered_map(partial(load, profile=profile), paths, cores())),
            ),
            (
                "scan-1",
                "diffcore.load.scan, one core: read, decode, date, hash",
                lambda: scan([tmp], profile, workers=1),
            ),
            ("scan", f"diffcore.load.scan on {cores()} cores", lambda: scan([tmp], profile)),
            (
                "stream",
                "scan + iter_snapshots, as `diffcore timeline` reads",
                lambda: sum(1 for _ in iter_snapshots(scan([tmp], profile), profile)),
            ),
        ]
        rates = tuple(Rate(name, what, best_of(call, runs=3).seconds, size) for name, what, call in ways)
    return W3Result(captures, size, rates)
