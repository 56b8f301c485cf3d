"""The report folder's cost: compact pair summaries, and no table growing with the square of the captures."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from diffcore.diff import DiffOptions
from diffcore.folder import build, write_report
from diffcore.load import iter_snapshots, scan
from diffcore.model import TIMELINE_TABLES, PairSummary, SnapshotDiff, Timeline
from diffcore.parse import parse
from diffcore.profile import default_profile
from diffcore.render import as_csv, as_json, sections
from diffcore.render.layout import Rows, markdown_table, markdown_table_lines
from diffcore.render.sections import PRESENCE_MAX_CAPTURES
from diffcore.timeline import timeline
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


def _timeline_of(captures: int, items: int) -> Timeline:
    snapshots = (
        parse(capture.text, capture.name, default_profile()) for capture in iter_captures(captures, items, 11, Churn())
    )
    return timeline(snapshots)


def test_timeline_json_streamed_a_slice_of_records_at_a_time_is_the_whole_document(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    history = _timeline_of(8, 5)
    monkeypatch.setattr(as_csv, "RECORDS_AT_ONCE", 3)  # slices of 3 rows: every table is cut more than once
    for tables in (TIMELINE_TABLES, ("items",), ()):
        pieces = list(as_json.stream_timeline(history, tables))
        assert "".join(pieces) == as_json.dumps(as_json.timeline_dict(history, tables))
        assert len(pieces) > len(history.histories) or "items" not in tables  # a piece a record, not one string


def test_csv_tables_written_a_slice_of_rows_at_a_time_are_the_same_text(monkeypatch: pytest.MonkeyPatch) -> None:
    history = _timeline_of(8, 5)
    whole = {table: as_csv.render_timeline(history, (table,)) for table in TIMELINE_TABLES}
    monkeypatch.setattr(as_csv, "RECORDS_AT_ONCE", 3)
    for table in TIMELINE_TABLES:
        pieces = list(as_csv.stream_timeline(history, (table,)))
        assert "".join(pieces) == whole[table]
        rows = whole[table].count("\n") - 1  # no cell of these tables holds a line break
        assert len(pieces) == max(1, -(-rows // 3))
    assert len(history.histories) > 3 and len(history.captures) > 3  # items and counters are cut
    empty = timeline(())
    assert as_csv.render_timeline(empty, ("items",)).startswith("id,published,title,")


def test_index_md_tables_are_made_from_rows_read_twice_not_held() -> None:
    history = _timeline_of(6, 4)
    items = sections.items_section(history, str)
    assert isinstance(items.rows, Rows) and list(items.rows) == list(items.rows)
    rows = list(items.rows)
    assert list(markdown_table_lines(items.rows, items.headers)) == markdown_table(rows, items.headers).split("\n")
    assert list(items.with_tips()) == list(zip(rows, list(items.tips or ()), strict=True))
