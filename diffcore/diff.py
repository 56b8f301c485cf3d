"""Two snapshots to one change report (`SnapshotDiff`), and back again.

`diff` is the core: header (clocks, labelled fields, counters against the
calendar), lead article, and items (added, dropped, edited word by word,
moved). `apply_diff` replays a report on the old items; rebuilding the new
list exactly is what makes a report complete, and the tests hold it to that.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from itertools import pairwise
from typing import cast

from diffcore._gc import paused
from diffcore.align import WORD_BOUND, bounded, opcodes
from diffcore.fit import vanished
from diffcore.identity import base_id, title_digest
from diffcore.match import Matching, MatchOptions, item_words, match_items, similarity
from diffcore.model import (
    DAYS_PER_UNIT,
    CaptureRef,
    ClockChange,
    CounterChange,
    Edit,
    EditKind,
    FieldChange,
    FieldStatus,
    Item,
    Lead,
    LeadChange,
    LeadStatus,
    Move,
    OpTag,
    OtherLines,
    Snapshot,
    SnapshotDiff,
    WordOp,
)
from diffcore.normalise import MARKDOWN_LINK, clean, key, key_words, words
from diffcore.profile import Profile


@dataclass(frozen=True)
class DiffOptions(MatchOptions):
    """Everything that tunes a diff: the matching thresholds, and counter tolerance."""

    counter_tolerance: int = 0
    """Days a "N days since" counter may be off the calendar and still count as consistent."""
    link_targets: bool = True
    """Whether link targets count: False compares `[text](url)` as its text, and an item's link not at all."""
    ignore_characters: str = ""
    """Characters compared as absent (soft hyphens, zero-width spaces and joiners), as a profile asks."""

    def compared(self, text: str) -> str:
        """A text as these options compare it: without the characters they ignore, links as their text."""
        if self.ignore_characters:
            text = text.translate(dict.fromkeys(map(ord, self.ignore_characters)))
        if not self.link_targets and "](" in text:
            text = MARKDOWN_LINK.sub(lambda match: match["text"], text)
        return text

    @property
    def plain(self) -> bool:
        """Whether texts are compared as they are."""
        return self.link_targets and not self.ignore_characters


PLAIN = DiffOptions()


def options_for(profile: Profile, options: DiffOptions | None = None) -> DiffOptions:
    """`options` (default: the defaults) comparing texts as `profile` asks: link targets, ignored characters."""
    return replace(
        options or PLAIN,
        link_targets=not profile.ignore_link_targets,
        ignore_characters=profile.ignore_characters,
    )


def options_from(options: DiffOptions | None = None, **overrides: float | int) -> DiffOptions:
    """DiffOptions with keyword overrides, rejecting unknown names."""
    base = options or DiffOptions()
    known = {f.name for f in fields(DiffOptions)}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise TypeError(f"unknown diff option(s): {', '.join(unknown)}")
    return replace(base, **overrides)  # type: ignore[arg-type]  # names checked above


_REVERSED: dict[OpTag, OpTag] = {"delete": "insert", "insert": "delete", "replace": "replace", "equal": "equal"}


def word_ops(old: str, new: str) -> tuple[WordOp, ...]:
    """difflib opcodes over the words of two texts, each as a WordOp.

    difflib aligns ties differently with the argument order; like `similarity`,
    the words are aligned in a fixed order, so the ops from new to old are
    exactly the inverse of those from old to new. Past `align.WORD_BOUND`
    the alignment is chunked (see diffcore.align): every changed word is
    still in a changed op.
    """
    a, b = words(old), words(new)
    if b < a:
        return tuple(WordOp(_REVERSED[op.tag], op.new, op.old) for op in word_ops(new, old))
    return tuple(
        WordOp(cast(OpTag, tag), " ".join(a[i1:i2]), " ".join(b[j1:j2])) for tag, i1, i2, j1, j2 in opcodes(a, b)
    )


def changed(old: Item, new: Item, options: DiffOptions = PLAIN) -> bool:
    """Whether a matched item's date, title, summary or (when links count) link reads differently."""
    if old.link != new.link and options.link_targets:
        return True
    if old.title == new.title and old.summary == new.summary and old.published_text == new.published_text:
        return False  # the usual case, decided without normalising
    seen = options.compared
    return (
        old.published_text != new.published_text
        or clean(seen(old.title)) != clean(seen(new.title))
        or [clean(seen(p)) for p in old.summary] != [clean(seen(p)) for p in new.summary]
    )


