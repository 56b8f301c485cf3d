"""Every input a user holds, as captures located and dated: a registry of readers chosen by content.

A reader is one small module: `sniff` (is this file mine? from its first
bytes), `find` (the captures an input holds, and what it passes over) and
`payload` (a capture's bytes, read again when its snapshot is parsed). A
new container type is a new module added to `READERS`. Git histories are
not sniffed: `--git` names the files whose history to read.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from diffcore._files import opened
from diffcore.errors import InputError
from diffcore.inputs import files, warc
from diffcore.inputs.found import Found, Revisit, Skipped
from diffcore.model import Source

FindFunction = Callable[[Path, bool, dict[str, Found]], Iterator[Found | Skipped | Revisit]]
SNIFF_BYTES = 1024


@dataclass(frozen=True)
class Reader:
    """How one kind of container is recognised, searched and read."""

    name: str
    sniff: Callable[[bytes], bool]
    find: FindFunction
    payload: Callable[[Source], bytes]


def _files_find(path: Path, explicit: bool, digests: dict[str, Found]) -> Iterator[Found | Skipped | Revisit]:
    return files.find(path, explicit)


# Tried in order; the last takes any file (its content is checked when it is read).
READERS = (
    Reader(warc.NAME, warc.sniff, warc.find, warc.payload),
    Reader(files.NAME, lambda head: True, _files_find, files.payload),
)


def _git_find(path: Path, explicit: bool, digests: dict[str, Found]) -> Iterator[Found | Skipped | Revisit]:
    from diffcore.inputs import git  # here: only `--git` runs git

    return git.find(path, explicit, digests)


def _git_payload(source: Source) -> bytes:
    from diffcore.inputs import git

    return git.payload(source)


GIT = Reader("git", lambda head: False, _git_find, _git_payload)
_BY_NAME = {reader.name: reader for reader in (*READERS, GIT)}


def head_of(path: Path) -> bytes:
    """A file's first bytes, which say what it holds."""
    with opened(path, InputError) as file:
        return file.read(SNIFF_BYTES)


def reader_of(head: bytes) -> Reader:
    """The reader of a file whose first bytes are `head`."""
    return next(reader for reader in READERS if reader.sniff(head))


def reader_for(path: Path) -> Reader:
    """The reader of a file, by its first bytes."""
    return reader_of(head_of(path))


def find_all(paths: Iterable[str | Path], use_git: bool = False) -> Iterator[Found | Skipped]:
    """The captures in files, folders (searched recursively) or, with `use_git`, the histories of files.

    A named file is read whatever its name; in a folder, only archives, files
    named as pages and files named as feeds that hold one (`.xml`, `.rss`,
    `.atom`, `.rdf`, `.json`) are, the rest are passed over with a reason. A WARC
    revisit whose response is in an input read later is resolved at the end,
    so the order of the inputs does not matter.
    """
    digests: dict[str, Found] = {}  # payload digests of the WARC responses read so far, for revisits
    waiting: list[Revisit] = []
    for found in _find_each(paths, use_git, digests):
        if isinstance(found, Revisit):
            waiting.append(found)
        else:
            yield found
    for revisit in waiting:
        yield warc.resolve(revisit, digests)


def _find_each(
    paths: Iterable[str | Path], use_git: bool, digests: dict[str, Found]
) -> Iterator[Found | Skipped | Revisit]:
    for raw in paths:
        path = Path(raw)
        if use_git:
            yield from GIT.find(path, True, digests)
            continue
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            raise InputError(str(path), "no such file or folder") from None
        except OSError as exc:
            raise InputError(str(path), f"cannot read: {exc.strerror}") from None
        if stat.S_ISDIR(mode):
            try:  # a folder named that cannot be listed is an error; one inside it is skipped
                with os.scandir(path):
                    pass
            except OSError as exc:
                raise InputError(str(path), f"cannot read: {exc.strerror}") from None
            yield from _find_in_folder(path, digests)
        elif stat.S_ISREG(mode):
            yield from reader_for(path).find(path, True, digests)
        else:
            raise InputError(str(path), "not a regular file (a FIFO, socket or device)")


def _find_in_folder(folder: Path, digests: dict[str, Found]) -> Iterator[Found | Skipped | Revisit]:
    for entry in files.walk(folder):
        if isinstance(entry, Skipped):
            yield entry
            continue
        try:
            head = head_of(entry)
        except InputError as exc:
            yield Skipped(str(entry), exc.reason, path=str(entry))
            continue
        reader = reader_of(head)
        if reader.name == files.NAME and not files.is_page(entry, head):
            suffix = entry.suffix.lower()
            kind = f"{suffix} file that is not a feed" if suffix in files.FEED_SUFFIXES else f"{suffix} file"
            yield Skipped(str(entry), f"not a page capture ({kind})", path=str(entry))
            continue
        try:
            yield from reader.find(entry, False, digests)
        except InputError as exc:  # an archive inside a folder that cannot be read at all
            yield Skipped(str(entry), exc.reason, path=str(entry))


def read_payload(found: Found) -> bytes:
    """A capture's bytes: those the reader handed over, else read again from its source."""
    if found.payload is not None:
        return found.payload
    return _BY_NAME[found.reader].payload(found.source)


def payload_of(reader: str, source: Source) -> bytes:
    """The bytes of a capture located earlier by the reader named."""
    return _BY_NAME[reader].payload(source)


__all__ = [
    "GIT",
    "READERS",
    "Found",
    "Reader",
    "Skipped",
    "find_all",
    "head_of",
    "payload_of",
    "read_payload",
    "reader_for",
]
