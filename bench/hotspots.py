"""Where the time goes: the stages and costliest functions of a diff, and the modules its start-up imports.

    python -m bench.hotspots stages FOLDER [--top N]
    python -m bench.hotspots imports OLD NEW [--runs K]

Each runs in a fresh process and prints JSON. W1 writes what they find under
its ratios, so RESULTS.md says what is left to gain, from the same run:

- `stages` times each step of `diffcore diff OLD NEW` in process (read both
  files, parse both, match their items, the rest of the diff, render the text
  report), each the best of a few calls, then profiles one whole call with
  cProfile and keeps the functions that cost most in their own code;
- `imports` runs `python -X importtime -m diffcore diff OLD NEW` with the
  bytecode caches filled and keeps each module's median time of its own.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import re
import statistics
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.measure import best_of

TOP = 12
IMPORT_RUNS = 7
_IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|\s*(\S+)")


@dataclass(frozen=True)
class Stage:
    """One step of the diff and its best time."""

    name: str
    seconds: float


@dataclass(frozen=True)
class Hotspot:
    """A function and what one profiled call spent in its own code."""

    function: str
    calls: int
    own_seconds: float
    share: float
    """Its own time over the profiled call's."""


@dataclass(frozen=True)
class ImportCost:
    """A module and the median time its own import took (not counting the modules it imported)."""

    module: str
    seconds: float


@dataclass(frozen=True)
class Hotspots:
    """The diff's stages and hot functions on one case, and its start-up's costliest imports."""

    items: int
    variant: str
    stages: tuple[Stage, ...]
    functions: tuple[Hotspot, ...]
    imports: tuple[ImportCost, ...]
    import_runs: int
    diffcore_imports: float
    """The median of the summed own import times of diffcore's modules."""
    other_imports: float
    """The same for the other modules the command imports and `python -c pass` does not (the standard library's...)."""


def stages(folder: Path, top: int = TOP) -> tuple[list[Stage], list[Hotspot]]:
    """Each step of `diffcore diff OLD NEW` (text) timed, and the `top` functions of a profiled call by own time."""
    from diffcore.diff import diff
    from diffcore.inputs.decoding import read_text
    from diffcore.match import match_items
    from diffcore.parse import parse
    from diffcore.profile import default_profile
    from diffcore.render.as_text import render_diff

    profile = default_profile()
    old_path, new_path = folder / "old.txt", folder / "new.txt"
    texts = best_of(lambda: (read_text(old_path), read_text(new_path)))
    parsed = best_of(lambda: (parse(texts.result[0], "old.txt", profile), parse(texts.result[1], "new.txt", profile)))
    old, new = parsed.result
    matched = best_of(lambda: match_items(old.items, new.items))
    diffed = best_of(lambda: diff(old, new, matching=matched.result))
    rendered = best_of(lambda: render_diff(diffed.result))
    steps = [
        Stage("read both files", texts.seconds),
        Stage("parse both captures", parsed.seconds),
        Stage("match the items", matched.seconds),
        Stage("the diff after matching (word diffs, moves, lead, counters)", diffed.seconds),
        Stage("render the text report", rendered.seconds),
    ]

    def whole() -> str:
        a = parse(read_text(old_path), "old.txt", profile)
        b = parse(read_text(new_path), "new.txt", profile)
        return render_diff(diff(a, b))

    profiler = cProfile.Profile()
    profiler.runcall(whole)
    table: dict[tuple[str, int, str], tuple[int, int, float, float, Any]] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in table.values()) or 1.0
    costliest = sorted(table.items(), key=lambda pair: pair[1][2], reverse=True)[:top]
    return steps, [Hotspot(_function_name(*where), entry[1], entry[2], entry[2] / total) for where, entry in costliest]