def stable_pairs(order: Sequence[int]) -> set[int]:
    """Indexes of a longest increasing subsequence of `order`.

    The matched items, listed in old order with their new positions, form a
    permutation; its longest increasing run is exactly the longest common
    subsequence of the two id sequences. Items outside it moved. O(n log n),
    and unlike difflib's heuristic it is truly longest, so an item pushed down
    by additions above it is never called moved.
    """
    if all(earlier < later for earlier, later in pairwise(order)):  # the usual case: nothing moved
        return set(range(len(order)))
    tails: list[int] = []
    tail_index: list[int] = []
    parent = [-1] * len(order)
    for index, value in enumerate(order):
        place = bisect_left(tails, value)
        if place == len(tails):
            tails.append(value)
            tail_index.append(index)
        else:
            tails[place] = value
            tail_index[place] = index
        parent[index] = tail_index[place - 1] if place else -1
    keep: set[int] = set()
    index = tail_index[-1] if tail_index else -1
    while index != -1:
        keep.add(index)
        index = parent[index]
    return keep


def edit_kinds(
    old: Item, new: Item, title: Sequence[WordOp], summary: Sequence[WordOp], options: DiffOptions = PLAIN
) -> tuple[EditKind, ...]:
    """Which parts of a matched item changed: any of "published", "title", "summary", "link", in that order."""
    kinds: list[EditKind] = []
    if old.published_text != new.published_text or old.published != new.published:
        kinds.append("published")
    if any(op.tag != "equal" for op in title):
        kinds.append("title")
    # Word ops run over the summary as one text; a new paragraph split shows only in the paragraphs.
    if any(op.tag != "equal" for op in summary) or _paragraphs(old, options) != _paragraphs(new, options):
        kinds.append("summary")
    if old.link != new.link and options.link_targets:
        kinds.append("link")
    return tuple(kinds)


def _paragraphs(item: Item, options: DiffOptions) -> tuple[str, ...]:
    """An item's summary paragraphs as a reader compares them."""
    return tuple(clean(options.compared(paragraph)) for paragraph in item.summary)


def _edit(before: Item, after: Item, score: float, options: DiffOptions) -> Edit:
    seen = options.compared
    title = word_ops(seen(before.title), seen(after.title))
    summary = word_ops(seen(before.summary_text), seen(after.summary_text))
    return Edit(before, after, round(score, 4), title, summary, edit_kinds(before, after, title, summary, options))


ItemChanges = tuple[tuple[Item, ...], tuple[Item, ...], tuple[Edit, ...], tuple[Move, ...], tuple[Item, ...]]
"""Added, dropped, edited, moved and unchanged items."""


@paused()
def diff_items(
    old: Sequence[Item], new: Sequence[Item], options: DiffOptions, matching: Matching | None = None
) -> ItemChanges:
    """Added, dropped, edited, moved and unchanged items of two item lists."""
    matching = matching or match_items(old, new, options)
    by_old = sorted(matching.pairs, key=lambda pair: pair.old)
    stable = stable_pairs([pair.new for pair in by_old])
    edits: list[Edit] = []
    moves: list[Move] = []
    unchanged: list[Item] = []
    for rank, pair in enumerate(by_old):
        before, after = old[pair.old], new[pair.new]
        edited = changed(before, after, options)
        moved = rank not in stable
        if edited:
            score = pair.similarity if not pair.exact else similarity(item_words(before), item_words(after))
            edits.append(_edit(before, after, score, options))
        if moved:
            moves.append(Move(after, before.id, before.position, after.position))
        if not edited and not moved:
            unchanged.append(after)
    edits.sort(key=lambda edit: edit.new.position)
    moves.sort(key=lambda move: move.new_position)
    unchanged.sort(key=lambda item: item.position)
    added = tuple(new[j] for j in matching.unmatched_new)
    dropped = tuple(old[i] for i in matching.unmatched_old)
    return added, dropped, tuple(edits), tuple(moves), tuple(unchanged)


def diff_counters(old: Snapshot, new: Snapshot, tolerance: int) -> tuple[CounterChange, ...]:
    """Every counter of either capture, paired by its masked label."""
    elapsed = (new.captured - old.captured).days
    before = {key(c.label): c for c in old.header.counters}
    after = {key(c.label): c for c in new.header.counters}
    order = list(before) + [label for label in after if label not in before]
    changes = []
    for label in order:
        a, b = before.get(label), after.get(label)
        shown = b.label if b else a.label  # type: ignore[union-attr]  # one of the two is there
        unit = b.unit if b else a.unit  # type: ignore[union-attr]
        old_start = implied_start(old.captured, a.value, unit) if a else None
        new_start = implied_start(new.captured, b.value, unit) if b else None
        if a is None or b is None:
            changes.append(
                CounterChange(
                    shown,
                    unit,
                    "appeared" if a is None else "vanished",
                    a.value if a else None,
                    b.value if b else None,
                    None,
                    elapsed,
                    None,
                    old_start,
                    new_start,
                )
            )
            continue
        delta = b.value - a.value
        off_by = calendar_offset(delta, unit, elapsed)
        consistent = None if off_by is None else abs(off_by) <= tolerance
        changes.append(
            CounterChange(
                shown,
                unit,
                "same" if delta == 0 else "changed",
                a.value,
                b.value,
                delta,
                elapsed,
                consistent,
                old_start,
                new_start,
                off_by,
            )
        )
    return tuple(changes)


