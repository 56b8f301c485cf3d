"""Items away from the page, kept so that pairing those that come back costs what a capture changed.

A timeline gives each new item of a capture that the capture before did not
hold the identity of an earlier item, absent since, when they pair: the new
items against every absent item of their published dates, as
`match.match_items` pairs two captures. Held as one list, that pool was read
whole at every capture, so a page whose items share a date (or show none)
made the timeline quadratic in its captures.

`AbsentPool` keeps the absent items in buckets by published date. A bucket
of more than `INDEX_FROM` items also keeps an index, updated as items leave
and return: each item's words as integer ids, its base id (exact matching),
its blocking tokens with their counts (so the rare tokens a new item shares
lead straight to the absent items holding them), and the prefix of its words
in one fixed order (prefix filtering: an absent item similar enough to a new
one shares a word of both their prefixes, so the search reads only the items
that share one of the new item's rarer words). Each part is built when a
capture first needs it, then kept up to date. A smaller bucket is read
whole, as before, at a cost bounded by its size.

`AbsentPool.match` gives exactly the pairs `match_items(pool, new)` gives,
the pool listed by published date, then in the order its items left: the
same exact pairs, the same candidates, scores and best-first choice. Only
how the candidates are found differs, never which ones are scored.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, pairwise
from typing import TypeVar

from diffcore._gc import paused
from diffcore.identity import base_id
from diffcore.match import (
    MatchOptions,
    Token,
    Words,
    base_groups,
    best_first,
    blocking_tokens,
    date_key,
    required,
    same_texts,
    screened,
    verified,
    words_of,
)
from diffcore.model import Item
from diffcore.normalise import key_words

INDEX_FROM = 32
"""A bucket of more absent items than this keeps an index; a smaller one is read whole when asked."""
SMALL_POSTING = 16
"""A posting of more records than this becomes an ordered set, so a record leaves it at once."""


@dataclass(eq=False, slots=True)
class Absent:
    """An item away from the page: what matching reads of it, and where it stands in the pool.

    The dates and title are its identity's (as last seen), the id, summary
    and link its item's; `order` is when it left (later is larger), which
    orders a bucket as the old pool did.
    `words` are its matching words as ids, kept while its bucket is indexed.
    """

    identity: str
    item_id: str
    published: dt.date | None
    published_text: str
    title: str
    summary: tuple[str, ...]
    order: int
    date_key: str
    """`match.date_key` of its item: equal keys, the same published date."""
    link: str | None = None
    """Its item's link: an item that comes back with the same one is not edited."""
    words: tuple[int, ...] | None = None
    title_words: int = 0

    def item(self) -> Item:
        """The absent item as last seen (its place and lines on the page matter neither to matching nor to edits)."""
        return Item(
            self.item_id,
            self.published,
            self.published_text,
            self.title,
            self.summary,
            position=0,
            lines=(),
            link=self.link,
        )

    @property
    def rank(self) -> tuple[str, int]:
        """Its place in the pool: published date as printed, then when it left."""
        return self.published_text, self.order


class _Vocabulary:
    """Words as integer ids, in the order first indexed: an id is never reused or changed."""

    __slots__ = ("ids", "words")

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.words: list[str] = []

    def encode(self, words: Iterable[str]) -> tuple[int, ...]:
        ids = self.ids
        out = []
        for word in words:
            number = ids.get(word)
            if number is None:
                number = ids[word] = len(self.words)
                self.words.append(word)
            out.append(number)
        return tuple(out)

    def decode(self, numbers: Iterable[int]) -> list[str]:
        words = self.words
        return [words[number] for number in numbers]

    def token(self, token: Token) -> int | None:
        """A blocking token's id (see `_token_ids`), None when a word of it was never indexed."""
        first = self.ids.get(token[0])
        if first is None:
            return None
        if len(token) == 1:
            return first
        second = self.ids.get(token[1])
        return None if second is None else (first + 1) * _PAIR + second


_PAIR = 1 << 32
"""Token ids: a pair of word ids (a, b) is (a + 1) * _PAIR + b; a lone word its own id."""
_TAG = 1 << 32
"""Prefix tags: the k-th repeat of word id w is (_TAG - w) * _TAG + k, so tags sort newest word first."""


def _token_ids(words: tuple[int, ...]) -> set[int]:
    """The ids of `blocking_tokens`: the item's pairs of adjacent words (its word, if only one)."""
    if len(words) > 1:
        return {(a + 1) * _PAIR + b for a, b in pairwise(words)}
    return set(words)


