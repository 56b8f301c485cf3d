"""Plain text for a terminal: headings, tables via tabulate, optional colour."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from diffcore.fit import dated_text_lines, line_roles
from diffcore.model import (
    TIME_SOURCES,
    Capture,
    Item,
    LeadChange,
    Snapshot,
    SnapshotDiff,
    WordOp,
)
from diffcore.render.common import (
    COUNTER_HEADERS,
    UNDATED_LABEL,
    capture,
    changes,
    chunked_note,
    count,
    counter_names,
    counter_row,
    counts_line,
    inline,
    one_line,
    path_text,
    printable,
    published_label,
    shorten,
    taken_text,
    when_text,
)
from diffcore.render.layout import display_width, text_table
from diffcore.render.style import paint

if TYPE_CHECKING:
    from diffcore.model import Timeline, TimelineTable

ITEM_HEADERS = ("#", "published", "title", "summary", "id")


def render_snapshot(snapshot: Snapshot, color: bool = False) -> str:
    """`show --format text`: the normalised snapshot, one section a part."""
    return "".join(stream_snapshot(snapshot, color))


def stream_snapshot(snapshot: Snapshot, color: bool = False) -> Iterator[str]:
    """`show --format text` a line at a time, so a capture of a million items is never one string."""
    header = snapshot.header
    yield paint(f"Snapshot {path_text(snapshot.source)}", "heading", color) + "\n"
    yield f"captured: {when_text(header.captured, header.capture_time, snapshot.capture)}\n"
    if snapshot.capture is not None:
        yield from _capture_lines(snapshot.capture)
    for clock in header.clocks:
        yield printable(f"clock:    {clock.place} {clock.time}") + "\n"
    for field in header.fields:
        yield printable(f"field:    {field.label}: {field.value}") + "\n"
    if header.counters:
        yield "\n" + paint("Counters", "heading", color) + "\n"
        from tabulate import tabulate

        counter_rows = [(c.value, c.unit, shorten(c.label, 100)) for c in header.counters]
        yield tabulate(counter_rows, headers=("value", "unit", "label"), tablefmt="simple") + "\n"
    yield "\n" + paint("Lead", "heading", color) + "\n"
    if snapshot.lead is None:
        yield "(none)\n"
    else:
        yield printable(snapshot.lead.title) + "\n"
        yield f"({count(len(snapshot.lead.paragraphs), 'paragraph')})\n"
    yield "\n" + paint(f"Items ({len(snapshot.items)})", "heading", color) + "\n"
    yield from _item_table(snapshot.items)
    yield "\n" + printable(f"footer:   {snapshot.footer if snapshot.footer is not None else '(none)'}") + "\n"
    yield f"unparsed: {len(snapshot.unparsed)} line(s)\n"
    for unparsed in snapshot.unparsed:
        yield f"  line {unparsed.line}: {shorten(unparsed.text, 80)}\n"
    for name, lines in (("ignored: ", snapshot.ignored), ("sections:", snapshot.sections)):
        if lines:
            yield f"{name} {len(lines)} line(s)\n"
            for line in lines:
                yield f"  line {line.line}: {shorten(line.text, 80)}\n"
    for warning in snapshot.warnings:
        yield paint(one_line(f"warning: {warning}"), "dropped", color) + "\n"


def _item_cells(item: Item) -> tuple[str, str, str, str]:
    """The text cells of an item's row (its position comes first)."""
    published = published_label(item, unreal="? {}")
    return published, shorten(item.title, 70), shorten(item.summary_text, 50), item.id


def _item_table(items: tuple[Item, ...]) -> Iterator[str]:
    """The items as tabulate's "simple" table, a row at a time: the same bytes, without every row in memory.

    A first pass measures the columns. Where tabulate would lay a column out
    otherwise (one that reads as numbers, cells of several lines or with
    colour codes, no rows at all), it lays out the whole table itself.
    """
    widths = _item_widths(items)
    if widths is None:
        from tabulate import tabulate

        rows = [(item.position, *_item_cells(item)) for item in items]
        yield tabulate(rows, headers=ITEM_HEADERS, tablefmt="simple") + "\n"
        return
    # The position is a number, flush right; the text columns flush left; no spaces end a line.
    first, *rest = widths
    yield _row(ITEM_HEADERS[0].rjust(first), ITEM_HEADERS[1:], rest)
    yield "  ".join("-" * width for width in widths) + "\n"
    for item in items:
        yield _row(str(item.position).rjust(first), _item_cells(item), rest)


