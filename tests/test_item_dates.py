"""Item dates as pages print them: formats, month names of other languages, years left out, ranges."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest

from diffcore.item_dates import DEFAULT_FORMATS, DateParts, UnknownMonth, compile_formats, read_parts, resolve
from diffcore.profile import ENGLISH_MONTHS

FORMATS = compile_formats(DEFAULT_FORMATS)
GERMAN = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)


def month_in(names: tuple[str, ...]):  # type: ignore[no-untyped-def]
    def month_of(month: str) -> int | None:
        if month.isdigit():
            return int(month) if 1 <= int(month) <= 12 else None
        folded = month.casefold()
        return next(
            (n for n, name in enumerate(names, 1) if len(folded) >= 3 and name.casefold().startswith(folded)), None
        )

    return month_of


ENGLISH = month_in(ENGLISH_MONTHS)


@pytest.mark.parametrize(
    ("printed", "parts"),
    [
        ("2021-03-03", DateParts(3, 3, 2021)),
        ("2021-03-03T10:15:00Z", DateParts(3, 3, 2021)),
        ("03.03.2021", DateParts(3, 3, 2021)),
        ("March 3, 2021", DateParts(3, 3, 2021)),
        ("Mar. 3rd, 2021", DateParts(3, 3, 2021)),
        ("3 Sept. 2021", DateParts(3, 9, 2021)),
        ("3rd September 2021", DateParts(3, 9, 2021)),
        ("Jul 25", DateParts(25, 7, None)),
        ("25 July", DateParts(25, 7, None)),
        ("July 2024", DateParts(None, 7, 2024)),
        ("(Jul 25)", DateParts(25, 7, None)),
    ],
)
def test_formats_read_the_dates_pages_print(printed: str, parts: DateParts) -> None:
    assert read_parts(printed, FORMATS, ENGLISH) == parts


@pytest.mark.parametrize(
    ("printed", "parts"),
    [
        ("30. Okt. \u2013 1. Nov. 2024", DateParts(30, 10, 2024)),
        ("28.\u201330. Juni 2024", DateParts(28, 6, 2024)),
        ("28.-30. Juni 2024", DateParts(28, 6, 2024)),
        ("30. Dez. \u2013 2. Jan. 2025", DateParts(30, 12, 2024)),  # back a year across New Year
        ("31. Dez. 2024 \u2013 1. Jan. 2025", DateParts(31, 12, 2024)),
        ("3 bis 5 März", DateParts(3, 3, None)),
    ],
)
def test_a_range_is_read_by_its_start(printed: str, parts: DateParts) -> None:
    assert read_parts(printed, FORMATS, month_in(GERMAN)) == parts


def test_an_iso_date_is_no_range() -> None:
    assert read_parts("2024-06-28", FORMATS, ENGLISH) == DateParts(28, 6, 2024)


def test_a_month_name_the_profile_does_not_list_is_said() -> None:
    with pytest.raises(UnknownMonth, match="Okt"):
        read_parts("30. Okt. 2024", FORMATS, ENGLISH)


def test_text_no_format_reads_is_none() -> None:
    assert read_parts("next Tuesday", FORMATS, ENGLISH) is None
    assert read_parts("", FORMATS, ENGLISH) is None


def test_a_profile_may_give_its_own_format() -> None:
    own = compile_formats([r"(?P<year>\d{4})/(?P<month>\d{2})/(?P<day>\d{2})"])
    assert read_parts("2024/06/28", own, ENGLISH) == DateParts(28, 6, 2024)
    with pytest.raises(ValueError, match="no known name"):
        compile_formats(["yyyy-mm-dd"])


@pytest.mark.parametrize(
    ("parts", "page", "date"),
    [
        (DateParts(25, 7, None), dt.date(2024, 8, 1), dt.date(2024, 7, 25)),
        (DateParts(25, 12, None), dt.date(2024, 8, 1), dt.date(2023, 12, 25)),  # never after the page
        (DateParts(1, 8, None), dt.date(2024, 8, 1), dt.date(2024, 8, 1)),
        (DateParts(29, 2, None), dt.date(2023, 6, 1), dt.date(2020, 2, 29)),
        (DateParts(29, 2, None), dt.date(2024, 3, 1), dt.date(2024, 2, 29)),
        (DateParts(31, 2, 2024), dt.date(2024, 3, 1), None),
        (DateParts(None, 7, 2024), dt.date(2024, 8, 1), None),
    ],
)
def test_resolve_fills_the_year_never_after_the_page(parts: DateParts, page: dt.date, date: dt.date | None) -> None:
    assert resolve(parts, page) == date


def test_a_section_fills_what_an_item_date_leaves_out() -> None:
    assert DateParts(25, None, None).filled(DateParts(None, 7, 2024)) == DateParts(25, 7, 2024)
    assert DateParts(25, 6, None).filled(DateParts(None, 7, 2024)) == DateParts(25, 6, 2024)


@pytest.mark.parametrize(
    ("printed", "language", "parts"),
    [
        ("du 3 au 5 mars 2024", "fr", DateParts(3, 3, 2024)),
        ("1er mars 2024", "fr", DateParts(1, 3, 2024)),
        ("du 30 déc. 2024 au 2 janv. 2025", "fr", DateParts(30, 12, 2024)),
        ("18 mrt 2024", "nl", DateParts(18, 3, 2024)),
        ("18 maart 2024", "nl", DateParts(18, 3, 2024)),
        ("vom 3. bis 5. Mrz 2024", "de", DateParts(3, 3, 2024)),
        ("from 3 to 5 March 2024", "en", DateParts(3, 3, 2024)),
    ],
)
def test_other_languages_spellings_and_opening_words(printed: str, language: str, parts: DateParts) -> None:
    from diffcore.profile import MONTHS_IN, month_number

    assert read_parts(printed, FORMATS, lambda month: month_number(month, MONTHS_IN[language])) == parts


def test_a_spanish_date_and_a_hint_of_dated_text() -> None:
    from diffcore.fit import dated_text_lines
    from diffcore.profile import MONTHS_IN, month_number

    assert read_parts("3 de marzo de 2024", FORMATS, lambda m: month_number(m, MONTHS_IN["es"])) == DateParts(
        3, 3, 2024
    )
    lines = ["Events", "", "3 March 2024 - Regatta", "du 3 au 5 mars 2024 : Fête", "Section 12 rules", "Saturday 8"]
    roles = {1: "lead title", 3: "lead", 4: "summary", 5: "summary", 6: "unparsed"}
    assert dated_text_lines(roles, lines) == [3, 4]


def test_29_february_without_a_year_is_the_last_one_not_after_the_page() -> None:
    for year in range(1890, 2420):
        page = dt.date(year, 2, 28)
        last = max(past for past in range(year - 8, year) if calendar.isleap(past))
        assert resolve(DateParts(29, 2), page) == dt.date(last, 2, 29)
