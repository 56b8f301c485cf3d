"""The declarative page profile: the patterns and markers the parser follows.

The built-in profile (`profiles/default.toml`) reads the dated news page format;
a user's TOML file of the same shape reads another site laid out the same way.
No site-specific string lives anywhere else in diffcore.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from diffcore._files import read_bytes
from diffcore.errors import ProfileError
from diffcore.normalise import key

COUNTER_MAX_DIGITS = 18
"""The longest counter value read as a number (below 10**18, so below 2**63).

Every table, CSV or JSON reader and chart holds such a value as a 64-bit
integer. A longer one is no plausible day count: its line is not read as
counters but kept as page text (the lead, or unparsed), with a warning.
"""


def counter_digits(match: re.Match[str]) -> str:
    """The digits of a counter's value, its thousands separators dropped."""
    return match["value"].replace(",", "")


@dataclass(frozen=True)
class Profile:
    """Compiled rules for one page layout."""

    name: str
    capture_date: re.Pattern[str]
    months: tuple[str, ...]
    reference_clock: str | None
    clock: re.Pattern[str]
    field_label: re.Pattern[str]
    field_max_value_length: int
    counter: re.Pattern[str]
    counter_separator: re.Pattern[str]
    item_start: re.Pattern[str]
    footer_markers: frozenset[str]
    footer_max_length: int

    def month_number(self, month: str) -> int | None:
        """1-12 for a month given as a number, a name or a 3-letter abbreviation."""
        if month.isdigit():
            number = int(month)
            return number if 1 <= number <= 12 else None
        folded = month.casefold()
        for number, name in enumerate(self.months, start=1):
            name = name.casefold()
            if folded == name or (len(folded) >= 3 and name.startswith(folded)):
                return number
        return None

    def counter_matches(self, line: str) -> list[re.Match[str]] | None:
        """The counter in each sentence of a line, or None unless every sentence on it holds one."""
        matches = []
        for sentence in self.counter_separator.split(line):
            if sentence.strip():
                match = self.counter.search(sentence.strip())
                if match is None:
                    return None
                matches.append(match)
        return matches or None

    def is_footer(self, line: str) -> bool:
        """Whether a line is one of the footer markers (cheap length check first)."""
        return len(line) <= self.footer_max_length and key(line) in self.footer_markers


def _section(data: dict[str, Any], name: str, source: str) -> dict[str, Any]:
    section = data.get(name)
    if not isinstance(section, dict):
        raise ProfileError(source, f"missing table [{name}]")
    return section


def _pattern(
    section: dict[str, Any], table: str, name: str, source: str, groups: tuple[str, ...] = ()
) -> re.Pattern[str]:
    raw = section.get(name)
    if not isinstance(raw, str):
        raise ProfileError(source, f"[{table}] {name} must be a string")
    try:
        compiled = re.compile(raw)
    except re.error as exc:
        raise ProfileError(source, f"[{table}] {name} is not a valid pattern: {exc}") from None
    missing = [group for group in groups if group not in compiled.groupindex]
    if missing:
        raise ProfileError(source, f"[{table}] {name} lacks the group(s) {', '.join(missing)}")
    return compiled


def parse_profile(data: dict[str, Any], source: str) -> Profile:
    """Build a Profile from the TOML tables of a profile file."""
    capture = _section(data, "capture", source)
    field = _section(data, "field", source)
    counter = _section(data, "counter", source)
    item = _section(data, "item", source)
    footer = _section(data, "footer", source)
    months = capture.get("months", [])
    if not (isinstance(months, list) and len(months) == 12 and all(isinstance(m, str) for m in months)):
        raise ProfileError(source, "[capture] months must list 12 month names")
    markers = footer.get("markers", [])
    if not (isinstance(markers, list) and all(isinstance(m, str) for m in markers)):
        raise ProfileError(source, "[footer] markers must be a list of strings")
    max_value = field.get("max_value_length", 120)
    if not isinstance(max_value, int) or max_value < 1:
        raise ProfileError(source, "[field] max_value_length must be a positive integer")
    reference = capture.get("reference_clock")
    if reference is not None and not isinstance(reference, str):
        raise ProfileError(source, "[capture] reference_clock must be a string")
    return Profile(
        name=str(data.get("name", Path(source).stem)),
        capture_date=_pattern(capture, "capture", "date", source, ("day", "month", "year")),
        months=tuple(months),
        reference_clock=reference,
        clock=_pattern(_section(data, "clock", source), "clock", "pattern", source, ("place", "time")),
        field_label=_pattern(field, "field", "label", source, ("label",)),
        field_max_value_length=max_value,
        counter=_pattern(counter, "counter", "pattern", source, ("value", "unit")),
        counter_separator=_pattern(counter, "counter", "separator", source),
        item_start=_pattern(item, "item", "start", source, ("day", "month", "year", "title")),
        footer_markers=frozenset(key(marker) for marker in markers),
        # Spacing may differ from the marker's, so allow room before folding.
        footer_max_length=4 * max((len(m) for m in markers), default=0) + 8,
    )


def load_profile(path: str | Path) -> Profile:
    """Read a user's profile file (TOML)."""
    source = str(path)
    raw = read_bytes(Path(path), ProfileError)
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ProfileError(source, f"cannot read profile: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(source, f"not valid TOML: {exc}") from None
    return parse_profile(data, source)


@lru_cache(maxsize=1)
def default_profile() -> Profile:
    """The built-in profile for the dated news page format."""
    text = resources.files("diffcore").joinpath("profiles/default.toml").read_text(encoding="utf-8")
    return parse_profile(tomllib.loads(text), "default profile")
