"""Every output diffcore writes keeps the user's files safe.

No output lands on an input (under any path, symlink or hard link); a report
folder is written only where diffcore may write and never over a file it did
not write; outputs appear whole or not at all, also when a run is killed or
interrupted; concurrent runs never mix; Ctrl-C exits cleanly.
"""

from __future__ import annotations

import json
import os
import re
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from diffcore import output
from diffcore.errors import OutputError
from diffcore.output import MANIFEST, TEMP_SUFFIX, write_file_atomic
from synthetic import Churn, iter_captures
from tests.support import CliRun, run_in_process

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = ROOT / "examples" / "archive"
CAPTURES = sorted(ARCHIVE.glob("*.txt"))


ENV = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
"""This checkout's diffcore, from any working folder."""


def run(*args: str, cwd: Path = ROOT) -> CliRun:
    """The diffcore command as a user runs it, in this process: what needs a process uses `start`."""
    return run_in_process(*args, cwd=cwd)


def _interruptible() -> None:
    """Ctrl-C as a terminal delivers it, even when the test run was started with SIGINT ignored (in the background)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start(*args: str) -> subprocess.Popen[str]:
    """The diffcore command in the background, in its own process group (as a terminal runs it)."""
    return subprocess.Popen(
        [sys.executable, "-m", "diffcore", *args],
        cwd=ROOT,
        text=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=_interruptible,
        env=ENV,
    )


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, by relative path, with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def refused(done: CliRun, *names: str) -> None:
    """Exit 2 with one line on stderr naming the refused output."""
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("diffcore: "), done.stderr
    assert all(name in lines[0] for name in names), done.stderr


def copy_captures(folder: Path, count: int = 3) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    copies = []
    for source in CAPTURES[:count]:
        (folder / source.name).write_bytes(source.read_bytes())
        copies.append(folder / source.name)
    return copies


def synthetic(folder: Path, count: int, seed: int = 3) -> Path:
    """A folder of `count` small generated captures."""
    folder.mkdir(parents=True)
    for capture in iter_captures(count, 6, seed, Churn()):
        (folder / capture.name).write_text(capture.text, encoding="utf-8")
    return folder


# --- no output over an input ---------------------------------------------------------------


def test_timeline_output_onto_a_capture_found_in_a_folder_is_refused(tmp_path: Path) -> None:
    first, *_ = copy_captures(tmp_path / "caps")
    before = tree(tmp_path)
    refused(run("timeline", "caps", "-o", "caps/" + first.name, cwd=tmp_path), first.name, "input")
    assert tree(tmp_path) == before


def test_diff_output_onto_a_hard_link_of_an_input_is_refused(tmp_path: Path) -> None:
    first, second, _ = copy_captures(tmp_path)
    os.link(first, tmp_path / "alias.txt")
    before = tree(tmp_path)
    refused(run("diff", "alias.txt", second.name, "-o", first.name, cwd=tmp_path), first.name)
    assert tree(tmp_path) == before


def test_show_output_onto_its_profile_is_refused(tmp_path: Path) -> None:
    first, *_ = copy_captures(tmp_path, 1)
    profile = tmp_path / "layout.toml"
    profile.write_bytes((ROOT / "diffcore" / "profiles" / "default.toml").read_bytes())
    before = tree(tmp_path)
    refused(run("show", str(first), "--profile", str(profile), "-o", str(profile)), str(profile))
    assert tree(tmp_path) == before


def test_plot_onto_a_hard_link_of_an_input_is_refused(tmp_path: Path) -> None:
    first, second, _ = copy_captures(tmp_path)
    chart = tmp_path / "cap.svg"
    first.rename(chart)  # a capture given by name may have any suffix
    os.link(chart, tmp_path / "chart.svg")
    before = tree(tmp_path)
    refused(run("timeline", str(chart), str(second), "--plot", str(tmp_path / "chart.svg")), "chart.svg")
    assert tree(tmp_path) == before


def test_report_over_an_input_named_like_a_report_file_is_refused(tmp_path: Path) -> None:
    first, second, _ = copy_captures(tmp_path / "out")
    first.rename(tmp_path / "out" / "index.md")
    before = tree(tmp_path)
    refused(run("report", "out/index.md", "out/" + second.name, "-o", "out", "--force", cwd=tmp_path), "out")
    assert tree(tmp_path) == before


def test_report_folder_holding_an_input_folder_is_refused(tmp_path: Path) -> None:
    copy_captures(tmp_path / "out" / "caps")
    before = tree(tmp_path)
    refused(run("report", "out/caps", "-o", "out", "--force", cwd=tmp_path), "out", "input")
    assert tree(tmp_path) == before


def test_report_over_a_hard_link_of_an_input_is_refused(tmp_path: Path) -> None:
    first, *_ = copy_captures(tmp_path / "caps")
    assert run("report", "caps", "-o", "out", cwd=tmp_path).returncode == 0
    (tmp_path / "out" / "index.md").unlink()
    os.link(first, tmp_path / "out" / "index.md")
    before = tree(tmp_path)
    refused(run("report", "caps", "-o", "out", cwd=tmp_path), "index.md")
    assert tree(tmp_path) == before


# --- the report folder: only where diffcore may write ---------------------------------------------


def test_report_refuses_a_folder_of_other_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.md").write_text("my notes")
    (out / "counters.csv").write_text("my,table\n")
    before = tree(out)
    refused(run("report", str(ARCHIVE), "-o", str(out)), str(out), "--force")
    assert tree(out) == before


def test_report_force_writes_beside_other_files_never_over_them(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("my page")
    (out / "notes.txt").write_text("mine")
    done = run("report", str(ARCHIVE), "-o", str(out), "--force")
    assert done.returncode == 0, done.stderr
    assert (out / "index.html").read_text() == "my page" and (out / "notes.txt").read_text() == "mine"
    manifest = json.loads((out / MANIFEST).read_text())
    assert set(manifest["files"]) == set(tree(out)) - {MANIFEST, "index.html", "notes.txt"}
    # A file of its own where diffcore would write stays, and the run is refused.
    before = tree(out)
    refused(run("report", str(ARCHIVE), "-o", str(out), "--format", "html"), "index.html")
    assert tree(out) == before


def test_report_reruns_over_its_own_report_and_keeps_other_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("report", str(ARCHIVE), "-o", str(out), "--format", "html").returncode == 0
    (out / "notes.txt").write_text("mine")
    done = run("report", *map(str, CAPTURES[:3]), "-o", str(out))
    assert done.returncode == 0, done.stderr
    files = tree(out)
    assert files["notes.txt"] == b"mine"
    assert set(json.loads(files[MANIFEST])["files"]) == set(files) - {MANIFEST, "notes.txt"}
    assert "index.html" not in files and len([name for name in files if name.startswith("changes/")]) == 4


def test_report_manifest_is_deterministic(tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert run("report", str(ARCHIVE), "-o", str(tmp_path / name)).returncode == 0
    assert MANIFEST in tree(tmp_path / "a") and tree(tmp_path / "a") == tree(tmp_path / "b")


# --- whole or not at all -------------------------------------------------------------------------


def test_interrupted_file_write_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")

    def interrupt(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_file_atomic(target, b"new")
    assert tree(tmp_path) == {"out.txt": b"old"}


def test_write_failures_are_output_errors(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="cannot write"):
        write_file_atomic(tmp_path / "no" / "such" / "out.txt", b"text")
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError), output.report_folder(tmp_path / "file" / "report") as out:
        out.write("index.md", "text")
    assert tree(tmp_path) == {"file": b"x"}


def wait_for(condition: Callable[[], bool], process: subprocess.Popen[str]) -> None:
    """Poll until `condition` holds, failing if the process ends first."""
    deadline = time.monotonic() + 120
    while not condition():
        assert process.poll() is None and time.monotonic() < deadline, "the run ended before it was caught"
        time.sleep(0.005)


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_killed_report_leaves_the_previous_report(tmp_path: Path, how: signal.Signals) -> None:
    out = tmp_path / "out"
    assert run("report", *map(str, CAPTURES[:3]), "-o", str(out), "--format", "html").returncode == 0
    before = tree(out)
    many = synthetic(tmp_path / "many", 200)
    entries = set(os.listdir(tmp_path))
    process = start("report", str(many), "-o", str(out), "--format", "html")
    # Caught as soon as the run starts writing (into a temporary sibling, or into the folder).
    wait_for(lambda: set(os.listdir(tmp_path)) != entries or tree(out) != before, process)
    process.send_signal(how)
    _, stderr = process.communicate(timeout=120)
    assert tree(out) == before
    if how == signal.SIGINT:
        assert process.returncode == 130 and stderr == "diffcore: interrupted\n"
        assert not [name for name in os.listdir(tmp_path) if name.endswith(TEMP_SUFFIX)]


@pytest.mark.parametrize("what", ["folder", "file"])
def test_ctrl_c_the_moment_the_temporary_output_is_made_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, what: str
) -> None:
    name = "mkdir" if what == "folder" else "open"
    make = getattr(os, name)

    def interrupted(path: str | Path, *args: object, **kwargs: object) -> object:
        made = make(path, *args, **kwargs)
        if str(path).endswith(TEMP_SUFFIX):
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C as soon as the temporary exists
        return made

    monkeypatch.setattr(os, name, interrupted)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            if what == "folder":
                with output.report_folder(tmp_path / "out") as report:
                    report.write("index.md", "x")
            else:
                output.write_stream_atomic(tmp_path / "out.txt", [b"x"])
    finally:
        signal.signal(signal.SIGINT, previous)
    assert [path.name for path in tmp_path.iterdir() if path.name.endswith(TEMP_SUFFIX)] == []


def test_ctrl_c_taken_by_another_thread_waits_until_the_report_is_swapped_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In `report`, pandas' and pyarrow's native threads may take a Ctrl-C: it still comes after the swap."""
    out = tmp_path / "out"
    with output.report_folder(out) as report:
        report.write("index.md", "old")
    done = threading.Event()

    def native() -> None:
        """A thread that may take SIGINT, as pandas' and pyarrow's native threads may."""
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        done.wait()

    thread = threading.Thread(target=native)
    read, write = os.pipe()
    os.set_blocking(write, False)
    rename = os.rename

    def interrupted(source: str | Path, destination: str | Path) -> None:
        rename(source, destination)
        if Path(source) == out:  # the earlier report moved aside: Ctrl-C, taken by the other thread
            assert thread.ident is not None
            signal.pthread_kill(thread.ident, signal.SIGINT)
            # Once the signal's C handler has run there, Python's handler is due in this thread.
            assert select.select([read], [], [], 60)[0], "the other thread did not take the Ctrl-C"

    monkeypatch.setattr(os, "rename", interrupted)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    wakeup = signal.set_wakeup_fd(write)
    thread.start()
    try:
        with pytest.raises(KeyboardInterrupt), output.report_folder(out) as report:
            report.write("index.md", "new")
    finally:
        signal.set_wakeup_fd(wakeup)
        signal.signal(signal.SIGINT, previous)
        done.set()
        thread.join()
        os.close(read)
        os.close(write)
    assert tree(tmp_path) == {"out/index.md": b"new", f"out/{MANIFEST}": output.manifest_text(["index.md"]).encode()}