def _row(position: str, cells: Iterable[str], widths: Iterable[int]) -> str:
    padded = (cell + " " * (width - display_width(cell)) for cell, width in zip(cells, widths, strict=True))
    return "  ".join((position, *padded)).rstrip() + "\n"


def _item_widths(items: tuple[Item, ...]) -> list[int] | None:
    """The column widths tabulate gives the item table, or None where its layout is not plain text columns."""
    if not items:
        return None
    from tabulate import _type as _tabulate_type  # type: ignore[attr-defined,unused-ignore]  # how it reads a cell

    widths = [display_width(header) + 2 for header in ITEM_HEADERS]  # tabulate's least padding
    widths[0] = max(widths[0], max(len(str(item.position)) for item in items))
    texts = [False] * 4  # whether tabulate reads the column as text (a cell that is no number)
    filled = [False] * 4  # whether any cell is filled (a column of empty cells is text too)
    for item in items:
        for column, cell in enumerate(_item_cells(item)):
            width = display_width(cell)
            if width < 0 or cell != cell.strip() or "\x1b" in cell or "\n" in cell or "\r" in cell:
                return None
            widths[column + 1] = max(widths[column + 1], width)
            if cell and not texts[column]:
                filled[column] = True
                texts[column] = _tabulate_type(cell) is str
    if any(full and not text for full, text in zip(filled, texts, strict=True)):
        return None
    return widths


def _item_line(item: Item, width: int = 100) -> str:
    published = published_label(item, unreal="? {}")
    return f"#{item.position:<3} {published}  {shorten(item.title, width)}"


def _lead_lines(lead: LeadChange, color: bool) -> list[str]:
    out = [f"status: {lead.status}" + (f" (similarity {lead.similarity:.2f})" if lead.similarity is not None else "")]
    if lead.old_title != lead.new_title or lead.status != "same":
        out.append(f"old: {shorten(lead.old_title or '(none)', 100)}")
        out.append(f"new: {shorten(lead.new_title or '(none)', 100)}")
    if lead.promoted_from:
        out.append(f"promoted from item {lead.promoted_from.id} (old position #{lead.promoted_from.position})")
    if lead.demoted_to:
        out.append(f"demoted to item {lead.demoted_to.id} (new position #{lead.demoted_to.position})")
    if lead.status == "edited":
        out += ["title: " + _inline(lead.title, color)] if changes(lead.title) else []
        out += ["text:  " + _inline(lead.text, color)] if changes(lead.text) else []
    return out


def _inline(ops: tuple[WordOp, ...], color: bool) -> str:
    return inline(
        ops,
        lambda t: paint(f"[-{printable(t)}-]", "dropped", color),
        lambda t: paint(f"{{+{printable(t)}+}}", "added", color),
        printable,
    )


