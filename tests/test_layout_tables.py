"""`text_table` and `markdown_table` lay tables out exactly as tabulate's "simple" and "github" formats do
(numbers read as text)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from tabulate import tabulate

from diffcore.render.layout import markdown_table, text_table

CELLS = st.text(
    alphabet=st.sampled_from(["a", "Z", "1", "-", " ", ".", "é", "漢", "\u0301", "\t", "\n", "\x1b", "€", "0", "e"]),
    max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(
    headers=st.lists(CELLS, min_size=1, max_size=4),
    data=st.data(),
)
def test_the_same_text_as_tabulate(headers: list[str], data: st.DataObject) -> None:
    rows = data.draw(st.lists(st.lists(CELLS, min_size=len(headers), max_size=len(headers)), max_size=6))
    expected = tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True)
    assert text_table(rows, headers) == expected
    expected = tabulate(rows, headers=headers, tablefmt="github", disable_numparse=True)
    assert markdown_table(rows, headers) == expected


def test_numbers_and_missing_cells_are_left_to_tabulate() -> None:
    rows = [(1, None, "x"), (22, "y", "z")]
    headers = ("n", "a", "b")
    assert text_table(rows, headers) == tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True)
    assert markdown_table(rows, headers) == tabulate(rows, headers=headers, tablefmt="github", disable_numparse=True)


def test_plain_rows() -> None:
    assert text_table([("2020-01-01", "Harbour opens")], ("date", "title")) == (
        "date        title\n----------  -------------\n2020-01-01  Harbour opens"
    )
    assert markdown_table([("2020-01-01", "Harbour opens")], ("date", "title")) == (
        "| date       | title         |\n|------------|---------------|\n| 2020-01-01 | Harbour opens |"
    )
