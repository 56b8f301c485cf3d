"""Page profiles: the built-in one, a user's profile for another layout, malformed profiles."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from diffcore.errors import DiffcoreError, ProfileError, SnapshotError
from diffcore.inputs.decoding import read_text
from diffcore.load import load
from diffcore.model import Clock, Field
from diffcore.profile import default_profile, load_profile
from tests.paths import FIXTURES_DIR, ISO_PROFILE
from tests.support import MAIN_FIXTURE, assert_lines_accounted

D = dt.date
ISO_FIXTURE = FIXTURES_DIR / "iso_layout.txt"


@pytest.mark.parametrize(
    ("month", "number"),
    [
        ("August", 8),
        ("august", 8),
        ("AUG", 8),
        ("Sept", 9),
        ("sep", 9),
        ("8", 8),
        ("08", 8),
        ("12", 12),
        ("13", None),
        ("0", None),
        ("Au", None),
        ("Augusta", None),
        ("Foo", None),
    ],
)
def test_month_number(month: str, number: int | None) -> None:
    assert default_profile().month_number(month) == number


@pytest.mark.parametrize(
    ("line", "is_footer"),
    [
        ("all messages", True),
        ("All  Messages", True),
        ("ALL\u00a0MESSAGES", True),
        ("all messages here", False),
        ("messages", False),
        ("all " + " " * 80 + "messages", False),
    ],
)
def test_footer_marker(line: str, is_footer: bool) -> None:
    assert default_profile().is_footer(line) is is_footer
    assert default_profile().footer_test()(line) is is_footer  # the parser's test, the profile having no pattern


def test_the_parsers_footer_test_reads_the_footer_pattern_too() -> None:
    profile = replace(default_profile(), footer_pattern=re.compile(r"Page \d+ of \d+$"))
    lines = ("all messages", "Page 2 of 9", "Page two", "a line")
    assert [line for line in lines if profile.footer_test()(line)] == ["all messages", "Page 2 of 9"]


def test_default_profile() -> None:
    profile = default_profile()
    assert profile.reference_clock == "London"
    assert profile is default_profile()  # built once
    assert profile.capture_date.match("7 August 2020")
    assert profile.capture_date.match("7 Aug. 2020")
    assert not profile.capture_date.match("August 7, 2020")
    assert profile.match_item("05.08.2020 \u2013 Title")
    assert not profile.match_item("05.08.2020 Title")


# --- a user profile for another layout ---------------------------------------------------


def test_user_profile_reads_its_layout() -> None:
    profile = load_profile(ISO_PROFILE)
    assert profile.name == "iso-layout"
    snap = load(ISO_FIXTURE, profile)
    header = snap.header
    assert (snap.captured, header.capture_time) == (D(2020, 8, 7), "08:15")
    assert header.clocks == (Clock("London", "08:15", 2), Clock("Harbourtown", "09:15", 3))
    assert header.fields == (Field("Bookings", "+44 (0) 20 7946 0001", (5, 6)),)
    assert [(c.value, c.unit, c.label) for c in header.counters] == [(412, "day", "Pier closed for {n} days")]
    assert snap.lead is not None
    assert (snap.lead.title, snap.lead.paragraphs) == ("Summer at the point", ("A short note on the summer season.",))
    assert [(i.published, i.title, i.summary) for i in snap.items] == [
        (D(2020, 8, 5), "Glazing finished", ("All panes are in place.",)),
        (None, "Misdated notice", ("This notice carries a date that does not exist.",)),
        (D(2020, 7, 28), "Evening walk moved", ("The walk moves to September.",)),
    ]
    assert (snap.footer, snap.footer_line) == ("more news", 26)
    assert snap.unparsed == ()
    assert_lines_accounted(read_text(ISO_FIXTURE), snap)


def test_user_profile_keeps_the_date_as_printed() -> None:
    snap = load(ISO_FIXTURE, load_profile(ISO_PROFILE))
    assert [i.published_text for i in snap.items] == ["2020-08-05", "2020-02-31", "2020-07-28"]
    assert len(snap.warnings) == 1
    assert "line 18" in snap.warnings[0] and "2020-02-31" in snap.warnings[0]


def test_layouts_do_not_read_each_other(tmp_path: Path) -> None:
    with pytest.raises(SnapshotError, match="no capture date on line 1"):
        load(ISO_FIXTURE)
    undated = shutil.copy(FIXTURES_DIR / MAIN_FIXTURE, tmp_path / "capture.txt")  # no date in its name either
    with pytest.raises(SnapshotError, match="no capture date on line 1"):
        load(undated, load_profile(ISO_PROFILE))


# --- malformed profiles --------------------------------------------------------------------

GOOD = ISO_PROFILE.read_text(encoding="utf-8")


def _edit(old: str, new: str) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new)


MALFORMED = {
    "bad_toml": ("name = 'unterminated\n" + GOOD, "not valid TOML"),
    "bad_regex": (_edit("start = '^(?P<year>", "start = '^((?P<year>"), "not a valid pattern"),
    "missing_group": (_edit("(?P<title>\\S.*)", "(?P<heading>\\S.*)"), "lacks the group(s) title"),
    "missing_groups": (_edit("(?P<place>[A-Za-z ]+)", "([A-Za-z ]+)"), "lacks the group(s) place"),
    "missing_table": (
        "\n".join(line for line in GOOD.splitlines() if not line.startswith(("[item]", "start ="))),
        "missing table [item]",
    ),
    "unknown_table": (_edit("[item]\n", "[items]\n"), "unknown table [items] (known: capture, clock, counter"),
    "unknown_key": (_edit("markers = [", "marker = ["), "unknown key 'marker' in [footer] (known: markers, pattern)"),
    "table_not_a_table": (
        _edit('name = "iso-layout"\n', 'name = "iso-layout"\nfooter = 1\n').replace(
            '[footer]\nmarkers = ["more news"]', ""
        ),
        "[footer] must be a table",
    ),
    "pattern_not_string": (_edit("separator = '\\s{3,}'", "separator = 3"), "[counter] separator must be a string"),
    "eleven_months": (_edit('"November", "December"', '"November"'), "months must list 12 month names"),
    "markers_not_list": (_edit('markers = ["more news"]', 'markers = "more news"'), "markers must be a list"),
    "max_length_zero": (_edit("max_value_length = 60", "max_value_length = 0"), "max_value_length must be a positive"),
    "clock_not_string": (
        _edit('reference_clock = "London"', "reference_clock = 1"),
        "reference_clock must be a string",
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_profile_raises_profile_error(case: str, tmp_path: Path) -> None:
    text, reason = MALFORMED[case]
    path = tmp_path / f"{case}.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert isinstance(caught.value, DiffcoreError)
    assert caught.value.source == str(path)
    assert reason in caught.value.reason
    assert str(caught.value).startswith(f"{path}: ")


def test_missing_and_unreadable_profiles(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="no such profile file, nor a built-in profile \\(dated-list, "):
        load_profile(tmp_path / "nowhere.toml")
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b"name = 'caf\xe9'\n")
    with pytest.raises(ProfileError, match="cannot read profile"):
        load_profile(latin)


def test_malformed_cases_really_differ_from_the_good_profile() -> None:
    """Each malformed case is one edit away from a profile that loads."""
    load_profile(ISO_PROFILE)
    assert all(text != GOOD for text, _ in MALFORMED.values())


def test_a_month_name_the_profile_does_not_list_is_said_as_such() -> None:
    import re
    from dataclasses import replace

    from diffcore.errors import SnapshotError
    from diffcore.parse import parse
    from diffcore.profile import default_profile

    german = replace(
        default_profile(),
        item_starts=(re.compile(r"^(?P<day>\d{1,2})\. (?P<month>\w+)\.? (?P<year>\d{4}) - (?P<title>.+)$"),),
    )
    snapshot = parse("8 June 2020\n\nLead\n\n30. Okt. 2020 - Herbstfest\n\n31. February 2020 - Odd\n", "p", german)
    assert snapshot.warnings == (
        "p: line 5: item date 30. Okt. 2020: 'Okt' is no month the profile names "
        "(its [item] months, else its [capture] months); kept with no published date",
        "p: line 7: item date 31. February 2020 does not exist; kept with no published date",
    )
    with pytest.raises(SnapshotError, match="'Juni' in '8 Juni 2020' is no month the profile names"):
        parse("8 Juni 2020\n\nLead\n", "p", german)


def test_item_dates_in_their_own_months_and_without_a_year() -> None:
    from diffcore.parse import parse
    from diffcore.profile import parse_profile

    german = [
        "Januar", "Februar", "März", "April", "Mai", "Juni",
        "Juli", "August", "September", "Oktober", "November", "Dezember",
    ]  # fmt: skip
    profile = parse_profile(
        {
            "capture": {"date": r"^(?P<day>\d{1,2}) (?P<month>[A-Za-z]+) (?P<year>\d{4})$"},
            "item": {
                "start": r"^(?P<day>\d{1,2})\. (?P<month>\w+)\.?(?: (?P<year>\d{4}))? [-\u2013] (?P<title>.+)$",
                "months": german,
            },
        },
        "calendar.toml",
    )
    page = "8 January 2021\n\nVeranstaltungen\n\n5. Jan. - Neujahrsempfang\n\n30. Okt. - Herbstfest\n\n3. März 2019 - Lesung\n"
    snapshot = parse(page, "p", profile)
    # The page's date is read with English months, items with German ones; a date without a year is the
    # latest one not after the page's date.
    assert snapshot.captured.isoformat() == "2021-01-08"
    assert [(str(item.published), item.published_text) for item in snapshot.items] == [
        ("2021-01-05", "5. Jan"),
        ("2020-10-30", "30. Okt"),
        ("2019-03-03", "3. März 2019"),
    ]
    assert snapshot.warnings == ()


@pytest.mark.parametrize(
    ("item", "other", "message"),
    [
        ({"start": "(?P<title>.+)", "identity": "url"}, {}, r"\[item\] identity must be one of: date-title, link"),
        ({"start": ["(?P<title>.+)", 3]}, {}, r"\[item\] start must be a pattern or a list of patterns"),
        ({"start": []}, {}, r"\[item\] start must be a pattern or a list of patterns"),
        ({"start": "(?P<day>\\d+) (?P<title>.+)"}, {}, "needs a date group, or both day and month groups"),
        ({"start": "(?P<date>\\S+) (?P<title>.+)", "dates": ["yyyy"]}, {}, r"\[item\] dates: date format 'yyyy'"),
        (
            {"start": "(?P<title>.+)"},
            {"ignore": {"soft_hyphens": "yes"}},
            r"\[ignore\] soft_hyphens must be true or false",
        ),
        ({"start": "(?P<title>.+)"}, {"html": {"title": "h2"}}, r"\[html\] needs an item selector"),
        ({"start": "(?P<title>.+)"}, {"section": {"pattern": "("}}, r"\[section\] pattern is not a valid pattern"),
        ({"start": "(?P<title>.+)"}, {"header": {"end": 1}}, r"\[header\] end must be a string"),
        ({"start": "(?P<title>.+)", "months": "xx"}, {}, r"\[item\] months: no month names for 'xx' \(known: en, de"),
    ],
)
def test_the_new_keys_are_checked(item: dict[str, object], other: dict[str, object], message: str) -> None:
    from diffcore.profile import parse_profile

    with pytest.raises(ProfileError, match=message):
        parse_profile({"item": item, **other}, "p")


def test_a_date_line_profile_needs_no_start_pattern() -> None:
    from diffcore.profile import parse_profile

    profile = parse_profile({"item": {"date_line": r"^(?P<date>\w{3} \d{1,2})$"}}, "p")
    assert profile.item_starts == () and profile.item_date_line.pattern.startswith("^(?P<date>")
    with pytest.raises(ProfileError, match="or give"):
        parse_profile({"item": {"title": "(?P<title>.+)"}}, "p")


def test_month_names_by_language() -> None:
    from diffcore.parse import parse
    from diffcore.profile import parse_profile

    profile = parse_profile(
        {
            "capture": {"date": r"^(?P<day>\d{1,2}) (?P<month>\w+) (?P<year>\d{4})$"},
            "item": {"start": r"^(?P<date>\d{1,2}\.? \w+\.? \d{4}) - (?P<title>.+)$", "months": "fr"},
        },
        "p",
    )
    snapshot = parse("8 June 2024\n\n3 févr. 2024 - Fête du port\n\n14 juillet 2023 - Feu d'artifice\n", "p", profile)
    assert [(str(item.published), item.title) for item in snapshot.items] == [
        ("2024-02-03", "Fête du port"),
        ("2023-07-14", "Feu d'artifice"),
    ]
