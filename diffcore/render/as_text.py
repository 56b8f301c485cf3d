"""Plain text for a terminal: headings, tables via tabulate, optional colour."""

from __future__ import annotations

from collections.abc import Sequence

from tabulate import tabulate

from diffcore.model import Item, LeadChange, Snapshot, SnapshotDiff, Timeline, TimelineTable, WordOp
from diffcore.render.common import (
    COUNTER_HEADERS,
    capture,
    changes,
    chunked_note,
    count,
    counter_names,
    counter_row,
    counts,
    inline,
    path_text,
    printable,
    published_label,
    shorten,
)
from diffcore.render.sections import timeline_sections
from diffcore.render.style import paint


def render_snapshot(snapshot: Snapshot, color: bool = False) -> str:
    """`show --format text`: the normalised snapshot, one section a part."""
    header = snapshot.header
    out = [paint(f"Snapshot {path_text(snapshot.source)}", "heading", color)]
    captured = header.captured.isoformat()
    if header.capture_time:
        captured += f" {header.capture_time}"
    out.append(f"captured: {captured}")
    for clock in header.clocks:
        out.append(printable(f"clock:    {clock.place} {clock.time}"))
    for field in header.fields:
        out.append(printable(f"field:    {field.label}: {field.value}"))
    if header.counters:
        out += ["", paint("Counters", "heading", color)]
        counter_rows = [(c.value, c.unit, shorten(c.label, 100)) for c in header.counters]
        out.append(tabulate(counter_rows, headers=("value", "unit", "label"), tablefmt="simple"))
    out += ["", paint("Lead", "heading", color)]
    if snapshot.lead is None:
        out.append("(none)")
    else:
        out.append(printable(snapshot.lead.title))
        out.append(f"({len(snapshot.lead.paragraphs)} paragraphs)")
    out += ["", paint(f"Items ({len(snapshot.items)})", "heading", color)]
    rows = [
        (item.position, published_label(item, unreal="? {}"),
         shorten(item.title, 70), shorten(item.summary_text, 50), item.id)
        for item in snapshot.items
    ]
    out.append(tabulate(rows, headers=("#", "published", "title", "summary", "id"), tablefmt="simple"))
    out += ["", printable(f"footer:   {snapshot.footer if snapshot.footer is not None else '(none)'}")]
    out.append(f"unparsed: {len(snapshot.unparsed)} line(s)")
    for unparsed in snapshot.unparsed:
        out.append(f"  line {unparsed.line}: {shorten(unparsed.text, 80)}")
    for warning in snapshot.warnings:
        out.append(paint(f"warning: {warning}", "dropped", color))
    return "\n".join(out) + "\n"


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
    return inline(ops, lambda t: paint(f"[-{printable(t)}-]", "dropped", color),
                  lambda t: paint(f"{{+{printable(t)}+}}", "added", color), printable)


def render_diff(report: SnapshotDiff, color: bool = False) -> str:
    """`diff --format text`: a terminal report, sections in the order people ask."""

    def heading(text: str) -> str:
        return paint(text, "heading", color)

    out = [
        heading(f"diffcore: {report.old.captured} -> {report.new.captured} ({report.days_elapsed} days)"),
        f"old: {capture(report, 'old')}",
        f"new: {capture(report, 'new')}",
        counts(report),
    ]
    note = chunked_note(report)
    if note:
        out += ["", note]
    if report.counters:
        out += ["", heading("Counters")]
        names = counter_names([c.label for c in report.counters], 60)
        out.append(tabulate([counter_row(c, names[c.label]) for c in report.counters], headers=COUNTER_HEADERS,
                            tablefmt="simple"))
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
            out.append(paint(f"~ {_item_line(edit.new)}", "edited", color)
                       + f"  [{', '.join(edit.kinds)}; similarity {edit.similarity:.2f}]")
            if "published" in edit.kinds:
                out.append(f"    published: {edit.old.published_text} -> {edit.new.published_text}")
            if "title" in edit.kinds:
                out.append("    title:   " + _inline(edit.title, color))
            if "summary" in edit.kinds:
                out.append("    summary: " + _inline(edit.summary, color))
    if report.moved:
        out += ["", heading(f"Moved ({len(report.moved)})")]
        rows = [(f"#{m.old_position}", f"#{m.new_position}", shorten(m.item.title, 80)) for m in report.moved]
        out.append(tabulate(rows, headers=("from", "to", "title"), tablefmt="simple"))
    out += ["", f"Unchanged: {report.unchanged}"]
    return "\n".join(out) + "\n"


def render_timeline(timeline: Timeline, tables: Sequence[TimelineTable], color: bool = False) -> str:
    """`timeline --format text`: the chosen tables, titled."""
    first, last = timeline.captures[0], timeline.captures[-1]
    heading = f"Timeline: {count(len(timeline.captures), 'capture')}, {first.captured} to {last.captured}"
    out = [paint(heading, "heading", color)]
    for section in timeline_sections(timeline, tables, printable):
        out += ["", paint(section.title, "heading", color)]
        if section.note:
            out.append(section.note)
        out.append(tabulate(section.rows, headers=section.headers, tablefmt="simple", disable_numparse=True))
    return "\n".join(out) + "\n"
