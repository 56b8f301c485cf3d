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
from diffcore.model import Item, Snapshot, SnapshotDiff, Timeline
from diffcore.profile import Profile
from diffcore.timeline import timeline

PAIR_FILE = re.compile(r"^\d{4}_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.(md|json|html)$")
CHANGES = "changes"


@dataclass(frozen=True)
class PairSummary:
    """One line of the index: which pair, its file stem, and what changed."""

    number: int
    stem: str
    report: SnapshotDiff


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
          on_report: Callable[[PairSummary, Snapshot], None]) -> ReportFolder:
    """Fold the captures into a timeline, handing each pair's change report and newer capture to `on_report`."""
    pairs: list[PairSummary] = []

    def pair(old: Snapshot, new: Snapshot, matching: Matching) -> None:
        number = len(pairs) + 1
        summary = PairSummary(number, pair_stem(number, old, new), diff(old, new, options, matching=matching))
        on_report(summary, new)
        pairs.append(summary)

    return ReportFolder(timeline(snapshots, options, on_pair=pair), tuple(pairs))


@dataclass
class HtmlPages:
    """Writes each pair's HTML page once the next pair is known, so it can link to it."""

    changes: Path
    _pending: tuple[PairSummary, tuple[Item, ...]] | None = None
    _previous: str | None = None

    def add(self, summary: PairSummary, new: Snapshot) -> None:
        """Take a pair's report and its newer capture; write the page of the pair before."""
        from diffcore.render.as_html import unchanged_items

        self._flush(summary.stem)
        self._pending = (summary, unchanged_items(summary.report, new))

    def close(self) -> None:
        """Write the last page."""
        self._flush(None)

    def _flush(self, next_stem: str | None) -> None:
        from diffcore.render.as_html import Nav, render_diff

        if self._pending is None:
            return
        summary, unchanged = self._pending
        nav = Nav("../index.html", self._previous and f"{self._previous}.html",
                  next_stem and f"{next_stem}.html")
        _write(self.changes / f"{summary.stem}.html", render_diff(summary.report, unchanged=unchanged, nav=nav))
        self._previous, self._pending = summary.stem, None


def write_report(inventory: Inventory, folder: str | Path, profile: Profile | None = None,
                 options: DiffOptions | None = None, encoding: str | None = None,
                 progress: Callable[[Iterable[Snapshot]], Iterable[Snapshot]] = lambda s: s,
                 html: bool = False) -> ReportFolder:
    """Write the report folder for the captures of an inventory (see module doc).

    With `html`, also index.html and an HTML change page per pair.
    """
    from diffcore.render import as_csv, as_json, as_markdown
    from diffcore.render.index import render_index_markdown

    folder = Path(folder)
    changes = prepare(folder)
    options = options or DiffOptions()
    pages = HtmlPages(changes) if html else None

    def write_pair(summary: PairSummary, new: Snapshot) -> None:
        _write(changes / f"{summary.stem}.md", as_markdown.render_diff(summary.report))
        _write(changes / f"{summary.stem}.json", as_json.render_diff(summary.report))
        if pages is not None:
            pages.add(summary, new)

    snapshots = progress(iter_snapshots(inventory, profile, encoding))
    result = build(snapshots, options, write_pair)
    tables = ("items", "counters", "leads", "presence")
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
