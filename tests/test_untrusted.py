"""Page text and file names are untrusted: what diffcore writes must not let them act.

Spreadsheet formulas in CSV cells, bidirectional overrides that reorder a
title, terminal escapes in file names; and the small things a user hits when
captures share a date or counters share a long opening.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest

from diffcore.model import Lead, Timeline
from diffcore.render import as_csv
from diffcore.timeline import timeline
from tests.build import make_snapshot

FORMULAS = ("=HYPERLINK(\"http://evil\")", "+1+2", "-2+3", "@SUM(A1)", "\tTab")
NUMBER = re.compile(r"-?\d+")


def formula_timeline() -> Timeline:
    """Two captures whose titles, lead, file name and a counter label start like formulas."""
    items = [("03.08.2020", title, ("summary",)) for title in FORMULAS]
    items.append(("10.08.2020", "Published three days after the capture", ("summary",)))
    lead = Lead("=lead title", ("text",), ())
    first = make_snapshot(items, source="-old.txt", lead=lead, counters=[(10, "={n} days since the flood")])
    second = make_snapshot(items, captured=dt.date(2020, 8, 21), source="@new.txt", lead=lead,
                           counters=[(24, "={n} days since the flood")])
    return timeline([first, second])


@pytest.mark.parametrize("table", ["items", "counters", "leads"])
def test_csv_text_cells_that_start_like_formulas_are_quoted(table: str) -> None:
    text = as_csv.render_timeline(formula_timeline(), (table,))
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t")) and not NUMBER.fullmatch(cell)]
    if table == "items":
        assert {"'" + title for title in FORMULAS} <= set(cells)
        assert "-3" in cells  # lag days: a number stays a number
    if table == "counters":
        assert {"'-old.txt", "'@new.txt", "'={n} days since the flood"} <= set(cells)
        assert {"10", "24", "2020-07-28"} <= set(cells)
    if table == "leads":
        assert "'=lead title" in cells


def test_csv_carriage_return_at_the_start_is_quoted_too() -> None:
    # The parser splits lines at a carriage return, so no title holds one; test the rule itself.
    assert as_csv.neutralise("\rReturn") == "'\rReturn"
    assert as_csv.neutralise(-3) == -3

