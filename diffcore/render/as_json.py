"""JSON for programs: plain dicts with a documented, stable shape.

Keys are emitted sorted and dates as ISO 8601 (null when unknown), so the same
input always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

import orjson

from diffcore.model import (
    Capture,
    CaptureRef,
    CounterChange,
    Edit,
    Item,
    LeadChange,
    OtherLines,
    Snapshot,
    SnapshotDiff,
    Timeline,
    TimelineTable,
    WordOp,
)
from diffcore.normalise import source_text

# Version 2 adds the capture record ("capture") to every capture a document names.
SNAPSHOT_SCHEMA = "diffcore.snapshot/2"
DIFF_SCHEMA = "diffcore.diff/2"
TIMELINE_SCHEMA = "diffcore.timeline/2"


def iso(day: dt.date | None) -> str | None:
    """ISO 8601 date or None."""
    return day.isoformat() if day else None


def item_dict(item: Item) -> dict[str, Any]:
    """An item as the JSON contracts show it."""
    return {
        "id": item.id,
        "published": iso(item.published),
        "published_text": item.published_text,
        "title": item.title,
        "summary": item.summary_text,
        "position": item.position,
        "link": item.link,
    }


def capture_dict(capture: Capture | None) -> dict[str, Any] | None:
    """The capture record: where a capture came from, when it was taken and by what that was known."""
    if capture is None:
        return None
    source = capture.source
    return {
        "url": capture.url,
        "captured_at": capture.captured_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "time_source": capture.time_source,
        "source": {
            "path": source_text(source.path),
            "offset": source.offset,
            "payload_offset": source.payload_offset,
            "payload_path": None if source.payload_path is None else source_text(source.payload_path),
            "repository": None if source.repository is None else source_text(source.repository),
            "commit": source.commit,
        },
        "media_type": capture.media_type,
        "charset": capture.charset,
        "digest": capture.digest,
    }


def capture_ref_dict(ref: CaptureRef) -> dict[str, Any]:
    """One capture named in a diff or a timeline: its source, the page's date and clock, its capture record."""
    return {
        "source": ref.source,
        "captured": iso(ref.captured),
        "capture_time": ref.capture_time,
        "capture": capture_dict(ref.capture),
        "warnings": list(ref.warnings),
    }


def snapshot_dict(snapshot: Snapshot) -> dict[str, Any]:
    """The `diffcore show --format json` document."""
    header = snapshot.header
    lead = snapshot.lead
    return {
        "schema": SNAPSHOT_SCHEMA,
        "source": snapshot.source,
        "captured": iso(header.captured),
        "capture_time": header.capture_time,
        "capture": capture_dict(snapshot.capture),
        "clocks": [{"place": c.place, "time": c.time} for c in header.clocks],
        "fields": [{"label": f.label, "value": f.value} for f in header.fields],
        "counters": [{"label": c.label, "value": c.value, "unit": c.unit, "text": c.text} for c in header.counters],
        "lead": None if lead is None else {"title": lead.title, "paragraphs": list(lead.paragraphs)},
        "items": [item_dict(item) for item in snapshot.items],
        "footer": snapshot.footer,
        "unparsed": [{"line": u.line, "text": u.text} for u in snapshot.unparsed],
        "ignored": [{"line": u.line, "text": u.text} for u in snapshot.ignored],
        "sections": [{"line": u.line, "text": u.text} for u in snapshot.sections],
        "warnings": list(snapshot.warnings),
    }


def ops_list(ops: tuple[WordOp, ...]) -> list[dict[str, str]]:
    """Word opcodes as [{"op", "old", "new"}]."""
    return [{"op": op.tag, "old": op.old, "new": op.new} for op in ops]


