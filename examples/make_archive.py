"""Write the example archive: fourteen captures (2019-2023) of the Saltmere Lighthouse Trust page.

Usage, from the repository root (the generator package `synthetic` is not
installed with diffcore):  python -m examples.make_archive [OUTDIR]
(default: examples/archive/)

The Trust is fictional. A scripted storyline exercises every change kind the
diff engine reports; `archive.truth.json` beside it records what really happened. Files are named
by a hash of their content, so their name order is not their date order.

Storyline (capture dates; identities as in archive.truth.json):
  2019-02-04  lead T0001 and items T0002-T0012; no counters; T0003 has a typo
  2019-05-13  T0013, T0014 added at the top; still no counters
  2019-09-02  first counter appears; T0003 typo fixed; T0006 dropped; T0015 added
  2020-01-20  T0008 summary rewritten; T0005 disappears; T0016 added
  2020-06-08  T0009 date corrected; lead edited; second counter appears; T0017 added
  2020-11-16  T0010 moved from twelfth to second place; T0012 dropped; T0018 added
  2021-03-01  T0005 comes back with its old text; counters stall (stale page);
              T0019 added, T0011 dropped
  2021-07-19  counters still stale; lead replaced by T0020; T0021 added, T0009 dropped
  2021-12-06  counters resume on the calendar; hostile title T0022 at the top;
              T0023 added mid-list; T0007, T0008 dropped
  2022-04-25  T0024, T0025: near-identical titles, same date; T0004, T0005 dropped
  2022-09-12  lead T0020 demoted into the list, new lead T0026; T0017 title and
              summary edited; T0027 added; T0002, T0003 dropped
  2023-02-06  generated T0028, T0029 added; T0013, T0014 dropped
  2023-06-19  quiet: only the counters move
  2023-10-30  T0030 added at the top; T0019 dropped mid-list
"""

from __future__ import annotations

import datetime as dt
import random
import re
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from synthetic.page import Entry, Page, Tally, new_entry, tally, tick
from synthetic.truth import Archive, archive_of, chronicle, truth_path, write_archive

DEFAULT_OUT = Path(__file__).resolve().parent / "archive"
_GENERATED = re.compile(r"^[0-9a-f]{16}\.txt$")

WALKWAY = "the North Pier walkway was closed - no reopening date from the Borough Council"
LICENCE = "the Trust asked the Harbour Board to renew the lantern licence - no reply so far"
WALKWAY_SINCE = dt.date(2018, 3, 12)
LICENCE_SINCE = dt.date(2018, 11, 5)


def _entry(identity: str, published: str, title: str, *summary: str) -> Entry:
    """An entry from a "DD.MM.YYYY" date, a title and its paragraphs."""
    return Entry(identity, dt.datetime.strptime(published, "%d.%m.%Y").date(), title, summary)


LEAD_A = _entry(
    "T0001",
    "30.01.2019",
    "Saltmere light shines again after the winter repairs",
    "After eleven weeks of work the lantern turned again on Saturday evening, watched by "
    "more than two hundred people on Lantern Hill.",
    "The new bearings were fitted by volunteers under the eye of engineer Callum Birk. "
    "The tower reopens to visitors on the first Sunday of March.",
)
LEAD_A_EDITED = replace(
    LEAD_A,
    summary=(
        LEAD_A.summary[0],
        (
            "The new bronze bearings were fitted by volunteers under the eye of engineer Callum Birk. "
            "The tower reopens to visitors on the first Sunday of every month."
        ),
    ),
)
LEAD_B = _entry(
    "T0020",
    "12.07.2021",
    "Trustees publish the plan for the lamp room restoration",
    "The plan sets out three years of work on the lamp room, the copper dome and the gallery.",
    "Members can read the full plan at the visitor desk and send comments until the end of September.",
)
LEAD_C = _entry(
    "T0026",
    "05.09.2022",
    "The Saltmere light turns 150 this autumn",
    "The first lamp was lit on a stormy night in October 1872. The Trust will mark the "
    "anniversary with a month of open evenings.",
    "Former keepers and their families are invited to share photographs and stories.",
)
DEMOTED_B = replace(LEAD_B, summary=LEAD_B.summary[:1])

TYPO = _entry(
    "T0003",
    "21.01.2019",
    "Resoration of the gallery railing: scaffolding goes up",
    "Scaffolding now surrounds the gallery so that the railing can be taken down in sections.",
)
EXHIBITION = _entry(
    "T0008",
    "12.12.2018",
    "Exhibition \u201cShips That Passed\u201d opens at the Harbour Museum",
    "The display brings together forty photographs of ships seen from the tower since 1900.",
)
SEABIRDS = _entry(
    "T0009",
    "03.12.2018",
    "Seabird count at Kestrel Rock: 212 nesting pairs",
    "Volunteers counted the colony from the boat on a calm morning.",
)
INTERVIEW = _entry(
    "T0010",
    "26.11.2018",
    "Interview of curator Ines Marlow with the Saltmere Gazette",
    "The curator talks about the logbooks and why the archive needs a dry room.",
)
LECTURE = _entry(
    "T0005",
    "10.01.2019",
    "Lecture by archivist Hester Vane on the keepers' logbooks",
    "Eighty members heard how the logbooks record the weather of every night since 1872.",
)
GRANT = _entry(
    "T0017",
    "01.06.2020",
    "Grant from the Maritime Lottery Board for a new education room",
    "The grant pays for a classroom in the old boat shed for visiting schools.",
)