CTRL_C_IN_EXECUTED_CODE = """
import threading

import pandas  # noqa: F401  (numpy's native threads, where the machine gives them)

from diffcore import cli


def interrupted(args):
    threading.Thread(target=threading.Event().wait, daemon=True).start()  # a thread that may take SIGINT, always
    exec("import signal; signal.raise_signal(signal.SIGINT)")  # Ctrl-C as a lazy import's dataclass is made
    return 0


cli.cmd_show = interrupted
"""


def test_ctrl_c_under_python_m_exits_130_with_native_threads(tmp_path: Path) -> None:
    """A KeyboardInterrupt that left code run by exec() must not make CPython end the process by SIGINT."""
    (tmp_path / "sitecustomize.py").write_text(CTRL_C_IN_EXECUTED_CODE, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "diffcore", "show", str(CAPTURES[0])],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=_interruptible,
        env={**ENV, "PYTHONPATH": os.pathsep.join((str(tmp_path), str(ROOT)))},
    )
    assert (done.returncode, done.stderr) == (130, "diffcore: interrupted\n")


def links_resolve(folder: Path) -> bool:
    """Every relative link of the folder's index.md names a file that is there."""
    index = (folder / "index.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#:]+)\)", index)
    return bool(links) and all((folder / link).is_file() for link in links)


