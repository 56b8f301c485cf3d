"""Fold captures in date order into item histories, lead spans and counter readings.

Each capture is matched against the one before it (exact ids, then edits), so
an item keeps one identity through its edits. Items left over are then
matched against every item seen before and absent from the previous capture,
blocked by published date, so an item that comes back after a gap keeps its
identity too. The fold holds one capture at a time: memory grows with the
number of distinct items, not with the number of captures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from diffcore.diff import DiffOptions, capture_ref, changed, implied_start, keeps_pace
from diffcore.match import Matching, match_items, similarity
from diffcore.model import (
    CaptureRef,
    CounterReading,
    Item,
    ItemHistory,
    Lead,
    LeadSpan,
    Snapshot,
    Timeline,
)
from diffcore.normalise import clean, key, key_words


@dataclass
class _History:
    """The mutable record of one identity while the fold runs."""

    identity: str
    latest: Item
    titles: list[str]
    runs: list[list[int]]
    edits: int = 0

    def see(self, item: Item, capture: int) -> None:
        if changed(self.latest, item):
            self.edits += 1
        if clean(item.title) not in self.titles:
            self.titles.append(clean(item.title))
        self.latest = item
        if self.runs[-1][1] == capture - 1:
            self.runs[-1][1] = capture
        else:
            self.runs.append([capture, capture])

    def freeze(self) -> ItemHistory:
        return ItemHistory(
            identity=self.identity,
            published=self.latest.published,
            published_text=self.latest.published_text,
            title=self.latest.title,
            titles=tuple(self.titles),
            runs=tuple((start, end) for start, end in self.runs),
            edits=self.edits,
        )


@dataclass
class _LeadRun:
    """The mutable record of one lead span while the fold runs."""

    title: str
    first: int
    last: int
    edits: int = 0


@dataclass
class TimelineBuilder:
    """Feed snapshots in capture-date order with `add`; `result` gives the Timeline.

    `add` returns the matching against the previous capture, so a caller that
    also writes pairwise reports does not match the same pair twice.
    """

    options: DiffOptions = field(default_factory=DiffOptions)
    _captures: list[CaptureRef] = field(default_factory=list)
    _histories: dict[str, _History] = field(default_factory=dict)
    _present: list[str] = field(default_factory=list)
    _absent_by_date: dict[str, dict[str, Item]] = field(default_factory=dict)
    _leads: list[_LeadRun] = field(default_factory=list)
    _previous: Snapshot | None = None
    _previous_lead: Lead | None = None
    _counters: list[CounterReading] = field(default_factory=list)
    _last_reading: dict[str, CounterReading] = field(default_factory=dict)

    def add(self, snapshot: Snapshot) -> Matching | None:
        """Fold in the next capture (it must not be older than the previous one)."""
        index = len(self._captures)
        previous = self._previous
        if previous is not None and snapshot.captured < previous.captured:
            raise ValueError("captures must be added in capture-date order")
        self._captures.append(capture_ref(snapshot))
        identities: list[str | None] = [None] * len(snapshot.items)
        matching = None
        if previous is not None:
            matching = match_items(previous.items, snapshot.items, self.options)
            for pair in matching.pairs:
                identities[pair.new] = self._present[pair.old]
            for old_index in matching.unmatched_old:
                gone = self._present[old_index]
                item = self._histories[gone].latest
                self._absent_by_date.setdefault(item.published_text, {})[gone] = item
            self._match_returning(snapshot.items, identities)
        present = []
        for position, item in enumerate(snapshot.items):
            identity = identities[position]
            if identity is None:
                identity = self._new_identity(item, index)
            else:
                self._histories[identity].see(item, index)
            present.append(identity)
        self._present = present
        self._previous = snapshot
        self._track_lead(snapshot.lead, index)
        self._track_counters(snapshot, index)
        return matching

    def _match_returning(self, items: tuple[Item, ...], identities: list[str | None]) -> None:
        """Give items not on the previous capture the identity of an earlier, absent item."""
        waiting = [i for i, identity in enumerate(identities) if identity is None]
        dates = {items[i].published_text for i in waiting}
        pool = [(identity, item) for date in sorted(dates)
                for identity, item in self._absent_by_date.get(date, {}).items()]
        if not pool or not waiting:
            return
        matching = match_items([item for _, item in pool], [items[i] for i in waiting], self.options)
        for pair in matching.pairs:
            identity, item = pool[pair.old]
            identities[waiting[pair.new]] = identity
            del self._absent_by_date[item.published_text][identity]

    def _new_identity(self, item: Item, index: int) -> str:
        identity = item.id
        suffix = 1
        while identity in self._histories:
            suffix += 1
            identity = f"{item.id}~r{suffix}"
        self._histories[identity] = _History(identity, item, [clean(item.title)], [[index, index]])
        return identity

    def _track_lead(self, lead: Lead | None, index: int) -> None:
        previous = self._previous_lead
        self._previous_lead = lead
        if lead is None:
            return
        if previous is not None and self._leads and self._leads[-1].last == index - 1:
            same = key(previous.text) == key(lead.text)
            if same or similarity(key_words(previous.text), key_words(lead.text)) >= self.options.threshold:
                run = self._leads[-1]
                run.title, run.last, run.edits = lead.title, index, run.edits + (not same)
                return
        self._leads.append(_LeadRun(lead.title, index, index))

    def _track_counters(self, snapshot: Snapshot, index: int) -> None:
        for counter in snapshot.header.counters:
            label = key(counter.label)
            consistent = None
            last = self._last_reading.get(label)
            if last is not None:
                elapsed = (snapshot.captured - self._captures[last.capture].captured).days
                consistent = keeps_pace(counter.value - last.value, counter.unit, elapsed,
                                        self.options.counter_tolerance)
            reading = CounterReading(index, counter.label, counter.unit, counter.value,
                                     implied_start(snapshot.captured, counter.value, counter.unit), consistent)
            self._counters.append(reading)
            self._last_reading[label] = reading

    def result(self) -> Timeline:
        """The timeline of everything added so far."""
        histories = sorted(
            (history.freeze() for history in self._histories.values()),
            key=lambda h: (h.first, h.published_text if h.published is None else h.published.isoformat(), h.identity),
        )
        return Timeline(
            captures=tuple(self._captures),
            histories=tuple(histories),
            leads=tuple(LeadSpan(run.title, run.first, run.last, run.edits) for run in self._leads),
            counters=tuple(self._counters),
        )


def timeline(snapshots: Iterable[Snapshot], options: DiffOptions | None = None,
             on_pair: Callable[[Snapshot, Snapshot, Matching], None] | None = None) -> Timeline:
    """Build the timeline of snapshots.

    A list or tuple is put in capture-date order first; any other iterable
    (a stream from `load.iter_snapshots`) must already be in that order.
    `on_pair(old, new, matching)` is called for each consecutive pair, so a
    caller can write pairwise reports from the same pass.
    """
    if isinstance(snapshots, Sequence):
        snapshots = sorted(snapshots, key=lambda s: (s.captured, s.header.capture_time or "", s.source))
    builder = TimelineBuilder(options or DiffOptions())
    previous = None
    for snapshot in snapshots:
        matching = builder.add(snapshot)
        if on_pair is not None and previous is not None and matching is not None:
            on_pair(previous, snapshot, matching)
        previous = snapshot
    return builder.result()
