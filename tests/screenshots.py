"""Regenerate the README's images from the example archive: `python -m tests.screenshots`.

- docs/images/change-page.png: headless chromium's view of the HTML change
  page (full height, unchanged items folded) of the example pair with the most
  kinds of change (the earliest such pair).
- docs/images/timeline-chart.png: the timeline chart, as
  `diffcore timeline examples/archive --plot docs/images/timeline-chart.png` writes it.

Needs Debian's chromium and chromedriver (see tests/browser.py) and selenium.
Run it from the repository root; paths in the images are relative to it.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from diffcore.diff import DiffOptions
from diffcore.folder import build, write_report
from diffcore.load import iter_snapshots, scan
from diffcore.model import PairSummary, SnapshotDiff
from diffcore.render.charts import timeline_chart
from diffcore.render.common import changes
from tests.browser import available, open_page, screenshot, start_chromium
from tests.paths import REPO_DIR

ARCHIVE = Path("examples") / "archive"
IMAGES = REPO_DIR / "docs" / "images"


def interest(report: SnapshotDiff) -> int:
    """How many kinds of change a pair shows: each item change, word edits, counter misses, a new lead."""
    return (
        sum(bool(part) for part in (report.added, report.dropped, report.edited, report.moved))
        + any(changes(edit.title) or changes(edit.summary) for edit in report.edited)
        + any(change.consistent is False for change in report.counters)
        + (report.lead.status != "same")
    )


def showcase(archive: Path) -> str:
    """The file stem of the archive's earliest pair with the most kinds of change."""
    ranked: list[tuple[int, int, str]] = []

    def rank(summary: PairSummary, report: SnapshotDiff) -> None:
        ranked.append((interest(report), -summary.number, summary.stem))

    build(iter_snapshots(scan([archive])), DiffOptions(), rank)
    return max(ranked)[2]


def main() -> int:
    """Write both images; exit 1 with a message when the browser is missing."""
    if not available():
        print(
            "screenshots: needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)",
            file=sys.stderr,
        )
        return 1
    os.chdir(REPO_DIR)
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "report"
        result = write_report(scan([ARCHIVE]), folder, html=True)
        (IMAGES / "timeline-chart.png").write_bytes(timeline_chart(result.timeline, "png"))
        page = folder / "changes" / f"{showcase(ARCHIVE)}.html"
        driver = start_chromium(Path(scratch) / "profile")
        try:
            open_page(driver, page)
            screenshot(driver, IMAGES / "change-page.png")
        finally:
            driver.quit()
    print(f"screenshots: wrote {IMAGES / 'change-page.png'} ({page.name}) and {IMAGES / 'timeline-chart.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
