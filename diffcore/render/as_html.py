"""HTML pages a person can read at a glance: a change page per pair, and the report index.

Pages are self-contained: styles inline, charts as inline SVG, no scripts and
no fonts or links outside the report folder, so they open offline from a
file:// URL. Page text is untrusted: the Jinja2 templates in
`render/templates/` escape everything they print (autoescape on, undefined
names an error), word diffs and item entries (built in Python, they are
the bulk of a page) are assembled from escaped pieces, and a
Content-Security-Policy forbids scripts should anything ever slip through.
jinja2 and matplotlib are imported only when a page is rendered.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from diffcore._extras import require
from diffcore.model import SUMMARY_TABLES, Item, SnapshotDiff, WordOp
from diffcore.render.common import (
    capture_warnings,
    changes,
    chunked_note,
    consistency,
    count,
    counter_label,
    day,
    inline,
    path_text,
    printable,
    published_label,
    report_warnings,
    shorten,
    signed,
    when_text,
)
from diffcore.render.sections import timeline_sections

if TYPE_CHECKING:
    from jinja2 import Environment
    from markupsafe import Markup

    from diffcore.load import Inventory
    from diffcore.model import PairSummary, ReportFolder

KINDS = ("added", "dropped", "edited", "moved")
SNIPPET = 220


@dataclass(frozen=True)
class Nav:
    """Relative links from a change page to the report index and the neighbouring pairs."""

    index: str | None = None
    previous: str | None = None
    next: str | None = None


@functools.cache
def environment() -> Environment:
    """The Jinja2 environment over the package's templates: autoescape on, undefined names fail."""
    require("jinja2", "html", "HTML output")
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("diffcore.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(ops=word_diff, text=printable, path=path_text, count=count)
    env.globals.update(
        when=when_text,
        changes=changes,
        consistency=consistency,
        counter_label=counter_label,
        day=day,
        item_entry=item_entry,
        item_line=item_line,
        published=published_label,
        signed=signed,
    )
    return env


def word_diff(ops: Sequence[WordOp]) -> Markup:
    """Word ops as HTML: <del> and <ins> around changed words, every piece escaped."""
    from markupsafe import Markup, escape

    def wrap(tag: str) -> Callable[[str], str]:
        return lambda text: Markup(f"<{tag}>{{}}</{tag}>").format(printable(text))

    return Markup(inline(ops, wrap("del"), wrap("ins"), lambda text: escape(printable(text))))


def item_line(item: Item, position: int) -> Markup:
    """An item's place on the page, published date and title, as one line."""
    from markupsafe import Markup

    return Markup(_line(item, position))


def item_entry(item: Item) -> Markup:
    """An item as a list entry: its line, then its summary.

    Built with f-strings over escaped pieces rather than a template macro:
    a report folder prints thousands of these on every page.
    """
    from markupsafe import Markup, escape

    return Markup(f'<li data-id="{escape(item.id)}">\n{_line(item, item.position)}\n{_summary(item.summary)}\n</li>\n')


def _line(item: Item, position: int) -> str:
    from markupsafe import escape

    return (
        f'<div><span class="pos" title="position on the page, from 0">#{position}</span>'
        f'<span class="date">{escape(published_label(item))}</span>'
        f'<span class="title">{escape(printable(item.title))}</span></div>\n'
    )


@functools.lru_cache(maxsize=2048)
def _summary(summary: tuple[str, ...]) -> str:
    """An item's summary paragraphs, folded behind a snippet when long ("" when there is none).

    Cached: an item that stays on the page shows the same summary on page
    after page of a report folder.
    """
    from markupsafe import escape

    text = printable("\n".join(summary))
    if not text:
        return ""
    paragraphs = "".join(f"<p>{escape(printable(paragraph))}</p>\n" for paragraph in summary)
    if len(text) > SNIPPET:
        return (
            f'<details class="summary">\n<summary><span class="snippet">{escape(shorten(text, SNIPPET))} '
            '<span class="more">show all</span></span><span class="less">hide</span></summary>\n'
            f"{paragraphs}</details>\n"
        )
    return f'<div class="summary">\n{paragraphs}</div>\n'


def render_diff(report: SnapshotDiff, nav: Nav | None = None) -> str:
    """`diff --format html`: one self-contained change page.

    Pages always use colour and marks both; unchanged items are folded away.
    """
    warnings, more_warnings = report_warnings(report)
    return (
        environment()
        .get_template("change.html.j2")
        .render(
            report=report,
            counts=report.counts,
            note=chunked_note(report),
            kinds=KINDS,
            nav=nav or Nav(),
            warnings=warnings,
            more_warnings=more_warnings,
        )
    )


def pair_href(pair: PairSummary) -> str:
    """The change page of a pair, relative to the report folder."""
    from diffcore.model import CHANGES

    return f"{CHANGES}/{pair.stem}.html"


def render_index(result: ReportFolder, inventory: Inventory) -> str:
    """index.html of a report folder: the pairs, the two charts and the timeline tables."""
    environment()  # first, so a missing jinja2 is one clear error
    from markupsafe import Markup

    from diffcore.render.charts import counters_chart, inline_svg, timeline_chart

    timeline = result.timeline
    # Streamed into one buffer: `render` would hold every piece of a page of
    # thousands of rows in a list first, several times the page itself.
    page = io.StringIO()
    page.writelines(
        environment()
        .get_template("index.html.j2")
        .generate(
            timeline=timeline,
            pairs=[(pair, pair_href(pair), pair.counts) for pair in result.pairs],
            duplicates=inventory.duplicates,
            warnings=capture_warnings(timeline),
            timeline_chart=Markup(inline_svg(timeline_chart(timeline), "timeline-chart-")),
            counters_chart=Markup(inline_svg(counters_chart(timeline), "counters-chart-"))
            if timeline.counters
            else None,
            sections=timeline_sections(timeline, SUMMARY_TABLES, printable),
            kinds=KINDS,
        )
    )
    return page.getvalue()
