"""The `diffcore` command: argument parsing, output and exit codes, nothing else.

Exit codes follow diff(1): 0 no differences, 1 differences found, 2 trouble.
Every DiffcoreError, bad argument, write error or unexpected exception becomes
one line on stderr and status 2, so trouble never reads as "items changed".
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import io
import os
import re
import signal
import sys
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from diffcore import __version__
from diffcore.errors import DiffcoreError, OutputError
from diffcore.profile import Profile, default_profile, load_profile

if TYPE_CHECKING:
    from diffcore.diff import DiffOptions
    from diffcore.load import Inventory
    from diffcore.model import CaptureRef, Snapshot
    from diffcore.store import Store

T = TypeVar("T")

EXIT_SAME, EXIT_DIFFERENT, EXIT_TROUBLE = 0, 1, 2
EXIT_TERMINATED = 128 + signal.SIGTERM  # 143, as a shell reports a process SIGTERM ended


# Characters shown escaped on stderr: C0 and C1 controls (ESC starts every ANSI
# sequence), lone surrogates, the line and paragraph separators, and the bidi
# embeddings, overrides and isolates (which can make a name read backwards).
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})
_BIDI_CONTROLS = frozenset(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))


def escape(text: str) -> str:
    """Text safe on one terminal line: controls as \\xNN or \\uNNNN.

    A file name that is not valid UTF-8 reaches Python with each bad byte as a
    lone surrogate U+DC80..U+DCFF; it is shown as that byte, \\xNN.
    """
    out = []
    for char in text:
        if unicodedata.category(char) not in _UNSAFE_CATEGORIES and char not in _BIDI_CONTROLS:
            out.append(char)
        elif 0xDC80 <= ord(char) <= 0xDCFF:
            out.append(f"\\x{ord(char) - 0xDC00:02x}")
        elif ord(char) < 0x100:
            out.append(f"\\x{ord(char):02x}")
        else:
            out.append(f"\\u{ord(char):04x}")
    return "".join(out)


def say(message: str) -> None:
    """One line on stderr, `diffcore: ` first, whatever the message holds."""
    print(f"diffcore: {escape(message)}", file=sys.stderr)


class ArgumentParser(argparse.ArgumentParser):
    """argparse, but an argument error is one line (`diffcore: diff: ...`), not the usage block."""

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix("diffcore").strip()
        say(f"{command}: {message}" if command else message)
        self.exit(EXIT_TROUBLE)


if TYPE_CHECKING:
    _SubParsers = argparse._SubParsersAction[argparse.ArgumentParser]
else:
    _SubParsers = argparse._SubParsersAction


class _Commands(_SubParsers):
    """Subcommands whose own arguments are added when one of them is chosen.

    Adding every command's options cost more than the rest of a two-file
    diff's start-up; argparse reaches a command through this action's call,
    which is the moment to add them.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._arguments: dict[str, Callable[[argparse.ArgumentParser], None]] = {}

    def add_command(
        self, name: str, arguments: Callable[[argparse.ArgumentParser], None], **kwargs: Any
    ) -> argparse.ArgumentParser:
        """A command whose options `arguments` adds to its parser once it is chosen."""
        parser = self.add_parser(name, **kwargs)
        self._arguments[name] = arguments
        return parser

    def complete(self, name: str) -> None:
        """Add the options of the command `name` (once; an unknown name is argparse's to refuse)."""
        arguments = self._arguments.pop(name, None)
        if arguments is not None:
            arguments(self._name_parser_map[name])

    def complete_all(self) -> None:
        """Add every command's options, and those of the commands of each command group."""
        for name in list(self._arguments):
            self.complete(name)
        for parser in self._name_parser_map.values():
            for action in parser._actions:
                if isinstance(action, _Commands):
                    action.complete_all()

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        if values and isinstance(values, Sequence) and not isinstance(values, str):
            self.complete(values[0])
        super().__call__(parser, namespace, values, option_string)


def use_color(stream: object) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _profile(args: argparse.Namespace, name: str | None = None) -> Profile:
    """The profile a command reads with (`name`, else --profile, else the default), with the --ignore patterns."""
    name = name or args.profile
    profile = load_profile(name) if name else default_profile()
    return replace(profile, ignore=(*profile.ignore, *args.ignore)) if args.ignore else profile


def _regex(text: str) -> re.Pattern[str]:
    try:
        return re.compile(text)
    except re.error as exc:
        raise argparse.ArgumentTypeError(f"not a valid pattern: {text!r} ({exc})") from None


def _emit(text: str, output: str | None, inputs: Sequence[str | Path]) -> None:
    """Write text to -o FILE (whole or not at all, never over an input file), or stdout."""
    if output is None or output == "-":
        sys.stdout.write(text)
        return
    from diffcore.output import write_file_atomic

    write_file_atomic(output, text.encode("utf-8"), inputs)


def _emit_stream(pieces: Iterable[str], output: str | None, inputs: Sequence[str | Path]) -> None:
    """`_emit` for text made in pieces, each written as it comes (to -o, still whole or not at all)."""
    if output is None or output == "-":
        for piece in pieces:
            sys.stdout.write(piece)
        return
    from diffcore.output import write_stream_atomic

    write_stream_atomic(output, (piece.encode("utf-8") for piece in pieces), inputs)


def _read(args: argparse.Namespace, files: Iterable[str | Path]) -> list[str | Path]:
    """Every file a command reads: its captures (as found in folders, duplicates too) and the profile.

    A refused -o is said before any work is done (and before any warning).
    """
    read = [*files, *([args.profile] if args.profile else [])]
    if args.output not in (None, "-"):
        from diffcore.output import refuse_inputs

        refuse_inputs(args.output, read)
        if args.git:
            _refuse_git_folder(args.output, files)
    return read


def _refuse_git_folder(output: str, files: Iterable[str | Path]) -> None:
    """Refuse an output inside the `.git` folder of a repository whose history is read (it would break it)."""
    from diffcore.inputs.git import repository_of

    target = Path(os.path.realpath(output))
    for top in {repository_of(Path(path))[0] for path in set(map(str, files))}:
        git_folder = Path(os.path.realpath(top / ".git"))
        if target == git_folder or git_folder in target.parents:
            raise OutputError(output, f"refusing to write inside {git_folder}, the repository being read")