FIRST_ITEMS = (
    _entry(
        "T0002",
        "28.01.2019",
        "Director's remarks and answers to questions at the Crane Wharf members' evening, 25 January 2019",
        "Director Mara Quill thanked the members and answered questions about the repairs.",
    ),
    TYPO,
    _entry(
        "T0004",
        "15.01.2019",
        "Storm Brann report: slates lost from the engine house roof",
        "The roof was made safe the next morning. No one was hurt.",
    ),
    LECTURE,
    _entry(
        "T0006",
        "04.01.2019",
        "Volunteer day at Gullhaven Point: clearing the keeper's garden",
        "Twelve volunteers cleared brambles and replanted the herb beds.",
    ),
    _entry(
        "T0007",
        "19.12.2018",
        "Grant from the Coastal Heritage Fund for the lamp room survey",
        "The survey will tell the Trust how much of the lamp room can be saved.",
    ),
    EXHIBITION,
    SEABIRDS,
    INTERVIEW,
    _entry(
        "T0011",
        "20.11.2018",
        "Statement of the Trust on the closure of the North Pier walkway",
        "The Trust regrets the closure and asks the council for a date to reopen.",
    ),
    _entry(
        "T0012",
        "08.11.2018",
        "Annual meeting of members: two new trustees elected",
        "Members elected two new trustees and approved the accounts.",
    ),
)


def _swap(items: Sequence[Entry], entry: Entry) -> list[Entry]:
    """The items with the one of the same identity replaced by `entry`."""
    return [entry if e.identity == entry.identity else e for e in items]


def _without(items: Sequence[Entry], *identities: str) -> list[Entry]:
    """The items without the given identities."""
    return [e for e in items if e.identity not in identities]


def _after(items: Sequence[Entry], identity: str, entry: Entry) -> list[Entry]:
    """The items with `entry` inserted just after the given identity."""
    at = [e.identity for e in items].index(identity) + 1
    return [*items[:at], entry, *items[at:]]


