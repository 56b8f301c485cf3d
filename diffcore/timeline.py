"""Fold captures in date order into item histories, lead spans and counter readings.

Each capture is matched against the one before it (exact ids, then edits), so
an item keeps one identity through its edits. Items left over are then
matched against every item seen before and absent from the previous capture,
blocked by published date, so an item that comes back after a gap keeps its
identity too. The absent items are indexed (`diffcore.absent`), so that
matching costs what the capture changed, however many absent items share its
dates. The fold holds one capture at a time: memory grows with the number of
distinct items, not with the number of captures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from diffcore.absent import AbsentPool
from diffcore.diff import DiffOptions, capture_ref, changed, implied_start, keeps_pace
from diffcore.fit import vanished
from diffcore.identity import fresh_identity
from diffcore.match import Matching, Words, match_items, similarity, words_of
from diffcore.model import (
    CaptureRef,
    CounterReading,
    Item,
    ItemHistory,
    Lead,
    LeadSpan,
    Snapshot,
    Timeline,
    clock_order,
)
from diffcore.normalise import clean, key, key_words


@dataclass(slots=True)
class _History:
    """The mutable record of one identity while the fold runs: only what its ItemHistory needs.

    The item itself is not kept: while the identity is on the page, the
    previous capture holds it; while it is away, the absent pool does.
    `runs` is flat: first and last capture of each stretch, in turn.
    """

    identity: str
    published: dt.date | None
    published_text: str
    title: str
    titles: list[str]
    runs: list[int]
    edits: int = 0

    def see(self, item: Item, before: Item, capture: int, options: DiffOptions) -> None:
        """Record `item` in `capture`; `before` is how the identity read when last seen."""
        if changed(before, item, options):
            self.edits += 1
        # Strings equal to the held ones are not taken, so the record keeps one copy of each.
        if item.title != self.title:
            self.title = item.title
            title = _clean_title(item.title)
            if title not in self.titles:
                self.titles.append(title)
        if item.published_text != self.published_text or item.published != self.published:
            self.published, self.published_text = item.published, item.published_text
        if self.runs[-1] == capture - 1:
            self.runs[-1] = capture
        else:
            self.runs += (capture, capture)

    def freeze(self) -> ItemHistory:
        return ItemHistory(
            identity=self.identity,
            published=self.published,
            published_text=self.published_text,
            title=self.title,
            titles=tuple(self.titles),
            runs=tuple(zip(self.runs[::2], self.runs[1::2], strict=True)),
            edits=self.edits,
        )


def _clean_title(title: str) -> str:
    """`clean(title)`, sharing the title's own string when cleaning leaves it as it was."""
    cleaned = clean(title)
    return title if cleaned == title else cleaned


class _Remembered:
    """The matching words of the items of the last two captures, worked out once.

    The unmatched items of a pair are read by the fuzzy pairing, then again
    as the items that leave the page or look for an absent item: each
    capture is read as the new side of one pair and the old side of the next.
    """

    def __init__(self) -> None:
        self._current: dict[int, tuple[Item, Words]] = {}
        self._previous: dict[int, tuple[Item, Words]] = {}

    def __call__(self, item: Item) -> Words:
        words = self.known(item)
        if words is None:
            words = words_of(item)
            self._current[id(item)] = item, words
        return words

    def known(self, item: Item) -> Words | None:
        """The item's words if worked out already (the item is held with them, so its id is not reused)."""
        held = self._current.get(id(item)) or self._previous.get(id(item))
        return held[1] if held is not None and held[0] is item else None

    def next_capture(self) -> None:
        self._previous, self._current = self._current, {}


@dataclass
class _LeadRun:
    """The mutable record of one lead span while the fold runs."""

    title: str
    first: int
    last: int
    edits: int = 0


