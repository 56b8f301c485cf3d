"""HTML captures to page text: decoded by their declared charset, archive markup removed, page chrome skipped.

The text keeps one line per block of the page (a heading, a paragraph, a
list entry), which is what the profile's line patterns read. resiliparse's
extractor does the work: a well-kept C++ extractor (about 84 MB/s of HTML
on one core here, bench W5) that skips script, style and comments on its own; the chrome it is
told to skip (navigation, sidebars, footers, hidden elements and the Wayback
Machine's toolbar) never reaches a snapshot.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain

from diffcore.inputs.dates import wayback_timestamp
from diffcore.inputs.decoding import BOMS, decode, decode_declared
from diffcore.inputs.sniff import PageFacts

# Elements that are page chrome, never content. The ids are the Wayback Machine's toolbar
# (`wm-ipp-base`, `wm-ipp`) and its donation banner, should a toolbar lack its marker comments.
SKIP_ELEMENTS = (
    "nav",
    "aside",
    "footer",
    "[hidden]",
    '[aria-hidden="true"]',
    '[style*="display:none"]',
    '[style*="display: none"]',
    '[style*="visibility:hidden"]',
    '[style*="visibility: hidden"]',
    "#wm-ipp-base",
    "#wm-ipp",
    "#donato",
)
EXTRACT_OPTIONS = {
    "preserve_formatting": True,
    "main_content": False,  # its boilerplate guess would drop the header lines the profile reads
    "list_bullets": False,
    "alt_texts": False,
    "links": False,
    "form_fields": False,
    "noscript": False,
}

# How far into the bytes a declared charset is looked for: the HTML standard's 1 KB, and
# more, because the Wayback Machine's head includes push a page's own meta tag further down.
_DECLARATION_WINDOW = 32 * 1024
BOM_MARKS = (b"\xef\xbb\xbf", *(mark for mark, _ in BOMS))
_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:+-]{1,40})""",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Insert:
    """Markup the Wayback Machine adds to a page: where it opens (a literal, then its tag) and closes."""

    marker: str
    tag: str
    opens: re.Pattern[str]
    closes: re.Pattern[str]


_INSERTS = (
    _Insert(  # the toolbar, between its comments
        "BEGIN WAYBACK TOOLBAR INSERT",
        "<!--",
        re.compile(r"<!--\s*BEGIN WAYBACK TOOLBAR INSERT\s*-->"),
        re.compile(r"<!--\s*END WAYBACK TOOLBAR INSERT\s*-->"),
    ),
    _Insert(  # the head includes, from the player's script to their closing comment
        "__wm.init",
        "<script",
        re.compile(r"<script\b[^>]*>\s*__wm\.init"),
        re.compile(r"<!--\s*End Wayback Rewrite JS Include\s*-->"),
    ),
)
_WOMBAT = re.compile(r"""__wm\.wombat\(\s*["']([^"']{1,2000})["']\s*,\s*["'](\d{14})["']""")
_CANONICAL = re.compile(
    r"""<link\b(?=[^>]*\brel\s*=\s*["']?canonical\b)[^>]*?\bhref\s*=\s*["']([^"'<>]{1,2000})["']""", re.IGNORECASE
)
_OG_URL = re.compile(
    r"""<meta\b(?=[^>]*\bproperty\s*=\s*["']og:url["'])[^>]*?\bcontent\s*=\s*["']([^"'<>]{1,2000})["']""",
    re.IGNORECASE,
)
_ARCHIVED_URL = re.compile(r"^(?:https?:)?(?://web\.archive\.org)?/web/(\d{14})[a-z_]*/(.+)$", re.IGNORECASE)


def meta_charset(data: bytes) -> str | None:
    """The charset a page declares in a meta tag (`<meta charset>` or http-equiv Content-Type), if any."""
    match = _META_CHARSET.search(data, 0, _DECLARATION_WINDOW)
    return match[1].decode("ascii") if match else None


def decode_html(
    data: bytes, source: str, encoding: str | None = None, http: str | None = None
) -> tuple[str, str | None]:
    """The text of an HTML payload, and the declared charset it was read in (None when it was not one).

    By its BOM, the HTTP charset, the meta charset, UTF-8, else detection.
    """
    declared = [name for name in (http, meta_charset(data)) if name]
    if encoding is None and not data.startswith(BOM_MARKS):
        read = decode_declared(data, declared)
        if read is not None and "\x00" not in read[1] and read[1] and not read[1].isspace():
            return read[1], read[0]
    return decode(data, source, encoding, declared), None


def page_facts(html: str) -> PageFacts:
    """The URL and Wayback capture time a page names: the Wayback player's call, else its canonical link."""
    head = html[:_DECLARATION_WINDOW]
    wombat = _WOMBAT.search(head)
    if wombat:
        return PageFacts(wombat[1], wayback_timestamp(wombat[2]))
    for pattern in (_CANONICAL, _OG_URL):
        match = pattern.search(head)
        if match:
            return PageFacts(*original_url(match[1]))
    return PageFacts(None, None)


def original_url(url: str) -> tuple[str, dt.datetime | None]:
    """A URL with the Wayback Machine's `/web/TIMESTAMP/` rewriting undone, and that timestamp."""
    match = _ARCHIVED_URL.match(url.strip())
    if match is None:
        return url.strip(), None
    return match[2], wayback_timestamp(match[1])


def strip_archive(html: str) -> str:
    """The page without the Wayback Machine's toolbar and head includes (its comments go with the markup)."""
    spans = sorted(chain.from_iterable(_spans(html, insert) for insert in _INSERTS))
    if not spans:
        return html
    kept, at = [], 0
    for start, end in spans:
        if start >= at:  # a span inside one already cut is gone with it
            kept.append(html[at:start])
            at = end
    kept.append(html[at:])
    return "".join(kept)  # one copy of the page, however many spans


def _spans(html: str, insert: _Insert) -> Iterator[tuple[int, int]]:
    """Where `insert` stands in `html`, from its opening tag to the end of its closing comment.

    Its marker is a literal the Wayback Machine writes as it is, found by
    `str.find`, and its tag is looked for only back to the marker before: no
    text is scanned twice, whatever the page holds.
    """
    searched = 0
    at = html.find(insert.marker)
    while at >= 0:
        start = html.rfind(insert.tag, searched, at)
        searched = at
        opened = insert.opens.match(html, start) if start >= 0 else None
        if opened is None or opened.end() < at + len(insert.marker):  # the marker is not in this tag
            at = html.find(insert.marker, at + len(insert.marker))
            continue
        closed = insert.closes.search(html, opened.end())
        if closed is None:
            return  # nothing later is closed either
        yield start, closed.end()
        searched = closed.end()
        at = html.find(insert.marker, searched)


def html_text(html: str) -> str:
    """The text of a page, one line per block, without archive markup or page chrome."""
    from resiliparse.extract.html2text import extract_plain_text

    text: str = extract_plain_text(strip_archive(html), skip_elements=list(SKIP_ELEMENTS), **EXTRACT_OPTIONS)
    return text
