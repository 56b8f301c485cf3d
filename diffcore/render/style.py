"""Terminal colour, applied only when the CLI asks for it."""

from __future__ import annotations

_CODES = {"added": "32", "dropped": "31", "edited": "33", "moved": "36", "heading": "1", "dim": "2"}


def paint(text: str, role: str, color: bool) -> str:
    """Wrap text in the ANSI colour of its role when colour is on."""
    if not color or not text:
        return text
    return f"\x1b[{_CODES[role]}m{text}\x1b[0m"
