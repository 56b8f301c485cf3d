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


NEVER = re.compile(r"(?!)")
"""The pattern of a table a profile leaves out: it matches no line, so the page simply has none of those."""


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
    footer_pattern: re.Pattern[str] = NEVER
    description: str = ""
    item_months: tuple[str, ...] = ()
    """The month names of item dates, when they differ from the page date's (`months`)."""
    ignore: tuple[re.Pattern[str], ...] = ()
    """Lines where one of these is found are set aside as ignored (breadcrumbs, pagination)."""

    def ignores(self, line: str) -> bool:
        """Whether the line is one to set aside."""
        return any(pattern.search(line) for pattern in self.ignore)

    def month_number(self, month: str, names: tuple[str, ...] = ()) -> int | None:
        """1-12 for a month given as a number, a name or a 3-letter abbreviation (of `names`, else `months`)."""
        if month.isdigit():
            number = int(month)
            return number if 1 <= number <= 12 else None
        folded = month.casefold()
        for number, name in enumerate(names or self.months, start=1):
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
        """Whether a line starts the footer: one of its markers (cheap length check first), or its pattern."""
        return (len(line) <= self.footer_max_length and key(line) in self.footer_markers) or bool(
            self.footer_pattern.match(line)
        )


def _section(data: dict[str, Any], name: str, source: str, required: bool = False) -> dict[str, Any] | None:
    """A table of the profile; None when an optional one is left out."""
    section = data.get(name)
    if section is None and not required:
        return None
    if not isinstance(section, dict):
        raise ProfileError(source, f"missing table [{name}]" if section is None else f"[{name}] must be a table")
    return section


ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _pattern(
    section: dict[str, Any] | None,
    table: str,
    name: str,
    source: str,
    groups: tuple[str, ...] = (),
    optional: bool = False,
) -> re.Pattern[str]:
    """The pattern `name` of a table; NEVER when the table, or an `optional` key, is left out."""
    if section is None or (optional and name not in section):
        return NEVER
    raw = section.get(name)
    if not isinstance(raw, str):
        raise ProfileError(source, f"[{table}] {name} must be a string")
    return _compiled(raw, table, name, source, groups)


def _compiled(raw: str, table: str, name: str, source: str, groups: tuple[str, ...] = ()) -> re.Pattern[str]:
    try:
        compiled = re.compile(raw)
    except re.error as exc:
        raise ProfileError(source, f"[{table}] {name} is not a valid pattern: {exc}") from None
    missing = [group for group in groups if group not in compiled.groupindex]
    if missing:
        raise ProfileError(source, f"[{table}] {name} lacks the group(s) {', '.join(missing)}")
    return compiled


def _months(section: dict[str, Any] | None, table: str, default: list[str], source: str) -> list[str]:
    """The 12 month names a table lists, else `default`."""
    if section is None or "months" not in section:
        return default
    months = section["months"]
    if not (isinstance(months, list) and len(months) == 12 and all(isinstance(m, str) for m in months)):
        raise ProfileError(source, f"[{table}] months must list 12 month names")
    return months


KEYS = {
    "capture": {"date", "months", "reference_clock"},
    "clock": {"pattern"},
    "field": {"label", "max_value_length"},
    "counter": {"pattern", "separator"},
    "item": {"start", "months"},
    "footer": {"markers", "pattern"},
    "ignore": {"lines"},
}
"""Every table of a profile file and its keys; `name` and `description` stand at the top."""


def _known_keys(data: dict[str, Any], source: str) -> None:
    """Refuse a table or key a profile does not have: a misspelt key would otherwise be silently ignored."""
    for name, value in data.items():
        if name in ("name", "description"):
            continue
        if name not in KEYS:
            raise ProfileError(source, f"unknown table [{name}] (known: {', '.join(sorted(KEYS))})")
        if isinstance(value, dict):
            unknown = sorted(set(value) - KEYS[name])
            if unknown:
                known = ", ".join(sorted(KEYS[name]))
                raise ProfileError(source, f"unknown key {unknown[0]!r} in [{name}] (known: {known})")


