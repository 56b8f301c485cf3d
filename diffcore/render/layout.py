"""Tables of text laid out as tabulate lays them out, several times faster, for tables of many thousand rows.

`text_table` is tabulate's "simple" format and `markdown_table` its "github"
format, both with numbers read as text (`disable_numparse`): every cell
flush left in a column as wide as its widest cell in terminal columns (at
least the header's and two). A table tabulate would lay out otherwise (a
cell that is not text, has spaces at either end, several lines or colour
codes) is left to tabulate, so the text is always tabulate's.
"""

from __future__ import annotations

from collections.abc import Sequence

from tabulate import tabulate

try:  # tabulate measures width in terminal columns when wcwidth is installed, else in characters
    from wcwidth import wcswidth
except ImportError:
    wcswidth = len  # type: ignore[assignment]


def text_table(rows: Sequence[Sequence[object]], headers: Sequence[str]) -> str:
    """`tabulate(rows, headers, tablefmt="simple", disable_numparse=True)`."""
    widths = _widths(rows, headers)
    if widths is None:
        return str(tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True))
    lines = [_joined(headers, widths, "  ").rstrip(), "  ".join("-" * width for width in widths)]
    lines += [_joined(row, widths, "  ").rstrip() for row in rows]  # type: ignore[arg-type]  # all text (_widths)
    return "\n".join(lines)


def markdown_table(rows: Sequence[Sequence[object]], headers: Sequence[str]) -> str:
    """`tabulate(rows, headers, tablefmt="github", disable_numparse=True)`."""
    widths = _widths(rows, headers)
    if widths is None:
        return str(tabulate(rows, headers=headers, tablefmt="github", disable_numparse=True))
    lines = [f"| {_joined(headers, widths, ' | ')} |", "|" + "|".join("-" * (width + 2) for width in widths) + "|"]
    lines += [f"| {_joined(row, widths, ' | ')} |" for row in rows]  # type: ignore[arg-type]  # all text (_widths)
    return "\n".join(lines)


def _widths(rows: Sequence[Sequence[object]], headers: Sequence[str]) -> list[int] | None:
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
    width = wcswidth(cell)
    if width < 0 or cell != cell.strip() or "\x1b" in cell or "\n" in cell or "\r" in cell:
        return None
    return int(width)


def _joined(cells: Sequence[str], widths: Sequence[int], between: str) -> str:
    return between.join(
        cell.ljust(width) if cell.isascii() else cell + " " * (width - wcswidth(cell))
        for cell, width in zip(cells, widths, strict=True)
    )
