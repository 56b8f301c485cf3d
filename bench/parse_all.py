"""Read and parse every capture of the inputs and nothing more: the floor W2's timeline and W9's collections are
held to.

    python -m bench.parse_all PATH...
    python -m bench.parse_all --pages PATH...

The scan and the parser `diffcore timeline` runs, on as many cores as it
uses (runs of captures in worker processes, each sending back a count), with
no matching, folding or rendering. With `--pages`, what `diffcore collection
build` reads: the inputs grouped by page (`group_pages`), then each page's
captures read, dated and parsed in a worker process, a page a task, with no
matching, folding or tables. Prints the number of captures parsed.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from functools import partial

from diffcore._pool import cores, ordered_map, workers_for
from diffcore.collection.grouping import PageInputs
from diffcore.load import Entry, capture_snapshot, scan
from diffcore.profile import Profile, default_profile
from diffcore.timeline import CHUNK


def _parsed(entries: Sequence[Entry], profile: Profile) -> int:
    """In a worker: parse a run of captures, keeping nothing but how many there were."""
    for entry in entries:
        capture_snapshot(entry, profile)
    return len(entries)


def _page_parsed(page: PageInputs, profile: Profile) -> int:
    """In a worker: read, date and parse a page's captures as `collection build` does, keeping only their number
    (none for a page that holds no usable capture, which the build lists as the page's error)."""
    from diffcore.errors import DiffcoreError
    from diffcore.load import inventory_of

    try:
        inventory = inventory_of(page.found, page.name, profile, workers=1, keep_text=True)
    except DiffcoreError:
        return 0
    return _parsed(inventory.captures, profile)


def main(paths: Sequence[str]) -> int:
    """Parse every capture under `paths`; the number parsed."""
    inventory = scan(paths)
    captures = inventory.captures
    runs = [captures[start : start + CHUNK] for start in range(0, len(captures), CHUNK)]
    work = partial(_parsed, profile=default_profile())
    return sum(ordered_map(work, runs, workers_for(len(captures)), 1))


def pages(paths: Sequence[str]) -> int:
    """Group the inputs by page and parse every page's captures on every core; the number parsed."""
    from diffcore.collection.grouping import group_pages

    grouped = group_pages(paths)
    work = partial(_page_parsed, profile=default_profile())
    return sum(ordered_map(work, grouped.pages, cores(), 1, 2))


if __name__ == "__main__":
    arguments = sys.argv[1:]
    print(pages(arguments[1:]) if arguments[:1] == ["--pages"] else main(arguments))
