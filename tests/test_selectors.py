"""A profile's `[html]` CSS selectors read an HTML page's items straight from its elements.

tests/fixtures/selectors/news/ holds three captures of a fictional harbour
trust's news list; `truth.json` beside it says, written by hand from the
HTML, which items each holds and what changed between them.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

import diffcore
from diffcore.errors import ProfileError, SnapshotError
from diffcore.inputs.records import Record
from diffcore.inputs.selectors import selected_records
from diffcore.load import capture_text, scan
from diffcore.profile import HtmlSelectors, load_profile, parse_profile
from synthetic.html import wayback_view
from tests.paths import EXAMPLES_DIR, FIXTURES_DIR
from tests.support import Cli, assert_lines_accounted

SELECTORS = FIXTURES_DIR / "selectors"
NEWS = SELECTORS / "news"
PROFILE = SELECTORS / "news.toml"
TRUTH = json.loads((SELECTORS / "truth.json").read_text(encoding="utf-8"))
SITE = "https://gullhaven-harbour.example"


def _item_rows(snapshot: diffcore.Snapshot) -> list[list[object]]:
    return [[str(item.published), item.title, item.link, list(item.summary)] for item in snapshot.items]


def test_the_items_found_are_the_recorded_ones() -> None:
    loaded = diffcore.load_many([NEWS], load_profile(PROFILE))
    assert loaded.skipped == ()
    by_date = {str(snapshot.header.captured): snapshot for snapshot in loaded.snapshots}
    assert list(by_date) == list(TRUTH["captures"])
    for date, items in TRUTH["captures"].items():
        assert _item_rows(by_date[date]) == items, date
        assert by_date[date].warnings == () and by_date[date].unparsed == ()


def test_the_changes_are_the_recorded_ones_and_no_others() -> None:
    snapshots = diffcore.load_many([NEWS], load_profile(PROFILE)).snapshots
    for (old, new), truth in zip(itertools.pairwise(snapshots), TRUTH["changes"], strict=True):
        report = diffcore.diff(old, new)
        assert [item.title for item in report.added] == truth["added"]
        assert [item.title for item in report.dropped] == truth["dropped"]
        assert [[edit.new.title, list(edit.kinds)] for edit in report.edited] == truth["edited"]
        assert sorted(item.title for item in (*report.unchanged_items, *(m.item for m in report.moved))) == sorted(
            truth["unchanged"]
        )


def test_a_datetime_attribute_and_a_printed_date_are_both_read() -> None:
    snapshot = diffcore.load(NEWS / "2021-03-01.html", load_profile(PROFILE))
    printed = {item.title: item.published_text for item in snapshot.items}
    assert printed["Winter dredging finished"] == "2021-02-26"  # <time datetime="2021-02-26">26 Feb</time>
    assert printed["New moorings at the North Pier"] == "February 19, 2021"  # <time>February 19, 2021</time>
    assert printed["Harbour office hours"] == "2021-02-10T09:00:00Z"


def test_every_line_of_the_record_text_has_its_place() -> None:
    profile = load_profile(PROFILE)
    inventory = scan([NEWS], profile)
    for entry in inventory.captures:
        text = capture_text(entry, selectors=profile.html)
        assert_lines_accounted(text, diffcore.load(entry.path, profile))


def test_a_wayback_view_reads_as_the_page_its_links_undone(tmp_path: Path) -> None:
    page = (NEWS / "2021-03-15.html").read_text(encoding="utf-8")
    view = tmp_path / "2021-03-15.html"
    view.write_text(wayback_view(page, f"{SITE}/news/", "20210315093000"), encoding="utf-8")
    profile = load_profile(PROFILE)
    archived, direct = diffcore.load(view, profile), diffcore.load(NEWS / "2021-03-15.html", profile)
    assert [item.link for item in archived.items] == [f"{SITE}{item.link}" for item in direct.items]
    assert [(item.id, item.title, item.summary) for item in archived.items] == [
        (item.id, item.title, item.summary) for item in direct.items
    ]
    assert archived.lead == direct.lead  # the toolbar is no part of the page


def test_defaults_take_the_first_heading_time_and_link() -> None:
    html = """<title>Harbour log</title><body>
      <div class="entry"><h2><a href="/log/1">Gate repaired</a></h2><time datetime="2021-03-03">3 March</time>
        <p>One</p></div>
      <div class="entry"><a href="/log/2">Crane inspected</a> <span hidden>draft</span></div>
      <div class="entry">Just some <b>text</b><a name="x"></a> <time>March 1, 2021</time></div>
    </body>"""
    lead, records = selected_records(html, HtmlSelectors(item="div.entry"))
    assert lead == ["Harbour log"]
    assert records == [
        Record("2021-03-03", "Gate repaired", "/log/1", ()),
        Record(None, "Crane inspected", "/log/2", ()),
        Record("March 1, 2021", "Just some text March 1, 2021", None, ()),
    ]
    _, chosen = selected_records(html, HtmlSelectors(item="div.entry", title="h4", link="a", summary="p, span"))
    assert [(record.title, record.link, record.summary) for record in chosen] == [
        ("", "/log/1", ("One",)),
        ("", "/log/2", ("draft",)),  # an element picked is read as asked, hidden or not
        ("", None, ()),
    ]


def test_an_invalid_selector_is_refused_when_the_profile_is_loaded(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(PROFILE.read_text(encoding="utf-8").replace('title = "h3"', 'title = "h3["'), encoding="utf-8")
    with pytest.raises(ProfileError, match=r"\[html\] title: not a valid CSS selector \(CSS parser error"):
        load_profile(bad)
    result = cli("show", str(NEWS / "2021-03-01.html"), "--profile", str(bad))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith(f"diffcore: {bad}: [html] title: not a valid CSS selector (")
    assert len(result.stderr.splitlines()) == 1
    with pytest.raises(ProfileError, match="needs an item selector"):
        parse_profile({"item": {"start": "^(?P<title>.+)$"}, "html": {"title": "h3"}}, "p.toml")


def test_an_item_selector_that_picks_nothing_is_said(tmp_path: Path) -> None:
    profile = parse_profile({"item": {"start": "^(?P<title>.+)$"}, "html": {"item": "article.news"}}, "p.toml")
    snapshot = diffcore.load(NEWS / "2021-03-01.html", profile)
    assert snapshot.items == ()
    assert any("no item" in warning for warning in snapshot.warnings)
    untitled = tmp_path / "2021-03-01.html"
    untitled.write_text("<!doctype html><html><body><p>Nothing here</p></body></html>", encoding="utf-8")
    with pytest.raises(SnapshotError, match=r"no element matches the \[html\] item selector 'article.news'"):
        diffcore.load(untitled, profile)


def test_show_and_profile_check_read_by_the_selectors(cli: Cli) -> None:
    shown = cli("show", str(NEWS / "2021-03-08.html"), "--profile", str(PROFILE))
    assert (shown.returncode, shown.stderr) == (0, "")
    assert "Items (4)" in shown.stdout and "Lifeboat day on 20 March" in shown.stdout
    assert "Become a member" not in shown.stdout and "Tide today" not in shown.stdout
    checked = cli("profile", "check", str(PROFILE), str(NEWS / "2021-03-01.html"))
    assert (checked.returncode, checked.stderr) == (0, "")
    assert "read with profile gullhaven-news" in checked.stdout
    assert "     1  lead title  News | Gullhaven Harbour Trust" in checked.stdout
    assert "     3  item        ## 2021-02-26 | Winter dredging finished" in checked.stdout
    assert "     4  link        </news/dredging-finished>" in checked.stdout
    assert "     7  item        ## February 19, 2021 | New moorings at the North Pier" in checked.stdout
    timeline = cli("timeline", str(NEWS), "--profile", str(PROFILE), "--format", "json")
    assert (timeline.returncode, timeline.stderr) == (0, "")
    assert [capture["captured"] for capture in json.loads(timeline.stdout)["captures"]] == list(TRUTH["captures"])


def test_the_html_list_example_reads_as_the_readme_says() -> None:
    example = EXAMPLES_DIR / "html-list"
    loaded = diffcore.load_many([example / "pages"], load_profile(example / "profile.toml"))
    assert loaded.skipped == () and all(snapshot.warnings == () for snapshot in loaded.snapshots)
    first, second = (diffcore.diff(old, new) for old, new in itertools.pairwise(loaded.snapshots))
    assert [(edit.new.title, edit.kinds) for edit in first.edited] == [
        ("Talk: the keepers' logbooks, 1890 to 1930", ("title",)),
        ("Seabird count from the boat", ("summary",)),
    ]
    assert [item.title for item in second.added] == ["Open evening with lantern tours"]
    assert [item.title for item in second.dropped] == ["Guided tour of the lamp room"]
    assert [item.link for item in loaded.snapshots[-1].items] == [
        "/events/logbooks-talk",
        "/events/seabird-count",
        "/events/open-evening",
    ]


def test_a_selector_that_picks_nothing_is_said(cli: Cli, tmp_path: Path) -> None:
    page = EXAMPLES_DIR / "html-list" / "pages" / "2024-06-01.html"
    profile = (EXAMPLES_DIR / "html-list" / "profile.toml").read_text(encoding="utf-8")
    blind = tmp_path / "blind.toml"
    blind.write_text(profile.replace('title = "h2"', 'title = "h9"').replace('date = "time"', 'date = "time.pub"'))
    shown = cli("show", str(page), "--profile", str(blind))
    assert shown.returncode == 0
    assert "the [html] title selector 'h9' gives no title in 3 of the 3 items" in shown.stderr
    assert "the [html] date selector 'time.pub' gives no readable date in 3 of the 3 items" in shown.stderr
    nothing = tmp_path / "nothing.toml"
    nothing.write_text(profile.replace('item = "article.event"', 'item = "article.none"'))
    diffed = cli("diff", str(page), str(page), "--profile", str(nothing), "--format", "markdown")
    assert "no item: the [html] item selector 'article.none' picks no element of the page" in diffed.stderr
    assert "**Warning:**" in diffed.stdout and "picks no element" in diffed.stdout  # in the report itself