def parse_profile(data: dict[str, Any], source: str) -> Profile:
    """Build a Profile from the TOML tables of a profile file.

    Only [item] is required. A profile without [capture] dates each page by
    when it was captured; without [clock], [field], [counter] or [footer] the
    page simply has none of those.
    """
    _known_keys(data, source)
    capture = _section(data, "capture", source) or {}
    field = _section(data, "field", source)
    counter = _section(data, "counter", source)
    item = _section(data, "item", source, required=True)
    footer = _section(data, "footer", source) or {}
    months = _months(capture, "capture", list(ENGLISH_MONTHS), source)
    item_months = _months(item, "item", [], source)
    markers = footer.get("markers", [])
    if not (isinstance(markers, list) and all(isinstance(m, str) for m in markers)):
        raise ProfileError(source, "[footer] markers must be a list of strings")
    max_value = (field or {}).get("max_value_length", 120)
    if not isinstance(max_value, int) or max_value < 1:
        raise ProfileError(source, "[field] max_value_length must be a positive integer")
    reference = capture.get("reference_clock")
    if reference is not None and not isinstance(reference, str):
        raise ProfileError(source, "[capture] reference_clock must be a string")
    ignore = (_section(data, "ignore", source) or {}).get("lines", [])
    if not (isinstance(ignore, list) and all(isinstance(line, str) for line in ignore)):
        raise ProfileError(source, "[ignore] lines must be a list of patterns")
    description = data.get("description", "")
    if not isinstance(description, str):
        raise ProfileError(source, "description must be a string")
    return Profile(
        name=str(data.get("name", Path(source).stem)),
        capture_date=_pattern(capture, "capture", "date", source, ("day", "month", "year"), optional=True),
        months=tuple(months),
        reference_clock=reference,
        clock=_pattern(_section(data, "clock", source), "clock", "pattern", source, ("place", "time")),
        field_label=_pattern(field, "field", "label", source, ("label",)),
        field_max_value_length=max_value,
        counter=_pattern(counter, "counter", "pattern", source, ("value", "unit")),
        counter_separator=_pattern(counter, "counter", "separator", source, optional=True),
        item_start=_pattern(item, "item", "start", source, ("day", "month", "title")),  # a year is optional
        footer_markers=frozenset(key(marker) for marker in markers),
        # Spacing may differ from the marker's, so allow room before folding.
        footer_max_length=4 * max((len(m) for m in markers), default=0) + 8,
        footer_pattern=_pattern(footer, "footer", "pattern", source, optional=True),
        description=description,
        item_months=tuple(item_months),
        ignore=tuple(_compiled(line, "ignore", "lines", source) for line in ignore),
    )


def load_profile(path: str | Path) -> Profile:
    """A user's profile file (TOML), or a built-in profile by name (`built_in_profiles`)."""
    source = str(path)
    if not Path(path).exists():
        built_in = built_in_profiles()
        if source in built_in:
            return built_in[source]
        raise ProfileError(source, f"no such profile file, nor a built-in profile ({', '.join(sorted(built_in))})")
    raw = read_bytes(Path(path), ProfileError)
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ProfileError(source, f"cannot read profile: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(source, f"not valid TOML: {exc}") from None
    return parse_profile(data, source)


@lru_cache(maxsize=1)
def built_in_profiles() -> dict[str, Profile]:
    """The profiles shipped in `diffcore/profiles/`, by name; `dated-news-page` is the default."""
    found = {}
    for entry in sorted(resources.files("diffcore").joinpath("profiles").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            profile = parse_profile(tomllib.loads(entry.read_text(encoding="utf-8")), f"built-in profile {entry.name}")
            found[profile.name] = profile
    return found


def default_profile() -> Profile:
    """The built-in profile for the dated news page format."""
    return built_in_profiles()[DEFAULT_PROFILE]


DEFAULT_PROFILE = "dated-news-page"
