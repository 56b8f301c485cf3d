"""The timeline as titled tables of strings, shared by the text and markdown renderers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from diffcore.model import (
    PRESENCE_MAX_CAPTURES,
    TIME_SOURCES,
    CaptureRef,
    CounterReading,
    Timeline,
    TimelineTable,
    capture_labels,
    counter_labels,
)
from diffcore.render.common import counter_label, counter_names, path_text, printable, shorten, taken_text
from diffcore.render.layout import Rows, TableRows

PRESENT, ABSENT = "x", "."


@dataclass(frozen=True)
class Section:
    """A titled table, with an optional note under the title.

    `header_tips` and `tips` (shaped as `headers` and `rows`, "" where nothing
    was cut) hold the whole text of a cut heading or cell, for an HTML tooltip.
    """

    title: str
    headers: tuple[str, ...]
    rows: TableRows
    note: str = ""
    header_tips: tuple[str, ...] = ()
    tips: TableRows | None = None

    def with_tips(self) -> Iterator[tuple[tuple[str, ...], tuple[str, ...]]]:
        """Each row with its cells' tips (none where the section has no tips)."""
        if self.tips is None:
            return ((row, ()) for row in self.rows)
        return zip(self.rows, self.tips, strict=True)


def _tip(text: Callable[[str], str], full: str, shown: str) -> str:
    """The whole text, escaped by `text`, where `shown` is a cut of it; else ""."""
    whole = printable(" ".join(full.split()))
    return "" if shown == whole else text(whole)


def _day(day: dt.date | None) -> str:
    return "-" if day is None else day.isoformat()


def items_section(timeline: Timeline, text: Callable[[str], str]) -> Section:
    """When each item was on the page."""
    captures = timeline.captures

    def rows() -> Iterator[tuple[str, ...]]:
        for history in timeline.histories:
            first, last = captures[history.first].captured, captures[history.last].captured
            lag = "-" if history.published is None else str((first - history.published).days)
            title = text(shorten(history.title, 80))
            yield (
                _day(first),
                _day(last),
                f"{history.seen}/{history.last - history.first + 1}",
                str(history.gaps),
                lag,
                str(history.edits),
                _day(history.published),
                title + (f" ({len(history.titles)} titles)" if len(history.titles) > 1 else ""),
            )

    def tips() -> Iterator[tuple[str, ...]]:
        for history in timeline.histories:
            yield ("",) * 7 + (_tip(text, history.title, shorten(history.title, 80)),)

    return Section(
        f"Items ({len(timeline.histories)})",
        ("first seen", "last seen", "seen/span", "gaps", "lag days", "edits", "published", "title"),
        Rows(rows),
        tips=Rows(tips),
    )


def counters_section(timeline: Timeline, text: Callable[[str], str]) -> Section:
    """Each counter per capture; `!` marks a value that did not keep pace with the calendar."""
    labels = counter_labels(timeline)
    readings: list[dict[str, CounterReading]] = [{} for _ in timeline.captures]
    for reading in timeline.counters:
        readings[reading.capture][reading.label] = reading
    rows = []
    for captured, shown in zip(capture_labels(timeline), readings, strict=True):
        row = [captured]
        for label in labels:
            found = shown.get(label)
            if found is None:
                row.append("-")
            else:
                mark = " !" if found.consistent is False else ""
                row.append(f"{found.value}{mark} (since {_day(found.implied_start)})")
        rows.append(tuple(row))
    names = counter_names(labels, 40)
    headers = ("captured", *(text(names[label]) for label in labels))
    header_tips = ("", *(_tip(text, counter_label(label), names[label]) for label in labels))
    return Section(
        "Counters",
        headers,
        tuple(rows),
        "Value per capture, with the start date it implies; ! marks a counter that did not move with the calendar.",
        header_tips=header_tips,
    )


def leads_section(timeline: Timeline, text: Callable[[str], str]) -> Section:
    """Which article was the lead, from when to when."""
    captures = timeline.captures

    def rows() -> Iterator[tuple[str, ...]]:
        for span in timeline.leads:
            yield (
                _day(captures[span.first].captured),
                _day(captures[span.last].captured),
                str(span.last - span.first + 1),
                str(span.edits),
                text(shorten(span.title, 90)),
            )

    def tips() -> Iterator[tuple[str, ...]]:
        for span in timeline.leads:
            yield ("",) * 4 + (_tip(text, span.title, shorten(span.title, 90)),)

    headers = ("first seen", "last seen", "captures", "edits", "title")
    return Section("Lead articles", headers, Rows(rows), tips=Rows(tips))


def presence_section(timeline: Timeline, text: Callable[[str], str]) -> Section:
    """Items x captures, a mark where present (the latest captures only, past a few dozen)."""
    labels = capture_labels(timeline)
    shown = labels[-PRESENCE_MAX_CAPTURES:]
    first_column = len(labels) - len(shown)
    note = f"{PRESENT} present, {ABSENT} absent. Columns are captures, numbered as listed below."
    if first_column:
        note += f" Only the latest {PRESENCE_MAX_CAPTURES} captures are shown."

    def rows() -> Iterator[tuple[str, ...]]:
        for history in timeline.histories:
            marks = history.presence(len(labels))[first_column:]
            yield text(shorten(history.title, 50)), "".join(PRESENT if flag else ABSENT for flag in marks)

    def tips() -> Iterator[tuple[str, ...]]:
        for history in timeline.histories:
            yield _tip(text, history.title, shorten(history.title, 50)), ""

    legend = " ".join(f"{first_column + n + 1}={day}" for n, day in enumerate(shown))
    return Section("Presence", ("item", "captures"), Rows(rows), f"{note} {legend}", tips=Rows(tips))


BUILDERS: dict[TimelineTable, Callable[[Timeline, Callable[[str], str]], Section]] = {
    "items": items_section,
    "counters": counters_section,
    "leads": leads_section,
    "presence": presence_section,
}


def timeline_sections(timeline: Timeline, tables: Sequence[TimelineTable], text: Callable[[str], str]) -> list[Section]:
    """The chosen tables of a timeline; `text` escapes page text for the target format.

    The tables date captures by the page's own date; when some capture was
    taken on another day, a last table says when each was taken. Of several
    tables, the counters are left out when the page has none.
    """
    if len(tables) > 1 and not timeline.counters:
        tables = [name for name in tables if name != "counters"]
    sections = [BUILDERS[name](timeline, text) for name in tables]
    taken = taken_section(timeline, text)
    return sections if taken is None else [*sections, taken]


def taken_section(timeline: Timeline, text: Callable[[str], str]) -> Section | None:
    """When each capture was taken and from what, if any was taken on another day than its page's date."""
    refs = timeline.captures
    if not any(_taken_another_day(ref) for ref in refs):
        return None
    rows = tuple(
        (
            label,
            taken_text(ref.capture) or "-",
            TIME_SOURCES[ref.capture.time_source] if ref.capture else "-",
            text(path_text(ref.source)),
        )
        for label, ref in zip(capture_labels(timeline), refs, strict=True)
    )
    return Section(
        "When the captures were taken (some on another day than the page's date)",
        ("page date", "taken", "from the", "source"),
        rows,
        note="Counters count from the page's own date, and the other tables date captures by it.",
    )


def _taken_another_day(ref: CaptureRef) -> bool:
    taken = taken_text(ref.capture)
    return taken is not None and taken[:10] != ref.captured.isoformat()
