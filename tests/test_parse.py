"""Parsing captures into snapshots: every fixture field by field, line accounting, seeds."""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diffcore.identity import item_id
from diffcore.inputs.decoding import read_text
from diffcore.load import load
from diffcore.model import Clock, Field, Snapshot, Unparsed
from diffcore.parse import parse, read_page_date, split_lines
from diffcore.profile import default_profile, load_profile
from tests.paths import FIXTURES_DIR, ISO_PROFILE
from tests.support import GOOD_FIXTURES, NBSP, VARIANTS, assert_lines_accounted

parse_module = importlib.import_module("diffcore.parse")  # the package's `parse` is the function

D = dt.date


def fixture(name: str) -> Snapshot:
    """Load a committed fixture with the default profile."""
    return load(FIXTURES_DIR / name)


def assert_items(snapshot: Snapshot, expected: list[tuple[dt.date | None, str, str, tuple[str, ...]]]) -> None:
    """Items as (published, published_text, title, summary), in page order with positions 0..n-1."""
    got = [(i.published, i.published_text, i.title, i.summary) for i in snapshot.items]
    assert got == expected
    assert [i.position for i in snapshot.items] == list(range(len(expected)))
    for item in snapshot.items:
        if item.published is not None and "~" not in item.id:
            assert item.id == item_id(item.published.isoformat(), item.title)
    assert len({i.id for i in snapshot.items}) == len(snapshot.items)


# --- the main fixture, part by part -------------------------------------------------------


def test_main_header() -> None:
    snap = fixture("lighthouse_2020-08-07.txt")
    header = snap.header
    assert snap.captured == D(2020, 8, 7)
    assert header.date_line == 1
    assert header.capture_time == "08:15"
    assert header.clocks == (Clock("Harbourtown", "09:15", 2), Clock("London", "08:15", 3))
    # Trailing NBSP / space pairs are trimmed from both label and value.
    assert header.fields == (Field("Visitor enquiries", "+44 (0) 20 7946 0000", (5, 6)),)


def test_main_counters_share_one_line() -> None:
    counters = fixture("lighthouse_2020-08-07.txt").header.counters
    assert [(c.value, c.unit, c.line) for c in counters] == [(412, "day", 8), (97, "day", 8)]
    assert counters[0].label == (
        "{n} days have passed since the west pier closed - no date for reopening from the harbour board"
    )
    assert counters[1].label == (
        "{n} days have passed since the lamp room was last open to visitors - no word from the insurers"
    )
    assert counters[0].text == counters[0].label.replace("{n}", "412")
    assert counters[1].text == counters[1].label.replace("{n}", "97")
    assert all(NBSP not in c.text and not c.text.endswith(" ") for c in counters)


def test_main_lead() -> None:
    lead = fixture("lighthouse_2020-08-07.txt").lead
    assert lead is not None
    assert lead.title == "Keeper\u2019s notes: a summer of repairs"
    assert len(lead.paragraphs) == 8
    assert lead.paragraphs[0] == "Dear friends,"
    assert [p for p in lead.paragraphs if p.startswith("Question:")] == [
        "Question: How long will the lamp room stay closed?",
        "Question: Can visitors still climb the tower?",
    ]
    # Inner NBSP and typographic dash kept for display; trailing spaces gone; typo kept.
    assert lead.paragraphs[4].startswith("Until the glaziers sign it off" + NBSP + "\u2014 we hope")
    assert lead.paragraphs[6].endswith("roped off for now.")
    assert "recieved" in lead.paragraphs[7]
    assert lead.lines == (12, 14, 17, 19, 21, 23, 25, 27, 29)
    assert lead.text.splitlines()[0] == lead.title


def test_main_items() -> None:
    snap = fixture("lighthouse_2020-08-07.txt")
    assert_items(
        snap,
        [
            (
                D(2020, 8, 5),
                "05.08.2020",
                "Lamp room glazing: first two panes replaced",
                (
                    "The glaziers replaced the two cracked panes on the seaward side. "
                    "The old glass will go on show in the boathouse.",
                ),
            ),
            (
                D(2020, 7, 28),
                "28.07.2020",
                "\u201cLights on the Water\u201d evening postponed",
                (
                    "The evening walk planned for 1" + NBSP + "August moves to a later date "
                    "because of the scaffolding on the west path.",
                ),
            ),
            (D(2020, 7, 21), "21.07.2020", "Annual report 2019\u20132020", ("Annual report 2019\u20132020",)),
            (
                D(2020, 7, 14),
                "14.07.2020",
                "Volunteer open day" + NBSP + "at the boathouse",
                ("New volunteers are welcome to join us on Saturday, 18 July, from 10:00. Tea and biscuits provided.",),
            ),
            (
                D(2020, 7, 2),
                "02.07.2020",
                "West pier: update from the harbour board",
                (
                    "The harbour board says the survey of the pier piles is still not finished.",
                    "We will publish the surveyor\u2019s report as soon as we receive it.",
                ),
            ),
        ],
    )
    # Ids are readable and stable: this value must not change between releases.
    assert snap.items[2].id == "2020-07-21-b4f41947"
    assert snap.items[4].lines == (48, 50, 52)
    assert snap.items[4].summary_text.count("\n") == 1


