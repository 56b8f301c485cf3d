"""Feeds to record text: RSS 2.0, RSS 1.0 (RDF), Atom and JSON Feed files, their entries the items.

No profile is needed: a feed says what its entries are. XML feeds are read
with feedparser, which reads every RSS and Atom dialect, recovers what it
can of a damaged file, and gives every date in UTC. feedparser 6 does not
read JSON Feed, a fixed JSON shape, which is read here.

An entry's link is the `<...>` line of its record; it is known by its guid
(Atom and JSON Feed `id`, RDF `about`: the `id:` line, when that is not the
link), else its link, so an entry retitled, re-dated or given another link
is one edited item. Its date is its published date, else its
updated one, as a UTC day; its summary is its content, else its summary,
one line per paragraph. The feed's title and description are the lead.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from xml.sax import SAXParseException

from diffcore.errors import SnapshotError
from diffcore.inputs.decoding import BOMS, decode
from diffcore.inputs.html import html_text
from diffcore.inputs.records import Record, record_text
from diffcore.inputs.sniff import ATOM, JSON_FEED, RSS, PageFacts
from diffcore.model import MediaType

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class FeedText:
    """A feed as record text, what kind of feed it is, and its URL and updated time."""

    text: str
    media_type: MediaType
    facts: PageFacts


def feed_text(data: bytes, where: str, encoding: str | None = None, charset: str | None = None) -> FeedText:
    """The record text of a feed's payload; a SnapshotError when it is no feed that can be read.

    `encoding` is the user's, which overrides every other; `charset` the one
    the container declared (an HTTP header).
    """
    if encoding is not None:
        data, charset = decode(data, where, encoding).encode("utf-8"), "utf-8"
    if _looks_like_json(data):
        return _json_feed(data, where)
    return _xml_feed(data, where, charset)


def _looks_like_json(data: bytes) -> bool:
    bom = next((name for mark, name in BOMS if data.startswith(mark)), None)
    head = data[:64].decode(bom, errors="ignore") if bom else data[:64].decode("utf-8", errors="ignore")
    return head.lstrip("\ufeff \t\r\n").startswith("{")


def _xml_feed(data: bytes, where: str, charset: str | None) -> FeedText:
    import feedparser
    from feedparser.exceptions import CharacterEncodingOverride, NonXMLContentType

    soft = (CharacterEncodingOverride, NonXMLContentType)  # read all the same: a misdeclared encoding or type
    headers = {"content-type": f"application/xml; charset={charset}"} if charset else None
    try:
        parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)  # a stream: never a URL or a file name
    except MemoryError:
        raise
    except Exception as exc:  # feedparser trips on some damage: a reference to a surrogate, a bad encoding name
        raise SnapshotError(where, f"not a readable feed: {_first_line(exc)}") from None
    feed, entries = parsed.feed, parsed.entries
    title = _text(feed.get("title_detail"))
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not entries and problem is not None and not isinstance(problem, soft):
        raise SnapshotError(where, f"not a readable feed: {_first_line(problem)}")  # not a feed emptied of entries
    if not entries and not title:
        raise SnapshotError(where, "a feed with no title and no entries")
    lead = [title, *_lines(feed.get("subtitle_detail"))]
    records = [_entry(entry) for entry in entries]
    self_link = next((link.get("href") for link in feed.get("links", ()) if link.get("rel") == "self"), None)
    updated = _moment(feed.get("updated_parsed") or feed.get("published_parsed"))
    kind = ATOM if str(parsed.get("version", "")).startswith("atom") else RSS
    return FeedText(record_text(lead, records), kind, PageFacts(self_link or feed.get("link"), None, updated))


def _entry(entry: Any) -> Record:
    """A feedparser entry as a record."""
    content = entry.get("content") or [entry.get("summary_detail")]
    day = _moment(entry.get("published_parsed") or entry.get("updated_parsed"))
    return Record(
        date=day.date().isoformat() if day else None,
        title=_text(entry.get("title_detail")),
        link=entry.get("link") or entry.get("id"),
        key=entry.get("id"),
        summary=tuple(_lines(content[0])),
    )


def _text(detail: Any) -> str:
    """A feed text construct (title, subtitle) as one line of text."""
    return " ".join(_lines(detail))


def _lines(detail: Any) -> Iterator[str]:
    """The lines of a feed text construct (feedparser's `*_detail`): its HTML's blocks, or its text's paragraphs."""
    if not detail or not isinstance(detail.get("value"), str):
        return iter(())
    return _paragraphs(detail["value"], "html" in str(detail.get("type", "")))


def _paragraphs(value: str, is_html: bool) -> Iterator[str]:
    text = html_text(value) if is_html else value
    for paragraph in text.splitlines() if is_html else _PARAGRAPH_BREAK.split(text):
        if line := " ".join(paragraph.split()):
            yield line


def _moment(parsed: time.struct_time | None) -> dt.datetime | None:
    """A date feedparser read (a UTC struct_time) as a datetime; None when there is none, or it is no real date."""
    if parsed is None:
        return None
    try:
        return dt.datetime(*parsed[:6], tzinfo=dt.UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def _first_line(error: object) -> str:
    """What went wrong, on one short line (of an XML error, not where: feedparser may have added a line above)."""
    text = error.getMessage() if isinstance(error, SAXParseException) else str(error)
    line = next((line.strip() for line in text.splitlines() if line.strip()), type(error).__name__)
    return line if len(line) <= 100 else line[:97] + "..."


def _json_feed(data: bytes, where: str) -> FeedText:
    """A JSON Feed (version 1 or 1.1) as record text."""
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise SnapshotError(where, f"not a readable JSON Feed: {_first_line(exc)}") from None
    if not isinstance(document, dict) or "jsonfeed.org" not in _string(document.get("version")):
        raise SnapshotError(where, "JSON, but not a JSON Feed (no jsonfeed.org version)")
    items = document.get("items")
    records = [_json_item(item) for item in items if isinstance(item, dict)] if isinstance(items, list) else []
    title = " ".join(_string(document.get("title")).split())
    if not records and not title:
        raise SnapshotError(where, "a feed with no title and no entries")
    lead = [title, *_paragraphs(_string(document.get("description")), False)]
    url = _string(document.get("feed_url")) or _string(document.get("home_page_url")) or None
    return FeedText(record_text(lead, records), JSON_FEED, PageFacts(url, None))


def _json_item(item: dict[str, Any]) -> Record:
    html = _string(item.get("content_html"))
    text = _string(item.get("content_text")) or _string(item.get("summary"))
    day = _iso_moment(_string(item.get("date_published"))) or _iso_moment(_string(item.get("date_modified")))
    identity = item.get("id")
    if isinstance(identity, int | float) and not isinstance(identity, bool):
        identity = str(identity)  # JSON Feed 1.0 allowed a number
    return Record(
        date=day.date().isoformat() if day else None,
        title=_string(item.get("title")),
        link=_string(item.get("url")) or _string(identity) or None,
        key=_string(identity) or None,
        summary=tuple(_paragraphs(html, True) if html else _paragraphs(text, False)),
    )


def _string(value: object) -> str:
    """A JSON value that should be a string: it, else empty."""
    return value if isinstance(value, str) else ""


def _iso_moment(text: str) -> dt.datetime | None:
    """An RFC 3339 date-time (JSON Feed's dates) in UTC; None when it is not one."""
    try:
        moment = dt.datetime.fromisoformat(text.strip())
        return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        return None
