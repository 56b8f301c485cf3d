"""Fuzzing the command line in this process: whatever the input, no traceback.

Inputs are mutations of the committed fixtures (byte flips, truncation,
control characters, huge lines and counters, changed header labels and
fields, random Unicode, BOMs and re-encodings, random bytes). For each, every
command must end with exit 0, 1 or 2, at most one stderr line on exit 2,
valid JSON from `--format json`, and from `show` a snapshot that accounts for
every non-blank line. Bounded: a few seconds per test.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diffcore.load import load
from diffcore.render.as_json import snapshot_dict
from tests.support import FIXTURES_DIR, GOOD_FIXTURES, assert_lines_accounted, examples
from tests.test_errors import run_main

SEEDS = tuple((FIXTURES_DIR / name).read_bytes() for name in GOOD_FIXTURES)
BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
CONTROLS = [chr(c) for c in (*range(0x20), 0x7F, 0x85, 0x9B, 0x2028, 0x2029, 0xFEFF)] + ["\x1b[31m", "\r", "\r\n"]
LABELS = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=30)
FUZZ = settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

Mutation = Callable[[bytes], bytes]


def _at(data: bytes, fraction: float) -> int:
    return int(len(data) * fraction)


@st.composite
def mutation(draw: st.DrawFn) -> Mutation:
    """One change to a capture's bytes."""
    where = draw(st.floats(0, 1))
    kind = draw(
        st.sampled_from(
            [
                "flip",
                "truncate",
                "control",
                "huge_line",
                "label",
                "field",
                "unicode",
                "bom",
                "reencode",
                "bytes",
                "counter",
                "blank_lines",
            ]
        )
    )
    if kind == "flip":
        bit = draw(st.integers(0, 7))
        return lambda d: (
            d[: _at(d, where)] + bytes([d[_at(d, where)] ^ (1 << bit)]) + d[_at(d, where) + 1 :]
            if _at(d, where) < len(d)
            else d
        )
    if kind == "truncate":
        return lambda d: d[: _at(d, where)]
    if kind == "control":
        text = draw(st.sampled_from(CONTROLS)).encode("utf-8")
        return lambda d: d[: _at(d, where)] + text + d[_at(d, where) :]
    if kind == "huge_line":
        line = (
            draw(st.sampled_from(["x", "é ", "12 days have passed since ", "05.08.2020 - "]))
            * draw(st.integers(1000, 20000))
        ).encode("utf-8")
        return lambda d: d[: _at(d, where)] + b"\n" + line + b"\n" + d[_at(d, where) :]
    if kind == "label":
        label = draw(LABELS).encode("utf-8", "replace")
        return lambda d: d.replace(b"Visitor enquiries:", label + b":")
    if kind == "field":
        value = draw(LABELS).encode("utf-8")
        return lambda d: d.replace(b"+44 (0) 20 7946 0000", value)
    if kind == "unicode":
        text = draw(st.text(max_size=40)).encode("utf-8", "surrogatepass")
        return lambda d: d[: _at(d, where)] + text + d[_at(d, where) :]
    if kind == "bom":
        bom = draw(st.sampled_from(BOMS))
        return lambda d: bom + d
    if kind == "reencode":
        encoding = draw(st.sampled_from(["utf-16", "utf-16-be", "utf-32", "utf-32-le", "cp1252", "latin-1"]))
        return lambda d: d.decode("utf-8", "replace").encode(encoding, "replace")
    if kind == "bytes":
        noise = draw(st.binary(min_size=1, max_size=64))
        return lambda d: d[: _at(d, where)] + noise + d[_at(d, where) + len(noise) :]
    if kind == "counter":
        digits = draw(st.sampled_from(["0", "9" * 18, "9" * 19, str(2**63), str(2**64), "1" * 5000]))
        return lambda d: d.replace(b"412 days", digits.encode() + b" days")
    return lambda d: d.replace(b"\n", b"\n\n\n", 3)


@st.composite
def captures(draw: st.DrawFn) -> bytes:
    """A fixture with up to three mutations."""
    data = draw(st.sampled_from(SEEDS))
    for change in draw(st.lists(mutation(), max_size=3)):
        data = change(data)
    return data


def check(code: int, out: str, err: str, json_out: bool) -> None:
    """The invariants of every run."""
    assert code in (0, 1, 2), (code, err)
    assert "Traceback" not in err and "internal error" not in err, err
    if code == 2:
        assert len(err.splitlines()) <= 1, err
        assert out == ""
    elif json_out:
        json.loads(out)


def write(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


@FUZZ
@given(data=captures(), encoding=st.sampled_from([None, "utf-8", "utf-16", "cp1252", "utf-7", "rot13"]))
def test_show(tmp_path_factory: pytest.TempPathFactory, data: bytes, encoding: str | None) -> None:
    path = write(tmp_path_factory.mktemp("show"), "capture.txt", data)
    args = ("--encoding", encoding) if encoding else ()
    code, out, err = run_main("show", str(path), "--format", "json", *args)
    check(code, out, err, json_out=True)
    check(*run_main("show", str(path), *args), json_out=False)
    if code == 0:
        snapshot = load(path, encoding=encoding)
        assert json.loads(out) == json.loads(json.dumps(snapshot_dict(snapshot)))
        from diffcore.inputs.decoding import read_text

        assert_lines_accounted(read_text(path, encoding), snapshot)


@FUZZ
@given(old=captures(), new=captures(), fmt=st.sampled_from(["json", "text", "markdown", "html"]))
def test_diff(tmp_path_factory: pytest.TempPathFactory, old: bytes, new: bytes, fmt: str) -> None:
    folder = tmp_path_factory.mktemp("diff")
    code, out, err = run_main(
        "diff", str(write(folder, "old.txt", old)), str(write(folder, "new.txt", new)), "--format", fmt
    )
    check(code, out, err, json_out=fmt == "json")


@FUZZ
@given(files=st.lists(captures(), min_size=1, max_size=4), fmt=st.sampled_from(["json", "csv", "text"]))
def test_timeline(tmp_path_factory: pytest.TempPathFactory, files: list[bytes], fmt: str) -> None:
    folder = tmp_path_factory.mktemp("timeline")
    for number, data in enumerate(files):
        write(folder / "in", f"{number}.txt", data)
    code, out, err = run_main("timeline", str(folder / "in"), "--format", fmt, "--plot", str(folder / "t.svg"))
    check(code, out, err, json_out=fmt == "json")


@settings(FUZZ, max_examples=examples(15))
@given(files=st.lists(captures(), min_size=1, max_size=3))
def test_report(tmp_path_factory: pytest.TempPathFactory, files: list[bytes]) -> None:
    folder = tmp_path_factory.mktemp("report")
    for number, data in enumerate(files):
        write(folder / "in", f"{number}.txt", data)
    code, out, err = run_main("report", str(folder / "in"), "-o", str(folder / "out"), "--format", "html")
    assert code in (0, 2), err
    if code == 0:
        assert err.splitlines()[-1].startswith("diffcore: wrote ")
        for document in (folder / "out").rglob("*.json"):
            json.loads(document.read_text(encoding="utf-8"))
    else:
        check(code, out, err, json_out=False)
