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

from diffcore._version import __version__
from diffcore.diff import DiffOptions, apply_diff, diff
from diffcore.errors import DiffcoreError, InputError, ProfileError, SnapshotError, StoreError
from diffcore.load import load, load_many, scan, snapshot_from_payload
from diffcore.match import MatchOptions, match_items
from diffcore.model import Capture, Item, Snapshot, SnapshotDiff, Source, Timeline
from diffcore.parse import parse
from diffcore.profile import default_profile, load_profile
from diffcore.store import Store
from diffcore.timeline import timeline

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
