"""CSV for spreadsheets, and the plain records the JSON timeline shares.

Dates are written as ISO dates, missing values as empty cells. Page text is
untrusted and a spreadsheet runs a cell that starts like a formula, so every
text cell (headers included) that starts with =, +, -, @, a tab or a carriage
return gets a leading single quote, as OWASP recommends; numbers and dates are
written as they are, so a negative delta stays -3.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from diffcore.model import Timeline

if TYPE_CHECKING:
    import pandas as pd


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A text cell a spreadsheet would take for a formula, quoted; any other value as it is."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def table_frame(timeline: Timeline, table: str) -> pd.DataFrame:
    """One timeline table as a flat DataFrame with ISO date strings."""
    import pandas as pd

    if table == "items":
        frame = timeline.items_frame()
    elif table == "counters":
        frame = timeline.counters_frame()
    elif table == "readings":
        frame = timeline.readings_frame()
    elif table == "leads":
        frame = timeline.leads_frame()
    else:
        frame = timeline.presence_frame().reset_index()
    frame = frame.copy()
    for column in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[column]):
            frame[column] = frame[column].dt.strftime("%Y-%m-%d")
    return frame


def records(timeline: Timeline, table: str) -> list[dict[str, Any]]:
    """A timeline table as JSON-ready records (None for missing values)."""
    frame = table_frame(timeline, table).astype(object)
    frame = frame.where(frame.notna(), None)
    return frame.to_dict("records")


def render_timeline(timeline: Timeline, tables: tuple[str, ...], color: bool = False) -> str:
    """`timeline --format csv`: the first chosen table (a CSV holds one table), formulas neutralised."""
    import pandas as pd

    frame = table_frame(timeline, tables[0])
    frame.columns = pd.Index([neutralise(str(column)) for column in frame.columns])
    for index, dtype in enumerate(frame.dtypes):
        if pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
            frame.isetitem(index, frame.iloc[:, index].map(neutralise).to_numpy())
    return frame.to_csv(index=False, lineterminator="\n")
