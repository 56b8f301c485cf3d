"""Snapshot back to page text in the built-in layout.

The inverse of `parse` for the default profile: used to round-trip the model
in tests and to write the example and benchmark archives.
"""

from __future__ import annotations

from diffcore.model import Snapshot
from diffcore.profile import Profile, default_profile

NBSP = "\u00a0"
COUNTER_SEPARATOR = (NBSP + " ") * 8


def format_snapshot(snapshot: Snapshot, profile: Profile | None = None) -> str:
    """The page text of a snapshot: header, lead, items and footer, blank-line separated."""
    profile = profile or default_profile()
    header = snapshot.header
    month = profile.months[header.captured.month - 1]
    out = [f"{header.captured.day} {month} {header.captured.year}"]
    out += [f"{clock.place}: {clock.time}" for clock in header.clocks]
    for field in header.fields:
        out += ["", f"{field.label}:", field.value]
    by_line: dict[int, list[str]] = {}
    for counter in header.counters:
        by_line.setdefault(counter.line, []).append(counter.text)
    for line in sorted(by_line):
        out += ["", COUNTER_SEPARATOR.join(by_line[line])]
    if snapshot.lead is not None:
        out += ["", "", snapshot.lead.title]
        for paragraph in snapshot.lead.paragraphs:
            out += ["", paragraph]
    out.append("")
    for item in snapshot.items:
        out += ["", f"{item.published_text} - {item.title}"]
        for paragraph in item.summary:
            out += ["", paragraph]
    if snapshot.footer is not None:
        out += ["", snapshot.footer]
    for unparsed in snapshot.unparsed:
        out += ["", unparsed.text]
    return "\n".join(out) + "\n"
