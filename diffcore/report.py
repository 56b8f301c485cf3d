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
from diffcore.model import Snapshot, SnapshotDiff, Timeline
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


Writer = Callable[[Path, str], None]


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
          on_report: Callable[[PairSummary], None]) -> ReportFolder:
    """Fold the captures into a timeline, handing each pair's change report to `on_report`."""
    pairs: list[PairSummary] = []

    def pair(old: Snapshot, new: Snapshot, matching: Matching) -> None:
        number = len(pairs) + 1
        summary = PairSummary(number, pair_stem(number, old, new), diff(old, new, options, matching=matching))
        on_report(summary)
        pairs.append(summary)

    return ReportFolder(timeline(snapshots, options, on_pair=pair), tuple(pairs))


def write_report(inventory: Inventory, folder: str | Path, profile: Profile | None = None,
                 options: DiffOptions | None = None, encoding: str | None = None,
                 progress: Callable[[Iterable[Snapshot]], Iterable[Snapshot]] = lambda s: s) -> ReportFolder:
    """Write the report folder for the captures of an inventory (see module doc)."""
    from diffcore.render import as_csv, as_json, as_markdown
    from diffcore.render.index import render_index_markdown

    folder = Path(folder)
    changes = prepare(folder)
    options = options or DiffOptions()

    def write_pair(summary: PairSummary) -> None:
        _write(changes / f"{summary.stem}.md", as_markdown.render_diff(summary.report))
        _write(changes / f"{summary.stem}.json", as_json.render_diff(summary.report))

    snapshots = progress(iter_snapshots(inventory, profile, encoding))
    result = build(snapshots, options, write_pair)
    tables = ("items", "counters", "leads", "presence")
    _write(folder / "timeline.csv", as_csv.render_timeline(result.timeline, ("items",)))
    _write(folder / "counters.csv", as_csv.render_timeline(result.timeline, ("counters",)))
    _write(folder / "timeline.json", as_json.render_timeline(result.timeline, tables))
    _write(folder / "index.md", render_index_markdown(result, inventory))
    return result