def _tags(words: Iterable[int]) -> list[int]:
    """The words as a multiset in prefix order: each repeat its own tag, newer words (likely rarer) first."""
    repeats: dict[int, int] = {}
    tags = []
    for word in words:
        repeat = repeats.get(word, 0)
        repeats[word] = repeat + 1
        tags.append((_TAG - word) * _TAG + repeat)
    tags.sort()
    return tags


def least_overlap(length: int, needed: float) -> int:
    """The fewest words (repeats counted) an item of `length` words shares with any item it is `needed` similar to.

    difflib's ratio is 2 M / (a + b), and its M matched words are words both
    share (a multiset overlap o >= M, o <= a). A ratio of at least `needed`
    then asks o >= needed * length / (2 - needed), whatever the other length.
    Rounded down a little, so float error never makes the bound too strict.
    """
    if not length:
        return 0
    return max(1, math.ceil(needed * length / (2 - needed) - 1e-6))


def _prefix(length: int, needed: float) -> int:
    """How many tags of an item's prefix must be looked at (or indexed) to find every item `needed` similar."""
    return length - least_overlap(length, needed) + 1


Posting = Absent | list[Absent] | dict[Absent, None]
"""The records of one key: one record, a list of a few, past `SMALL_POSTING` an ordered set (removal at once)."""
Key = TypeVar("Key", int, str)
"""A posting's key: a token or prefix tag (an integer), or an id without its suffix."""


def _post(postings: dict[Key, Posting], key: Key, record: Absent) -> None:
    held = postings.get(key)
    if held is None:
        postings[key] = record
    elif isinstance(held, Absent):
        postings[key] = [held, record]
    elif isinstance(held, list):
        held.append(record)
        if len(held) > SMALL_POSTING:
            postings[key] = dict.fromkeys(held)
    else:
        held[record] = None


def _unpost(postings: dict[Key, Posting], key: Key, record: Absent) -> None:
    held = postings[key]
    if isinstance(held, Absent):
        del postings[key]
    elif isinstance(held, list):
        held.remove(record)
        if len(held) == 1:
            postings[key] = held[0]
    else:
        del held[record]
        if not held:
            del postings[key]


def _posted(postings: dict[Key, Posting], key: Key) -> Collection[Absent]:
    held = postings.get(key)
    if held is None:
        return ()
    return (held,) if isinstance(held, Absent) else held


def _count(postings: dict[Key, Posting], key: Key) -> int:
    held = postings.get(key)
    if held is None:
        return 0
    return 1 if isinstance(held, Absent) else len(held)