def _function_name(filename: str, line: int, function: str) -> str:
    """`diffcore/parse.py:add_item`, `difflib.py:find_longest_match`, or a built-in as cProfile names it."""
    if filename == "~":
        return function.strip("<>{}")
    parts = Path(filename).parts
    if "diffcore" not in parts:
        return f"{parts[-1]}:{function}"
    package = len(parts) - 1 - parts[::-1].index("diffcore")  # the last: a checkout may sit in a diffcore folder
    return f"{'/'.join(parts[package:])}:{function}"


def imports(old: Path, new: Path, runs: int = IMPORT_RUNS) -> tuple[list[ImportCost], float, float]:
    """Each module `diffcore diff OLD NEW` imports with its median own import time, costliest first, and the
    medians of the summed times of diffcore's modules and of the others; modules `python -c pass` imports too
    (the site's) are left out."""
    bare = set(_own_import_times([sys.executable, "-X", "importtime", "-c", "pass"]))
    argv = [sys.executable, "-X", "importtime", "-m", "diffcore", "diff", str(old), str(new)]
    own: dict[str, list[float]] = {}
    ours, others = [], []
    for round_ in range(runs + 1):
        found = _own_import_times(argv)
        if not round_:
            continue  # the first round fills the bytecode caches
        found = {module: spent for module, spent in found.items() if module not in bare}
        for module, spent in found.items():
            own.setdefault(module, []).append(spent)
        ours.append(sum(spent for module, spent in found.items() if _is_diffcore(module)))
        others.append(sum(spent for module, spent in found.items() if not _is_diffcore(module)))
    costs = [ImportCost(module, statistics.median(times)) for module, times in own.items()]
    costs.sort(key=lambda cost: (-cost.seconds, cost.module))
    return costs, statistics.median(ours), statistics.median(others)


def _own_import_times(argv: list[str]) -> dict[str, float]:
    """Each module a `python -X importtime` command imports, with its own import time in seconds."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(argv[3:])} failed: {done.stderr.strip()[-2000:]}")
    return {match[3]: int(match[1]) / 1e6 for match in _IMPORT_LINE.finditer(done.stderr)}


def _is_diffcore(module: str) -> bool:
    return module == "diffcore" or module.startswith("diffcore.")


def measure(items: int, variant: str, case: Path, startup: tuple[Path, Path], runs: int = IMPORT_RUNS) -> Hotspots:
    """`stages` on a case folder and `imports` on two small captures, each in a fresh process."""
    staged = _child(["stages", str(case)])
    imported = _child(["imports", str(startup[0]), str(startup[1]), "--runs", str(runs)])
    return Hotspots(
        items,
        variant,
        tuple(Stage(**entry) for entry in staged["stages"]),
        tuple(Hotspot(**entry) for entry in staged["functions"]),
        tuple(ImportCost(**entry) for entry in imported["imports"]),
        runs,
        imported["diffcore"],
        imported["others"],
    )


def _child(args: list[str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.hotspots", *args], capture_output=True, text=True, timeout=600, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench.hotspots {args[0]} failed: {done.stderr.strip()[-2000:]}")
    found: dict[str, Any] = json.loads(done.stdout)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """Print the stages and hot functions of a case folder, or the start-up's imports, as JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench.hotspots")
    commands = parser.add_subparsers(dest="command", required=True)
    staged = commands.add_parser("stages")
    staged.add_argument("folder", type=Path)
    staged.add_argument("--top", type=int, default=TOP)
    imported = commands.add_parser("imports")
    imported.add_argument("old", type=Path)
    imported.add_argument("new", type=Path)
    imported.add_argument("--runs", type=int, default=IMPORT_RUNS)
    args = parser.parse_args(argv)
    if args.command == "stages":
        steps, functions = stages(args.folder, args.top)
        print(json.dumps({"stages": [asdict(s) for s in steps], "functions": [asdict(f) for f in functions]}))
    else:
        costs, ours, others = imports(args.old, args.new, args.runs)
        print(json.dumps({"imports": [asdict(c) for c in costs], "diffcore": ours, "others": others}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