def test_main_footer_and_nothing_left_over() -> None:
    snap = fixture("lighthouse_2020-08-07.txt")
    assert (snap.footer, snap.footer_line) == ("all messages", 54)
    assert snap.unparsed == ()
    assert snap.warnings == ()


# --- the other fixtures -------------------------------------------------------------------


def test_later_capture_counters_on_two_lines() -> None:
    snap = fixture("lighthouse_2020-09-14.txt")
    assert snap.captured == D(2020, 9, 14)
    assert snap.header.capture_time == "17:40"
    assert [c.place for c in snap.header.clocks] == ["Harbourtown", "London"]
    assert [(f.label, f.value) for f in snap.header.fields] == [("Visitor enquiries", "+44 (0) 20 7946 0000")]
    counters = snap.header.counters
    assert [(c.value, c.unit, c.line) for c in counters] == [(450, "day", 8), (2, "week", 10)]
    assert counters[1].label == "{n} weeks have passed since the lamp room reopened to visitors"
    assert snap.lead is not None
    assert snap.lead.title == "Lamp room open again"
    assert snap.lead.paragraphs[0] == "Dear members and friends,"
    assert len(snap.lead.paragraphs) == 4
    assert [i.published for i in snap.items] == [
        D(2020, 9, 10),
        D(2020, 9, 1),
        D(2020, 8, 5),
        D(2020, 7, 28),
        D(2020, 7, 21),
    ]
    assert snap.items[4].summary == (snap.items[4].title,)
    assert snap.footer == "all messages"
    assert snap.unparsed == () and snap.warnings == ()


def test_ids_are_shared_across_captures_for_the_same_item() -> None:
    early = {i.title: i.id for i in fixture("lighthouse_2020-08-07.txt").items}
    late = {i.title: i.id for i in fixture("lighthouse_2020-09-14.txt").items}
    shared = set(early) & set(late)
    assert shared == {"\u201cLights on the Water\u201d evening postponed", "Annual report 2019\u20132020"}
    assert all(early[title] == late[title] for title in shared)
    # A retitled item gets a new id (matching it is the matcher's job, not the parser's).
    assert early["Lamp room glazing: first two panes replaced"] != late["Lamp room glazing: all panes replaced"]


def test_older_capture_without_counters() -> None:
    snap = fixture("lighthouse_2019-03-02_old.txt")
    assert snap.captured == D(2019, 3, 2)
    assert snap.header.capture_time == "11:40"
    assert snap.header.counters == ()
    assert snap.header.fields == (Field("Visitor enquiries", "+44 (0) 20 7946 0000", (5, 6)),)
    assert snap.lead is not None and snap.lead.title == "Winter opening hours"
    assert snap.lead.paragraphs == ("From November to March the tower opens at weekends only, 11:00 to 15:00.",)
    assert_items(
        snap,
        [
            (
                D(2019, 3, 2),
                "02.03.2019",
                "Fog signal demonstration",
                ("The restored fog signal sounds at noon on the first Sunday of each month.",),
            ),
            (
                D(2019, 2, 15),
                "15.02.2019",
                "New guidebook",
                ("Our new illustrated guidebook is on sale in the shop for \u00a35.",),
            ),
        ],
    )
    # The footer marker matches whatever its case and spacing; the line is kept trimmed.
    assert (snap.footer, snap.footer_line) == ("All  Messages", 21)
    assert snap.unparsed == ()


def test_invalid_item_date_is_kept_with_a_warning() -> None:
    snap = fixture("invalid_date.txt")
    assert_small_header(snap, D(2020, 3, 3), (Clock("London", "10:05", 2),))
    assert snap.lead is not None
    assert (snap.lead.title, snap.lead.paragraphs) == ("Boathouse notices", ("Two notices from the boathouse board.",))
    assert_items(
        snap,
        [
            (
                D(2020, 3, 2),
                "02.03.2020",
                "Rowing club meeting",
                ("The rowing club meets in the boathouse on Thursday evening.",),
            ),
            (None, "31.02.2020", "Tide table corrections", ("Corrections to the printed tide table for the spring.",)),
        ],
    )
    bad = snap.items[1]
    assert bad.id == item_id("31.02.2020", "Tide table corrections")
    assert bad.lines == (12, 14)
    assert len(snap.warnings) == 1
    warning = snap.warnings[0]
    assert str(FIXTURES_DIR / "invalid_date.txt") in warning
    assert "line 12" in warning and "31.02.2020" in warning
    assert snap.footer == "all messages" and snap.unparsed == ()


