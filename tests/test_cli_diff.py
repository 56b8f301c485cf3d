"""`diffcore diff` end to end, as a user runs it: exit codes, errors, -o, colour, formats.

In process through the `cli` fixture, except colour on a real (pseudo-)terminal."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.contract import check_diff_contract
from tests.paths import FIXTURES_DIR, REPO_DIR
from tests.support import Cli, CliRun, digests

OLD = "tests/fixtures/diff/old_2020-08-07.txt"
NEW = "tests/fixtures/diff/new_2020-09-14.txt"


def warned(*paths: str | Path) -> str:
    """What a command says of its captures' warnings (the fixtures hold an item dated 31.02), after its output."""
    from diffcore.load import load

    return "".join(f"diffcore: warning: {warning}\n" for path in paths for warning in load(path).warnings)


ANSI = "\x1b["


def plain_env() -> dict[str, str]:
    """The environment without NO_COLOR."""
    return {name: value for name, value in os.environ.items() if name != "NO_COLOR"}


@pytest.fixture(scope="module")
def reports(cli: Cli) -> dict[str, CliRun]:
    """`diffcore diff OLD NEW --format F` for each format, run once for the module (colour allowed)."""
    return {fmt: cli("diff", OLD, NEW, "--format", fmt, no_color=False) for fmt in ("text", "markdown", "json")}


def assert_one_error_line(result: CliRun, names: str) -> None:
    """Exit 2, nothing on stdout, one stderr line naming `names`, no traceback."""
    assert result.returncode == 2, result
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("diffcore: ") and names in lines[0], lines[0]
    assert "Traceback" not in result.stderr


@pytest.fixture
def captures(tmp_path: Path) -> dict[str, Path]:
    """Copies of the fixture pair, an identical copy of the old one, and bad inputs, in tmp_path."""
    paths = {
        "old": tmp_path / "old.txt",
        "new": tmp_path / "new.txt",
        "old_copy": tmp_path / "old_copy.txt",
        "no_date": tmp_path / "no_date.txt",
        "empty": tmp_path / "empty.txt",
        "binary": tmp_path / "binary.txt",
    }
    shutil.copyfile(REPO_DIR / OLD, paths["old"])
    shutil.copyfile(REPO_DIR / NEW, paths["new"])
    shutil.copyfile(REPO_DIR / OLD, paths["old_copy"])
    shutil.copyfile(FIXTURES_DIR / "bad_no_date.txt", paths["no_date"])
    paths["empty"].write_bytes(b"")
    paths["binary"].write_bytes(b"7 August 2020\n\x00\x01\xff not text\n")
    return paths


# --- exit codes --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_identical_captures_exit_0(cli: Cli, fmt: str, captures: dict[str, Path]) -> None:
    result = cli("diff", str(captures["old"]), str(captures["old_copy"]), "--format", fmt)
    assert result.returncode == 0, result.stderr
    assert result.stderr == warned(captures["old"], captures["old_copy"]) != ""
    assert result.stdout


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_changed_captures_exit_1(fmt: str, reports: dict[str, CliRun]) -> None:
    result = reports[fmt]
    assert result.returncode == 1, result.stderr
    assert result.stderr == warned(OLD, NEW) != ""
    assert result.stdout


