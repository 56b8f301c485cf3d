"""The truth oracle: what really changed between two pages, per pair and per identity.

The oracle is kept independent of the diff engine on purpose: it is the judge
of the engine's reports in the tests and the benchmark, so it must not share
the engine's code (a bug shared by both would be invisible). It imports no
matching or diff code and reads only what the page author recorded: the
identity of each entry, and which identities the churn moved (`Page.moved`),
so it needs no longest-increasing-subsequence search of its own. It checks
that every other item kept its order, so a wrong record fails loudly.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from diffcore.model import Snapshot
from synthetic.page import Page, capture_name, render


@dataclass(frozen=True)
class EditTruth:
    """An identity present in both captures whose text changed.

    `fields` holds any of "published", "title", "summary" in that order
    (title and summary together is an edit of both).
    """

    identity: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class MoveTruth:
    """An identity the churn moved: every other item kept its order."""

    identity: str
    old_position: int
    new_position: int


@dataclass(frozen=True)
class LeadTruth:
    """What happened to the lead article.

    `status` is one of: same, edited, replaced, promoted (the new lead was an
    item before), demoted (the old lead is an item now), appeared, vanished,
    absent (no lead on either side).
    """

    status: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class CounterTruth:
    """A counter of the newer capture.

    `consistent` is whether it advanced by exactly the days between the captures
    (None when the older capture lacked it); `on_calendar` whether its value is
    the true number of days since its event.
    """

    label: str
    value: int
    previous: int | None
    consistent: bool | None
    on_calendar: bool


@dataclass(frozen=True)
class ChangeTruth:
    """The true changes from one capture (`old`) to the next (`new`).

    `added` are identities never seen before, `returned` ones seen earlier that
    come back; both and `dropped` are in page order.
    """

    old: dt.date
    new: dt.date
    added: tuple[str, ...]
    dropped: tuple[str, ...]
    returned: tuple[str, ...]
    edited: tuple[EditTruth, ...]
    moved: tuple[MoveTruth, ...]
    lead: LeadTruth
    counters: tuple[CounterTruth, ...]


@dataclass(frozen=True)
class CaptureTruth:
    """One capture: its file name, date, lead identity, and the identity and item id at each position."""

    name: str
    captured: dt.date
    lead: str | None
    identities: tuple[str, ...]
    ids: tuple[str, ...]


@dataclass(frozen=True)
class IdentityTruth:
    """One identity across the archive, as an item.

    `titles` lists every title it had, in order; `gaps` counts the times it
    came back after missing from captures; `edits` the captures in which its
    text or date changed.
    """

    identity: str
    titles: tuple[str, ...]
    published: dt.date
    first_seen: dt.date
    last_seen: dt.date
    seen: int
    gaps: int
    edits: int


@dataclass(frozen=True)
class Truth:
    """Everything the archive really did, per capture, per pair and per identity."""

    captures: tuple[CaptureTruth, ...]
    changes: tuple[ChangeTruth, ...]
    identities: tuple[IdentityTruth, ...]


@dataclass(frozen=True)
class Capture:
    """One generated capture: file name, page text, its model, true state and changes.

    `change` is None for the first capture of an archive.
    """

    name: str
    text: str
    snapshot: Snapshot
    page: Page
    change: ChangeTruth | None


@dataclass(frozen=True)
class Archive:
    """All captures of a generated archive, in date order, and their truth."""

    captures: tuple[Capture, ...]
    truth: Truth


def _lead_truth(old: Page, new: Page, old_items: dict[str, int], new_items: dict[str, int]) -> LeadTruth:
    before = old.lead.identity if old.lead else None
    after = new.lead.identity if new.lead else None
    if before is None and after is None:
        status = "absent"
    elif before == after:
        same = (old.lead.title, old.lead.summary) == (new.lead.title, new.lead.summary)  # type: ignore[union-attr]
        status = "same" if same else "edited"
    elif before is not None and before in new_items:
        status = "demoted"
    elif after is not None and after in old_items:
        status = "promoted"
    elif before is None:
        status = "appeared"
    elif after is None:
        status = "vanished"
    else:
        status = "replaced"
    return LeadTruth(status, before, after)


def compare(old: Page, new: Page, seen: Container[str]) -> ChangeTruth:
    """The true changes between two pages; `seen` holds identities shown as items before `new`."""
    old_at = {e.identity: at for at, e in enumerate(old.items)}
    new_at = {e.identity: at for at, e in enumerate(new.items)}
    common = [e for e in new.items if e.identity in old_at]
    edited = []
    for entry in common:
        was = old.items[old_at[entry.identity]]
        changed = tuple(
            name
            for name, differs in (
                ("published", was.published != entry.published),
                ("title", was.title != entry.title),
                ("summary", was.summary != entry.summary),
            )
            if differs
        )
        if changed:
            edited.append(EditTruth(entry.identity, changed))
    moved = tuple(
        MoveTruth(e.identity, old_at[e.identity], new_at[e.identity]) for e in common if e.identity in new.moved
    )
    stayed = [old_at[e.identity] for e in common if e.identity not in new.moved]
    if stayed != sorted(stayed) or len(moved) != len(new.moved):
        raise ValueError(f"the page of {new.captured} records moves {new.moved} that do not explain its order")
    fresh = [e.identity for e in new.items if e.identity not in old_at]
    elapsed = (new.captured - old.captured).days
    previous = {c.event: c.value for c in old.counters}
    counters = tuple(
        CounterTruth(
            f"{{n}} days have passed since {c.event}",
            c.value,
            previous.get(c.event),
            None if c.event not in previous else c.value - previous[c.event] == elapsed,
            c.value == (new.captured - c.since).days,
        )
        for c in new.counters
    )
    return ChangeTruth(
        old=old.captured,
        new=new.captured,
        added=tuple(i for i in fresh if i not in seen),
        dropped=tuple(e.identity for e in old.items if e.identity not in new_at),
        returned=tuple(i for i in fresh if i in seen),
        edited=tuple(edited),
        moved=moved,
        lead=_lead_truth(old, new, old_at, new_at),
        counters=counters,
    )


def chronicle(pages: Iterable[Page]) -> Iterator[Capture]:
    """Captures of a sequence of pages in date order, each with its true changes."""
    previous: Page | None = None
    seen: set[str] = set()
    for page in pages:
        if previous is not None and page.captured <= previous.captured:
            raise ValueError(f"capture {page.captured} does not follow {previous.captured}")
        text, snapshot = render(page)
        name = capture_name(text)
        change = None if previous is None else compare(previous, page, seen)
        seen.update(e.identity for e in page.items)
        yield Capture(name, text, replace(snapshot, source=name), page, change)
        previous = page


def truth_of(captures: Iterable[Capture]) -> Truth:
    """The truth of an archive, reading its captures once (a stream is fine)."""
    records: dict[str, dict[str, Any]] = {}
    shots: list[CaptureTruth] = []
    changes: list[ChangeTruth] = []
    for capture in captures:
        page = capture.page
        shots.append(
            CaptureTruth(
                capture.name,
                page.captured,
                page.lead.identity if page.lead else None,
                tuple(e.identity for e in page.items),
                tuple(i.id for i in capture.snapshot.items),
            )
        )
        if capture.change is not None:
            changes.append(capture.change)
            for ident in capture.change.returned:
                records[ident]["gaps"] += 1
            for edit in capture.change.edited:
                records[edit.identity]["edits"] += 1
        for entry in page.items:
            record = records.setdefault(
                entry.identity, {"titles": [entry.title], "first_seen": page.captured, "seen": 0, "gaps": 0, "edits": 0}
            )
            if record["titles"][-1] != entry.title:
                record["titles"].append(entry.title)
            record["published"] = entry.published
            record["last_seen"] = page.captured
            record["seen"] += 1
    identities = tuple(
        IdentityTruth(
            ident, tuple(r["titles"]), r["published"], r["first_seen"], r["last_seen"], r["seen"], r["gaps"], r["edits"]
        )
        for ident, r in records.items()
    )
    return Truth(tuple(shots), tuple(changes), identities)


def archive_of(captures: Iterable[Capture]) -> Archive:
    """Collect captures and their truth into an Archive."""
    held = tuple(captures)
    return Archive(held, truth_of(held))


def _plain(value: Any) -> Any:
    """A truth value as JSON-able data: dataclasses to dicts, dates to ISO strings."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    return value


def truth_to_dict(truth: Truth) -> dict[str, Any]:
    """The truth as JSON-able dicts and lists, dates in ISO form."""
    plain: dict[str, Any] = _plain(truth)
    return plain


def truth_path(folder: str | Path) -> Path:
    """Where the truth of an archive folder is kept: beside it (`archive.truth.json`), so the folder holds only captures."""
    folder = Path(folder)
    return folder.with_name(folder.name + ".truth.json")


def write_archive(archive: Archive, folder: str | Path) -> tuple[Path, ...]:
    """Write each capture as `<name>` into `folder`, and the truth beside it (`truth_path`)."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for capture in archive.captures:
        path = target / capture.name
        path.write_bytes(capture.text.encode("utf-8"))
        written.append(path)
    path = truth_path(target)
    path.write_text(json.dumps(truth_to_dict(archive.truth), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return (*written, path)
