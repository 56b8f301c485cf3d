"""The change report: every kind of change in the diff fixtures, the seeds, and the mirror."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest

from diffcore.diff import apply_diff, diff, options_from, word_ops
from diffcore.load import load
from diffcore.model import Edit, FieldChange, Lead, OtherLines, Snapshot, SnapshotDiff, WordOp
from diffcore.parse import parse
from diffcore.profile import default_profile
from tests.build import assert_every_change_needed, assert_mirrors, make_snapshot, rows
from tests.paths import FIXTURES_DIR

DIFF_DIR = FIXTURES_DIR / "diff"
OLD = DIFF_DIR / "old_2020-08-07.txt"
NEW = DIFF_DIR / "new_2020-09-14.txt"
LEAD_VARIANTS = {status: DIFF_DIR / f"lead_{status}_2020-08-21.txt" for status in ("replaced", "promoted", "demoted")}
ALL_FIXTURES = (OLD, NEW, *LEAD_VARIANTS.values())

PIER = "{n} days have passed since the west pier closed - no date for reopening"
FOG = "{n} days have passed since the fog signal fell silent - still waiting for a spare compressor"
FERRY = "{n} days have passed since the ferry timetable was last printed - no new edition announced"
LAMP = "{n} days have passed since the lamp room closed for glazing - reopening expected in October"


@pytest.fixture(scope="module")
def pair() -> tuple[Snapshot, Snapshot]:
    """The main fixture pair, 7 August and 14 September 2020."""
    return load(OLD), load(NEW)


@pytest.fixture(scope="module")
def report(pair: tuple[Snapshot, Snapshot]) -> SnapshotDiff:
    """The report of the main fixture pair."""
    return diff(*pair)


def edit_titled(report: SnapshotDiff, title: str) -> Edit:
    """The one edit whose new title is `title`."""
    found = [edit for edit in report.edited if edit.new.title == title]
    assert len(found) == 1, [edit.new.title for edit in report.edited]
    return found[0]


def assert_reports_nothing(report: SnapshotDiff, snapshot: Snapshot) -> None:
    """What diff(a, a) must say: nothing changed, counters keep pace with zero days."""
    assert (report.added, report.dropped, report.edited, report.moved) == ((), (), (), ())
    assert report.unchanged == len(snapshot.items)
    assert not report.has_changes
    assert report.days_elapsed == 0
    assert report.lead.status == ("same" if snapshot.lead else "absent")
    assert report.fields == ()
    assert all(clock.old == clock.new for clock in report.clocks)
    assert len(report.counters) == len({c.label for c in snapshot.header.counters})
    for counter in report.counters:
        assert (counter.status, counter.delta, counter.days_elapsed, counter.consistent) == ("same", 0, 0, True)
        assert counter.old == counter.new and counter.old_start == counter.new_start


# --- diff(a, a) -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ALL_FIXTURES, ids=lambda path: path.name)
def test_a_capture_against_itself_reports_nothing(path: Path) -> None:
    snapshot = load(path)
    assert_reports_nothing(diff(snapshot, snapshot), snapshot)
    assert_reports_nothing(diff(snapshot, load(path)), snapshot)


def test_a_seed_against_itself_reports_nothing(seed_file: Path) -> None:
    snapshot = load(seed_file)
    assert_reports_nothing(diff(snapshot, snapshot), snapshot)


# --- the main fixture pair: one test per kind of change ---------------------------------------


def test_main_pair_counts(report: SnapshotDiff) -> None:
    assert (len(report.added), len(report.dropped), len(report.edited), len(report.moved), report.unchanged) == (
        2,
        1,
        3,
        1,
        4,
    )
    assert report.has_changes
    assert report.days_elapsed == 38
    assert (report.old.source, report.new.source) == (str(OLD), str(NEW))
    assert (report.old.capture_time, report.new.capture_time) == ("08:15", "09:40")


def test_a_typo_fixed_in_a_title_is_a_title_edit(report: SnapshotDiff) -> None:
    edit = edit_titled(report, "Annual general meeting of members")
    assert edit.kinds == ("title",)
    assert edit.old.title == "Annual general meting of members"
    assert edit.title == (
        WordOp("equal", "Annual general", "Annual general"),
        WordOp("replace", "meting", "meeting"),
        WordOp("equal", "of members", "of members"),
    )
    assert all(op.tag == "equal" for op in edit.summary)
    assert edit.old.id != edit.new.id
    assert 0.9 < edit.similarity < 1.0


def test_a_rewritten_summary_under_the_same_title_and_date_is_a_summary_edit(report: SnapshotDiff) -> None:
    edit = edit_titled(report, "Tide gauge readings for July")
    assert edit.kinds == ("summary",)
    assert edit.old.id == edit.new.id  # paired by id, however different the summaries
    assert edit.similarity < 0.6
    assert any(op.tag != "equal" for op in edit.summary)


def test_a_corrected_date_is_a_published_edit(report: SnapshotDiff) -> None:
    edit = edit_titled(report, "Beach cleanup on the north shore")
    assert edit.kinds == ("published",)
    assert (edit.old.published, edit.new.published) == (dt.date(2020, 7, 29), dt.date(2020, 7, 28))
    assert (edit.old.published_text, edit.new.published_text) == ("29.07.2020", "28.07.2020")
    assert edit.old.id != edit.new.id
    assert edit.similarity == 1.0


def test_the_date_correction_needs_the_redated_threshold(pair: tuple[Snapshot, Snapshot]) -> None:
    old, new = pair
    # Rewrite the summary a little: the date no longer agrees, so only the redated threshold can pair it.
    reworded = ("Thirty volunteers collected forty bags of litter and a fridge in two hours. Thank you all.",)
    items = tuple(
        replace(item, summary=reworded) if item.title == "Beach cleanup on the north shore" else item
        for item in new.items
    )
    changed = replace(new, items=items)
    assert "Beach cleanup on the north shore" in {e.new.title for e in diff(old, changed).edited}
    strict = diff(old, changed, redated_threshold=0.95)
    assert "Beach cleanup on the north shore" not in {e.new.title for e in strict.edited}
    assert {i.title for i in strict.added} >= {"Beach cleanup on the north shore"}


def test_an_item_moved_up_is_the_only_move(report: SnapshotDiff) -> None:
    [move] = report.moved
    assert move.item.title == "Volunteer rota for August"
    assert (move.old_position, move.new_position) == (5, 3)
    assert move.old_id == move.item.id


def test_items_added_at_the_top_push_the_others_down_without_moves(report: SnapshotDiff) -> None:
    assert [(item.position, item.title) for item in report.added] == [
        (0, "Autumn opening hours"),
        (1, "Lamp room glazing finished"),
    ]
    shifted = {"Boathouse open on Sundays again", "Corrections to the printed tide table"}
    assert not shifted & {move.item.title for move in report.moved}


def test_the_dropped_item(report: SnapshotDiff) -> None:
    assert [(item.position, item.title) for item in report.dropped] == [(8, "Sea shanty evening cancelled")]


def test_an_invalid_date_is_kept_on_both_sides(pair: tuple[Snapshot, Snapshot], report: SnapshotDiff) -> None:
    old, new = pair
    title = "Corrections to the printed tide table"
    [before] = [item for item in old.items if item.title == title]
    [after] = [item for item in new.items if item.title == title]
    assert before.published is None and after.published is None
    assert before.published_text == after.published_text == "31.02.2020"
    assert before.id == after.id
    reported = [*report.added, *report.dropped, *(e.new for e in report.edited), *(m.item for m in report.moved)]
    assert title not in {item.title for item in reported}


def test_an_invalid_date_item_can_be_edited() -> None:
    old = make_snapshot([("31.02.2020", "Corrections to the printed tide table", "Two times were wrong.")])
    new = make_snapshot([("31.02.2020", "Corrections to the printed tide table", "Three times were wrong.")])
    [edit] = diff(old, new).edited
    assert edit.kinds == ("summary",)
    assert edit.old.published is None and edit.new.published is None


def test_counters_against_the_calendar(report: SnapshotDiff) -> None:
    by_label = {counter.label: counter for counter in report.counters}
    assert list(by_label) == [PIER, FOG, FERRY, LAMP]
    pier = by_label[PIER]
    assert (pier.status, pier.old, pier.new, pier.delta, pier.days_elapsed, pier.consistent) == (
        "changed",
        412,
        450,
        38,
        38,
        True,
    )
    assert pier.old_start == pier.new_start == dt.date(2019, 6, 22)


def test_a_counter_that_stopped_advancing_is_inconsistent(report: SnapshotDiff) -> None:
    fog = next(c for c in report.counters if c.label == FOG)
    assert (fog.status, fog.old, fog.new, fog.delta, fog.days_elapsed, fog.consistent) == ("same", 63, 63, 0, 38, False)
    assert fog.old_start == dt.date(2020, 6, 5) and fog.new_start == dt.date(2020, 7, 13)


def test_a_counter_that_appears(report: SnapshotDiff) -> None:
    lamp = next(c for c in report.counters if c.label == LAMP)
    assert (lamp.status, lamp.old, lamp.new, lamp.delta, lamp.consistent) == ("appeared", None, 30, None, None)
    assert lamp.old_start is None and lamp.new_start == dt.date(2020, 8, 15)


def test_a_counter_that_vanishes(report: SnapshotDiff) -> None:
    ferry = next(c for c in report.counters if c.label == FERRY)
    assert (ferry.status, ferry.old, ferry.new, ferry.delta, ferry.consistent) == ("vanished", 20, None, None, None)
    assert ferry.old_start == dt.date(2020, 7, 18) and ferry.new_start is None


def test_counter_tolerance() -> None:
    old = make_snapshot(counters=[(100, PIER)], captured=dt.date(2020, 8, 7))
    new = make_snapshot(counters=[(109, PIER)], captured=dt.date(2020, 8, 17))
    [strict] = diff(old, new).counters
    assert (strict.delta, strict.days_elapsed, strict.consistent) == (9, 10, False)
    [lenient] = diff(old, new, counter_tolerance=1).counters
    assert lenient.consistent is True


def test_a_header_field_whose_value_changed(report: SnapshotDiff) -> None:
    assert report.fields == (
        FieldChange("Visitor enquiries", "changed", "+44 (0) 20 7946 0123", "+44 (0) 20 7946 0999"),
    )


def test_header_fields_added_and_removed() -> None:
    old = make_snapshot(fields=[("Visitor enquiries", "+44 (0) 20 7946 0123"), ("Tower", "open")])
    new = make_snapshot(fields=[("Group bookings", "+44 (0) 20 7946 0456"), ("Tower", "open")])
    assert diff(old, new).fields == (
        FieldChange("Group bookings", "added", None, "+44 (0) 20 7946 0456"),
        FieldChange("Visitor enquiries", "removed", "+44 (0) 20 7946 0123", None),
    )


def test_clocks(report: SnapshotDiff) -> None:
    assert [(c.place, c.old, c.new) for c in report.clocks] == [
        ("Harbourtown", "09:15", "10:40"),
        ("London", "08:15", "09:40"),
    ]


# --- the lead article --------------------------------------------------------------------------


def test_the_lead_article_edited(report: SnapshotDiff) -> None:
    lead = report.lead
    assert lead.status == "edited"
    assert lead.old_title == lead.new_title == "Notes from the lamp room"
    assert 0.6 <= lead.similarity < 1.0
    assert all(op.tag == "equal" for op in lead.title)
    assert WordOp("replace", "Tuesday,", "Wednesday,") in lead.text
    assert lead.promoted_from is None and lead.demoted_to is None


def test_the_lead_article_replaced() -> None:
    report = diff(load(OLD), load(LEAD_VARIANTS["replaced"]))
    lead = report.lead
    assert (lead.status, lead.old_title, lead.new_title) == (
        "replaced",
        "Notes from the lamp room",
        "Storm damage to the boathouse roof",
    )
    assert lead.similarity < 0.6 and lead.title == lead.text == ()
    assert not report.has_changes and report.unchanged == 9


def test_the_lead_article_promoted_from_the_items() -> None:
    report = diff(load(OLD), load(LEAD_VARIANTS["promoted"]))
    lead = report.lead
    assert (lead.status, lead.new_title) == ("promoted", "Boathouse open on Sundays again")
    assert lead.promoted_from is not None and lead.promoted_from.position == 0
    assert lead.demoted_to is None
    assert [item.title for item in report.dropped] == ["Boathouse open on Sundays again"]
    assert report.moved == ()


def test_the_lead_article_demoted_to_the_items() -> None:
    report = diff(load(OLD), load(LEAD_VARIANTS["demoted"]))
    lead = report.lead
    assert (lead.status, lead.old_title) == ("demoted", "Notes from the lamp room")
    assert lead.demoted_to is not None and lead.demoted_to.position == 0
    assert lead.promoted_from is None
    assert [(item.position, item.title) for item in report.added] == [(0, "Notes from the lamp room")]
    assert report.moved == ()


@pytest.mark.parametrize(
    ("before", "after", "status"),
    [
        (None, Lead("Storm damage", ("The roof lost slates.",), ()), "appeared"),
        (Lead("Storm damage", ("The roof lost slates.",), ()), None, "vanished"),
        (None, None, "absent"),
    ],
)
def test_the_lead_article_on_one_side_only(before: Lead | None, after: Lead | None, status: str) -> None:
    lead = diff(make_snapshot(lead=before), make_snapshot(lead=after)).lead
    assert lead.status == status
    assert lead.similarity is None


# --- completeness and the mirror ---------------------------------------------------------------


@pytest.mark.parametrize("new_path", [NEW, *LEAD_VARIANTS.values()], ids=lambda path: path.name)
def test_the_report_rebuilds_the_new_items(new_path: Path) -> None:
    old, new = load(OLD), load(new_path)
    assert rows(apply_diff(old.items, diff(old, new))) == rows(new.items)
    assert rows(apply_diff(new.items, diff(new, old))) == rows(old.items)


def test_a_report_missing_a_change_does_not_rebuild(report: SnapshotDiff, pair: tuple[Snapshot, Snapshot]) -> None:
    old, new = pair
    assert_every_change_needed(report, old.items, new.items)


@pytest.mark.parametrize("new_path", [NEW, *LEAD_VARIANTS.values()], ids=lambda path: path.name)
def test_the_reverse_report_mirrors(new_path: Path) -> None:
    old, new = load(OLD), load(new_path)
    assert_mirrors(diff(old, new), diff(new, old))


def test_the_reverse_lead_and_counters(pair: tuple[Snapshot, Snapshot]) -> None:
    old, new = pair
    forward, backward = diff(old, new).lead, diff(new, old).lead
    assert backward.status == "edited" and backward.similarity == forward.similarity
    assert WordOp("replace", "Wednesday,", "Tuesday,") in backward.text
    promoted = diff(load(OLD), load(LEAD_VARIANTS["promoted"])).lead
    assert diff(load(LEAD_VARIANTS["promoted"]), load(OLD)).lead.status == "demoted"
    assert promoted.status == "promoted"
    assert diff(load(LEAD_VARIANTS["demoted"]), load(OLD)).lead.status == "promoted"
    fog = next(c for c in diff(new, old).counters if c.label == FOG)
    assert (fog.delta, fog.days_elapsed, fog.consistent) == (0, -38, False)


def test_a_summary_split_into_other_paragraphs_is_a_summary_edit() -> None:
    title = "Volunteer rota for August"
    old = make_snapshot([("20.07.2020", title, ("The rota is up. Ask the keeper", "for a copy."))])
    new = make_snapshot([("20.07.2020", title, ("The rota is up.", "Ask the keeper for a copy."))])
    report = diff(old, new)
    [edit] = report.edited
    assert edit.kinds == ("summary",)
    assert rows(apply_diff(old.items, report)) == rows(new.items)


def test_whitespace_and_nbsp_alone_are_no_change() -> None:
    old = make_snapshot([("20.07.2020", "Volunteer rota  for August", "The rota\u00a0is up. ")])
    new = make_snapshot([("20.07.2020", "Volunteer rota for August", "The rota is up.")])
    report = diff(old, new)
    assert report.edited == () and report.unchanged == 1


# --- the seeds ---------------------------------------------------------------------------------


def seed(seeds_dir: Path, prefix: str) -> Snapshot:
    """The one seed capture whose name starts with `prefix`."""
    [path] = sorted(seeds_dir.glob(f"{prefix}_*.txt"))
    return load(path)


def test_seeds_july_to_august_2020(seeds_dir: Path) -> None:
    old, new = seed(seeds_dir, "004"), seed(seeds_dir, "000")
    assert (old.captured, new.captured) == (dt.date(2020, 7, 15), dt.date(2020, 8, 7))
    report = diff(old, new)
    assert [item.position for item in report.dropped] == [7, 8, 9]
    assert [item.position for item in report.added] == [0, 1, 2]
    assert (report.edited, report.moved, report.unchanged) == ((), (), 7)
    assert report.days_elapsed == 23
    assert len(report.counters) == 2
    for counter, start in zip(report.counters, (dt.date(2018, 3, 4), dt.date(2018, 3, 12)), strict=False):
        assert (counter.status, counter.delta, counter.days_elapsed, counter.consistent) == ("changed", 23, 23, True)
        assert counter.old_start == counter.new_start == start
    assert rows(apply_diff(old.items, report)) == rows(new.items)
    assert_mirrors(report, diff(new, old))


def test_seeds_august_2020_to_september_2021_share_no_item(seeds_dir: Path) -> None:
    old, new = seed(seeds_dir, "000"), seed(seeds_dir, "002")
    assert new.captured == dt.date(2021, 9, 26)
    report = diff(old, new)
    assert (len(report.added), len(report.dropped), len(report.edited), report.unchanged) == (10, 10, 0, 0)
    assert report.moved == ()
    for counter in report.counters:
        assert (counter.delta, counter.days_elapsed, counter.consistent) == (415, 415, True)
    assert rows(apply_diff(old.items, report)) == rows(new.items)
    assert_mirrors(report, diff(new, old))


# --- small pieces ------------------------------------------------------------------------------


def test_word_ops() -> None:
    assert word_ops("a b c", "a b c") == (WordOp("equal", "a b c", "a b c"),)
    assert word_ops("a b c", "a c") == (WordOp("equal", "a", "a"), WordOp("delete", "b", ""), WordOp("equal", "c", "c"))
    assert word_ops("", "new words") == (WordOp("insert", "", "new words"),)
    assert word_ops("a\u00a0b", "a b") == (WordOp("equal", "a b", "a b"),)


def test_options_from() -> None:
    assert options_from(threshold=0.7).threshold == 0.7
    assert options_from(options_from(counter_tolerance=2), threshold=0.5).counter_tolerance == 2
    with pytest.raises(TypeError, match="unknown diff option"):
        options_from(treshold=0.7)


# --- lines outside the header, lead and items ----------------------------------------------------

PAGE = """8 June 2020
Saltmere: 12:58

