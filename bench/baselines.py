"""The tools users would otherwise reach for, each reading a W1 case and reporting comparable pairs.

Each tool is three steps: `prepare` turns the case folder into the tool's
own input (not timed), `call` is the tool's work (timed), and `read` turns
what it returned into a `Found` of item positions (not timed). Items reach a
tool as rows (published, title, summary) or, for the line diff, as the lines
of the captures.

How each tool's report counts (scored by `bench.truth`):

- DeepDiff (ignore_order): an item-level `values_changed` links the old and
  the new row it paired (a change inside an item is traced up to its row).
  It has no notion of a move.
- daff: a modified row ("->") links the old and new row of its alignment; a
  reordered row (":") is a move.
- csv-diff keyed on the title: a "changed" entry links the rows with that
  title (the last of each, as csv-diff keeps them). It has no notion of a move.
- difflib.unified_diff over the lines: no notion of items, edits or moves.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.truth import Found

Rows = list[list[str]]
COLUMNS = ["published", "title", "summary"]


@dataclass(frozen=True)
class Tool:
    """A tool under measurement: untimed `prepare`, timed `call`, untimed `read`."""

    name: str
    prepare: Callable[[Path], Any]
    call: Callable[[Any], Any]
    read: Callable[[Any, Any], Found]


def read_rows(folder: Path) -> tuple[Rows, Rows]:
    """The old and new items of a case as rows (published, title, summary)."""
    rows = json.loads((folder / "rows.json").read_text(encoding="utf-8"))
    return rows["old"], rows["new"]


# DeepDiff with ignore_order.


def _deepdiff_prepare(folder: Path) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    old, new = read_rows(folder)
    return [dict(zip(COLUMNS, row, strict=False)) for row in old], [
        dict(zip(COLUMNS, row, strict=False)) for row in new
    ]


def _deepdiff_call(inputs: tuple[list[dict[str, str]], list[dict[str, str]]]) -> Any:
    from deepdiff import DeepDiff

    old, new = inputs
    return DeepDiff(old, new, ignore_order=True, view="tree")


def _deepdiff_read(inputs: tuple[list[dict[str, str]], list[dict[str, str]]], result: Any) -> Found:
    old, new = inputs
    old_at = {id(row): at for at, row in enumerate(old)}
    new_at = {id(row): at for at, row in enumerate(new)}
    pairs = set()
    for kind in ("values_changed", "type_changes", "dictionary_item_added", "dictionary_item_removed"):
        for level in result.get(kind, ()):
            while level.up is not None and level.up.up is not None:
                level = level.up  # up to the row: the level just below the root
            if id(level.t1) in old_at and id(level.t2) in new_at:
                pairs.add((old_at[id(level.t1)], new_at[id(level.t2)]))
    return Found(edits=tuple(sorted(pairs)), moves_known=False)


# daff.


def _daff_prepare(folder: Path) -> tuple[Rows, Rows]:
    old, new = read_rows(folder)
    return [COLUMNS, *old], [COLUMNS, *new]


def _daff_call(inputs: tuple[Rows, Rows]) -> Any:
    import daff

    old, new = inputs
    flags = daff.CompareFlags()
    alignment = daff.compareTables(daff.PythonTableView(old), daff.PythonTableView(new), flags).align()
    highlighted: Rows = []
    daff.TableDiff(alignment, flags).hilite(daff.PythonTableView(highlighted))
    return alignment


def _daff_read(inputs: tuple[Rows, Rows], alignment: Any) -> Found:
    """Each aligned row with its action, from a second highlight that shows unchanged rows too."""
    import daff

    flags = daff.CompareFlags()
    flags.show_unchanged = True
    highlighted: Rows = []
    daff.TableDiff(alignment, flags).hilite(daff.PythonTableView(highlighted))
    units = alignment.toOrder().getList()
    if len(units) != len(highlighted):
        raise RuntimeError("daff: highlighted rows do not follow the alignment")
    edits, moves = [], []
    for unit, row in zip(units, highlighted, strict=False):
        if unit.l < 1 or unit.r < 1:
            continue  # the header, or a row only one side has
        pair = (unit.l - 1, unit.r - 1)
        if "->" in row[0]:
            edits.append(pair)
        if row[0].startswith(":"):
            moves.append(pair)
    return Found(edits=tuple(edits), moves=tuple(moves))


# csv-diff keyed on the title.


def _csv_text(rows: Rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return out.getvalue()


def _csv_prepare(folder: Path) -> tuple[str, str, Rows, Rows]:
    old, new = read_rows(folder)
    return _csv_text(old), _csv_text(new), old, new


def _csv_call(inputs: tuple[str, str, Rows, Rows]) -> Any:
    from csv_diff import compare, load_csv

    old, new = inputs[0], inputs[1]
    # The dialect is given, as a caller who wrote the files would: csv-diff's
    # sniffing of the first megabyte is not part of the comparison.
    return compare(
        load_csv(io.StringIO(old), key="title", dialect="excel"),
        load_csv(io.StringIO(new), key="title", dialect="excel"),
    )


def _csv_read(inputs: tuple[str, str, Rows, Rows], result: Any) -> Found:
    old_at = {row[1]: at for at, row in enumerate(inputs[2])}  # the last row of a title, as csv-diff keeps
    new_at = {row[1]: at for at, row in enumerate(inputs[3])}
    pairs = tuple((old_at[change["key"]], new_at[change["key"]]) for change in result["changed"])
    return Found(edits=pairs, moves_known=False)


# difflib.unified_diff over the lines of the captures.


def _lines_prepare(folder: Path) -> tuple[list[str], list[str]]:
    return (
        (folder / "old.txt").read_text(encoding="utf-8").splitlines(),
        (folder / "new.txt").read_text(encoding="utf-8").splitlines(),
    )


def _lines_call(inputs: tuple[list[str], list[str]]) -> list[str]:
    return list(difflib.unified_diff(inputs[0], inputs[1], lineterm=""))


def _lines_read(inputs: object, result: object) -> Found:
    return Found(items=False, moves_known=False)


def _lines_end_to_end(folder: Path) -> str:
    """`diff -u OLD NEW` in this process: read both files, diff their lines, the unified diff as one text."""
    old = (folder / "old.txt").read_text(encoding="utf-8").splitlines()
    new = (folder / "new.txt").read_text(encoding="utf-8").splitlines()
    return "\n".join(difflib.unified_diff(old, new, "old.txt", "new.txt", lineterm=""))


BASELINES = (
    Tool("deepdiff", _deepdiff_prepare, _deepdiff_call, _deepdiff_read),
    Tool("daff", _daff_prepare, _daff_call, _daff_read),
    Tool("csv-diff", _csv_prepare, _csv_call, _csv_read),
    Tool("unified_diff", _lines_prepare, _lines_call, _lines_read),
    Tool("unified_diff-e2e", lambda folder: folder, _lines_end_to_end, _lines_read),
)
