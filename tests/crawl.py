"""Generated collections for the collection tests: captures of several fictional pages, in every layout.

A `SitePage` is one page of an invented site and its captures (text, and the
same snapshot as HTML), drawn from `synthetic.generate` with its own seed.
The writers lay the same pages out as `collection build` finds them:

- `write_folders`: a folder per page of text captures (`ROOT/<name>/*.txt`);
- `write_wayback`: waybackpack's `ROOT/<TIMESTAMP>/<host>/<path>/index.html`;
- `write_warc`: one WARC file holding every page's records, interleaved in
  time order, with a 404 and an image that are no page's captures.

Everything is deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from diffcore.inputs.dates import page_key
from diffcore.model import Snapshot
from synthetic import Churn, generate, warcs
from synthetic.forms import capture_time
from synthetic.html import snapshot_html, wayback_timestamp, waybackpack_raw

HOST = "www.harbour-watch.example"
NAMES = ("news", "events", "press", "notices", "tides", "ferries")
CHURN = Churn(added=0.3, dropped=0.2, moved=0.1, edited_title=0.1, edited_summary=0.1, returns=0.1)
"""Busy pages: every table has rows after a few captures."""


@dataclass(frozen=True)
class Taken:
    """One capture of a page: when it was taken, its text capture, the same snapshot as an HTML page."""

    when: dt.datetime
    name: str
    text: str
    snapshot: Snapshot
    html: str


@dataclass(frozen=True)
class SitePage:
    """A page of the invented site and its captures, in the order taken."""

    name: str
    url: str
    captures: tuple[Taken, ...]

    @property
    def key(self) -> str:
        """The page's name when grouped by URL (a WARC record, a Wayback path)."""
        return page_key(self.url)


def site_pages(count: int, captures: int = 3, items: int = 5, seed: int = 0) -> list[SitePage]:
    """`count` pages (at most len(NAMES)) of `captures` captures each; page i starts i days after page 0."""
    pages = []
    for index, name in enumerate(NAMES[:count]):
        url = f"https://{HOST}/{name}/"
        archive = generate(captures, items, seed * 100 + index, CHURN, start=dt.date(2021, 3, 1 + index))
        taken = tuple(
            Taken(
                capture_time(capture.snapshot.captured, index),
                capture.name,
                capture.text,
                capture.snapshot,
                snapshot_html(capture.snapshot, base_url=url),
            )
            for capture in archive.captures
        )
        pages.append(SitePage(name, url, taken))
    return pages


def write_folders(root: Path, pages: Sequence[SitePage]) -> dict[str, list[Path]]:
    """A folder per page of its text captures; the files of each page by page name (the folder's)."""
    written: dict[str, list[Path]] = {}
    for page in pages:
        folder = root / page.name
        folder.mkdir(parents=True, exist_ok=True)
        for capture in page.captures:
            path = folder / capture.name
            path.write_bytes(capture.text.encode("utf-8"))
            written.setdefault(page.name, []).append(path)
    return written


def _url_folder(url: str) -> Path:
    parts = urlsplit(url)
    return Path(parts.netloc, *parts.path.strip("/").split("/"))


def write_wayback(root: Path, pages: Sequence[SitePage]) -> dict[str, list[Path]]:
    """waybackpack's layout, raw pages: `ROOT/<TIMESTAMP>/<host>/<path>/index.html`; files by page key."""
    written: dict[str, list[Path]] = {}
    for page in pages:
        for capture in page.captures:
            stamp = wayback_timestamp(capture.when)
            path = root / stamp / _url_folder(page.url) / "index.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(waybackpack_raw(capture.html, page.url, stamp).encode("utf-8"))
            written.setdefault(page.key, []).append(path)
    return written


def warc_records(pages: Sequence[SitePage], strays: bool = True) -> list[warcs.Record]:
    """Every page's request and response records in time order (pages interleaved), after a warcinfo; with
    `strays`, a 404 and an image after them."""
    fetches = sorted(
        ((capture.when, page.url, capture.html) for page in pages for capture in page.captures),
        key=lambda fetch: (fetch[0], fetch[1]),
    )
    records: list[warcs.Record] = [warcs.warcinfo(fetches[0][0])]
    for when, url, html in fetches:
        records.extend(warcs.capture(url, when, html.encode("utf-8"), "utf-8"))
    if strays:
        last = fetches[-1][0]
        records.append(warcs.not_found(f"https://{HOST}/missing/", last + dt.timedelta(minutes=5)))
        records.append(warcs.png_response(f"https://{HOST}/logo.png", last + dt.timedelta(minutes=6)))
    return records


def write_warc(path: Path, pages: Sequence[SitePage], strays: bool = True) -> Path:
    """One `.warc.gz` of every page's captures (a gzip member a record)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return warcs.write_warc(path, warc_records(pages, strays))
