"""Other sites' layouts read by profiles of a few lines: the cookbook's examples, against their recorded truth.

Each folder of `examples/layouts/` holds captures of one fictional page, named
by date, beside its profile (`NAME.toml`). The truth below is what a reader
sees on those pages: every item with its date, and what changed between them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from diffcore.diff import diff, options_for
from diffcore.load import load
from diffcore.model import Snapshot
from diffcore.profile import load_profile
from tests.paths import REPO_DIR
from tests.support import Cli

LAYOUTS = REPO_DIR / "examples" / "layouts"

ITEMS = {
    "release-notes": [
        [("Lanternkeeper 2.0", "2024-01-22"), ("Lanternkeeper 1.9", "2023-11-08"), ("Lanternkeeper 1.8", "2023-09-14")],
        [
            ("Lanternkeeper 2.1", "2024-04-18"),
            ("Lanternkeeper 2.0", "2024-01-23"),
            ("Lanternkeeper 1.9", "2023-11-08"),
            ("Lanternkeeper 1.8", "2023-09-14"),
        ],
    ],
    "events": [
        [
            ("Hafenfest", "2024-06-28"),
            ("Vogelzählung am Kestrel-Felsen", "2024-07-12"),
            ("Herbstmarkt am Hafen", "2024-10-30"),
        ],
        [
            ("Vogelzählung am Kestrel-Felsen", "2024-07-13"),
            ("Herbstmarkt am Hafen", "2024-10-30"),
            ("Silvester auf der Galerie", "2024-12-31"),
        ],
    ],
    "month-headings": [
        [
            ("Lantern tour at dusk", "2024-07-25"),
            ("Seabird count at Kestrel Rock", "2024-07-12"),
            ("Harbour festival", "2024-06-28"),
        ],
        [
            ("Open day at the engine house", "2024-08-09"),
            ("Lantern tour at dusk", "2024-07-26"),
            ("Seabird count at Kestrel Rock", "2024-07-12"),
        ],
    ],
    "news-links": [
        [
            ("Ferry timetable changes for the winter", None),
            ("New lifeboat named at Gullhaven", None),
            ("Seawall repairs finished at West Breakwater", None),
        ],
        [
            ("Spring regatta returns after four years", None),
            ("Ferry timetable changes for the winter and spring", None),
            ("New lifeboat named at Gullhaven", None),
        ],
    ],
}
"""Every item of each capture, in page order: title and published date (None: the page shows none)."""

CHANGES = {
    "release-notes": (
        ["Lanternkeeper 2.1"],
        [],
        {"Lanternkeeper 2.0": ("published",), "Lanternkeeper 1.9": ("summary",)},
    ),
    "events": (
        ["Silvester auf der Galerie"],
        ["Hafenfest"],
        {"Vogelzählung am Kestrel-Felsen": ("published",), "Herbstmarkt am Hafen": ("summary",)},
    ),
    "month-headings": (
        ["Open day at the engine house"],
        ["Harbour festival"],
        {"Lantern tour at dusk": ("published",)},
    ),
    "news-links": (
        ["Spring regatta returns after four years"],
        ["Seawall repairs finished at West Breakwater"],
        {"Ferry timetable changes for the winter and spring": ("title",), "New lifeboat named at Gullhaven": ("link",)},
    ),
}
"""Added titles, dropped titles, and each edited item's title with what changed: nothing else changed."""


def snapshots(layout: str) -> list[Snapshot]:
    profile = load_profile(LAYOUTS / f"{layout}.toml")
    return [load(path, profile) for path in sorted((LAYOUTS / layout).iterdir())]


@pytest.mark.parametrize("layout", sorted(ITEMS))
def test_every_item_is_found_with_its_date(layout: str) -> None:
    for snapshot, truth in zip(snapshots(layout), ITEMS[layout], strict=True):
        found = [(item.title, item.published.isoformat() if item.published else None) for item in snapshot.items]
        assert found == truth
        assert snapshot.warnings == ()
        assert snapshot.unparsed == ()
        owners = snapshot.line_owners()
        assert all(len(parts) == 1 for parts in owners.values())


@pytest.mark.parametrize("layout", sorted(CHANGES))
def test_the_changes_are_exactly_the_true_ones(layout: str) -> None:
    profile = load_profile(LAYOUTS / f"{layout}.toml")
    old, new = snapshots(layout)
    report = diff(old, new, options_for(profile))
    added, dropped, edited = CHANGES[layout]
    assert [item.title for item in report.added] == added
    assert [item.title for item in report.dropped] == dropped
    assert {edit.new.title: edit.kinds for edit in report.edited} == edited
    assert report.moved == ()


def test_a_range_is_dated_by_its_start_which_takes_what_it_leaves_out_from_its_end() -> None:
    old, new = snapshots("events")
    assert [item.published_text for item in old.items] == [
        "28.\u201330. Juni 2024",
        "12. Juli 2024",
        "30. Okt. \u2013 1. Nov. 2024",
    ]
    assert new.items[2].published == dt.date(2024, 12, 31)  # "31. Dez. 2024 - 1. Jan. 2025", an en dash


def test_a_heading_ends_the_item_above_it_and_gives_the_year(cli: Cli) -> None:
    old, _ = snapshots("month-headings")
    assert [section.text for section in old.sections] == ["July 2024", "June 2024"]
    assert old.items[1].summary == ("Boats leave the harbour at seven.",)  # "June 2024" is not glued onto it
    check = cli(
        "profile", "check", str(LAYOUTS / "month-headings.toml"), str(LAYOUTS / "month-headings" / "2024-07-01.txt")
    )
    assert check.returncode == 0
    rows = {line.split(maxsplit=1)[0]: line for line in check.stdout.splitlines()[3:] if line.strip()}
    assert "section" in rows["3"] and "item date" in rows["5"] and "item title" in rows["6"]


def test_an_undated_item_is_known_by_its_link() -> None:
    old, new = snapshots("news-links")
    assert old.items[0].link == "https://news.example/saltmere/ferry-winter"
    assert old.items[0].id == new.items[1].id  # retitled, same link: one item
    assert all(item.published_text == "" for item in (*old.items, *new.items))


def test_ignoring_link_targets_makes_a_link_change_no_edit() -> None:
    from dataclasses import replace

    profile = replace(load_profile(LAYOUTS / "news-links.toml"), ignore_link_targets=True)
    old, new = snapshots("news-links")
    report = diff(old, new, options_for(profile))
    assert {edit.new.title: edit.kinds for edit in report.edited} == {
        "Ferry timetable changes for the winter and spring": ("title",)
    }


@pytest.mark.parametrize("layout", sorted(ITEMS))
def test_every_layout_reads_through_the_cli(cli: Cli, layout: str) -> None:
    result = cli("timeline", str(LAYOUTS / layout), "--profile", str(LAYOUTS / f"{layout}.toml"))
    assert (result.returncode, result.stderr) == (0, "")
    assert "Counters" not in result.stdout  # a page with none has no counters table


def test_the_examples_hold_only_captures() -> None:
    for folder in (path for path in LAYOUTS.iterdir() if path.is_dir()):
        assert all(Path(name).suffix in (".txt", ".md") for name in (p.name for p in folder.iterdir()))


def test_the_readme_cookbook_shows_each_profile_as_it_is() -> None:
    readme = (REPO_DIR / "README.md").read_text(encoding="utf-8")
    for profile in [*sorted(LAYOUTS.glob("*.toml")), REPO_DIR / "examples" / "html-list" / "profile.toml"]:
        assert profile.read_text(encoding="utf-8").rstrip() in readme, profile.name
