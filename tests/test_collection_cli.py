"""`diffcore collection build | pages | report` in process: exit codes, bad inputs in the errors table, ranking,
escaping, and outputs that never land on an input.

Exit codes: build 0 every page built, 1 some pages skipped (each said on
stderr), 2 no usable page or trouble (one line, never a traceback).
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Literal

import pandas as pd
import pytest

from diffcore.collection import read_table
from diffcore.collection.dataset import file_name, read_manifest
from diffcore.render.common import count
from synthetic import warcs
from tests.crawl import SitePage, Taken, site_pages, write_folders, write_warc
from tests.support import Cli, run_cli

HOSTILE = '"><script>alert(1)<-script>'
HOSTILE_URL = 'https://www.harbour-watch.example/<script>alert("u")</script>?a=1&b="2"'
HOSTILE_TITLE = '<img src=x onerror=alert("t")>'


def _one_line(stderr: str) -> bool:
    return stderr.startswith("diffcore: ") and stderr.count("\n") == 1 and "Traceback" not in stderr


def _errors(folder: Path) -> list[tuple[str, str, str]]:
    frame = read_table(folder, "errors")
    return [tuple("" if v is None or v != v else str(v) for v in row) for row in frame.itertuples(index=False)]  # type: ignore[misc]


# --- bad inputs inside a collection ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pages() -> list[SitePage]:
    return site_pages(3, captures=3, seed=5)


@pytest.mark.parametrize(("how", "record"), [("truncate", 4), ("corrupt", 4), ("corrupt", 6)])
def test_a_damaged_warc_record_is_listed_and_the_build_goes_on(
    cli: Cli, pages: list[SitePage], tmp_path: Path, how: Literal["truncate", "corrupt"], record: int
) -> None:
    """Record 0 is the warcinfo, then a request and a response per capture in time order: record 4 is the
    second capture's response, record 6 the third's. A record cut short ends the file; after a corrupt gzip
    member reading goes on at the next."""
    warc = write_warc(tmp_path / "crawl.warc.gz", pages)
    members = warcs.member_offsets(warc.read_bytes())
    warcs.damage(warc, record, how)
    run = cli("collection", "build", "crawl.warc.gz", "-o", "dataset", cwd=tmp_path)
    fetches = [key for _, key in sorted((c.when, p.key) for p in pages for c in p.captures)]
    lost = (record - 1) // 2
    kept = fetches[:lost] if how == "truncate" else fetches[:lost] + fetches[lost + 1 :]
    assert run.returncode == 0, run.stderr
    assert run.stderr == (
        f"diffcore: wrote dataset: {count(len(set(kept)), 'page')} built, 0 unchanged, 0 skipped; "
        "1 capture or record unreadable (errors.parquet)\n"
    )
    [(page, source, reason)] = _errors(tmp_path / "dataset")
    assert page == "" and reason.startswith("damaged record: ")
    where, offset = source.rsplit(" at offset ", 1)
    assert where == "crawl.warc.gz" and members[record] <= int(offset) < members[record + 1]
    manifest = read_manifest(tmp_path / "dataset")
    assert manifest is not None
    assert {entry.page: entry.captures for entry in manifest.pages} == {key: kept.count(key) for key in set(kept)}


def test_a_damaged_record_is_listed_alike_with_logging_set_up_or_not(
    cli: Cli, pages: list[SitePage], tmp_path: Path
) -> None:
    """warcio logs a warning on the damaged record's headers. The command sets up no logging, so the warning
    reached stderr, where the WARC reader took it for its warning of a record of the wrong length: a second,
    wrong row in the command's errors table, not in a program that logs (pytest does)."""
    warc = write_warc(tmp_path / "crawl.warc.gz", pages)
    warcs.damage(warc, 6, "corrupt")
    by_process = run_cli("collection", "build", "crawl.warc.gz", "-o", "by-process", cwd=tmp_path)
    in_process = cli("collection", "build", "crawl.warc.gz", "-o", "in-process", cwd=tmp_path)
    assert by_process.returncode == in_process.returncode == 0
    assert by_process.stderr.replace("by-process", "OUT") == in_process.stderr.replace("in-process", "OUT")
    assert len(_errors(tmp_path / "by-process")) == 1
    assert _errors(tmp_path / "by-process") == _errors(tmp_path / "in-process")


