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
from functools import partial
from typing import Any

from diffcore._gc import paused
from diffcore._pool import ordered_map, workers_for
from diffcore.absent import AbsentPool
from diffcore.diff import DiffOptions, capture_ref, changed, implied_start, keeps_pace
from diffcore.fit import vanished
from diffcore.identity import fresh_identity
from diffcore.load import Entry, Inventory, capture_snapshot, iter_snapshots
from diffcore.match import Matching, Words, match_items, similarity, words_of
from diffcore.model import (
    CaptureRef,
    CounterReading,
    HeaderCounter,
    Item,
    ItemHistory,
    Lead,
    LeadSpan,
    Snapshot,
    Timeline,
    capture_order,
)
from diffcore.normalise import clean, key, key_words
from diffcore.profile import Profile, default_profile

Dated = tuple[dt.date | None, str]
"""An item's published date and the date as printed."""


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
        self.seen(capture, changed(before, item, options), item.title, (item.published, item.published_text))

    def seen(self, capture: int, edited: bool, title: str | None, dated: Dated | None) -> None:
        """Record the identity in `capture`, `edited` or not, reading `title` and `dated` (None: as before)."""
        if edited:
            self.edits += 1
        # Strings equal to the held ones are not taken, so the record keeps one copy of each.
        if title is not None and title != self.title:
            self.title = title
            cleaned = _clean_title(title)
            if cleaned not in self.titles:
                self.titles.append(cleaned)
        if dated is not None and (dated[1] != self.published_text or dated[0] != self.published):
            self.published, self.published_text = dated
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
        """Forget the words worked out before the last call: they are of items two captures back."""
        self._previous, self._current = self._current, {}


Kept = tuple[int, int, bool, str | None, Dated | None]
"""An item of a capture paired with one of the capture before: (old index, new index, edited, its title if
it reads differently, its dates if they read differently)."""


@dataclass(frozen=True, slots=True)
class Step:
    """One capture as the fold reads it: what a worker that parsed and matched it sends back, not the snapshot.

    `kept` are the items its matching with the capture before paired, with
    what changed (None for the first capture); `gone` the items of the
    capture before it left unmatched, `new` its own items left unmatched,
    each with its index. `size` is its number of items; `ref` carries its
    warnings, most items vanishing at once among them. Pickled, an item is
    only what the fold reads (no lines), the lead its title and paragraphs,
    a counter its label, value and unit: a capture that keeps its items
    costs a few bytes an item.
    """

    ref: CaptureRef
    order: tuple[dt.datetime, tuple[int, ...]]
    captured: dt.date
    size: int
    kept: tuple[Kept, ...] | None
    gone: tuple[tuple[int, Item], ...]
    new: tuple[tuple[int, Item], ...]
    lead: Lead | None
    counters: tuple[HeaderCounter, ...]

    @classmethod
    def of(
        cls, snapshot: Snapshot, previous: Sequence[Item] | None, matching: Matching | None, options: DiffOptions
    ) -> Step:
        """The step of `snapshot`, matched (`matching`) against the items of the capture before (if any)."""
        ref = capture_ref(snapshot)
        items = snapshot.items
        kept: tuple[Kept, ...] | None = None
        gone: tuple[tuple[int, Item], ...] = ()
        paired: set[int] = set()
        if previous is not None and matching is not None:
            kept = tuple(
                _kept(pair.old, pair.new, previous[pair.old], items[pair.new], options) for pair in matching.pairs
            )
            gone = tuple((old, previous[old]) for old in matching.unmatched_old)
            paired = {pair.new for pair in matching.pairs}
            flag = vanished(len(previous), len(matching.pairs), snapshot)
            if flag is not None:
                ref = replace(ref, warnings=(*ref.warnings, flag))
        new = tuple((index, item) for index, item in enumerate(items) if index not in paired)
        lead, counters = snapshot.lead, snapshot.header.counters
        return cls(ref, capture_order(snapshot)[:2], snapshot.captured, len(items), kept, gone, new, lead, counters)

    def __reduce__(self) -> tuple[Callable[..., Step], tuple[object, ...]]:
        gone = tuple((index, _fields(item)) for index, item in self.gone)
        new = tuple((index, _fields(item)) for index, item in self.new)
        lead = None if self.lead is None else (self.lead.title, self.lead.paragraphs)
        counters = tuple((c.label, c.value, c.unit) for c in self.counters)
        fields = (self.ref, self.order, self.captured, self.size, self.kept, gone, new, lead, counters)
        return _step, fields


