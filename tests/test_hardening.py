"""Outputs, inputs and signals at the edges: devices, FIFOs, symlinks, odd names, closed streams."""

from __future__ import annotations

import contextlib
import io
import os
import signal
import stat
import subprocess
import sys
import threading
from pathlib import Path
from unittest import mock

import pytest

from diffcore._pool import HELD, interrupts_held, ordered_map
from tests.support import Cli, run_cli

ROOT = Path(__file__).resolve().parents[1]
CAPTURE = ROOT / "tests" / "fixtures" / "lighthouse_2020-08-07.txt"


def test_output_to_a_fifo_writes_into_it_and_keeps_it(cli: Cli, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader waiting, so the write does not block
    try:
        result = cli("show", str(CAPTURE), "-o", str(fifo))
        received = os.read(reader, 1 << 16)
    finally:
        os.close(reader)
    assert result.returncode == 0, result.stderr
    assert received.startswith(b"Snapshot ")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(tmp_path.iterdir()) == [fifo]


def test_output_to_dev_stdout_goes_to_standard_output() -> None:
    result = run_cli("show", str(CAPTURE), "-o", "/dev/stdout")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Snapshot ")


def test_output_onto_a_folder_is_one_line(cli: Cli, tmp_path: Path) -> None:
    result = cli("show", str(CAPTURE), "-o", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr == f"diffcore: {tmp_path}: is a folder, not a file\n"


PAIR = sorted((ROOT / "examples" / "archive").glob("*.txt"))[:2]


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_report_never_writes_through_a_symlinked_subfolder(cli: Cli, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    folder = tmp_path / "report"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine\n")
    (folder / "changes").symlink_to(elsewhere)
    result = cli("report", *map(str, PAIR), "-o", str(folder), "--force")
    assert result.returncode == 2
    assert result.stderr == (
        f"diffcore: {folder / 'changes'}: is a symlink; refusing to write or remove anything through it\n"
    )
    assert list(elsewhere.iterdir()) == []
    assert sorted(p.name for p in folder.iterdir()) == ["changes", "notes.txt"]


def test_report_never_removes_a_stale_file_through_a_symlink(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "report"
    assert cli("report", *map(str, PAIR), "-o", str(folder)).returncode == 0
    (folder / "notes.txt").write_text("mine\n")
    moved = tmp_path / "moved"
    (folder / "changes").rename(moved)
    (folder / "changes").symlink_to(moved)
    before = _tree(moved)
    result = cli("report", str(PAIR[0]), "-o", str(folder), "--force")  # no pair: the old pair files are stale
    assert result.returncode == 2
    assert "changes: is a symlink" in result.stderr
    assert _tree(moved) == before


def test_report_into_a_link_to_a_folder_keeps_the_link(cli: Cli, tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    for _ in range(2):  # a new report, then one replacing it
        result = cli("report", *map(str, PAIR), "-o", str(link))
        assert result.returncode == 0, result.stderr
        assert link.is_symlink() and link.resolve() == real
        assert (real / "index.md").is_file()
        assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]


def test_profile_from_a_fifo_is_refused_not_waited_for(tmp_path: Path) -> None:
    fifo = tmp_path / "profile.toml"
    os.mkfifo(fifo)
    result = run_cli("show", str(CAPTURE), "--profile", str(fifo))  # would block (60 s timeout) if opened plainly
    assert result.returncode == 2
    assert result.stderr == f"diffcore: {fifo}: not a regular file (a FIFO, socket or device)\n"


def test_profile_from_a_device_is_refused_not_read_without_end(cli: Cli) -> None:
    result = cli("show", str(CAPTURE), "--profile", "/dev/null")
    assert result.returncode == 2
    assert result.stderr == "diffcore: /dev/null: not a regular file (a FIFO, socket or device)\n"


def test_an_encoding_name_with_a_byte_not_utf8_is_unknown_shown_escaped(cli: Cli) -> None:
    result = cli("show", str(CAPTURE), "--encoding", "\udcff")  # how Python passes the argument byte 0xff
    assert result.returncode == 2
    assert result.stderr == f"diffcore: {CAPTURE}: unknown encoding '\\xff'\n"


def test_bidi_controls_in_a_file_name_are_shown_escaped(cli: Cli, tmp_path: Path) -> None:
    name = tmp_path / "a\u202etxt.\u2066x\u2069"
    result = cli("show", str(name))
    assert result.returncode == 2
    assert result.stderr == f"diffcore: {tmp_path}/a\\u202etxt.\\u2066x\\u2069: no such file or folder\n"


def test_closed_standard_output_is_one_line(tmp_path: Path) -> None:
    from diffcore.cli import main

    err = io.StringIO()
    with mock.patch.object(sys, "stdout", None), contextlib.redirect_stderr(err):
        shown = main(["show", str(CAPTURE)])
        written = main(["report", str(CAPTURE), "-o", str(tmp_path / "report")])  # needs no stdout
    assert (shown, written) == (2, 0)
    assert err.getvalue().splitlines() == [
        "diffcore: standard output: cannot write: Bad file descriptor",
        f"diffcore: wrote {tmp_path / 'report'}: 1 capture, 0 pairs (0 with item changes)",
    ]


TERMINATED_MID_REPORT = """
import os, signal, sys
from diffcore import cli
from diffcore.render import as_markdown

real = as_markdown.render_diff

def render(report):
    os.kill(os.getpid(), signal.SIGTERM)  # as `timeout` or `kill` would, half-way through the report
    return real(report)

as_markdown.render_diff = render
sys.exit(cli.main(sys.argv[1:]))
"""


def test_sigterm_cleans_up_like_ctrl_c(tmp_path: Path) -> None:
    folder = tmp_path / "report"
    result = subprocess.run(
        [sys.executable, "-c", TERMINATED_MID_REPORT, "report", *map(str, PAIR), "-o", str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (result.returncode, result.stderr) == (143, "diffcore: terminated\n")
    assert list(tmp_path.iterdir()) == []  # neither the new folder nor a temporary one


def _handled(signum: int, frame: object) -> None:
    """A SIGTERM handler for the parent, as the command installs one."""


def test_workers_do_not_inherit_the_sigterm_handler() -> None:
    previous = signal.signal(signal.SIGTERM, _handled)
    try:
        handlers = list(ordered_map(signal.getsignal, [signal.SIGTERM] * 4, workers=2, batch=1))
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert handlers == [signal.SIG_DFL] * 4


def test_held_signals_reach_their_handlers_once_the_step_is_done() -> None:
    handled: list[str] = []

    def note(signum: int, frame: object) -> None:
        handled.append(signal.Signals(signum).name)

    previous = signal.signal(signal.SIGTERM, note)
    try:
        with interrupts_held():
            os.kill(os.getpid(), signal.SIGTERM)  # as `kill` would, to the process, in the middle of the step
            handled.append("step")
        assert signal.getsignal(signal.SIGTERM) is note
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert handled == ["step", "SIGTERM"]


def test_signals_held_in_another_thread_are_blocked_there() -> None:
    """Python sets handlers from the main thread only: elsewhere the hold blocks the signals, as workers need."""
    masks: list[set[signal.Signals]] = []

    def step() -> None:
        with interrupts_held():
            masks.append(signal.pthread_sigmask(signal.SIG_BLOCK, []))

    thread = threading.Thread(target=step)
    thread.start()
    thread.join()
    assert len(masks) == 1 and masks[0] >= HELD


def test_diffcore_workers_sets_the_processes_and_a_bad_value_is_one_line(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from diffcore._pool import PARALLEL_FROM, workers_for

    monkeypatch.setenv("DIFFCORE_WORKERS", "1")
    assert workers_for(PARALLEL_FROM * 10) == 1
    assert workers_for(10, workers=3) == 3  # a caller's choice comes first
    monkeypatch.setenv("DIFFCORE_WORKERS", "2")
    assert workers_for(10) == 2
    monkeypatch.setenv("DIFFCORE_WORKERS", "all")
    done = cli("timeline", str(CAPTURE))
    assert (done.returncode, done.stderr) == (
        2,
        "diffcore: DIFFCORE_WORKERS: must be a number of processes, 1 or more, not 'all'\n",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("timeline", str(CAPTURE), "--plot", ""), "timeline: argument --plot: empty file name"),
        (("show", str(CAPTURE), "-o", ""), "show: argument -o/--output: empty file name"),
        (("report", str(CAPTURE), "-o", ""), "report: argument -o/--output: empty file name"),
        (
            ("diff", str(CAPTURE), str(CAPTURE), "--counter-tolerance", "-5"),
            "diff: argument --counter-tolerance: -5 is negative",
        ),
        (("diff", str(CAPTURE), str(CAPTURE), "x"), "diff: unrecognized arguments: x"),
        (
            ("timeline", str(CAPTURE), "--plot", "noext"),
            "noext: the file name has no .svg or .png suffix (it tells the chart format)",
        ),
    ],
)
def test_argument_mistakes_are_one_line_naming_the_command(cli: Cli, args: tuple[str, ...], message: str) -> None:
    result = cli(*args)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", f"diffcore: {message}\n")


@pytest.mark.parametrize("plot", ["out.svg", "./out.svg", "alias.svg"])
def test_two_outputs_of_one_command_must_be_two_files(cli: Cli, tmp_path: Path, plot: str) -> None:
    pytest.importorskip("matplotlib")
    (tmp_path / "out.svg").write_text("mine\n")
    (tmp_path / "alias.svg").symlink_to("out.svg")
    result = cli("timeline", str(CAPTURE), "-o", "out.svg", "--plot", plot, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == f"diffcore: {plot}: the chart and the -o output are the same file; give each its own\n"
    assert (tmp_path / "out.svg").read_text() == "mine\n"


def test_an_output_whose_folder_is_missing_names_the_folder(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "out.txt"
    result = cli("show", str(CAPTURE), "-o", str(target))
    assert result.returncode == 2
    assert result.stderr == (
        f"diffcore: {target}: cannot write: cannot create a file in {target.parent}: No such file or directory\n"
    )
