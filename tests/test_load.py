"""Bytes to text (encodings, line ends, BOM), files and folders to ordered snapshots, bad input."""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
from pathlib import Path

import pytest

from diffcore.errors import DiffcoreError, InputError, SnapshotError
from diffcore.inputs.decoding import decode
from diffcore.load import load, load_many, scan
from tests.paths import FIXTURES_DIR
from tests.support import (
    BAD_FIXTURES,
    BINARY_VARIANT,
    GOOD_FIXTURES,
    MAIN_FIXTURE,
    digests,
    without_source,
)

D = dt.date


# --- decoding ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["bom.txt", "crlf.txt", "cr.txt", "bom_crlf.txt"])
def test_bom_and_line_ends_parse_like_the_plain_file(name: str, variants: dict[str, Path]) -> None:
    plain = load(FIXTURES_DIR / MAIN_FIXTURE)
    variant = load(variants[name])
    assert without_source(variant) == without_source(plain)
    assert variant.source == str(variants[name])


def test_bom_is_dropped_in_decode() -> None:
    text = decode(b"\xef\xbb\xbf7 August 2020\n", "x")
    assert text == "7 August 2020\n"
    assert decode(b"\xef\xbb\xbf7 August 2020\n", "x", encoding="utf-8") == "7 August 2020\n"


def test_variant_bytes_are_what_they_claim(variants: dict[str, Path]) -> None:
    """Guard the generator: each variant really carries the feature under test."""
    assert variants["bom.txt"].read_bytes().startswith(b"\xef\xbb\xbf7 August")
    assert b"\r\n" in variants["crlf.txt"].read_bytes()
    cr = variants["cr.txt"].read_bytes()
    assert b"\r" in cr and b"\n" not in cr
    cp1251 = variants["cp1251.txt"].read_bytes()
    assert "Маяк".encode("cp1251")[:1] == b"\xcc" and "маяк".encode("cp1251") in cp1251
    cp1252 = variants["cp1252.txt"].read_bytes()
    assert b"caf\xe9" in cp1252 and b"Z\xfcrich" in cp1252 and b"\x9cuvre" in cp1252
    assert b"\x93La mer\x94" in cp1252
    for data in (cp1251, cp1252):
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")


@pytest.mark.parametrize("encoding", [None, "cp1251"])
def test_cp1251(encoding: str | None, variants: dict[str, Path]) -> None:
    snap = load(variants["cp1251.txt"], encoding=encoding)
    assert without_source(snap) == without_source(load(FIXTURES_DIR / "source_cp1251.txt"))
    assert snap.items[0].title == "Экскурсия на маяк"


@pytest.mark.parametrize("encoding", [None, "cp1252"])
def test_cp1252(encoding: str | None, variants: dict[str, Path]) -> None:
    snap = load(variants["cp1252.txt"], encoding=encoding)
    assert without_source(snap) == without_source(load(FIXTURES_DIR / "source_cp1252.txt"))
    assert snap.items[0].title == "\u201cLa mer\u201d: an \u0153uvre for the lantern"
    assert snap.items[1].title == "Caf\u00e9 reopens"


def test_explicit_encoding_is_the_only_one_tried(variants: dict[str, Path]) -> None:
    # cp1251 bytes forced through cp1252 decode without error, but to Latin mojibake.
    snap = load(variants["cp1251.txt"], encoding="cp1252")
    assert snap.items[0].title != "Экскурсия на маяк"
    assert not any("\u0400" <= ch <= "\u04ff" for ch in snap.items[0].title)


# --- bad input ----------------------------------------------------------------------------


