"""Pair the items of two captures: exact keys first, then edits by evidence.

Exact: the same id (normalised published date + title) is the same item.
Several items with one date and title (ids "X", "X~2", ...) are told apart by
their text, not by the order suffix, which shifts when one of them comes or
goes: identical texts pair first, the rest pair as edits by evidence.
Edits: among what is left, an old and a new item are paired when their text is
clearly similar and either the published date agrees (`threshold`) or the text
is near-identical and only the date was corrected (`redated_threshold`). When
both items have a summary, each part must tell the same story: the summaries
similar on their own (`threshold`), and the title or the summary nearly
unchanged (`anchor_threshold`). A title formula many items share ("Director's
remarks and answers to questions at ...") is no evidence that two of them are
one item, nor is a summary formula ("A talk about ...").

A corrected date must be a plausible correction: a shift of a few days
(`redated_days`), or one typo (the month, the year by one, day and month
swapped); two alike items years apart are two items, however alike their
formulas read.

Fuzzy pairing never scores every pair. An old item's candidates are the new
items of its published date (while few carry it) and those sharing the most of
its rarest tokens (words and pairs of adjacent words few unmatched items use);
the candidates are verified with difflib, and pairs are taken best first,
globally.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from itertools import chain, pairwise
from operator import attrgetter
from typing import Any, NamedTuple

from diffcore._gc import paused
from diffcore.align import ratio
from diffcore.identity import base_id
from diffcore.model import Item
from diffcore.model.pickling import ByFields
from diffcore.normalise import clean, key_words


@dataclass(frozen=True)
class MatchOptions:
    """Thresholds of the fuzzy pairing (similarities are difflib ratios, 0 to 1)."""

    threshold: float = 0.6
    """Least similarity of title + summary to pair items with the same published date."""
    redated_threshold: float = 0.85
    """Least similarity to pair items whose published date differs (a corrected date)."""
    redated_days: int = 31
    """A corrected date lies at most this many days away, unless it fixes one typo (see `plausible_correction`)."""
    anchor_threshold: float = 0.85
    """When both items have a summary: least similarity of the part (title or summary) that stayed the same."""
    rare_word_limit: int = 24
    """A word (or pair of words) used by more unmatched items than this is too common to block on."""
    date_block_limit: int = 24
    """An old item's candidates include every new one of its date, unless more than this many carry it."""
    probe_words: int = 12
    """How many of an old item's rarest tokens are looked up to find its candidates."""
    candidates_per_item: int = 8
    """How many best-sharing candidates of each old item are looked at."""
    screen_margin: float = 0.2
    """How far below the threshold a word-set overlap may be and still be scored by difflib."""


class Pair(NamedTuple):
    """An old item (index into the old list) paired with a new one.

    A named tuple, not a dataclass: a timeline makes one for every item of every capture, and a tuple is made
    several times faster.
    """

    old: int
    new: int
    similarity: float
    exact: bool


@dataclass(frozen=True)
class Matching(ByFields):
    """The result of matching two item lists; indexes refer to the input sequences."""

    pairs: tuple[Pair, ...]
    unmatched_old: tuple[int, ...]
    unmatched_new: tuple[int, ...]


def item_words(item: Item) -> list[str]:
    """The matching words of an item: title then summary, normalised."""
    return key_words(item.title) + key_words(item.summary_text)


def similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """difflib's ratio of two word sequences (1.0 for two empty ones).

    difflib's ratio can differ slightly with the argument order; taking the
    sequences in a fixed order makes the score symmetric, so diff(a, b) and
    diff(b, a) pair the same items. Past `align.WORD_BOUND` (texts of
    thousands of words) the ratio is taken over a chunked alignment, at a
    cost about linear in the length (see diffcore.align).
    """
    if a == b:
        return 1.0  # what difflib gives, without aligning
    first, second = (a, b) if list(a) <= list(b) else (b, a)
    return ratio(first, second)


def _screen(a: AbstractSet[Hashable], b: AbstractSet[Hashable]) -> float:
    """Dice coefficient of two word sets: a cheap first look before difflib's ratio."""
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 1.0


def _parts_agree(
    old_title: list[str], old_summary: list[str], new_title: list[str], new_summary: list[str], options: MatchOptions
) -> bool:
    """Whether the parts (title words, summary words) of two items may be one item edited.

    Without a summary on both sides the whole-text score says it all. With
    them, the summaries must be similar on their own, and one part, title or
    summary, nearly unchanged: two parts both rewritten make another item.
    """
    if not old_summary or not new_summary:
        return True
    summary = similarity(old_summary, new_summary)
    if summary < options.threshold:
        return False
    return summary >= options.anchor_threshold or similarity(old_title, new_title) >= options.anchor_threshold


