"""Synthetic archives of a fictional page, with the true changes recorded.

The page belongs to the Saltmere Lighthouse Trust, an invented charity. Its
state in one capture is a `Page` (counters, lead, items as `Entry` values that
carry a stable identity such as "T0001"). `chronicle` turns a sequence of pages
into `Capture` values (page text, the `Snapshot` model, the true changes since
the previous capture); `truth_of` sums those up per identity. `generate` and
`iter_captures` drive this with seeded random churn; `examples/make_archive.py`
drives it with a scripted storyline.

Everything is deterministic for a seed: one `random.Random` draws every choice,
and no result depends on set iteration order.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import itertools
import json
import random
import re
from collections import deque
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from dataclasses import dataclass, fields, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from diffcore.model import Clock, Counter, Field, Header, Item, Lead, Snapshot
from diffcore.normalise import item_id, key
from diffcore.write import format_snapshot

HOME = "Saltmere"
FIELD = ("Visitor desk", "+44 (0) 1632 960 418")
FOOTER = "all messages"
START = dt.date(2019, 1, 1)
MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")

PLACES = (
    "North Pier", "Gullhaven Point", "Crane Wharf", "Old Signal House", "Kestrel Rock",
    "Ferry Steps", "Brackwater Quay", "Lantern Hill", "Eastmouth Battery", "Tern Island",
    "Pilot's Cottage", "Harbour Museum", "Rope Walk", "Fog Station", "West Breakwater",
    "Lifeboat House", "Keeper's Garden", "Tide Mill", "Coastguard Lookout", "Mussel Bank",
)
GATHERINGS = (
    "open day", "members' evening", "annual meeting", "volunteer briefing", "press breakfast",
    "lantern evening", "heritage fair", "donors' reception", "schools week", "harbour festival",
)
PEOPLE = (
    "director Mara Quill", "keeper Tobias Wren", "archivist Hester Vane", "engineer Callum Birk",
    "curator Ines Marlow", "trustee Odile Fenn", "volunteer lead Rhys Tamsin", "historian Edda Corran",
)
TOPICS = (
    "Fresnel lenses", "the 1887 fog signal", "the keepers' logbooks", "old harbour charts",
    "wrecks on the Mussel Bank", "tidal mills", "coastal erosion", "seabird counts",
    "the lamp room clockwork", "signal flags", "lifeboat rescues", "the copper dome",
)
STRUCTURES = (
    "lamp room", "copper dome", "gallery railing", "fog horn", "keeper's stair",
    "slipway", "boat shed", "lantern glazing", "engine house", "sea wall",
)
PROGRESS = (
    "first phase complete", "scaffolding removed", "works resume", "survey findings",
    "contract awarded", "final inspection", "scaffolding goes up", "paint trials",
)
STORMS = ("Ada", "Brann", "Cleo", "Dorran", "Elin", "Fyfe", "Greer", "Hollis", "Isla", "Jory")
FUNDS = (
    "Coastal Heritage Fund", "Maritime Lottery Board", "Saltmere Borough Council",
    "Friends of the Light", "Northern Arts Foundation", "Bay Fishermen's Guild",
)
PROJECTS = (
    "the lamp room restoration", "a new education room", "digitising the keepers' logbooks",
    "repairs to the sea wall", "a seabird camera on Tern Island", "a ramp at the Ferry Steps",
    "new signs on the coast path", "school visits from inland towns",
)
THEMES = (
    "Light at the Edge", "Keepers and Their Families", "Ships That Passed", "A Century of Fog",
    "Paint and Salt", "Charting the Bay", "Women of the Lifeboat", "Glass and Brass",
)
NEWSPAPERS = ("Saltmere Gazette", "Coastline Weekly", "Harbour Echo", "Bay Radio", "Northern Mariner")
TASKS = (
    "beach clean", "painting the railings", "clearing the garden", "cataloguing photographs",
    "repairing the boat shed", "guiding visitors", "planting marram grass", "oiling the clockwork",
)
ISSUES = (
    "the closure of the North Pier walkway", "parking on Lantern Hill", "the new ferry timetable",
    "night lighting on the quay", "the future of the Fog Station", "access for wheelchairs",
)
SPARE_WORDS = (
    "new", "annual", "restored", "historic", "public", "small", "early", "final",
    "local", "special", "second", "winter", "summer", "coastal", "old", "further",
)
LEAD_TITLES = (
    "Saltmere light shines again after the winter repairs",
    "Trustees publish the plan for the lamp room restoration",
    "A year on the headland: the Trust looks back",
    "Keepers' logbooks go online for the first time",
)
COUNTER_EVENTS = (
    ("the North Pier walkway was closed - no reopening date from the Borough Council", 431),
    ("the Trust asked the Harbour Board to renew the lantern licence - no reply so far", 242),
    ("the last keeper left the Fog Station", 1630),
    ("the Tide Mill sluice gate jammed", 377),
)

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_SEASONS = ("spring", "summer", "autumn", "winter")
_WEATHER = ("a cold north wind", "heavy rain", "thick fog", "a rough sea", "low cloud")
_TOKEN = re.compile(r"^(\W*)(.*?)(\W*)$")
_CLOSINGS = (
    "Admission is free and no booking is needed.",
    "Visitors are asked to wear sturdy shoes on the pier.",
    "Further details are available from the visitor desk.",
    "Photographs from the day will appear in the gallery.",
    "Members will receive a full report by post.",
    "We thank every volunteer who gave their time.",
    "Dogs on leads are welcome on the lower path.",
    "The tower stair remains closed while work continues.",
    "Questions may be sent to the Trust office.",
)


def long_date(day: dt.date) -> str:
    """A date as a title writes it: "3 May 2019"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def identity(number: int) -> str:
    """The identity id of the n-th text of an archive: "T0001"."""
    return f"T{number:04d}"


