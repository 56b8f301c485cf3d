"""JSON for programs: plain dicts with a documented, stable shape.

Keys are emitted sorted and dates as ISO 8601 (null when unknown), so the same
input always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from diffcore.model import Item, Snapshot

SNAPSHOT_SCHEMA = "diffcore.snapshot/1"


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
        "clocks": [{"place": c.place, "time": c.time} for c in header.clocks],
        "fields": [{"label": f.label, "value": f.value} for f in header.fields],
        "counters": [
            {"label": c.label, "value": c.value, "unit": c.unit, "text": c.text}
            for c in header.counters
        ],
        "lead": None if lead is None else {"title": lead.title, "paragraphs": list(lead.paragraphs)},
        "items": [item_dict(item) for item in snapshot.items],
        "footer": snapshot.footer,
        "unparsed": [{"line": u.line, "text": u.text} for u in snapshot.unparsed],
        "warnings": list(snapshot.warnings),
    }


def dumps(document: Any) -> str:
    """Stable JSON text: sorted keys, two-space indent, UTF-8 kept readable."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def render_snapshot(snapshot: Snapshot, color: bool = False) -> str:
    """`show --format json`."""
    return dumps(snapshot_dict(snapshot))
