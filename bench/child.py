"""Measure one tool on one case folder in a fresh process and print the figures as JSON.

    python -m bench.child TOOL FOLDER [--runs K] [--stop-after SECONDS] [--trace-limit SECONDS]

A fresh process keeps one tool's heap and garbage out of another's figures.
A call still running after `--stop-after` seconds is interrupted (SIGALRM),
and the child reports only that it was stopped: the tool is slower than that,
by its own clock, whatever the process took to start and read the case.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType
from typing import Any

from bench.measure import best_of, traced_peak

TRACE_STOP = 60.0
"""Seconds a traced call may take (tracing slows a call several times) before it is given up."""


class Stopped(Exception):
    """A timed call ran past its allotted seconds."""


def _stop(signum: int, frame: FrameType | None) -> None:
    raise Stopped


def stoppable(call: Callable[[], Any], seconds: float) -> Callable[[], Any]:
    """`call`, interrupted by `Stopped` when it runs longer than `seconds`."""

    def run() -> Any:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            return call()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    return run


def main(argv: Sequence[str] | None = None) -> int:
    """Prepare the tool's input, time its call, trace one call's memory, report what it found."""
    from bench.w1_pairwise import tools

    parser = argparse.ArgumentParser(prog="python -m bench.child")
    parser.add_argument("tool", choices=sorted(tools()))
    parser.add_argument("folder", type=Path)
    parser.add_argument("--runs", type=int, default=5, help="time up to this many calls, keep the best")
    parser.add_argument("--stop-after", type=float, default=600.0, help="interrupt a call after this many seconds")
    parser.add_argument(
        "--trace-limit",
        type=float,
        default=5.0,
        help="skip the memory trace when one call took longer than this (seconds)",
    )
    args = parser.parse_args(argv)
    signal.signal(signal.SIGALRM, _stop)
    tool = tools()[args.tool]
    inputs = tool.prepare(args.folder)
    try:
        timed = best_of(stoppable(lambda: tool.call(inputs), args.stop_after), runs=args.runs)
    except Stopped:
        json.dump({"stopped_after": args.stop_after}, sys.stdout)
        return 0
    seconds, runs, found = timed.seconds, timed.runs, tool.read(inputs, timed.result)
    del timed  # the last result, so the traced call starts from the inputs alone
    peak = None
    if seconds <= args.trace_limit:
        with contextlib.suppress(Stopped):
            peak = traced_peak(stoppable(lambda: tool.call(inputs), TRACE_STOP))
    json.dump(
        {
            "seconds": seconds,
            "runs": runs,
            "peak": peak,
            "edits": found.edits,
            "moves": found.moves,
            "items": found.items,
            "moves_known": found.moves_known,
        },
        sys.stdout,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
