"""CI: a collection built on a real Dask cluster is byte for byte the one the local engine builds.

    python .ci/collection_check.py

Generates a small collection of fictional pages (a folder per page, one WARC
file of several pages, a Wayback folder, and a page with no usable capture),
starts `dask scheduler` on a free port of 127.0.0.1 and two `dask worker`
processes of one thread each, waits until both are connected, then runs
`diffcore collection build ... --engine dask --scheduler tcp://127.0.0.1:PORT`
into one folder and the local engine into another, and compares every file
of the two. Both builds must exit 1 (one page skipped) and say the same.
Every process started here is stopped at the end, on failure too (SIGTERM to
its process group, SIGKILL after a wait). Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the test-data generator (synthetic/, tests/crawl.py) is not installed

WORKERS = 2
START_TIMEOUT = 60.0
BUILD_TIMEOUT = 300.0
STOP_TIMEOUT = 10.0


def fail(message: str) -> None:
    sys.exit(f"FAIL: collection check: {message}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def environment() -> dict[str, str]:
    """This checkout's diffcore first on every process's path, the scheduler and the workers' included."""
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))
    return {**os.environ, "PYTHONPATH": path, "NO_COLOR": "1", "DIFFCORE_WORKERS": str(WORKERS)}


def write_collection(folder: Path) -> list[str]:
    """The inputs: five pages in folders (one more with no usable capture), three in a WARC file, two of those
    three again in a Wayback folder (the same captures: kept once)."""
    from tests.crawl import site_pages, write_folders, write_warc, write_wayback

    write_folders(folder / "crawl", site_pages(5, captures=4, seed=21))
    junk = folder / "crawl" / "junk"
    junk.mkdir()
    (junk / "capture.html").write_bytes(b"\x00\x01 not a page \xff")
    in_warc = site_pages(3, captures=3, seed=22)
    write_warc(folder / "crawl.warc.gz", in_warc)
    write_wayback(folder / "wayback", in_warc[:2])
    return ["crawl", "crawl.warc.gz", "wayback"]


@contextlib.contextmanager
def started(args: Sequence[str], log: Path, cwd: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A process in a session of its own (so its children stop with it), stopped however the block ends."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, *args], cwd=cwd, env=environment(), stdout=out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        try:
            yield process
        finally:
            stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the process's group, then SIGKILL if it has not ended after STOP_TIMEOUT."""
    for sent in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sent)
        try:
            process.wait(timeout=STOP_TIMEOUT)
            return
        except subprocess.TimeoutExpired:
            continue


def wait_for_workers(address: str, processes: Sequence[subprocess.Popen[bytes]], logs: Sequence[Path]) -> None:
    """Until the scheduler answers with WORKERS workers connected; fail with the logs' ends if it does not."""
    import distributed

    deadline = time.monotonic() + START_TIMEOUT
    while True:
        ended = [log.name for process, log in zip(processes, logs, strict=True) if process.poll() is not None]
        if ended:
            fail(f"{', '.join(ended)} ended early:\n{tails(logs)}")
        try:
            with distributed.Client(address, timeout="5s") as client:
                client.wait_for_workers(WORKERS, timeout=max(1.0, deadline - time.monotonic()))
                return
        except (OSError, TimeoutError) as exc:
            if time.monotonic() > deadline:
                fail(
                    f"no cluster of {WORKERS} workers at {address} after {START_TIMEOUT:.0f} s ({exc}):\n{tails(logs)}"
                )
            time.sleep(0.5)


def tails(logs: Sequence[Path], lines: int = 15) -> str:
    return "\n".join(
        f"--- {log.name}\n" + "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) for log in logs
    )


def build(inputs: Sequence[str], out: str, engine: Sequence[str], cwd: Path) -> tuple[str, float]:
    """Run `diffcore collection build`; its stderr, and the seconds it took. It must exit 1 (one page skipped)."""
    began = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "diffcore", "collection", "build", *inputs, "-o", out, *engine],
        cwd=cwd, env=environment(), capture_output=True, text=True, timeout=BUILD_TIMEOUT, check=False,
    )  # fmt: skip
    took = time.monotonic() - began
    if done.returncode != 1 or "Traceback" in done.stderr:
        fail(f"collection build {' '.join(engine)} exited {done.returncode} (1 expected):\n{done.stderr}")
    return done.stderr, took


def files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="collection-check-") as temp:
        work = Path(temp)
        inputs = write_collection(work)
        port = free_port()
        address = f"tcp://127.0.0.1:{port}"
        logs = [work / "scheduler.log", *(work / f"worker-{n}.log" for n in range(1, WORKERS + 1))]
        scheduler = [
            "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard",
        ]  # fmt: skip
        worker = [
            "-m", "distributed.cli.dask_worker", address, "--nthreads", "1", "--nworkers", "1", "--host", "127.0.0.1",
            "--no-dashboard", "--local-directory", str(work / "dask"),
        ]  # fmt: skip
        with contextlib.ExitStack() as running:
            processes = [running.enter_context(started(scheduler, logs[0], work))]
            processes += [running.enter_context(started(worker, log, work)) for log in logs[1:]]
            wait_for_workers(address, processes, logs)
            on_dask, dask_took = build(inputs, "on-dask", ["--engine", "dask", "--scheduler", address], work)
            if any(process.poll() is not None for process in processes):
                fail(f"the cluster did not outlive the build:\n{tails(logs)}")
        on_local, local_took = build(inputs, "on-local", ["--engine", "local", "--workers", str(WORKERS)], work)
        if on_dask.replace("on-dask", "OUT") != on_local.replace("on-local", "OUT"):
            fail(f"the engines said different things:\n--- dask\n{on_dask}--- local\n{on_local}")
        dask_files, local_files = files(work / "on-dask"), files(work / "on-local")
        if dask_files != local_files:
            differ = sorted(
                name for name in dask_files.keys() | local_files.keys() if dask_files.get(name) != local_files.get(name)
            )
            fail(f"the datasets differ in {len(differ)} files: {', '.join(differ[:10])}")
        from diffcore.collection.dataset import read_manifest

        manifest = read_manifest(work / "on-dask")
        built = [entry for entry in manifest.pages if entry.error is None] if manifest else []
        if len(built) != 8 or len(dask_files) != 3 + 7 * len(built):
            fail(f"expected 8 pages built and their 59 files, found {len(built)} pages and {len(dask_files)} files")
    print(
        f"collection check ok: {len(built)} pages (folders, a WARC file, a Wayback folder; 1 skipped), "
        f"{len(dask_files)} files byte-identical on a Dask cluster (scheduler and {WORKERS} workers on "
        f"127.0.0.1:{port}, {dask_took:.1f} s) and the local engine ({local_took:.1f} s); every process stopped"
    )


if __name__ == "__main__":
    main()
