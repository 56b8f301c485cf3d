"""diffcore: what did this page say, and when did it change?

Load captures of one web page into snapshots, match their items across dates,
diff two snapshots into a change report, and build a timeline over many:

    >>> import diffcore
    >>> loaded = diffcore.load_many(["examples/archive"])        # doctest: +SKIP
    >>> loaded.snapshots[0].capture                              # doctest: +SKIP
    >>> diffcore.load("crawl.warc.gz", at="2020-08-07")          # doctest: +SKIP
    >>> report = diffcore.diff(*loaded.snapshots[:2])            # doctest: +SKIP
    >>> from diffcore.tables import items_frame                  # pandas, loaded only here
    >>> items_frame(diffcore.timeline(loaded.snapshots))         # doctest: +SKIP

and keep a history that grows as captures are added, in one SQLite file:

    >>> with diffcore.Store("history.db") as store:              # doctest: +SKIP
    ...     store.add(["examples/archive"])
    ...     store.timeline()                                      # what diffcore.timeline gives
"""

import sys
import types
from typing import TYPE_CHECKING

from diffcore._lazy import lazy_names
from diffcore._version import __version__

if TYPE_CHECKING:
    from diffcore.diff import DiffOptions, apply_diff, diff
    from diffcore.errors import DiffcoreError, InputError, ProfileError, SnapshotError, StoreError
    from diffcore.load import load, load_many, scan, snapshot_from_payload
    from diffcore.match import MatchOptions, match_items
    from diffcore.model import Capture, Item, Snapshot, SnapshotDiff, Source, Timeline
    from diffcore.parse import parse
    from diffcore.profile import default_profile, load_profile
    from diffcore.store import Store
    from diffcore.timeline import timeline

# Each public name and the module that defines it, imported on first use, so that
# `diffcore diff` or `import diffcore.cli` loads only what the command runs.
_HOMES = {
    "DiffOptions": "diffcore.diff",
    "apply_diff": "diffcore.diff",
    "diff": "diffcore.diff",
    "DiffcoreError": "diffcore.errors",
    "InputError": "diffcore.errors",
    "ProfileError": "diffcore.errors",
    "SnapshotError": "diffcore.errors",
    "StoreError": "diffcore.errors",
    "load": "diffcore.load",
    "load_many": "diffcore.load",
    "scan": "diffcore.load",
    "snapshot_from_payload": "diffcore.load",
    "MatchOptions": "diffcore.match",
    "match_items": "diffcore.match",
    "Capture": "diffcore.model",
    "Item": "diffcore.model",
    "Snapshot": "diffcore.model",
    "SnapshotDiff": "diffcore.model",
    "Source": "diffcore.model",
    "Timeline": "diffcore.model",
    "parse": "diffcore.parse",
    "default_profile": "diffcore.profile",
    "load_profile": "diffcore.profile",
    "Store": "diffcore.store",
    "timeline": "diffcore.timeline",
}


__getattr__, __dir__ = lazy_names(__name__, _HOMES)


class _Package(types.ModuleType):
    """The package, whose functions `diff`, `load`, `parse` and `timeline` keep their names.

    Importing a submodule binds it on its package; four submodules share a name with the
    function they define, which `diffcore.diff(...)` means. The function stays bound; the
    module is still `sys.modules["diffcore.diff"]`, which `from diffcore.diff import ...` reads.
    """

    def __setattr__(self, name: str, value: object) -> None:
        if isinstance(value, types.ModuleType) and _HOMES.get(name) == value.__name__:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

__all__ = [
    "Capture",
    "DiffOptions",
    "DiffcoreError",
    "InputError",
    "Item",
    "MatchOptions",
    "ProfileError",
    "Snapshot",
    "SnapshotDiff",
    "SnapshotError",
    "Source",
    "Store",
    "StoreError",
    "Timeline",
    "__version__",
    "apply_diff",
    "default_profile",
    "diff",
    "load",
    "load_many",
    "load_profile",
    "match_items",
    "parse",
    "scan",
    "snapshot_from_payload",
    "timeline",
]
