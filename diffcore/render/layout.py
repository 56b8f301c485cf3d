"""Tables of text laid out as tabulate lays them out, several times faster, for tables of many thousand rows.

`text_table` is tabulate's "simple" format and `markdown_table` its "github"
format, with numbers read as text (`disable_numparse`): every cell flush left
in a column as wide as its widest cell in terminal columns (at least the
header's and two). With `numbers`, `text_table` reads numbers as tabulate does
by default, for tables of counts: a column whose every cell is a whole number
("887", "+3", "-12") is flush right, header too. A table tabulate would lay out
otherwise (a cell that is not text, has spaces at either end, several lines or
colour codes, or reads as a decimal, a truth value or nothing) is left to
tabulate, so the text is always tabulate's. Neither tabulate nor wcwidth is
imported until a table needs it (wcwidth: a cell of other than `NARROW`
characters): `diffcore diff` starts faster without them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache

_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


@dataclass(frozen=True)
class Rows:
    """A table's rows, made anew each time they are read: a long table is never whole in memory."""

    make: Callable[[], Iterator[tuple[str, ...]]]

    def __iter__(self) -> Iterator[tuple[str, ...]]:
        return self.make()


TableRows = Sequence[tuple[str, ...]] | Rows
"""Rows that can be read more than once (a generator cannot: a table reads its rows twice)."""


@cache
def _wcswidth() -> Callable[[str], int]:
    """wcwidth's `wcswidth`, which tabulate measures with when it is installed; else `len`, as tabulate then does."""
    try:
        from wcwidth import wcswidth
    except ImportError:
        return len
    return wcswidth


NARROW = re.compile("[\x20-\x7e\u00a0-\u00ac\u00ae-\u024f\u0400-\u0482\u048a-\u04ff\u2010-\u2027\u2030-\u205e]*")
"""Text of characters one column wide in every wcwidth: printable ASCII, Latin letters, Cyrillic letters (not its
combining marks) and the dashes, quotes and ellipsis of general punctuation. Measured without importing wcwidth."""


def display_width(text: str) -> int:
    """How many terminal columns `text` takes, as tabulate measures it (-1 when it holds a control character)."""
    if (text.isascii() and text.isprintable()) or NARROW.fullmatch(text):
        return len(text)
    return _wcswidth()(text)


def _tabulate(rows: Sequence[Sequence[object]], headers: Sequence[str], tablefmt: str, numbers: bool = False) -> str:
    from tabulate import tabulate

    return str(tabulate(rows, headers=headers, tablefmt=tablefmt, disable_numparse=not numbers))


def text_table(rows: Sequence[Sequence[object]], headers: Sequence[str], numbers: bool = False) -> str:
    """`tabulate(rows, headers, tablefmt="simple", disable_numparse=not numbers)`."""
    widths = _widths(rows, headers)
    right = _whole_number_columns(rows, len(headers)) if numbers and widths is not None else ()
    if widths is None or right is None:
        return _tabulate(rows, headers, "simple", numbers)
    lines = [_joined(headers, widths, "  ", right).rstrip(), "  ".join("-" * width for width in widths)]
    lines += [_joined(row, widths, "  ", right).rstrip() for row in rows]  # type: ignore[arg-type]  # all text (_widths)
    return "\n".join(lines)


def _whole_number_columns(rows: Sequence[Sequence[object]], columns: int) -> tuple[bool, ...] | None:
    """Which columns tabulate reads as whole numbers (set flush right), or None where a cell needs tabulate to tell."""
    whole = [bool(rows)] * columns
    for row in rows:
        for column, cell in enumerate(map(str, row)):  # all text (_widths)
            if _WHOLE_NUMBER.fullmatch(cell):
                continue
            try:  # tabulate reads a cell as a number when float() takes it
                float(cell)
            except ValueError:
                if cell in ("", "True", "False"):  # tabulate's nothing and truth values
                    return None
                whole[column] = False
            else:
                return None
    return tuple(whole)


def markdown_table(rows: Sequence[Sequence[object]], headers: Sequence[str]) -> str:
    """`tabulate(rows, headers, tablefmt="github", disable_numparse=True)`."""
    return "\n".join(markdown_table_lines(rows, headers))


def markdown_table_lines(rows: Sequence[Sequence[object]] | Rows, headers: Sequence[str]) -> Iterator[str]:
    """`markdown_table` a line at a time, reading `rows` twice (widths, then lines) rather than holding them.

    With `Rows`, a table of many thousand rows costs one row at a time (and
    each row is made twice).
    """
    widths = _widths(rows, headers)
    if widths is None:
        yield from _tabulate(list(rows), headers, "github").split("\n")
        return
    yield f"| {_joined(headers, widths, ' | ')} |"
    yield "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    for row in rows:
        yield f"| {_joined(row, widths, ' | ')} |"  # type: ignore[arg-type]  # all text (_widths)


def _widths(rows: Iterable[Sequence[object]], headers: Sequence[str]) -> list[int] | None:
    """Each column's width, or None where tabulate lays the table out otherwise."""
    widths = [_width(header) for header in headers]
    if any(width is None for width in widths):
        return None
    found = [width + 2 for width in widths if width is not None]
    for row in rows:
        if len(row) != len(found):
            return None
        for column, cell in enumerate(row):
            width = _width(cell)
            if width is None:
                return None
            if width > found[column]:
                found[column] = width
    return found


def _width(cell: object) -> int | None:
    """A cell's width in terminal columns, or None when tabulate would not take it as it is."""
    if not isinstance(cell, str):
        return None
    if cell.isascii() and cell.isprintable():  # most cells: as wide as long, nothing to check but spaces
        return None if cell and (cell[0] == " " or cell[-1] == " ") else len(cell)
    width = display_width(cell)
    if width < 0 or cell != cell.strip() or "\x1b" in cell or "\n" in cell or "\r" in cell:
        return None
    return int(width)


def _joined(cells: Sequence[str], widths: Sequence[int], between: str, right: Sequence[bool] = ()) -> str:
    """The cells padded to their columns' widths, flush right in the columns `right` marks, flush left elsewhere."""
    padded = []
    for column, (cell, width) in enumerate(zip(cells, widths, strict=True)):
        padding = " " * (width - display_width(cell))
        padded.append(padding + cell if right and right[column] else cell + padding)
    return between.join(padded)
