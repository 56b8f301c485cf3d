"""Item dates as pages print them: named formats, month names, years left out, day ranges.

A profile's item pattern may give the date as one `date` group; its text is
read here by the profile's date formats, tried in order. A format is a name
from `FORMATS` or a pattern of the profile's own with `day`, `month` and
`year` groups. A date may leave parts out ("Jul 25", "25."): a section
heading above the item ("July 2024") gives them, else the year is the latest
one that does not put the date after the page's. A range ("30. Okt. -
1. Nov.", "28.-30. Juni") dates the item by its start; the start takes what
it leaves out from the end.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

FORMATS = {
    "iso": r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?:[T ]\d{1,2}:\d{2}\S*)?",
    "d.m.y": r"(?P<day>\d{1,2})\.\s?(?P<month>\d{1,2})\.\s?(?P<year>\d{4})",
    "d/m/y": r"(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})",
    "m/d/y": r"(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4})",
    "month d, y": r"(?P<month>[^\W\d_]{3,})\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th|er)?,?\s+(?P<year>\d{4})",
    "d month y": r"(?P<day>\d{1,2})(?:\.|st|nd|rd|th|er)?\s+(?P<month>[^\W\d_]{3,})\.?,?\s+(?P<year>\d{4})",
    "month d": r"(?P<month>[^\W\d_]{3,})\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th|er)?",
    "d month": r"(?P<day>\d{1,2})(?:\.|st|nd|rd|th|er)?\s+(?P<month>[^\W\d_]{3,})\.?",
    "d de month de y": r"(?P<day>\d{1,2})\s+de\s+(?P<month>[^\W\d_]{3,})\.?\s+de\s+(?P<year>\d{4})",
    "month y": r"(?P<month>[^\W\d_]{3,})\.?\s+(?P<year>\d{4})",
    "d.m.": r"(?P<day>\d{1,2})\.\s?(?P<month>\d{1,2})\.",
    "y": r"(?P<year>\d{4})",
}
"""The named date formats a profile's `dates` list may use."""

DEFAULT_FORMATS = (
    "iso",
    "d.m.y",
    "month d, y",
    "d month y",
    "d de month de y",
    "month d",
    "d month",
    "month y",
    "d.m.",
)
"""The formats tried when a profile lists none: every unambiguous one (not d/m/y nor m/d/y)."""

_RANGE = re.compile(r"\s*[\u2013\u2014]\s*|\s+(?:-|to|until|bis|au|al)\s+|(?<=\.)-(?=\s?\d)|(?<=\d)-(?=\d{1,2}\.)")
_BARE_DAY = re.compile(r"(?P<day>\d{1,2})(?:\.|er)?")
RANGE_OPENING = re.compile(r"^(?:from|du|vom|von|del|dal|van|de)\s+(?=\d)", re.IGNORECASE)
"""A word that opens a range ("du 3 au 5 mars", "vom 3. bis 5. März"): read past."""
_TRAILING = " ,;:()[]"

MonthOf = Callable[[str], int | None]
"""A month name or number to 1-12, None when the profile names no such month."""


class DateParts(NamedTuple):
    """What a printed date says: any of day, month and year may be left out.

    A named tuple, not a dataclass: a page of 10,000 items reads thousands of dates, and a tuple is made
    several times faster.
    """

    day: int | None = None
    month: int | None = None
    year: int | None = None

    def filled(self, context: DateParts) -> DateParts:
        """These parts, with those left out taken from `context` (a section heading)."""
        if context.day is None and context.month is None and context.year is None:
            return self  # the usual case: no section heading gives a date
        return DateParts(
            self.day if self.day is not None else context.day,
            self.month if self.month is not None else context.month,
            self.year if self.year is not None else context.year,
        )


class UnknownMonth(ValueError):
    """A date's month name is none the profile lists."""


def compile_formats(formats: Sequence[str]) -> tuple[re.Pattern[str], ...]:
    """The patterns of named formats or a profile's own; raises ValueError naming a bad one."""
    compiled = []
    for entry in formats:
        pattern = re.compile(FORMATS.get(entry, entry))
        if not {"day", "month", "year"} & set(pattern.groupindex):
            raise ValueError(f"date format {entry!r} is no known name ({', '.join(FORMATS)}) nor has day/month/year")
        compiled.append(pattern)
    return tuple(compiled)


def parts_of(match: re.Match[str], month_of: MonthOf) -> DateParts:
    """The parts a match of day/month/year groups gives; raises UnknownMonth for a month name not listed."""
    found = match.groupdict()
    day, month_text, year = found.get("day"), found.get("month"), found.get("year")
    month = None
    if month_text:
        month = month_of(month_text.rstrip("."))
        if month is None:
            raise UnknownMonth(month_text)
    return DateParts(int(day) if day else None, month, int(year) if year else None)


def read_parts(text: str, formats: Sequence[re.Pattern[str]], month_of: MonthOf) -> DateParts | None:
    """The parts of a printed date (a range by its start), or None when no format reads it.

    Raises UnknownMonth when a format reads it but names no month the profile lists.
    """
    text = RANGE_OPENING.sub("", " ".join(text.split()).strip(_TRAILING), count=1)
    if not text:
        return None
    whole = _read_one(text, formats, month_of)
    ends = _RANGE.split(text, maxsplit=1)
    if len(ends) == 2 and (whole is None or _is_partial(whole)):
        start_text, end_text = (part.strip(_TRAILING) for part in ends)
        end = _read_one(end_text, formats, month_of)
        start = _read_one(start_text, formats, month_of) or _bare_day(start_text)
        if end is not None and start is not None:
            return _range_start(start, end)
    return whole


def _is_partial(parts: DateParts) -> bool:
    return parts.day is None or parts.month is None or parts.year is None


def _read_one(text: str, formats: Sequence[re.Pattern[str]], month_of: MonthOf) -> DateParts | None:
    unknown = None
    for pattern in formats:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        try:
            return parts_of(match, month_of)
        except UnknownMonth as exc:
            unknown = unknown or exc  # another format may read it with a number
    if unknown is not None:
        raise unknown
    return None


def _bare_day(text: str) -> DateParts | None:
    match = _BARE_DAY.fullmatch(text)
    return DateParts(int(match["day"])) if match else None


def _range_start(start: DateParts, end: DateParts) -> DateParts:
    """A range's start, with the month and year it leaves out taken from its end (a year back across New Year)."""
    month = start.month if start.month is not None else end.month
    year = start.year
    if year is None and end.year is not None:
        year = end.year - 1 if month is not None and end.month is not None and month > end.month else end.year
    return DateParts(start.day, month, year)


def resolve(parts: DateParts, page_date: dt.date) -> dt.date | None:
    """The date of complete parts; a missing year is the latest that is not after `page_date`.

    None when the day or month is missing, or the date does not exist.
    """
    if parts.day is None or parts.month is None:
        return None
    try:
        if parts.year is not None:
            return dt.date(parts.year, parts.month, parts.day)
        date = dt.date(page_date.year, parts.month, parts.day)
        return date if date <= page_date else date.replace(year=page_date.year - 1)
    except ValueError:
        if parts.year is None and (parts.month, parts.day) == (2, 29):  # the last 29 February not after the page
            year = page_date.year
            while not (_is_leap(year) and dt.date(year, 2, 29) <= page_date):
                year -= 1
            return dt.date(year, 2, 29)
        return None


def _is_leap(year: int) -> bool:
    """`calendar.isleap`, without importing calendar (and locale) when `diffcore diff` starts."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
