"""One page's history as the store's tables: `fold_page`, the pure function every engine calls once per page.

A page's captures are folded into a history store held in memory (the same
fold `diffcore store add` does, so the tables have the store's columns and
the timeline's answers), then its tables are read out. `build_page` is the
task an engine runs: it reads the page's captures from where they were
located, folds them, and returns each table as Parquet bytes, or why the
page could not be built.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from diffcore.collection.grouping import PageInputs
from diffcore.diff import DiffOptions
from diffcore.errors import DiffcoreError
from diffcore.load import Inventory, Moment, inventory_of
from diffcore.model import Snapshot
from diffcore.normalise import source_text
from diffcore.profile import Profile
from diffcore.store import Store

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

TABLES: dict[str, dict[str, str]] = {
    "pages": {"page": "string", "page_key": "string", "profile": "string", "options": "string", "captures": "int64"},
    "captures": {
        "page": "string", "seq": "int64", "captured_at": "string", "time_source": "string", "captured": "string",
        "capture_time": "string", "source": "string", "url": "string", "media_type": "string",
        "charset": "string", "digest": "string", "item_count": "int64", "lead_title": "string",
        "warnings": "string", "fold_warning": "string",
    },
    "items": {
        "page": "string", "item": "string", "published": "string", "published_text": "string", "title": "string",
        "titles": "int64", "first_seen": "string", "last_seen": "string", "seen": "int64", "gaps": "int64",
        "days_on_page": "int64", "edits": "int64",
    },
    "presence": {
        "page": "string", "captured_at": "string", "captured": "string", "position": "int64", "item": "string",
        "title": "string",
    },
    "counters": {
        "page": "string", "captured_at": "string", "captured": "string", "label": "string", "unit": "string",
        "value": "int64", "implied_start": "string", "consistent": "bool",
    },
    "events": {
        "page": "string", "item": "string", "captured_at": "string", "captured": "string", "event": "string",
        "field": "string", "old": "string", "new": "string", "title": "string", "published": "string",
        "link": "string",
    },
    "leads": {
        "page": "string", "first_seen": "string", "last_seen": "string", "captures": "int64", "edits": "int64",
        "title": "string",
    },
}  # fmt: skip
"""The dataset's tables (those `diffcore store export` writes), each column with its Arrow type: every page's
file has the same schema, so the folder reads as one table."""


@dataclass(frozen=True)
class Settings:
    """How every page of a collection is read and matched (the same for all, so they compare)."""

    profile: Profile
    options: DiffOptions | None = None
    encoding: str | None = None
    captured: Moment | None = None


@dataclass(frozen=True)
class PageTables:
    """A page's history as tables (DataFrames by table name, `TABLES`), and the captures left out reading it."""

    page: str
    tables: Mapping[str, pd.DataFrame]
    skipped: tuple[tuple[str, str], ...] = ()
    """(source, reason) of each capture of the page that could not be read."""


def fold_page(
    captures: Inventory | Iterable[Snapshot],
    profile: Profile | None = None,
    options: DiffOptions | None = None,
    *,
    page: str | None = None,
    encoding: str | None = None,
) -> PageTables:
    """Fold one page's captures (found by `diffcore.scan`, or parsed snapshots) into the store's tables.

    No engine and no file: any engine (a process pool, Dask, Spark) can call
    it once per page. It starts no process of its own, however many
    captures or `DIFFCORE_WORKERS` (the engine runs pages side by side, and
    a Dask worker's process may have no children). `page` fills the tables'
    `page` column (the page's URL when omitted).
    """
    with Store.in_memory() as store:
        if isinstance(captures, Inventory):
            store.add_inventory(captures, profile, encoding, options, workers=1)
            skipped = tuple((source_text(skip.where), skip.reason) for skip in captures.skipped)
        else:
            store.add_snapshots(captures, profile, options)
            skipped = ()
        tables = {name: store.table(name) for name in TABLES}
    name = page if page is not None else str(tables["pages"]["page"].iloc[0] or "")
    for table in tables.values():
        table["page"] = name
    return PageTables(name, tables, skipped)


@dataclass(frozen=True)
class PageResult:
    """What building one page gave: its tables as Parquet bytes (the empty ones left out), or why it failed."""

    page: str
    url: str | None
    digest: str
    captures: int
    parquet: Mapping[str, bytes]
    skipped: tuple[tuple[str, str], ...]
    error: str | None = None


def build_page(page: PageInputs, settings: Settings) -> PageResult:
    """An engine's task: read a page's captures, fold them, and give its tables as Parquet bytes.

    Any failure of diffcore's (no usable capture, a damaged file) is the
    page's error, never the run's.
    """
    try:
        # The page's captures are read once: their texts, kept from dating them, are parsed as they are.
        inventory = inventory_of(
            page.found,
            page.name,
            settings.profile,
            settings.encoding,
            workers=1,
            captured=settings.captured,
            keep_text=True,
        )
        folded = fold_page(inventory, settings.profile, settings.options, page=page.name, encoding=settings.encoding)
    except DiffcoreError as exc:
        said = getattr(exc, "reason", None) if getattr(exc, "source", None) == page.name else None
        return PageResult(page.name, page.url, page.digest, 0, {}, (), said or str(exc))
    parquet = {name: to_parquet(table, name) for name, table in folded.tables.items() if len(table)}
    return PageResult(page.name, page.url, page.digest, len(inventory.captures), parquet, folded.skipped)


def arrow_schema(name: str) -> pa.Schema:
    import pyarrow as pa

    return pa.schema([(column, pa.type_for_alias(kind)) for column, kind in TABLES[name].items()])


def to_parquet(table: pd.DataFrame, name: str) -> bytes:
    """A table as Parquet bytes, with the dataset's schema for it."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow = pa.Table.from_pandas(table[list(TABLES[name])], schema=arrow_schema(name), preserve_index=False)
    buffer = io.BytesIO()
    pq.write_table(arrow, buffer)
    return buffer.getvalue()
