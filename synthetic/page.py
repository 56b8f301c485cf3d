"""The true state of the page in one capture, and its text and model.

A `Page` holds counters, the lead and the items as `Entry` values that carry
a stable identity such as "T0001". `render` writes a page with the one layout
writer of `synthetic.layout` and returns the text with the model the parser
reads from it, line numbers included.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Container, Iterable
from dataclasses import dataclass
from functools import cached_property

from diffcore.identity import item_id
from diffcore.model import Clock, Field, Header, HeaderCounter, Item, Lead, Snapshot
from synthetic.layout import lay_out
from synthetic.vocabulary import (
    FIELD,
    FOOTER,
    HOME,
    PLACES,
    TITLES,
    edit_words,
    paragraph,
)


def identity(number: int) -> str:
    """The identity id of the n-th text of an archive: "T0001"."""
    return f"T{number:04d}"


@dataclass(frozen=True)
class Entry:
    """One text of the page with its true identity: an item, or the lead article.

    As the lead, `title` and `summary` are its title line and paragraphs;
    `published` is the date it carries if it is ever demoted into the item list.
    """

    identity: str
    published: dt.date
    title: str
    summary: tuple[str, ...]

    @cached_property
    def id(self) -> str:
        """The item id diffcore gives this entry as an item."""
        return item_id(self.published.isoformat(), self.title)


@dataclass(frozen=True)
class Tally:
    """A header counter: "<value> days have passed since <event>"."""

    event: str
    since: dt.date
    value: int

    @property
    def text(self) -> str:
        """The counter sentence as the page prints it."""
        return f"{self.value} days have passed since {self.event}"


@dataclass(frozen=True)
class Page:
    """The true state of the page in one capture (time is the London clock).

    `moved` records the identities the page's author moved since the previous
    page; every other item keeps its order. The truth oracle reads it.
    """

    captured: dt.date
    time: str
    counters: tuple[Tally, ...]
    lead: Entry | None
    items: tuple[Entry, ...]
    moved: tuple[str, ...] = ()


def tally(event: str, since: dt.date, captured: dt.date) -> Tally:
    """A counter showing the calendar value on the capture date."""
    return Tally(event, since, (captured - since).days)


def tick(counters: Iterable[Tally], captured: dt.date, stalled: Container[str] = ()) -> tuple[Tally, ...]:
    """Counters advanced to the calendar of `captured`, except the stalled events."""
    return tuple(c if c.event in stalled else tally(c.event, c.since, captured) for c in counters)


def new_entry(rng: random.Random, ident: str, published: dt.date, taken: Container[str], paragraphs: int = 1) -> Entry:
    """A fresh entry whose item id is not in `taken` (a new title for that date)."""
    summary = tuple(paragraph(rng) for _ in range(paragraphs))
    for _ in range(1000):
        entry = Entry(ident, published, rng.choice(TITLES)(rng, published), summary)
        if entry.id not in taken:
            return entry
    raise ValueError(f"no fresh title left for {published.isoformat()}")


def sibling(rng: random.Random, ident: str, entry: Entry, taken: Container[str]) -> Entry:
    """A distinct entry of the same date whose title differs from `entry`'s by a place or a word."""
    places = [p for p in PLACES if p in entry.title]
    for _ in range(100):
        if places:
            title = entry.title.replace(places[0], rng.choice([p for p in PLACES if p not in places]), 1)
        else:
            title = edit_words(entry.title, rng)
        if item_id(entry.published.isoformat(), title) not in taken:
            return Entry(ident, entry.published, title, (paragraph(rng),))
    raise ValueError(f"no sibling title left for {entry.title!r}")


def render(page: Page, source: str = "") -> tuple[str, Snapshot]:
    """The page text, and the Snapshot the parser reads from it, line numbers included."""
    hour, minute = page.time.split(":")
    local = f"{(int(hour) + 1) % 24:02d}:{minute}"
    # Counters go two to a line; `lay_out` numbers every line.
    counters = tuple(
        HeaderCounter(f"{{n}} days have passed since {counter.event}", counter.value, "day", counter.text, index // 2)
        for index, counter in enumerate(page.counters)
    )
    header = Header(
        page.captured,
        page.time,
        0,
        (Clock(HOME, local, 0), Clock("London", page.time, 0)),
        (Field(FIELD[0], FIELD[1], ()),),
        counters,
    )
    lead = None if page.lead is None else Lead(page.lead.title, page.lead.summary, ())
    items = tuple(
        Item(entry.id, entry.published, f"{entry.published:%d.%m.%Y}", entry.title, entry.summary, position, ())
        for position, entry in enumerate(page.items)
    )
    return lay_out(Snapshot(source, header, lead, items, FOOTER, None))


def capture_name(text: str) -> str:
    """The file name of a capture: a hash of its content, so name order is not date order."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest() + ".txt"