def test_duplicate_items_get_distinct_ids() -> None:
    snap = fixture("duplicate_items.txt")
    assert_small_header(snap, D(2020, 6, 9), (Clock("London", "14:30", 2),))
    assert snap.lead is not None and (snap.lead.title, snap.lead.paragraphs) == ("Gift shop news", ())
    assert snap.footer == "all messages"
    ids = [i.id for i in snap.items]
    base = item_id("2020-06-08", "Shop closed for stocktaking")
    assert ids[:2] == [base, base + "~2"]
    # Same title key one day earlier: a different item, same title hash.
    assert ids[2] == item_id("2020-06-07", "Shop closed for stocktaking")
    assert ids[2].rsplit("-", 1)[1] == base.rsplit("-", 1)[1]
    assert snap.items[2].title == "Shop Closed for  Stocktaking"
    assert [i.summary_text for i in snap.items[:2]] == [
        "The shop is closed on Monday.",
        "The shop is closed on Monday and Tuesday.",
    ]
    assert snap.warnings == () and snap.unparsed == ()


def test_line_after_footer_is_unparsed() -> None:
    snap = fixture("after_footer.txt")
    assert_small_header(snap, D(2020, 5, 11), (Clock("London", "16:00", 2),))
    assert snap.lead is not None and (snap.lead.title, snap.lead.paragraphs) == ("Keepers wanted", ())
    assert (snap.footer, snap.footer_line) == ("all messages", 10)
    assert snap.unparsed == (Unparsed(12, "Subscribe to our newsletter"),)
    assert [i.title for i in snap.items] == ["Weekend keepers wanted"]
    assert snap.items[0].summary == ("We need two volunteers for the weekend rota.",)


def assert_small_header(
    snap: Snapshot, captured: dt.date, clocks: tuple[Clock, ...], fields: tuple[Field, ...] = ()
) -> None:
    """Header of the short fixtures: date on line 1, clocks, fields, no counters."""
    assert (snap.captured, snap.header.date_line) == (captured, 1)
    assert snap.header.clocks == clocks
    assert snap.header.capture_time == next(c.time for c in clocks if c.place == "London")
    assert snap.header.fields == fields
    assert snap.header.counters == ()


ENQUIRIES = (Field("Visitor enquiries", "+44 (0) 20 7946 0000", (5, 6)),)


def test_cyrillic_items() -> None:
    snap = fixture("source_cp1251.txt")
    assert_small_header(
        snap, D(2020, 10, 20), (Clock("Harbourtown", "13:00", 2), Clock("London", "12:00", 3)), ENQUIRIES
    )
    assert snap.lead is not None and len(snap.lead.paragraphs) == 1
    assert snap.lead.paragraphs[0].startswith("Дорогие друзья,")
    assert snap.lead is not None and snap.lead.title == "Новости для наших друзей"
    assert [(i.published, i.title) for i in snap.items] == [
        (D(2020, 10, 19), "Экскурсия на маяк"),
        (D(2020, 10, 12), "Новый фонарь"),
    ]
    assert snap.items[1].summary_text.endswith("установлен на башне.")
    assert snap.footer == "all messages" and snap.unparsed == ()


def test_western_accented_items() -> None:
    snap = fixture("source_cp1252.txt")
    assert_small_header(
        snap, D(2020, 10, 21), (Clock("Harbourtown", "13:10", 2), Clock("London", "12:10", 3)), ENQUIRIES
    )
    assert snap.items[0].summary == (
        "A na\u00efve painter from Gen\u00e8ve showed her \u0153uvre in the fa\u00e7ade gallery "
        "\u2013 entr\u00e9e libre.",
    )
    assert [(i.published, i.title) for i in snap.items] == [
        (D(2020, 10, 18), "\u201cLa mer\u201d: an \u0153uvre for the lantern"),
        (D(2020, 10, 11), "Caf\u00e9 reopens"),
    ]
    assert snap.lead is not None and "Z\u00fcrich" in snap.lead.text
    assert snap.footer == "all messages" and snap.unparsed == ()


def test_leading_blank_lines_move_the_date_line() -> None:
    text = "\n \n" + (FIXTURES_DIR / "after_footer.txt").read_text(encoding="utf-8")
    snap = parse(text, "padded", default_profile())
    assert snap.header.date_line == 3
    assert snap.captured == D(2020, 5, 11)
    assert snap.unparsed == (Unparsed(14, "Subscribe to our newsletter"),)
    assert_lines_accounted(text, snap)