# Title templates: each draws its slots from the vocabulary above.
def _remarks(rng: random.Random, day: dt.date) -> str:
    return (f"Director's remarks and answers to questions at the {rng.choice(PLACES)} "
            f"{rng.choice(GATHERINGS)}, {long_date(day)}")


def _exhibition(rng: random.Random, day: dt.date) -> str:
    return f"Exhibition \u201c{rng.choice(THEMES)}\u201d opens at the {rng.choice(PLACES)}"


def _restoration(rng: random.Random, day: dt.date) -> str:
    return f"Restoration of the {rng.choice(STRUCTURES)} at {rng.choice(PLACES)}: {rng.choice(PROGRESS)}"


def _volunteers(rng: random.Random, day: dt.date) -> str:
    return f"Volunteer day at {rng.choice(PLACES)}: {rng.choice(TASKS)}"


def _storm(rng: random.Random, day: dt.date) -> str:
    return (f"Storm {rng.choice(STORMS)} report: damage to the {rng.choice(STRUCTURES)} "
            f"at {rng.choice(PLACES)}")


def _grant(rng: random.Random, day: dt.date) -> str:
    return f"Grant from the {rng.choice(FUNDS)} for {rng.choice(PROJECTS)}"


def _lecture(rng: random.Random, day: dt.date) -> str:
    return f"Lecture by {rng.choice(PEOPLE)} on {rng.choice(TOPICS)}"


def _statement(rng: random.Random, day: dt.date) -> str:
    return f"Statement of the Trust on {rng.choice(ISSUES)}"


def _interview(rng: random.Random, day: dt.date) -> str:
    return f"Interview of {rng.choice(PEOPLE)} with the {rng.choice(NEWSPAPERS)}"


def _seabirds(rng: random.Random, day: dt.date) -> str:
    return f"Seabird count at {rng.choice(PLACES)}: {rng.randint(12, 480)} nesting pairs"


def _annual(rng: random.Random, day: dt.date) -> str:
    return f"Annual report for {day.year - 1}: {rng.choice(PROJECTS)}"


TITLES: tuple[Callable[[random.Random, dt.date], str], ...] = (
    _remarks, _remarks, _exhibition, _restoration, _volunteers, _storm, _grant,
    _lecture, _statement, _interview, _seabirds, _seabirds, _annual,
)


def _upper(text: str) -> str:
    """The text with its first letter in capitals and the rest untouched."""
    return text[:1].upper() + text[1:]