def bad_inputs(variants: dict[str, Path], tmp_path: Path) -> list[tuple[Path, str | None, str]]:
    """(path, explicit encoding, reason expected in the message) for every non-snapshot."""
    cases: list[tuple[Path, str | None, str]] = [
        (FIXTURES_DIR / name, None, reason) for name, reason in BAD_FIXTURES.items()
    ]
    cases += [
        (variants[BINARY_VARIANT], None, "binary"),
        (variants["cp1251.txt"], "utf-8", "cannot decode as utf-8"),
        (variants["cp1252.txt"], "ascii", "cannot decode as ascii"),
        (variants["cp1252.txt"], "no-such-codec", "unknown encoding"),
        (tmp_path / "missing.txt", None, "no such file"),
        (tmp_path, None, "holds no usable capture"),  # a folder, of files that are not captures
    ]
    bad_date = tmp_path / "bad_capture_date.txt"
    bad_date.write_text("31 February 2020\nLondon: 10:00\n", encoding="utf-8")
    cases.append((bad_date, None, "not a real date"))
    return cases


def test_bad_inputs_raise_snapshot_error(variants: dict[str, Path], tmp_path: Path) -> None:
    for path, encoding, reason in bad_inputs(variants, tmp_path):
        with pytest.raises((SnapshotError, InputError)) as caught:
            load(path, encoding=encoding)
        error = caught.value
        assert isinstance(error, DiffcoreError)
        assert error.source == str(path)
        assert reason in error.reason, (path, error.reason)
        assert str(error) == f"{path}: {error.reason}"
        assert "\n" not in str(error)


def test_no_date_message_shows_the_line() -> None:
    with pytest.raises(SnapshotError, match=r"no capture date on line 1 \(found 'Welcome to the lighthouse'\)"):
        load(FIXTURES_DIR / "bad_no_date.txt")


def test_a_bad_file_in_a_folder_is_skipped_and_named(tmp_path: Path) -> None:
    shutil.copy(FIXTURES_DIR / MAIN_FIXTURE, tmp_path / "a.txt")
    shutil.copy(FIXTURES_DIR / "bad_no_date.txt", tmp_path / "b.txt")
    loaded = load_many([tmp_path])
    assert [Path(s.source).name for s in loaded.snapshots] == ["a.txt"]
    assert [(Path(s.where).name, s.reason) for s in loaded.skipped] == [
        ("b.txt", "no capture date on line 1 (found 'Welcome to the lighthouse')")
    ]
    with pytest.raises(InputError, match=r"b\.txt: no capture date .* \(--strict\)"):
        load_many([tmp_path], strict=True)
    with pytest.raises(SnapshotError, match=r"b\.txt: no capture date"):  # named, it is an error
        load_many([tmp_path / "a.txt", tmp_path / "b.txt"])


def test_bad_paths_raise_input_error(tmp_path: Path) -> None:
    (tmp_path / "notes.css").write_text("not a capture", encoding="utf-8")
    with pytest.raises(InputError, match=r"holds no usable capture: .*notes\.css: not a page capture \(\.css file\)$"):
        load_many([tmp_path])
    with pytest.raises(InputError, match="no such file or folder"):
        load_many([tmp_path / "nowhere"])


# --- many files ----------------------------------------------------------------------------


def archive(folder: Path) -> list[Path]:
    """Three captures named so that name order is the reverse of date order."""
    folder.mkdir(parents=True, exist_ok=True)
    names = {
        "a_latest.txt": "lighthouse_2020-09-14.txt",
        "b_middle.txt": "lighthouse_2020-08-07.txt",
        "c_oldest.txt": "lighthouse_2019-03-02_old.txt",
    }
    for name, source in names.items():
        shutil.copy(FIXTURES_DIR / source, folder / name)
    return [folder / name for name in names]


def test_load_many_orders_by_capture_date_not_name(tmp_path: Path) -> None:
    files = archive(tmp_path / "captures")
    for given in (files, [tmp_path / "captures"], [files[0], files[2], files[1]]):
        loaded = load_many(given)
        assert [s.captured for s in loaded.snapshots] == [D(2019, 3, 2), D(2020, 8, 7), D(2020, 9, 14)]
        assert [Path(s.source).name for s in loaded.snapshots] == ["c_oldest.txt", "b_middle.txt", "a_latest.txt"]
        assert loaded.duplicates == ()


