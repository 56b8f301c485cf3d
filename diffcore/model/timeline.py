"""The timeline model: item histories, lead spans and counter readings over many captures.

`diffcore.tables` turns a Timeline into pandas DataFrames; the model itself
needs no pandas.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from diffcore.model.pickling import ByFields
from diffcore.model.report import CaptureRef

TimelineTable = Literal["items", "counters", "leads", "presence"]
TIMELINE_TABLES: tuple[TimelineTable, ...] = ("items", "counters", "leads", "presence")
"""The tables a timeline is shown as, in the order every format lists them."""

SUMMARY_TABLES: tuple[TimelineTable, ...] = ("items", "counters", "leads")
"""The tables shown when none is asked for: presence (items x captures) is the one that grows quadratically."""

PRESENCE_MAX_CAPTURES = 60
"""Past this many captures the presence table is left out of summaries, or cut to the latest captures."""


def summary_tables(captures: int) -> tuple[TimelineTable, ...]:
    """The tables a summary of a timeline shows: presence too while the captures are few."""
    return SUMMARY_TABLES + (("presence",) if captures <= PRESENCE_MAX_CAPTURES else ())


@dataclass(frozen=True, slots=True)
class ItemHistory(ByFields):
    """One item identity across the captures of a timeline.

    `runs` are the (first, last) capture indexes of each stretch the item was
    on the page; more than one run means it disappeared and came back.
    """

    identity: str
    published: dt.date | None
    published_text: str
    title: str
    titles: tuple[str, ...]
    runs: tuple[tuple[int, int], ...]
    edits: int

    @property
    def first(self) -> int:
        """Index of the first capture showing the item."""
        return self.runs[0][0]

    @property
    def last(self) -> int:
        """Index of the last capture showing the item."""
        return self.runs[-1][1]

    @property
    def seen(self) -> int:
        """How many captures showed the item."""
        return sum(end - start + 1 for start, end in self.runs)

    @property
    def gaps(self) -> int:
        """How many times the item disappeared and came back."""
        return len(self.runs) - 1

    def presence(self, captures: int) -> list[bool]:
        """For each of the timeline's `captures`, whether it showed the item."""
        shown = [False] * captures
        for start, end in self.runs:
            shown[start : end + 1] = [True] * (end - start + 1)
        return shown


@dataclass(frozen=True, slots=True)
class LeadSpan(ByFields):
    """A stretch of consecutive captures with the same lead article (edits allowed)."""

    title: str
    first: int
    last: int
    edits: int


@dataclass(frozen=True, slots=True)
class CounterReading(ByFields):
    """One counter's value in one capture, with what it implies.

    `consistent` compares with the previous capture showing the same counter
    (None for the first reading, or units the calendar cannot check).
    """

    capture: int
    label: str
    unit: str
    value: int
    implied_start: dt.date | None
    consistent: bool | None


@dataclass(frozen=True, slots=True)
class Timeline(ByFields):
    """Item identities, lead articles and counters over captures in date order."""

    captures: tuple[CaptureRef, ...]
    histories: tuple[ItemHistory, ...]
    leads: tuple[LeadSpan, ...]
    counters: tuple[CounterReading, ...]


def counter_labels(timeline: Timeline) -> list[str]:
    """Counter labels in order of first appearance."""
    labels: dict[str, None] = {}
    for reading in timeline.counters:
        labels.setdefault(reading.label, None)
    return list(labels)


def capture_labels(timeline: Timeline) -> list[str]:
    """One distinct label per capture: its ISO date, with its capture time where captures share
    the date, and "#2", "#3" where that still repeats, so no column or row stands for two captures."""
    dates = Counter(ref.captured for ref in timeline.captures)
    labels = [
        ref.captured.isoformat() + (f" {ref.capture_time}" if dates[ref.captured] > 1 and ref.capture_time else "")
        for ref in timeline.captures
    ]
    seen: Counter[str] = Counter()
    repeated = Counter(labels)
    distinct = []
    for label in labels:
        seen[label] += 1
        distinct.append(f"{label} #{seen[label]}" if repeated[label] > 1 and seen[label] > 1 else label)
    return distinct
