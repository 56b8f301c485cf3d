"""Renderers: one module per format, and the registries that feed --format.

Each renderer takes a result object and returns text, or yields it in pieces
(`show`, whose item table may be huge); only the CLI writes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from diffcore.model import Snapshot, SnapshotDiff, Timeline
from diffcore.render import as_csv, as_html, as_json, as_markdown, as_text

SHOW_FORMATS: dict[str, Callable[[Snapshot, bool], str]] = {
    "json": as_json.render_snapshot,
    "text": as_text.render_snapshot,
}

SHOW_STREAMS: dict[str, Callable[[Snapshot, bool], Iterator[str]]] = {
    "json": as_json.stream_snapshot,
    "text": as_text.stream_snapshot,
}

DIFF_FORMATS: dict[str, Callable[[SnapshotDiff, bool], str]] = {
    "html": as_html.render_diff,
    "json": as_json.render_diff,
    "markdown": as_markdown.render_diff,
    "text": as_text.render_diff,
}

TIMELINE_FORMATS: dict[str, Callable[[Timeline, tuple[str, ...], bool], str]] = {
    "csv": as_csv.render_timeline,
    "json": as_json.render_timeline,
    "markdown": as_markdown.render_timeline,
    "text": as_text.render_timeline,
}
