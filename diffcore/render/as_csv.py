"""CSV for spreadsheets, and the plain records the JSON timeline shares.

Dates are written as ISO dates, missing values as empty cells. Page text is
untrusted: in every text cell (headers included) control characters and
bidirectional controls are written escaped (\x1b, \u202e), so showing the
file in a terminal runs nothing, and a cell that starts with =, +, -, @, a tab
or a carriage return gets a leading single quote, as OWASP recommends against
formula injection; numbers and dates are written as they are, so a negative
delta stays -3.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from diffcore.model import Timeline, TimelineTable
from diffcore.render.common import one_line

if TYPE_CHECKING:
    import pandas as pd


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A text cell made safe: control characters escaped (a terminal showing the file runs none),
    and quoted when a spreadsheet would take it for a formula; any other value as it is."""
    if not isinstance(value, str):
        return value
    value = one_line(value)
    return "'" + value if value.startswith(FORMULA_START) else value


def _frame_builders() -> dict[str, Callable[[Timeline], pd.DataFrame]]:
    from diffcore import tables

    return {
        "items": tables.items_frame,
        "counters": tables.counters_frame,
        "readings": tables.readings_frame,
        "leads": tables.leads_frame,
        "presence": lambda timeline: tables.presence_frame(timeline).reset_index(),
    }


def table_frame(timeline: Timeline, table: str) -> pd.DataFrame:
    """One timeline table (or "readings", the counters in long form) as a flat DataFrame with ISO date strings."""
    import pandas as pd

    frame = _frame_builders()[table](timeline).copy()
    for column in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[column]):
            frame[column] = frame[column].dt.strftime("%Y-%m-%d")
    return frame


RECORDS_AT_ONCE = 2_000
"""Rows turned into records together: a table of any length costs no more than this many at a time."""


def records(timeline: Timeline, table: str) -> list[dict[str, Any]]:
    """A timeline table as JSON-ready records (None for missing values)."""
    return list(iter_records(timeline, table))


def iter_records(timeline: Timeline, table: str) -> Iterator[dict[str, Any]]:
    """`records`, made a slice of rows at a time as they are taken."""
    frame = table_frame(timeline, table)
    for start in range(0, len(frame), RECORDS_AT_ONCE):
        part = frame.iloc[start : start + RECORDS_AT_ONCE].astype(object)
        part = part.where(part.notna(), None)
        for row in part.to_dict("records"):
            yield {str(column): value for column, value in row.items()}


def render_timeline(timeline: Timeline, tables: Sequence[TimelineTable]) -> str:
    """`timeline --format csv`: the first chosen table (a CSV holds one table), formulas neutralised."""
    import pandas as pd

    frame = table_frame(timeline, tables[0])
    frame.columns = pd.Index([neutralise(str(column)) for column in frame.columns])
    for index, dtype in enumerate(frame.dtypes):
        if pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
            frame.isetitem(index, frame.iloc[:, index].map(neutralise).to_numpy())
    return frame.to_csv(index=False, lineterminator="\n")
