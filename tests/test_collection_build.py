"""`build_collection` over a folder that holds an earlier build: only the pages whose inputs changed are folded.

A kept page's files are hard links of the earlier build's (same inode, same
mtime); a page folded again gets new files. Whatever was kept, the dataset is
byte for byte the one a build from scratch gives.
"""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

import pytest

from diffcore.collection import Built, LocalEngine, build_collection
from diffcore.collection.dataset import ERRORS, MANIFEST, file_name, read_manifest, read_table
from diffcore.diff import DiffOptions
from diffcore.profile import default_profile
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


def test_an_unchanged_rebuild_folds_nothing_and_keeps_every_file(pages: list[SitePage], tmp_path: Path) -> None:
    inputs = _grown(pages, tmp_path)
    folder = tmp_path / "dataset"
    first = _build(inputs, folder)
    assert (sorted(first.built), first.kept, first.failed) == (sorted(page.name for page in pages), (), ())
    before = {page.name: _stamps(folder, page.name) for page in pages}
    files = _files(folder)
    again = _build(inputs, folder)
    assert (again.built, sorted(again.kept)) == ((), sorted(page.name for page in pages))
    assert {page.name: _stamps(folder, page.name) for page in pages} == before
    assert _files(folder) == files


def test_grown_inputs_fold_only_the_pages_that_changed(pages: list[SitePage], tmp_path: Path) -> None:
    inputs = _grown(pages, tmp_path)
    folder = tmp_path / "dataset"
    _build(inputs, folder)
    before = {page.name: _stamps(folder, page.name) for page in pages}
    grown, edited, untouched = pages[0], pages[1], pages[2:]
    fourth = grown.captures[3]
    (inputs / grown.name / fourth.name).write_bytes(fourth.text.encode("utf-8"))
    first_of_edited = inputs / edited.name / edited.captures[0].name
    first_of_edited.write_bytes(first_of_edited.read_bytes().replace(b"\n\n", b"\n\nA late correction.\n\n", 1))
    built = _build(inputs, folder)
    assert sorted(built.built) == sorted([grown.name, edited.name])
    assert sorted(built.kept) == sorted(page.name for page in untouched)
    for page in untouched:
        assert _stamps(folder, page.name) == before[page.name], page.name
    for page in (grown, edited):
        now = _stamps(folder, page.name)
        assert all(now[name][0] != before[page.name][name][0] for name in now), page.name
    assert read_manifest(folder).by_page()[grown.name].captures == 4  # type: ignore[union-attr]
    _same_as_from_scratch(inputs, folder, tmp_path / "scratch")


def test_a_page_gone_from_the_inputs_is_dropped_and_a_new_one_added(pages: list[SitePage], tmp_path: Path) -> None:
    inputs = _grown(pages[:3], tmp_path)
    folder = tmp_path / "dataset"
    _build(inputs, folder)
    gone = read_manifest(folder).by_page()[pages[0].name]  # type: ignore[union-attr]
    for path in (inputs / pages[0].name).iterdir():
        path.unlink()
    (inputs / pages[0].name).rmdir()
    _grown(pages[3:], tmp_path)
    built = _build(inputs, folder)
    assert (built.built, sorted(built.kept)) == ((pages[3].name,), sorted(page.name for page in pages[1:3]))
    assert pages[0].name not in read_manifest(folder).by_page()  # type: ignore[union-attr]
    assert not any((folder / name).exists() for name in gone.names())
    _same_as_from_scratch(inputs, folder, tmp_path / "scratch")


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


@pytest.mark.parametrize(
    "changed",
    [
        {"options": DiffOptions(threshold=0.9)},
        {"profile": dataclasses.replace(default_profile(), ignore=(re.compile("^Visitor desk"),))},
        {"encoding": "cp1252"},
    ],
    ids=["options", "profile", "encoding"],
)
def test_changed_settings_fold_every_page_again(
    pages: list[SitePage], tmp_path: Path, changed: dict[str, object]
) -> None:
    inputs = _grown(pages, tmp_path)
    folder = tmp_path / "dataset"
    _build(inputs, folder)
    settings_before = read_manifest(folder).settings  # type: ignore[union-attr]
    built = _build(inputs, folder, **changed)
    assert built.kept == ()
    assert sorted(built.built) == sorted(page.name for page in pages)
    assert read_manifest(folder).settings != settings_before  # type: ignore[union-attr]
    again = _build(inputs, folder, **changed)
    assert (again.built, len(again.kept)) == ((), len(pages))
    assert (folder / MANIFEST).is_file()


def test_a_kept_page_keeps_its_unreadable_captures_in_the_errors_table(pages: list[SitePage], tmp_path: Path) -> None:
    inputs = _grown(pages, tmp_path)
    folder = tmp_path / "dataset"
    (inputs / pages[1].name / "garbage.txt").write_bytes(b"\x00\xff\x00 not a page\n")
    first = _build(inputs, folder)
    assert first.problems == 1
    errors = (folder / ERRORS).read_bytes()
    fourth = pages[0].captures[3]
    (inputs / pages[0].name / fourth.name).write_bytes(fourth.text.encode("utf-8"))
    grown = _build(inputs, folder)
    assert (grown.built, grown.problems) == ((pages[0].name,), 1)
    assert pages[1].name in grown.kept
    assert (folder / ERRORS).read_bytes() == errors
    assert list(read_table(folder, "errors")["page"]) == [pages[1].name]
    _same_as_from_scratch(inputs, folder, tmp_path / "scratch")


def test_an_unreadable_errors_table_folds_every_page_again(pages: list[SitePage], tmp_path: Path) -> None:
    inputs = _grown(pages, tmp_path)
    folder = tmp_path / "dataset"
    _build(inputs, folder)
    (folder / ERRORS).write_bytes(b"not parquet")
    again = _build(inputs, folder)
    assert (again.kept, sorted(again.built)) == ((), sorted(page.name for page in pages))
    _same_as_from_scratch(inputs, folder, tmp_path / "scratch")
