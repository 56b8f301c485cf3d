"""W1, pairwise: diffcore.diff against the baselines on the same two captures, scored by the truth.

Each tool runs in its own child process (`bench.child`) under a time cap.
diffcore's figure is the full `diff` (matching, word-level detail for every
edit, moves) on parsed snapshots; parsing both captures is timed on its own.
The end-to-end command (`diffcore diff OLD NEW --format json`) is run as well,
for its wall time and peak RSS. A separate case times the fuzzy pairing
alone: every title edited, so no item keeps its id; another the start-up of
`diffcore diff` on two small captures against `python -c pass`.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.archives import RETITLED, VARIANTS, PairCase, pair_case, write_case
from bench.baselines import BASELINES, Tool
from bench.hotspots import Hotspots
from bench.hotspots import measure as measure_hotspots
from bench.measure import Command, run_measured, run_module
from bench.truth import Found, Score, score
from diffcore.diff import diff
from diffcore.inputs.decoding import read_text
from diffcore.match import item_words, match_items, similarity
from diffcore.model import Snapshot, SnapshotDiff
from diffcore.parse import parse
from diffcore.profile import default_profile
from diffcore.render.as_text import render_diff

SEED = 20240
SIZES = (100, 1_000, 10_000, 100_000)
SMOKE_SIZES = (100, 400)
FUZZY_ITEMS = 5_000
SMOKE_FUZZY_ITEMS = 300
TOOL_ORDER = (
    "parse",
    "split",
    "join",
    "diffcore",
    "diffcore-e2e",
    "daff",
    "csv-diff",
    "unified_diff",
    "unified_diff-e2e",
    "deepdiff",
)
CAP = 15.0
"""Seconds one call of a tool may run, alone on the machine; a tool stopped there is reported
as slower than the cap, and its ratio to diffcore as a lower bound."""
DEEPDIFF_CAP = 60.0
DEEPDIFF_RATIO = 600
"""DeepDiff ignore_order takes about two minutes at 10,000 items. It is stopped after
DEEPDIFF_CAP seconds or DEEPDIFF_RATIO times diffcore's time on the case, whichever is
longer: long enough to tell whether diffcore is 500 times faster."""
DEEPDIFF_MAX_ITEMS = 10_000
"""DeepDiff is not run on larger cases: it would only hit its cap."""
SMOKE_CAP = 20.0
CHILD_MARGIN = 180.0
"""Seconds a child may spend beyond its cap: starting, reading the case, a traced call."""
TRACE_LIMIT = 5.0
"""A call slower than this (seconds) is not traced for memory: tracing would multiply its time."""
STARTUP_ITEMS = 20
STARTUP_RUNS = 21
SMOKE_STARTUP_RUNS = 3
HOTSPOT_ITEMS = 10_000
"""The size whose stages and hot functions are profiled (the largest smoke size in a smoke run)."""
HOTSPOT_VARIANT = VARIANTS[0]


def _texts(folder: Path) -> tuple[str, str]:
    return read_text(folder / "old.txt"), read_text(folder / "new.txt")


def _snapshots(folder: Path) -> tuple[Snapshot, Snapshot]:
    profile = default_profile()
    old, new = _texts(folder)
    return parse(old, "old.txt", profile), parse(new, "new.txt", profile)


def _parse_both(texts: tuple[str, str]) -> tuple[Snapshot, Snapshot]:
    profile = default_profile()
    return parse(texts[0], "old.txt", profile), parse(texts[1], "new.txt", profile)


def _diff_call(pair: tuple[Snapshot, Snapshot]) -> SnapshotDiff:
    return diff(*pair)


def _diff_read(pair: tuple[Snapshot, Snapshot], report: SnapshotDiff) -> Found:
    return Found(
        edits=tuple((edit.old.position, edit.new.position) for edit in report.edited),
        moves=tuple((move.old_position, move.new_position) for move in report.moved),
    )


def _match_call(pair: tuple[Snapshot, Snapshot]) -> object:
    return match_items(pair[0].items, pair[1].items)


def _match_read(pair: tuple[Snapshot, Snapshot], matching: object) -> Found:
    fuzzy = tuple((p.old, p.new) for p in matching.pairs if not p.exact)  # type: ignore[attr-defined]
    return Found(edits=fuzzy, moves_known=False)


def _true_pairs_call(pair: tuple[Snapshot, Snapshot]) -> list[float]:
    """Each item scored once against its new version, the answer known (the retitled case keeps their order): the
    least a pairing that scores with difflib's ratio can do."""
    return [similarity(item_words(old), item_words(new)) for old, new in zip(pair[0].items, pair[1].items, strict=True)]


def _nothing(inputs: object, result: object) -> Found:
    return Found(items=False, moves_known=False)


# The floors: what any item-aware diff of these files must at least do.
_ITEM_START = re.compile(r"\n\n(?=\d{2}\.\d{2}\.\d{4} - )")
"""Where an item of the generated captures starts: a blank line, then its date line, "31.12.2018 - Title"."""


def _split(text: str) -> list[tuple[str, str, str]]:
    """A capture's items as (date, title, summary), cut by a bare regular expression: no header, lead or checks."""
    items = []
    for chunk in _ITEM_START.split(text)[1:]:
        title, _, summary = chunk[13:].partition("\n\n")
        items.append((chunk[:10], title, summary))
    return items


def _split_both(texts: tuple[str, str]) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    return _split(texts[0]), _split(texts[1])


def _join_both(texts: tuple[str, str]) -> int:
    """Both captures split into items, the old ones' raw texts in a dict, each new one looked up: the items kept."""
    old = {item: position for position, item in enumerate(_split(texts[0]))}
    return sum(item in old for item in _split(texts[1]))


def _end_to_end(folder: Path) -> str:
    """`diffcore diff OLD NEW` in this process: read both files, parse, diff and render the text report."""
    profile = default_profile()
    old, new = read_text(folder / "old.txt"), read_text(folder / "new.txt")
    return render_diff(diff(parse(old, "old.txt", profile), parse(new, "new.txt", profile)))


DIFFCORE = Tool("diffcore", _snapshots, _diff_call, _diff_read)
DIFFCORE_END_TO_END = Tool("diffcore-e2e", lambda folder: folder, _end_to_end, _nothing)
SPLIT = Tool("split", _texts, _split_both, _nothing)
JOIN = Tool("join", _texts, _join_both, _nothing)
PARSE = Tool("parse", _texts, _parse_both, _nothing)
MATCH = Tool("match", _snapshots, _match_call, _match_read)
TRUE_PAIRS = Tool("true-pairs", _snapshots, _true_pairs_call, _nothing)


def tools() -> dict[str, Tool]:
    """Every tool the child process can measure, by name."""
    return {
        tool.name: tool for tool in (DIFFCORE, DIFFCORE_END_TO_END, PARSE, SPLIT, JOIN, MATCH, TRUE_PAIRS, *BASELINES)
    }


@dataclass(frozen=True)
class Run:
    """One tool on one case: best time, traced peak, score; or the cap it was stopped at, or why not run."""

    tool: str
    seconds: float | None
    runs: int
    peak: int | None
    score: Score | None
    stopped_at: float | None = None
    note: str = ""


@dataclass(frozen=True)
class CaseResult:
    """Every tool on one case, and the end-to-end command."""

    items: int
    variant: str
    size: int
    runs: tuple[Run, ...]
    command: Command | None

    def run(self, tool: str) -> Run:
        """The run of one tool."""
        return next(run for run in self.runs if run.tool == tool)


@dataclass(frozen=True)
class Startup:
    """Medians over interleaved runs: `python -c pass`, `import diffcore.cli`, and `diffcore diff` on two small captures."""

    items: int
    runs: int
    bare: Command
    imported: Command
    diffed: Command

    @property
    def ratio(self) -> float | None:
        """The diff's CPU time over the bare interpreter's."""
        if self.diffed.cpu is None or not self.bare.cpu:
            return None
        return self.diffed.cpu / self.bare.cpu


