"""The speed and correctness targets of the suite, checked against the figures of one run.

A target is checked only when its workload ran at the size it names (not in
a smoke run). `HELD_BACK` says, for a target the figures miss, what holds it
back; it is written from the analysis of a run, and shown only when missed.
"""

from __future__ import annotations

from bench.results import Target, case_of, megabytes, ratio, seconds, throughput
from bench.w1_pairwise import VARIANTS, W1Result, floor_ratio
from bench.w2_timeline import W2Result
from bench.w3_parse import CAPTURES, W3Result
from bench.w4_growth import FLOORS as W4_FLOORS
from bench.w4_growth import W4Result
from bench.w5_html import PAGES, W5Result
from bench.w6_warc import W6Result
from bench.w7_store import W7Result
from bench.w8_crowded import COUNTS, WORKERS_CAPTURES, W8Result
from bench.w9_collections import BASE, W9Result

GB = 10**9
FLOOR_TARGETS = (
    (10_000, "diffcore", 1.0, "full diff within 1.0x difflib.unified_diff over the same lines"),
    (100_000, "diffcore", 0.5, "full diff within 0.5x difflib.unified_diff over the same lines"),
    (10_000, "parse", 1.5, "parsing within 1.5x a bare regular-expression split of the same text into items"),
    (10_000, "parse+diff", 3.0, "parsing and the diff within 3x the split and a dict join of the raw item texts"),
    (10_000, "diffcore-e2e", 1.0, "diffcore end to end within 1.0x difflib.unified_diff end to end"),
    (100_000, "diffcore-e2e", 1.0, "diffcore end to end within 1.0x difflib.unified_diff end to end"),
)
"""The floors a W1 measure is held to (`bench.w1_pairwise.FLOORS`): size, measure, most times the floor's, goal.

The full diff's were first set as 250 ms at 10,000 items and 3 s at 100,000, where `difflib.unified_diff` over
the same lines took about 250 ms and 6 s (it grows faster than linearly): 1.0x and 0.5x."""
FUZZY_OVER_TRUE_PAIRS = 8.0
"""W1: the most times the fuzzy pairing of 5,000 against 5,000 may take scoring the 5,000 true pairs once. First
set as 1 s where the pairing took 504 ms, about 4x its floor's time: 1 s is about 8x the floor."""
PARSE_OVER_SPLIT = 10.0
"""W3: the most times parsing may take the bare regular-expression split of the same text. First set as 20 MB/s
a core where the split ran at 203 MB/s: 10x."""
APPEND_OVER_BATCH = 3.0
"""W7: the most times adding one capture to a store of 10,000 (its parsing excluded) may take the batch
timeline's time a capture over the same 10,000. First set as 5 ms where the batch took 1.52 ms a capture: 3x."""
APPEND_PARSED_OVER_BATCH = 12.0
"""W7: the same with its parsing, first set as 20 ms: 12x."""
STORE_TIMELINE_OVER_BATCH = 0.13
"""W7: the most times `store timeline` over 10,000 captures may take the batch timeline of them. First set as
2 s where the batch took 15.2 s: 0.13x."""
STARTUP_RATIO = 1.3
TIMELINE_OVER_PARSING = 1.5
"""W2: the most times the timeline of 10,000 captures may take that of parsing them alone, on as many cores."""
HTML_OVER_EXTRACTOR = 4.0
"""W5: the most times HTML to a snapshot may take the bare extractor on the same pages, one core. First set as
50 MB/s a core where resiliparse's extractor took about 0.5 ms a 100 KB page (200 MB/s): 2 ms a page, 4x."""
WARC_OVER_EXTRACTOR = 12.0
"""W6: the most times the timeline of a 10,000-capture .warc.gz (2 cores) may take the bare extractor over its
pages on one core. First set as 60 s where the extractor took about 0.5 ms a 100 KB page (5 s for all): 12x."""
COLLECTION_SPEED = (
    "text 2.67x its floor (87.2 s against 32.7 s), WARC 1.78x (133 s against 74.7 s) in a run earlier the same "
    "day, from 2.79x and 2.23x before the store's fold wrote each table in one statement (this run's figures are "
    "in the table). The floor groups the inputs, then reads, dates and parses every capture (80 s of CPU for "
    "text); the build does the same, then folds each page's captures into a store held in memory (matching, the "
    "fold and its SQLite statements, what `store add` does a capture in W7), reads the store's tables out through "
    "pandas and writes them as Parquet, and the command writes seven files a page: 220 s of CPU in all. In a "
    "profile of 20 text pages (an earlier run): parsing about 34%, the store's fold (matching included) 29% and "
    "its SQLite statements about 10%, dating and hashing the captures 10%, reading the tables out through pandas "
    "8% and writing Parquet 7%, with no one call standing out. Left to do: the store's per-capture fold and "
    "writes (W7's target too), and the tables written from the store without pandas (the Parquet files must "
    "stay the same bytes)."
)
"""What holds back the W9 time target in the run of bench/RESULTS.md."""
END_TO_END = (
    "single-field edits 1.65x at 10,000 items (582 ms against 353 ms) and 1.38x at 100,000 (6.06 s against "
    "4.4 s), both-field edits 1.31x (538 ms against 409 ms) and 1.52x (5.69 s against 3.73 s), from 2.03x, 1.34x, "
    "1.34x and 1.5x in the file's previous run; at 1,000 items diffcore takes half the line diff's time (0.48x to "
    "0.51x), the line diff growing faster than linearly. Where diffcore's time goes at 10,000 items (the tables "
    "under W1's start-up): parsing both captures 51%, matching the items 26%, the diff after matching (word "
    "diffs, moves, lead, counters) 17%, rendering 3%, reading 2%; `unified_diff` compares lines and parses "
    "nothing. Left to do: the parser's per-item work (see the parsing target) and the fuzzy pairing."
)
"""What holds back the end-to-end targets of W1 in the run of bench/RESULTS.md."""
HELD_BACK: dict[str, str] = {
    "W2, N = 10,000: the timeline within 1.5x parsing the same captures alone": "1.53x (16.9 s against 11.1 s), "
    "from 1.82x in the file's previous run. The timeline does the floor's parsing and, in the same workers, "
    "matches each capture with the one before (about 0.36 ms a capture against 0.9 ms to parse it, timed in "
    "process over W2's captures) and sends back a step; the main process scans, folds every step (about 0.2 ms a "
    "capture) and writes the text tables, beside the two workers on 2 cores. Timed apart on this machine over an "
    "archive of 10,000 such captures, the timeline used 29.1 s of CPU against the floor's 17.8 s. This run made "
    "matching about an eighth faster (pairs as named tuples) and parsing, which both do, about a sixth faster on "
    "captures of 50 items, so the ratio fell less than the time. Left to do: the fuzzy pairing (about 65% of "
    "matching), the main process's scan and fold.",
    "W1, M = 100,000: full diff within 0.5x difflib.unified_diff over the same lines (both variants)": "single-"
    "field edits 0.482x (1.82 s against 3.78 s); both-field edits 0.741x (2.34 s against 3.16 s). Each of the "
    "5,000 both-field edits aligns the words of two fields, and `unified_diff` is faster on those files than on "
    "the single-field ones. The 0.5x was derived from a run where `unified_diff` took about 6 s at this size on "
    "a loaded machine. Left to do: the word alignment of short fields in fewer Python steps (difflib's "
    "`find_longest_match` is the costliest call after the parser's, in the profile under W1's start-up).",
    "W1, M = 10,000: parsing within 1.5x a bare regular-expression split of the same text into items (both "
    "variants)": "9.82x / 10.9x (293 ms and 287 ms against 29.9 ms and 26.2 ms), from 11.9x / 14x in the file's "
    "previous run. The split cuts the text at each item's date line and the title from the summary, about 1.5 µs "
    "an item; `parse` takes about 14.5 µs: it classifies every line (header, clocks, counters, lead, items, "
    "footer), reads each item's printed date among the profile's formats, makes each item's id (a digest of its "
    "title), and records which input line went where, so that no line is lost. In the profile under W1's "
    "start-up the costliest functions are all the parser's per-item steps, none above an eighth of the time: "
    "building the item, the body's loop, the line walk, reading its first line and its printed date. This run "
    "took about a third off parsing (lines split a block at a time, the printed date read with C calls, dates as "
    "named tuples). Left to do: 1.5x needs items of a few Python steps each: one expression reading date, title "
    "and summary over many lines at once, ids and matching keys made on demand.",
    "W1, M = 10,000: parsing and the diff within 3x the split and a dict join of the raw item texts (both "
    "variants)": "10.8x / 15.5x (523 ms and 503 ms against 48.2 ms and 32.4 ms), from 16.1x / 22.7x in the file's "
    "previous run. Parsing is about half of it (see the target above); the diff adds matching (exact ids, then "
    "the fuzzy pairing of what is left) and the word-level alignment of every edited field, which the dict join "
    "does not do: it finds the items kept and nothing else.",
    "W1, M = 10,000: diffcore end to end within 1.0x difflib.unified_diff end to end (both variants)": END_TO_END,
    "W1, M = 100,000: diffcore end to end within 1.0x difflib.unified_diff end to end (both variants)": END_TO_END,
    "W1: start-up of `diffcore diff` on two small captures at most 1.3x `python -c pass` (CPU)": "3.08x (176 ms "
    "against 57.2 ms of CPU; `import diffcore.cli` 92.5 ms), from 3.1x in the file's previous run, on a machine "
    "where `python -c pass` took 46 ms. 1.3x leaves about 17 ms of CPU for diffcore's imports and work; importing "
    "the modules a diff runs takes more than that alone. In the table of imports under W1's start-up (`python -X "
    "importtime`, the modules `python -c pass` does not import), diffcore's own modules take 79.7 ms and the "
    "standard library's 36.2 ms; the costliest are the model's (the report's classes 14.2 ms, the snapshot's "
    "11.2 ms, the capture's 5.3 ms): dataclasses writes and compiles each frozen dataclass's methods at import, "
    "about a millisecond a class, and a diff needs about 30 of them. This run stopped making the timeline's "
    "classes for a diff, measuring narrow non-ASCII text without wcwidth and importing calendar (about 20 ms less "
    "CPU, timed apart). Left to do: fewer classes made at import.",
    "W9: `collection build --engine local` of 1,000 pages x 50 captures within 1.4x grouping, reading and parsing "
    "the same captures alone on the same 2 cores (text and WARC; 60 s where that takes 44 s)": COLLECTION_SPEED,
    "W9: 2,000 pages within 2.2x the time of 1,000 (linear in the pages)": "the 2,000-page run met a loaded machine (load 3.4 before it; other work took 472 s of CPU during its 472 s), so its wall time is mostly others'; its CPU time is 2.31x that of 1,000 pages (443 s against 192 s). Between 500 and 1,000 pages, both nearly alone, the time grew 2.27x (CPU 2.28x): CPU a page is 168, 192 and 222 ms at 500, 1,000 and 2,000 pages. A worker's cost a page is flat (building 300 pages one after the other in one process: 135 to 138 ms a page from the 100th on, the same number of live objects throughout), and a full collection in the main process over the grouped captures of 1,000 pages takes 0.08 s, so neither a worker's garbage nor the collector explains it. Left to do: time the main process apart from its workers (it groups, receives each page's tables and writes seven files a page) at 500, 1,000 and 2,000 pages on a free machine.",
    "W9: memory flat in the pages: peak RSS (the command and its workers) at 2,000 pages within 1.2x that at 1,000": "the command's own process grows with the captures: 151, 175 and 222 MB at 500, 1,000 and 2,000 pages, as the grouping pass keeps what locates every capture (file, offset, date, URL) until its page is folded, about 44 MB for 50,000 captures. The two workers grow more slowly (243, 302 and 390 MB together): building 300 pages in one process keeps the same number of live objects and adds 11 MB of RSS (163 to 174 MB, an earlier run), the allocator's fragmentation rather than pages kept. Left to do: hand the grouping's locations to the engine page by page (a page's locations dropped once it is submitted), and bound a worker's life in pages (a pool's max_tasks_per_child) if the creep matters.",
    "W9: `--engine dask` (a LocalCluster of this machine) within 1.5x the local engine, 1,000 pages, text": "the text run of the Dask engine met a loaded machine (other work took 236 s of CPU during its 246 s) while the local one had it nearly to itself (5.19 s), so 2.23x is mostly others' work; for WARC the other way round, 0.57x (131 s alone against 230 s loaded). CPU time, less affected, puts the Dask engine at 1.29x the local engine's for text (248 s against 192 s) and 0.93x for WARC (235 s against 254 s); both runs are CPU-bound on the 2 cores, so on a free machine the wall times should be in about that ratio, within 1.5x. Timed back to back after this run, over the 500 text pages, the second of two rounds with other work taking 3 to 4 s of CPU meanwhile: local 64.2 s, Dask 73.6 s (1.15x; CPU 118 s against 133 s), the same bytes (the first round, on a loaded machine, 108 s against 103 s). Left to do: both engines back to back at 1,000 pages in the suite itself. (The paper estimate's Dask cost a page, 271 ms from the wall times, is inflated alike: from the CPU times it is 56 ms for text.)",
    "W7: adding all 10,000 in at most 1.5x the batch timeline": "on this machine the ratio moves with the "
    "machine's other tenants more than with the code: five runs of W7 one after another, the same code, gave "
    "1.87x, 1.39x, 1.47x, 1.37x and 1.37x (median 1.39x; the first, on a loaded machine, also read the store's "
    "timeline 40% slower than the others). The add's own process folds and writes each capture while two "
    "workers parse and match, as the batch's do, on the same 2 cores: its fold of W7's 10,000 captures, timed "
    "alone after parsing, takes about 10 s of CPU (most of it SQLite statements, 3.2 to 3.5 s the commits), and "
    "receiving and rebuilding the parsed captures 3 s more. Tried and left out: committing 64 captures a "
    "transaction saves 2 s of the 10 (the issue asks one transaction a capture), a versions index keyed by "
    "item nothing measurable. Left to do: fewer rows a capture (presence is 50 of its about 80).",
}


