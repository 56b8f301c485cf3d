"""The declarative page profile: the patterns and markers the parser follows.

The built-in profile (`profiles/default.toml`) reads the dated news page format;
a user's TOML file of the same shape reads another site laid out the same way.
No site-specific string lives anywhere else in diffcore.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from diffcore._files import read_bytes
from diffcore.errors import ProfileError
from diffcore.item_dates import DEFAULT_FORMATS, compile_formats
from diffcore.normalise import MARKDOWN_LINK, key

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
    item_starts: tuple[re.Pattern[str], ...]
    """An item's first line, tried in order: groups `title` and the date (`date`, or `day`, `month`, `year`), or none."""
    footer_markers: frozenset[str]
    footer_max_length: int
    footer_pattern: re.Pattern[str] = NEVER
    description: str = ""
    item_months: tuple[str, ...] = ()
    """The month names of item dates, when they differ from the page date's (`months`)."""
    ignore: tuple[re.Pattern[str], ...] = ()
    """Lines where one of these is found are set aside as ignored (breadcrumbs, pagination)."""
    item_dates: tuple[re.Pattern[str], ...] = ()
    """The formats a `date` group's text is read by (see `diffcore.item_dates`)."""
    item_date_line: re.Pattern[str] = NEVER
    """A line holding only an item's date; the next line is its title (read by `item_title`)."""
    item_title: re.Pattern[str] | None = None
    """The title line under a date line (group `title`); None takes any line."""
    item_link: re.Pattern[str] = NEVER
    """An item's link (group `link`), looked for in its title, then in its lines."""
    identity: str = "date-title"
    """What names an item across captures: its date and title, or (`link`) its key or link when it has one."""
    item_key: re.Pattern[str] = NEVER
    """A line of an item that is only its key (group `key`: a feed entry's guid), which `identity = "link"`
    names it by before its link."""
    section: re.Pattern[str] = NEVER
    """A heading that ends the item above; its date parts (if any) fill the dates of the items below."""
    header_end: re.Pattern[str] | None = None
    """The line the header ends at (it starts the lead); None: the header ends where its rules stop reading."""
    html: HtmlSelectors | None = None
    """CSS selectors that read items straight from an HTML capture's elements."""
    ignore_link_targets: bool = False
    """Compare `[text](url)` as its text, and an item's link not at all."""
    ignore_characters: str = ""
    """Characters compared as absent: soft hyphens, zero-width spaces and joiners, as the profile asks."""

    def match_item(self, line: str) -> re.Match[str] | None:
        """The first item pattern that matches a line, if any."""
        for pattern in self.item_starts:
            if match := pattern.match(line):
                return match
        return None

    def ignores(self, line: str) -> bool:
        """Whether the line is one to set aside."""
        return any(pattern.search(line) for pattern in self.ignore)

    def month_number(self, month: str, names: tuple[str, ...] = ()) -> int | None:
        """1-12 for a month given as a number, a name or its start (of `names`, else `months`): `month_number`."""
        return month_number(month, names or self.months)

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
        return self._is_marker(line) or bool(self.footer_pattern.match(line))

    def _is_marker(self, line: str) -> bool:
        return len(line) <= self.footer_max_length and key(line) in self.footer_markers

    def footer_test(self) -> Callable[[str], bool]:
        """`is_footer`, without the pattern when the profile has none: the parser asks it of every line."""
        return self.is_footer if self.footer_pattern is not NEVER else self._is_marker


SOFT_HYPHEN = "\u00ad"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


@dataclass(frozen=True)
class HtmlSelectors:
    """CSS selectors of an item and its parts, each part's relative to the item's element."""

    item: str
    title: str | None = None
    """Default: the item's first heading, else its first link, else its whole text."""
    date: str | None = None
    """Its text, or its `datetime` attribute (a `<time>` element). Default: the item's first `time`."""
    summary: str | None = None
    """Every element it selects gives a summary line. Default: none."""
    link: str | None = None
    """The element whose `href` is the item's link. Default: the title's link, else the item's first."""


