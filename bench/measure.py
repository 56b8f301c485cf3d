"""Timing, memory and the machine: how every figure of the suite is taken.

Time is wall time from `time.perf_counter`, the best of up to `runs` calls
for cases that take well under a second (machines are noisy; the best run is
the one least disturbed). Memory is either the tracemalloc peak of one call
(Python allocations made by the call, beyond its inputs) or, for a whole
command, the peak resident size of its own process (`bench.peak`).
"""

from __future__ import annotations

import contextlib
import gc
import importlib.metadata
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
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
    """One run of a command in a child process: wall time, output, its own peak RSS, or the cap it hit."""

    seconds: float
    returncode: int
    stdout: str
    stderr: str
    capped: bool
    max_rss: int | None = None
    cpu: float | None = None
    """CPU seconds (user and system) of the command and the processes it waited for (its workers)."""
    machine_cpu: float | None = None
    """CPU seconds the whole machine spent meanwhile (this command's and any other work's); None off Linux."""

    @property
    def others_cpu(self) -> float | None:
        """CPU seconds other work took while the command ran: on a shared machine, what it competed with."""
        if self.machine_cpu is None or self.cpu is None:
            return None
        return max(0.0, self.machine_cpu - self.cpu)


def machine_busy() -> float | None:
    """CPU seconds the machine has spent busy since it started, on all cores (None where /proc/stat is missing)."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = [int(value) for value in stat.readline().split()[1:8]]
    except (OSError, ValueError):
        return None
    user, nice, system, _idle, _iowait, irq, softirq = fields
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_measured(
    argv: Sequence[str], timeout: float, env: dict[str, str] | None = None, replace_env: dict[str, str] | None = None
) -> Command:
    """Run `argv` (with `env` added to the environment, or in `replace_env` alone), timing it; kill it after `timeout` s."""
    environment = replace_env if replace_env is not None else {**os.environ, **env} if env else None
    cpu, busy = _children_cpu(), machine_busy()
    start = time.perf_counter()
    try:
        done = subprocess.run(list(argv), capture_output=True, text=True, timeout=timeout, check=False, env=environment)
    except subprocess.TimeoutExpired:
        return Command(time.perf_counter() - start, -9, "", "", True)
    elapsed = time.perf_counter() - start
    spent = _children_cpu() - cpu
    after = machine_busy()
    machine_cpu = after - busy if after is not None and busy is not None else None
    return Command(elapsed, done.returncode, done.stdout, done.stderr, False, cpu=spent, machine_cpu=machine_cpu)


def run_module(module: str, args: Sequence[str], timeout: float, env: dict[str, str] | None = None) -> Command:
    """`python -m MODULE ARGS...` in a child process: wall time, CPU time and its own peak RSS (see `bench.peak`)."""
    with tempfile.TemporaryDirectory(prefix="diffcore-bench-peak-") as tmp:
        report = Path(tmp) / "peak"
        done = run_measured([sys.executable, "-m", "bench.peak", str(report), module, *args], timeout, env)
        peak = int(report.read_text(encoding="utf-8")) if report.exists() else None
    return replace(done, max_rss=peak)


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


SAMPLE = 0.05
"""Seconds between two readings of a process tree's memory (`tree_peak`)."""


@contextmanager
def tree_peak(every: float = SAMPLE) -> Iterator[list[int]]:
    """Sample the RSS summed over this process's descendants until the block ends; the peak is `[0]` after."""
    import psutil

    me = psutil.Process()
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            total = 0
            for child in me.children(recursive=True):
                with contextlib.suppress(psutil.Error):  # a worker that ended between the listing and the reading
                    total += child.memory_info().rss
            peak[0] = max(peak[0], total)
            done.wait(every)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield peak
    finally:
        done.set()
        sampler.join()
