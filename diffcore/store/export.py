"""The store's tables for analysts: CSV files, or Parquet with pyarrow (`pip install 'diffcore[parquet]'`).

`events` is the long format (page, item, capture time, event, field, old,
new, and the item's title, date and link as it read then); the other files
are the tables with ids replaced by what they stand for (the page's URL,
the item's identity, the capture's time). CSV cells that start like a
formula are quoted and control characters escaped, as in every CSV diffcore
writes; Parquet holds the texts as they are.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from diffcore._extras import require
from diffcore.store import reading
from diffcore.store.schema import EVENTS_LONG

if TYPE_CHECKING:
    import sqlite3

    import pandas as pd

EXPORT_FORMATS = ("csv", "parquet")

PAGE_FILTER = "WHERE p.page_id = :page"
EVENTS_FILTER = "WHERE e.page_id = :page"
TABLES: dict[str, str] = {
    "events": EVENTS_LONG.replace("{where}", "{where_events}"),
    "items": "SELECT p.url AS page, i.identity AS item, i.published, i.published_text, i.title, "
    "coalesce(json_array_length(i.titles), 1) AS titles, l.first_seen, l.last_seen, l.seen, l.gaps, "
    "l.days_on_page, i.edits FROM items i JOIN pages p ON p.page_id = i.page_id "
    "JOIN item_lifetimes l ON l.item_id = i.item_id {where} ORDER BY p.page_id, i.first_seq, i.item_id",
    "presence": "SELECT p.url AS page, c.captured_at, c.captured, r.position, i.identity AS item, v.title "
    "FROM presence r JOIN captures c ON c.capture_id = r.capture_id JOIN pages p ON p.page_id = c.page_id "
    "JOIN items i ON i.item_id = r.item_id JOIN versions v ON v.version_id = r.version_id {where} "
    "ORDER BY p.page_id, c.seq, r.position",
    "captures": "SELECT p.url AS page, c.seq, c.captured_at, c.time_source, c.captured, c.capture_time, c.source, "
    "c.url, c.media_type, c.charset, c.digest, c.item_count, l.title AS lead_title, c.warnings, c.fold_warning "
    "FROM captures c JOIN pages p ON p.page_id = c.page_id "
    "LEFT JOIN lead_versions l ON l.lead_version_id = c.lead_version_id {where} ORDER BY p.page_id, c.seq",
    "counters": "SELECT p.url AS page, c.captured_at, c.captured, l.label, l.unit, k.value, k.implied_start, "
    "k.consistent FROM counters k JOIN captures c ON c.capture_id = k.capture_id "
    "JOIN counter_labels l ON l.label_id = k.label_id "
    "JOIN pages p ON p.page_id = c.page_id {where} ORDER BY p.page_id, c.seq, k.position",
    "leads": "SELECT p.url AS page, f.captured AS first_seen, l.captured AS last_seen, "
    "s.last_seq - s.first_seq + 1 AS captures, s.edits, s.title FROM leads s JOIN pages p ON p.page_id = s.page_id "
    "JOIN captures f ON f.page_id = s.page_id AND f.seq = s.first_seq "
    "JOIN captures l ON l.page_id = s.page_id AND l.seq = s.last_seq {where} ORDER BY p.page_id, s.first_seq",
    "pages": "SELECT p.url AS page, p.page_key, p.profile, p.options, "
    "(SELECT count(*) FROM captures c WHERE c.page_id = p.page_id) AS captures FROM pages p {where} ORDER BY p.page_id",
}
"""Each exported table, by file name: its query (`{where}` keeps to one page)."""


def frame(db: sqlite3.Connection, table: str, page: reading.Page | None = None) -> pd.DataFrame:
    """One exported table as a DataFrame, of one page or of all."""
    import pandas as pd

    one = page is not None
    sql = TABLES[table].format(where=PAGE_FILTER if one else "", where_events=EVENTS_FILTER if one else "")
    parameters = {"page": page.page_id} if page is not None else {}
    found = pd.read_sql_query(sql, db, params=parameters)
    if "consistent" in found:
        found["consistent"] = found["consistent"].astype("boolean")
    return found


def events_frame(db: sqlite3.Connection, page: reading.Page | None = None) -> pd.DataFrame:
    """The events in long form: page, item, captured_at, captured, event, field, old, new, title, published, link."""
    return frame(db, "events", page)


def frame_csv(table: pd.DataFrame) -> bytes:
    """A table as CSV bytes, cells that start like a formula quoted and control characters escaped."""
    import pandas as pd

    from diffcore.render.as_csv import neutralise

    table = table.copy()
    table.columns = pd.Index([neutralise(str(column)) for column in table.columns])
    for index, dtype in enumerate(table.dtypes):
        if pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
            table.isetitem(index, table.iloc[:, index].map(neutralise).to_numpy())
    return table.to_csv(index=False, lineterminator="\n").encode("utf-8")


def _parquet(table: pd.DataFrame) -> bytes:
    require("pyarrow", "parquet", "store export --format parquet")
    buffer = io.BytesIO()
    table.to_parquet(buffer, index=False, engine="pyarrow")
    return buffer.getvalue()


def export(
    db: sqlite3.Connection,
    folder: str | Path,
    format: str,
    page: reading.Page | None = None,
    inputs: Sequence[str | Path] = (),
    force: bool = False,
) -> list[str]:
    """Write every table into `folder` as `NAME.csv` or `NAME.parquet`; the names written.

    The folder is written as a report folder is (`diffcore.output.report_folder`):
    whole or not at all, never over an input nor a file diffcore did not write.
    """
    from diffcore.output import report_folder

    if format == "parquet":
        require("pyarrow", "parquet", "store export --format parquet")
    write = _parquet if format == "parquet" else frame_csv
    names = []
    with report_folder(folder, inputs, force=force) as out:
        for table in TABLES:
            name = f"{table}.{format}"
            (out.files.temp / name).write_bytes(write(frame(db, table, page)))
            names.append(name)
        out.record(names)
    return names
