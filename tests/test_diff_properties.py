"""Properties of the change report on generated snapshot pairs.

A pair is an old item list and the list some random operations made of it
(add, drop, move, edit title words, edit summary words, re-paragraph a
summary, change the date), built as Snapshots either directly or by writing
the page text and parsing it back.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

from hypothesis import assume, given
from hypothesis import strategies as st

from diffcore.diff import DiffOptions, apply_diff, diff, stable_pairs
from diffcore.match import match_items
from diffcore.model import Snapshot, SnapshotDiff
from diffcore.parse import parse
from diffcore.profile import default_profile
from synthetic.layout import format_snapshot
from tests.build import assert_every_change_needed, assert_mirrors, make_snapshot, rows

# A small vocabulary, so that items often look alike and the fuzzy matcher has work to do.
WORDS = (
    "lamp",
    "pier",
    "tide",
    "fog",
    "signal",
    "rota",
    "glazing",
    "boathouse",
    "keeper",
    "west",
    "north",
    "shore",
    "survey",
    "panes",
    "open",
    "closed",
    "Trust",
    "caf\u00e9",
)
START = dt.date(2020, 7, 1)

Spec = tuple[str, str, tuple[str, ...]]

words_of = st.lists(st.sampled_from(WORDS), min_size=1, max_size=7)
printed_dates = st.one_of(
    st.integers(0, 9).map(lambda n: (START + dt.timedelta(days=n)).strftime("%d.%m.%Y")),
    st.just("31.02.2020"),  # kept with no published date
)
specs = st.tuples(printed_dates, words_of.map(" ".join), st.lists(words_of.map(" ".join), max_size=2).map(tuple))


def edit_words(draw: st.DrawFn, text: str) -> str:
    """Replace, insert or delete one word of a text (never leaving it empty)."""
    words = text.split()
    at = draw(st.integers(0, len(words)))
    how = draw(st.sampled_from(("replace", "insert", "delete")))
    if how == "insert" or not words:
        words.insert(at, draw(st.sampled_from(WORDS)))
    elif how == "replace" or len(words) == 1:
        words[min(at, len(words) - 1)] = draw(st.sampled_from(WORDS))
    else:
        del words[min(at, len(words) - 1)]
    return " ".join(words)


@st.composite
def changed_lists(draw: st.DrawFn, max_ops: int = 6) -> tuple[list[Spec], list[Spec]]:
    """An old item list and a new one made from it by random operations."""
    old = draw(st.lists(specs, max_size=8))
    new = list(old)
    for _ in range(draw(st.integers(0, max_ops))):
        kind = draw(st.sampled_from(("add", "drop", "move", "title", "summary", "split", "date")))
        if kind == "add" or not new:
            new.insert(draw(st.integers(0, len(new))), draw(specs))
            continue
        at = draw(st.integers(0, len(new) - 1))
        printed, title, summary = new[at]
        if kind == "drop":
            del new[at]
        elif kind == "move":
            item = new.pop(at)
            new.insert(draw(st.integers(0, len(new))), item)
        elif kind == "title":
            new[at] = (printed, edit_words(draw, title), summary)
        elif kind == "summary":
            if summary:
                n = draw(st.integers(0, len(summary) - 1))
                summary = (*summary[:n], edit_words(draw, summary[n]), *summary[n + 1 :])
            else:
                summary = (draw(words_of.map(" ".join)),)
            new[at] = (printed, title, summary)
        elif kind == "split":
            words = " ".join(summary).split()
            cut = draw(st.integers(1, len(words) - 1)) if len(words) > 1 else 0
            resplit = (" ".join(words[:cut]), " ".join(words[cut:])) if cut else (" ".join(words),)
            new[at] = (printed, title, tuple(p for p in resplit if p))
        else:
            new[at] = (draw(printed_dates), title, summary)
    return old, new


def build(items: Sequence[Spec], captured: dt.date, source: str, via_text: bool) -> Snapshot:
    """The snapshot of an item list, from the model or from its page text parsed back."""
    snapshot = make_snapshot(items, captured=captured, source=source)
    if not via_text:
        return snapshot
    parsed = parse(format_snapshot(snapshot), source, default_profile())
    assert rows(parsed.items) == rows(snapshot.items)
    return parsed


@st.composite
def snapshot_pairs(draw: st.DrawFn, max_ops: int = 6) -> tuple[Snapshot, Snapshot]:
    """(old, new) snapshots of a generated pair of item lists."""
    old, new = draw(changed_lists(max_ops))
    via_text = draw(st.booleans())
    return (build(old, dt.date(2020, 8, 7), "old.txt", via_text), build(new, dt.date(2020, 9, 14), "new.txt", via_text))


def lis_length(values: Sequence[int]) -> int:
    """Length of a longest increasing subsequence, by the quadratic textbook recurrence."""
    best: list[int] = []
    for index, value in enumerate(values):
        best.append(1 + max((best[j] for j in range(index) if values[j] < value), default=0))
    return max(best, default=0)


def lis_count(values: Sequence[int]) -> int:
    """How many distinct longest increasing subsequences there are."""
    length, count = [], []
    for index, value in enumerate(values):
        before = [j for j in range(index) if values[j] < value]
        longest = max((length[j] for j in before), default=0)
        length.append(longest + 1)
        count.append(sum(count[j] for j in before if length[j] == longest) if longest else 1)
    top = max(length, default=0)
    return sum(c for c, n in zip(count, length, strict=False) if n == top) if top else 1


def matched_order(old: Snapshot, new: Snapshot) -> list[int]:
    """New positions of the matched items, in old order: the sequence whose LIS stays put."""
    matching = match_items(old.items, new.items, DiffOptions())
    return [pair.new for pair in sorted(matching.pairs, key=lambda pair: pair.old)]


# --- completeness ------------------------------------------------------------------------------


@given(snapshot_pairs())
def test_applying_the_report_rebuilds_the_new_items(pair: tuple[Snapshot, Snapshot]) -> None:
    old, new = pair
    report = diff(old, new)
    assert rows(apply_diff(old.items, report)) == rows(new.items)


@given(snapshot_pairs())
def test_a_report_missing_any_change_does_not_rebuild(pair: tuple[Snapshot, Snapshot]) -> None:
    old, new = pair
    wanted = rows(new.items)
    assume(len(set(wanted)) == len(wanted))  # identical twins could stand in for each other
    assert_every_change_needed(diff(old, new), old.items, new.items)


@given(snapshot_pairs())
def test_every_item_is_accounted_for_once(pair: tuple[Snapshot, Snapshot]) -> None:
    old, new = pair
    report = diff(old, new)
    matched = len(old.items) - len(report.dropped)
    assert matched == len(new.items) - len(report.added)
    touched = {edit.old.id for edit in report.edited} | {move.old_id for move in report.moved}
    assert report.unchanged == matched - len(touched)
    assert len({item.id for item in report.added}) == len(report.added)
    assert len({item.id for item in report.dropped}) == len(report.dropped)
    assert report.has_changes == (rows(old.items) != rows(new.items))


@given(snapshot_pairs())
def test_every_edit_says_what_changed(pair: tuple[Snapshot, Snapshot]) -> None:
    old, new = pair
    for edit in diff(old, new).edited:
        assert edit.kinds, edit
        ((_, before_text, before_title, before_summary),) = rows([edit.old])
        ((_, after_text, after_title, after_summary),) = rows([edit.new])
        assert ("published" in edit.kinds) == (before_text != after_text)
        assert ("title" in edit.kinds) == (before_title != after_title)
        assert ("summary" in edit.kinds) == (before_summary != after_summary)
        assert 0.0 <= edit.similarity <= 1.0


# --- moves -------------------------------------------------------------------------------------


@given(snapshot_pairs())
def test_moves_are_minimal(pair: tuple[Snapshot, Snapshot]) -> None:
    old, new = pair
    order = matched_order(old, new)
    assert len(diff(old, new).moved) == len(order) - lis_length(order)


@given(st.integers(0, 7).flatmap(lambda n: st.permutations(range(n))))
def test_stable_pairs_is_a_longest_increasing_subsequence(order: list[int]) -> None:
    keep = sorted(stable_pairs(order))
    kept = [order[index] for index in keep]
    assert kept == sorted(kept)
    brute = max(
        (
            size
            for size in range(len(order) + 1)
            for chosen in itertools.combinations(order, size)
            if list(chosen) == sorted(chosen)
        ),
        default=0,
    )
    assert len(keep) == brute == lis_length(order)


@given(st.data())
def test_items_pushed_down_by_additions_are_never_moves(data: st.DataObject) -> None:
    # Two items that read exactly alike cannot be told apart; which of them was dropped is a guess.
    old = data.draw(st.lists(specs, max_size=8, unique=True))
    new = list(old)
    for number in range(data.draw(st.integers(1, 4))):
        # Added items use words no old item uses, so nothing pairs them with an old one.
        added = (data.draw(printed_dates), f"added{number} notice", ())
        new.insert(data.draw(st.integers(0, len(new))), added)
    for _ in range(data.draw(st.integers(0, 2))):
        if any(not spec[1].startswith("added") for spec in new):
            kept = [n for n, spec in enumerate(new) if not spec[1].startswith("added")]
            del new[data.draw(st.sampled_from(kept))]
    via_text = data.draw(st.booleans())
    before = build(old, dt.date(2020, 8, 7), "old.txt", via_text)
    after = build(new, dt.date(2020, 9, 14), "new.txt", via_text)
    report = diff(before, after)
    assert report.moved == ()
    assert report.edited == ()
    assert sorted(item.position for item in report.added) == [
        n for n, spec in enumerate(new) if spec[1].startswith("added")
    ]


# --- the mirror --------------------------------------------------------------------------------


@given(snapshot_pairs())
def test_the_reverse_report_mirrors(pair: tuple[Snapshot, Snapshot]) -> None:
    old, new = pair
    forward, backward = diff(old, new), diff(new, old)
    unique_order = lis_count(matched_order(old, new)) == 1
    assert_mirrors(forward, backward, exact_moves=unique_order)
    assert rows(apply_diff(new.items, backward)) == rows(old.items)


@given(snapshot_pairs())
def test_a_capture_against_itself_reports_nothing(pair: tuple[Snapshot, Snapshot]) -> None:
    for snapshot in pair:
        report: SnapshotDiff = diff(snapshot, snapshot)
        assert (report.added, report.dropped, report.edited, report.moved) == ((), (), (), ())
        assert report.unchanged == len(snapshot.items)