def test_unreadable_captures_are_listed_and_a_page_without_any_is_skipped(
    cli: Cli, pages: list[SitePage], tmp_path: Path
) -> None:
    crawl = tmp_path / "crawl"
    write_folders(crawl, pages)
    news, events, press = (page.name for page in pages)
    (crawl / news / "garbage.txt").write_bytes(b"\x00\x01\x02\xff\xfe not a page \x00" * 8)
    (crawl / events / "gone.txt").symlink_to(tmp_path / "nowhere" / "capture.txt")
    (crawl / press / "2021-03-20.html").mkdir()  # a folder where a capture might be: nothing in it, no capture
    (crawl / "junk").mkdir()
    (crawl / "junk" / "a.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    run = cli("collection", "build", "crawl", "-o", "dataset", cwd=tmp_path)
    assert run.returncode == 1
    assert run.stderr.splitlines() == [
        "diffcore: junk: skipped: holds no usable capture: crawl/junk/a.html: binary file (contains NUL bytes)",
        "diffcore: wrote dataset: 3 pages built, 0 unchanged, 1 skipped; 2 captures or records unreadable (errors.parquet)",
    ]
    assert _errors(tmp_path / "dataset") == [
        ("", "crawl/events/gone.txt", "cannot read: No such file or directory"),
        ("junk", "junk", "holds no usable capture: crawl/junk/a.html: binary file (contains NUL bytes)"),
        (news, "crawl/news/garbage.txt", "binary file (contains NUL bytes)"),
    ]
    manifest = read_manifest(tmp_path / "dataset")
    assert manifest is not None
    assert {entry.page: (entry.captures, entry.tables == (), entry.error is None) for entry in manifest.pages} == {
        news: (3, False, True),
        events: (3, False, True),
        press: (3, False, True),
        "junk": (0, True, False),
    }
    assert not list((tmp_path / "dataset").glob(f"*/{file_name('junk')}.parquet"))
    ranked = cli("collection", "pages", "dataset", "--format", "json", cwd=tmp_path)
    assert sorted(row["page"] for row in json.loads(ranked.stdout)["pages"]) == sorted([news, events, press])
    # the junk page becomes a capture: the next build folds it, keeps the others, and exits 0
    (crawl / "junk" / "a.html").write_bytes(pages[0].captures[0].text.encode("utf-8"))
    again = cli("collection", "build", "crawl", "-o", "dataset", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stderr.endswith(
        "1 page built, 3 unchanged, 0 skipped; 2 captures or records unreadable (errors.parquet)\n"
    )


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (lambda root: (root / "in").mkdir(), "in: holds no capture"),
        (
            lambda root: (root / "in").mkdir() or (root / "in" / "a.txt").write_bytes(b"\x00\xff"),
            "in: holds no usable page: in: holds no usable capture: in/a.txt: binary file (contains NUL bytes)",
        ),
        (
            lambda root: (root / "in").mkdir() or (root / "in" / "notes.txt").write_text("no date here\n"),
            "in: holds no usable page: in: holds no usable capture: in/notes.txt: no capture date on line 1",
        ),
        (lambda root: None, "in: no such file or folder"),
    ],
    ids=["empty", "binary", "undated", "missing"],
)
def test_nothing_usable_is_one_line_and_exit_2(cli: Cli, tmp_path: Path, make: object, said: str) -> None:
    make(tmp_path)  # type: ignore[operator]
    run = cli("collection", "build", "in", "-o", "dataset", cwd=tmp_path)
    assert (run.returncode, run.stdout) == (2, "")
    assert _one_line(run.stderr) and run.stderr.startswith(f"diffcore: {said}"), run.stderr
    assert not (tmp_path / "dataset").exists()


def test_build_exit_codes_0_then_1_then_2(cli: Cli, pages: list[SitePage], tmp_path: Path) -> None:
    write_folders(tmp_path / "crawl", pages[:2])
    assert cli("collection", "build", "crawl", "-o", "dataset", cwd=tmp_path).returncode == 0
    (tmp_path / "crawl" / "blank").mkdir()
    (tmp_path / "crawl" / "blank" / "2021-03-01.txt").write_text("\n", encoding="utf-8")
    skipped = cli("collection", "build", "crawl", "-o", "dataset", cwd=tmp_path)
    assert skipped.returncode == 1
    assert skipped.stderr.splitlines()[0].startswith("diffcore: blank: skipped: ")
    assert skipped.stderr.splitlines()[1] == "diffcore: wrote dataset: 0 pages built, 2 unchanged, 1 skipped"
    refused = cli("collection", "build", "crawl", "-o", "crawl", cwd=tmp_path)
    assert refused.returncode == 2 and _one_line(refused.stderr)


