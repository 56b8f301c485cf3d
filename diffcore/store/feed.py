"""An Atom feed of a page's item events: one entry per item added, back after a gap, edited or dropped.

Newest first. Each entry names the item, its date, what happened and, for
an edit, the changed words of each field (`<del>` and `<ins>`, as the HTML
change pages mark them); it links to the item when the page gave it an
http(s) link, else to the page. Everything in the feed comes from the
store, so the same store gives the same bytes: entry ids are derived from
the page, the capture time, the item and the event, and the feed's
`updated` is its newest capture's time, never the time of the run.
"""

from __future__ import annotations

import html
import re
import sqlite3
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from diffcore._version import __version__
from diffcore.diff import word_ops
from diffcore.errors import StoreError
from diffcore.render.common import inline, printable
from diffcore.store import reading
from diffcore.store.codec import moment_of, paragraphs
from diffcore.store.fold import APPEARED, DROPPED, EDITED, RETURNED
from diffcore.store.schema import EDIT_NEW, EDIT_OLD

ATOM = "http://www.w3.org/2005/Atom"
FEED_EVENTS = (APPEARED, RETURNED, EDITED, DROPPED)
HEADINGS = {APPEARED: "Added", RETURNED: "Back", EDITED: "Edited", DROPPED: "Dropped"}
LIMIT = 100
"""Entries a feed holds by default: the newest events."""

# Characters XML 1.0 cannot hold at all (controls but tab and line ends, surrogates, U+FFFE and U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: str) -> str:
    """Page text safe in the feed: controls shown escaped (as every renderer does), nothing XML refuses."""
    return _NOT_XML.sub("\ufffd", printable(value))


def _link(value: str | None) -> str | None:
    """A link a feed reader may open: http(s) only (page text is untrusted; no javascript: or data:)."""
    if value and re.match(r"^https?://[^\s<>\"]+$", value.strip(), flags=re.IGNORECASE):
        return value.strip()
    return None


@dataclass(frozen=True)
class Entry:
    """One item event: the capture it shows on, the item as it read then, and for an edit its fields."""

    event: str
    captured_at: str
    captured: str
    identity: str
    title: str
    published_text: str
    summary: str
    link: str | None
    fields: tuple[tuple[str | None, str | None, str | None], ...]


def entries(db: sqlite3.Connection, page: reading.Page, limit: int = LIMIT) -> list[Entry]:
    """The page's item events, newest first; at most `limit` (0: all)."""
    cursor = db.execute(
        f"SELECT e.capture_id, e.item_id, e.event, e.field, {EDIT_OLD}, {EDIT_NEW}, c.captured_at, c.captured, "
        "i.identity, v.title, v.published_text, v.summary, v.link FROM events e "
        "JOIN captures c ON c.capture_id = e.capture_id JOIN items i ON i.item_id = e.item_id "
        "JOIN versions v ON v.version_id = e.version_id LEFT JOIN versions ov ON ov.version_id = e.old_version_id "
        f"WHERE e.page_id = ? AND e.event IN ({','.join('?' * len(FEED_EVENTS))}) "
        "ORDER BY c.seq DESC, CASE e.event WHEN ? THEN 0 WHEN ? THEN 1 WHEN ? THEN 2 ELSE 3 END, e.event_id",
        (page.page_id, *FEED_EVENTS, *FEED_EVENTS[:3]),
    )
    found: list[Entry] = []
    last: tuple[int, int, str] | None = None
    for capture_id, item_id, event, field, old, new, captured_at, captured, identity, *version in cursor:
        here = (capture_id, item_id, event)
        if event == EDITED and here == last:
            previous = found[-1]
            found[-1] = Entry(**{**previous.__dict__, "fields": (*previous.fields, (field, old, new))})
            continue
        if limit and len(found) == limit:
            break
        title, published_text, summary, link = version
        fields = ((field, old, new),) if event == EDITED else ()
        found.append(Entry(event, captured_at, captured, identity, title, published_text, summary, link, fields))
        last = here
    return found


def _content(entry: Entry) -> str:
    """The entry's body as HTML: the item, and for an edit each changed field word by word."""
    escape = html.escape

    def plain(text: str) -> str:
        return escape(_text(text))

    def marked(tag: str) -> object:
        return lambda text: f"<{tag}>{plain(text)}</{tag}>"

    date = entry.published_text or "undated"
    lines = [f"<p>{plain(date)} · {plain(entry.title)}</p>"]
    if entry.event == EDITED:
        for field, old, new in entry.fields:
            if field is None:
                continue
            ops = word_ops(old or "", new or "")
            change = inline(ops, marked("del"), marked("ins"), plain)  # type: ignore[arg-type]
            lines.append(f"<p><b>{plain(field)}</b>: {change}</p>")
    elif entry.event == DROPPED:
        lines.append(f"<p>No longer on the page since the capture of {plain(entry.captured)}.</p>")
    else:
        if entry.event == RETURNED:
            lines.append("<p>Back on the page after a gap.</p>")
        lines += [f"<p>{plain(paragraph)}</p>" for paragraph in paragraphs(entry.summary)]
    if entry.link:
        lines.append(f"<p>{plain(entry.link)}</p>")
    return "\n".join(lines)


def _element(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    if text is not None:
        element.text = _text(text)
    return element


def _atom_time(stored: str) -> str:
    return moment_of(stored).strftime("%Y-%m-%dT%H:%M:%SZ")


def _entry_id(page: reading.Page, entry: Entry) -> str:
    return "urn:uuid:" + str(
        uuid.uuid5(uuid.NAMESPACE_URL, f"diffcore:{page.key}:{entry.captured_at}:{entry.identity}:{entry.event}")
    )


def render_feed(db: sqlite3.Connection, name: str, page: reading.Page, limit: int = LIMIT) -> str:
    """The Atom document of a page's newest item events."""
    ET.register_namespace("", ATOM)
    found = entries(db, page, limit)
    newest = db.execute("SELECT max(captured_at) FROM captures WHERE page_id = ?", (page.page_id,)).fetchone()[0]
    if newest is None:
        raise StoreError(name, f"{page.name} has no captures")
    feed = ET.Element(f"{{{ATOM}}}feed")
    _element(feed, "id", "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"diffcore:{page.key}")))
    _element(feed, "title", f"Changes to {page.url or 'the page'}")
    _element(feed, "subtitle", "Items added, edited and dropped, as diffcore found them between captures")
    _element(feed, "updated", _atom_time(newest))
    _element(_element(feed, "author"), "name", "diffcore")
    _element(feed, "generator", "diffcore", version=__version__)
    page_link = _link(page.url)
    if page_link:
        _element(feed, "link", rel="alternate", href=page_link)
    for entry in found:
        element = _element(feed, "entry")
        _element(element, "id", _entry_id(page, entry))
        _element(element, "title", f"{HEADINGS[entry.event]}: {entry.title}")
        _element(element, "updated", _atom_time(entry.captured_at))
        link = _link(entry.link) or page_link
        if link:
            _element(element, "link", rel="alternate", href=link)
        _element(element, "category", term=entry.event)
        _element(element, "content", _content(entry), type="html")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
