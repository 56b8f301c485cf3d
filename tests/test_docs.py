"""Generated docs stay true: reports/, the README examples, the quick start and CI."""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType

import pytest

from tests.paths import README, REPO_DIR
from tests.support import Cli, load_example


@pytest.fixture
def regenerate(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """examples/regenerate.py, running diffcore in this process instead of one process per command."""
    module = load_example("regenerate")

    def diffcore(args: list[str], cwd: Path = REPO_DIR) -> str:
        result = cli(*args, cwd=cwd)
        assert result.returncode in (0, 1), f"diffcore {' '.join(args)}: {result.stderr}"
        return result.stdout

    monkeypatch.setattr(module, "diffcore", diffcore)
    return module


def quick_start() -> list[str]:
    """The indented command lines of the README's quick start."""
    readme = README.read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [line.strip() for line in section.splitlines() if line.startswith("    ")]


def test_reports_and_readme_examples_are_fresh(regenerate: ModuleType) -> None:
    stale = regenerate.stale()
    assert not stale, f"run `python examples/regenerate.py`: stale {stale}"


def test_readme_examples_are_marked_and_filled(regenerate: ModuleType) -> None:
    readme = README.read_text(encoding="utf-8")
    blocks = regenerate.MARKER.findall(readme)
    assert len(blocks) >= 5
    assert all(output.strip() for _, _, _, output in blocks)


def test_quick_start_has_two_commands_and_ci_runs_the_second() -> None:
    commands = quick_start()
    assert len(commands) == 2
    install_and_run, install_and_test = commands
    assert install_and_run.startswith("pip install '.[html]' && diffcore report examples/archive -o diffcore-report ")
    assert re.search(r"pytest", install_and_test)
    ci = (REPO_DIR / ".ci" / "run").read_text(encoding="utf-8")
    assert install_and_test in ci.splitlines()


def test_readme_library_example_runs(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The README's Python example runs as written, from the repository root."""
    readme = README.read_text(encoding="utf-8")
    code = readme.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(REPO_DIR)
    exec(compile(code, "README.md", "exec"), {})
    assert "appeared" in capsys.readouterr().out


def test_contributing_names_every_module_of_the_package() -> None:
    """The layout in CONTRIBUTING.md is the package as it is: each module and subpackage is named there."""
    layout = (REPO_DIR / "CONTRIBUTING.md").read_text(encoding="utf-8")
    package = REPO_DIR / "diffcore"
    names = {path.name for path in package.iterdir() if path.suffix == ".py" or (path / "__init__.py").is_file()}
    unnamed = sorted(
        name
        for name in names - {"__init__.py", "__main__.py", "_version.py"}
        if not re.search(rf"(?<![\w/]){re.escape(name.removesuffix('.py'))}(\.py|/)", layout)
    )
    assert unnamed == []
