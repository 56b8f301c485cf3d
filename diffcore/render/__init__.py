"""Renderers: one module per format, and the registries that feed --format.

Each renderer takes a result object and returns text; only the CLI writes it.
"""

from __future__ import annotations

from collections.abc import Callable

from diffcore.model import Snapshot
from diffcore.render import as_json, as_text

SHOW_FORMATS: dict[str, Callable[[Snapshot, bool], str]] = {
    "json": as_json.render_snapshot,
    "text": as_text.render_snapshot,
}
