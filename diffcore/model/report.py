"""The change report between two captures (`SnapshotDiff`) and its parts.

Statuses are closed sets, named as `Literal` types, so a renderer can rely on
them and a type checker catches a misspelt one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from diffcore.model.capture import Capture
from diffcore.model.pickling import ByFields
from diffcore.model.snapshot import Item

OpTag = Literal["equal", "delete", "insert", "replace"]
EditKind = Literal["published", "title", "summary", "link"]
CounterStatus = Literal["same", "changed", "appeared", "vanished"]
FieldStatus = Literal["added", "removed", "changed"]
LeadStatus = Literal["same", "edited", "replaced", "promoted", "demoted", "appeared", "vanished", "absent"]


@dataclass(frozen=True, slots=True)
class CaptureRef(ByFields):
    """Which capture a report side is: its source, the page's date and clock time, and its capture record."""

    source: str
    captured: dt.date
    capture_time: str | None
    capture: Capture | None = None
    warnings: tuple[str, ...] = ()
    """What reading the capture warned of (a date that does not exist, a profile that does not fit)."""


@dataclass(frozen=True, slots=True)
class WordOp(ByFields):
    """One difflib opcode over word tokens: equal, delete, insert or replace."""

    tag: OpTag
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class Edit(ByFields):
    """An item present in both captures whose date, title or summary changed."""

    old: Item
    new: Item
    similarity: float
    title: tuple[WordOp, ...]
    summary: tuple[WordOp, ...]
    kinds: tuple[EditKind, ...]
    """Which parts changed, in this order: any of "published", "title", "summary", "link"."""


@dataclass(frozen=True, slots=True)
class Move(ByFields):
    """An item whose place in the list changed relative to the items around it."""

    item: Item
    old_id: str
    old_position: int
    new_position: int


@dataclass(frozen=True, slots=True)
class CounterChange(ByFields):
    """One header counter across two captures.

    For counters in days (or weeks), `days_elapsed` is the calendar distance of
    the captures, `consistent` whether the counter moved with it, and the start
    dates are what each value implies (capture date minus the value).
    """

    label: str
    unit: str
    status: CounterStatus
    old: int | None
    new: int | None
    delta: int | None
    days_elapsed: int
    consistent: bool | None
    old_start: dt.date | None
    new_start: dt.date | None
    off_by: int | None = None
    """Days the counter ran ahead (+) or behind (-) the calendar; None where the calendar cannot tell."""


@dataclass(frozen=True, slots=True)
class ClockChange(ByFields):
    """A clock's reading in each capture (None where a capture lacks the clock)."""

    place: str
    old: str | None
    new: str | None


@dataclass(frozen=True, slots=True)
class OtherLines(ByFields):
    """What changed on the page outside its header, lead and items: lines no rule placed, section headings,
    ignored lines, and the footer.

    A profile that does not fit a page leaves much of it here; a report that
    kept silent about these lines would read "no change" for a changed page.
    """

    removed: tuple[str, ...] = ()
    """Unparsed lines of the old capture that the new one lacks, in page order."""
    added: tuple[str, ...] = ()
    """Unparsed lines of the new capture that the old one lacks, in page order."""
    footer: tuple[str | None, str | None] | None = None
    """The old and the new footer, when they read differently."""
    ignored_removed: tuple[str, ...] = ()
    """Ignored lines ([ignore] lines, --ignore) of the old capture that the new one lacks: shown, never items."""
    ignored_added: tuple[str, ...] = ()
    """Ignored lines of the new capture that the old one lacks."""

    def __bool__(self) -> bool:
        return bool(self.removed or self.added or self.footer or self.ignored_removed or self.ignored_added)


@dataclass(frozen=True, slots=True)
class FieldChange(ByFields):
    """A labelled header field that was added, removed or changed."""

    label: str
    status: FieldStatus
    old: str | None
    new: str | None


@dataclass(frozen=True, slots=True)
class LeadChange(ByFields):
    """What happened to the lead article.

    `status` is one of: same, edited, replaced, promoted (the new lead was an
    item before), demoted (the old lead is an item now), appeared, vanished,
    absent (no lead on either side).
    """

    status: LeadStatus
    old_title: str | None
    new_title: str | None
    similarity: float | None
    title: tuple[WordOp, ...]
    text: tuple[WordOp, ...]
    promoted_from: Item | None
    demoted_to: Item | None


@dataclass(frozen=True, slots=True)
class SnapshotDiff(ByFields):
    """The change report between two captures."""

    old: CaptureRef
    new: CaptureRef
    days_elapsed: int
    clocks: tuple[ClockChange, ...]
    fields: tuple[FieldChange, ...]
    counters: tuple[CounterChange, ...]
    lead: LeadChange
    added: tuple[Item, ...]
    dropped: tuple[Item, ...]
    edited: tuple[Edit, ...]
    moved: tuple[Move, ...]
    unchanged_items: tuple[Item, ...]
    """The new capture's items that are neither added, edited nor moved, in page order."""
    chunked: tuple[str, ...] = ()
    """What was too long to align word by word exactly ("lead", item ids): aligned in chunks
    (diffcore.align), so an unchanged word may show as changed there; empty for usual sizes."""
    other: OtherLines = OtherLines()
    """Unparsed lines added and removed, and a changed footer."""
    warnings: tuple[str, ...] = ()
    """What the change itself warns of: most items vanishing at once (a redesign or a broken extraction)."""

    @property
    def counts(self) -> dict[str, int]:
        """Items added, dropped, edited, moved and unchanged, by kind."""
        return {
            "added": len(self.added),
            "dropped": len(self.dropped),
            "edited": len(self.edited),
            "moved": len(self.moved),
            "unchanged": self.unchanged,
        }

    @property
    def unchanged(self) -> int:
        """How many items read the same, in the same place, on both captures."""
        return len(self.unchanged_items)

    @property
    def has_changes(self) -> bool:
        """Whether any item was added, dropped, edited or moved (diff(1)'s exit 1)."""
        return bool(self.added or self.dropped or self.edited or self.moved)