WARNINGS_SAID = 20
"""The most snapshot warning lines a run says; the rest are counted."""


class _Warnings:
    """The warnings of a run's captures and changes, said once its output is written: a run that fails says only its error."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.unsaid = 0

    def note(self, warnings: Iterable[str]) -> None:
        for warning in warnings:
            if len(self.lines) < WARNINGS_SAID:
                self.lines.append(f"warning: {warning}")
            else:
                self.unsaid += 1

    def note_captures(self, captures: Iterable[CaptureRef]) -> None:
        """The warnings of every capture of a timeline: its snapshot's, and most of its items vanishing at once."""
        self.note(warning for capture in captures for warning in capture.warnings)

    def say(self) -> None:
        for line in self.lines:
            say(line)
        if self.unsaid:
            more = f"{self.unsaid} more warning{'s' if self.unsaid > 1 else ''}"
            say(f"warning: {more} not shown; `diffcore show CAPTURE` lists a capture's warnings")


def _color_for(args: argparse.Namespace) -> bool:
    return args.output in (None, "-") and use_color(sys.stdout)


def cmd_show(args: argparse.Namespace) -> int:
    """Print one normalised snapshot."""
    from diffcore.load import load
    from diffcore.render import SHOW_FORMATS

    inputs = _read(args, [args.snapshot])
    snapshot = load(args.snapshot, _profile(args), args.encoding, **_source_options(args), at=args.at)
    warnings = _Warnings()
    warnings.note(snapshot.warnings)
    _emit_stream(SHOW_FORMATS[args.format](snapshot, _color_for(args)), args.output, inputs)
    warnings.say()
    return EXIT_SAME


def _diff_options(args: argparse.Namespace, profile: Profile) -> DiffOptions:
    """The thresholds given on the command line, and what the profile asks to compare as absent."""
    from diffcore.diff import DiffOptions, options_for

    names = ("threshold", "redated_threshold", "counter_tolerance")
    overrides = {name: getattr(args, name) for name in names if getattr(args, name) is not None}
    return options_for(profile, replace(DiffOptions(), **overrides))


def cmd_diff(args: argparse.Namespace) -> int:
    """Compare two captures; exit 1 when an item was added, dropped, edited or moved."""
    from diffcore.diff import diff
    from diffcore.load import load
    from diffcore.render import DIFF_FORMATS

    inputs = _read(args, [args.old, args.new])
    profile = _profile(args)
    old = load(args.old, profile, args.encoding, **_source_options(args), at=args.at_old)
    new = load(args.new, profile, args.encoding, **_source_options(args), at=args.at_new)
    # Swapped arguments are a likely slip: say so, but report the direction asked for.
    (old_key, old_when), (new_key, new_when) = _when(old), _when(new)
    if old_key > new_key:
        say(f"warning: OLD ({old_when}) is newer than NEW ({new_when}); reporting from OLD to NEW as asked")
    report = diff(old, new, _diff_options(args, profile))
    _emit(DIFF_FORMATS[args.format](report, _color_for(args)), args.output, inputs)
    warnings = _Warnings()
    warnings.note((*report.old.warnings, *report.new.warnings, *report.warnings))
    warnings.say()
    return EXIT_DIFFERENT if report.has_changes else EXIT_SAME


def _when(snapshot: Snapshot) -> tuple[tuple[dt.datetime, tuple[int, ...]], str]:
    """When a capture was taken, to order two captures by, and as shown: its capture time, then the page's clock."""
    from diffcore.model import capture_order
    from diffcore.render.common import taken_text

    clock = snapshot.header.capture_time or ""
    page = " ".join(filter(None, (snapshot.captured.isoformat(), clock)))
    return capture_order(snapshot)[:2], taken_text(snapshot.capture) or page


def _source_options(args: argparse.Namespace) -> dict[str, Any]:
    """Which captures the inputs name: of which page, read from git histories, dated by the user."""
    return {"url": args.url, "git": args.git, "captured": args.captured}


def _moment(text: str) -> dt.datetime:
    """A capture time given by the user: an ISO date or date-time, in UTC unless it says otherwise."""
    from diffcore.inputs.dates import as_utc

    try:
        return as_utc(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _time_prefix(text: str) -> str:
    """The start of a capture time: digits with the usual separators (`2020-08-07`, `2020-08-07T04:17`, `20200807041741`)."""
    digits = "".join(char for char in text if char.isdigit())
    if not digits or len(digits) > 14 or any(not (char.isdigit() or char in "-:T _Z") for char in text.strip()):
        raise argparse.ArgumentTypeError(f"not the start of a capture time (2020-08-07, 2020-08-07T04:17): {text!r}")
    return text


def _url(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("empty URL")
    return text


def _ratio(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 1")
    return value


def _days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} is negative")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} is negative")
    return value


def _file_name(text: str) -> str:
    if not text:
        raise argparse.ArgumentTypeError("empty file name")
    return text


def _add_diff_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--threshold",
        type=_ratio,
        metavar="X",
        help="least similarity (0-1) to call two items with the same date one edited item (default 0.6)",
    )
    parser.add_argument(
        "--redated-threshold",
        type=_ratio,
        metavar="X",
        help="least similarity to pair items whose published date changed (default 0.85)",
    )
    parser.add_argument(
        "--counter-tolerance",
        type=_days,
        metavar="DAYS",
        help="days a counter may be off the calendar and still be consistent (default 0)",
    )


def _progress(total: int, unit: str = "capture") -> Callable[[Iterable[T]], Iterable[T]]:
    """A progress bar on stderr, only when stderr is a terminal (never in pipes or CI)."""

    def wrap(items: Iterable[T]) -> Iterable[T]:
        if not sys.stderr.isatty() or total < 2:
            return items
        from tqdm import tqdm

        bar: Iterable[T] = tqdm(items, total=total, file=sys.stderr, unit=unit, leave=False)
        return bar

    return wrap


def _inventory(args: argparse.Namespace) -> Inventory:
    from diffcore.load import scan

    return scan(args.paths, _profile(args), args.encoding, **_source_options(args), strict=args.strict)


def _say_left_out(inventory: Inventory) -> None:
    """One warning line for each file skipped and each duplicate left out."""
    for skipped in inventory.skipped:
        say(f"{skipped.where}: skipped: {skipped.reason}")
    for duplicate in inventory.duplicates:
        say(f"{duplicate.where}: duplicate of {duplicate.same_as}, skipped")


