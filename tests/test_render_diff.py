"""The change report rendered: golden files, the JSON contract, escaping of hostile page text."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from diffcore.diff import diff
from diffcore.load import load
from diffcore.model import Lead, SnapshotDiff
from diffcore.render import DIFF_FORMATS
from diffcore.render.as_json import diff_dict
from tests.build import make_snapshot
from tests.contract import check_diff_contract, main
from tests.paths import REPO_DIR

OLD = "tests/fixtures/diff/old_2020-08-07.txt"
NEW = "tests/fixtures/diff/new_2020-09-14.txt"
HOSTILE = "<script>x</script> | pipe [link](javascript:x)"
ANSI = "\x1b["


@pytest.fixture
def report(monkeypatch: pytest.MonkeyPatch) -> SnapshotDiff:
    """The fixture pair's report, loaded by relative paths from the repository root (stable sources)."""
    monkeypatch.chdir(REPO_DIR)
    return diff(load(OLD), load(NEW))


@pytest.fixture
def hostile() -> SnapshotDiff:
    """A report whose every piece of page text tries to be markup."""
    day = "04.08.2020"
    old = make_snapshot(
        [
            (day, HOSTILE, "1. starts like a list | with a pipe"),
            (day, "Quiet item", "Nothing."),
            ("05.08.2020", "Annual general meting", "Members meet."),
        ],
        lead=Lead("Notes <b>bold</b>", ("First.",), ()),
        fields=[("Visitor enquiries", "+44 <img src=x>")],
        counters=[(5, "{n} days have passed since the <em>pier</em> | closed")],
        source="old.txt",
    )
    new = make_snapshot(
        [
            (day, "Quiet item", "Nothing."),
            ("05.08.2020", "Annual general " + HOSTILE, "Members meet."),
            (day, HOSTILE, "1. starts like a list | with a pipe"),
            ("06.08.2020", "*bold* _em_ `code` " + HOSTILE, "# not a heading"),
        ],
        lead=Lead("Storm " + HOSTILE, ("Second.",), ()),
        fields=[("Visitor enquiries", "[call](javascript:y)")],
        counters=[(9, "{n} days have passed since the <em>pier</em> | closed")],
        captured=dt.date(2020, 8, 9),
        source="new.txt",
    )
    return diff(old, new)


# --- golden files ------------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "suffix"), [("text", "txt"), ("markdown", "md"), ("json", "json")])
def test_golden_renderings_of_the_fixture_pair(
    fmt: str, suffix: str, report: SnapshotDiff, golden: Callable[[str, str], None]
) -> None:
    golden(f"diff/fixture_pair.{suffix}", DIFF_FORMATS[fmt](report, False))


def test_renderings_are_deterministic(report: SnapshotDiff) -> None:
    again = diff(load(OLD), load(NEW))
    for render in DIFF_FORMATS.values():
        assert render(report, False) == render(again, False)


# --- text --------------------------------------------------------------------------------------


def test_text_report_shows_word_changes(report: SnapshotDiff) -> None:
    text = DIFF_FORMATS["text"](report, False)
    assert "Annual general [-meting-] {+meeting+} of members" in text
    assert "published: 29.07.2020 -> 28.07.2020" in text
    assert "2 added, 1 dropped, 3 edited, 1 moved, 4 unchanged" in text
    assert ANSI not in text


def test_text_report_colours_only_when_asked(report: SnapshotDiff) -> None:
    coloured = DIFF_FORMATS["text"](report, True)
    assert ANSI in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == DIFF_FORMATS["text"](report, False)


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_terminal_control_characters_in_page_text_are_made_visible(fmt: str) -> None:
    evil = "Evil \x1b]0;pwned\x07\x1b[2J title"
    old = make_snapshot([("04.08.2020", "Quiet", "x")], fields=[("Visitor enquiries", "a")])
    new = make_snapshot(
        [("04.08.2020", "Quiet " + evil, "x"), ("05.08.2020", evil, "x")], fields=[("Visitor enquiries", "b \x1b[31m")]
    )
    out = DIFF_FORMATS[fmt](diff(old, new), False)
    assert "\x1b" not in out and "\x07" not in out
    assert re.search(r"x1b\\?\]0;pwned", out)


# --- markdown ----------------------------------------------------------------------------------


def unescaped_pipes(line: str) -> int:
    """Table cell boundaries in a markdown line (pipes without a backslash before them)."""
    return len(re.findall(r"(?<!\\)\|", line))


def test_markdown_escapes_hostile_page_text(hostile: SnapshotDiff) -> None:
    text = DIFF_FORMATS["markdown"](hostile, False)
    assert not re.search(r"(?<!\\)[<>]", text), "an unescaped angle bracket"
    assert "\\<script\\>x\\</script\\>" in text
    assert "[link](javascript:x)" not in text and "[call](javascript:y)" not in text
    assert "\\[link\\](javascript:x)" in text
    assert "\\*bold\\* \\_em\\_ \\`code\\`" in text
    assert "\n  \\# not a heading" in text
    assert not re.search(r"^#+ .*(script|heading)", text, re.MULTILINE)


