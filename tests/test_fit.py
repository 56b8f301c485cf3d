"""A page the profile does not fit is never read in silence: each sign of it is a warning."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from diffcore.cli import WARNINGS_SAID
from diffcore.fit import misfits, vanished
from diffcore.model import Capture, Source
from diffcore.parse import parse
from diffcore.profile import default_profile
from tests.support import Cli

PROFILE = default_profile()

HEADER = """8 June 2020
Saltmere: 12:58
London: 11:58

Visitor desk:
+44 (0) 1632 960 418

819 days have passed since the North Pier walkway was closed
"""
LEAD = """
Saltmere light shines again after the winter repairs

After eleven weeks of work the lantern turned again on Saturday evening.
"""
ITEMS = """
01.06.2020 - Grant from the Maritime Lottery Board for a new education room

The grant pays for a classroom in the old boat shed.

14.01.2020 - Storm Cleo report: damage to the sea wall at West Breakwater

A section of the sea wall lost its capping stones.
"""


def warnings_of(text: str) -> list[str]:
    return list(parse(text, "page.txt", PROFILE).warnings)


def test_a_page_the_profile_fits_gives_no_warning() -> None:
    assert warnings_of(HEADER + LEAD + ITEMS) == []


UNDATED = ITEMS.replace("01.06.2020 - ", "").replace("14.01.2020 - ", "")


def test_a_page_of_no_item_says_so() -> None:
    assert warnings_of(HEADER + LEAD + UNDATED) == [
        "page.txt: no item: no line matches the item pattern of profile 'dated-news-page'"
    ]


def test_a_line_the_profile_does_not_read_does_not_end_the_header() -> None:
    # An e-mail address between the clocks and the counters is kept as unparsed; the counter under it is read.
    page = HEADER.replace("\n819 days", "\nvisits@saltmere-light.example\n\n819 days") + LEAD + ITEMS
    snapshot = parse(page, "page.txt", PROFILE)
    assert snapshot.warnings == ()
    assert [u.text for u in snapshot.unparsed] == ["visits@saltmere-light.example"]
    assert [c.value for c in snapshot.header.counters][:1] == [819]


def test_header_lines_below_more_than_a_few_unread_lines_are_named_in_the_lead() -> None:
    chrome = "Open today\nGuided tours\nShop\nContact\n"
    clocks_late = HEADER.replace("Saltmere: 12:58\n", chrome + "Saltmere: 12:58\n") + LEAD + ITEMS
    assert warnings_of(clocks_late)[0] == (
        "page.txt: line 6: a clock line in the lead (and 2 more such lines): "
        "the header ended above it, at a line the profile does not read"
    )


def test_a_header_end_pattern_says_where_the_header_ends() -> None:
    from dataclasses import replace

    profile = replace(PROFILE, header_end=re.compile(r"^Saltmere light shines"))
    page = HEADER.replace("Saltmere: 12:58\n", "Open today\nGuided tours\nShop\nContact\nSaltmere: 12:58\n")
    snapshot = parse(page + LEAD + ITEMS, "page.txt", profile)
    assert [u.text for u in snapshot.unparsed] == ["Open today", "Guided tours", "Shop", "Contact"]
    assert len(snapshot.header.clocks) == 2


def test_many_unparsed_lines_are_counted_but_not_those_under_the_footer() -> None:
    when = Capture(Source("page.html"), dt.datetime(2020, 6, 8, 12, tzinfo=dt.UTC), "wayback", "text/html", "sha256:0")
    chrome = "".join(f"Site menu entry {number}\n" for number in range(3))
    parsed = parse(chrome + HEADER + LEAD + ITEMS, "page.txt", PROFILE, when)
    assert parsed.warnings[-1] == "page.txt: 3 of the page's 15 lines unparsed (20%)"
    one_line_above = parse("Site menu\n" + HEADER + LEAD + ITEMS, "page.txt", PROFILE, when)
    assert len(one_line_above.warnings) == 1  # the date under chrome, said; a tenth or less is no sign
    after_footer = "".join(f"Link number {number}\n" for number in range(5))
    assert warnings_of(HEADER + LEAD + ITEMS + "\nAll messages\n" + after_footer) == []


def test_a_lead_that_takes_most_of_the_page_is_named() -> None:
    long_lead = LEAD + "".join(f"\nParagraph {number} of a long story about the lantern.\n" for number in range(12))
    assert warnings_of(HEADER + long_lead + ITEMS) == [
        "page.txt: the lead takes 14 of the page's 24 lines (58%): items may be read as the lead"
    ]


def test_the_warnings_reach_every_command(cli: Cli, tmp_path: Path) -> None:
    old, new = tmp_path / "a.txt", tmp_path / "b.txt"
    old.write_text(HEADER + LEAD + UNDATED, encoding="utf-8")
    new.write_text(HEADER.replace("8 June", "9 June") + LEAD + UNDATED + "\nOne more line\n", encoding="utf-8")
    for args in (("show", str(old)), ("diff", str(old), str(new)), ("timeline", str(old), str(new))):
        result = cli(*args)
        assert result.returncode in (0, 1), result.stderr
        assert f"diffcore: warning: {old}: no item: no line matches" in result.stderr, args


def test_misfits_are_a_pure_function_of_the_snapshot() -> None:
    parsed = parse(HEADER + LEAD, "page.txt", PROFILE)
    assert list(parsed.warnings) == misfits(parsed, PROFILE)


def test_a_run_over_many_captures_says_a_bounded_number_and_counts_the_rest(cli: Cli, tmp_path: Path) -> None:
    for day in range(1, 26):
        page = HEADER.replace("8 June", f"{day} June") + LEAD + UNDATED
        (tmp_path / f"{day:02}.txt").write_text(page, encoding="utf-8")
    result = cli("timeline", str(tmp_path), "--format", "json")
    assert result.returncode == 0
    lines = result.stderr.splitlines()
    assert len(lines) == WARNINGS_SAID + 1
    assert (
        lines[0]
        == f"diffcore: warning: {tmp_path / '01.txt'}: no item: no line matches the item pattern of profile 'dated-news-page'"
    )
    assert (
        lines[-1] == "diffcore: warning: 5 more warnings not shown; `diffcore show CAPTURE` lists a capture's warnings"
    )


def test_a_run_that_fails_says_only_its_error(cli: Cli, tmp_path: Path) -> None:
    old, new = tmp_path / "a.txt", tmp_path / "b.txt"
    old.write_text(HEADER + LEAD + UNDATED, encoding="utf-8")
    new.write_text(HEADER.replace("8 June", "9 June") + LEAD + UNDATED, encoding="utf-8")
    result = cli("diff", str(old), str(new), "-o", str(tmp_path / "no" / "such" / "out.txt"))
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and "cannot write" in result.stderr


def test_each_capture_of_a_diff_or_timeline_document_carries_its_warnings(cli: Cli, tmp_path: Path) -> None:
    old, new = tmp_path / "a.txt", tmp_path / "b.txt"
    old.write_text(HEADER + LEAD + UNDATED, encoding="utf-8")
    new.write_text(HEADER.replace("8 June", "9 June") + LEAD + ITEMS, encoding="utf-8")
    no_item = f"{old}: no item: no line matches the item pattern of profile 'dated-news-page'"
    diff = json.loads(cli("diff", str(old), str(new), "--format", "json").stdout)
    assert (diff["old"]["warnings"], diff["new"]["warnings"]) == ([no_item], [])
    timeline = json.loads(cli("timeline", str(old), str(new), "--format", "json").stdout)
    assert [capture["warnings"] for capture in timeline["captures"]] == [[no_item], []]


# --- most items vanishing at once ------------------------------------------------------------------


def _page(day: int, titles: list[str], lead: str = LEAD) -> str:
    items = "".join(f"\n0{1 + n % 9}.05.2020 - {title}\n" for n, title in enumerate(titles))
    return HEADER.replace("8 June", f"{day} June") + lead + items


TITLES = [f"Report number {n} of the harbour works" for n in range(8)]


def test_most_items_vanishing_at_once_is_a_sign_not_deletions(cli: Cli, tmp_path: Path) -> None:
    pages = {"a.txt": _page(8, TITLES), "b.txt": _page(9, TITLES[:2]), "c.txt": _page(10, TITLES)}
    for name, text in pages.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    flag = (
        f"{tmp_path / 'b.txt'}: 6 of the 8 items of the capture before vanished at once, and the page lists 2: "
        "a redesign or an extraction that broke, not necessarily 6 deletions"
    )
    diff = cli("diff", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--format", "json")
    assert json.loads(diff.stdout)["warnings"] == [flag]
    assert diff.stderr == f"diffcore: warning: {flag}\n"
    text = cli("diff", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")).stdout
    assert f"Warning: {flag}" in text
    timeline = cli("timeline", str(tmp_path), "--format", "json")
    assert [capture["warnings"] for capture in json.loads(timeline.stdout)["captures"]] == [[], [flag], []]
    assert timeline.stderr == f"diffcore: warning: {flag}\n"


def test_a_page_that_replaces_its_items_or_empties_is_no_sign() -> None:
    snapshot = parse(_page(9, [f"New report {n}" for n in range(8)]), "b.txt", PROFILE)
    assert vanished(8, 0, snapshot) is None  # as many new items came
    emptied = parse(HEADER, "b.txt", PROFILE)
    assert vanished(8, 0, emptied) is None  # the page holds nothing: its items are gone indeed
    few = parse(_page(9, TITLES[:1]), "b.txt", PROFILE)
    assert vanished(5, 0, few) is None  # too few items before to tell
    assert vanished(8, 4, few) is None  # half kept
    assert vanished(8, 1, few) is not None


def test_a_report_index_lists_the_warnings_of_its_captures(cli: Cli, tmp_path: Path) -> None:
    pages = {
        "a.txt": _page(8, TITLES),
        "b.txt": _page(9, TITLES[:2]),
        "c.txt": HEADER.replace("8 June", "10 June") + LEAD + UNDATED,
    }
    (tmp_path / "in").mkdir()
    for name, text in pages.items():
        (tmp_path / "in" / name).write_text(text, encoding="utf-8")
    result = cli("report", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--format", "html")
    assert result.returncode == 0, result.stderr
    index = (tmp_path / "out" / "index.md").read_text(encoding="utf-8")
    assert "## Warnings" in index
    assert "- 2020-06-09: " in index and "6 of the 8 items of the capture before vanished at once" in index
    assert "- 2020-06-10: " in index and "no item: no line matches the item pattern" in index
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert '<section id="warnings">' in page and "vanished at once" in page
