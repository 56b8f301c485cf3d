"""What a report folder holds: a summary per consecutive pair, and the timeline.

The index renderers read these; `diffcore.folder` builds them while it writes
the folder.
"""

from __future__ import annotations

from dataclasses import dataclass

from diffcore.model.pickling import ByFields
from diffcore.model.report import CaptureRef, CounterChange, LeadStatus, SnapshotDiff
from diffcore.model.timeline import Timeline

CHANGES = "changes"
"""The subfolder of a report folder that holds one change report per pair."""


@dataclass(frozen=True, slots=True)
class PairSummary(ByFields):
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
    lead_status: LeadStatus
    counters: tuple[CounterChange, ...]

    @classmethod
    def of(cls, number: int, stem: str, report: SnapshotDiff) -> PairSummary:
        """The summary of one pair's change report."""
        return cls(
            number,
            stem,
            report.old,
            report.new,
            report.days_elapsed,
            len(report.added),
            len(report.dropped),
            len(report.edited),
            len(report.moved),
            report.unchanged,
            report.lead.status,
            report.counters,
        )

    @property
    def counts(self) -> dict[str, int]:
        """Items added, dropped, edited, moved and unchanged, by kind (as `SnapshotDiff.counts`)."""
        return {
            "added": self.added,
            "dropped": self.dropped,
            "edited": self.edited,
            "moved": self.moved,
            "unchanged": self.unchanged,
        }

    @property
    def has_changes(self) -> bool:
        """Whether any item was added, dropped, edited or moved (as `SnapshotDiff.has_changes`)."""
        return bool(self.added or self.dropped or self.edited or self.moved)


@dataclass(frozen=True, slots=True)
class ReportFolder(ByFields):
    """What `write_report` wrote: the timeline and the pair summaries."""

    timeline: Timeline
    pairs: tuple[PairSummary, ...]
