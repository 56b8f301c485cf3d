"""Charts of a timeline, as deterministic SVG or PNG bytes drawn with matplotlib.

Two charts: when each item was on the page (one bar per stretch of captures,
gaps and edits visible), and each header counter against the value the
calendar predicts (a stalled counter falls away from its grey band).

matplotlib is imported inside the functions, so the command line and the text
formats never pay for it, and figures are drawn on an Agg canvas without
touching pyplot's global backend. Every figure is drawn under fixed settings
(the DejaVu Sans that matplotlib ships, glyphs embedded as paths, a fixed SVG
hash salt, no date or version in the metadata), so the same timeline always
gives the same bytes. Page text reaches matplotlib with math parsing off, and
its SVG writer escapes it; titles end up as glyph paths and XML comments.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from diffcore._extras import require
from diffcore.errors import InputError
from diffcore.model import DAYS_PER_UNIT, CounterReading, ItemHistory, Timeline
from diffcore.render.common import count, counter_names, shorten

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

CHART_FORMATS = ("svg", "png")
DPI = 110

SETTINGS = {
    "svg.hashsalt": "diffcore",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.titlelocation": "left",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#888888",
    "xtick.color": "#444444",
    "ytick.color": "#444444",
}

COLOURS = {
    "present": "#3b6fb6",
    "edited": "#d98c00",
    "gap": "#9aa5b1",
    "capture": "#e3e7ec",
    "value": "#3b6fb6",
    "predicted": "#cfd5dd",
    "stalled": "#c62828",
}

WIDTH = 11.0
ROW = 0.22
MAX_HEIGHT = 40.0
TOP, BOTTOM, RIGHT = 0.85, 0.55, 0.3
LABEL_SPACE, NO_LABEL_SPACE = 4.0, 0.5
LARGEST_LABEL, SMALLEST_LABEL = 8.0, 5.0
MAX_CAPTURE_LINES = 200
MAX_ITEM_ROWS = 1000
"""Past this many items, neighbouring items share a row (drawn at once), so the chart's cost stays flat."""
COUNTER_ROW = 2.1
MAX_COUNTER_PANELS = 16
"""Past this many counters the chart draws this many (those that missed the calendar first) and says so."""
COUNTER_TOP = 1.1


def chart_format(path: str | Path) -> str:
    """ "svg" or "png" from a file name's suffix; any other suffix is an InputError.

    Checked before any work, as is matplotlib being installed.
    """
    suffix = Path(path).suffix.lower().lstrip(".")
    if not suffix:
        raise InputError(str(path), "the file name has no .svg or .png suffix (it tells the chart format)")
    if suffix not in CHART_FORMATS:
        raise InputError(str(path), f"cannot plot to '.{suffix}' files; use .svg or .png")
    require("matplotlib", "html", "charts")
    return suffix


def inline_svg(data: bytes, prefix: str = "") -> str:
    """SVG bytes as markup for an HTML page: the XML declaration and doctype removed.

    matplotlib names its elements, glyphs and clip paths the same in every
    figure (figure_1, DejaVuSans-41, a hash of the clip box), so two charts on
    one page would share ids and one chart's references would reach into the
    other. `prefix` is put before every id and every #reference, inside tags
    only (titles in comments are left alone), so each chart keeps its own.
    """
    import re

    text = data.decode("utf-8")
    text = text[text.index("<svg") :]
    if not prefix:
        return text

    def rename(tag: re.Match[str]) -> str:
        markup = re.sub(r'(\sid=")', rf"\g<1>{prefix}", tag[0])
        return re.sub(r'(href="#|url\(#)', rf"\g<1>{prefix}", markup)

    return re.sub(r"<(?!!)[^>]*>", rename, text)


def timeline_chart(timeline: Timeline, fmt: str = "svg") -> bytes:
    """When each item was on the page: one row per item, ordered by first seen."""
    with _settings():
        return _save(_timeline_figure(timeline), fmt)


def counters_chart(timeline: Timeline, fmt: str = "svg") -> bytes:
    """Each counter's value per capture, over the band the calendar predicts."""
    with _settings():
        return _save(_counters_figure(timeline), fmt)


@contextmanager
def _settings() -> Iterator[None]:
    """The fixed rcParams every chart is drawn and saved under; glyph warnings silenced."""
    import warnings

    matplotlib = require("matplotlib", "html", "charts")
    with matplotlib.rc_context(SETTINGS), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font")
        yield


