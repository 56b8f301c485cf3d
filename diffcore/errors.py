"""The one exception family diffcore raises for bad input and unwritable output.

The library raises these; only the CLI turns them into a line on stderr and
exit status 2.
"""

from __future__ import annotations


class DiffcoreError(Exception):
    """Base of every error diffcore raises on purpose."""


class _SourcedError(DiffcoreError):
    """An error about one source (a file, a folder, a profile), with the reason."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        # Rebuilt from (source, reason), so the error survives pickling (from a worker process).
        return type(self), (self.source, self.reason)


class SnapshotError(_SourcedError):
    """A file is not a snapshot: empty, binary, undecodable, or without a capture date."""


class ProfileError(_SourcedError):
    """A page profile (TOML) is missing, malformed, or has a bad pattern."""


class InputError(_SourcedError):
    """A path given by the user cannot be used (missing, no snapshots in a folder)."""


class OutputError(_SourcedError):
    """An output cannot be written: it would overwrite an input or a file diffcore did not write, or the OS refused."""


class StoreError(_SourcedError):
    """A history store cannot be used: not a diffcore store, damaged, of another schema, busy, or asked for what it lacks."""


class CollectionError(_SourcedError):
    """A collection that cannot be built or read: an engine that cannot start, a dataset folder that is not one."""


class MissingExtraError(_SourcedError):
    """A format needs an optional library that is not installed (e.g. HTML needs `diffcore[html]`)."""
