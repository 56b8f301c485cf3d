"""Adding captures to a store: each in its own transaction, in time order whatever order they come in.

A capture already in the store (the same page, capture time and payload or
page text) is left out. A new capture taken after every stored one of its
page is folded in after the last (the usual case: it costs that capture
alone). One taken before some is put in its place: what the fold derived
from that place on is taken back to how it stood before it (identities,
absent items, lead span, counter readings), and the captures from there
are folded again, the new one first; so the history is the one adding them
in time order gives. Each capture's transaction holds the capture and all
it changes: a run killed at any point leaves the store as the last
committed capture left it.
"""

from __future__ import annotations

import bisect
import dataclasses
import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

from diffcore.diff import DiffOptions
from diffcore.errors import StoreError
from diffcore.match import Matching
from diffcore.model import Capture, Item, Lead, Snapshot
from diffcore.normalise import clean, key
from diffcore.store import reading
from diffcore.store.codec import (
    VersionRow,
    capture_columns,
    dumps,
    lead_digest,
    moment_text,
    page_json,
    row_digest,
    version_row,
)
from diffcore.store.fold import Folded, Step, fold_capture, next_row_id, titles_text

Status = Literal["added", "present"]


@dataclass(frozen=True)
class Incoming:
    """A capture to add: its snapshot (with its capture record), the page clock and text digest `scan` read.

    `matching` is its items' matching against the items `matched_to` (the
    capture before it, as the worker that made it parsed that capture), and
    `same` its items that read exactly as one of those, each as its index and
    that item's (their versions are that item's). The fold takes both when
    the capture before it in the store holds those very items, and matches
    the two itself else (another run may have stored that capture, read
    another way, or one between them).
    """

    snapshot: Snapshot
    clock: str | None = None
    text_digest: str | None = None
    matching: Matching | None = None
    matched_to: Sequence[Item] | None = None
    same: tuple[tuple[int, int], ...] = ()

    @property
    def capture(self) -> Capture:
        assert self.snapshot.capture is not None  # refused before it gets here
        return self.snapshot.capture


