"""The other forms of a capture (HTML, Wayback, WARC, git) give back the text capture's snapshot."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings

from diffcore.load import load
from diffcore.model import Snapshot
from diffcore.parse import parse
from diffcore.profile import default_profile
from synthetic import forms, warcs
from synthetic.gitrepo import build_repo, file_at, git, log_dates
from synthetic.html import (
    BASE_URL,
    CYRILLIC_PARAGRAPH,
    collapse,
    content_lines,
    cyrillic_snapshot,
    encode,
    extract,
    snapshot_html,
    wayback_timestamp,
    wayback_view,
    waybackpack_raw,
)
from synthetic.layout import format_snapshot
from tests.paths import ARCHIVE_DIR
from tests.test_parse_properties import semantic, snapshots

EXAMPLES = sorted(ARCHIVE_DIR.glob("*.txt"))
WHEN = dt.datetime(2020, 8, 7, 4, 17, 41, tzinfo=dt.UTC)
STAMP = "20200807041741"


def lines_of(text: str) -> list[str]:
    return [line for line in text.split("\n") if line]


@pytest.mark.parametrize("path", EXAMPLES, ids=[path.name for path in EXAMPLES])
def test_example_page_extracts_to_its_text(path: Path) -> None:
    snapshot = load(path)
    text = path.read_text(encoding="utf-8")
    page = snapshot_html(snapshot)
    assert len(page) > 20_000  # site chrome of a realistic size
    assert lines_of(extract(page)) == content_lines(text)
    assert semantic(parse(extract(page), snapshot.source, default_profile())) == semantic(snapshot)


@settings(max_examples=25)
@given(snapshots())
def test_generated_snapshot_page_extracts_to_its_text(model: Snapshot) -> None:
    assert lines_of(extract(snapshot_html(model))) == content_lines(format_snapshot(model))


def test_chrome_stays_out_of_the_text() -> None:
    text = extract(snapshot_html(load(EXAMPLES[0])))
    for chrome in ("About us", "Donate", "cookies", "Registered charity", "JavaScript", "Opening hours", "function"):
        assert chrome not in text


def test_collapse_keeps_nbsp_and_drops_ascii_runs() -> None:
    assert collapse("  a \t b\u00a0\u00a0c  ") == "a b\u00a0\u00a0c"
    assert content_lines("x\n\n  \n\u00a0\ny  z\r\n") == ["x", "\u00a0", "y z"]
    # What resiliparse itself does with the same text, entities and all.
    page = "<html><body><p>  a \t b\u00a0\u00a0c &amp; &amp;amp; &lt;p&gt;  </p><p>\u00a0</p></body></html>"
    assert lines_of(extract(page)) == ["a b\u00a0\u00a0c & &amp; <p>", "\u00a0"]


def test_wayback_view_wraps_the_page() -> None:
    snapshot = load(EXAMPLES[0])
    page = snapshot_html(snapshot)
    view = wayback_view(page, BASE_URL, STAMP)
    assert wayback_timestamp(WHEN) == STAMP
    assert wayback_timestamp(WHEN.astimezone(dt.timezone(dt.timedelta(hours=2)))) == STAMP
    for marker in (
        "<!-- BEGIN WAYBACK TOOLBAR INSERT -->",
        "<!-- END WAYBACK TOOLBAR INSERT -->",
        "<!-- End Wayback Rewrite JS Include -->",
        '<div id="wm-ipp-base"',
        "/_static/js/bundle-playback.js",
        "wombat.js",
        '__wm.wombat("https://www.saltmere-trust.example/news/","20200807041741"',
        "FILE ARCHIVED ON 04:17:41 Aug 07, 2020 AND RETRIEVED FROM THE",
        "playback timings (ms):",
        "COLLECTED BY",
        "TIMESTAMPS",
        f"https://web.archive.org/web/{STAMP}/https://www.saltmere-trust.example/about-us/",
        f"https://web.archive.org/web/{STAMP}im_/https://www.saltmere-trust.example/static/img/logo.png",
        f"https://web.archive.org/web/{STAMP}cs_/https://www.saltmere-trust.example/static/css/site.css",
        f"https://web.archive.org/web/{STAMP}js_/https://www.saltmere-trust.example/static/js/site.js",
    ):
        assert marker in view, marker
    assert view.index("<meta charset") > 1024  # pushed past the prescan's first kilobyte
    assert view.index("FILE ARCHIVED ON") > view.index("</html>")
    assert lines_of(extract(view)) == content_lines(format_snapshot(snapshot))
    assert waybackpack_raw(page, BASE_URL, STAMP) == page
    rebased = waybackpack_raw(page, BASE_URL, STAMP, rebase_links=True)
    assert f"https://web.archive.org/web/{STAMP}/https://www.saltmere-trust.example/about-us/" in rebased
    assert "BEGIN WAYBACK TOOLBAR INSERT" not in rebased


def test_encode_windows_1251_round_trips_cyrillic() -> None:
    snapshot = cyrillic_snapshot(load(EXAMPLES[0]))
    page = snapshot_html(snapshot)
    data = encode(page, "windows-1251", crlf=True)
    assert b'<meta charset="windows-1251">' in data
    assert b"\r\n" in data
    assert CYRILLIC_PARAGRAPH.encode("cp1251") in data
    text = extract(data.decode("cp1251"))
    assert parse(text, "cp1251", default_profile()).lead.paragraphs[-1] == CYRILLIC_PARAGRAPH  # type: ignore[union-attr]
    assert encode(page, "utf-8", bom=True).startswith(b"\xef\xbb\xbf<!DOCTYPE")
    assert encode(page, "windows-1251", fix_meta=False).count(b'<meta charset="utf-8">') == 1
    assert b"<meta charset" not in encode(snapshot_html(snapshot, charset_meta=None), "windows-1251")
    with pytest.raises(ValueError):
        encode(page, "windows-1251", bom=True)


def _crawl() -> list[warcs.Record]:
    body = snapshot_html(load(EXAMPLES[0])).encode("utf-8")
    records = warcs.crawl(BASE_URL, [(WHEN, body), (WHEN + dt.timedelta(days=1), body + b"\n")])
    return [
        *records,
        warcs.revisit(BASE_URL, WHEN + dt.timedelta(days=2), records[2]),
        warcs.redirect("https://saltmere-trust.example/", WHEN, BASE_URL),
        warcs.not_found(BASE_URL + "gone/", WHEN),
        warcs.png_response(BASE_URL + "logo.png", WHEN),
    ]


def test_warc_forms_read_as_documented(tmp_path: Path) -> None:
    records = _crawl()
    kinds = [record.kind for record in records]
    gz = warcs.write_warc(tmp_path / "a.warc.gz", records)
    plain = warcs.write_warc(tmp_path / "a.warc", records, gzip_records=False)
    for path in (gz, plain):
        read = warcs.warc_behaviour(path)
        assert read.error is None and not read.short
        assert [kind for kind, *_ in read.records] == kinds
        assert len(warcs.record_offsets(path)) == len(records)
    assert warcs.record_offsets(gz) == warcs.member_offsets(gz.read_bytes())
    assert warcs.write_warc(tmp_path / "b.warc.gz", records).read_bytes() == gz.read_bytes()  # deterministic

    single = warcs.warc_behaviour(warcs.write_single_member_gzip(tmp_path / "one.warc.gz", records))
    assert single.error == "ArchiveLoadFailed" and len(single.records) == 1

    response = kinds.index("response")
    for source in (gz, plain):
        cut = tmp_path / f"cut-{source.name}"
        shutil.copy(source, cut)
        warcs.damage(cut, response, "truncate")
        read = warcs.warc_behaviour(cut)
        assert read.error is None  # silent: the record reads short
        assert len(read.records) == response + 1 and read.short == [response]

    broken = tmp_path / "corrupt.warc.gz"
    shutil.copy(gz, broken)
    warcs.damage(broken, response, "corrupt")
    read = warcs.warc_behaviour(broken)
    assert read.error == "ArchiveLoadFailed" and len(read.records) == response


def test_revisit_refers_to_its_original(tmp_path: Path) -> None:
    records = _crawl()
    revisit = next(record for record in records if record.kind == "revisit")
    extra = dict(revisit.extra)
    assert extra["WARC-Payload-Digest"] == warcs.payload_digest(records[2].body)
    assert extra["WARC-Payload-Digest"].startswith("sha1:") and len(extra["WARC-Payload-Digest"]) == 37
    text = warcs.write_warc(tmp_path / "r.warc", records, gzip_records=False).read_text("latin-1")
    assert text.count("WARC-Profile: http://netpreserve.org/warc/1.1/revisit/identical-payload-digest") == 1


def test_build_repo_commits_at_capture_times(tmp_path: Path) -> None:
    times = [WHEN, WHEN + dt.timedelta(days=3), WHEN + dt.timedelta(days=9)]
    commits = [
        (times[0], "scrape/index.html", b"one"),
        (times[0] + dt.timedelta(hours=1), "README.md", b"other file"),
        (times[1], "scrape/index.html", b"two"),
        (times[2], "scrape/index.html", b"three"),
    ]
    repo = build_repo(tmp_path / "repo", commits)
    assert log_dates(repo, "scrape/index.html") == times
    assert git(repo, "rev-list", "--count", "HEAD").strip() == "4"
    assert file_at(repo, "HEAD~1", "scrape/index.html") == b"two"


def test_forms_cli_builds_every_form(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "forms"
    assert forms.main([str(ARCHIVE_DIR), str(out)]) == 0
    summary = json.loads(capsys.readouterr().out)
    captures = summary["captures"]
    assert len(captures) == len(EXAMPLES)
    assert len(summary["html"]) == len(summary["wayback"]) == len(summary["waybackpack"]) == len(EXAMPLES)
    first = captures[0]
    stamp = wayback_timestamp(dt.datetime.fromisoformat(first["time"]))
    view = out / "wayback" / stamp / "www.saltmere-trust.example" / "news" / "index.html"
    raw = out / "waybackpack" / stamp / "www.saltmere-trust.example" / "news" / "index.html"
    text = (ARCHIVE_DIR / first["file"]).read_text(encoding="utf-8")
    for page in (out / "html" / f"{first['captured']}.html", view, raw):
        assert lines_of(extract(page.read_text(encoding="utf-8"))) == content_lines(text)
    assert (view.parent / "logo.png").exists() and (out / "wayback" / "README.txt").exists()
    kinds = summary["warc"]["types"]
    # Every example capture differs from the ones before it: a response each, no revisit.
    assert kinds.count("request") == len(EXAMPLES) and "revisit" not in kinds
    assert warcs.warc_behaviour(out / "captures.warc.gz").error is None
    dates = log_dates(out / "git", forms.GIT_PATH)
    assert [date.isoformat() for date in dates] == [capture["time"] for capture in captures]
    assert summary["git"]["commits"] > len(EXAMPLES)
    assert forms.main([str(ARCHIVE_DIR), str(out)]) == 2  # refuses a folder that is not empty
