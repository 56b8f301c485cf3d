"""Timeline to pandas DataFrames: items, counters, presence, lead spans.

Dates are datetime64 columns (NaT where unknown) so notebook users can filter
and resample; renderers format them back to ISO dates.
"""

from __future__ import annotations

import pandas as pd

from diffcore.model import Timeline, capture_labels, counter_labels

ITEM_COLUMNS = [
    "id",
    "published",
    "title",
    "titles",
    "first_seen",
    "last_seen",
    "seen",
    "span",
    "gaps",
    "lag_days",
    "edits",
]


PLAIN_ITEM_COLUMNS = ("id", "title", "titles", "seen", "span", "gaps", "edits")
"""The item columns of Python values (the others are dates and a nullable integer)."""


def _dates(values: list) -> pd.Series:  # type: ignore[type-arg]
    return pd.to_datetime(pd.Series(values, dtype="object"), errors="coerce")


def items_frame(timeline: Timeline) -> pd.DataFrame:
    """One row per item identity, sorted by first seen, then published date.

    Built a column at a time: a timeline of many thousand identities costs
    a list per column, not a dictionary per row.
    """
    captures, histories = timeline.captures, timeline.histories
    first_seen = [captures[history.first].captured for history in histories]
    published = [history.published for history in histories]
    columns: dict[str, object] = {
        "id": [history.identity for history in histories],
        "published": _dates(published),
        "title": [history.title for history in histories],
        "titles": [len(history.titles) for history in histories],
        "first_seen": _dates(first_seen),
        "last_seen": _dates([captures[history.last].captured for history in histories]),
        "seen": [history.seen for history in histories],
        "span": [history.last - history.first + 1 for history in histories],
        "gaps": [history.gaps for history in histories],
        "lag_days": pd.array(
            [None if day is None else (first - day).days for first, day in zip(first_seen, published, strict=True)],
            dtype="Int64",
        ),
        "edits": [history.edits for history in histories],
    }
    frame = pd.DataFrame(columns, columns=ITEM_COLUMNS)
    # No rows: the plain columns stay "object", as a frame made from no row dictionaries has them.
    return frame if histories else frame.astype({column: "object" for column in PLAIN_ITEM_COLUMNS})


def counters_frame(timeline: Timeline) -> pd.DataFrame:
    """One row per capture; per counter its value, implied start and a stall flag.

    The flag is True where the counter did not move with the calendar since the
    previous capture that showed it.
    """
    labels = counter_labels(timeline)
    rows = [{"captured": ref.captured, "source": ref.source} for ref in timeline.captures]
    for row in rows:
        for label in labels:
            row[label] = None
            row[f"{label} (start)"] = None
            row[f"{label} (stalled)"] = None
    for reading in timeline.counters:
        row = rows[reading.capture]
        row[reading.label] = reading.value
        row[f"{reading.label} (start)"] = reading.implied_start
        row[f"{reading.label} (stalled)"] = None if reading.consistent is None else not reading.consistent
    columns = ["captured", "source"] + [
        f"{label}{suffix}" for label in labels for suffix in ("", " (start)", " (stalled)")
    ]
    frame = pd.DataFrame(rows, columns=columns)
    frame["captured"] = _dates(list(frame["captured"]))
    for label in labels:
        frame[label] = frame[label].astype("Int64")
        frame[f"{label} (start)"] = _dates(list(frame[f"{label} (start)"]))
        frame[f"{label} (stalled)"] = frame[f"{label} (stalled)"].astype("boolean")
    return frame


def readings_frame(timeline: Timeline) -> pd.DataFrame:
    """One row per counter reading (long form): capture date, label, value, implied start, consistent."""
    rows = [
        {
            "captured": timeline.captures[r.capture].captured,
            "label": r.label,
            "unit": r.unit,
            "value": r.value,
            "implied_start": r.implied_start,
            "consistent": r.consistent,
        }
        for r in timeline.counters
    ]
    frame = pd.DataFrame(rows, columns=["captured", "label", "unit", "value", "implied_start", "consistent"])
    for column in ("captured", "implied_start"):
        frame[column] = _dates(list(frame[column]))
    frame["consistent"] = frame["consistent"].astype("boolean")
    return frame


def presence_frame(timeline: Timeline) -> pd.DataFrame:
    """Items (rows, by id) x captures (columns, ISO dates, see `capture_labels`): True where shown."""
    columns = capture_labels(timeline)
    data = [history.presence(len(columns)) for history in timeline.histories]
    index = pd.Index([h.identity for h in timeline.histories], name="id")
    return pd.DataFrame(data, index=index, columns=pd.Index(columns, name="captured"), dtype=bool)


def leads_frame(timeline: Timeline) -> pd.DataFrame:
    """One row per lead article span: title as last seen, first and last capture, edits."""
    rows = [
        {
            "title": span.title,
            "first_seen": timeline.captures[span.first].captured,
            "last_seen": timeline.captures[span.last].captured,
            "captures": span.last - span.first + 1,
            "edits": span.edits,
        }
        for span in timeline.leads
    ]
    frame = pd.DataFrame(rows, columns=["title", "first_seen", "last_seen", "captures", "edits"])
    for column in ("first_seen", "last_seen"):
        frame[column] = _dates(list(frame[column]))
    return frame
