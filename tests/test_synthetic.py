"""The synthetic archive generator: determinism, parseability, truth, and the example archive."""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import json
import random
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from diffcore.parse import parse
from diffcore.profile import default_profile
from synthetic import (
    Archive,
    Churn,
    Entry,
    chronicle,
    generate,
    iter_captures,
    truth_to_dict,
)
from synthetic.vocabulary import edit_words
from tests.paths import ARCHIVE_DIR
from tests.support import load_example

BUSY = Churn(
    added=0.15,
    dropped=0.08,
    moved=0.08,
    edited_title=0.06,
    edited_summary=0.06,
    edited_both=0.04,
    date_corrected=0.04,
    returns=0.05,
    added_elsewhere=0.3,
    twins=0.3,
    counter_stall=0.2,
    counter_appear=0.3,
)


@pytest.fixture(scope="module")
def busy() -> Archive:
    return generate(40, 30, 11, BUSY, counters=3)


@pytest.fixture(scope="module")
def example() -> Archive:
    archive: Archive = load_example("make_archive").build()
    return archive


def _archives(busy: Archive, example: Archive) -> list[Archive]:
    return [busy, example, generate(12, 8, 5, Churn()), generate(6, 0, 2, BUSY)]


def test_same_seed_same_bytes() -> None:
    first = generate(15, 20, 42, BUSY)
    second = generate(15, 20, 42, BUSY)
    assert [(c.name, c.text) for c in first.captures] == [(c.name, c.text) for c in second.captures]
    assert json.dumps(truth_to_dict(first.truth)) == json.dumps(truth_to_dict(second.truth))
    other = generate(15, 20, 43, BUSY)
    assert [c.text for c in other.captures] != [c.text for c in first.captures]


def test_stream_matches_generate_and_is_lazy() -> None:
    held = generate(10, 15, 9, BUSY)
    streamed = list(iter_captures(10, 15, 9, BUSY))
    assert [c.text for c in streamed] == [c.text for c in held.captures]
    started = time.perf_counter()
    first = list(itertools.islice(iter_captures(10_000, 50, 1, Churn()), 3))
    assert len(first) == 3 and time.perf_counter() - started < 5


def test_large_single_capture() -> None:
    # Its speed at 100,000 items is the benchmark's business (bench W1), not a test's.
    [capture] = generate(1, 20_000, 3, Churn()).captures
    items = capture.snapshot.items
    assert len(items) == len({item.id for item in items}) == 20_000


def test_every_capture_parses_back_to_its_model(busy: Archive, example: Archive) -> None:
    profile = default_profile()
    for archive in _archives(busy, example):
        for capture in archive.captures:
            parsed = parse(capture.text, capture.name, profile)
            # The one warning a generated page may give: a page of no item says so.
            no_item = (f"{capture.name}: no item: no line matches the item pattern of profile {profile.name!r}",)
            assert parsed.unparsed == () and parsed.warnings == (() if capture.snapshot.items else no_item)
            parsed = replace(parsed, warnings=())
            assert [(i.id, i.title, i.summary) for i in parsed.items] == [
                (i.id, i.title, i.summary) for i in capture.snapshot.items
            ]
            assert parsed == capture.snapshot


def test_item_ids_unique_and_recorded(busy: Archive, example: Archive) -> None:
    for archive in _archives(busy, example):
        for capture, truth in zip(archive.captures, archive.truth.captures, strict=True):
            ids = [item.id for item in capture.snapshot.items]
            assert len(set(ids)) == len(ids)
            assert truth.ids == tuple(ids)
            assert truth.identities == tuple(e.identity for e in capture.page.items)
            assert truth.name == capture.name and truth.captured == capture.snapshot.captured


def _longest_run(ranks: list[int]) -> set[int]:
    """Positions on a longest increasing run, preferring late entries (the generator prefers early ones)."""
    best: list[tuple[int, int]] = []
    for at, rank in enumerate(ranks):
        length = 1 + max((best[j][0] for j in range(at) if ranks[j] < rank), default=0)
        best.append((length, at))
    kept: set[int] = set()
    length = max((b[0] for b in best), default=0)
    limit = None
    for at in range(len(ranks) - 1, -1, -1):
        if best[at][0] == length and (limit is None or ranks[at] < limit):
            kept.add(at)
            limit = ranks[at]
            length -= 1
    return kept


def test_truth_is_self_consistent(busy: Archive, example: Archive) -> None:
    for archive in _archives(busy, example):
        pages = [c.page for c in archive.captures]
        seen_before: set[str] = set()
        assert len(archive.truth.changes) == len(pages) - 1
        for before, after, change in zip(pages, pages[1:], archive.truth.changes, strict=False):
            seen_before.update(e.identity for e in before.items)
            old = {e.identity: e for e in before.items}
            new = {e.identity: e for e in after.items}
            assert (change.old, change.new) == (before.captured, after.captured)
            assert all(i not in old and i in new and i not in seen_before for i in change.added)
            assert all(i not in old and i in new and i in seen_before for i in change.returned)
            assert all(i in old and i not in new for i in change.dropped)
            assert set(change.added) | set(change.returned) == new.keys() - old.keys()
            assert set(change.dropped) == old.keys() - new.keys()
            for edit in change.edited:
                assert edit.identity in old and edit.identity in new and edit.fields
                assert old[edit.identity] != new[edit.identity]
            common = [i for i in new if i in old]
            order = {i: at for at, i in enumerate(old)}
            kept = _longest_run([order[i] for i in common])
            assert {m.identity for m in change.moved} == {i for at, i in enumerate(common) if at not in kept}
            days = (after.captured - before.captured).days
            previous = {c.event: c.value for c in before.counters}
            for counter, truth in zip(after.counters, change.counters, strict=True):
                assert truth.value == counter.value and truth.previous == previous.get(counter.event)
                if truth.previous is not None:
                    assert truth.consistent == (truth.value - truth.previous == days)
        dates = [c.captured for c in archive.truth.captures]
        for ident in archive.truth.identities:
            assert ident.first_seen <= ident.last_seen
            span = sum(ident.first_seen <= d <= ident.last_seen for d in dates)
            assert 1 <= ident.seen <= span
            assert (ident.gaps == 0) == (ident.seen == span)
            assert len(ident.titles) <= ident.edits + 1