def test_read_page_date_reads_the_header_only() -> None:
    text = (FIXTURES_DIR / "lighthouse_2020-08-07.txt").read_text(encoding="utf-8")
    assert read_page_date(text, "x", default_profile()) == (D(2020, 8, 7), "08:15")
    # Garbage after the header does not matter to the dating step.
    assert read_page_date("1 May 2021\nLondon: 07:00\n\x7f???", "x", default_profile()) == (D(2021, 5, 1), "07:00")
    assert read_page_date("1 May 2021\n", "x", default_profile()) == (D(2021, 5, 1), None)


# --- line accounting on every fixture and every seed ----------------------------------------


@pytest.mark.parametrize("name", GOOD_FIXTURES)
def test_line_accounting_committed_fixtures(name: str) -> None:
    path = FIXTURES_DIR / name
    assert_lines_accounted(read_text(path), load(path))


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_line_accounting_generated_fixtures(name: str, variants: dict[str, Path]) -> None:
    path = variants[name]
    assert_lines_accounted(read_text(path), load(path))


def test_line_accounting_custom_layout() -> None:
    path = FIXTURES_DIR / "iso_layout.txt"
    assert_lines_accounted(read_text(path), load(path, load_profile(ISO_PROFILE)))


def test_line_accounting_seeds(seed_file: Path) -> None:
    assert_lines_accounted(read_text(seed_file), load(seed_file))


# --- the real captures ----------------------------------------------------------------------

# Known facts of the three seed captures: capture date, London time, counter values.
SEED_FACTS = {
    "000_f360cb25c1b660a8.txt": (D(2020, 8, 7), "05:17", (887, 879)),
    "002_73fd40f6b2609b20.txt": (D(2021, 9, 26), "13:22", (1302, 1294)),
    "004_9b62b25fd1d44b67.txt": (D(2020, 7, 15), "19:06", (864, 856)),
}


def test_seed_capture(seed_file: Path) -> None:
    snap = load(seed_file)
    header = snap.header
    assert [c.place for c in header.clocks] == ["Moscow", "London"]
    assert header.capture_time == header.clocks[1].time
    moscow, london = (int(c.time[:2]) * 60 + int(c.time[3:]) for c in header.clocks)
    assert (moscow - london) % (24 * 60) == 120
    assert len(header.fields) == 1
    assert header.fields[0].label == "Consular queries"
    assert header.fields[0].value.startswith("+44") and NBSP not in header.fields[0].value
    assert len(header.counters) == 2
    assert len({c.line for c in header.counters}) == 1
    for counter in header.counters:
        assert counter.value > 0 and counter.unit == "day"
        assert counter.label.startswith("{n} days have passed since the ")
        assert counter.text == counter.label.replace("{n}", str(counter.value))
    assert snap.lead is not None and snap.lead.title and snap.lead.paragraphs
    assert len(snap.items) == 10
    assert [i.position for i in snap.items] == list(range(10))
    assert all(i.published is not None and i.published <= snap.captured for i in snap.items)
    dates = [i.published for i in snap.items]
    assert dates == sorted(dates, reverse=True)
    assert all(i.title and i.summary for i in snap.items)
    assert len({i.id for i in snap.items}) == 10
    assert snap.footer == "all messages"
    assert snap.unparsed == () and snap.warnings == ()
    facts = SEED_FACTS.get(seed_file.name)
    if facts is not None:
        captured, capture_time, values = facts
        assert (snap.captured, header.capture_time) == (captured, capture_time)
        assert tuple(c.value for c in header.counters) == values


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("a\nb\r\nc\rd", ["a", "b", "c", "d"]),
        ("a\n", ["a", ""]),
        ("", [""]),
        ("a\n\rb", ["a", "", "b"]),  # LF then CR: two line ends, not one
        ("a\r\n\r\nb", ["a", "", "b"]),
        # Characters str.splitlines also breaks on stay inside the line.
        ("a\x0bb\x0cc\x1cd\x85e\u2028f\u2029g", ["a\x0bb\x0cc\x1cd\x85e\u2028f\u2029g"]),
    ],
)
def test_split_lines_breaks_on_lf_crlf_and_cr_only(text: str, lines: list[str]) -> None:
    assert split_lines(text) == lines


@given(st.text(alphabet="ab\r\n", max_size=60), st.integers(1, 8), st.integers(1, 8))
def test_long_texts_split_a_block_at_a_time_give_the_same_lines(text: str, first: int, block: int) -> None:
    """Blocks end at a line end, so a CRLF is never cut in two, whatever the block sizes."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parse_module, "FIRST_BLOCK", first)
        patch.setattr(parse_module, "SPLIT_WHOLE_BELOW", block)
        assert split_lines(text) == parse_module._BREAK.split(text)