def test_folder_reads_only_txt_files(tmp_path: Path) -> None:
    files = archive(tmp_path)
    (tmp_path / "README.md").write_text("not a capture", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    shutil.copy(FIXTURES_DIR / "bad_no_date.txt", tmp_path / "sub" / "ignored.txt")
    assert len(load_many([tmp_path]).snapshots) == len(files)


def test_duplicates_are_reported_and_left_out(tmp_path: Path) -> None:
    archive(tmp_path)
    shutil.copy(FIXTURES_DIR / MAIN_FIXTURE, tmp_path / "z_copy.txt")
    loaded = load_many([tmp_path])
    assert [Path(s.source).name for s in loaded.snapshots] == ["c_oldest.txt", "b_middle.txt", "a_latest.txt"]
    assert len(loaded.duplicates) == 1
    duplicate = loaded.duplicates[0]
    assert (Path(duplicate.where).name, Path(duplicate.same_as).name) == ("z_copy.txt", "b_middle.txt")


def test_same_content_in_another_encoding_is_a_duplicate(tmp_path: Path, variants: dict[str, Path]) -> None:
    shutil.copy(FIXTURES_DIR / MAIN_FIXTURE, tmp_path / "plain.txt")
    shutil.copy(variants["bom.txt"], tmp_path / "bom.txt")
    loaded = load_many([tmp_path])
    assert len(loaded.snapshots) == 1 and len(loaded.duplicates) == 1


def test_distinct_captures_of_one_day_are_kept_in_time_order(tmp_path: Path) -> None:
    text = (FIXTURES_DIR / MAIN_FIXTURE).read_text(encoding="utf-8")
    morning = text.replace("Harbourtown: 09:15\nLondon: 08:15", "Harbourtown: 07:05\nLondon: 06:05")
    evening = text.replace("Harbourtown: 09:15\nLondon: 08:15", "Harbourtown: 21:30\nLondon: 20:30")
    assert morning != text and evening != text
    (tmp_path / "1_evening.txt").write_text(evening, encoding="utf-8")
    (tmp_path / "2_noon.txt").write_text(text, encoding="utf-8")
    (tmp_path / "3_morning.txt").write_text(morning, encoding="utf-8")
    edited = text.replace("two cracked panes on", "three cracked panes on")
    assert edited != text
    (tmp_path / "4_noon_edited.txt").write_text(edited, encoding="utf-8")
    loaded = load_many([tmp_path])
    assert loaded.duplicates == ()
    assert [Path(s.source).name for s in loaded.snapshots] == [
        "3_morning.txt",
        "2_noon.txt",
        "4_noon_edited.txt",
        "1_evening.txt",
    ]
    assert {s.captured for s in loaded.snapshots} == {D(2020, 8, 7)}


def test_scan_dates_files_without_parsing_bodies(tmp_path: Path) -> None:
    files = archive(tmp_path)
    inventory = scan([tmp_path])
    assert [c.path for c in inventory.captures] == [files[2], files[1], files[0]]
    assert [c.page_date for c in inventory.captures] == [D(2019, 3, 2), D(2020, 8, 7), D(2020, 9, 14)]
    assert len({c.capture.digest for c in inventory.captures}) == 3


# --- loading never writes ----------------------------------------------------------------


def test_inputs_are_byte_identical_after_loading(tmp_path: Path, variants: dict[str, Path]) -> None:
    files = [FIXTURES_DIR / name for name in GOOD_FIXTURES] + list(variants.values())
    before = digests(files)
    for path in files:
        with contextlib.suppress(SnapshotError):
            load(path)
    copies = archive(tmp_path)
    before_copies = digests(copies)
    load_many([tmp_path, *files[:2]])
    assert digests(files) == before
    assert digests(copies) == before_copies


def test_load_many_orders_the_seeds_by_date(seeds_dir: Path) -> None:
    files = sorted(seeds_dir.glob("*.txt"))
    before = digests(files)
    loaded = load_many([seeds_dir])
    dates = [s.captured for s in loaded.snapshots]
    assert len(dates) == len(files) and dates == sorted(dates)
    assert loaded.duplicates == ()
    assert digests(files) == before
