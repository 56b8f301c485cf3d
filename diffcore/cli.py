"""The `diffcore` command: argument parsing, output and exit codes, nothing else.

Exit codes follow diff(1): 0 no differences, 1 differences found, 2 trouble.
Every DiffcoreError becomes one line on stderr and status 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from diffcore.errors import DiffcoreError, InputError
from diffcore.profile import Profile, default_profile, load_profile

if TYPE_CHECKING:
    from diffcore.diff import DiffOptions

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


def _diff_options(args: argparse.Namespace) -> DiffOptions:
    from diffcore.diff import DiffOptions

    overrides = {name: getattr(args, name) for name in ("threshold", "redated_threshold", "counter_tolerance")
                 if getattr(args, name) is not None}
    return replace(DiffOptions(), **overrides)


def cmd_diff(args: argparse.Namespace) -> int:
    """Compare two captures; exit 1 when an item was added, dropped, edited or moved."""
    from diffcore.diff import diff
    from diffcore.load import load
    from diffcore.render import DIFF_FORMATS

    profile = _profile(args)
    old = load(args.old, profile, args.encoding)
    new = load(args.new, profile, args.encoding)
    report = diff(old, new, _diff_options(args))
    _emit(DIFF_FORMATS[args.format](report, _color_for(args)), args.output, [args.old, args.new])
    return EXIT_DIFFERENT if report.has_changes else EXIT_SAME


def _ratio(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 1")
    return value


def _add_diff_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--threshold", type=_ratio, metavar="X",
                        help="least similarity (0-1) to call two items with the same date one edited item (default 0.6)")
    parser.add_argument("--redated-threshold", type=_ratio, metavar="X",
                        help="least similarity to pair items whose published date changed (default 0.85)")
    parser.add_argument("--counter-tolerance", type=int, metavar="DAYS",
                        help="days a counter may be off the calendar and still be consistent (default 0)")


def _add_input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", metavar="FILE", help="page profile (TOML) for another site layout")
    parser.add_argument("--encoding", metavar="NAME", help="decode input with this encoding (default: detect)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    from diffcore.render import DIFF_FORMATS, SHOW_FORMATS

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

    compare = commands.add_parser("diff", help="report what changed between two captures",
                                  description="Report what changed between two captures of the page.",
                                  epilog="Exit status: 0 no item changed, 1 items changed, 2 trouble.")
    compare.add_argument("old", metavar="OLD", help="the earlier capture")
    compare.add_argument("new", metavar="NEW", help="the later capture")
    compare.add_argument("--format", choices=sorted(DIFF_FORMATS), default="text")
    _add_diff_options(compare)
    _add_input_options(compare)
    compare.set_defaults(run=cmd_diff)
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
