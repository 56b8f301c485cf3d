"""Capture files, named or found in folders searched recursively: plain text and HTML pages, and feeds."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from diffcore._files import read_bytes
from diffcore.inputs.dates import time_from_path, url_from_path
from diffcore.inputs.found import Found, Skipped
from diffcore.inputs.sniff import is_feed
from diffcore.model import Source
from diffcore.output import MANIFEST

NAME = "file"

# The names of page captures: a page saved by a browser or a downloader, a text capture, or a
# URL path without a suffix (waybackpack names a capture after the last part of its URL path).
PAGE_SUFFIXES = frozenset(
    {"", ".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx", ".jsp"}
)


def find(path: Path, explicit: bool) -> Iterator[Found | Skipped]:
    """The one capture a file holds, dated and located by its path when the path says."""
    dated = time_from_path(path)
    yield Found(
        NAME,
        Source(str(path)),
        captured_at=dated[0] if dated else None,
        time_source=dated[1] if dated else None,  # type: ignore[arg-type]
        url=url_from_path(path),
        explicit=explicit,
        url_from_path=True,
    )


def payload(source: Source) -> bytes:
    """The bytes of a capture file."""
    return read_bytes(Path(source.path))


def walk(folder: Path) -> Iterator[Path | Skipped]:
    """The regular files below a folder, in a stable order, and the names passed over (with why).

    Hidden files and folders (a name starting with `.`, such as `.git`) are
    not searched, nor a report folder diffcore wrote inside (its manifest
    says so); symbolic links to folders are not followed, so a link cycle
    cannot loop. A file whose name is not that of a page is passed
    over, unless it is an archive: which reader takes a file is decided by
    its content, so the caller is handed every other file.
    """
    unreadable: list[OSError] = []
    for root, folders, names in os.walk(folder, onerror=unreadable.append):
        if MANIFEST in names and Path(root) != folder:
            folders[:] = []
            yield Skipped(root, "a report folder diffcore wrote (its pages are not captures)", path=root)
            continue
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = Path(root, name)
            try:
                mode = path.stat().st_mode
            except OSError as exc:
                yield Skipped(str(path), f"cannot read: {exc.strerror}", path=str(path))
                continue
            if stat.S_ISREG(mode):
                yield path
            else:
                yield Skipped(str(path), "not a regular file (a FIFO, socket or device)", path=str(path))
    for error in unreadable:
        yield Skipped(str(error.filename), f"cannot read folder: {error.strerror}", path=str(error.filename))


FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom", ".rdf", ".json"})
"""The names of feed captures: such a file in a folder is one when its first bytes are a feed's."""


def is_page(path: Path, head: bytes) -> bool:
    """Whether a file in a folder is a page capture: named as a page, or as a feed and opening as one."""
    suffix = path.suffix.lower()
    return suffix in PAGE_SUFFIXES or (suffix in FEED_SUFFIXES and is_feed(head))
