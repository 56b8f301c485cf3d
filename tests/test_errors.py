"""Trouble of every kind ends as one line on stderr and exit 2, never a traceback.

The cases here were found by fuzzing (see tests/test_fuzz.py); each runs the
command in this process, as `diffcore.cli.main`, with its output captured.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, NoReturn

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diffcore.diff import diff_fields
from diffcore.load import load
from diffcore.model import Field, Snapshot
from tests.support import FIXTURES_DIR, MAIN_FIXTURE, REPO_DIR, assert_lines_accounted, examples, run_cli

MAIN = FIXTURES_DIR / MAIN_FIXTURE
FIELD_LABEL = "Visitor enquiries:"


def run_main(*args: str) -> tuple[int, str, str]:
    """`diffcore ARGS` in this process: exit status, stdout and stderr."""
    from diffcore.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse's exit, for --help
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue(), err.getvalue()


def assert_one_line(code: int, out: str, err: str, *names: str) -> None:
    """Exit 2 with one stderr line starting `diffcore: ` and holding every name."""
    assert code == 2, (code, err)
    assert out == ""
    assert len(err.splitlines()) == 1 and err.endswith("\n"), err
    assert err.startswith("diffcore: "), err
    for name in names:
        assert name in err, err


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# -- a header field whose label changes -----------------------------------------------------


def test_relabelled_field_is_one_removed_and_one_added(tmp_path: Path) -> None:
    relabelled = write(tmp_path / "new.txt", MAIN.read_text(encoding="utf-8").replace(FIELD_LABEL, "Visitor queries:"))
    code, out, err = run_main("diff", str(MAIN), str(relabelled), "--format", "json")
    assert (code, err) == (0, "")
    fields = json.loads(out)["fields"]
    assert [(f["label"], f["status"]) for f in fields] == [
        ("Visitor enquiries", "removed"),
        ("Visitor queries", "added"),
    ]
    assert fields[0]["old"] == fields[1]["new"] == "+44 (0) 20 7946 0000"


def test_report_over_a_relabelled_field(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    text = MAIN.read_text(encoding="utf-8")
    write(inputs / "a.txt", text)
    write(inputs / "b.txt", text.replace("7 August 2020", "8 August 2020", 1).replace(FIELD_LABEL, "Queries:"))
    code, _, err = run_main("report", str(inputs), "-o", str(tmp_path / "out"))
    assert code == 0, err
    (pair,) = (tmp_path / "out" / "changes").glob("*.json")
    fields = json.loads(pair.read_text(encoding="utf-8"))["fields"]
    assert [(f["label"], f["status"]) for f in fields] == [("Queries", "added"), ("Visitor enquiries", "removed")]


labels = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=8)
mappings = st.dictionaries(labels, st.sampled_from(["a", "b", "c d"]), max_size=4)


@settings(max_examples=examples(200), deadline=None)
@given(mappings, mappings)
def test_field_changes_follow_the_mappings(before: dict[str, str], after: dict[str, str]) -> None:
    base = load(MAIN)

    def with_fields(mapping: dict[str, str]) -> Snapshot:
        header = dataclasses.replace(base.header, fields=tuple(Field(k, v, (1, 2)) for k, v in mapping.items()))
        return dataclasses.replace(base, header=header)

    changes = diff_fields(with_fields(before), with_fields(after))
    expected = sorted(
        (
            label,
            "added" if label not in before else "removed" if label not in after else "changed",
            before.get(label),
            after.get(label),
        )
        for label in set(before) | set(after)
        if before.get(label) != after.get(label)
    )
    assert [(c.label, c.status, c.old, c.new) for c in changes] == expected


# -- argument errors ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (("diff", "a"), "diffcore: diff: the following arguments are required: NEW\n"),
        (("show",), "diffcore: show: the following arguments are required: CAPTURE\n"),
        (("timeline", "x", "--threshold", "2"), "diffcore: timeline: argument --threshold: 2 is not between 0 and 1\n"),
        (("report", "x"), "diffcore: report: the following arguments are required: -o/--output\n"),
        (
            ("nonsense",),
            (
                "diffcore: argument COMMAND: invalid choice: 'nonsense' "
                "(choose from 'show', 'diff', 'timeline', 'report', 'profiles', 'profile', 'store', 'collection')\n"
            ),
        ),
    ],
)
def test_an_argument_error_is_one_line(args: tuple[str, ...], line: str) -> None:
    assert run_main(*args) == (2, "", line)


def test_help_still_shows_the_whole_usage() -> None:
    code, out, err = run_main("diff", "--help")
    assert (code, err) == (0, "")
    assert out.startswith("usage: diffcore diff") and "--threshold" in out and "Exit status" in out


# -- the last resort ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raised", "line"),
    [
        (
            ZeroDivisionError("division by zero"),
            ("diffcore: internal error: ZeroDivisionError: division by zero; please report it\n"),
        ),
        (ValueError("a\nb"), "diffcore: internal error: ValueError: a\\x0ab; please report it\n"),
        (MemoryError(), "diffcore: out of memory\n"),
    ],
)
def test_an_unexpected_exception_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, raised: BaseException, line: str
) -> None:
    def crash(*args: object, **kwargs: object) -> NoReturn:
        raise raised

    monkeypatch.setattr(sys.modules["diffcore.diff"], "diff", crash)
    assert run_main("diff", str(MAIN), str(MAIN)) == (2, "", line)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_on_stdout_is_one_line() -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "diffcore", "show", str(MAIN)],
            cwd=REPO_DIR,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    assert (done.returncode, done.stderr) == (2, "diffcore: standard output: cannot write: No space left on device\n")


# -- file names that are not safe to print ----------------------------------------------------

UNSAFE_NAMES = {
    "new\nline.txt": "new\\x0aline.txt",
    "\x1b[31mred\x1b[0m.txt": "\\x1b[31mred\\x1b[0m.txt",
    "c1\x85\x9b.txt": "c1\\x85\\x9b.txt",
    "not-utf8-\udce9.txt": "not-utf8-\\xe9.txt",  # byte 0xE9 as argv gives it to Python
    "sep\u2028arator.txt": "sep\\u2028arator.txt",
}


@pytest.mark.parametrize("name", UNSAFE_NAMES)
def test_an_unsafe_file_name_is_shown_escaped(tmp_path: Path, name: str) -> None:
    assert_one_line(*run_main("show", str(tmp_path / name)), f"{UNSAFE_NAMES[name]}: no such file")


def test_a_warning_naming_an_unsafe_file_is_one_line(tmp_path: Path) -> None:
    text = MAIN.read_text(encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "a.txt", text)
    write(folder / "b\n\x1b[2J.txt", text)
    code, _, err = run_main("timeline", str(folder), "--format", "json")
    assert code == 0
    assert err == f"diffcore: {folder}/b\\x0a\\x1b[2J.txt: duplicate of {folder}/a.txt, skipped\n"


def test_file_names_that_are_not_utf8_reach_every_output(tmp_path: Path) -> None:
    text = MAIN.read_text(encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    old = write(folder / "old\udce9.txt", text)  # the name's byte 0xE9, as argv gives it
    write(folder / "copy\udcff.txt", text)
    new = write(folder / "new.txt", (FIXTURES_DIR / "lighthouse_2020-09-14.txt").read_text(encoding="utf-8"))
    out = tmp_path / "out\udcfe"
    out.mkdir()
    code, stdout, _ = run_main("show", str(old), "--format", "json")
    assert code == 0 and json.loads(stdout)["source"] == f"{folder}/old\\xe9.txt"
    assert run_main("show", str(old), "--format", "json", "-o", str(out / "s\udcfe.json"))[0] == 0
    for fmt in ("json", "html", "markdown"):
        assert run_main("diff", str(old), str(new), "--format", fmt, "-o", str(out / f"d.{fmt}"))[0] == 1
    assert (
        run_main(
            "timeline", str(folder), "--format", "json", "-o", str(out / "t.json"), "--plot", str(out / "t\udcfe.svg")
        )[0]
        == 0
    )
    code, _, err = run_main("report", str(folder), "-o", str(out / "report"), "--format", "html")
    assert code == 0, err
    index = (out / "report" / "index.html").read_text(encoding="utf-8")
    assert "old\\xe9.txt</code> (same as <code>" in index and "copy\\xff.txt" in index


# -- encodings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "line"),
    [
        ("utf-7", b"+2AA-"),
        ("unicode_escape", b"\\ud800"),
        ("raw_unicode_escape", b"\\ud800"),
    ],
)
def test_an_encoding_giving_lone_surrogates_is_refused(tmp_path: Path, encoding: str, line: bytes) -> None:
    capture = tmp_path / "s.txt"
    capture.write_bytes(b"7 August 2020\n\nDear " + line + b"\n")
    assert_one_line(
        *run_main("show", str(capture), "--encoding", encoding),
        "s.txt",
        f"decoding as {encoding} gives lone surrogates",
    )


@pytest.mark.parametrize("encoding", ["rot13", "base64", "hex", "zlib", "bz2", "uu", "quopri"])
def test_a_codec_that_is_no_text_encoding_is_refused(encoding: str) -> None:
    assert_one_line(
        *run_main("show", str(MAIN), "--encoding", encoding), MAIN_FIXTURE, f"'{encoding}' is not a text encoding"
    )


@pytest.mark.parametrize(
    ("encoding", "named"),
    [
        ("utf-16-le", None),
        ("utf-16-be", None),
        ("utf-32-le", None),
        ("utf-32-be", None),
        ("utf-16", None),
        ("utf-16", "utf-16"),
        ("utf-32", "utf-32"),
        ("utf-16-le", "utf-16-le"),
    ],
)
def test_utf16_and_utf32_are_read(tmp_path: Path, encoding: str, named: str | None) -> None:
    text = MAIN.read_text(encoding="utf-8")
    capture = tmp_path / "wide.txt"
    bom = "" if encoding in ("utf-16", "utf-32") or named else "\ufeff"  # the plain names write one
    capture.write_bytes((bom + text).encode(encoding))
    args = ("--encoding", named) if named else ()
    code, out, err = run_main("show", str(capture), "--format", "json", *args)
    assert (code, err) == (0, "")
    plain = json.loads(run_main("show", str(MAIN), "--format", "json")[1].replace(str(MAIN), str(capture)))
    wide = json.loads(out)
    assert wide.pop("capture")["digest"] != plain.pop("capture")["digest"]  # other bytes, the same page
    assert wide == plain


# -- files that are not what they were, or not files ------------------------------------------


def test_a_device_is_refused() -> None:
    assert_one_line(*run_main("show", "/dev/null"), "/dev/null: not a regular file")
    assert_one_line(*run_main("timeline", "/dev/null"), "/dev/null: not a regular file")


def test_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    # No writer ever comes: a reader that waits for one would block until the timeout fails the test.
    done = run_cli("show", str(fifo))  # 60 s at most
    assert_one_line(done.returncode, done.stdout, done.stderr, "pipe.txt: not a regular file")


def test_an_unreadable_folder_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(path: object) -> NoReturn:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(os, "scandir", refuse)
    assert_one_line(*run_main("timeline", str(tmp_path)), f"{tmp_path}: cannot read: Permission denied")


def test_a_file_changed_after_scanning_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_module = sys.modules["diffcore.load"]
    text = MAIN.read_text(encoding="utf-8")
    first = write(tmp_path / "a.txt", text)
    write(tmp_path / "b.txt", text.replace("7 August 2020", "8 August 2020", 1))
    scan = load_module.scan

    def scan_then_edit(*args: Any, **kwargs: Any) -> Any:
        inventory = scan(*args, **kwargs)
        write(first, text.replace("Dear friends,", "Dear all,"))
        return inventory

    monkeypatch.setattr(load_module, "scan", scan_then_edit)
    assert_one_line(*run_main("timeline", str(tmp_path)), f"{first}: changed while being read")


# -- counters too long for a number -----------------------------------------------------------

COUNTER_LINE = "412 days have passed since the west pier closed"


def with_counter(folder: Path, name: str, value: str, day: int = 7) -> Path:
    text = MAIN.read_text(encoding="utf-8").replace("7 August 2020", f"{day} August 2020", 1)
    return write(folder / name, text.replace(COUNTER_LINE, COUNTER_LINE.replace("412", value)))


@pytest.mark.parametrize("digits", [18, 19, 20, 4301, 5000])
def test_counters_up_to_18_digits_are_read_and_longer_ones_kept_as_text(tmp_path: Path, digits: int) -> None:
    old = with_counter(tmp_path, "a.txt", "9" * digits)
    new = with_counter(tmp_path, "b.txt", "1" + "0" * (digits - 1), day=8)
    code, out, err = run_main("show", str(old), "--format", "json")
    assert code == 0
    snapshot = json.loads(out)
    if digits <= 18:
        assert err == "" and snapshot["counters"][0]["value"] == int("9" * digits)
    else:
        assert (
            err == f"diffcore: warning: {old}: line 8: a counter of {digits} digits (over 18) "
            "is no plausible count; kept as text\n"
        )
        assert snapshot["counters"] == [] and "9" * digits in json.dumps(snapshot)
    assert_lines_accounted(old.read_text(encoding="utf-8"), load(old))
    assert run_main("show", str(old))[0] == 0
    for fmt in ("text", "markdown", "json", "html"):
        code, out, err = run_main("diff", str(old), str(new), "--format", fmt)
        assert code in (0, 1), (fmt, err)
    # Every command says the warning of each capture's long counter, once its output is written.
    warned = "".join(f"diffcore: warning: {w}\n" for path in (old, new) for w in load(path).warnings)
    assert (warned != "") == (digits > 18)
    for fmt in ("text", "markdown", "json", "csv"):
        for table in ("counters", "items", "leads", "presence"):
            code, out, err = run_main("timeline", str(old), str(new), "--format", fmt, "--table", table)
            assert (code, err) == (0, warned), (fmt, table)
    code, out, err = run_main("timeline", str(old), str(new), "--format", "json", "--plot", str(tmp_path / "x.svg"))
    assert (code, err) == (0, warned)
    values = [reading["value"] for reading in json.loads(out)["counters"]]
    assert ("9" * digits in map(str, values)) == (digits <= 18)
    assert (tmp_path / "x.svg").read_bytes().startswith(b"<?xml")
    assert run_main("timeline", str(old), str(new), "--plot", str(tmp_path / "x.png"))[0] == 0
    assert run_main("report", str(old), str(new), "-o", str(tmp_path / "out"), "--format", "html")[0] == 0
