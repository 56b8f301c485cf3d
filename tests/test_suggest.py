"""`diffcore profile suggest`: a starting profile from the most frequent dated line, which reads the captures back.

The captures are of a fictional rowing club, the Brackenford Oarsmen's Society.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diffcore.errors import ProfileError
from diffcore.model import Capture, Snapshot, Source
from diffcore.parse import parse
from diffcore.profile import ENGLISH_MONTHS, Profile, parse_profile
from diffcore.suggest import EXAMPLE_LENGTH, Suggestion, suggest_profile
from tests.support import Cli

CAPTURED = dt.date(2024, 6, 30)
"""When the captures were taken: a date printed without a year is the latest one not after it."""


def captured(when: dt.date = CAPTURED) -> Capture:
    return Capture(Source("page"), dt.datetime.combine(when, dt.time(), dt.UTC), "user", "text/plain", "sha256:0")


def profile_of(suggestion: Suggestion) -> Profile:
    """The suggested profile, loaded as `--profile FILE` loads one."""
    profile = parse_profile(tomllib.loads(suggestion.toml), "suggested")
    assert suggestion.pattern in [pattern.pattern for pattern in (*profile.item_starts, profile.item_date_line)]
    return profile


def read(text: str, suggestion: Suggestion) -> Snapshot:
    """The capture parsed with the suggested profile (dated by its capture time, unless it shows a date)."""
    return parse(text, "page", profile_of(suggestion), captured())


def page(*items: str) -> str:
    """A capture: a title, an intro, then each item line with a summary line under it."""
    lines = ["Brackenford Oarsmen's Society", "", "News from the boathouse on the Wend."]
    for item in items:
        lines += ["", item, "The committee met in the boathouse."]
    return "\n".join(lines) + "\n"


# Each form: as the suggestion names it, three item lines, and (date, title) the profile must read from them.
FORMS = {
    "iso": (
        "YYYY-MM-DD Title",
        ["2024-03-05 Spring head race entries open", "2024-02-11 New sculling boat named", "2023-12-01 Winter dinner"],
        [("2024-03-05", "Spring head race entries open"), ("2024-02-11", "New sculling boat named")],
    ),
    "iso bullet colon": (
        "- YYYY-MM-DD: Title",
        ["- 2024-03-05: Entries open", "- 2024-02-11: Boat named", "- 2023-12-01: Winter dinner"],
        [("2024-03-05", "Entries open"), ("2024-02-11", "Boat named")],
    ),
    "iso star pipe": (
        "- YYYY-MM-DD | Title",
        ["* 2024-03-05 | Entries open", "* 2024-02-11 | Boat named", "* 2023-12-01 | Winter dinner"],
        [("2024-03-05", "Entries open")],
    ),
    "iso bracketed": (
        "[YYYY-MM-DD] Title",
        ["[2024-03-05] Entries open", "[2024-02-11] Boat named", "[2023-12-01] Winter dinner"],
        [("2024-03-05", "Entries open")],
    ),
    "iso heading": (
        "## YYYY-MM-DD - Title",
        ["## 2024-03-05 - Entries open", "## 2024-02-11 - Boat named", "## 2023-12-01 - Winter dinner"],
        [("2024-03-05", "Entries open")],
    ),
    "dotted": (
        "DD.MM.YYYY - Title",
        ["05.03.2024 - Entries open", "11.02.2024 \u2013 Boat named", "1.12.2023 \u2014 Winter dinner"],
        [("2024-03-05", "Entries open"), ("2024-02-11", "Boat named"), ("2023-12-01", "Winter dinner")],
    ),
    "month day, year": (
        "Month D, YYYY - Title",
        ["March 5, 2024 \u2014 Entries open", "February 11, 2024 \u2014 Boat named", "Dec. 1, 2023 \u2014 Dinner"],
        [("2024-03-05", "Entries open"), ("2024-02-11", "Boat named"), ("2023-12-01", "Dinner")],
    ),
    "abbreviated month day, year": (
        "- Month D, YYYY: Title",
        ["\u2022 Mar 5, 2024: Entries open", "\u2022 Feb 11, 2024: Boat named", "\u2022 Dec 1, 2023: Dinner"],
        [("2024-03-05", "Entries open"), ("2023-12-01", "Dinner")],
    ),
    "day month year": (
        "D Month YYYY - Title",
        ["5 March 2024 - Entries open", "11 February 2024 - Boat named", "1 December 2023 - Dinner"],
        [("2024-03-05", "Entries open"), ("2023-12-01", "Dinner")],
    ),
    "day abbreviated month year": (
        "D Month YYYY - Title",
        ["3 Sept. 2023 - Regatta results", "14 May 2023 - Boat named", "2 Jan 2023 - New year row"],
        [("2023-09-03", "Regatta results"), ("2023-05-14", "Boat named"), ("2023-01-02", "New year row")],
    ),
    "month day without a year": (
        "Month D - Title",
        ["Jul 25 - Entries open", "Mar 3 - Boat named", "Dec 1 - Winter dinner"],
        [("2023-07-25", "Entries open"), ("2024-03-03", "Boat named"), ("2023-12-01", "Winter dinner")],
    ),
    "title then date": (
        "Title - YYYY-MM-DD",
        ["Entries open - 2024-03-05", "Boat named - 2024-02-11", "Winter dinner - 2023-12-01"],
        [("2024-03-05", "Entries open"), ("2024-02-11", "Boat named")],
    ),
    "title then date in parentheses": (
        "Title (Month D, YYYY)",
        ["Entries open (March 5, 2024)", "Boat named (February 11, 2024)", "Dinner (December 1, 2023)"],
        [("2024-03-05", "Entries open"), ("2023-12-01", "Dinner")],
    ),
    "heading, title then date in brackets": (
        "## Title [DD.MM.YYYY]",
        ["## Entries open [05.03.2024]", "## Boat named [11.02.2024]", "## Winter dinner [01.12.2023]"],
        [("2024-03-05", "Entries open")],
    ),
    "changelog release": (
        "## Title - YYYY-MM-DD",
        ["## [1.2.0] - 2024-05-14", "## [1.1.0] - 2024-03-02", "## [1.0.0] - 2023-11-20"],
        [("2024-05-14", "[1.2.0]"), ("2023-11-20", "[1.0.0]")],
    ),
}


@pytest.mark.parametrize("form", sorted(FORMS))
def test_each_form_of_a_dated_line_is_suggested_and_read_back(form: str) -> None:
    label, lines, expected = FORMS[form]
    text = page(*lines)
    suggestion = suggest_profile([text])
    assert (suggestion.matched, suggestion.total) == (3, 8)
    assert suggestion.examples == tuple(lines)
    assert f"# 3 of 8 non-blank lines start an item ({label}); examples:\n#   {lines[0]}\n" in suggestion.toml
    snapshot = read(text, suggestion)
    assert len(snapshot.items) == 3 and not snapshot.warnings
    read_back = {(str(item.published), item.title) for item in snapshot.items}
    assert set(expected) <= read_back
    assert snapshot.lead is not None and snapshot.lead.title == "Brackenford Oarsmen's Society"


def test_the_pattern_is_written_as_the_built_in_profiles_write_dashes() -> None:
    suggestion = suggest_profile([page("05.03.2024 - Entries open")])
    assert "start = '^(?P<day>\\d{1,2})\\.(?P<month>\\d{1,2})\\.(?P<year>\\d{4})\\s+[-\\u2013\\u2014]\\s+" in (
        suggestion.toml
    )
    assert profile_of(suggestion).item_starts[0].match("05.03.2024 \u2013 Entries open")
    assert "[capture]" not in suggestion.toml  # the page shows no date line: it is dated by its capture
    assert "months" not in suggestion.toml


def test_the_most_frequent_form_wins_and_a_tie_goes_to_the_first_seen() -> None:
    text = page("2024-03-05 Entries open", "5 March 2024 - Dinner", "2024-02-11 Boat named", "1 May 2024 - Row")
    assert suggest_profile([text]).examples == ("2024-03-05 Entries open", "2024-02-11 Boat named")
    more = text + "\n7 May 2024 - Regatta\n"
    assert suggest_profile([more]).examples == ("5 March 2024 - Dinner", "1 May 2024 - Row", "7 May 2024 - Regatta")


def test_lines_of_several_captures_are_counted_together() -> None:
    first = page("2024-03-05 Entries open", "2024-02-11 Boat named")
    second = page("2024-04-01 Crew lists", "2024-03-05 Entries open", "2024-02-11 Boat named")
    suggestion = suggest_profile([first, second])
    assert (suggestion.matched, suggestion.total) == (5, 14)
    assert len(suggestion.examples) == 3
    assert suggestion.toml.startswith("# A starting profile suggested by `diffcore profile suggest`")
    assert "# 5 of 14 non-blank lines start an item (YYYY-MM-DD Title); examples:\n#   2024-03-05 Entries open\n" in (
        suggestion.toml
    )


def test_a_slashed_date_is_not_read_and_no_dated_line_is_an_error() -> None:
    with pytest.raises(ProfileError) as caught:
        suggest_profile([page("5/3/2024 Entries open", "11/2/2024 Boat named")], source="club.txt")
    assert str(caught.value) == (
        "club.txt: found no dated line, date line or list entry to base a profile on; write [item] start by hand (see the README's section on page profiles)"
    )
    with pytest.raises(ProfileError, match="found no dated line"):
        suggest_profile([])


def test_a_first_line_that_is_a_date_becomes_the_capture_date() -> None:
    text = "7 June 2024\n\n" + page("Jun 2 - Regatta results", "May 28 - Crew lists")
    suggestion = suggest_profile([text, "8 Jun. 2024\n" + page("Jun 8 - Open day")])
    assert "[capture]\n# The first non-blank line of every capture is the page's date (D Month YYYY).\n" in (
        suggestion.toml
    )
    assert "# A date without a year is the latest one not after the page's date.\n" in suggestion.toml
    snapshot = parse(text, "page", profile_of(suggestion))  # no capture time: the page's date is read
    assert snapshot.captured == dt.date(2024, 6, 7)
    assert [item.published for item in snapshot.items] == [dt.date(2024, 6, 2), dt.date(2024, 5, 28)]
    # A first line that is no real date, or not a date in every capture, is not taken as the page's date.
    assert "[capture]" not in suggest_profile(["31 June 2024\n" + page("Jun 2 - Regatta")]).toml
    assert "[capture]" not in suggest_profile([text, page("Jun 8 - Open day")]).toml


def test_month_names_of_a_known_language_are_listed() -> None:
    text = "30. März 2024\n" + page(
        "3. März 2024 - Frühjahrsregatta", "14. Mai 2024 - Bootstaufe", "1. Dez. 2023 - Fest"
    )
    suggestion = suggest_profile([text])
    assert suggestion.toml.count('months = "de"') == 2  # the page's date, and the items
    snapshot = parse(text, "page", profile_of(suggestion))
    assert snapshot.captured == dt.date(2024, 3, 30)
    assert [item.published for item in snapshot.items] == [
        dt.date(2024, 3, 3),
        dt.date(2024, 5, 14),
        dt.date(2023, 12, 1),
    ]


def test_english_items_under_a_page_date_of_another_language_get_english_month_names() -> None:
    suggestion = suggest_profile(["7 juin 2024\n" + page("3 March 2024 - Regatta", "14 May 2024 - Row")])
    profile = profile_of(suggestion)
    assert profile.months[5] == "juin" and profile.item_months == ENGLISH_MONTHS


def test_month_names_that_cannot_be_put_in_order_are_asked_for() -> None:
    text = "3 Brumaire 2024\n" + page("3 Brumaire 2024 - Regatta", "14 Frimaire 2024 - Row", "2 Nivose 2024 - Dinner")
    suggestion = suggest_profile([text])
    assert "\nmonths =" not in suggestion.toml and "[capture]" not in suggestion.toml
    assert "# The month names seen (Brumaire, Frimaire, Nivose) are not English" in suggestion.toml
    assert "as [item] months = [...]" in suggestion.toml
    snapshot = read(text, suggestion)  # items still found, their dates unread until the months are listed
    assert [item.title for item in snapshot.items] == ["Regatta", "Row", "Dinner"]
    assert all(item.published is None for item in snapshot.items)
    # Two languages that both read the names seen (marzo: Spanish, Italian) read them as the same months.
    marzo = suggest_profile([page("3 marzo 2024 - Regata")])
    assert 'months = "es"' in marzo.toml
    assert [item.published for item in read(page("3 marzo 2024 - Regata"), marzo).items] == [dt.date(2024, 3, 3)]


def test_examples_are_cut_and_the_toml_holds_any_text() -> None:
    title = "Red \x1b[31m " + "Long " * 40
    suggestion = suggest_profile([page(f"2024-03-05 {title}", "2024-02-11 Quote ' and \" and \\")], 'a "b" \\ \x07')
    assert all(len(example) <= EXAMPLE_LENGTH for example in suggestion.examples)
    assert suggestion.examples[0].endswith("...") and len(suggestion.examples[0]) == EXAMPLE_LENGTH
    assert "#   2024-03-05 Red \\u001b[31m Long Long" in suggestion.toml
    data = tomllib.loads(suggestion.toml)
    assert data["name"] == 'a "b" \\ \\u0007'
    assert "\x1b" not in suggestion.toml and "\x07" not in suggestion.toml


# --- property: any list of dated lines in any form is read back ---------------------------------

WORDS = ("boathouse", "Wend", "sculls", "crew", "eight", "coxless", "pair", "regatta", "cox", "oars", "weir")
TITLES = st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join)
NOISE = st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(lambda words: " ".join(words).capitalize())

SHAPES = ("iso", "dotted", "month day, year", "day month year", "month day")
START_PREFIXES = ("", "- ", "* ", "\u2022 ", "## ", "[")
END_PREFIXES = ("", "- ", "## ")
START_SEPARATORS = (" - ", " \u2013 ", " \u2014 ", ": ", " | ", " ")
END_SEPARATORS = (*START_SEPARATORS, " (", " [")


@st.composite
def month_names(draw: st.DrawFn, month: int) -> str:
    """An English month name as pages print it: whole, cut to 3 letters, with a dot or not."""
    name = ENGLISH_MONTHS[month - 1]
    return draw(st.sampled_from([name, name[:3], name[:3] + ".", *(["Sept."] if month == 9 else [])]))


@st.composite
def printed(draw: st.DrawFn, shape: str, date: dt.date) -> str:
    """`date` printed in `shape`."""
    if shape == "iso":
        return date.isoformat()
    if shape == "dotted":
        return draw(st.sampled_from([f"{date:%d.%m.%Y}", f"{date.day}.{date.month}.{date.year}"]))
    month = draw(month_names(date.month))
    if shape == "month day, year":
        return f"{month} {date.day}{draw(st.sampled_from([',', '']))} {date.year}"
    if shape == "day month year":
        return f"{date.day}{draw(st.sampled_from(['.', '']))} {month} {date.year}"
    return f"{month} {date.day}"


@st.composite
def captures(draw: st.DrawFn) -> tuple[str, list[tuple[dt.date, str]]]:
    """A capture of dated lines in one random form among lines of text, and the (date, title) of each."""
    shape = draw(st.sampled_from(SHAPES))
    at_start = draw(st.booleans())
    prefix = draw(st.sampled_from(START_PREFIXES if at_start else END_PREFIXES))
    separator = draw(st.sampled_from(START_SEPARATORS if at_start else END_SEPARATORS))
    # A date without a year is the latest one not after the capture: within the year before it.
    earliest = CAPTURED - dt.timedelta(days=364) if shape == "month day" else dt.date(1990, 1, 1)
    dates = draw(st.lists(st.dates(earliest, CAPTURED), min_size=1, max_size=8))
    items, lines = [], []
    for date in dates:
        title, shown = draw(TITLES), draw(printed(shape, date))
        if at_start:
            closing = "]" if prefix == "[" else ""
            line = f"{prefix}{shown}{closing}{separator}{title}"
        else:
            closing = {" (": ")", " [": "]"}.get(separator, "")
            line = f"{prefix}{title}{separator}{shown}{closing}"
        items.append((date, title))
        lines += [line, *draw(st.lists(NOISE, max_size=2))]
    return "\n".join([*draw(st.lists(NOISE, max_size=3)), *lines]), items


@given(captures())
def test_any_dated_lines_are_suggested_and_read_back(capture: tuple[str, list[tuple[dt.date, str]]]) -> None:
    text, items = capture
    suggestion = suggest_profile([text])
    assert suggestion.matched == len(items)
    snapshot = read(text, suggestion)
    assert [(item.published, item.title) for item in snapshot.items] == items


# --- the command ------------------------------------------------------------------------------


def test_the_command_writes_a_profile_that_profile_check_reads(cli: Cli, tmp_path: Path) -> None:
    capture = tmp_path / "2024-06-30.txt"  # dated by its name: the page shows no date line
    capture.write_text(page("2024-03-05: Entries open", "2024-02-11: Boat named"), encoding="utf-8")
    shown = cli("profile", "suggest", str(capture))
    assert (shown.returncode, shown.stderr) == (0, "")
    assert shown.stdout == suggest_profile([capture.read_text(encoding="utf-8")]).toml
    written = tmp_path / "club.toml"
    result = cli("profile", "suggest", str(capture), "-o", str(written))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert written.read_text(encoding="utf-8") == shown.stdout.replace('name = "suggested"', 'name = "club"')
    check = cli("profile", "check", str(written), str(capture))
    assert (check.returncode, check.stderr) == (0, "")
    assert "     5  item        2024-03-05: Entries open" in check.stdout
    assert "     8  item        2024-02-11: Boat named" in check.stdout


def test_the_command_reads_html_captures_in_folders(cli: Cli) -> None:
    result = cli("profile", "suggest", "examples/inputs/html")
    assert (result.returncode, result.stderr) == (0, "")
    assert "(DD.MM.YYYY - Title); examples:" in result.stdout
    assert "[capture]\n" in result.stdout


def test_the_command_leaves_out_ignored_lines(cli: Cli, tmp_path: Path) -> None:
    capture = tmp_path / "2024-06-30.txt"
    notices = ["2024-06-01 Cookie notice"] * 3
    capture.write_text(page("5 March 2024 - Entries open", "11 May 2024 - Boat named", *notices), encoding="utf-8")
    assert "(YYYY-MM-DD Title)" in cli("profile", "suggest", str(capture)).stdout
    ignoring = cli("profile", "suggest", str(capture), "--ignore", "Cookie")
    assert (ignoring.returncode, ignoring.stderr) == (0, "")
    assert "# 2 of 9 non-blank lines start an item (D Month YYYY - Title)" in ignoring.stdout


def test_the_command_fails_in_one_line(cli: Cli, tmp_path: Path) -> None:
    capture = tmp_path / "2024-06-30.txt"
    capture.write_text(page("Entries open", "Boat named"), encoding="utf-8")
    undated = cli("profile", "suggest", str(capture))
    assert (undated.returncode, undated.stdout) == (2, "")
    assert undated.stderr == (
        f"diffcore: {capture}: found no dated line, date line or list entry to base a profile on; "
        "write [item] start by hand (see the README's section on page profiles)\n"
    )
    dated = tmp_path / "2024-07-01.txt"
    dated.write_text(page("2024-03-05 Entries open"), encoding="utf-8")
    over = cli("profile", "suggest", str(dated), str(capture), "-o", str(capture))
    assert (over.returncode, over.stdout) == (2, "")
    assert over.stderr.startswith(f"diffcore: {capture}: refusing to overwrite an input file")
    assert capture.read_text(encoding="utf-8") == page("Entries open", "Boat named")


def test_dates_on_their_own_line_under_month_headings() -> None:
    text = (
        "Regattas\n\nJuly 2024\n\nJul 25\nSculling heats\nFrom nine.\n\nJul 12\nNight row\n\n"
        "June 2024\n\nJun 28\nBoat naming\n"
    )
    suggestion = suggest_profile([text])
    assert "date_line = " in suggestion.toml and "[section]" in suggestion.toml
    snapshot = read(text, suggestion)
    assert [(item.title, item.published) for item in snapshot.items] == [
        ("Sculling heats", dt.date(2024, 7, 25)),
        ("Night row", dt.date(2024, 7, 12)),
        ("Boat naming", dt.date(2024, 6, 28)),
    ]


def test_a_list_with_no_dates_is_known_by_its_links() -> None:
    text = (
        "Club news\n\n- [Boathouse roof mended](https://club.example/roof)\n- [New oars](https://club.example/oars)\n"
    )
    suggestion = suggest_profile([text])
    assert 'identity = "link"' in suggestion.toml
    snapshot = read(text, suggestion)
    assert [(item.title, item.published, item.link) for item in snapshot.items] == [
        ("Boathouse roof mended", None, "https://club.example/roof"),
        ("New oars", None, "https://club.example/oars"),
    ]


def test_every_cookbook_layout_gets_a_suggestion_that_finds_its_items() -> None:
    from tests.paths import REPO_DIR

    for folder in sorted(p for p in (REPO_DIR / "examples" / "layouts").iterdir() if p.is_dir()):
        texts = [path.read_text(encoding="utf-8") for path in sorted(folder.iterdir())]
        suggestion = suggest_profile(texts)
        assert all(read(text, suggestion).items for text in texts), folder.name


def test_a_feed_needs_no_profile_and_html_gets_a_hint(cli: Cli) -> None:
    from tests.paths import REPO_DIR

    feed = cli("profile", "suggest", str(REPO_DIR / "examples" / "feed"))
    assert feed.returncode == 2 and "a feed needs no profile" in feed.stderr
    html = cli("profile", "suggest", str(REPO_DIR / "examples" / "html-list" / "pages"))
    assert html.returncode == 0 and "an [html] table of CSS selectors" in html.stdout