FLOORS = {
    "parse": "split",
    "parse+diff": "join",
    "diffcore-e2e": "unified_diff-e2e",
    "diffcore": "unified_diff",
    "match": "true-pairs",
}
"""Each measure of diffcore and the floor it is held to: a bare regular-expression split of the same text into
items, joining the two captures' raw item texts in a dict, `difflib.unified_diff` from the files to its text,
`difflib.unified_diff` over the lines, and (the fuzzy pairing) scoring each true pair once."""


def floor_ratio(case: CaseResult, measure: str) -> float | None:
    """A measure of diffcore (`FLOORS`) over its floor's time on the same case; None when either did not finish."""
    if measure == "parse+diff":
        parse, diffed = case.run("parse").seconds, case.run("diffcore").seconds
        mine = parse + diffed if parse is not None and diffed is not None else None
    else:
        mine = case.run(measure).seconds
    floor = case.run(FLOORS[measure]).seconds
    return mine / floor if mine is not None and floor else None


@dataclass(frozen=True)
class W1Result:
    """W1: every size and variant, the fuzzy-pairing case and the start-up."""

    cases: tuple[CaseResult, ...]
    fuzzy: CaseResult
    smoke: bool
    startup: Startup | None = None
    hotspots: Hotspots | None = None


def measure(tool: str, folder: Path, case: PairCase, cap: float) -> Run:
    """Run one tool in a child process, each call stopped after `cap` seconds, and score what it reports."""
    limit = 0.0 if tool == "parse" else TRACE_LIMIT  # parsing's memory is not reported
    argv = [
        sys.executable,
        "-m",
        "bench.child",
        tool,
        str(folder),
        "--stop-after",
        str(cap),
        "--trace-limit",
        str(limit),
    ]
    done = run_measured(argv, timeout=cap + CHILD_MARGIN)
    if done.capped:
        return Run(tool, None, 1, None, None, stopped_at=cap)
    if done.returncode != 0:
        raise RuntimeError(f"bench child {tool} failed on {folder}: {done.stderr.strip()[-2000:]}")
    figures = json.loads(done.stdout)
    if "stopped_after" in figures:
        return Run(tool, None, 1, None, None, stopped_at=figures["stopped_after"])
    found = Found(
        tuple(map(tuple, figures["edits"])),
        tuple(map(tuple, figures["moves"])),
        figures["items"],
        figures["moves_known"],
    )
    return Run(tool, figures["seconds"], figures["runs"], figures["peak"], score(found, case))


def _command(folder: Path, cap: float) -> Command:
    args = [
        "diff",
        str(folder / "old.txt"),
        str(folder / "new.txt"),
        "--format",
        "json",
        "-o",
        str(folder / "report.json"),
    ]
    done = run_module("diffcore", args, timeout=cap)
    if not done.capped and done.returncode not in (0, 1):
        raise RuntimeError(f"diffcore diff failed on {folder}: {done.stderr.strip()[-2000:]}")
    return done


def _cap(tool: str, smoke: bool, diffcore: Run | None = None) -> float:
    if smoke:
        return SMOKE_CAP
    if tool == "deepdiff":
        diffcore_seconds = (diffcore.seconds or 0.0) if diffcore else 0.0
        return max(DEEPDIFF_CAP, DEEPDIFF_RATIO * diffcore_seconds)
    return CAP


def run_case(items: int, variant: str, root: Path, smoke: bool) -> CaseResult:
    """Generate one case, then measure parsing, diffcore, every baseline and the command on it."""
    case = pair_case(items, variant, SEED)
    folder = root / f"{variant}-{items}"
    write_case(case, folder)
    runs: list[Run] = []
    for tool in TOOL_ORDER:
        if tool == "deepdiff" and items > DEEPDIFF_MAX_ITEMS:
            runs.append(Run(tool, None, 0, None, None, note="not run (over its cap at 10,000)"))
        else:
            diffcore = next((run for run in runs if run.tool == "diffcore"), None)
            runs.append(measure(tool, folder, case, _cap(tool, smoke, diffcore)))
    size = len(case.old.text.encode("utf-8")) + len(case.new.text.encode("utf-8"))
    return CaseResult(items, variant, size, tuple(runs), _command(folder, _cap("diffcore", smoke)))


