"""The report folder: a change report per consecutive pair, the timeline, an index.

One pass over the captures in date order: each pair's matching serves both
its change report and the timeline. File names come from capture dates and a
sequence number only, never from page text. Nothing in the output depends on
when it was run, so the same inputs give byte-identical folders.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from diffcore._pool import alongside, ordered_map, workers_for
from diffcore.diff import DiffOptions, diff
from diffcore.load import Inventory, iter_snapshots
from diffcore.model import CHANGES, PairSummary, ReportFolder, Snapshot, SnapshotDiff, summary_tables
from diffcore.output import FolderFiles
from diffcore.profile import Profile
from diffcore.timeline import TimelineBuilder, fold

INDEXES = ("index.md", "index.html")
"""Put in place after every other file, so an index never links to a file not yet there."""


def pair_stem(number: int, old: Snapshot, new: Snapshot) -> str:
    """A safe file stem for a pair: sequence number and the two capture dates."""
    return f"{number:04d}_{old.captured.isoformat()}_{new.captured.isoformat()}"


@dataclass
class Fold:
    """The one pass over the captures: each pair's summary and change report, and the timeline."""

    options: DiffOptions
    pairs: list[PairSummary] = field(default_factory=list)
    _builder: TimelineBuilder = field(init=False)

    def __post_init__(self) -> None:
        self._builder = TimelineBuilder(self.options)

    def reports(self, snapshots: Iterable[Snapshot]) -> Iterator[tuple[PairSummary, SnapshotDiff]]:
        """Fold in the captures, yielding each pair's summary and change report as it is known.

        Only the summaries are kept: memory stays flat in the number of
        captures (but for the timeline itself).
        """
        for old, new, matching in fold(snapshots, self._builder):
            number = len(self.pairs) + 1
            report = diff(old, new, self.options, matching=matching)
            summary = PairSummary.of(number, pair_stem(number, old, new), report)
            self.pairs.append(summary)
            yield summary, report

    def result(self) -> ReportFolder:
        """The timeline and the summaries of every pair folded in."""
        return ReportFolder(self._builder.result(), tuple(self.pairs))


def build(
    snapshots: Iterable[Snapshot], options: DiffOptions, on_report: Callable[[PairSummary, SnapshotDiff], None]
) -> ReportFolder:
    """Fold the captures into a timeline, handing each pair's summary and change report to `on_report`."""
    folding = Fold(options)
    for summary, report in folding.reports(snapshots):
        on_report(summary, report)
    return folding.result()


@dataclass(frozen=True)
class PairFiles:
    """All that one pair's files need: its change report, and its neighbours' stems for the page links."""

    stem: str
    report: SnapshotDiff
    previous: str | None
    next: str | None


def with_neighbours(reports: Iterable[tuple[PairSummary, SnapshotDiff]]) -> Iterator[PairFiles]:
    """Each pair once the next one is known (one pair behind), with its neighbours' stems."""
    previous: str | None = None
    pending: tuple[PairSummary, SnapshotDiff] | None = None
    for summary, report in reports:
        if pending is not None:
            yield PairFiles(pending[0].stem, pending[1], previous, summary.stem)
            previous = pending[0].stem
        pending = summary, report
    if pending is not None:
        yield PairFiles(pending[0].stem, pending[1], previous, None)


def write_pair(files: FolderFiles, html: bool, pair: PairFiles) -> tuple[str, ...]:
    """Render and write one pair's change report, as Markdown, JSON and with `html` a page; the names written.

    Runs in a worker process for many captures, hence a module-level function.
    """
    from diffcore.render import as_json, as_markdown
    from diffcore.render.as_html import Nav, render_diff

    stem, report = f"{CHANGES}/{pair.stem}", pair.report
    outputs = [(f"{stem}.md", as_markdown.render_diff(report)), (f"{stem}.json", as_json.render_diff(report))]
    if html:
        nav = Nav("../index.html", pair.previous and f"{pair.previous}.html", pair.next and f"{pair.next}.html")
        outputs.append((f"{stem}.html", render_diff(report, nav)))
    for name, text in outputs:
        files.write(name, text)
    return tuple(name for name, _ in outputs)


def write_index_page(files: FolderFiles, result: ReportFolder, inventory: Inventory) -> tuple[str, ...]:
    """Render and write index.html; the names written (run in a process of its own for many captures)."""
    from diffcore.render.as_html import render_index

    files.write("index.html", render_index(result, inventory))
    return ("index.html",)


def write_report(
    inventory: Inventory,
    folder: str | Path,
    profile: Profile | None = None,
    options: DiffOptions | None = None,
    encoding: str | None = None,
    progress: Callable[[Iterable[Snapshot]], Iterable[Snapshot]] = lambda s: s,
    html: bool = False,
    force: bool = False,
    inputs: Iterable[str | Path] = (),
    workers: int | None = None,
    snapshots: Iterable[Snapshot] | None = None,
) -> ReportFolder:
    """Write the report folder for the captures of an inventory (see module doc).

    With `html`, also index.html and an HTML change page per pair. The folder
    is written as `diffcore.output.report_folder` says: whole or not at all,
    never over an input (the inventory's files and `inputs`, such as a
    profile) nor over a file diffcore did not write (`force` writes beside them).
    For many captures the pairs' files are rendered and written in worker
    processes (`workers`; 1 keeps to this process) while this one parses,
    matches and diffs the next pairs, and index.html in a process of its own
    while this one writes the other indexes; the folder is the same either way.
    `snapshots` are the inventory's captures already parsed (a history store's),
    read in their place.
    """
    from diffcore.output import report_folder
    from diffcore.render import as_csv, as_json
    from diffcore.render.index import stream_index_markdown

    read = [
        *inventory.files(),
        *inputs,
    ]
    count = workers_for(len(inventory.captures), workers)
    with report_folder(folder, read, force=force, last=INDEXES) as out:
        folding = Fold(options or DiffOptions())
        if snapshots is None:
            snapshots = iter_snapshots(inventory, profile, encoding)
        pairs = with_neighbours(folding.reports(progress(snapshots)))
        # Closed on the way out, Ctrl-C included: its workers write into the temporary folder, and must have
        # stopped before `report_folder` removes it.
        with closing(ordered_map(partial(write_pair, out.files, html), pairs, count, batch=16, ahead=2)) as written:
            for names in written:
                out.record(names)
        result = folding.result()
        with alongside(partial(write_index_page, out.files, result, inventory), html and count > 1) as index_page:
            out.write_pieces("timeline.csv", as_csv.stream_timeline(result.timeline, ("items",)))
            out.write_pieces("counters.csv", as_csv.stream_timeline(result.timeline, ("counters",)))
            tables = summary_tables(len(result.timeline.captures))
            out.write_pieces("timeline.json", as_json.stream_timeline(result.timeline, tables))
            out.write_pieces("index.md", stream_index_markdown(result, inventory))
            if html:
                out.record(index_page())
    return result
