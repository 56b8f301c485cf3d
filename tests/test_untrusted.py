"""Page text and file names are untrusted: what diffcore writes must not let them act.

Spreadsheet formulas in CSV cells, bidirectional overrides that reorder a
title, terminal escapes in file names; and the small things a user hits when
captures share a date or counters share a long opening.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
import subprocess
import warnings
from html.parser import HTMLParser
from pathlib import Path

import pytest

from diffcore import tables
from diffcore.model import Lead, Snapshot, Timeline
from diffcore.render import as_csv
from diffcore.timeline import timeline
from tests.build import make_snapshot
from tests.support import FIXTURES_DIR, REPO_DIR

FORMULAS = ('=HYPERLINK("http://evil")', "+1+2", "-2+3", "@SUM(A1)", "\tTab")
NUMBER = re.compile(r"-?\d+")


def formula_timeline() -> Timeline:
    """Two captures whose titles, lead, file name and a counter label start like formulas."""
    items = [("03.08.2020", title, ("summary",)) for title in FORMULAS]
    items.append(("10.08.2020", "Published three days after the capture", ("summary",)))
    lead = Lead("=lead title", ("text",), ())
    first = make_snapshot(items, source="-old.txt", lead=lead, counters=[(10, "={n} days since the flood")])
    second = make_snapshot(
        items, captured=dt.date(2020, 8, 21), source="@new.txt", lead=lead, counters=[(24, "={n} days since the flood")]
    )
    return timeline([first, second])


@pytest.mark.parametrize("table", ["items", "counters", "leads"])
def test_csv_text_cells_that_start_like_formulas_are_quoted(table: str) -> None:
    text = as_csv.render_timeline(formula_timeline(), (table,))
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t")) and not NUMBER.fullmatch(cell)]
    if table == "items":
        assert {"'" + title for title in FORMULAS if not title.startswith("\t")} <= set(cells)
        assert "\\x09Tab" in cells  # a tab is shown escaped: neither a formula nor a raw control
        assert "-3" in cells  # lag days: a number stays a number
    if table == "counters":
        assert {"'-old.txt", "'@new.txt", "'={n} days since the flood"} <= set(cells)
        assert {"10", "24", "2020-07-28"} <= set(cells)
    if table == "leads":
        assert "'=lead title" in cells


def test_csv_cells_show_control_characters_escaped() -> None:
    # A file name or title may hold escapes that would run when the CSV is shown in a terminal.
    assert as_csv.neutralise("\rReturn") == "\\x0dReturn"
    assert as_csv.neutralise("x\x1b[31mRED\nfake\x07\u202e.txt") == "x\\x1b[31mRED\\x0afake\\x07\\u202e.txt"
    assert as_csv.neutralise("=\x1b") == "'=\\x1b"
    assert as_csv.neutralise(-3) == -3


BIDI = "\u202e"
RAW = re.compile("[\x1b\u202a-\u202e\u2066-\u2069]")


def bidi_capture(date: str, value: int, extra: str = "") -> str:
    """A capture whose field, counter, lead and item carry a right-to-left override."""
    return (
        f"{date}\nLondon: 08:15\n\nVisitor desk{BIDI}:\n+44 {BIDI}0000\n\n"
        f"{value} days have passed since the west pier {BIDI}closed\n\n"
        f"Lead title {BIDI}evil\nParagraph one.\n\n"
        f"05.08.2020 - Item title {BIDI}txet\nSummary {BIDI}here.\n\n{extra}all messages\n"
    )


@pytest.fixture
def spoofing(tmp_path: Path) -> tuple[Path, Path]:
    """Two captures with overrides in their text, and a terminal escape or newline in their names."""
    old = tmp_path / f"a\x1b[31m{BIDI}old.txt"
    new = tmp_path / "b\nnew.txt"
    old.write_text(bidi_capture("7 August 2020", 10), encoding="utf-8")
    new.write_text(
        bidi_capture("14 August 2020", 17, f"06.08.2020 - Second {BIDI}one\n\nMore {BIDI}text.\n\n"), encoding="utf-8"
    )
    return old, new


def test_bidi_controls_and_escapes_in_names_are_shown_in_diffs(spoofing: tuple[Path, Path]) -> None:
    from diffcore.diff import diff
    from diffcore.load import load
    from diffcore.render import DIFF_FORMATS, SHOW_FORMATS

    old, new = (load(path) for path in spoofing)
    report = diff(old, new)
    for fmt in ("text", "markdown", "html"):
        out = DIFF_FORMATS[fmt](report, False)
        assert not RAW.search(out), fmt
        assert "u202e" in out and "x1b" in out, fmt  # Markdown escapes the backslash itself
    assert "b\\x0anew.txt" in DIFF_FORMATS["text"](report, False)
    assert not RAW.search("".join(SHOW_FORMATS["text"](old, False)))


def test_bidi_controls_and_escapes_in_names_are_shown_in_report_pages(
    spoofing: tuple[Path, Path], tmp_path: Path
) -> None:
    from diffcore.folder import write_report
    from diffcore.load import scan
    from diffcore.render import TIMELINE_FORMATS

    folder = tmp_path / "out"
    result = write_report(scan([str(path) for path in spoofing]), folder, html=True)
    pages = [path for path in folder.rglob("*") if path.suffix in (".md", ".html")]
    assert len(pages) == 4
    for page in pages:
        assert not RAW.search(page.read_text(encoding="utf-8")), page.name
    for fmt in ("text", "markdown"):
        out = TIMELINE_FORMATS[fmt](result.timeline, ("items", "counters", "leads", "presence"), False)
        assert not RAW.search(out) and "\\u202e" in out, fmt


class _Ids(HTMLParser):
    """Every id in a page, and every #reference (href, xlink:href, url(#...))."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.references: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            value = value or ""
            if name == "id":
                self.ids.append(value)
            if name in ("href", "xlink:href") and value.startswith("#"):
                self.references.add(value[1:])
            self.references.update(re.findall(r"url\(#([^)]+)\)", value))

    handle_startendtag = handle_starttag


