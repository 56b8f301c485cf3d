"""`json_text` writes what `json.dumps(indent=2, sort_keys=True, ensure_ascii=False)` writes, byte for byte."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from diffcore.render.as_json import json_text
from tests.support import examples

TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(["\x00", "\x1f", "\x7f", '"', "\\", "/", "\u2028", "\ud800", "\udcff", "é", "漢", "😀"]),
    ),
    max_size=12,
)
NUMBERS = st.one_of(
    st.integers(),
    st.integers(min_value=2**63 - 2, max_value=2**65),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e-05, 1e-4, 9.99e-5, 1e16, 1e15, 0.0, -0.0, 0.8571428571428571, 5e-324]),
)
VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), NUMBERS, TEXT),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(TEXT, inner, max_size=4),
    ),
    max_leaves=20,
)


@settings(max_examples=examples(500), deadline=None)
@given(VALUES)
def test_the_same_text_as_the_standard_library(value: Any) -> None:
    assert json_text(value) == json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)


def test_keys_that_are_not_text_are_left_to_the_standard_library() -> None:
    value = {2: "a", 1: [2.5, 1e-7]}
    assert json_text(value) == json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)
