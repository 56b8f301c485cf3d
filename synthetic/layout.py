"""Snapshot back to page text in the built-in layout: the one layout writer.

The inverse of `parse` for the default profile: used to round-trip the model
in tests and to write the example and benchmark archives. `lay_out` also
returns the line numbers the text gives each part, so a generated page's
model never repeats the layout's arithmetic.
"""

from __future__ import annotations

from dataclasses import replace

from diffcore.model import HeaderCounter, Snapshot
from diffcore.profile import Profile, default_profile

NBSP = "\u00a0"
COUNTER_SEPARATOR = (NBSP + " ") * 8


def lay_out(snapshot: Snapshot, profile: Profile | None = None) -> tuple[str, Snapshot]:
    """The page text of a snapshot, and the snapshot with the line numbers of that text.

    Header, lead, items and footer are blank-line separated; counters that
    share a `line` in the snapshot share a line of the text.
    """
    profile = profile or default_profile()
    out: list[str] = []

    def put(*lines: str) -> int:
        """Append lines; the number of the last one (lines count from 1)."""
        out.extend(lines)
        return len(out)

    header = snapshot.header
    month = profile.months[header.captured.month - 1]
    date_line = put(f"{header.captured.day} {month} {header.captured.year}")
    clocks = tuple(replace(clock, line=put(f"{clock.place}: {clock.time}")) for clock in header.clocks)
    fields = tuple(replace(field, lines=(put("", f"{field.label}:"), put(field.value))) for field in header.fields)
    by_line: dict[int, list[HeaderCounter]] = {}
    for counter in header.counters:
        by_line.setdefault(counter.line, []).append(counter)
    placed = {line: put("", COUNTER_SEPARATOR.join(c.text for c in by_line[line])) for line in sorted(by_line)}
    counters = tuple(replace(counter, line=placed[counter.line]) for counter in header.counters)
    lead = snapshot.lead
    if lead is not None:
        title = put("", "", lead.title)
        lead = replace(lead, lines=(title, *(put("", paragraph) for paragraph in lead.paragraphs)))
    put("")
    items = tuple(
        replace(
            item,
            lines=(
                put("", f"{item.published_text} - {item.title}"),
                *(put("", paragraph) for paragraph in item.summary),
            ),
        )
        for item in snapshot.items
    )
    footer_line = None if snapshot.footer is None else put("", snapshot.footer)
    unparsed = tuple(replace(line, line=put("", line.text)) for line in snapshot.unparsed)
    header = replace(header, date_line=date_line, clocks=clocks, fields=fields, counters=counters)
    placed_snapshot = replace(
        snapshot, header=header, lead=lead, items=items, footer_line=footer_line, unparsed=unparsed
    )
    return "\n".join(out) + "\n", placed_snapshot


def format_snapshot(snapshot: Snapshot, profile: Profile | None = None) -> str:
    """The page text of a snapshot: header, lead, items and footer, blank-line separated."""
    return lay_out(snapshot, profile)[0]
