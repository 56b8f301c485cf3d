"""The `diffcore store` commands: the same output as the batch commands, exit codes, and errors as one line."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.contract import without_sources
from tests.paths import ARCHIVE_DIR, REPO_DIR
from tests.support import Cli

ARCHIVE = "examples/archive"
STORE_COMMANDS = ("add", "diff", "export", "feed", "pages", "query", "report", "timeline", "verify")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example archive in a store, added by the command from the repository root (sources as `timeline`'s)."""
    from tests.support import run_in_process

    path = tmp_path_factory.mktemp("cli") / "history.db"
    done = run_in_process("store", "add", str(path), ARCHIVE)
    assert done.returncode == 1, done.stderr
    return path


def by_date() -> list[str]:
    import diffcore

    return [
        str(p.relative_to(REPO_DIR)) for p in sorted(ARCHIVE_DIR.glob("*.txt"), key=lambda p: diffcore.load(p).captured)
    ]


def test_add_prints_the_latest_change_and_exits_as_diff(cli: Cli, tmp_path: Path) -> None:
    files = by_date()
    path = str(tmp_path / "history.db")
    first = cli("store", "add", path, *files[:2])
    assert first.returncode == 1
    assert first.stdout == cli("diff", files[0], files[1]).stdout
    assert first.stderr.endswith("added 2 captures\n")
    again = cli("store", "add", path, *files[:2])
    assert (again.returncode, again.stdout) == (0, "")
    assert again.stderr.endswith("added 0 captures (2 already there)\n")
    alone = cli("store", "add", str(tmp_path / "alone.db"), files[0])
    assert (alone.returncode, alone.stdout) == (0, "")
    assert "the first capture of its page" in alone.stderr
    as_json = cli("store", "add", path, files[2], "--format", "json")
    assert as_json.stdout == cli("diff", files[1], files[2], "--format", "json").stdout


def test_timeline_is_the_batch_timeline(cli: Cli, store: Path) -> None:
    for args in ((), ("--format", "json"), ("--format", "csv", "--table", "counters"), ("--table", "presence")):
        stored = cli("store", "timeline", str(store), *args)
        batch = cli("timeline", ARCHIVE, *args)
        assert (stored.returncode, stored.stdout, stored.stderr) == (0, batch.stdout, batch.stderr), args


def test_diff_is_the_diff_of_the_captures(cli: Cli, store: Path) -> None:
    files = by_date()
    latest = cli("store", "diff", str(store))
    assert (latest.returncode, latest.stdout) == (1, cli("diff", files[-2], files[-1]).stdout)
    named = cli("store", "diff", str(store), "2019-05-13", "2019-09", "--format", "markdown")
    assert (named.returncode, named.stdout) == (1, cli("diff", files[1], files[2], "--format", "markdown").stdout)
    same = cli("store", "diff", str(store), "2019-02-04", "2019-02-04")
    assert same.returncode == 0
    missing = cli("store", "diff", str(store), "1999")
    assert (missing.returncode, missing.stdout) == (2, "")
    assert missing.stderr == f"diffcore: {store}: no capture of (captures that do not name their page) taken at 1999\n"


def test_report_is_the_batch_report(cli: Cli, store: Path, tmp_path: Path) -> None:
    stored = cli("store", "report", str(store), "-o", str(tmp_path / "stored"))
    batch = cli("report", ARCHIVE, "-o", str(tmp_path / "batch"))
    assert stored.returncode == batch.returncode == 0
    assert (
        stored.stderr.splitlines()[-1]
        == f"diffcore: wrote {tmp_path / 'stored'}: 14 captures, 13 pairs (12 with item changes)"
    )
    names = sorted(p.relative_to(tmp_path / "batch") for p in (tmp_path / "batch").rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(tmp_path / "stored") for p in (tmp_path / "stored").rglob("*") if p.is_file())
    for name in names:
        assert (tmp_path / "stored" / name).read_bytes() == (tmp_path / "batch" / name).read_bytes(), name


def test_pages_lists_each_page(cli: Cli, store: Path) -> None:
    text = cli("store", "pages", str(store))
    assert text.returncode == 0
    assert text.stdout.splitlines()[2].split() == [
        "(captures",
        "that",
        "do",
        "not",
        "name",
        "their",
        "page)",
        "14",
        "2019-02-04T00:00:00Z",
        "2023-10-30T00:00:00Z",
        "28",
    ]
    document = json.loads(cli("store", "pages", str(store), "--format", "json").stdout)
    assert document["schema"] == "diffcore.store-pages/1"
    assert document["pages"] == [
        {
            "url": None,
            "captures": 14,
            "first": "2019-02-04T00:00:00Z",
            "last": "2023-10-30T00:00:00Z",
            "items": 28,
            "profile": "dated-news-page",
        }
    ]


