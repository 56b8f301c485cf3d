"""Checking a store against itself and against the timeline: what `diffcore store verify` reports.

Every check reads the store only. SQLite's own integrity check; each
page's captures in the order they were taken; every item on a capture tied
to an identity; each identity's stretches on the page as its presence rows
say; the whole history folded again from the stored captures by
`diffcore.timeline` (the batch fold, not the store's) and compared with the
timeline the tables give; and the events checked against presence and
against the change report of each consecutive pair.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterator
from itertools import pairwise

from diffcore.diff import diff_items
from diffcore.match import match_items
from diffcore.model import Timeline
from diffcore.store import reading
from diffcore.store.fold import APPEARED, DROPPED, EDITED, MOVED, RETURNED, Folded, stretches
from diffcore.timeline import timeline

MAX_SAID = 20
"""At most this many problems are listed for one check; the rest are counted."""


def _first(problems: list[str], what: str) -> list[str]:
    if len(problems) <= MAX_SAID:
        return problems
    return [*problems[:MAX_SAID], f"{what}: {len(problems) - MAX_SAID} more"]


def verify(db: sqlite3.Connection) -> list[str]:
    """Every inconsistency found, as lines; empty when the store is sound."""
    problems = [f"integrity: {row[0]}" for row in db.execute("PRAGMA integrity_check") if row[0] != "ok"]
    problems += [
        f"foreign key: {row[0]} row {row[1]} refers to a missing {row[2]}"
        for row in db.execute("PRAGMA foreign_key_check")
    ]
    if problems:
        return problems  # the tables cannot be trusted enough to check what they say
    for page in reading.pages(db):
        problems += [f"{page.name}: {problem}" for problem in _check_page(db, page)]
    return problems


def _check_page(db: sqlite3.Connection, page: reading.Page) -> Iterator[str]:
    rows = reading.capture_rows(db, page.page_id)
    if [row["seq"] for row in rows] != list(range(len(rows))):
        yield "captures are not numbered 0, 1, 2... in order"
    keys = [reading.row_order_key(row) for row in rows]
    if any(later < earlier for earlier, later in pairwise(keys)):
        yield "captures are not in the order they were taken"
    captures = [reading.folded(db, row) for row in rows]
    unassigned = sum(item_id is None for capture in captures for item_id in capture.item_ids)
    if unassigned:
        yield f"{unassigned} items on captures have no identity"
        return
    for row, capture in zip(rows, captures, strict=True):
        if row["item_count"] != len(capture.item_ids):
            yield f"capture {row['source']}: {row['item_count']} items listed, {len(capture.item_ids)} stored"
    yield from _first(list(_check_presence(db, page, captures)), "presence")
    stored = reading.timeline(db, page.page_id)
    try:
        expected = timeline(iter([capture.snapshot for capture in captures]), page.options)
    except ValueError as exc:
        yield f"the captures cannot be folded again: {exc}"
        return
    yield from _first(list(_compare(expected, stored)), "timeline")
    yield from _first(list(_check_events(db, page, captures)), "events")


def _check_presence(db: sqlite3.Connection, page: reading.Page, captures: list[Folded]) -> Iterator[str]:
    """Each identity's stretches and last version as its presence rows say."""
    runs: dict[int, list[list[int]]] = {}
    last_version: dict[int, int] = {}
    for capture in captures:
        for item_id, version_id in zip(capture.item_ids, capture.version_ids, strict=True):
            seen = runs.setdefault(item_id, [])
            if seen and seen[-1][1] == capture.seq - 1:
                seen[-1][1] = capture.seq
            else:
                seen.append([capture.seq, capture.seq])
            last_version[item_id] = version_id
    last_seq = len(captures) - 1
    stored = {
        item_id: (identity, [list(run) for run in stretches(text, since, last_seq)], first, version)
        for item_id, identity, text, since, first, version in db.execute(
            "SELECT item_id, identity, runs, present_since, first_seq, last_version_id FROM items WHERE page_id = ?",
            (page.page_id,),
        )
    }
    for item_id in sorted(set(stored) - set(runs)):
        yield f"item {stored[item_id][0]} is on no capture"
    for item_id in runs:
        if item_id not in stored:
            yield f"captures show item row {item_id}, which is not there"
            continue
        identity, kept, first, version = stored[item_id]
        if kept != runs[item_id] or first != runs[item_id][0][0]:
            yield f"item {identity}: stored stretches {kept}, presence says {runs[item_id]}"
        if version != last_version[item_id]:
            yield f"item {identity}: its last version is not the one its last capture shows"


