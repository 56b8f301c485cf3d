"""`diffcore show` output pinned in tests/golden/ (rewrite with --update-golden, then review)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests import paths
from tests.support import Cli

# Relative to the repository, so the golden files hold no machine-specific path.
FIXTURE = "tests/fixtures/lighthouse_2020-08-07.txt"


@pytest.mark.parametrize(("fmt", "suffix"), [("text", "txt"), ("json", "json")])
def test_show_golden(cli: Cli, fmt: str, suffix: str, golden: Callable[[str, str], None]) -> None:
    result = cli("show", "--format", fmt, FIXTURE)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    if fmt == "json":
        assert json.loads(result.stdout)["source"] == FIXTURE
    golden(f"show_lighthouse_2020-08-07.{suffix}", result.stdout)


def test_missing_golden_file_fails_with_a_hint(
    golden: Callable[[str, str], None],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    if request.config.getoption("--update-golden"):
        pytest.skip("checks the comparing mode only")
    monkeypatch.setattr(paths, "GOLDEN_DIR", tmp_path)
    with pytest.raises(pytest.fail.Exception, match="--update-golden"):
        golden("absent.txt", "anything\n")
    (tmp_path / "present.txt").write_text("expected\n", encoding="utf-8")
    golden("present.txt", "expected\n")
    with pytest.raises(pytest.fail.Exception, match=r"(?s)differs from .*-expected\n\+actual"):
        golden("present.txt", "actual\n")