def run_fuzzy(items: int, root: Path, smoke: bool) -> CaseResult:
    """The fuzzy pairing alone: `items` retitled items against their old versions; and its floor, each true pair
    scored once."""
    case = pair_case(items, RETITLED, SEED)
    folder = root / f"{RETITLED}-{items}"
    write_case(case, folder)
    cap = SMOKE_CAP if smoke else CAP
    runs = (measure("match", folder, case, cap), measure("true-pairs", folder, case, cap))
    size = len(case.old.text.encode("utf-8")) + len(case.new.text.encode("utf-8"))
    return CaseResult(items, RETITLED, size, runs, None)


def _median(commands: list[Command]) -> Command:
    """A run whose wall and CPU times are the medians of `commands` (the first run's output)."""
    cpu = [command.cpu for command in commands if command.cpu is not None]
    return Command(
        statistics.median(command.seconds for command in commands),
        commands[0].returncode,
        "",
        "",
        False,
        cpu=statistics.median(cpu) if cpu else None,
    )


def measure_startup(root: Path, runs: int) -> Startup:
    """`python -c pass`, `import diffcore.cli` and `diffcore diff OLD NEW` in fresh processes, in turn, `runs` times.

    The interpreter may write and read compiled bytecode, as an installed
    package's is (pip compiles it); a first round fills the caches.
    """
    case = pair_case(STARTUP_ITEMS, VARIANTS[0], SEED)
    folder = root / f"startup-{STARTUP_ITEMS}"
    write_case(case, folder)
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    commands = {
        "bare": [sys.executable, "-c", "pass"],
        "imported": [sys.executable, "-c", "import diffcore.cli"],
        "diffed": [sys.executable, "-m", "diffcore", "diff", str(folder / "old.txt"), str(folder / "new.txt")],
    }
    timed: dict[str, list[Command]] = {name: [] for name in commands}
    for round_ in range(runs + 1):
        for name, argv in commands.items():
            done = run_measured(argv, timeout=60, replace_env=env)
            if done.capped or done.returncode not in (0, 1):
                raise RuntimeError(f"start-up run {name} failed: {done.stderr.strip()[-2000:]}")
            if round_:  # the first round fills the bytecode caches
                timed[name].append(done)
    return Startup(STARTUP_ITEMS, runs, *(_median(timed[name]) for name in commands))


def run(smoke: bool = False, progress: Callable[[str], None] = lambda _: None) -> W1Result:
    """Every W1 case, smallest first."""
    sizes = SMOKE_SIZES if smoke else SIZES
    cases = []
    with tempfile.TemporaryDirectory(prefix="diffcore-bench-w1-") as tmp:
        root = Path(tmp)
        for items in sizes:
            for variant in VARIANTS:
                progress(f"W1: {items:,} items, {variant}-field edits")
                cases.append(run_case(items, variant, root, smoke))
        progress(f"W1: fuzzy pairing of {SMOKE_FUZZY_ITEMS if smoke else FUZZY_ITEMS:,} retitled items")
        fuzzy = run_fuzzy(SMOKE_FUZZY_ITEMS if smoke else FUZZY_ITEMS, root, smoke)
        progress("W1: start-up of `diffcore diff` on two small captures")
        runs = SMOKE_STARTUP_RUNS if smoke else STARTUP_RUNS
        startup = measure_startup(root, runs)
        profiled = sizes[-1] if smoke else HOTSPOT_ITEMS
        progress(f"W1: where the time goes, {profiled:,} items, and the start-up's imports")
        small = root / f"startup-{STARTUP_ITEMS}"
        hotspots = measure_hotspots(
            profiled,
            HOTSPOT_VARIANT,
            root / f"{HOTSPOT_VARIANT}-{profiled}",
            (small / "old.txt", small / "new.txt"),
            runs,
        )
    return W1Result(tuple(cases), fuzzy, smoke, startup, hotspots)
