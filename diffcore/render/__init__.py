"""Renderers: one module per format, and the registries that feed --format.

Each renderer takes a result object and returns text, or yields it in pieces
(`show`, whose item table may be huge); only the CLI and the folder writer
write it. The registries give every format one signature,
`(result, ..., color)`; formats that never colour (JSON, CSV, Markdown, HTML
pages, which always mark changes both ways) are adapted here rather than
taking a flag they ignore. Importing this module imports no renderer: each one
loads, with its library (tabulate, jinja2, matplotlib, pandas), when its format
first runs, so a command pays only for the format it writes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from diffcore.model import Snapshot, SnapshotDiff, Timeline, TimelineTable

    Tables = Sequence[TimelineTable]


def _function(module: str, name: str) -> Callable[..., object]:
    """`diffcore.render.<module>.<name>`, imported when a format first runs, so a command loads one renderer."""
    function: Callable[..., object] = getattr(importlib.import_module(f"diffcore.render.{module}"), name)
    return function


def _show(module: str, name: str, colours: bool) -> Callable[[Snapshot, bool], Iterator[str]]:
    def render(snapshot: Snapshot, color: bool) -> Iterator[str]:
        function = _function(module, name)
        pieces = function(snapshot, color) if colours else function(snapshot)
        return pieces  # type: ignore[return-value]

    return render


def _diff(module: str, name: str, colours: bool) -> Callable[[SnapshotDiff, bool], str]:
    def render(diff: SnapshotDiff, color: bool) -> str:
        function = _function(module, name)
        return str(function(diff, color) if colours else function(diff))

    return render


def _timeline(module: str, name: str, colours: bool) -> Callable[[Timeline, Tables, bool], str]:
    def render(timeline: Timeline, tables: Tables, color: bool) -> str:
        function = _function(module, name)
        return str(function(timeline, tables, color) if colours else function(timeline, tables))

    return render


# Formats that never colour (JSON, CSV, Markdown, HTML pages, which always mark changes
# both ways) take no flag; the registries give every format the same signature.
SHOW_FORMATS: dict[str, Callable[[Snapshot, bool], Iterator[str]]] = {
    "json": _show("as_json", "stream_snapshot", colours=False),
    "text": _show("as_text", "stream_snapshot", colours=True),
}
"""`show` yields its output in pieces: a capture of a million items is never one string."""

DIFF_FORMATS: dict[str, Callable[[SnapshotDiff, bool], str]] = {
    "html": _diff("as_html", "render_diff", colours=False),
    "json": _diff("as_json", "render_diff", colours=False),
    "markdown": _diff("as_markdown", "render_diff", colours=False),
    "text": _diff("as_text", "render_diff", colours=True),
}

TIMELINE_FORMATS: dict[str, Callable[[Timeline, Tables, bool], str]] = {
    "csv": _timeline("as_csv", "render_timeline", colours=False),
    "json": _timeline("as_json", "render_timeline", colours=False),
    "markdown": _timeline("as_markdown", "render_timeline", colours=False),
    "text": _timeline("as_text", "render_timeline", colours=True),
}

FOLDER_FORMATS = ("markdown", "html")
"""`report --format`: a report folder always holds Markdown and JSON; "html" adds a page per pair and index.html."""