def implied_start(captured: dt.date, value: int, unit: str) -> dt.date | None:
    """The date a "N days since" counter counts from: capture date minus N units."""
    per_unit = DAYS_PER_UNIT.get(unit)
    if per_unit is None:
        return None
    try:
        return captured - dt.timedelta(days=value * per_unit)
    except OverflowError:
        return None


def calendar_offset(delta: int, unit: str, days_elapsed: int) -> int | None:
    """Days a counter ran ahead (+) or behind (-) the calendar (None for units it cannot check)."""
    per_unit = DAYS_PER_UNIT.get(unit)
    if per_unit is None:
        return None
    return delta * per_unit - days_elapsed


def keeps_pace(delta: int, unit: str, days_elapsed: int, tolerance: int) -> bool | None:
    """Whether a counter moved with the calendar, within `tolerance` days (None for units it cannot check)."""
    off_by = calendar_offset(delta, unit, days_elapsed)
    return None if off_by is None else abs(off_by) <= tolerance


def diff_fields(old: Snapshot, new: Snapshot) -> tuple[FieldChange, ...]:
    """Labelled fields added, removed or changed, by label, in label order.

    A relabelled field ("Consular queries:" -> "Consular enquiries:") is one
    field removed and one added. The fields are a flat mapping of label to
    text, so comparing the two mappings key by key is the whole structural diff.
    """
    before = {f.label: clean(f.value) for f in old.header.fields}
    after = {f.label: clean(f.value) for f in new.header.fields}
    if before == after:
        return ()
    labels = sorted(label for label in before.keys() | after.keys() if before.get(label) != after.get(label))
    return tuple(
        FieldChange(label, _field_status(before.get(label), after.get(label)), before.get(label), after.get(label))
        for label in labels
    )


def _field_status(before: str | None, after: str | None) -> FieldStatus:
    """Added, removed or changed, from a field's value in each capture."""
    if before is None:
        return "added"
    return "removed" if after is None else "changed"


def diff_clocks(old: Snapshot, new: Snapshot) -> tuple[ClockChange, ...]:
    """Each clock's reading in both captures, old clocks first."""
    before = {c.place: c.time for c in old.header.clocks}
    after = {c.place: c.time for c in new.header.clocks}
    places = list(before) + [place for place in after if place not in before]
    return tuple(ClockChange(place, before.get(place), after.get(place)) for place in places)


def _find_item(title: str, items: Sequence[Item]) -> Item | None:
    """The item whose title reads as the given lead title (case, quotes and spacing aside).

    Item ids end with the digest of their title key, so the list is scanned
    without normalising every title.
    """
    digest = title_digest(title)
    wanted = key(title)
    for item in items:
        if base_id(item.id).endswith(digest) and key(item.title) == wanted:
            return item
    return None


def diff_lead(old: Snapshot, new: Snapshot, options: DiffOptions) -> LeadChange:
    """Same, edited, replaced, promoted from or demoted to the item list, appeared or vanished."""
    a, b = old.lead, new.lead
    if a is not None and b is not None:
        score = round(similarity(key_words(a.text), key_words(b.text)), 4)
        if _lead_key(a) == _lead_key(b):
            return LeadChange("same", a.title, b.title, score, (), (), None, None)
        if score >= options.threshold:
            return LeadChange(
                "edited",
                a.title,
                b.title,
                score,
                word_ops(a.title, b.title),
                word_ops("\n".join(a.paragraphs), "\n".join(b.paragraphs)),
                None,
                None,
            )
    else:
        score = None
    promoted = _find_item(b.title, old.items) if b else None
    demoted = _find_item(a.title, new.items) if a else None
    status: LeadStatus
    if promoted:
        status = "promoted"
    elif demoted:
        status = "demoted"
    elif a and b:
        status = "replaced"
    else:
        status = "appeared" if b else "vanished" if a else "absent"
    return LeadChange(status, a.title if a else None, b.title if b else None, score, (), (), promoted, demoted)