@dataclass
class TimelineBuilder:
    """Feed snapshots in the order they were taken (`capture_order`) with `add`; `result` gives the Timeline.

    `add` returns the matching against the previous capture, so a caller that
    also writes pairwise reports does not match the same pair twice.
    """

    options: DiffOptions = field(default_factory=DiffOptions)
    _captures: list[CaptureRef] = field(default_factory=list)
    _histories: dict[str, _History] = field(default_factory=dict)
    _present: list[str] = field(default_factory=list)
    _absent: AbsentPool = field(init=False)
    _words: _Remembered = field(default_factory=_Remembered)
    _leads: list[_LeadRun] = field(default_factory=list)
    _previous: Snapshot | None = None
    _previous_lead: Lead | None = None
    _counters: list[CounterReading] = field(default_factory=list)
    _last_reading: dict[str, CounterReading] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._absent = AbsentPool(self.options)

    def add(self, snapshot: Snapshot) -> Matching | None:
        """Fold in the next capture (it must not be older than the previous one)."""
        index = len(self._captures)
        previous = self._previous
        if previous is not None and capture_order(snapshot)[:2] < capture_order(previous)[:2]:
            raise ValueError("captures must be added in the order they were taken")
        self._captures.append(capture_ref(snapshot))
        # Per new item: its identity and how that identity read when last seen, once matched.
        known: list[tuple[str, Item] | None] = [None] * len(snapshot.items)
        matching = None
        if previous is not None:
            self._words.next_capture()
            matching = match_items(previous.items, snapshot.items, self.options, self._words)
            for pair in matching.pairs:
                known[pair.new] = self._present[pair.old], previous.items[pair.old]
            for old_index in matching.unmatched_old:
                self._leave(self._present[old_index], previous.items[old_index])
            self._match_returning(snapshot.items, known)
            flag = vanished(len(previous.items), len(matching.pairs), snapshot)
            if flag is not None:
                ref = self._captures[-1]
                self._captures[-1] = replace(ref, warnings=(*ref.warnings, flag))
        present = []
        for item, match in zip(snapshot.items, known, strict=True):
            if match is None:
                present.append(self._new_identity(item, index))
            else:
                identity, before = match
                self._histories[identity].see(item, before, index, self.options)
                present.append(identity)
        self._present = present
        self._previous = snapshot
        self._track_lead(snapshot.lead, index)
        self._track_counters(snapshot, index)
        return matching

    def _leave(self, identity: str, item: Item) -> None:
        """`item`, last seen as `identity`, is not on the capture being added: it joins the absent items."""
        history = self._histories[identity]
        # The strings held are the history's and the identity's, so an absent item keeps no copy of its own.
        item_id = identity if item.id == identity else item.id
        self._absent.leave(identity, item_id, history.published, history.published_text, history.title, item.summary)

    def _match_returning(self, items: tuple[Item, ...], known: list[tuple[str, Item] | None]) -> None:
        """Give items not on the previous capture the identity of an earlier, absent item."""
        waiting = [i for i, match in enumerate(known) if match is None]
        if not waiting:
            return
        for record, new in self._absent.match([items[i] for i in waiting], self._words):
            known[waiting[new]] = record.identity, record.item()
            self._absent.remove(record)

    def _new_identity(self, item: Item, index: int) -> str:
        identity = fresh_identity(item.id, self._histories)
        self._histories[identity] = _History(
            identity, item.published, item.published_text, item.title, [_clean_title(item.title)], [index, index]
        )
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
                consistent = keeps_pace(
                    counter.value - last.value, counter.unit, elapsed, self.options.counter_tolerance
                )
            reading = CounterReading(
                index,
                counter.label,
                counter.unit,
                counter.value,
                implied_start(snapshot.captured, counter.value, counter.unit),
                consistent,
            )
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


def capture_order(snapshot: Snapshot) -> tuple[dt.datetime, tuple[int, ...], str]:
    """When a capture was taken (else the page's date), then the page's clock, then its source: the timeline's order."""
    taken = snapshot.capture.captured_at if snapshot.capture else None
    return (
        taken or dt.datetime.combine(snapshot.captured, dt.time(), dt.UTC),
        clock_order(snapshot.header.capture_time),
        snapshot.source,
    )


def fold(snapshots: Iterable[Snapshot], builder: TimelineBuilder) -> Iterator[tuple[Snapshot, Snapshot, Matching]]:
    """Add snapshots to `builder` one at a time, yielding each consecutive pair with its matching.

    A list or tuple is put in capture-time order first; any other iterable
    (a stream from `load.iter_snapshots`) must already be in that order.
    """
    if isinstance(snapshots, Sequence):
        snapshots = sorted(snapshots, key=capture_order)
    previous = None
    for snapshot in snapshots:
        matching = builder.add(snapshot)
        if previous is not None and matching is not None:
            yield previous, snapshot, matching
        previous = snapshot


def timeline(
    snapshots: Iterable[Snapshot],
    options: DiffOptions | None = None,
    on_pair: Callable[[Snapshot, Snapshot, Matching], None] | None = None,
) -> Timeline:
    """Build the timeline of snapshots (in capture-date order, as `fold` says).

    `on_pair(old, new, matching)` is called for each consecutive pair, so a
    caller can write pairwise reports from the same pass.
    """
    builder = TimelineBuilder(options or DiffOptions())
    for old, new, matching in fold(snapshots, builder):
        if on_pair is not None:
            on_pair(old, new, matching)
    return builder.result()
