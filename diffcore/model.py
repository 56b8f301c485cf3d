"""The snapshot model: frozen dataclasses that every later stage reads.

Every element keeps the input line numbers it was built from (1-based), so the
parser can prove that no non-blank line was lost (see `Snapshot.line_owners`).
Text fields keep the original wording (trimmed at the ends) for display;
matching uses the keys from `diffcore.normalise`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from diffcore.normalise import clean

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Clock:
    """A clock line of the header, such as "London: 05:17"."""

    place: str
    time: str
    line: int


@dataclass(frozen=True)
class Field:
    """A labelled header field whose value stands on the following line."""

    label: str
    value: str
    lines: tuple[int, ...]


@dataclass(frozen=True)
class Counter:
    """A numeric counter sentence such as "887 days have passed since ...".

    `label` is the sentence with its number masked as `{n}`, so the same counter
    can be found again in another capture whatever its value.
    """

    label: str
    value: int
    unit: str
    text: str
    line: int


@dataclass(frozen=True)
class Header:
    """Everything above the lead article."""

    captured: dt.date
    capture_time: str | None
    date_line: int
    clocks: tuple[Clock, ...] = ()
    fields: tuple[Field, ...] = ()
    counters: tuple[Counter, ...] = ()


@dataclass(frozen=True)
class Lead:
    """The featured article: a title line and its paragraphs (no date prefix)."""

    title: str
    paragraphs: tuple[str, ...]
    lines: tuple[int, ...]

    @property
    def text(self) -> str:
        """Title and paragraphs as one text, one paragraph a line."""
        return "\n".join((self.title, *self.paragraphs))


@dataclass(frozen=True, slots=True)
class Item:
    """A dated entry of the item list.

    `published` is None when the date on the page does not exist (31.02.2020);
    `published_text` keeps what the page said. `id` is stable across captures
    for the same date and (normalised) title. Slots, as a page may list a
    million items: no per-item attribute dict.
    """

    id: str
    published: dt.date | None
    published_text: str
    title: str
    summary: tuple[str, ...]
    position: int
    lines: tuple[int, ...]

    @property
    def summary_text(self) -> str:
        """The summary paragraphs, one a line."""
        return "\n".join(self.summary)


@dataclass(frozen=True)
class Unparsed:
    """A non-blank line no rule of the profile placed."""

    line: int
    text: str


@dataclass(frozen=True)
class Snapshot:
    """One capture of the page, normalised."""

    source: str
    header: Header
    lead: Lead | None
    items: tuple[Item, ...]
    footer: str | None
    footer_line: int | None
    unparsed: tuple[Unparsed, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def captured(self) -> dt.date:
        """The capture date from the header."""
        return self.header.captured

    def line_owners(self) -> dict[int, list[str]]:
        """Map each input line number to the parts of the model that hold it.

        A complete parse gives every non-blank line exactly one owner.
        """
        owners: dict[int, list[str]] = {}

        def own(line: int, part: str) -> None:
            owners.setdefault(line, []).append(part)

        own(self.header.date_line, "header.date")
        for clock in self.header.clocks:
            own(clock.line, "header.clock")
        for field in self.header.fields:
            for line in field.lines:
                own(line, "header.field")
        for counter_line in sorted({c.line for c in self.header.counters}):
            own(counter_line, "header.counter")
        if self.lead is not None:
            for line in self.lead.lines:
                own(line, "lead")
        for item in self.items:
            for line in item.lines:
                own(line, f"item[{item.position}]")
        if self.footer_line is not None:
            own(self.footer_line, "footer")
        for unparsed in self.unparsed:
            own(unparsed.line, "unparsed")
        return owners


@dataclass(frozen=True)
class CaptureRef:
    """Which capture a report side is: its file and capture date and time."""

    source: str
    captured: dt.date
    capture_time: str | None


@dataclass(frozen=True)
class WordOp:
    """One difflib opcode over word tokens: equal, delete, insert or replace."""

    tag: str
    old: str
    new: str


@dataclass(frozen=True)
class Edit:
    """An item present in both captures whose date, title or summary changed."""

    old: Item
    new: Item
    similarity: float
    title: tuple[WordOp, ...]
    summary: tuple[WordOp, ...]

    @property
    def kinds(self) -> tuple[str, ...]:
        """Which parts changed: any of "published", "title", "summary"."""
        changed = []
        if self.old.published_text != self.new.published_text or self.old.published != self.new.published:
            changed.append("published")
        if any(op.tag != "equal" for op in self.title):
            changed.append("title")
        # Word ops run over the summary as one text; a new paragraph split shows only in the paragraphs.
        if any(op.tag != "equal" for op in self.summary) or _paragraphs(self.old) != _paragraphs(self.new):
            changed.append("summary")
        return tuple(changed)


def _paragraphs(item: Item) -> tuple[str, ...]:
    """An item's summary paragraphs as a reader compares them."""
    return tuple(clean(paragraph) for paragraph in item.summary)


