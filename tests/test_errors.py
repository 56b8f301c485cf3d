"""Trouble of every kind ends as one line on stderr and exit 2, never a traceback.

The cases here were found by fuzzing (see tests/test_fuzz.py); each runs the
command in this process, as `diffcore.cli.main`, with its output captured.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from diffcore.diff import diff_fields
from diffcore.load import load
from diffcore.model import Field, Snapshot
from tests.support import FIXTURES_DIR, MAIN_FIXTURE

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
    assert [(f["label"], f["status"]) for f in fields] == [("Visitor enquiries", "removed"),
                                                           ("Visitor queries", "added")]
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


@settings(max_examples=150, deadline=None)
@given(mappings, mappings)
def test_field_changes_follow_the_mappings(before: dict[str, str], after: dict[str, str]) -> None:
    base = load(MAIN)

    def with_fields(mapping: dict[str, str]) -> Snapshot:
        header = dataclasses.replace(base.header, fields=tuple(Field(k, v, (1, 2)) for k, v in mapping.items()))
        return dataclasses.replace(base, header=header)

    changes = diff_fields(with_fields(before), with_fields(after))
    expected = sorted(
        (label, "added" if label not in before else "removed" if label not in after else "changed",
         before.get(label), after.get(label))
        for label in set(before) | set(after) if before.get(label) != after.get(label))
    assert [(c.label, c.status, c.old, c.new) for c in changes] == expected
