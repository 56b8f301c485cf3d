"""Bytes to text: by a byte order mark, a declared charset, UTF-8, else the likelier legacy encoding.

Pure functions: every capture's payload, whatever it was read from, is
decoded here.
"""

from __future__ import annotations

import codecs
from collections.abc import Sequence
from pathlib import Path

from diffcore._files import read_bytes
from diffcore.errors import SnapshotError

# Legacy single-byte encodings tried, in this order of preference, when a file is not UTF-8.
LEGACY_ENCODINGS = ("cp1251", "cp1252")


# Labels the HTML standard maps to another encoding than Python's codec of that name does.
HTML_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
}
# Declared charsets never believed: they decode any bytes, or turn markup into other text (HTML forbids them).
UNSAFE_DECLARED = frozenset({"utf-7", "utf_7"})

# Byte order marks, UTF-32 first: its little-endian mark begins with UTF-16's.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes, source: str, encoding: str | None = None, declared: Sequence[str] = ()) -> str:
    """Decode a capture: UTF-16/32 by their BOM, a `declared` charset, UTF-8 (with or without BOM), else a legacy one.

    `declared` are the charsets the payload's container or markup names (an
    HTTP Content-Type, then an HTML meta tag), tried in order; one that is
    unknown, not a text encoding, or does not decode the bytes is passed
    over, as browsers do. With `encoding` given, only that encoding is tried; it must be a text
    encoding (not rot13, base64, zlib...). Otherwise charset-normalizer picks
    the most plausible of `LEGACY_ENCODINGS`, which tells Cyrillic cp1251
    from Western cp1252 far better than a byte count. The text never holds a
    NUL (that is a binary file) nor a lone surrogate (which some codecs, such
    as utf-7 or unicode_escape, produce and no later step could write out).
    """
    bom = next((name for mark, name in BOMS if data.startswith(mark)), None)
    if encoding is not None:
        text = _decode_as(data, source, encoding)
    elif bom is not None:
        text = _decode_as(data, source, bom)
    elif b"\x00" in data:
        raise SnapshotError(source, "binary file (contains NUL bytes)")
    else:
        read = decode_declared(data, declared)
        text = read[1] if read else _decode_guessed(data, source)
    if not text or text.isspace():  # not text.strip(): a huge text is not copied
        raise SnapshotError(source, "empty file")
    if "\x00" in text:
        raise SnapshotError(source, "binary file (contains NUL characters)")
    return text


def _decode_as(data: bytes, source: str, encoding: str) -> str:
    """Decode with one named text encoding, without its BOM."""
    try:
        info = codecs.lookup(encoding)
    except (LookupError, UnicodeError):  # a name holding a byte that is not UTF-8 cannot even be looked up
        # Quoted, not repr(): such a byte arrives as a lone surrogate, which the CLI shows as the byte (\xNN).
        raise SnapshotError(source, f"unknown encoding '{encoding}'") from None
    if not getattr(info, "_is_text_encoding", True):
        raise SnapshotError(source, f"{encoding!r} is not a text encoding")
    try:
        text = data.decode(encoding).removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise SnapshotError(source, f"cannot decode as {encoding}: byte {exc.start}") from None
    except UnicodeError as exc:
        raise SnapshotError(source, f"cannot decode as {encoding}: {exc}") from None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise SnapshotError(source, f"decoding as {encoding} gives lone surrogates; choose another encoding") from None
    return text


def decode_declared(data: bytes, declared: Sequence[str]) -> tuple[str, str] | None:
    """The first declared charset that decodes the bytes (as declared) and the text, or None."""
    for name in declared:
        try:
            codec = codecs.lookup(HTML_ALIASES.get(name.strip().lower(), name.strip()))
        except (LookupError, UnicodeError, ValueError):
            continue
        if not getattr(codec, "_is_text_encoding", True) or codec.name in UNSAFE_DECLARED:
            continue
        try:
            text = data.decode(codec.name).removeprefix("\ufeff")
            if codec.name != "utf-8":
                text.encode("utf-8")  # no lone surrogates (UTF-8's decoder never gives them)
        except UnicodeError:
            continue
        return name.strip(), text
    return None


def _decode_guessed(data: bytes, source: str) -> str:
    """UTF-8 (with or without BOM), else the likelier legacy encoding."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)).best()
    if best is None:
        raise SnapshotError(source, "undecodable: not UTF-8 nor " + " / ".join(LEGACY_ENCODINGS))
    return str(best)


def read_text(path: Path, encoding: str | None = None) -> str:
    """Read and decode one regular file."""
    return decode(read_bytes(path), str(path), encoding)
