"""Whether a profile fits a page: the signs, in a parsed snapshot, that it read the page wrongly.

A profile that does not fit a page does not fail: its lines land in the lead
or stay unparsed, and every diff of two such captures says "no item
changed". These checks turn that silence into warnings naming the capture
and the reason, so a user sees at once that the profile, not the page, is
what to look at.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from diffcore.item_dates import UnknownMonth, compile_formats, read_parts
from diffcore.model import NO_TITLE, Lead, Snapshot
from diffcore.profile import COUNTER_MAX_DIGITS, MONTHS_IN, Profile, counter_digits, month_number

UNPARSED_SHARE = 0.1
"""More than this share of a page's non-blank lines unparsed is a profile that does not fit."""
LEAD_SHARE = 0.5
"""A lead of more than this share of a page's non-blank lines (and `LEAD_LINES` lines or more) has
likely swallowed the items."""
LEAD_LINES = 8
VANISH_FROM = 6
"""Items a capture must list before most of them vanishing at once is a sign (fewer tell nothing)."""


def misfits(snapshot: Snapshot, profile: Profile) -> list[str]:
    """A warning for each sign that `profile` does not fit the page of `snapshot`.

    No item at all; lines the profile reads as header lines (clocks,
    counters) inside the lead, which mean the header ended early; more than a
    tenth of the lines unparsed; a lead that takes most of the page.
    """
    source = snapshot.source
    found = []
    by_selectors = (
        profile.html is not None and snapshot.capture is not None and snapshot.capture.media_type == "text/html"
    )
    if by_selectors:
        found += _selectors_unmatched(snapshot, profile)
    elif not snapshot.items:
        found.append(f"{source}: no item: no line matches the item pattern of profile {profile.name!r}")
    if snapshot.lead is not None:
        found += _header_in_lead(source, snapshot.lead, profile)
    lead = len(snapshot.lead.lines) if snapshot.lead else 0
    # Lines under the footer are the profile's choice to stop reading (they are compared as other lines).
    footer = snapshot.footer_line
    stray = sum(footer is None or line.line < footer for line in snapshot.unparsed)
    long_lead = bool(snapshot.items) and lead >= LEAD_LINES
    if not (long_lead or stray):
        return found  # no share to judge: the page's lines are not counted
    lines = len(snapshot.line_owners())
    if long_lead and lead / lines > LEAD_SHARE:
        found.append(
            f"{source}: the lead takes {lead} of the page's {lines} lines ({lead / lines:.0%}): "
            "items may be read as the lead"
        )
    if stray / lines > UNPARSED_SHARE:
        found.append(f"{source}: {stray} of the page's {lines} lines unparsed ({stray / lines:.0%})")
    return found


def _selectors_unmatched(snapshot: Snapshot, profile: Profile) -> list[str]:
    """A warning for each `[html]` selector that picks nothing: no item, or in items no title, date or summary."""
    selectors = profile.html
    assert selectors is not None
    source, items = snapshot.source, snapshot.items
    if not items:
        return [f"{source}: no item: the [html] item selector {selectors.item!r} picks no element of the page"]
    found = []
    parts = (
        ("title", selectors.title, sum(item.title == NO_TITLE for item in items)),
        ("date", selectors.date, sum(item.published is None for item in items)),
        ("summary", selectors.summary, sum(not item.summary for item in items)),
    )
    for name, selector, lacking in parts:
        if lacking and (selector is not None or name == "title"):
            what = f"selector {selector!r}" if selector else "default (a heading, else a link)"
            read = "no readable date" if name == "date" else f"no {name}"
            found.append(f"{source}: the [html] {name} {what} gives {read} in {lacking} of the {len(items)} items")
    return found


def _header_in_lead(source: str, lead: Lead, profile: Profile) -> list[str]:
    """One warning for the lines of the lead that read as header lines, naming the first."""
    texts = (lead.title, *lead.paragraphs)
    header_like = [
        (number, kind) for number, text in zip(lead.lines, texts, strict=True) if (kind := _header_kind(text, profile))
    ]
    if not header_like:
        return []
    (number, kind), more = header_like[0], len(header_like) - 1
    others = f" (and {more} more such line{'s' if more > 1 else ''})" if more else ""
    return [
        f"{source}: line {number}: a {kind} line in the lead{others}: "
        "the header ended above it, at a line the profile does not read"
    ]


