"""Word alignment with a bounded cost: difflib's exact alignment up to a size, anchors past it.

difflib's SequenceMatcher (without autojunk) costs the product of the two
lengths on prose, and far more when words repeat: each longest-match search
visits every pair of equal words, so a 40,000-word article takes minutes. Up
to `WORD_BOUND` cells (2,000 x 2,000 words) the alignment is difflib's,
exactly as before. Past it, in the manner of patience diff, each stretch
loses its common first and last words, then is cut at anchors: the words
found once in each side (or, when every word repeats, the runs of 4 then 16
words found once in each), the longest increasing chain of them taken as
equal. The stretches between anchors are aligned the same way, and by difflib
once their equal word pairs make it cheap. A stretch with no anchor is
aligned window by window (its two sides cut into as many equal parts), and a
window with none word by word in place. All this draws on a budget
proportional to the length; a stretch left when it is spent (or nested too
deep) is left unaligned: all its words count as changed, so no change is ever
hidden, though some unchanged words may be shown as changed. The cost is
about linear whatever the words.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Hashable, Sequence
from difflib import SequenceMatcher

WORD_BOUND = 4_000_000
"""Largest product of two word counts aligned exactly by difflib."""
SHINGLES = (1, 4, 16)
"""Run lengths, in words, tried in turn as anchors past the bound."""
EXACT_COST = 20_000
"""Largest cost estimate (equal word pairs x the shorter side) of a stretch handed to difflib past the bound."""
WINDOW = 64
"""Words per window of a stretch with no anchor."""
BUDGET_PER_WORD = 150
"""Budget past the bound, per word of the two texts (an anchor pass over a stretch costs its length
times the run length, difflib its cost estimate)."""

MAX_DEPTH = 200
"""Deepest nesting of stretches between anchors; a stretch deeper is left unaligned."""

Block = tuple[int, int, int]
"""A run of equal words: start in the first sequence, start in the second, length."""
Opcode = tuple[str, int, int, int, int]
"""difflib's opcode: tag, then the ranges in the first and the second sequence."""


def bounded(a: Sequence[Hashable], b: Sequence[Hashable]) -> bool:
    """Whether two sequences are past `WORD_BOUND`, so aligned by anchors rather than exactly."""
    return len(a) * len(b) > WORD_BOUND


def matching_blocks(a: Sequence[str], b: Sequence[str]) -> list[Block]:
    """The runs of equal words of two word lists, in order, without difflib's final empty block."""
    if not bounded(a, b):
        return [block for block in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks() if block.size]
    aligner = _Aligner(a, b, BUDGET_PER_WORD * (len(a) + len(b)))
    aligner.align(0, len(a), 0, len(b))
    return _merged(sorted(aligner.found))


def opcodes(a: Sequence[str], b: Sequence[str]) -> list[Opcode]:
    """difflib's opcodes (equal, replace, delete, insert) from `a` to `b`, with a bounded cost."""
    if not bounded(a, b):
        return list(SequenceMatcher(None, a, b, autojunk=False).get_opcodes())
    ops: list[Opcode] = []
    i = j = 0
    for ai, bj, size in [*matching_blocks(a, b), (len(a), len(b), 0)]:
        tag = "replace" if i < ai and j < bj else "delete" if i < ai else "insert" if j < bj else ""
        if tag:
            ops.append((tag, i, ai, j, bj))
        if size:
            ops.append(("equal", ai, ai + size, bj, bj + size))
        i, j = ai + size, bj + size
    return ops


def ratio(a: Sequence[str], b: Sequence[str]) -> float:
    """difflib's ratio, 2 M / T (M equal words of T in all): difflib's own up to the bound, over `matching_blocks` past it."""
    if not bounded(a, b):
        return SequenceMatcher(None, a, b, autojunk=False).ratio()
    return 2 * sum(size for _, _, size in matching_blocks(a, b)) / (len(a) + len(b))