def same_date(a: Item, b: Item) -> bool:
    """Whether two items carry the same published date (as printed, when it is not a real date)."""
    if a.published is None or b.published is None:
        return a.published is None and b.published is None and a.published_text == b.published_text
    return a.published == b.published


@paused()
def match_items(
    old: Sequence[Item],
    new: Sequence[Item],
    options: MatchOptions | None = None,
    words: Callable[[Item], Words] | None = None,
) -> Matching:
    """Pair two item lists: exact ids, then fuzzy edits, best pairs first.

    `words` gives an item's matching words (`words_of`, or a caller's memory of them).
    """
    options = options or MatchOptions()
    old_groups = base_groups(old)
    pairs: list[Pair] = []
    for base, new_indexes in base_groups(new).items():
        old_indexes = old_groups.get(base, [])
        if len(old_indexes) == 1 and len(new_indexes) == 1:
            pairs.append(Pair(old_indexes[0], new_indexes[0], 1.0, True))
        elif old_indexes:
            pairs += [Pair(i, j, 1.0, True) for i, j in same_texts(old, old_indexes, new, new_indexes)]
    taken_old = {pair.old for pair in pairs}
    taken_new = {pair.new for pair in pairs}
    left_old = [index for index in range(len(old)) if index not in taken_old]
    left_new = [index for index in range(len(new)) if index not in taken_new]
    fuzzy = _fuzzy_pairs([old[i] for i in left_old], [new[j] for j in left_new], options, words or words_of)
    for a, b, score in fuzzy:
        pairs.append(Pair(left_old[a], left_new[b], score, False))
    paired_old = {pair.old for pair in pairs}
    paired_new = {pair.new for pair in pairs}
    pairs.sort(key=_new_index)
    return Matching(
        pairs=tuple(pairs),
        unmatched_old=tuple(i for i in range(len(old)) if i not in paired_old),
        unmatched_new=tuple(j for j in range(len(new)) if j not in paired_new),
    )


_new_index = attrgetter("new")


def base_groups(items: Sequence[Item]) -> dict[str, list[int]]:
    """Item indexes by id without the parser's "~2" suffix (one date and title), in page order."""
    groups: dict[str, list[int]] = defaultdict(list)
    for index, item in enumerate(items):
        groups[base_id(item.id)].append(index)
    return groups


def same_texts(
    old: Sequence[Item], old_indexes: list[int], new: Sequence[Item], new_indexes: list[int]
) -> list[tuple[int, int]]:
    """Pairs of items with one date and title whose texts read the same, k-th with k-th."""

    def text(item: Item) -> tuple[str, str, tuple[str, ...]]:
        return item.published_text, clean(item.title), tuple(clean(p) for p in item.summary)

    waiting: dict[tuple[str, str, tuple[str, ...]], list[int]] = defaultdict(list)
    for i in old_indexes:
        waiting[text(old[i])].append(i)
    pairs = []
    for j in new_indexes:
        same = waiting.get(text(new[j]))
        if same:
            pairs.append((same.pop(0), j))
    return pairs


def date_key(item: Item) -> str:
    """Items with equal keys carry the same published date (see `same_date`)."""
    return item.published.isoformat() if item.published is not None else "?" + item.published_text


def plausible_correction(a: Item, b: Item, options: MatchOptions) -> bool:
    """Whether `b`'s published date could be `a`'s corrected.

    A correction shifts the date by a few days (`redated_days`), or fixes one
    typo: the month, the year by one (last year's number in January), or day
    and month swapped. Unknown dates are not judged.
    """
    if a.published is None or b.published is None:
        return True
    x, y = a.published, b.published
    if abs((x - y).days) <= options.redated_days:
        return True
    if x.day == y.day:
        return x.year == y.year or (x.month == y.month and abs(x.year - y.year) == 1)
    return x.year == y.year and (x.day, x.month) == (y.month, y.day)


Token = tuple[str, ...]


def blocking_tokens(words: list[str]) -> frozenset[Token]:
    """The blocking tokens of an item: its pairs of adjacent words (its word, if only one).

    A pair of words is far rarer than either word on a page whose items share a
    small vocabulary, and an edit of a word or two leaves most pairs intact. (A
    pair is never more common than its words, so words would add no rarer probe.)
    Pairs stay tuples: hashing them reuses the words' hashes, with no string built.
    """
    return frozenset(pairwise(words)) if len(words) > 1 else frozenset((word,) for word in words)