def _header_kind(line: str, profile: Profile) -> str | None:
    """'clock' or 'counter' when the profile reads the line as one of those header lines."""
    if profile.clock.match(line):
        return "clock"
    counters = profile.counter_matches(line)
    if counters and all(len(counter_digits(match)) <= COUNTER_MAX_DIGITS for match in counters):
        return "counter"  # a longer value is kept as text by the parser, with its own warning
    return None


_DATED_START = re.compile(r"^(?:[-*\u2022#\[(]+\s*)?")
_DATE_STARTS = compile_formats(("iso", "d.m.y", "month d, y", "d month y", "month d", "d month"))
TEXT_ROLES = ("lead title", "lead", "summary", "unparsed")


def dated_text_lines(roles: dict[int, str], lines: Sequence[str]) -> list[int]:
    """The lines read as text (lead, summary, unparsed) that start with a date: a form of dated line the
    item pattern may miss, which `profile check` points out. A month must be a month's name in a language
    diffcore knows, so "Section 12" is no date."""
    found = []
    for number, role in roles.items():
        if role not in TEXT_ROLES:
            continue
        text = lines[number - 1].strip()
        text = text[_DATED_START.match(text).end() :]  # type: ignore[union-attr]  # it matches the empty string
        if text[:1].isalnum() and _starts_with_date(text):
            found.append(number)
    return sorted(found)


def _starts_with_date(text: str) -> bool:
    """Whether the first words of a text are a whole date (a range by its start) in any language diffcore knows."""
    words = text.split(maxsplit=DATE_WORDS)[:DATE_WORDS]
    for count in range(len(words), 0, -1):
        try:
            parts = read_parts(" ".join(words[:count]), _DATE_STARTS, _any_month)
        except UnknownMonth:
            continue
        if parts is None or parts.day is None or parts.month is None:
            continue
        rest = words[count:]
        # "August 4 marks the ..." is prose; a date without a year counts when a separator or nothing follows.
        return parts.year is not None or not rest or rest[0][:1] in "-\u2013\u2014:|\u00b7"
    return False


DATE_WORDS = 7
"""The most words a printed date (a range included: "du 30 déc. 2024 au 2 janv. 2025") is looked for in."""


def _any_month(month: str) -> int | None:
    return next((number for names in MONTHS_IN.values() if (number := month_number(month, names))), None)


def vanished(before: int, kept: int, after: Snapshot) -> str | None:
    """A warning when most of the `before` items of the capture before vanished at once from `after`.

    Only when few came in their place (`after` lists under half as many) and
    the page is not empty: a redesign or an extraction that broke, which a
    timeline would otherwise report as that many items dropped. A page that
    replaced its items with as many new ones is no sign.
    """
    gone = before - kept
    if before < VANISH_FROM or gone * 2 <= before or len(after.items) * 2 >= before:
        return None
    if not (after.items or after.lead or after.unparsed):
        return None  # an emptied page: its items are gone indeed
    return (
        f"{after.source}: {gone} of the {before} items of the capture before vanished at once, and the page "
        f"lists {len(after.items)}: a redesign or an extraction that broke, not necessarily {gone} deletions"
    )


_ROLES = {
    "header.date": "date",
    "header.clock": "clock",
    "header.field": "field value",
    "header.counter": "counter",
    "lead": "lead",
    "footer": "footer",
    "unparsed": "unparsed",
    "ignored": "ignored",
    "section": "section",
}
"""The role of a line by the part of the snapshot that holds it (`Snapshot.line_owners`); an item's lines
are summary lines, and the first line of a field, the lead or an item has a role of its own."""


def line_roles(snapshot: Snapshot) -> dict[int, str]:
    """How the profile read each non-blank line of the page, by line number: what `profile check` shows.

    Roles: date, clock, field label, field value, counter, lead title, lead,
    item (the first line of an item; or item date and item title), link,
    summary, section, footer, unparsed, ignored.
    """
    firsts = {field.lines[0]: "field label" for field in snapshot.header.fields}
    firsts.update((item.lines[0], "item") for item in snapshot.items)
    firsts.update(snapshot.roles)
    if snapshot.lead is not None:
        firsts[snapshot.lead.lines[0]] = "lead title"
    return {line: firsts.get(line) or _ROLES.get(parts[0], "summary") for line, parts in snapshot.line_owners().items()}