# --- pages: the ranking ------------------------------------------------------------------------------------


def _redated(capture: Taken, day: int) -> Taken:
    """The same page, captured again on 2021-04-<day> (its date line changed, nothing else)."""
    lines = capture.text.split("\n")
    return dataclasses.replace(capture, name=f"again-{day}.txt", text="\n".join([f"{day} April 2021", *lines[1:]]))


@pytest.fixture(scope="module")
def ranked(tmp_path_factory: pytest.TempPathFactory, pages: list[SitePage]) -> Path:
    """A dataset of the busy generated pages, two identical twins, a page that never changes, one of one capture."""
    root = tmp_path_factory.mktemp("ranked")
    busy = site_pages(4, captures=4, seed=11)
    still = SitePage("still", "", tuple(_redated(pages[0].captures[0], day) for day in (1, 8, 15)))
    single = SitePage("single", "", pages[1].captures[:1])
    twins = [dataclasses.replace(busy[0], name=name) for name in ("twin-b", "twin-a")]
    write_folders(root / "crawl", [*busy, still, single, *twins])
    from tests.support import run_in_process

    done = run_in_process("collection", "build", "crawl", "-o", "dataset", cwd=root)
    assert done.returncode == 0, done.stderr
    return root / "dataset"


def test_pages_are_ranked_by_item_events_per_capture(cli: Cli, ranked: Path) -> None:
    run = cli("collection", "pages", str(ranked), "--format", "json")
    assert run.returncode == 0
    rows = json.loads(run.stdout)["pages"]
    assert len(rows) == 8
    key = [(-row["events_per_capture"], -row["added"], -row["dropped"], -row["edited"], row["page"]) for row in rows]
    assert key == sorted(key)
    for row in rows:
        assert row["events"] == sum(row[name] for name in ("added", "returned", "dropped", "edited", "moved"))
        assert row["events_per_capture"] == round(row["events"] / row["captures"], 3)
    names = [row["page"] for row in rows]
    assert names[-2:] == ["single", "still"]  # no change at all: last, by name
    assert names.index("twin-a") + 1 == names.index("twin-b")  # the same figures: by name
    by_name = {row["page"]: row for row in rows}
    assert {k: v for k, v in by_name["twin-a"].items() if k != "page"} == {
        k: v for k, v in by_name["twin-b"].items() if k != "page"
    }
    assert by_name["single"]["items"] > 0 and by_name["single"]["added"] == 0  # a first capture's items: no event
    assert by_name["still"]["captures"] == 3 and by_name["still"]["events"] == 0
    assert rows[0]["events_per_capture"] > 0


def test_pages_formats_and_limit_agree(cli: Cli, ranked: Path, tmp_path: Path) -> None:
    as_json = json.loads(cli("collection", "pages", str(ranked), "--format", "json").stdout)["pages"]
    as_csv = cli("collection", "pages", str(ranked), "--format", "csv").stdout
    frame = pd.read_csv(io.StringIO(as_csv), dtype=str, keep_default_na=False)
    assert list(frame["page"]) == [row["page"] for row in as_json]
    text = cli("collection", "pages", str(ranked)).stdout.splitlines()
    assert [line.split()[0] for line in text[2:]] == [row["page"] for row in as_json]
    limited = json.loads(cli("collection", "pages", str(ranked), "--format", "json", "--limit", "3").stdout)["pages"]
    assert limited == as_json[:3]
    written = cli("collection", "pages", str(ranked), "--format", "json", "-o", str(tmp_path / "pages.json"))
    assert written.returncode == 0 and written.stdout == ""
    assert json.loads((tmp_path / "pages.json").read_text(encoding="utf-8"))["pages"] == as_json


# --- report: escaping, links, where it may be written -----------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.scripts += tag == "script" or any(name.startswith("on") for name, _ in attrs)
        self.links += [value for name, value in attrs if name in ("href", "src") and value]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, pages: list[SitePage]) -> Path:
    """A dataset of pages named and titled to break HTML: a folder name, a WARC URL and an item title."""
    root = tmp_path_factory.mktemp("hostile")
    first = pages[0].captures[0]
    title = first.snapshot.items[0].title
    titled = dataclasses.replace(first, text=first.text.replace(title, f"{HOSTILE_TITLE} {title}", 1))
    named = dataclasses.replace(pages[0], name=HOSTILE, captures=(titled, *pages[0].captures[1:]))
    write_folders(root / "crawl", [named, pages[1]])
    write_warc(root / "evil.warc.gz", [dataclasses.replace(pages[2], url=HOSTILE_URL)])
    from tests.support import run_in_process

    done = run_in_process("collection", "build", "crawl", "evil.warc.gz", "-o", "dataset", cwd=root)
    assert done.returncode == 0, done.stderr
    return root / "dataset"


