"""Property: a history store gives exactly the batch timeline, whatever order its captures are added in.

Archives come from the synthetic generator at a high churn (returns after a
gap, twins, corrected dates, stalled counters), so the returning-item pass
and the identity suffixes have work to do. They are added in time order,
reversed, shuffled, in batches, with duplicates, one `Store` or a new one
per batch; then `Store.timeline` must equal `diffcore.timeline` over the
same captures, the events must equal the fold of the pairwise change
reports, and `Store.verify` (which folds the captures again with the batch
timeline) must find nothing.
"""

from __future__ import annotations

import itertools
import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import diffcore
from diffcore.model import Snapshot, Timeline
from diffcore.store import Store
from synthetic import Churn, generate

CHURN = Churn(
    added=0.15,
    dropped=0.1,
    moved=0.1,
    edited_title=0.08,
    edited_summary=0.08,
    edited_both=0.05,
    date_corrected=0.05,
    returns=0.2,
    twins=0.3,
    counter_stall=0.2,
)


def write_archive(captures: int, items: int, seed: int, folder: Path) -> list[Path]:
    """A generated archive, one file per capture (named by a digest of its text, as crawlers name them)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for capture in generate(captures, items, seed, CHURN).captures:
        path = folder / capture.name
        path.write_text(capture.text, encoding="utf-8")
        paths.append(path)
    return paths


@st.composite
def add_plans(draw: st.DrawFn, count: int) -> list[list[int]]:
    """Batches of capture indexes: every capture at least once, in any order, some twice."""
    order = draw(
        st.one_of(
            st.just(list(range(count))),
            st.just(list(reversed(range(count)))),
            st.permutations(range(count)).map(list),
        )
    )
    repeats = draw(st.lists(st.integers(0, count - 1), max_size=3))
    sizes = draw(st.lists(st.integers(1, 4), min_size=count + len(repeats), max_size=count + len(repeats)))
    flat = order + repeats
    batches, start = [], 0
    for size in sizes:
        if start >= len(flat):
            break
        batches.append(flat[start : start + size])
        start += size
    return batches


def expected_events(batch: Timeline, snapshots: list[Snapshot]) -> Counter[tuple[int, str, str]]:
    """(capture index, identity, event) for appeared, returned and dropped, from the batch timeline's stretches."""
    found: Counter[tuple[int, str, str]] = Counter()
    last = len(batch.captures) - 1
    for history in batch.histories:
        for number, (first, end) in enumerate(history.runs):
            found[first, history.identity, "appeared" if number == 0 else "returned"] += 1
            if end < last:
                found[end + 1, history.identity, "dropped"] += 1
    return found


def check_store(store: Store, snapshots: list[Snapshot]) -> None:
    """The store's timeline is the batch timeline; its events are the batch's stretches and pairwise changes."""
    batch = diffcore.timeline(snapshots)
    assert store.timeline() == batch
    assert store.verify() == []
    events = store.events()
    index = {ref.capture.captured_at: number for number, ref in enumerate(batch.captures) if ref.capture}
    events["capture"] = [index[diffcore.store.codec.moment_of(text)] for text in events["captured_at"]]
    kept = events[events["event"].isin(["appeared", "returned", "dropped"])]
    stored = Counter(zip(kept["capture"], kept["item"], kept["event"], strict=True))
    assert stored == expected_events(batch, snapshots)
    edited = events[events["event"] == "edited"].drop_duplicates(["capture", "item"])
    assert Counter(edited["item"]) == Counter({h.identity: h.edits for h in batch.histories if h.edits})
    moved = Counter(events[events["event"] == "moved"]["capture"])
    for number, (old, new) in enumerate(itertools.pairwise(snapshots), start=1):
        report = diffcore.diff(old, new)
        assert moved[number] == len(report.moved)
        came = sum(1 for capture, _, event in stored if capture == number and event in ("appeared", "returned"))
        went = sum(1 for capture, _, event in stored if capture == number and event == "dropped")
        # An item the pair's matching leaves out on both sides may still be one identity (the timeline's
        # second pass pairs it again): it is then neither added nor dropped, on both sides alike.
        assert len(report.added) - came == len(report.dropped) - went >= 0


@given(
    captures=st.integers(1, 9),
    items=st.integers(0, 9),
    seed=st.integers(0, 10_000),
    data=st.data(),
)
def test_any_add_order_gives_the_batch_timeline(captures: int, items: int, seed: int, data: st.DataObject) -> None:
    plan = data.draw(add_plans(captures))
    reopen = data.draw(st.booleans())
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_archive(captures, items, seed, Path(tmp) / "archive")
        snapshots = list(diffcore.load_many(paths).snapshots)
        by_path = {snapshot.capture.source.path: snapshot for snapshot in snapshots if snapshot.capture}
        store = Store(Path(tmp) / "history.db")
        for batch in plan:
            if reopen:
                store.close()
                store = Store(Path(tmp) / "history.db")
            store.add_snapshots([by_path[str(paths[number])] for number in batch])
        with store:
            check_store(store, snapshots)


@given(seed=st.integers(0, 10_000), data=st.data())
def test_adding_files_in_any_order_gives_the_batch_timeline(seed: int, data: st.DataObject) -> None:
    """The same through `Store.add` (paths scanned and parsed as every command reads them)."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_archive(6, 6, seed, Path(tmp) / "archive")
        plan = data.draw(add_plans(len(paths)))
        with Store(Path(tmp) / "history.db") as store:
            for batch in plan:
                store.add([paths[number] for number in batch])
            check_store(store, list(diffcore.load_many(paths).snapshots))