def _left_out(inventory: Inventory) -> str:
    """What a run left out, for its summary line: skipped files and records, duplicates."""
    from diffcore.render.common import count

    parts = [f"{len(inventory.skipped)} skipped" if inventory.skipped else ""]
    if inventory.passed_over:
        parts.append(
            f"{count(inventory.passed_over, 'archive record')} that {'is' if inventory.passed_over == 1 else 'are'} not captures"
        )
    if inventory.duplicates:
        parts.append(count(len(inventory.duplicates), "duplicate"))
    return ", ".join(part for part in parts if part)


def cmd_timeline(args: argparse.Namespace) -> int:
    """Print the timeline of many captures; with --plot also write its chart."""
    from diffcore.model import SUMMARY_TABLES
    from diffcore.output import refuse_inputs, same_file, write_file_atomic
    from diffcore.render import TIMELINE_FORMATS
    from diffcore.render.charts import chart_format
    from diffcore.timeline import timeline_of

    plot_format = chart_format(args.plot) if args.plot else None
    inventory = _inventory(args)
    read = _read(args, inventory.files())  # a refused output is the one line said
    _say_left_out(inventory)
    if args.plot:
        refuse_inputs(args.plot, read)
        if args.git:
            _refuse_git_folder(args.plot, inventory.files())
        if args.output not in (None, "-") and same_file(args.output, args.plot):
            # The chart, written last, would silently replace the text output.
            raise OutputError(args.plot, "the chart and the -o output are the same file; give each its own")
    profile = _profile(args)
    progress = _progress(len(inventory.captures))
    result = timeline_of(inventory, profile, _diff_options(args, profile), args.encoding, progress=progress)
    tables = (args.table,) if args.table else (("items",) if args.format == "csv" else SUMMARY_TABLES)
    _emit(TIMELINE_FORMATS[args.format](result, tables, _color_for(args)), args.output, read)
    if inventory.skipped or inventory.passed_over:
        from diffcore.render.common import count

        say(f"{count(len(inventory.captures), 'capture')} read; left out: {_left_out(inventory)}")
    if plot_format:
        from diffcore.render.charts import timeline_chart

        write_file_atomic(args.plot, timeline_chart(result, plot_format), read)
    warnings = _Warnings()
    warnings.note_captures(result.captures)
    warnings.say()
    return EXIT_SAME


def cmd_report(args: argparse.Namespace) -> int:
    """Write the report folder: a change report per consecutive pair, the timeline, an index."""
    from diffcore.folder import write_report

    inventory = _inventory(args)
    if args.git:
        _refuse_git_folder(args.output, inventory.files())
    _say_left_out(inventory)
    profile = _profile(args)
    result = write_report(
        inventory,
        args.output,
        profile,
        _diff_options(args, profile),
        args.encoding,
        progress=_progress(len(inventory.captures)),
        html=args.format == "html",
        force=args.force,
        inputs=_read(args, []),
    )
    changed = sum(pair.has_changes for pair in result.pairs)
    from diffcore.render.common import count

    warnings = _Warnings()
    warnings.note_captures(result.timeline.captures)
    warnings.say()
    left_out = _left_out(inventory)
    say(
        f"wrote {args.output}: {count(len(inventory.captures), 'capture')}, "
        f"{count(len(result.pairs), 'pair')} ({changed} with item changes)"
        + (f"; left out: {left_out}" if left_out else "")
    )
    return EXIT_SAME


def cmd_profiles(args: argparse.Namespace) -> int:
    """List the built-in profiles: the name `--profile` takes, and the layout each reads."""
    from tabulate import tabulate

    from diffcore.profile import DEFAULT_PROFILE, built_in_profiles

    rows = [
        (name + (" (default)" if name == DEFAULT_PROFILE else ""), profile.description)
        for name, profile in sorted(built_in_profiles().items())
    ]
    sys.stdout.write(tabulate(rows, headers=("name", "reads"), tablefmt="simple") + "\n")
    return EXIT_SAME


def cmd_profile_check(args: argparse.Namespace) -> int:
    """Print how the profile read each line of each capture, and its warnings."""
    from diffcore.inputs.records import profile_for
    from diffcore.load import capture_text, scan
    from diffcore.parse import parse, split_lines
    from diffcore.render.as_text import render_check

    profile = _profile(args, args.profile)
    inventory = scan(args.paths, profile, args.encoding, **_source_options(args), strict=args.strict)
    read = _read(args, inventory.files())
    _say_left_out(inventory)
    pieces = []
    for entry in inventory.captures:
        text = capture_text(entry, args.encoding, profile.html)
        read_with = profile_for(entry.capture.media_type, profile)  # a feed is read as one, whatever the profile
        snapshot = parse(text, entry.where, read_with, entry.capture)
        pieces.append(render_check(snapshot, split_lines(text), read_with.name))
    _emit("\n".join(pieces), args.output, read)
    return EXIT_SAME


def cmd_profile_suggest(args: argparse.Namespace) -> int:
    """Write a starting profile for the captures: the most frequent dated line as its items."""
    from diffcore.errors import ProfileError
    from diffcore.load import capture_text, scan
    from diffcore.model import FEED_TYPES
    from diffcore.parse import split_lines
    from diffcore.profile import NEVER
    from diffcore.suggest import suggest_profile

    # The captures are read as they are: a page shows no date line a profile knows yet, so none is
    # looked for, and a capture nothing else dates is dated now (its date is not used).
    reading = replace(_profile(args), capture_date=NEVER)
    captured = args.captured or dt.datetime.now(dt.UTC)
    inventory = scan(
        args.paths, reading, args.encoding, url=args.url, git=args.git, captured=captured, strict=args.strict
    )
    read = _read(args, inventory.files())
    _say_left_out(inventory)
    texts = []
    for entry in inventory.captures:
        text = capture_text(entry, args.encoding)
        if args.ignore:
            text = "\n".join(line for line in split_lines(text) if not reading.ignores(line.strip()))
        texts.append(text)
    first = inventory.captures[0].where
    source = first if len(texts) == 1 else f"{first} (and {len(texts) - 1} more)"
    kinds = {entry.capture.media_type for entry in inventory.captures}
    if kinds <= set(FEED_TYPES):
        raise ProfileError(source, "a feed needs no profile: its entries are read as the items as they are")
    name = Path(args.output).stem if args.output not in (None, "-") else "suggested"
    toml = suggest_profile(texts, name, source=source).toml
    if "text/html" in kinds:
        toml += (
            "\n# These captures are HTML: an [html] table of CSS selectors can read the items from their\n"
            "# elements instead (see the README's Inputs: HTML lists by CSS selectors).\n"
        )
    _emit(toml, args.output, read)
    return EXIT_SAME


