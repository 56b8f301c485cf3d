"""Item matching: exact ids first, fuzzy edits only on strong evidence, best pairs first."""

from __future__ import annotations

import pytest

from diffcore.diff import diff
from diffcore.match import Matching, MatchOptions, item_words, match_items, similarity
from diffcore.model import Item
from tests.build import make_items, make_snapshot

DAY = "15.07.2020"
REMARKS = "Director's remarks and answers to questions at the {}"

# Talks the director gave: the titles share a long formula, the summaries say what happened.
OLD_TALKS = (
    (
        "harbour board meeting, Harbourtown, 14 July 2020",
        "The director asked the board for a date for the pier survey and for the repair budget.",
    ),
    (
        "volunteers' forum, Harbourtown, 9 July 2020",
        "Forty volunteers came to hear about the summer season and the new guiding rota.",
    ),
    (
        "lifeboat station open day, Harbourtown, 12 July 2020",
        "Visitors toured the station and watched the crew launch the inshore boat.",
    ),
    (
        "rowing club dinner, Harbourtown, 10 July 2020",
        "The director thanked the club for ferrying supplies to the rock during the storm.",
    ),
)
NEW_TALKS = (
    (
        "county heritage conference, Exeter, 3 August 2020",
        "The talk covered the history of the light and plans for a visitor centre.",
    ),
    (
        "schools' maritime day, Harbourtown, 30 July 2020",
        "Pupils from three schools asked how the keepers lived before electricity.",
    ),
    (
        "parish council, Harbourtown, 28 July 2020",
        "Councillors asked about parking on the harbour road during the summer.",
    ),
    (
        "fishermen's cooperative, Harbourtown, 27 July 2020",
        "The cooperative offered to help paint the boathouse doors this autumn.",
    ),
)
# One-line summaries: the formula of the title then outweighs them in a whole-text score.
OLD_SHORT = (
    "Questions about the pier survey.",
    "A talk about the summer season.",
    "The crew launched the inshore boat.",
    "Thanks for the supplies sent in the storm.",
)
NEW_SHORT = (
    "A talk about the visitor centre.",
    "Pupils asked about the keepers.",
    "Questions about parking on the harbour road.",
    "Help offered to paint the doors.",
)
AGM_SUMMARY = "Members are invited to the annual general meeting in the boathouse on 29 August at 18:00."


def pairs_of(matching: Matching) -> set[tuple[int, int]]:
    """The (old, new) index pairs of a matching."""
    return {(pair.old, pair.new) for pair in matching.pairs}


def score(a: Item, b: Item) -> float:
    """The similarity the matcher uses for two items."""
    return similarity(item_words(a), item_words(b))


def test_exact_ids_pair_whatever_the_summary_says() -> None:
    old = make_items([(DAY, "Volunteer rota for August", "The rota is pinned up in the cottage.")])
    new = make_items([(DAY, "Volunteer rota for August", "Nothing in common with what was said before here.")])
    matching = match_items(old, new)
    assert [(p.old, p.new, p.exact, p.similarity) for p in matching.pairs] == [(0, 0, True, 1.0)]
    assert matching.unmatched_old == matching.unmatched_new == ()


def test_exact_id_wins_over_a_closer_fuzzy_candidate() -> None:
    summary = "The boathouse is open from 11:00 to 16:00 on Sundays."
    old = make_items([(DAY, "Boathouse open on Sundays", summary)])
    new = make_items(
        [
            (DAY, "Boathouse open on Sundays again", summary),  # nearly the same text, other id
            (DAY, "Boathouse open on Sundays", "Closed this week for repairs to the slipway."),  # same id
        ]
    )
    assert score(old[0], new[0]) > score(old[0], new[1])
    matching = match_items(old, new)
    assert [(p.old, p.new, p.exact) for p in matching.pairs] == [(0, 1, True)]
    assert matching.unmatched_new == (0,)


def test_case_quotes_and_spacing_keep_the_id() -> None:
    old = make_items([(DAY, "Keeper\u2019s notes \u2013 summer", "x")])
    new = make_items([(DAY, "KEEPER'S  notes - Summer", "x")])
    assert old[0].id == new[0].id
    assert match_items(old, new).pairs[0].exact


