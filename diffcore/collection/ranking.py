"""Pages of a collection ranked by how much they changed: item events per capture, then added, dropped, edited.

The items of a page's first capture are where it starts, not changes; an
edit of several fields in one capture counts once; a counter's events are
not item changes and are left out.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from diffcore.collection.dataset import read_table
from diffcore.errors import CollectionError
from diffcore.normalise import source_text

if TYPE_CHECKING:
    import pandas as pd

RANKING_COLUMNS = (
    "page", "url", "captures", "first", "last", "items", "events", "events_per_capture",
    "added", "returned", "dropped", "edited", "moved", "file",
)  # fmt: skip
ITEM_EVENTS = ("appeared", "returned", "dropped", "edited", "moved")


def ranked_pages(folder: str | Path) -> pd.DataFrame:
    """One row per page built (`RANKING_COLUMNS`), the most changed first (page name breaks ties)."""
    import pandas as pd

    from diffcore.collection.dataset import read_manifest

    manifest = read_manifest(folder)
    if manifest is None:
        raise CollectionError(
            source_text(folder), "not a collection dataset (no collection.json): see collection build"
        )
    captures = read_table(folder, "captures")
    events = read_table(folder, "events")
    items = read_table(folder, "items")
    first_capture = events["page"].map(captures.groupby("page")["captured_at"].min())
    on_first = (events["event"] == "appeared") & (events["captured_at"] == first_capture)
    events = events[events["event"].isin(ITEM_EVENTS) & ~on_first]
    events = events.drop_duplicates(["page", "item", "captured_at", "event"])
    counts = events.groupby(["page", "event"]).size().unstack(fill_value=0).reindex(columns=list(ITEM_EVENTS))
    counts = counts.fillna(0).astype("int64")
    spans = captures.groupby("page")["captured"].agg(["min", "max"])
    item_counts = items.groupby("page").size()
    rows = []
    for entry in manifest.pages:
        if entry.error is not None:
            continue
        found: dict[str, int] = (
            {event: int(counts.loc[entry.page, event]) for event in ITEM_EVENTS}  # type: ignore[arg-type]
            if entry.page in counts.index
            else dict.fromkeys(ITEM_EVENTS, 0)
        )
        total = sum(found.values())
        first, last = spans.loc[entry.page] if entry.page in spans.index else ("", "")
        rows.append(
            {
                "page": entry.page,
                "url": entry.url,
                "captures": entry.captures,
                "first": first,
                "last": last,
                "items": int(item_counts.get(entry.page, 0)),
                "events": total,
                "events_per_capture": round(total / entry.captures, 3) if entry.captures else 0.0,
                "added": found["appeared"],
                "returned": found["returned"],
                "dropped": found["dropped"],
                "edited": found["edited"],
                "moved": found["moved"],
                "file": entry.file,
            }
        )
    table = pd.DataFrame(rows, columns=list(RANKING_COLUMNS))
    order = table.sort_values(
        ["events_per_capture", "added", "dropped", "edited", "page"],
        ascending=[False, False, False, False, True],
        kind="stable",
    )
    return order.reset_index(drop=True)