def _opening(rng: random.Random) -> str:
    place, n = rng.choice(PLACES), rng.randint(12, 900)
    pick = rng.randrange(8)
    if pick == 0:
        return (f"The Trust welcomed {n} visitors to the {place} on {rng.choice(_WEEKDAYS)}, "
                f"despite {rng.choice(_WEATHER)}.")
    if pick == 1:
        return f"{_upper(rng.choice(PEOPLE))} spoke to {n} members about {rng.choice(TOPICS)} at the {place}."
    if pick == 2:
        return (f"Volunteers spent {rng.choice(_WEEKDAYS)} on {rng.choice(TASKS)} at the {place} "
                f"and wrote up the work in the daybook.")
    if pick == 3:
        return (f"Engineers inspected the {rng.choice(STRUCTURES)} at the {place} and found "
                f"{rng.choice(('sound timber', 'loose rivets', 'salt damage', 'worn hinges'))}.")
    if pick == 4:
        return (f"A grant of {n * 50} pounds will pay for {rng.choice(PROJECTS)} over the next "
                f"{rng.randint(2, 18)} months.")
    if pick == 5:
        return (f"{_upper(rng.choice(_WEATHER))} on {rng.choice(_WEEKDAYS)} night left debris "
                f"at the {place}, which stays open with care.")
    if pick == 6:
        return f"The display brings together {n} photographs, logbooks and charts lent by families from the {place}."
    return f"Our keepers logged {n} ships passing the {place} during the {rng.choice(_SEASONS)} watch."


def _closing(rng: random.Random) -> str:
    pick = rng.randrange(len(_CLOSINGS) + 1)
    if pick == len(_CLOSINGS):
        return f"The next session is planned for the {rng.choice(_SEASONS)}."
    return _CLOSINGS[pick]


def paragraph(rng: random.Random) -> str:
    """A short summary paragraph of two sentences."""
    return f"{_opening(rng)} {_closing(rng)}"


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
    """The true state of the page in one capture (time is the London clock)."""

    captured: dt.date
    time: str
    counters: tuple[Tally, ...]
    lead: Entry | None
    items: tuple[Entry, ...]


def tally(event: str, since: dt.date, captured: dt.date) -> Tally:
    """A counter showing the calendar value on the capture date."""
    return Tally(event, since, (captured - since).days)


def tick(counters: Iterable[Tally], captured: dt.date, stalled: Container[str] = ()) -> tuple[Tally, ...]:
    """Counters advanced to the calendar of `captured`, except the stalled events."""
    return tuple(c if c.event in stalled else tally(c.event, c.since, captured) for c in counters)


def new_entry(rng: random.Random, ident: str, published: dt.date, taken: Container[str],
              paragraphs: int = 1) -> Entry:
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


def edit_words(text: str, rng: random.Random, changes: int = 1) -> str:
    """`text` with `changes` words replaced, inserted or deleted (never the first word).

    Punctuation around a replaced word stays; the result always differs in `key`.
    """
    while True:
        words = text.split(" ")
        for _ in range(changes):
            if len(words) > 3:
                op = rng.choice(("replace", "replace", "insert", "delete"))
            else:
                op = rng.choice(("replace", "insert")) if len(words) > 1 else "insert"
            if op == "replace":
                at = rng.randrange(1, len(words))
                head, core, tail = _TOKEN.match(words[at]).groups()  # type: ignore[union-attr]
                new = rng.choice([w for w in SPARE_WORDS if w != core.casefold()])
                words[at] = head + (_upper(new) if core[:1].isupper() else new) + tail
            elif op == "insert":
                words.insert(rng.randrange(1, len(words) + 1), rng.choice(SPARE_WORDS))
            else:
                del words[rng.randrange(1, len(words))]
        edited = " ".join(words)
        if key(edited) != key(text):
            return edited


# The recorded truth.

@dataclass(frozen=True)
class EditTruth:
    """An identity present in both captures whose text changed.

    `fields` holds any of "published", "title", "summary" in that order
    (title and summary together is an edit of both).
    """

    identity: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class MoveTruth:
    """An identity that genuinely moved: outside the one longest kept order."""

    identity: str
    old_position: int
    new_position: int


@dataclass(frozen=True)
class LeadTruth:
    """What happened to the lead article.

    `status` is one of: same, edited, replaced, promoted (the new lead was an
    item before), demoted (the old lead is an item now), appeared, vanished,
    absent (no lead on either side).
    """

    status: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class CounterTruth:
    """A counter of the newer capture.

    `consistent` is whether it advanced by exactly the days between the captures
    (None when the older capture lacked it); `on_calendar` whether its value is
    the true number of days since its event.
    """

    label: str
    value: int
    previous: int | None
    consistent: bool | None
    on_calendar: bool


