"""Every command the parser really has shows its own help, and help starts without the heavy libraries."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys

import pytest

import diffcore
from diffcore.cli import build_parser
from tests.support import Cli


def subcommands() -> dict[str, argparse.ArgumentParser]:
    """The parser's real subcommands, read from its subparsers action."""
    [action] = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


COMMANDS = sorted(subcommands())


def tokens(text: str) -> set[str]:
    """The words of a help text that may name an option or an argument."""
    return set(re.findall(r"-{0,2}[A-Za-z][\w-]*", text))


def own_names(command: str) -> set[str]:
    """The option strings and argument names of one command."""
    names: set[str] = set()
    for action in subcommands()[command]._actions:
        names.update(action.option_strings)
        if not action.option_strings:
            names.add(str(action.metavar or action.dest))
    return names


def test_the_parser_has_the_documented_commands() -> None:
    assert COMMANDS == ["collection", "diff", "profile", "profiles", "report", "show", "store", "timeline"]


def test_top_level_help_lists_every_command_with_its_help(cli: Cli) -> None:
    result = cli("--help")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("usage: diffcore [-h] [--version] COMMAND ...\n")
    flat = " ".join(result.stdout.split())
    [action] = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    for choice in action._choices_actions:
        assert f" {choice.dest} {' '.join(str(choice.help).split())} " in f"{flat} ", choice.dest


def test_version_names_the_package_version(cli: Cli) -> None:
    result = cli("--version")
    assert (result.returncode, result.stdout, result.stderr) == (0, f"diffcore {diffcore.__version__}\n", "")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_shows_its_own_help(cli: Cli, command: str) -> None:
    result = cli(command, "--help")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith(f"usage: diffcore {command} [-h]")
    shown = tokens(result.stdout)
    mine = own_names(command)
    if command not in ("collection", "profile", "profiles", "store"):  # every other command reads captures
        assert {"--format", "--encoding", "--profile"} <= mine
    assert mine <= shown, mine - shown
    others = set().union(*(own_names(other) for other in COMMANDS)) - mine
    assert not {name for name in others if name.startswith("-")} & shown


def test_help_imports_no_heavy_library() -> None:
    probe = (
        "import sys; from diffcore.cli import build_parser; build_parser().format_help(); "
        "print(sorted(m for m in ('pandas', 'matplotlib', 'jinja2', 'deepdiff') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert done.stdout.strip() == "[]", done.stderr


def test_the_engines_offered_are_the_engines_there_are() -> None:
    from diffcore.cli import ENGINE_NAMES
    from diffcore.collection.engines import ENGINES

    assert ENGINE_NAMES == ENGINES
