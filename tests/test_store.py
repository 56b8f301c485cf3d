"""The history store as a library: what it keeps, what it reads back, and what it refuses."""

from __future__ import annotations

import dataclasses
import hashlib
import random
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

import diffcore
from diffcore.errors import InputError, StoreError
from diffcore.profile import default_profile
from diffcore.render.as_json import render_diff
from diffcore.store import Store, schema
from tests.paths import ARCHIVE_DIR, EXAMPLES_DIR, README

WARC = EXAMPLES_DIR / "inputs" / "captures.warc.gz"


def archive_files() -> list[Path]:
    return sorted(ARCHIVE_DIR.glob("*.txt"))


@pytest.fixture(scope="module")
def batch() -> diffcore.Timeline:
    return diffcore.timeline(diffcore.load_many([ARCHIVE_DIR]).snapshots)


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of the example archive, added in one run (read only by the tests that use it)."""
    path = tmp_path_factory.mktemp("filled") / "history.db"
    with Store(path) as store:
        store.add([ARCHIVE_DIR])
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def report_of(old: Path, new: Path) -> str:
    """The JSON change report of two files (what a report says: the items' line numbers are none of it)."""
    return render_diff(diffcore.diff(diffcore.load(old), diffcore.load(new)))


def test_the_example_archive_gives_the_batch_timeline(filled: Path, batch: diffcore.Timeline) -> None:
    with Store(filled, read_only=True) as store:
        assert store.timeline() == batch
        assert store.verify() == []
        [page] = store.pages()
    assert (page.captures, page.items, page.url) == (14, 28, None)


def test_adding_again_adds_nothing(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    with Store(path) as store:
        first = store.add([ARCHIVE_DIR])
        assert len(first.added) == 14 and first.has_changes
        counts = store.query("SELECT (SELECT count(*) FROM captures), (SELECT count(*) FROM events)")[1]
        again = store.add([ARCHIVE_DIR])
        assert {added.status for added in again.captures} == {"present"}
        assert not again.added and not again.has_changes and again.latest is None
        assert store.query("SELECT (SELECT count(*) FROM captures), (SELECT count(*) FROM events)")[1] == counts


def test_one_at_a_time_newest_first_gives_the_batch_timeline(tmp_path: Path, batch: diffcore.Timeline) -> None:
    with Store(tmp_path / "history.db") as store:
        for path in sorted(archive_files(), key=lambda p: diffcore.load(p).captured, reverse=True):
            added = store.add([path])
            assert [a.status for a in added.captures] == ["added"]
        assert store.timeline() == batch
        assert store.verify() == []


def test_workers_parse_and_match_runs_and_the_store_is_the_same(tmp_path: Path) -> None:
    """Captures parsed and matched in workers, in runs that end mid-way, onto a store that already holds some
    (one of them taken in between): the same store, event for event, as adding them in this process."""
    import importlib

    from diffcore.load import Inventory, scan
    from synthetic import Churn, iter_captures

    timeline_module = importlib.import_module("diffcore.timeline")  # the module: `diffcore.timeline` is the function
    churn = Churn(added=0.3, dropped=0.2, returns=0.2, edited_title=0.1, date_corrected=0.05)
    for capture in iter_captures(40, 10, 5, churn):
        (tmp_path / capture.name).write_text(capture.text, encoding="utf-8")
    inventory = scan([tmp_path], workers=1)
    early = Inventory((*inventory.captures[:5], inventory.captures[20]))
    events = "SELECT c.seq, e.* FROM events e JOIN captures c USING (capture_id) ORDER BY c.seq, e.event_id"
    found = []
    for workers in (1, 2):
        with Store(tmp_path / f"history-{workers}.db") as store:
            store.add_inventory(early, workers=1)
            with mock.patch.object(timeline_module, "CHUNK", 3):
                result = store.add_inventory(inventory, workers=workers)
            assert [added.status for added in result.captures].count("present") == len(early.captures)
            assert store.verify() == []
            found.append((store.timeline(), store.query(events)[1], result.latest))
    assert found[0] == found[1]
    assert found[1][0] == diffcore.timeline(diffcore.load_many([tmp_path]).snapshots)


def test_the_fold_takes_the_workers_matching(tmp_path: Path) -> None:
    """Captures matched in workers are not matched again: only the first is folded without a matching."""
    import importlib

    from diffcore.load import scan
    from diffcore.store import writing
    from synthetic import Churn, iter_captures

    timeline_module = importlib.import_module("diffcore.timeline")
    for capture in iter_captures(20, 8, 9, Churn(added=0.3, dropped=0.2)):
        (tmp_path / capture.name).write_text(capture.text, encoding="utf-8")
    given = []
    fold = writing.fold_capture

    def spy(*args: object, **kwargs: object) -> object:
        given.append(kwargs.get("matching") is not None)
        return fold(*args, **kwargs)  # type: ignore[arg-type]

    with (
        Store(tmp_path / "history.db") as store,
        mock.patch.object(writing, "fold_capture", spy),
        mock.patch.object(timeline_module, "CHUNK", 3),
    ):
        store.add_inventory(scan([tmp_path], workers=1), workers=2)
    assert given == [False] + [True] * 19


def test_workers_store_what_one_process_stores(tmp_path: Path) -> None:
    """Items a worker says the capture before showed alike take that item's version: the tables come out as
    adding in one process makes them."""
    import importlib

    from diffcore.load import scan
    from diffcore.store import writing
    from synthetic import Churn, iter_captures

    timeline_module = importlib.import_module("diffcore.timeline")
    archive = tmp_path / "archive"
    archive.mkdir()
    churn = Churn(added=0.1, dropped=0.1, returns=0.1, edited_title=0.1, edited_summary=0.1, moved=0.1)
    for capture in iter_captures(30, 10, 4, churn):
        (archive / capture.name).write_text(capture.text, encoding="utf-8")
    known = []
    version_ids = writing._version_ids

    def spy(*args: object) -> object:
        known.append(len(args[-1]))  # type: ignore[arg-type]
        return version_ids(*args)  # type: ignore[arg-type]

    dumps = []
    for workers in (1, 2):
        path = tmp_path / f"history-{workers}.db"
        with (
            Store(path) as store,
            mock.patch.object(timeline_module, "CHUNK", 3),
            mock.patch.object(writing, "_version_ids", spy),
        ):
            store.add_inventory(scan([archive], workers=1), workers=workers)
        db = sqlite3.connect(path)
        tables = ("versions", "presence", "items", "events")
        dumps.append({table: db.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall() for table in tables})
        db.close()
    assert dumps[0] == dumps[1]
    assert sum(known[:30]) == 0 and sum(known[30:]) > len(dumps[0]["presence"]) / 2  # most items: from workers


def test_a_capture_another_run_stored_in_between_is_matched_again(tmp_path: Path) -> None:
    """When another run stores the capture before (read another way, here in another encoding) while workers
    parse, their matching and kept items are not taken: the tables are what one process makes alike."""
    import importlib

    from diffcore.load import Inventory, scan
    from synthetic import Churn, iter_captures

    timeline_module = importlib.import_module("diffcore.timeline")
    archive = tmp_path / "archive"
    archive.mkdir()
    for capture in iter_captures(16, 8, 3, Churn(added=0.1, dropped=0.1)):
        text = capture.text.replace("report", "r\u00ebport").replace("Restoration", "Rest\u00f6ration")
        (archive / capture.name).write_text(text, encoding="utf-8")
    entries = scan([archive], workers=1).captures
    between = 7

    def tables(workers: int) -> dict[str, list[tuple[object, ...]]]:
        path = tmp_path / f"history-{workers}.db"

        def progress(parsed: Iterator[Any]) -> Iterator[Any]:
            for index, capture in enumerate(parsed):
                if index == between:  # another run stores it just before this one folds it
                    with Store(path) as other:
                        other.add_inventory(Inventory((entries[between],)), encoding="latin-1", workers=1)
                yield capture

        with Store(path) as store, mock.patch.object(timeline_module, "CHUNK", 3):
            store.add_inventory(Inventory(tuple(entries)), workers=workers, progress=progress)
            assert store.verify() == []
        db = sqlite3.connect(path)
        try:
            names = ("versions", "presence", "items", "events")
            return {name: db.execute(f"SELECT * FROM {name} ORDER BY 1, 2").fetchall() for name in names}
        finally:
            db.close()

    assert tables(2) == tables(1)


def test_a_backfilled_capture_is_reported_against_the_capture_before_it(tmp_path: Path) -> None:
    files = sorted(archive_files(), key=lambda p: diffcore.load(p).captured)
    with Store(tmp_path / "history.db") as store:
        store.add([files[0], files[2]])
        result = store.add([files[1]])
    [added] = result.added
    assert added.seq == 1
    assert added.previous is not None and added.previous.source == str(files[0])
    assert added.has_changes == diffcore.diff(diffcore.load(files[0]), diffcore.load(files[1])).has_changes


def test_snapshots_read_back_as_parsed(filled: Path) -> None:
    """Every part of a snapshot comes back, but its items' line numbers (only `show` prints them)."""
    parsed = diffcore.load_many([ARCHIVE_DIR]).snapshots
    with Store(filled, read_only=True) as store:
        stored = list(store.snapshots())
    assert len(stored) == len(parsed)
    for mine, theirs in zip(stored, parsed, strict=True):
        items = tuple(dataclasses.replace(item, lines=()) for item in theirs.items)
        assert mine == dataclasses.replace(theirs, items=items)


def test_diff_names_captures_as_diff_does(filled: Path) -> None:
    files = sorted(archive_files(), key=lambda p: diffcore.load(p).captured)
    with Store(filled, read_only=True) as store:
        assert render_diff(store.diff()) == report_of(files[-2], files[-1])
        assert render_diff(store.diff("2019-05", "2019-09-02")) == report_of(files[1], files[2])
        assert render_diff(store.diff(new="2020-01-20")) == report_of(files[2], files[3])
        with pytest.raises(StoreError, match=r"no capture of .* taken at 2018"):
            store.diff("2018")
        with pytest.raises(StoreError, match="3 captures taken at 2023"):
            store.diff("2023")
        with pytest.raises(StoreError, match="no capture before the first"):
            store.diff(new="2019-02-04")


def test_events_are_one_row_per_item_event(filled: Path) -> None:
    with Store(filled, read_only=True) as store:
        events = store.events()
    assert list(events.columns) == [
        "page",
        "item",
        "captured_at",
        "captured",
        "event",
        "field",
        "old",
        "new",
        "title",
        "published",
        "link",
    ]
    assert set(events["event"]) == {
        "appeared",
        "dropped",
        "returned",
        "edited",
        "moved",
        "counter_changed",
        "counter_stalled",
    }
    typo = events[(events["event"] == "edited") & (events["field"] == "title")].iloc[0]
    assert (typo["old"], typo["new"]) == (
        "Resoration of the gallery railing: scaffolding goes up",
        "Restoration of the gallery railing: scaffolding goes up",
    )
    back = events[events["event"] == "returned"]
    assert list(back["item"]) == ["2019-01-10-ae10ceee"]
    stalled = events[events["event"] == "counter_stalled"]
    assert set(stalled["captured"]) == {"2021-03-01", "2021-07-19", "2021-12-06"}
    assert all(stalled["field"].str.contains("days have passed since"))


def test_a_page_keeps_its_profile_and_options(tmp_path: Path) -> None:
    files = archive_files()
    with Store(tmp_path / "history.db") as store:
        store.add(files[:3])
        with pytest.raises(StoreError, match=r"threshold 0\.6: give the same options"):
            store.add(files[3:], options=diffcore.DiffOptions(threshold=0.7))
        renamed = dataclasses.replace(default_profile(), name="my-news-page")
        with pytest.raises(StoreError, match="was added with profile dated-news-page, not my-news-page"):
            store.add(files[3:], profile=renamed)
        assert store.page().captures == 3


def test_pages_are_kept_apart_and_picked_by_url(tmp_path: Path) -> None:
    with Store(tmp_path / "history.db") as store:
        store.add([ARCHIVE_DIR])
        store.add([WARC])
        pages = store.pages()
        assert [(page.url, page.captures) for page in pages] == [
            (None, 14),
            ("https://www.saltmere-trust.example/news/", 4),
        ]
        with pytest.raises(StoreError, match=r"holds 2 pages: .*pick one with --url"):
            store.timeline()
        warc = store.timeline(url="saltmere-trust.example/news")
        assert warc == diffcore.timeline(diffcore.load_many([WARC]).snapshots)
        with pytest.raises(StoreError, match=r"no captures of https://elsewhere\.example"):
            store.timeline(url="https://elsewhere.example")


def test_the_schema_is_named_and_versioned(filled: Path) -> None:
    with Store(filled, read_only=True) as store:
        _, rows = store.query("SELECT key, value FROM meta ORDER BY key")
    assert dict(rows) == {
        "format": "diffcore-store",
        "schema_version": str(schema.SCHEMA_VERSION),
        "written_by": f"diffcore {diffcore.__version__}",
    }


def test_the_views_answer_the_readme_questions(filled: Path) -> None:
    with Store(filled, read_only=True) as store:
        _, gaps = store.query("SELECT identity, gaps FROM item_lifetimes WHERE gaps > 0")
        _, longest = store.query("SELECT identity, days_on_page FROM item_lifetimes ORDER BY days_on_page DESC LIMIT 1")
        _, stays = store.query(
            "SELECT identity, first_seen, last_seen, days FROM item_stays WHERE identity = ?", ["2019-01-10-ae10ceee"]
        )
    assert gaps == [("2019-01-10-ae10ceee", 1)]
    assert longest == [("2018-11-26-18715bab", 1729)]
    assert stays == [
        ("2019-01-10-ae10ceee", "2019-02-04", "2019-09-02", 210),
        ("2019-01-10-ae10ceee", "2021-03-01", "2021-12-06", 280),
    ]


def test_a_query_cannot_change_the_store(filled: Path) -> None:
    before = digest(filled)
    with Store(filled) as store, pytest.raises(StoreError, match="readonly"):
        store.query("DELETE FROM events")
    assert digest(filled) == before


def test_reading_a_missing_store_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such store"), Store(tmp_path / "none.db") as store:
        store.timeline()
    assert not (tmp_path / "none.db").exists()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"7 August 2020\nnot a database\n", "not a diffcore store \\(not an SQLite database\\)"),
        (None, "an SQLite database, but not a diffcore store"),
    ],
    ids=["text", "other-sqlite"],
)
def test_a_file_that_is_not_a_store_is_refused_untouched(tmp_path: Path, content: bytes | None, reason: str) -> None:
    path = tmp_path / "other.db"
    if content is None:
        with sqlite3.connect(path) as other:
            other.execute("CREATE TABLE notes (text TEXT)")
        other.close()
    else:
        path.write_bytes(content)
    before = digest(path)
    for read_only in (True, False):
        with pytest.raises(StoreError, match=reason), Store(path, read_only=read_only) as store:
            store.add([ARCHIVE_DIR]) if not read_only else store.timeline()
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_a_damaged_store_is_refused_untouched(filled: Path, tmp_path: Path) -> None:
    path = tmp_path / "damaged.db"
    data = bytearray(filled.read_bytes())
    data[100:4096] = random.Random(1).randbytes(4096 - 100)  # the schema page
    path.write_bytes(bytes(data))
    before = digest(path)
    for read_only in (True, False):
        with pytest.raises(StoreError, match="damaged store"), Store(path, read_only=read_only) as store:
            store.add([ARCHIVE_DIR]) if not read_only else store.timeline()
    assert digest(path) == before