def test_a_typo_fix_in_a_title_pairs_as_one_edited_item() -> None:
    old = make_items([(DAY, "Annual general meting of members", AGM_SUMMARY)])
    new = make_items([(DAY, "Annual general meeting of members", AGM_SUMMARY)])
    matching = match_items(old, new)
    assert [(p.old, p.new, p.exact) for p in matching.pairs] == [(0, 0, False)]
    assert matching.pairs[0].similarity == pytest.approx(score(old[0], new[0]))


def test_a_corrected_date_pairs_only_near_identical_text() -> None:
    text = ("Beach cleanup on the north shore", "Thirty volunteers collected forty bags of litter in two hours.")
    old = make_items([("29.07.2020", *text)])
    new = make_items([("28.07.2020", *text)])
    assert pairs_of(match_items(old, new)) == {(0, 0)}
    reworded = make_items(
        [
            (
                "28.07.2020",
                "Beach cleanup on the north shore",
                "Thirty volunteers collected forty bags of rubbish and two old tyres in three hours.",
            )
        ]
    )
    assert 0.6 <= score(old[0], reworded[0]) < 0.85
    assert pairs_of(match_items(old, reworded)) == set()


@pytest.mark.parametrize("summaries", ["long", "short"])
@pytest.mark.parametrize("dates", ["same", "different"])
def test_talks_on_similar_topics_are_never_merged(dates: str, summaries: str) -> None:
    """Many "Director's remarks ... at X" items: old ones dropped, new ones added, none an edit."""

    def specs(talks: tuple[tuple[str, str], ...], short: tuple[str, ...], day: int) -> list[tuple[str, str, str]]:
        return [
            (
                DAY if dates == "same" else f"{day + n:02d}.07.2020",
                REMARKS.format(place),
                summary if summaries == "long" else short[n],
            )
            for n, (place, summary) in enumerate(talks)
        ]

    typo, fixed = "Annual general meting of members", "Annual general meeting of members"
    old = make_items([*specs(OLD_TALKS, OLD_SHORT, 1), ("05.08.2020", typo, AGM_SUMMARY)])
    new = make_items([("05.08.2020", fixed, AGM_SUMMARY), *specs(NEW_TALKS, NEW_SHORT, 11)])
    # The titles alone look alike: this is what must not be taken as evidence.
    titles = [(make_items([(DAY, a.title)])[0], make_items([(DAY, b.title)])[0]) for a in old[:4] for b in new[1:]]
    assert max(score(a, b) for a, b in titles) > 0.75
    matching = match_items(old, new)
    assert pairs_of(matching) == {(4, 0)}  # only the real edit
    assert matching.unmatched_old == (0, 1, 2, 3)
    assert matching.unmatched_new == (1, 2, 3, 4)


def test_talks_without_summaries_with_the_same_formula_and_different_days_stay_apart() -> None:
    old = make_items([("14.07.2020", REMARKS.format("harbour board meeting"))])
    new = make_items([("28.07.2020", REMARKS.format("parish council"))])
    assert match_items(old, new).pairs == ()


def test_unrelated_added_and_dropped_items_stay_added_and_dropped() -> None:
    old = make_items(
        [
            (DAY, "Sea shanty evening cancelled", "The evening planned for 11 July will not take place."),
            ("10.07.2020", "Volunteer rota for August", "The rota is pinned up in the keeper's cottage."),
        ]
    )
    new = make_items(
        [
            (DAY, "Autumn opening hours", "From 1 October the tower opens at weekends only."),
            ("10.07.2020", "Volunteer rota for August", "The rota is pinned up in the keeper's cottage."),
        ]
    )
    matching = match_items(old, new)
    assert pairs_of(matching) == {(1, 1)}
    assert matching.unmatched_old == (0,) and matching.unmatched_new == (0,)
    report = diff(make_snapshot(old), make_snapshot(new))
    assert [i.title for i in report.added] == ["Autumn opening hours"]
    assert [i.title for i in report.dropped] == ["Sea shanty evening cancelled"]
    assert report.edited == ()


