"""The report folder's cost: compact pair summaries, and no table growing with the square of the captures."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from diffcore.diff import DiffOptions
from diffcore.folder import build, write_report
from diffcore.load import iter_snapshots, scan
from diffcore.model import PairSummary, SnapshotDiff
from diffcore.render.sections import PRESENCE_MAX_CAPTURES
from synthetic import Churn, iter_captures

ARCHIVE = Path(__file__).resolve().parents[1] / "examples" / "archive"


def test_pair_summaries_hold_the_counts_of_each_report_not_the_report() -> None:
    seen: list[tuple[PairSummary, SnapshotDiff]] = []

    def keep(summary: PairSummary, report: SnapshotDiff) -> None:
        seen.append((summary, report))

    result = build(iter_snapshots(scan([ARCHIVE])), DiffOptions(), keep)
    assert [summary for summary, _ in seen] == list(result.pairs)
    for summary, report in seen:
        assert (summary.old, summary.new, summary.days_elapsed, summary.lead_status, summary.counters) == (
            report.old,
            report.new,
            report.days_elapsed,
            report.lead.status,
            report.counters,
        )
        assert (summary.added, summary.dropped, summary.edited, summary.moved, summary.unchanged) == (
            len(report.added),
            len(report.dropped),
            len(report.edited),
            len(report.moved),
            report.unchanged,
        )
        assert summary.has_changes == report.has_changes
        assert not any(isinstance(getattr(summary, f.name), SnapshotDiff) for f in dataclasses.fields(summary))


def test_report_timeline_json_has_presence_only_up_to_the_capture_limit(tmp_path: Path) -> None:
    for captures, present in ((PRESENCE_MAX_CAPTURES, True), (PRESENCE_MAX_CAPTURES + 1, False)):
        archive = tmp_path / f"archive-{captures}"
        archive.mkdir()
        for capture in iter_captures(captures, 3, 7, Churn()):
            (archive / capture.name).write_text(capture.text, encoding="utf-8")
        write_report(scan([archive]), tmp_path / f"report-{captures}")
        document = json.loads((tmp_path / f"report-{captures}" / "timeline.json").read_text(encoding="utf-8"))
        assert ("presence" in document) == present
        assert {"items", "counters", "leads"} <= document.keys()
