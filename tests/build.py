"""Snapshots built in code, and report checks, for the matching and diff tests.

An item is given as (date as printed "DD.MM.YYYY", title, summary paragraphs);
ids, positions and "~2" suffixes follow the parser, so a built snapshot is
what `parse` would make of the same page.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence

from diffcore.identity import item_id, repeat_id
from diffcore.model import (
    Field,
    Header,
    HeaderCounter,
    Item,
    Lead,
    Snapshot,
    SnapshotDiff,
    WordOp,
)
from diffcore.normalise import clean

ItemSpec = tuple[str, str, tuple[str, ...]]
Row = tuple[dt.date | None, str, str, tuple[str, ...]]

CAPTURED = dt.date(2020, 8, 7)


def published_of(printed: str) -> dt.date | None:
    """The date of "DD.MM.YYYY", or None when no such day exists (31.02.2020)."""
    day, month, year = (int(part) for part in printed.split("."))
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def make_items(specs: Iterable[ItemSpec | tuple[str, str, str] | tuple[str, str]]) -> tuple[Item, ...]:
    """Items in page order; a summary may be one string, a tuple of paragraphs or left out."""
    items = []
    seen: Counter[str] = Counter()
    for position, spec in enumerate(specs):
        printed, title = spec[0], spec[1]
        summary = spec[2] if len(spec) > 2 else ()
        paragraphs = (summary,) if isinstance(summary, str) else tuple(summary)
        published = published_of(printed)
        base = item_id(published.isoformat() if published else printed, title)
        seen[base] += 1
        items.append(
            Item(
                id=repeat_id(base, seen[base]),
                published=published,
                published_text=printed,
                title=title,
                summary=paragraphs,
                position=position,
                lines=(),
            )
        )
    return tuple(items)


def make_snapshot(
    specs: Iterable[ItemSpec | tuple[str, str, str] | tuple[str, str]] | Sequence[Item] = (),
    *,
    captured: dt.date = CAPTURED,
    source: str = "built.txt",
    lead: Lead | None = None,
    counters: Sequence[tuple[int, str]] = (),
    fields: Sequence[tuple[str, str]] = (),
) -> Snapshot:
    """A snapshot of the given items (specs, or Items taken as they are).

    Counters are (value, text with "{n}"), fields (label, value).
    """
    header = Header(
        captured=captured,
        capture_time=None,
        date_line=1,
        fields=tuple(Field(label, value, ()) for label, value in fields),
        counters=tuple(
            HeaderCounter(text, value, "day", text.replace("{n}", str(value)), 2 + n)
            for n, (value, text) in enumerate(counters)
        ),
    )
    specs = list(specs)
    items = tuple(specs) if all(isinstance(spec, Item) for spec in specs) else make_items(specs)
    return Snapshot(source, header, lead, items, "all messages", None)  # type: ignore[arg-type]


def rows(items: Iterable[Item]) -> list[Row]:
    """What a reader sees of items, in order: date, date as printed, cleaned title and paragraphs."""
    return [
        (item.published, item.published_text, clean(item.title), tuple(clean(p) for p in item.summary))
        for item in items
    ]


def inverse(ops: Iterable[WordOp]) -> tuple[WordOp, ...]:
    """Word operations read backwards: old and new swap, deletions become insertions."""
    flip = {"delete": "insert", "insert": "delete"}
    return tuple(WordOp(flip.get(op.tag, op.tag), op.new, op.old) for op in ops)


def replay(ops: Iterable[WordOp]) -> tuple[str, str]:
    """The old and the new text a list of word operations spells out."""
    ops = list(ops)
    return (" ".join(op.old for op in ops if op.old), " ".join(op.new for op in ops if op.new))


def assert_mirrors(
    forward: SnapshotDiff, backward: SnapshotDiff, *, exact_ops: bool = True, exact_moves: bool = True
) -> None:
    """`backward` (new to old) says what `forward` (old to new) says, read the other way.

    `exact_ops` also asks for word operations that are exact inverses (difflib
    may align ties differently in the two directions); `exact_moves` for the
    very same moved items (with two equally long stable orders, either may be chosen).
    """

    def placed(items: Iterable[Item]) -> set[tuple[str, int]]:
        return {(item.id, item.position) for item in items}

    assert placed(forward.added) == placed(backward.dropped)
    assert placed(forward.dropped) == placed(backward.added)
    assert forward.days_elapsed == -backward.days_elapsed
    ahead = {(e.old.id, e.new.id): e for e in forward.edited}
    back = {(e.new.id, e.old.id): e for e in backward.edited}
    assert ahead.keys() == back.keys()
    for pair, edit in ahead.items():
        other = back[pair]
        assert (other.old, other.new) == (edit.new, edit.old)
        assert other.similarity == edit.similarity
        assert other.kinds == edit.kinds
        assert replay(other.title) == replay(edit.title)[::-1]
        assert replay(other.summary) == replay(edit.summary)[::-1]
        if exact_ops:
            assert other.title == inverse(edit.title)
            assert other.summary == inverse(edit.summary)
    assert len(forward.moved) == len(backward.moved)
    if exact_moves:
        # Which of two equally good orders stays put decides whether a moved item also counts as edited.
        assert forward.unchanged == backward.unchanged
        assert {(m.old_id, m.item.id, m.old_position, m.new_position) for m in forward.moved} == {
            (m.item.id, m.old_id, m.new_position, m.old_position) for m in backward.moved
        }
    counters = {c.label: c for c in backward.counters}
    flip = {"appeared": "vanished", "vanished": "appeared"}
    for change in forward.counters:
        other = counters.pop(change.label)
        assert (other.old, other.new) == (change.new, change.old)
        assert other.delta == (None if change.delta is None else -change.delta)
        assert other.status == flip.get(change.status, change.status)
        assert other.consistent == change.consistent
    assert not counters
    fields = {f.label: f for f in backward.fields}
    flip = {"added": "removed", "removed": "added"}
    assert {f.label: (flip.get(f.status, f.status), f.new, f.old) for f in forward.fields} == {
        label: (f.status, f.old, f.new) for label, f in fields.items()
    }


def assert_every_change_needed(report: SnapshotDiff, old: Sequence[Item], new: Sequence[Item]) -> None:
    """Leaving any one change out of the report no longer rebuilds the new items."""
    from dataclasses import replace

    from diffcore.diff import apply_diff

    wanted = rows(new)
    for part in ("added", "dropped", "edited", "moved"):
        values = getattr(report, part)
        for index in range(len(values)):
            if part == "edited" and values[index].old.id in {move.old_id for move in report.moved}:
                continue  # a move carries the new version of the item: the edit is also told there
            partial = replace(report, **{part: values[:index] + values[index + 1 :]})
            try:
                rebuilt = rows(apply_diff(old, partial))
            except (RuntimeError, StopIteration, KeyError):
                continue  # the partial report cannot even be replayed
            assert rebuilt != wanted, f"the report rebuilt the new items without {part}[{index}]"