def w1_targets(result: W1Result) -> list[Target]:
    """W1 at 10,000 and 100,000 items, and the fuzzy pairing."""
    targets = []
    cases = [case_of(result, 10_000, variant) for variant in VARIANTS]
    if all(cases):
        runs = [case.run("diffcore") for case in cases if case]
        scores = [run.score for run in runs]
        exact = all(score is not None and score.exact for score in scores)
        figures = "; ".join(
            f"{s.edits_found}/{s.true_edits} edits, {s.false_edits} false, "
            f"{s.moves_found}/{s.true_moves} moves, {s.false_moves} false"
            for s in scores
            if s
        )
        targets.append(
            Target("W1, M = 10,000: every true edit and move found, nothing false (both variants)", figures, exact)
        )
        daff = [case.run("daff") for case in cases if case]
        versus = [
            (d.seconds or d.stopped_at or 0) / (r.seconds or float("inf")) for d, r in zip(daff, runs, strict=False)
        ]
        daff_both = daff[-1].score
        targets.append(
            Target(
                "W1, M = 10,000: more than 2x faster than daff, correct where daff fails",
                " / ".join(ratio(v) for v in versus)
                + (
                    f"; daff finds {daff_both.edits_found}/{daff_both.true_edits} both-field edits" if daff_both else ""
                ),
                min(versus) > 2 and all(s is not None and s.exact for s in scores),
            )
        )
        deep = [case.run("deepdiff") for case in cases if case]
        bounds = [
            ((d.seconds or d.stopped_at or 0) / (r.seconds or float("inf")), d.stopped_at is not None)
            for d, r in zip(deep, runs, strict=False)
        ]
        targets.append(
            Target(
                "W1, M = 10,000: more than 500x faster than DeepDiff ignore_order",
                " / ".join(("> " if capped else "") + ratio(v) for v, capped in bounds),
                min(v for v, _ in bounds) > 500,
            )
        )
    big = [case_of(result, 100_000, variant) for variant in VARIANTS]
    if all(big):
        runs = [case.run("diffcore") for case in big if case]
        rss = [case.command.max_rss for case in big if case and case.command and case.command.max_rss]
        targets.append(
            Target(
                "W1, M = 100,000: at most 1 GB (peak RSS of `diffcore diff` end to end)",
                " / ".join(megabytes(value) for value in rss),
                len(rss) == len(big) and max(rss) <= GB,
            )
        )
    fuzzy = result.fuzzy.run("match")
    if result.fuzzy.items == 5_000:
        score = fuzzy.score
        figures = seconds(fuzzy.seconds)
        if score:
            figures += f"; {score.edits_found:,}/{score.true_edits:,} pairs, {score.false_edits} false"
        over = floor_ratio(result.fuzzy, "match")
        floor = result.fuzzy.run("true-pairs")
        targets.append(
            Target(
                f"W1: fuzzy pairing, 5,000 unmatched against 5,000, within {FUZZY_OVER_TRUE_PAIRS:g}x scoring the "
                "5,000 true pairs once",
                f"{'—' if over is None else ratio(over)} ({figures}; the floor {seconds(floor.seconds)})",
                over is not None and over <= FUZZY_OVER_TRUE_PAIRS,
            )
        )
    for items, measure, limit, goal in FLOOR_TARGETS:
        cases = [case_of(result, items, variant) for variant in VARIANTS]
        ratios = [floor_ratio(case, measure) if case else None for case in cases]
        if all(case is not None for case in cases):
            targets.append(
                Target(
                    f"W1, M = {items:,}: {goal} (both variants)",
                    " / ".join("—" if value is None else ratio(value) for value in ratios),
                    all(value is not None and value <= limit for value in ratios),
                )
            )
    startup = result.startup
    if startup is not None and startup.ratio is not None and not result.smoke:
        targets.append(
            Target(
                f"W1: start-up of `diffcore diff` on two small captures at most {STARTUP_RATIO}x `python -c pass` (CPU)",
                f"{ratio(startup.ratio)} ({seconds(startup.diffed.cpu)} against {seconds(startup.bare.cpu)}; "
                f"`import diffcore.cli` {seconds(startup.imported.cpu)})",
                startup.ratio <= STARTUP_RATIO,
            )
        )
    return targets


