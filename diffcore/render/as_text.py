"""Plain text for a terminal: headings, tables via tabulate, optional colour."""

from __future__ import annotations

import textwrap

from tabulate import tabulate

from diffcore.model import Snapshot
from diffcore.render.style import paint


def _short(text: str, width: int = 90) -> str:
    return textwrap.shorten(text, width=width, placeholder=" ...") if text.strip() else ""


def render_snapshot(snapshot: Snapshot, color: bool = False) -> str:
    """`show --format text`: the normalised snapshot, one section a part."""
    header = snapshot.header
    out = [paint(f"Snapshot {snapshot.source}", "heading", color)]
    captured = header.captured.isoformat()
    if header.capture_time:
        captured += f" {header.capture_time}"
    out.append(f"captured: {captured}")
    for clock in header.clocks:
        out.append(f"clock:    {clock.place} {clock.time}")
    for field in header.fields:
        out.append(f"field:    {field.label}: {field.value}")
    if header.counters:
        out += ["", paint("Counters", "heading", color)]
        rows = [(c.value, c.unit, _short(c.label, 100)) for c in header.counters]
        out.append(tabulate(rows, headers=("value", "unit", "label"), tablefmt="simple"))
    out += ["", paint("Lead", "heading", color)]
    if snapshot.lead is None:
        out.append("(none)")
    else:
        out.append(snapshot.lead.title)
        out.append(f"({len(snapshot.lead.paragraphs)} paragraphs)")
    out += ["", paint(f"Items ({len(snapshot.items)})", "heading", color)]
    rows = [
        (item.position, item.published.isoformat() if item.published else f"? {item.published_text}",
         _short(item.title, 70), _short(item.summary_text, 50), item.id)
        for item in snapshot.items
    ]
    out.append(tabulate(rows, headers=("#", "published", "title", "summary", "id"), tablefmt="simple"))
    out += ["", f"footer:   {snapshot.footer if snapshot.footer is not None else '(none)'}"]
    out.append(f"unparsed: {len(snapshot.unparsed)} line(s)")
    for unparsed in snapshot.unparsed:
        out.append(f"  line {unparsed.line}: {_short(unparsed.text, 80)}")
    for warning in snapshot.warnings:
        out.append(paint(f"warning: {warning}", "dropped", color))
    return "\n".join(out) + "\n"