def test_report_index_ids_are_unique_and_every_reference_resolves(tmp_path: Path) -> None:
    from diffcore.folder import write_report
    from diffcore.load import scan

    captures = [str(FIXTURES_DIR / name) for name in ("lighthouse_2020-08-07.txt", "lighthouse_2020-09-14.txt")]
    pages = []
    for run in ("first", "second"):
        write_report(scan(captures), tmp_path / run, html=True)
        pages.append((tmp_path / run / "index.html").read_text(encoding="utf-8"))
    assert pages[0] == pages[1]
    assert 'id="counters-chart"' in pages[0] and 'id="timeline-chart"' in pages[0]
    parser = _Ids()
    parser.feed(pages[0])
    repeated = {name for name in parser.ids if parser.ids.count(name) > 1}
    assert not repeated
    assert parser.references and parser.references <= set(parser.ids)


def same_date_timeline() -> Timeline:
    """Four captures, three of them on one date: without a time, and two at 10:00."""
    items = [("01.08.2020", "Pier closed", ("summary",)), ("02.08.2020", "Ferry cancelled", ("summary",))]

    def at(time: str | None, source: str, shown: int, value: int) -> Snapshot:
        snapshot = make_snapshot(items[:shown], source=source, counters=[(value, "{n} days since the storm")])
        return dataclasses.replace(snapshot, header=dataclasses.replace(snapshot.header, capture_time=time))

    earlier = make_snapshot(
        items, captured=dt.date(2020, 8, 1), source="first.txt", counters=[(5, "{n} days since the storm")]
    )
    return timeline([earlier, at(None, "a.txt", 2, 11), at("10:00", "b.txt", 1, 11), at("10:00", "c.txt", 2, 12)])