def test_edits_are_small_and_returns_keep_their_text(busy: Archive) -> None:
    last_text: dict[str, Entry] = {}
    pages = [c.page for c in busy.captures]
    kinds: Counter[tuple[str, ...]] = Counter()
    for before, after, change in zip(pages, pages[1:], busy.truth.changes, strict=False):
        old = {e.identity: e for e in before.items}
        new = {e.identity: e for e in after.items}
        for edit in change.edited:
            kinds[edit.fields] += 1
            a, b = old[edit.identity], new[edit.identity]
            for field, text_a, text_b in (
                ("title", a.title, b.title),
                ("summary", " ".join(a.summary), " ".join(b.summary)),
            ):
                ops = difflib.SequenceMatcher(a=text_a.split(), b=text_b.split(), autojunk=False).get_opcodes()
                changed = sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in ops if tag != "equal")
                assert (changed > 0) == (field in edit.fields) and changed <= 4
            if "published" in edit.fields:
                assert abs((a.published - b.published).days) <= 7
        for ident in change.returned:
            assert new[ident] == last_text[ident]
        last_text.update(old)
    assert {("title",), ("summary",), ("title", "summary"), ("published",)} <= kinds.keys()
    assert sum(len(c.returned) for c in busy.truth.changes) > 0
    assert sum(len(c.moved) for c in busy.truth.changes) > 0


def test_edit_words_changes_one_or_two_words() -> None:
    rng = random.Random(0)
    text = "Volunteer day at North Pier: beach clean"
    for _ in range(200):
        edited = edit_words(text, rng, 2)
        assert edited != text and edited.split()[0] == "Volunteer"
        ops = difflib.SequenceMatcher(a=text.split(), b=edited.split()).get_opcodes()
        assert sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in ops if tag != "equal") <= 2


def test_truth_to_dict_is_json(busy: Archive) -> None:
    data = json.loads(json.dumps(truth_to_dict(busy.truth)))
    assert set(data) == {"captures", "changes", "identities"}
    assert dt.date.fromisoformat(data["captures"][0]["captured"]) == busy.captures[0].page.captured
    assert len(data["changes"]) == len(busy.captures) - 1


def test_churn_rejects_bad_rates() -> None:
    with pytest.raises(ValueError):
        Churn(moved=1.5)
    with pytest.raises(ValueError):
        generate(0, 5, 1, Churn())


def test_example_storyline_covers_every_change_kind(example: Archive) -> None:
    truth = example.truth
    changes = truth.changes
    captures = example.captures
    assert len(captures) >= 12 and captures[0].page.captured.year == 2019 and captures[-1].page.captured.year == 2023
    assert all(8 <= len(c.page.items) <= 15 for c in captures)
    assert [c.name for c in captures] != sorted(c.name for c in captures)
    assert not captures[0].page.counters and not captures[1].page.counters
    assert any(
        c.added and c.added[0] == after.page.items[0].identity for c, after in zip(changes, captures[1:], strict=False)
    )
    assert any(c.dropped for c in changes) and any(c.returned for c in changes)
    fields = {e.fields for c in changes for e in c.edited}
    assert {("title",), ("summary",), ("published",), ("title", "summary")} <= fields
    assert any(c.moved for c in changes)
    statuses = [c.lead.status for c in changes]
    assert {"edited", "replaced", "demoted"} <= set(statuses)
    counters = [t for c in changes for t in c.counters]
    assert any(t.previous is None for c in changes[2:] for t in c.counters)
    assert any(t.previous == t.value for t in counters)
    assert any(t.consistent is False and t.on_calendar for t in counters)
    titles = [i.title for c in captures for i in c.snapshot.items]
    assert "<script>window.pwned=1</script> Open day" in titles
    lead_titles = {c.page.lead.title for c in captures if c.page.lead}
    assert lead_titles & set(titles)
    for capture in captures:
        by_date = Counter(e.published for e in capture.page.items if e.title.startswith("Director's remarks"))
        if max(by_date.values(), default=0) > 1:
            break
    else:
        pytest.fail("no two near-identical items on the same date")
    assert any(i.gaps for i in truth.identities)


def test_committed_example_archive_is_current(tmp_path: Path) -> None:
    load_example("make_archive").main([str(tmp_path)])
    made = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    committed = {p.name: p.read_bytes() for p in ARCHIVE_DIR.iterdir()}
    assert made.keys() == committed.keys()
    for name, content in made.items():
        assert content == committed[name], name


def test_the_oracle_refuses_an_order_its_recorded_moves_do_not_explain(example: Archive) -> None:
    pages = [capture.page for capture in example.captures]
    moved = next(at for at, page in enumerate(pages) if page.moved)
    unrecorded = replace(pages[moved], moved=())
    with pytest.raises(ValueError, match="do not explain its order"):
        list(chronicle([*pages[:moved], unrecorded]))
