"""Bytes to text, and files and folders to snapshots ordered by capture date.

This is the I/O edge of the library: `decode` and `parse` are pure, the rest
reads files (never writes them).
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from diffcore.errors import InputError, SnapshotError
from diffcore.model import Snapshot
from diffcore.parse import parse, read_capture_date
from diffcore.pool import ordered_map, workers_for
from diffcore.profile import Profile, default_profile

# Legacy single-byte encodings tried, in this order of preference, when a file is not UTF-8.
LEGACY_ENCODINGS = ("cp1251", "cp1252")
SNAPSHOT_SUFFIXES = (".txt",)


def decode(data: bytes, source: str, encoding: str | None = None) -> str:
    """Decode a capture: UTF-8 (with or without BOM), else a legacy encoding.

    With `encoding` given, only that encoding is tried. Otherwise
    charset-normalizer picks the most plausible of `LEGACY_ENCODINGS`, which
    tells Cyrillic cp1251 from Western cp1252 far better than a byte count.
    """
    if not data.strip():
        raise SnapshotError(source, "empty file")
    if b"\x00" in data:
        raise SnapshotError(source, "binary file (contains NUL bytes)")
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise SnapshotError(source, f"unknown encoding {encoding!r}") from None
        try:
            return data.decode(encoding).removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            raise SnapshotError(source, f"cannot decode as {encoding}: byte {exc.start}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)).best()
    if best is None:
        raise SnapshotError(source, "undecodable: not UTF-8 nor " + " / ".join(LEGACY_ENCODINGS))
    return str(best)


def read_text(path: Path, encoding: str | None = None) -> str:
    """Read and decode one file, turning OS errors into SnapshotError."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SnapshotError(str(path), "no such file") from None
    except IsADirectoryError:
        raise SnapshotError(str(path), "is a directory") from None
    except OSError as exc:
        raise SnapshotError(str(path), f"cannot read: {exc.strerror}") from None
    return decode(data, str(path), encoding)


def load(path: str | Path, profile: Profile | None = None, encoding: str | None = None) -> Snapshot:
    """Read and parse one snapshot file."""
    path = Path(path)
    return parse(read_text(path, encoding), str(path), profile or default_profile())


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and the snapshot files (`*.txt`) directly inside each folder, sorted."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix in SNAPSHOT_SUFFIXES)
            if not found:
                raise InputError(str(path), "folder holds no snapshot files (*.txt)")
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            raise InputError(str(path), "no such file or folder")
    return files


@dataclass(frozen=True)
class Capture:
    """A snapshot file located and dated, before it is parsed in full."""

    path: Path
    captured: dt.date
    digest: str


@dataclass(frozen=True)
class Duplicate:
    """A file with the same capture date and content as one kept earlier."""

    path: Path
    same_as: Path


@dataclass(frozen=True)
class Inventory:
    """The captures to read, in capture-date order, and the duplicates left out."""

    captures: tuple[Capture, ...]
    duplicates: tuple[Duplicate, ...]


def _date_file(path: Path, profile: Profile, encoding: str | None) -> tuple[dt.date, str | None, str]:
    """Capture date, capture time and content digest of one file."""
    text = read_text(path, encoding)
    captured, capture_time = read_capture_date(text, str(path), profile)
    return captured, capture_time, hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def scan(paths: Iterable[str | Path], profile: Profile | None = None,
         encoding: str | None = None, workers: int | None = None) -> Inventory:
    """Date and hash every file, and drop exact duplicates.

    Ordering is by capture date, then capture time, then path, never by file name
    alone. Two files are duplicates when their capture date and bytes agree.
    Many files are dated on every core (`workers`; 1 keeps to this process).
    """
    profile = profile or default_profile()
    files = expand(paths)
    date = partial(_date_file, profile=profile, encoding=encoding)
    dated = [(captured, capture_time or "", str(path), path, digest)
             for path, (captured, capture_time, digest)
             in zip(files, ordered_map(date, files, workers_for(len(files), workers)), strict=True)]
    dated.sort(key=lambda entry: entry[:3])
    kept: dict[tuple[dt.date, str], Path] = {}
    captures: list[Capture] = []
    duplicates: list[Duplicate] = []
    for captured, _, _, path, digest in dated:
        first = kept.setdefault((captured, digest), path)
        if first is path:
            captures.append(Capture(path, captured, digest))
        else:
            duplicates.append(Duplicate(path, first))
    return Inventory(tuple(captures), tuple(duplicates))


def iter_snapshots(inventory: Inventory, profile: Profile | None = None,
                   encoding: str | None = None) -> Iterator[Snapshot]:
    """Parse the captures of an inventory one at a time, in order (memory stays flat).

    In this process: sending a parsed snapshot back from a worker process
    (pickling it there, unpickling it here) costs about as much as parsing it.
    """
    profile = profile or default_profile()
    for capture in inventory.captures:
        yield load(capture.path, profile, encoding)


@dataclass(frozen=True)
class Loaded:
    """Snapshots in capture-date order, with the duplicate files that were skipped."""

    snapshots: tuple[Snapshot, ...]
    duplicates: tuple[Duplicate, ...]


def load_many(paths: Iterable[str | Path], profile: Profile | None = None,
              encoding: str | None = None) -> Loaded:
    """Load files and folders into snapshots ordered by capture date, reporting duplicates."""
    inventory = scan(paths, profile, encoding)
    return Loaded(tuple(iter_snapshots(inventory, profile, encoding)), inventory.duplicates)
