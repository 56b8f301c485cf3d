"""The capture record behind every snapshot: where a capture came from and when it was taken.

A capture has two dates that may differ: the time it was taken (from a WARC
header, a Wayback timestamp, a git commit, the file name, a feed's own
updated date, or the user), and
the date the page itself shows (`Header.captured`). The record keeps the
first and says where it was read; the snapshot keeps the second.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from diffcore.model.pickling import ByFields

TimeSource = Literal["warc-date", "wayback", "git-commit", "file-name", "page-date", "feed-date", "user"]
"""Where a capture time was read, most trusted first."""

TIME_SOURCES: dict[TimeSource, str] = {
    "warc-date": "date of its WARC (or ARC) record",
    "wayback": "Wayback Machine timestamp",
    "git-commit": "time of its git commit",
    "file-name": "file name",
    "page-date": "date line of the page",
    "feed-date": "updated date of the feed",
    "user": "--captured option",
}
"""Where a capture time was read, as a report says it."""

MediaType = Literal["text/plain", "text/html", "application/rss+xml", "application/atom+xml", "application/feed+json"]
"""What a capture holds: a text page, an HTML page, or a feed (RSS 2.0 and RSS 1.0/RDF, Atom, JSON Feed)."""

FEED_TYPES: tuple[MediaType, ...] = ("application/rss+xml", "application/atom+xml", "application/feed+json")


@dataclass(frozen=True, slots=True)
class Source(ByFields):
    """Where the bytes of a capture are: a file; a record of a WARC file; a file of a git commit."""

    path: str
    offset: int | None = None
    """Byte offset of the WARC (or ARC) record in `path`."""
    payload_offset: int | None = None
    """For a WARC revisit record: the offset of the record that holds its (identical) payload."""
    payload_path: str | None = None
    """For a revisit whose payload is in another WARC file: that file."""
    repository: str | None = None
    """The git work tree `path` is read from, at `commit`."""
    commit: str | None = None

    def describe(self) -> str:
        """ "a.warc.gz at offset 1234", "scrape/index.html at commit 1a2b3c4d", or the path."""
        if self.payload_path is not None:
            return (
                f"{self.path} at offset {self.offset} (revisit of {self.payload_path} at offset {self.payload_offset})"
            )
        if self.payload_offset is not None:
            return f"{self.path} at offset {self.offset} (revisit of offset {self.payload_offset})"
        if self.offset is not None:
            return f"{self.path} at offset {self.offset}"
        if self.commit is not None:
            return f"{self.path} at commit {self.commit[:12]}"
        return self.path


@dataclass(frozen=True, slots=True)
class Capture(ByFields):
    """One capture of a page: its source, time, URL, media type and payload digest."""

    source: Source
    captured_at: dt.datetime
    """When the capture was taken, in UTC (midnight when only a date is known)."""
    time_source: TimeSource
    media_type: MediaType
    digest: str
    """`sha256:` and the hex digest of the payload as stored (before decoding)."""
    url: str | None = None
    charset: str | None = None
    """The charset the payload was declared in (HTTP header or meta) and read in; None when it was not."""


def clock_order(clock: str | None) -> tuple[int, ...]:
    """A page's clock time as numbers, to order captures of one day by it ("9:05" before "10:05")."""
    return tuple(int(part) for part in re.findall(r"\d+", clock or ""))
