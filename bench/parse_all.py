"""Read and parse every capture of the inputs and nothing more: the floor W2's timeline is held to.

    python -m bench.parse_all PATH...

The scan and the parser `diffcore timeline` runs, on as many cores as it
uses (runs of captures in worker processes, each sending back a count), with
no matching, folding or rendering. Prints the number of captures parsed.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from functools import partial

from diffcore._pool import ordered_map, workers_for
from diffcore.load import Entry, capture_snapshot, scan
from diffcore.profile import Profile, default_profile
from diffcore.timeline import CHUNK


def _parsed(entries: Sequence[Entry], profile: Profile) -> int:
    """In a worker: parse a run of captures, keeping nothing but how many there were."""
    for entry in entries:
        capture_snapshot(entry, profile)
    return len(entries)


def main(paths: Sequence[str]) -> int:
    """Parse every capture under `paths`; the number parsed."""
    inventory = scan(paths)
    captures = inventory.captures
    runs = [captures[start : start + CHUNK] for start in range(0, len(captures), CHUNK)]
    work = partial(_parsed, profile=default_profile())
    return sum(ordered_map(work, runs, workers_for(len(captures)), 1))


if __name__ == "__main__":
    print(main(sys.argv[1:]))