def test_verify_says_ok_or_lists_problems(cli: Cli, store: Path, tmp_path: Path) -> None:
    sound = cli("store", "verify", str(store))
    assert (sound.returncode, sound.stdout, sound.stderr) == (0, f"{store}: ok (1 page, 14 captures)\n", "")
    broken = tmp_path / "broken.db"
    shutil.copy(store, broken)
    with sqlite3.connect(broken) as db:
        db.execute("DELETE FROM events WHERE event = 'dropped'")
    db.close()
    found = cli("store", "verify", str(broken))
    assert found.returncode == 1
    assert "missing dropped event of item 2019-01-04-4ec80b62 on examples/archive/a0de87fc7ab13f94.txt" in found.stdout
    assert found.stderr.startswith(f"diffcore: {broken}: ") and found.stderr.endswith("problems found\n")


def test_query_prints_rows(cli: Cli, store: Path) -> None:
    sql = "SELECT identity, gaps FROM item_lifetimes WHERE gaps > 0"
    text = cli("store", "query", str(store), sql)
    assert text.stdout.splitlines() == [
        "identity             gaps",
        "-------------------  ------",
        "2019-01-10-ae10ceee  1",
    ]
    assert json.loads(cli("store", "query", str(store), sql, "--format", "json").stdout) == [
        {"gaps": 1, "identity": "2019-01-10-ae10ceee"}
    ]
    assert cli("store", "query", str(store), sql, "--format", "csv").stdout == "identity,gaps\n2019-01-10-ae10ceee,1\n"
    wrong = cli("store", "query", str(store), "DELETE FROM items")
    assert wrong.returncode == 2
    assert wrong.stderr == f"diffcore: {store}: store error: attempt to write a readonly database\n"


def test_feed_and_export_write_their_files(cli: Cli, store: Path, tmp_path: Path) -> None:
    feed = cli("store", "feed", str(store), "-o", str(tmp_path / "changes.atom"), "--limit", "5")
    assert (feed.returncode, feed.stdout, feed.stderr) == (0, "", "")
    assert (tmp_path / "changes.atom").read_text(encoding="utf-8").count("<entry>") == 5
    export = cli("store", "export", str(store), "-o", str(tmp_path / "tables"))
    assert export.returncode == 0
    assert sorted(p.name for p in (tmp_path / "tables").iterdir() if not p.name.startswith(".")) == [
        "captures.csv",
        "counters.csv",
        "events.csv",
        "items.csv",
        "leads.csv",
        "pages.csv",
        "presence.csv",
    ]


def test_outputs_never_replace_the_store(cli: Cli, store: Path) -> None:
    before = hashlib.sha256(store.read_bytes()).hexdigest()
    for args in (("timeline",), ("feed",), ("diff",), ("pages",), ("query", "SELECT 1")):
        done = cli("store", args[0], str(store), *args[1:], "-o", str(store))
        assert done.returncode == 2, args
        assert "refusing to overwrite an input file" in done.stderr
    added = cli("store", "add", str(store), ARCHIVE, "-o", str(store))
    assert added.returncode == 2 and "refusing to overwrite an input file" in added.stderr
    assert hashlib.sha256(store.read_bytes()).hexdigest() == before


def test_a_file_that_is_not_a_store_is_one_line(cli: Cli, tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a store\n", encoding="utf-8")
    for command in ("timeline", "verify", "pages"):
        done = cli("store", command, str(text))
        assert (done.returncode, done.stdout) == (2, "")
        assert done.stderr == f"diffcore: {text}: not a diffcore store (not an SQLite database)\n"
    added = cli("store", "add", str(text), ARCHIVE)
    assert added.returncode == 2 and added.stderr.splitlines()[-1].endswith("not an SQLite database)")
    assert text.read_text(encoding="utf-8") == "not a store\n"
    missing = cli("store", "timeline", str(tmp_path / "none.db"))
    assert missing.stderr == f"diffcore: {tmp_path / 'none.db'}: no such store (`diffcore store add` creates one)\n"
    assert not (tmp_path / "none.db").exists()


def test_json_timeline_differs_from_the_batch_only_in_sources(cli: Cli, tmp_path: Path) -> None:
    """Captures added from elsewhere (an absolute path) read the same but for where they were read."""
    path = str(tmp_path / "history.db")
    cli("store", "add", path, str(ARCHIVE_DIR))
    stored = json.loads(cli("store", "timeline", path, "--format", "json").stdout)
    batch = json.loads(cli("timeline", ARCHIVE, "--format", "json").stdout)
    assert stored != batch
    assert without_sources(stored) == without_sources(batch)


@pytest.mark.parametrize("command", STORE_COMMANDS)
def test_every_store_command_shows_its_own_help(cli: Cli, command: str) -> None:
    done = cli("store", command, "--help")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith(f"usage: diffcore store {command} [-h]")
    assert "DB" in done.stdout


def test_store_help_lists_every_store_command(cli: Cli) -> None:
    done = cli("store", "--help")
    assert done.returncode == 0
    for command in STORE_COMMANDS:
        assert f"\n    {command} " in done.stdout, command
