"""Benchmark inputs from the synthetic generator: capture pairs at a set churn, archives on disk.

Everything is seeded, so a run measures the same bytes as any other run with
the same sizes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from diffcore.model import Item
from synthetic import Capture, ChangeTruth, Churn, iter_captures

VARIANTS = ("single", "both")
"""W1 edit variants: each edit touches the title or the summary, or both at once."""
RETITLED = "retitled"
"""The fuzzy-pairing case: every item's title edited (half of them the summary too), nothing else."""


def pair_churn(variant: str, rate: float = 0.05) -> Churn:
    """The churn of one W1 pair: `rate` of the list added, dropped, moved and edited.

    The generator moves and edits the items that survive the drops, so those
    rates are scaled to make each `rate` of the whole list. Edits change one or
    two words: of the title or the summary ("single", half each) or of both
    ("both"). No date corrections, returns, twins or stalled counters, so the
    truth holds exactly these four kinds of change. `RETITLED` edits every
    title and nothing else, for the fuzzy pairing alone.
    """
    quiet = {"date_corrected": 0.0, "returns": 0.0, "twins": 0.0, "counter_stall": 0.0}
    if variant == RETITLED:
        # Half the titles, then every item left (half the list) in both parts: no id survives.
        return Churn(added=0.0, dropped=0.0, moved=0.0, edited_title=0.5, edited_summary=0.0, edited_both=0.5, **quiet)
    share = rate / (1 - rate)
    edits = {
        "single": {"edited_title": share / 2, "edited_summary": share / 2, "edited_both": 0.0},
        "both": {"edited_title": 0.0, "edited_summary": 0.0, "edited_both": share},
    }
    if variant not in edits:
        raise ValueError(f"unknown variant {variant!r}; choose from {', '.join((*VARIANTS, RETITLED))}")
    return Churn(added=rate, dropped=rate, moved=share, **quiet, **edits[variant])


@dataclass(frozen=True)
class PairCase:
    """Two captures of one page and the truth of what changed between them."""

    items: int
    variant: str
    old: Capture
    new: Capture

    @property
    def change(self) -> ChangeTruth:
        """The recorded true changes from the old capture to the new one."""
        assert self.new.change is not None  # the second capture of a chronicle always has one
        return self.new.change

    def old_identity(self, position: int) -> str:
        """The true identity of the old capture's item at `position`."""
        return self.old.page.items[position].identity

    def new_identity(self, position: int) -> str:
        """The true identity of the new capture's item at `position`."""
        return self.new.page.items[position].identity


def pair_case(items: int, variant: str, seed: int) -> PairCase:
    """Two consecutive captures of `items` items at the variant's churn."""
    old, new = iter_captures(2, items, seed, pair_churn(variant))
    return PairCase(items, variant, old, new)


def _row(item: Item) -> list[str]:
    return [item.published_text, item.title, item.summary_text]


def write_case(case: PairCase, folder: Path) -> None:
    """The case as the tools read it: `old.txt` and `new.txt` (the captures), `rows.json` (items as rows)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "old.txt").write_bytes(case.old.text.encode("utf-8"))
    (folder / "new.txt").write_bytes(case.new.text.encode("utf-8"))
    rows = {
        "old": [_row(item) for item in case.old.snapshot.items],
        "new": [_row(item) for item in case.new.snapshot.items],
    }
    (folder / "rows.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")


@dataclass(frozen=True)
class WrittenArchive:
    """An archive written to a folder: how many captures and bytes, and its true item identities."""

    folder: Path
    captures: int
    size: int
    identities: int


def write_archive_files(
    captures: int, items: int, seed: int, folder: Path, churn: Churn | None = None
) -> WrittenArchive:
    """Stream a random archive into `folder`, one file per capture, holding one capture at a time."""
    folder.mkdir(parents=True, exist_ok=True)
    size = 0
    identities: set[str] = set()
    for capture in iter_captures(captures, items, seed, churn or Churn()):
        data = capture.text.encode("utf-8")
        (folder / capture.name).write_bytes(data)
        size += len(data)
        identities.update(entry.identity for entry in capture.page.items)
    return WrittenArchive(folder, captures, size, len(identities))