Saltmere light shines again

01.06.2020 - Grant for a new education room

All messages
{after}
"""


def _other(old_after: str, new_after: str, new_footer: str = "All messages") -> OtherLines:
    old = parse(PAGE.format(after=old_after), "old.txt", default_profile())
    new = parse(PAGE.format(after=new_after).replace("All messages", new_footer), "new.txt", default_profile())
    return diff(old, new).other


def test_unparsed_lines_removed_and_added_are_reported_as_a_reader_counts_them() -> None:
    other = _other("Privacy\nPress office\nPress office", "Press  office\nPrivacy\nJobs")
    # Order does not matter; spacing does not; a line twice on one side and once on the other is once gone.
    assert other == OtherLines(removed=("Press office",), added=("Jobs",))
    assert bool(other)
    assert not _other("Privacy", "Privacy")
    assert _other("", "", new_footer="ALL MESSAGES").footer == ("All messages", "ALL MESSAGES")


def test_other_lines_reach_every_format(tmp_path: Path) -> None:
    from diffcore.render import DIFF_FORMATS

    old = parse(PAGE.format(after="Privacy <b>"), "old.txt", default_profile())
    new = parse(PAGE.format(after="Jobs \x1b[31m"), "new.txt", default_profile())
    report = diff(old, new)
    assert not report.has_changes  # no item changed: exit 0, but the report says what did
    text = DIFF_FORMATS["text"](report, False)
    assert "Other lines" in text and "- Privacy <b>" in text and "+ Jobs \\x1b[31m" in text
    markdown = DIFF_FORMATS["markdown"](report, False)
    assert "- removed: Privacy \\<b\\>\n- added: Jobs \\\\x1b\\[31m\n" in markdown  # escaped, one line each
    page = DIFF_FORMATS["html"](report, False)
    assert "<del>Privacy &lt;b&gt;</del>" in page and "<ins>Jobs \\x1b[31m</ins>" in page
    document = json.loads(DIFF_FORMATS["json"](report, False))
    assert document["other"] == {
        "removed": ["Privacy <b>"],
        "added": ["Jobs \x1b[31m"],
        "footer": None,
        "ignored": {"removed": [], "added": []},
    }
