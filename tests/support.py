"""Fixture catalogue, assertions and runners of the command for the test suite.

The byte-level fixtures (BOM, CRLF, CR-only, cp1251, cp1252, NUL bytes) are
built from the committed UTF-8 files by `write_variants`, so that no tool on
the way (editor, git, a formatter) can silently change their bytes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import importlib.util
import io
import os
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Protocol
from unittest import mock

from diffcore.model import Snapshot
from diffcore.parse import split_lines
from tests.paths import EXAMPLES_DIR, FIXTURES_DIR, REPO_DIR

NBSP = "\u00a0"
CI_EXAMPLES = 300
"""Examples a property test runs under CI's hypothesis profile (HYPOTHESIS_PROFILE=ci); the default runs 50."""


def examples(under_ci: int) -> int:
    """Examples for a test that runs `under_ci` of them under CI's profile: the loaded profile's share, at least 10.

    A test that needs more examples than the profile's (a fuzzer, an encoder
    compared with the standard library's) keeps its proportion in every run.
    """
    from hypothesis import settings

    return max(10, under_ci * settings.default.max_examples // CI_EXAMPLES)


# Committed UTF-8 captures that the default profile reads without error.
GOOD_FIXTURES = (
    "lighthouse_2020-08-07.txt",
    "lighthouse_2020-09-14.txt",
    "lighthouse_2019-03-02_old.txt",
    "invalid_date.txt",
    "duplicate_items.txt",
    "after_footer.txt",
    "source_cp1251.txt",
    "source_cp1252.txt",
)
# Committed files that are not snapshots, with the reason the error must give.
BAD_FIXTURES = {
    "bad_empty.txt": "empty file",
    "bad_whitespace.txt": "empty file",
    "bad_no_date.txt": "no capture date on line 1",
}
MAIN_FIXTURE = "lighthouse_2020-08-07.txt"

# Generated files: name -> (committed source, how its bytes are made).
VARIANTS = {
    "bom.txt": MAIN_FIXTURE,
    "crlf.txt": MAIN_FIXTURE,
    "cr.txt": MAIN_FIXTURE,
    "bom_crlf.txt": MAIN_FIXTURE,
    "cp1251.txt": "source_cp1251.txt",
    "cp1252.txt": "source_cp1252.txt",
}
BINARY_VARIANT = "bad_binary.txt"


def _variant_bytes(name: str, text: str) -> bytes:
    if name == "bom.txt":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    if name == "crlf.txt":
        return text.replace("\n", "\r\n").encode("utf-8")
    if name == "cr.txt":
        return text.replace("\n", "\r").encode("utf-8")
    if name == "bom_crlf.txt":
        return b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
    if name in ("cp1251.txt", "cp1252.txt"):
        return text.encode(name.removesuffix(".txt"))
    raise KeyError(name)


def write_variants(dest: Path) -> dict[str, Path]:
    """Write every generated fixture into `dest`; return name -> path."""
    dest.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for name, source in VARIANTS.items():
        text = (FIXTURES_DIR / source).read_text(encoding="utf-8")
        path = dest / name
        path.write_bytes(_variant_bytes(name, text))
        written[name] = path
    binary = dest / BINARY_VARIANT
    binary.write_bytes(b"7 August 2020\n\x00\x01\x02\xff\xfe\x00 not text\n")
    written[BINARY_VARIANT] = binary
    return written


def assert_lines_accounted(text: str, snapshot: Snapshot) -> None:
    """Every non-blank line has exactly one owner; no blank line has one."""
    lines = split_lines(text)
    owners = snapshot.line_owners()
    for number, line in enumerate(lines, start=1):
        held = owners.get(number, [])
        if line.strip():
            assert len(held) == 1, f"line {number} {line[:60]!r} has owners {held}"
        else:
            assert not held, f"blank line {number} has owners {held}"
    stray = sorted(n for n in owners if not 1 <= n <= len(lines))
    assert not stray, f"owners for lines outside the input: {stray}"


def without_source(snapshot: Snapshot) -> Snapshot:
    """The snapshot with its source (the source in warnings, and its capture record) blanked, to compare two files."""
    warnings = tuple(w.replace(snapshot.source, "<source>") for w in snapshot.warnings)
    return dataclasses.replace(snapshot, source="<source>", warnings=warnings, capture=None)


def digests(paths: Iterable[Path]) -> dict[Path, str]:
    """SHA-256 of each file, to prove that loading never writes."""
    return {path: hashlib.sha256(path.read_bytes()).hexdigest() for path in paths}


@dataclass(frozen=True)
class CliRun:
    """What one run of the command gave: its exit status and the text on stdout and stderr."""

    returncode: int
    stdout: str
    stderr: str


class Cli(Protocol):
    """The `cli` fixture: `cli(*args, cwd=REPO_DIR, no_color=True)` runs `diffcore ARGS` in this process."""

    def __call__(self, *args: str, cwd: Path = REPO_DIR, no_color: bool = True) -> CliRun: ...


def run_in_process(*args: str, cwd: Path = REPO_DIR, no_color: bool = True) -> CliRun:
    """`diffcore.cli.main(ARGS)` run from `cwd`, its output captured (so never a terminal).

    NO_COLOR is set unless `no_color` is False. A usage error or `--help`
    ends argparse with SystemExit: its code is the exit status, as in a process.
    """
    from diffcore.cli import main

    out, err = io.StringIO(), io.StringIO()
    environment = {"NO_COLOR": "1"} if no_color else {}
    with (
        mock.patch.dict(os.environ, environment),
        contextlib.chdir(cwd),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        if not no_color:
            os.environ.pop("NO_COLOR", None)
        try:
            code = main(list(args))
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else int(stop.code is not None)
    return CliRun(code, out.getvalue(), err.getvalue())


def run_cli(*args: str, cwd: Path = REPO_DIR) -> subprocess.CompletedProcess[str]:
    """Run `python -m diffcore ARGS` in a new process as a user would, output decoded as UTF-8.

    For what needs a process (imports, pipes, terminals); everything else uses the `cli` fixture.
    """
    env = {**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "diffcore", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


@functools.cache
def load_example(name: str) -> ModuleType:
    """The script examples/<name>.py loaded as a module (loaded once)."""
    spec = importlib.util.spec_from_file_location(name, EXAMPLES_DIR / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
