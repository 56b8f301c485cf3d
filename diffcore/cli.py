"""The `diffcore` command: argument parsing, output and exit codes, nothing else.

Exit codes follow diff(1): 0 no differences, 1 differences found, 2 trouble.
Every DiffcoreError becomes one line on stderr and status 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from diffcore.errors import DiffcoreError, InputError
from diffcore.profile import Profile, default_profile, load_profile

EXIT_SAME, EXIT_DIFFERENT, EXIT_TROUBLE = 0, 1, 2


def use_color(stream: object) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _profile(args: argparse.Namespace) -> Profile:
    return load_profile(args.profile) if args.profile else default_profile()


def _emit(text: str, output: str | None, inputs: Sequence[str]) -> None:
    """Write text to -o FILE, or stdout; never over an input file."""
    if output is None or output == "-":
        sys.stdout.write(text)
        return
    target = Path(output)
    for source in inputs:
        if Path(source).exists() and target.exists() and target.resolve() == Path(source).resolve():
            raise InputError(output, "refusing to overwrite an input file")
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(output, f"cannot write: {exc.strerror}") from None


def _color_for(args: argparse.Namespace) -> bool:
    return args.output in (None, "-") and use_color(sys.stdout)


def cmd_show(args: argparse.Namespace) -> int:
    """Print one normalised snapshot."""
    from diffcore.load import load
    from diffcore.render import SHOW_FORMATS

    snapshot = load(args.snapshot, _profile(args), args.encoding)
    for warning in snapshot.warnings:
        print(f"diffcore: warning: {warning}", file=sys.stderr)
    _emit(SHOW_FORMATS[args.format](snapshot, _color_for(args)), args.output, [args.snapshot])
    return EXIT_SAME


def _add_input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", metavar="FILE", help="page profile (TOML) for another site layout")
    parser.add_argument("--encoding", metavar="NAME", help="decode input with this encoding (default: detect)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    from diffcore.render import SHOW_FORMATS

    parser = argparse.ArgumentParser(
        prog="diffcore",
        description="Track changes across dated captures of one web page.",
        epilog="Exit status: 0 no differences, 1 differences found, 2 trouble.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    show = commands.add_parser("show", help="print one capture as a normalised snapshot",
                               description="Print one capture as a normalised snapshot.")
    show.add_argument("snapshot", metavar="SNAPSHOT", help="capture file")
    show.add_argument("--format", choices=sorted(SHOW_FORMATS), default="text")
    _add_input_options(show)
    show.set_defaults(run=cmd_show)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `diffcore` command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except DiffcoreError as exc:
        print(f"diffcore: {exc}", file=sys.stderr)
        return EXIT_TROUBLE
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); nothing more to say.
        sys.stderr.close()
        return EXIT_TROUBLE
    except KeyboardInterrupt:
        return 130
