"""Item ids: the one rule for naming an item, its repeats on a page, and its returns over time.

An id is the published date (ISO, or as printed when the date does not exist)
and a short hash of the normalised title: `2020-08-04-1f3a9c2e`. The same date
and title a second time on one page gets `~2`, a third time `~3`. In a
timeline, a new item that takes an id an earlier identity already holds gets
`~r2`, `~r3`. Matching and the lead search compare ids without these suffixes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Container
from functools import lru_cache

from diffcore.normalise import key

SUFFIX = "~"


@lru_cache(maxsize=1 << 16)
def title_digest(title: str) -> str:
    """The short hash of a title's matching key that ends an item id.

    Cached: a page's titles recur in every capture of a timeline.
    """
    return hashlib.blake2b(key(title).encode("utf-8"), digest_size=4).hexdigest()


def item_id(published_text: str, title: str) -> str:
    """A stable item id from its published date (ISO or as printed) and title."""
    return f"{published_text}-{title_digest(title)}"


UNDATED = "undated"
"""What an item id starts with when the item shows no date and no link."""


def link_id(link: str) -> str:
    """The id of an item known by its link (a feed entry's guid or link): `link-` and a short hash."""
    return f"link-{hashlib.blake2b(link.strip().encode('utf-8', 'surrogatepass'), digest_size=6).hexdigest()}"


def repeat_id(base: str, count: int) -> str:
    """The id of the `count`-th item of one page with the same base id (1 keeps the base)."""
    return base if count == 1 else f"{base}{SUFFIX}{count}"


def base_id(identifier: str) -> str:
    """An id without its repeat or return suffix: what one date and title share."""
    return identifier.partition(SUFFIX)[0]


def fresh_identity(base: str, taken: Container[str]) -> str:
    """A timeline identity for a new item: its id, or `~r2`, `~r3`... when an earlier identity holds it."""
    identity, number = base, 1
    while identity in taken:
        number += 1
        identity = f"{base}{SUFFIX}r{number}"
    return identity