class _Index:
    """The index of one bucket (see the module's docstring).

    Its parts are built when first asked for (a page whose captures never
    ask for one never pays for it), then kept up to date as records come and go.
    """

    __slots__ = ("bases", "empty", "needed", "prefixes", "records", "tokens", "vocabulary")

    def __init__(self, records: dict[str, Absent], vocabulary: _Vocabulary, needed: float) -> None:
        self.records = records
        self.vocabulary = vocabulary
        self.needed = needed
        self.bases: dict[str, Posting] = {}
        self.tokens: dict[int, Posting] | None = None
        self.prefixes: dict[int, Posting] | None = None
        self.empty: dict[Absent, None] = {}
        for record in records.values():
            self.add(record)

    def _words(self, record: Absent) -> tuple[int, ...]:
        if record.words is None:
            title, summary = key_words(record.title), key_words("\n".join(record.summary))
            record.words = self.vocabulary.encode(title + summary)
            record.title_words = len(title)
        return record.words

    def add(self, record: Absent) -> None:
        _post(self.bases, base_id(record.item_id), record)
        if self.tokens is not None:
            self._post_tokens(record)
        if self.prefixes is not None:
            self._post_prefix(record)

    def _post_tokens(self, record: Absent) -> None:
        tokens = self.tokens
        assert tokens is not None
        for token in _token_ids(self._words(record)):
            _post(tokens, token, record)

    def _post_prefix(self, record: Absent) -> None:
        prefixes = self.prefixes
        assert prefixes is not None
        words = self._words(record)
        if not words:
            self.empty[record] = None
        for tag in _tags(words)[: _prefix(len(words), self.needed)]:
            _post(prefixes, tag, record)

    def remove(self, record: Absent) -> None:
        _unpost(self.bases, base_id(record.item_id), record)
        if self.tokens is not None:
            assert record.words is not None  # posted records keep their words
            for token in _token_ids(record.words):
                _unpost(self.tokens, token, record)
        if self.prefixes is not None:
            assert record.words is not None
            self.empty.pop(record, None)
            for tag in _tags(record.words)[: _prefix(len(record.words), self.needed)]:
                _unpost(self.prefixes, tag, record)

    def token_postings(self) -> dict[int, Posting]:
        """The token postings, built when first asked for (which gives every record's words their ids)."""
        if self.tokens is None:
            self.tokens = {}
            for record in self.records.values():
                self._post_tokens(record)
        return self.tokens

    def holding(self, token: int) -> Collection[Absent]:
        """The records with this blocking token."""
        return _posted(self.token_postings(), token)

    def count(self, token: int) -> int:
        """How many records have this blocking token."""
        return _count(self.token_postings(), token)

    def similar(self, words: list[str], needed: float) -> Iterator[Absent]:
        """Every record that could be `needed` similar to an item of these words (and some that are not).

        Prefix filtering: two word multisets that overlap by at least o share
        a tag among the first (length - o + 1) of each, in one fixed order.
        Words never indexed are in no record: they go first in the order, so
        they take the place of probes that would find nothing.
        """
        if needed > 1:
            return  # no similarity is more than 1
        if self.prefixes is None:
            self.prefixes = {}
            for record in self.records.values():
                self._post_prefix(record)
        if not words:
            yield from self.empty
            return
        unknown = 0
        known: list[int] = []
        ids = self.vocabulary.ids
        for word in words:
            number = ids.get(word)
            if number is None:
                unknown += 1
            else:
                known.append(number)
        probes = _tags(known)[: max(0, _prefix(len(words), needed) - unknown)]
        shortest = needed * len(words) / (2 - needed) - 1e-6
        longest = (2 - needed) * len(words) / needed + 1e-6
        seen: set[Absent] = set()
        for tag in probes:
            for record in _posted(self.prefixes, tag):
                if record not in seen:
                    seen.add(record)
                    assert record.words is not None
                    if shortest <= len(record.words) <= longest:
                        yield record


@dataclass(eq=False)
class _Bucket:
    """The absent items of one published date (as printed), in the order they left."""

    records: dict[str, Absent] = field(default_factory=dict)
    index: _Index | None = None

    def with_base(self, base: str, groups: dict[int, dict[str, list[Absent]]]) -> list[Absent]:
        if self.index is not None:
            return list(_posted(self.index.bases, base))
        by_base = groups.get(id(self))
        if by_base is None:
            by_base = groups[id(self)] = defaultdict(list)
            for record in self.records.values():
                by_base[base_id(record.item_id)].append(record)
        return by_base.get(base, [])