def _store(args: argparse.Namespace, read_only: bool = True) -> Store:
    from diffcore.store import Store

    return Store(args.store, read_only=read_only)


def _store_files(args: argparse.Namespace) -> list[str]:
    """The store's files: no output may replace one."""
    return [args.store, f"{args.store}-wal", f"{args.store}-shm"]


def cmd_store_add(args: argparse.Namespace) -> int:
    """Add captures to a store; print what changed since the capture before the latest one added."""
    from diffcore.diff import diff
    from diffcore.render import DIFF_FORMATS
    from diffcore.render.common import count

    inventory = _inventory(args)
    read = _read(args, [*inventory.files(), *_store_files(args)])
    _say_left_out(inventory)
    profile = _profile(args)
    options = _diff_options(args, profile)
    with _store(args, read_only=False) as store:
        result = store.add_inventory(
            inventory, profile, args.encoding, options, url=args.url, progress=_progress(len(inventory.captures))
        )
    latest = result.latest
    warnings = _Warnings()
    warnings.note(warning for added in result.added if added.snapshot for warning in added.snapshot.warnings)
    if latest is not None and latest.previous is not None and latest.snapshot is not None:
        report = diff(latest.previous, latest.snapshot, options, matching=latest.matching)
        _emit(DIFF_FORMATS[args.format](report, _color_for(args)), args.output, read)
        warnings.note(report.warnings)
    elif latest is not None:
        say(f"{latest.source}: the first capture of its page in {args.store}")
    warnings.say()
    present = len(result.captures) - len(result.added)
    say(
        f"{args.store}: added {count(len(result.added), 'capture')}"
        + (f" ({present} already there)" if present else "")
        + (f"; left out: {_left_out(inventory)}" if _left_out(inventory) else "")
    )
    return EXIT_DIFFERENT if result.has_changes else EXIT_SAME


def cmd_store_timeline(args: argparse.Namespace) -> int:
    """Print the timeline of a page of the store, as `timeline` prints it."""
    from diffcore.model import SUMMARY_TABLES
    from diffcore.render import TIMELINE_FORMATS

    read = _read_store_output(args)
    with _store(args) as store:
        result = store.timeline(args.url)
    tables = (args.table,) if args.table else (("items",) if args.format == "csv" else SUMMARY_TABLES)
    _emit(TIMELINE_FORMATS[args.format](result, tables, _color_for(args)), args.output, read)
    warnings = _Warnings()
    warnings.note_captures(result.captures)
    warnings.say()
    return EXIT_SAME


def _read_store_output(args: argparse.Namespace) -> list[str]:
    """The store's files, checked against -o before any work is done."""
    read = _store_files(args)
    if args.output not in (None, "-"):
        from diffcore.output import refuse_inputs

        refuse_inputs(args.output, read)
    return read


def cmd_store_diff(args: argparse.Namespace) -> int:
    """Compare two captures of the store; exit 1 when an item was added, dropped, edited or moved."""
    from diffcore.render import DIFF_FORMATS

    read = _read_store_output(args)
    with _store(args) as store:
        report = store.diff(args.old, args.new, args.url)
    _emit(DIFF_FORMATS[args.format](report, _color_for(args)), args.output, read)
    warnings = _Warnings()
    warnings.note((*report.old.warnings, *report.new.warnings, *report.warnings))
    warnings.say()
    return EXIT_DIFFERENT if report.has_changes else EXIT_SAME


def cmd_store_report(args: argparse.Namespace) -> int:
    """Write the report folder of a page of the store."""
    from diffcore.render.common import count

    with _store(args) as store:
        total = store.page(args.url).captures
        result = store.report(
            args.output, args.url, html=args.format == "html", force=args.force, progress=_progress(total)
        )
    warnings = _Warnings()
    warnings.note_captures(result.timeline.captures)
    warnings.say()
    changed = sum(pair.has_changes for pair in result.pairs)
    say(
        f"wrote {args.output}: {count(len(result.timeline.captures), 'capture')}, "
        f"{count(len(result.pairs), 'pair')} ({changed} with item changes)"
    )
    return EXIT_SAME


def cmd_store_pages(args: argparse.Namespace) -> int:
    """List the pages of a store with their captures."""
    read = _read_store_output(args)
    with _store(args) as store:
        pages = store.pages()

    def moment(value: dt.datetime | None) -> str | None:
        return None if value is None else value.strftime("%Y-%m-%dT%H:%M:%SZ")

    if args.format == "json":
        from diffcore.render.as_json import dumps

        document = [
            {
                "url": page.url,
                "captures": page.captures,
                "first": moment(page.first),
                "last": moment(page.last),
                "items": page.items,
                "profile": page.profile,
            }
            for page in pages
        ]
        _emit(dumps({"schema": "diffcore.store-pages/1", "pages": document}), args.output, read)
        return EXIT_SAME
    from tabulate import tabulate

    from diffcore.render.common import one_line

    rows = [
        (one_line(page.name), page.captures, moment(page.first) or "-", moment(page.last) or "-", page.items)
        for page in pages
    ]
    headers = ("page", "captures", "first", "last", "items")
    _emit(tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True) + "\n", args.output, read)
    return EXIT_SAME


def cmd_store_feed(args: argparse.Namespace) -> int:
    """Write an Atom feed of a page's item events."""
    read = _read_store_output(args)
    with _store(args) as store:
        text = store.feed(args.url, args.limit)
    _emit(text, args.output, read)
    return EXIT_SAME


def cmd_store_export(args: argparse.Namespace) -> int:
    """Write the events and the other tables as CSV or Parquet files into a folder."""
    with _store(args) as store:
        names = store.export(args.output, args.format, args.url, force=args.force)
    say(f"wrote {args.output}: {', '.join(names)}")
    return EXIT_SAME


