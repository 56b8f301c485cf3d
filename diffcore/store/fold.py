"""One capture folded into a page's history, with the fold's state kept in the store's tables.

This is `diffcore.timeline.TimelineBuilder.add`, step for step, over state
that lives in the database rather than in memory, so that adding a capture
to a store of ten thousand costs what the new capture costs: its items are
matched against the capture before it (`match_items`, as the timeline
does), those left over against the items seen before and absent since
(the `items` rows with `absent_since`, in the order the timeline keeps
them), and each identity's history, the lead span and the counters'
readings are updated in place. The result is the batch timeline's, exactly:
`diffcore store verify` folds every capture again with the timeline itself
and compares, and the tests hold any order of adding to it.

Each step also writes the capture's item events, derived from the fold
(never from the order captures were added in): appeared, returned,
dropped, edited (a row per field), moved, and counters that changed or
stalled.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from diffcore.diff import DiffOptions, changed, edit_kinds, implied_start, keeps_pace, stable_pairs
from diffcore.fit import vanished
from diffcore.identity import fresh_identity
from diffcore.match import Matching, match_items, similarity
from diffcore.model import Item, Lead, Snapshot, WordOp
from diffcore.normalise import clean, key, key_words, words
from diffcore.store.codec import counter_text, date_of, dumps, iso, paragraphs

APPEARED, RETURNED, DROPPED, EDITED, MOVED = "appeared", "returned", "dropped", "edited", "moved"
COUNTER_CHANGED, COUNTER_STALLED = "counter_changed", "counter_stalled"
ITEM_EVENTS = (APPEARED, RETURNED, DROPPED, EDITED, MOVED)
EVENTS = (*ITEM_EVENTS, COUNTER_CHANGED, COUNTER_STALLED)
"""Every kind of event."""


@dataclass(frozen=True)
class Folded:
    """A capture as the fold left it: its snapshot and, at each position, the item's identity (an `items` row)."""

    capture_id: int
    seq: int
    snapshot: Snapshot
    item_ids: tuple[int, ...]
    version_ids: tuple[int, ...]


@dataclass(frozen=True)
class Step:
    """What folding one capture gave: the capture as folded, its matching against the capture before, and
    how many of its items were edited and moved since."""

    folded: Folded
    matching: Matching | None
    edited: int = 0
    moved: int = 0

    @property
    def has_changes(self) -> bool:
        """Whether an item was added, dropped, edited or moved since the capture before (as `diff` says)."""
        matching = self.matching
        if matching is None:
            return False
        return bool(matching.unmatched_new or matching.unmatched_old or self.edited or self.moved)


@dataclass
class _History:
    """An `items` row being updated: what `TimelineBuilder`'s history of an identity holds.

    Its stretches on the page are `runs`, those that ended, and the one going
    on since `present_since` (None while it is away): an item that stays on
    the page changes nothing here from one capture to the next.
    """

    item_id: int
    identity: str
    published: str | None
    published_text: str
    title: str
    titles: list[str]
    runs: list[list[int]]
    present_since: int | None
    edits: int
    last_version_id: int

    def see(self, item: Item, before: Item, seq: int, version_id: int, options: DiffOptions) -> tuple[bool, bool]:
        """Record `item` on capture `seq` (`before`: the identity as last seen); whether it was edited, and
        whether it came back after a gap."""
        edited = changed(before, item, options)
        if edited:
            self.edits += 1
        if item.title != self.title:
            self.title = item.title
            title = clean(item.title)
            if title not in self.titles:
                self.titles.append(title)
        published = iso(item.published)
        if item.published_text != self.published_text or published != self.published:
            self.published, self.published_text = published, item.published_text
        back = False
        if self.present_since is None:
            if self.runs and self.runs[-1][1] == seq - 1:  # missing from the capture before only as matched
                self.present_since = self.runs.pop()[0]
            else:
                self.present_since, back = seq, True
        self.last_version_id = version_id
        return edited, back

    def row(self) -> tuple[Any, ...]:
        """The values of `UPDATE_HISTORY`."""
        return (
            self.published,
            self.published_text,
            self.title,
            titles_text(self.titles),
            dumps(self.runs),
            self.present_since,
            self.edits,
            self.last_version_id,
            self.item_id,
        )