def counter_dict(change: CounterChange) -> dict[str, Any]:
    """A counter row of the diff contract."""
    return {
        "label": change.label,
        "unit": change.unit,
        "status": change.status,
        "old": change.old,
        "new": change.new,
        "delta": change.delta,
        "days_elapsed": change.days_elapsed,
        "consistent": change.consistent,
        "old_start": iso(change.old_start),
        "new_start": iso(change.new_start),
    }


def edit_dict(edit: Edit) -> dict[str, Any]:
    """An edited item of the diff contract."""
    return {
        "old": item_dict(edit.old),
        "new": item_dict(edit.new),
        "similarity": edit.similarity,
        "kinds": list(edit.kinds),
        "changes": {"title": ops_list(edit.title), "summary": ops_list(edit.summary)},
    }


def lead_dict(lead: LeadChange) -> dict[str, Any]:
    """The lead article section of the diff contract."""
    return {
        "status": lead.status,
        "old_title": lead.old_title,
        "new_title": lead.new_title,
        "similarity": lead.similarity,
        "changes": {"title": ops_list(lead.title), "text": ops_list(lead.text)},
        "promoted_from": item_dict(lead.promoted_from) if lead.promoted_from else None,
        "demoted_to": item_dict(lead.demoted_to) if lead.demoted_to else None,
    }


def other_dict(other: OtherLines) -> dict[str, Any]:
    """Unparsed lines (and section headings) removed and added, the footer in each capture when it changed
    (else null), and ignored lines removed and added."""
    footer = None if other.footer is None else {"old": other.footer[0], "new": other.footer[1]}
    ignored = {"removed": list(other.ignored_removed), "added": list(other.ignored_added)}
    return {"removed": list(other.removed), "added": list(other.added), "footer": footer, "ignored": ignored}


def diff_dict(report: SnapshotDiff) -> dict[str, Any]:
    """The `diffcore diff --format json` document; "chunked" only when texts were aligned in chunks."""
    document: dict[str, Any] = {
        "schema": DIFF_SCHEMA,
        "old": capture_ref_dict(report.old),
        "new": capture_ref_dict(report.new),
        "days_elapsed": report.days_elapsed,
        "clocks": [{"place": c.place, "old": c.old, "new": c.new} for c in report.clocks],
        "fields": [{"label": f.label, "status": f.status, "old": f.old, "new": f.new} for f in report.fields],
        "counters": [counter_dict(change) for change in report.counters],
        "lead": lead_dict(report.lead),
        "added": [item_dict(item) for item in report.added],
        "dropped": [item_dict(item) for item in report.dropped],
        "edited": [edit_dict(edit) for edit in report.edited],
        "moved": [
            {
                "item": item_dict(move.item),
                "old_id": move.old_id,
                "old_position": move.old_position,
                "new_position": move.new_position,
            }
            for move in report.moved
        ],
        "unchanged": report.unchanged,
        "other": other_dict(report.other),
        "warnings": list(report.warnings),
        "changed": report.has_changes,
    }
    if report.chunked:
        document["chunked"] = list(report.chunked)
    return document


_ENCODER = json.JSONEncoder(indent=2, sort_keys=True, ensure_ascii=False)
_ORJSON_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS


def dumps(document: Any) -> str:
    """Stable JSON text: sorted keys, two-space indent, UTF-8 kept readable."""
    return json_text(document) + "\n"


def json_text(value: Any) -> str:
    """`json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)`: the same text, about ten times faster.

    orjson writes it (Python's own encoder runs in Python when it indents);
    where orjson would write other text (a float printed in exponent form by
    Python, a string with lone surrogates, a key that is not a string, an
    integer past 64 bits), Python's encoder writes it, into one buffer as
    the pieces come.
    """
    if _plain_floats(value):
        try:
            return orjson.dumps(value, option=_ORJSON_OPTIONS).decode("utf-8")
        except (orjson.JSONEncodeError, TypeError):
            pass
    out = io.StringIO()
    out.writelines(_ENCODER.iterencode(value))
    return out.getvalue()


