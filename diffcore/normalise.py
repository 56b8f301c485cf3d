"""Pure text normalisers.

`clean` is what a reader would call "the same text": Unicode NFKC (which also
turns non-breaking spaces into spaces) with whitespace collapsed. `key` folds
further, for matching only: case, typographic quotes and dashes.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

# NFKC keeps these distinct; a reader does not.
_FOLDS = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "`": "'",
    "\u00b4": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
}
_FOLD = str.maketrans(_FOLDS)
# str.translate looks every character up; a text with nothing to fold (most) skips it.
_FOLDABLE = re.compile("[" + "".join(map(re.escape, _FOLDS)) + "]")

# Whitespace is the same set everywhere here: str.split(), str.strip() and the
# regular expression \s all follow str.isspace (NBSP included), so splitting and
# joining collapses exactly the runs `\s+` would.


def _fold(text: str) -> str:
    return text.translate(_FOLD) if _FOLDABLE.search(text) else text


def clean(text: str) -> str:
    """NFKC, every whitespace run (non-breaking spaces included) to one space, trimmed."""
    if not text.isascii():  # NFKC leaves ASCII as it is
        text = unicodedata.normalize("NFKC", text)
    return " ".join(text.split())


def key(text: str) -> str:
    """The matching key of a text: `clean`, then case, quote and dash folding."""
    if text.isascii():
        # The one ASCII fold is the backtick; casefold is lower() on ASCII.
        return " ".join(text.replace("`", "'").split()).lower()
    # Fold before NFKC as well as after: NFKC turns an acute accent used as an
    # apostrophe into a space and a combining mark, and a double prime into two primes.
    return _fold(clean(_fold(text))).casefold()


def words(text: str) -> list[str]:
    """The words of a text as displayed, split on whitespace (NBSP included)."""
    return (text if text.isascii() else unicodedata.normalize("NFKC", text)).split()


def key_words(text: str) -> list[str]:
    """The words of the matching key of a text."""
    return key(text).split()


def source_text(path: str | Path) -> str:
    """A path as text that can be written anywhere (JSON, HTML, a UTF-8 file).

    A file name that is not valid UTF-8 reaches Python with its bad bytes as
    lone surrogates, which no UTF-8 writer accepts; they read here as \\xNN.
    """
    return os.fsencode(path).decode("utf-8", "backslashreplace")


MARKDOWN_LINK = re.compile(r"\[(?P<text>[^\[\]]*)\]\((?P<link>[^()\s]+)(?:\s+\"[^\"]*\")?\)")
"""A Markdown link, `[text](url)` or `[text](url "title")`: the default `[item] link`."""
