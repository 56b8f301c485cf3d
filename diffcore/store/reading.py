"""Reading a store: its pages, a page's captures and their snapshots, its timeline, its events.

The timeline is read from the tables the fold keeps (one row per identity,
per capture, per counter reading, per lead span), never by matching again,
so `store timeline` over ten thousand captures reads rows, not pages.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from diffcore.diff import DiffOptions
from diffcore.errors import StoreError
from diffcore.inputs.dates import page_key
from diffcore.model import CaptureRef, CounterReading, ItemHistory, LeadSpan, Snapshot, Timeline, clock_order
from diffcore.store.codec import CounterRow, Version, capture_of, date_of, path_of, snapshot_of
from diffcore.store.fold import Folded, stretches, titles_of

if TYPE_CHECKING:
    from diffcore.load import Inventory

STORE_READER = "store"
"""The reader a capture read back from a store names (its payload is not read again)."""
NO_URL = "(captures that do not name their page)"
"""How the page of captures without a URL is named."""


@dataclass(frozen=True)
class Page:
    """A page of the store: its key and URL, how it is read, and its captures."""

    page_id: int
    key: str
    url: str | None
    profile: str | None
    options: DiffOptions
    captures: int
    first: dt.datetime | None
    last: dt.datetime | None
    items: int

    @property
    def name(self) -> str:
        """The page as printed: its URL, or what stands for none."""
        return self.url or NO_URL


def options_of(text: str) -> DiffOptions:
    """DiffOptions from the JSON a page row keeps."""
    return DiffOptions(**json.loads(text))


def rows(db: sqlite3.Connection, sql: str, parameters: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """Rows as dicts by column name."""
    cursor = db.execute(sql, tuple(parameters))
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def pages(db: sqlite3.Connection) -> list[Page]:
    """Every page of the store, most captures first."""
    found = []
    for row in rows(
        db,
        "SELECT p.page_id, p.page_key, p.url, p.profile, p.options, "
        "(SELECT count(*) FROM captures c WHERE c.page_id = p.page_id) AS captures, "
        "(SELECT min(captured_at) FROM captures c WHERE c.page_id = p.page_id) AS first, "
        "(SELECT max(captured_at) FROM captures c WHERE c.page_id = p.page_id) AS last, "
        "(SELECT count(*) FROM items i WHERE i.page_id = p.page_id) AS items FROM pages p",
    ):
        found.append(
            Page(
                row["page_id"],
                row["page_key"],
                row["url"],
                row["profile"],
                options_of(row["options"]),
                row["captures"],
                None if row["first"] is None else dt.datetime.fromisoformat(row["first"]),
                None if row["last"] is None else dt.datetime.fromisoformat(row["last"]),
                row["items"],
            )
        )
    found.sort(key=lambda page: (-page.captures, page.key))
    return found


def page(db: sqlite3.Connection, name: str, url: str | None) -> Page:
    """The page `url` names, or the store's one page; several pages and no `url` is an error naming them."""
    known = [found for found in pages(db) if found.captures]
    if url is not None:
        wanted = page_key(url)
        for found in known:
            if found.key == wanted:
                return found
        listing = "; ".join(f"{found.name} ({found.captures})" for found in known) or "none"
        raise StoreError(name, f"no captures of {url}; pages: {listing}")
    if not known:
        raise StoreError(name, "holds no captures yet")
    if len(known) > 1:
        listing = "; ".join(f"{found.name} ({found.captures} captures)" for found in known)
        raise StoreError(name, f"holds {len(known)} pages: {listing}; pick one with --url")
    return known[0]


def capture_rows(db: sqlite3.Connection, page_id: int) -> list[dict[str, Any]]:
    """A page's capture rows in the order they were taken."""
    return rows(db, "SELECT * FROM captures WHERE page_id = ? ORDER BY seq", (page_id,))


def order_key(
    captured_at: dt.datetime, clock: str | None, path: str, offset: int | None, commit: str | None
) -> tuple[dt.datetime, tuple[int, ...], str, int, str]:
    """Where a capture goes among a page's captures: as `diffcore.load.scan` orders them."""
    return captured_at, clock_order(clock), path, offset or 0, commit or ""


def row_order_key(row: dict[str, Any]) -> tuple[dt.datetime, tuple[int, ...], str, int, str]:
    return order_key(
        dt.datetime.fromisoformat(row["captured_at"]),
        row["clock"],
        path_of(row["path"]),
        row["record_offset"],
        row["git_commit"],
    )


def folded(db: sqlite3.Connection, row: dict[str, Any]) -> Folded:
    """A stored capture's snapshot, with the identity and version of each item."""
    items = db.execute(
        "SELECT p.item_id, p.version_id, v.item_key, v.published, v.published_text, v.title, v.summary, v.link "
        "FROM presence p JOIN versions v ON v.version_id = p.version_id WHERE p.capture_id = ? ORDER BY p.position",
        (row["capture_id"],),
    ).fetchall()
    counters: list[CounterRow] = db.execute(
        "SELECT l.label, l.unit, k.value, k.text, k.line FROM counters k "
        "JOIN counter_labels l ON l.label_id = k.label_id WHERE k.capture_id = ? ORDER BY k.position",
        (row["capture_id"],),
    ).fetchall()
    lead = None
    if row["lead_version_id"] is not None:
        lead = db.execute(
            "SELECT title, paragraphs FROM lead_versions WHERE lead_version_id = ?", (row["lead_version_id"],)
        ).fetchone()
    versions = [Version(*item[2:]) for item in items]
    snapshot = snapshot_of(row, versions, counters, lead, capture_of(row))
    return Folded(
        row["capture_id"],
        row["seq"],
        snapshot,
        tuple(item[0] for item in items),
        tuple(item[1] for item in items),
    )


