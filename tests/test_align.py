"""Word alignment past the size bound: chunked, about linear, and still marking every change."""

from __future__ import annotations

import json
import random
from difflib import SequenceMatcher

import pytest

from diffcore.align import bounded, opcodes, ratio
from diffcore.diff import apply_diff, diff
from diffcore.model import Lead
from diffcore.render import as_html, as_json, as_markdown, as_text
from synthetic.vocabulary import edit_words, paragraph
from tests.build import make_snapshot, replay


def prose(words: int, seed: int) -> list[str]:
    """Generated paragraphs of at least `words` words."""
    rng, out, total = random.Random(seed), [], 0
    while total < words:
        out.append(paragraph(rng))
        total += len(out[-1].split())
    return out


def edited(paragraphs: list[str], edits: int, seed: int) -> list[str]:
    """The paragraphs with `edits` of them changed by a word or two."""
    rng, out = random.Random(seed), list(paragraphs)
    for at in rng.sample(range(len(out)), edits):
        out[at] = edit_words(out[at], rng)
    return out


def test_long_texts_align_in_chunks_and_every_changed_word_is_marked() -> None:
    old = " ".join(prose(20_000, 1)).split()
    new = " ".join(edited(prose(20_000, 1), 12, 2)).split()
    assert bounded(old, new)
    ops = opcodes(old, new)
    assert [w for tag, i1, i2, _, _ in ops for w in old[i1:i2]] == old
    assert [w for tag, _, _, j1, j2 in ops for w in new[j1:j2]] == new
    assert all(old[i1:i2] == new[j1:j2] for tag, i1, i2, j1, j2 in ops if tag == "equal")
    # Only the edited stretches are called changed, not the text around them.
    changed_words = sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in ops if tag != "equal")
    assert changed_words < 12 * 30


def test_chunked_ratio_is_close_to_difflibs() -> None:
    old = " ".join(prose(2_500, 3)).split()
    new = " ".join(edited(prose(2_500, 3), 8, 4)).split()
    assert bounded(old, new)
    assert ratio(old, new) == pytest.approx(SequenceMatcher(None, old, new, autojunk=False).ratio(), abs=0.002)


def test_under_the_bound_the_alignment_is_difflibs() -> None:
    old = " ".join(prose(300, 5)).split()
    new = " ".join(edited(prose(300, 5), 3, 6)).split()
    assert not bounded(old, new)
    exact = SequenceMatcher(None, old, new, autojunk=False)
    assert opcodes(old, new) == exact.get_opcodes()
    assert ratio(old, new) == exact.ratio()


def test_an_item_with_a_long_summary_is_diffed_in_chunks_and_said_so() -> None:
    summary = prose(20_000, 7)
    old = make_snapshot([("04.08.2020", "Annual report of the Trust", tuple(summary))])
    new = make_snapshot([("04.08.2020", "Annual report of the Trust", tuple(edited(summary, 10, 8)))])
    report = diff(old, new)
    assert [edit.new.id for edit in report.edited] == [new.items[0].id]
    assert report.chunked == (new.items[0].id,)
    assert replay(report.edited[0].summary) == (
        " ".join(old.items[0].summary_text.split()),
        " ".join(new.items[0].summary_text.split()),
    )
    assert apply_diff(old.items, report) == new.items
    assert json.loads(as_json.render_diff(report))["chunked"] == [new.items[0].id]
    for render in (as_text.render_diff, as_markdown.render_diff, as_html.render_diff):
        assert "aligned in chunks" in render(report)


def test_a_long_lead_edited_is_scored_in_chunks_and_said_so() -> None:
    paragraphs = prose(12_000, 9)
    old = make_snapshot(lead=Lead("The year at the lighthouse", tuple(paragraphs), ()))
    new = make_snapshot(lead=Lead("The year at the lighthouse", tuple(edited(paragraphs, 6, 10)), ()))
    report = diff(old, new)
    assert report.lead.status == "edited" and report.lead.similarity is not None
    assert report.lead.similarity > 0.99
    assert report.chunked == ("lead",)


def test_usual_reports_carry_no_chunked_note() -> None:
    old = make_snapshot([("04.08.2020", "Lecture", "A talk about the lamp.")])
    new = make_snapshot([("04.08.2020", "Lecture", "A talk about the old lamp.")])
    report = diff(old, new)
    assert report.chunked == ()
    assert "chunked" not in json.loads(as_json.render_diff(report))
    assert "aligned in chunks" not in as_text.render_diff(report)