def story() -> list[Page]:
    """The pages of the storyline, in date order."""
    rng = random.Random(1872)
    pages = []

    def page(
        day: str,
        time: str,
        counters: Sequence[Tally],
        lead: Entry | None,
        items: Sequence[Entry],
        moved: tuple[str, ...] = (),
    ) -> None:
        pages.append(Page(dt.date.fromisoformat(day), time, tuple(counters), lead, tuple(items), moved))

    items = list(FIRST_ITEMS)
    page("2019-02-04", "09:12", (), LEAD_A, items)

    items = [
        _entry(
            "T0013",
            "09.05.2019",
            "Volunteer day at North Pier: painting the railings",
            "Two coats of white paint went on before the rain arrived.",
        ),
        _entry(
            "T0014",
            "02.05.2019",
            "Lecture by engineer Callum Birk on the 1887 fog signal",
            "The engineer explained how the old signal was driven by compressed air.",
        ),
        *items,
    ]
    page("2019-05-13", "14:40", (), LEAD_A, items)

    day = dt.date(2019, 9, 2)
    counters = [tally(WALKWAY, WALKWAY_SINCE, day)]
    items = _swap(
        _without(items, "T0006"), replace(TYPO, title="Restoration of the gallery railing: scaffolding goes up")
    )
    items = [
        _entry(
            "T0015",
            "28.08.2019",
            "Harbour festival weekend: lantern tours every hour",
            "Tours of the lantern ran every hour and sold out on both days.",
        ),
        *items,
    ]
    page(day.isoformat(), "08:05", counters, LEAD_A, items)

    day = dt.date(2020, 1, 20)
    counters = list(tick(counters, day))
    rewritten = (
        "The exhibition brings together sixty photographs of ships and boats seen from the lantern "
        "gallery since 1890, lent by keepers' families."
    )
    items = _swap(_without(items, "T0005"), replace(EXHIBITION, summary=(rewritten,)))
    items = [
        _entry(
            "T0016",
            "14.01.2020",
            "Storm Cleo report: damage to the sea wall at West Breakwater",
            "A section of the sea wall lost its capping stones. The path behind it is closed.",
        ),
        *items,
    ]
    page(day.isoformat(), "17:26", counters, LEAD_A, items)

    day = dt.date(2020, 6, 8)
    counters = [*tick(counters, day), tally(LICENCE, LICENCE_SINCE, day)]
    items = [GRANT, *_swap(items, replace(SEABIRDS, published=dt.date(2018, 11, 30)))]
    page(day.isoformat(), "11:58", counters, LEAD_A_EDITED, items)

    day = dt.date(2020, 11, 16)
    counters = list(tick(counters, day))
    items = _without(items, "T0010", "T0012")
    items = [
        _entry(
            "T0018",
            "10.11.2020",
            "Director's remarks and answers to questions at the Harbour Museum annual meeting, 7 November 2020",
            "The director reported on a year of closures and thanked the volunteers who kept the site safe.",
        ),
        INTERVIEW,
        *items,
    ]
    page(day.isoformat(), "10:31", counters, LEAD_A_EDITED, items, moved=("T0010",))

    day = dt.date(2021, 3, 1)
    stale = counters
    items = _after(items, "T0004", LECTURE)
    items = [
        _entry(
            "T0019",
            "22.02.2021",
            "Exhibition \u201cKeepers and Their Families\u201d opens at the Old Signal House",
            "Letters, uniforms and photographs lent by the families of eight keepers.",
        ),
        *_without(items, "T0011"),
    ]
    page(day.isoformat(), "16:02", stale, LEAD_A_EDITED, items)

    day = dt.date(2021, 7, 19)
    items = [
        _entry(
            "T0021",
            "15.07.2021",
            "Volunteer day at Tern Island: beach clean",
            "Thirty volunteers filled forty sacks with rope, nets and plastic.",
        ),
        *items[:-1],
    ]
    page(day.isoformat(), "09:47", stale, LEAD_B, items)

    day = dt.date(2021, 12, 6)
    counters = list(tick(counters, day))
    items = _after(
        items,
        "T0021",
        _entry(
            "T0023",
            "18.06.2021",
            "Seabird count at Tern Island: 164 nesting pairs",
            "The count was late this year because of the spring storms.",
        ),
    )
    items = [
        _entry(
            "T0022",
            "01.12.2021",
            "<script>window.pwned=1</script> Open day",
            "Doors open at ten. The tower stair stays closed for the day.",
        ),
        *items[:-2],
    ]
    page(day.isoformat(), "13:15", counters, LEAD_B, items)

    day = dt.date(2022, 4, 25)
    counters = list(tick(counters, day))
    items = [
        _entry(
            "T0024",
            "23.04.2022",
            "Director's remarks and answers to questions at the Harbour Museum open day, 23 April 2022",
            "At the museum the director spoke about the restoration plan and the new education room.",
        ),
        _entry(
            "T0025",
            "23.04.2022",
            "Director's remarks and answers to questions at the Lifeboat House open day, 23 April 2022",
            "At the lifeboat house the director answered questions about the crew and the slipway.",
        ),
        *items[:-2],
    ]
    page(day.isoformat(), "12:20", counters, LEAD_B, items)

    day = dt.date(2022, 9, 12)
    counters = list(tick(counters, day))
    items = _after(items, "T0021", DEMOTED_B)
    items = _swap(
        items,
        replace(
            GRANT,
            title="Grant from the Maritime Lottery Board for the new education room",
            summary=("The grant pays for a classroom in the old boat shed for school visits.",),
        ),
    )
    items = [
        _entry(
            "T0027",
            "06.09.2022",
            "Lantern evenings for the anniversary: booking opens",
            "Evening visits to the lantern run every Friday in October.",
        ),
        *items[:-2],
    ]
    page(day.isoformat(), "18:44", counters, LEAD_C, items)

    day = dt.date(2023, 2, 6)
    counters = list(tick(counters, day))
    taken = {e.id for p in pages for e in p.items}
    newer = new_entry(rng, "T0028", dt.date(2023, 2, 1), taken)
    older = new_entry(rng, "T0029", dt.date(2023, 1, 24), taken | {newer.id})
    items = [newer, older, *items[:-2]]
    page(day.isoformat(), "07:55", counters, LEAD_C, items)

    day = dt.date(2023, 6, 19)
    counters = list(tick(counters, day))
    page(day.isoformat(), "15:09", counters, LEAD_C, items)

    day = dt.date(2023, 10, 30)
    counters = list(tick(counters, day))
    items = [
        _entry(
            "T0030",
            "25.10.2023",
            "Anniversary month closes with a record of visitors",
            "More than four thousand people climbed the tower during October.",
        ),
        *_without(items, "T0019"),
    ]
    page(day.isoformat(), "10:03", counters, LEAD_C, items)
    return pages


def build() -> Archive:
    """The example archive with its truth."""
    return archive_of(chronicle(story()))


def main(argv: Sequence[str] = ()) -> int:
    """Write the archive to OUTDIR, removing captures a previous run left there."""
    out = Path(argv[0]) if argv else DEFAULT_OUT
    if out.is_dir():
        for old in out.iterdir():
            if _GENERATED.match(old.name):
                old.unlink()
    archive = build()
    write_archive(archive, out)
    print(f"wrote {len(archive.captures)} captures to {out} and their truth to {truth_path(out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