def snapshots(db: sqlite3.Connection, page_id: int) -> Iterator[Snapshot]:
    """A page's snapshots in the order they were taken, one at a time."""
    for row in capture_rows(db, page_id):
        yield folded(db, row).snapshot


def inventory(db: sqlite3.Connection, page_id: int) -> Inventory:
    """A page's captures as `diffcore.load.scan` lists them (read from the store, not from their files)."""
    from diffcore.load import Entry, Inventory

    entries = tuple(
        Entry(STORE_READER, capture_of(row), date_of(row["captured"]), row["clock"], row["text_digest"] or "")
        for row in capture_rows(db, page_id)
    )
    return Inventory(entries)


def _capture_ref(row: dict[str, Any]) -> CaptureRef:
    warnings = tuple(json.loads(row["warnings"]))
    if row["fold_warning"]:
        warnings = (*warnings, row["fold_warning"])
    captured = date_of(row["captured"])
    assert captured is not None
    return CaptureRef(row["source"], captured, row["capture_time"], capture_of(row), warnings)


def timeline(db: sqlite3.Connection, page_id: int) -> Timeline:
    """A page's timeline, read from the tables: what `diffcore.timeline` gives over the same captures."""
    captures = tuple(
        _capture_ref(row)
        for row in rows(
            db,
            "SELECT source, captured, capture_time, warnings, fold_warning, captured_at, time_source, path, "
            "record_offset, payload_offset, payload_path, repository, git_commit, url, media_type, charset, digest "
            "FROM captures WHERE page_id = ? ORDER BY seq",
            (page_id,),
        )
    )
    (last_seq,) = db.execute("SELECT max(seq) FROM captures WHERE page_id = ?", (page_id,)).fetchone()
    histories = [
        ItemHistory(
            identity,
            date_of(published),
            published_text,
            title,
            tuple(titles_of(titles, title)),
            stretches(runs, present_since, last_seq),
            edits,
        )
        for identity, published, published_text, title, titles, runs, present_since, edits in db.execute(
            "SELECT identity, published, published_text, title, titles, runs, present_since, edits FROM items "
            "WHERE page_id = ?",
            (page_id,),
        )
    ]
    histories.sort(
        key=lambda h: (h.first, h.published_text if h.published is None else h.published.isoformat(), h.identity)
    )
    leads = tuple(
        LeadSpan(title, first, last, edits)
        for title, first, last, edits in db.execute(
            "SELECT title, first_seq, last_seq, edits FROM leads WHERE page_id = ? ORDER BY first_seq", (page_id,)
        )
    )
    counters = tuple(
        CounterReading(seq, label, unit, value, date_of(start), None if consistent is None else bool(consistent))
        for seq, label, unit, value, start, consistent in db.execute(
            "SELECT c.seq, l.label, l.unit, k.value, k.implied_start, k.consistent FROM counters k "
            "JOIN captures c ON c.capture_id = k.capture_id JOIN counter_labels l ON l.label_id = k.label_id "
            "WHERE c.page_id = ? ORDER BY c.seq, k.position",
            (page_id,),
        )
    )
    return Timeline(captures, tuple(histories), leads, counters)


def find_capture(
    db: sqlite3.Connection, name: str, page: Page, when: str, relative_to: int | None = None
) -> dict[str, Any]:
    """The capture `when` names: `latest`, `previous` (the one before `relative_to`, else before the latest), or
    the start of its capture time (`2020-08-07`, `2020-08-07T04:17`, `20200807041741`)."""
    count = page.captures
    if when in ("latest", "previous"):
        seq = count - 1
        if when == "previous":
            seq = (relative_to if relative_to is not None else count - 1) - 1
        if seq < 0:
            raise StoreError(name, f"{page.name} has no capture before the first ({count} in all)")
        return rows(db, "SELECT * FROM captures WHERE page_id = ? AND seq = ?", (page.page_id, seq))[0]
    digits = "".join(char for char in when if char.isdigit())
    if not digits:
        raise StoreError(name, f"not a capture time (latest, previous, 2020-08-07, 2020-08-07T04:17): {when!r}")
    found = [
        row
        for row in capture_rows(db, page.page_id)
        if dt.datetime.fromisoformat(row["captured_at"]).strftime("%Y%m%d%H%M%S").startswith(digits)
    ]
    if not found:
        raise StoreError(name, f"no capture of {page.name} taken at {when}")
    if len(found) > 1:
        first, last = found[0]["captured_at"], found[-1]["captured_at"]
        raise StoreError(name, f"{len(found)} captures taken at {when} ({first} to {last}); give more of the time")
    return found[0]