def test_pairing_is_global_best_first_not_first_come() -> None:
    old = make_items(
        [(DAY, "West pier survey report delayed"), (DAY, "West pier survey report delayed untill October")]
    )
    new = make_items(
        [(DAY, "West pier survey report postponed"), (DAY, "West pier survey report delayed until October")]
    )
    # The trap: old #0 likes new #1 best, but new #1 is an even better fit for old #1.
    assert score(old[0], new[1]) > score(old[0], new[0]) >= 0.6
    assert score(old[1], new[1]) > score(old[0], new[1])
    assert score(old[1], new[0]) >= 0.6  # first-come greedy would pair it, wrongly
    assert pairs_of(match_items(old, new)) == {(0, 0), (1, 1)}
    assert pairs_of(match_items(new, old)) == {(0, 0), (1, 1)}


def test_threshold_decides_a_borderline_pair() -> None:
    old = make_items([(DAY, "West pier survey report delayed")])
    new = make_items([(DAY, "West pier survey report postponed")])
    assert score(old[0], new[0]) == pytest.approx(0.8)
    assert pairs_of(match_items(old, new, MatchOptions(threshold=0.75))) == {(0, 0)}
    assert pairs_of(match_items(old, new, MatchOptions(threshold=0.85))) == set()
    # The same through diff's keyword overrides.
    before, after = make_snapshot(old), make_snapshot(new)
    assert len(diff(before, after, threshold=0.75).edited) == 1
    loose = diff(before, after, threshold=0.85)
    assert (len(loose.added), len(loose.dropped), loose.edited) == (1, 1, ())


def test_redated_threshold_decides_a_date_correction_with_a_reworded_title() -> None:
    summary = "Thirty volunteers collected forty bags of litter in two hours. Thank you all."
    old = make_items([("29.07.2020", "Beach cleanup on the north shore", summary)])
    new = make_items([("28.07.2020", "Beach clean-up on the north shore", summary)])
    assert 0.85 < score(old[0], new[0]) < 0.95
    assert pairs_of(match_items(old, new)) == {(0, 0)}
    assert pairs_of(match_items(old, new, MatchOptions(redated_threshold=0.95))) == set()


def test_looser_thresholds_merge_what_the_defaults_keep_apart() -> None:
    old = make_items([(DAY, REMARKS.format(OLD_TALKS[1][0]), OLD_SHORT[1])])
    new = make_items([(DAY, REMARKS.format(NEW_TALKS[0][0]), NEW_SHORT[0])])
    assert score(old[0], new[0]) == pytest.approx(0.63, abs=0.01)
    assert match_items(old, new).pairs == ()
    assert pairs_of(match_items(old, new, MatchOptions(anchor_threshold=0.6))) == {(0, 0)}
    assert match_items(old, new, MatchOptions(threshold=0.65, anchor_threshold=0.6)).pairs == ()


def test_one_part_must_stay_nearly_the_same_when_both_have_summaries() -> None:
    title = "Lamp room glazing finished on the seaward side of the lantern"
    summary = "The glaziers have replaced all six cracked panes on the seaward side."
    reworded = "The glaziers replaced six cracked panes on the west side."
    old = make_items([(DAY, title, summary)])
    retitled = make_items([(DAY, "Glaziers finish work in the lamp room", summary)])
    assert pairs_of(match_items(old, retitled)) == {(0, 0)}  # the summary anchors the pair
    typo = make_items([(DAY, title.replace("finished", "finnished"), reworded)])
    assert pairs_of(match_items(old, typo)) == {(0, 0)}  # the title anchors the pair
    short = make_items([(DAY, "Lamp room glazing finished", summary)])
    both = make_items([(DAY, "Lamp room glazing complete", reworded)])
    assert score(short[0], both[0]) >= 0.6
    assert match_items(short, both).pairs == ()  # both parts rewritten: another item
    assert pairs_of(match_items(short, both, MatchOptions(anchor_threshold=0.7))) == {(0, 0)}


def test_invalid_dates_pair_by_the_date_as_printed() -> None:
    summary = "Two times in the printed tide table for the spring were wrong."
    old = make_items([("31.02.2020", "Corrections to the printed tide tabel", summary)])
    new = make_items([("31.02.2020", "Corrections to the printed tide table", summary)])
    assert old[0].published is None and new[0].published is None
    assert [(p.old, p.new, p.exact) for p in match_items(old, new).pairs] == [(0, 0, False)]
    # Another impossible date is another date: only a near-identical text pairs across it.
    moved = make_items([("30.02.2020", "Corrections to the printed tide table for spring", "New text entirely.")])
    assert match_items(old, moved).pairs == ()