@dataclass(frozen=True)
class ChangeTruth:
    """The true changes from one capture (`old`) to the next (`new`).

    `added` are identities never seen before, `returned` ones seen earlier that
    come back; both and `dropped` are in page order.
    """

    old: dt.date
    new: dt.date
    added: tuple[str, ...]
    dropped: tuple[str, ...]
    returned: tuple[str, ...]
    edited: tuple[EditTruth, ...]
    moved: tuple[MoveTruth, ...]
    lead: LeadTruth
    counters: tuple[CounterTruth, ...]


@dataclass(frozen=True)
class CaptureTruth:
    """One capture: its file name, date, lead identity, and the identity and item id at each position."""

    name: str
    captured: dt.date
    lead: str | None
    identities: tuple[str, ...]
    ids: tuple[str, ...]


@dataclass(frozen=True)
class IdentityTruth:
    """One identity across the archive, as an item.

    `titles` lists every title it had, in order; `gaps` counts the times it
    came back after missing from captures; `edits` the captures in which its
    text or date changed.
    """

    identity: str
    titles: tuple[str, ...]
    published: dt.date
    first_seen: dt.date
    last_seen: dt.date
    seen: int
    gaps: int
    edits: int


@dataclass(frozen=True)
class Truth:
    """Everything the archive really did, per capture, per pair and per identity."""

    captures: tuple[CaptureTruth, ...]
    changes: tuple[ChangeTruth, ...]
    identities: tuple[IdentityTruth, ...]


@dataclass(frozen=True)
class Capture:
    """One generated capture: file name, page text, its model, true state and changes.

    `change` is None for the first capture of an archive.
    """

    name: str
    text: str
    snapshot: Snapshot
    page: Page
    change: ChangeTruth | None


@dataclass(frozen=True)
class Archive:
    """All captures of a generated archive, in date order, and their truth."""

    captures: tuple[Capture, ...]
    truth: Truth


def snapshot_of(page: Page, source: str = "") -> Snapshot:
    """The Snapshot the parser reads from the page text, line numbers included."""
    hour, minute = page.time.split(":")
    local = f"{(int(hour) + 1) % 24:02d}:{minute}"
    line = 4
    field = Field(FIELD[0], FIELD[1], (line + 1, line + 2))
    line += 2
    counters = []
    for index, counter in enumerate(page.counters):
        if index % 2 == 0:
            line += 2
        counters.append(Counter(f"{{n}} days have passed since {counter.event}", counter.value,
                                "day", counter.text, line))
    header = Header(page.captured, page.time, 1, (Clock(HOME, local, 2), Clock("London", page.time, 3)),
                    (field,), tuple(counters))
    lead = None
    if page.lead is not None:
        lines = tuple(range(line + 3, line + 4 + 2 * len(page.lead.summary), 2))
        lead = Lead(page.lead.title, page.lead.summary, lines)
        line = lines[-1]
    line += 1
    items = []
    for position, entry in enumerate(page.items):
        lines = tuple(range(line + 2, line + 3 + 2 * len(entry.summary), 2))
        items.append(Item(entry.id, entry.published, f"{entry.published:%d.%m.%Y}", entry.title,
                          entry.summary, position, lines))
        line = lines[-1]
    return Snapshot(source, header, lead, tuple(items), FOOTER, line + 2)


