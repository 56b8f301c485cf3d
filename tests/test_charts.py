"""Charts: deterministic bytes, hostile titles escaped, readable for hundreds of items, --plot."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from diffcore.errors import InputError
from diffcore.load import load
from diffcore.model import CaptureRef, CounterReading, ItemHistory, Timeline
from diffcore.render import charts
from diffcore.timeline import timeline
from tests.paths import ORCHARD_DIR
from tests.support import Cli

HOSTILE = '<img src=x onerror="window.pwned=1">'


@pytest.fixture(scope="module")
def orchard() -> Timeline:
    """The timeline of the three orchard captures (edits, a gap, a stalled counter, hostile titles)."""
    return timeline([load(path) for path in sorted(ORCHARD_DIR.glob("*.txt"))])


def crowded(items: int, captures: int = 30) -> Timeline:
    """A made-up timeline of many items, each on the page for a stretch, some with gaps and edits."""
    refs = tuple(CaptureRef(f"c{n}.txt", dt.date(2022, 1, 1) + dt.timedelta(days=7 * n), None) for n in range(captures))
    histories = []
    for n in range(items):
        first = n * captures // items
        last = min(captures - 1, first + 3 + n % 7)
        runs = ((first, first), (first + 2, last)) if n % 5 == 0 and last > first + 2 else ((first, last),)
        histories.append(
            ItemHistory(
                f"item{n}",
                refs[first].captured,
                refs[first].captured.strftime("%d.%m.%Y"),
                f"Item number {n} with a title long enough to need shortening somewhere",
                ("t",),
                runs,
                n % 4 == 0,
            )
        )
    return Timeline(refs, tuple(histories), (), ())


@pytest.mark.parametrize("fmt", charts.CHART_FORMATS)
@pytest.mark.parametrize("chart", [charts.timeline_chart, charts.counters_chart], ids=["timeline", "counters"])
def test_charts_are_byte_identical_across_runs(orchard: Timeline, chart, fmt: str) -> None:
    assert chart(orchard, fmt) == chart(orchard, fmt)


def test_svg_carries_no_date_or_version(orchard: Timeline) -> None:
    svg = charts.timeline_chart(orchard).decode()
    assert "<dc:date>" not in svg
    assert "Matplotlib v" not in svg


def test_png_carries_no_software_stamp(orchard: Timeline) -> None:
    png = charts.timeline_chart(orchard, "png")
    assert png.startswith(b"\x89PNG")
    assert b"matplotlib" not in png.lower()


def test_hostile_titles_reach_the_svg_escaped(orchard: Timeline) -> None:
    svg = charts.timeline_chart(orchard).decode()
    assert "<img" not in svg
    assert "<script" not in svg
    assert "&lt;img src=x onerror=" in svg  # the title survives as an escaped comment


def test_dollar_signs_in_titles_are_not_math() -> None:
    base = crowded(2)
    money = replace(base.histories[0], title="Raised $5 and $3 at the {fair}")
    svg = charts.timeline_chart(Timeline(base.captures, (money, base.histories[1]), (), ())).decode()
    assert "Raised $5 and $3 at the {fair}" in svg


def test_inline_svg_drops_the_prolog(orchard: Timeline) -> None:
    markup = charts.inline_svg(charts.counters_chart(orchard))
    assert markup.startswith("<svg")
    assert "<?xml" not in markup and "DOCTYPE" not in markup


def test_a_few_hundred_items_keep_a_bounded_labelled_chart() -> None:
    svg = charts.timeline_chart(crowded(300)).decode()
    height = float(svg.split('height="', 1)[1].split("pt", 1)[0])
    assert height <= charts.MAX_HEIGHT * 72
    assert "Item number 299" in svg  # still labelled (as an SVG comment over glyph paths)


def test_too_many_items_to_label_drop_the_labels() -> None:
    svg = charts.timeline_chart(crowded(700)).decode()
    assert "Item number" not in svg
    assert "too many to label" in svg


def test_thousands_of_items_share_rows_and_the_chart_says_so() -> None:
    timeline = crowded(charts.MAX_ITEM_ROWS * 3 + 1)
    svg = charts.timeline_chart(timeline).decode()
    assert f"{len(timeline.histories):,} items, first seen at the top, up to 4 to a row" in svg
    assert "too many to label" not in svg
    assert charts._union([(5, 7), (0, 2), (3, 4), (9, 9)]) == [(0, 7), (9, 9)]  # runs that follow join


def test_many_counters_draw_a_capped_chart_that_says_so() -> None:
    refs = crowded(1, captures=3).captures
    many = charts.MAX_COUNTER_PANELS + 5
    readings = tuple(
        CounterReading(
            capture,
            f"{{n}} days have passed since beacon {n} was lit",
            "day",
            100 + 7 * capture - (capture == 2 and n == many - 1),
            None,
            None if capture == 0 else not (capture == 2 and n == many - 1),
        )
        for n in range(many)
        for capture in range(3)
    )
    svg = charts.counters_chart(Timeline(refs, (), (), readings)).decode()
    assert f"({charts.MAX_COUNTER_PANELS} of {many} drawn, those that missed the calendar first" in svg
    assert f"beacon {many - 1} was lit" in svg  # the one that fell behind is drawn, though last
    assert f"beacon {many - 2} was lit" not in svg


def test_empty_timeline_parts_draw_a_note() -> None:
    empty = Timeline(crowded(1).captures[:1], (), (), ())
    assert "No items" in charts.timeline_chart(empty).decode()
    assert "No counters" in charts.counters_chart(empty).decode()


@pytest.mark.parametrize("name", ["chart.jpg", "chart", "chart.svg.txt"])
def test_unknown_plot_suffix_is_an_input_error(name: str) -> None:
    with pytest.raises(InputError):
        charts.chart_format(name)


@pytest.mark.parametrize("suffix, magic", [(".svg", b"<?xml"), (".png", b"\x89PNG")])
def test_timeline_plot_writes_the_chart(cli: Cli, tmp_path: Path, suffix: str, magic: bytes) -> None:
    target = tmp_path / f"timeline{suffix}"
    done = cli("timeline", str(ORCHARD_DIR), "--plot", str(target))
    assert done.returncode == 0, done.stderr
    assert target.read_bytes().startswith(magic)
    assert "Items" in done.stdout  # the tables are still printed


def test_timeline_plot_to_an_unknown_suffix_fails_in_one_line(cli: Cli, tmp_path: Path) -> None:
    done = cli("timeline", str(ORCHARD_DIR), "--plot", str(tmp_path / "chart.gif"))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and ".svg or .png" in done.stderr
    assert not (tmp_path / "chart.gif").exists()
