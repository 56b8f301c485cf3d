"""The frozen dataclasses every stage reads: a snapshot, a change report, a timeline, a report folder.

- `capture`: where and when a capture was taken (`Capture`, `Source`);
- `snapshot`: one capture normalised (header, lead, items, unparsed lines);
- `report`: the change report between two captures (`SnapshotDiff`);
- `timeline`: item histories, lead spans and counter readings over captures;
- `folder`: the per-pair summaries of a report folder.
"""

from diffcore.model.capture import FEED_TYPES, TIME_SOURCES, Capture, MediaType, Source, TimeSource, clock_order
from diffcore.model.folder import CHANGES, PairSummary, ReportFolder
from diffcore.model.report import (
    CaptureRef,
    ClockChange,
    CounterChange,
    CounterStatus,
    Edit,
    EditKind,
    FieldChange,
    FieldStatus,
    LeadChange,
    LeadStatus,
    Move,
    OpTag,
    OtherLines,
    SnapshotDiff,
    WordOp,
)
from diffcore.model.snapshot import (
    DAYS_PER_UNIT,
    NO_TITLE,
    Clock,
    Field,
    Header,
    HeaderCounter,
    Item,
    Lead,
    Snapshot,
    Unparsed,
    capture_order,
)
from diffcore.model.timeline import (
    PRESENCE_MAX_CAPTURES,
    SUMMARY_TABLES,
    TIMELINE_TABLES,
    CounterReading,
    ItemHistory,
    LeadSpan,
    Timeline,
    TimelineTable,
    capture_labels,
    counter_labels,
    summary_tables,
)

__all__ = [
    "CHANGES",
    "DAYS_PER_UNIT",
    "FEED_TYPES",
    "NO_TITLE",
    "PRESENCE_MAX_CAPTURES",
    "SUMMARY_TABLES",
    "TIMELINE_TABLES",
    "TIME_SOURCES",
    "Capture",
    "CaptureRef",
    "Clock",
    "ClockChange",
    "CounterChange",
    "CounterReading",
    "CounterStatus",
    "Edit",
    "EditKind",
    "Field",
    "FieldChange",
    "FieldStatus",
    "Header",
    "HeaderCounter",
    "Item",
    "ItemHistory",
    "Lead",
    "LeadChange",
    "LeadSpan",
    "LeadStatus",
    "MediaType",
    "Move",
    "OpTag",
    "OtherLines",
    "PairSummary",
    "ReportFolder",
    "Snapshot",
    "SnapshotDiff",
    "Source",
    "TimeSource",
    "Timeline",
    "TimelineTable",
    "Unparsed",
    "WordOp",
    "capture_labels",
    "capture_order",
    "clock_order",
    "counter_labels",
    "summary_tables",
]