def test_a_store_of_another_schema_version_is_refused(filled: Path, tmp_path: Path) -> None:
    for version, reason in ((schema.SCHEMA_VERSION + 1, "upgrade diffcore"), (0, "cannot upgrade to")):
        path = tmp_path / f"v{version}.db"
        shutil.copy(filled, path)
        with sqlite3.connect(path) as db:
            db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),))
        db.close()
        before = digest(path)
        for read_only in (True, False):
            with pytest.raises(StoreError, match=reason), Store(path, read_only=read_only) as store:
                store.timeline()
        assert digest(path) == before


def test_an_older_schema_is_upgraded_by_a_writer_and_named_to_a_reader(
    filled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    shutil.copy(filled, path)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    db.close()
    steps: list[int] = []
    monkeypatch.setitem(schema.MIGRATIONS, 0, lambda db: steps.append(0))
    with pytest.raises(StoreError, match="`diffcore store add` upgrades it"), Store(path, read_only=True) as store:
        store.timeline()
    with Store(path) as store:
        store.upgrade()
    assert steps == [0]
    with Store(path, read_only=True) as store:
        assert store.query("SELECT value FROM meta WHERE key = 'schema_version'")[1] == [(str(schema.SCHEMA_VERSION),)]


def test_verify_finds_what_was_changed_behind_its_back(filled: Path, tmp_path: Path) -> None:
    path = tmp_path / "tampered.db"
    shutil.copy(filled, path)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE items SET edits = edits + 1 WHERE identity = '2018-12-03-a54543ed'")
        db.execute("DELETE FROM events WHERE event = 'returned'")
        db.execute("UPDATE captures SET seq = 99 WHERE seq = 3")
    db.close()
    with Store(path, read_only=True) as store:
        problems = store.verify()
    joined = "\n".join(problems)
    assert "captures are not numbered 0, 1, 2... in order" in joined
    with sqlite3.connect(path) as db:
        db.execute("UPDATE captures SET seq = 3 WHERE seq = 99")
    db.close()
    with Store(path, read_only=True) as store:
        joined = "\n".join(store.verify())
    assert "item 2018-12-03-a54543ed: stored ItemHistory" in joined and "edits=2" in joined
    assert "missing returned event" in joined


def test_a_snapshot_without_its_capture_record_is_refused(tmp_path: Path) -> None:
    snapshot = dataclasses.replace(diffcore.load(archive_files()[0]), capture=None)
    with Store(tmp_path / "history.db") as store, pytest.raises(StoreError, match="without its capture record"):
        store.add_snapshots([snapshot])


def test_inputs_are_read_as_every_command_reads_them(tmp_path: Path) -> None:
    with Store(tmp_path / "history.db") as store, pytest.raises(InputError, match="no such file"):
        store.add([tmp_path / "missing.txt"])


def test_the_seeds_one_by_one_in_shuffled_order_give_the_batch_timeline(seeds_dir: Path, tmp_path: Path) -> None:
    seeds = sorted(seeds_dir.glob("*.txt"))
    batch = diffcore.timeline(diffcore.load_many(seeds).snapshots)
    for seed in range(3):
        order = seeds[:]
        random.Random(seed).shuffle(order)
        with Store(tmp_path / f"seeds-{seed}.db") as store:
            for path in order:
                store.add([path])
            assert store.timeline() == batch
            assert store.verify() == []


LINKED = (
    "01.03.2021 - [Storm damage to the north jetty assessed](https://example.org/storm)\n\n"
    "Engineers walked the jetty and listed the repairs it needs before summer.\n\n"
)
GALA = (
    "25.02.2021 - [Winter gala raises funds for the lamp room](https://example.org/gala)\n\n"
    "Two hundred guests attended the gala in the boathouse on Saturday evening.\n\n"
)
BIRDS = (
    "05.03.2021 - [Puffin count begins on the outer rocks](https://example.org/birds)\n\n"
    "Volunteers will count nesting pairs every morning until the end of April.\n\n"
)


def test_a_linked_item_that_returns_unchanged_is_not_an_edit(tmp_path: Path) -> None:
    """An absent item keeps its link in the store as in the batch timeline: back unchanged, it is no edit."""
    folder = tmp_path / "archive"
    folder.mkdir()
    for day, body in ((1, LINKED + GALA), (8, GALA), (15, BIRDS + LINKED + GALA)):
        (folder / f"2021-03-{day:02}.txt").write_text(f"{day} March 2021\n\n\n{body}all messages\n", encoding="utf-8")
    snapshots = diffcore.load_many([folder]).snapshots
    assert all(item.link for snapshot in snapshots for item in snapshot.items)
    batch = diffcore.timeline(snapshots)
    storm = next(h for h in batch.histories if h.title.startswith("Storm"))
    assert storm.runs == ((0, 0), (2, 2))
    assert [h.edits for h in batch.histories] == [0, 0, 0]
    with Store(tmp_path / "history.db") as store:
        for path in sorted(folder.glob("*.txt"), reverse=True):  # newest first: each add folds the tail again
            store.add([path])
        assert store.timeline() == batch
        assert store.verify() == []
        assert store.query("SELECT count(*) FROM events WHERE event = 'edited'")[1] == [(0,)]
        assert store.query("SELECT count(*) FROM events WHERE event = 'returned'")[1] == [(1,)]


def test_the_readme_store_example_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The README's Python example of the history store runs as written (from a folder where `examples` is ours)."""
    readme = README.read_text(encoding="utf-8")
    section = readme.split("## History store", 1)[1].split("\n## ", 1)[0]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    (tmp_path / "examples").symlink_to(EXAMPLES_DIR)
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert out.startswith("14 captures added; True\n")
    assert "2019-01-10-ae10ceee" in out


def test_captures_already_held_are_found_read_at_once_or_one_by_one(filled: Path) -> None:
    from diffcore.load import scan
    from diffcore.store.writing import is_present, presence_test

    entries = scan([ARCHIVE_DIR]).captures
    shifted = dataclasses.replace(entries[0].capture, captured_at=entries[1].capture.captured_at)
    other_payload = dataclasses.replace(entries[2].capture, digest="0" * 64)
    asked = [(entry.capture, entry.text_digest) for entry in entries]
    asked += [(shifted, entries[0].text_digest), (other_payload, entries[2].text_digest), (other_payload, None)]
    db = sqlite3.connect(f"file:{filled}?mode=ro", uri=True)
    try:
        (page_id,) = db.execute("SELECT page_id FROM pages").fetchone()
        at_once, one_by_one = presence_test(db, page_id, len(entries)), presence_test(db, page_id, 1)
        expected = [is_present(db, page_id, capture, text) for capture, text in asked]
        assert [at_once(capture, text) for capture, text in asked] == expected
        assert [one_by_one(capture, text) for capture, text in asked] == expected
    finally:
        db.close()
    assert expected == [True] * len(entries) + [False, entries[2].text_digest is not None, False]


def test_parsed_runs_read_back_as_parsed(tmp_path: Path) -> None:
    """What workers send (items the capture before showed alike by their place there) reads back exactly,
    items moved and their lines shifted."""
    import pickle

    from diffcore.diff import DiffOptions
    from diffcore.load import scan
    from diffcore.store import _parsed_run
    from diffcore.timeline import matched_captures, runs_of
    from synthetic import Churn, iter_captures

    for capture in iter_captures(12, 10, 5, Churn(added=0.3, dropped=0.2, returns=0.2, edited_title=0.1)):
        (tmp_path / capture.name).write_text(capture.text, encoding="utf-8")
    entries = scan([tmp_path], workers=1).captures
    profile, options = default_profile(), DiffOptions()
    expected = [
        (snapshot, matching) for snapshot, _, matching in matched_captures(None, entries, profile, options, None)
    ]
    got = []
    before: tuple[diffcore.Item, ...] = ()
    for run in runs_of(entries, 4):
        for parsed in pickle.loads(pickle.dumps(_parsed_run(run, profile, options, None))):
            snapshot = parsed.snapshot(before)
            before = snapshot.items
            got.append((snapshot, parsed.matching))
    assert got == expected
    assert sum(len(parsed.kept) for parsed in _parsed_run((None, entries), profile, options, None)) > len(entries)