class AbsentPool:
    """The items away from the page, by published date; see the module's docstring."""

    def __init__(self, options: MatchOptions) -> None:
        self.options = options
        self._buckets: dict[str, _Bucket] = {}
        self._vocabulary = _Vocabulary()
        self._left = 0
        self._keys: dict[str, str] = {}  # one string per date key
        # The least similarity any pair needs; the index finds every absent item that similar.
        self._needed = min(options.threshold, options.redated_threshold)

    def __len__(self) -> int:
        return sum(len(bucket.records) for bucket in self._buckets.values())

    def leave(
        self,
        identity: str,
        item_id: str,
        published: dt.date | None,
        published_text: str,
        title: str,
        summary: tuple[str, ...],
        words: Words | None = None,
        link: str | None = None,
    ) -> None:
        """An item leaves the page: `identity`, whose item was last `item_id` with these dates, title, summary and link.

        `words` are its matching words, when the caller has them at hand.
        """
        self._left += 1
        key = published.isoformat() if published is not None else "?" + published_text
        key = self._keys.setdefault(key, key)
        record = Absent(identity, item_id, published, published_text, title, summary, self._left, key, link)
        bucket = self._buckets.setdefault(record.published_text, _Bucket())
        bucket.records[identity] = record
        if bucket.index is not None:
            if words is not None:
                record.words = self._vocabulary.encode(words.words)
                record.title_words = len(words.title)
            bucket.index.add(record)
        elif len(bucket.records) > INDEX_FROM and self._needed > 0:
            bucket.index = _Index(bucket.records, self._vocabulary, self._needed)

    def remove(self, record: Absent) -> None:
        """An absent item comes back."""
        bucket = self._buckets[record.published_text]
        del bucket.records[record.identity]
        if bucket.index is not None:
            bucket.index.remove(record)
        if not bucket.records:
            del self._buckets[record.published_text]

    def records(self) -> Iterator[Absent]:
        """Every absent item, in pool order."""
        for date in sorted(self._buckets):
            yield from self._buckets[date].records.values()

    @paused()
    def match(self, items: Sequence[Item], words: Callable[[Item], Words] = words_of) -> list[tuple[Absent, int]]:
        """The absent items that `items` (new to the page) are, as (absent item, index into `items`).

        Exactly what `match_items(pool, items)` pairs, the pool being every
        absent item of the items' published dates (see the module's docstring).
        `words` gives a new item's matching words (`words_of`, or a caller's memory of them).
        """
        buckets = [
            self._buckets[date] for date in sorted({item.published_text for item in items}) if date in self._buckets
        ]
        if not buckets or not items:
            return []
        pairs, taken, taken_new = self._exact(buckets, items)
        left_new = [index for index in range(len(items)) if index not in taken_new]
        if not left_new or sum(len(bucket.records) for bucket in buckets) == len(taken):
            return pairs
        new = [items[index] for index in left_new]
        return pairs + [(record, left_new[j]) for record, j in _Fuzzy(self, buckets, new, taken, words).pairs()]

    def _exact(
        self, buckets: list[_Bucket], items: Sequence[Item]
    ) -> tuple[list[tuple[Absent, int]], set[Absent], set[int]]:
        """Pairs by id (without the order suffix), as `match_items` takes them first."""
        pairs: list[tuple[Absent, int]] = []
        groups: dict[int, dict[str, list[Absent]]] = {}
        for base, new_indexes in base_groups(items).items():
            old = [record for bucket in buckets for record in bucket.with_base(base, groups)]
            if len(old) == 1 and len(new_indexes) == 1:
                pairs.append((old[0], new_indexes[0]))
            elif old:
                olds = [record.item() for record in old]
                pairs += [(old[i], j) for i, j in same_texts(olds, list(range(len(old))), items, new_indexes)]
        return pairs, {record for record, _ in pairs}, {j for _, j in pairs}


