"""The report folder: a change report per consecutive pair, the timeline, an index.

One pass over the captures in date order: each pair's matching serves both
its change report and the timeline. File names come from capture dates and a
sequence number only, never from page text. Nothing in the output depends on
when it was run, so the same inputs give byte-identical folders.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from diffcore.diff import DiffOptions, diff
from diffcore.errors import InputError
from diffcore.load import Inventory, iter_snapshots
from diffcore.match import Matching
from diffcore.model import CaptureRef, CounterChange, Item, Snapshot, SnapshotDiff, Timeline
from diffcore.profile import Profile
from diffcore.timeline import timeline

PAIR_FILE = re.compile(r"^\d{4}_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.(md|json|html)$")
CHANGES = "changes"


@dataclass(frozen=True)
class PairSummary:
    """One line of the index: which pair, its file stem, and what changed, in counts.

    The index needs no more of a pair's report than this, so a folder of
    thousands of pairs holds these rather than every report (see `build`).
    """

    number: int
    stem: str
    old: CaptureRef
    new: CaptureRef
    days_elapsed: int
    added: int
    dropped: int
    edited: int
    moved: int
    unchanged: int
    lead_status: str
    counters: tuple[CounterChange, ...]

    @classmethod
    def of(cls, number: int, stem: str, report: SnapshotDiff) -> PairSummary:
        """The summary of one pair's change report."""
        return cls(number, stem, report.old, report.new, report.days_elapsed, len(report.added),
                   len(report.dropped), len(report.edited), len(report.moved), report.unchanged,
                   report.lead.status, report.counters)

    @property
    def has_changes(self) -> bool:
        """Whether any item was added, dropped, edited or moved (as `SnapshotDiff.has_changes`)."""
        return bool(self.added or self.dropped or self.edited or self.moved)


def pair_stem(number: int, old: Snapshot, new: Snapshot) -> str:
    """A safe file stem for a pair: sequence number and the two capture dates."""
    return f"{number:04d}_{old.captured.isoformat()}_{new.captured.isoformat()}"


@dataclass(frozen=True)
class ReportFolder:
    """What `write_report` wrote: the timeline and the pair summaries."""

    timeline: Timeline
    pairs: tuple[PairSummary, ...]


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(str(path), f"cannot write: {exc.strerror}") from None


def prepare(folder: Path) -> Path:
    """Create the folder and clear the pair files an earlier run left in it."""
    changes = folder / CHANGES
    try:
        changes.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(str(folder), f"cannot create report folder: {exc.strerror}") from None
    for stale in changes.iterdir():
        if stale.is_file() and PAIR_FILE.match(stale.name):
            stale.unlink()
    return changes


def build(snapshots: Iterable[Snapshot], options: DiffOptions,
          on_report: Callable[[PairSummary, SnapshotDiff, Snapshot], None]) -> ReportFolder:
    """Fold the captures into a timeline, handing each pair's summary, change report and newer capture to `on_report`.

    Only the summaries are kept: memory stays flat in the number of captures
    (but for the timeline itself), as each report is written when it is known.
    """
    pairs: list[PairSummary] = []

    def pair(old: Snapshot, new: Snapshot, matching: Matching) -> None:
        number = len(pairs) + 1
        report = diff(old, new, options, matching=matching)
        summary = PairSummary.of(number, pair_stem(number, old, new), report)
        on_report(summary, report, new)
        pairs.append(summary)

    return ReportFolder(timeline(snapshots, options, on_pair=pair), tuple(pairs))


@dataclass
class HtmlPages:
    """Writes each pair's HTML page once the next pair is known, so it can link to it."""

    changes: Path
    _pending: tuple[str, SnapshotDiff, tuple[Item, ...]] | None = None
    _previous: str | None = None

    def add(self, summary: PairSummary, report: SnapshotDiff, new: Snapshot) -> None:
        """Take a pair's report and its newer capture; write the page of the pair before."""
        from diffcore.render.as_html import unchanged_items

        self._flush(summary.stem)
        self._pending = (summary.stem, report, unchanged_items(report, new))

    def close(self) -> None:
        """Write the last page."""
        self._flush(None)

    def _flush(self, next_stem: str | None) -> None:
        from diffcore.render.as_html import Nav, render_diff

        if self._pending is None:
            return
        stem, report, unchanged = self._pending
        nav = Nav("../index.html", self._previous and f"{self._previous}.html",
                  next_stem and f"{next_stem}.html")
        _write(self.changes / f"{stem}.html", render_diff(report, unchanged=unchanged, nav=nav))
        self._previous, self._pending = stem, None


def write_report(inventory: Inventory, folder: str | Path, profile: Profile | None = None,
                 options: DiffOptions | None = None, encoding: str | None = None,
                 progress: Callable[[Iterable[Snapshot]], Iterable[Snapshot]] = lambda s: s,
                 html: bool = False) -> ReportFolder:
    """Write the report folder for the captures of an inventory (see module doc).

    With `html`, also index.html and an HTML change page per pair.
    """
    from diffcore.render import as_csv, as_json, as_markdown
    from diffcore.render.index import render_index_markdown
    from diffcore.render.sections import PRESENCE_MAX_CAPTURES

    folder = Path(folder)
    changes = prepare(folder)
    options = options or DiffOptions()
    pages = HtmlPages(changes) if html else None

    def write_pair(summary: PairSummary, report: SnapshotDiff, new: Snapshot) -> None:
        _write(changes / f"{summary.stem}.md", as_markdown.render_diff(report))
        _write(changes / f"{summary.stem}.json", as_json.render_diff(report))
        if pages is not None:
            pages.add(summary, report, new)

    snapshots = progress(iter_snapshots(inventory, profile, encoding))
    result = build(snapshots, options, write_pair)
    tables: tuple[str, ...] = ("items", "counters", "leads")
    if len(result.timeline.captures) <= PRESENCE_MAX_CAPTURES:
        tables += ("presence",)  # items x captures: grows with the square of the captures
    _write(folder / "timeline.csv", as_csv.render_timeline(result.timeline, ("items",)))
    _write(folder / "counters.csv", as_csv.render_timeline(result.timeline, ("counters",)))
    _write(folder / "timeline.json", as_json.render_timeline(result.timeline, tables))
    _write(folder / "index.md", render_index_markdown(result, inventory))
    _write_html_index(folder, result, inventory, pages)
    return result


def _write_html_index(folder: Path, result: ReportFolder, inventory: Inventory, pages: HtmlPages | None) -> None:
    """Finish the HTML pages and write index.html; without them, drop an earlier run's index.html."""
    from diffcore.render.as_html import render_index

    index = folder / "index.html"
    if pages is None:
        try:
            index.unlink(missing_ok=True)
        except OSError as exc:
            raise InputError(str(index), f"cannot remove: {exc.strerror}") from None
        return
    pages.close()
    _write(index, render_index(result, inventory))
