"""The model's records pickle as their class and field values, and read back equal."""

from __future__ import annotations

import pickle

from diffcore import diff, load
from diffcore.match import match_items
from diffcore.model.pickling import ByFields
from tests.paths import ARCHIVE_DIR


def _records(value: object, seen: set[type]) -> None:
    """Every record class found in `value`, walked through tuples and records."""
    if isinstance(value, ByFields):
        seen.add(type(value))
        for name in value.__dataclass_fields__:  # type: ignore[attr-defined]
            _records(getattr(value, name), seen)
    elif isinstance(value, tuple | list):
        for part in value:
            _records(part, seen)


def test_a_snapshot_its_matching_and_its_diff_pickle_by_their_fields() -> None:
    old, new = (load(path) for path in sorted(ARCHIVE_DIR.glob("*.txt"))[-2:])
    report = diff(old, new)
    matching = match_items(old.items, new.items)
    for record in (old, report, matching):
        data = pickle.dumps(record, pickle.HIGHEST_PROTOCOL)
        assert pickle.loads(data) == record
    seen: set[type] = set()
    _records((old, report, matching), seen)
    assert {"Snapshot", "Item", "Header", "Capture", "SnapshotDiff", "Matching"} <= {cls.__name__ for cls in seen}
    for cls in seen:
        assert cls.__reduce__ is ByFields.__reduce__
    assert matching.pairs and all(isinstance(pair, tuple) for pair in matching.pairs)  # named tuples pickle as tuples