UPDATE_HISTORY = (
    "UPDATE items SET published = ?, published_text = ?, title = ?, titles = ?, runs = ?, present_since = ?, "
    "edits = ?, last_version_id = ?, absent_since = NULL, absent_position = NULL WHERE item_id = ?"
)
HISTORY_COLUMNS = (
    "item_id, identity, published, published_text, title, titles, runs, present_since, edits, last_version_id"
)


def _history(row: Sequence[Any]) -> _History:
    item_id, identity, published, published_text, title, titles, runs, present_since, edits, last_version_id = row
    return _History(
        item_id,
        identity,
        published,
        published_text,
        title,
        titles_of(titles, title),
        json.loads(runs),
        present_since,
        edits,
        last_version_id,
    )


def titles_text(titles: Sequence[str]) -> str | None:
    """An identity's titles as stored: a JSON list when it had more than one, else None."""
    return dumps(list(titles)) if len(titles) > 1 else None


def titles_of(text: str | None, title: str) -> list[str]:
    """An identity's distinct titles (cleaned) from their stored text and its title."""
    return json.loads(text) if text else [clean(title)]


def stretches(runs: str, present_since: int | None, last_seq: int) -> tuple[tuple[int, int], ...]:
    """An identity's stretches on the page, the one going on included (the page's last capture is `last_seq`)."""
    ended = [(first, last) for first, last in json.loads(runs)]
    return tuple(ended + ([(present_since, last_seq)] if present_since is not None else []))


class _Taken:
    """The identities a page's items already hold (for `fresh_identity`), looked up in the store.

    Those of the new items' own ids are looked up together at first (one
    statement, not one an item); each identity given out is added.
    """

    def __init__(self, db: sqlite3.Connection, page_id: int, identities: Sequence[str]) -> None:
        self.db, self.page_id = db, page_id
        self.asked = set(identities)
        self.held: set[str] = set()
        asked = sorted(self.asked)
        for start in range(0, len(asked), 500):
            chunk = asked[start : start + 500]
            self.held.update(
                identity
                for (identity,) in db.execute(
                    f"SELECT identity FROM items WHERE page_id = ? AND identity IN ({','.join('?' * len(chunk))})",
                    (page_id, *chunk),
                )
            )

    def __contains__(self, identity: object) -> bool:
        if identity in self.held:
            return True
        if identity in self.asked:
            return False
        found = self.db.execute(
            "SELECT 1 FROM items WHERE page_id = ? AND identity = ?", (self.page_id, identity)
        ).fetchone()
        return found is not None

    def add(self, identity: str) -> None:
        self.held.add(identity)


def _absent_pool(db: sqlite3.Connection, page_id: int, dates: Sequence[str]) -> list[tuple[int, Item, int]]:
    """The identities absent from the capture before whose date reads as one of `dates`, as the timeline
    lists them: by date, then in the order they went missing (capture, then position on the capture before).

    Each reads as the timeline's absent record does: its id, summary and link as last seen, its date and title
    as its history holds them; with the row of the version it was last seen as.
    """
    found: list[tuple[tuple[str, int, int], int, Item, int]] = []
    for start in range(0, len(dates), 500):
        chunk = dates[start : start + 500]
        rows = db.execute(
            "SELECT i.item_id, i.published, i.published_text, i.title, i.absent_since, i.absent_position, "
            "v.item_key, v.summary, v.link, v.version_id FROM items i JOIN versions v ON v.version_id = i.last_version_id "
            f"WHERE i.page_id = ? AND i.absent_since IS NOT NULL AND i.published_text IN ({','.join('?' * len(chunk))})",
            (page_id, *chunk),
        ).fetchall()
        for item_id, published, published_text, title, since, position, item_key, summary, link, version_id in rows:
            item = Item(item_key, date_of(published), published_text, title, paragraphs(summary), 0, (), link)
            found.append(((published_text, since, position), item_id, item, version_id))
    found.sort(key=lambda entry: entry[0])
    return [(item_id, item, version_id) for _, item_id, item, version_id in found]


