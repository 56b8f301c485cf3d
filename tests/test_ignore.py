"""Lines a profile or --ignore sets aside: kept in the snapshot and shown, never compared."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from diffcore.diff import diff
from diffcore.errors import ProfileError
from diffcore.parse import parse
from diffcore.profile import default_profile, parse_profile
from tests.support import Cli, assert_lines_accounted

PAGE = """Home > News > {crumb}
8 June 2020
Saltmere: 12:58

Saltmere light shines again

Pages: {pages}

01.06.2020 - Grant for a new education room

The grant pays for a classroom.
Pages: {pages}

All messages
"""
IGNORING = replace(default_profile(), ignore=(re.compile(r"^Pages:"), re.compile(r"^Home >")))


def test_ignored_lines_are_kept_in_their_place_and_read_nowhere_else() -> None:
    text = PAGE.format(crumb="Archive", pages="1 2 3")
    snapshot = parse(text, "page.txt", IGNORING)
    assert [(line.line, line.text) for line in snapshot.ignored] == [
        (1, "Home > News > Archive"),
        (7, "Pages: 1 2 3"),
        (12, "Pages: 1 2 3"),
    ]
    assert snapshot.items[0].summary == ("The grant pays for a classroom.",)
    assert snapshot.lead is not None and snapshot.lead.paragraphs == ()
    assert snapshot.unparsed == () and snapshot.warnings == ()
    assert_lines_accounted(text, snapshot)  # no line lost: ignored is a place of its own
    # Without the patterns, the same lines are read as text: the breadcrumb even hides the date.
    assert parse(PAGE.format(crumb="x", pages="1").replace("Home > News > x\n", ""), "p", default_profile()).items[
        0
    ].summary == ("The grant pays for a classroom.", "Pages: 1")


def test_changes_in_ignored_lines_are_said_but_are_no_change() -> None:
    old = parse(PAGE.format(crumb="Archive", pages="1 2 3"), "old.txt", IGNORING)
    new = parse(PAGE.format(crumb="Latest", pages="1 2 3 4"), "new.txt", IGNORING)
    report = diff(old, new)
    assert not report.has_changes and report.lead.status == "same"
    assert (report.other.removed, report.other.added) == ((), ())
    assert report.other.ignored_removed == ("Home > News > Archive", "Pages: 1 2 3", "Pages: 1 2 3")
    assert report.other.ignored_added == ("Home > News > Latest", "Pages: 1 2 3 4", "Pages: 1 2 3 4")


def test_a_profile_ignores_lines_by_its_ignore_table() -> None:
    profile = parse_profile(
        {
            "item": {"start": r"^(?P<day>\d\d)\.(?P<month>\d\d)\.(?P<year>\d{4}) (?P<title>.+)$"},
            "ignore": {"lines": ["^Pages:"]},
        },
        "p",
    )
    assert [pattern.pattern for pattern in profile.ignore] == ["^Pages:"]
    with pytest.raises(ProfileError, match=r"\[ignore\] lines must be a list of strings"):
        parse_profile({"item": {"start": "(?P<day>)(?P<month>)(?P<year>)(?P<title>)"}, "ignore": {"lines": "^x"}}, "p")
    with pytest.raises(ProfileError, match=r"\[ignore\] lines is not a valid pattern"):
        parse_profile({"item": {"start": "(?P<day>)(?P<month>)(?P<year>)(?P<title>)"}, "ignore": {"lines": ["("]}}, "p")


def test_ignore_on_the_command_line(cli: Cli, tmp_path: Path) -> None:
    capture = tmp_path / "page.txt"
    capture.write_text(PAGE.format(crumb="Archive", pages="1 2 3"), encoding="utf-8")
    result = cli("show", str(capture), "--ignore", "^Pages:", "--ignore", "^Home >", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert [line["line"] for line in json.loads(result.stdout)["ignored"]] == [1, 7, 12]
    text = cli("show", str(capture), "--ignore", "^Pages:", "--ignore", "^Home >").stdout
    assert "ignored:  3 line(s)\n  line 1: Home > News > Archive\n" in text
    bad = cli("show", str(capture), "--ignore", "(")
    assert bad.returncode == 2 and bad.stderr.startswith("diffcore: show: argument --ignore: not a valid pattern")


def test_an_ignored_item_line_and_a_page_all_ignored_are_said(cli: Cli, tmp_path: Path) -> None:
    item_ignored = replace(default_profile(), ignore=(re.compile("Grant"),))
    snapshot = parse(PAGE.format(crumb="x", pages="1").replace("Home > News > x\n", ""), "p", item_ignored)
    assert "p: line 8: an item's first line is ignored; its summary joins the item above" in snapshot.warnings
    capture = tmp_path / "page.txt"
    capture.write_text(PAGE.format(crumb="Archive", pages="1"), encoding="utf-8")
    result = cli("show", str(capture), "--ignore", ".")
    assert (result.returncode, result.stderr) == (
        2,
        f"diffcore: {capture}: all 9 lines are ignored ([ignore] lines, --ignore)\n",
    )
