"""Every folder and file the test suite reads, named once."""

from __future__ import annotations

from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parent
REPO_DIR = TESTS_DIR.parent
FIXTURES_DIR = TESTS_DIR / "fixtures"
GOLDEN_DIR = TESTS_DIR / "golden"
ORCHARD_DIR = FIXTURES_DIR / "html"
ISO_PROFILE = FIXTURES_DIR / "profiles" / "iso_layout.toml"
EXAMPLES_DIR = REPO_DIR / "examples"
ARCHIVE_DIR = EXAMPLES_DIR / "archive"
README = REPO_DIR / "README.md"
# The real captures: ../shared/seeds beside the repository (read-only, not in the clone).
SEEDS_DIR = REPO_DIR.parent / "shared" / "seeds"