def month_number(month: str, names: Sequence[str]) -> int | None:
    """1-12 for a month given as a number, or as a name of `names` or a start of it of 3 letters or more.

    A name may list other spellings after a bar: "März|Mrz" reads "Mrz" too.
    """
    if month.isdigit():
        number = int(month)
        return number if 1 <= number <= 12 else None
    folded = month.casefold()
    for number, spellings in enumerate(names, start=1):
        for name in spellings.casefold().split("|"):
            if folded == name or (len(folded) >= 3 and name.startswith(folded)):
                return number
    return None


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


def _names(names: str) -> tuple[str, ...]:
    """Twelve month names written on one line (other spellings after a bar)."""
    return tuple(names.split())


MONTHS_IN: dict[str, tuple[str, ...]] = {
    "en": ENGLISH_MONTHS,
    "de": _names("Januar|Jänner Februar März|Mrz|Maerz April Mai Juni Juli August September Oktober November Dezember"),
    "fr": _names(
        "janvier février|fevrier mars avril mai juin juillet août|aout septembre octobre novembre décembre|decembre"
    ),
    "es": _names("enero febrero marzo abril mayo junio julio agosto septiembre|setiembre octubre noviembre diciembre"),
    "it": _names("gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre"),
    "nl": _names("januari februari maart|mrt april mei juni juli augustus september oktober november december"),
    "pt": _names("janeiro fevereiro março|marco abril maio junho julho agosto setembro outubro novembro dezembro"),
}
"""Month names by language code, for `months = "de"`: a short list kept here rather than a locale library,
whose data (tens of MB) would cost far more than these seven lines. Abbreviations match by their start."""


def _months(section: dict[str, Any] | None, table: str, default: list[str], source: str) -> list[str]:
    """The 12 month names a table lists (or names by a language code), else `default`."""
    if section is None or "months" not in section:
        return default
    months = section["months"]
    if isinstance(months, str):
        if months not in MONTHS_IN:
            raise ProfileError(
                source, f"[{table}] months: no month names for {months!r} (known: {', '.join(MONTHS_IN)})"
            )
        return list(MONTHS_IN[months])
    if not (isinstance(months, list) and len(months) == 12 and all(isinstance(m, str) for m in months)):
        raise ProfileError(
            source, f"[{table}] months must list 12 month names, or name a language ({', '.join(MONTHS_IN)})"
        )
    return months


KEYS = {
    "capture": {"date", "months", "reference_clock"},
    "clock": {"pattern"},
    "field": {"label", "max_value_length"},
    "counter": {"pattern", "separator"},
    "header": {"end"},
    "item": {"start", "months", "dates", "date_line", "title", "link", "key", "identity"},
    "section": {"pattern"},
    "footer": {"markers", "pattern"},
    "ignore": {"lines", "link_targets", "soft_hyphens", "zero_width"},
    "html": {"item", "title", "date", "summary", "link"},
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
    item = _section(data, "item", source, required=True) or {}
    footer = _section(data, "footer", source) or {}
    ignore = _section(data, "ignore", source) or {}
    months = _months(capture, "capture", list(ENGLISH_MONTHS), source)
    item_months = _months(item, "item", [], source)
    markers = _strings(footer, "footer", "markers", source)
    max_value = (field or {}).get("max_value_length", 120)
    if not isinstance(max_value, int) or max_value < 1:
        raise ProfileError(source, "[field] max_value_length must be a positive integer")
    reference = capture.get("reference_clock")
    if reference is not None and not isinstance(reference, str):
        raise ProfileError(source, "[capture] reference_clock must be a string")
    description = data.get("description", "")
    if not isinstance(description, str):
        raise ProfileError(source, "description must be a string")
    identity = item.get("identity", "date-title")
    if identity not in IDENTITIES:
        raise ProfileError(source, f"[item] identity must be one of: {', '.join(IDENTITIES)}")
    other_way = "date_line" in item or "html" in data  # items read from date lines, or from HTML elements
    starts = item.get("start", [] if other_way else None)
    starts = [starts] if isinstance(starts, str) else starts
    if not (isinstance(starts, list) and all(isinstance(start, str) for start in starts)) or not (starts or other_way):
        raise ProfileError(
            source, "[item] start must be a pattern or a list of patterns (or give [item] date_line, or [html])"
        )
    header = _section(data, "header", source)
    ignored_characters = (SOFT_HYPHEN if _flag(ignore, "soft_hyphens", source) else "") + (
        ZERO_WIDTH if _flag(ignore, "zero_width", source) else ""
    )
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
        item_starts=tuple(_item_pattern(start, "start", source, ("title",)) for start in starts),
        footer_markers=frozenset(key(marker) for marker in markers),
        # Spacing may differ from the marker's, so allow room before folding.
        footer_max_length=4 * max((len(m) for m in markers), default=0) + 8,
        footer_pattern=_pattern(footer, "footer", "pattern", source, optional=True),
        description=description,
        item_months=tuple(item_months),
        ignore=tuple(
            _compiled(line, "ignore", "lines", source) for line in _strings(ignore, "ignore", "lines", source)
        ),
        item_dates=_date_formats(item, source),
        item_date_line=_item_pattern(item["date_line"], "date_line", source) if "date_line" in item else NEVER,
        item_title=_pattern(item, "item", "title", source, ("title",)) if "title" in item else None,
        item_link=_pattern(item, "item", "link", source, ("link",)) if "link" in item else MARKDOWN_LINK,
        identity=identity,
        item_key=_pattern(item, "item", "key", source, ("key",), optional=True),
        section=_pattern(_section(data, "section", source), "section", "pattern", source),
        header_end=_pattern(header, "header", "end", source) if header and "end" in header else None,
        html=_selectors(_section(data, "html", source), source),
        ignore_link_targets=_flag(ignore, "link_targets", source),
        ignore_characters=ignored_characters,
    )


