"""The one exception family diffcore raises for bad input.

The library raises these; only the CLI turns them into a line on stderr and
exit status 2.
"""

from __future__ import annotations


class DiffcoreError(Exception):
    """Base of every error diffcore raises on purpose."""


class SnapshotError(DiffcoreError):
    """A file is not a snapshot: empty, binary, undecodable, or without a capture date."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class ProfileError(DiffcoreError):
    """A page profile (TOML) is missing, malformed, or has a bad pattern."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class InputError(DiffcoreError):
    """A path given by the user cannot be used (missing, no snapshots in a folder)."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason
