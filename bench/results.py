"""RESULTS.md: the machine, the package versions, the targets and every workload's table.

Formatting is deterministic (fixed rounding, fixed order, no run date), so two
runs differ only where the measurements do.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from bench.hotspots import Hotspots
from bench.measure import SAMPLE
from bench.w1_pairwise import (
    CAP,
    DEEPDIFF_CAP,
    DEEPDIFF_RATIO,
    SMOKE_CAP,
    TRACE_LIMIT,
    CaseResult,
    Run,
    Startup,
    W1Result,
    floor_ratio,
)
from bench.w2_timeline import W2Result
from bench.w3_parse import W3Result
from bench.w4_growth import FLOORS as W4_FLOORS
from bench.w4_growth import W4Result
from bench.w5_html import W5Result
from bench.w6_warc import W6Result
from bench.w7_store import W7Result
from bench.w8_crowded import W8Result
from bench.w9_collections import BASE, BuildRun, W9Result
from diffcore.timeline import CHUNK

PACKAGES = ("diffcore", "deepdiff", "daff", "csv-diff", "pandas", "resiliparse", "warcio")
W1_TOOLS = ("diffcore", "daff", "csv-diff", "unified_diff", "deepdiff")
TOOL_NAMES = {
    "diffcore": "diffcore.diff",
    "daff": "daff",
    "csv-diff": "csv-diff (key: title)",
    "unified_diff": "difflib.unified_diff (lines)",
    "deepdiff": "DeepDiff (ignore_order)",
}
VARIANT_NAMES = {
    "single": "single-field edits (title only or summary only)",
    "both": "both-field edits (title and summary together)",
}

TOOLS = """\
The baselines get the items as rows (published, title, summary): DeepDiff as a list of dicts,
daff as a table, csv-diff as CSV text (its dialect given, so csv-diff's sniffing is not timed);
difflib.unified_diff gets the lines of the two captures.
"""
COUNTING = """\
How the correctness columns count, from the generator's recorded truth (`synthetic`):

- **Edits found**: true edits (an item whose title or summary changed) for which the tool
  links the old and the new version. diffcore: an entry of `edited`. daff: a modified row
  (`->`) of its alignment. csv-diff: a `changed` entry, which links the rows with that title.
  DeepDiff: a `values_changed` it reports for a pair of rows (a change inside an item is
  traced up to its row).
- **False edits**: reported edit pairs that are not a true edit: two different items, or an
  item that did not change.
- **Moves found / false moves**: the same against the true moves (items outside the longest
  order kept between the captures). diffcore: `moved`; daff: a reordered row (`:`). DeepDiff
  with ignore_order and csv-diff have no notion of a move.
- difflib.unified_diff has no notion of items, edits or moves: it reports changed lines.
"""


@dataclass(frozen=True)
class Target:
    """One goal of the suite, the figure measured for it, and whether it is met."""

    goal: str
    measured: str
    met: bool


def seconds(value: float | None) -> str:
    """A duration with three significant figures, in ms under a second."""
    if value is None:
        return "—"
    if value < 1:
        return f"{value * 1e3:.3g} ms"
    return f"{value:.3g} s"


def megabytes(value: int | None) -> str:
    """A size in MB (10^6 bytes), three significant figures."""
    if value is None:
        return "—"
    return f"{value / 1e6:.3g} MB" if value < 1e9 else f"{value / 1e6:,.0f} MB"


def ratio(value: float) -> str:
    """A ratio such as 12.3x."""
    return f"{value:.3g}x" if value < 1000 else f"{value:,.0f}x"


def throughput(mb_per_s: float) -> str:
    """A rate such as 31.4 MB/s."""
    return f"{mb_per_s:.3g} MB/s" if mb_per_s < 1000 else f"{mb_per_s:,.0f} MB/s"


def _paragraph(text: str) -> list[str]:
    return textwrap.wrap(text, width=96, break_long_words=False, break_on_hyphens=False)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _time_of(run: Run) -> str:
    if run.stopped_at is not None:
        return f"> {seconds(run.stopped_at)} (stopped)"
    return run.note if run.seconds is None else seconds(run.seconds)


def _vs(run: Run, base: Run) -> str:
    """The tool's time over diffcore's: how many times slower (a lower bound when stopped at its cap)."""
    if base.seconds is None:
        return "—"
    if run.stopped_at is not None:
        return f"> {ratio(run.stopped_at / base.seconds)}"
    return "—" if run.seconds is None else ratio(run.seconds / base.seconds)


def _edits(run: Run) -> tuple[str, str, str, str]:
    score = run.score
    if score is None:
        return "—", "—", "—", "—"
    if not score.items:
        return "no notion", "—", "no notion", "—"
    edits = f"{score.edits_found:,} / {score.true_edits:,}"
    moves = f"{score.moves_found:,} / {score.true_moves:,}" if score.moves_known else "no notion"
    false_moves = f"{score.false_moves:,}" if score.moves_known else "—"
    return edits, f"{score.false_edits:,}", moves, false_moves


def w1_section(result: W1Result) -> list[str]:
    """The W1 tables: per variant every tool per size; parsing and the command; fuzzy pairing."""
    caps = (
        f"A call is stopped after {SMOKE_CAP:g} s (smoke run)"
        if result.smoke
        else f"A call is stopped after {CAP:g} s, DeepDiff's after {DEEPDIFF_CAP:g} s or {DEEPDIFF_RATIO} times diffcore's "
        "time on the case, whichever is longer"
    )
    out = [
        "## W1: pairwise",
        "",
        *_paragraph(
            "Two captures per case, each with M items; 5% of M dropped, 5% added, 5% moved and 5% edited by one "
            "or two words. diffcore's time is the full `diffcore.diff` on parsed snapshots: matching, word-level "
            "detail for every edit, and moves. Each tool runs alone on the same items in a fresh process, timed as "
            "the best of up to five calls (one when a call takes over a second). Peak memory is the tracemalloc "
            f'peak of one call: allocations beyond its inputs ("—" where a call over {TRACE_LIMIT:g} s was not '
            f"traced). \"vs diffcore\" is the tool's time over diffcore's. {caps}; a stopped tool's ratio is a "
            "lower bound."
        ),
        "",
        TOOLS,
        COUNTING,
    ]
    for variant, name in VARIANT_NAMES.items():
        out += [f"### {name[0].upper()}{name[1:]}", ""]
        rows = []
        for case in (c for c in result.cases if c.variant == variant):
            base = case.run("diffcore")
            for tool in W1_TOOLS:
                run = case.run(tool)
                rows.append(
                    [
                        f"{case.items:,}",
                        TOOL_NAMES[tool],
                        _time_of(run),
                        _vs(run, base),
                        megabytes(run.peak),
                        *_edits(run),
                    ]
                )
        out += _table(
            [
                "M",
                "tool",
                "time",
                "vs diffcore",
                "peak memory",
                "edits found",
                "false edits",
                "moves found",
                "false moves",
            ],
            rows,
        )
        out.append("")
    out += [
        "### Parsing, and the command end to end",
        "",
        *_paragraph(
            "Parsing both captures (`diffcore.parse`, one core) is timed apart from the diff. The command is "
            "`diffcore diff OLD NEW --format json -o FILE` in a fresh process: read, parse, diff, render; its peak "
            "memory is the process's peak RSS."
        ),
        "",
    ]
    rows = []
    for case in result.cases:
        parse = case.run("parse")
        rate = throughput(case.size / 1e6 / parse.seconds) if parse.seconds else "—"
        command = case.command
        rows.append(
            [
                f"{case.items:,}",
                case.variant,
                megabytes(case.size),
                _time_of(parse),
                rate,
                seconds(command.seconds) if command and not command.capped else "—",
                megabytes(command.max_rss) if command and not command.capped else "—",
            ]
        )
    out += _table(
        ["M", "edits", "both captures", "parse both", "parse rate", "command wall time", "command peak RSS"], rows
    )
    fuzzy = result.fuzzy.run("match")
    floor = result.fuzzy.run("true-pairs")
    over = floor_ratio(result.fuzzy, "match")
    edits, false, _, _ = _edits(fuzzy)
    out += [
        "",
        "### Fuzzy pairing",
        "",
        *_paragraph(
            f"{result.fuzzy.items:,} items, every title edited by one or two words (half of them the summary too), "
            f"so no item keeps its id: {result.fuzzy.items:,} unmatched items against {result.fuzzy.items:,}. Time "
            "of `diffcore.match.match_items` alone; its floor scores each true pair once with the same difflib "
            "ratio (`diffcore.match.similarity`), the answer known: what any pairing that scores with it must at "
            "least do."
        ),
        "",
    ]
    out += _table(
        ["unmatched", "time", "peak memory", "pairs found", "false pairs", "true pairs scored once", "vs floor"],
        [
            [
                f"{result.fuzzy.items:,} x {result.fuzzy.items:,}",
                _time_of(fuzzy),
                megabytes(fuzzy.peak),
                edits,
                false,
                _time_of(floor),
                "—" if over is None else ratio(over),
            ]
        ],
    )
    out += ["", *floors_section(result)]
    if result.startup is not None:
        out += ["", *startup_section(result.startup)]
    if result.hotspots is not None:
        out += ["", *hotspots_section(result.hotspots)]
    return [*out, ""]


def floors_section(result: W1Result) -> list[str]:
    """diffcore against the least any item-aware diff of the same files must do, and against a line diff."""
    out = [
        "### Against the floors",
        "",
        *_paragraph(
            "Parsing both captures against a bare regular-expression split of the same text into items (date, "
            "title, summary; no header, lead or checks); parsing and the diff against that split followed by a "
            "dict join of the two captures' raw item texts (the items kept); and diffcore end to end in process "
            "(read both files, parse, diff, render the text report) against `difflib.unified_diff` end to end "
            "(read both files, diff their lines, join the unified diff into one text). Each in a fresh process, "
            "timed as the tools above; \"x\" is diffcore's time over the floor's."
        ),
        "",
    ]
    rows = []
    for case in result.cases:
        parse, split, join = case.run("parse"), case.run("split"), case.run("join")
        diffed, whole, lines = case.run("diffcore"), case.run("diffcore-e2e"), case.run("unified_diff-e2e")
        both = parse.seconds + diffed.seconds if parse.seconds is not None and diffed.seconds is not None else None
        rows.append(
            [
                f"{case.items:,}",
                case.variant,
                _time_of(parse),
                _time_of(split),
                _times(floor_ratio(case, "parse")),
                seconds(both) if both is not None else "—",
                _time_of(join),
                _times(floor_ratio(case, "parse+diff")),
                _time_of(whole),
                _time_of(lines),
                _times(floor_ratio(case, "diffcore-e2e")),
            ]
        )
    header = ["M", "edits", "parse", "regex split", "x", "parse + diff", "split + dict join", "x"]
    return out + _table([*header, "end to end", "unified_diff end to end", "x"], rows)


def _times(value: float | None) -> str:
    return "—" if value is None else ratio(value)


def startup_section(startup: Startup) -> list[str]:
    """The start-up table: the bare interpreter, importing the command, and a diff of two small captures."""
    out = [
        "### Start-up",
        "",
        *_paragraph(
            f"Each command in a fresh process, the three in turn, {startup.runs} times after a first round that "
            "fills the bytecode caches (as an installed package's are); medians. The diff is `diffcore diff OLD "
            f'NEW` (text) on two captures of {startup.items} items: nearly all of it is start-up. "vs python" is '
            "the CPU time over `python -c pass`'s."
        ),
        "",
    ]
    bare = startup.bare.cpu
    rows = []
    for name, command in (
        ("python -c pass", startup.bare),
        ("python -c 'import diffcore.cli'", startup.imported),
        ("diffcore diff OLD NEW", startup.diffed),
    ):
        versus = ratio(command.cpu / bare) if command.cpu is not None and bare else "—"
        rows.append([f"`{name}`", seconds(command.seconds), seconds(command.cpu), versus])
    return out + _table(["command", "wall time", "CPU", "vs python"], rows)


HOTSPOT_ROWS = 12


def hotspots_section(hotspots: Hotspots) -> list[str]:
    """Where a diff's time goes, step by step and by function, and what its start-up imports."""
    total = sum(stage.seconds for stage in hotspots.stages) or 1.0
    out = [
        "### Where the time goes",
        "",
        *_paragraph(
            f"`diffcore diff OLD NEW` (text) on the case of {hotspots.items:,} items with {hotspots.variant}-field "
            "edits, one step at a time in process (`python -m bench.hotspots stages`), each the best of up to five "
            "calls:"
        ),
        "",
        *_table(
            ["step", "time", "share"],
            [[stage.name, seconds(stage.seconds), f"{stage.seconds / total:.0%}"] for stage in hotspots.stages],
        ),
        "",
        *_paragraph(
            "The functions that cost most in their own code, in cProfile of one whole call (reading, parsing, the "
            "diff and the report; cProfile slows Python code more than C code, so the shares are a guide):"
        ),
        "",
        *_table(
            ["function", "calls", "own time", "share"],
            [
                [f"`{spot.function}`", f"{spot.calls:,}", seconds(spot.own_seconds), f"{spot.share:.1%}"]
                for spot in hotspots.functions[:HOTSPOT_ROWS]
            ],
        ),
        "",
        *_paragraph(
            "The modules the start-up's `diffcore diff` imports, by their own import time (`python -X importtime`, "
            f"medians of {hotspots.import_runs} runs with the bytecode caches filled; a module's own time leaves out "
            f"the modules it imports; those `python -c pass` imports too are left out): diffcore's own modules "
            f"{seconds(hotspots.diffcore_imports)} in all, the others (the standard library's) "
            f"{seconds(hotspots.other_imports)}."
        ),
        "",
    ]
    return out + _table(
        ["module", "own import time"],
        [[f"`{cost.module}`", seconds(cost.seconds)] for cost in hotspots.imports[:HOTSPOT_ROWS]],
    )


def w2_section(result: W2Result) -> list[str]:
    """The W2 table: each archive size, its time, growth and peak RSS."""
    out = [
        "## W2: timeline",
        "",
        *_paragraph(
            "`diffcore timeline FOLDER -o FILE` end to end (scan, parse, match, render) in a fresh process, over "
            f"archives of N captures of {result.items} items each (the generator's default churn), read from files; "
            "the best of three runs below 10,000 captures. Peak RSS: the command's own process, and the command with its "
            "worker processes (their RSS summed, sampled every 50 ms; pages a worker shares with the command are "
            'counted twice). "Growth" is '
            "the time over the previous size's time. Identities: the item identities the timeline found, against "
            "the generator's true count. Snapshots are streamed, one held at a time; what grows with N is the "
            "timeline itself (one history per identity) and its rendering. Scanning (dating and hashing every "
            "file) runs on every core; from 500 captures, so do reading, parsing and matching each capture with "
            "the one before, in worker processes that send back only what the fold needs, never a snapshot (W8 "
            'compares one worker with two). "Parse alone": the same captures read and parsed on as many '
            "cores and nothing else (`python -m bench.parse_all FOLDER`), the best of as many runs, interleaved "
            "with the timeline's."
        ),
        "",
    ]
    rows = []
    previous = None
    for run in result.runs:
        growth = "—"
        if previous is not None and previous.seconds and run.seconds:
            growth = f"{ratio(run.seconds / previous.seconds)} for {ratio(run.captures / previous.captures)} captures"
        per = seconds(run.seconds / run.captures) if run.seconds else "—"
        found = f"{run.histories:,} / {run.identities:,}" if run.histories is not None else "—"
        time = seconds(run.seconds) if run.seconds is not None else f"> {result.cap:g} s (stopped)"
        floor = "—" if run.parse_seconds is None else seconds(run.parse_seconds)
        over = "—" if run.over_parsing is None else ratio(run.over_parsing)
        rss = [megabytes(run.max_rss), megabytes(run.tree_rss)]
        rows.append([f"{run.captures:,}", megabytes(run.size), time, per, growth, floor, over, *rss, found])
        previous = run
    headers = ["N", "files", "wall time", "per capture", "growth", "parse alone", "vs parse", "peak RSS"]
    headers += ["with workers", "identities"]
    out += _table(headers, rows)
    return [*out, ""]


def w3_section(result: W3Result) -> list[str]:
    """The W3 table: each way through the corpus in MB/s, and against parsing."""
    parse = result.rate("parse")
    out = [
        "## W3: parsing",
        "",
        *_paragraph(
            f"A corpus of {result.captures:,} capture files ({megabytes(result.size)}), in the page cache after "
            'a first read. MB/s is the corpus size over the best of three passes; "vs parse" is how many times '
            "faster than `diffcore.parse` each way is. The rows with workers show what every core gives: scanning "
            "pays, parsing in worker processes does not, as sending a snapshot back costs about as much as "
            "parsing it."
        ),
        "",
    ]
    rows = [
        [f"`{rate.name}`", rate.what, throughput(rate.mb_per_s), ratio(parse.seconds / rate.seconds)]
        for rate in result.rates
    ]
    return out + _table(["way", "what", "throughput", "vs parse"], rows) + [""]


def w4_section(result: W4Result) -> list[str]:
    """The W4 tables: each case at its doubling sizes, time, growth per doubling, peak RSS; then the exponents."""
    out = [
        "## W4: growth",
        "",
        *_paragraph(
            "Each case at doubling sizes, the command in a fresh process (the chart in this one), inputs from the "
            'seeded generator written first and not timed. "Growth" is the time over the previous size\'s time '
            "(2x is linear, 4x quadratic); the exponent is the slope of log time over log size between the two "
            "largest sizes (1 linear, 2 quadratic). Peak memory is the process's peak RSS. Each case's floor is "
            "measured on the same input right after it: "
            + "; ".join(f"{name}, {floor}" for name, floor in W4_FLOORS.items())
            + ". \"vs floor\" is the case's time over its floor's."
        ),
        "",
    ]
    rows = []
    for growth in result.cases:
        previous = None
        for point in growth.points:
            change = "—"
            if previous is not None and previous.seconds and point.seconds:
                change = ratio(point.seconds / previous.seconds)
            time = seconds(point.seconds) if point.seconds is not None else f"> {result.cap:g} s (stopped)"
            over = point.over_floor
            rows.append(
                [
                    growth.case.title,
                    f"{point.size:,} {growth.case.unit}",
                    time,
                    change,
                    megabytes(point.max_rss),
                    "—" if point.floor is None else seconds(point.floor),
                    "—" if over is None else ratio(over),
                ]
            )
            previous = point
    out += [*_table(["case", "size", "wall time", "growth", "peak RSS", "floor", "vs floor"], rows), ""]
    exponents = [
        [growth.case.title, "—" if growth.exponent is None else f"{growth.exponent:.2f}", growth.case.target]
        for growth in result.cases
    ]
    return out + _table(["case", "exponent", "target"], exponents) + [""]


def w5_section(result: W5Result) -> list[str]:
    """The W5 table: each way through the HTML corpus in MB/s, against reading it and the bare extractor."""
    read, extract = result.rate("read"), result.rate("extract")
    out = [
        "## W5: HTML pages to snapshots",
        "",
        *_paragraph(
            f"A corpus of {result.pages:,} HTML pages ({megabytes(result.size)}, {result.mean_size / 1e3:.1f} KB a "
            "page on average): the fictional page with site chrome (head scripts and styles, menu, sidebar, "
            "hidden banners, footer) as the Wayback Machine's view serves it (toolbar and head includes), one "
            f"file a page, in the page cache after a first read. The page text is {result.text_size / result.size:.0%} "
            "of the HTML. MB/s is HTML bytes over the best of three passes, one core unless a row says workers; "
            '"x read" and "x extractor" are the time of a way over the time of reading the bytes and of the '
            "bare extractor."
        ),
        "",
    ]
    rows = [
        [
            f"`{rate.name}`",
            rate.what,
            throughput(rate.mb_per_s),
            ratio(rate.seconds / read.seconds),
            ratio(rate.seconds / extract.seconds),
        ]
        for rate in result.rates
    ]
    out += _table(["way", "what", "throughput", "x read", "x extractor"], rows)
    same = "the same" if result.identical else "**not** the same"
    out += [
        "",
        *_paragraph(
            f"The scan found {result.snapshots:,} snapshots in {result.pages:,} pages ({result.skipped} skipped, "
            f"{result.duplicates} duplicates); with one worker and with {result.workers} they are {same}."
        ),
    ]
    return [*out, ""]


def w6_section(result: W6Result) -> list[str]:
    """The W6 table: each WARC file, its time, growth and peak RSS, and what the command found in it."""
    out = [
        "## W6: a WARC file through `diffcore timeline`",
        "",
        *_paragraph(
            "`diffcore timeline FILE.warc.gz --format json -o FILE` end to end in a fresh process, over one "
            f".warc.gz of N captures of the page ({result.items} items, site chrome, about 100 KB of HTML each): "
            "a warcinfo record, then a request and a response per capture, one gzip member a record. The file "
            "is written first (not timed) and removed after its run; the 1,000-capture run is the best of two. "
            'Peak memory is the peak RSS of the command\'s own process (its scan workers apart). "Growth" is '
            "the time over the previous size's time; \"vs extractor\" the time over the bare extractor's for all "
            f"the pages on one core ({seconds(result.extractor_per_page)} a page here: resiliparse's "
            "`extract_plain_text` with diffcore's options, the best of three passes over "
            f"{result.extractor_pages:,} pages of the same archive, in this run)."
        ),
        "",
    ]
    rows = []
    previous = None
    for run in result.runs:
        growth = "—"
        if previous is not None and previous.seconds and run.seconds:
            growth = f"{ratio(run.seconds / previous.seconds)} for {ratio(run.captures / previous.captures)} captures"
        per = seconds(run.seconds / run.captures) if run.seconds else "—"
        time = seconds(run.seconds) if run.seconds is not None else f"> {result.cap:g} s (stopped)"
        found = "—" if run.snapshots is None else f"{run.snapshots:,} / {run.captures:,}"
        over = result.over_extractor(run)
        said = run.summary + (f" (and {run.warnings} more lines)" if run.warnings else "")
        rows.append(
            [
                f"{run.captures:,}",
                megabytes(run.payload),
                megabytes(run.size),
                time,
                per,
                growth,
                "—" if over is None else ratio(over),
                megabytes(run.max_rss),
                found,
                said or "—",
            ]
        )
        previous = run
    header = [
        "N",
        "HTML",
        ".warc.gz",
        "wall time",
        "per capture",
        "growth",
        "vs extractor",
        "peak RSS",
        "captures",
        "diffcore said",
    ]
    return [*out, *_table(header, rows), ""]


def w7_section(result: W7Result) -> list[str]:
    """The W7 table: the batch timeline, the store built from the same files, captures added one at a time."""
    out = [
        "## W7: the history store (issue 13's W6)",
        "",
        *_paragraph(
            f"One page, N captures of {result.items} items (W2's archive, the generator's default churn), read "
            "from files. `diffcore timeline FOLDER -o FILE` (batch) and `diffcore store add DB FOLDER` (every "
            "capture in its own transaction) run end to end in a fresh process each, as does `diffcore store "
            "timeline DB -o FILE`, whose output is compared with the batch's byte for byte; below 10,000 "
            "captures each is the best of two runs. `Store.timeline()` is the store read back into a "
            "Timeline in this process, nothing rendered (the best of three). Then "
            f"{result.extra} more captures of the archive are added at its end one at a time, in this process "
            "on a copy of the store: parsed beforehand and added with `Store.add_snapshots` (excluding "
            "parsing), to a store kept open (a crawler's process; its first add, which opens the store, left "
            "out) and to a store opened for each add (a cron job); and added from their files with "
            "`Store.add` (scanning and parsing included), the store kept open. Each is the median over its "
            "captures. Last, a capture taken in the middle of the archive, held back until then, is added "
            "(a backfill: every capture after it is folded again), and `store verify` checks the result."
        ),
        "",
    ]
    rows = []
    for run in result.runs:
        add_ratio = ratio(run.add_all / run.batch) if run.add_all and run.batch else "—"
        read_ratio = ratio(run.store_timeline / run.batch) if run.store_timeline and run.batch else "—"
        rows.append(
            [
                f"{run.captures:,}",
                seconds(run.batch),
                f"{seconds(run.add_all)} ({add_ratio})",
                megabytes(run.add_rss),
                f"{seconds(run.store_timeline)} ({read_ratio})",
                seconds(run.read_timeline),
                "yes" if run.same_output else "**no**",
                megabytes(run.size),
                seconds(run.append_open),
                seconds(run.append_reopened),
                seconds(run.append_parsed),
                f"{seconds(run.backfill)} ({run.backfill_tail:,} folded again)",
                "yes" if run.verified else "**no**",
            ]
        )
    header = [
        "N",
        "batch timeline",
        "store add, all (x batch)",
        "add peak RSS",
        "store timeline (x batch)",
        "Store.timeline()",
        "same output",
        "store file",
        "one more: parsed, store open",
        "parsed, store opened",
        "from its file",
        "backfill",
        "verify",
    ]
    return [*out, *_table(header, rows), ""]


DATING_NAMES = {"one": "one date", "none": "no dates", "spread": "dates spread (control)"}


def w8_section(result: W8Result) -> list[str]:
    """The W8 tables: crowded timelines by dating, the chart's rows, one worker against two."""
    loads = ", ".join(f"{load:.1f} ({part})" for part, load in result.loads)
    out = [
        "## W8: crowded pages, the chart's rows, the second core",
        "",
        *_paragraph(
            "Crowded: `diffcore timeline FOLDER -o FILE` end to end in a fresh process on one core "
            "(`DIFFCORE_WORKERS=1`, so every size runs the same way), over archives of N captures of 50 items "
            "of which 90% are replaced at each capture (2 of them items that come back, a third of those edited "
            "by a word): every item on one published date, no item dated (a profile of undated '- Title' items), "
            "and the control, dates spread over the days between captures as the generator dates items. The "
            'best of three runs at every size. "CPU" is the command\'s CPU time; '
            '"vs control" the time over the control\'s at the same N; the exponent is the slope of log time '
            "over log N between the two largest sizes. Peak RSS is the command's; identities: found by the "
            "timeline, against the true count."
        ),
        "",
    ]
    control = next((series for series in result.crowded if series.name == "spread"), None)
    rows = []
    for series in result.crowded:
        previous = None
        for run in series.runs:
            growth = ratio(run.seconds / previous.seconds) if previous and previous.seconds and run.seconds else "—"
            base = control.run(run.size) if control else None
            versus = ratio(run.seconds / base.seconds) if base and base.seconds and run.seconds else "—"
            found = "—" if run.found is None else f"{run.found:,} / {run.true:,}"
            time = seconds(run.seconds) if run.seconds is not None else f"> {result.cap:g} s (stopped)"
            rss = megabytes(run.max_rss)
            rows.append(
                [DATING_NAMES[series.name], f"{run.size:,}", time, seconds(run.cpu), growth, versus, rss, found]
            )
            previous = run
    out += _table(["dates", "N", "wall time", "CPU", "growth", "vs control", "peak RSS", "identities"], rows)
    exponents = [
        [DATING_NAMES[series.name], "—" if series.exponent() is None else f"{series.exponent():.2f}"]
        for series in result.crowded
    ]
    out += ["", *_table(["dates", "exponent"], exponents), ""]
    out += [
        "### The timeline chart's rows",
        "",
        *_paragraph(
            "`charts.timeline_chart` (SVG) of a made-up timeline of N items over 60 weekly captures, in this "
            'process, the best of three. "Rows": one row per item at every N, no labels (labels are drawn '
            "only while a row leaves them 5 points, about 400 rows, so N = 400 would otherwise time labels and "
            'N = 3,200 none); "labelled": one row per item with its label; "default": the chart as '
            "diffcore draws it (labels up to about 400 items; past 1,000 items neighbours share a row)."
        ),
        "",
    ]
    rows = []
    for series in result.chart:
        previous = None
        for run in series.runs:
            growth = ratio(run.seconds / previous.seconds) if previous and previous.seconds and run.seconds else "—"
            per = seconds(run.seconds / run.size) if run.seconds else "—"
            rows.append([series.name, f"{run.size:,}", seconds(run.seconds), per, growth])
            previous = run
    out += _table(["chart", "items", "time", "per item", "growth"], rows)
    exponents = []
    for series in result.chart:
        first, last = series.runs[0], series.runs[-1]
        value = series.exponent(first.size, last.size)
        exponents.append([series.name, f"{first.size:,} to {last.size:,}", "—" if value is None else f"{value:.2f}"])
    out += ["", *_table(["chart", "items", "exponent"], exponents), ""]
    out += [
        "### One worker against two",
        "",
        *_paragraph(
            f"`diffcore timeline FOLDER -o FILE` over the W2 archive of {result.workers_captures:,} captures of 50 "
            "items, in a fresh process, with `DIFFCORE_WORKERS=1` (scan, read, parse, match and fold in one "
            f"process) and `DIFFCORE_WORKERS=2` (two workers scan, then read, parse and match runs of {CHUNK} captures "
            "while the main process folds what they send back), run in turn, the best of three each. CPU is the "
            "command's and its workers'; \"others' CPU\" what other work (not this run's) took on the machine "
            "meanwhile: a second worker pays only when the second core is free. "
            + (
                "The two outputs are the same bytes."
                if result.same_output
                else "The two outputs are **not** the same bytes."
                if result.same_output is False
                else ""
            )
        ),
        "",
    ]
    rows = []
    one = result.series("1 worker")
    for series in result.workers:
        run = series.runs[0]
        speed = ratio(one.runs[0].seconds / run.seconds) if one and one.runs[0].seconds and run.seconds else "—"
        rows.append([series.name, seconds(run.seconds), seconds(run.cpu), seconds(run.others), speed])
    out += _table(["workers", "wall time", "CPU", "others' CPU", "speed-up"], rows)
    out += [
        "",
        *_paragraph(
            f"Measured on {result.machine} (the machine table above is that of the first run of the file). "
            f"The 1-minute load average before each part: {loads}; with 2 cores, a load above 2 "
            "means other work (not this run's) was waiting for a core, so wall times, and above all the "
            "speed-up of a second worker, are lower bounds of what a free machine gives."
        ),
    ]
    return [*out, ""]


FORM_NAMES = {"text": "text", "warc": "WARC"}
RUN_NAMES = {"local": "local", "rebuild": "local, again (nothing changed)", "dask": "dask (LocalCluster)"}
MILLION = 1_000_000
WORKERS = 100


def w9_estimate(result: W9Result) -> list[str]:
    """The paper estimate of a million pages on a hundred workers, from the text runs at the base size."""
    local, dask = result.run("local", "text", BASE), result.run("dask", "text", BASE)
    grouped = next((seconds for form, pages, seconds in result.grouping if form == "text"), None)
    if local is None or not local.cpu or not local.seconds or grouped is None:
        return []
    pages = local.pages
    per_page = local.cpu / pages
    group = grouped / pages
    work = per_page - group
    overhead = 0.0
    if dask is not None and dask.seconds:
        overhead = max(0.0, dask.seconds - local.seconds) * result.cores / pages
    serial = MILLION * group
    spread = MILLION * (work + overhead) / WORKERS
    data = local.dataset / pages if local.dataset else None

    def hours(value: float) -> str:
        return f"{value / 3600:.1f} h" if value >= 3600 else f"{value / 60:.0f} min"

    written = (
        f" The dataset would be about {megabytes(int(data * MILLION))} in {7 * MILLION:,} files"
        f" ({megabytes(int(data))} a page here), all written by the client."
        if data
        else ""
    )
    return _paragraph(
        f"**A million pages on {WORKERS} workers, on paper.** From the text run of {pages:,} pages: "
        f"{seconds(local.cpu)} of CPU in all (the command and its workers), {seconds(per_page)} a page, of which "
        f"the grouping pass takes {seconds(group)} a page ({seconds(grouped)} for the {pages:,} pages, timed "
        f"apart in one process) and reading, folding and writing a page the other {seconds(work)}; the Dask "
        f"engine added {seconds(overhead)} a page (its wall time over the local engine's, spread over the "
        f"{result.cores} cores, the LocalCluster's start included, so an upper bound of the scheduler's cost "
        f"a task). Assumptions: each of the {WORKERS} workers is a core like one of this machine's and "
        f"runs one task at a time; the pages are like these ({result.captures_per_page} captures of 50 items, "
        "about 11.5 KB of text each); the workers read the inputs as fast as a local disk (here the work is "
        "CPU-bound: CPU time is close to wall time times the cores); the scheduler's overhead a task stays "
        f"what it is here; and the grouping stays what it is today, one pass over every input in the client "
        f"before the first page is folded. Then the pages take {MILLION:,} x {seconds(work + overhead)} / "
        f"{WORKERS} = {hours(spread)} on the workers, but the grouping pass {MILLION:,} x {seconds(group)} = "
        f"{hours(serial)} in one process first: {hours(serial + spread)} in all. The serial grouping dominates; "
        f"grouping each input file on the workers (by file, then merging the pages) would bring the total "
        f"near {hours(spread + serial / WORKERS)}, the scheduler (one task a page, {MILLION:,} tasks) and "
        f"the client's writes permitting.{written}"
    )


def w9_section(result: W9Result) -> list[str]:
    """The W9 table: each build with its time, CPU, growth and memory, and the paper estimate."""
    sizes = "; ".join(
        f"{FORM_NAMES[form]}, {pages:,} pages: {megabytes(size)} on disk, {megabytes(payload)} of captures as read"
        for form, pages, size, payload in result.sizes
    )
    out = [
        "## W9: collections (issue 14's benchmark)",
        "",
        *_paragraph(
            "The collections workload: `diffcore collection build INPUT -o DIR` end to end in a fresh process, "
            f"over P pages of {result.captures_per_page} captures of 50 items, each page its own seeded archive "
            "of `synthetic` (the generator's default churn), written once and cached: as text (a folder per "
            "page) and as WARC (4 .warc.gz files, pages mixed, each page's captures spread through its file; "
            f"every capture an HTML page with site chrome). {sizes}. Each build writes a "
            "fresh folder, except the rebuild, which builds again into a copy of the local build with nothing "
            "changed (each page kept by its inputs' digest). The local engine is a process pool of every core; "
            "the Dask engine a LocalCluster of the same machine (one worker process a core), started by the "
            "command. Each build is timed once. CPU is the command's and every process it waited for; "
            '"per page" the CPU time over the pages; "growth" the wall time over the smaller size\'s, per '
            'form and engine; "peak RSS" the peak of the RSS summed over the command\'s process tree (sampled '
            f'every {SAMPLE * 1000:g} ms; shared pages of forked workers counted in each), "own" that of the '
            "command's own process; \"others' CPU\" what other work took on the machine meanwhile, and the load "
            "the 1-minute load average before the build."
        ),
        "",
    ]
    rows = []
    previous: dict[tuple[str, str], BuildRun] = {}
    for run in result.runs:
        before = previous.get((run.name, run.form))
        growth = "—"
        if before is not None and before.seconds and run.seconds:
            growth = f"{ratio(run.seconds / before.seconds)} for {ratio(run.pages / before.pages)} the pages"
        per = seconds(run.cpu / run.pages) if run.cpu else "—"
        time = seconds(run.seconds) if run.seconds is not None else f"> {result.cap:g} s (stopped)"
        rows.append(
            [
                FORM_NAMES[run.form],
                RUN_NAMES.get(run.name, run.name),
                f"{run.pages:,}",
                f"{run.captures:,}",
                time,
                seconds(run.cpu),
                per,
                growth,
                megabytes(run.tree_rss),
                megabytes(run.max_rss),
                seconds(run.others),
                f"{run.load:.1f}",
                run.said or "—",
            ]
        )
        previous[(run.name, run.form)] = run
    header = ["input", "engine", "pages", "captures", "wall time", "CPU", "per page", "growth", "peak RSS", "own"]
    out += _table([*header, "others' CPU", "load", "diffcore said"], rows)
    out.append("")
    if result.same:
        out += _paragraph(
            "The Dask engine's dataset against the local engine's, every file compared byte for byte: "
            + "; ".join(
                f"{FORM_NAMES[form]}: {'the same' if same else '**not the same**'}" for form, same in result.same
            )
            + "."
        )
        out.append("")
    if result.grouping:
        out += _paragraph(
            "The grouping pass alone (`group_pages`, in one process, before any page is folded): "
            + "; ".join(
                f"{FORM_NAMES[form]}, {pages:,} pages: {seconds(grouped)} ({seconds(grouped / pages)} a page)"
                for form, pages, grouped in result.grouping
            )
            + "."
        )
        out.append("")
    if result.floors:
        out += _paragraph(
            "The floor a build is held to (`bench.parse_all --pages`: the same grouping, then each page's captures "
            "read, dated and parsed in a worker process of every core, a page a task, with nothing folded or "
            "written): "
            + "; ".join(
                f"{FORM_NAMES[form]}, {pages:,} pages: "
                + ("stopped" if floor.capped else f"{seconds(floor.seconds)} (CPU {seconds(floor.cpu)})")
                for form, pages, floor in result.floors
            )
            + "."
        )
        out.append("")
    estimate = w9_estimate(result)
    if estimate:
        out += [*estimate, ""]
    out += _paragraph(
        f"Measured on {result.machine} (the machine table above is that of the first run of the file); with "
        f"{result.cores} cores, a load above {result.cores} means other work was waiting for a core, so the "
        "wall times are then upper bounds of what a free machine gives."
    )
    return [*out, ""]


def targets_section(targets: Sequence[Target], held_back: dict[str, str]) -> list[str]:
    """The targets with their measured figures; what holds back each one missed."""
    out = ["## Targets", ""]
    out += _table(["target", "measured", "met"], [[t.goal, t.measured, "yes" if t.met else "**no**"] for t in targets])
    missed = [t for t in targets if not t.met]
    if missed:
        out += ["", "What holds back the targets missed:", ""]
        out += [f"- {t.goal}: {held_back.get(t.goal, 'not analysed yet')}" for t in missed]
    return [*out, ""]


def document(
    title: str,
    intro: Sequence[str],
    machine: dict[str, str],
    versions: dict[str, str],
    sections: Sequence[Sequence[str]],
) -> str:
    """The whole RESULTS.md text."""
    out = [f"# {title}", "", *intro, "", "## Machine", ""]
    out += _table(["", ""], [[key, value] for key, value in machine.items()])
    out += ["", "## Package versions", ""]
    out += _table(["package", "version"], [[name, version] for name, version in versions.items()])
    out.append("")
    for section in sections:
        out += section
    return "\n".join(out).rstrip("\n") + "\n"


def _split(text: str) -> tuple[list[str], list[list[str]]]:
    """A results document as the lines before its first section, and each `## ` section's lines."""
    head: list[str] = []
    sections: list[list[str]] = []
    for line in text.rstrip("\n").split("\n"):
        if line.startswith("## "):
            sections.append([line])
        elif sections:
            sections[-1].append(line)
        else:
            head.append(line)
    return head, sections


def _of(line: str, names: Sequence[str], prefix: str) -> bool:
    """Whether a heading, target row or bullet belongs to one of the workloads named."""
    return any(line.startswith(f"{prefix}{name}:") or line.startswith(f"{prefix}{name},") for name in names)


def merge(
    existing: str,
    names: Sequence[str],
    note: str,
    versions: dict[str, str],
    sections: Sequence[Sequence[str]],
    targets: Sequence[Target],
    held_back: dict[str, str],
) -> str:
    """An existing RESULTS.md with the sections and targets of the workloads `names` replaced by a new run's.

    The other workloads' sections, target rows and analyses are kept as they
    are; `note` (which command wrote the new sections) joins the introduction,
    replacing an earlier note on the same workloads; packages missing from the
    versions table are added to it.
    """
    head, old = _split(existing)
    marker = f"The {' and '.join(names)} section"
    head = [line for line in head if not line.startswith(marker)]
    at = next((i for i, line in enumerate(head) if line.startswith("Inputs come from")), len(head))
    head[at:at] = [note]
    new = {section[0]: list(section) for section in sections}
    out = [*head]
    placed: set[str] = set()
    for section in old:
        heading = section[0]
        if heading == "## Targets":
            out += _merged_targets(section, names, targets, held_back)
        elif heading == "## Package versions":
            known = {line.split(" | ")[0].removeprefix("| ") for line in section if line.startswith("| ")}
            body = [_version_row(line, versions, names) for line in section]
            while body and not body[-1].strip():
                body.pop()
            body += [f"| {name} | {version} |" for name, version in versions.items() if name not in known]
            out += [*body, ""]
        elif _of(heading, names, "## "):
            match = next((h for h in new if h.split(":")[0] == heading.split(":")[0]), None)
            if match is not None and match not in placed:
                out += new[match]
                placed.add(match)
        else:
            out += ["", *section] if out and out[-1].strip() else section
    for heading, lines in new.items():
        if heading not in placed:
            out += ["", *lines] if out and out[-1].strip() else lines
    return "\n".join(out).rstrip("\n") + "\n"


def _version_row(line: str, versions: dict[str, str], names: Sequence[str]) -> str:
    """A row of the versions table, saying so when the new run's version of the package differs."""
    cells = line.removeprefix("| ").removesuffix(" |").split(" | ")
    if len(cells) != 2 or cells[0] not in versions:
        return line
    name, version = cells
    new = versions[name]
    if version == new or version.endswith(f": {new})"):
        return line
    old = version.split(" (")[0]
    shown = old if old == new else f"{old} ({' and '.join(names)}: {new})"
    return f"| {name} | {shown} |"


def _merged_targets(
    section: Sequence[str], names: Sequence[str], targets: Sequence[Target], held_back: dict[str, str]
) -> list[str]:
    """The targets section: the rows and analyses of other workloads kept, the new run's added."""
    rows = [line for line in section if line.startswith("| ") and not line.startswith("| target |")]
    kept = [row for row in rows if not _of(row, names, "| ")]
    bullets = [line for line in section if line.startswith("- ") and not _of(line, names, "- ")]
    out = ["## Targets", "", "| target | measured | met |", "|---|---|---|", *kept]
    out += ["| " + " | ".join([t.goal, t.measured, "yes" if t.met else "**no**"]) + " |" for t in targets]
    bullets += [f"- {t.goal}: {held_back.get(t.goal, 'not analysed yet')}" for t in targets if not t.met]
    if bullets:
        out += ["", "What holds back the targets missed:", "", *bullets]
    return [*out, ""]


def case_of(result: W1Result, items: int, variant: str) -> CaseResult | None:
    """The W1 case of one size and variant, if it ran."""
    return next((c for c in result.cases if c.items == items and c.variant == variant), None)
