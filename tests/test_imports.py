"""The modules of diffcore import each other one way, and a command imports only what it runs."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import diffcore
from tests.paths import ARCHIVE_DIR, FIXTURES_DIR, REPO_DIR

PACKAGE_DIR = Path(diffcore.__file__).resolve().parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, modules: set[str]) -> set[str]:
    """The diffcore modules a module imports, at any depth, leaving out `if TYPE_CHECKING:` blocks."""
    found: set[str] = set()
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in modules)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                found.add(child if child in modules else node.module)
        stack.extend(ast.iter_child_nodes(node))
    return {name for name in found if name in modules}


def import_graph() -> dict[str, set[str]]:
    """Each diffcore module and the diffcore modules it imports (a package's `__init__` included)."""
    files = {_module_name(path): path for path in PACKAGE_DIR.rglob("*.py")}
    modules = set(files)
    return {
        name: _imports(ast.parse(path.read_text(encoding="utf-8")), modules) - {name} for name, path in files.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a list of modules, or None (iterative depth-first search)."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    for start in sorted(graph):
        if start in state:
            continue
        path = [start]
        state[start] = 1
        pending = [iter(sorted(graph[start]))]
        while pending:
            child = next(pending[-1], None)
            if child is None:
                state[path.pop()] = 2
                pending.pop()
            elif state.get(child) == 1:
                return [*path[path.index(child) :], child]
            elif child not in state:
                state[child] = 1
                path.append(child)
                pending.append(iter(sorted(graph.get(child, ()))))
    return None


def test_no_import_cycle() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


# Libraries a two-file text diff never uses: each would add to every run's start-up.
NOT_FOR_A_DIFF = (
    "pandas", "numpy", "matplotlib", "jinja2", "deepdiff", "pyarrow", "dask", "tqdm", "sqlite3",
    "charset_normalizer", "resiliparse", "warcio", "multiprocessing", "concurrent",
)  # fmt: skip

_DIFF_IN_A_FRESH_PROCESS = """
import contextlib, io, json, sys
from diffcore.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    status = main(["diff", *sys.argv[1:]])
print(json.dumps([status, sorted(sys.modules)]))
"""


# Two captures of the example archive, and a pair whose labelled fields and counters changed.
DIFFED_PAIRS = (
    tuple(sorted(ARCHIVE_DIR.glob("*.txt"))[:2]),
    (FIXTURES_DIR / "diff" / "old_2020-08-07.txt", FIXTURES_DIR / "diff" / "new_2020-09-14.txt"),
)


@pytest.mark.parametrize(("old", "new"), DIFFED_PAIRS, ids=["archive", "fields-changed"])
def test_a_text_diff_imports_no_library_it_does_not_use(old: Path, new: Path) -> None:
    ran = subprocess.run(
        [sys.executable, "-c", _DIFF_IN_A_FRESH_PROCESS, str(old), str(new)],
        capture_output=True, text=True, cwd=REPO_DIR, check=True,
    )  # fmt: skip
    status, modules = json.loads(ran.stdout)
    assert status in (0, 1)
    assert sorted({name.split(".")[0] for name in modules} & set(NOT_FOR_A_DIFF)) == []


@pytest.mark.parametrize("name", ["diff", "load", "parse", "timeline"])
def test_the_package_functions_keep_their_names_once_their_modules_are_imported(name: str) -> None:
    ran = subprocess.run(
        [sys.executable, "-c", f"import diffcore, diffcore.{name}; print(callable(diffcore.{name}))"],
        capture_output=True, text=True, cwd=REPO_DIR, check=True,
    )  # fmt: skip
    assert ran.stdout.strip() == "True"


def test_every_public_name_is_there() -> None:
    assert all(getattr(diffcore, name) is not None for name in diffcore.__all__)
    with pytest.raises(AttributeError):
        _ = diffcore.no_such_name  # type: ignore[attr-defined]