def w2_targets(result: W2Result) -> list[Target]:
    """W2 at 10,000 captures: time, memory, growth from 1,000, flat memory."""
    runs = {run.captures: run for run in result.runs}
    if 10_000 not in runs or 1_000 not in runs:
        return []
    big, small = runs[10_000], runs[1_000]
    targets = [
        Target(
            "W2, N = 10,000: at most 1 GB (the command and its workers)",
            megabytes(big.tree_rss),
            big.tree_rss is not None and big.tree_rss <= GB,
        ),
    ]
    if big.over_parsing is not None:
        targets.append(
            Target(
                f"W2, N = 10,000: the timeline within {TIMELINE_OVER_PARSING}x parsing the same captures alone",
                f"{ratio(big.over_parsing)} ({seconds(big.seconds)} against {seconds(big.parse_seconds)})",
                big.over_parsing <= TIMELINE_OVER_PARSING,
            )
        )
    if big.seconds and small.seconds:
        growth = big.seconds / small.seconds
        targets.append(Target("W2: N = 10,000 takes at most 12x the time of N = 1,000", ratio(growth), growth <= 12))
    if big.tree_rss and small.tree_rss:
        growth = big.tree_rss / small.tree_rss
        identities = f"{small.identities:,} -> {big.identities:,} identities"
        targets.append(
            Target(
                "W2: memory flat in N, snapshots streamed (the peak RSS of the command and its workers under 3x "
                "for 10x the captures)",
                f"{megabytes(small.tree_rss)} -> {megabytes(big.tree_rss)} ({ratio(growth)}; {identities}; "
                f"the command's own process {megabytes(small.max_rss)} -> {megabytes(big.max_rss)})",
                growth < 3,
            )
        )
    return targets