def capture_name(text: str) -> str:
    """The file name of a capture: a hash of its content, so name order is not date order."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest() + ".txt"


def _kept(ranks: Sequence[int]) -> list[bool]:
    """Which entries of `ranks` (distinct) lie on a longest increasing run."""
    tails: list[int] = []
    tail_at: list[int] = []
    before = [-1] * len(ranks)
    for at, rank in enumerate(ranks):
        slot = bisect.bisect_left(tails, rank)
        before[at] = tail_at[slot - 1] if slot else -1
        if slot == len(tails):
            tails.append(rank)
            tail_at.append(at)
        else:
            tails[slot] = rank
            tail_at[slot] = at
    kept = [False] * len(ranks)
    at = tail_at[-1] if tail_at else -1
    while at >= 0:
        kept[at] = True
        at = before[at]
    return kept


def _lead_truth(old: Page, new: Page, old_items: dict[str, int], new_items: dict[str, int]) -> LeadTruth:
    before = old.lead.identity if old.lead else None
    after = new.lead.identity if new.lead else None
    if before is None and after is None:
        status = "absent"
    elif before == after:
        same = (old.lead.title, old.lead.summary) == (new.lead.title, new.lead.summary)  # type: ignore[union-attr]
        status = "same" if same else "edited"
    elif before is not None and before in new_items:
        status = "demoted"
    elif after is not None and after in old_items:
        status = "promoted"
    elif before is None:
        status = "appeared"
    elif after is None:
        status = "vanished"
    else:
        status = "replaced"
    return LeadTruth(status, before, after)


def compare(old: Page, new: Page, seen: Container[str]) -> ChangeTruth:
    """The true changes between two pages; `seen` holds identities shown as items before `new`."""
    old_at = {e.identity: at for at, e in enumerate(old.items)}
    new_at = {e.identity: at for at, e in enumerate(new.items)}
    common = [e for e in new.items if e.identity in old_at]
    edited = []
    for entry in common:
        was = old.items[old_at[entry.identity]]
        changed = tuple(name for name, differs in (("published", was.published != entry.published),
                                                  ("title", was.title != entry.title),
                                                  ("summary", was.summary != entry.summary)) if differs)
        if changed:
            edited.append(EditTruth(entry.identity, changed))
    kept = _kept([old_at[e.identity] for e in common])
    moved = tuple(MoveTruth(e.identity, old_at[e.identity], new_at[e.identity])
                  for e, stays in zip(common, kept) if not stays)
    fresh = [e.identity for e in new.items if e.identity not in old_at]
    elapsed = (new.captured - old.captured).days
    previous = {c.event: c.value for c in old.counters}
    counters = tuple(
        CounterTruth(f"{{n}} days have passed since {c.event}", c.value, previous.get(c.event),
                     None if c.event not in previous else c.value - previous[c.event] == elapsed,
                     c.value == (new.captured - c.since).days)
        for c in new.counters
    )
    return ChangeTruth(
        old=old.captured,
        new=new.captured,
        added=tuple(i for i in fresh if i not in seen),
        dropped=tuple(e.identity for e in old.items if e.identity not in new_at),
        returned=tuple(i for i in fresh if i in seen),
        edited=tuple(edited),
        moved=moved,
        lead=_lead_truth(old, new, old_at, new_at),
        counters=counters,
    )


def chronicle(pages: Iterable[Page]) -> Iterator[Capture]:
    """Captures of a sequence of pages in date order, each with its true changes."""
    previous: Page | None = None
    seen: set[str] = set()
    for page in pages:
        if previous is not None and page.captured <= previous.captured:
            raise ValueError(f"capture {page.captured} does not follow {previous.captured}")
        snapshot = snapshot_of(page)
        text = format_snapshot(snapshot)
        name = capture_name(text)
        change = None if previous is None else compare(previous, page, seen)
        seen.update(e.identity for e in page.items)
        yield Capture(name, text, replace(snapshot, source=name), page, change)
        previous = page


def truth_of(captures: Iterable[Capture]) -> Truth:
    """The truth of an archive, reading its captures once (a stream is fine)."""
    records: dict[str, dict[str, Any]] = {}
    shots: list[CaptureTruth] = []
    changes: list[ChangeTruth] = []
    for capture in captures:
        page = capture.page
        shots.append(CaptureTruth(capture.name, page.captured, page.lead.identity if page.lead else None,
                                  tuple(e.identity for e in page.items), tuple(i.id for i in capture.snapshot.items)))
        if capture.change is not None:
            changes.append(capture.change)
            for ident in capture.change.returned:
                records[ident]["gaps"] += 1
            for edit in capture.change.edited:
                records[edit.identity]["edits"] += 1
        for entry in page.items:
            record = records.setdefault(entry.identity, {
                "titles": [entry.title], "first_seen": page.captured, "seen": 0, "gaps": 0, "edits": 0})
            if record["titles"][-1] != entry.title:
                record["titles"].append(entry.title)
            record["published"] = entry.published
            record["last_seen"] = page.captured
            record["seen"] += 1
    identities = tuple(
        IdentityTruth(ident, tuple(r["titles"]), r["published"], r["first_seen"], r["last_seen"],
                      r["seen"], r["gaps"], r["edits"])
        for ident, r in records.items()
    )
    return Truth(tuple(shots), tuple(changes), identities)


def archive_of(captures: Iterable[Capture]) -> Archive:
    """Collect captures and their truth into an Archive."""
    held = tuple(captures)
    return Archive(held, truth_of(held))


def _plain(value: Any) -> Any:
    """A truth value as JSON-able data: dataclasses to dicts, dates to ISO strings."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    return value