def cmd_store_verify(args: argparse.Namespace) -> int:
    """Check the store: integrity, presence, the timeline folded again, the events; exit 1 on a problem."""
    with _store(args) as store:
        problems = store.verify()
        pages = store.pages()
    for problem in problems:
        sys.stdout.write(escape(problem) + "\n")
    captures = sum(page.captures for page in pages)
    if problems:
        say(f"{args.store}: {len(problems)} problem{'s' if len(problems) > 1 else ''} found")
        return EXIT_DIFFERENT
    sys.stdout.write(
        f"{escape(args.store)}: ok ({len(pages)} page{'s' if len(pages) != 1 else ''}, {captures} captures)\n"
    )
    return EXIT_SAME


def cmd_store_query(args: argparse.Namespace) -> int:
    """Run one SQL query on the store, opened read-only, and print its rows."""
    read = _read_store_output(args)
    with _store(args) as store:
        columns, rows = store.query(args.sql)
    if args.format == "json":
        from diffcore.render.as_json import dumps

        _emit(dumps([dict(zip(columns, row, strict=True)) for row in rows]), args.output, read)
    elif args.format == "csv":
        import csv

        from diffcore.render.as_csv import neutralise

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([neutralise(column) for column in columns])
        writer.writerows([neutralise(value) for value in row] for row in rows)
        _emit(buffer.getvalue(), args.output, read)
    else:
        from tabulate import tabulate

        from diffcore.render.common import printable

        shown = [["" if value is None else printable(str(value)) for value in row] for row in rows]
        _emit(tabulate(shown, headers=columns, tablefmt="simple", disable_numparse=True) + "\n", args.output, read)
    return EXIT_SAME


def _add_input_options(
    parser: argparse.ArgumentParser, output: bool = True, many: bool = True, profile: bool = True
) -> None:
    if profile:
        parser.add_argument(
            "--profile",
            metavar="NAME|FILE",
            help="page profile for another site layout: a built-in one by name (`diffcore profiles`) or a TOML file",
        )
    parser.add_argument(
        "--ignore",
        type=_regex,
        action="append",
        default=[],
        metavar="REGEX",
        help="set aside the lines where REGEX is found (breadcrumbs, pagination): shown, never compared; repeatable",
    )
    parser.add_argument("--encoding", metavar="NAME", help="decode input with this encoding (default: detect)")
    parser.add_argument(
        "--url",
        type=_url,
        metavar="URL",
        help="the page to read when the inputs hold captures of several (scheme, www. aside)",
    )
    parser.add_argument(
        "--git", action="store_true", help="read the committed versions of each named file from its git history"
    )
    parser.add_argument(
        "--captured",
        type=_moment,
        metavar="WHEN",
        help="capture time (ISO, UTC unless given) of captures whose file, archive or page does not say",
    )
    if many:
        parser.add_argument(
            "--strict", action="store_true", help="a file or record that is not a capture is an error, not skipped"
        )
    if output:
        _output_option(parser)


def build_parser(*, complete: bool = False) -> argparse.ArgumentParser:
    """The argument parser of every subcommand.

    A command's own arguments are added once it is chosen (`_Commands`), so a
    run builds the options of one command, not of all twenty;
    `complete=True` adds them all, for tools that read the whole parser.
    """
    parser = ArgumentParser(
        prog="diffcore",
        description="Track changes across dated captures of one web page.",
        epilog="Exit status: 0 no differences, 1 differences found, 2 trouble.",
    )
    parser.add_argument("--version", action="version", version=f"diffcore {__version__}")
    commands = _commands(parser, "command")
    commands.add_command(
        "show",
        _show_arguments,
        help="print one capture as a normalised snapshot",
        description="Print one capture as a normalised snapshot.",
    )
    commands.add_command(
        "diff",
        _diff_arguments,
        help="report what changed between two captures",
        description="Report what changed between two captures of the page.",
        epilog="Exit status: 0 no item changed, 1 items changed, 2 trouble.",
    )
    commands.add_command(
        "timeline",
        _timeline_arguments,
        help="when each item appeared and disappeared; how counters ran",
        description="Build the timeline of many captures (files, folders, WARC files or git histories, any order).",
    )
    commands.add_command(
        "report",
        _report_arguments,
        help="write a browsable report folder for many captures",
        description="Write a change report per consecutive pair, the timeline and an index.",
    )
    commands.add_command(
        "profiles",
        lambda profiles: profiles.set_defaults(run=cmd_profiles),
        help="list the built-in page profiles",
        description="List the built-in page profiles, by the name the other commands take as a profile.",
    )
    commands.add_command(
        "profile",
        _profile_commands,
        help="see how a profile reads captures, or suggest one",
        description="See how a page profile reads captures, to write or fix one, or suggest a starting one.",
    )
    commands.add_command(
        "store",
        _store_commands,
        help="keep the captures of pages in a history store (one SQLite file) that grows as you add captures",
        description="A history store: captures added in any order, their timeline, changes and events kept "
        "in one SQLite file that the sqlite3 shell and Datasette can read.",
    )
    commands.add_command(
        "collection",
        _collection_commands,
        help="build the history of every page in many captures at once, as a Parquet dataset",
        description="Collections: captures of many pages (folders, WARC files) grouped by page, each page's "
        "history folded on every core or on a Dask cluster, written as one Parquet dataset. "
        "Needs pyarrow: pip install 'diffcore[parquet]' (and 'diffcore[dask]' for --engine dask).",
    )
    if complete:
        commands.complete_all()
    return parser


def _commands(parser: argparse.ArgumentParser, dest: str) -> _Commands:
    """The subcommands of `parser`, their names stored in `dest`."""
    commands = parser.add_subparsers(dest=dest, metavar="COMMAND", required=True, action=_Commands)
    assert isinstance(commands, _Commands)
    return commands


def _show_arguments(show: argparse.ArgumentParser) -> None:
    from diffcore.render import SHOW_FORMATS

    show.add_argument("snapshot", metavar="CAPTURE", help="a capture file, or a WARC file or --git history (with --at)")
    show.add_argument("--format", choices=sorted(SHOW_FORMATS), default="text")
    show.add_argument(
        "--at", type=_time_prefix, metavar="TIME", help="the capture taken at TIME, when the input holds several"
    )
    _add_input_options(show, many=False)
    show.set_defaults(run=cmd_show)


