"""Inputs that used to cost far more than their size: repetitive long texts."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from diffcore.align import bounded, opcodes, ratio
from diffcore.diff import apply_diff, diff
from diffcore.model import Lead
from tests.build import make_snapshot, replay
from tests.paths import FIXTURES_DIR
from tests.support import Cli

PHRASE = ["the", "keeper", "walked", "to", "the", "light", "and", "back"]
"""Eight words repeated: no word, and no short run of words, is found once."""


def substituted(words: list[str], every: int) -> tuple[list[str], list[str], set[int]]:
    """The words, then them with one made "zz" every `every` words from the 500th to 500 before the end,
    then where they differ."""
    changed = set(range(500, len(words) - 500, every))
    return words, ["zz" if at in changed else word for at, word in enumerate(words)], changed


def repetitive(name: str) -> tuple[list[str], list[str], set[int]]:
    """An old and a new text of 40,000 words (two words alternating, or `PHRASE` repeated), and where they differ."""
    return substituted(["the", "a"] * 20_000 if name == "two words alternating" else PHRASE * 5_000, 97)


@pytest.mark.parametrize("name", ["two words alternating", "a phrase repeated"])
def test_repetitive_long_texts_mark_exactly_the_changed_words(name: str) -> None:
    old, new, changed = repetitive(name)
    assert bounded(old, new) and changed
    ops = opcodes(old, new)
    assert [w for _, i1, i2, _, _ in ops for w in old[i1:i2]] == old
    assert [w for _, _, _, j1, j2 in ops for w in new[j1:j2]] == new
    assert all(old[i1:i2] == new[j1:j2] for tag, i1, i2, j1, j2 in ops if tag == "equal")
    marked = {at for tag, i1, i2, _, _ in ops if tag != "equal" for at in range(i1, i2)}
    assert marked == changed  # substitutions only: each is marked, nothing else is, ends included
    assert ratio(old, new) == pytest.approx(1 - len(changed) / len(old))


def test_a_single_repeated_word_against_a_pair_keeps_half_its_words_equal() -> None:
    old, new = ["the"] * 40_000, ["the", "a"] * 20_000
    ops = opcodes(old, new)
    assert [w for _, _, _, j1, j2 in ops for w in new[j1:j2]] == new
    assert all(old[i1:i2] == new[j1:j2] for tag, i1, i2, j1, j2 in ops if tag == "equal")
    assert sum(i2 - i1 for tag, i1, i2, _, _ in ops if tag == "equal") == 20_000
    assert ratio(old, new) == 0.5


def test_a_repetitive_long_lead_is_reported_word_for_word() -> None:
    old_words, new_words, changed = repetitive("a phrase repeated")

    def lead(words: list[str]) -> Lead:
        return Lead("The year at the lighthouse", tuple(" ".join(words[x : x + 80]) for x in range(0, 40_000, 80)), ())

    report = diff(make_snapshot(lead=lead(old_words)), make_snapshot(lead=lead(new_words)))
    assert report.lead.status == "edited" and report.chunked == ("lead",)
    assert replay(report.lead.text) == (" ".join(old_words), " ".join(new_words))
    assert [op.new for op in report.lead.text if op.tag != "equal"] == ["zz"] * len(changed)
    assert report.lead.similarity == pytest.approx(1 - len(changed) / 40_000, abs=1e-4)


def test_an_item_with_a_repetitive_long_summary_is_rebuilt_from_its_report() -> None:
    old_words, new_words, changed = repetitive("two words alternating")
    old = make_snapshot([("04.08.2020", "Annual report of the Trust", " ".join(old_words[:20_000]))])
    new = make_snapshot([("04.08.2020", "Annual report of the Trust", " ".join(new_words[:20_000]))])
    report = diff(old, new)
    assert report.chunked == (new.items[0].id,)
    summary = report.edited[0].summary
    assert [op.new for op in summary if op.tag != "equal"] == ["zz"] * len([at for at in changed if at < 20_000])
    assert summary[0].tag == summary[-1].tag == "equal"
    assert apply_diff(old.items, report) == new.items


def test_counter_names_compare_each_label_with_its_neighbours_only(monkeypatch: pytest.MonkeyPatch) -> None:
    from diffcore.render import common

    labels = [f"{{n}} days have passed since event number {j} at the harbour" for j in range(400)]
    calls: list[tuple[Sequence[str], Sequence[str]]] = []
    compare = common._common_opening

    def counted(first: Sequence[str], second: Sequence[str]) -> int:
        calls.append((first, second))
        return compare(first, second)

    monkeypatch.setattr(common, "_common_opening", counted)
    names = common.counter_names(labels, 30)
    assert len(calls) < len(labels)  # not every pair: hundreds of counters stay cheap
    assert names[labels[7]] == "\u2026 7 at the harbour"


CALENDAR_ENDS = [
    ("1 January 0001", "31 December 9999"),
    ("1 January 9999", "31 December 9999"),
    ("1 January 0001", "2 January 0001"),
]


def _captures(folder: Path, dates: tuple[str, str]) -> list[str]:
    """Two captures of the lighthouse fixture (items and counters) dated `dates`."""
    folder.mkdir()
    lines = (FIXTURES_DIR / "lighthouse_2020-08-07.txt").read_text(encoding="utf-8").splitlines()
    paths = []
    for name, date in zip(("first.txt", "second.txt"), dates, strict=True):
        (folder / name).write_text("\n".join([date, *lines[1:]]) + "\n", encoding="utf-8")
        paths.append(str(folder / name))
    return paths


@pytest.mark.parametrize("dates", CALENDAR_ENDS)
def test_captures_at_the_ends_of_the_calendar_are_charted(cli: Cli, tmp_path: Path, dates: tuple[str, str]) -> None:
    paths = _captures(tmp_path / "in", dates)
    for plot in ("x.svg", "x.png"):
        done = cli("timeline", *paths, "--plot", str(tmp_path / plot))
        assert done.returncode == 0, done.stderr
        assert (tmp_path / plot).stat().st_size > 0
    done = cli("report", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--format", "html")
    assert done.returncode == 0, done.stderr
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert index.count("<svg") >= 2  # the items chart and the counters chart
