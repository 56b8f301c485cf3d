"""Items read from a feed or an HTML page's elements, as record text: the one layout the text parser reads.

A feed's entries and the elements a profile's `[html]` selectors pick are
written as plain text in one layout, then parsed like any other capture,
so every command reads them unchanged and every line of that text has its
place in the snapshot:

    Lead line (the feed's or page's title)

    ## 2024-03-01 | Title of the first record
    <https://example.org/its-link>
    A summary line.

    ## | A record without a date

The patterns of that layout are the built-in `feed` profile's (one source
of truth). Page text never forges a record: a lead or summary line the
patterns would read gets a backslash first, as does one that starts with a
backslash.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from diffcore.model import FEED_TYPES, NO_TITLE, MediaType
from diffcore.normalise import MARKDOWN_LINK
from diffcore.profile import NEVER, Profile, built_in_profiles

FEED_PROFILE = "feed"
ESCAPE = "\\"
KEY_PREFIX = "id: "
"""What starts a record's key line (the `feed` profile's `[item] key`)."""


@dataclass(frozen=True)
class Record:
    """One item as its source gives it: its date as printed, title, link and summary paragraphs."""

    date: str | None
    title: str
    link: str | None
    summary: tuple[str, ...]
    key: str | None = None
    """What names the record across captures when its link may change (a feed entry's guid)."""


def feed_profile() -> Profile:
    """The built-in profile of the record layout."""
    return built_in_profiles()[FEED_PROFILE]


def record_text(lead: Sequence[str], records: Iterable[Record]) -> str:
    """The record text of a lead and records: what `record_profile` parses back into exactly those items."""
    return "".join(f"{line}\n" for line in _record_lines(lead, records))


def _record_lines(lead: Sequence[str], records: Iterable[Record]) -> Iterator[str]:
    lead_lines = list(_text_lines(lead))
    yield from lead_lines
    if lead_lines:
        yield ""
    for record in records:
        date = _one_line(record.date or "").replace("|", "/").lstrip(ESCAPE).strip()
        title = _title(record.title)
        yield f"## {date} | {title}" if date else f"## | {title}"
        link = _link(record.link or "")
        if link:
            yield f"<{link}>"
        key = _link(record.key or "")
        if key and key != link:
            yield f"{KEY_PREFIX}{key}"
        yield from _text_lines(record.summary)
        yield ""


def _one_line(text: str) -> str:
    """Text on one line: every run of blank space (line breaks too) one space."""
    return " ".join(text.split())


def _text_lines(lines: Iterable[str]) -> Iterator[str]:
    """Lead or summary lines on one line each, blank ones dropped, escaped where the layout would read them."""
    start, link = _patterns()
    for raw in lines:
        line = _one_line(raw)
        if line.startswith((ESCAPE, KEY_PREFIX)) or start.match(line) or link.match(line):
            yield ESCAPE + line
        elif line:
            yield line


def _title(raw: str) -> str:
    """A title on one line that the parser takes as it is: not as a link, nor as Markdown link text."""
    title = _one_line(raw) or NO_TITLE
    if MARKDOWN_LINK.search(title):
        title = title.replace("](", "] (")
    _, link = _patterns()
    return ESCAPE + title if link.match(title) else title


def _link(raw: str) -> str:
    """A link on one line, its spaces and angle brackets percent-encoded (a guid may hold them)."""
    return _one_line(raw).replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")


def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The record start and link patterns, the `feed` profile's (read when first needed, not at import)."""
    profile = feed_profile()
    return profile.item_starts[0], profile.item_link


def record_profile(profile: Profile) -> Profile:
    """A profile that reads record text: its item dates, months, identity and ignore settings, the record layout.

    Everything of a page's header and footer is left out: record text has none.
    """
    start, link = _patterns()
    return replace(
        profile,
        capture_date=NEVER,
        clock=NEVER,
        field_label=NEVER,
        counter=NEVER,
        item_starts=(start,),
        item_date_line=NEVER,
        item_title=None,
        item_link=link,
        item_key=feed_profile().item_key,
        section=NEVER,
        header_end=None,
        footer_markers=frozenset(),
        footer_pattern=NEVER,
    )


def profile_for(media_type: MediaType, profile: Profile) -> Profile:
    """The profile a capture is parsed with: the `feed` profile for a feed (with the user's ignore settings),
    the record layout for an HTML page that `profile` reads by its `[html]` selectors, else `profile`."""
    if media_type in FEED_TYPES:
        return replace(
            feed_profile(),
            ignore=profile.ignore,
            ignore_link_targets=profile.ignore_link_targets,
            ignore_characters=profile.ignore_characters,
        )
    if media_type == "text/html" and profile.html is not None:
        return record_profile(profile)
    return profile
