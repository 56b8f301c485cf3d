"""`diffcore show` as a stream: the same bytes as rendering the whole snapshot at once, in bounded memory."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tabulate import tabulate

from diffcore.errors import OutputError, SnapshotError
from diffcore.inputs.decoding import read_text
from diffcore.load import load
from diffcore.model import Item, Snapshot
from diffcore.output import TEMP_SUFFIX, write_stream_atomic
from diffcore.parse import parse
from diffcore.profile import default_profile
from diffcore.render import as_json, as_text
from tests.paths import EXAMPLES_DIR, FIXTURES_DIR, REPO_DIR
from tests.support import examples

CAPTURES = sorted([*FIXTURES_DIR.glob("*.txt"), *(EXAMPLES_DIR / "archive").glob("*.txt")])


def _parsed(path: Path) -> Snapshot | None:
    try:
        return load(path)
    except SnapshotError:
        return None


SNAPSHOTS = [snapshot for snapshot in map(_parsed, CAPTURES) if snapshot is not None]


def whole_item_table(items: tuple[Item, ...]) -> str:
    """The item table as `show` laid it out before streaming: one tabulate call over every row."""
    rows = [(item.position, *as_text._item_cells(item)) for item in items]
    return tabulate(rows, headers=as_text.ITEM_HEADERS, tablefmt="simple") + "\n"


def test_the_captures_are_many() -> None:
    assert len(SNAPSHOTS) > 20 and sum(len(snapshot.items) for snapshot in SNAPSHOTS) > 200


@pytest.mark.parametrize("snapshot", SNAPSHOTS, ids=lambda snapshot: Path(snapshot.source).name)
def test_streamed_show_is_the_whole_document(snapshot: Snapshot) -> None:
    assert "".join(as_text._item_table(snapshot.items)) == whole_item_table(snapshot.items)
    assert "".join(as_json.stream_snapshot(snapshot)) == as_json.dumps(as_json.snapshot_dict(snapshot))


# Cells that make tabulate lay a column out otherwise: numbers, booleans, empty cells, wide and
# zero-width characters, text it would strip.
CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            "12",
            "-3",
            "1e5",
            "1,000",
            "2.5",
            "True",
            "nan",
            "inf",
            "0x1f",
            "\u4e2d\u6587 text",
            "caf\u00e9",
            "e\u0301t\u00e9",
            "\u200b",
            "tab\there",
            "a" * 80,
            "\u3000wide space",
        ]
    ),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
)


@st.composite
def item_lists(draw: st.DrawFn) -> tuple[Item, ...]:
    rows = draw(st.lists(st.tuples(CELLS, CELLS, st.booleans()), max_size=6))
    return tuple(
        Item(
            f"id-{position}" if position % 3 else draw(CELLS),
            dt.date(2020, 1, 2) if dated else None,
            "31.02.2020",
            title,
            (summary,),
            position,
            (position,),
        )
        for position, (title, summary, dated) in enumerate(rows)
    )


@settings(max_examples=examples(300), deadline=None)
@given(item_lists())
def test_streamed_item_table_is_tabulates(items: tuple[Item, ...]) -> None:
    assert "".join(as_text._item_table(items)) == whole_item_table(items)


def test_rows_are_streamed_for_a_plain_table() -> None:
    items = tuple(
        Item(f"2020-01-02-{n:08x}", dt.date(2020, 1, 2), "02.01.2020", f"Title {n}", ("Summary",), n, (n,))
        for n in range(3)
    )
    table = list(as_text._item_table(items))
    assert len(table) == 2 + len(items)  # headers, rule, one piece a row


@settings(max_examples=examples(100), deadline=None)
@given(item_lists())
def test_streamed_json_is_json_dumps(items: tuple[Item, ...]) -> None:
    snapshot = next(s for s in SNAPSHOTS if s.lead is not None)
    changed = Snapshot(
        snapshot.source,
        snapshot.header,
        snapshot.lead,
        items,
        snapshot.footer,
        snapshot.footer_line,
        snapshot.unparsed,
        snapshot.warnings,
    )
    assert as_json.render_snapshot(changed) == as_json.dumps(as_json.snapshot_dict(changed))


# -- reading as the file is read ---------------------------------------------------------------


@pytest.mark.parametrize("path", CAPTURES, ids=lambda path: path.name)
def test_load_while_reading_is_parsing_the_whole_text(path: Path) -> None:
    try:
        whole = parse(read_text(path), str(path), default_profile())
    except SnapshotError as exc:
        with pytest.raises(SnapshotError) as streamed:
            load(path)
        assert str(streamed.value) == str(exc)
    else:
        assert without_capture(load(path)) == whole


def without_capture(snapshot: Snapshot) -> Snapshot:
    """The snapshot as parsed from its text alone, without the record of where it was read."""
    return replace(snapshot, capture=None)


HEAD = "7 August 2020\r\nLondon: 08:15\r\n\rLead\r\r\n07.08.2020 - An item\n\nIts summary\r"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (("7 August 2020\n" + "x\n" * 10_000).encode() + b"\xff\xfe caf\xe9", None),  # not UTF-8 at the end: cp1252
        (b"\xef\xbb\xbf" + HEAD.encode(), None),  # a UTF-8 byte order mark
        (b"no date here\n" + b"x\n" * 10_000 + b"\x00", "binary file"),  # the NUL is said, not the date
        (b"no date here\n" + b"x\n" * 10_000 + b"caf\xe9", "no capture date"),  # decoded as cp1252 first
        (b"\n \r\n\t\r", "empty file"),
    ],
)
def test_load_while_reading_says_what_decoding_whole_says(tmp_path: Path, data: bytes, message: str | None) -> None:
    path = tmp_path / "capture.txt"
    path.write_bytes(data)
    try:
        whole = parse(read_text(path), str(path), default_profile())
    except SnapshotError as exc:
        assert message is not None and message in str(exc)
        with pytest.raises(SnapshotError, match=message):
            load(path)
    else:
        assert message is None
        assert without_capture(load(path)) == whole


def test_line_ends_of_every_kind_number_lines_alike(tmp_path: Path) -> None:
    path = tmp_path / "capture.txt"
    path.write_bytes(HEAD.encode())
    snapshot = load(path)
    assert without_capture(snapshot) == parse(HEAD, str(path), default_profile())
    assert snapshot.items[0].lines == (6, 8)


# -- writing as the output is made -------------------------------------------------------------


def test_a_stream_cut_short_leaves_the_old_output(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_bytes(b"old\n")

    def pieces() -> object:
        yield b"new "
        raise MemoryError

    with pytest.raises(MemoryError):
        write_stream_atomic(target, pieces())  # type: ignore[arg-type]
    assert target.read_bytes() == b"old\n"
    assert not list(tmp_path.glob(f"*{TEMP_SUFFIX}"))
    write_stream_atomic(target, iter([b"new ", b"text\n"]))
    assert target.read_bytes() == b"new text\n"
    with pytest.raises(OutputError, match="refusing to overwrite an input"):
        write_stream_atomic(target, iter([b"x"]), inputs=[target])


# -- memory running out ------------------------------------------------------------------------

# Limit the child's address space to what it uses once diffcore is imported, plus a little.
LIMITED = """
import resource, sys
from diffcore.cli import main
size = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmSize:"))
limit = (size + 24_000) * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_memory_running_out_is_one_line_and_exit_2(tmp_path: Path) -> None:
    item = "{day:02d}.07.2020 - Volunteer day number {n} at the North Pier\n\nAbout {n} members came.\n\n"
    capture = tmp_path / "huge.txt"
    capture.write_text(
        "7 August 2020\nLondon: 08:15\n\nLead\n\n" + "".join(item.format(day=n % 28 + 1, n=n) for n in range(100_000)),
        encoding="utf-8",
    )
    out = tmp_path / "out.json"
    done = subprocess.run(
        [sys.executable, "-c", LIMITED, "show", "--format", "json", str(capture), "-o", str(out)],
        capture_output=True,
        text=True,
        cwd=REPO_DIR,
        timeout=120,
    )
    assert (done.returncode, done.stdout, done.stderr) == (2, "", "diffcore: out of memory\n")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["huge.txt"]