def test_markdown_tables_keep_their_columns_with_pipes_in_page_text(hostile: SnapshotDiff) -> None:
    text = DIFF_FORMATS["markdown"](hostile, False)
    tables = re.findall(r"(?:^\|.*\n)+", text, re.MULTILINE)
    assert len(tables) >= 3  # captures, counters, moved
    for table in tables:
        widths = {unescaped_pipes(line) for line in table.splitlines()}
        assert len(widths) == 1, table
    assert any("\\|" in table for table in tables)


def test_markdown_headings(report: SnapshotDiff) -> None:
    lines = DIFF_FORMATS["markdown"](report, False).splitlines()
    assert lines[0] == "# Changes from 2020-08-07 to 2020-09-14"
    headings = [line for line in lines if line.startswith("#")]
    assert headings == [
        "# Changes from 2020-08-07 to 2020-09-14",
        "## Counters",
        "## Header fields",
        "## Lead article",
        "## Added (2)",
        "## Dropped (1)",
        "## Edited (3)",
        "## Moved (1)",
    ]


# --- JSON and its contract ---------------------------------------------------------------------


def test_json_follows_the_contract(report: SnapshotDiff, hostile: SnapshotDiff) -> None:
    for document in (diff_dict(report), diff_dict(hostile), json.loads(DIFF_FORMATS["json"](report, False))):
        check_diff_contract(document)


def test_json_for_an_invalid_date_is_null() -> None:
    old = make_snapshot([("31.02.2020", "Corrections to the printed tide table", "Two times were wrong.")])
    new = make_snapshot([("31.02.2020", "Corrections to the printed tide table", "Three times were wrong.")])
    document = json.loads(DIFF_FORMATS["json"](diff(old, new), False))
    check_diff_contract(document)
    [edit] = document["edited"]
    assert edit["old"]["published"] is None and edit["new"]["published"] is None
    assert edit["new"]["published_text"] == "31.02.2020"


def test_seed_reports_follow_the_contract(seeds_dir: Path) -> None:
    seeds = sorted(seeds_dir.glob("*.txt"))
    snapshots = sorted((load(path) for path in seeds), key=lambda snapshot: snapshot.captured)
    for old, new in itertools.pairwise(snapshots):
        check_diff_contract(json.loads(DIFF_FORMATS["json"](diff(old, new), False)))


def broken(document: dict, path: tuple[str | int, ...], value: object = KeyError) -> dict:
    """A deep copy of `document` with the key at `path` removed (value KeyError) or replaced."""
    copied = copy.deepcopy(document)
    target = copied
    for step in path[:-1]:
        target = target[step]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return copied


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("unchanged",), KeyError, "top level: missing key(s) unchanged"),
        (("old", "captured"), KeyError, "old: missing key(s) captured"),
        (("old", "captured"), "7 August 2020", "not an ISO 8601 date"),
        (("counters", 0, "consistent"), KeyError, "counters[0]: missing key(s) consistent"),
        (("counters", 0, "delta"), 5, "counters[0].delta"),
        (("counters", 0, "days_elapsed"), "38", "counters[0].days_elapsed: expected an integer"),
        (("added", 0, "published"), "12.09.2020", "added[0].published"),
        (("added", 1, "position"), -1, "added[1].position"),
        (("dropped", 0, "id"), KeyError, "dropped[0]: missing key(s) id"),
        (("edited", 0, "similarity"), 1.5, "edited[0].similarity"),
        (("edited", 0, "changes"), KeyError, "edited[0]: missing key(s) changes"),
        (("edited", 0, "changes", "title", 0, "op"), "swap", "unknown operation"),
        (("moved", 0, "new_position"), KeyError, "moved[0]: missing key(s) new_position"),
        (("moved", 0, "item", "summary"), None, "moved[0].item.summary: expected a string"),
        (("lead", "status"), "gone", "lead.status"),
        (("unchanged",), True, "unchanged: expected an integer"),
    ],
)
def test_the_contract_check_names_what_is_wrong(
    report: SnapshotDiff, path: tuple[str | int, ...], value: object, message: str
) -> None:
    document = diff_dict(report)
    check_diff_contract(document)
    with pytest.raises(AssertionError, match=re.escape(message)):
        check_diff_contract(broken(document, path, value))


def test_the_contract_check_runs_on_files(
    report: SnapshotDiff, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(DIFF_FORMATS["json"](report, False), encoding="utf-8")
    bad.write_text(json.dumps(broken(diff_dict(report), ("moved",))), encoding="utf-8")
    assert main([str(good)]) == 0
    assert main([str(good), str(bad)]) == 1
    assert capsys.readouterr().err.splitlines() == [f"{bad}: diff JSON contract: top level: missing key(s) moved"]
