"""The frozen dataclasses every stage reads: a snapshot, a change report, a timeline, a report folder.

- `capture`: where and when a capture was taken (`Capture`, `Source`);
- `snapshot`: one capture normalised (header, lead, items, unparsed lines);
- `report`: the change report between two captures (`SnapshotDiff`);
- `timeline`: item histories, lead spans and counter readings over captures;
- `folder`: the per-pair summaries of a report folder.

Each name is imported from its module on first use: `diffcore diff` makes no
timeline or report-folder classes (a frozen dataclass costs about a
millisecond to make at import).
"""

from typing import TYPE_CHECKING

from diffcore._lazy import lazy_names

if TYPE_CHECKING:
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

_HOMES = {
    "Capture": "diffcore.model.capture",
    "FEED_TYPES": "diffcore.model.capture",
    "MediaType": "diffcore.model.capture",
    "Source": "diffcore.model.capture",
    "TIME_SOURCES": "diffcore.model.capture",
    "TimeSource": "diffcore.model.capture",
    "clock_order": "diffcore.model.capture",
    "CHANGES": "diffcore.model.folder",
    "PairSummary": "diffcore.model.folder",
    "ReportFolder": "diffcore.model.folder",
    "CaptureRef": "diffcore.model.report",
    "ClockChange": "diffcore.model.report",
    "CounterChange": "diffcore.model.report",
    "CounterStatus": "diffcore.model.report",
    "Edit": "diffcore.model.report",
    "EditKind": "diffcore.model.report",
    "FieldChange": "diffcore.model.report",
    "FieldStatus": "diffcore.model.report",
    "LeadChange": "diffcore.model.report",
    "LeadStatus": "diffcore.model.report",
    "Move": "diffcore.model.report",
    "OpTag": "diffcore.model.report",
    "OtherLines": "diffcore.model.report",
    "SnapshotDiff": "diffcore.model.report",
    "WordOp": "diffcore.model.report",
    "Clock": "diffcore.model.snapshot",
    "DAYS_PER_UNIT": "diffcore.model.snapshot",
    "Field": "diffcore.model.snapshot",
    "Header": "diffcore.model.snapshot",
    "HeaderCounter": "diffcore.model.snapshot",
    "Item": "diffcore.model.snapshot",
    "Lead": "diffcore.model.snapshot",
    "NO_TITLE": "diffcore.model.snapshot",
    "Snapshot": "diffcore.model.snapshot",
    "Unparsed": "diffcore.model.snapshot",
    "capture_order": "diffcore.model.snapshot",
    "CounterReading": "diffcore.model.timeline",
    "ItemHistory": "diffcore.model.timeline",
    "LeadSpan": "diffcore.model.timeline",
    "PRESENCE_MAX_CAPTURES": "diffcore.model.timeline",
    "SUMMARY_TABLES": "diffcore.model.timeline",
    "TIMELINE_TABLES": "diffcore.model.timeline",
    "Timeline": "diffcore.model.timeline",
    "TimelineTable": "diffcore.model.timeline",
    "capture_labels": "diffcore.model.timeline",
    "counter_labels": "diffcore.model.timeline",
    "summary_tables": "diffcore.model.timeline",
}


__getattr__, __dir__ = lazy_names(__name__, _HOMES)


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