def _save(figure: Figure, fmt: str) -> bytes:
    """The figure as SVG or PNG bytes without dates or version strings."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if fmt not in CHART_FORMATS:
        raise ValueError(f"unknown chart format {fmt!r}")
    FigureCanvasAgg(figure)
    metadata: dict[str, str | None] = {"Date": None, "Creator": None} if fmt == "svg" else {"Software": None}
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, dpi=DPI, metadata=metadata)
    return buffer.getvalue()


def _figure(height: float, left: float) -> tuple[Figure, Axes]:
    """A WIDTH x height figure with one axes inside fixed margins (inches)."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH, height))
    axes = figure.add_axes((left / WIDTH, BOTTOM / height, 1 - (left + RIGHT) / WIDTH, 1 - (TOP + BOTTOM) / height))
    return figure, axes


def _day_number(day: dt.date) -> float:
    from matplotlib.dates import date2num

    return float(date2num(dt.datetime(day.year, day.month, day.day)))  # type: ignore[no-untyped-call]


def capture_days(timeline: Timeline) -> list[float]:
    """The x of each capture: its day, and where captures share a day, spread over it in order,
    so two captures of one date stay two points rather than one."""
    from collections import Counter

    per_day = Counter(ref.captured for ref in timeline.captures)
    seen: Counter[dt.date] = Counter()
    days = []
    for ref in timeline.captures:
        days.append(_day_number(ref.captured) + seen[ref.captured] / per_day[ref.captured])
        seen[ref.captured] += 1
    return days


