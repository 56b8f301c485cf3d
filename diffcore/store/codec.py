"""A snapshot as rows of the store, and back: the compact form each capture is kept in.

Items are kept once per distinct reading (`versions`) and referred to by
each capture that shows them (`presence`), as is the lead article's text
(`lead_versions`); counters have rows of their own (their sentence once per
page, `counter_labels`); the rest of the page (clocks, fields, footer, other
lines and their line numbers) is one JSON text per capture. Read back, a
capture gives the snapshot it was parsed into, but for the line numbers of
its items, which only `show` and `profile check` print (they read the
capture itself). Pure functions: no database here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from diffcore.model import (
    Capture,
    Clock,
    Field,
    Header,
    HeaderCounter,
    Item,
    Lead,
    MediaType,
    Snapshot,
    Source,
    TimeSource,
    Unparsed,
)


def dumps(value: Any) -> str:
    """Compact JSON, UTF-8 kept readable."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def date_of(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def moment_text(moment: dt.datetime) -> str:
    """A capture time as stored: ISO 8601, `Z` for UTC ("2020-08-07T04:17:41Z")."""
    return moment.isoformat().replace("+00:00", "Z")


def moment_of(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def path_value(path: str) -> str | bytes:
    """A file name as stored: text, or its bytes when it is not UTF-8 (so it reads back exactly)."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path)
    return path


def path_of(value: str | bytes) -> str:
    return value if isinstance(value, str) else os.fsdecode(value)


def optional_path_of(value: str | bytes | None) -> str | None:
    return None if value is None else path_of(value)


def optional_path_value(path: str | None) -> str | bytes | None:
    return None if path is None else path_value(path)


@dataclass(frozen=True)
class Version:
    """One reading of an item, as the `versions` table holds it."""

    item_key: str
    published: str | None
    published_text: str
    title: str
    summary: str
    link: str | None

    @classmethod
    def of(cls, item: Item) -> Version:
        return cls(*version_row(item))

    @property
    def digest(self) -> int:
        return row_digest(self.row())

    def row(self) -> VersionRow:
        """The columns of `versions`, in order."""
        return (self.item_key, self.published, self.published_text, self.title, self.summary, self.link)

    def item(self, position: int) -> Item:
        """The item this version is, at a position of a capture (its line numbers are not kept)."""
        return Item(
            self.item_key,
            date_of(self.published),
            self.published_text,
            self.title,
            paragraphs(self.summary),
            position,
            (),
            self.link,
        )


VersionRow = tuple[str, str | None, str, str, str, str | None]
"""The columns of `versions` but the digest: item_key, published, published_text, title, summary, link."""


def version_row(item: Item) -> VersionRow:
    """An item's reading as a row of `versions`."""
    published = None if item.published is None else item.published.isoformat()
    return (item.id, published, item.published_text, item.title, "\n".join(item.summary), item.link)


def row_digest(row: VersionRow) -> int:
    """A 64-bit digest of every field (a tuple's repr is unambiguous, and quick to make), to look a reading up by."""
    data = hashlib.blake2b(repr(row).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(data, "big", signed=True)


def lead_digest(lead: Lead) -> bytes:
    """What tells two texts of the lead article apart (there are few: the digest is long, and unique)."""
    return hashlib.blake2b(dumps([lead.title, *lead.paragraphs]).encode("utf-8"), digest_size=16).digest()


def paragraphs(summary: str) -> tuple[str, ...]:
    """A summary's paragraphs from its text (a paragraph is one line of the page, never empty)."""
    return tuple(summary.split("\n")) if summary else ()


def page_json(snapshot: Snapshot) -> str:
    """Everything of a snapshot the other columns and tables do not hold, as JSON."""
    header, lead = snapshot.header, snapshot.lead
    parts = {
        "date_line": header.date_line,
        "clocks": [[clock.place, clock.time, clock.line] for clock in header.clocks],
        "fields": [[field.label, field.value, list(field.lines)] for field in header.fields],
        "lead_lines": None if lead is None else list(lead.lines),
        "footer": snapshot.footer,
        "footer_line": snapshot.footer_line,
        "unparsed": [[line.line, line.text] for line in snapshot.unparsed],
        "ignored": [[line.line, line.text] for line in snapshot.ignored],
        "sections": [[line.line, line.text] for line in snapshot.sections],
        "roles": [list(role) for role in snapshot.roles],
    }
    return dumps({name: value for name, value in parts.items() if value not in (None, [])})  # absent: empty


def _lines(rows: Sequence[Sequence[Any]]) -> tuple[Unparsed, ...]:
    return tuple(Unparsed(line, text) for line, text in rows)


def capture_columns(capture: Capture) -> dict[str, Any]:
    """The capture record as columns of `captures`."""
    source = capture.source
    return {
        "captured_at": moment_text(capture.captured_at),
        "time_source": capture.time_source,
        "path": path_value(source.path),
        "record_offset": source.offset,
        "payload_offset": source.payload_offset,
        "payload_path": optional_path_value(source.payload_path),
        "repository": optional_path_value(source.repository),
        "git_commit": source.commit,
        "url": capture.url,
        "media_type": capture.media_type,
        "charset": capture.charset,
        "digest": capture.digest,
    }


def capture_of(row: dict[str, Any]) -> Capture:
    """The capture record from its columns (see `capture_columns`)."""
    source = Source(
        path_of(row["path"]),
        row["record_offset"],
        row["payload_offset"],
        optional_path_of(row["payload_path"]),
        optional_path_of(row["repository"]),
        row["git_commit"],
    )
    return Capture(
        source,
        moment_of(row["captured_at"]),
        cast(TimeSource, row["time_source"]),
        cast(MediaType, row["media_type"]),
        row["digest"],
        row["url"],
        row["charset"],
    )


CounterRow = tuple[str, str, int, str | None, int]
"""A counter as stored: label, unit, value, text (None when it is the label with the value in it), line."""


def counter_text(counter: HeaderCounter) -> str | None:
    """A counter's sentence as stored: None when the label with its value in place of {n} gives it."""
    return None if counter.label.replace("{n}", str(counter.value), 1) == counter.text else counter.text


def counter_of(label: str, unit: str, value: int, text: str | None, line: int) -> HeaderCounter:
    return HeaderCounter(label, value, unit, label.replace("{n}", str(value), 1) if text is None else text, line)


def snapshot_of(
    row: dict[str, Any],
    versions: Sequence[Version],
    counters: Sequence[CounterRow],
    lead: tuple[str, str] | None,
    capture: Capture | None,
) -> Snapshot:
    """A capture's snapshot from its row, its items' versions (in page order), its counters, its lead's title
    and paragraphs."""
    page = json.loads(row["page"])
    items = tuple(version.item(position) for position, version in enumerate(versions))
    header = Header(
        date_of(row["captured"]) or dt.date.min,
        row["capture_time"],
        page.get("date_line"),
        tuple(Clock(place, time, line) for place, time, line in page.get("clocks", ())),
        tuple(Field(label, value, tuple(lines)) for label, value, lines in page.get("fields", ())),
        tuple(counter_of(*counter) for counter in counters),
    )
    return Snapshot(
        source=row["source"],
        header=header,
        lead=None if lead is None else Lead(lead[0], paragraphs(lead[1]), tuple(page.get("lead_lines", ()))),
        items=items,
        footer=page.get("footer"),
        footer_line=page.get("footer_line"),
        unparsed=_lines(page.get("unparsed", ())),
        warnings=tuple(json.loads(row["warnings"])),
        capture=capture,
        ignored=_lines(page.get("ignored", ())),
        sections=_lines(page.get("sections", ())),
        roles=tuple((line, role) for line, role in page.get("roles", ())),
    )
