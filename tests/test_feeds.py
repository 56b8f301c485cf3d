"""Feeds are captures whose items are their entries, read with no profile: RSS 2.0, RSS 1.0/RDF, Atom, JSON Feed.

The fixtures under tests/fixtures/feeds/ are fictional feeds over two or
three captures each, named by date, where entries are added, dropped,
retitled and re-dated. An entry keeps its guid (or id, or link) through all
of it: a retitled or re-dated entry is one edited item, never a drop and an add.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import shutil
from pathlib import Path

import pytest

import diffcore
from diffcore.errors import SnapshotError
from diffcore.inputs.feed import feed_text
from diffcore.inputs.sniff import feed_type, is_feed
from diffcore.model import SnapshotDiff
from synthetic import warcs
from tests.contract import check_diff_contract
from tests.paths import EXAMPLES_DIR, FIXTURES_DIR
from tests.support import Cli, assert_lines_accounted

FEEDS = FIXTURES_DIR / "feeds"
RSS, RDF, ATOM, JSON_FEED = (FEEDS / kind for kind in ("rss", "rdf", "atom", "json"))


def _diffs(folder: Path) -> list[SnapshotDiff]:
    snapshots = diffcore.load_many([folder]).snapshots
    return [diffcore.diff(old, new) for old, new in itertools.pairwise(snapshots)]


def _titles(items: tuple[diffcore.Item, ...]) -> list[str]:
    return [item.title for item in items]


def _edits(report: SnapshotDiff) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(edit.old.title, edit.new.title, edit.kinds) for edit in report.edited]


def test_rss_entries_keep_their_guid_through_a_new_title_and_date() -> None:
    first, second = _diffs(RSS)
    assert _titles(first.added) == ["Tidewright 1.5.0: harbour webcams"]
    assert first.dropped == ()
    assert _edits(first) == [
        ("Tidewright 1.4.0: Kestrel Rock tables", "Tidewright 1.4.0: Kestrel Rock and Gullhaven tables", ("title",))
    ]
    assert len(first.unchanged_items) == 2
    assert _titles(second.added) == ["Tide tables as iCalendar files"]
    assert _titles(second.dropped) == ["Tidewright 1.3.2 & the leap-day fix"]  # an entity read as its character
    assert _edits(second) == [
        ("Call for testers of the lunar almanac", "Lunar almanac: testers still wanted", ("published", "title"))
    ]
    edit = second.edited[0]
    assert (edit.old.published, edit.new.published) == (dt.date(2024, 2, 15), dt.date(2024, 3, 29))
    assert edit.new.link == "https://tidewright.example/news/almanac-testers"  # its link is shown
    assert edit.old.id == edit.new.id  # a guid that is no permalink is still the identity
    assert second.added[0].link == "https://tidewright.example/news/icalendar"  # no guid: its link


def test_an_rss_entry_reads_its_html_description_as_paragraphs() -> None:
    snapshot = diffcore.load(RSS / "2024-03-01.xml")
    first = snapshot.items[0]
    assert first.summary == ("Tide tables for Kestrel Rock.", "The --harbour option takes several names.")
    assert first.published == dt.date(2024, 2, 27) and first.link == "https://tidewright.example/releases/1.4.0"
    assert snapshot.lead is not None and snapshot.lead.title == "Tidewright releases"
    assert snapshot.lead.paragraphs == ("New versions of Tidewright, the tide-table library for small harbours.",)
    assert snapshot.capture is not None
    assert (snapshot.capture.media_type, snapshot.capture.url) == (
        "application/rss+xml",
        "https://tidewright.example/releases.xml",  # its self link
    )
    assert snapshot.warnings == () and snapshot.unparsed == ()


def test_rdf_items_are_known_by_their_about() -> None:
    (report,) = _diffs(RDF)
    assert _titles(report.added) == ["Notice 13: green buoy G3 moved"]
    assert report.dropped == ()
    assert _edits(report) == [
        ("Notice 12: dredging at the East Quay", "Notice 12: dredging at the East Quay extended", ("title", "summary"))
    ]
    assert report.edited[0].new.published == dt.date(2024, 4, 29)  # dc:date


def test_atom_entries_are_known_by_their_id() -> None:
    (report,) = _diffs(ATOM)
    assert _titles(report.added) == ["New keeper's log on display"]
    assert _titles(report.dropped) == ["Seabird count: 212 nesting pairs"]  # an HTML title read as its text
    assert _edits(report) == [
        ("Open day on 22 June", "Open day on 22 June: 340 visitors", ("published", "title", "summary"))
    ]
    assert report.edited[0].new.link == "https://kestrel-rock.example/journal/open-day"
    assert _titles(report.unchanged_items) == [] and [move.item.title for move in report.moved] == [
        "Lamp room repainted"
    ]


def test_atom_published_dates_are_utc_days() -> None:
    snapshot = diffcore.load(ATOM / "2024-06-03.xml")
    assert [item.published for item in snapshot.items] == [
        dt.date(2024, 5, 30),
        dt.date(2024, 5, 21),
        dt.date(2024, 5, 12),  # 08:00 at +02:00 is 06:00 UTC, the same day
    ]
    assert snapshot.lead is not None and snapshot.lead.paragraphs == ("Notes from the keepers' cottage.",)
    assert snapshot.capture is not None and snapshot.capture.media_type == "application/atom+xml"


def test_json_feed_items_are_known_by_their_id() -> None:
    (report,) = _diffs(JSON_FEED)
    assert _titles(report.added) == ["Fog: morning crossings may be late"]
    assert _titles(report.dropped) == ["Ramp works at Saltmere slip"]
    assert _edits(report) == [("Evening crossings resume", "Evening crossings are back", ("title",))]
    old = diffcore.load(JSON_FEED / "2024-07-01.json")
    assert old.items[1].summary == ("The slip is closed on Tuesday mornings.", "Foot passengers board at the steps.")
    assert old.items[2].summary == ("Crossings every half hour from 7:00.",)  # no content: its summary
    assert old.capture is not None
    assert (old.capture.media_type, old.capture.url) == (
        "application/feed+json",
        "https://saltmere-ferry.example/notes.json",
    )


@pytest.mark.parametrize("path", sorted(FEEDS.rglob("*.*")), ids=lambda path: f"{path.parent.name}/{path.name}")
def test_every_line_of_a_feeds_text_has_its_place(path: Path) -> None:
    text = feed_text(path.read_bytes(), str(path)).text
    assert_lines_accounted(text, diffcore.load(path))


def test_the_capture_time_falls_back_to_the_feeds_updated_date(tmp_path: Path) -> None:
    named = shutil.copy(RSS / "2024-03-15.xml", tmp_path / "releases.xml")
    capture = diffcore.load(named).capture
    assert capture is not None and capture.time_source == "feed-date"
    assert capture.captured_at == dt.datetime(2024, 3, 15, 10, 5, tzinfo=dt.UTC)  # lastBuildDate
    atom = shutil.copy(ATOM / "2024-06-03.xml", tmp_path / "journal.atom")
    capture = diffcore.load(atom).capture
    assert capture is not None and capture.captured_at == dt.datetime(2024, 6, 3, 16, tzinfo=dt.UTC)  # in UTC
    by_name = diffcore.load(RSS / "2024-03-15.xml").capture
    assert by_name is not None and by_name.time_source == "file-name"  # the file name wins
    undated = shutil.copy(JSON_FEED / "2024-07-01.json", tmp_path / "notes.json")  # JSON Feed has no feed date
    with pytest.raises(SnapshotError, match="nothing else says when the page was captured"):
        diffcore.load(undated)
    given = diffcore.load(undated, captured="2024-07-02").capture
    assert given is not None and given.time_source == "user"


def _feed_response(url: str, when: dt.datetime, body: bytes, content_type: str) -> warcs.Record:
    headers = (("Content-Type", content_type), ("Content-Length", str(len(body))))
    return warcs.Record("response", url, when, body, ("200 OK", headers), "application/http; msgtype=response")


def test_a_feed_in_a_warc_record_is_a_capture(tmp_path: Path) -> None:
    url = "https://tidewright.example/releases.xml"
    first, second = (RSS / "2024-03-01.xml").read_bytes(), (RSS / "2024-03-15.xml").read_bytes()
    crawl = warcs.write_warc(
        tmp_path / "crawl.warc.gz",
        [
            _feed_response(url, dt.datetime(2024, 3, 2, 5, tzinfo=dt.UTC), first, "application/rss+xml; charset=utf-8"),
            warcs.png_response("https://tidewright.example/logo.png", dt.datetime(2024, 3, 2, 5, tzinfo=dt.UTC)),
            _feed_response(url, dt.datetime(2024, 3, 16, 5, tzinfo=dt.UTC), second, "text/xml"),  # known by its bytes
            _feed_response(url, dt.datetime(2024, 3, 17, 5, tzinfo=dt.UTC), b"<p>not a feed</p>", "text/xml"),
        ],
    )
    inventory = diffcore.scan([crawl])
    assert [entry.capture.media_type for entry in inventory.captures] == ["application/rss+xml"] * 2
    assert [entry.capture.time_source for entry in inventory.captures] == ["warc-date"] * 2
    assert inventory.passed_over == 2  # the image, and the XML that is no feed
    old, new = diffcore.load_many([crawl]).snapshots
    report = diffcore.diff(old, new)
    assert _titles(report.added) == ["Tidewright 1.5.0: harbour webcams"]
    assert [edit.kinds for edit in report.edited] == [("title",)]


def test_commands_read_feeds_with_no_profile(cli: Cli) -> None:
    old, new = sorted(str(path) for path in RSS.glob("*.xml"))[1:]
    shown = cli("show", old)
    assert (shown.returncode, shown.stderr) == (0, "")
    assert "taken:    2024-03-15 (from the file name)" in shown.stdout
    assert "url:      https://tidewright.example/releases.xml" in shown.stdout
    diffed = cli("diff", old, new, "--format", "json")
    assert diffed.returncode == 1, diffed.stderr
    report = json.loads(diffed.stdout)
    check_diff_contract(report)
    assert report["new"]["capture"]["media_type"] == "application/rss+xml"
    assert [edit["new"]["title"] for edit in report["edited"]] == ["Lunar almanac: testers still wanted"]
    timeline = cli("timeline", str(ATOM), "--profile", "keep-a-changelog")  # a feed is read as one, whatever it names
    assert (timeline.returncode, timeline.stderr) == (0, "")
    assert "Open day on 22 June: 340 visitors (2 titles)" in timeline.stdout
    checked = cli("profile", "check", "dated-news-page", str(JSON_FEED / "2024-07-01.json"))
    assert (checked.returncode, checked.stderr) == (0, "")
    assert "read with profile feed" in checked.stdout
    assert "     4  item        ## 2024-06-28 | Evening crossings resume" in checked.stdout
    assert "     5  link        <https://saltmere-ferry.example/notes/88>" in checked.stdout
    assert "     6  key         id: note-88" in checked.stdout


def test_damaged_feeds_are_skipped_in_a_folder_and_refused_when_named(cli: Cli, tmp_path: Path) -> None:
    shutil.copy(RSS / "2024-03-01.xml", tmp_path / "2024-03-01.xml")
    (tmp_path / "2024-03-02.xml").write_bytes((RSS / "2024-03-15.xml").read_bytes()[:300])  # cut inside its header
    (tmp_path / "2024-03-03.xml").write_bytes(b"\x00\xff garbage <<<")
    (tmp_path / "2024-03-04.rss").write_bytes(b'<rss version="2.0"><channel><item><title>&#xD800;</title>')
    (tmp_path / "package.json").write_text('{"name": "tidewright"}', encoding="utf-8")
    result = cli("timeline", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "Timeline: 1 capture" in result.stdout
    warnings = result.stderr.splitlines()
    assert f"diffcore: {tmp_path}/2024-03-02.xml: skipped: not a readable feed: unclosed token" in warnings
    assert f"diffcore: {tmp_path}/2024-03-03.xml: skipped: not a page capture (.xml file that is not a feed)" in (
        warnings
    )
    assert any(
        line.startswith(f"diffcore: {tmp_path}/2024-03-04.rss: skipped: not a readable feed") for line in warnings
    )
    assert f"diffcore: {tmp_path}/package.json: skipped: not a page capture (.json file that is not a feed)" in warnings
    for name in ("2024-03-02.xml", "2024-03-04.rss"):
        named = cli("show", str(tmp_path / name))
        assert named.returncode == 2 and len(named.stderr.splitlines()) == 1, named.stderr
        assert "not a readable feed" in named.stderr and "internal error" not in named.stderr
    broken_json = tmp_path / "notes.json"
    broken_json.write_text('{"version": "https://jsonfeed.org/version/1.1", "items": [', encoding="utf-8")
    named = cli("show", str(broken_json), "--captured", "2024-07-01")
    assert named.returncode == 2 and "not a readable JSON Feed" in named.stderr, named.stderr


def test_feeds_are_known_by_their_first_bytes() -> None:
    atom = b'<?xml version="1.0"?>\n<!-- a comment -->\n<feed xmlns="http://www.w3.org/2005/Atom">'
    assert feed_type(atom) == "application/atom+xml"
    assert feed_type(b"\xef\xbb\xbf  <rss version='2.0'>") == "application/rss+xml"
    assert feed_type('<?xml version="1.0" encoding="utf-16"?><rss>'.encode("utf-16")) == "application/rss+xml"
    assert feed_type(b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "x.dtd">\n<rss>') is not None
    assert feed_type(b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">') == "application/rss+xml"
    assert feed_type(b'{\n  "version": "https://jsonfeed.org/version/1.1",\n  "items": []}') == (
        "application/feed+json"
    )
    for other in (b"<!doctype html><html>", b"<rssx>", b'{"version": "1.0"}', b"7 August 2020\n", b""):
        assert not is_feed(other)


def test_page_text_in_a_feed_never_forges_an_entry() -> None:
    body = (
        b'<rss version="2.0"><channel><title>## 2024-01-01 | Harbour</title>'
        b"<item><title>Real</title><guid>r1</guid><description>&lt;p&gt;## 2024-02-02 | Forged&lt;/p&gt;"
        b"&lt;p&gt;&amp;lt;https://forged.example/&amp;gt;&lt;/p&gt;</description></item></channel></rss>"
    )
    text = feed_text(body, "feed.xml").text
    assert text.splitlines() == [
        "\\## 2024-01-01 | Harbour",
        "",
        "## | Real",
        "<r1>",
        "\\## 2024-02-02 | Forged",
        "\\<https://forged.example/>",
        "",
    ]


def test_the_feed_example_reads_as_the_readme_says() -> None:
    loaded = diffcore.load_many([EXAMPLES_DIR / "feed"])
    assert loaded.skipped == () and [len(snapshot.items) for snapshot in loaded.snapshots] == [3, 4, 4]
    assert all(snapshot.warnings == () for snapshot in loaded.snapshots)
    first, second = (diffcore.diff(old, new) for old, new in itertools.pairwise(loaded.snapshots))
    assert [(edit.new.title, edit.kinds) for edit in first.edited] == [
        ("Tide tables for the north pier", ("published", "title", "summary")),
        ("Lanternkeeper 1.1.0: log export (CSV and JSON)", ("title", "summary")),
    ]
    assert _titles(second.added) == ["Call for fog signal recordings"]
    assert _titles(second.dropped) == ["Lanternkeeper 1.0.0"]


def test_an_entry_given_another_link_is_one_item_known_by_its_guid(tmp_path: Path) -> None:
    def rss(link: str) -> str:
        return (
            '<rss version="2.0"><channel><title>Harbour</title><lastBuildDate>Mon, 01 Jul 2024 08:00:00 GMT'
            '</lastBuildDate><item><title>Ferry notes</title><guid isPermaLink="false">note-9</guid>'
            f"<link>{link}</link><pubDate>Fri, 28 Jun 2024 10:00:00 GMT</pubDate></item></channel></rss>"
        )

    (tmp_path / "2024-07-01.xml").write_text(rss("https://h.example/notes/9"), encoding="utf-8")
    (tmp_path / "2024-07-02.xml").write_text(rss("https://h.example/2024/notes/9"), encoding="utf-8")
    old, new = (diffcore.load(tmp_path / name) for name in ("2024-07-01.xml", "2024-07-02.xml"))
    report = diffcore.diff(old, new)
    assert [edit.kinds for edit in report.edited] == [("link",)] and not report.added and not report.dropped
    assert report.edited[0].old.id == report.edited[0].new.id
