"""The built-in profiles, chosen by name: listed by `diffcore profiles`, each reading its layout."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from diffcore.errors import ProfileError, SnapshotError
from diffcore.model import Capture, Source
from diffcore.parse import parse
from diffcore.profile import DEFAULT_PROFILE, built_in_profiles, default_profile, load_profile, parse_profile
from tests.paths import REPO_DIR
from tests.support import Cli

CHANGELOG = REPO_DIR / "examples" / "changelog"
"""Two versions of a fictional project's Keep a Changelog file: 1.2.0 released, 1.1.0's entry edited."""


def test_profiles_lists_every_built_in_with_what_it_reads(cli: Cli) -> None:
    result = cli("profiles")
    assert (result.returncode, result.stderr) == (0, "")
    rows = result.stdout.splitlines()[2:]
    assert [row.split()[0] for row in rows] == ["dated-list", "dated-news-page", "feed", "keep-a-changelog"]
    assert "dated-news-page (default)" in result.stdout
    assert all(profile.description in result.stdout for profile in built_in_profiles().values())
    assert default_profile() is built_in_profiles()[DEFAULT_PROFILE]


def test_a_changelog_read_by_name(cli: Cli) -> None:
    old, new = sorted(CHANGELOG.glob("*.md"))
    result = cli("diff", str(old), str(new), "--profile", "keep-a-changelog", "--format", "json")
    assert (result.returncode, result.stderr) == (1, "")
    report = json.loads(result.stdout)
    assert [(item["title"], item["published"]) for item in report["added"]] == [("1.2.0", "2024-05-14")]
    assert [edit["new"]["title"] for edit in report["edited"]] == ["1.1.0"]
    assert report["dropped"] == [] and report["unchanged"] == 1
    # The released entry left the [Unreleased] section, which is the lead.
    assert report["lead"]["status"] == "edited"
    # The new link reference is said, not lost.
    assert report["other"]["added"] == ["[1.2.0]: https://example.org/lanternkeeper/compare/v1.1.0...v1.2.0"]
    assert report["old"]["captured"] == "2024-04-01"  # dated by the file name: a changelog shows no date line


def test_a_dated_list_read_by_name() -> None:
    page = "What's new\n\n- 2024-03-05: Harbour webcam back online\nThe camera on the east pier works again.\n\n2024-02-11 | Winter opening hours\n"
    when = Capture(Source("new.html"), dt.datetime(2024, 3, 6, tzinfo=dt.UTC), "wayback", "text/html", "sha256:0")
    snapshot = parse(page, "new.html", load_profile("dated-list"), when)
    assert [(str(item.published), item.title, item.summary) for item in snapshot.items] == [
        ("2024-03-05", "Harbour webcam back online", ("The camera on the east pier works again.",)),
        ("2024-02-11", "Winter opening hours", ()),
    ]
    assert snapshot.lead is not None and snapshot.lead.title == "What's new"
    assert snapshot.header.clocks == () and snapshot.header.counters == () and snapshot.warnings == ()


def test_a_profile_needs_only_its_item_table(tmp_path: Path) -> None:
    profile = parse_profile({"item": {"start": r"^(?P<day>\d\d)/(?P<month>\d\d)/(?P<year>\d{4}) (?P<title>.+)$"}}, "p")
    snapshot = parse(
        "Intro\n05/03/2024 First\nText\n",
        "page",
        profile,
        Capture(Source("page"), dt.datetime(2024, 3, 6, tzinfo=dt.UTC), "user", "text/plain", "sha256:0"),
    )
    assert [item.title for item in snapshot.items] == ["First"]
    with pytest.raises(ProfileError, match=r"missing table \[item\]"):
        parse_profile({"name": "nothing"}, "p")
    with pytest.raises(SnapshotError, match="profile 'p' reads no date line, and nothing else says when"):
        parse("Intro\n05/03/2024 First\n", "page", profile)  # no page date, and no capture time to take


def test_profile_check_shows_how_each_line_was_read(cli: Cli) -> None:
    old = min(CHANGELOG.glob("*.md"))
    result = cli("profile", "check", "keep-a-changelog", str(old))
    assert (result.returncode, result.stderr) == (0, "")
    assert "     1  lead title  # Changelog" in result.stdout
    assert "    10  item        ## [1.1.0] - 2024-03-02" in result.stdout
    assert "    12  summary     ### Added" in result.stdout
    assert "    23  footer      [Unreleased]: https://example.org" in result.stdout
    assert "    24  unparsed    [1.1.0]: https://example.org" in result.stdout
    assert "     2  " not in result.stdout  # blank lines are not listed
    misfit = cli("profile", "check", "dated-news-page", str(old))
    assert misfit.returncode == 0
    assert misfit.stdout.endswith(
        f"warning: {old}: no item: no line matches the item pattern of profile 'dated-news-page'\n"
    )
    unknown = cli("profile", "check", "no-such-profile", str(old))
    assert unknown.returncode == 2 and len(unknown.stderr.splitlines()) == 1
    assert "no such profile file, nor a built-in profile" in unknown.stderr


def test_a_folder_of_changelog_versions_is_read(cli: Cli) -> None:
    result = cli("timeline", str(CHANGELOG), "--profile", "keep-a-changelog", "--format", "json")
    assert (result.returncode, result.stderr) == (0, "")
    assert [capture["captured"] for capture in json.loads(result.stdout)["captures"]] == ["2024-04-01", "2024-06-01"]


def test_warnings_in_show_text_are_escaped(cli: Cli, tmp_path: Path) -> None:
    capture = tmp_path / "page\x1b[31m.txt"
    capture.write_text("8 June 2020\n\nLead\n\nNo items here\n", encoding="utf-8")
    result = cli("show", str(capture))
    assert result.returncode == 0 and "\x1b" not in result.stdout
    assert "warning: " + str(tmp_path) + "/page\\x1b[31m.txt: no item:" in result.stdout
    assert "(1 paragraph)" in result.stdout


def test_a_markdown_dated_list_with_links_trailing_dates_and_headings() -> None:
    page = (
        "# What's new\n\nNews of the harbour webcam.\n\n"
        "- 2024-03-05: [Webcam back online](https://cams.example/east-pier)\nThe camera works again.\n\n"
        "## Older news\n\n- Winter opening hours (2024-02-11)\n"
    )
    when = Capture(Source("new.md"), dt.datetime(2024, 3, 6, tzinfo=dt.UTC), "file-name", "text/plain", "sha256:0")
    snapshot = parse(page, "new.md", load_profile("dated-list"), when)
    assert [(str(item.published), item.title, item.summary, item.link) for item in snapshot.items] == [
        ("2024-03-05", "Webcam back online", ("The camera works again.",), "https://cams.example/east-pier"),
        ("2024-02-11", "Winter opening hours", (), None),
    ]
    assert [section.text for section in snapshot.sections] == ["## Older news"]  # not glued onto the item above
    assert snapshot.lead is not None and snapshot.lead.title == "# What's new"
