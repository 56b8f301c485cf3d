"""`text_table` and `markdown_table` lay tables out exactly as tabulate's "simple" and "github" formats do
(numbers read as text, or as numbers for `text_table(numbers=True)`)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tabulate import tabulate

from diffcore.render.layout import NARROW, display_width, markdown_table, text_table
from tests.support import examples

CELLS = st.text(
    alphabet=st.sampled_from(["a", "Z", "1", "-", " ", ".", "é", "漢", "\u0301", "\t", "\n", "\x1b", "€", "0", "e"]),
    max_size=8,
)


@settings(max_examples=examples(300), deadline=None)
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


# Cells of counts tables: whole numbers with and without signs, and what tabulate reads otherwise.
NUMBERISH = st.one_of(
    st.integers(-(10**12), 10**12).map(str),
    st.integers(0, 999).map(lambda n: f"+{n}"),
    st.sampled_from(["-", "", "True", "False", "1.5", "1e3", "inf", "nan", "1_000", "012", "#3", "٣", "n/a", "-0"]),
    CELLS,
)


@settings(max_examples=examples(300), deadline=None)
@given(headers=st.lists(CELLS, min_size=1, max_size=4), data=st.data())
def test_the_same_text_as_tabulate_reading_numbers(headers: list[str], data: st.DataObject) -> None:
    columns = [data.draw(st.sampled_from([NUMBERISH, st.integers(0, 99).map(str)])) for _ in headers]
    rows = data.draw(st.lists(st.tuples(*columns), max_size=6))
    assert text_table(rows, headers, numbers=True) == tabulate(rows, headers=headers, tablefmt="simple")


def test_columns_of_whole_numbers_are_flush_right() -> None:
    rows = [("visitors", "887", "+3"), ("days", "-", "-12")]
    assert text_table(rows, ("counter", "old", "delta"), numbers=True) == (
        "counter    old      delta\n---------  -----  -------\nvisitors   887         +3\ndays       -          -12"
    )


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


def test_narrow_text_is_measured_as_wcwidth_measures_it() -> None:
    """Every character `display_width` measures without wcwidth is one column wide in wcwidth too."""
    wcwidth = pytest.importorskip("wcwidth")
    narrow = "".join(chr(code) for code in range(0x2100) if NARROW.fullmatch(chr(code)))
    assert len(narrow) > 800 and "é" in narrow and "—" in narrow and "…" in narrow
    assert [char for char in narrow if wcwidth.wcswidth(char) != 1] == []
    assert display_width(narrow) == wcwidth.wcswidth(narrow) == len(narrow)
    for other in ("\u00ad", "\u0301", "\u0483", "\u200b", "\u2060", "漢"):  # soft hyphen, marks, zero width, wide
        assert not NARROW.fullmatch(other)
        assert display_width(f"a{other}") == wcwidth.wcswidth(f"a{other}")