def w3_targets(result: W3Result) -> list[Target]:
    """W3: parsing on one core against the bare split of the same text, judged on the full corpus only."""
    if result.captures < CAPTURES:
        return []
    parse, split = result.rate("parse"), result.rate("regex")
    over = parse.seconds / split.seconds
    return [
        Target(
            f"W3: parsing within {PARSE_OVER_SPLIT:g}x a bare regular-expression split of the same text, one core "
            "(20 MB/s where the split runs at 200 MB/s)",
            f"{ratio(over)} ({throughput(parse.mb_per_s)} against {throughput(split.mb_per_s)})",
            over <= PARSE_OVER_SPLIT,
        )
    ]


W4_GOALS = {
    "lead": (
        "W4: a lead article of 40,000 words edited, diffed in at most 8x {floor}, near-linear growth",
        40_000,
        8.0,
    ),
    "summary": ("W4: an item with a 20,000-word summary edited, diffed in at most 8x {floor}", 20_000, 8.0),
    "counters": ("W4: report --format html with 400 counters in at most 40x {floor}, near-linear growth", 400, 40.0),
    "chart": ("W4: the items chart of 16,000 items in at most 10x {floor}", 16_000, 10.0),
    "captures": ("W4: report --format html of 20,000 captures in at most 6x {floor}", 20_000, 6.0),
}
"""Each W4 case: its goal (`{floor}` is what its time is held to, `bench.w4_growth.FLOORS`), the size it is judged
at, and the most times its floor's time it may take. First set as 2 s for the diffs, 10 s for the counters'
report and the chart, 120 s for 20,000 captures, where the floors took about 0.25 s (Python's start-up and
diffcore's imports, most of it), 0.25 s, 0.03 s and 20 s: 8x, 8x, 40x, 10x (the chart's 300x held tighter) and
6x."""
LINEAR = 1.3
"""The largest growth exponent still called near-linear (n log n and noise included)."""