def _lead_key(lead: Lead) -> list[str]:
    return [clean(part) for part in (lead.title, *lead.paragraphs)]


def capture_ref(snapshot: Snapshot) -> CaptureRef:
    """The identification of a capture in a report."""
    return CaptureRef(
        snapshot.source, snapshot.captured, snapshot.header.capture_time, snapshot.capture, snapshot.warnings
    )


def diff(
    old: Snapshot,
    new: Snapshot,
    options: DiffOptions | None = None,
    *,
    matching: Matching | None = None,
    **overrides: float | int,
) -> SnapshotDiff:
    """The change report from `old` to `new`.

    Keyword overrides tune the options, e.g. `diff(a, b, threshold=0.7)`;
    `matching` reuses an item matching already made for this pair.
    """
    options = options_from(options, **overrides)
    added, dropped, edited, moved, unchanged = diff_items(old.items, new.items, options, matching)
    lead = diff_lead(old, new, options)
    return SnapshotDiff(
        old=capture_ref(old),
        new=capture_ref(new),
        days_elapsed=(new.captured - old.captured).days,
        clocks=diff_clocks(old, new),
        fields=diff_fields(old, new),
        counters=diff_counters(old, new, options.counter_tolerance),
        lead=lead,
        added=added,
        dropped=dropped,
        edited=edited,
        moved=moved,
        unchanged_items=unchanged,
        chunked=_chunked(old.lead, new.lead, lead, edited),
        other=diff_other_lines(old, new),
        warnings=tuple(filter(None, [vanished(len(old.items), len(old.items) - len(dropped), new)])),
    )


def diff_other_lines(old: Snapshot, new: Snapshot) -> OtherLines:
    """Unparsed lines and section headings each capture has and the other lacks (read as a reader would:
    `clean`), the same of ignored lines, and a changed footer."""
    old_texts = [u.text for u in (*old.unparsed, *old.sections)]
    new_texts = [u.text for u in (*new.unparsed, *new.sections)]
    old_ignored, new_ignored = [u.text for u in old.ignored], [u.text for u in new.ignored]
    footer = (old.footer, new.footer) if clean(old.footer or "") != clean(new.footer or "") else None
    return OtherLines(
        removed=_lacking(old_texts, new_texts),
        added=_lacking(new_texts, old_texts),
        footer=footer,
        ignored_removed=_lacking(old_ignored, new_ignored),
        ignored_added=_lacking(new_ignored, old_ignored),
    )


def _lacking(lines: Sequence[str], others: Sequence[str]) -> tuple[str, ...]:
    """The lines that `others` lacks, counted as a multiset (a line twice in `lines` and once in `others` is once lacking)."""
    spare = Counter(map(clean, others))
    lacking = []
    for line in lines:
        cleaned = clean(line)
        if spare[cleaned]:
            spare[cleaned] -= 1
        else:
            lacking.append(line)
    return tuple(lacking)


def _past_bound(old: str, new: str) -> bool:
    """Whether two texts are long enough for `align` to chunk them.

    A word and its separator take at least two characters, so short texts are
    told apart by their lengths, without splitting them.
    """
    return (len(old) + 1) * (len(new) + 1) > 4 * WORD_BOUND and bounded(words(old), words(new))


def _chunked(old: Lead | None, new: Lead | None, lead: LeadChange, edited: Sequence[Edit]) -> tuple[str, ...]:
    """The lead and the edited items whose words were aligned in chunks, past `align.WORD_BOUND`."""
    found = []
    if old is not None and new is not None and lead.similarity is not None and _past_bound(old.text, new.text):
        found.append("lead")
    found += [
        edit.new.id
        for edit in edited
        if _past_bound(edit.old.summary_text, edit.new.summary_text)
        or _past_bound(f"{edit.old.title} {edit.old.summary_text}", f"{edit.new.title} {edit.new.summary_text}")
    ]
    return tuple(found)


def apply_diff(old_items: Sequence[Item], report: SnapshotDiff) -> tuple[Item, ...]:
    """Replay a report on the old items: drop, edit, add and reorder.

    Returns the new item list as the report describes it; it equals the new
    capture's items when the report is complete.
    """
    dropped = {item.id for item in report.dropped}
    moved_old = {move.old_id for move in report.moved}
    edited = {edit.old.id: edit.new for edit in report.edited}
    stable = [edited.get(item.id, item) for item in old_items if item.id not in dropped and item.id not in moved_old]
    placed: dict[int, Item] = {item.position: item for item in report.added}
    placed.update({move.new_position: move.item for move in report.moved})
    size = len(stable) + len(placed)
    rest = iter(stable)
    return tuple(placed[index] if index in placed else next(rest) for index in range(size))
