"""The item-id rule: repeats on one page and returns over time get suffixes that matching can strip."""

from __future__ import annotations

from diffcore.identity import base_id, fresh_identity, item_id, repeat_id


def test_repeats_on_a_page_count_from_two() -> None:
    base = item_id("2020-07-28", "Evening walk postponed")
    assert [repeat_id(base, n) for n in (1, 2, 3)] == [base, f"{base}~2", f"{base}~3"]


def test_base_id_strips_repeat_and_return_suffixes_only() -> None:
    base = item_id("31.02.2020", "Evening walk postponed")
    assert base_id(repeat_id(base, 2)) == base
    assert base_id(fresh_identity(base, {base})) == base
    assert base_id(base) == base


def test_a_fresh_identity_never_takes_one_held() -> None:
    base = item_id("2020-07-28", "Evening walk postponed")
    assert fresh_identity(base, set()) == base
    assert fresh_identity(base, {base}) == f"{base}~r2"
    assert fresh_identity(base, {base, f"{base}~r2"}) == f"{base}~r3"
