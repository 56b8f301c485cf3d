"""Property: a page generated in each layout of the cookbook, read with that layout's profile, gives back every item.

Titles, dates and summaries are drawn at random; the page is written the way
such a site writes it; the parse must recover each item's title, date (or its
absence), summary and link, in page order, with no line left unparsed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from diffcore.model import Capture, Source
from diffcore.parse import parse
from diffcore.profile import Profile, load_profile
from tests.paths import REPO_DIR

LAYOUTS = REPO_DIR / "examples" / "layouts"
CAPTURED = dt.datetime(2031, 1, 1, tzinfo=dt.UTC)
ENGLISH = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
GERMAN = [
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
]


@dataclass(frozen=True)
class Entry:
    title: str
    date: dt.date
    summary: tuple[str, ...]
    slug: str


words = st.sampled_from(
    ["harbour", "lantern", "pier", "tide", "gull", "rota", "ferry", "quay", "beacon", "signal", "keeper", "storm"]
)
titles = st.lists(words, min_size=1, max_size=6).map(lambda ws: " ".join(ws).capitalize())
summaries = st.lists(st.lists(words, min_size=1, max_size=8).map(" ".join), max_size=3).map(tuple)
dates = st.dates(dt.date(2001, 1, 1), dt.date(2030, 12, 31))
entries = st.lists(
    st.builds(Entry, titles, dates, summaries, st.text("abcdefghij", min_size=4, max_size=10)),
    min_size=1,
    max_size=12,
    unique_by=(lambda entry: entry.slug),
)


def _read(page: str, profile: Profile) -> list[tuple[str, dt.date | None, tuple[str, ...], str | None]]:
    snapshot = parse(page, "page.txt", profile, Capture(Source("page.txt"), CAPTURED, "user", "text/plain", "sha256:0"))
    assert snapshot.unparsed == () and snapshot.warnings == ()
    assert all(len(parts) == 1 for parts in snapshot.line_owners().values())
    return [(item.title, item.published, item.summary, item.link) for item in snapshot.items]


def _body(entry: Entry) -> str:
    return "".join(f"{line}\n" for line in entry.summary)


def _check(
    profile: Profile,
    entries: list[Entry],
    line: Callable[[Entry], str],
    title: Callable[[Entry], str] = lambda entry: entry.title,
    dated: bool = True,
    linked: bool = False,
) -> None:
    page = "Our page\n\n" + "\n".join(line(entry) + "\n" + _body(entry) for entry in entries)
    expected = [
        (
            title(entry),
            entry.date if dated else None,
            entry.summary,
            f"https://news.example/{entry.slug}" if linked else None,
        )
        for entry in entries
    ]
    assert _read(page, profile) == expected


def layout(name: str) -> Profile:
    return load_profile(LAYOUTS / f"{name}.toml")


DATED_LIST_FORMS = (
    "- {date}: {title}",
    "{date} {title}",
    "* [{date}] {title}",
    "## {date} - {title}",
    "- {title} ({date})",
    "## {title} - {date}",
)


@given(entries, st.sampled_from(DATED_LIST_FORMS))
def test_a_dated_list(entries: list[Entry], form: str) -> None:
    _check(load_profile("dated-list"), entries, lambda e: form.format(date=e.date.isoformat(), title=e.title))


@given(entries)
def test_release_notes_with_the_date_after_the_title(entries: list[Entry]) -> None:
    def line(entry: Entry) -> str:
        month = ENGLISH[entry.date.month - 1]
        month = month[:3] + "." if entry.date.day % 2 else month  # "Sept." and "September" alike
        return f"{entry.title} \u2014 {month} {entry.date.day}, {entry.date.year}"

    _check(layout("release-notes"), entries, line)


@given(entries, st.integers(0, 3))
def test_an_event_calendar_in_german_with_day_ranges(entries: list[Entry], span: int) -> None:
    def line(entry: Entry) -> str:
        end = entry.date + dt.timedelta(days=span)
        start = f"{entry.date.day}."
        if (end.month, end.year) != (entry.date.month, entry.date.year):
            start += f" {GERMAN[entry.date.month - 1][:3]}."
            if end.year != entry.date.year:
                start += f" {entry.date.year}"
        printed = (
            f"{start}\u2013{end.day}. {GERMAN[end.month - 1]} {end.year}"
            if span
            else (f"{entry.date.day}. {GERMAN[entry.date.month - 1]} {entry.date.year}")
        )
        return f"{printed} \u00b7 {entry.title}"

    _check(layout("events"), entries, line)


@given(entries)
def test_month_headings_and_date_lines(entries: list[Entry]) -> None:
    entries = sorted(entries, key=lambda entry: entry.date, reverse=True)
    lines, month = ["What's on", ""], None
    for entry in entries:
        if (entry.date.year, entry.date.month) != month:
            month = (entry.date.year, entry.date.month)
            lines += [f"{ENGLISH[entry.date.month - 1]} {entry.date.year}", ""]
        lines += [f"{ENGLISH[entry.date.month - 1][:3]} {entry.date.day}", f"### {entry.title} ###", *entry.summary, ""]
    expected = [(entry.title, entry.date, entry.summary, None) for entry in entries]
    assert _read("\n".join(lines), layout("month-headings")) == expected


@given(entries)
def test_undated_news_links(entries: list[Entry]) -> None:
    _check(
        layout("news-links"),
        entries,
        lambda e: f"- [{e.title}](https://news.example/{e.slug})",
        dated=False,
        linked=True,
    )


@given(entries)
def test_a_keep_a_changelog_file(entries: list[Entry]) -> None:
    profile = load_profile("keep-a-changelog")
    _check(profile, entries, lambda e: f"## [{e.slug}] - {e.date.isoformat()}", title=lambda e: e.slug)


def test_the_changelog_titles_are_the_versions() -> None:
    page = "# Changelog\n\n## [1.2.0] - 2024-05-14\n### Added\n- Export.\n"
    assert _read(page, load_profile("keep-a-changelog")) == [
        ("1.2.0", dt.date(2024, 5, 14), ("### Added", "- Export."), None)
    ]