def test_captures_of_one_date_are_distinct_columns_and_rows() -> None:
    from diffcore.render import TIMELINE_FORMATS

    history = same_date_timeline()
    labels = ["2020-08-01", "2020-08-07", "2020-08-07 10:00", "2020-08-07 10:00 #2"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        presence = tables.presence_frame(history)
        assert list(presence.columns) == labels
        records = as_csv.records(history, "presence")
    assert [records[1][label] for label in labels] == [True, True, False, True]
    text = TIMELINE_FORMATS["text"](history, ("presence", "counters"), False)
    assert "4=2020-08-07 10:00 #2" in text
    assert re.search(r"^2020-08-07 10:00 #2 +12 ", text, re.MULTILINE)
    assert "x.x." not in text and "xxxx" in text and "xx.x" in text
    from diffcore.render.charts import capture_days

    days = capture_days(history)
    assert days == sorted(days) and len(set(days)) == 4


def test_diff_warns_once_when_old_is_newer(capsys: pytest.CaptureFixture[str]) -> None:
    from diffcore.cli import main

    newer, older = FIXTURES_DIR / "lighthouse_2020-09-14.txt", FIXTURES_DIR / "lighthouse_2020-08-07.txt"
    assert main(["diff", str(newer), str(older)]) == 1
    out, err = capsys.readouterr()
    assert err == (
        "diffcore: warning: OLD (2020-09-14) is newer than NEW (2020-08-07); reporting from OLD to NEW as asked\n"
    )
    assert out.startswith("diffcore: 2020-09-14 -> 2020-08-07 (-38 days)\n")
    assert main(["diff", str(older), str(newer)]) == 1
    assert capsys.readouterr().err == ""


def test_quick_start_writes_a_new_folder_that_git_ignores() -> None:
    from tests.test_docs import quick_start

    words = quick_start()[0].split()
    folder = words[words.index("-o") + 1]
    tracked = subprocess.run(
        ["git", "ls-files", "--", folder], cwd=REPO_DIR, capture_output=True, text=True, check=True
    ).stdout
    assert not tracked, f"the quick start writes into {folder}/, which is committed"
    ignored = subprocess.run(["git", "check-ignore", "-q", f"{folder}/index.html"], cwd=REPO_DIR, check=False)
    assert ignored.returncode == 0
    readme = (REPO_DIR / "README.md").read_text(encoding="utf-8").split("## Commands", 1)[0]
    assert f"Open `{folder}/index.html`" in readme


PIER = "{n} days have passed since the Trust wrote to the Borough Council about the North Pier walkway"
FERRY = "{n} days have passed since the Trust wrote to the Borough Council about the ferry"


def test_counter_names_keep_the_words_that_tell_counters_apart() -> None:
    from diffcore.render.common import counter_names

    assert counter_names([PIER, FERRY], 40) == {PIER: "\u2026 North Pier walkway", FERRY: "\u2026 ferry"}
    assert counter_names([PIER], 40) == {PIER: "N days have passed since the Trust ..."}
    whole = counter_names([PIER, FERRY], 120)
    assert whole[FERRY] == "N days have passed since the Trust wrote to the Borough Council about the ferry"


def test_counter_headings_differ_where_the_labels_differ() -> None:
    from diffcore.render import TIMELINE_FORMATS

    history = timeline(
        [
            make_snapshot(counters=[(10, PIER), (4, FERRY)]),
            make_snapshot(captured=dt.date(2020, 8, 9), counters=[(12, PIER), (6, FERRY)]),
        ]
    )
    for fmt in ("text", "markdown"):
        out = TIMELINE_FORMATS[fmt](history, ("counters",), False)
        assert "\u2026 North Pier walkway" in out and "\u2026 ferry" in out, fmt


LONG_TITLE = 'A "long" title <b>that</b> runs on and on past the eighty characters the index tables show \u202e'


def test_cut_titles_and_counter_headings_carry_the_whole_text_as_a_tooltip(tmp_path: Path) -> None:
    from markupsafe import escape

    from diffcore.folder import write_report
    from diffcore.load import scan
    from diffcore.render.common import printable

    for name, date, value in (("a.txt", "7 August 2020", 10), ("b.txt", "9 August 2020", 12)):
        counters = f"{value} days have passed since the ferry last ran to Gullhaven Point from the harbour steps"
        (tmp_path / name).write_text(
            f"{date}\nLondon: 08:15\n\n{counters}\n\nLead\nText.\n\n"
            f"05.08.2020 - {LONG_TITLE}\nSummary.\n\nall messages\n",
            encoding="utf-8",
        )
    write_report(scan([str(tmp_path)]), tmp_path / "out", html=True)
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert f' title="{escape(printable(LONG_TITLE))}">' in index
    assert ' title="N days have passed since the ferry last ran to Gullhaven Point from the harbour steps">' in index