def test_a_lead_or_header_change_alone_exits_0(cli: Cli) -> None:
    result = cli("diff", OLD, "tests/fixtures/diff/lead_replaced_2020-08-21.txt", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["lead"]["status"] == "replaced"


@pytest.mark.parametrize("bad", ["no_date", "empty", "binary", "missing", "folder"])
@pytest.mark.parametrize("side", ["old", "new"])
def test_a_bad_input_is_one_line_naming_it_and_exit_2(
    cli: Cli, bad: str, side: str, captures: dict[str, Path], tmp_path: Path
) -> None:
    target = {"missing": tmp_path / "missing.txt", "folder": tmp_path}.get(bad) or captures[bad]
    good = captures["new"] if side == "old" else captures["old"]
    before = digests([good])
    args = (str(target), str(good)) if side == "old" else (str(good), str(target))
    assert_one_error_line(cli("diff", *args), str(target))
    assert digests([good]) == before


def test_a_bad_option_value_exits_2_without_traceback(cli: Cli) -> None:
    result = cli("diff", OLD, NEW, "--threshold", "1.5")
    assert result.returncode == 2
    assert "1.5 is not between 0 and 1" in result.stderr
    assert "Traceback" not in result.stderr


# --- -o FILE -----------------------------------------------------------------------------------


def test_output_file_gets_the_report_and_stdout_stays_empty(
    cli: Cli, tmp_path: Path, reports: dict[str, CliRun]
) -> None:
    out = tmp_path / "report.json"
    result = cli("diff", OLD, NEW, "--format", "json", "-o", str(out))
    assert result.returncode == 1
    assert result.stdout == "" and result.stderr == warned(OLD, NEW)
    assert out.read_text(encoding="utf-8") == reports["json"].stdout
    check_diff_contract(json.loads(out.read_text(encoding="utf-8")))


def test_output_dash_is_stdout(cli: Cli, reports: dict[str, CliRun]) -> None:
    result = cli("diff", OLD, NEW, "-o", "-", no_color=False)
    assert result.returncode == 1
    assert result.stdout == reports["text"].stdout


@pytest.mark.parametrize("which", ["old", "new"])
def test_output_onto_an_input_is_refused(cli: Cli, which: str, captures: dict[str, Path]) -> None:
    before = digests([captures["old"], captures["new"]])
    # The same file under another spelling of its path.
    target = captures["old"].parent / ".." / captures["old"].parent.name / captures[which].name
    result = cli("diff", str(captures["old"]), str(captures["new"]), "-o", str(target))
    assert_one_error_line(result, str(target))
    assert "input" in result.stderr
    assert digests([captures["old"], captures["new"]]) == before


def test_output_into_a_missing_folder_is_one_error_line(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "report.txt"
    assert_one_error_line(cli("diff", OLD, NEW, "-o", str(target)), str(target))


# --- colour ------------------------------------------------------------------------------------


def on_terminal(*args: str, env: dict[str, str]) -> str:
    """Run `python -m diffcore ARGS` with stdout on a pseudo-terminal; return what it printed."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    with subprocess.Popen(
        [sys.executable, "-m", "diffcore", *args],
        cwd=REPO_DIR,
        env=env,
        stdout=slave,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    ) as process:
        os.close(slave)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the terminal closes when the child exits (EIO on Linux)
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=60)
    os.close(master)
    return b"".join(chunks).decode("utf-8")


def test_no_colour_off_a_terminal(reports: dict[str, CliRun]) -> None:
    for result in reports.values():
        assert ANSI not in result.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_colour_on_a_terminal_unless_no_color() -> None:
    coloured = on_terminal("diff", OLD, NEW, env=plain_env())
    assert ANSI in coloured
    assert "Annual general" in coloured
    assert ANSI not in on_terminal("diff", OLD, NEW, env={**plain_env(), "NO_COLOR": "1"})
    # Formats for programs and documents stay plain even on a terminal.
    assert ANSI not in on_terminal("diff", OLD, NEW, "--format", "json", env=plain_env())
    assert ANSI not in on_terminal("diff", OLD, NEW, "--format", "markdown", env=plain_env())


# --- formats -----------------------------------------------------------------------------------


def test_json_output_follows_the_contract(cli: Cli, reports: dict[str, CliRun]) -> None:
    document = json.loads(reports["json"].stdout)
    check_diff_contract(document)
    assert (document["old"]["source"], document["new"]["source"]) == (OLD, NEW)
    assert (
        len(document["added"]),
        len(document["dropped"]),
        len(document["edited"]),
        len(document["moved"]),
        document["unchanged"],
    ) == (2, 1, 3, 1, 4)
    check_diff_contract(json.loads(cli("diff", OLD, OLD, "--format", "json").stdout))


def test_markdown_output_has_its_headings(reports: dict[str, CliRun]) -> None:
    text = reports["markdown"].stdout
    lines = text.splitlines()
    assert lines[0] == "# Changes from 2020-08-07 to 2020-09-14"
    for heading in (
        "## Counters",
        "## Header fields",
        "## Lead article",
        "## Added (2)",
        "## Dropped (1)",
        "## Edited (3)",
        "## Moved (1)",
    ):
        assert heading in lines, heading
    assert sum(line.startswith("# ") for line in lines) == 1


def test_thresholds_reach_the_matcher(cli: Cli, reports: dict[str, CliRun]) -> None:
    default = json.loads(reports["json"].stdout)
    assert "Annual general meeting of members" in {e["new"]["title"] for e in default["edited"]}
    strict = json.loads(cli("diff", OLD, NEW, "--format", "json", "--threshold", "0.99").stdout)
    assert "Annual general meeting of members" in {i["title"] for i in strict["added"]}
    assert "Annual general meting of members" in {i["title"] for i in strict["dropped"]}
    redated = json.loads(cli("diff", OLD, NEW, "--format", "json", "--redated-threshold", "1").stdout)
    assert "Beach cleanup on the north shore" in {e["new"]["title"] for e in redated["edited"]}
    tolerant = json.loads(cli("diff", OLD, NEW, "--format", "json", "--counter-tolerance", "38").stdout)
    assert all(c["consistent"] in (True, None) for c in tolerant["counters"])
