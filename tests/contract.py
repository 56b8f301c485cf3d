"""The JSON contract of `diffcore diff --format json`, as a reusable check.

    from tests.contract import check_diff_contract
    check_diff_contract(json.loads(text))   # raises AssertionError naming the bad key

Also runnable on report files: `python -m tests.contract REPORT.json ...`
(exit 1 with the first violation of each bad file).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Sequence
from typing import Any

ITEM_KEYS = ("id", "published", "title", "summary", "position")
COUNTER_KEYS = ("label", "old", "new", "delta", "days_elapsed", "consistent")
EDIT_KEYS = ("old", "new", "similarity", "changes")
MOVE_KEYS = ("item", "old_position", "new_position")
SIDE_KEYS = ("source", "captured", "capture", "warnings")
CAPTURE_KEYS = ("captured_at", "time_source", "url", "source", "media_type", "charset", "digest")
SOURCE_KEYS = ("path", "offset", "payload_offset", "payload_path", "repository", "commit")
TIME_SOURCES = ("warc-date", "wayback", "git-commit", "file-name", "page-date", "feed-date", "user")
MEDIA_TYPES = ("text/plain", "text/html", "application/rss+xml", "application/atom+xml", "application/feed+json")
TOP_KEYS = ("old", "new", "counters", "lead", "added", "dropped", "edited", "moved", "unchanged", "other")
OP_TAGS = ("equal", "delete", "insert", "replace")
LEAD_STATUSES = ("same", "edited", "replaced", "promoted", "demoted", "appeared", "vanished", "absent")


def _require(condition: bool, where: str, message: str) -> None:
    if not condition:
        raise AssertionError(f"diff JSON contract: {where}: {message}")


def _keys(doc: Any, keys: Sequence[str], where: str) -> None:
    _require(isinstance(doc, dict), where, f"expected an object, got {type(doc).__name__}")
    missing = [key for key in keys if key not in doc]
    _require(not missing, where, f"missing key(s) {', '.join(missing)}")


def _iso_date(value: Any, where: str, nullable: bool) -> None:
    if value is None:
        _require(nullable, where, "is null")
        return
    _require(isinstance(value, str), where, f"expected an ISO date string, got {value!r}")
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise AssertionError(f"diff JSON contract: {where}: {value!r} is not an ISO 8601 date") from None


def _int(value: Any, where: str, nullable: bool = False, minimum: int | None = None) -> None:
    if value is None and nullable:
        return
    _require(isinstance(value, int) and not isinstance(value, bool), where, f"expected an integer, got {value!r}")
    if minimum is not None:
        _require(value >= minimum, where, f"{value} is below {minimum}")


def _str(value: Any, where: str) -> None:
    _require(isinstance(value, str), where, f"expected a string, got {value!r}")


def check_item(item: Any, where: str) -> None:
    """An item: id, published (ISO or null), title, summary, position."""
    _keys(item, ITEM_KEYS, where)
    _str(item["id"], f"{where}.id")
    _require(bool(item["id"]), f"{where}.id", "is empty")
    _iso_date(item["published"], f"{where}.published", nullable=True)
    _str(item["title"], f"{where}.title")
    _str(item["summary"], f"{where}.summary")
    _int(item["position"], f"{where}.position", minimum=0)


def _check_ops(ops: Any, where: str) -> None:
    _require(isinstance(ops, list), where, "expected a list of word operations")
    for n, op in enumerate(ops):
        _keys(op, ("op", "old", "new"), f"{where}[{n}]")
        _require(op["op"] in OP_TAGS, f"{where}[{n}].op", f"unknown operation {op['op']!r}")


def _check_side(side: Any, where: str) -> None:
    _keys(side, SIDE_KEYS, where)
    _str(side["source"], f"{where}.source")
    _iso_date(side["captured"], f"{where}.captured", nullable=False)
    _require(
        isinstance(side["warnings"], list) and all(isinstance(w, str) for w in side["warnings"]),
        f"{where}.warnings",
        "expected a list of strings",
    )
    capture = side["capture"]
    if capture is not None:
        _keys(capture, CAPTURE_KEYS, f"{where}.capture")
        _require(
            isinstance(capture["captured_at"], str) and capture["captured_at"].endswith("Z"),
            f"{where}.capture.captured_at",
            "expected a UTC time ending in Z",
        )
        _require(capture["time_source"] in TIME_SOURCES, f"{where}.capture.time_source", "unknown time source")
        _require(capture["media_type"] in MEDIA_TYPES, f"{where}.capture.media_type", "unknown")
        _require(str(capture["digest"]).startswith("sha256:"), f"{where}.capture.digest", "expected sha256:HEX")
        _keys(capture["source"], SOURCE_KEYS, f"{where}.capture.source")


def _check_counter(counter: Any, where: str) -> None:
    _keys(counter, COUNTER_KEYS, where)
    _str(counter["label"], f"{where}.label")
    _int(counter["old"], f"{where}.old", nullable=True)
    _int(counter["new"], f"{where}.new", nullable=True)
    _int(counter["delta"], f"{where}.delta", nullable=True)
    _int(counter["days_elapsed"], f"{where}.days_elapsed")
    _require(
        counter["consistent"] in (True, False, None),
        f"{where}.consistent",
        f"expected true, false or null, got {counter['consistent']!r}",
    )
    _require(counter["old"] is not None or counter["new"] is not None, where, "has neither an old nor a new value")
    if counter["old"] is not None and counter["new"] is not None:
        _require(
            counter["delta"] == counter["new"] - counter["old"],
            f"{where}.delta",
            f"{counter['delta']} is not new - old = {counter['new'] - counter['old']}",
        )
    else:
        _require(
            counter["delta"] is None and counter["consistent"] is None,
            where,
            "a counter on one side only has no delta and no consistency",
        )


def _check_lead(lead: Any) -> None:
    _keys(lead, ("status",), "lead")
    _require(lead["status"] in LEAD_STATUSES, "lead.status", f"unknown status {lead['status']!r}")


def _check_edit(edit: Any, where: str) -> None:
    _keys(edit, EDIT_KEYS, where)
    check_item(edit["old"], f"{where}.old")
    check_item(edit["new"], f"{where}.new")
    score = edit["similarity"]
    _require(
        isinstance(score, (int, float)) and not isinstance(score, bool) and 0.0 <= score <= 1.0,
        f"{where}.similarity",
        f"expected a number from 0 to 1, got {score!r}",
    )
    _keys(edit["changes"], ("title", "summary"), f"{where}.changes")
    _check_ops(edit["changes"]["title"], f"{where}.changes.title")
    _check_ops(edit["changes"]["summary"], f"{where}.changes.summary")


def _check_move(move: Any, where: str) -> None:
    _keys(move, MOVE_KEYS, where)
    check_item(move["item"], f"{where}.item")
    _int(move["old_position"], f"{where}.old_position", minimum=0)
    _int(move["new_position"], f"{where}.new_position", minimum=0)
    _require(move["item"]["position"] == move["new_position"], where, "item.position is not new_position")


def check_diff_contract(doc: dict[str, Any]) -> None:
    """Raise AssertionError (naming the key) unless `doc` has the documented diff shape."""
    _keys(doc, TOP_KEYS, "top level")
    _check_side(doc["old"], "old")
    _check_side(doc["new"], "new")
    _require(isinstance(doc["counters"], list), "counters", "expected a list")
    for n, counter in enumerate(doc["counters"]):
        _check_counter(counter, f"counters[{n}]")
    _check_lead(doc["lead"])
    for section in ("added", "dropped", "edited", "moved"):
        _require(isinstance(doc[section], list), section, "expected a list")
    for section in ("added", "dropped"):
        for n, item in enumerate(doc[section]):
            check_item(item, f"{section}[{n}]")
    for n, edit in enumerate(doc["edited"]):
        _check_edit(edit, f"edited[{n}]")
    for n, move in enumerate(doc["moved"]):
        _check_move(move, f"moved[{n}]")
    _int(doc["unchanged"], "unchanged", minimum=0)
    _keys(doc["other"], ("removed", "added", "footer"), "other")
    for side in ("removed", "added"):
        lines = doc["other"][side]
        _require(
            isinstance(lines, list) and all(isinstance(x, str) for x in lines), f"other.{side}", "expected strings"
        )
    footer = doc["other"]["footer"]
    if footer is not None:
        _keys(footer, ("old", "new"), "other.footer")
    new_positions = [item["position"] for item in doc["added"]] + [m["new_position"] for m in doc["moved"]]
    _require(len(new_positions) == len(set(new_positions)), "added/moved", "two entries claim the same new position")


def main(paths: Sequence[str]) -> int:
    """Check each JSON report file; print one line per bad file; 0 when all pass."""
    bad = 0
    for path in paths:
        try:
            with open(path, encoding="utf-8") as handle:
                check_diff_contract(json.load(handle))
        except (AssertionError, OSError, ValueError) as exc:
            print(f"{path}: {exc}", file=sys.stderr)
            bad += 1
    return 1 if bad else 0


def without_sources(document: Any) -> Any:
    """A JSON document with every "source", "capture" and "warnings" (which name the source) left out.

    What is left is what must not differ between forms of one content.
    """
    if isinstance(document, dict):
        left_out = ("source", "capture", "warnings")
        return {key: without_sources(value) for key, value in document.items() if key not in left_out}
    if isinstance(document, list):
        return [without_sources(value) for value in document]
    return document


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