def _candidates(
    old: list[Item], new: list[Item], old_words: list[list[str]], new_words: list[list[str]], options: MatchOptions
) -> list[list[int]]:
    """For each old item, the new items worth scoring, as ascending indexes.

    With a handful of new items, all of them. Otherwise the new items of its
    published date (while few carry it) and those sharing the most of its
    rarest tokens: never every pair.
    """
    if len(new) <= options.candidates_per_item:
        return [list(range(len(new)))] * len(old)
    old_tokens = [blocking_tokens(words) for words in old_words]
    new_tokens = [blocking_tokens(words) for words in new_words]
    usage = Counter(chain.from_iterable((*old_tokens, *new_tokens)))
    rare = {token for token, count in usage.items() if count <= options.rare_word_limit}
    postings: dict[Token, list[int]] = defaultdict(list)
    for j, tokens in enumerate(new_tokens):
        for token in tokens & rare:
            postings[token].append(j)
    dated: dict[str, list[int]] = defaultdict(list)
    for j, item in enumerate(new):
        dated[date_key(item)].append(j)
    found = []
    for item, tokens in zip(old, old_tokens, strict=True):
        shared: dict[int, int] = defaultdict(int)
        # The rarest tokens, ties by token; then the candidates sharing most, ties by index
        # (sorting twice with a stable sort orders by the second key, then the first).
        present = sorted(token for token in tokens if token in postings)
        probes = sorted(present, key=usage.__getitem__)[: options.probe_words]
        for token in probes:
            for j in postings[token]:
                shared[j] += 1
        candidates = set(sorted(sorted(shared), key=shared.__getitem__, reverse=True)[: options.candidates_per_item])
        block = dated.get(date_key(item), ())
        if len(block) <= options.date_block_limit:
            candidates.update(block)
        found.append(sorted(candidates))
    return found


@dataclass(frozen=True, slots=True)
class Words:
    """The matching words of an item: title and summary apart, then together, and as a set."""

    title: list[str]
    summary: list[str]
    words: list[str]
    distinct: frozenset[str]


def words_of(item: Item) -> Words:
    """An item's `Words` (the words `item_words` gives, with their parts)."""
    title, summary = key_words(item.title), key_words(item.summary_text)
    words = title + summary
    return Words(title, summary, words, frozenset(words))


def required(old: Item, new: Item, options: MatchOptions) -> float | None:
    """The similarity an old and a new item need to pair, by their dates: None when their dates rule it out.

    The same published date needs `threshold`, a plausible correction of it
    `redated_threshold`; any other date rules the pair out.
    """
    if same_date(old, new):
        return options.threshold
    if plausible_correction(old, new, options):
        return options.redated_threshold
    return None


def verified(a: Words, b: Words, needed: float, options: MatchOptions) -> float | None:
    """The similarity of two items' words when it reaches `needed` and their parts agree, else None."""
    found = similarity(a.words, b.words)
    if found >= needed and _parts_agree(a.title, a.summary, b.title, b.summary, options):
        return found
    return None


def score(old: Item, new: Item, a: Words, b: Words, options: MatchOptions) -> float | None:
    """The similarity of an old and a new item when they may pair as one item edited, else None.

    What their dates require (`required`), after a cheap word-set overlap
    screens out pairs far from it before difflib (`screened`).
    """
    needed = required(old, new, options)
    if needed is None or not screened(a.distinct, b.distinct, needed, options):
        return None
    return verified(a, b, needed, options)


def screened(a: AbstractSet[Hashable], b: AbstractSet[Hashable], needed: float, options: MatchOptions) -> bool:
    """Whether two word sets overlap enough to be worth difflib's look (`screen_margin` below `needed`)."""
    return _screen(a, b) >= needed - options.screen_margin


def best_first(scored: list[tuple[float, Any, int]]) -> list[tuple[Any, int, float]]:
    """Pairs (old, new, similarity) taken best first, each old and new once; ties by old, then new.

    `scored` holds (similarity, old, new): old is anything sortable and
    hashable (an index), new an index.
    """
    scored.sort(key=lambda entry: (-entry[0], entry[1], entry[2]))
    used_old: set[Any] = set()
    used_new: set[int] = set()
    chosen = []
    for found, i, j in scored:
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            chosen.append((i, j, found))
    return chosen


def _fuzzy_pairs(
    old: list[Item], new: list[Item], options: MatchOptions, words: Callable[[Item], Words]
) -> list[tuple[int, int, float]]:
    """Edited pairs among unmatched items, as (old index, new index, similarity)."""
    if not old or not new:
        return []
    old_words = [words(item) for item in old]
    new_words = [words(item) for item in new]
    scored: list[tuple[float, Any, int]] = []
    candidates = _candidates(old, new, [w.words for w in old_words], [w.words for w in new_words], options)
    for i, found in enumerate(candidates):
        for j in found:
            value = score(old[i], new[j], old_words[i], new_words[j], options)
            if value is not None:
                scored.append((value, i, j))
    return best_first(scored)
