"""diffcore: what did this page say, and when did it change?

Load captures of one web page into snapshots, match their items across dates,
diff two snapshots into a change report, and build a timeline over many.
"""

from diffcore.errors import DiffcoreError, InputError, ProfileError, SnapshotError
from diffcore.load import load, load_many
from diffcore.model import Snapshot
from diffcore.parse import parse
from diffcore.profile import default_profile, load_profile

__all__ = [
    "DiffcoreError",
    "InputError",
    "ProfileError",
    "Snapshot",
    "SnapshotError",
    "default_profile",
    "load",
    "load_many",
    "load_profile",
    "parse",
]
