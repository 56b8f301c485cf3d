"""Renderers: one module per format, and the registries that feed --format.

Each renderer takes a result object and returns text, or yields it in pieces
(`show`, whose item table may be huge); only the CLI and the folder writer
write it. The registries give every format one signature,
`(result, ..., color)`; formats that never colour (JSON, CSV, Markdown, HTML
pages, which always mark changes both ways) are adapted here rather than
taking a flag they ignore. Importing this module imports no renderer's heavy
library: jinja2, matplotlib and pandas load only when their format runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from diffcore.model import Snapshot, SnapshotDiff, Timeline, TimelineTable
from diffcore.render import as_csv, as_html, as_json, as_markdown, as_text

R = TypeVar("R")
Tables = Sequence[TimelineTable]


def _colourless(render: Callable[[R], str]) -> Callable[[R, bool], str]:
    """A renderer of a format without colour, in the registries' shape."""
    return lambda result, color: render(result)


def _colourless_tables(render: Callable[[Timeline, Tables], str]) -> Callable[[Timeline, Tables, bool], str]:
    return lambda timeline, tables, color: render(timeline, tables)


SHOW_FORMATS: dict[str, Callable[[Snapshot, bool], Iterator[str]]] = {
    "json": lambda snapshot, color: as_json.stream_snapshot(snapshot),
    "text": as_text.stream_snapshot,
}
"""`show` yields its output in pieces: a capture of a million items is never one string."""

DIFF_FORMATS: dict[str, Callable[[SnapshotDiff, bool], str]] = {
    "html": _colourless(as_html.render_diff),
    "json": _colourless(as_json.render_diff),
    "markdown": _colourless(as_markdown.render_diff),
    "text": as_text.render_diff,
}

TIMELINE_FORMATS: dict[str, Callable[[Timeline, Tables, bool], str]] = {
    "csv": _colourless_tables(as_csv.render_timeline),
    "json": _colourless_tables(as_json.render_timeline),
    "markdown": _colourless_tables(as_markdown.render_timeline),
    "text": as_text.render_timeline,
}

FOLDER_FORMATS = ("markdown", "html")
"""`report --format`: a report folder always holds Markdown and JSON; "html" adds a page per pair and index.html."""
