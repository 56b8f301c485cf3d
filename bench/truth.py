"""Score what a tool reported against the generator's recorded truth.

A tool reports edits as (old position, new position) pairs: the two rows it
presents as one item changed. It reports moves the same way. Positions are
turned into true identities; an edit is found when the pair links the old and
new version of an item the truth says was edited, and false otherwise (two
different items, or an item that did not change). Moves likewise against the
true moves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bench.archives import PairCase


@dataclass(frozen=True)
class Found:
    """What a tool reported, as item positions in the old and the new capture.

    `items` is False for a tool with no notion of items (a line diff), and
    `moves_known` False for one that cannot report a move.
    """

    edits: tuple[tuple[int, int], ...] = ()
    moves: tuple[tuple[int, int], ...] = ()
    items: bool = True
    moves_known: bool = True


@dataclass(frozen=True)
class Score:
    """Edits and moves found, against the truth."""

    edits_found: int
    true_edits: int
    false_edits: int
    moves_found: int
    true_moves: int
    false_moves: int
    items: bool
    moves_known: bool

    @property
    def exact(self) -> bool:
        """Every true edit and move found, and nothing false."""
        return (
            self.items
            and self.moves_known
            and self.edits_found == self.true_edits
            and self.moves_found == self.true_moves
            and not self.false_edits
            and not self.false_moves
        )


def _split(pairs: Iterable[tuple[int, int]], case: PairCase, truly: set[str]) -> tuple[int, int]:
    """(distinct true identities linked, pairs that link anything else)."""
    found: set[str] = set()
    false = 0
    for old, new in pairs:
        identity = case.old_identity(old)
        if identity == case.new_identity(new) and identity in truly:
            found.add(identity)
        else:
            false += 1
    return len(found), false


def score(found: Found, case: PairCase) -> Score:
    """How many true edits and moves a tool's report recovers, and how many it invents."""
    edited = {edit.identity for edit in case.change.edited}
    moved = {move.identity for move in case.change.moved}
    edits_found, false_edits = _split(found.edits, case, edited)
    moves_found, false_moves = _split(found.moves, case, moved)
    return Score(
        edits_found, len(edited), false_edits, moves_found, len(moved), false_moves, found.items, found.moves_known
    )
