"""The words of the fictional Saltmere Lighthouse Trust page: places, people, titles, paragraphs.

Every choice is drawn from one `random.Random`, so a seed gives the same text.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable

from diffcore.normalise import key

HOME = "Saltmere"
FIELD = ("Visitor desk", "+44 (0) 1632 960 418")
FOOTER = "all messages"
START = dt.date(2019, 1, 1)
MONTHS = (
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
)

PLACES = (
    "North Pier",
    "Gullhaven Point",
    "Crane Wharf",
    "Old Signal House",
    "Kestrel Rock",
    "Ferry Steps",
    "Brackwater Quay",
    "Lantern Hill",
    "Eastmouth Battery",
    "Tern Island",
    "Pilot's Cottage",
    "Harbour Museum",
    "Rope Walk",
    "Fog Station",
    "West Breakwater",
    "Lifeboat House",
    "Keeper's Garden",
    "Tide Mill",
    "Coastguard Lookout",
    "Mussel Bank",
)
GATHERINGS = (
    "open day",
    "members' evening",
    "annual meeting",
    "volunteer briefing",
    "press breakfast",
    "lantern evening",
    "heritage fair",
    "donors' reception",
    "schools week",
    "harbour festival",
)
PEOPLE = (
    "director Mara Quill",
    "keeper Tobias Wren",
    "archivist Hester Vane",
    "engineer Callum Birk",
    "curator Ines Marlow",
    "trustee Odile Fenn",
    "volunteer lead Rhys Tamsin",
    "historian Edda Corran",
)
TOPICS = (
    "Fresnel lenses",
    "the 1887 fog signal",
    "the keepers' logbooks",
    "old harbour charts",
    "wrecks on the Mussel Bank",
    "tidal mills",
    "coastal erosion",
    "seabird counts",
    "the lamp room clockwork",
    "signal flags",
    "lifeboat rescues",
    "the copper dome",
)
STRUCTURES = (
    "lamp room",
    "copper dome",
    "gallery railing",
    "fog horn",
    "keeper's stair",
    "slipway",
    "boat shed",
    "lantern glazing",
    "engine house",
    "sea wall",
)
PROGRESS = (
    "first phase complete",
    "scaffolding removed",
    "works resume",
    "survey findings",
    "contract awarded",
    "final inspection",
    "scaffolding goes up",
    "paint trials",
)
STORMS = ("Ada", "Brann", "Cleo", "Dorran", "Elin", "Fyfe", "Greer", "Hollis", "Isla", "Jory")
FUNDS = (
    "Coastal Heritage Fund",
    "Maritime Lottery Board",
    "Saltmere Borough Council",
    "Friends of the Light",
    "Northern Arts Foundation",
    "Bay Fishermen's Guild",
)
PROJECTS = (
    "the lamp room restoration",
    "a new education room",
    "digitising the keepers' logbooks",
    "repairs to the sea wall",
    "a seabird camera on Tern Island",
    "a ramp at the Ferry Steps",
    "new signs on the coast path",
    "school visits from inland towns",
)
THEMES = (
    "Light at the Edge",
    "Keepers and Their Families",
    "Ships That Passed",
    "A Century of Fog",
    "Paint and Salt",
    "Charting the Bay",
    "Women of the Lifeboat",
    "Glass and Brass",
)
NEWSPAPERS = ("Saltmere Gazette", "Coastline Weekly", "Harbour Echo", "Bay Radio", "Northern Mariner")
TASKS = (
    "beach clean",
    "painting the railings",
    "clearing the garden",
    "cataloguing photographs",
    "repairing the boat shed",
    "guiding visitors",
    "planting marram grass",
    "oiling the clockwork",
)
ISSUES = (
    "the closure of the North Pier walkway",
    "parking on Lantern Hill",
    "the new ferry timetable",
    "night lighting on the quay",
    "the future of the Fog Station",
    "access for wheelchairs",
)
SPARE_WORDS = (
    "new",
    "annual",
    "restored",
    "historic",
    "public",
    "small",
    "early",
    "final",
    "local",
    "special",
    "second",
    "winter",
    "summer",
    "coastal",
    "old",
    "further",
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


# Title templates: each draws its slots from the vocabulary above.
def _remarks(rng: random.Random, day: dt.date) -> str:
    return (
        f"Director's remarks and answers to questions at the {rng.choice(PLACES)} "
        f"{rng.choice(GATHERINGS)}, {long_date(day)}"
    )


def _exhibition(rng: random.Random, day: dt.date) -> str:
    return f"Exhibition \u201c{rng.choice(THEMES)}\u201d opens at the {rng.choice(PLACES)}"


def _restoration(rng: random.Random, day: dt.date) -> str:
    return f"Restoration of the {rng.choice(STRUCTURES)} at {rng.choice(PLACES)}: {rng.choice(PROGRESS)}"


def _volunteers(rng: random.Random, day: dt.date) -> str:
    return f"Volunteer day at {rng.choice(PLACES)}: {rng.choice(TASKS)}"


def _storm(rng: random.Random, day: dt.date) -> str:
    return f"Storm {rng.choice(STORMS)} report: damage to the {rng.choice(STRUCTURES)} at {rng.choice(PLACES)}"


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
    _remarks,
    _remarks,
    _exhibition,
    _restoration,
    _volunteers,
    _storm,
    _grant,
    _lecture,
    _statement,
    _interview,
    _seabirds,
    _seabirds,
    _annual,
)


def _upper(text: str) -> str:
    """The text with its first letter in capitals and the rest untouched."""
    return text[:1].upper() + text[1:]


def _opening(rng: random.Random) -> str:
    place, n = rng.choice(PLACES), rng.randint(12, 900)
    pick = rng.randrange(8)
    if pick == 0:
        return (
            f"The Trust welcomed {n} visitors to the {place} on {rng.choice(_WEEKDAYS)}, "
            f"despite {rng.choice(_WEATHER)}."
        )
    if pick == 1:
        return f"{_upper(rng.choice(PEOPLE))} spoke to {n} members about {rng.choice(TOPICS)} at the {place}."
    if pick == 2:
        return (
            f"Volunteers spent {rng.choice(_WEEKDAYS)} on {rng.choice(TASKS)} at the {place} "
            f"and wrote up the work in the daybook."
        )
    if pick == 3:
        return (
            f"Engineers inspected the {rng.choice(STRUCTURES)} at the {place} and found "
            f"{rng.choice(('sound timber', 'loose rivets', 'salt damage', 'worn hinges'))}."
        )
    if pick == 4:
        return (
            f"A grant of {n * 50} pounds will pay for {rng.choice(PROJECTS)} over the next {rng.randint(2, 18)} months."
        )
    if pick == 5:
        return (
            f"{_upper(rng.choice(_WEATHER))} on {rng.choice(_WEEKDAYS)} night left debris "
            f"at the {place}, which stays open with care."
        )
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
