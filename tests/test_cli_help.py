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
    """The parser's real subcommands, every one's options added, read from its subparsers action."""
    [action] = [a for a in build_parser(complete=True)._actions if isinstance(a, argparse._SubParsersAction)]
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


def command_paths(parser: argparse.ArgumentParser, above: tuple[str, ...] = ()) -> dict[tuple[str, ...], str]:
    """Each command and command of a group (`("store", "add")`), with its help, from a complete parser."""
    found: dict[tuple[str, ...], str] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, command in action.choices.items():
                found[(*above, name)] = command.format_help()
                found.update(command_paths(command, (*above, name)))
    return found


COMMAND_HELP = command_paths(build_parser(complete=True))


@pytest.mark.parametrize("path", sorted(COMMAND_HELP), ids=" ".join)
def test_a_command_gets_its_options_once_chosen_as_the_complete_parser_has_them(
    cli: Cli, path: tuple[str, ...]
) -> None:
    result = cli(*path, "--help")
    assert (result.returncode, result.stdout, result.stderr) == (0, COMMAND_HELP[path], "")


def test_only_the_chosen_command_gets_its_options() -> None:
    parser = build_parser()
    assert parser.parse_args(["store", "pages", "db"]).store == "db"
    [action] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert [a.dest for a in action.choices["diff"]._actions] == ["help"]
    assert len(action.choices["store"]._actions) == 2  # its help and its commands, the chosen one complete


def test_a_command_group_s_unknown_command_is_one_line(cli: Cli) -> None:
    result = cli("store", "nonesuch", "db")
    assert result.returncode == 2
    assert result.stderr.startswith("diffcore: store: argument COMMAND: invalid choice: 'nonesuch'")
    assert result.stderr.count("\n") == 1


def test_help_imports_no_heavy_library() -> None:
    probe = (
        "import sys; from diffcore.cli import build_parser; build_parser(complete=True).format_help(); "
        "print(sorted(m for m in ('pandas', 'matplotlib', 'jinja2', 'deepdiff') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert done.stdout.strip() == "[]", done.stderr


def test_the_engines_offered_are_the_engines_there_are() -> None:
    from diffcore.cli import ENGINE_NAMES
    from diffcore.collection.engines import ENGINES

    assert ENGINE_NAMES == ENGINES
