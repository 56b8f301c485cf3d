"""Every input a user holds (HTML pages, Wayback folders, WARC files, git histories) reads as its text form does."""

from __future__ import annotations

import datetime as dt
import gzip
import itertools
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from diffcore.errors import InputError, SnapshotError
from diffcore.inputs.html import html_text, page_facts, strip_archive
from diffcore.inputs.text import page_text
from diffcore.load import load, load_many, scan
from diffcore.model import Snapshot
from diffcore.parse import parse
from diffcore.profile import default_profile
from diffcore.render.as_json import diff_dict, timeline_dict
from diffcore.timeline import timeline
from synthetic import forms, warcs
from synthetic.gitrepo import build_repo
from synthetic.html import (
    BASE_URL,
    collapse,
    cyrillic_snapshot,
    encode,
    snapshot_html,
    wayback_timestamp,
    wayback_view,
    waybackpack_raw,
)
from synthetic.layout import format_snapshot
from tests.contract import check_diff_contract, without_sources
from tests.paths import ARCHIVE_DIR
from tests.test_parse_properties import semantic, snapshots

EXAMPLES = sorted(ARCHIVE_DIR.glob("*.txt"))
WHEN = dt.datetime(2020, 8, 7, 4, 17, 41, tzinfo=dt.UTC)
OTHER_PAGE = "https://www.saltmere-trust.example/events/"
SUMMARY_TABLES = ("items", "counters", "leads")