def w4_targets(result: W4Result) -> list[Target]:
    """W4 at its largest sizes: time, near-linear growth, and memory for the report and `show`."""
    targets = []
    for growth in result.cases:
        name = growth.case.name
        if name in W4_GOALS:
            goal, size, limit = W4_GOALS[name]
            point = growth.point(size)
            if point is None:
                continue
            exponent = growth.exponent
            linear = "near-linear" not in goal or (exponent is not None and exponent <= LINEAR)
            over = point.over_floor
            figures = (
                f"{'—' if over is None else ratio(over)} ({seconds(point.seconds)} against {seconds(point.floor)})"
                + ("" if exponent is None else f"; exponent {exponent:.2f}")
            )
            met = over is not None and over <= limit and linear
            targets.append(Target(goal.format(floor=W4_FLOORS[name]), figures, met))
        if name == "captures" and growth.point(20_000):
            big, small = growth.point(20_000), growth.points[0]
            assert big is not None
            flat = big.max_rss is not None and small.max_rss is not None and big.max_rss < 2 * small.max_rss
            targets.append(
                Target(
                    "W4: report of 20,000 captures in at most 600 MB, memory flat in the captures",
                    f"{megabytes(small.max_rss)} at {small.size:,} -> {megabytes(big.max_rss)}",
                    flat and big.max_rss is not None and big.max_rss <= 600 * 10**6,
                )
            )
        if name == "show" and growth.point(200):
            point = growth.point(200)
            assert point is not None
            targets.append(
                Target(
                    "W4: `show` of a 200 MB capture in at most 1 GB peak RSS",
                    megabytes(point.max_rss),
                    point.max_rss is not None and point.max_rss <= GB,
                )
            )
    return targets


