"""The timeline: identities through edits and gaps, order independence, tables, the seeds."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import shutil
from dataclasses import replace
from pathlib import Path
from unittest import mock

import pytest

import diffcore
from diffcore import tables
from diffcore.diff import diff
from diffcore.identity import item_id
from diffcore.model import Header, Item, Lead, Snapshot
from diffcore.timeline import TimelineBuilder, timeline


def make_item(day: dt.date, title: str, summary: str, position: int) -> Item:
    return Item(item_id(day.isoformat(), title), day, day.strftime("%d.%m.%Y"), title, (summary,), position, ())


def make_snapshot(
    captured: dt.date, entries: list[tuple[dt.date, str, str]], lead: str | None = None, counters: tuple = ()
) -> Snapshot:
    items = tuple(make_item(day, title, summary, n) for n, (day, title, summary) in enumerate(entries))
    lead_model = Lead(lead, ("A paragraph about it.",), ()) if lead else None
    return Snapshot(f"{captured}.txt", Header(captured, None, 1, counters=counters), lead_model, items, None, None)


D1, D2, D3 = dt.date(2021, 3, 1), dt.date(2021, 3, 8), dt.date(2021, 3, 15)
STORM = (
    dt.date(2021, 2, 20),
    "Storm damage to the north jetty assessed",
    "Engineers walked the jetty and listed the repairs it needs before summer.",
)
GALA = (
    dt.date(2021, 2, 25),
    "Winter gala raises funds for the lamp room",
    "Two hundred guests attended the gala in the boathouse on Saturday evening.",
)
BIRDS = (
    dt.date(2021, 3, 5),
    "Puffin count begins on the outer rocks",
    "Volunteers will count nesting pairs every morning until the end of April.",
)


def test_item_keeps_identity_through_an_edit() -> None:
    fixed = (STORM[0], "Storm damage to the north jetty assessed by engineers", STORM[2])
    result = timeline([make_snapshot(D1, [STORM, GALA]), make_snapshot(D2, [fixed, GALA])])
    storm = next(h for h in result.histories if h.published == STORM[0])
    assert len(result.histories) == 2
    assert storm.edits == 1
    assert storm.titles == (STORM[1], fixed[1])
    assert storm.title == fixed[1]
    assert storm.runs == ((0, 1),)


def test_returning_item_keeps_identity_with_a_gap() -> None:
    result = timeline(
        [make_snapshot(D1, [STORM, GALA]), make_snapshot(D2, [GALA]), make_snapshot(D3, [BIRDS, STORM, GALA])]
    )
    storm = next(h for h in result.histories if h.published == STORM[0])
    assert storm.runs == ((0, 0), (2, 2))
    assert storm.gaps == 1 and storm.seen == 2
    frame = tables.items_frame(result).set_index("id")
    assert frame.loc[storm.identity, "gaps"] == 1
    assert frame.loc[storm.identity, "span"] == 3
    assert frame.loc[storm.identity, "seen"] == 2


def test_returning_item_with_an_edit_keeps_identity() -> None:
    edited = (STORM[0], STORM[1], STORM[2].replace("summer", "the summer season"))
    result = timeline([make_snapshot(D1, [STORM, GALA]), make_snapshot(D2, [GALA]), make_snapshot(D3, [edited, GALA])])
    assert len(result.histories) == 2
    storm = next(h for h in result.histories if h.published == STORM[0])
    assert storm.gaps == 1 and storm.edits == 1


def linked(snapshot: Snapshot) -> Snapshot:
    """`snapshot` with each item linking to a page of its own (named by its title)."""
    items = tuple(replace(item, link=f"https://example.org/{item.title.split()[0].lower()}") for item in snapshot.items)
    return replace(snapshot, items=items)


def test_a_linked_item_that_returns_unchanged_is_not_an_edit() -> None:
    """The absent item keeps its link: coming back with the same link (and text) is no edit; another link is one."""
    snapshots = [linked(make_snapshot(D1, [STORM, GALA])), linked(make_snapshot(D2, [GALA]))]
    back = linked(make_snapshot(D3, [BIRDS, STORM, GALA]))
    result = timeline([*snapshots, back])
    storm = next(h for h in result.histories if h.published == STORM[0])
    assert storm.runs == ((0, 0), (2, 2))
    assert [h.edits for h in result.histories] == [0, 0, 0]
    moved = replace(back, items=tuple(replace(item, link=f"{item.link}-moved") for item in back.items))
    storm = next(h for h in timeline([*snapshots, moved]).histories if h.published == STORM[0])
    assert storm.runs == ((0, 0), (2, 2)) and storm.edits == 1


def test_a_linked_item_that_returns_unchanged_is_not_an_edit_in_a_fold_of_steps() -> None:
    """Steps pickled as workers send them keep the links of the items that leave, so the fold agrees."""
    import pickle

    from diffcore.timeline import Step

    snapshots = [
        linked(make_snapshot(D1, [STORM, GALA])),
        linked(make_snapshot(D2, [GALA])),
        linked(make_snapshot(D3, [BIRDS, STORM, GALA])),
    ]
    direct, sent = TimelineBuilder(), TimelineBuilder()
    previous = None
    for snapshot in snapshots:
        matching = direct.add(snapshot)
        sent.add_step(pickle.loads(pickle.dumps(Step.of(snapshot, previous, matching, direct.options))))
        previous = snapshot.items
    assert sent.result() == direct.result() == timeline(snapshots)
    assert [h.edits for h in sent.result().histories] == [0, 0, 0]


def test_items_table_sorted_by_first_seen_then_published() -> None:
    result = timeline([make_snapshot(D1, [GALA, STORM]), make_snapshot(D2, [BIRDS, GALA, STORM])])
    frame = tables.items_frame(result)
    assert list(frame["title"]) == [STORM[1], GALA[1], BIRDS[1]]
    assert list(frame["lag_days"]) == [(D1 - STORM[0]).days, (D1 - GALA[0]).days, (D2 - BIRDS[0]).days]


def test_list_input_is_ordered_by_capture_date() -> None:
    snapshots = [make_snapshot(D1, [STORM]), make_snapshot(D2, [STORM, GALA]), make_snapshot(D3, [GALA])]
    shuffled = [snapshots[2], snapshots[0], snapshots[1]]
    assert timeline(shuffled) == timeline(snapshots)


def test_streams_must_come_in_date_order() -> None:
    builder = TimelineBuilder()
    builder.add(make_snapshot(D2, [STORM]))
    with pytest.raises(ValueError):
        builder.add(make_snapshot(D1, [STORM]))


def test_counters_flag_a_stall_and_imply_start_dates() -> None:
    from diffcore.model import HeaderCounter

    def counter(value: int) -> tuple[HeaderCounter, ...]:
        return (HeaderCounter("{n} days have passed since the west pier closed", value, "day", "", 5),)

    result = timeline(
        [
            make_snapshot(D1, [STORM], counters=counter(100)),
            make_snapshot(D2, [STORM], counters=counter(107)),
            make_snapshot(D3, [STORM], counters=counter(107)),
        ]
    )
    assert [r.consistent for r in result.counters] == [None, True, False]
    assert {r.implied_start for r in result.counters[:2]} == {D1 - dt.timedelta(days=100)}
    frame = tables.counters_frame(result)
    stalled = frame["{n} days have passed since the west pier closed (stalled)"]
    assert list(stalled.astype(object).where(stalled.notna(), None)) == [None, False, True]


def test_lead_track_spans_edits_and_replacements() -> None:
    result = timeline(
        [
            make_snapshot(D1, [STORM], lead="Annual review of the trust"),
            make_snapshot(D2, [STORM], lead="Annual review of the trust"),
            make_snapshot(D3, [STORM], lead="Lamp room reopens to visitors"),
        ]
    )
    assert [(span.first, span.last) for span in result.leads] == [(0, 1), (2, 2)]
    assert list(tables.leads_frame(result)["captures"]) == [2, 1]


def test_timeline_equals_a_fold_of_pairwise_diffs() -> None:
    """Without gaps, presence and edits follow from the consecutive change reports."""
    rng = random.Random(7)
    pool = [
        (
            dt.date(2021, 1, 1) + dt.timedelta(days=n),
            f"Notice number {n} about harbour works {rng.random():.6f}",
            f"Details of notice {n} for the harbour users and the visiting boats.",
        )
        for n in range(30)
    ]
    snapshots = []
    present = pool[:10]
    for week in range(8):
        snapshots.append(make_snapshot(dt.date(2021, 6, 1) + dt.timedelta(weeks=week), present))
        present = [pool[10 + week * 2], pool[11 + week * 2], *present[:-2]]
    result = timeline(snapshots)
    alive: dict[str, int] = {item.id: 0 for item in snapshots[0].items}
    for index, (old, new) in enumerate(itertools.pairwise(snapshots), start=1):
        report = diff(old, new)
        for item in report.dropped:
            alive.pop(item.id)
        for item in report.added:
            alive[item.id] = index
    last = len(snapshots) - 1
    still_there = {h.identity for h in result.histories if h.last == last}
    assert still_there == set(alive)
    assert {h.identity: h.first for h in result.histories if h.identity in alive} == alive


def test_seed_timeline(seeds_dir: Path) -> None:
    loaded = diffcore.load_many([seeds_dir])
    result = diffcore.timeline(loaded.snapshots)
    assert result.captures[0].captured == dt.date(2020, 7, 15)
    assert result.captures[-1].captured == dt.date(2021, 9, 26)
    frame = tables.items_frame(result)
    both_2020 = frame[(frame["published"] >= "2020-06-17") & (frame["published"] <= "2020-07-14")]
    assert len(both_2020) == 7
    assert set(both_2020["first_seen"].dt.date) == {dt.date(2020, 7, 15)}
    assert set(both_2020["last_seen"].dt.date) == {dt.date(2020, 8, 7)}
    assert set(both_2020["seen"]) == {2}
    assert len(result.leads) == 3
    assert len(tables.counters_frame(result)) == 3


def test_seed_timeline_ignores_file_order(seeds_dir: Path, tmp_path: Path) -> None:
    """Shuffled names (so name order differs from date order) give the same timeline."""
    names = ["c.txt", "a.txt", "b.txt"]
    for name, source in zip(names, sorted(seeds_dir.glob("*.txt")), strict=True):
        shutil.copy(source, tmp_path / name)
    plain = diffcore.timeline(diffcore.load_many([seeds_dir]).snapshots)
    shuffled = diffcore.timeline(diffcore.load_many([tmp_path]).snapshots)
    assert plain.histories == shuffled.histories
    assert plain.leads == shuffled.leads
    assert [c.captured for c in plain.captures] == [c.captured for c in shuffled.captures]


def test_timeline_with_two_workers_is_the_one_folded_in_one_process(tmp_path: Path) -> None:
    """Workers parse and match runs of captures and send back steps; the fold, and what it renders, is the same."""
    import importlib

    from diffcore.load import scan
    from diffcore.render import TIMELINE_FORMATS
    from synthetic import Churn, iter_captures

    timeline_module = importlib.import_module("diffcore.timeline")  # the module: `diffcore.timeline` is the function
    churn = Churn(added=0.3, dropped=0.2, returns=0.2, edited_title=0.1, date_corrected=0.05)
    for capture in iter_captures(60, 12, 3, churn):
        (tmp_path / capture.name).write_text(capture.text, encoding="utf-8")
    inventory = scan([tmp_path], workers=1)
    one = timeline_module.timeline_of(inventory, workers=1)
    with mock.patch.object(timeline_module, "CHUNK", 7):  # runs end mid-way and workers take turns
        two = timeline_module.timeline_of(inventory, workers=2)
    assert two == one == diffcore.timeline(diffcore.load_many([tmp_path]).snapshots)
    render = TIMELINE_FORMATS["json"]
    assert render(two, ("items", "presence"), False) == render(one, ("items", "presence"), False)


def test_a_step_pickles_to_what_the_fold_reads() -> None:
    """A step sent back by a worker folds as the step it was: items without their lines, the rest as it was."""
    import pickle

    from diffcore.timeline import Step

    snapshots = [make_snapshot(D1, [STORM, GALA], lead="Annual review of the trust"), make_snapshot(D2, [GALA, BIRDS])]
    direct, sent = TimelineBuilder(), TimelineBuilder()
    previous = None
    for snapshot in snapshots:
        matching = direct.add(snapshot)
        step = Step.of(snapshot, previous, matching, direct.options)
        back = pickle.loads(pickle.dumps(step))
        assert back.kept == step.kept and back.ref == step.ref and back.lead == step.lead
        assert [item for _, item in back.new] == [replace(item, lines=()) for _, item in step.new]
        sent.add_step(back)
        previous = snapshot.items
    assert sent.result() == direct.result()
