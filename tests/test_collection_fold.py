"""A collection's pages: grouped as the README says, and each page's tables the single-page history of its captures.

The oracle is the history store of one page: `Store.add` of that page's
captures alone (its folder, or the collection's WARC file or Wayback folder
with `url=` picking the page, as `diffcore store add ... --url` does), whose
timeline is the batch timeline (tests/test_store_cli.py). A page's dataset
files must hold exactly that store's tables, every row and column, the
`page` column aside (the page's name in the collection).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import diffcore
from diffcore.collection import TABLES, LocalEngine, build_collection, fold_page
from diffcore.collection.dataset import file_name, read_manifest, read_table
from diffcore.collection.fold import Settings, arrow_schema, build_page
from diffcore.collection.grouping import PageInputs, group_pages
from diffcore.inputs.dates import page_key
from diffcore.profile import default_profile
from diffcore.store import Store
from synthetic import warcs
from tests.crawl import SitePage, site_pages, warc_records, write_folders, write_warc, write_wayback
from tests.support import examples

LAYOUTS = ("folders", "wayback", "warc")


@dataclasses.dataclass(frozen=True)
class Laid:
    """A generated collection in one layout: its input, and each page's name there and single-page store input."""

    input: Path
    names: dict[str, str]
    """Site page name -> page name in the collection."""
    alone: dict[str, tuple[list[Path], str | None]]
    """Site page name -> (paths, url) that `Store.add` reads as that page alone."""


@pytest.fixture(scope="module")
def pages() -> list[SitePage]:
    return site_pages(3, captures=4)


@pytest.fixture(scope="module")
def laid(pages: list[SitePage], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Laid]:
    root = tmp_path_factory.mktemp("collection")
    write_folders(root / "crawl", pages)
    write_wayback(root / "wayback", pages)
    warc = write_warc(root / "crawl.warc.gz", pages)
    by_name = {page.name: page for page in pages}
    return {
        "folders": Laid(root / "crawl", {n: n for n in by_name}, {n: ([root / "crawl" / n], None) for n in by_name}),
        "wayback": Laid(
            root / "wayback",
            {n: p.key for n, p in by_name.items()},
            {n: ([root / "wayback"], p.url) for n, p in by_name.items()},
        ),
        "warc": Laid(warc, {n: p.key for n, p in by_name.items()}, {n: ([warc], p.url) for n, p in by_name.items()}),
    }