class _Aligner:
    """The equal runs found so far between `a` and `b`, and the budget left to find more."""

    def __init__(self, a: Sequence[str], b: Sequence[str], budget: int) -> None:
        self.a, self.b, self.budget = a, b, budget
        self.found: list[Block] = []

    def align(self, alo: int, ahi: int, blo: int, bhi: int, depth: int = 0) -> None:
        """Add the equal runs of a[alo:ahi] and b[blo:bhi]: common ends, then difflib, anchors or windows."""
        a, b = self.a, self.b
        start = alo
        while alo < ahi and blo < bhi and a[alo] == b[blo]:
            alo, blo = alo + 1, blo + 1
        if alo > start:
            self.found.append((start, blo - (alo - start), alo - start))
        end = ahi
        while alo < ahi and blo < bhi and a[ahi - 1] == b[bhi - 1]:
            ahi, bhi = ahi - 1, bhi - 1
        if ahi < end:
            self.found.append((ahi, bhi, end - ahi))
        if alo == ahi or blo == bhi:
            return
        if self._exact(alo, ahi, blo, bhi) or depth == MAX_DEPTH:
            return
        for size in SHINGLES:
            self.budget -= size * (ahi - alo + bhi - blo)
            if self.budget < 0:
                return  # spent: left unaligned, every word shown as changed
            anchors = _anchors(a, b, alo, ahi, blo, bhi, size)
            if anchors:
                i, j = alo, blo
                for ai, bj in anchors:
                    self.align(i, ai, j, bj, depth + 1)
                    self.found.append((ai, bj, size))
                    i, j = ai + size, bj + size
                self.align(i, ahi, j, bhi, depth + 1)
                return
        windows = -(-max(ahi - alo, bhi - blo) // WINDOW)
        if windows > 1:
            for w in range(windows):
                self.align(
                    alo + (ahi - alo) * w // windows,
                    alo + (ahi - alo) * (w + 1) // windows,
                    blo + (bhi - blo) * w // windows,
                    blo + (bhi - blo) * (w + 1) // windows,
                    depth + 1,
                )
            return
        self.found += [(alo + t, blo + t, 1) for t in range(min(ahi - alo, bhi - blo)) if a[alo + t] == b[blo + t]]

    def _exact(self, alo: int, ahi: int, blo: int, bhi: int) -> bool:
        """Align a stretch by difflib if its cost estimate is small and within the budget; whether it was."""
        if (ahi - alo) * (bhi - blo) > WORD_BOUND:
            return False
        in_b = Counter(self.b[blo:bhi])
        pairs = sum(in_b[word] for word in self.a[alo:ahi])
        cost = ahi - alo + bhi - blo + pairs * min(ahi - alo, bhi - blo)
        if cost > EXACT_COST or cost > self.budget:
            return False
        self.budget -= cost
        matcher = SequenceMatcher(None, self.a[alo:ahi], self.b[blo:bhi], autojunk=False)
        self.found += [(alo + i, blo + j, size) for i, j, size in matcher.get_matching_blocks() if size]
        return True


def _anchors(
    a: Sequence[str], b: Sequence[str], alo: int, ahi: int, blo: int, bhi: int, size: int
) -> list[tuple[int, int]]:
    """Where runs of `size` words found once in a[alo:ahi] and once in b[blo:bhi] start, the longest
    chain of them in order in both, none overlapping the one before."""

    def once(words: Sequence[str], lo: int, hi: int) -> dict[tuple[str, ...], int]:
        runs = [tuple(words[x : x + size]) for x in range(lo, hi - size + 1)]
        counts = Counter(runs)
        return {run: lo + x for x, run in enumerate(runs) if counts[run] == 1}

    in_a, in_b = once(a, alo, ahi), once(b, blo, bhi)
    pairs = sorted((i, in_b[run]) for run, i in in_a.items() if run in in_b)
    chain: list[tuple[int, int]] = []
    for i, j in _longest_chain(pairs):
        if not chain or (i >= chain[-1][0] + size and j >= chain[-1][1] + size):
            chain.append((i, j))
    return chain


def _longest_chain(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of `pairs` (sorted by their first value) whose second values increase, by patience sorting."""
    tops: list[int] = []  # the smallest last second value of a chain of each length
    ends: list[int] = []  # the index in pairs of that chain's last pair
    before: list[int] = []  # each pair's predecessor in its chain, -1 for none
    for index, (_, j) in enumerate(pairs):
        length = bisect_left(tops, j)
        if length == len(tops):
            tops.append(j)
            ends.append(index)
        else:
            tops[length], ends[length] = j, index
        before.append(ends[length - 1] if length else -1)
    chain = []
    index = ends[-1] if ends else -1
    while index >= 0:
        chain.append(pairs[index])
        index = before[index]
    return chain[::-1]


def _merged(blocks: list[Block]) -> list[Block]:
    """Sorted blocks with adjacent ones joined, as difflib returns them."""
    merged: list[Block] = []
    for i, j, size in blocks:
        if merged and merged[-1][0] + merged[-1][2] == i and merged[-1][1] + merged[-1][2] == j:
            merged[-1] = (merged[-1][0], merged[-1][1], merged[-1][2] + size)
        else:
            merged.append((i, j, size))
    return merged