def render_diff(report: SnapshotDiff, color: bool = False) -> str:
    """`diff --format text`: a terminal report, sections in the order people ask."""

    def heading(text: str) -> str:
        return paint(text, "heading", color)

    out = [
        heading(f"diffcore: {report.old.captured} -> {report.new.captured} ({count(report.days_elapsed, 'day')})"),
        f"old: {capture(report, 'old')}",
        f"new: {capture(report, 'new')}",
        counts_line(report),
    ]
    note = chunked_note(report)
    if note:
        out += ["", note]
    out += [paint(one_line(f"Warning: {warning}"), "dropped", color) for warning in report.warnings]
    if report.counters:
        out += ["", heading("Counters")]
        names = counter_names([c.label for c in report.counters], 60)
        out.append(text_table([counter_row(c, names[c.label]) for c in report.counters], COUNTER_HEADERS, numbers=True))
    changed_clocks = [c for c in report.clocks if c.old != c.new]
    if changed_clocks:
        out += ["", heading("Clocks")]
        out += [printable(f"{c.place}: {c.old or '-'} -> {c.new or '-'}") for c in changed_clocks]
    if report.fields:
        out += ["", heading("Fields")]
        out += [printable(f"{f.label}: {f.status}: {f.old or '-'} -> {f.new or '-'}") for f in report.fields]
    out += ["", heading("Lead article"), *_lead_lines(report.lead, color)]
    sections = (("Added", report.added, "added"), ("Dropped", report.dropped, "dropped"))
    for title, items, role in sections:
        if items:
            out += ["", heading(f"{title} ({len(items)})")]
            out += [paint(("+ " if role == "added" else "- ") + _item_line(item), role, color) for item in items]
    if report.edited:
        out += ["", heading(f"Edited ({len(report.edited)})")]
        for edit in report.edited:
            out.append(
                paint(f"~ {_item_line(edit.new)}", "edited", color)
                + f"  [{', '.join(edit.kinds)}; similarity {edit.similarity:.2f}]"
            )
            if "published" in edit.kinds:
                out.append(
                    f"    published: {edit.old.published_text or UNDATED_LABEL} -> {edit.new.published_text or UNDATED_LABEL}"
                )
            if "title" in edit.kinds:
                out.append("    title:   " + _inline(edit.title, color))
            if "summary" in edit.kinds:
                out.append("    summary: " + _inline(edit.summary, color))
            if "link" in edit.kinds:
                out.append(printable(f"    link:    {edit.old.link or 'none'} -> {edit.new.link or 'none'}"))
    if report.moved:
        out += ["", heading(f"Moved ({len(report.moved)})")]
        rows = [(f"#{m.old_position}", f"#{m.new_position}", shorten(m.item.title, 80)) for m in report.moved]
        out.append(text_table(rows, ("from", "to", "title"), numbers=True))
    if report.other:
        out += ["", heading("Other lines (outside the header, lead and items)")]
        out += [paint(printable(f"- {line}"), "dropped", color) for line in report.other.removed]
        out += [paint(printable(f"+ {line}"), "added", color) for line in report.other.added]
        out += [paint(printable(f"- (ignored) {line}"), "dropped", color) for line in report.other.ignored_removed]
        out += [paint(printable(f"+ (ignored) {line}"), "added", color) for line in report.other.ignored_added]
        if report.other.footer is not None:
            old_footer, new_footer = report.other.footer
            out.append(printable(f"footer: {old_footer or '-'} -> {new_footer or '-'}"))
    out += ["", f"Unchanged: {report.unchanged}"]
    return "\n".join(out) + "\n"


def render_timeline(timeline: Timeline, tables: Sequence[TimelineTable], color: bool = False) -> str:
    """`timeline --format text`: the chosen tables, titled."""
    from diffcore.render.sections import timeline_sections  # the timeline's tables: not made for a diff

    first, last = timeline.captures[0], timeline.captures[-1]
    heading = f"Timeline: {count(len(timeline.captures), 'capture')}, {first.captured} to {last.captured}"
    out = [paint(heading, "heading", color)]
    for section in timeline_sections(timeline, tables, printable):
        out += ["", paint(section.title, "heading", color)]
        if section.note:
            out.append(section.note)
        out.append(text_table(tuple(section.rows), section.headers))
    return "\n".join(out) + "\n"


def _capture_lines(capture: Capture) -> Iterator[str]:
    """When a capture was taken and by what that is known, and the page's URL (the heading names the source)."""
    taken = taken_text(capture) or capture.captured_at.date().isoformat()
    yield f"taken:    {taken} (from the {TIME_SOURCES[capture.time_source]})\n"
    if capture.url:
        yield one_line(f"url:      {capture.url}") + "\n"


def render_check(snapshot: Snapshot, lines: Sequence[str], profile: str) -> str:
    """`profile check`: each non-blank line of a capture and how the profile read it, then its warnings."""
    roles = line_roles(snapshot)
    rows = [
        (str(number), roles.get(number, "?"), shorten(one_line(line.strip()), 100))
        for number, line in enumerate(lines, 1)
        if line.strip()
    ]
    from tabulate import tabulate

    out = [f"{path_text(snapshot.source)}: read with profile {one_line(profile)}", ""]
    out.append(
        tabulate(
            rows,
            headers=("line", "read as", "text"),
            tablefmt="simple",
            disable_numparse=True,
            colalign=("right", "left", "left"),
        )
    )
    out += [f"warning: {one_line(warning)}" for warning in snapshot.warnings]
    dated = dated_text_lines(roles, lines)
    if dated:
        shown = ", ".join(map(str, dated[:10])) + (f" and {len(dated) - 10} more" if len(dated) > 10 else "")
        out.append(
            f"hint: {count(len(dated), 'line')} read as text start with a date "
            f"({'line' if len(dated) == 1 else 'lines'} {shown}): "
            "is a form of dated item missing from [item] start?"
        )
    return "\n".join(out) + "\n"