def w5_targets(result: W5Result) -> list[Target]:
    """W5 at full size: HTML to snapshot against the bare extractor; the same snapshots on one core and on every core."""
    if result.pages != PAGES:
        return []
    path, extract, read = result.rate("snapshot"), result.rate("extract"), result.rate("read")
    over = path.seconds / extract.seconds
    return [
        Target(
            f"W5: HTML pages to snapshots in at most {HTML_OVER_EXTRACTOR:g}x the bare extractor's time, one core "
            "(50 MB/s where it takes 0.5 ms a 100 KB page)",
            f"{ratio(over)} ({throughput(path.mb_per_s)} against the extractor's {throughput(extract.mb_per_s)}; "
            f"reading the bytes {throughput(read.mb_per_s)})",
            over <= HTML_OVER_EXTRACTOR,
        ),
        Target(
            "W5: the same snapshots with one worker and with every core, one a page",
            f"{result.snapshots:,} snapshots of {result.pages:,} pages; " + ("same" if result.identical else "differ"),
            result.identical,
        ),
    ]


def w6_targets(result: W6Result) -> list[Target]:
    """W6 at 10,000 captures: time against the bare extractor over the same pages, peak RSS, every capture."""
    runs = {run.captures: run for run in result.runs}
    if 10_000 not in runs:
        return []
    big = runs[10_000]
    over = result.over_extractor(big)
    figures = "—" if over is None else f"{ratio(over)} ({seconds(big.seconds)} against the extractor's "
    if over is not None:
        figures += f"{seconds(result.extractor_per_page * big.captures)} on one core"
        small = runs.get(1_000)
        if small is not None and small.seconds and big.seconds:
            figures += f"; 1,000 captures: {seconds(small.seconds)}, {ratio(big.seconds / small.seconds)} the time"
        figures += ")"
    rss = megabytes(big.max_rss)
    small = runs.get(1_000)
    if small is not None and small.max_rss:
        rss += f" (1,000 captures: {megabytes(small.max_rss)})"
    return [
        Target(
            "W6: 10,000 HTML captures (about 1 GB) in one .warc.gz through `diffcore timeline` on 2 cores in at most "
            f"{WARC_OVER_EXTRACTOR:g}x the bare extractor's time over them on one core (60 s where it takes 0.5 ms "
            "a 100 KB page)",
            figures,
            over is not None and over <= WARC_OVER_EXTRACTOR,
        ),
        Target(
            "W6: 10,000 captures of one .warc.gz in at most 1 GB peak RSS, streamed",
            rss,
            big.max_rss is not None and big.max_rss <= GB,
        ),
        Target(
            "W6: every capture of the .warc.gz in the timeline",
            "—" if big.snapshots is None else f"{big.snapshots:,} / {big.captures:,}",
            big.snapshots == big.captures,
        ),
    ]


