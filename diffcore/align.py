"""Word alignment with a bounded cost: difflib's exact alignment up to a size, chunks past it.

difflib's SequenceMatcher (without autojunk) costs the product of the two
lengths on prose, whose common words occur everywhere: a 40,000-word article
takes minutes. Up to `WORD_BOUND` cells (2,000 x 2,000 words) the alignment
is difflib's, exactly as before. Past it, the words are cut into chunks at
content-defined boundaries (after the words whose checksum is 0 modulo the
chunk size), so an edit changes only the chunks around it; difflib aligns the
chunks, whose tuples are nearly all distinct, and each stretch between
aligned chunks is aligned again with smaller chunks, down to single words
while it is under the bound. A stretch still too large is left unaligned:
all its words count as changed, so no change is ever hidden, though some
unchanged words may be shown as changed. The cost is about linear.
"""

from __future__ import annotations

import zlib
from collections.abc import Hashable, Sequence
from difflib import SequenceMatcher

WORD_BOUND = 4_000_000
"""Largest product of two word counts aligned exactly by difflib."""
CHUNK_SIZES = (64, 16, 4)
"""Mean chunk sizes, in words, of the successive rounds past the bound."""

Block = tuple[int, int, int]
"""A run of equal words: start in the first sequence, start in the second, length."""
Opcode = tuple[str, int, int, int, int]
"""difflib's opcode: tag, then the ranges in the first and the second sequence."""


def bounded(a: Sequence[Hashable], b: Sequence[Hashable]) -> bool:
    """Whether two sequences are past `WORD_BOUND`, so aligned by chunks rather than exactly."""
    return len(a) * len(b) > WORD_BOUND


def matching_blocks(a: Sequence[str], b: Sequence[str]) -> list[Block]:
    """The runs of equal words of two word lists, in order, without difflib's final empty block."""
    if not bounded(a, b):
        return [block for block in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks() if block.size]
    found: list[Block] = []
    _chunked(a, b, 0, len(a), 0, len(b), 0, found)
    found.sort()
    return _merged(found)


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


def _chunked(
    a: Sequence[str], b: Sequence[str], alo: int, ahi: int, blo: int, bhi: int, round_: int, found: list[Block]
) -> None:
    """Add the equal runs of a[alo:ahi] and b[blo:bhi]: common ends, then chunks, then the stretches between."""
    start = alo
    while alo < ahi and blo < bhi and a[alo] == b[blo]:
        alo, blo = alo + 1, blo + 1
    if alo > start:
        found.append((start, blo - (alo - start), alo - start))
    end = ahi
    while alo < ahi and blo < bhi and a[ahi - 1] == b[bhi - 1]:
        ahi, bhi = ahi - 1, bhi - 1
    if ahi < end:
        found.append((ahi, bhi, end - ahi))
    if alo == ahi or blo == bhi:
        return
    if (ahi - alo) * (bhi - blo) <= WORD_BOUND:
        found += [
            (alo + i, blo + j, size)
            for i, j, size in SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False).get_matching_blocks()
            if size
        ]
        return
    if round_ == len(CHUNK_SIZES):
        return  # too large and no smaller chunks left: left unaligned, every word shown as changed
    size = CHUNK_SIZES[round_]
    a_starts, b_starts = _cuts(a, alo, ahi, size), _cuts(b, blo, bhi, size)
    a_ends, b_ends = [*a_starts, ahi], [*b_starts, bhi]
    a_chunks = [tuple(a[x:y]) for x, y in zip(a_starts, a_ends[1:], strict=True)]
    b_chunks = [tuple(b[x:y]) for x, y in zip(b_starts, b_ends[1:], strict=True)]
    i, j = alo, blo
    for ci, cj, count in SequenceMatcher(None, a_chunks, b_chunks, autojunk=False).get_matching_blocks():
        ai, bj = a_ends[ci], b_ends[cj]
        _chunked(a, b, i, ai, j, bj, round_ + 1, found)
        if count:
            i, j = a_ends[ci + count], b_ends[cj + count]
            found.append((ai, bj, i - ai))


def _cuts(words: Sequence[str], lo: int, hi: int, size: int) -> list[int]:
    """Where the chunks of words[lo:hi] start: at lo, and after each word whose checksum is 0 modulo `size`."""
    starts = [lo]
    for index in range(lo, hi - 1):
        if zlib.crc32(words[index].encode("utf-8")) % size == 0:
            starts.append(index + 1)
    return starts


def _merged(blocks: list[Block]) -> list[Block]:
    """Sorted blocks with adjacent ones joined, as difflib returns them."""
    merged: list[Block] = []
    for i, j, size in blocks:
        if merged and merged[-1][0] + merged[-1][2] == i and merged[-1][1] + merged[-1][2] == j:
            merged[-1] = (merged[-1][0], merged[-1][1], merged[-1][2] + size)
        else:
            merged.append((i, j, size))
    return merged