def test_concurrent_reports_leave_one_complete_report(tmp_path: Path) -> None:
    sources = [synthetic(tmp_path / "one", 24, seed=1), synthetic(tmp_path / "two", 16, seed=2)]
    expected = []
    for number, source in enumerate(sources):
        assert run("report", str(source), "-o", str(tmp_path / f"alone{number}"), "--format", "html").returncode == 0
        expected.append(tree(tmp_path / f"alone{number}"))
    out = tmp_path / "out"
    processes = [start("report", str(source), "-o", str(out), "--format", "html") for source in sources]
    for process in processes:
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0 and "Traceback" not in stderr, stderr
    files = tree(out)
    assert files in expected
    assert set(json.loads(files[MANIFEST])["files"]) == set(files) - {MANIFEST}
    assert links_resolve(out)
    assert not [name for name in os.listdir(tmp_path) if name.endswith(TEMP_SUFFIX)]


# --- Ctrl-C ----------------------------------------------------------------------------------------


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the worker processes in /proc")
def test_ctrl_c_over_many_captures_exits_130_with_one_line(tmp_path: Path) -> None:
    many = synthetic(tmp_path / "many", 1000)
    out = tmp_path / "out.txt"
    interrupted = 0
    for delay in (0.0, 0.05, 0.2):
        process = start("timeline", str(many), "-o", str(out))
        # Ctrl-C once the worker processes run: the terminal sends it to the whole process group.
        wait_for(lambda pid=process.pid: bool(children(pid)), process)
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGINT)
        try:
            _, stderr = process.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            pytest.fail("diffcore hung after Ctrl-C")
        assert not [name for name in os.listdir(tmp_path) if name.endswith(TEMP_SUFFIX)]
        if process.returncode == 0:
            # A fast machine may finish before the signal lands: then the output is whole.
            assert stderr == "" and out.read_text(encoding="utf-8")
            out.unlink()
            continue
        assert (process.returncode, stderr) == (130, "diffcore: interrupted\n")
        assert not out.exists()
        interrupted += 1
    assert interrupted, "every run ended before Ctrl-C reached it"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the worker processes in /proc")
def test_ctrl_c_while_workers_write_pages_leaves_no_report_and_no_worker(tmp_path: Path) -> None:
    many = synthetic(tmp_path / "many", 520)
    out = tmp_path / "out"
    process = start("report", str(many), "-o", str(out), "--format", "html")

    def writing_pages() -> bool:
        temps = [name for name in os.listdir(tmp_path) if name.endswith(TEMP_SUFFIX)]
        return bool(temps and (tmp_path / temps[0] / "changes").is_dir() and children(process.pid))

    # Ctrl-C once the workers write pages into the temporary folder, to the whole process group.
    wait_for(writing_pages, process)
    os.killpg(process.pid, signal.SIGINT)
    try:
        _, stderr = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail("diffcore hung after Ctrl-C")
    assert (process.returncode, stderr) == (130, "diffcore: interrupted\n")
    assert not out.exists()
    assert not [name for name in os.listdir(tmp_path) if name.endswith(TEMP_SUFFIX)]
    with pytest.raises(ProcessLookupError):  # no worker left behind in the process group
        os.killpg(process.pid, 0)
