"""Property tests: any snapshot model written by `format_snapshot` parses back to itself."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from diffcore.fit import misfits
from diffcore.identity import item_id, repeat_id
from diffcore.model import Clock, Field, Header, HeaderCounter, Item, Lead, Snapshot, Unparsed
from diffcore.normalise import clean
from diffcore.parse import parse
from diffcore.profile import default_profile
from synthetic.layout import format_snapshot
from tests.support import NBSP, assert_lines_accounted

# Words that cannot be read as a date, a clock, a field label, a counter, an item start or the
# footer marker, with some typography (quotes, dashes, accents, an inner NBSP) on purpose.
WORDS = (
    "lamp",
    "Tower",
    "pier",
    "keeper\u2019s",
    "\u201cbeacon\u201d",
    "fog",
    "signal",
    "Gull",
    "rock",
    "tide",
    "\u2014",
    "glazing",
    "caf\u00e9",
    "Z\u00fcrich",
    "\u0153uvre",
    "маяк",
    "boathouse",
    "west",
    "rota",
    "lens",
    "brass",
    "(update)",
    "2019\u201320",
    "open" + NBSP + "day",
    "rowing",
    "Trust",
)
PLACES = ("Harbourtown", "New York", "Saint-Malo", "Port (East)", "Gull Rock")
MARKERS = ("all messages", "All messages", "ALL MESSAGES")

text_of = st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(" ".join)
short_text = st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join)


@st.composite
def clocks(draw: st.DrawFn) -> tuple[Clock, ...]:
    """0-3 clocks with distinct places, London among them or not."""
    places = draw(st.lists(st.sampled_from(("London", *PLACES)), max_size=3, unique=True))
    times = [f"{draw(st.integers(0, 23)):02d}:{draw(st.integers(0, 59)):02d}" for _ in places]
    return tuple(Clock(place, time, 0) for place, time in zip(places, times, strict=True))


@st.composite
def fields(draw: st.DrawFn) -> tuple[Field, ...]:
    """0-2 labelled fields such as "Visitor enquiries:" / "+44 (0) 20 7946 0000"."""
    found = []
    for _ in range(draw(st.integers(0, 2))):
        first = draw(st.sampled_from([word for word in WORDS if word[0].isalpha()]))
        label = f"{first} {draw(short_text)}" if draw(st.booleans()) else first
        value = draw(
            st.one_of(
                st.integers(0, 9999).map(lambda n: f"+44 (0) 20 7946 {n:04d}"),
                short_text,
            )
        )
        found.append(Field(label, value, ()))
    return tuple(found)


UNITS = ("day", "days", "week", "weeks", "month", "months", "year", "years")


@st.composite
def counter(draw: st.DrawFn, line: int) -> Counter:
    """One counter sentence, its number masked as {n} in the label."""
    value = draw(st.integers(0, 2_000_000))
    printed = f"{value:,}" if draw(st.booleans()) else str(value)
    unit = draw(st.sampled_from(UNITS))
    verb = draw(st.sampled_from(("have passed", "has passed", "have elapsed", "have gone by")))
    rest = draw(short_text)
    tail = f"{unit} {verb} since the {rest}"
    # Counter sentences are kept `clean`ed (NBSP to space), unlike titles.
    return HeaderCounter(
        label=clean(f"{{n}} {tail}"), value=value, unit=unit.rstrip("s"), text=clean(f"{printed} {tail}"), line=line
    )


@st.composite
def counters(draw: st.DrawFn) -> tuple[Counter, ...]:
    """0-3 counters on 1-2 lines."""
    total = draw(st.integers(0, 3))
    lines = draw(st.integers(1, min(2, total))) if total else 0
    # Deal the counters out to lines in order, every line getting at least one.
    cuts = (
        sorted(draw(st.lists(st.integers(1, total - 1), min_size=lines - 1, max_size=lines - 1, unique=True)))
        if lines > 1
        else []
    )
    bounds = [0, *cuts, total]
    return tuple(
        draw(counter(line=100 + group)) for group in range(lines) for _ in range(bounds[group], bounds[group + 1])
    )


@st.composite
def items(draw: st.DrawFn) -> tuple[Item, ...]:
    """0-15 dated items; a small pool of dates and titles makes duplicates likely enough."""
    pool_dates = st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31))
    dates = st.one_of(pool_dates, st.sampled_from((dt.date(2020, 2, 29), dt.date(2021, 1, 1))))
    titles = st.one_of(text_of, st.sampled_from(("Lamp room news", "lamp  room NEWS", "Tide tables")))
    built = []
    seen: Counter[str] = Counter()
    for position in range(draw(st.integers(0, 15))):
        published = draw(dates)
        padded = draw(st.booleans())
        printed = published.strftime("%d.%m.%Y") if padded else f"{published.day}.{published.month}.{published.year}"
        title = draw(titles)
        base = item_id(published.isoformat(), title)
        seen[base] += 1
        built.append(
            Item(
                id=repeat_id(base, seen[base]),
                published=published,
                published_text=printed,
                title=title,
                summary=tuple(draw(st.lists(text_of, max_size=3))),
                position=position,
                lines=(),
            )
        )
    return tuple(built)


@st.composite
def snapshots(draw: st.DrawFn) -> Snapshot:
    """A whole snapshot model in the built-in layout."""
    captured = draw(st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)))
    header_clocks = draw(clocks())
    capture_time = next((c.time for c in header_clocks if c.place == "London"), None)
    lead = None
    if draw(st.booleans()):
        lead = Lead(title=draw(text_of), paragraphs=tuple(draw(st.lists(text_of, max_size=4))), lines=())
    footer = draw(st.none() | st.sampled_from(MARKERS))
    unparsed = tuple(Unparsed(0, text) for text in draw(st.lists(text_of, max_size=2))) if footer else ()
    return Snapshot(
        source="generated",
        header=Header(
            captured=captured,
            capture_time=capture_time,
            date_line=1,
            clocks=header_clocks,
            fields=draw(fields()),
            counters=draw(counters()),
        ),
        lead=lead,
        items=draw(items()),
        footer=footer,
        footer_line=0 if footer else None,
        unparsed=unparsed,
    )


def semantic(snapshot: Snapshot) -> dict[str, object]:
    """What a snapshot says, without the input line numbers."""
    header = snapshot.header
    grouped = [
        [(c.value, c.unit, c.label, c.text) for c in group]
        for _, group in itertools.groupby(header.counters, key=lambda c: c.line)
    ]
    return {
        "captured": header.captured,
        "capture_time": header.capture_time,
        "clocks": [(c.place, c.time) for c in header.clocks],
        "fields": [(f.label, f.value) for f in header.fields],
        "counters": grouped,
        "lead": None if snapshot.lead is None else (snapshot.lead.title, snapshot.lead.paragraphs),
        "items": [(i.published, i.published_text, i.title, i.summary, i.position, i.id) for i in snapshot.items],
        "footer": snapshot.footer,
        "unparsed": [u.text for u in snapshot.unparsed],
        # The profile-fit warnings follow from the rest (tests/test_fit.py); a written model carries none.
        "warnings": [w for w in snapshot.warnings if w not in misfits(snapshot, default_profile())],
    }


def expected_lines(snapshot: Snapshot) -> int:
    """The number of non-blank lines the written page must have."""
    header = snapshot.header
    lead = 0 if snapshot.lead is None else 1 + len(snapshot.lead.paragraphs)
    return (
        1
        + len(header.clocks)
        + 2 * len(header.fields)
        + len({c.line for c in header.counters})
        + lead
        + sum(1 + len(i.summary) for i in snapshot.items)
        + (snapshot.footer is not None)
        + len(snapshot.unparsed)
    )


@given(snapshots())
def test_written_snapshot_parses_back(model: Snapshot) -> None:
    text = format_snapshot(model)
    parsed = parse(text, "generated", default_profile())
    assert semantic(parsed) == semantic(model)
    assert_lines_accounted(text, parsed)
    assert len(parsed.line_owners()) == expected_lines(model)
    # And back again: the writer is the exact inverse on its own output.
    assert format_snapshot(parsed) == text


@settings(max_examples=50)
@given(snapshots(), st.sampled_from(("\n", "\r\n", "\r")), st.data())
def test_line_ends_padding_and_blank_lines_do_not_matter(model: Snapshot, newline: str, data: st.DataObject) -> None:
    """The page as captured: other line ends, trailing NBSP/spaces, extra blank lines."""
    lines = format_snapshot(model).split("\n")
    noisy = []
    for line in lines:
        pad = data.draw(st.sampled_from(("", " ", NBSP + " " + NBSP + " ", "\t")))
        noisy.append(line + pad if line else line)
        noisy.extend([""] * data.draw(st.integers(0, 1)))
    text = newline.join(noisy)
    if data.draw(st.booleans()):
        text = text.rstrip("\r\n")  # no final line end, like the captures
    parsed = parse(text, "generated", default_profile())
    assert semantic(parsed) == semantic(model)
    assert_lines_accounted(text, parsed)
