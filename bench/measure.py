"""Timing, memory and the machine: how every figure of the suite is taken.

Time is wall time from `time.perf_counter`, the best of up to `runs` calls
for cases that take well under a second (machines are noisy; the best run is
the one least disturbed). Memory is either the tracemalloc peak of one call
(Python allocations made by the call, beyond its inputs) or, for a whole
command, the peak resident size of its process from `os.wait4`.
"""

from __future__ import annotations

import gc
import importlib.metadata
import os
import platform
import subprocess
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Timed:
    """The best wall time of `runs` calls, and the result of the last one."""

    seconds: float
    runs: int
    result: Any


def best_of(call: Callable[[], Any], runs: int = 5, budget: float = 1.0) -> Timed:
    """Call up to `runs` times, stopping once `budget` seconds are spent; keep the best time.

    A garbage collection before each call keeps one call's garbage out of the next one's time.
    """
    best = float("inf")
    result: Any = None
    done = 0
    spent = 0.0
    while done < runs and (done == 0 or spent < budget):
        result = None
        gc.collect()
        start = time.perf_counter()
        result = call()
        elapsed = time.perf_counter() - start
        best = min(best, elapsed)
        spent += elapsed
        done += 1
    return Timed(best, done, result)


def traced_peak(call: Callable[[], Any]) -> int:
    """Peak bytes Python allocated during one call (tracemalloc), beyond what was held before."""
    gc.collect()
    tracemalloc.start()
    try:
        call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


@dataclass(frozen=True)
class Command:
    """One run of a command in a child process: wall time, its own peak RSS, its output, or the cap it hit."""

    seconds: float
    max_rss: int
    returncode: int
    stdout: str
    stderr: str
    capped: bool


def run_measured(argv: Sequence[str], timeout: float, env: dict[str, str] | None = None) -> Command:
    """Run `argv`, killing it after `timeout` seconds; reap it with `os.wait4` for its own peak RSS.

    Output goes to temporary files, so a chatty child never blocks on a full pipe.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        killed = threading.Event()
        start = time.perf_counter()
        child = subprocess.Popen(list(argv), env=env, stdout=out, stderr=err)

        def kill() -> None:
            killed.set()
            child.kill()

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(child.pid, 0)
        finally:
            timer.cancel()
        elapsed = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    return Command(elapsed, usage.ru_maxrss * 1024, child.returncode, stdout, stderr, killed.is_set())


def machine() -> dict[str, str]:
    """CPU model, cores, memory, Python and OS of this machine."""
    cpu = platform.processor() or platform.machine()
    memory = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return {
        "CPU": cpu,
        "cores": str(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()),
        "memory": memory or "unknown",
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "OS": f"{platform.system()} {platform.release()}",
    }


def versions(packages: Sequence[str]) -> dict[str, str]:
    """The installed version of each package ("not installed" when absent)."""
    found = {}
    for name in packages:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found
