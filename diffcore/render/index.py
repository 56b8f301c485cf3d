"""The index page of a report folder: one row per consecutive pair, then the timeline."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from diffcore.model import CounterChange, summary_tables
from diffcore.render.as_markdown import escape, timeline_body
from diffcore.render.common import capture_warnings, count, path_text, signed, when_text
from diffcore.render.layout import Rows, markdown_table_lines

if TYPE_CHECKING:
    from diffcore.load import Inventory
    from diffcore.model import PairSummary, ReportFolder


def counter_deltas(changes: Sequence[CounterChange]) -> str:
    """Each counter's delta, `!` where it did not keep pace, or appeared/vanished."""
    parts: list[str] = []
    for change in changes:
        if change.status in ("appeared", "vanished"):
            parts.append(change.status)
        else:
            parts.append(signed(change.delta) + ("" if change.consistent is not False else " !"))
    return ", ".join(parts) or "-"


def pair_cells(pair: PairSummary) -> tuple[str, ...]:
    """Dates, days and counts of one pair, as index table cells."""
    return (
        pair.old.captured.isoformat(),
        pair.new.captured.isoformat(),
        str(pair.days_elapsed),
        str(pair.added),
        str(pair.dropped),
        str(pair.edited),
        str(pair.moved),
        pair.lead_status,
        counter_deltas(pair.counters),
    )


PAIR_HEADERS = ("#", "from", "to", "days", "added", "dropped", "edited", "moved", "lead", "counters")


def stream_index_markdown(result: ReportFolder, inventory: Inventory) -> Iterator[str]:
    """index.md a line at a time: its tables' rows are made as they are written, never all held at once."""
    for line in _index_lines(result, inventory):
        yield line + "\n"


def _index_lines(result: ReportFolder, inventory: Inventory) -> Iterator[str]:
    timeline = result.timeline
    first, last = timeline.captures[0], timeline.captures[-1]
    yield f"# Change reports, {first.captured} to {last.captured}"
    yield ""
    yield (
        f"{count(len(timeline.captures), 'capture')}, {count(len(result.pairs), 'consecutive pair')}, "
        f"{count(len(timeline.histories), 'item')}. Tables for spreadsheets: [timeline.csv](timeline.csv), "
        "[counters.csv](counters.csv); for scripts: [timeline.json](timeline.json)."
    )
    listed, more = capture_warnings(timeline)
    if listed:
        yield from (
            "",
            "## Warnings",
            "",
            "What reading the captures warned of (a profile that does not fit, most items vanishing at once):",
            "",
        )
        yield from (f"- {ref.captured}: {escape(warning)}" for ref, warning in listed)
        if more:
            yield f"- and {count(more, 'more warning')} (in timeline.json)"
    if inventory.duplicates:
        yield from ("", "Duplicate captures left out (same date and content as a kept one):", "")
        yield from (
            f"- {escape(path_text(d.path))} (same as {escape(path_text(d.same_as))})" for d in inventory.duplicates
        )
    if result.pairs:
        yield from (
            "",
            "## Changes between consecutive captures",
            "",
            "Counters: change since the previous capture; ! marks one that did not move with the calendar.",
            "",
        )
        pairs = result.pairs
        rows = Rows(lambda: ((f"[{p.number}](changes/{p.stem}.md)", *pair_cells(p)) for p in pairs))
        yield from markdown_table_lines(rows, PAIR_HEADERS)
    yield from timeline_body(timeline, summary_tables(len(timeline.captures)))
    yield from ("", "## Captures", "")
    for n, ref in enumerate(timeline.captures, start=1):
        yield f"{n}. {when_text(ref.captured, ref.capture_time, ref.capture)}: {escape(path_text(ref.source))}"
