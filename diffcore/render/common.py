"""Pieces every human-facing renderer shares: inline word diffs, counter rows, counts."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from collections.abc import Callable, Sequence
from itertools import chain, islice, pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from diffcore.align import WORD_BOUND
from diffcore.model import Capture, CaptureRef, CounterChange, Item, SnapshotDiff, WordOp
from diffcore.normalise import source_text

if TYPE_CHECKING:
    from diffcore.model import Timeline

CONTEXT_WORDS = 8


# Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069)
# reorder the text that follows them: a title could make itself read as another.
_BIDI = "\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{_BIDI}]")
_PATH_CONTROL = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{_BIDI}]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """Page text safe to print: control characters (terminal escape sequences) shown as \\xNN,
    bidirectional controls as \\uNNNN."""
    return _CONTROL.sub(_visible, text)


def one_line(text: str) -> str:
    """Text safe on one line: every control character (tab and newline too) and bidirectional
    control shown escaped, so it cannot move the cursor, ring, or fake a line."""
    return _PATH_CONTROL.sub(_visible, text)


def path_text(path: str | Path) -> str:
    """A file name safe to print on one line (see `one_line`); bytes that are not UTF-8 as \\xNN."""
    return one_line(source_text(path))


UNDATED_LABEL = "undated"
"""How an item that shows no date is labelled where its date would stand."""


def published_label(item: Item, text: Callable[[str], str] = str, unreal: str = "{} (no such date)") -> str:
    """An item's published date as an ISO date, what the page printed (through `text`) marked as no real date,
    or `UNDATED_LABEL` for an item that shows none."""
    if item.published:
        return item.published.isoformat()
    return unreal.format(text(item.published_text)) if item.published_text else UNDATED_LABEL


def count(number: int, noun: str) -> str:
    """ "1 capture", "2 captures": a number with its noun."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def chunked_note(report: SnapshotDiff) -> str | None:
    """The note a report carries when texts were too long to align word by word exactly, else None."""
    if not report.chunked:
        return None
    parts = ["the lead article" if part == "lead" else f"item {part}" for part in report.chunked]
    return (
        f"Note: {', '.join(parts)} too long to align word by word exactly (over {WORD_BOUND:,} word pairs); "
        "aligned in chunks: every changed word is marked, some unchanged words may be marked too."
    )


PLACEHOLDER = " ..."


def shorten(text: str, width: int = 90) -> str:
    """One line of at most `width` characters, cut at a word, control characters made visible.

    As `textwrap.shorten` gives it; plain words (no hyphen, the first one
    fitting) are cut here directly, at a tenth of textwrap's cost, as every
    change page cuts dozens of summaries.
    """
    if not text.strip():
        return ""
    line = " ".join(printable(text).split())
    if len(line) <= width:
        return line
    words = line.split(" ")
    if "-" in line or len(words[0]) > width:  # textwrap's own rules: breaks at hyphens, long words split
        return textwrap.shorten(line, width=width, placeholder=PLACEHOLDER)
    kept, size = 0, -1
    for word in words:
        if size + 1 + len(word) + len(PLACEHOLDER) > width:
            break
        kept, size = kept + 1, size + 1 + len(word)
    return " ".join(words[:kept]) + PLACEHOLDER if kept else PLACEHOLDER.lstrip()


def inline(
    ops: Sequence[WordOp],
    deleted: Callable[[str], str],
    inserted: Callable[[str], str],
    plain: Callable[[str], str] = lambda text: text,
    context: int = CONTEXT_WORDS,
) -> str:
    """Word ops as one line: deletions then insertions marked, unchanged runs trimmed.

    An unchanged run keeps only `context` words next to each change, so a
    one-word fix in a long summary stays readable.
    """
    parts: list[str] = []
    last = len(ops) - 1
    for index, op in enumerate(ops):
        if op.tag != "equal":
            parts += [deleted(op.old)] if op.old else []
            parts += [inserted(op.new)] if op.new else []
            continue
        run = op.old.split(" ")
        keep_head = index > 0  # words right after a change
        keep_tail = index < last  # words right before a change
        limit = context * (keep_head + keep_tail)
        if len(run) <= limit or not (keep_head or keep_tail):
            parts.append(plain(op.old))
            continue
        head = " ".join(run[:context]) + " ..." if keep_head else "..."
        tail = " " + " ".join(run[-context:]) if keep_tail else ""
        parts.append(plain(head + tail))
    return " ".join(parts)


def changes(ops: Sequence[WordOp]) -> bool:
    """Whether word ops hold any change (an unchanged title is not shown as a diff)."""
    return any(op.tag != "equal" for op in ops)


def counter_label(label: str) -> str:
    """A counter label for people: the masked number shown as N."""
    return label.replace("{n}", "N")


