"""The history store's tables, and opening a store file safely.

The schema is meant to be read by people, with the `sqlite3` shell or
Datasette, as much as by diffcore: one row per page, capture, item identity,
item version, item on a capture (`presence`), counter reading, lead article
span and item event, and views for the usual questions. `meta` names the
format and its schema version.

A store is opened for writing only once it is known to be a diffcore store
(or a new, empty file): a file that is anything else is refused before any
byte of it could change. Writers use WAL mode (readers never wait for a
writer, and a writer killed mid-way leaves the last committed state) and a
busy timeout, so two writers take turns rather than fail. Readers open the
file read-only.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from diffcore._version import __version__
from diffcore.errors import StoreError
from diffcore.normalise import source_text

FORMAT = "diffcore-store"
SCHEMA_VERSION = 1
"""Raised when a table or column is removed, renamed or changes meaning (a migration then upgrades older stores)."""

BUSY_TIMEOUT = 60.0
"""Seconds a writer waits for another one to finish its transaction before giving up."""

CHECKPOINT_PAGES = 10_000
"""WAL pages (4 KB each) after which a writer's commit copies them into the database file. Each capture's
commit writes about 30 pages, many of them the same few (index roots, the tables' last pages): checkpointing
every 10,000 copies each of those once where SQLite's default of 1,000 copied it ten times, and syncs the
files a tenth as often. The WAL file grows to about 40 MB during a long add; a writer closing the store removes
it (a reader cannot: one still open then leaves it to the next writer)."""

SQLITE_HEADER = b"SQLite format 3\x00"


def _field_text(version: str) -> str:
    """SQL: an edited field's text in a version (`e` is the event)."""
    return (
        f"CASE e.field WHEN 'published' THEN {version}.published_text WHEN 'title' THEN {version}.title "
        f"WHEN 'summary' THEN {version}.summary WHEN 'link' THEN {version}.link END"
    )


EDIT_OLD = f"CASE WHEN e.event = 'edited' THEN {_field_text('ov')} ELSE e.old END"
EDIT_NEW = f"CASE WHEN e.event = 'edited' THEN {_field_text('v')} ELSE e.new END"
"""SQL: an event's old and new text: an edited field's, from the versions before and after (`ov`, `v`)."""

EVENTS_LONG = (
    "SELECT p.url AS page, i.identity AS item, c.captured_at, c.captured, e.event, "
    f"coalesce(e.field, l.label) AS field, {EDIT_OLD} AS old, {EDIT_NEW} AS new, v.title, v.published, v.link "
    "FROM events e JOIN pages p ON p.page_id = e.page_id JOIN captures c ON c.capture_id = e.capture_id "
    "LEFT JOIN items i ON i.item_id = e.item_id LEFT JOIN versions v ON v.version_id = e.version_id "
    "LEFT JOIN versions ov ON ov.version_id = e.old_version_id "
    "LEFT JOIN counter_labels l ON l.label_id = e.label_id {where} ORDER BY e.page_id, c.seq, e.event_id"
)
"""The events in long form (page, item, capture time, event, field, old, new, and the item as it read then);
`{where}` may keep to one page (`e.page_id`)."""

TABLES = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
-- One row per page: captures are grouped by their page's URL (scheme, www. and a final slash aside).
CREATE TABLE pages (
    page_id INTEGER PRIMARY KEY,
    page_key TEXT NOT NULL UNIQUE,       -- '' for captures that do not say which page they are of
    url TEXT,                            -- the URL as first read
    profile TEXT,                        -- the profile the page is read with (NULL: the default)
    options TEXT NOT NULL,               -- JSON: the matching thresholds and comparison options, fixed at the first add
    generation INTEGER NOT NULL DEFAULT 0,   -- raised by every add to the page
    counter_state TEXT NOT NULL DEFAULT '{}' -- JSON: each counter's last reading, to continue the fold
);
-- One row per capture, in the order they were taken (seq), whatever order they were added in.
CREATE TABLE captures (
    capture_id INTEGER PRIMARY KEY,
    page_id INTEGER NOT NULL REFERENCES pages(page_id),
    seq INTEGER NOT NULL,                -- 0-based place among the page's captures, by capture time
    captured_at TEXT NOT NULL,           -- when it was taken, UTC, ISO 8601
    time_source TEXT NOT NULL,           -- warc-date, wayback, git-commit, file-name, page-date, user
    captured TEXT NOT NULL,              -- the page's own date (its date line), else the capture date
    capture_time TEXT,                   -- the page's clock, HH:MM
    clock TEXT,                          -- the page's reference clock, as read to order captures of one day
    source TEXT NOT NULL,                -- where it was read, as printed
    path TEXT NOT NULL,                  -- the file (a BLOB when its name is not UTF-8)
    record_offset INTEGER,               -- of its WARC record
    payload_offset INTEGER,              -- of the record a WARC revisit repeats
    payload_path TEXT,
    repository TEXT,                     -- the git work tree, for a git history
    git_commit TEXT,
    url TEXT,
    media_type TEXT NOT NULL,
    charset TEXT,
    digest TEXT NOT NULL,                -- sha256 of the payload as stored
    text_digest TEXT,                    -- of the page text: the same page in another encoding digests alike
    item_count INTEGER NOT NULL,
    lead_version_id INTEGER REFERENCES lead_versions(lead_version_id),   -- NULL: no lead article
    lead_edit INTEGER,                   -- 1 when the lead article was edited since the capture before
    warnings TEXT NOT NULL,              -- JSON list: what reading the capture warned of
    fold_warning TEXT,                   -- most items of the capture before vanishing at once
    page TEXT NOT NULL                   -- JSON: the rest of the snapshot (clocks, fields, footer, other lines)
);
CREATE UNIQUE INDEX captures_order ON captures(page_id, seq);
CREATE INDEX captures_time ON captures(page_id, captured_at);
-- Each distinct text of the lead article, shared by every capture that shows it.
CREATE TABLE lead_versions (
    lead_version_id INTEGER PRIMARY KEY,
    page_id INTEGER NOT NULL REFERENCES pages(page_id),
    title TEXT NOT NULL,
    paragraphs TEXT NOT NULL,            -- one a line
    digest BLOB NOT NULL
);
CREATE UNIQUE INDEX lead_versions_digest ON lead_versions(page_id, digest);
-- Each distinct reading of an item (date, title, summary, link), shared by every capture that shows it.
CREATE TABLE versions (
    version_id INTEGER PRIMARY KEY,
    page_id INTEGER NOT NULL REFERENCES pages(page_id),
    item_key TEXT NOT NULL,              -- the item's id on the page: its date and a digest of its title
    published TEXT,                      -- ISO date, NULL when the page's date does not exist or there is none
    published_text TEXT NOT NULL,        -- the date as printed
    title TEXT NOT NULL,
    summary TEXT NOT NULL,               -- its paragraphs, one a line
    link TEXT,
    digest INTEGER NOT NULL              -- of every field, to find a reading again (compared in full when found)
);
CREATE INDEX versions_digest ON versions(page_id, digest);
-- One row per item identity, as the timeline follows it through edits and gaps.
CREATE TABLE items (
    item_id INTEGER PRIMARY KEY,
    page_id INTEGER NOT NULL REFERENCES pages(page_id),
    identity TEXT NOT NULL,              -- the timeline's id: the item's first id, ~r2... when taken before
    published TEXT,                      -- as last seen
    published_text TEXT NOT NULL,
    title TEXT NOT NULL,
    titles TEXT,                         -- JSON list of the distinct titles it had, when more than one
    first_seq INTEGER NOT NULL,          -- the capture it was first seen on
    runs TEXT NOT NULL,                  -- JSON [[first seq, last seq], ...]: its stretches on the page that ended
    present_since INTEGER,               -- seq its stretch on the latest capture began on; NULL when not there
    edits INTEGER NOT NULL,
    last_version_id INTEGER NOT NULL REFERENCES versions(version_id),   -- how it read when last seen
    absent_since INTEGER,                -- seq of the capture it went missing on; NULL while on the latest one
    absent_position INTEGER              -- its position on the capture before that
);
CREATE UNIQUE INDEX items_identity ON items(page_id, identity);
CREATE INDEX items_absent ON items(page_id, published_text) WHERE absent_since IS NOT NULL;
-- Which item (identity and version) was on which capture, at which position.
CREATE TABLE presence (
    capture_id INTEGER NOT NULL REFERENCES captures(capture_id),
    position INTEGER NOT NULL,
    version_id INTEGER NOT NULL REFERENCES versions(version_id),
    item_id INTEGER REFERENCES items(item_id),
    PRIMARY KEY (capture_id, position)
) WITHOUT ROWID;
-- Each counter sentence of a page ("{n} days have passed since ..."), its number masked as {n}.
CREATE TABLE counter_labels (
    label_id INTEGER PRIMARY KEY,
    page_id INTEGER NOT NULL REFERENCES pages(page_id),
    label TEXT NOT NULL,
    unit TEXT NOT NULL                   -- day, week, month or year
);
CREATE UNIQUE INDEX counter_labels_text ON counter_labels(page_id, label, unit);
-- One row per counter reading.
CREATE TABLE counters (
    capture_id INTEGER NOT NULL REFERENCES captures(capture_id),
    position INTEGER NOT NULL,
    label_id INTEGER NOT NULL REFERENCES counter_labels(label_id),
    value INTEGER NOT NULL,
    text TEXT,                           -- the sentence as read, when it is not the label with the value in it
    line INTEGER NOT NULL,
    implied_start TEXT,                  -- the capture date minus the value
    consistent INTEGER,                  -- 1 moved with the calendar since its last reading, 0 not, NULL unknown
    PRIMARY KEY (capture_id, position)
) WITHOUT ROWID;
-- Stretches of captures with the same lead article (edits allowed).
CREATE TABLE leads (
    lead_id INTEGER PRIMARY KEY,
    page_id INTEGER NOT NULL REFERENCES pages(page_id),
    first_seq INTEGER NOT NULL,
    last_seq INTEGER NOT NULL,
    title TEXT NOT NULL,                 -- as last seen
    edits INTEGER NOT NULL
);
CREATE INDEX leads_order ON leads(page_id, first_seq);
-- One row per item event (an edit, one row per field that changed) and per counter that changed or stalled.
CREATE TABLE events (
    event_id INTEGER PRIMARY KEY,
    page_id INTEGER NOT NULL REFERENCES pages(page_id),
    capture_id INTEGER NOT NULL REFERENCES captures(capture_id),   -- the capture that shows it
    item_id INTEGER REFERENCES items(item_id),                     -- NULL for a counter
    event TEXT NOT NULL,   -- appeared, returned, dropped, edited, moved, counter_changed, counter_stalled
    field TEXT,            -- edited: published, title, summary or link; moved: position
    old TEXT,              -- moved: the old position; a counter: its last value (an edit's texts: events_long)
    new TEXT,
    version_id INTEGER REFERENCES versions(version_id),      -- the item as it read then (as last seen, when dropped)
    old_version_id INTEGER REFERENCES versions(version_id),  -- edited: the item as it read before
    label_id INTEGER REFERENCES counter_labels(label_id)     -- the counter
);
"""

VIEWS = """
-- Each stretch an item stayed on the page: from the first to the last capture showing it, and the days between.
CREATE VIEW item_stays AS
WITH stretch AS (
    SELECT i.item_id, json_extract(run.value, '$[0]') AS first_seq, json_extract(run.value, '$[1]') AS last_seq
    FROM items i, json_each(i.runs) run
    UNION ALL
    SELECT i.item_id, i.present_since, (SELECT max(c.seq) FROM captures c WHERE c.page_id = i.page_id)
    FROM items i WHERE i.present_since IS NOT NULL
)
SELECT i.page_id, i.item_id, i.identity, i.title,
       first.captured AS first_seen, last.captured AS last_seen,
       stretch.last_seq - stretch.first_seq + 1 AS captures,
       CAST(julianday(last.captured) - julianday(first.captured) AS INTEGER) AS days
FROM stretch
JOIN items i ON i.item_id = stretch.item_id
JOIN captures first ON first.page_id = i.page_id AND first.seq = stretch.first_seq
JOIN captures last ON last.page_id = i.page_id AND last.seq = stretch.last_seq;
-- One row per item: when first and last seen, how often, its gaps, and the days it stayed on the page.
CREATE VIEW item_lifetimes AS
SELECT page_id, item_id, identity, title, min(first_seen) AS first_seen, max(last_seen) AS last_seen,
       sum(captures) AS seen, count(*) - 1 AS gaps, sum(days) AS days_on_page
FROM item_stays GROUP BY item_id;
-- Each counter reading with its label.
CREATE VIEW counter_readings AS
SELECT c.page_id, c.captured_at, c.captured, l.label, l.unit, k.value, k.implied_start, k.consistent
FROM counters k
JOIN counter_labels l ON l.label_id = k.label_id
JOIN captures c ON c.capture_id = k.capture_id
ORDER BY c.page_id, c.seq, k.position;
-- The events in long form, an edit's field with its old and new text.
CREATE VIEW events_long AS
{events_long};
"""

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: dict[int, Migration] = {}
"""Upgrades by the version they start from: MIGRATIONS[n] turns a version-n store into version n + 1."""


def _name(path: str | Path) -> str:
    return source_text(path)


def _check_header(path: Path) -> bool:
    """Whether the file exists with content; refuses one that is not an SQLite database (read, never written)."""
    try:
        with open(path, "rb") as file:
            head = file.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return False
    except IsADirectoryError:
        raise StoreError(_name(path), "is a folder, not a store file") from None
    except OSError as exc:
        raise StoreError(_name(path), f"cannot read: {exc.strerror or exc}") from None
    if not head:
        return False
    if head != SQLITE_HEADER:
        raise StoreError(_name(path), "not a diffcore store (not an SQLite database)")
    return True


def database_error(path: str | Path, exc: sqlite3.Error) -> StoreError:
    """An SQLite error on a store, as one line: busy, damaged, or what SQLite says."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return StoreError(_name(path), f"busy: another process held the store for over {BUSY_TIMEOUT:.0f} s ({text})")
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return StoreError(_name(path), f"damaged store: {text}")
    return StoreError(_name(path), f"store error: {text}")


def connect(path: str | Path, *, write: bool, timeout: float = BUSY_TIMEOUT) -> sqlite3.Connection:
    """Open a store: read-only, or for writing (created when missing or empty).

    Raises StoreError, having changed nothing, for a file that is not a
    diffcore store, a damaged one, a store of a newer schema, or (read-only)
    a missing store. An older schema is upgraded when opened for writing;
    read-only, the error says how to upgrade it.
    """
    path = Path(path)
    exists = _check_header(path)
    if not exists and not write:
        raise StoreError(_name(path), "no such store (`diffcore store add` creates one)")
    try:
        if write:
            connection = sqlite3.connect(path, timeout=timeout, isolation_level=None)
        else:
            uri = f"file:{quote(os.fsencode(path.absolute()).decode('utf-8', 'surrogateescape'))}?mode=ro"
            connection = sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None)
    except sqlite3.Error as exc:
        raise database_error(path, exc) from None
    try:
        if exists:
            _check_store(connection, path, write)
        else:
            _create(connection)
        if write:
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute(f"PRAGMA wal_autocheckpoint = {CHECKPOINT_PAGES}")
    except sqlite3.Error as exc:
        connection.close()
        raise database_error(path, exc) from None
    except BaseException:
        connection.close()
        raise
    return connection


def connect_memory() -> sqlite3.Connection:
    """A new store held in memory, for one page's fold (`diffcore.collection.fold_page`): nothing is written to disk."""
    connection = sqlite3.connect(":memory:", isolation_level=None)
    _create(connection)
    return connection


def _meta(connection: sqlite3.Connection) -> dict[str, str]:
    return dict(connection.execute("SELECT key, value FROM meta").fetchall())


def _check_store(connection: sqlite3.Connection, path: Path, write: bool) -> None:
    """Refuse a database that is not a diffcore store or of a newer schema; upgrade an older one (when writing)."""
    tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables and write:
        _create(connection)  # an empty database: a new store
        return
    meta = _meta(connection) if "meta" in tables else {}
    if meta.get("format") != FORMAT:
        raise StoreError(_name(path), "an SQLite database, but not a diffcore store (no diffcore meta table)")
    try:
        version = int(meta.get("schema_version", ""))
    except ValueError:
        raise StoreError(_name(path), f"damaged store: schema version {meta.get('schema_version')!r}") from None
    if version > SCHEMA_VERSION:
        raise StoreError(
            _name(path),
            f"store of schema version {version}, written by {meta.get('written_by', 'a newer diffcore')}; "
            f"this diffcore {__version__} reads version {SCHEMA_VERSION}: upgrade diffcore",
        )
    if version < SCHEMA_VERSION:
        _upgrade(connection, path, version, write)


def _upgrade(connection: sqlite3.Connection, path: Path, version: int, write: bool) -> None:
    """Apply the migrations from `version` to the current one, in one transaction."""
    missing = [step for step in range(version, SCHEMA_VERSION) if step not in MIGRATIONS]
    if missing:
        raise StoreError(
            _name(path),
            f"store of schema version {version}, which this diffcore cannot upgrade to {SCHEMA_VERSION}: "
            "build a new store from the captures (`diffcore store add NEW.db CAPTURES...`)",
        )
    if not write:
        raise StoreError(
            _name(path),
            f"store of schema version {version}; this diffcore reads version {SCHEMA_VERSION}: "
            "`diffcore store add` upgrades it (it needs no new capture), then read it again",
        )
    connection.execute("BEGIN IMMEDIATE")
    try:
        for step in range(version, SCHEMA_VERSION):
            MIGRATIONS[step](connection)
        connection.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))
        connection.execute("UPDATE meta SET value = ? WHERE key = 'written_by'", (f"diffcore {__version__}",))
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise


def _create(connection: sqlite3.Connection) -> None:
    """Create the tables in a new, empty database, in WAL mode."""
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("BEGIN IMMEDIATE")
    try:
        # Another writer may have created the store while this one waited for the lock.
        if connection.execute("SELECT count(*) FROM sqlite_master WHERE name = 'meta'").fetchone()[0]:
            connection.execute("ROLLBACK")
            return
        views = VIEWS.replace("{events_long}", EVENTS_LONG.format(where=""))
        for statement in (TABLES + views).split(";\n"):
            if statement.strip():
                connection.execute(statement)
        connection.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?)",
            [("format", FORMAT), ("schema_version", str(SCHEMA_VERSION)), ("written_by", f"diffcore {__version__}")],
        )
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
