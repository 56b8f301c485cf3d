"""What a payload is, from its first bytes and its HTTP header: a feed, an HTML page or plain text, in which charset.

Apart from the readers of HTML and feeds, so that telling them from plain
text loads neither: a diff of two text captures never imports the HTML
extractor's module or feedparser's.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from diffcore.inputs.decoding import BOMS
from diffcore.model import MediaType

RSS: MediaType = "application/rss+xml"
ATOM: MediaType = "application/atom+xml"
JSON_FEED: MediaType = "application/feed+json"

_HTTP_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:+-]{1,40})""", re.IGNORECASE)
_SNIFF = re.compile(
    rb"^\s*(?:<!doctype\s+html|<html|<head|<body|<meta|<title|<!--|<\?xml[^>]*>\s*<(?:!doctype\s+)?html)", re.I
)
_XML_ROOT = re.compile(
    rb"\A\s*(?:<\?[^>]*\?>\s*|<!--.*?-->\s*|<!DOCTYPE\b[^>\[]*(?:\[.*?\])?\s*>\s*)*<(rss|(?:[\w-]+:)?feed|rdf:RDF)[\s>/]",
    re.DOTALL,
)
_JSON_FEED = re.compile(rb'\A\s*\{.*?"version"\s*:\s*"[^"]*jsonfeed\.org', re.DOTALL)


@dataclass(frozen=True)
class PageFacts:
    """What a capture says of itself: its URL and, from the Wayback Machine, when it was captured.

    Here rather than beside the HTML reader that fills it, which plain text does not load.
    """

    url: str | None
    captured_at: dt.datetime | None
    updated: dt.datetime | None = None
    """When a feed says it was last updated (UTC): its capture time when nothing better gives one."""


def is_html(head: bytes) -> bool:
    """Whether a payload's first bytes look like HTML (after a UTF-8 byte order mark and blank space)."""
    return bool(_SNIFF.match(head.removeprefix(b"\xef\xbb\xbf")[:1024]))


def feed_type(head: bytes) -> MediaType | None:
    """The kind of feed a payload's first bytes open, or None: a root `<rss`, `<feed` or `<rdf:RDF` element (after
    a byte order mark, blank space, the XML declaration and comments), or JSON with a jsonfeed.org `version`."""
    bom = next((name for mark, name in BOMS if head.startswith(mark)), None)
    if bom is not None:
        head = head.decode(bom, errors="ignore").encode("utf-8")
    head = head.removeprefix(b"\xef\xbb\xbf")
    root = _XML_ROOT.match(head)
    if root:
        return ATOM if root[1].endswith(b"feed") else RSS
    return JSON_FEED if _JSON_FEED.match(head) else None


def is_feed(head: bytes) -> bool:
    """Whether a payload's first bytes are those of a feed (see `feed_type`)."""
    return feed_type(head) is not None


def sniffed_type(data: bytes) -> MediaType:
    """A payload's media type by its first bytes: a feed, an HTML page, else plain text."""
    return feed_type(data[:1024]) or ("text/html" if _looks_like_html(data) else "text/plain")


def _looks_like_html(data: bytes) -> bool:
    """Whether a payload's first bytes are HTML, read through a UTF-16 or UTF-32 byte order mark."""
    bom = next((name for mark, name in BOMS if data.startswith(mark)), None)
    if bom is None:
        return is_html(data[:1024])
    head = data[:4096].decode(bom, errors="ignore").removeprefix("\ufeff")
    return is_html(head.encode("utf-8", errors="ignore"))


def http_charset(content_type: str | None) -> str | None:
    """The charset parameter of an HTTP Content-Type header, if any."""
    match = _HTTP_CHARSET.search(content_type or "")
    return match[1] if match else None
