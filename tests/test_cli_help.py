"""Every command has help, and help starts without the heavy libraries."""

from __future__ import annotations

import subprocess
import sys

import pytest

from diffcore.cli import build_parser

COMMANDS = ("show", "diff", "timeline", "report")


def test_every_command_is_listed_with_help() -> None:
    text = build_parser().format_help()
    for command in COMMANDS:
        assert command in text


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    done = subprocess.run([sys.executable, "-m", "diffcore", command, "--help"], capture_output=True, text=True)
    assert done.returncode == 0
    assert "usage: diffcore " + command in done.stdout
    assert "--profile" in done.stdout and "--encoding" in done.stdout


def test_help_imports_no_heavy_library() -> None:
    probe = ("import sys; from diffcore.cli import build_parser; build_parser().format_help(); "
             "print(sorted(m for m in ('pandas', 'matplotlib', 'jinja2', 'deepdiff') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.stdout.strip() == "[]"
