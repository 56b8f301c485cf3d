"""Markdown documents a person can paste into an issue or a wiki.

Page text is untrusted: every piece of it is escaped so that it shows as
written and never becomes a link, an HTML tag or a table cell boundary.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from diffcore.model import Item, LeadChange, SnapshotDiff, Timeline, TimelineTable, WordOp
from diffcore.render.common import (
    COUNTER_HEADERS,
    changes,
    chunked_note,
    count,
    counter_names,
    counter_row,
    counts_line,
    inline,
    path_text,
    printable,
    published_label,
    report_warnings,
    shorten,
    when_text,
)
from diffcore.render.layout import markdown_table, markdown_table_lines
from diffcore.render.sections import timeline_sections

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~&])")
_BLOCK_START = re.compile(r"^(\d+)([.)])|^([-+#=>])")


def escape(text: str) -> str:
    """Backslash-escape inline Markdown punctuation and flatten newlines."""
    return _SPECIAL.sub(r"\\\1", " ".join(printable(text).split()))


def escape_line(text: str) -> str:
    """`escape`, and also what would open a list, heading or quote at a line start."""
    return _BLOCK_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", escape(text))


def _ops(ops: tuple[WordOp, ...]) -> str:
    return inline(ops, lambda t: f"[-{escape(t)}-]", lambda t: f"{{+{escape(t)}+}}", escape)


def _item(item: Item) -> str:
    published = published_label(item, escape)
    summary = shorten(item.summary_text, 160)
    line = f"- **{published}** {escape(item.title)} (position {item.position})"
    return line + (f"  \n  {escape_line(summary)}" if summary else "")


def _table(rows: list[tuple[str, ...]] | tuple[tuple[str, ...], ...], headers: tuple[str, ...]) -> str:
    return markdown_table(rows, headers)


def _lead(lead: LeadChange) -> list[str]:
    out = [
        f"Status: **{lead.status}**" + (f" (similarity {lead.similarity:.2f})" if lead.similarity is not None else "")
    ]
    if lead.status != "same":
        out += ["", f"- old: {escape(lead.old_title or '(none)')}", f"- new: {escape(lead.new_title or '(none)')}"]
    else:
        out += ["", f"- {escape(lead.new_title or '')}"]
    if lead.promoted_from:
        out.append(f"- promoted from the item list (was position {lead.promoted_from.position})")
    if lead.demoted_to:
        out.append(f"- demoted to the item list (now position {lead.demoted_to.position})")
    if lead.status == "edited":
        out += [f"- title: {_ops(lead.title)}"] if changes(lead.title) else []
        out += [f"- text: {_ops(lead.text)}"] if changes(lead.text) else []
    return out


def render_diff(report: SnapshotDiff) -> str:
    """`diff --format markdown`."""
    old, new = report.old, report.new
    out = [
        f"# Changes from {old.captured} to {new.captured}",
        "",
        f"{count(report.days_elapsed, 'day')} between the captures. {counts_line(report)}.",
        "",
        _table(
            [
                (
                    "old",
                    when_text(old.captured, None, old.capture),
                    old.capture_time or "-",
                    escape(path_text(old.source)),
                ),
                (
                    "new",
                    when_text(new.captured, None, new.capture),
                    new.capture_time or "-",
                    escape(path_text(new.source)),
                ),
            ],
            ("", "captured", "time", "source"),
        ),
    ]
    note = chunked_note(report)
    if note:
        out += ["", escape(note)]
    warnings, more = report_warnings(report)
    out += [line for warning in warnings for line in ("", f"**Warning:** {escape(warning)}")]
    if more:
        out += ["", f"**Warning:** {count(more, 'more warning')} (the JSON report lists each)."]
    if report.counters:
        names = counter_names([c.label for c in report.counters], 80)
        rows = [
            tuple(escape(cell) if n == 0 else cell for n, cell in enumerate(counter_row(c, names[c.label])))
            for c in report.counters
        ]
        out += ["", "## Counters", "", _table(rows, COUNTER_HEADERS)]
    if report.fields:
        out += ["", "## Header fields", ""]
        out += [
            f"- {escape(f.label)}: {f.status}, {escape(f.old or '-')} → {escape(f.new or '-')}" for f in report.fields
        ]
    out += ["", "## Lead article", "", *_lead(report.lead)]
    for title, items in (("Added", report.added), ("Dropped", report.dropped)):
        if items:
            out += ["", f"## {title} ({len(items)})", ""] + [_item(item) for item in items]
    if report.edited:
        out += ["", f"## Edited ({len(report.edited)})", ""]
        for edit in report.edited:
            out.append(
                f"- **{published_label(edit.new, escape)}** {escape(edit.new.title)} "
                f"({', '.join(edit.kinds)}; similarity {edit.similarity:.2f})"
            )
            if "published" in edit.kinds:
                out.append(f"  - published: {published_label(edit.old, escape)} → {published_label(edit.new, escape)}")
            if "title" in edit.kinds:
                out.append(f"  - title: {_ops(edit.title)}")
            if "summary" in edit.kinds:
                out.append(f"  - summary: {_ops(edit.summary)}")
            if "link" in edit.kinds:
                out.append(f"  - link: {escape(edit.old.link or 'none')} → {escape(edit.new.link or 'none')}")
    if report.moved:
        rows = [(str(m.old_position), str(m.new_position), escape(shorten(m.item.title, 100))) for m in report.moved]
        out += ["", f"## Moved ({len(report.moved)})", "", _table(rows, ("from", "to", "title"))]
    if report.other:
        out += ["", "## Other lines (outside the header, lead and items)", ""]
        out += [f"- removed: {escape(line)}" for line in report.other.removed]
        out += [f"- added: {escape(line)}" for line in report.other.added]
        out += [f"- removed (ignored): {escape(line)}" for line in report.other.ignored_removed]
        out += [f"- added (ignored): {escape(line)}" for line in report.other.ignored_added]
        if report.other.footer is not None:
            old_footer, new_footer = report.other.footer
            out.append(f"- footer: {escape(old_footer or '-')} → {escape(new_footer or '-')}")
    out += ["", f"Unchanged items: {report.unchanged}."]
    return "\n".join(out) + "\n"


def timeline_body(timeline: Timeline, tables: Sequence[TimelineTable], level: int = 2) -> Iterator[str]:
    """The timeline tables as Markdown sections at a heading level, a line at a time."""
    for section in timeline_sections(timeline, tables, escape):
        yield from ("", f"{'#' * level} {section.title}", "")
        if section.note:
            yield from (escape(section.note), "")
        yield from markdown_table_lines(section.rows, section.headers)


def render_timeline(timeline: Timeline, tables: Sequence[TimelineTable]) -> str:
    """`timeline --format markdown`."""
    first, last = timeline.captures[0], timeline.captures[-1]
    out = [
        f"# Timeline, {first.captured} to {last.captured}",
        "",
        f"{count(len(timeline.captures), 'capture')}, {count(len(timeline.histories), 'item')}.",
    ]
    out += timeline_body(timeline, tables)
    return "\n".join(out) + "\n"
