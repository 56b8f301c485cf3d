"""The report folder: a change report per consecutive pair, the timeline, an index.

One pass over the captures in date order: each pair's matching serves both
its change report and the timeline. File names come from capture dates and a
sequence number only, never from page text. Nothing in the output depends on
when it was run, so the same inputs give byte-identical folders.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from diffcore.diff import DiffOptions, diff
from diffcore.load import Inventory, iter_snapshots
from diffcore.match import Matching
from diffcore.model import CHANGES, PairSummary, ReportFolder, Snapshot, SnapshotDiff, summary_tables
from diffcore.profile import Profile
from diffcore.timeline import timeline

INDEXES = ("index.md", "index.html")
"""Put in place after every other file, so an index never links to a file not yet there."""


def pair_stem(number: int, old: Snapshot, new: Snapshot) -> str:
    """A safe file stem for a pair: sequence number and the two capture dates."""
    return f"{number:04d}_{old.captured.isoformat()}_{new.captured.isoformat()}"


def build(snapshots: Iterable[Snapshot], options: DiffOptions,
          on_report: Callable[[PairSummary, SnapshotDiff], None]) -> ReportFolder:
    """Fold the captures into a timeline, handing each pair's summary and change report to `on_report`.

    Only the summaries are kept: memory stays flat in the number of captures
    (but for the timeline itself), as each report is written when it is known.
    """
    pairs: list[PairSummary] = []

    def pair(old: Snapshot, new: Snapshot, matching: Matching) -> None:
        number = len(pairs) + 1
        report = diff(old, new, options, matching=matching)
        summary = PairSummary.of(number, pair_stem(number, old, new), report)
        on_report(summary, report)
        pairs.append(summary)

    return ReportFolder(timeline(snapshots, options, on_pair=pair), tuple(pairs))


@dataclass
class HtmlPages:
    """Writes each pair's HTML page once the next pair is known, so it can link to it."""

    write: Callable[[str, str], None]
    _pending: tuple[str, SnapshotDiff] | None = None
    _previous: str | None = None

    def add(self, summary: PairSummary, report: SnapshotDiff) -> None:
        """Take a pair's report; write the page of the pair before."""
        self._flush(summary.stem)
        self._pending = (summary.stem, report)

    def close(self) -> None:
        """Write the last page."""
        self._flush(None)

    def _flush(self, next_stem: str | None) -> None:
        from diffcore.render.as_html import Nav, render_diff

        if self._pending is None:
            return
        stem, report = self._pending
        nav = Nav("../index.html", self._previous and f"{self._previous}.html",
                  next_stem and f"{next_stem}.html")
        self.write(f"{CHANGES}/{stem}.html", render_diff(report, nav))
        self._previous, self._pending = stem, None


def write_report(inventory: Inventory, folder: str | Path, profile: Profile | None = None,
                 options: DiffOptions | None = None, encoding: str | None = None,
                 progress: Callable[[Iterable[Snapshot]], Iterable[Snapshot]] = lambda s: s,
                 html: bool = False, force: bool = False, inputs: Iterable[str | Path] = ()) -> ReportFolder:
    """Write the report folder for the captures of an inventory (see module doc).

    With `html`, also index.html and an HTML change page per pair. The folder
    is written as `diffcore.output.report_folder` says: whole or not at all,
    never over an input (the inventory's files and `inputs`, such as a
    profile) nor over a file diffcore did not write (`force` writes beside them).
    """
    from diffcore.output import report_folder
    from diffcore.render import as_csv, as_json, as_markdown
    from diffcore.render.index import render_index_markdown

    options = options or DiffOptions()
    read = [*(capture.path for capture in inventory.captures),
            *(duplicate.path for duplicate in inventory.duplicates), *inputs]
    with report_folder(folder, read, force=force, last=INDEXES) as out:
        pages = HtmlPages(out.write) if html else None

        def write_pair(summary: PairSummary, report: SnapshotDiff) -> None:
            out.write(f"{CHANGES}/{summary.stem}.md", as_markdown.render_diff(report))
            out.write(f"{CHANGES}/{summary.stem}.json", as_json.render_diff(report))
            if pages is not None:
                pages.add(summary, report)

        snapshots = progress(iter_snapshots(inventory, profile, encoding))
        result = build(snapshots, options, write_pair)
        tables = summary_tables(len(result.timeline.captures))
        out.write("timeline.csv", as_csv.render_timeline(result.timeline, ("items",)))
        out.write("counters.csv", as_csv.render_timeline(result.timeline, ("counters",)))
        out.write("timeline.json", as_json.render_timeline(result.timeline, tables))
        out.write("index.md", render_index_markdown(result, inventory))
        if pages is not None:
            from diffcore.render.as_html import render_index

            pages.close()
            out.write("index.html", render_index(result, inventory))
    return result
