"""`snapshot_from_payload` and `fold_page` on snapshots: the README's recipe for captures read by other tools."""

from __future__ import annotations

from pathlib import Path

import pytest

import diffcore
from diffcore import snapshot_from_payload
from diffcore.collection import TABLES, fold_page
from diffcore.errors import SnapshotError

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "examples" / "inputs" / "html"
URL = "https://saltmere-trust.example/news"


def test_a_payload_reads_as_the_same_file_does() -> None:
    path = HTML / "2019-02-04.html"
    from_bytes = snapshot_from_payload(path.read_bytes(), URL, "2019-02-04T12:00:00Z")
    from_file = diffcore.load(path)
    assert from_bytes.items == from_file.items
    assert from_bytes.capture is not None
    assert (from_bytes.capture.url, from_bytes.capture.media_type) == (URL, "text/html")
    assert from_bytes.capture.captured_at.isoformat() == "2019-02-04T12:00:00+00:00"


def test_the_recipe_gives_the_timeline_of_the_same_captures() -> None:
    paths = sorted(HTML.glob("*.html"))
    snapshots = [snapshot_from_payload(path.read_bytes(), URL, path.stem) for path in paths]
    tables = fold_page(snapshots, page=URL).tables
    assert set(tables) == set(TABLES)
    for name, table in tables.items():
        assert list(table.columns) == list(TABLES[name]), name
        assert set(table["page"]) <= {URL}
    timeline = diffcore.timeline(snapshots)
    presence = tables["presence"]
    assert len(presence) == sum(len(snapshot.items) for snapshot in snapshots)
    assert sorted(tables["items"]["item"]) == sorted(history.identity for history in timeline.histories)
    seen = {history.identity: sum(last - first + 1 for first, last in history.runs) for history in timeline.histories}
    assert dict(zip(tables["items"]["item"], tables["items"]["seen"], strict=True)) == seen


def test_a_payload_without_text_is_refused_naming_it() -> None:
    with pytest.raises(SnapshotError, match=r"^crawl\.warc at offset 7: "):
        snapshot_from_payload(b"<html><body></body></html>", URL, "2020-01-01", where="crawl.warc at offset 7")
