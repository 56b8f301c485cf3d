"""What a store writes for others: its Atom feed (read back with feedparser) and its CSV and Parquet exports."""

from __future__ import annotations

import io
import random
import sys
from pathlib import Path

import feedparser
import pandas as pd
import pytest

from diffcore.errors import MissingExtraError, OutputError
from diffcore.profile import load_profile
from diffcore.render.as_csv import neutralise
from diffcore.store import Store
from tests.paths import ARCHIVE_DIR, EXAMPLES_DIR

LINKS = EXAMPLES_DIR / "layouts" / "news-links"
LINKS_PROFILE = EXAMPLES_DIR / "layouts" / "news-links.toml"


@pytest.fixture(scope="module")
def archive_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("outputs") / "history.db"
    with Store(path) as store:
        store.add([ARCHIVE_DIR])
    return path


def test_the_feed_is_atom_with_an_entry_per_item_event_newest_first(archive_store: Path) -> None:
    with Store(archive_store, read_only=True) as store:
        text = store.feed(limit=0)
        events = store.events()
    feed = feedparser.parse(text)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    item_events = events[events["event"].isin(["appeared", "returned", "edited", "dropped"])]
    assert len(feed.entries) == len(item_events.drop_duplicates(["captured_at", "item", "event"]))
    times = [entry.updated_parsed for entry in feed.entries]
    assert times == sorted(times, reverse=True)
    assert len({entry.id for entry in feed.entries}) == len(feed.entries)
    assert {entry.title.split(":")[0] for entry in feed.entries} == {"Added", "Back", "Edited", "Dropped"}
    [typo] = [entry for entry in feed.entries if "gallery railing" in entry.title and entry.title.startswith("Edited")]
    assert "<del>Resoration</del> <ins>Restoration</ins>" in typo.content[0].value
    assert feed.feed.updated == "2023-10-30T00:00:00Z"


def test_page_text_is_never_markup_in_the_feed(archive_store: Path) -> None:
    with Store(archive_store, read_only=True) as store:
        text = store.feed(limit=0)
    assert "<script" not in text
    [entry] = [e for e in feedparser.parse(text).entries if "Open day" in e.title]
    assert entry.title == "Added: <script>window.pwned=1</script> Open day"
    assert "<script" not in entry.content[0].value


def test_the_feed_keeps_the_newest_entries(archive_store: Path) -> None:
    with Store(archive_store, read_only=True) as store:
        newest = feedparser.parse(store.feed(limit=3)).entries
        every = feedparser.parse(store.feed(limit=0)).entries
    assert [entry.id for entry in newest] == [entry.id for entry in every[:3]]


def test_the_feed_is_the_same_whatever_order_the_captures_came_in(archive_store: Path, tmp_path: Path) -> None:
    files = sorted(ARCHIVE_DIR.glob("*.txt"))
    random.Random(5).shuffle(files)
    with Store(tmp_path / "shuffled.db") as store:
        for path in files:
            store.add([path])
        shuffled = store.feed(limit=0)
    with Store(archive_store, read_only=True) as store:
        assert shuffled == store.feed(limit=0)


def test_feed_entries_link_to_their_items(tmp_path: Path) -> None:
    with Store(tmp_path / "links.db") as store:
        store.add([LINKS], profile=load_profile(str(LINKS_PROFILE)))
        feed = feedparser.parse(store.feed())
    assert not feed.bozo
    links = {entry.title: entry.link for entry in feed.entries}
    assert links["Added: Spring regatta returns after four years"].startswith("https://news.example/saltmere/")
    [edit] = [entry for entry in feed.entries if entry.title.startswith("Edited: New lifeboat")]
    assert "<b>link</b>" in edit.content[0].value


def test_control_characters_in_page_text_keep_the_feed_valid(tmp_path: Path) -> None:
    first, second = sorted(ARCHIVE_DIR.glob("*.txt"))[:2]
    folder = tmp_path / "captures"
    folder.mkdir()
    (folder / first.name).write_bytes(first.read_bytes())
    text = second.read_text(encoding="utf-8").replace("Volunteer day", "Volunteer\x1b[2J day\x07", 1)
    (folder / second.name).write_text(text, encoding="utf-8")
    with Store(tmp_path / "controls.db") as store:
        store.add([folder])
        text = store.feed(limit=0)
    feed = feedparser.parse(text)
    assert not feed.bozo, feed.get("bozo_exception")
    assert "\x1b" not in text and "\x07" not in text
    assert any("Volunteer\\x1b[2J day\\x07" in entry.title for entry in feed.entries)


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_export_writes_every_table_as_csv(archive_store: Path, tmp_path: Path) -> None:
    with Store(archive_store, read_only=True) as store:
        names = store.export(tmp_path / "out")
        events = store.events()
    assert sorted(names) == sorted(
        f"{table}.csv" for table in ("events", "items", "presence", "captures", "counters", "leads", "pages")
    )
    exported = read_csv(tmp_path / "out" / "events.csv")
    assert list(exported.columns) == list(events.columns)
    assert len(exported) == len(events)
    expected = events.astype(object).where(events.notna(), "").map(lambda v: str(neutralise(v)) if v != "" else "")
    assert exported.equals(expected.astype(str))
    items = read_csv(tmp_path / "out" / "items.csv")
    assert len(items) == 28
    back = items[items["item"] == "2019-01-10-ae10ceee"].iloc[0]
    assert (back["gaps"], back["seen"], back["first_seen"], back["last_seen"]) == ("1", "6", "2019-02-04", "2021-12-06")
    with Store(archive_store, read_only=True) as store:
        [(on_captures,)] = store.query("SELECT sum(item_count) FROM captures")[1]
    assert len(read_csv(tmp_path / "out" / "presence.csv")) == on_captures


def test_parquet_gives_the_same_events_as_csv(archive_store: Path, tmp_path: Path) -> None:
    pyarrow = pytest.importorskip("pyarrow.parquet")
    with Store(archive_store, read_only=True) as store:
        store.export(tmp_path / "csv")
        store.export(tmp_path / "parquet", format="parquet")
        events = store.events()
    table = pyarrow.read_table(tmp_path / "parquet" / "events.parquet").to_pandas()
    pd.testing.assert_frame_equal(table, events)
    as_csv = table.astype(object).where(table.notna(), "").map(lambda v: str(neutralise(v)) if v != "" else "")
    assert as_csv.astype(str).equals(read_csv(tmp_path / "csv" / "events.csv"))
    for name in ("items", "presence", "captures", "counters", "leads", "pages"):
        parquet = pyarrow.read_table(tmp_path / "parquet" / f"{name}.parquet")
        assert parquet.num_rows == len(read_csv(tmp_path / "csv" / f"{name}.csv")), name


def test_parquet_without_pyarrow_names_the_extra(
    archive_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with Store(archive_store, read_only=True) as store, pytest.raises(MissingExtraError, match=r"diffcore\[parquet\]"):
        store.export(tmp_path / "out", format="parquet")
    assert not (tmp_path / "out").exists()


def test_export_never_writes_beside_the_store(archive_store: Path) -> None:
    with Store(archive_store, read_only=True) as store, pytest.raises(OutputError, match="must not hold an input"):
        store.export(archive_store.parent)


def test_events_frame_reads_as_the_csv(archive_store: Path) -> None:
    with Store(archive_store, read_only=True) as store:
        events = store.events()
    buffer = io.StringIO()
    events.to_csv(buffer, index=False)
    assert (
        buffer.getvalue().splitlines()[0] == "page,item,captured_at,captured,event,field,old,new,title,published,link"
    )
