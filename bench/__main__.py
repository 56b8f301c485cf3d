"""`python -m bench [--smoke] [--only W1,...,W9] [--w4-cases NAME,...] [-o FILE]`: run the suite, write its results.

The full run writes bench/RESULTS.md; `--smoke` runs tiny sizes in seconds
and prints the results instead (or writes them to `-o FILE`), so it never
overwrites the committed figures. With `--only`, the results file (when it
exists) keeps the sections, target rows and analyses of the workloads not run,
and its introduction says which command wrote the new ones. The exit status
is 1 when a target the run checked was missed (a smoke run checks none), else 0.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
WORKLOADS = ("W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "W9")


def _workloads(text: str) -> tuple[str, ...]:
    chosen = tuple(part.strip().upper() for part in text.split(",") if part.strip())
    unknown = [name for name in chosen if name not in WORKLOADS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"choose from {', '.join(WORKLOADS)}, comma-separated")
    return chosen


def _w4_cases(text: str) -> tuple[str, ...]:
    from bench.w4_growth import CASES

    names = tuple(case.name for case in CASES)
    chosen = tuple(part.strip() for part in text.split(",") if part.strip())
    if not chosen or any(name not in names for name in chosen):
        raise argparse.ArgumentTypeError(f"choose from {', '.join(names)}, comma-separated")
    return chosen


def _progress(text: str) -> None:
    print(f"bench: {text}", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen workloads, then write (or print) the results document."""
    from bench import (
        results,
        targets,
        w1_pairwise,
        w2_timeline,
        w3_parse,
        w4_growth,
        w5_html,
        w6_warc,
        w7_store,
        w8_crowded,
        w9_collections,
    )
    from bench.measure import machine, versions

    parser = argparse.ArgumentParser(
        prog="python -m bench", description="Run the diffcore benchmark suite and write its results."
    )
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, seconds; print instead of writing RESULTS.md")
    parser.add_argument(
        "--only",
        type=_workloads,
        default=WORKLOADS,
        metavar="W1,...,W9",
        help="run only these workloads (the results file keeps the others' sections)",
    )
    parser.add_argument(
        "--w4-cases",
        type=_w4_cases,
        default=(),
        metavar="NAME,...",
        help="run only these W4 cases (lead, summary, counters, chart, captures, show)",
    )
    parser.add_argument(
        "-o", "--output", type=Path, help=f"write here (default: {RESULTS.name}, or stdout with --smoke)"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    # Each workload: how to run it, its section of the results, its targets.
    workloads: dict[
        str, tuple[Callable[[], Any], Callable[[Any], list[str]], Callable[[Any], list[results.Target]]]
    ] = {
        "W1": (lambda: w1_pairwise.run(args.smoke, _progress), results.w1_section, targets.w1_targets),
        "W2": (lambda: w2_timeline.run(args.smoke, _progress), results.w2_section, targets.w2_targets),
        "W3": (lambda: w3_parse.run(args.smoke, _progress), results.w3_section, targets.w3_targets),
        "W4": (lambda: w4_growth.run(args.smoke, _progress, args.w4_cases), results.w4_section, targets.w4_targets),
        "W5": (lambda: w5_html.run(args.smoke, _progress), results.w5_section, targets.w5_targets),
        "W6": (lambda: w6_warc.run(args.smoke, _progress), results.w6_section, targets.w6_targets),
        "W7": (lambda: w7_store.run(args.smoke, _progress), results.w7_section, targets.w7_targets),
        "W8": (lambda: w8_crowded.run(args.smoke, _progress), results.w8_section, targets.w8_targets),
        "W9": (lambda: w9_collections.run(args.smoke, _progress), results.w9_section, targets.w9_targets),
    }
    sections: list[list[str]] = []
    checked: list[results.Target] = []
    for name in WORKLOADS:
        if name in args.only:
            run, section, goals = workloads[name]
            result = run()
            sections.append(section(result))
            checked += goals(result)
    elapsed = time.perf_counter() - started
    took = f"{elapsed:.0f} s" if elapsed < 120 else f"{elapsed / 60:.1f} min"
    command = "python -m bench --smoke" if args.smoke else "python -m bench"
    if args.only != WORKLOADS:
        command += f" --only {','.join(args.only)}"
    target = args.output or RESULTS
    if args.only != WORKLOADS and target.exists() and not (args.output is None and args.smoke):
        note = (
            f"The {' and '.join(args.only)} section{'s' if len(args.only) > 1 else ''} and "
            f"{'their' if len(args.only) > 1 else 'its'} targets by `{command}` ({took})."
        )
        existing = target.read_text(encoding="utf-8")
        found = versions(results.PACKAGES)
        text = results.merge(existing, args.only, note, found, sections, checked, targets.HELD_BACK)
    else:
        if checked:
            sections.insert(0, results.targets_section(checked, targets.HELD_BACK))
        intro = [
            f"Written by `{command}` (workloads {', '.join(args.only)}; {took} on this machine).",
            "Inputs come from the seeded generator `synthetic`; every ratio compares figures",
            "measured in this same run.",
        ]
        text = results.document("diffcore benchmark results", intro, machine(), versions(results.PACKAGES), sections)
    if args.output is None and args.smoke:
        sys.stdout.write(text)
    else:
        target.write_text(text, encoding="utf-8")
        _progress(f"wrote {target}")
    failed = [t for t in checked if not t.met]
    if failed:
        _progress(f"{len(failed)} target(s) missed: " + "; ".join(t.goal for t in failed))
    return 1 if failed and not args.smoke else 0


if __name__ == "__main__":
    sys.exit(main())