def test_the_report_escapes_hostile_names_and_every_link_resolves(cli: Cli, hostile: Path, tmp_path: Path) -> None:
    run = cli("collection", "report", str(hostile), "-o", str(tmp_path / "report"))
    assert run.returncode == 0, run.stderr
    assert run.stderr == f"diffcore: wrote {tmp_path / 'report'}: index.html and 3 page reports\n"
    manifest = read_manifest(hostile)
    assert manifest is not None
    assert {entry.page for entry in manifest.pages} == {
        HOSTILE,
        "events",
        'harbour-watch.example/<script>alert("u")</script>?a=1&b="2"',
    }
    pages = sorted((tmp_path / "report" / "pages").iterdir())
    assert [path.name for path in pages] == sorted(f"{entry.file}.html" for entry in manifest.pages)
    for path in [tmp_path / "report" / "index.html", *pages]:
        html = path.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<img src=x" not in html, path.name
        parser = _Links()
        parser.feed(html)
        assert parser.scripts == 0, path.name
        for link in parser.links:
            if re.match(r"^[a-z]+:", link) or link.startswith("#"):
                continue
            assert (path.parent / link.split("#")[0]).resolve().is_file(), (path.name, link)
    index = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;-script&gt;" in index
    assert "&lt;script&gt;alert(&#34;u&#34;)&lt;/script&gt;?a=1&amp;b=&#34;2&#34;" in index
    hostile_page = (tmp_path / "report" / "pages" / f"{file_name(HOSTILE)}.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(&#34;t&#34;)&gt;" in hostile_page


def test_outputs_never_land_on_the_dataset_or_the_inputs(cli: Cli, hostile: Path, tmp_path: Path) -> None:
    before = {path: path.read_bytes() for path in hostile.rglob("*") if path.is_file()}
    manifest = hostile / "collection.json"
    cases = [
        (("report", str(hostile), "-o", str(hostile)), "the report folder must not hold an input file"),
        (("report", str(hostile), "-o", str(hostile / "items")), "the report folder must not hold an input file"),
        (("pages", str(hostile), "-o", str(manifest)), "refusing to overwrite an input file"),
        (
            ("build", str(hostile.parent / "crawl"), "-o", str(hostile.parent / "crawl")),
            "the report folder must not hold an input file",
        ),
        (("build", str(hostile.parent / "crawl"), "-o", str(hostile.parent / "evil.warc.gz")), "is not a folder"),
    ]
    for args, said in cases:
        run = cli("collection", *args)
        assert run.returncode == 2 and _one_line(run.stderr) and said in run.stderr, (args, run.stderr)
    assert {path: path.read_bytes() for path in hostile.rglob("*") if path.is_file()} == before
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine\n", encoding="utf-8")
    refused = cli("collection", "report", str(hostile), "-o", str(foreign))
    assert refused.returncode == 2 and "--force" in refused.stderr
    forced = cli("collection", "report", str(hostile), "-o", str(foreign), "--force")
    assert forced.returncode == 0
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "mine\n" and (foreign / "index.html").is_file()


@pytest.mark.parametrize("command", ["pages", "report"])
def test_a_folder_that_is_not_a_dataset_is_one_line(cli: Cli, tmp_path: Path, command: str) -> None:
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "notes.txt").write_text("not a dataset\n", encoding="utf-8")
    (tmp_path / "odd").mkdir()
    (tmp_path / "odd" / "collection.json").write_text('{"format": "something else"}', encoding="utf-8")
    output = ("-o", str(tmp_path / "out")) if command == "report" else ()
    for folder, said in (
        ("plain", "not a collection dataset (no collection.json): see collection build"),
        ("missing", "not a collection dataset (no collection.json): see collection build"),
        ("odd", "not a diffcore collection manifest"),
    ):
        run = cli("collection", command, folder, *output, cwd=tmp_path)
        assert (run.returncode, run.stdout) == (2, ""), (folder, run.stderr)
        assert _one_line(run.stderr) and run.stderr.endswith(f"{said}\n"), run.stderr
    assert not (tmp_path / "out").exists()