def counter_names(labels: Sequence[str], width: int) -> dict[str, str]:
    """Names at most `width` long for counters shown together, by label.

    A label that fits is shown whole. One that must be cut first loses the
    opening words it shares with another label (two words or more), so
    "N days have passed since the North Pier walkway was closed" and "N days
    have passed since the ferry last ran" read "… North Pier walkway was
    closed" and "… ferry last ran" rather than the same cut-off opening.
    """
    words = {label: counter_label(label).split() for label in labels}
    shared = _shared_openings(words)
    names = {}
    for label, own in words.items():
        name = shorten(counter_label(label), width)
        if shared[label] >= 2 and name != printable(" ".join(own)):
            name = shorten("\u2026 " + " ".join(own[shared[label] :]), width)
        names[label] = name
    return names


def _shared_openings(words: dict[str, list[str]]) -> dict[str, int]:
    """How many opening words each label shares with another, leaving at least its last word.

    In the labels sorted by their words, the longest opening a label shares
    with any other is the one it shares with a neighbour, so sorting once
    replaces comparing every pair: hundreds of counters cost next to nothing.
    """
    order = sorted(words, key=lambda label: words[label])
    common = [_common_opening(words[first], words[second]) for first, second in pairwise(order)]
    return {
        label: min(len(words[label]) - 1, max(common[at - 1] if at else 0, common[at] if at < len(common) else 0))
        for at, label in enumerate(order)
    }


def _common_opening(first: Sequence[str], second: Sequence[str]) -> int:
    """How many opening words two word lists have in common."""
    shared = 0
    while shared < len(first) and shared < len(second) and first[shared] == second[shared]:
        shared += 1
    return shared


def day(value: dt.date | None) -> str:
    """ISO date, or a dash when unknown."""
    return value.isoformat() if value else "-"


def signed(value: int | None) -> str:
    """A delta with its sign, or a dash."""
    return "-" if value is None else f"{value:+d}"


def consistency(change: CounterChange) -> str:
    """Words for whether a counter kept pace with the calendar."""
    if change.consistent is None:
        return change.status if change.status in ("appeared", "vanished") else "-"
    return "yes" if change.consistent else "NO"


def counter_row(change: CounterChange, name: str) -> tuple[str, ...]:
    """The cells of a counters table row, the counter called `name` (see `counter_names`)."""
    start = change.new_start or change.old_start
    return (
        name,
        "-" if change.old is None else str(change.old),
        "-" if change.new is None else str(change.new),
        signed(change.delta),
        str(change.days_elapsed),
        consistency(change),
        day(start),
    )


COUNTER_HEADERS = ("counter", "old", "new", "delta", "days elapsed", "consistent", "implied start")


def counts_line(report: SnapshotDiff) -> str:
    """ "3 added, 3 dropped, 0 edited, 0 moved, 7 unchanged"."""
    return (
        f"{len(report.added)} added, {len(report.dropped)} dropped, {len(report.edited)} edited, "
        f"{len(report.moved)} moved, {report.unchanged} unchanged"
    )


def capture(report: SnapshotDiff, side: str) -> str:
    """ "2020-07-15 19:06 (file.txt)" for the old or new side of a report."""
    ref = report.old if side == "old" else report.new
    return f"{when_text(ref.captured, ref.capture_time, ref.capture)} ({path_text(ref.source)})"


def taken_text(capture: Capture | None) -> str | None:
    """When a capture was taken, if its container, path or user says: "2020-08-07 04:17:41 UTC", or a date alone."""
    if capture is None or capture.time_source == "page-date":
        return None
    moment = capture.captured_at
    if moment.time() == dt.time() and capture.time_source in ("file-name", "user"):
        return moment.date().isoformat()
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def when_text(page_date: dt.date, clock: str | None, capture: Capture | None) -> str:
    """The page's date and clock, and when it was captured if that was another day.

    "2020-08-07 08:15", or "2020-08-07 08:15 (taken 2020-08-09 04:17:41 UTC)":
    counters count from the page's own date, so it comes first.
    """
    page = page_date.isoformat() + (f" {clock}" if clock else "")
    taken = taken_text(capture)
    if taken is None or taken[:10] == page_date.isoformat():
        return page
    return f"{page} (taken {taken})"


WARNINGS_LISTED = 100
"""The most capture warnings an index lists; the rest are counted (each capture's JSON holds all)."""


def report_warnings(report: SnapshotDiff) -> tuple[list[str], int]:
    """A change report's warnings, then its captures' (a profile that does not fit either page): the first
    `WARNINGS_LISTED`, and how many more there are. Markdown and HTML reports carry them in their body."""
    every = chain(report.warnings, report.old.warnings, report.new.warnings)
    listed = list(islice(every, WARNINGS_LISTED))
    return listed, sum(1 for _ in every)


def capture_warnings(timeline: Timeline) -> tuple[list[tuple[CaptureRef, str]], int]:
    """The first `WARNINGS_LISTED` warnings of the captures (with their capture), and how many more there are."""
    every = ((ref, warning) for ref in timeline.captures for warning in ref.warnings)
    listed = list(islice(every, WARNINGS_LISTED))
    return listed, sum(1 for _ in every)