def edit_fields(before: Item, after: Item, options: DiffOptions) -> list[str | None]:
    """The fields an edit changed (one None when none shows: a change the words and dates do not).

    The fields are `diffcore.diff.edit_kinds`'s; a title or summary changed when its words did, which is
    when the word alignment of a change report holds a change, known here without aligning them.
    """
    seen = options.compared
    changed_words = (WordOp("replace", "", ""),)
    title = changed_words if words(seen(before.title)) != words(seen(after.title)) else ()
    summary = changed_words if words(seen(before.summary_text)) != words(seen(after.summary_text)) else ()
    return list(edit_kinds(before, after, title, summary, options)) or [None]


def moves(matching: Matching) -> dict[int, int]:
    """The items that moved, as `diffcore.diff` finds them: new position -> old position."""
    by_old = sorted(matching.pairs, key=lambda pair: pair.old)
    stable = stable_pairs([pair.new for pair in by_old])
    return {pair.new: pair.old for rank, pair in enumerate(by_old) if rank not in stable}


Event = tuple[int | None, str, str | None, str | None, str | None, int | None, int | None, int | None]
"""An `events` row but its page and capture: item, event, field, old, new, version, old version, counter label."""

Reading = tuple[int, int, int, str | None, int, str | None, int | None]
"""A counter reading: position, label row, value, text (see `counter_text`), line, implied start, consistent."""


def fold_capture(
    db: sqlite3.Connection,
    page_id: int,
    options: DiffOptions,
    capture: int | dict[str, Any],
    seq: int,
    snapshot: Snapshot,
    version_ids: Sequence[int],
    previous: Folded | None,
    readings: dict[str, list[Any]],
    labels: dict[tuple[str, str], int],
    matching: Matching | None = None,
) -> Step:
    """Fold capture `seq` in after `previous` (the capture before it, already folded); write what it changes.

    `capture` is a stored capture's row id (its presence and counter rows
    are there: only what the fold derives is updated), or a new capture's
    `captures` columns, written with its presence and counter rows.
    `readings` holds each counter's last reading (the page's
    `counter_state`) and is updated; `labels` keeps the counter sentences'
    rows from one capture to the next. `matching` is the capture's items
    matched against `previous`'s, when already made (by the worker that
    parsed them); else it is made here. The fold reads first and writes
    last, a statement for each table, however many rows.
    """
    items = snapshot.items
    # Per item: its identity, how that identity read when last seen (the item, its version) and whether it is
    # the same version now.
    known: list[tuple[int, Item, int, bool] | None] = [None] * len(items)
    pairs: set[int] = set()
    warning = None
    events: list[Event] = []
    if previous is not None:
        before_items = previous.snapshot.items
        if matching is None:
            matching = match_items(before_items, items, options)
        for pair in matching.pairs:
            was = previous.version_ids[pair.old]
            known[pair.new] = previous.item_ids[pair.old], before_items[pair.old], was, was == version_ids[pair.new]
            pairs.add(previous.item_ids[pair.old])
        if matching.unmatched_old:  # written now: the absent items below include those that just went
            db.executemany(
                "UPDATE items SET runs = json_insert(runs, '$[#]', json_array(present_since, ?)), "
                "present_since = NULL, absent_since = ?, absent_position = ? WHERE item_id = ?",
                [(seq - 1, seq, index, previous.item_ids[index]) for index in matching.unmatched_old],
            )
        waiting = [index for index, match in enumerate(known) if match is None]
        if waiting:
            pool = _absent_pool(db, page_id, sorted({items[index].published_text for index in waiting}))
            if pool:
                again = match_items([item for _, item, _ in pool], [items[index] for index in waiting], options)
                for pair in again.pairs:
                    item_id, before, was = pool[pair.old]
                    known[waiting[pair.new]] = item_id, before, was, False
        warning = vanished(len(before_items), len(matching.pairs), snapshot)
    # An identity read the same as on the capture before needs nothing written: its stretch goes on.
    histories = _load_histories(db, [match[0] for match in known if match is not None and not match[3]])
    moved = moves(matching) if matching else {}
    fresh = [items[index].id for index, match in enumerate(known) if match is None]
    taken = _Taken(db, page_id, fresh)
    next_id = next_row_id(db, "items", "item_id") if fresh else 0
    new_items: list[tuple[Any, ...]] = []
    edited_pairs = 0
    present: list[int] = []
    for position, (item, match, version_id) in enumerate(zip(items, known, version_ids, strict=True)):
        if match is None:
            identity = fresh_identity(item.id, taken)
            taken.add(identity)
            new_items.append(
                (next_id, page_id, identity, iso(item.published), item.published_text, item.title, seq, seq, version_id)
            )
            present.append(next_id)
            events.append((next_id, APPEARED, None, None, None, version_id, None, None))
            next_id += 1
            continue
        item_id, before, was, same = match
        present.append(item_id)
        if not same:
            edited, back = histories[item_id].see(item, before, seq, version_id, options)
            if back:
                events.append((item_id, RETURNED, None, None, None, version_id, None, None))
            if edited:
                edited_pairs += not back and item_id in pairs
                for name in edit_fields(before, item, options):
                    events.append((item_id, EDITED, name, None, None, version_id, was, None))
        if position in moved:
            events.append((item_id, MOVED, "position", str(moved[position]), str(position), version_id, None, None))
    if previous is not None:
        still = set(present)
        dropped: list[Event] = [
            (item_id, DROPPED, None, None, None, version, None, None)
            for item_id, version in zip(previous.item_ids, previous.version_ids, strict=True)
            if item_id not in still
        ]
        events[:0] = dropped
    counter_events, counters = _fold_counters(db, page_id, seq, snapshot, options, readings, labels)
    events += counter_events
    lead_edit = _fold_lead(db, page_id, seq, snapshot.lead, previous.snapshot.lead if previous else None, options)
    if new_items:
        db.executemany(
            "INSERT INTO items (item_id, page_id, identity, published, published_text, title, titles, first_seq, "
            "runs, present_since, edits, last_version_id) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, '[]', ?, 0, ?)",
            new_items,
        )
    if histories:
        db.executemany(UPDATE_HISTORY, [history.row() for history in histories.values()])
    capture_id = _write_capture(db, capture, lead_edit, warning, present, version_ids, counters)
    if events:
        db.executemany(
            "INSERT INTO events (page_id, capture_id, item_id, event, field, old, new, version_id, old_version_id, "
            "label_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(page_id, capture_id, *event) for event in events],
        )
    folded = Folded(capture_id, seq, snapshot, tuple(present), tuple(version_ids))
    return Step(folded, matching, edited_pairs, len(moved))