def _date_axis(axes: Axes) -> None:
    """Concise date ticks along x."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    locator = AutoDateLocator(minticks=3, maxticks=10)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]


def _x_limits(days: Sequence[float]) -> tuple[float, float, float]:
    """Left and right x limits around the capture days, and a bar half-width in days."""
    first, last = min(days), max(days)
    span = max(last - first, 1.0)
    pad = max(span * 0.004, 0.5)
    # matplotlib's dates stop at 1 January 0001 and 31 December 9999: captures dated at either end
    # are drawn against an axis that stops there, rather than failing.
    earliest, latest = _day_number(dt.date.min), _day_number(dt.date.max) + 0.999
    return max(first - span * 0.02 - pad, earliest), min(last + span * 0.02 + pad, latest), pad


def _label_size(rows: int, height: float) -> float:
    """Font size (points) that fits one label per row, 0 when labels would be unreadable."""
    row_points = (height - TOP - BOTTOM) / max(rows, 1) * 72
    size = min(LARGEST_LABEL, row_points * 0.72)
    return size if size >= SMALLEST_LABEL else 0.0


def _item_label(history: ItemHistory, size: float) -> str:
    """A shortened title that fits the label space, with its edit count."""
    suffix = f" (edited \u00d7{history.edits})" if history.edits else ""
    width = int(LABEL_SPACE * 72 / (size * 0.56)) - len(suffix)
    return shorten(history.title, max(width, 12)) + suffix


def _timeline_figure(timeline: Timeline) -> Figure:
    rows = len(timeline.histories)
    height = min(MAX_HEIGHT, TOP + BOTTOM + 0.6 + ROW * max(rows, 1))
    size = _label_size(rows, height)
    figure, axes = _figure(height, LABEL_SPACE if size else NO_LABEL_SPACE)
    days = capture_days(timeline)
    left, right, pad = _x_limits(days)
    if len(days) <= MAX_CAPTURE_LINES:
        for day in sorted(set(days)):
            axes.axvline(day, color=COLOURS["capture"], linewidth=0.8, zorder=0)
    # The limits are set once, before anything is drawn, and the rows are drawn as one collection per
    # kind of mark: an artist per bar, each updating the data limits, made the chart grow faster than its rows.
    axes.set_autoscale_on(False)
    axes.set_xlim(left, right)
    if rows <= MAX_ITEM_ROWS:
        per_row, shown = 1, rows
    else:
        per_row = -(-rows // MAX_ITEM_ROWS)
        shown = -(-rows // per_row)
    axes.set_ylim(max(shown, 1) - 0.5, -0.5)
    _draw_rows(axes, _rows(timeline.histories, per_row), days, pad)
    if per_row == 1 and size:
        _labels(axes, timeline.histories, size)
    axes.set_yticks([])
    axes.spines["left"].set_visible(False)
    _date_axis(axes)
    if per_row > 1:
        axes.set_ylabel(
            f"{rows:,} items, first seen at the top, up to {per_row} to a row (drawn where any of them was on the page)"
        )
    elif not size:
        axes.set_ylabel(f"{rows} items, first seen at the top (too many to label)")
    if not rows:
        axes.text(0.5, 0.5, "No items on these captures.", transform=axes.transAxes, ha="center", va="center")
    first, last = timeline.captures[0].captured, timeline.captures[-1].captured
    figure.text(
        0.01,
        1 - 0.22 / height,
        f"Items on the page, {first} to {last}: {count(rows, 'item')}, {count(len(timeline.captures), 'capture')}",
        fontsize=11,
        fontweight="bold",
        va="top",
    )
    _timeline_legend(figure, height)
    return figure


def _rows(histories: Sequence[ItemHistory], per_row: int) -> Iterator[tuple[list[tuple[int, int]], bool]]:
    """Each row's runs of captures and whether it is edited: one item a row, or `per_row` neighbours.

    A shared row is on the page where any of its items was, edited if any was.
    """
    if per_row == 1:
        for history in histories:
            yield list(history.runs), bool(history.edits)
        return
    for start in range(0, len(histories), per_row):
        group = histories[start : start + per_row]
        yield _union(run for history in group for run in history.runs), any(history.edits for history in group)


def _draw_rows(
    axes: Axes, rows: Iterable[tuple[list[tuple[int, int]], bool]], days: Sequence[float], pad: float
) -> None:
    """Every row at once, one collection per kind of mark: a bar per stretch on the page, dotted gaps
    between, a diamond where an edited row was last seen."""
    from matplotlib.collections import LineCollection, PolyCollection

    bars: list[list[tuple[float, float]]] = []
    colours: list[str] = []
    gaps: list[list[tuple[float, float]]] = []
    marks: tuple[list[float], list[float]] = ([], [])
    for row, (runs, edited) in enumerate(rows):
        spans = [(days[first] - pad, days[last] + pad) for first, last in runs]
        bars += [[(x0, row - 0.35), (x0, row + 0.35), (x1, row + 0.35), (x1, row - 0.35)] for x0, x1 in spans]
        colours += [COLOURS["edited"] if edited else COLOURS["present"]] * len(spans)
        gaps += [[(end, row), (following, row)] for (_, end), (following, _) in pairwise(spans)]
        if edited:
            marks[0].append(spans[-1][1])
            marks[1].append(row)
    axes.add_collection(PolyCollection(bars, facecolors=colours, linewidths=0), autolim=False)
    axes.add_collection(
        LineCollection(gaps, colors=COLOURS["gap"], linewidths=0.9, linestyles=[(0, (1, 1.5))], zorder=1), autolim=False
    )
    axes.plot(*marks, marker="D", markersize=4, color="#7a4f00", linestyle="none")


def _labels(axes: Axes, histories: Sequence[ItemHistory], size: float) -> None:
    """Each item's label at the left of its row."""
    from matplotlib.transforms import blended_transform_factory

    beside = blended_transform_factory(axes.transAxes, axes.transData)
    for row, history in enumerate(histories):
        axes.text(
            -0.008,
            row,
            _item_label(history, size),
            transform=beside,
            ha="right",
            va="center",
            fontsize=size,
            parse_math=False,
            clip_on=False,
        )


def _union(runs: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """(first, last) capture index runs joined where they overlap or follow one another."""
    joined: list[tuple[int, int]] = []
    for first, last in sorted(runs):
        if joined and first <= joined[-1][1] + 1:
            joined[-1] = (joined[-1][0], max(joined[-1][1], last))
        else:
            joined.append((first, last))
    return joined


def _timeline_legend(figure: Figure, height: float) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [
        Patch(color=COLOURS["present"], label="on the page"),
        Patch(color=COLOURS["edited"], label="on the page, edited meanwhile (\u25c6 at last seen)"),
        Line2D([], [], color=COLOURS["gap"], linestyle=(0, (1, 1.5)), label="gone for a while"),
        Line2D([], [], color=COLOURS["capture"], linewidth=3, label="a capture"),
    ]
    figure.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.01, 1 - 0.45 / height),
        ncol=4,
        frameon=False,
        fontsize=8,
        handlelength=1.6,
    )