def _kept(old: int, new: int, before: Item, item: Item, options: DiffOptions) -> Kept:
    title = item.title if item.title != before.title else None
    redated = item.published_text != before.published_text or item.published != before.published
    return old, new, changed(before, item, options), title, (item.published, item.published_text) if redated else None


ItemFields = tuple[str, dt.date | None, str, str, tuple[str, ...], str | None]
"""An item as a step pickles it: id, published, published_text, title, summary, link."""


def _fields(item: Item) -> ItemFields:
    return item.id, item.published, item.published_text, item.title, item.summary, item.link


def _step(
    ref: CaptureRef,
    order: tuple[dt.datetime, tuple[int, ...]],
    captured: dt.date,
    size: int,
    kept: tuple[Kept, ...] | None,
    gone: tuple[tuple[int, ItemFields], ...],
    new: tuple[tuple[int, ItemFields], ...],
    lead: tuple[str, tuple[str, ...]] | None,
    counters: tuple[tuple[str, int, str], ...],
) -> Step:
    """A pickled `Step` back (its items at their index, without lines)."""

    def item(index: int, fields: ItemFields) -> Item:
        item_id, published, printed, title, summary, link = fields
        return Item(item_id, published, printed, title, summary, index, (), link)

    return Step(
        ref,
        order,
        captured,
        size,
        kept,
        tuple((index, item(index, fields)) for index, fields in gone),
        tuple((index, item(index, fields)) for index, fields in new),
        None if lead is None else Lead(lead[0], lead[1], ()),
        tuple(HeaderCounter(label, value, unit, "", 0) for label, value, unit in counters),
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
    _previous_items: tuple[Item, ...] | None = None
    _previous_order: tuple[dt.datetime, tuple[int, ...]] | None = None
    _previous_lead: Lead | None = None
    _counters: list[CounterReading] = field(default_factory=list)
    _last_reading: dict[str, CounterReading] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._absent = AbsentPool(self.options)

    def add(self, snapshot: Snapshot) -> Matching | None:
        """Fold in the next capture (it must not be older than the previous one)."""
        previous = self._previous_items
        if self._previous_order is not None and capture_order(snapshot)[:2] < self._previous_order:
            raise ValueError("captures must be added in the order they were taken")
        matching = None
        if previous is not None:
            matching = match_items(previous, snapshot.items, self.options, self._words)
        self.add_step(Step.of(snapshot, previous, matching, self.options))
        self._previous_items = snapshot.items
        return matching

    def add_step(self, step: Step) -> None:
        """Fold in the next capture as `Step.of` read it (matched against the capture before, here or in a worker)."""
        index = len(self._captures)
        if self._previous_order is not None and step.order < self._previous_order:
            raise ValueError("captures must be added in the order they were taken")
        if (step.kept is None) != (index == 0):
            raise ValueError("every capture but the first is matched against the capture before it")
        self._captures.append(step.ref)
        self._words.next_capture()  # the words of this pair's items stay at hand for one more capture
        present: list[str | None] = [None] * step.size
        for old, new, edited, title, dated in step.kept or ():
            identity = present[new] = self._present[old]
            self._histories[identity].seen(index, edited, title, dated)
        for old, item in step.gone:
            self._leave(self._present[old], item)
        returned = self._match_returning([item for _, item in step.new])
        for (new, item), match in zip(step.new, returned, strict=True):
            if match is None:
                present[new] = self._new_identity(item, index)
            else:
                identity, before = match
                self._histories[identity].see(item, before, index, self.options)
                present[new] = identity
        self._present = [identity for identity in present if identity is not None]
        if len(self._present) != step.size:
            raise ValueError("a step must place each of its items once")
        self._previous_items, self._previous_order = None, step.order  # `add` sets the items it matches against
        self._track_lead(step.lead, index)
        self._track_counters(step.captured, step.counters, index)

    def _leave(self, identity: str, item: Item) -> None:
        """`item`, last seen as `identity`, is not on the capture being added: it joins the absent items."""
        history = self._histories[identity]
        # The strings held are the history's and the identity's, so an absent item keeps no copy of its own.
        item_id = identity if item.id == identity else item.id
        self._absent.leave(
            identity,
            item_id,
            history.published,
            history.published_text,
            history.title,
            item.summary,
            self._words.known(item),
            item.link,
        )

    def _match_returning(self, items: list[Item]) -> list[tuple[str, Item] | None]:
        """For each item not on the previous capture, the identity of the earlier, absent item it is, if any,
        and how that item read when last seen."""
        found: list[tuple[str, Item] | None] = [None] * len(items)
        if items and self._previous_order is not None:
            for record, new in self._absent.match(items, self._words):
                found[new] = record.identity, record.item()
                self._absent.remove(record)
        return found

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

    def _track_counters(self, captured: dt.date, counters: tuple[HeaderCounter, ...], index: int) -> None:
        for counter in counters:
            label = key(counter.label)
            consistent = None
            last = self._last_reading.get(label)
            if last is not None:
                elapsed = (captured - self._captures[last.capture].captured).days
                consistent = keeps_pace(
                    counter.value - last.value, counter.unit, elapsed, self.options.counter_tolerance
                )
            reading = CounterReading(
                index,
                counter.label,
                counter.unit,
                counter.value,
                implied_start(captured, counter.value, counter.unit),
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


CHUNK = 64
"""Consecutive captures a worker reads, parses and matches in one task (it parses the one before them too)."""


def matched_captures(
    before: Entry | None, entries: Iterable[Entry], profile: Profile, options: DiffOptions, encoding: str | None
) -> Iterator[tuple[Snapshot, Sequence[Item] | None, Matching | None]]:
    """Read and parse consecutive captures, each with the items of the capture before and its matching
    against them (`before` is the capture before the first, parsed again; None: the first is matched to nothing)."""
    previous = None if before is None else capture_snapshot(before, profile, encoding).items
    words = _Remembered()
    for entry in entries:
        snapshot = capture_snapshot(entry, profile, encoding)
        matching = None
        if previous is not None:
            words.next_capture()
            matching = match_items(previous, snapshot.items, options, words)
        yield snapshot, previous, matching
        previous = snapshot.items


def _steps(
    chunk: tuple[Entry | None, Sequence[Entry]], profile: Profile, options: DiffOptions, encoding: str | None
) -> list[Step]:
    """In a worker: read, parse and match a run of consecutive captures (`chunk`: the capture before, if any, and the run)."""
    return [
        Step.of(snapshot, previous, matching, options)
        for snapshot, previous, matching in matched_captures(*chunk, profile, options, encoding)
    ]


def runs_of(entries: Sequence[Entry], size: int) -> Iterator[tuple[Entry | None, Sequence[Entry]]]:
    """Consecutive runs of `size` captures, each with the capture before it (None for the first run)."""
    for start in range(0, len(entries), size):
        yield (entries[start - 1] if start else None), entries[start : start + size]


def timeline_of(
    inventory: Inventory,
    profile: Profile | None = None,
    options: DiffOptions | None = None,
    encoding: str | None = None,
    workers: int | None = None,
    progress: Callable[[Iterator[Any]], Iterable[Any]] | None = None,
) -> Timeline:
    """The timeline of an inventory's captures (see `load.scan`), on every core when there are many.

    With one worker (`workers=1`, or few captures) the captures are read,
    parsed and folded in this process, one at a time. With more, workers
    read, parse and match runs of consecutive captures and send back only
    what the fold needs (a `Step`: the items without their lines, the
    pairs, the warnings), never whole snapshots, while this process folds
    them in order. The timeline is the same either way. `progress` wraps
    what is folded, one capture at a time (a progress bar).
    """
    profile = profile or default_profile()
    options = options or DiffOptions()
    count = workers_for(len(inventory.captures), workers)
    # Reading, parsing and folding make no reference cycle (nor do the steps unpickled from workers), while each
    # pass of the collector reads every history and absent item folded so far: the collector stays paused until
    # the builder is gone and only the timeline is left.
    with paused():
        if count <= 1:
            return _folded(inventory, profile, options, encoding, progress)
        return _folded_from_workers(inventory, profile, options, encoding, count, progress)


def _folded(
    inventory: Inventory,
    profile: Profile,
    options: DiffOptions,
    encoding: str | None,
    progress: Callable[[Iterator[Any]], Iterable[Any]] | None,
) -> Timeline:
    """The timeline of the captures read, parsed and folded in this process, one at a time."""
    builder = TimelineBuilder(options)
    snapshots: Iterator[Snapshot] = iter_snapshots(inventory, profile, encoding, workers=1)
    for _ in fold(progress(snapshots) if progress else snapshots, builder):
        pass
    return builder.result()


def _folded_from_workers(
    inventory: Inventory,
    profile: Profile,
    options: DiffOptions,
    encoding: str | None,
    count: int,
    progress: Callable[[Iterator[Any]], Iterable[Any]] | None,
) -> Timeline:
    """The timeline folded here from the steps `count` workers read, parse and match."""
    builder = TimelineBuilder(options)
    work = partial(_steps, profile=profile, options=options, encoding=encoding)
    steps: Iterator[Step] = (
        step for run in ordered_map(work, runs_of(inventory.captures, CHUNK), count, 1) for step in run
    )
    for step in progress(steps) if progress else steps:
        builder.add_step(step)
    return builder.result()