@pytest.fixture(scope="module")
def formed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every form of the example archive (html/, wayback/, waybackpack/, captures.warc.gz, git/)."""
    out = tmp_path_factory.mktemp("forms") / "out"
    forms.build_forms(ARCHIVE_DIR, out)
    return out


def _reports(snapshots: tuple[Snapshot, ...]) -> Any:
    """The timeline and every consecutive diff, as JSON documents without sources."""
    from diffcore.diff import diff

    pairs = [diff_dict(diff(old, new)) for old, new in itertools.pairwise(snapshots)]
    for pair in pairs:
        check_diff_contract(json.loads(json.dumps(pair, default=str)))
    return without_sources({"timeline": timeline_dict(timeline(snapshots), SUMMARY_TABLES), "pairs": pairs})


@pytest.mark.parametrize("form", ["html", "wayback", "waybackpack", "captures.warc.gz"])
def test_every_form_reports_as_the_text_form(formed: Path, form: str) -> None:
    text_form = load_many([ARCHIVE_DIR])
    other = load_many([formed / form])
    assert len(other.snapshots) == len(text_form.snapshots) == len(EXAMPLES)
    assert _reports(other.snapshots) == _reports(text_form.snapshots)


def test_a_git_history_reports_as_the_text_form(formed: Path) -> None:
    history = load_many([formed / "git" / forms.GIT_PATH], git=True)
    assert [s.capture.time_source for s in history.snapshots if s.capture] == ["git-commit"] * len(EXAMPLES)
    assert _reports(history.snapshots) == _reports(load_many([ARCHIVE_DIR]).snapshots)


def test_capture_times_come_from_where_they_live(formed: Path) -> None:
    times = {
        "wayback": {s.capture.time_source for s in load_many([formed / "wayback"]).snapshots if s.capture},
        "warc": {s.capture.time_source for s in load_many([formed / "captures.warc.gz"]).snapshots if s.capture},
        "html": {s.capture.time_source for s in load_many([formed / "html"]).snapshots if s.capture},
        "text": {s.capture.time_source for s in load_many([ARCHIVE_DIR]).snapshots if s.capture},
    }
    assert times == {"wayback": {"wayback"}, "warc": {"warc-date"}, "html": {"file-name"}, "text": {"page-date"}}
    warc = load_many([formed / "captures.warc.gz"]).snapshots[0].capture
    assert warc is not None and warc.url == BASE_URL and warc.source.offset is not None
    assert warc.captured_at.tzinfo is dt.UTC and warc.digest.startswith("sha256:")


def test_a_wayback_folder_skips_what_is_not_a_capture(formed: Path) -> None:
    inventory = scan([formed / "wayback"])
    assert len(inventory.captures) == len(EXAMPLES)
    reasons = {Path(skipped.where).name: skipped.reason for skipped in inventory.skipped}
    assert set(reasons) == {"README.txt", "logo.png", "style.css"}
    assert reasons["logo.png"] == "not a page capture (.png file)"
    assert reasons["README.txt"].startswith("no capture date on line 1")
    with pytest.raises(InputError, match=r"README\.txt: no capture date .*\(--strict\)"):
        scan([formed / "wayback"], strict=True)


def test_no_archive_or_site_chrome_reaches_a_snapshot(formed: Path) -> None:
    chrome = (
        "Wayback Machine",
        "COLLECTED BY",
        "TIMESTAMPS",
        "About this capture",
        "success",
        "About us",
        "Donate",
        "cookies",
        "Registered charity",
        "JavaScript",
        "function",
        "__wm",
    )
    for snapshot in load_many([formed / "wayback"]).snapshots:
        said = json.dumps(semantic(snapshot), default=str) + json.dumps([u.text for u in snapshot.unparsed])
        assert not [word for word in chrome if word in said], snapshot.source


def test_wayback_markup_is_stripped_and_names_the_page() -> None:
    page = snapshot_html(load(EXAMPLES[0]))
    view = wayback_view(page, BASE_URL, wayback_timestamp(WHEN))
    assert "BEGIN WAYBACK TOOLBAR INSERT" not in strip_archive(view)
    assert html_text(view) == html_text(page)
    facts = page_facts(view)
    assert (facts.url, facts.captured_at) == (BASE_URL, WHEN)
    rebased = waybackpack_raw(page, BASE_URL, wayback_timestamp(WHEN), rebase_links=True)
    assert html_text(rebased) == html_text(page)


def test_only_the_archive_markup_is_cut_however_often_and_wherever_its_words_stand() -> None:
    toolbar = "<!-- BEGIN WAYBACK TOOLBAR INSERT --><div>Wayback</div><!-- END WAYBACK TOOLBAR INSERT -->"
    includes = '<script src="/_static/js/bundle-playback.js"></script>\n<script>__wm.init("https://web.archive.org/web");</script>\n<!-- End Wayback Rewrite JS Include -->'
    words = "<p>The WAYBACK TOOLBAR INSERT and __wm.init are words here.</p>"
    page = f"<html><head>{includes}</head><body>{toolbar}{words}<main>{toolbar}<p>Kept</p></main>{words}</body></html>"
    stripped = strip_archive(page)
    assert stripped == (
        '<html><head><script src="/_static/js/bundle-playback.js"></script>\n</head>'
        f"<body>{words}<main><p>Kept</p></main>{words}</body></html>"
    )
    assert strip_archive(words) == words
    for unclosed in (
        "__wm.init" * 10_000,
        "<script>__wm.init" * 10_000,
        "<!-- BEGIN WAYBACK TOOLBAR INSERT -->" * 5_000,
    ):
        assert strip_archive(unclosed) == unclosed


@pytest.mark.parametrize(
    ("encoding", "bom", "crlf"),
    [("utf-8", True, False), ("utf-8", False, True), ("utf-16", True, False), ("windows-1251", False, True)],
)
def test_encodings_byte_order_marks_and_line_ends(tmp_path: Path, encoding: str, bom: bool, crlf: bool) -> None:
    model = cyrillic_snapshot(load(EXAMPLES[0]))
    page = snapshot_html(model)
    plain = parse(html_text(page), "plain", default_profile())
    path = tmp_path / "2020-08-07.html"
    path.write_bytes(encode(page, encoding, bom=bom and encoding == "utf-8", crlf=crlf))
    assert semantic(load(path)) == semantic(plain)


def test_a_charset_only_in_the_http_header_decodes_the_page(tmp_path: Path) -> None:
    page = snapshot_html(cyrillic_snapshot(load(EXAMPLES[0])), charset_meta=None)
    body = encode(page, "windows-1251", fix_meta=False)
    path = warcs.write_warc(tmp_path / "a.warc.gz", warcs.capture(BASE_URL, WHEN, body, "windows-1251"))
    snapshot = load(path)
    assert snapshot.capture is not None and snapshot.capture.charset == "windows-1251"
    assert semantic(snapshot) == semantic(parse(html_text(page), "plain", default_profile()))


@settings(max_examples=40, deadline=None)
@given(snapshots())
def test_any_snapshot_as_html_reads_back_as_itself(model: Snapshot) -> None:
    from_text = parse(format_snapshot(model), "text", default_profile())
    page = page_text(encode(snapshot_html(model), "utf-8"), "page", None)
    assert page.media_type == "text/html"
    from_html = parse(page.text, "page", default_profile())
    assert _collapsed(semantic(from_html)) == _collapsed(semantic(from_text))


def _collapsed(value: Any) -> Any:
    """Texts with their runs of spaces as one (HTML collapses them: a display difference, not a change)."""
    if isinstance(value, str):
        return collapse(value)
    if isinstance(value, dict):
        return {key: _collapsed(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_collapsed(item) for item in value]
    return value


# --- WARC files ---------------------------------------------------------------------------------


def _pages(count: int) -> Iterator[tuple[dt.datetime, bytes]]:
    for index, path in enumerate(EXAMPLES[:count]):
        yield WHEN + dt.timedelta(days=index), snapshot_html(load(path)).encode("utf-8")


def test_a_revisit_is_an_unchanged_capture_and_other_records_are_passed_over(tmp_path: Path) -> None:
    (first, body), (second, other) = _pages(2)
    original = warcs.capture(BASE_URL, first, body)
    records = [
        warcs.warcinfo(first),
        *original,
        warcs.metadata(BASE_URL, first),
        warcs.not_found(BASE_URL + "gone/", first),
        warcs.redirect("https://saltmere-trust.example/", first, BASE_URL),
        warcs.png_response(BASE_URL + "logo.png", first),
        *warcs.capture(BASE_URL, second, other),
        warcs.request(BASE_URL, second + dt.timedelta(days=3)),
        warcs.revisit(BASE_URL, second + dt.timedelta(days=3), original[1]),
    ]
    path = warcs.write_warc(tmp_path / "crawl.warc.gz", records)
    inventory = scan([path])
    assert inventory.skipped == ()
    assert inventory.passed_over == 8  # warcinfo, 3 requests, metadata, the 404, the 301, the image
    revisit = inventory.captures[-1].capture
    assert revisit.source.payload_offset == inventory.captures[0].capture.source.offset
    assert revisit.digest == inventory.captures[0].capture.digest
    snapshots = load_many([path]).snapshots
    assert [s.capture.captured_at for s in snapshots if s.capture] == [first, second, second + dt.timedelta(days=3)]
    assert semantic(snapshots[2]) == semantic(snapshots[0])
    assert "revisit of offset" in snapshots[2].source


def test_an_unresolved_revisit_is_reported_never_an_empty_capture(tmp_path: Path) -> None:
    (first, body), (second, _) = _pages(2)
    elsewhere = warcs.html_response(BASE_URL, first - dt.timedelta(days=30), b"<html><body>x</body></html>")
    records = [*warcs.capture(BASE_URL, first, body), warcs.revisit(BASE_URL, second, elsewhere)]
    inventory = scan([warcs.write_warc(tmp_path / "a.warc.gz", records)])
    assert len(inventory.captures) == 1
    assert [skipped.reason for skipped in inventory.skipped] == [
        f"unresolved revisit of {BASE_URL}: the response it repeats is in none of the inputs"
    ]


@pytest.mark.parametrize("how", ["truncate", "corrupt"])
def test_a_damaged_record_is_skipped_naming_file_and_offset(tmp_path: Path, how: str) -> None:
    pages = list(_pages(3))
    records = [record for when, body in pages for record in warcs.capture(BASE_URL, when, body)]
    path = warcs.write_warc(tmp_path / "a.warc.gz", records)
    offsets = warcs.record_offsets(path)
    warcs.damage(path, 3, how)  # the second response
    inventory = scan([path])
    assert [skipped.where for skipped in inventory.skipped] == [f"{path} at offset {offsets[3]}"]
    assert inventory.skipped[0].reason.startswith("damaged record")
    expected = [pages[0][0]] if how == "truncate" else [pages[0][0], pages[2][0]]  # reading goes on after a bad member
    assert [entry.capture.captured_at for entry in inventory.captures] == expected


def test_a_warc_gzipped_as_one_member_is_refused_with_the_fix(tmp_path: Path) -> None:
    records = [record for when, body in _pages(2) for record in warcs.capture(BASE_URL, when, body)]
    path = warcs.write_single_member_gzip(tmp_path / "one.warc.gz", records)
    with pytest.raises(
        InputError, match=r"one\.warc\.gz: gzipped as one member .*`warcio recompress FILE FIXED\.warc\.gz`"
    ):
        scan([path])


def test_a_plain_warc_named_anything_is_recognised_by_content(tmp_path: Path) -> None:
    records = [record for when, body in _pages(2) for record in warcs.capture(BASE_URL, when, body)]
    path = warcs.write_warc(tmp_path / "crawl.dat", records, gzip_records=False)
    assert len(load_many([path]).snapshots) == 2


def test_captures_of_several_pages_need_url(tmp_path: Path) -> None:
    pages = list(_pages(3))
    records = [record for when, body in pages for record in warcs.capture(BASE_URL, when, body)]
    records += warcs.capture(OTHER_PAGE, WHEN, pages[0][1])
    path = warcs.write_warc(tmp_path / "two.warc.gz", records)
    message = (
        f"{path}: captures of 2 pages: saltmere-trust.example/news (3 captures); "
        "saltmere-trust.example/events (1 capture); pick one with --url"
    )
    with pytest.raises(InputError) as caught:
        scan([path])
    assert str(caught.value) == message
    for url in ("saltmere-trust.example/news", "http://www.saltmere-trust.example/news/", BASE_URL + "index.html"):
        assert len(scan([path], url=url).captures) == 3
    assert len(scan([path], url=OTHER_PAGE).captures) == 1
    with pytest.raises(InputError, match=r"no capture of https://example\.org/; pages found: saltmere"):
        scan([path], url="https://example.org/")


def test_one_capture_of_an_archive_is_picked_by_time(tmp_path: Path) -> None:
    pages = list(_pages(3))
    path = warcs.write_warc(
        tmp_path / "a.warc.gz", [r for when, body in pages for r in warcs.capture(BASE_URL, when, body)]
    )
    with pytest.raises(InputError, match=r"holds 3 captures \(2020-08-07T04:17:41Z to 2020-08-09T04:17:41Z\)"):
        load(path)
    assert load(path, at="2020-08-08").capture.captured_at == pages[1][0]  # type: ignore[union-attr]
    assert load(path, at="20200809041741").capture.captured_at == pages[2][0]  # type: ignore[union-attr]
    with pytest.raises(InputError, match="no capture taken at 2021"):
        load(path, at="2021")


# --- git histories ------------------------------------------------------------------------------


def test_git_history_takes_commits_that_changed_the_file(tmp_path: Path) -> None:
    pages = list(_pages(2))
    repo = build_repo(
        tmp_path / "repo",
        [
            (pages[0][0], "scrape/index.html", pages[0][1]),
            (pages[0][0] + dt.timedelta(hours=1), "notes.txt", b"a note"),
            (pages[1][0], "scrape/index.html", pages[1][1]),
        ],
    )
    inventory = scan([repo / "scrape" / "index.html"], git=True)
    assert [entry.capture.captured_at for entry in inventory.captures] == [when for when, _ in pages]
    assert all(entry.capture.source.commit for entry in inventory.captures)
    with pytest.raises(InputError, match=r"notes\.md: no commit of this file"):
        scan([repo / "notes.md"], git=True)
    with pytest.raises(InputError, match="--git takes files"):
        scan([repo], git=True)


def test_git_outside_a_work_tree_is_one_error(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text("<html></html>", encoding="utf-8")
    with pytest.raises(InputError, match=r"page\.html: (not inside a git work tree|git: fatal: not a git repository)"):
        scan([tmp_path / "page.html"], git=True)


# --- pages that are not captures ----------------------------------------------------------------


def test_html_without_a_date_is_dated_by_its_file_name_or_refused(tmp_path: Path) -> None:
    page = "<html><body><h1>Saltmere news</h1><p>The lamp is lit.</p></body></html>"
    (tmp_path / "2020-08-07.html").write_text(page, encoding="utf-8")
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    dated = load(tmp_path / "2020-08-07.html")
    assert (dated.captured, dated.header.date_line) == (dt.date(2020, 8, 7), None)
    assert dated.lead is not None or dated.unparsed
    with pytest.raises(SnapshotError, match=r"page\.html: no capture date on line 1 \(found 'Saltmere news'\)"):
        load(tmp_path / "page.html")
    user = load(tmp_path / "page.html", captured=WHEN)
    assert user.capture is not None and (user.capture.time_source, user.captured) == ("user", WHEN.date())
    # The page's own date line comes before --captured, which dates only what nothing else dates.
    for dated_by_page in (load(EXAMPLES[0], captured=WHEN), load_many([EXAMPLES[0]], captured=WHEN).snapshots[0]):
        assert dated_by_page.capture is not None and dated_by_page.capture.time_source == "page-date"


def test_an_empty_page_and_a_png_named_html_are_not_captures(tmp_path: Path) -> None:
    (tmp_path / "2020-08-07.html").write_text("<html><body><nav>Home</nav></body></html>", encoding="utf-8")
    (tmp_path / "logo.html").write_bytes(warcs.PNG)
    with pytest.raises(SnapshotError, match="HTML page without text"):
        load(tmp_path / "2020-08-07.html")
    with pytest.raises(SnapshotError, match="binary file"):
        load(tmp_path / "logo.html")


def test_a_gzip_file_that_is_not_an_archive_is_no_capture(tmp_path: Path) -> None:
    path = tmp_path / "page.warc.gz"
    path.write_bytes(gzip.compress(b"just some text\n"))
    with pytest.raises(SnapshotError, match="binary file"):
        load(path)


# --- the command line: one line and exit 2 for every bad input, nothing written -------------------


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[list[str], str]]:
    """name -> (command-line inputs, what the one error line says)."""
    (tmp_path / "logo.html").write_bytes(warcs.PNG)
    (tmp_path / "empty.html").write_text("<html><body></body></html>", encoding="utf-8")
    (tmp_path / "nodate.html").write_text("<html><body><p>Saltmere news</p></body></html>", encoding="utf-8")
    pages = list(_pages(1))
    cut = warcs.write_warc(tmp_path / "cut.warc.gz", warcs.capture(BASE_URL, *pages[0]))
    warcs.damage(cut, 1, "truncate")
    images = warcs.write_warc(tmp_path / "images.warc.gz", [warcs.png_response(BASE_URL + "a.png", WHEN)])
    single = warcs.write_single_member_gzip(
        tmp_path / "single.warc.gz", [r for when, body in _pages(2) for r in warcs.capture(BASE_URL, when, body)]
    )
    (tmp_path / "nothing").mkdir()
    (tmp_path / "nothing" / "notes.md").write_text("notes", encoding="utf-8")
    (tmp_path / "nothing" / "style.css").write_text("p{}", encoding="utf-8")
    return {
        "png named html": ([str(tmp_path / "logo.html")], "binary file"),
        "empty html": ([str(tmp_path / "empty.html")], "HTML page without text"),
        "html with no date": ([str(tmp_path / "nodate.html")], "no capture date on line 1"),
        "truncated warc": ([str(cut)], "damaged record: cut short"),
        "warc of images": ([str(images)], "holds no HTML page or feed (1 archive record that is not one)"),
        "one-member gzip": ([str(single)], "warcio recompress"),
        "nothing usable": ([str(tmp_path / "nothing")], "holds no usable capture"),
        "git outside a repository": (["--git", str(tmp_path / "empty.html")], "git"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "png named html",
        "empty html",
        "html with no date",
        "truncated warc",
        "warc of images",
        "one-member gzip",
        "nothing usable",
        "git outside a repository",
    ],
)
@pytest.mark.parametrize("command", ["show", "timeline"])
def test_a_bad_input_is_one_line_exit_2_and_writes_nothing(tmp_path: Path, case: str, command: str) -> None:
    from tests.test_errors import assert_one_line, run_main

    inputs, says = _bad_inputs(tmp_path)[case]
    out = tmp_path / "out.txt"
    assert_one_line(*run_main(command, *inputs, "-o", str(out)), says, inputs[-1])
    assert not out.exists()


def test_the_cli_reads_every_form(formed: Path, tmp_path: Path) -> None:
    from tests.test_errors import run_main

    code, out, err = run_main("timeline", str(formed / "wayback"), "--format", "json")
    assert code == 0
    assert err.count("skipped:") == 3 and "14 captures read; left out: 3 skipped" in err
    assert len(json.loads(out)["captures"]) == len(EXAMPLES)
    code, out, err = run_main("show", str(formed / "captures.warc.gz"), "--at", "2019-02-04")
    assert code == 0 and "taken:    2019-02-04 12:00:00 UTC (from the date of its WARC (or ARC) record)" in out
    assert f"url:      {BASE_URL}" in out
    history = formed / "git" / forms.GIT_PATH
    code, out, err = run_main("diff", "--git", str(history), str(history), "--at-old", "2019-02", "--at-new", "2023-10")
    assert code == 1 and err == "" and out.startswith("diffcore: 2019-")
    folder = tmp_path / "report"
    code, out, err = run_main("report", "--git", str(history), "-o", str(folder))
    assert code == 0, err
    assert f"wrote {folder}: 14 captures, 13 pairs" in err
    assert (folder / "index.md").exists()


def _arc(records: list[tuple[str, dt.datetime, bytes]], gzipped: bool) -> bytes:
    """An ARC (version 1) file: the file header, then one record per (url, time, HTML body)."""
    about = b"1 0 Saltmere\nURL IP-address Archive-date Content-type Archive-length\n"
    members = [b"filedesc://crawl.arc 0.0.0.0 20200807041741 text/plain %d\n%s\n" % (len(about), about)]
    for url, when, body in records:
        http = b"HTTP/1.0 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body
        stamp = when.strftime("%Y%m%d%H%M%S").encode()
        members.append(b"%s 192.0.2.1 %s text/html %d\n%s\n" % (url.encode(), stamp, len(http), http))
    return b"".join(gzip.compress(member) if gzipped else member for member in members)


@pytest.mark.parametrize("gzipped", [False, True])
def test_an_arc_file_reads_as_a_warc_does(tmp_path: Path, gzipped: bool) -> None:
    pages = list(_pages(2))
    path = tmp_path / ("crawl.arc.gz" if gzipped else "crawl.arc")
    path.write_bytes(_arc([(BASE_URL, when, body) for when, body in pages], gzipped))
    warc = warcs.write_warc(
        tmp_path / "crawl.warc.gz", [r for when, body in pages for r in warcs.capture(BASE_URL, when, body)]
    )
    assert _reports(load_many([path]).snapshots) == _reports(load_many([warc]).snapshots)
    assert [s.capture.captured_at for s in load_many([path]).snapshots if s.capture] == [when for when, _ in pages]


def test_captures_examined_on_every_core_are_those_of_one(formed: Path) -> None:
    inputs = [formed / "wayback", formed / "captures.warc.gz", ARCHIVE_DIR]
    one, every = scan(inputs, workers=1, url=BASE_URL), scan(inputs, workers=2, url=BASE_URL)
    assert one == every  # the text form has no URL; the Wayback and WARC forms are the same captures
    assert len(one.captures) == len(one.duplicates) == len(EXAMPLES)


# --- found by trying it as a user ---------------------------------------------------------------


def test_no_output_replaces_a_file_skipped_in_an_input_folder(formed: Path, tmp_path: Path) -> None:
    from tests.test_errors import assert_one_line, run_main

    folder = tmp_path / "wayback"
    shutil.copytree(formed / "wayback", folder)
    readme = folder / "README.txt"
    before = readme.read_bytes()
    assert_one_line(*run_main("timeline", str(folder), "-o", str(readme)), "README.txt")
    assert readme.read_bytes() == before


def test_fifos_and_diffcore_reports_in_a_folder_are_skipped(formed: Path, tmp_path: Path) -> None:
    folder = tmp_path / "html"
    shutil.copytree(formed / "html", folder)
    os.mkfifo(folder / "pipe.html")
    from tests.test_errors import run_main

    assert run_main("report", str(folder), "-o", str(folder / "report"), "--format", "html")[0] == 0
    inventory = scan([folder])
    assert len(inventory.captures) == len(EXAMPLES)
    assert {Path(s.where).name: s.reason for s in inventory.skipped} == {
        "pipe.html": "not a regular file (a FIFO, socket or device)",
        "report": "a report folder diffcore wrote (its pages are not captures)",
    }


def test_a_warc_cut_inside_a_records_headers_is_reported(tmp_path: Path) -> None:
    pages = list(_pages(3))
    path = warcs.write_warc(
        tmp_path / "a.warc.gz", [r for when, body in pages for r in warcs.capture(BASE_URL, when, body)]
    )
    offsets = warcs.record_offsets(path)
    warcs.damage(path, 2, "truncate")  # the second request, cut in its headers: warcio stops there quietly
    inventory = scan([path])
    assert [(s.where, s.reason) for s in inventory.skipped] == [
        (f"{path} at offset {offsets[2]}", "damaged record: the file ends inside it")
    ]
    with pytest.raises(InputError, match="the file ends inside it"):
        scan([path], strict=True)


def test_text_above_the_date_line_is_unparsed_and_said(tmp_path: Path) -> None:
    text = EXAMPLES[0].read_text(encoding="utf-8")
    path = tmp_path / "capture.txt"
    path.write_text("We use cookies to count visitors.\nAccept\n\n" + text, encoding="utf-8")
    with pytest.raises(SnapshotError, match="no capture date on line 1"):  # when nothing else dates it
        load(path)
    snapshot, plain = load(path, captured=WHEN), load(EXAMPLES[0])
    assert snapshot.items == tuple(replace(item, lines=tuple(n + 3 for n in item.lines)) for item in plain.items)
    assert snapshot.header.counters and [c.value for c in snapshot.header.counters] == [
        c.value for c in plain.header.counters
    ]
    assert [u.text for u in snapshot.unparsed] == ["We use cookies to count visitors.", "Accept"]
    assert snapshot.warnings[0] == f"{path}: line 4: the page's date, under 2 line(s) of other text, left unparsed"


def test_a_date_under_the_header_or_after_the_capture_is_no_page_date(tmp_path: Path) -> None:
    text = EXAMPLES[0].read_text(encoding="utf-8")
    page_date_line = text.splitlines()[0]
    headless = "\n".join(text.splitlines()[1:])  # clocks, a field and counters first, no date line
    lead_dated = tmp_path / "2020-09-01.txt"
    lead_dated.write_text(headless.replace("\n\n", f"\n\n{page_date_line}\n\n", 1), encoding="utf-8")
    snapshot = load(lead_dated)
    assert (snapshot.header.date_line, snapshot.captured) == (None, dt.date(2020, 9, 1))
    assert snapshot.header.clocks  # the header above it is read as a header, not left unparsed
    future = tmp_path / "2010-01-01.txt"
    future.write_text("Saltmere Lighthouse Trust\n\n" + text, encoding="utf-8")
    assert load(future).header.date_line is None  # its date is after the capture: an event to come


def test_a_note_with_a_date_in_a_folder_is_still_no_capture(formed: Path, tmp_path: Path) -> None:
    folder = tmp_path / "wayback"
    shutil.copytree(formed / "wayback", folder)
    (folder / "NOTES.txt").write_text("Downloaded by J.\nFetched with waybackpack\n\n7 August 2020\n", "utf-8")
    inventory = scan([folder])
    assert len(inventory.captures) == len(EXAMPLES)
    assert "NOTES.txt" in {Path(s.where).name for s in inventory.skipped}


def test_one_page_as_text_and_as_html_at_one_time_is_one_capture(formed: Path) -> None:
    inventory = scan([ARCHIVE_DIR, formed / "html"])
    assert len(inventory.captures) == len(inventory.duplicates) == len(EXAMPLES)


def test_a_timeline_says_when_captures_were_taken_on_another_day(tmp_path: Path) -> None:
    from tests.test_errors import run_main

    for stamp, page in (("20220501100000", EXAMPLES[0]), ("20220601100000", EXAMPLES[1])):
        folder = tmp_path / "late" / stamp / "www.saltmere-trust.example" / "news"
        folder.mkdir(parents=True)
        (folder / "index.html").write_text(snapshot_html(load(page)), encoding="utf-8")
    code, out, _ = run_main("timeline", str(tmp_path / "late"), "--table", "leads")
    assert code == 0
    assert "When the captures were taken (some on another day than the page's date)" in out
    assert "2022-05-01 10:00:00 UTC  Wayback Machine timestamp" in out
    code, out, _ = run_main("timeline", str(ARCHIVE_DIR), "--table", "leads")
    assert "taken on another day" not in out


@pytest.mark.parametrize(("declared", "recorded"), [("utf-7", None), ("x-unknown", None), ("UTF-8", "UTF-8")])
def test_the_capture_records_a_declared_charset_only_when_the_page_was_read_in_it(
    tmp_path: Path, declared: str, recorded: str | None
) -> None:
    path = tmp_path / "2020-08-07.html"
    path.write_text(f'<html><head><meta charset="{declared}"></head><body><p>Tel +44-1</p></body></html>', "utf-8")
    snapshot = load(path)
    assert snapshot.capture is not None and snapshot.capture.charset == recorded
    assert snapshot.lead is not None and snapshot.lead.title == "Tel +44-1"  # never read as UTF-7


def test_reading_a_plain_warc_goes_on_after_a_damaged_record(tmp_path: Path) -> None:
    pages = list(_pages(3))
    path = warcs.write_warc(
        tmp_path / "a.warc",
        [r for when, body in pages for r in warcs.capture(BASE_URL, when, body)],
        gzip_records=False,
    )
    data = bytearray(path.read_bytes())
    offsets = warcs.record_offsets(path)
    data[offsets[3] : offsets[3] + 8] = b"GARBAGE!"  # the second response's first line
    path.write_bytes(bytes(data))
    inventory = scan([path])
    assert [s.where for s in inventory.skipped] == [f"{path} at offset {offsets[3]}"]
    assert [e.capture.captured_at for e in inventory.captures] == [pages[0][0], pages[2][0]]


def test_a_revisit_in_another_warc_file_resolves_in_any_order(tmp_path: Path) -> None:
    (first, body), (second, _) = _pages(2)
    original = warcs.capture(BASE_URL, first, body)
    crawl = warcs.write_warc(tmp_path / "crawl.warc.gz", original)
    again = warcs.write_warc(tmp_path / "again.warc.gz", [warcs.revisit(BASE_URL, second, original[1])])
    for inputs in ([crawl, again], [again, crawl]):
        inventory = scan(inputs)
        assert inventory.skipped == ()
        revisit = inventory.captures[-1].capture.source
        assert (revisit.path, revisit.payload_path) == (str(again), str(crawl))
        assert revisit.describe() == f"{again} at offset 0 (revisit of {crawl} at offset {revisit.payload_offset})"
        snapshots = load_many(inputs).snapshots
        assert semantic(snapshots[1]) == semantic(snapshots[0])


def test_captures_of_one_time_are_ordered_by_clock_then_offset(tmp_path: Path) -> None:
    text = EXAMPLES[0].read_text(encoding="utf-8")
    clock = next(line for line in text.splitlines() if line.startswith("London: "))
    (tmp_path / "a.txt").write_text(text.replace(clock, "London: 10:05"), encoding="utf-8")
    (tmp_path / "b.txt").write_text(text.replace(clock, "London: 9:05"), encoding="utf-8")
    assert [Path(e.where).name for e in scan([tmp_path]).captures] == ["b.txt", "a.txt"]


def test_no_output_goes_inside_the_repository_read(formed: Path, tmp_path: Path) -> None:
    from tests.test_errors import assert_one_line, run_main

    repo = tmp_path / "git"
    shutil.copytree(formed / "git", repo, symlinks=True)
    history = str(repo / forms.GIT_PATH)
    head = (repo / ".git" / "HEAD").read_bytes()
    assert_one_line(
        *run_main("timeline", "--git", history, "-o", str(repo / ".git" / "HEAD")), "the repository being read"
    )
    assert_one_line(
        *run_main("report", "--git", history, "-o", str(repo / ".git" / "report")), "the repository being read"
    )
    assert (repo / ".git" / "HEAD").read_bytes() == head and not (repo / ".git" / "report").exists()


def test_the_library_takes_a_capture_time_as_a_date_or_an_iso_string(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("<html><body><p>Saltmere news</p></body></html>", encoding="utf-8")
    for moment in ("2020-08-07", dt.date(2020, 8, 7), dt.datetime(2020, 8, 7)):
        capture = load(path, captured=moment).capture
        assert capture is not None and capture.captured_at == dt.datetime(2020, 8, 7, tzinfo=dt.UTC)
    assert len(load_many(str(ARCHIVE_DIR)).snapshots) == len(EXAMPLES)  # one path, not its letters


def test_a_git_path_is_taken_literally_never_as_a_pattern(tmp_path: Path) -> None:
    (first, body), (second, other) = _pages(2)
    repo = build_repo(
        tmp_path / "repo",
        [
            (first, "news*.html", body),
            (first + dt.timedelta(hours=1), "news-old.html", other),
            (second, "news*.html", other),
        ],
    )
    inventory = scan([repo / "news*.html"], git=True)
    assert [e.capture.captured_at for e in inventory.captures] == [first, second]
