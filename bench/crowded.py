"""Crowded archives: a busy page that replaces most of its items at every capture, all on one date or none.

The page of `synthetic` (header, clocks, a field, a footer) with `ITEMS`
items, of which `CHURN` are replaced at each capture: a few by items that
were on the page before and come back (some edited by a word), the rest by
new ones. Items are dated in one of three ways:

- "one": every item carries the same published date (a page that
  publishes many items a day, or that dates them all alike);
- "none": no item shows a date (read with `UNDATED_PROFILE`, whose items are
  "- Title" lines: their identities all share "no date");
- "spread": the control, each item dated on one of the days since the
  capture before, as `synthetic` dates them, so a date holds a few items.

Titles and summaries are drawn from invented names, so two items are two
items (a returning one is the one item the timeline should pair it with):
the timeline finds the true identities, which `write_crowded` counts.
Everything is seeded.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from synthetic.page import Entry, Page, capture_name, identity, render
from synthetic.vocabulary import edit_words

DATINGS = ("one", "none", "spread")
ITEMS = 50
CHURN = 0.9
RETURNS = 2
"""Items that come back at each capture (of the replaced ones), a third of them edited by a word."""
START = dt.date(2021, 3, 1)
SYLLABLES = (
    *("ba", "ter", "mo", "lin", "ka", "ro", "sel", "vi", "dun", "ar", "eth", "ol"),
    *("wen", "gra", "pi", "tor", "ny", "sha", "mel", "quo", "fen", "cal", "dri", "su"),
)
VERBS = ("opens", "visits", "names", "restores", "closes", "welcomes")
PLACES = ("hall", "quay", "garden", "museum", "school", "church", "pier", "library")
UNDATED_PROFILE = """\
# The built-in profile with items that show no date: "- Title" lines.
name = "undated-news-page"
description = "the built-in page with undated '- Title' items"

[capture]
date = '^(?P<day>\\d{1,2})\\s+(?P<month>[A-Za-z]+)\\.?,?\\s+(?P<year>\\d{4})$'
months = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]
reference_clock = "London"

[item]
start = '^-\\s+(?P<title>\\S.*)$'

[footer]
markers = ["all messages"]
"""


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 5))).capitalize()


def _entry(rng: random.Random, number: int, published: dt.date) -> Entry:
    title = f"{_name(rng)} {_name(rng)} {rng.choice(VERBS)} the {_name(rng)} {rng.choice(PLACES)}"
    summary = f"{_name(rng)} {_name(rng)} counted {rng.randint(12, 99_999)} at {_name(rng)} {_name(rng)}."
    return Entry(identity(number), published, title, (summary,))


def crowded_pages(captures: int, dating: str, seed: int = 47, items: int = ITEMS) -> Iterator[Page]:
    """The pages of a crowded archive, one at a time (see the module's docstring)."""
    if dating not in DATINGS:
        raise ValueError(f"dating must be one of {', '.join(DATINGS)}")
    rng = random.Random(seed)
    numbers = iter(range(1, 10**9))
    captured = previous = START

    def dated() -> dt.date:
        if dating != "spread":
            return START
        return captured - dt.timedelta(days=rng.randrange(max(1, (captured - previous).days)))

    entries = [_entry(rng, next(numbers), dated()) for _ in range(items)]
    gone: list[Entry] = []
    for _ in range(captures):
        yield Page(captured, f"{rng.randint(6, 21):02d}:{rng.randint(0, 59):02d}", (), None, tuple(entries))
        previous, captured = captured, captured + dt.timedelta(days=rng.randint(2, 5))
        replaced = round(len(entries) * CHURN)
        stay = sorted(rng.sample(range(len(entries)), len(entries) - replaced))
        back = [gone.pop(rng.randrange(len(gone))) for _ in range(min(RETURNS, len(gone)))]
        back = [
            Entry(entry.identity, entry.published, edit_words(entry.title, rng), entry.summary)
            if rng.random() < 1 / 3
            else entry
            for entry in back
        ]
        gone += [entry for at, entry in enumerate(entries) if at not in set(stay)]
        fresh = [_entry(rng, next(numbers), dated()) for _ in range(replaced - len(back))]
        entries = [*back, *fresh, *(entries[at] for at in stay)]


def page_text(page: Page, dating: str) -> str:
    """The page's text; with no dates, its item lines read "- Title"."""
    text, snapshot = render(page)
    if dating != "none":
        return text
    lines = text.split("\n")
    for item in snapshot.items:
        lines[item.lines[0] - 1] = f"- {item.title}"
    return "\n".join(lines)


@dataclass(frozen=True)
class WrittenCrowd:
    """A crowded archive written to a folder: its captures, bytes, true identities and profile (if any)."""

    folder: Path
    captures: int
    size: int
    identities: int
    profile: Path | None


def write_crowded(captures: int, dating: str, folder: Path, seed: int = 47) -> WrittenCrowd:
    """Stream a crowded archive into `folder` (one file a capture), and its profile beside it when undated."""
    folder.mkdir(parents=True, exist_ok=True)
    size = 0
    identities: set[str] = set()
    for page in crowded_pages(captures, dating, seed):
        data = page_text(page, dating).encode("utf-8")
        (folder / capture_name(data.decode("utf-8"))).write_bytes(data)
        size += len(data)
        identities.update(entry.identity for entry in page.items)
    profile = None
    if dating == "none":
        profile = folder.parent / f"{folder.name}.toml"
        profile.write_text(UNDATED_PROFILE, encoding="utf-8")
    return WrittenCrowd(folder, captures, size, len(identities), profile)
