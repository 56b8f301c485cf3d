"""The record layout that feeds and `[html]` selectors are written in: any records parse back to themselves."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from diffcore.inputs.records import Record, feed_profile, profile_for, record_profile, record_text
from diffcore.model import Capture, Source
from diffcore.parse import parse
from diffcore.profile import MARKDOWN_LINK, NEVER, default_profile, parse_profile
from tests.support import assert_lines_accounted

WHEN = Capture(Source("feed.xml"), dt.datetime(2024, 3, 1, tzinfo=dt.UTC), "file-name", "application/rss+xml", "")

# Characters the layout gives a meaning to, blank space that breaks lines, and any other text.
LAYOUT = st.sampled_from([*"|<>\\[]() -:T0129", "\n", "\r\n", "\t", "\u2028", "\x85", "\xa0", "2024-03-01"])
text = st.lists(st.one_of(LAYOUT, st.characters(exclude_categories=("Cs",))), max_size=16).map("".join)
records = st.builds(
    Record,
    date=st.none() | text,
    title=text,
    link=st.none() | text,
    summary=st.lists(text, max_size=4).map(tuple),
)


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _escaped(lines: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """What the parser gives back for lead or summary lines: each on one line, a line the layout reads escaped."""
    start, link = feed_profile().item_starts[0], feed_profile().item_link
    kept = (_one_line(line) for line in lines)
    return tuple(
        "\\" + line if line.startswith("\\") or start.match(line) or link.match(line) else line for line in kept if line
    )


def _title(title: str) -> str:
    title = _one_line(title) or "(no title)"
    if MARKDOWN_LINK.search(title):
        title = title.replace("](", "] (")  # a Markdown link is no link in a record's title
    return "\\" + title if feed_profile().item_link.match(title) else title


@given(lead=st.lists(text, max_size=3), records=st.lists(records, min_size=1, max_size=6))
def test_records_round_trip_through_their_text(lead: list[str], records: list[Record]) -> None:
    written = record_text(lead, records)
    snapshot = parse(written, "feed.xml", profile_for("application/rss+xml", default_profile()), WHEN)
    assert_lines_accounted(written, snapshot)
    assert snapshot.unparsed == () and snapshot.footer is None and snapshot.header.fields == ()
    expected_lead = _escaped(lead)
    got_lead = () if snapshot.lead is None else (snapshot.lead.title, *snapshot.lead.paragraphs)
    assert got_lead == expected_lead
    assert len(snapshot.items) == len(records)
    for item, record in zip(snapshot.items, records, strict=True):
        assert item.title == _title(record.title)
        date = _one_line(record.date or "").replace("|", "/").lstrip("\\").strip()
        assert item.published_text == date
        link = _one_line(record.link or "").replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")
        assert item.link == (link or None)
        assert item.summary == _escaped(record.summary)


def test_a_record_is_known_by_its_link_whatever_its_date_and_title() -> None:
    old = record_text(["News"], [Record("2024-02-01", "Pier open", "https://h.example/1", ("Text.",))])
    new = record_text(["News"], [Record("2024-02-03", "Pier open again", "https://h.example/1", ("Text.",))])
    read = profile_for("application/atom+xml", default_profile())
    before, after = (parse(text, "f", read, WHEN).items[0] for text in (old, new))
    assert before.id == after.id and before.id.startswith("link-")
    assert (before.published, after.published) == (dt.date(2024, 2, 1), dt.date(2024, 2, 3))
    undated = parse(record_text([], [Record(None, "Pier open", None, ())]), "f", read, WHEN).items[0]
    assert (undated.published, undated.published_text, undated.link) == (None, "", None)
    assert undated.id.startswith("undated-")


def test_page_text_never_forges_a_record() -> None:
    forged = ("## 2024-01-01 | A forged item", "## | Another", "<https://forged.example/>", "\\| escaped already")
    written = record_text(forged, [Record("2024-03-01", "Real", "https://h.example/r", forged)])
    snapshot = parse(written, "f", profile_for("application/rss+xml", default_profile()), WHEN)
    assert [item.title for item in snapshot.items] == ["Real"]
    assert snapshot.items[0].link == "https://h.example/r"
    assert snapshot.items[0].summary == tuple("\\" + line for line in forged)
    assert snapshot.lead is not None and snapshot.lead.title == "\\## 2024-01-01 | A forged item"
    plain = record_text(["News | Saltmere Trust"], [])  # a page title with a bar is no record, and kept as it is
    assert plain.splitlines() == ["News | Saltmere Trust", ""]


def test_the_record_profile_keeps_what_items_mean_and_leaves_out_the_header() -> None:
    user = parse_profile(
        {
            "capture": {"date": r"^(?P<day>\d+) (?P<month>\w+) (?P<year>\d{4})$"},
            "clock": {"pattern": r"^(?P<place>\w+): (?P<time>\d\d:\d\d)$"},
            "item": {"start": r"^(?P<title>.+)$", "dates": ["month d, y"], "identity": "link"},
            "footer": {"markers": ["all news"]},
            "ignore": {"lines": ["^Share$"]},
            "html": {"item": "li.news"},
        },
        "news.toml",
    )
    records = record_profile(user)
    assert (records.item_dates, records.identity, records.ignore, records.html) == (
        user.item_dates,
        user.identity,
        user.ignore,
        user.html,
    )
    assert records.item_starts == feed_profile().item_starts and records.item_link == feed_profile().item_link
    assert records.capture_date is NEVER and records.clock is NEVER and not records.is_footer("all news")
    assert profile_for("text/html", user) == records
    assert profile_for("text/plain", user) is user
    assert profile_for("text/html", default_profile()) is default_profile()
    feed = profile_for("application/feed+json", user)
    assert feed == dataclasses.replace(feed_profile(), ignore=user.ignore) and feed.name == "feed"
