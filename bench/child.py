"""Measure one tool on one case folder in a fresh process and print the figures as JSON.

    python -m bench.child TOOL FOLDER [--runs K] [--trace-limit SECONDS]

The parent (`bench.w1_pairwise`) runs this under a time cap, so a tool that
would run for minutes is stopped and reported as slower than the cap; a fresh
process also keeps one tool's heap and garbage out of another's figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from bench.measure import best_of, traced_peak


def main(argv: Sequence[str] | None = None) -> int:
    """Prepare the tool's input, time its call, trace one call's memory, report what it found."""
    from bench.w1_pairwise import tools

    parser = argparse.ArgumentParser(prog="python -m bench.child")
    parser.add_argument("tool", choices=sorted(tools()))
    parser.add_argument("folder", type=Path)
    parser.add_argument("--runs", type=int, default=5, help="time up to this many calls, keep the best")
    parser.add_argument("--trace-limit", type=float, default=20.0,
                        help="skip the memory trace when one call took longer than this (seconds)")
    args = parser.parse_args(argv)
    tool = tools()[args.tool]
    inputs = tool.prepare(args.folder)
    timed = best_of(lambda: tool.call(inputs), runs=args.runs)
    seconds, runs, found = timed.seconds, timed.runs, tool.read(inputs, timed.result)
    del timed  # the last result, so the traced call starts from the inputs alone
    peak = traced_peak(lambda: tool.call(inputs)) if seconds <= args.trace_limit else None
    json.dump({"seconds": seconds, "runs": runs, "peak": peak,
               "edits": found.edits, "moves": found.moves, "items": found.items,
               "moves_known": found.moves_known}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
