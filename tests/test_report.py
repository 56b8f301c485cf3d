"""The report folder and the timeline command, end to end through the CLI.

In process through the `cli` fixture, except the progress bar on a real (pseudo-)terminal."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from diffcore.folder import write_report
from diffcore.load import scan
from diffcore.output import MANIFEST
from synthetic import Churn, iter_captures
from tests.paths import ARCHIVE_DIR, REPO_DIR
from tests.support import Cli

SAFE_NAME = re.compile(r"^[A-Za-z0-9._-]+$")


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_report_folder_on_seeds(cli: Cli, seeds_dir: Path, tmp_path: Path) -> None:
    done = cli("report", str(seeds_dir), "-o", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    files = tree(tmp_path / "out")
    pairs = sorted(name for name in files if name.startswith("changes/"))
    assert pairs == [
        "changes/0001_2020-07-15_2020-08-07.json",
        "changes/0001_2020-07-15_2020-08-07.md",
        "changes/0002_2020-08-07_2021-09-26.json",
        "changes/0002_2020-08-07_2021-09-26.md",
    ]
    index = files["index.md"].decode()
    for name in pairs:
        if name.endswith(".md"):
            assert f"]({name})" in index
    assert "| 2020-07-15 | 2020-08-07 | 23     | 3       | 3         | 0        | 0       |" in index
    first = json.loads(files["changes/0001_2020-07-15_2020-08-07.json"])
    assert (len(first["added"]), len(first["dropped"]), len(first["edited"])) == (3, 3, 0)
    rows = list(csv.DictReader(io.StringIO(files["timeline.csv"].decode())))
    assert len(rows) == 23
    assert all(SAFE_NAME.match(Path(name).name) for name in files)
    assert "\x1b[" not in done.stderr and "\r" not in done.stderr  # no progress bar off a terminal


def test_report_is_byte_identical_when_rerun(cli: Cli, seeds_dir: Path, tmp_path: Path) -> None:
    assert cli("report", str(seeds_dir), "-o", str(tmp_path / "a")).returncode == 0
    assert cli("report", str(seeds_dir), "-o", str(tmp_path / "b")).returncode == 0
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_report_written_by_two_workers_is_the_one_written_in_one_process(tmp_path: Path) -> None:
    """Pages rendered in worker processes, across batches, link and list the same files.

    79 pairs: more than the 64 two workers hold at once (batches of 16, two
    ahead each), and a last batch that is not full.
    """
    source = tmp_path / "in"
    source.mkdir()
    for capture in iter_captures(80, 6, 5, Churn()):
        (source / capture.name).write_text(capture.text, encoding="utf-8")
    inventory = scan([source], workers=1)
    write_report(inventory, tmp_path / "one", html=True, workers=1)
    write_report(inventory, tmp_path / "two", html=True, workers=2)
    files = tree(tmp_path / "two")
    assert files == tree(tmp_path / "one")
    assert sum(name.startswith("changes/") for name in files) == 3 * 79
    assert set(json.loads(files[MANIFEST])["files"]) == set(files) - {MANIFEST}


def test_report_names_never_come_from_page_text(cli: Cli, tmp_path: Path) -> None:
    """Hostile titles and file names do not reach the names the report writes."""
    source = tmp_path / "in"
    source.mkdir()
    body = (
        "3 March 2021\nLondon: 10:00\n\nLead\n\nText.\n\n"
        "01.03.2021 - ../../etc/passwd <b>x</b> / \\ : * ?\n\nSummary.\n\nall messages\n"
    )
    (source / "one.txt").write_text(body, encoding="utf-8")
    (source / "two.txt").write_text(
        body.replace("3 March", "9 March").replace("Summary.", "Summary, longer."), encoding="utf-8"
    )
    done = cli("report", str(source), "-o", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    names = list(tree(tmp_path / "out"))
    assert all(SAFE_NAME.match(Path(name).name) for name in names)
    assert not (tmp_path / "etc").exists()


def test_report_clears_stale_pair_files_only(cli: Cli, seeds_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert cli("report", str(seeds_dir), "-o", str(out)).returncode == 0
    (out / "notes.txt").write_text("mine")
    (out / "changes" / "mine.md").write_text("mine too")
    assert cli("report", *map(str, sorted(seeds_dir.glob("*.txt"))[:2]), "-o", str(out)).returncode == 0
    assert not (out / "changes" / "0002_2020-08-07_2021-09-26.md").exists()
    assert (out / "notes.txt").read_text() == "mine" and (out / "changes" / "mine.md").read_text() == "mine too"


def test_report_refuses_to_write_into_an_input_folder(cli: Cli, seeds_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "caps"
    folder.mkdir()
    for path in seeds_dir.glob("*.txt"):
        (folder / path.name).write_bytes(path.read_bytes())
    done = cli("report", str(folder), "-o", str(folder))
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and str(folder) in done.stderr


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "csv"])
def test_timeline_formats_on_seeds(cli: Cli, seeds_dir: Path, fmt: str) -> None:
    done = cli("timeline", str(seeds_dir), "--format", fmt)
    assert done.returncode == 0, done.stderr
    if fmt == "json":
        document = json.loads(done.stdout)
        assert [c["captured"] for c in document["captures"]] == ["2020-07-15", "2020-08-07", "2021-09-26"]
        assert len(document["items"]) == 23
        assert {r["label"] for r in document["counters"]} and all("value" in r for r in document["counters"])
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(done.stdout)))
        assert len(rows) == 23 and rows[0]["first_seen"] == "2020-07-15"
    else:
        assert "2020-07-15" in done.stdout and "2021-09-26" in done.stdout


def test_timeline_presence_view(cli: Cli, seeds_dir: Path) -> None:
    done = cli("timeline", str(seeds_dir), "--table", "presence")
    assert done.returncode == 0
    marks = [line.split()[-1] for line in done.stdout.splitlines() if re.search(r"\s[x.]{3}$", line)]
    assert sorted(marks) == sorted(["x.."] * 3 + ["xx."] * 7 + [".x."] * 3 + ["..x"] * 10)


def test_timeline_reports_duplicates_and_bad_files(cli: Cli, seeds_dir: Path, tmp_path: Path) -> None:
    first = sorted(seeds_dir.glob("*.txt"))[0]
    (tmp_path / "a.txt").write_bytes(first.read_bytes())
    (tmp_path / "b.txt").write_bytes(first.read_bytes())
    done = cli("timeline", str(tmp_path), "--format", "json")
    assert done.returncode == 0
    assert "duplicate" in done.stderr and len(json.loads(done.stdout)["captures"]) == 1
    (tmp_path / "c.txt").write_bytes(b"\x00\x01binary")
    done = cli("timeline", str(tmp_path))
    assert done.returncode == 0 and "c.txt: skipped: binary file" in done.stderr and "1 skipped" in done.stderr
    done = cli("timeline", str(tmp_path), "--strict")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "c.txt" in done.stderr
    assert "Traceback" not in done.stderr


def test_progress_bar_only_on_a_terminal() -> None:
    """stderr on a terminal shows the bar; the pipe runs above show none."""
    pty = pytest.importorskip("pty")
    import fcntl
    import struct
    import termios

    leader, follower = pty.openpty()
    # A fresh pseudo-terminal is 0 columns wide; give it a real terminal's size.
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    import select

    # The follower stays open here until the child is done, so nothing it wrote
    # is lost when it exits; the leader is drained as the output comes.
    with subprocess.Popen(
        [sys.executable, "-m", "diffcore", "timeline", str(ARCHIVE_DIR), "--format", "csv"],
        cwd=REPO_DIR,
        stdout=subprocess.PIPE,
        stderr=follower,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "NO_COLOR": "1"},
    ) as process:
        chunks = []
        while True:
            ready, _, _ = select.select([leader], [], [], 0.2)
            if ready:
                chunks.append(os.read(leader, 65536))
            elif process.poll() is not None:
                break
        stdout = process.stdout.read() if process.stdout else b""
        assert process.wait(timeout=60) == 0
    os.close(follower)
    os.close(leader)
    shown = b"".join(chunks)
    assert b"capture" in shown and b"%|" in shown
    assert b"%|" not in stdout
