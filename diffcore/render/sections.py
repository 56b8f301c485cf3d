"""The timeline as titled tables of strings, shared by the text and markdown renderers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from diffcore.model import Timeline
from diffcore.render.common import counter_label, counter_names, printable, shorten

TABLES = ("items", "counters", "leads", "presence")
PRESENCE_MAX_CAPTURES = 60
PRESENT, ABSENT = "x", "."


@dataclass(frozen=True)
class Section:
    """A titled table, with an optional note under the title.

    `header_tips` and `tips` (shaped as `headers` and `rows`, "" where nothing
    was cut) hold the whole text of a cut heading or cell, for an HTML tooltip.
    """

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""
    header_tips: tuple[str, ...] = ()
    tips: tuple[tuple[str, ...], ...] = ()


def _tip(text: Callable[[str], str], full: str, shown: str) -> str:
    """The whole text, escaped by `text`, where `shown` is a cut of it; else ""."""
    whole = printable(" ".join(full.split()))
    return "" if shown == whole else text(whole)


def _missing(value: object) -> bool:
    """None, NaN, NaT or pd.NA, told apart without importing pandas."""
    return value is None or str(value) in ("NaT", "<NA>", "nan", "None")


def _day(value: object) -> str:
    return "-" if _missing(value) else str(value)[:10]


def _cell(value: object) -> str:
    return "-" if _missing(value) else str(value)


def items_section(timeline: Timeline, text: Callable[[str], str]) -> Section:
    """When each item was on the page."""
    frame = timeline.items_frame()
    records = list(frame.itertuples(index=False))
    rows = tuple(
        (_day(r.first_seen), _day(r.last_seen), f"{r.seen}/{r.span}", str(r.gaps), _cell(r.lag_days),
         str(r.edits), _day(r.published), text(shorten(str(r.title), 80)) + (f" ({r.titles} titles)" if r.titles > 1 else ""))
        for r in records
    )
    tips = tuple(("",) * 7 + (_tip(text, str(r.title), shorten(str(r.title), 80)),) for r in records)
    return Section(f"Items ({len(rows)})",
                   ("first seen", "last seen", "seen/span", "gaps", "lag days", "edits", "published", "title"), rows,
                   tips=tips)


def counters_section(timeline: Timeline, text: Callable[[str], str]) -> Section:
    """Each counter per capture; `!` marks a value that did not keep pace with the calendar."""
    from diffcore.tables import capture_labels, counter_labels

    labels = counter_labels(timeline)
    frame = timeline.counters_frame()
    rows = []
    for captured, record in zip(capture_labels(timeline), frame.to_dict("records"), strict=True):
        row = [captured]
        for label in labels:
            value = record[label]
            stalled = record[f"{label} (stalled)"]
            mark = " !" if stalled is True else ""
            row.append("-" if _missing(value) else f"{value}{mark} (since {_day(record[label + ' (start)'])})")
        rows.append(tuple(row))
    names = counter_names(labels, 40)
    headers = ("captured", *(text(names[label]) for label in labels))
    header_tips = ("", *(_tip(text, counter_label(label), names[label]) for label in labels))
    return Section("Counters", headers, tuple(rows),
                   "Value per capture, with the start date it implies; ! marks a counter that did not move with the calendar.",
                   header_tips=header_tips)


def leads_section(timeline: Timeline, text: Callable[[str], str]) -> Section:
    """Which article was the lead, from when to when."""
    frame = timeline.leads_frame()
    records = list(frame.itertuples(index=False))
    rows = tuple((_day(r.first_seen), _day(r.last_seen), str(r.captures), str(r.edits), text(shorten(str(r.title), 90)))
                 for r in records)
    tips = tuple(("",) * 4 + (_tip(text, str(r.title), shorten(str(r.title), 90)),) for r in records)
    return Section("Lead articles", ("first seen", "last seen", "captures", "edits", "title"), rows, tips=tips)


def presence_section(timeline: Timeline, text: Callable[[str], str]) -> Section:
    """Items x captures, a mark where present (the latest captures only, past a few dozen)."""
    frame = timeline.presence_frame()
    note = f"{PRESENT} present, {ABSENT} absent. Columns are captures, numbered as listed below."
    if frame.shape[1] > PRESENCE_MAX_CAPTURES:
        frame = frame.iloc[:, -PRESENCE_MAX_CAPTURES:]
        note += f" Only the latest {PRESENCE_MAX_CAPTURES} captures are shown."
    first_column = len(timeline.captures) - frame.shape[1]
    titles = {h.identity: h.title for h in timeline.histories}
    rows = tuple(
        (text(shorten(titles[identity], 50)), "".join(PRESENT if flag else ABSENT for flag in flags))
        for identity, flags in zip(frame.index, frame.itertuples(index=False, name=None), strict=True)
    )
    tips = tuple((_tip(text, titles[identity], shorten(titles[identity], 50)), "") for identity in frame.index)
    legend = " ".join(f"{first_column + n + 1}={day}" for n, day in enumerate(frame.columns))
    return Section("Presence", ("item", "captures"), rows, f"{note} {legend}", tips=tips)


BUILDERS: dict[str, Callable[[Timeline, Callable[[str], str]], Section]] = {
    "items": items_section,
    "counters": counters_section,
    "leads": leads_section,
    "presence": presence_section,
}


def timeline_sections(timeline: Timeline, tables: tuple[str, ...], text: Callable[[str], str]) -> list[Section]:
    """The chosen tables of a timeline; `text` escapes page text for the target format."""
    return [BUILDERS[name](timeline, text) for name in tables]
