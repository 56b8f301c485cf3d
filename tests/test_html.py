"""HTML pages without a browser: escaping, autoescape, self-containment, counts, determinism, golden page."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from diffcore.diff import diff
from diffcore.folder import write_report
from diffcore.load import load, scan
from diffcore.model import Snapshot, WordOp
from diffcore.render import as_json
from diffcore.render.as_html import environment, render_diff, word_diff
from tests.paths import ORCHARD_DIR
from tests.support import Cli

HOSTILE = (
    '<img src=x onerror="window.pwned=1">',
    "<script>window.pwned=1</script>",
    '<a href="javascript:window.pwned=1">click</a>',
)
LINK = re.compile(r"""\b(?:href|src|xlink:href|action)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


@pytest.fixture(scope="module")
def captures() -> list[Snapshot]:
    """The orchard captures in date order, named by file name only (so pages do not depend on the checkout)."""
    return [replace(load(path), source=path.name) for path in sorted(ORCHARD_DIR.glob("*.txt"))]


@pytest.fixture(scope="module")
def page(captures: list[Snapshot]) -> str:
    """The change page of the first orchard pair (an add, a drop, an edit, a move, hostile titles)."""
    old, new = captures[0], captures[1]
    return render_diff(diff(old, new))


def data_counts(html: str) -> dict[str, int]:
    """The counts a change page shows, by kind, from its id="count-KIND" data-count attributes."""
    return {kind: int(value) for kind, value in re.findall(r'id="count-(\w+)" data-count="(\d+)"', html)}


def test_autoescape_is_on_and_undefined_names_fail() -> None:
    from jinja2 import StrictUndefined, UndefinedError

    env = environment()
    assert env.autoescape is True
    assert env.undefined is StrictUndefined
    assert env.from_string("{{ x }}").render(x="<b>&") == "&lt;b&gt;&amp;"
    with pytest.raises(UndefinedError):
        env.from_string("{{ missing.name }}").render()


def test_word_diff_escapes_every_piece() -> None:
    ops = (WordOp("equal", "a <b>", "a <b>"), WordOp("replace", "<i>", "<script>x</script>"))
    assert str(word_diff(ops)) == "a &lt;b&gt; <del>&lt;i&gt;</del> <ins>&lt;script&gt;x&lt;/script&gt;</ins>"


def test_hostile_page_text_is_escaped(page: str) -> None:
    assert "<script" not in page
    assert "<img" not in page
    assert all("javascript" not in url.lower() for url in LINK.findall(page))
    for text in HOSTILE:
        assert text not in page
    assert "&lt;img src=x onerror=&#34;window.pwned=1&#34;&gt;" in page
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in page


def test_page_is_self_contained(page: str) -> None:
    assert all(url.startswith("#") or (url.endswith(".html") and "://" not in url) for url in LINK.findall(page))
    assert "@import" not in page and "url(" not in page
    assert "script-src" not in page and "default-src 'none'" in page


def test_counts_match_the_json_report(captures: list[Snapshot], page: str) -> None:
    document = json.loads(as_json.render_diff(diff(captures[0], captures[1])))
    expected = {kind: len(document[kind]) for kind in ("added", "dropped", "edited", "moved")}
    assert data_counts(page) == {**expected, "unchanged": document["unchanged"]}


def test_edits_carry_del_and_ins(page: str) -> None:
    assert "<del>twelve.</del>" in page
    assert "<ins>and pear</ins>" in page


def test_unchanged_items_are_folded_in_details(captures: list[Snapshot], page: str) -> None:
    report = diff(captures[0], captures[1])
    kept = report.unchanged_items
    assert len(kept) == report.unchanged
    folded = page.split('<details class="fold" id="unchanged"', 1)[1].split("</details>\n", 1)[0]
    assert all(item.id in folded for item in kept)
    assert 'data-count="2"' in folded


@pytest.mark.parametrize("pair", [0, 1])
def test_unchanged_items_are_every_new_item_the_report_leaves_out(captures: list[Snapshot], pair: int) -> None:
    old, new = captures[pair], captures[pair + 1]
    report = diff(old, new)
    kept = [item.position for item in report.unchanged_items]
    reported = (
        {i.position for i in report.added}
        | {e.new.position for e in report.edited}
        | {m.new_position for m in report.moved}
    )
    assert kept == sorted(kept) and set(kept).isdisjoint(reported)
    assert set(kept) | reported == {item.position for item in new.items}


def test_page_is_deterministic(captures: list[Snapshot], page: str) -> None:
    report = diff(captures[0], captures[1])
    assert render_diff(report) == page


def test_golden_change_page(golden: Callable[[str, str], None], page: str) -> None:
    golden("html/orchard_change.html", page)


def write(folder: Path, html: bool = True) -> dict[str, bytes]:
    """Write the orchard report folder; return its files by relative path."""
    write_report(scan([ORCHARD_DIR]), folder, html=html)
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_report_folder_is_byte_identical_across_runs(tmp_path: Path) -> None:
    first, second = write(tmp_path / "a"), write(tmp_path / "b")
    assert first == second
    assert "index.html" in first
    assert sum(name.endswith(".html") for name in first) == 3


def test_index_links_every_pair_page_and_embeds_both_charts(tmp_path: Path) -> None:
    files = write(tmp_path)
    index = files["index.html"].decode()
    pages = sorted(name for name in files if name.startswith("changes/") and name.endswith(".html"))
    links = set(LINK.findall(index))
    assert set(pages) <= links
    assert index.count("<svg ") == 2 and "<?xml" not in index
    assert "<script" not in index and "<img" not in index


def test_pages_link_to_the_index_and_neighbours(tmp_path: Path) -> None:
    files = write(tmp_path)
    first, second = (files[name].decode() for name in sorted(files) if name.endswith(".html") and "/" in name)
    assert 'href="../index.html"' in first and 'href="0002_2023-03-15_2023-04-12.html"' in first
    assert 'href="0001_2023-03-01_2023-03-15.html"' in second and "Next pair" not in second


def test_index_counts_match_each_pair_json(tmp_path: Path) -> None:
    files = write(tmp_path)
    index = files["index.html"].decode()
    for number, name in enumerate(sorted(n for n in files if n.endswith(".json") and "/" in n), start=1):
        document = json.loads(files[name])
        row = index.split(f'<tr id="pair-{number}"', 1)[1].split("</tr>", 1)[0]
        shown = dict(re.findall(r'data-kind="(\w+)" data-count="(\d+)"', row))
        assert shown == {
            **{kind: str(len(document[kind])) for kind in ("added", "dropped", "edited", "moved")},
            "unchanged": str(document["unchanged"]),
        }


def test_markdown_only_run_removes_earlier_html(tmp_path: Path) -> None:
    write(tmp_path)
    files = write(tmp_path, html=False)
    assert not any(name.endswith(".html") for name in files)


def test_diff_format_html_lists_unchanged_items(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "page.html"
    done = cli(
        "diff",
        str(ORCHARD_DIR / "orchard_2023-03-15.txt"),
        str(ORCHARD_DIR / "orchard_2023-04-12.txt"),
        "--format",
        "html",
        "-o",
        str(target),
    )
    assert done.returncode == 1, done.stderr
    html = target.read_text(encoding="utf-8")
    assert data_counts(html)["unchanged"] == 4
    assert "New beehives arrive at the top field" in html.split('id="unchanged"', 1)[1]
