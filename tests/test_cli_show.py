"""`diffcore show` end to end, as a user runs it (in process, through the `cli` fixture)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.paths import FIXTURES_DIR, ISO_PROFILE, REPO_DIR
from tests.support import BINARY_VARIANT, MAIN_FIXTURE, Cli, digests

SNAPSHOT_KEYS = {
    "schema",
    "source",
    "captured",
    "capture_time",
    "clocks",
    "fields",
    "counters",
    "lead",
    "items",
    "footer",
    "unparsed",
    "warnings",
}


def test_show_json(cli: Cli) -> None:
    path = FIXTURES_DIR / MAIN_FIXTURE
    before = digests([path])
    result = cli("show", "--format", "json", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    document = json.loads(result.stdout)
    assert set(document) >= SNAPSHOT_KEYS
    assert document["schema"].startswith("diffcore.snapshot/")
    assert document["source"] == str(path)
    assert (document["captured"], document["capture_time"]) == ("2020-08-07", "08:15")
    assert document["clocks"] == [{"place": "Harbourtown", "time": "09:15"}, {"place": "London", "time": "08:15"}]
    assert document["fields"] == [{"label": "Visitor enquiries", "value": "+44 (0) 20 7946 0000"}]
    assert [(c["value"], c["unit"]) for c in document["counters"]] == [(412, "day"), (97, "day")]
    assert document["lead"]["title"] == "Keeper\u2019s notes: a summer of repairs"
    assert len(document["lead"]["paragraphs"]) == 8
    assert [i["published"] for i in document["items"]] == [
        "2020-08-05",
        "2020-07-28",
        "2020-07-21",
        "2020-07-14",
        "2020-07-02",
    ]
    assert [i["position"] for i in document["items"]] == [0, 1, 2, 3, 4]
    assert document["items"][2]["id"] == "2020-07-21-b4f41947"
    assert (document["footer"], document["unparsed"], document["warnings"]) == ("all messages", [], [])
    assert digests([path]) == before


def test_show_text(cli: Cli) -> None:
    result = cli("show", str(FIXTURES_DIR / "lighthouse_2020-09-14.txt"))
    assert result.returncode == 0, result.stderr
    assert "2020-09-14" in result.stdout
    assert re.search(r"Items\D{0,3}5\b", result.stdout), result.stdout
    assert "Lamp room open again" in result.stdout
    assert "\x1b[" not in result.stdout


def _bad_cases(variants: dict[str, Path], tmp: Path) -> dict[str, tuple[Path, list[str]]]:
    return {
        "empty": (FIXTURES_DIR / "bad_empty.txt", []),
        "whitespace": (FIXTURES_DIR / "bad_whitespace.txt", []),
        "no-date": (FIXTURES_DIR / "bad_no_date.txt", []),
        "binary": (variants[BINARY_VARIANT], []),
        "wrong-encoding": (variants["cp1251.txt"], ["--encoding", "utf-8"]),
        "missing": (tmp / "missing.txt", []),
    }


@pytest.mark.parametrize("case", ["empty", "whitespace", "no-date", "binary", "wrong-encoding", "missing"])
def test_bad_input_is_one_line_and_exit_2(cli: Cli, case: str, variants: dict[str, Path], tmp_path: Path) -> None:
    path, extra = _bad_cases(variants, tmp_path)[case]
    result = cli("show", *extra, str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0]
    assert lines[0].startswith("diffcore: ")
    assert "Traceback" not in result.stderr


def test_bad_profile_is_one_line_and_exit_2(cli: Cli, tmp_path: Path) -> None:
    profile = tmp_path / "broken.toml"
    profile.write_text("[capture\n", encoding="utf-8")
    result = cli("show", "--profile", str(profile), str(FIXTURES_DIR / MAIN_FIXTURE))
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and str(profile) in result.stderr
    assert "Traceback" not in result.stderr


def test_explicit_encoding(cli: Cli, variants: dict[str, Path]) -> None:
    result = cli("show", "--format", "json", "--encoding", "cp1251", str(variants["cp1251.txt"]))
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert [i["title"] for i in document["items"]] == ["Экскурсия на маяк", "Новый фонарь"]


def test_user_profile(cli: Cli) -> None:
    result = cli("show", "--format", "json", "--profile", str(ISO_PROFILE), str(FIXTURES_DIR / "iso_layout.txt"))
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert (document["captured"], document["capture_time"], document["footer"]) == ("2020-08-07", "08:15", "more news")
    assert [i["published"] for i in document["items"]] == ["2020-08-05", None, "2020-07-28"]
    assert [c["label"] for c in document["counters"]] == ["Pier closed for {n} days"]
    assert len(result.stderr.splitlines()) == 1 and "warning" in result.stderr


def test_invalid_item_date_warns_but_succeeds(cli: Cli) -> None:
    path = Path("tests/fixtures/invalid_date.txt")
    result = cli("show", str(path), cwd=REPO_DIR)
    assert result.returncode == 0
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert "warning" in lines[0] and str(path) in lines[0]
    assert "line 12" in lines[0] and "31.02.2020" in lines[0]
    assert "Tide table corrections" in result.stdout


def test_a_reader_that_went_away_gets_no_traceback() -> None:
    """`diffcore show FILE | head -0`: a real process whose stdout pipe has no reader."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "diffcore", "show", str(FIXTURES_DIR / MAIN_FIXTURE)],
            cwd=REPO_DIR,
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        os.close(writer)
    assert (done.returncode, done.stderr) == (2, "")