@dataclass(frozen=True)
class Move:
    """An item whose place in the list changed relative to the items around it."""

    item: Item
    old_id: str
    old_position: int
    new_position: int


@dataclass(frozen=True)
class CounterChange:
    """One header counter across two captures.

    For counters in days (or weeks), `days_elapsed` is the calendar distance of
    the captures, `consistent` whether the counter moved with it, and the start
    dates are what each value implies (capture date minus the value).
    """

    label: str
    unit: str
    status: str
    old: int | None
    new: int | None
    delta: int | None
    days_elapsed: int
    consistent: bool | None
    old_start: dt.date | None
    new_start: dt.date | None


@dataclass(frozen=True)
class ClockChange:
    """A clock's reading in each capture (None where a capture lacks the clock)."""

    place: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class FieldChange:
    """A labelled header field that was added, removed or changed."""

    label: str
    status: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class LeadChange:
    """What happened to the lead article.

    `status` is one of: same, edited, replaced, promoted (the new lead was an
    item before), demoted (the old lead is an item now), appeared, vanished,
    absent (no lead on either side).
    """

    status: str
    old_title: str | None
    new_title: str | None
    similarity: float | None
    title: tuple[WordOp, ...]
    text: tuple[WordOp, ...]
    promoted_from: Item | None
    demoted_to: Item | None


@dataclass(frozen=True)
class SnapshotDiff:
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
    unchanged: int
    chunked: tuple[str, ...] = ()
    """What was too long to align word by word exactly ("lead", item ids): aligned in chunks
    (diffcore.align), so an unchanged word may show as changed there; empty for usual sizes."""

    @property
    def has_changes(self) -> bool:
        """Whether any item was added, dropped, edited or moved (diff(1)'s exit 1)."""
        return bool(self.added or self.dropped or self.edited or self.moved)


@dataclass(frozen=True)
class ItemHistory:
    """One item identity across the captures of a timeline.

    `runs` are the (first, last) capture indexes of each stretch the item was
    on the page; more than one run means it disappeared and came back.
    """

    identity: str
    published: dt.date | None
    published_text: str
    title: str
    titles: tuple[str, ...]
    runs: tuple[tuple[int, int], ...]
    edits: int

    @property
    def first(self) -> int:
        """Index of the first capture showing the item."""
        return self.runs[0][0]

    @property
    def last(self) -> int:
        """Index of the last capture showing the item."""
        return self.runs[-1][1]

    @property
    def seen(self) -> int:
        """How many captures showed the item."""
        return sum(end - start + 1 for start, end in self.runs)

    @property
    def gaps(self) -> int:
        """How many times the item disappeared and came back."""
        return len(self.runs) - 1


@dataclass(frozen=True)
class LeadSpan:
    """A stretch of consecutive captures with the same lead article (edits allowed)."""

    title: str
    first: int
    last: int
    edits: int


@dataclass(frozen=True)
class CounterReading:
    """One counter's value in one capture, with what it implies.

    `consistent` compares with the previous capture showing the same counter
    (None for the first reading, or units the calendar cannot check).
    """

    capture: int
    label: str
    unit: str
    value: int
    implied_start: dt.date | None
    consistent: bool | None


@dataclass(frozen=True)
class Timeline:
    """Item identities, lead articles and counters over captures in date order."""

    captures: tuple[CaptureRef, ...]
    histories: tuple[ItemHistory, ...]
    leads: tuple[LeadSpan, ...]
    counters: tuple[CounterReading, ...]

    def items_frame(self) -> pd.DataFrame:
        """One row per item identity (pandas DataFrame), sorted by first seen, then published."""
        from diffcore.tables import items_frame

        return items_frame(self)

    def counters_frame(self) -> pd.DataFrame:
        """One row per capture, one column per counter, with implied starts and stall flags."""
        from diffcore.tables import counters_frame

        return counters_frame(self)

    def readings_frame(self) -> pd.DataFrame:
        """One row per counter reading (long form)."""
        from diffcore.tables import readings_frame

        return readings_frame(self)

    def presence_frame(self) -> pd.DataFrame:
        """Items x captures, True where the capture shows the item."""
        from diffcore.tables import presence_frame

        return presence_frame(self)

    def leads_frame(self) -> pd.DataFrame:
        """One row per lead article span."""
        from diffcore.tables import leads_frame

        return leads_frame(self)