def w7_targets(result: W7Result) -> list[Target]:
    """W7 at 10,000 captures: appending one capture, adding all, reading the timeline, the file's size."""
    runs = {run.captures: run for run in result.runs}
    if 10_000 not in runs:
        return []
    run = runs[10_000]
    add_ratio = run.add_all / run.batch if run.add_all and run.batch else None
    read_ratio = run.store_timeline / run.batch if run.store_timeline and run.batch else None
    per_capture = run.batch / run.captures if run.batch else None
    append = run.append_open / per_capture if per_capture else None
    parsed = run.append_parsed / per_capture if per_capture else None
    batch = f"the batch's {seconds(per_capture)} a capture" if per_capture else "the batch's: —"
    return [
        Target(
            f"W7: one more capture added to a store of 10,000 in at most {APPEND_OVER_BATCH:g}x the batch timeline's "
            "time a capture (median, excluding parsing; 5 ms where the batch takes 1.5 ms a capture)",
            f"{ratio(append) if append else '—'} ({seconds(run.append_open)} with the store open, against {batch}; "
            f"{seconds(run.append_reopened)} opening it for the add)",
            append is not None and append <= APPEND_OVER_BATCH,
        ),
        Target(
            f"W7: one more capture added in at most {APPEND_PARSED_OVER_BATCH:g}x the batch's time a capture "
            "including parsing (20 ms where the batch takes 1.5 ms)",
            f"{ratio(parsed) if parsed else '—'} ({seconds(run.append_parsed)})",
            parsed is not None and parsed <= APPEND_PARSED_OVER_BATCH,
        ),
        Target(
            "W7: adding all 10,000 in at most 1.5x the batch timeline",
            f"{seconds(run.add_all)}, {ratio(add_ratio) if add_ratio else '—'} the batch's {seconds(run.batch)}",
            add_ratio is not None and add_ratio <= 1.5,
        ),
        Target(
            f"W7: `store timeline` over 10,000 captures in at most {STORE_TIMELINE_OVER_BATCH:g}x the batch "
            "timeline's time, the batch timeline's output (2 s where the batch takes 15 s)",
            f"{ratio(read_ratio) if read_ratio else '—'} ({seconds(run.store_timeline)}; "
            f"`Store.timeline()` alone {seconds(run.read_timeline)}); "
            + ("the same bytes" if run.same_output else "output differs"),
            read_ratio is not None and read_ratio <= STORE_TIMELINE_OVER_BATCH and run.same_output,
        ),
        Target("W7: the store file of 10,000 captures at most 50 MB", megabytes(run.size), run.size <= 50 * 10**6),
        Target(
            "W7: a backfilled capture folds the tail again and the store verifies",
            f"{seconds(run.backfill)} for {run.backfill_tail:,} captures after it; "
            + ("verify: ok" if run.verified else "verify: problems"),
            run.verified,
        ),
    ]


CROWDED_EXPONENT = 1.15
CROWDED_RATIO = 1.5
CHART_EXPONENT = 1.15
SPEED_UP = 1.4


def w8_targets(result: W8Result) -> list[Target]:
    """W8 at full size: crowded growth and cost against the control, the chart's rows, two workers."""
    if result.smoke:
        return []
    targets = []
    largest = COUNTS[-1]
    control = result.series("spread")
    for dating, name in (("one", "one date"), ("none", "no dates")):
        series = result.series(dating)
        if series is None:
            continue
        exponent = series.exponent()
        low, high = series.runs[-2].size if len(series.runs) > 1 else largest, largest
        targets.append(
            Target(
                f"W8: timeline of crowded captures, {name}: growth exponent at most {CROWDED_EXPONENT} "
                f"({low:,} to {high:,} captures)",
                "—" if exponent is None else f"{exponent:.2f}",
                exponent is not None and exponent <= CROWDED_EXPONENT,
            )
        )
        run, base = series.run(largest), control.run(largest) if control else None
        versus = run.seconds / base.seconds if run and base and run.seconds and base.seconds else None
        targets.append(
            Target(
                f"W8: {largest:,} crowded captures, {name}, within {CROWDED_RATIO}x the time of the control",
                "—"
                if versus is None or run is None or base is None
                else f"{ratio(versus)} ({seconds(run.seconds)} against {seconds(base.seconds)})",
                versus is not None and versus <= CROWDED_RATIO,
            )
        )
    found = [run for series in result.crowded for run in series.runs if run.true is not None]
    if found:
        targets.append(
            Target(
                "W8: crowded timelines find every true identity",
                f"{sum(run.found == run.true for run in found)} of {len(found)} timelines",
                all(run.found == run.true for run in found),
            )
        )
    rows = result.series("rows")
    if rows is not None:
        first, last = rows.runs[0], rows.runs[-1]
        exponent = rows.exponent(first.size, last.size)
        targets.append(
            Target(
                f"W8: the timeline chart, {first.size:,} to {last.size:,} rows: exponent at most {CHART_EXPONENT}",
                "—"
                if exponent is None
                else f"{exponent:.2f} ({seconds(first.seconds)} to {seconds(last.seconds)}, one row per item)",
                exponent is not None and exponent <= CHART_EXPONENT,
            )
        )
    one, two = result.series("1 worker"), result.series("2 workers")
    if one and two and one.runs[0].seconds and two.runs[0].seconds:
        speed = one.runs[0].seconds / two.runs[0].seconds
        same = "same output" if result.same_output else "outputs differ"
        others = [run.others for run in (one.runs[0], two.runs[0]) if run.others is not None]
        if others:
            same += f"; other work took {seconds(max(others))} of CPU meanwhile"
        targets.append(
            Target(
                f"W8: timeline of {WORKERS_CAPTURES:,} captures at least {SPEED_UP}x faster with two workers than one",
                f"{ratio(speed)} ({seconds(one.runs[0].seconds)} against {seconds(two.runs[0].seconds)}; {same})",
                speed >= SPEED_UP and bool(result.same_output),
            )
        )
    return targets


