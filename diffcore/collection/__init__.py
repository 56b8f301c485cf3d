"""Collections: the history of every page in many captures at once, as one Parquet dataset.

    >>> from diffcore.collection import build_collection, fold_page, read_table
    >>> built = build_collection(["crawl/"], "dataset")           # doctest: +SKIP
    >>> read_table("dataset", "events")                           # doctest: +SKIP

Modules follow the data: `grouping` (one pass over the inputs, captures by
page), `fold` (`fold_page`, a page's captures into the store's tables, and
the task an engine runs per page), `engines` (a local process pool, Dask),
`dataset` (the folder written: a file per page and table, a manifest of the
inputs' digests so a rebuild folds only the pages whose inputs changed),
`ranking` (pages by how much they changed).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from diffcore._extras import require
from diffcore._version import __version__
from diffcore.collection.dataset import (
    ERRORS,
    MANIFEST,
    Manifest,
    PageEntry,
    errors_parquet,
    file_name,
    read_manifest,
    read_table,
)
from diffcore.collection.engines import DaskEngine, Engine, LocalEngine, engine_named
from diffcore.collection.fold import TABLES, PageResult, PageTables, Settings, build_page, fold_page
from diffcore.collection.grouping import PageInputs, group_pages
from diffcore.diff import DiffOptions
from diffcore.errors import CollectionError, InputError
from diffcore.load import Moment
from diffcore.output import report_folder
from diffcore.profile import Profile, default_profile

__all__ = [
    "TABLES",
    "Built",
    "DaskEngine",
    "Engine",
    "LocalEngine",
    "PageTables",
    "build_collection",
    "engine_named",
    "fold_page",
    "read_table",
]


@dataclass(frozen=True)
class Built:
    """What `build_collection` did: pages built, pages kept from the last build, pages that failed and why."""

    folder: Path
    built: tuple[str, ...]
    kept: tuple[str, ...]
    failed: tuple[tuple[str, str], ...]
    problems: int
    """Captures and records that could not be read (in the errors table)."""


def build_collection(
    paths: Sequence[str | Path],
    folder: str | Path,
    *,
    engine: Engine | None = None,
    profile: Profile | None = None,
    options: DiffOptions | None = None,
    encoding: str | None = None,
    git: bool = False,
    captured: Moment | None = None,
    force: bool = False,
    progress: Callable[[Iterable[PageResult], int], Iterable[PageResult]] = lambda results, total: results,
) -> Built:
    """Build the dataset of every page in the inputs into `folder`: group captures by page, fold each page on
    `engine` (a local process pool by default), write the tables.

    A folder holding an earlier build keeps the files of every page whose
    inputs and settings are unchanged and folds the others again. The
    folder is written as a report folder is: complete or not at all, never
    over an input or a file diffcore did not write (`force` writes beside
    foreign files). Raises InputError when the inputs hold no page.
    """
    require("pyarrow", "parquet", "collection build")
    profile = profile or default_profile()
    grouped = group_pages(paths, git)
    if not grouped.pages:
        first = grouped.problems[0] if grouped.problems else None
        reason = f"holds no capture ({first.source}: {first.reason})" if first else "holds no capture"
        raise InputError(_inputs_name(paths), reason)
    settings = Settings(profile, options, encoding, captured)
    fingerprint = _fingerprint(settings)
    earlier = read_manifest(folder) if Path(folder).is_dir() else None
    kept_entries = _reusable(earlier, fingerprint, grouped.pages, Path(folder))
    kept_errors = _earlier_errors(Path(folder), kept_entries)
    if kept_errors is None:  # the earlier build's errors table is unreadable: what its pages skipped is unknown
        kept_entries, kept_errors = {}, []
    to_build = [page for page in grouped.pages if page.name not in kept_entries]
    entries: list[PageEntry] = list(kept_entries.values())
    errors: list[tuple[str | None, str, str]] = [(p.page, p.source, p.reason) for p in grouped.problems]
    errors.extend(kept_errors)
    failed: list[tuple[str, str]] = []
    with report_folder(folder, grouped.files, force=force) as out:
        temp = out.files.temp
        for entry in kept_entries.values():
            for name in entry.names():
                _link(Path(folder) / name, temp / name)
            out.record(entry.names())
        task = partial(build_page, settings=settings)
        engine = engine or LocalEngine()
        for result in progress(engine.map(task, to_build), len(to_build)):
            entry = _write_page(result, temp)
            out.record(entry.names())
            entries.append(entry)
            errors.extend((result.page, source, reason) for source, reason in result.skipped)
            if result.error is not None:
                failed.append((result.page, result.error))
                errors.append((result.page, result.page, result.error))
        if len(failed) == len(entries):
            page, reason = failed[0]
            more = f" (and {len(failed) - 1} more pages)" if len(failed) > 1 else ""
            raise InputError(_inputs_name(paths), f"holds no usable page: {page}: {reason}{more}")
        (temp / ERRORS).write_bytes(errors_parquet(errors))
        (temp / MANIFEST).write_text(Manifest(fingerprint, tuple(entries)).text(), encoding="utf-8")
        out.record([ERRORS, MANIFEST])
    return Built(
        Path(folder),
        tuple(page.name for page in to_build),
        tuple(sorted(kept_entries)),
        tuple(failed),
        len(errors) - len(failed),
    )


def _inputs_name(paths: Sequence[str | Path]) -> str:
    from diffcore.normalise import source_text

    return source_text(paths[0]) if len(paths) == 1 else f"{source_text(paths[0])} (and {len(paths) - 1} more)"


def _fingerprint(settings: Settings) -> str:
    """A digest of how pages are read and matched, and of the diffcore that does it."""
    described = repr((__version__, settings.profile, settings.options, settings.encoding, str(settings.captured)))
    return hashlib.sha256(described.encode("utf-8", "surrogateescape")).hexdigest()


def _reusable(
    earlier: Manifest | None, fingerprint: str, pages: Sequence[PageInputs], folder: Path
) -> dict[str, PageEntry]:
    """The pages of the earlier build that need no new fold: same settings, same inputs, built without error,
    and every one of their files still there (a page missing a file is folded again)."""
    if earlier is None or earlier.settings != fingerprint:
        return {}
    before = earlier.by_page()
    kept = {}
    for page in pages:
        entry = before.get(page.name)
        if (
            entry is not None
            and entry.inputs == page.digest
            and entry.error is None
            and all((folder / name).is_file() for name in entry.names())
        ):
            kept[page.name] = entry
    return kept


def _earlier_errors(folder: Path, kept: Mapping[str, PageEntry]) -> list[tuple[str | None, str, str]] | None:
    """The rows of the earlier build's errors table about the pages kept (their captures that could not be
    read), as a fold of those pages would list them again; None when that table cannot be read."""
    if not kept:
        return []
    try:
        table = read_table(folder, "errors")
    except CollectionError:
        return None
    rows = table[table["page"].isin(list(kept))]
    return [(str(page), str(source), str(reason)) for page, source, reason in rows.itertuples(index=False)]


def _link(source: Path, target: Path) -> None:
    """Put an earlier build's file into the new one: a hard link, else a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _write_page(result: PageResult, temp: Path) -> PageEntry:
    file = file_name(result.page)
    for table, data in result.parquet.items():
        path = temp / table / f"{file}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    tables = tuple(table for table in TABLES if table in result.parquet)
    return PageEntry(result.page, result.url, file, result.digest, result.captures, tables, result.error)