IDENTITIES = ("date-title", "link")
"""What may name an item across captures (`[item] identity`)."""


def _strings(section: dict[str, Any], table: str, name: str, source: str) -> list[str]:
    """A list of strings a table gives (empty when left out)."""
    value = section.get(name, [])
    if not (isinstance(value, list) and all(isinstance(entry, str) for entry in value)):
        raise ProfileError(source, f"[{table}] {name} must be a list of strings")
    return value


def _flag(section: dict[str, Any], name: str, source: str) -> bool:
    value = section.get(name, False)
    if not isinstance(value, bool):
        raise ProfileError(source, f"[ignore] {name} must be true or false")
    return value


def _item_pattern(raw: object, name: str, source: str, groups: tuple[str, ...] = ()) -> re.Pattern[str]:
    """An item pattern: its date is a `date` group, or `day` and `month` groups (a year optional), or left out."""
    if not isinstance(raw, str):
        raise ProfileError(source, f"[item] {name} must be a string")
    compiled = _compiled(raw, "item", name, source, groups)
    named = set(compiled.groupindex)
    if "date" not in named and ({"day", "month", "year"} & named) and not {"day", "month"} <= named:
        raise ProfileError(source, f"[item] {name} needs a date group, or both day and month groups")
    return compiled


def _date_formats(item: dict[str, Any], source: str) -> tuple[re.Pattern[str], ...]:
    formats = _strings(item, "item", "dates", source) or list(DEFAULT_FORMATS)
    try:
        return compile_formats(formats)
    except (ValueError, re.error) as exc:
        raise ProfileError(source, f"[item] dates: {exc}") from None


def _selectors(section: dict[str, Any] | None, source: str) -> HtmlSelectors | None:
    """The [html] table's CSS selectors; `item` is required."""
    if section is None:
        return None
    if not all(isinstance(value, str) and value.strip() for value in section.values()):
        raise ProfileError(source, "[html] selectors must be non-empty strings")
    if "item" not in section:
        raise ProfileError(source, "[html] needs an item selector")
    from resiliparse.parse.html import CSSParserException, HTMLTree

    empty = HTMLTree.parse("").document
    for name, selector in section.items():
        try:
            if empty is not None:
                empty.query_selector(selector)
        except CSSParserException as exc:  # refused now, not at the first capture read
            raise ProfileError(source, f"[html] {name}: not a valid CSS selector ({exc})") from None
    return HtmlSelectors(**section)


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
