"""What a reader finds in an input: a capture located, and dated when its container says when."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from diffcore.model import MediaType, Source, TimeSource


@dataclass(frozen=True)
class Found:
    """A capture located in an input.

    `captured_at` is None when only the page can tell (a capture file named
    without a date); `media_type` None when only the payload's bytes can
    tell. A reader
    that read the payload on its way (a WARC file is read in order) hands it
    over in `payload`, so it is not read twice. `explicit` says whether the
    user named the file (trouble is an error) or it was found inside a
    folder or an archive (trouble skips it, with a warning).
    """

    reader: str
    source: Source
    media_type: MediaType | None = None
    captured_at: dt.datetime | None = None
    time_source: TimeSource | None = None
    url: str | None = None
    charset: str | None = None
    explicit: bool = True
    url_from_path: bool = False
    """The URL was guessed from the path (a Wayback download's folders): the page's own link is preferred."""
    payload: bytes | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class Skipped:
    """A file (or record) inside an input that is not a capture, and why.

    `warn` is False for what an input is expected to hold besides captures
    (a WARC file's requests, redirects and images): counted, not warned of.
    """

    where: str
    reason: str
    warn: bool = True
    path: str | None = None
    """The file passed over, when it is one: no output may be written over it."""


@dataclass(frozen=True)
class Revisit:
    """A WARC revisit record whose response was not read yet: resolved once every input has been."""

    source: Source
    digest: str
    """The WARC-Payload-Digest it repeats."""
    captured_at: dt.datetime
    url: str | None
