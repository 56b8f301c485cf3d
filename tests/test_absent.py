"""The absent pool: items that leave, come back and leave again, however many share a date or have none.

`AbsentPool.match` must pair exactly as the plain pool did: `match_items`
over every absent item of the new items' dates, in the order they left.
`ListedPool` below is that plain pool, kept here as the oracle; the
timeline built on either must be the same, for every generated archive,
whether a bucket is read whole or through its index.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

import diffcore
import synthetic
from diffcore import absent
from diffcore.absent import AbsentPool
from diffcore.diff import DiffOptions
from diffcore.identity import UNDATED, item_id, repeat_id
from diffcore.match import match_items, words_of
from diffcore.model import Header, Item, Snapshot, Timeline
from diffcore.timeline import TimelineBuilder

DAY = dt.date(2021, 3, 1)


@dataclass
class ListedPool(TimelineBuilder):
    """The timeline as it was: absent items in plain dicts by published date, matched by `match_items`."""

    _listed: dict[str, dict[str, tuple[str, tuple[str, ...], str | None]]] = field(default_factory=dict)

    def _leave(self, identity: str, item: Item) -> None:
        kept = identity if item.id == identity else item.id
        self._listed.setdefault(item.published_text, {})[identity] = kept, item.summary, item.link

    def _match_returning(self, items: list[Item]) -> list[tuple[str, Item] | None]:
        found: list[tuple[str, Item] | None] = [None] * len(items)
        pool = []
        for date in sorted({item.published_text for item in items}):
            for identity, (kept, summary, link) in self._listed.get(date, {}).items():
                history = self._histories[identity]
                item = Item(kept, history.published, history.published_text, history.title, summary, 0, (), link)
                pool.append((identity, item))
        if not pool or not items:
            return found
        for pair in match_items([item for _, item in pool], items, self.options).pairs:
            identity, item = pool[pair.old]
            found[pair.new] = identity, item
            del self._listed[item.published_text][identity]
        return found


@contextmanager
def indexed_from(size: int) -> Iterator[None]:
    """Buckets of more than `size` absent items keep an index (0: every bucket)."""
    with mock.patch.object(absent, "INDEX_FROM", size):
        yield


def both(snapshots: Sequence[Snapshot], options: DiffOptions | None = None) -> tuple[Timeline, Timeline]:
    """The timeline of the snapshots as built now, and as the listed pool builds it."""
    results = []
    for builder in (TimelineBuilder(options or DiffOptions()), ListedPool(options or DiffOptions())):
        for snapshot in snapshots:
            builder.add(snapshot)
        results.append(builder.result())
    return results[0], results[1]


def item(title: str, summary: str, dated: bool = True) -> Item:
    published = DAY if dated else None
    printed = DAY.strftime("%d.%m.%Y") if dated else ""
    return Item(item_id(DAY.isoformat() if dated else UNDATED, title), published, printed, title, (summary,), 0, ())


def redated(snapshot: Snapshot, dating: str) -> Snapshot:
    """The snapshot with every item on one date ("one") or on none ("none"), ids as the parser would give them."""
    if dating == "spread":
        return snapshot
    seen: Counter[str] = Counter()
    items = []
    for position, old in enumerate(snapshot.items):
        dated = dating == "one"
        base = item_id(DAY.isoformat() if dated else UNDATED, old.title)
        seen[base] += 1
        items.append(
            replace(
                old,
                id=repeat_id(base, seen[base]),
                published=DAY if dated else None,
                published_text=DAY.strftime("%d.%m.%Y") if dated else "",
                position=position,
            )
        )
    return replace(snapshot, items=tuple(items))


def page(day: int, *items: Item) -> Snapshot:
    return Snapshot(f"{day}.txt", Header(DAY + dt.timedelta(days=day), None, 1), None, items, None, None)


TITLES = [
    ("Ferry timetable changes for the winter", "The last boat leaves the quay at six from November."),
    ("New lifeboat named at Gullhaven", "The crew chose the name of a keeper who served forty years."),
    ("Seawall repairs finished at West Breakwater", "Engineers signed off the work after the spring tides."),
    ("Puffin count begins on the outer rocks", "Volunteers count nesting pairs every morning until April."),
    ("Lamp room opens to visitors on Sundays", "Tours of twelve people climb the tower every hour."),
]


@pytest.mark.parametrize("dated", [True, False], ids=["one date", "undated"])
@pytest.mark.parametrize("index_from", [0, 32])
def test_items_leave_return_and_leave_again(dated: bool, index_from: int) -> None:
    items = [item(title, summary, dated) for title, summary in TITLES]
    edited = replace(items[1], title=items[1].title + " by the mayor", id=item_id("x", "y"))
    snapshots = [
        page(0, *items),
        page(1, items[0]),  # four leave, all of one date (or none)
        page(2, items[0], items[2], edited),  # one returns as it was, one edited
        page(3, items[0]),  # they leave again
        page(4, items[0], items[2], edited, items[3]),  # and come back again
    ]
    with indexed_from(index_from):
        result, listed = both(snapshots)
    assert result == listed
    assert len(result.histories) == len(items)
    runs = {history.title: history.runs for history in result.histories}
    assert runs[items[2].title] == ((0, 0), (2, 2), (4, 4))
    assert runs[edited.title] == ((0, 0), (2, 2), (4, 4))
    assert runs[items[3].title] == ((0, 0), (4, 4))


def test_the_pool_keeps_its_order_and_counts() -> None:
    """Records are listed by date as printed, then in the order they left; a return takes its record out."""
    pool = AbsentPool(DiffOptions())
    with indexed_from(1):
        for n, (title, summary) in enumerate(TITLES):
            dated = item(title, summary, dated=n % 2 == 0)
            pool.leave(f"T{n}", dated.id, dated.published, dated.published_text, title, dated.summary)
        order = [record.identity for record in pool.records()]
        assert order == ["T1", "T3", "T0", "T2", "T4"]  # undated ("") before "01.03.2021"
        back = item(*TITLES[2])
        [(record, index)] = pool.match([back])
        assert (record.identity, index) == ("T2", 0)
        pool.remove(record)
        assert len(pool) == 4
        again = item(*TITLES[2])
        pool.leave("T2", again.id, again.published, again.published_text, again.title, again.summary)
        assert [record.identity for record in pool.records()][-1] == "T2"


def test_an_indexed_bucket_finds_an_edited_return_among_many_of_its_date() -> None:
    """Hundreds of absent items of one date: the one the new item is (a title edited) is found, alone."""
    pool = AbsentPool(DiffOptions())
    for n in range(300):
        title = f"Notice {n} about the harbour works at berth {n * 7 % 101} and the {n % 13} cranes"
        summary = f"Crews will close berth {n} for {n % 9 + 2} days while the quay number {n} is rebuilt."
        gone = item(title, summary)
        pool.leave(f"N{n}", gone.id, gone.published, gone.published_text, title, gone.summary, words_of(gone))
    back = item(
        "Notice 123 about the urgent harbour works at berth 52 and the 6 cranes",
        "Crews will close berth 123 for 8 days while the quay number 123 is rebuilt.",
    )
    others = [item(f"Concert number {n} on the pier", f"Band {n} plays for an hour.") for n in range(12)]
    for candidates in ([back], [back, *others]):  # every absent item a candidate, then blocked by tokens
        found = pool.match(candidates)
        assert [(record.identity, index) for record, index in found] == [("N123", 0)]


@given(st.lists(st.sampled_from("abcde"), max_size=12), st.lists(st.sampled_from("abcde"), max_size=12))
def test_the_least_overlap_bounds_any_pair_that_scores_enough(a: list[str], b: list[str]) -> None:
    """Two word lists whose difflib ratio reaches `needed` share at least `least_overlap` words of either."""
    from diffcore.match import similarity

    ratio = similarity(a, b)
    shared = sum((Counter(a) & Counter(b)).values())
    if ratio > 0:
        assert shared >= absent.least_overlap(len(a), ratio)
        assert shared >= absent.least_overlap(len(b), ratio)


CHURNS = {
    "default": synthetic.Churn(),
    "heavy": synthetic.Churn(
        added=0.3,
        dropped=0.2,
        moved=0.05,
        edited_title=0.1,
        edited_summary=0.1,
        edited_both=0.05,
        date_corrected=0.05,
        returns=0.2,
        twins=0.3,
    ),
}
OPTIONS = [
    DiffOptions(),
    DiffOptions(threshold=0.3, redated_threshold=0.5, screen_margin=0.25),
    DiffOptions(candidates_per_item=2, date_block_limit=1, rare_word_limit=3, probe_words=2),
    DiffOptions(candidates_per_item=40, date_block_limit=60),
]


@given(
    seed=st.integers(0, 10_000),
    churn=st.sampled_from(sorted(CHURNS)),
    dating=st.sampled_from(["spread", "one", "none"]),
    index_from=st.sampled_from([0, 3, 32]),
    options=st.sampled_from(range(len(OPTIONS))),
    items=st.integers(4, 16),
)
def test_the_timeline_is_the_one_the_listed_pool_builds(
    seed: int, churn: str, dating: str, index_from: int, options: int, items: int
) -> None:
    archive = synthetic.generate(10, items, seed, CHURNS[churn], step_days=(1, 2))
    profile = diffcore.default_profile()
    snapshots = [redated(diffcore.parse(c.text, c.name, profile), dating) for c in archive.captures]
    with indexed_from(index_from):
        result, listed = both(snapshots, OPTIONS[options])
    assert result == listed
