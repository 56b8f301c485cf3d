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


def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with its date columns as ISO date strings."""
    import pandas as pd

    frame = frame.copy()
    for column in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[column]):
            frame[column] = frame[column].dt.strftime("%Y-%m-%d")
    return frame


RECORDS_AT_ONCE = 2_000
"""Rows written together: a table of any length costs its frame and this many rows of text at a time."""


def _slices(timeline: Timeline, table: str) -> Iterator[pd.DataFrame]:
    """A timeline table (or "readings": counters in long form) with ISO dates, `RECORDS_AT_ONCE` rows a slice.

    A table of no rows is one empty slice, so its header is still written.
    """
    frame = _frame_builders()[table](timeline)
    for start in range(0, max(len(frame), 1), RECORDS_AT_ONCE):
        yield _flat(frame.iloc[start : start + RECORDS_AT_ONCE])


def records(timeline: Timeline, table: str) -> list[dict[str, Any]]:
    """A timeline table as JSON-ready records (None for missing values), all at once, for library users;
    diffcore's own writers take them a slice at a time (`iter_records`)."""
    return list(iter_records(timeline, table))


def iter_records(timeline: Timeline, table: str) -> Iterator[dict[str, Any]]:
    """`records`, made a slice of rows at a time as they are taken."""
    for part in _slices(timeline, table):
        part = part.astype(object)
        part = part.where(part.notna(), None)
        for row in part.to_dict("records"):
            yield {str(column): value for column, value in row.items()}


def render_timeline(timeline: Timeline, tables: Sequence[TimelineTable]) -> str:
    """`timeline --format csv`: the first chosen table (a CSV holds one table), formulas neutralised."""
    return "".join(stream_timeline(timeline, tables))


def stream_timeline(timeline: Timeline, tables: Sequence[TimelineTable]) -> Iterator[str]:
    """`render_timeline` in pieces, a slice of rows at a time: the text of a long table is never whole in memory."""
    import pandas as pd

    for number, part in enumerate(_slices(timeline, tables[0])):
        part.columns = pd.Index([neutralise(str(column)) for column in part.columns])
        for index, dtype in enumerate(part.dtypes):
            if pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
                part.isetitem(index, part.iloc[:, index].map(neutralise).to_numpy())
        yield part.to_csv(index=False, header=number == 0, lineterminator="\n")
