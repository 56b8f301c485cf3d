"""Bytes to text, and files and folders to snapshots ordered by capture date.

This is the I/O edge of the library: `decode` and `parse` are pure, the rest
reads files (never writes them).
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import io
import stat
from collections.abc import Generator, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import BinaryIO

from diffcore._files import opened, read_bytes
from diffcore._pool import ordered_map, workers_for
from diffcore.errors import InputError, SnapshotError
from diffcore.model import Snapshot
from diffcore.normalise import source_text
from diffcore.parse import parse, parse_lines, read_capture_date
from diffcore.profile import Profile, default_profile

# Legacy single-byte encodings tried, in this order of preference, when a file is not UTF-8.
LEGACY_ENCODINGS = ("cp1251", "cp1252")
SNAPSHOT_SUFFIXES = (".txt",)


# Byte order marks, UTF-32 first: its little-endian mark begins with UTF-16's.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes, source: str, encoding: str | None = None) -> str:
    """Decode a capture: UTF-16/32 by their BOM, UTF-8 (with or without BOM), else a legacy encoding.

    With `encoding` given, only that encoding is tried; it must be a text
    encoding (not rot13, base64, zlib...). Otherwise charset-normalizer picks
    the most plausible of `LEGACY_ENCODINGS`, which tells Cyrillic cp1251
    from Western cp1252 far better than a byte count. The text never holds a
    NUL (that is a binary file) nor a lone surrogate (which some codecs, such
    as utf-7 or unicode_escape, produce and no later step could write out).
    """
    bom = next((name for mark, name in BOMS if data.startswith(mark)), None)
    if encoding is not None:
        text = _decode_as(data, source, encoding)
    elif bom is not None:
        text = _decode_as(data, source, bom)
    elif b"\x00" in data:
        raise SnapshotError(source, "binary file (contains NUL bytes)")
    else:
        text = _decode_guessed(data, source)
    if not text or text.isspace():  # not text.strip(): a huge text is not copied
        raise SnapshotError(source, "empty file")
    if "\x00" in text:
        raise SnapshotError(source, "binary file (contains NUL characters)")
    return text


def _decode_as(data: bytes, source: str, encoding: str) -> str:
    """Decode with one named text encoding, without its BOM."""
    try:
        info = codecs.lookup(encoding)
    except (LookupError, UnicodeError):  # a name holding a byte that is not UTF-8 cannot even be looked up
        # Quoted, not repr(): such a byte arrives as a lone surrogate, which the CLI shows as the byte (\xNN).
        raise SnapshotError(source, f"unknown encoding '{encoding}'") from None
    if not getattr(info, "_is_text_encoding", True):
        raise SnapshotError(source, f"{encoding!r} is not a text encoding")
    try:
        text = data.decode(encoding).removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise SnapshotError(source, f"cannot decode as {encoding}: byte {exc.start}") from None
    except UnicodeError as exc:
        raise SnapshotError(source, f"cannot decode as {encoding}: {exc}") from None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise SnapshotError(source, f"decoding as {encoding} gives lone surrogates; choose another encoding") from None
    return text


def _decode_guessed(data: bytes, source: str) -> str:
    """UTF-8 (with or without BOM), else the likelier legacy encoding."""
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
    """Read and decode one regular file."""
    return decode(read_bytes(path), str(path), encoding)


class _NotUTF8(Exception):
    """The file is not plain UTF-8: it is decoded whole instead."""


def _utf8_lines(file: BinaryIO, source: str) -> Generator[str, None, None]:
    """The lines of a UTF-8 file (split as `split_lines` does, without line ends), read a block at a time.

    Raises _NotUTF8 at a byte that is not UTF-8, or at a UTF-16/32 byte order mark.
    """
    if any(file.peek(4)[:4].startswith(mark) for mark, _ in BOMS):  # type: ignore[attr-defined]
        raise _NotUTF8
    # newline="": lines end at LF, CRLF or CR, and keep their end, which is cut here.
    stream = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
    try:
        for line in stream:
            if "\x00" in line:
                raise SnapshotError(source, "binary file (contains NUL bytes)")
            yield line.rstrip("\r\n")
    except UnicodeDecodeError:
        raise _NotUTF8 from None
    finally:
        stream.detach()


def _load_streamed(path: Path, source: str, profile: Profile) -> Snapshot | None:
    """Parse a UTF-8 file as it is read, never holding its bytes or its whole text; None when not UTF-8.

    The file is read to its end even when the parser gives up early, so any
    trouble is the one decoding the whole file would report first.
    """
    with opened(path) as file, closing(_utf8_lines(file, str(path))) as lines:  # closed before the file
        try:
            return parse_lines(lines, source, profile)
        except _NotUTF8:
            return None
        except SnapshotError:
            try:
                for _ in lines:
                    pass
            except _NotUTF8:
                return None
            raise


def load(path: str | Path, profile: Profile | None = None, encoding: str | None = None) -> Snapshot:
    """Read and parse one snapshot file.

    A UTF-8 file (the usual case) is parsed while it is read, so a huge
    capture costs little more memory than its snapshot; any other is read
    and decoded whole first.
    """
    path = Path(path)
    profile = profile or default_profile()
    if encoding is None:
        streamed = _load_streamed(path, source_text(path), profile)
        if streamed is not None:
            return streamed
    return parse(read_text(path, encoding), source_text(path), profile)


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and the snapshot files (`*.txt`) directly inside each folder, sorted.

    Only regular files are taken: a FIFO or a device named on the command
    line is refused, and one inside a folder is passed over.
    """
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        try:
            mode = path.stat().st_mode
            if stat.S_ISDIR(mode):
                found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix in SNAPSHOT_SUFFIXES)
                if not found:
                    raise InputError(str(path), "folder holds no snapshot files (*.txt)")
                files.extend(found)
            elif stat.S_ISREG(mode):
                files.append(path)
            else:
                raise InputError(str(path), "not a regular file (a FIFO, socket or device)")
        except FileNotFoundError:
            raise InputError(str(path), "no such file or folder") from None
        except OSError as exc:
            raise InputError(str(path), f"cannot read: {exc.strerror}") from None
    return files