@dataclass(frozen=True)
class Added:
    """What adding one capture did: added it (at place `seq`), or found it there already.

    `previous` (the capture before it), `snapshot` and `matching` (of their
    items) are kept for the latest capture a run adds, to report what
    changed; the others are left out (`light`), so a run of ten thousand
    captures holds no snapshot but one.
    """

    source: str
    capture: Capture
    status: Status
    seq: int
    has_changes: bool = False
    """Whether an item was added, dropped, edited or moved since the capture before it."""
    previous: Snapshot | None = None
    snapshot: Snapshot | None = None
    matching: Matching | None = None

    def light(self) -> Added:
        """The record without the snapshots."""
        return dataclasses.replace(self, previous=None, snapshot=None, matching=None)


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[None]:
    """One write transaction, taken at once (BEGIN IMMEDIATE: a second writer waits for it, never half-way)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:  # SQLite may have rolled it back itself (a full disk, say)
            db.execute("ROLLBACK")
        raise


def options_text(options: DiffOptions) -> str:
    return dumps(dataclasses.asdict(options))


def ensure_page(
    db: sqlite3.Connection, name: str, key: str, url: str | None, profile: str | None, options: DiffOptions
) -> int:
    """The page's row id, the page made when new; refused when it was added with another profile or options."""
    row = db.execute("SELECT page_id, profile, options FROM pages WHERE page_key = ?", (key,)).fetchone()
    if row is None:
        cursor = db.execute(
            "INSERT INTO pages (page_key, url, profile, options) VALUES (?, ?, ?, ?)",
            (key, url, profile, options_text(options)),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid
    page_id, stored_profile, stored_options = row
    if stored_profile != profile:
        shown = url or reading.NO_URL
        raise StoreError(
            name,
            f"{shown} was added with profile {stored_profile or 'the default'}, not {profile or 'the default'}: "
            "give the same --profile (a store keeps one way of reading each page)",
        )
    if stored_options != options_text(options):
        differing = {
            name: value for name, value in json.loads(stored_options).items() if getattr(options, name, None) != value
        }
        said = ", ".join(f"{name} {value}" for name, value in sorted(differing.items()))
        raise StoreError(
            name,
            f"{url or reading.NO_URL} was added with {said}: give the same options "
            "(a store keeps one way of matching each page)",
        )
    return int(page_id)


def _version_ids(
    db: sqlite3.Connection,
    page_id: int,
    snapshot: Snapshot,
    recent: dict[VersionRow, int],
    known: dict[int, int],
) -> tuple[list[int], dict[VersionRow, int]]:
    """The `versions` row of each item of the snapshot, written when new; and the rows by version, to look up
    the next capture's items in first (`recent`: the capture before's).

    `known` gives the rows of items already known to read as an item of the
    capture before (by index). The others are looked up by a short digest,
    then compared field by field, so two readings that happen to share a
    digest still get a row each. The versions not in `recent` are looked up
    in one statement and the new ones written in one.
    """
    rows = {index: version_row(item) for index, item in enumerate(snapshot.items) if index not in known}
    cache = {row: recent[row] for row in rows.values() if row in recent}
    wanted = {row: row_digest(row) for row in rows.values() if row not in cache}
    digests = sorted(set(wanted.values()))
    for start in range(0, len(digests), 500):
        chunk = digests[start : start + 500]
        for candidate, *fields in db.execute(
            "SELECT version_id, item_key, published, published_text, title, summary, link FROM versions "
            f"WHERE page_id = ? AND digest IN ({','.join('?' * len(chunk))}) ORDER BY version_id",
            (page_id, *chunk),
        ):
            found = tuple(fields)
            if found in wanted and found not in cache:
                cache[found] = candidate
    new = [row for row in wanted if row not in cache]
    if new:
        first = next_row_id(db, "versions", "version_id")
        db.executemany(
            "INSERT INTO versions (version_id, page_id, item_key, published, published_text, title, summary, link, "
            "digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(first + index, page_id, *row, wanted[row]) for index, row in enumerate(new)],
        )
        cache.update((row, first + index) for index, row in enumerate(new))
    return [known[index] if index in known else cache[rows[index]] for index in range(len(snapshot.items))], cache


def is_present(db: sqlite3.Connection, page_id: int, capture: Capture, text_digest: str | None) -> bool:
    """Whether the page already holds this capture: taken at the same time, with the same payload or page text."""
    row = db.execute(
        "SELECT 1 FROM captures WHERE page_id = ? AND captured_at = ? "
        "AND (digest = ? OR (text_digest IS NOT NULL AND text_digest = ?))",
        (page_id, moment_text(capture.captured_at), capture.digest, text_digest),
    ).fetchone()
    return row is not None


def presence_test(db: sqlite3.Connection, page_id: int, coming: int) -> Callable[[Capture, str | None], bool]:
    """`is_present` for `coming` captures of the page: the page's captures read at once when it holds no more
    than that (a first add reads nothing), else looked up one by one."""
    (held,) = db.execute("SELECT count(*) FROM captures WHERE page_id = ?", (page_id,)).fetchone()
    if held > coming:
        return lambda capture, text_digest: is_present(db, page_id, capture, text_digest)
    payloads, texts = set(), set()
    for captured_at, digest, text_digest in db.execute(
        "SELECT captured_at, digest, text_digest FROM captures WHERE page_id = ?", (page_id,)
    ):
        payloads.add((captured_at, digest))
        if text_digest is not None:
            texts.add((captured_at, text_digest))

    def present(capture: Capture, text_digest: str | None) -> bool:
        moment = moment_text(capture.captured_at)
        return (moment, capture.digest) in payloads or (text_digest is not None and (moment, text_digest) in texts)

    return present


class Writer:
    """Adds captures of one page, each in its own transaction, keeping the last capture folded between them."""

    def __init__(self, db: sqlite3.Connection, name: str, page_id: int, options: DiffOptions) -> None:
        self.db, self.name, self.page_id, self.options = db, name, page_id, options
        self._versions: dict[VersionRow, int] = {}
        """The versions of the last capture added, by their columns."""
        self._lead: tuple[bytes, int] | None = None
        """The last lead article's text (its digest) and row: rows are never removed, so it stays right."""
        self.labels: dict[tuple[str, str], int] = {}
        """Counter sentences' rows by label and unit (never removed)."""
        self._last: tuple[int, Folded, tuple[Any, ...]] | None = None
        """The page generation it holds for, the page's last capture as folded and its order key."""

    def add(self, incoming: Incoming) -> Added:
        """Add one capture in one transaction (which failing, no row it wrote is remembered either)."""
        kept = self._versions, self._lead, dict(self.labels), self._last
        try:
            with transaction(self.db):
                return self._add(incoming)
        except BaseException:
            self._versions, self._lead, self.labels, self._last = kept
            raise

    def _add(self, incoming: Incoming) -> Added:
        snapshot, capture = incoming.snapshot, incoming.capture
        if is_present(self.db, self.page_id, capture, incoming.text_digest):
            return Added(snapshot.source, capture, "present", -1)
        generation, state = self.db.execute(
            "SELECT generation, counter_state FROM pages WHERE page_id = ?", (self.page_id,)
        ).fetchone()
        key = reading.order_key(
            capture.captured_at, incoming.clock, capture.source.path, capture.source.offset, capture.source.commit
        )
        cached = self._last if self._last and self._last[0] == generation else None  # else another run wrote since
        last_row = None
        if cached is not None:
            last: tuple[int, tuple[Any, ...]] | None = cached[1].seq, cached[2]
        else:
            found = reading.rows(
                self.db, "SELECT * FROM captures WHERE page_id = ? ORDER BY seq DESC LIMIT 1", (self.page_id,)
            )
            last_row = found[0] if found else None
            last = None if last_row is None else (last_row["seq"], reading.row_order_key(last_row))
        if last is None or last[1] <= key:
            seq = last[0] + 1 if last else 0
            previous = cached[1] if cached else None if last_row is None else reading.folded(self.db, last_row)
            readings = json.loads(state)
            step = self._fold_new(incoming, seq, previous, readings)
            final, final_key = step.folded, key
        else:
            ordered = reading.capture_rows(self.db, self.page_id)
            seq = bisect.bisect_right([reading.row_order_key(row) for row in ordered], key)
            previous = reading.folded(self.db, ordered[seq - 1]) if seq else None
            readings = truncate(self.db, self.page_id, seq)
            self.db.execute(
                "UPDATE captures SET seq = -seq - 2 WHERE page_id = ? AND seq >= ?", (self.page_id, seq)
            )  # -(seq + 1) - 1: negative while they move, so no two rows share a place
            self.db.execute("UPDATE captures SET seq = -seq - 1 WHERE page_id = ? AND seq < 0", (self.page_id,))
            step = self._fold_new(incoming, seq, previous, readings)
            final, final_key = step.folded, reading.row_order_key(ordered[-1])
            for row in ordered[seq:]:
                row = {**row, "seq": row["seq"] + 1}
                stored = reading.folded(self.db, row)
                final = fold_capture(
                    self.db,
                    self.page_id,
                    self.options,
                    stored.capture_id,
                    stored.seq,
                    stored.snapshot,
                    stored.version_ids,
                    final,
                    readings,
                    self.labels,
                ).folded
        self.db.execute(
            "UPDATE pages SET generation = ?, counter_state = ? WHERE page_id = ?",
            (generation + 1, dumps(readings), self.page_id),
        )
        self._last = (generation + 1, final, final_key)
        before = previous.snapshot if previous else None
        return Added(snapshot.source, capture, "added", seq, step.has_changes, before, snapshot, step.matching)

    def _lead_version_id(self, lead: Lead | None) -> int | None:
        """The `lead_versions` row of a lead article's text, written when new."""
        if lead is None:
            return None
        digest = lead_digest(lead)
        if self._lead is not None and self._lead[0] == digest:
            return self._lead[1]
        found = self._lead_row(lead, digest)
        self._lead = digest, found
        return found

    def _lead_row(self, lead: Lead, digest: bytes) -> int:
        row = self.db.execute(
            "SELECT lead_version_id FROM lead_versions WHERE page_id = ? AND digest = ?", (self.page_id, digest)
        ).fetchone()
        if row is not None:
            return int(row[0])
        cursor = self.db.execute(
            "INSERT INTO lead_versions (page_id, title, paragraphs, digest) VALUES (?, ?, ?, ?)",
            (self.page_id, lead.title, "\n".join(lead.paragraphs), digest),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def _fold_new(self, incoming: Incoming, seq: int, previous: Folded | None, readings: dict[str, list[Any]]) -> Step:
        snapshot = incoming.snapshot
        columns = capture_columns(incoming.capture)
        columns.update(
            page_id=self.page_id,
            seq=seq,
            captured=snapshot.captured.isoformat(),
            capture_time=snapshot.header.capture_time,
            clock=incoming.clock,
            source=snapshot.source,
            text_digest=incoming.text_digest,
            item_count=len(snapshot.items),
            lead_version_id=self._lead_version_id(snapshot.lead),
            warnings=dumps(list(snapshot.warnings)),
            page=page_json(snapshot),
        )
        matched = previous is not None and _same_items(previous.snapshot.items, incoming.matched_to)
        known = (
            {index: previous.version_ids[place] for index, place in incoming.same}
            if matched and previous is not None
            else {}
        )
        version_ids, self._versions = _version_ids(self.db, self.page_id, snapshot, self._versions, known)
        return fold_capture(
            self.db,
            self.page_id,
            self.options,
            columns,
            seq,
            snapshot,
            version_ids,
            previous,
            readings,
            self.labels,
            matching=incoming.matching if matched else None,
        )


def _same_items(stored: Sequence[Item], matched_to: Sequence[Item] | None) -> bool:
    """Whether the items a worker matched a capture against are those of the capture before it in the store
    (the same objects when this run stored it just before: then they are not compared)."""
    return matched_to is not None and (stored is matched_to or tuple(stored) == tuple(matched_to))


def truncate(db: sqlite3.Connection, page_id: int, seq: int) -> dict[str, list[Any]]:
    """Take what the fold derived back to how it stood after capture `seq - 1`: the captures from `seq` on
    lose their events, identities first seen there go, and every other identity and lead span is as that
    capture left it; the counters' last readings then are returned (for the page's `counter_state`)."""
    tail = "SELECT capture_id FROM captures WHERE page_id = ? AND seq >= ?"
    db.execute(f"DELETE FROM events WHERE capture_id IN ({tail})", (page_id, seq))
    db.execute(f"UPDATE presence SET item_id = NULL WHERE capture_id IN ({tail})", (page_id, seq))
    db.execute("DELETE FROM items WHERE page_id = ? AND first_seq >= ?", (page_id, seq))
    _rewind_items(db, page_id, seq)
    db.execute("DELETE FROM leads WHERE page_id = ? AND first_seq >= ?", (page_id, seq))
    span = db.execute(
        "SELECT lead_id, first_seq FROM leads WHERE page_id = ? AND last_seq >= ?", (page_id, seq)
    ).fetchone()
    if span is not None:
        lead_id, first = span
        (edits,) = db.execute(
            "SELECT coalesce(sum(lead_edit), 0) FROM captures WHERE page_id = ? AND seq > ? AND seq < ?",
            (page_id, first, seq),
        ).fetchone()
        (title,) = db.execute(
            "SELECT l.title FROM captures c JOIN lead_versions l ON l.lead_version_id = c.lead_version_id "
            "WHERE c.page_id = ? AND c.seq = ?",
            (page_id, seq - 1),
        ).fetchone()
        db.execute(
            "UPDATE leads SET last_seq = ?, edits = ?, title = ? WHERE lead_id = ?", (seq - 1, edits, title, lead_id)
        )
    state: dict[str, list[Any]] = {}
    for label, value, captured, at in db.execute(
        "SELECT l.label, k.value, c.captured, c.seq FROM counters k JOIN captures c ON c.capture_id = k.capture_id "
        "JOIN counter_labels l ON l.label_id = k.label_id "
        "WHERE c.page_id = ? AND c.seq < ? ORDER BY c.seq, k.position",
        (page_id, seq),
    ):
        state[key(label)] = [at, value, captured]
    return state


def _rewind_items(db: sqlite3.Connection, page_id: int, seq: int) -> None:
    """Each identity seen on capture `seq - 1` or later, as it stood after capture `seq - 1`."""
    touched = [
        item_id
        for (item_id,) in db.execute(
            "SELECT item_id FROM items WHERE page_id = ? AND (present_since IS NOT NULL OR absent_since >= ?)",
            (page_id, seq),
        )
    ]
    updates = []
    for start in range(0, len(touched), 500):
        chunk = touched[start : start + 500]
        sightings: dict[int, list[tuple[int, int, int, Sequence[Any]]]] = {item_id: [] for item_id in chunk}
        for item_id, at, position, version_id, *version in db.execute(
            "SELECT p.item_id, c.seq, p.position, p.version_id, v.published, v.published_text, v.title "
            "FROM presence p JOIN captures c ON c.capture_id = p.capture_id "
            "JOIN versions v ON v.version_id = p.version_id "
            f"WHERE p.item_id IN ({','.join('?' * len(chunk))}) AND c.seq < ? ORDER BY p.item_id, c.seq",
            (*chunk, seq),
        ):
            sightings[item_id].append((at, position, version_id, version))
        edited = dict(
            db.execute(
                "SELECT item_id, count(DISTINCT capture_id) FROM events WHERE page_id = ? AND event = 'edited' "
                f"AND item_id IN ({','.join('?' * len(chunk))}) GROUP BY item_id",
                (page_id, *chunk),
            ).fetchall()
        )
        for item_id, seen in sightings.items():
            runs: list[list[int]] = []
            titles: list[str] = []
            for at, _, _, (_, _, title) in seen:
                if runs and runs[-1][1] == at - 1:
                    runs[-1][1] = at
                else:
                    runs.append([at, at])
                if clean(title) not in titles:
                    titles.append(clean(title))
            last_at, last_position, last_version, (published, published_text, title) = seen[-1]
            absent = last_at < seq - 1
            present_since = None if absent else runs.pop()[0]
            updates.append(
                (
                    published,
                    published_text,
                    title,
                    titles_text(titles),
                    dumps(runs),
                    present_since,
                    edited.get(item_id, 0),
                    last_version,
                    last_at + 1 if absent else None,
                    last_position if absent else None,
                    item_id,
                )
            )
    db.executemany(
        "UPDATE items SET published = ?, published_text = ?, title = ?, titles = ?, runs = ?, present_since = ?, "
        "edits = ?, last_version_id = ?, absent_since = ?, absent_position = ? WHERE item_id = ?",
        updates,
    )