@pytest.fixture(scope="module")
def built(laid: dict[str, Laid], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each layout built into its own dataset, in this process."""
    out = tmp_path_factory.mktemp("datasets")
    for layout, collection in laid.items():
        done = build_collection([collection.input], out / layout, engine=LocalEngine(workers=1))
        assert done.failed == () and done.problems == 0, (layout, done)
    return {layout: out / layout for layout in laid}


def _rows(table: object, name: str) -> list[dict[str, object]]:
    """A DataFrame's rows as the dataset's Arrow schema has them."""
    import pyarrow as pa

    arrow = pa.Table.from_pandas(table[list(TABLES[name])], schema=arrow_schema(name), preserve_index=False)  # type: ignore[index]
    rows: list[dict[str, object]] = arrow.to_pylist()
    return rows


def _dataset_rows(folder: Path, page: str, name: str) -> list[dict[str, object]]:
    import pyarrow.parquet as pq

    path = folder / name / f"{file_name(page)}.parquet"
    if not path.exists():
        entry = read_manifest(folder).by_page()[page]  # type: ignore[union-attr]
        assert name not in entry.tables
        return []
    rows: list[dict[str, object]] = pq.read_table(path, schema=arrow_schema(name)).to_pylist()
    return rows


def _alone(paths: Sequence[Path], url: str | None, page: str, db: Path) -> dict[str, list[dict[str, object]]]:
    """The store's tables of one page's captures, added alone, named as the collection names the page."""
    with Store(db) as store:
        store.add(paths, url=url)
        tables = {name: store.table(name) for name in TABLES}
    for table in tables.values():
        table["page"] = page
    return {name: _rows(table, name) for name, table in tables.items()}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_page_holds_the_history_of_its_captures_alone(
    layout: str, laid: dict[str, Laid], built: dict[str, Path], pages: list[SitePage], tmp_path: Path
) -> None:
    collection, folder = laid[layout], built[layout]
    manifest = read_manifest(folder)
    assert manifest is not None
    assert sorted(entry.page for entry in manifest.pages) == sorted(collection.names.values())
    for page in pages:
        name = collection.names[page.name]
        paths, url = collection.alone[page.name]
        expected = _alone(paths, url, name, tmp_path / f"{page.name}.db")
        assert len(expected["captures"]) == len(page.captures)
        for table in TABLES:
            assert _dataset_rows(folder, name, table) == expected[table], (layout, page.name, table)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_page_follows_the_items_of_its_timeline(
    layout: str, laid: dict[str, Laid], built: dict[str, Path], pages: list[SitePage]
) -> None:
    collection, folder = laid[layout], built[layout]
    items, presence = read_table(folder, "items"), read_table(folder, "presence")
    for page in pages:
        name = collection.names[page.name]
        paths, url = collection.alone[page.name]
        snapshots = diffcore.load_many(paths, url=url).snapshots
        timeline = diffcore.timeline(snapshots)
        mine = items[items["page"] == name]
        seen = {h.identity: sum(last - first + 1 for first, last in h.runs) for h in timeline.histories}
        assert dict(zip(mine["item"], mine["seen"], strict=True)) == seen
        assert (presence["page"] == name).sum() == sum(len(snapshot.items) for snapshot in snapshots)
        assert [s.captured for s in snapshots] == [c.snapshot.captured for c in page.captures]


def test_the_same_pages_in_every_layout_have_the_same_items_and_events(built: dict[str, Path]) -> None:
    """Text, raw Wayback HTML and WARC records of the same snapshots: one history, whatever the container."""

    def content(layout: str, table: str, columns: list[str]) -> list[tuple[object, ...]]:
        frame = read_table(built[layout], table)
        frame["page"] = frame["page"].str.rsplit("/", n=1).str[-1]
        rows = frame[["page", *columns]].itertuples(index=False, name=None)
        return sorted(tuple("" if value is None or value != value else str(value) for value in row) for row in rows)

    for table, columns in (("items", ["item", "title", "seen", "gaps", "edits"]), ("events", ["item", "event"])):
        assert (
            content("folders", table, columns) == content("warc", table, columns) == content("wayback", table, columns)
        )


# --- the property: a page's tables do not depend on the other pages of its WARC file --------------------


@pytest.fixture(scope="module")
def pool() -> list[SitePage]:
    return site_pages(3, captures=3, items=4, seed=7)


def _folded(page: PageInputs, settings_: Settings) -> dict[str, list[dict[str, object]]]:
    import io

    import pyarrow.parquet as pq

    result = build_page(page, settings_)
    assert result.error is None, result.error
    return {
        name: pq.read_table(io.BytesIO(result.parquet[name]), schema=arrow_schema(name)).to_pylist()
        if name in result.parquet
        else []
        for name in TABLES
    }


@settings(max_examples=examples(30))
@given(data=st.data())
def test_a_page_folded_from_a_shared_warc_is_the_page_folded_from_its_own(
    pool: list[SitePage], tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    """Whichever pages share the WARC file, whichever of their captures it holds and in whatever order its
    records come, each page's tables are those of the same captures in a WARC file of their own (sources,
    which name the file and offset, aside)."""
    chosen = data.draw(st.lists(st.sampled_from(range(len(pool))), min_size=1, max_size=len(pool), unique=True))
    kept = []
    for at in chosen:
        taken = data.draw(st.sets(st.integers(0, len(pool[at].captures) - 1), min_size=1), label=pool[at].name)
        kept.append(dataclasses.replace(pool[at], captures=tuple(pool[at].captures[index] for index in sorted(taken))))
    records = warc_records(kept, strays=data.draw(st.booleans(), label="strays"))
    pairs = [records[at : at + 2] for at in range(1, len(records), 2)]  # request and response; the 404 and image
    data.draw(st.randoms(use_true_random=False), label="order").shuffle(pairs)
    folder = tmp_path_factory.mktemp("shared")
    shared = warcs.write_warc(folder / "shared.warc.gz", [records[0], *(record for pair in pairs for record in pair)])
    grouped = group_pages([shared])
    assert [page.name for page in grouped.pages] == sorted(page.key for page in kept)
    profile = default_profile()
    for page, inputs in zip(sorted(kept, key=lambda page: page.key), grouped.pages, strict=True):
        own = write_warc(folder / f"{page.name}.warc.gz", [page], strays=False)
        alone = fold_page(diffcore.scan([own], profile), profile, page=page.key).tables
        expected = {name: _rows(table, name) for name, table in alone.items()}
        got = _folded(inputs, Settings(profile))
        for name in TABLES:
            drop = ("source",) if name == "captures" else ()
            plain = [{k: v for k, v in row.items() if k not in drop} for row in got[name]]
            assert plain == [{k: v for k, v in row.items() if k not in drop} for row in expected[name]], name
        assert [row["source"] for row in got["captures"]] == [
            f"{shared} at offset {found.source.offset}"
            for found in sorted(inputs.found, key=lambda found: found.captured_at or dt.datetime.min)
        ]


# --- grouping: which captures are one page -------------------------------------------------------------


def test_wayback_folders_are_grouped_by_the_url_in_their_path(
    pages: list[SitePage], laid: dict[str, Laid], tmp_path: Path
) -> None:
    grouped = group_pages([laid["wayback"].input])
    assert [page.name for page in grouped.pages] == sorted(page.key for page in pages)
    by_key = {page.key: page for page in pages}
    for inputs in grouped.pages:
        assert inputs.url is not None and page_key(inputs.url) == inputs.name
        times = sorted(found.captured_at for found in inputs.found)
        assert times == [capture.when for capture in by_key[inputs.name].captures]
        assert {found.time_source for found in inputs.found} == {"wayback"}
    assert grouped.problems == ()
    assert len(grouped.files) == sum(len(page.captures) for page in pages)
    # wayback-machine-downloader's HOST/TIMESTAMP/PATH is the same page; files beside captures are no page
    other = tmp_path / "downloads"
    for path in sorted(laid["wayback"].input.rglob("index.html")):
        stamp, host, *rest = path.relative_to(laid["wayback"].input).parts
        moved = other.joinpath(host, stamp, *rest)
        moved.parent.mkdir(parents=True, exist_ok=True)
        moved.write_bytes(path.read_bytes())
    (moved.parent / "logo.png").write_bytes(warcs.PNG)
    again = group_pages([other])
    assert [page.name for page in again.pages] == [page.name for page in grouped.pages]
    assert [len(page.found) for page in again.pages] == [len(page.found) for page in grouped.pages]
    assert [(problem.page, problem.reason) for problem in again.problems] == [(None, "not a page capture (.png file)")]


def test_a_warc_file_of_many_pages_is_grouped_by_target_uri(pages: list[SitePage], laid: dict[str, Laid]) -> None:
    warc = laid["warc"].input
    grouped = group_pages([warc])
    assert [page.name for page in grouped.pages] == sorted(page.key for page in pages)
    by_key = {page.key: page for page in pages}
    offsets = [found.source.offset for inputs in grouped.pages for found in inputs.found]
    assert len(offsets) == len(set(offsets)) == sum(len(page.captures) for page in pages)
    for inputs in grouped.pages:
        page = by_key[inputs.name]
        assert inputs.url == page.url
        assert {(found.source.path, found.url) for found in inputs.found} == {(str(warc), page.url)}
        assert sorted(found.captured_at for found in inputs.found) == [capture.when for capture in page.captures]
        assert all(found.payload is None for found in inputs.found)  # located, never held
    assert grouped.files == (warc,)


def test_the_same_page_in_a_warc_file_and_a_wayback_folder_is_one_page(
    pages: list[SitePage], laid: dict[str, Laid], built: dict[str, Path], tmp_path: Path
) -> None:
    grouped = group_pages([laid["warc"].input, laid["wayback"].input])
    assert [page.name for page in grouped.pages] == sorted(page.key for page in pages)
    assert all(len(inputs.found) == 2 * len(pages[0].captures) for inputs in grouped.pages)
    both = build_collection(
        [laid["warc"].input, laid["wayback"].input], tmp_path / "both", engine=LocalEngine(workers=1)
    )
    assert both.failed == ()
    manifest = read_manifest(tmp_path / "both")
    assert manifest is not None
    assert {entry.page: entry.captures for entry in manifest.pages} == {page.key: len(page.captures) for page in pages}
    items = read_table(tmp_path / "both", "items")
    assert items.equals(read_table(built["warc"], "items"))


def test_other_captures_are_grouped_by_the_folder_they_sit_in(pages: list[SitePage], tmp_path: Path) -> None:
    root = tmp_path / "crawl"
    written = write_folders(root, pages[:1])
    write_folders(root / "site" / "about", pages[1:2])  # a page two folders down: "site/about/<name>"
    loose = pages[2].captures[0]
    (root / loose.name).write_bytes(loose.text.encode("utf-8"))  # directly inside the input: the input's page
    grouped = group_pages([root])
    names = [page.name for page in grouped.pages]
    assert names == sorted(["crawl", pages[0].name, f"site/about/{pages[1].name}"])
    assert {page.name: len(page.found) for page in grouped.pages} == {
        "crawl": 1,
        pages[0].name: len(pages[0].captures),
        f"site/about/{pages[1].name}": len(pages[1].captures),
    }
    assert all(page.url is None for page in grouped.pages)
    # a page's folder named on its own is the page of that name; so is a file named on its own
    alone = group_pages([root / pages[0].name])
    assert [(page.name, len(page.found)) for page in alone.pages] == [(pages[0].name, len(pages[0].captures))]
    one_file = group_pages([written[pages[0].name][0]])
    assert [(page.name, len(page.found)) for page in one_file.pages] == [(pages[0].name, 1)]


def test_a_page_digest_follows_its_own_captures_only(pages: list[SitePage], tmp_path: Path) -> None:
    root = tmp_path / "crawl"
    written = write_folders(root, pages[:2])
    before = {page.name: page.digest for page in group_pages([root]).pages}
    assert {page.name: page.digest for page in group_pages([root]).pages} == before
    write_folders(root, pages[2:])  # another page joins
    os.utime(written[pages[1].name][0], (0, 0))  # a file touched, its bytes the same
    joined = {page.name: page.digest for page in group_pages([root]).pages}
    assert {name: joined[name] for name in before} == before
    changed = written[pages[0].name][-1]
    changed.write_bytes(changed.read_bytes() + b"\n")
    after = {page.name: page.digest for page in group_pages([root]).pages}
    assert [name for name in after if after[name] != joined[name]] == [pages[0].name]


def test_the_real_captures_as_a_collection_hold_their_store_history(seeds_dir: Path, tmp_path: Path) -> None:
    """The real captures beside the repository: one page, named after their folder."""
    done = build_collection([seeds_dir], tmp_path / "dataset", engine=LocalEngine(workers=1))
    assert (done.built, done.failed) == ((seeds_dir.name,), ())
    expected = _alone([seeds_dir], None, seeds_dir.name, tmp_path / "seeds.db")
    assert len(expected["captures"]) == len(list(seeds_dir.glob("*.txt")))
    for table in TABLES:
        assert _dataset_rows(tmp_path / "dataset", seeds_dir.name, table) == expected[table], table
