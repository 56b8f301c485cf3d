"""The history store: captures of pages in one SQLite file, their timeline kept up to date as they are added.

    >>> from diffcore import Store
    >>> with Store("history.db") as store:                       # doctest: +SKIP
    ...     added = store.add(["examples/archive"])
    ...     history = store.timeline()                           # what `diffcore.timeline` gives
    ...     report = store.diff("previous", "latest")            # a SnapshotDiff
    ...     events = store.events()                              # a DataFrame, one row per event

Modules: `schema` (the tables, opening a file safely), `codec` (a snapshot
as rows), `fold` (one capture folded in, its events), `writing` (adding in
time order, one transaction a capture), `reading` (pages, snapshots, the
timeline from the tables), `verify`, `feed` (Atom) and `export` (CSV,
Parquet).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from diffcore._gc import paused
from diffcore.diff import DiffOptions, diff, options_for
from diffcore.errors import StoreError
from diffcore.inputs.dates import page_key
from diffcore.match import Matching
from diffcore.model import Item, ReportFolder, Snapshot, SnapshotDiff, Timeline
from diffcore.normalise import source_text
from diffcore.profile import Profile, default_profile
from diffcore.store import reading, schema
from diffcore.store.writing import Added, Incoming, Writer, ensure_page, presence_test, transaction

if TYPE_CHECKING:
    import pandas as pd

    from diffcore.load import Entry, Inventory, Moment

__all__ = ["AddResult", "Added", "Page", "Store"]

Page = reading.Page
T = TypeVar("T")


@dataclass(frozen=True)
class AddResult:
    """What `Store.add` did: each capture found, added or already there, in the order they were taken."""

    captures: tuple[Added, ...]
    inventory: Inventory | None = None
    """What the inputs held (duplicates and skipped files too), when captures were read from paths."""

    @property
    def added(self) -> tuple[Added, ...]:
        return tuple(added for added in self.captures if added.status == "added")

    @property
    def latest(self) -> Added | None:
        """The capture added that was taken last."""
        added = self.added
        return max(added, key=lambda a: (a.capture.captured_at, a.seq)) if added else None

    @property
    def has_changes(self) -> bool:
        """Whether any capture added changed an item since the capture before it."""
        return any(added.has_changes for added in self.added)


class Store:
    """A history store file: `add` captures in any order; read the `timeline`, a `diff`, the `events`.

    Reading opens the file read-only (it must exist); the first `add` opens
    it for writing, creating it when missing. Every error is a
    `diffcore.errors.StoreError` (or the input errors of `add`).
    """

    def __init__(self, path: str | Path, *, read_only: bool = False, timeout: float = schema.BUSY_TIMEOUT) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self.timeout = timeout
        self._db: sqlite3.Connection | None = None
        self._writable = False
        self._writers: dict[int, Writer] = {}

    @classmethod
    def in_memory(cls) -> Store:
        """A store held in memory only (gone when closed): folds a page's captures into the store's tables."""
        store = cls(":memory:")
        store._db = schema.connect_memory()
        store._writable = True
        return store

    @property
    def name(self) -> str:
        return source_text(self.path)

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the file (a store in memory is gone once closed)."""
        if self._db is not None:
            self._db.close()
            self._db = None
            self._writers.clear()

    def _connection(self, write: bool = False) -> sqlite3.Connection:
        if write and self.read_only:
            raise StoreError(self.name, "opened read-only")
        if self._db is None or (write and not self._writable):
            self.close()
            self._db = schema.connect(self.path, write=write, timeout=self.timeout)
            self._writable = write
        return self._db

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """SQLite's errors as StoreErrors naming the store."""
        try:
            yield
        except sqlite3.Error as exc:
            raise schema.database_error(self.path, exc) from None

    def _read(self, read: Callable[[sqlite3.Connection], T]) -> T:
        """`read` the store in one read transaction: what it reads is one state of the store, whatever a
        writer commits meanwhile (WAL mode: the writer does not wait for it either)."""
        with self._errors(), self._snapshot() as db:
            return read(db)

    @contextmanager
    def _snapshot(self) -> Iterator[sqlite3.Connection]:
        db = self._connection()
        db.execute("BEGIN")
        try:
            yield db
        finally:
            if db.in_transaction:
                db.execute("ROLLBACK")  # nothing was written: ending it so is the same

    # Adding

    def add(
        self,
        paths: Iterable[str | Path] | str | Path,
        profile: Profile | None = None,
        encoding: str | None = None,
        options: DiffOptions | None = None,
        *,
        url: str | None = None,
        git: bool = False,
        captured: Moment | None = None,
        strict: bool = False,
    ) -> AddResult:
        """Read captures as `diffcore.load_many` does and add those the store lacks, each in one transaction.

        Captures already there (same page, time and payload or page text) are
        not parsed again. The page is read with `profile` and matched with
        `options` (the defaults); a page keeps those of its first add.
        """
        from diffcore.load import scan

        profile = profile or default_profile()
        inventory = scan(paths, profile, encoding, url=url, git=git, captured=captured, strict=strict)
        return self.add_inventory(inventory, profile, encoding, options, url=url)

    def add_inventory(
        self,
        inventory: Inventory,
        profile: Profile | None = None,
        encoding: str | None = None,
        options: DiffOptions | None = None,
        *,
        url: str | None = None,
        progress: Callable[[Iterator[Any]], Iterable[Any]] = lambda captures: captures,
        workers: int | None = None,
    ) -> AddResult:
        """`add` for captures already found (`diffcore.load.scan`): those the store lacks are parsed and added.

        When there are many (`workers`; 1 keeps to this process), worker
        processes read and parse runs of consecutive captures and match each
        against the one before, as the batch timeline's do, while this
        process folds them in and writes them. `progress` wraps what is
        folded, one capture at a time (a progress bar).
        """
        profile = profile or default_profile()
        urls = [entry.capture.url for entry in inventory.captures if entry.capture.url]
        # The snapshots coming in make no reference cycle, while each pass of the collector they set off reads
        # every capture record held: the collector waits until the run is over.
        with self._errors(), paused():
            db = self._connection(write=True)
            writer = self._writer(db, url or (urls[0] if urls else None), profile, options)
            fresh = []
            done: list[Added] = []
            present = presence_test(db, writer.page_id, len(inventory.captures))
            for entry in inventory.captures:
                if present(entry.capture, entry.text_digest):
                    done.append(Added(entry.where, entry.capture, "present", -1))
                else:
                    fresh.append(entry)
            parsed = progress(_parsed(fresh, profile, writer.options, encoding, workers))
            latest: int | None = None
            before: tuple[Item, ...] | None = None
            for entry, (snapshot, matching, same) in zip(fresh, parsed, strict=True):
                incoming = Incoming(
                    snapshot, entry.clock, entry.text_digest, matching, before if matching else None, same
                )
                latest = _keep_latest(done, latest, writer.add(incoming))
                before = snapshot.items
        return AddResult(tuple(done), inventory)

    def add_snapshots(
        self,
        snapshots: Iterable[Snapshot],
        profile: Profile | None = None,
        options: DiffOptions | None = None,
        *,
        url: str | None = None,
    ) -> AddResult:
        """Add parsed snapshots (each with its capture record), in the order they were taken."""
        profile = profile or default_profile()
        ordered = sorted(snapshots, key=_snapshot_order)
        for snapshot in ordered:
            if snapshot.capture is None:
                raise StoreError(
                    self.name, f"{snapshot.source}: a snapshot without its capture record cannot be stored"
                )
        urls = [snapshot.capture.url for snapshot in ordered if snapshot.capture and snapshot.capture.url]
        with self._errors():
            db = self._connection(write=True)
            writer = self._writer(db, url or (urls[0] if urls else None), profile, options)
            done: list[Added] = []
            latest: int | None = None
            for snapshot in ordered:
                latest = _keep_latest(done, latest, writer.add(Incoming(snapshot, snapshot.header.capture_time)))
        return AddResult(tuple(done))

    def upgrade(self) -> None:
        """Open the store for writing, which upgrades a store of an older schema (and creates a missing one)."""
        with self._errors():
            self._connection(write=True)

    def _writer(self, db: sqlite3.Connection, url: str | None, profile: Profile, options: DiffOptions | None) -> Writer:
        options = options_for(profile, options)
        key = page_key(url) if url else ""
        with transaction(db):
            page_id = ensure_page(db, self.name, key, url, profile.name, options)
        writer = self._writers.get(page_id)
        if writer is None or writer.options != options:
            writer = self._writers[page_id] = Writer(db, self.name, page_id, options)
        return writer

    # Reading

    def pages(self) -> list[Page]:
        """The pages of the store, with their number of captures and first and last capture times."""
        return self._read(reading.pages)

    def page(self, url: str | None = None) -> Page:
        """The page `url` names, or the store's only page."""
        return self._read(lambda db: reading.page(db, self.name, url))

    def timeline(self, url: str | None = None) -> Timeline:
        """The timeline of a page's captures: what `diffcore.timeline` gives over them, read from the tables."""
        return self._read(lambda db: reading.timeline(db, reading.page(db, self.name, url).page_id))

    def snapshots(self, url: str | None = None) -> Iterator[Snapshot]:
        """A page's snapshots, in the order they were taken, as they were parsed."""
        with self._errors(), self._snapshot() as db:
            page = reading.page(db, self.name, url)
            yield from reading.snapshots(db, page.page_id)

    def diff(self, old: str = "previous", new: str = "latest", url: str | None = None) -> SnapshotDiff:
        """The change report between two captures of a page, named by `latest`, `previous` or their capture time."""

        def read(db: sqlite3.Connection) -> SnapshotDiff:
            page = reading.page(db, self.name, url)
            after = reading.find_capture(db, self.name, page, new)
            before = reading.find_capture(db, self.name, page, old, relative_to=after["seq"])
            return diff(reading.folded(db, before).snapshot, reading.folded(db, after).snapshot, page.options)

        return self._read(read)

    def events(self, url: str | None = None) -> pd.DataFrame:
        """The item and counter events in long form (page, item, capture time, event, field, old, new, ...)."""
        from diffcore.store.export import events_frame

        return self._read(lambda db: events_frame(db, None if url is None else reading.page(db, self.name, url)))

    def table(self, name: str, url: str | None = None) -> pd.DataFrame:
        """One of the tables `export` writes (`diffcore.store.export.TABLES`), as a DataFrame: every page's rows,
        or the page's `url` names."""
        from diffcore.store.export import TABLES, frame

        if name not in TABLES:
            raise StoreError(self.name, f"no table {name!r}; the tables are {', '.join(TABLES)}")
        return self._read(lambda db: frame(db, name, None if url is None else reading.page(db, self.name, url)))

    def feed(self, url: str | None = None, limit: int = 100) -> str:
        """An Atom feed of the page's newest item events (`limit` of them; 0 for all), newest first."""
        from diffcore.store.feed import render_feed

        return self._read(lambda db: render_feed(db, self.name, reading.page(db, self.name, url), limit))

    def export(
        self,
        folder: str | Path,
        format: str = "csv",
        url: str | None = None,
        inputs: Sequence[str | Path] = (),
        force: bool = False,
    ) -> list[str]:
        """Write the events (long form) and the other tables into `folder`, as CSV or Parquet; the files written.

        Every page's rows unless `url` names one.
        """
        from diffcore.store.export import export

        def write(db: sqlite3.Connection) -> list[str]:
            page = None if url is None else reading.page(db, self.name, url)
            return export(db, folder, format, page, [*self.files(), *inputs], force)

        return self._read(write)

    def report(
        self,
        folder: str | Path,
        url: str | None = None,
        *,
        html: bool = False,
        force: bool = False,
        inputs: Sequence[str | Path] = (),
        progress: Callable[[Iterable[Snapshot]], Iterable[Snapshot]] = lambda snapshots: snapshots,
    ) -> ReportFolder:
        """Write the report folder of a page (`diffcore report`), its captures read from the store."""
        from diffcore.folder import write_report

        def write(db: sqlite3.Connection) -> ReportFolder:
            page = reading.page(db, self.name, url)
            return write_report(
                reading.inventory(db, page.page_id),
                folder,
                options=page.options,
                html=html,
                force=force,
                inputs=[*self.files(), *inputs],
                snapshots=progress(reading.snapshots(db, page.page_id)),
            )

        return self._read(write)

    def query(self, sql: str, parameters: Sequence[object] = ()) -> tuple[list[str], list[tuple[object, ...]]]:
        """Run one SQL query on a read-only connection (it can change nothing); its column names and rows."""
        with self._errors():
            db = schema.connect(self.path, write=False, timeout=self.timeout)
            try:
                cursor = db.execute(sql, tuple(parameters))
                columns = [column[0] for column in cursor.description or ()]
                return columns, cursor.fetchall()
            finally:
                db.close()

    def files(self) -> list[Path]:
        """The store's files (the database and its write-ahead log): no output may replace one."""
        return [self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm")]

    def verify(self) -> list[str]:
        """Every inconsistency found (empty when the store is sound); see `diffcore.store.verify`."""
        from diffcore.store.verify import verify

        return self._read(verify)


def _parsed(
    entries: Sequence[Entry], profile: Profile, options: DiffOptions, encoding: str | None, workers: int | None
) -> Iterator[tuple[Snapshot, Matching | None, tuple[tuple[int, int], ...]]]:
    """The captures parsed in order, each with its matching against the one before it (None for the first: a
    worker's run is matched from the capture before it, parsed again) and the items it shows as that capture
    did, when known (`Incoming.same`)."""
    from diffcore._pool import ordered_map, workers_for
    from diffcore.timeline import CHUNK, matched_captures, runs_of

    count = workers_for(len(entries), workers)
    if count <= 1:
        for snapshot, _, matching in matched_captures(None, entries, profile, options, encoding):
            yield snapshot, matching, ()
        return
    work = partial(_parsed_run, profile=profile, options=options, encoding=encoding)
    before: Sequence[Item] = ()
    for run in ordered_map(work, runs_of(entries, CHUNK), count, 1):
        for parsed in run:
            snapshot = parsed.snapshot(before)
            before = snapshot.items
            yield snapshot, parsed.matching, tuple((index, place) for index, place, _, _ in parsed.kept)


def _parsed_run(
    run: tuple[Entry | None, Sequence[Entry]], profile: Profile, options: DiffOptions, encoding: str | None
) -> list[Parsed]:
    """In a worker: a run of consecutive captures parsed, each matched against the one before it."""
    from diffcore.timeline import matched_captures

    return [
        Parsed.of(snapshot, before or (), matching)
        for snapshot, before, matching in matched_captures(*run, profile, options, encoding)
    ]


@dataclass(frozen=True)
class Parsed:
    """A capture as a worker sends it back: its snapshot without the items the capture before it showed alike,
    each of those given by its place there (and its own position and lines), and its matching.

    Most items of a page stay from one capture to the next: pickled whole,
    they were most of what a worker sent and this process read back (a
    third of a millisecond a capture of fifty items). `snapshot` makes the
    snapshot again from the items of the capture before, which this process
    read just before (none for the first capture of all).
    """

    rest: Snapshot
    """The snapshot with only the items the capture before did not show alike."""
    kept: tuple[tuple[int, int, int, tuple[int, ...]], ...]
    """Each other item: its index, its index on the capture before, its position and lines."""
    matching: Matching | None

    @classmethod
    def of(cls, snapshot: Snapshot, before: Sequence[Item], matching: Matching | None) -> Parsed:
        places = {item.id: index for index, item in enumerate(before)}
        kept, fresh = [], []
        for index, item in enumerate(snapshot.items):
            place = places.get(item.id)
            if place is not None and _same_reading(before[place], item):
                kept.append((index, place, item.position, item.lines))
            else:
                fresh.append(item)
        return cls(replace(snapshot, items=tuple(fresh)), tuple(kept), matching)

    def snapshot(self, before: Sequence[Item]) -> Snapshot:
        """The snapshot, its kept items taken from `before` (the items of the capture before it)."""
        if not self.kept:
            return self.rest
        items: list[Item | None] = [None] * (len(self.kept) + len(self.rest.items))
        for index, place, position, lines in self.kept:
            was = before[place]
            items[index] = Item(
                was.id, was.published, was.published_text, was.title, was.summary, position, lines, was.link
            )
        fresh = iter(self.rest.items)
        whole = tuple(item if item is not None else next(fresh) for item in items)
        return replace(self.rest, items=whole)


def _same_reading(before: Item, item: Item) -> bool:
    """Whether two items read alike, their position and lines aside."""
    return (before.published_text, before.title, before.summary, before.link, before.published) == (
        item.published_text,
        item.title,
        item.summary,
        item.link,
        item.published,
    )


def _keep_latest(done: list[Added], latest: int | None, added: Added) -> int | None:
    """Append `added` to `done`; keep the snapshots of the latest capture added only (the one taken last),
    whose place in `done` is `latest` and is returned."""
    if added.status != "added":
        done.append(added)
        return latest
    if latest is not None:
        kept = done[latest]
        if (added.capture.captured_at, added.seq) < (kept.capture.captured_at, kept.seq):
            done.append(added.light())
            return latest
        done[latest] = kept.light()
    done.append(added)
    return len(done) - 1


def _snapshot_order(snapshot: Snapshot) -> tuple[object, ...]:
    capture = snapshot.capture
    if capture is None:
        return ()
    source = capture.source
    return reading.order_key(
        capture.captured_at, snapshot.header.capture_time, source.path, source.offset, source.commit
    )