def next_row_id(db: sqlite3.Connection, table: str, column: str) -> int:
    """The row id SQLite would give the next row of `table` (its largest plus one), to write rows many at once."""
    (last,) = db.execute(f"SELECT max({column}) FROM {table}").fetchone()
    return int(last or 0) + 1


def _write_capture(
    db: sqlite3.Connection,
    capture: int | dict[str, Any],
    lead_edit: int | None,
    warning: str | None,
    present: Sequence[int],
    version_ids: Sequence[int],
    counters: Sequence[Reading],
) -> int:
    """Write the capture's row, presence and counter rows (a new capture), or what the fold derives in them
    (a stored one); its row id."""
    if isinstance(capture, int):
        db.execute(
            "UPDATE captures SET lead_edit = ?, fold_warning = ? WHERE capture_id = ?", (lead_edit, warning, capture)
        )
        db.executemany(
            "UPDATE presence SET item_id = ? WHERE capture_id = ? AND position = ?",
            [(item_id, capture, position) for position, item_id in enumerate(present)],
        )
        db.executemany(
            "UPDATE counters SET implied_start = ?, consistent = ? WHERE capture_id = ? AND position = ?",
            [(start, flag, capture, position) for position, _, _, _, _, start, flag in counters],
        )
        return capture
    columns = {**capture, "lead_edit": lead_edit, "fold_warning": warning}
    cursor = db.execute(
        f"INSERT INTO captures ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", list(columns.values())
    )
    capture_id = cursor.lastrowid
    assert capture_id is not None
    db.executemany(
        "INSERT INTO presence (capture_id, position, version_id, item_id) VALUES (?, ?, ?, ?)",
        [(capture_id, position, *pair) for position, pair in enumerate(zip(version_ids, present, strict=True))],
    )
    if counters:
        db.executemany(
            "INSERT INTO counters (capture_id, position, label_id, value, text, line, implied_start, consistent) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(capture_id, *reading) for reading in counters],
        )
    return capture_id