def _diff_arguments(compare: argparse.ArgumentParser) -> None:
    from diffcore.render import DIFF_FORMATS

    compare.add_argument("old", metavar="OLD", help="the earlier capture")
    compare.add_argument("new", metavar="NEW", help="the later capture")
    compare.add_argument("--format", choices=sorted(DIFF_FORMATS), default="text")
    compare.add_argument(
        "--at-old", type=_time_prefix, metavar="TIME", help="the capture of OLD taken at TIME, when it holds several"
    )
    compare.add_argument(
        "--at-new", type=_time_prefix, metavar="TIME", help="the capture of NEW taken at TIME, when it holds several"
    )
    _add_diff_options(compare)
    _add_input_options(compare, many=False)
    compare.set_defaults(run=cmd_diff)


PATHS_HELP = (
    "captures: text or HTML files, folders of them (searched), WARC/ARC files; with --git, files in a git work tree"
)


def _timeline_arguments(history: argparse.ArgumentParser) -> None:
    from diffcore.model import TIMELINE_TABLES
    from diffcore.render import TIMELINE_FORMATS

    history.add_argument("paths", nargs="+", metavar="PATH", help=PATHS_HELP)
    history.add_argument("--format", choices=sorted(TIMELINE_FORMATS), default="text")
    history.add_argument(
        "--table", choices=TIMELINE_TABLES, help="only this table (csv shows one table: items unless given)"
    )
    history.add_argument(
        "--plot", type=_file_name, metavar="FILE", help="also write the timeline chart to FILE (.svg or .png)"
    )
    _add_diff_options(history)
    _add_input_options(history)
    history.set_defaults(run=cmd_timeline)


def _report_arguments(folder: argparse.ArgumentParser) -> None:
    folder.add_argument("paths", nargs="+", metavar="PATH", help=PATHS_HELP)
    _add_folder_options(folder)
    _add_diff_options(folder)
    _add_input_options(folder, output=False)
    folder.set_defaults(run=cmd_report)


def _profile_commands(profile: argparse.ArgumentParser) -> None:
    """The `profile` command group: how a profile reads captures, and a suggested one."""
    commands = _commands(profile, "profile_command")
    commands.add_command(
        "check",
        _profile_check_arguments,
        help="show how each line of the captures was read",
        description="Show how each non-blank line of each capture was read (date, clock, field, counter, "
        "lead, item, summary, footer, unparsed), then the warnings of a profile that does not fit.",
    )
    commands.add_command(
        "suggest",
        _profile_suggest_arguments,
        help="suggest a starting profile for captures",
        description="Suggest a starting profile (TOML) for the captures: the most frequent form of a dated "
        "line as its items, and the page's date line when every capture starts with one.",
    )


def _profile_check_arguments(check: argparse.ArgumentParser) -> None:
    check.add_argument(
        "profile", metavar="PROFILE", help="a built-in profile by name (`diffcore profiles`) or a TOML file"
    )
    check.add_argument("paths", nargs="+", metavar="CAPTURE", help="capture files or folders")
    _add_input_options(check, profile=False)
    check.set_defaults(run=cmd_profile_check)


def _profile_suggest_arguments(suggest: argparse.ArgumentParser) -> None:
    suggest.add_argument("paths", nargs="+", metavar="CAPTURE", help="capture files or folders")
    _add_input_options(suggest, profile=False)
    suggest.set_defaults(run=cmd_profile_suggest, profile=None)


def _force_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--force",
        action="store_true",
        help="write into a folder that holds other files (never overwriting or removing them)",
    )


def _add_folder_options(folder: argparse.ArgumentParser) -> None:
    """The options of a command that writes a report folder: where, in which formats, beside what."""
    from diffcore.render import FOLDER_FORMATS

    folder.add_argument(
        "-o", "--output", type=_file_name, metavar="DIR", required=True, help="the report folder to write"
    )
    folder.add_argument(
        "--format",
        choices=FOLDER_FORMATS,
        default="markdown",
        help="markdown and JSON always; html adds index.html and a page per pair",
    )
    _force_option(folder)


def cmd_collection_build(args: argparse.Namespace) -> int:
    """Build the Parquet dataset of every page in the inputs; exit 1 when some pages could not be built."""
    from diffcore.collection import build_collection, engine_named
    from diffcore.render.common import count

    profile = _profile(args)
    built = build_collection(
        args.paths,
        args.output,
        engine=engine_named(args.engine, args.workers, args.scheduler, args.scheduler_file),
        profile=profile,
        options=_diff_options(args, profile),
        encoding=args.encoding,
        git=args.git,
        captured=args.captured,
        force=args.force,
        progress=lambda results, total: _progress(total, "page")(results),
    )
    for page, reason in built.failed:
        say(f"{page}: skipped: {reason}")
    unreadable = "capture or record" if built.problems == 1 else "captures or records"
    problems = f"; {built.problems} {unreadable} unreadable (errors.parquet)" if built.problems else ""
    say(
        f"wrote {args.output}: {count(len(built.built) - len(built.failed), 'page')} built, "
        f"{len(built.kept)} unchanged, {len(built.failed)} skipped{problems}"
    )
    return EXIT_DIFFERENT if built.failed else EXIT_SAME


def cmd_collection_pages(args: argparse.Namespace) -> int:
    """List the pages of a collection dataset, the most changed first."""
    from diffcore.collection.dataset import dataset_files
    from diffcore.collection.ranking import ranked_pages

    table = ranked_pages(args.dataset)
    if args.limit:
        table = table.head(args.limit)
    read = dataset_files(args.dataset)
    if args.output not in (None, "-"):
        from diffcore.output import refuse_inputs

        refuse_inputs(args.output, read)
    table = table.drop(columns=["file"])
    if args.format == "json":
        from diffcore.render.as_json import dumps

        records = [{key: _plain(value) for key, value in row.items()} for row in table.to_dict("records")]
        _emit(dumps({"schema": "diffcore.collection-pages/1", "pages": records}), args.output, read)
    elif args.format == "csv":
        from diffcore.store.export import frame_csv

        _emit(frame_csv(table).decode("utf-8"), args.output, read)
    else:
        from tabulate import tabulate

        from diffcore.render.common import one_line

        shown = table.drop(columns=["url"]).astype(object).where(table.drop(columns=["url"]).notna(), "-")
        shown["page"] = shown["page"].map(one_line)
        _emit(
            tabulate(shown.values.tolist(), headers=list(shown.columns), disable_numparse=True) + "\n",
            args.output,
            read,
        )
    return EXIT_SAME


