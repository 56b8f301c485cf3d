"""diffcore: what did this page say, and when did it change?

Load captures of one web page into snapshots, match their items across dates,
diff two snapshots into a change report, and build a timeline over many:

    >>> import diffcore
    >>> loaded = diffcore.load_many(["examples/archive"])        # doctest: +SKIP
    >>> report = diffcore.diff(*loaded.snapshots[:2])            # doctest: +SKIP
    >>> from diffcore.tables import items_frame                  # pandas, loaded only here
    >>> items_frame(diffcore.timeline(loaded.snapshots))         # doctest: +SKIP
"""

__version__ = "0.2.0"

from diffcore.diff import DiffOptions, apply_diff, diff
from diffcore.errors import DiffcoreError, InputError, ProfileError, SnapshotError
from diffcore.load import load, load_many, scan
from diffcore.match import MatchOptions, match_items
from diffcore.model import Item, Snapshot, SnapshotDiff, Timeline
from diffcore.parse import parse
from diffcore.profile import default_profile, load_profile
from diffcore.timeline import timeline

__all__ = [
    "DiffOptions",
    "DiffcoreError",
    "InputError",
    "Item",
    "MatchOptions",
    "ProfileError",
    "Snapshot",
    "SnapshotDiff",
    "SnapshotError",
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
    "timeline",
]
