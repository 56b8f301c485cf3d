"""Text normalisers: what counts as "the same text" for display and for matching."""

from __future__ import annotations

import re

import pytest

from diffcore.identity import item_id
from diffcore.normalise import clean, key, key_words, words

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("  Lamp\u00a0room \t glazing  ", "Lamp room glazing"),
        ("Keeper\u2019s \u201cnotes\u201d \u2014 done", "Keeper\u2019s \u201cnotes\u201d \u2014 done"),
        ("\ufb01rst \uff12\uff10\uff12\uff10", "first 2020"),  # NFKC: ligature, full-width digits
        ("caf\u0065\u0301", "caf\u00e9"),  # NFKC composes accents
        ("line one\nline two\u2028three", "line one line two three"),
        ("\u202fthin\u2009spaces\u3000too", "thin spaces too"),
        ("", ""),
        (NBSP + " " + NBSP, ""),
    ],
)
def test_clean(raw: str, cleaned: str) -> None:
    assert clean(raw) == cleaned
    assert clean(cleaned) == cleaned


@pytest.mark.parametrize(
    ("variant", "plain"),
    [
        ("\u201cLights on the Water\u201d", '"lights on the water"'),
        ("\u00abLights\u00bb \u201eon\u201f", '"lights" "on"'),
        ("Keeper\u2019s \u2018log\u2019 `x\u00b4", "keeper's 'log' 'x'"),
        ("2019\u20132020 \u2014 end \u2212 1 \u2011 \u2010", "2019-2020 - end - 1 - -"),
        ("LAMP\u00a0ROOM", "lamp room"),
        ("Stra\u00dfe", "strasse"),  # casefold, not lower
        ("  Annual   Report ", "annual report"),
    ],
)
def test_key_folds_case_quotes_dashes_and_space(variant: str, plain: str) -> None:
    assert key(variant) == plain
    assert key(plain) == plain


def test_key_does_not_fold_away_real_differences() -> None:
    assert key("first two panes") != key("first three panes")
    assert key("caf\u00e9") != key("cafe")
    assert key("Новый фонарь") == "новый фонарь"


def test_words() -> None:
    assert words("Lamp\u00a0room  \u201cglazing\u201d") == ["Lamp", "room", "\u201cglazing\u201d"]
    assert key_words("Lamp\u00a0ROOM  \u201cglazing\u201d") == ["lamp", "room", '"glazing"']
    assert words("   ") == []


def test_item_id_shape_and_stability() -> None:
    first = item_id("2020-07-21", "Annual report 2019\u20132020")
    assert re.fullmatch(r"2020-07-21-[0-9a-f]{8}", first)
    assert first == item_id("2020-07-21", "Annual report 2019\u20132020")
    assert first == "2020-07-21-b4f41947"  # ids are stored by users: the hash must never change


@pytest.mark.parametrize(
    "variant",
    [
        "\u201cLights on the Water\u201d evening postponed",
        '"Lights on the Water" evening postponed',
        "\u00abLights on the water\u00bb Evening Postponed",
        "  \u201cLIGHTS  on\u00a0the Water\u201d evening postponed ",
        "\u201eLights on the Water\u201d\tevening postponed",
    ],
)
def test_item_id_ignores_case_quotes_and_spaces(variant: str) -> None:
    assert item_id("2020-07-28", variant) == item_id("2020-07-28", '"lights on the water" evening postponed')


def test_item_id_tells_dates_and_titles_apart() -> None:
    base = item_id("2020-07-28", "Evening walk postponed")
    assert item_id("2020-07-29", "Evening walk postponed") != base
    assert item_id("2020-07-28", "Evening walk cancelled") != base
    assert item_id("31.02.2020", "Evening walk postponed").startswith("31.02.2020-")