def truth_to_dict(truth: Truth) -> dict[str, Any]:
    """The truth as JSON-able dicts and lists, dates in ISO form."""
    return _plain(truth)


def write_archive(archive: Archive, folder: str | Path) -> tuple[Path, ...]:
    """Write each capture as `<name>` and the truth as `truth.json` into `folder`."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for capture in archive.captures:
        path = target / capture.name
        path.write_bytes(capture.text.encode("utf-8"))
        written.append(path)
    path = target / "truth.json"
    path.write_text(json.dumps(truth_to_dict(archive.truth), indent=1, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return (*written, path)


# Random churn.

@dataclass(frozen=True)
class Churn:
    """Rates of change per pair of consecutive captures.

    Item rates are the expected share of the list that undergoes the change
    (`added` and `returns` relative to the list size asked of `generate`); each
    surviving item gets at most one of move or edit per pair. The list keeps
    that size by dropping items from the bottom, unless more than that many
    arrive in one pair. `added_elsewhere`
    is the share of added items placed inside the list rather than at the top,
    `twins` the chance that an added item comes with a near-identical sibling
    of the same date. `counter_stall` is the chance per counter and pair that it
    stays unchanged (a stale page); it jumps back to the calendar when it moves
    again. With `counter_appear` > 0 the archive starts without counters and
    each hidden counter appears, in turn, with that chance per pair.
    """

    added: float = 0.06
    dropped: float = 0.02
    moved: float = 0.02
    edited_title: float = 0.02
    edited_summary: float = 0.02
    edited_both: float = 0.01
    date_corrected: float = 0.01
    returns: float = 0.01
    added_elsewhere: float = 0.1
    twins: float = 0.1
    counter_stall: float = 0.05
    counter_appear: float = 0.0

    def __post_init__(self) -> None:
        for f in fields(self):
            rate = getattr(self, f.name)
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"churn {f.name} must lie in [0, 1], not {rate}")


def _count(rng: random.Random, size: int, rate: float) -> int:
    """How many of `size` undergo a change of `rate`: the expectation, rounded at random."""
    expected = size * rate
    whole = int(expected)
    return whole + (rng.random() < expected - whole)


def _moves(rng: random.Random, size: int, wanted: int) -> list[tuple[int, int]]:
    """Unambiguous moves (from, to): each jumps at least 3 places, their ranges apart."""
    taken: list[tuple[int, int]] = []
    moves = []
    for _ in range(wanted * 20):
        if len(moves) == wanted or size < 4:
            break
        start = rng.randrange(size)
        end = start + rng.choice((-1, 1)) * rng.randint(3, min(10, size - 1))
        low, high = min(start, end), max(start, end)
        if low < 0 or high >= size or any(low <= b + 1 and a <= high + 1 for a, b in taken):
            continue
        taken.append((low, high))
        moves.append((start, end))
    return moves


def _edit(rng: random.Random, entry: Entry, kind: str, captured: dt.date, taken: set[str]) -> Entry | None:
    """`entry` with one small edit of `kind`, or None if no free item id was found."""
    for _ in range(20):
        title, summary, published = entry.title, entry.summary, entry.published
        if kind in ("title", "both"):
            title = edit_words(title, rng, rng.randint(1, 2))
        if kind in ("summary", "both"):
            at = rng.randrange(len(summary))
            summary = (*summary[:at], edit_words(summary[at], rng, rng.randint(1, 2)), *summary[at + 1:])
        if kind == "published":
            shift = rng.choice((-1, 1)) * rng.randint(1, 7)
            published = min(captured, published + dt.timedelta(days=shift))
        edited = Entry(entry.identity, published, title, summary)
        if edited != entry and (edited.id == entry.id or edited.id not in taken):
            taken.add(edited.id)
            return edited
    return None


def random_pages(captures: int, items: int, seed: int, churn: Churn, *, start: dt.date = START,
                 step_days: tuple[int, int] = (2, 5), counters: int = 2) -> Iterator[Page]:
    """Pages of a random archive, one at a time (see `Churn` for the rates)."""
    if captures < 1 or items < 0:
        raise ValueError("need at least one capture and a non-negative item count")
    if not 1 <= step_days[0] <= step_days[1]:
        raise ValueError(f"step_days must be (low, high) with 1 <= low <= high, not {step_days}")
    if not 0 <= counters <= len(COUNTER_EVENTS):
        raise ValueError(f"counters must lie in 0..{len(COUNTER_EVENTS)}")
    rng = random.Random(seed)
    numbers = itertools.count(1)
    taken: set[str] = set()

    def fresh(published: dt.date) -> Entry:
        entry = new_entry(rng, identity(next(numbers)), published, taken)
        taken.add(entry.id)
        return entry

    captured = start
    lead = Entry(identity(next(numbers)), start, rng.choice(LEAD_TITLES), (paragraph(rng), paragraph(rng)))
    entries = []
    day = start
    for _ in range(items):
        entries.append(fresh(day))
        day -= dt.timedelta(days=rng.choice((0, 1, 1, 2)))
    hidden = [tally(event, start - dt.timedelta(days=ago), start) for event, ago in COUNTER_EVENTS[:counters]]
    shown: list[Tally] = []
    if churn.counter_appear == 0:
        shown, hidden = hidden, []
    pool: deque[Entry] = deque(maxlen=256)

    def clock() -> str:
        return f"{rng.randint(6, 21):02d}:{rng.randint(0, 59):02d}"

    yield Page(captured, clock(), tuple(shown), lead, tuple(entries))
    for _ in range(captures - 1):
        previous = captured
        captured += dt.timedelta(days=rng.randint(*step_days))
        drop = set(rng.sample(range(len(entries)), _count(rng, len(entries), churn.dropped)))
        gone = [e for at, e in enumerate(entries) if at in drop]
        survivors = [e for at, e in enumerate(entries) if at not in drop]
        adding = min(items, _count(rng, items, churn.added))
        twinned = [rng.random() < churn.twins for _ in range(adding)]
        coming_back = rng.sample(range(len(pool)), min(len(pool), _count(rng, items, churn.returns)))
        keep = max(0, items - adding - sum(twinned) - len(coming_back))
        gone += survivors[keep:]
        survivors = survivors[:keep]
        landed = set()
        for start_at, end_at in _moves(rng, len(survivors), _count(rng, len(survivors), churn.moved)):
            survivors.insert(end_at, survivors.pop(start_at))
            landed.add(end_at)
        free = [at for at in range(len(survivors)) if at not in landed]
        for kind, rate in (("title", churn.edited_title), ("summary", churn.edited_summary),
                           ("both", churn.edited_both), ("published", churn.date_corrected)):
            chosen = set(rng.sample(free, min(len(free), _count(rng, len(survivors), rate))))
            for at in sorted(chosen):
                survivors[at] = _edit(rng, survivors[at], kind, captured, taken) or survivors[at]
            free = [at for at in free if at not in chosen]
        for index in sorted(coming_back, reverse=True):
            survivors.insert(rng.randint(0, len(survivors)), pool[index])
            del pool[index]
        pool.extend(gone)
        span = max(1, (captured - previous).days)
        days = sorted((captured - dt.timedelta(days=rng.randrange(span)) for _ in range(adding)), reverse=True)
        top: list[Entry] = []
        for day, twin_too in zip(days, twinned):
            entry = fresh(day)
            group = [entry]
            if twin_too:
                twin = sibling(rng, identity(next(numbers)), entry, taken)
                taken.add(twin.id)
                group.append(twin)
            if rng.random() < churn.added_elsewhere:
                at = rng.randint(0, len(survivors))
                survivors[at:at] = group
            else:
                top += group
        entries = top + survivors
        while hidden and rng.random() < churn.counter_appear:
            shown.append(hidden.pop(0))
        stalled = [c.event for c in shown if rng.random() < churn.counter_stall]
        shown = list(tick(shown, captured, stalled))
        yield Page(captured, clock(), tuple(shown), lead, tuple(entries))


def iter_captures(captures: int, items: int, seed: int, churn: Churn, *, start: dt.date = START,
                  step_days: tuple[int, int] = (2, 5), counters: int = 2) -> Iterator[Capture]:
    """The captures of a random archive one by one, each with its true changes."""
    return chronicle(random_pages(captures, items, seed, churn, start=start,
                                  step_days=step_days, counters=counters))


def generate(captures: int, items: int, seed: int, churn: Churn, *, start: dt.date = START,
             step_days: tuple[int, int] = (2, 5), counters: int = 2) -> Archive:
    """A random archive held in memory, with its truth."""
    return archive_of(iter_captures(captures, items, seed, churn, start=start,
                                    step_days=step_days, counters=counters))
