"""Seeded random churn: a random archive of the page, one capture at a time.

`random_pages` draws every change from one `random.Random` and records the
items it moves on each page, so the truth oracle can read them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, fields

from synthetic.page import Entry, Page, Tally, identity, new_entry, sibling, tally, tick
from synthetic.truth import Archive, Capture, archive_of, chronicle
from synthetic.vocabulary import (
    COUNTER_EVENTS,
    LEAD_TITLES,
    START,
    edit_words,
    paragraph,
)


@dataclass(frozen=True)
class Churn:
    """Rates of change per pair of consecutive captures.

    Item rates are the expected share of the list that undergoes the change
    (`added` and `returns` relative to the list size asked of `generate`); each
    surviving item gets at most one of move or edit per pair. The list keeps
    that size by dropping items from the bottom, unless more than that many
    arrive in one pair. `added_elsewhere`
    is the share of added items placed inside the list rather than at the top,
    `twins` the chance that an added item comes with a near-identical sibling
    of the same date. `counter_stall` is the chance per counter and pair that it
    stays unchanged (a stale page); it jumps back to the calendar when it moves
    again. With `counter_appear` > 0 the archive starts without counters and
    each hidden counter appears, in turn, with that chance per pair.
    """

    added: float = 0.06
    dropped: float = 0.02
    moved: float = 0.02
    edited_title: float = 0.02
    edited_summary: float = 0.02
    edited_both: float = 0.01
    date_corrected: float = 0.01
    returns: float = 0.01
    added_elsewhere: float = 0.1
    twins: float = 0.1
    counter_stall: float = 0.05
    counter_appear: float = 0.0

    def __post_init__(self) -> None:
        for f in fields(self):
            rate = getattr(self, f.name)
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"churn {f.name} must lie in [0, 1], not {rate}")


def _count(rng: random.Random, size: int, rate: float) -> int:
    """How many of `size` undergo a change of `rate`: the expectation, rounded at random."""
    expected = size * rate
    whole = int(expected)
    return whole + (rng.random() < expected - whole)


def _moves(rng: random.Random, size: int, wanted: int) -> list[tuple[int, int]]:
    """Unambiguous moves (from, to): each jumps at least 3 places, their ranges apart."""
    taken: list[tuple[int, int]] = []
    moves: list[tuple[int, int]] = []
    for _ in range(wanted * 20):
        if len(moves) == wanted or size < 4:
            break
        start = rng.randrange(size)
        end = start + rng.choice((-1, 1)) * rng.randint(3, min(10, size - 1))
        low, high = min(start, end), max(start, end)
        if low < 0 or high >= size or any(low <= b + 1 and a <= high + 1 for a, b in taken):
            continue
        taken.append((low, high))
        moves.append((start, end))
    return moves


def _edit(rng: random.Random, entry: Entry, kind: str, captured: dt.date, taken: set[str]) -> Entry | None:
    """`entry` with one small edit of `kind`, or None if no free item id was found."""
    for _ in range(20):
        title, summary, published = entry.title, entry.summary, entry.published
        if kind in ("title", "both"):
            title = edit_words(title, rng, rng.randint(1, 2))
        if kind in ("summary", "both"):
            at = rng.randrange(len(summary))
            summary = (*summary[:at], edit_words(summary[at], rng, rng.randint(1, 2)), *summary[at + 1 :])
        if kind == "published":
            shift = rng.choice((-1, 1)) * rng.randint(1, 7)
            published = min(captured, published + dt.timedelta(days=shift))
        edited = Entry(entry.identity, published, title, summary)
        if edited != entry and (edited.id == entry.id or edited.id not in taken):
            taken.add(edited.id)
            return edited
    return None


def random_pages(
    captures: int,
    items: int,
    seed: int,
    churn: Churn,
    *,
    start: dt.date = START,
    step_days: tuple[int, int] = (2, 5),
    counters: int = 2,
) -> Iterator[Page]:
    """Pages of a random archive, one at a time (see `Churn` for the rates)."""
    if captures < 1 or items < 0:
        raise ValueError("need at least one capture and a non-negative item count")
    if not 1 <= step_days[0] <= step_days[1]:
        raise ValueError(f"step_days must be (low, high) with 1 <= low <= high, not {step_days}")
    if not 0 <= counters <= len(COUNTER_EVENTS):
        raise ValueError(f"counters must lie in 0..{len(COUNTER_EVENTS)}")
    rng = random.Random(seed)
    numbers = itertools.count(1)
    taken: set[str] = set()

    def fresh(published: dt.date) -> Entry:
        entry = new_entry(rng, identity(next(numbers)), published, taken)
        taken.add(entry.id)
        return entry

    captured = start
    lead = Entry(identity(next(numbers)), start, rng.choice(LEAD_TITLES), (paragraph(rng), paragraph(rng)))
    entries = []
    day = start
    for _ in range(items):
        entries.append(fresh(day))
        day -= dt.timedelta(days=rng.choice((0, 1, 1, 2)))
    hidden = [tally(event, start - dt.timedelta(days=ago), start) for event, ago in COUNTER_EVENTS[:counters]]
    shown: list[Tally] = []
    if churn.counter_appear == 0:
        shown, hidden = hidden, []
    pool: deque[Entry] = deque(maxlen=256)

    def clock() -> str:
        return f"{rng.randint(6, 21):02d}:{rng.randint(0, 59):02d}"

    yield Page(captured, clock(), tuple(shown), lead, tuple(entries))
    for _ in range(captures - 1):
        previous = captured
        captured += dt.timedelta(days=rng.randint(*step_days))
        drop = set(rng.sample(range(len(entries)), _count(rng, len(entries), churn.dropped)))
        gone = [e for at, e in enumerate(entries) if at in drop]
        survivors = [e for at, e in enumerate(entries) if at not in drop]
        adding = min(items, _count(rng, items, churn.added))
        twinned = [rng.random() < churn.twins for _ in range(adding)]
        coming_back = rng.sample(range(len(pool)), min(len(pool), _count(rng, items, churn.returns)))
        keep = max(0, items - adding - sum(twinned) - len(coming_back))
        gone += survivors[keep:]
        survivors = survivors[:keep]
        landed = set()
        for start_at, end_at in _moves(rng, len(survivors), _count(rng, len(survivors), churn.moved)):
            survivors.insert(end_at, survivors.pop(start_at))
            landed.add(end_at)
        moved = tuple(survivors[at].identity for at in sorted(landed))
        free = [at for at in range(len(survivors)) if at not in landed]
        for kind, rate in (
            ("title", churn.edited_title),
            ("summary", churn.edited_summary),
            ("both", churn.edited_both),
            ("published", churn.date_corrected),
        ):
            chosen = set(rng.sample(free, min(len(free), _count(rng, len(survivors), rate))))
            for at in sorted(chosen):
                survivors[at] = _edit(rng, survivors[at], kind, captured, taken) or survivors[at]
            free = [at for at in free if at not in chosen]
        for index in sorted(coming_back, reverse=True):
            survivors.insert(rng.randint(0, len(survivors)), pool[index])
            del pool[index]
        pool.extend(gone)
        span = max(1, (captured - previous).days)
        days = sorted((captured - dt.timedelta(days=rng.randrange(span)) for _ in range(adding)), reverse=True)
        top: list[Entry] = []
        for day, twin_too in zip(days, twinned, strict=False):
            entry = fresh(day)
            group = [entry]
            if twin_too:
                twin = sibling(rng, identity(next(numbers)), entry, taken)
                taken.add(twin.id)
                group.append(twin)
            if rng.random() < churn.added_elsewhere:
                at = rng.randint(0, len(survivors))
                survivors[at:at] = group
            else:
                top += group
        entries = top + survivors
        while hidden and rng.random() < churn.counter_appear:
            shown.append(hidden.pop(0))
        stalled = [c.event for c in shown if rng.random() < churn.counter_stall]
        shown = list(tick(shown, captured, stalled))
        yield Page(captured, clock(), tuple(shown), lead, tuple(entries), moved)


def iter_captures(
    captures: int,
    items: int,
    seed: int,
    churn: Churn,
    *,
    start: dt.date = START,
    step_days: tuple[int, int] = (2, 5),
    counters: int = 2,
) -> Iterator[Capture]:
    """The captures of a random archive one by one, each with its true changes."""
    return chronicle(random_pages(captures, items, seed, churn, start=start, step_days=step_days, counters=counters))


def generate(
    captures: int,
    items: int,
    seed: int,
    churn: Churn,
    *,
    start: dt.date = START,
    step_days: tuple[int, int] = (2, 5),
    counters: int = 2,
) -> Archive:
    """A random archive held in memory, with its truth."""
    return archive_of(iter_captures(captures, items, seed, churn, start=start, step_days=step_days, counters=counters))
