"""The snapshot model: one capture of a page, normalised.

Every element keeps the input line numbers it was built from (1-based), so the
parser can prove that no non-blank line was lost (see `Snapshot.line_owners`).
Text fields keep the original wording (trimmed at the ends) for display;
matching uses the keys from `diffcore.normalise`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from diffcore.model.capture import Capture, clock_order
from diffcore.model.pickling import ByFields


@dataclass(frozen=True, slots=True)
class Clock(ByFields):
    """A clock line of the header, such as "London: 05:17"."""

    place: str
    time: str
    line: int


@dataclass(frozen=True, slots=True)
class Field(ByFields):
    """A labelled header field whose value stands on the following line."""

    label: str
    value: str
    lines: tuple[int, ...]


DAYS_PER_UNIT = {"day": 1, "week": 7}
"""Counter units the calendar can check, in days; other units ("year", "visit") are shown, not checked."""


@dataclass(frozen=True, slots=True)
class HeaderCounter(ByFields):
    """A numeric counter sentence such as "887 days have passed since ...".

    `label` is the sentence with its number masked as `{n}`, so the same counter
    can be found again in another capture whatever its value.
    """

    label: str
    value: int
    unit: str
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class Header(ByFields):
    """Everything above the lead article."""

    captured: dt.date
    """The date the page shows on its date line, else the date it was captured."""
    capture_time: str | None
    date_line: int | None
    """The line of the page's own date; None when the page shows none."""
    clocks: tuple[Clock, ...] = ()
    fields: tuple[Field, ...] = ()
    counters: tuple[HeaderCounter, ...] = ()


@dataclass(frozen=True, slots=True)
class Lead(ByFields):
    """The featured article: a title line and its paragraphs (no date prefix)."""

    title: str
    paragraphs: tuple[str, ...]
    lines: tuple[int, ...]

    @property
    def text(self) -> str:
        """Title and paragraphs as one text, one paragraph a line."""
        return "\n".join((self.title, *self.paragraphs))


@dataclass(frozen=True, slots=True)
class Item(ByFields):
    """An entry of the item list.

    `published` is None when the date on the page does not exist (31.02.2020),
    or when the item shows none (`published_text` is then empty);
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
    link: str | None = None
    """The URL the item links to, when its profile or its feed gives one."""

    @property
    def summary_text(self) -> str:
        """The summary paragraphs, one a line."""
        return "\n".join(self.summary)


NO_TITLE = "(no title)"
"""An item's title when its source gives none (a feed entry, an HTML element without one)."""


@dataclass(frozen=True, slots=True)
class Unparsed(ByFields):
    """A non-blank line no rule of the profile placed."""

    line: int
    text: str


@dataclass(frozen=True, slots=True)
class Snapshot(ByFields):
    """One capture of the page, normalised."""

    source: str
    header: Header
    lead: Lead | None
    items: tuple[Item, ...]
    footer: str | None
    footer_line: int | None
    unparsed: tuple[Unparsed, ...] = ()
    warnings: tuple[str, ...] = ()
    capture: Capture | None = None
    """Where and when the capture was taken; None for a text parsed on its own."""
    ignored: tuple[Unparsed, ...] = ()
    """Lines the profile's (or `--ignore`'s) patterns set aside: kept and shown, never compared."""
    sections: tuple[Unparsed, ...] = ()
    """Section headings of the item list (the profile's [section] pattern): each ends the item above it."""
    roles: tuple[tuple[int, str], ...] = ()
    """Lines of an item whose part alone does not say what they are: its date line, its title line, its link line."""

    @property
    def captured(self) -> dt.date:
        """The page's own date (its date line), else the capture date: what its counters count from."""
        return self.header.captured

    def line_owners(self) -> dict[int, list[str]]:
        """Map each input line number to the parts of the model that hold it.

        A complete parse gives every non-blank line exactly one owner.
        """
        owners: dict[int, list[str]] = {}

        def own(line: int, part: str) -> None:
            owners.setdefault(line, []).append(part)

        if self.header.date_line is not None:
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
        for ignored in self.ignored:
            own(ignored.line, "ignored")
        for section in self.sections:
            own(section.line, "section")
        return owners


def capture_order(snapshot: Snapshot) -> tuple[dt.datetime, tuple[int, ...], str]:
    """When a capture was taken (else the page's date), then the page's clock, then its source: the timeline's order."""
    taken = snapshot.capture.captured_at if snapshot.capture else None
    return (
        taken or dt.datetime.combine(snapshot.captured, dt.time(), dt.UTC),
        clock_order(snapshot.header.capture_time),
        snapshot.source,
    )