COLLECTION_OVER_PARSING = 1.4
"""W9: the most times building 1,000 pages may take grouping, reading and parsing their captures alone
(`bench.parse_all --pages`) on the same cores. First set as 60 s on 2 cores, where that floor takes 44 s."""
COLLECTION_GROWTH = 2.2
COLLECTION_MEMORY = 1.2
DASK_RATIO = 1.5


def w9_targets(result: W9Result) -> list[Target]:
    """W9 at full size: 1,000 pages in a minute, linear in the pages, memory flat, Dask near the local engine."""
    if result.smoke:
        return []
    targets = []
    base, double = result.run("local", "text", BASE), result.run("local", "text", 2 * BASE)
    if base is not None:
        over: list[float | None] = []
        figures = []
        for form, name in (("text", "text"), ("warc", "WARC")):
            run, floor = result.run("local", form, BASE), result.floor(form, BASE)
            if run is None:
                continue
            over.append(run.seconds / floor if run.seconds and floor else None)
            figures.append(
                f"{name} {'—' if over[-1] is None else ratio(over[-1])} ({seconds(run.seconds)} against "
                f"{seconds(floor)})"
            )
        targets.append(
            Target(
                f"W9: `collection build --engine local` of {BASE:,} pages x 50 captures within "
                f"{COLLECTION_OVER_PARSING:g}x grouping, reading and parsing the same captures alone on the same "
                f"{result.cores} cores (text and WARC; 60 s where that takes 44 s)",
                ", ".join(figures),
                all(value is not None and value <= COLLECTION_OVER_PARSING for value in over),
            )
        )
    if base is not None and double is not None and base.seconds and double.seconds:
        growth = double.seconds / base.seconds
        targets.append(
            Target(
                f"W9: {2 * BASE:,} pages within {COLLECTION_GROWTH}x the time of {BASE:,} (linear in the pages)",
                f"{ratio(growth)} ({seconds(double.seconds)} against {seconds(base.seconds)})",
                growth <= COLLECTION_GROWTH,
            )
        )
    if base is not None and double is not None and base.tree_rss and double.tree_rss:
        growth = double.tree_rss / base.tree_rss
        targets.append(
            Target(
                f"W9: memory flat in the pages: peak RSS (the command and its workers) at {2 * BASE:,} pages within "
                f"{COLLECTION_MEMORY}x that at {BASE:,}",
                f"{megabytes(base.tree_rss)} -> {megabytes(double.tree_rss)} ({ratio(growth)})",
                growth <= COLLECTION_MEMORY,
            )
        )
    for form, name in (("text", "text"), ("warc", "WARC")):
        local, dask = result.run("local", form, BASE), result.run("dask", form, BASE)
        if local is None or dask is None:
            continue
        versus = dask.seconds / local.seconds if dask.seconds and local.seconds else None
        targets.append(
            Target(
                f"W9: `--engine dask` (a LocalCluster of this machine) within {DASK_RATIO}x the local engine, "
                f"{BASE:,} pages, {name}",
                "—"
                if versus is None
                else f"{ratio(versus)} ({seconds(dask.seconds)} against {seconds(local.seconds)})",
                versus is not None and versus <= DASK_RATIO,
            )
        )
    if result.same:
        targets.append(
            Target(
                "W9: the Dask engine's dataset is the local engine's, byte for byte",
                "; ".join(f"{form}: {'the same bytes' if same else 'differs'}" for form, same in result.same),
                all(same for _, same in result.same),
            )
        )
    return targets