def _plain_floats(value: Any) -> bool:
    """Whether every float in `value` prints alike in orjson and Python (no exponent, no NaN or infinity)."""
    stack = [value]
    while stack:
        found = stack.pop()
        if isinstance(found, str):
            continue
        if isinstance(found, dict):
            stack.extend(found.values())
        elif isinstance(found, list | tuple):
            stack.extend(found)
        elif isinstance(found, float) and found != 0.0 and not 1e-4 <= abs(found) < 1e16:
            return False  # also NaN, which compares false with everything
    return True


def render_snapshot(snapshot: Snapshot) -> str:
    """`show --format json`."""
    return "".join(stream_snapshot(snapshot))


def stream_snapshot(snapshot: Snapshot) -> Iterator[str]:
    """`show --format json` in pieces, an item at a time: the bytes of `dumps(snapshot_dict(snapshot))`.

    A capture of a million items is written without its whole document, or
    its whole text, ever being in memory.
    """
    document = snapshot_dict(replace(snapshot, items=()))
    lists = {"items": map(item_dict, snapshot.items)}
    yield from _stream_document(document, lists)


def _stream_document(document: dict[str, Any], lists: Mapping[str, Iterable[dict[str, Any]]]) -> Iterator[str]:
    """`dumps` of `document` with the keys of `lists` set to their records, written a record at a time."""
    yield "{\n"
    for index, key in enumerate(sorted({*document, *lists})):
        yield ",\n  " if index else "  "
        yield json.dumps(key, ensure_ascii=False) + ": "
        if key in lists:
            yield from _records_list(lists[key])
        else:
            yield _nested(document[key], 1)
    yield "\n}\n"


def _nested(value: Any, depth: int) -> str:
    """`value` as `dumps` writes it `depth` levels down (no JSON string holds a raw line break)."""
    return json_text(value).replace("\n", "\n" + "  " * depth)


def _records_list(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """A list of records as `dumps` writes it one level down, a record at a time."""
    empty = True
    for record in records:
        yield ("[\n    " if empty else ",\n    ") + _nested(record, 2)
        empty = False
    yield "[]" if empty else "\n  ]"


def render_diff(report: SnapshotDiff) -> str:
    """`diff --format json`."""
    return dumps(diff_dict(report))


def timeline_dict(timeline: Timeline, tables: Sequence[TimelineTable]) -> dict[str, Any]:
    """The `diffcore timeline --format json` document as one dict, for library users: the chosen tables as records
    (diffcore writes the same document in pieces, `stream_timeline`).

    Counters come as one record per reading (long form), which suits scripts
    better than the spreadsheet's one column per counter.
    """
    from diffcore.render.as_csv import records

    document: dict[str, Any] = {"schema": TIMELINE_SCHEMA, "captures": list(map(capture_ref_dict, timeline.captures))}
    for table in tables:
        document[table] = records(timeline, _records_table(table))
    return document


def _records_table(table: TimelineTable) -> str:
    """The records a timeline table is written as: counters in long form, one per reading."""
    return "readings" if table == "counters" else table


def render_timeline(timeline: Timeline, tables: Sequence[TimelineTable]) -> str:
    """`timeline --format json`."""
    return "".join(stream_timeline(timeline, tables))


def stream_timeline(timeline: Timeline, tables: Sequence[TimelineTable]) -> Iterator[str]:
    """`timeline --format json` in pieces: the bytes of `dumps(timeline_dict(timeline, tables))`.

    Records are made a slice of rows at a time as they are written, so the
    document of a timeline of many thousand captures is never whole in memory.
    """
    from diffcore.render.as_csv import iter_records

    lists: dict[str, Iterable[dict[str, Any]]] = {"captures": map(capture_ref_dict, timeline.captures)}
    for table in tables:
        lists[table] = iter_records(timeline, _records_table(table))
    yield from _stream_document({"schema": TIMELINE_SCHEMA}, lists)