def _load_histories(db: sqlite3.Connection, item_ids: Sequence[int]) -> dict[int, _History]:
    found: dict[int, _History] = {}
    for start in range(0, len(item_ids), 500):
        chunk = item_ids[start : start + 500]
        rows = db.execute(
            f"SELECT {HISTORY_COLUMNS} FROM items WHERE item_id IN ({','.join('?' * len(chunk))})", tuple(chunk)
        ).fetchall()
        found.update((row[0], _history(row)) for row in rows)
    return found


def _fold_counters(
    db: sqlite3.Connection,
    page_id: int,
    seq: int,
    snapshot: Snapshot,
    options: DiffOptions,
    readings: dict[str, list[Any]],
    labels: dict[tuple[str, str], int],
) -> tuple[list[Event], list[Reading]]:
    """Each counter's reading, judged against its last reading (in `readings`, updated); their events."""
    rows: list[Reading] = []
    events: list[Event] = []
    for position, counter in enumerate(snapshot.header.counters):
        label = key(counter.label)
        last = readings.get(label)
        label_id = labels.get((counter.label, counter.unit))
        if label_id is None:
            label_id = labels[counter.label, counter.unit] = _label_id(db, page_id, counter.label, counter.unit)
        consistent = None
        if last is not None:
            elapsed = (snapshot.captured - date_of(last[2])).days  # type: ignore[operator]  # always a date
            consistent = keeps_pace(counter.value - last[1], counter.unit, elapsed, options.counter_tolerance)
            if consistent is False:
                kind = COUNTER_STALLED
            elif counter.value != last[1]:
                kind = COUNTER_CHANGED
            else:
                kind = ""
            if kind:
                events.append((None, kind, None, str(last[1]), str(counter.value), None, None, label_id))
        start = iso(implied_start(snapshot.captured, counter.value, counter.unit))
        flag = None if consistent is None else int(consistent)
        rows.append((position, label_id, counter.value, counter_text(counter), counter.line, start, flag))
        readings[label] = [seq, counter.value, snapshot.captured.isoformat()]
    return events, rows


def _label_id(db: sqlite3.Connection, page_id: int, label: str, unit: str) -> int:
    """The `counter_labels` row of a counter sentence, written when new."""
    row = db.execute(
        "SELECT label_id FROM counter_labels WHERE page_id = ? AND label = ? AND unit = ?", (page_id, label, unit)
    ).fetchone()
    if row is not None:
        return int(row[0])
    cursor = db.execute("INSERT INTO counter_labels (page_id, label, unit) VALUES (?, ?, ?)", (page_id, label, unit))
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def _fold_lead(
    db: sqlite3.Connection, page_id: int, seq: int, lead: Lead | None, previous: Lead | None, options: DiffOptions
) -> int | None:
    """Extend the last lead span or start one, as the timeline does; whether the lead was edited (None: no lead)."""
    if lead is None:
        return None
    last = db.execute(
        "SELECT lead_id, last_seq, edits FROM leads WHERE page_id = ? ORDER BY first_seq DESC LIMIT 1", (page_id,)
    ).fetchone()
    if previous is not None and last is not None and last[1] == seq - 1:
        same = key(previous.text) == key(lead.text)
        if same or similarity(key_words(previous.text), key_words(lead.text)) >= options.threshold:
            db.execute(
                "UPDATE leads SET title = ?, last_seq = ?, edits = ? WHERE lead_id = ?",
                (lead.title, seq, last[2] + (not same), last[0]),
            )
            return int(not same)
    db.execute(
        "INSERT INTO leads (page_id, first_seq, last_seq, title, edits) VALUES (?, ?, ?, ?, 0)",
        (page_id, seq, seq, lead.title),
    )
    return 0