def test_each_item_is_paired_at_most_once() -> None:
    title, summary = "Lamp room glazing finished", "The glaziers have replaced all six cracked panes."
    old = make_items([(DAY, title + " early", summary)])
    new = make_items([(DAY, title + " at last", summary), (DAY, title + " today", summary)])
    matching = match_items(old, new)
    assert len(matching.pairs) == 1
    assert len(matching.unmatched_new) == 1


def test_matching_is_symmetric() -> None:
    old = make_items(
        [
            *((DAY, REMARKS.format(p), s) for p, s in OLD_TALKS),
            (DAY, "West pier survey report delayed"),
            (DAY, "West pier survey report delayed untill October"),
            ("29.07.2020", "Beach cleanup on the north shore", "Forty bags of litter in two hours."),
        ]
    )
    new = make_items(
        [
            (DAY, "West pier survey report postponed"),
            *((DAY, REMARKS.format(p), s) for p, s in NEW_TALKS),
            (DAY, "West pier survey report delayed until October"),
            ("28.07.2020", "Beach cleanup on the north shore", "Forty bags of litter in two hours."),
        ]
    )
    forward = pairs_of(match_items(old, new))
    backward = {(b, a) for a, b in pairs_of(match_items(new, old))}
    assert forward == backward == {(4, 0), (5, 5), (6, 6)}


def test_empty_sides() -> None:
    items = make_items([(DAY, "Volunteer rota for August")])
    assert match_items((), items) == Matching((), (), (0,))
    assert match_items(items, ()) == Matching((), (0,), ())
    assert match_items((), ()) == Matching((), (), ())


# --- several items with one date and title (ids "X", "X~2", ...) ------------------------------

RELEASE = "Press release"
TOWER, ROOF, FERRY = (
    "The tower reopens on Saturday after the glazing work.",
    "The boathouse roof is repaired and the boathouse is open again.",
    "The ferry timetable for the winter is published.",
)


def test_a_new_item_with_the_date_and_title_of_others_does_not_shift_them() -> None:
    old = make_snapshot([(DAY, RELEASE, TOWER), (DAY, RELEASE, ROOF)])
    new = make_snapshot([(DAY, RELEASE, FERRY), (DAY, RELEASE, TOWER), (DAY, RELEASE, ROOF)])
    assert [item.id[-2:] for item in new.items][1:] == ["~2", "~3"]  # the suffixes moved on
    assert pairs_of(match_items(old.items, new.items)) == {(0, 1), (1, 2)}
    report = diff(old, new)
    assert [item.summary_text for item in report.added] == [FERRY]
    assert (report.dropped, report.edited, report.moved, report.unchanged) == ((), (), (), 2)


def test_the_first_of_two_items_with_one_date_and_title_dropped() -> None:
    old = make_snapshot([(DAY, RELEASE, TOWER), (DAY, RELEASE, ROOF)])
    new = make_snapshot([(DAY, RELEASE, ROOF)])
    report = diff(old, new)
    assert [item.summary_text for item in report.dropped] == [TOWER]
    assert (report.added, report.edited, report.unchanged) == ((), (), 1)


def test_items_with_one_date_and_title_pair_edits_by_evidence() -> None:
    old = make_items([(DAY, RELEASE, TOWER), (DAY, RELEASE, ROOF)])
    edited = make_items(
        [
            (DAY, RELEASE, FERRY),
            (DAY, RELEASE, TOWER.replace("Saturday", "Sunday")),
            (DAY, RELEASE, ROOF.replace("repaired", "mended")),
        ]
    )
    matching = match_items(old, edited)
    assert pairs_of(matching) == {(0, 1), (1, 2)}
    assert not any(pair.exact for pair in matching.pairs)
    assert matching.unmatched_new == (0,)


def test_a_lone_item_keeps_its_id_pairing_however_its_summary_changed() -> None:
    old = make_items([(DAY, RELEASE, TOWER)])
    new = make_items([(DAY, RELEASE, FERRY)])
    assert [(p.old, p.new, p.exact) for p in match_items(old, new).pairs] == [(0, 0, True)]