@dataclass(frozen=True)
class CaptureFile:
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

    captures: tuple[CaptureFile, ...]
    duplicates: tuple[Duplicate, ...]


def _date_file(path: Path, profile: Profile, encoding: str | None) -> tuple[dt.date, str | None, str]:
    """Capture date, capture time and content digest of one file."""
    text = read_text(path, encoding)
    captured, capture_time = read_capture_date(text, str(path), profile)
    return captured, capture_time, _digest(text)


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def scan(
    paths: Iterable[str | Path], profile: Profile | None = None, encoding: str | None = None, workers: int | None = None
) -> Inventory:
    """Date and hash every file, and drop exact duplicates.

    Ordering is by capture date, then capture time, then path, never by file name
    alone. Two files are duplicates when their capture date and bytes agree.
    Many files are dated on every core (`workers`; 1 keeps to this process).
    """
    profile = profile or default_profile()
    files = expand(paths)
    date = partial(_date_file, profile=profile, encoding=encoding)
    dated = [
        (captured, capture_time or "", str(path), path, digest)
        for path, (captured, capture_time, digest) in zip(
            files, ordered_map(date, files, workers_for(len(files), workers)), strict=True
        )
    ]
    dated.sort(key=lambda entry: entry[:3])
    kept: dict[tuple[dt.date, str], Path] = {}
    captures: list[CaptureFile] = []
    duplicates: list[Duplicate] = []
    for captured, _, _, path, digest in dated:
        first = kept.setdefault((captured, digest), path)
        if first is path:
            captures.append(CaptureFile(path, captured, digest))
        else:
            duplicates.append(Duplicate(path, first))
    return Inventory(tuple(captures), tuple(duplicates))


def iter_snapshots(
    inventory: Inventory, profile: Profile | None = None, encoding: str | None = None
) -> Iterator[Snapshot]:
    """Parse the captures of an inventory one at a time, in order (memory stays flat).

    In this process: sending a parsed snapshot back from a worker process
    (pickling it there, unpickling it here) costs about as much as parsing it.
    A file whose text is no longer what `scan` dated and hashed is refused:
    its place in the order, and the duplicates left out, may be wrong.
    """
    profile = profile or default_profile()
    for capture in inventory.captures:
        text = read_text(capture.path, encoding)
        if _digest(text) != capture.digest:
            raise SnapshotError(str(capture.path), "changed while being read (after the folder was scanned); run again")
        yield parse(text, source_text(capture.path), profile)


@dataclass(frozen=True)
class Loaded:
    """Snapshots in capture-date order, with the duplicate files that were skipped."""

    snapshots: tuple[Snapshot, ...]
    duplicates: tuple[Duplicate, ...]


def load_many(paths: Iterable[str | Path], profile: Profile | None = None, encoding: str | None = None) -> Loaded:
    """Load files and folders into snapshots ordered by capture date, reporting duplicates."""
    inventory = scan(paths, profile, encoding)
    return Loaded(tuple(iter_snapshots(inventory, profile, encoding)), inventory.duplicates)
