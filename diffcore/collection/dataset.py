"""A collection's Parquet dataset: one folder per table, one file per page in each, and a manifest.

    DIR/collection.json              the pages, each with the digest of its inputs and its file name
    DIR/errors.parquet               pages that failed, captures and records that could not be read
    DIR/<table>/<page file>.parquet  pages, captures, items, presence, counters, events, leads

A page's rows sit together in one file per table, so a page rebuilt replaces
its own files only; every file of a table has the same schema, so
`pandas.read_parquet("DIR/items")` or `pyarrow.dataset` reads the folder
as one table. File names are made from page names with everything but
letters, digits, `.`, `_` and `-` replaced, and a digest of the whole name.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from diffcore._extras import require
from diffcore.collection.fold import TABLES, arrow_schema
from diffcore.errors import CollectionError
from diffcore.normalise import source_text

if TYPE_CHECKING:
    import pandas as pd

FORMAT = "diffcore-collection"
VERSION = 1
MANIFEST = "collection.json"
ERRORS = "errors.parquet"
ERROR_COLUMNS = {"page": "string", "source": "string", "reason": "string"}


@dataclass(frozen=True)
class PageEntry:
    """A page as the manifest lists it."""

    page: str
    url: str | None
    file: str
    """The name of its files, `<table>/<file>.parquet`."""
    inputs: str
    """The digest of its inputs when it was built."""
    captures: int
    tables: tuple[str, ...]
    """The tables it has rows in (a file each)."""
    error: str | None = None

    def names(self) -> list[str]:
        return [f"{table}/{self.file}.parquet" for table in self.tables]


@dataclass(frozen=True)
class Manifest:
    settings: str
    """A digest of how pages were read (profile, options, diffcore's version): pages of other settings are rebuilt."""
    pages: tuple[PageEntry, ...]

    def by_page(self) -> dict[str, PageEntry]:
        return {entry.page: entry for entry in self.pages}

    def text(self) -> str:
        """The manifest as JSON, pages in name order, no dates (a rebuild of the same inputs is byte-identical)."""
        document = {
            "format": FORMAT,
            "version": VERSION,
            "settings": self.settings,
            "pages": [
                {
                    "page": entry.page,
                    "url": entry.url,
                    "file": entry.file,
                    "inputs": entry.inputs,
                    "captures": entry.captures,
                    "tables": list(entry.tables),
                    "error": entry.error,
                }
                for entry in sorted(self.pages, key=lambda entry: entry.page)
            ],
        }
        return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def file_name(page: str) -> str:
    """A page's file name: a readable, safe part of its name and a digest of all of it (names never collide)."""
    readable = re.sub(r"[^A-Za-z0-9._-]+", "-", page)[:48].strip("-._") or "page"
    return f"{readable}-{hashlib.sha256(page.encode('utf-8', 'surrogateescape')).hexdigest()[:12]}"


def read_manifest(folder: str | Path) -> Manifest | None:
    """The manifest of a dataset folder; None when there is none (a new folder). A damaged one is an error."""
    path = Path(folder) / MANIFEST
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise CollectionError(source_text(path), f"cannot read the collection manifest: {exc}") from None
    try:
        if document["format"] != FORMAT:
            raise ValueError(document["format"])
        if document["version"] > VERSION:
            raise CollectionError(
                source_text(path), f"a dataset of version {document['version']}, newer than this diffcore reads"
            )
        pages = tuple(_entry(entry) for entry in document["pages"])
        return Manifest(str(document["settings"]), pages)
    except (KeyError, TypeError, ValueError, AttributeError):
        raise CollectionError(source_text(path), "not a diffcore collection manifest") from None


def _entry(entry: Mapping[str, Any]) -> PageEntry:
    tables = tuple(entry["tables"])
    file = entry["file"]
    if not isinstance(file, str) or file != file_name(entry["page"]) or not set(tables) <= set(TABLES):
        raise ValueError(file)  # names are never taken from a manifest unchecked
    return PageEntry(
        str(entry["page"]),
        entry["url"],
        file,
        str(entry["inputs"]),
        int(entry["captures"]),
        tables,
        entry.get("error"),
    )


def errors_parquet(rows: Sequence[tuple[str | None, str, str]]) -> bytes:
    """The errors table (page, source, reason) as Parquet bytes, sorted."""
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    ordered = sorted(rows, key=lambda row: (row[0] or "", row[1], row[2]))
    schema = pa.schema([(column, pa.type_for_alias(kind)) for column, kind in ERROR_COLUMNS.items()])
    table = pa.Table.from_pylist([dict(zip(ERROR_COLUMNS, row, strict=True)) for row in ordered], schema=schema)
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def dataset_files(folder: str | Path) -> list[Path]:
    """Every file of a dataset (its manifest, errors table and page files): no output may replace one."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    names = [name for entry in manifest.pages for name in entry.names()] if manifest else []
    return [folder / MANIFEST, folder / ERRORS, *(folder / name for name in names)]


def read_table(folder: str | Path, name: str) -> pd.DataFrame:
    """One table of a dataset, every page's rows, as a DataFrame (empty, with its columns, when no page has rows)."""
    require("pyarrow", "parquet", "reading a collection")
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = Path(folder)
    if name == "errors":
        try:
            errors: pd.DataFrame = pq.read_table(folder / ERRORS).to_pandas()
        except (OSError, pa.ArrowException) as exc:
            raise CollectionError(source_text(folder / ERRORS), f"damaged dataset: {exc}") from None
        return errors
    if name not in TABLES:
        raise CollectionError(source_text(folder), f"no table {name!r}; the tables are {', '.join(TABLES)}, errors")
    manifest = read_manifest(folder)
    if manifest is None:
        raise CollectionError(
            source_text(folder), "not a collection dataset (no collection.json): see collection build"
        )
    pages = sorted(manifest.pages, key=lambda entry: entry.page)
    paths = [folder / name / f"{entry.file}.parquet" for entry in pages if name in entry.tables]
    try:
        tables = [pq.read_table(path, schema=arrow_schema(name)) for path in paths]
    except FileNotFoundError as exc:
        raise CollectionError(source_text(folder), f"damaged dataset: missing {exc.filename or exc}") from None
    except (OSError, pa.ArrowException) as exc:
        raise CollectionError(source_text(folder), f"damaged dataset: {exc}") from None
    table = pa.concat_tables(tables) if tables else arrow_schema(name).empty_table()
    frame: pd.DataFrame = table.to_pandas()
    return frame