def _plain(value: object) -> object:
    """A table cell as JSON has it: numpy numbers as numbers, missing values as null."""
    if value is None or value != value:  # NaN
        return None
    return value.item() if hasattr(value, "item") else value


def cmd_collection_report(args: argparse.Namespace) -> int:
    """Write the HTML index of a collection's pages, each linking to its page's report."""
    from diffcore.collection.report import write_collection_report

    written = write_collection_report(args.dataset, args.output, force=args.force)
    say(f"wrote {args.output}: index.html and {written - 1} page reports")
    return EXIT_SAME


def _store_commands(group: argparse.ArgumentParser) -> None:
    """The `store` command group: a history of captures in one SQLite file."""
    commands = _commands(group, "store_command")
    commands.add_command(
        "add",
        _store_add_arguments,
        help="add captures; print what changed since the capture before",
        description="Add the captures the store lacks (any input the other commands read), each in its own "
        "transaction, in the order they were taken whatever order they come in; print the change report of the "
        "latest one added against the capture before it.",
        epilog="Exit status: 0 no item changed, 1 items changed, 2 trouble.",
    )
    commands.add_command(
        "timeline",
        _store_timeline_arguments,
        help="the timeline of a page's captures, as timeline prints it",
        description="Print the timeline of a page's captures, read from the store.",
    )
    commands.add_command(
        "diff",
        _store_diff_arguments,
        help="what changed between two stored captures",
        description="Report what changed between two captures of the store, named by their capture time "
        "(2020-08-07, 2020-08-07T04:17) or as latest and previous.",
        epilog="Exit status: 0 no item changed, 1 items changed, 2 trouble.",
    )
    commands.add_command(
        "report",
        _store_report_arguments,
        help="write the report folder of a page's captures",
        description="Write a change report per consecutive pair, the timeline and an index, from the store.",
    )
    commands.add_command(
        "pages",
        _store_pages_arguments,
        help="the pages of the store, with their captures",
        description="List each page of the store with its number of captures, first and last capture and items.",
    )
    commands.add_command(
        "feed",
        _store_feed_arguments,
        help="an Atom feed of a page's item events",
        description="Write an Atom feed with one entry per item added, back after a gap, edited or dropped, "
        "newest first.",
    )
    commands.add_command(
        "export",
        _store_export_arguments,
        help="the events in long form and the other tables, as CSV or Parquet files",
        description="Write events (page, item, capture time, event, field, old, new) and the other tables "
        "into a folder, for pandas, DuckDB or a spreadsheet. Parquet needs pyarrow: pip install 'diffcore[parquet]'.",
    )
    commands.add_command(
        "verify",
        _store_verify_arguments,
        help="check the store against itself and against a new fold of its captures",
        description="Check the store: SQLite's integrity check, each item's presence, every timeline folded "
        "again from the stored captures and compared, and the events against presence and the pairwise changes.",
        epilog="Exit status: 0 sound, 1 problems found (each listed), 2 trouble.",
    )
    commands.add_command(
        "query",
        _store_query_arguments,
        help="run an SQL query on the store (read-only) and print its rows",
        description="Run one SQL query on the store, opened read-only, and print its rows.",
    )


def _store_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("store", metavar="DB", type=_file_name, help="the store file (created by the first add)")


def _page_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--url", type=_url, metavar="URL", help="the page, when the store holds several (scheme, www. aside)"
    )


def _output_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", type=_file_name, metavar="FILE", help="write to FILE instead of stdout")


def _store_add_arguments(add: argparse.ArgumentParser) -> None:
    from diffcore.render import DIFF_FORMATS

    _store_argument(add)
    add.add_argument("paths", nargs="+", metavar="INPUT", help=PATHS_HELP)
    add.add_argument("--format", choices=sorted(DIFF_FORMATS), default="text")
    _add_diff_options(add)
    _add_input_options(add)
    add.set_defaults(run=cmd_store_add)


def _store_timeline_arguments(history: argparse.ArgumentParser) -> None:
    from diffcore.model import TIMELINE_TABLES
    from diffcore.render import TIMELINE_FORMATS

    _store_argument(history)
    history.add_argument("--format", choices=sorted(TIMELINE_FORMATS), default="text")
    history.add_argument(
        "--table", choices=TIMELINE_TABLES, help="only this table (csv shows one table: items unless given)"
    )
    _page_option(history)
    _output_option(history)
    history.set_defaults(run=cmd_store_timeline)


def _store_diff_arguments(compare: argparse.ArgumentParser) -> None:
    from diffcore.render import DIFF_FORMATS

    _store_argument(compare)
    compare.add_argument("old", metavar="FROM", nargs="?", default="previous", help="default: previous")
    compare.add_argument("new", metavar="TO", nargs="?", default="latest", help="default: latest")
    compare.add_argument("--format", choices=sorted(DIFF_FORMATS), default="text")
    _page_option(compare)
    _output_option(compare)
    compare.set_defaults(run=cmd_store_diff)


def _store_report_arguments(folder: argparse.ArgumentParser) -> None:
    _store_argument(folder)
    _add_folder_options(folder)
    _page_option(folder)
    folder.set_defaults(run=cmd_store_report)


def _store_pages_arguments(pages: argparse.ArgumentParser) -> None:
    _store_argument(pages)
    pages.add_argument("--format", choices=("json", "text"), default="text")
    _output_option(pages)
    pages.set_defaults(run=cmd_store_pages)


def _store_feed_arguments(feed: argparse.ArgumentParser) -> None:
    _store_argument(feed)
    feed.add_argument(
        "--limit", type=_count, default=100, metavar="N", help="the newest N entries (default 100; 0 for all)"
    )
    _page_option(feed)
    _output_option(feed)
    feed.set_defaults(run=cmd_store_feed)