def _counters_figure(timeline: Timeline) -> Figure:
    from matplotlib.figure import Figure

    readings: dict[str, list[CounterReading]] = {}
    for reading in timeline.counters:
        readings.setdefault(reading.label, []).append(reading)
    total = len(readings)
    readings = _drawn_counters(readings)
    panels = max(len(readings), 1)
    height = min(MAX_HEIGHT, COUNTER_TOP + BOTTOM + COUNTER_ROW * panels)
    figure = Figure(figsize=(WIDTH, height))
    figure.subplots_adjust(
        left=0.08, right=1 - RIGHT / WIDTH, top=1 - COUNTER_TOP / height, bottom=BOTTOM / height, hspace=0.55
    )
    grid = figure.subplots(panels, 1, sharex=True, squeeze=False)
    days = capture_days(timeline)
    left, right, _ = _x_limits(days)
    names = counter_names(list(readings), 110)
    for axes, (label, series) in zip(grid[:, 0], readings.items(), strict=False):
        _counter_panel(axes, names[label], series, days)
    if not readings:
        grid[0, 0].text(
            0.5, 0.5, "No counters on these captures.", transform=grid[0, 0].transAxes, ha="center", va="center"
        )
    for axes in grid[:, 0]:
        axes.set_xlim(left, right)
        _date_axis(axes)
    first, last = timeline.captures[0].captured, timeline.captures[-1].captured
    title = f"Counters, {first} to {last}: reported value and calendar prediction"
    if len(readings) < total:
        title += f" ({len(readings)} of {total:,} drawn, those that missed the calendar first; all in the tables)"
    figure.text(0.01, 1 - 0.22 / height, title, fontsize=11, fontweight="bold", va="top")
    _counters_legend(figure, height)
    return figure


def _drawn_counters(readings: dict[str, list[CounterReading]]) -> dict[str, list[CounterReading]]:
    """The counters the chart draws, in page order: all, or `MAX_COUNTER_PANELS`, those that missed first.

    Each panel costs the same whatever its height, and a few dozen panels on
    one page could not be read anyway: the cap keeps the chart's cost flat.
    """
    if len(readings) <= MAX_COUNTER_PANELS:
        return readings
    missed = [label for label, series in readings.items() if any(r.consistent is False for r in series)]
    rest = [label for label in readings if label not in set(missed)] if len(missed) < MAX_COUNTER_PANELS else []
    chosen = set((missed + rest)[:MAX_COUNTER_PANELS])
    return {label: series for label, series in readings.items() if label in chosen}


def _counter_panel(axes: Axes, name: str, series: Sequence[CounterReading], days: Sequence[float]) -> None:
    """One counter: its values, the calendar's line from its first reading, misses in red."""
    from matplotlib.ticker import MaxNLocator

    xs = [days[r.capture] for r in series]
    values = [r.value for r in series]
    per_unit = DAYS_PER_UNIT.get(series[0].unit)
    if per_unit is not None:
        start = xs[0]
        axes.plot(
            [start, xs[-1]],
            [values[0], values[0] + (xs[-1] - start) / per_unit],
            color=COLOURS["predicted"],
            linewidth=6,
            solid_capstyle="butt",
            zorder=1,
        )
    axes.plot(xs, values, color=COLOURS["value"], marker="o", markersize=4, linewidth=1.6, zorder=2)
    missed = [(x, v) for x, v, r in zip(xs, values, series, strict=True) if r.consistent is False]
    if missed:
        axes.plot(
            [x for x, _ in missed],
            [v for _, v in missed],
            color=COLOURS["stalled"],
            marker="X",
            markersize=9,
            linestyle="none",
            zorder=3,
        )
    axes.set_title(f"{name} ({series[0].unit}s)", parse_math=False)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    axes.ticklabel_format(axis="y", useOffset=False, style="plain")
    axes.grid(axis="y", color="#eeeeee", linewidth=0.8)


def _counters_legend(figure: Figure, height: float) -> None:
    from matplotlib.lines import Line2D

    handles = [
        Line2D([], [], color=COLOURS["value"], marker="o", markersize=4, label="value on the page"),
        Line2D([], [], color=COLOURS["predicted"], linewidth=6, label="what the calendar predicts"),
        Line2D(
            [],
            [],
            color=COLOURS["stalled"],
            marker="X",
            markersize=8,
            linestyle="none",
            label="did not keep pace with the calendar",
        ),
    ]
    figure.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(0.01, 1 - 0.45 / height), ncol=3, frameon=False, fontsize=8
    )