class _Fuzzy:
    """The fuzzy pairing of `match_items` between the pool (less `taken`) and the `new` items left."""

    def __init__(
        self,
        pool: AbsentPool,
        buckets: list[_Bucket],
        new: list[Item],
        taken: set[Absent],
        words: Callable[[Item], Words],
    ) -> None:
        self.options = pool.options
        self.vocabulary = pool._vocabulary
        self.buckets = buckets
        self.indexes = [bucket.index for bucket in buckets if bucket.index is not None]
        self.new = new
        self.new_words = [words(item) for item in new]
        self.taken = taken
        self._words: dict[Absent, Words] = {}
        self._items: dict[Absent, Item] = {}
        self._sets: dict[Absent, frozenset[int]] = {}
        self._new_sets: dict[int, frozenset[int]] = {}

    def item(self, record: Absent) -> Item:
        found = self._items.get(record)
        if found is None:
            found = self._items[record] = record.item()
        return found

    def words(self, record: Absent) -> Words:
        """An absent item's `Words`, decoded from its ids when indexed, read from its text when not."""
        found = self._words.get(record)
        if found is None:
            if record.words is None:
                found = words_of(self.item(record))
            else:
                words = self.vocabulary.decode(record.words)
                title, summary = words[: record.title_words], words[record.title_words :]
                found = Words(title, summary, words, frozenset(words))
            self._words[record] = found
        return found

    def _screened(self, record: Absent, j: int, needed: float) -> bool:
        """`match.screened` of the pair; an indexed record's word set compared as ids, without decoding it."""
        if record.words is None:
            return screened(self.words(record).distinct, self.new_words[j].distinct, needed, self.options)
        ids = self._sets.get(record)
        if ids is None:
            ids = self._sets[record] = frozenset(record.words)
        new = self._new_sets.get(j)
        if new is None:
            # A word never indexed is in no record: it counts in the set's size under a number of its own.
            known = self.vocabulary.ids
            new = self._new_sets[j] = frozenset(
                known.get(word, -1 - at) for at, word in enumerate(self.new_words[j].distinct)
            )
        return screened(ids, new, needed, self.options)

    def _unindexed(self) -> Iterator[Absent]:
        for bucket in self.buckets:
            if bucket.index is None:
                yield from (record for record in bucket.records.values() if record not in self.taken)

    def _similar(self, j: int, needed: float, key: str | None = None) -> Iterator[Absent]:
        """Indexed absent items (not taken) that may be `needed` similar to new item `j`; of date key `key` if given."""
        for index in self.indexes:
            for record in index.similar(self.new_words[j].words, needed):
                if record not in self.taken and (key is None or record.date_key == key):
                    yield record

    def pairs(self) -> list[tuple[Absent, int]]:
        """The fuzzy pairs, best first, as `match._fuzzy_pairs` chooses them."""
        options = self.options
        looked: dict[tuple[Absent, int], None] = {}
        if len(self.new) <= options.candidates_per_item:
            # Every absent item is a candidate of every new one: those that could score enough are found.
            looked.update(((record, j), None) for record in self._unindexed() for j in range(len(self.new)))
            least = min(options.threshold, options.redated_threshold)
            for j in range(len(self.new)):
                looked.update(((record, j), None) for record in self._similar(j, least))
        else:
            looked.update(dict.fromkeys(self._by_tokens()))
            looked.update(dict.fromkeys(self._by_date()))
        scored: list[tuple[float, tuple[str, int], int]] = []
        records: dict[tuple[str, int], Absent] = {}
        for record, j in looked:
            needed = required(self.item(record), self.new[j], options)
            if needed is None or not self._screened(record, j, needed):
                continue
            value = verified(self.words(record), self.new_words[j], needed, options)
            if value is not None:
                scored.append((value, record.rank, j))
                records[record.rank] = record
        return [(records[rank], j) for rank, j, _ in best_first(scored)]

    def _by_tokens(self) -> Iterator[tuple[Absent, int]]:
        """The candidates `match._candidates` finds by the rarest tokens an absent item shares with new ones."""
        options = self.options
        new_tokens = [blocking_tokens(words.words) for words in self.new_words]
        usage: Counter[Token] = Counter(chain.from_iterable(new_tokens))
        wanted = set(usage)
        unindexed = {record: blocking_tokens(self.words(record).words) for record in self._unindexed()}
        for tokens in unindexed.values():
            usage.update(tokens & wanted)
        numbers: dict[Token, int] = {}  # the wanted tokens some indexed record may hold, as ids
        if self.indexes:
            for index in self.indexes:
                index.token_postings()  # first: until its records are read, their words have no ids
            for token in wanted:
                number = self.vocabulary.token(token)
                if number is not None:
                    numbers[token] = number
                    usage[token] += sum(index.count(number) for index in self.indexes)
            tokens_of = {number: token for token, number in numbers.items()}
            for record in self.taken:
                if record.words is not None:
                    usage.subtract(tokens_of[n] for n in _token_ids(record.words) if n in tokens_of)
        rare = {token for token in wanted if usage[token] <= options.rare_word_limit}
        postings: dict[Token, list[int]] = defaultdict(list)
        for j, tokens in enumerate(new_tokens):
            for token in tokens & rare:
                postings[token].append(j)
        # Each absent item holding a token of the postings, with those tokens.
        holders: dict[Absent, list[Token]] = {
            record: [token for token in tokens if token in postings]
            for record, tokens in unindexed.items()
            if not tokens.isdisjoint(postings)
        }
        posted = {numbers[token]: token for token in postings if token in numbers}
        for number in posted:
            for index in self.indexes:
                for record in index.holding(number):
                    if record not in self.taken and record not in holders:
                        assert record.words is not None
                        holders[record] = [posted[n] for n in _token_ids(record.words) if n in posted]
        for present in holders.values():
            present.sort()
        for record, present in holders.items():
            shared: dict[int, int] = defaultdict(int)
            for token in sorted(present, key=usage.__getitem__)[: options.probe_words]:
                for j in postings[token]:
                    shared[j] += 1
            for j in sorted(sorted(shared), key=shared.__getitem__, reverse=True)[: options.candidates_per_item]:
                yield record, j

    def _by_date(self) -> Iterator[tuple[Absent, int]]:
        """The candidates `match._candidates` adds by published date: every new item of a date few carry."""
        dated: dict[str, list[int]] = defaultdict(list)
        for j, item in enumerate(self.new):
            dated[date_key(item)].append(j)
        unindexed: dict[str, list[Absent]] = defaultdict(list)
        for record in self._unindexed():
            unindexed[record.date_key].append(record)
        for key, block in dated.items():
            if len(block) <= self.options.date_block_limit:
                yield from ((record, j) for record in unindexed.get(key, ()) for j in block)
                for j in block:
                    yield from ((record, j) for record in self._similar(j, self.options.threshold, key))
