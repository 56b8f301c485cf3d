"""Run a module as `python -m MODULE ARGS...` would, then write this process's peak RSS.

    python -m bench.peak REPORT MODULE [ARGS...]

Linux carries a parent's peak RSS into the resource usage of a child it
starts, across exec, so `ru_maxrss` of a command started from a large
benchmark process reads the benchmark's own peak. The high-water mark of the
process's memory map (VmHWM) starts afresh at exec; it is written to REPORT,
in bytes, when the process exits.
"""

from __future__ import annotations

import atexit
import resource
import runpy
import sys
from pathlib import Path


def peak_rss() -> int:
    """This process's peak resident set size in bytes (VmHWM; ru_maxrss where /proc is missing)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def main() -> None:
    """Record the peak at exit, then run the module as its own `__main__`."""
    report, module, *args = sys.argv[1:]
    atexit.register(lambda: Path(report).write_text(str(peak_rss()), encoding="utf-8"))
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
