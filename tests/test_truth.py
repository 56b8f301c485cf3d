"""diffcore against what the archive generator knows to be true.

The example archive (examples/archive.truth.json) and random archives from
the `synthetic` generator record every item's identity by position in each capture,
the true changes of each consecutive pair, and each identity's history.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest

import diffcore
import synthetic
from diffcore.model import Snapshot, SnapshotDiff
from diffcore.normalise import key
from synthetic.truth import truth_path
from tests.paths import ARCHIVE_DIR


def example_archive() -> tuple[list[Snapshot], dict[str, Any]]:
    truth = json.loads(truth_path(ARCHIVE_DIR).read_text(encoding="utf-8"))
    return list(diffcore.load_many([ARCHIVE_DIR]).snapshots), truth


def random_archive(seed: int, churn: synthetic.Churn) -> tuple[list[Snapshot], dict[str, Any]]:
    archive = synthetic.generate(25, 30, seed, churn)
    snapshots = [diffcore.parse(c.text, c.name, diffcore.default_profile()) for c in archive.captures]
    return snapshots, synthetic.truth_to_dict(archive.truth)


CHURNS = {
    "default": synthetic.Churn(),
    "heavy": synthetic.Churn(
        added=0.1,
        dropped=0.05,
        moved=0.05,
        edited_title=0.05,
        edited_summary=0.05,
        edited_both=0.03,
        date_corrected=0.03,
        returns=0.03,
    ),
}


def archives() -> list[Any]:
    cases = [pytest.param(example_archive, id="example")]
    for name, churn in CHURNS.items():
        for seed in (1, 2):
            cases.append(pytest.param(lambda s=seed, c=churn: random_archive(s, c), id=f"{name}-{seed}"))
    return cases


def identities_of(report: SnapshotDiff, truth: dict[str, Any], index: int) -> dict[str, Any]:
    """A report's item changes in terms of the generator's identities."""
    old = truth["captures"][index]["identities"]
    new = truth["captures"][index + 1]["identities"]
    return {
        "added": sorted(new[item.position] for item in report.added),
        "dropped": sorted(old[item.position] for item in report.dropped),
        "edited": sorted((new[e.new.position], tuple(sorted(e.kinds))) for e in report.edited),
        "moved": sorted(new[m.new_position] for m in report.moved),
    }


@pytest.mark.parametrize("build", archives())
def test_every_pair_reports_the_true_changes(build: Any) -> None:
    snapshots, truth = build()
    for index, (old, new) in enumerate(itertools.pairwise(snapshots)):
        change = truth["changes"][index]
        found = identities_of(diffcore.diff(old, new), truth, index)
        expected = {
            "added": sorted(change["added"] + change["returned"]),
            "dropped": sorted(change["dropped"]),
            "edited": sorted((e["identity"], tuple(sorted(e["fields"]))) for e in change["edited"]),
            "moved": sorted(m["identity"] for m in change["moved"]),
        }
        assert found == expected, f"pair {change['old']} -> {change['new']}"


@pytest.mark.parametrize("build", archives())
def test_lead_and_counters_match_the_truth(build: Any) -> None:
    snapshots, truth = build()
    for index, (old, new) in enumerate(itertools.pairwise(snapshots)):
        change = truth["changes"][index]
        report = diffcore.diff(old, new)
        assert report.lead.status == change["lead"]["status"], f"pair {change['old']} -> {change['new']}"
        consistent = {key(c.label): c.consistent for c in report.counters if c.status != "vanished"}
        assert consistent == {key(c["label"]): c["consistent"] for c in change["counters"]}


@pytest.mark.parametrize("build", archives())
def test_timeline_matches_every_identity(build: Any) -> None:
    snapshots, truth = build()
    result = diffcore.timeline(snapshots)
    dates = [c.captured.isoformat() for c in result.captures]
    found = {
        (h.published.isoformat() if h.published else h.published_text, key(h.title)): (
            dates[h.first],
            dates[h.last],
            h.seen,
            h.gaps,
            h.edits,
            len(h.titles),
        )
        for h in result.histories
    }
    expected = {
        (t["published"], key(t["titles"][-1])): (
            t["first_seen"],
            t["last_seen"],
            t["seen"],
            t["gaps"],
            t["edits"],
            len(t["titles"]),
        )
        for t in truth["identities"]
    }
    assert len(result.histories) == len(truth["identities"])
    assert found == expected


def test_example_archive_exercises_gaps_and_edits() -> None:
    """The committed archive holds the cases the timeline must get right."""
    _, truth = example_archive()
    assert any(t["gaps"] for t in truth["identities"])
    assert any(t["edits"] for t in truth["identities"])
    assert len(truth["captures"]) >= 12
