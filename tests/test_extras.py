"""HTML pages and charts are the [html] extra: without it, those formats fail with one clear line."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from diffcore.render import as_html
from tests.support import Cli

ARCHIVE = Path(__file__).resolve().parents[1] / "examples" / "archive"


@pytest.fixture
def without(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """jinja2 and matplotlib made unimportable (None in sys.modules), the cached Jinja2 environment dropped."""
    for name in ("jinja2", "matplotlib"):
        monkeypatch.setitem(sys.modules, name, None)
    as_html.environment.cache_clear()
    yield
    as_html.environment.cache_clear()


def test_html_without_the_extra_is_one_line(cli: Cli, without: None) -> None:
    old, new = ARCHIVE / "09cf7c6653f84481.txt", ARCHIVE / "a0de87fc7ab13f94.txt"
    result = cli("diff", str(old), str(new), "--format", "html")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "diffcore: HTML output: needs jinja2: pip install 'diffcore[html]'\n"


def test_a_chart_without_the_extra_is_one_line(cli: Cli, without: None, tmp_path: Path) -> None:
    result = cli("timeline", str(ARCHIVE), "--plot", str(tmp_path / "chart.svg"))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "diffcore: charts: needs matplotlib: pip install 'diffcore[html]'\n"
    assert not (tmp_path / "chart.svg").exists()


def test_text_formats_need_neither(cli: Cli, without: None) -> None:
    old, new = ARCHIVE / "09cf7c6653f84481.txt", ARCHIVE / "a0de87fc7ab13f94.txt"
    for fmt in ("text", "markdown", "json"):
        assert cli("diff", str(old), str(new), "--format", fmt).returncode in (0, 1)