def _store_export_arguments(export: argparse.ArgumentParser) -> None:
    _store_argument(export)
    export.add_argument("--format", choices=("csv", "parquet"), default="csv")
    export.add_argument("-o", "--output", type=_file_name, metavar="DIR", required=True, help="the folder to write")
    _force_option(export)
    export.add_argument("--url", type=_url, metavar="URL", help="only this page (default: every page)")
    export.set_defaults(run=cmd_store_export)


def _store_verify_arguments(check: argparse.ArgumentParser) -> None:
    _store_argument(check)
    check.set_defaults(run=cmd_store_verify)


def _store_query_arguments(query: argparse.ArgumentParser) -> None:
    _store_argument(query)
    query.add_argument("sql", metavar="SQL", help='the query, e.g. "SELECT * FROM item_lifetimes"')
    query.add_argument("--format", choices=("csv", "json", "text"), default="text")
    _output_option(query)
    query.set_defaults(run=cmd_store_query)


ENGINE_NAMES = ("local", "dask")
"""`diffcore.collection.engines.ENGINES`, named here so that building the parser imports no collection code."""


def _collection_commands(group: argparse.ArgumentParser) -> None:
    """The `collection` command group: many pages at once, as one Parquet dataset."""
    commands = _commands(group, "collection_command")
    commands.add_command(
        "build",
        _collection_build_arguments,
        help="fold every page of the inputs into a Parquet dataset",
        description="Group the captures by page (a WARC record's URL, a Wayback-style path, else the folder they "
        "sit in), fold each page's captures into its history, and write the tables (pages, captures, items, "
        "presence, counters, events, leads) into DIR. A folder holding an earlier build keeps the pages whose "
        "inputs did not change.",
        epilog="Exit status: 0 every page built, 1 some pages skipped (each said on stderr), 2 trouble.",
    )
    commands.add_command(
        "pages",
        _collection_pages_arguments,
        help="the pages of a dataset, the most changed first",
        description="List the pages of a collection dataset with their captures and item events (added, back, "
        "dropped, edited, moved), ranked by events per capture.",
    )
    commands.add_command(
        "report",
        _collection_report_arguments,
        help="an HTML index of the pages, each linking to its page's report",
        description="Write index.html (the pages ranked by how much they changed) and one HTML report per page "
        "(its items and their events) into OUT.",
    )


def _collection_build_arguments(build: argparse.ArgumentParser) -> None:
    build.add_argument(
        "paths",
        nargs="+",
        metavar="INPUT",
        help="captures of many pages: folders (a folder per page), WARC/ARC files, Wayback downloads",
    )
    build.add_argument("-o", "--output", type=_file_name, metavar="DIR", required=True, help="the dataset folder")
    build.add_argument("--engine", choices=ENGINE_NAMES, default="local", help="local: a process pool (default); dask")
    where = build.add_mutually_exclusive_group()
    where.add_argument("--scheduler", metavar="ADDRESS", help="a running Dask scheduler, e.g. tcp://HOST:8786")
    where.add_argument(
        "--scheduler-file", type=_file_name, metavar="FILE", help="the scheduler file a Dask cluster wrote"
    )
    build.add_argument(
        "--workers", type=_count, metavar="N", help="processes (local, or a Dask LocalCluster); default: every core"
    )
    _force_option(build)
    _add_diff_options(build)
    _add_input_options(build, output=False, many=False)
    build.set_defaults(run=cmd_collection_build)


def _collection_pages_arguments(pages: argparse.ArgumentParser) -> None:
    pages.add_argument("dataset", metavar="DIR", type=_file_name, help="a folder written by collection build")
    pages.add_argument("--format", choices=("csv", "json", "text"), default="text")
    pages.add_argument("--limit", type=_count, default=0, metavar="N", help="only the N most changed pages")
    _output_option(pages)
    pages.set_defaults(run=cmd_collection_pages)


def _collection_report_arguments(report: argparse.ArgumentParser) -> None:
    report.add_argument("dataset", metavar="DIR", type=_file_name, help="a folder written by collection build")
    report.add_argument("-o", "--output", type=_file_name, metavar="OUT", required=True, help="the folder to write")
    _force_option(report)
    report.set_defaults(run=cmd_collection_report)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `diffcore` command.

    Whatever happens, the outcome is an exit status and at most one line on
    stderr: the command's own errors, a failed write to stdout (a full disk,
    /dev/full), memory running out, and any unexpected exception, which is
    reported as an internal error rather than a traceback.
    """
    # Page text may hold characters the terminal's encoding lacks: show a
    # replacement rather than fail half-way through a report.
    if sys.stdout is None:  # started with stdout closed (`>&-`)
        sys.stdout = _ClosedStdout()
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:  # named after the command, as its other argument errors are
        say(f"{args.command}: unrecognized arguments: {' '.join(extra)}")
        parser.exit(EXIT_TROUBLE)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        with _terminate_as_interrupt():
            status = run(args)
        sys.stdout.flush()  # a write error surfaces here, not as "Exception ignored" at exit
        return status
    except DiffcoreError as exc:
        say(str(exc))
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); nothing more to say.
        _drop_stdout()
        sys.stderr.close()
    except Terminated:
        say("terminated")
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        say("interrupted")
        return 130
    except MemoryError:
        say("out of memory")
    except OSError as exc:
        if exc.filename is not None:
            say(f"{exc.filename}: {exc.strerror or exc}")
        else:  # the library names the files it reads and writes: this is stdout
            _drop_stdout()
            say(f"standard output: cannot write: {exc.strerror or exc}")
    except Exception as exc:  # the last resort: a crash must not look like exit 1
        say(f"internal error: {type(exc).__name__}: {exc}; please report it")
    return EXIT_TROUBLE


class Terminated(KeyboardInterrupt):
    """SIGTERM (`kill`, `timeout`), raised where Ctrl-C would be: a run cut short cleans up the same way."""


def _raise_terminated(signum: int, frame: FrameType | None) -> NoReturn:
    raise Terminated


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """Turn SIGTERM into `Terminated` while a command runs (from the main thread only, as Python allows)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class _ClosedStdout(io.TextIOBase):
    """Standard output when there is none: a write fails as on a closed descriptor, reported as one line."""

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so the unwritable rest is not flushed (and reported) at exit."""
    try:
        fileno = sys.stdout.fileno()
    except (OSError, ValueError):
        return  # not a real file (captured in tests): nothing is flushed at exit
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fileno)
    os.close(devnull)
