"""`build_collection` over a folder that holds an earlier build: only the pages whose inputs changed are folded.

A kept page's files are hard links of the earlier build's (same inode, same
mtime); a page folded again gets new files. Whatever was kept, the dataset is
byte for byte the one a build from scratch gives.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from diffcore.collection import Built, LocalEngine, build_collection
from diffcore.collection.dataset import file_name, read_manifest
from tests.crawl import SitePage, site_pages, write_folders

IN_PROCESS = LocalEngine(workers=1)


@pytest.fixture(scope="module")
def pages() -> list[SitePage]:
    """Four pages of four captures each (the tests write the first three, then the fourth as growth)."""
    return site_pages(4, captures=4)


def _build(inputs: Path, folder: Path, **settings: object) -> Built:
    return build_collection([inputs], folder, engine=IN_PROCESS, **settings)  # type: ignore[arg-type]


def _files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def _stamps(folder: Path, page: str) -> dict[str, tuple[int, int]]:
    """(inode, mtime) of each file of a page."""
    entry = read_manifest(folder).by_page()[page]  # type: ignore[union-attr]
    return {name: (os.stat(folder / name).st_ino, os.stat(folder / name).st_mtime_ns) for name in entry.names()}


def _grown(pages: list[SitePage], root: Path, captures: int = 3) -> Path:
    """The first `captures` captures of every page, as folders under `root/crawl`."""
    write_folders(root / "crawl", [dataclasses.replace(page, captures=page.captures[:captures]) for page in pages])
    return root / "crawl"


def _same_as_from_scratch(inputs: Path, folder: Path, scratch: Path, **settings: object) -> None:
    fresh = _build(inputs, scratch, **settings)
    assert fresh.kept == ()
    assert _files(folder) == _files(scratch)


@pytest.mark.parametrize("table", ["items", "pages"])
def test_a_page_missing_a_file_is_folded_again(pages: list[SitePage], tmp_path: Path, table: str) -> None:
    inputs = _grown(pages, tmp_path)
    folder = tmp_path / "dataset"
    _build(inputs, folder)
    damaged = pages[2].name
    (folder / table / f"{file_name(damaged)}.parquet").unlink()
    built = _build(inputs, folder)
    assert built.built == (damaged,)
    assert sorted(built.kept) == sorted(page.name for page in pages if page.name != damaged)
    _same_as_from_scratch(inputs, folder, tmp_path / "scratch")
