"""A store under stress: killed in the middle of an add, two adders at once, readers while an add runs.

These run the command in processes of their own, as a crawler's cron job would.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import diffcore
from diffcore.store import Store
from tests.paths import REPO_DIR
from tests.test_store_properties import write_archive

CAPTURES, ITEMS = 60, 30


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, diffcore.Timeline]:
    folder = tmp_path_factory.mktemp("reliability") / "archive"
    write_archive(CAPTURES, ITEMS, 11, folder)
    return folder, diffcore.timeline(diffcore.load_many([folder]).snapshots)


def start(*args: str) -> subprocess.Popen[str]:
    """`python -m diffcore ARGS` in a process of its own, from the repository."""
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(REPO_DIR)}
    return subprocess.Popen(
        [sys.executable, "-m", "diffcore", *args],
        cwd=REPO_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def captures_in(path: Path) -> int:
    """How many captures the store holds, read as another process sees it (0 while there is no store yet)."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30) as db:
            return int(db.execute("SELECT count(*) FROM captures").fetchone()[0])
    except sqlite3.Error:
        return 0


def wait_for(path: Path, count: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while captures_in(path) < count and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_kill_in_the_middle_of_an_add_loses_nothing_committed(
    archive: tuple[Path, diffcore.Timeline], tmp_path: Path, seed: int
) -> None:
    folder, batch = archive
    store = tmp_path / "history.db"
    rng = random.Random(seed)
    adding = start("store", "add", str(store), str(folder))
    wait_for(store, rng.randint(1, CAPTURES // 2), adding)
    time.sleep(rng.random() * 0.05)
    adding.send_signal(signal.SIGKILL)
    adding.wait()
    assert adding.returncode == -signal.SIGKILL, "the add ended before it could be killed"
    with sqlite3.connect(store) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    db.close()
    with Store(store, read_only=True) as read:
        assert read.verify() == []
        done = read.page().captures
    assert 0 < done < CAPTURES
    with Store(store) as again:
        result = again.add([folder])
        assert len(result.added) == CAPTURES - done
        assert again.timeline() == batch
        assert again.verify() == []


def test_two_adders_at_once_both_succeed(archive: tuple[Path, diffcore.Timeline], tmp_path: Path) -> None:
    """Each adds every other capture, so each one's captures fall between the other's: backfills meet appends."""
    folder, batch = archive
    files = sorted(folder.glob("*.txt"), key=lambda path: diffcore.load(path).captured)
    store = tmp_path / "history.db"
    adders = [start("store", "add", str(store), *map(str, files[half::2])) for half in (0, 1)]
    for adder in adders:
        _, stderr = adder.communicate(timeout=300)
        assert adder.returncode in (0, 1), stderr
    with Store(store, read_only=True) as read:
        assert read.timeline() == batch
        assert read.verify() == []


def test_readers_work_while_an_add_runs(archive: tuple[Path, diffcore.Timeline], tmp_path: Path) -> None:
    folder, _ = archive
    store = tmp_path / "history.db"
    adding = start("store", "add", str(store), str(folder))
    wait_for(store, 3, adding)
    seen = []
    while True:
        running = adding.poll() is None
        with Store(store, read_only=True) as read:
            timeline = read.timeline()
            assert read.verify() == []
        seen.append(len(timeline.captures))
        if not running:
            break
    assert adding.wait() in (0, 1)
    assert seen[0] >= 3 and seen == sorted(seen) and seen[-1] == CAPTURES


def test_a_commit_that_fails_is_rolled_back_and_the_next_transaction_runs() -> None:
    """A COMMIT that fails (a full disk, say) leaves no transaction open behind it."""
    from diffcore.store.writing import transaction

    class FailingCommit(sqlite3.Connection):
        failures = 1

        def execute(self, sql: str, *args: object) -> sqlite3.Cursor:
            if sql == "COMMIT" and self.failures:
                self.failures -= 1
                raise sqlite3.OperationalError("database or disk is full")
            return super().execute(sql, *args)  # type: ignore[arg-type]  # the parameters, passed on

    db = sqlite3.connect(":memory:", isolation_level=None, factory=FailingCommit)
    db.execute("CREATE TABLE t (x INTEGER)")
    with pytest.raises(sqlite3.OperationalError), transaction(db):
        db.execute("INSERT INTO t VALUES (1)")
    assert not db.in_transaction
    with transaction(db):
        db.execute("INSERT INTO t VALUES (2)")
    assert db.execute("SELECT x FROM t").fetchall() == [(2,)]


def test_writers_checkpoint_the_log_in_large_steps_and_closing_removes_it(
    archive: tuple[Path, diffcore.Timeline], tmp_path: Path
) -> None:
    from diffcore.store import schema

    path = tmp_path / "history.db"
    with Store(path) as store:
        store.add([archive[0]])
        assert Path(f"{path}-wal").exists()
    assert not Path(f"{path}-wal").exists()
    db = schema.connect(path, write=True)
    try:
        assert db.execute("PRAGMA wal_autocheckpoint").fetchone() == (schema.CHECKPOINT_PAGES,)
    finally:
        db.close()
