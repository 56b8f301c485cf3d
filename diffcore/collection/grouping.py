"""Captures grouped by page: one cheap pass over the inputs, before any page is read in full.

A WARC record names its page (WARC-Target-URI), as does a Wayback-style path
(`web/20240101000000/https://example.org/news`); other captures belong to
the folder they sit in. The pass keeps what locates each capture (file,
record offset, commit, date, URL), never its payload, so a page's task reads
its own captures and no more.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from diffcore.inputs import Found, Skipped, find_all
from diffcore.inputs.dates import page_key
from diffcore.normalise import source_text


@dataclass(frozen=True)
class PageInputs:
    """One page of a collection: its name, its URL when known, and its captures as located (not yet read)."""

    name: str
    """The page's URL as captures are grouped (`page_key`), or the folder its captures sit in."""
    url: str | None
    found: tuple[Found, ...]
    digest: str
    """Of what locates and dates every capture (and a file's bytes): a page whose digest is unchanged is not
    built again."""


@dataclass(frozen=True)
class InputProblem:
    """A file or record of the inputs that is not a capture of any page (a damaged record, an unreadable file)."""

    page: str | None
    source: str
    reason: str


@dataclass(frozen=True)
class Grouped:
    """The inputs by page, in page-name order, and what could not be read."""

    pages: tuple[PageInputs, ...]
    problems: tuple[InputProblem, ...]
    files: tuple[Path, ...]
    """Every file the inputs led to: no output may be written over one."""


def group_pages(paths: Sequence[str | Path], git: bool = False) -> Grouped:
    """Find every capture in the inputs and group them by page.

    Raises InputError when an input named does not exist or cannot be read;
    trouble inside an input (a damaged record, an unreadable file in a
    folder) is a problem listed, not an error.
    """
    roots = [Path(os.path.abspath(path)) for path in paths]
    by_page: dict[str, list[Found]] = {}
    urls: dict[str, str] = {}
    problems: list[InputProblem] = []
    files: dict[Path, None] = {}
    named = {str(root) for root in roots}
    folder_pages: dict[str, str] = {}
    for found in find_all(paths, git):
        if isinstance(found, Skipped):
            if found.path:
                files[Path(found.path)] = None
            if found.warn:
                problems.append(InputProblem(None, source_text(found.where), found.reason))
            continue
        source = found.source
        files[Path(source.repository, source.path) if source.repository else Path(source.path)] = None
        if found.url:
            name = page_key(found.url) or found.url
            urls.setdefault(name, found.url)
        else:
            path = os.path.abspath(source.repository or source.path)
            folder = os.path.dirname(path)
            if path in named:  # a file named on its own may name its page otherwise than its folder's files
                name = _folder_page(Path(path), roots)
            elif folder in folder_pages:  # the page of a folder's files is found once, not once a file
                name = folder_pages[folder]
            else:
                name = folder_pages[folder] = _folder_page(Path(path), roots)
        by_page.setdefault(name, []).append(replace(found, payload=None))
    pages = tuple(
        PageInputs(name, urls.get(name), tuple(found), _digest(found)) for name, found in sorted(by_page.items())
    )
    return Grouped(pages, tuple(problems), tuple(files))


def _folder_page(path: Path, roots: Sequence[Path]) -> str:
    """The page of a capture that names none: its folder, relative to the input it was found in
    (the input's own name for captures directly inside it)."""
    folder = Path(os.path.abspath(path)).parent
    for root in roots:
        if folder == root or root in folder.parents:
            inside = folder.relative_to(root)
            return source_text(root.name if inside == Path() else inside.as_posix())
        if folder == root.parent and Path(os.path.abspath(path)) == root:  # a file named on its own
            return source_text(folder.name or str(folder))
    return source_text(folder.as_posix())


def _digest(found: Iterable[Found]) -> str:
    """A digest of a page's inputs: each capture's place, date and URL, and the bytes of each capture file."""
    digest = hashlib.sha256()
    for capture in sorted(found, key=lambda capture: _locator(capture)):
        digest.update(_locator(capture).encode("utf-8", "surrogateescape") + b"\0")
        source = capture.source
        if source.offset is None and source.commit is None:
            digest.update(_file_digest(Path(source.path)))
    return digest.hexdigest()


def _locator(found: Found) -> str:
    source = found.source
    when = found.captured_at.isoformat() if found.captured_at else ""
    return "\t".join(
        str(part)
        for part in (source.repository or "", source.path, source.offset, source.commit, when, found.url or "")
    )


def _file_digest(path: Path) -> bytes:
    """The sha256 of a file's bytes (a file gone or unreadable digests as its error: its page is rebuilt)."""
    try:
        with open(path, "rb") as file:
            return hashlib.file_digest(file, "sha256").digest()
    except OSError as exc:
        return f"unreadable: {exc.strerror}".encode()