def _compare(expected: Timeline, stored: Timeline) -> Iterator[str]:
    """Where the stored timeline differs from the one folded again."""
    if len(expected.captures) != len(stored.captures):
        yield f"{len(stored.captures)} captures stored, {len(expected.captures)} folded"
    for index, (a, b) in enumerate(zip(expected.captures, stored.captures, strict=False)):
        if a != b:
            yield f"capture {index} ({b.source}) differs from the one folded again"
    want = {history.identity: history for history in expected.histories}
    have = {history.identity: history for history in stored.histories}
    for identity in sorted(want.keys() - have.keys()):
        yield f"item {identity} is missing (the fold finds it)"
    for identity in sorted(have.keys() - want.keys()):
        yield f"item {identity} is stored, but the fold finds no such item"
    for identity in sorted(want.keys() & have.keys()):
        if want[identity] != have[identity]:
            yield f"item {identity}: stored {have[identity]}, folded {want[identity]}"
    if [h.identity for h in expected.histories] != [h.identity for h in stored.histories] and want == have:
        yield "items are listed in another order"
    if expected.leads != stored.leads:
        yield f"lead spans: stored {stored.leads}, folded {expected.leads}"
    if expected.counters != stored.counters:
        yield "counter readings differ from the fold's"


def _check_events(db: sqlite3.Connection, page: reading.Page, captures: list[Folded]) -> Iterator[str]:
    """Events against presence (appeared, returned, dropped), the pairwise change reports (moved, edited) and
    the identities' edit counts."""
    stored: Counter[tuple[int, int | None, str]] = Counter()
    edited_on: dict[int, set[int]] = {}
    for capture_id, item_id, event in db.execute(
        "SELECT capture_id, item_id, event FROM events WHERE page_id = ? AND item_id IS NOT NULL", (page.page_id,)
    ):
        if event == EDITED:
            edited_on.setdefault(item_id, set()).add(capture_id)
        else:
            stored[capture_id, item_id, event] += 1
    expected: Counter[tuple[int, int | None, str]] = Counter()
    seen: set[int] = set()
    previous: Folded | None = None
    for capture in captures:
        here = set(capture.item_ids)
        before = set(previous.item_ids) if previous else set()
        for item_id in capture.item_ids:
            if item_id not in seen:
                expected[capture.capture_id, item_id, APPEARED] += 1
            elif item_id not in before:
                expected[capture.capture_id, item_id, RETURNED] += 1
        for item_id in before - here:
            expected[capture.capture_id, item_id, DROPPED] += 1
        if previous is not None:
            old, new = previous.snapshot.items, capture.snapshot.items
            changes = diff_items(old, new, page.options, match_items(old, new, page.options))
            for move in changes[3]:
                expected[capture.capture_id, capture.item_ids[move.new_position], MOVED] += 1
            for edit in changes[2]:
                item_id = capture.item_ids[edit.new.position]
                if capture.capture_id not in edited_on.get(item_id, set()):
                    yield f"{capture.snapshot.source}: the edit of item {edit.new.id} has no event"
        seen |= here
        previous = capture
    identities = dict(db.execute("SELECT item_id, identity FROM items WHERE page_id = ?", (page.page_id,)).fetchall())
    sources = {capture.capture_id: capture.snapshot.source for capture in captures}

    def said(capture_id: int, item_id: int | None) -> str:
        return f"item {identities.get(item_id, item_id)} on {sources.get(capture_id, capture_id)}"

    if stored != expected:
        missing, extra = expected - stored, stored - expected
        for (capture_id, item_id, event), count in sorted(missing.items(), key=str)[:MAX_SAID]:
            yield f"missing {event} event of {said(capture_id, item_id)}" + (f" ({count})" if count > 1 else "")
        for (capture_id, item_id, event), count in sorted(extra.items(), key=str)[:MAX_SAID]:
            yield f"unexpected {event} event of {said(capture_id, item_id)}" + (f" ({count})" if count > 1 else "")
    for item_id, edits in db.execute("SELECT item_id, edits FROM items WHERE page_id = ?", (page.page_id,)):
        if len(edited_on.get(item_id, ())) != edits:
            yield (
                f"item {identities[item_id]}: {edits} edits, but edit events on "
                f"{len(edited_on.get(item_id, ()))} captures"
            )
