"""A starting page profile suggested from captures: the most frequent shape of a dated line.

Pure functions, texts in and TOML text out; `diffcore profile suggest` reads
the captures and writes the result. Each non-blank line is tried against a
fixed table of date shapes, at its start (after an optional bullet, heading
or `[`) and then at its end; the dated lines are grouped by where the date
stands, what comes before it, its shape and the separator from the title,
and the largest group (the first seen, on a tie) becomes `[item] start`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from diffcore.errors import ProfileError
from diffcore.normalise import MARKDOWN_LINK
from diffcore.parse import iter_lines
from diffcore.profile import ENGLISH_MONTHS, MONTHS_IN, month_number

EXAMPLES = 3
"""How many of the chosen group's lines a suggestion shows."""
EXAMPLE_LENGTH = 100
"""The longest example shown, in characters."""


@dataclass(frozen=True)
class Suggestion:
    """A suggested profile: its TOML text, its item pattern, and how much of the captures that pattern reads."""

    toml: str
    pattern: str
    """The `[item] start` regular expression, as tomllib reads it back from `toml`."""
    matched: int
    """How many non-blank lines of the captures the pattern matches."""
    total: int
    """How many non-blank lines the captures have."""
    examples: tuple[str, ...]
    """The first few lines of the chosen group, each cut to `EXAMPLE_LENGTH` characters."""


@dataclass(frozen=True)
class _Shape:
    """A way of printing a date: a regular expression with groups day, month and (unless left out) year."""

    label: str
    date: str
    words: bool = False
    """Whether the month is a name, not a number."""

    @property
    def has_year(self) -> bool:
        """Whether the date is printed with its year ("Jul 25" is not)."""
        return "(?P<year>" in self.date


_WORD = r"(?P<month>[^\W\d_]+)\.?"
_DAY = r"(?P<day>\d{1,2})"
_YEAR = r"(?P<year>\d{4})"

SHAPES = (
    _Shape("YYYY-MM-DD", r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"),
    _Shape("DD.MM.YYYY", r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})"),
    _Shape("Month D, YYYY", rf"{_WORD}\s+{_DAY},?\s+{_YEAR}", words=True),
    _Shape("D Month YYYY", rf"{_DAY}\.?\s+{_WORD},?\s+{_YEAR}", words=True),
    # Not followed by a year: "Jul 25 2024" is no "Jul 25" item titled "2024".
    _Shape("Month D", rf"{_WORD}\s+{_DAY}(?!,?\s+\d{{4}}(?!\d))", words=True),
)
"""The date shapes tried, in this order (3/5/2024 is left out: day first or month first cannot be told)."""


@dataclass(frozen=True)
class _Part:
    """What stands before a date (a bullet), or between it and the title (a dash): a named piece of pattern."""

    name: str
    label: str
    pattern: str
    close: str = ""
    """What closes a date this part opened (`]` after `[2024-03-05`)."""


PREFIXES = (
    _Part("bullet", "- ", r"[-*\u2022]\s+"),
    _Part("heading", "## ", r"#{1,6}\s+"),
    _Part("bracketed", "[", r"\[", close=r"\]"),
    _Part("plain", "", ""),
)
"""Before a date at the start of a line: a list bullet, a Markdown heading, a bracket, or nothing."""
SEPARATORS = (
    _Part("dash", " - ", r"\s+[-\u2013\u2014]\s+"),  # \u escapes, which re reads, as in the built-in profiles
    _Part("colon", ": ", r":\s+"),
    _Part("pipe", " | ", r"\s+\|\s+"),
    _Part("dot", " \u00b7 ", r"\s+\u00b7\s+"),
    _Part("paren", " (", r"\s+\(", close=r"\)"),
    _Part("bracket", " [", r"\s+\[", close=r"\]"),
    _Part("space", " ", r"\s+"),
)
"""Between a date and its title; a bracket or parenthesis only before a date at the end of a line."""


@dataclass(frozen=True)
class _Form:
    """The form of a dated line: where its date stands, what comes before it, its shape, its separator."""

    at_start: bool
    prefix: _Part
    shape: _Shape
    separator: _Part

    @property
    def pattern(self) -> str:
        """The `[item] start` pattern of lines of this form."""
        return _line_pattern(self.at_start, self.shape, (self.prefix,), (self.separator,))

    @property
    def label(self) -> str:
        """The form as a reader sees it: `- YYYY-MM-DD: Title`."""
        if self.at_start:
            closing = _unescaped(self.prefix.close)
            return f"{self.prefix.label}{self.shape.label}{closing}{self.separator.label}Title"
        closing = _unescaped(self.separator.close)
        return f"{self.prefix.label}Title{self.separator.label}{self.shape.label}{closing}"


def _unescaped(pattern: str) -> str:
    """A closing bracket's pattern as printed."""
    return pattern.replace("\\", "")


def _choice(parts: Sequence[_Part]) -> tuple[str, str]:
    """The pattern of one of `parts` and of what closes it; with several, each in a group named after it."""
    if len(parts) == 1:
        return parts[0].pattern, parts[0].close
    either = "|".join(f"(?P<{part.name}>{part.pattern})" for part in parts)
    closes = "".join(f"(?({part.name}){part.close})" for part in parts if part.close)
    return f"(?:{either})", closes


def _line_pattern(at_start: bool, shape: _Shape, prefixes: Sequence[_Part], separators: Sequence[_Part]) -> str:
    """A whole dated line: the date at its start then the title, or the title then the date at its end."""
    prefix, prefix_close = _choice(prefixes)
    separator, separator_close = _choice(separators)
    if at_start:
        return rf"^{prefix}{shape.date}{prefix_close}{separator}(?P<title>\S.*)$"
    # The title ends in a non-space: the separator's spaces are never also tried as the title's (linear time).
    return rf"^{prefix}(?P<title>\S(?:.*?\S)?){separator}{shape.date}{separator_close}$"


@dataclass(frozen=True)
class _Reader:
    """Finds the dated lines of one shape at one end of a line, and which prefix and separator they have."""

    at_start: bool
    shape: _Shape
    prefixes: tuple[_Part, ...]
    separators: tuple[_Part, ...]
    regex: re.Pattern[str]

    def form(self, line: str) -> tuple[_Form, re.Match[str]] | None:
        """The form of the line and its match, or None when its date is not of this shape and place."""
        match = self.regex.match(line)
        if match is None:
            return None
        if self.shape.words and not self.shape.has_year and _months_for([match["month"]]) is None:
            return None  # "Saturday 8": a date without a year is too weak a sign unless its month is a month
        prefix = next(part for part in self.prefixes if match[part.name] is not None)
        separator = next(part for part in self.separators if match[part.name] is not None)
        return _Form(self.at_start, prefix, self.shape, separator), match


def _reader(at_start: bool, shape: _Shape) -> _Reader:
    """The reader of dates of `shape` at the start or the end of a line: a bracket closes after a date it opens."""
    prefixes = PREFIXES if at_start else tuple(part for part in PREFIXES if not part.close)
    separators = tuple(part for part in SEPARATORS if not part.close) if at_start else SEPARATORS
    regex = re.compile(_line_pattern(at_start, shape, prefixes, separators))
    return _Reader(at_start, shape, prefixes, separators, regex)


_READERS = tuple(
    _reader(at_start, shape)
    for has_year in (True, False)  # a date with a year is the surer sign: "Pier 4 May 2024" is no "Pier 4"
    for at_start in (True, False)
    for shape in SHAPES
    if shape.has_year == has_year
)


def _dated(line: str) -> tuple[_Form, re.Match[str]] | None:
    """The form of a dated line, or None: dates with a year first, at the start then the end, the shapes in order."""
    ends_dated = line[-1].isdecimal() or line[-1] in ")]"  # what a line with a date at its end ends with
    for reader in _READERS:
        if reader.at_start or ends_dated:
            found = reader.form(line)
            if found is not None:
                return found
    return None


@dataclass
class _Group:
    """The dated lines of one form: how many, the first few, and the month names seen."""

    form: _Form
    count: int = 0
    examples: list[str] = field(default_factory=list)
    words: dict[str, None] = field(default_factory=dict)


def _months_for(words: Sequence[str]) -> str | None:
    """The language whose month names read `words` ("" when English does; the first that does when several
    do: "Juli" is German and Dutch alike, and so are its dates), None when none does."""
    if all(month_number(word, ENGLISH_MONTHS) for word in words):
        return ""
    return next((code for code, names in MONTHS_IN.items() if all(month_number(w, names) for w in words)), None)


def _visible(text: str) -> str:
    """Text with every character that is not printable (controls, lone surrogates) written as \\uXXXX."""
    return "".join(char if char.isprintable() else f"\\u{ord(char):04x}" for char in text)


def _basic_string(text: str) -> str:
    """A TOML basic string ("...") that reads back as `text` (its unprintable characters as `_visible` shows them)."""
    return '"' + _visible(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _literal_string(pattern: str) -> str:
    """A TOML literal string ('...'): tomllib reads it back as the pattern exactly, backslashes and all."""
    assert "'" not in pattern and pattern.isprintable(), pattern  # the patterns built here never hold one
    return f"'{pattern}'"


def _example(line: str) -> str:
    """A line as an example shows it: cut to `EXAMPLE_LENGTH` characters."""
    return line if len(line) <= EXAMPLE_LENGTH else line[: EXAMPLE_LENGTH - 3] + "..."


def _page_date(firsts: Sequence[str]) -> tuple[_Shape, str] | None:
    """The shape of the page's date line, when the first non-blank line of every capture is a real date of
    one shape whose month names a profile can read, and the language of those names ("" for English); else None."""
    for shape in (shape for shape in SHAPES if shape.has_year):
        matches = [match for line in firsts if (match := re.fullmatch(shape.date, line))]
        if len(matches) < len(firsts):
            continue
        months = _months_for(list(dict.fromkeys(match["month"] for match in matches)) if shape.words else [])
        if months is None or not all(_is_date(match, MONTHS_IN[months or "en"]) for match in matches):
            return None
        return shape, months
    return None


def _is_date(match: re.Match[str], months: Sequence[str]) -> bool:
    """Whether a date matched is a real one, its month read with `months`."""
    month = month_number(match["month"], months)
    if month is None:
        return False
    try:
        dt.date(int(match["year"]), month, int(match["day"]))
    except ValueError:
        return False
    return True


def _months_lines(table: str, words: Sequence[str], months: str | None) -> list[str]:
    """The `months` key of a table (or a comment asking for it); nothing when the names are English."""
    if months is None:
        seen = ", ".join(_visible(word) for word in words[:12])
        return [
            f"# The month names seen ({seen}) are not English, nor all of one language diffcore",
            f"# knows: list the 12 month names of the page, in order, as [{table}] months = [...]",
            "# (a 3-letter start of a name matches too); until then those dates read as none.",
        ]
    if not months:
        return []
    return [f"months = {_basic_string(months)}"]


def suggest_profile(texts: Sequence[str], name: str = "suggested", *, source: str = "captures") -> Suggestion:
    """Suggest a starting profile for the captures' texts: `[item] start` for their most frequent dated line.

    A `[capture] date` is added when the first non-blank line of every
    capture is a date. Raises ProfileError (naming `source`) when no line
    is dated.
    """
    groups: dict[_Form, _Group] = {}
    lines: list[str] = []
    firsts: list[str] = []
    for text in texts:
        page = [line for raw in iter_lines(text) if (line := raw.strip())]
        lines.extend(page)
        if page:
            firsts.append(page[0])
        for line in page:
            found = _dated(line)
            if found is None:
                continue
            form, match = found
            group = groups.setdefault(form, _Group(form))
            group.count += 1
            if len(group.examples) < EXAMPLES:
                group.examples.append(_example(line))
            if form.shape.words:
                group.words[match["month"]] = None
    if not groups:
        return _date_lines(lines, name) or _undated_list(lines, name) or _nothing_found(source)
    chosen = max(groups.values(), key=lambda group: group.count)  # the first seen, on a tie
    pattern = chosen.form.pattern
    item_start = re.compile(pattern)
    matched = sum(1 for line in lines if item_start.match(line))
    words = list(chosen.words)
    page_date = _page_date(firsts) if len(firsts) == len(texts) else None
    toml = _toml(name, chosen, matched, len(lines), words, page_date)
    return Suggestion(toml, pattern, matched, len(lines), tuple(chosen.examples))


_MONTH_HEADING = re.compile(rf"{_WORD}\s+{_YEAR}")
_BULLET = re.compile(r"[-*\u2022]\s+\S")
_BULLET_START = r"^[-*\u2022]\s+(?P<title>\S.*)$"


def _nothing_found(source: str) -> Suggestion:
    raise ProfileError(
        source,
        "found no dated line, date line or list entry to base a profile on; "
        "write [item] start by hand (see the README's section on page profiles)",
    )


def _header(name: str, found: str, matched: int, total: int, examples: Sequence[str], description: str) -> list[str]:
    """The comments that say what was found, and the profile's name."""
    return [
        "# A starting profile suggested by `diffcore profile suggest`: check it with",
        "# `diffcore profile check PROFILE CAPTURE...` and add the page's other parts.",
        f"# {matched} of {total} non-blank lines {found}; examples:",
        *(f"#   {_visible(_example(example))}" for example in examples[:EXAMPLES]),
        "",
        f"name = {_basic_string(name)}",
        f"description = {_basic_string(description)}",
        "",
    ]


def _date_lines(lines: Sequence[str], name: str) -> Suggestion | None:
    """A profile for items whose date stands alone on the line above their title ("Jul 25", then the title),
    with month headings ("July 2024") as sections; None when fewer than two lines are only a date."""
    found: dict[_Shape, list[int]] = {}
    for index, line in enumerate(lines[:-1]):
        shape = next((shape for shape in SHAPES if re.fullmatch(shape.date, line)), None)
        if shape is not None and not _MONTH_HEADING.fullmatch(line):
            found.setdefault(shape, []).append(index)
    if not found:
        return None
    shape, at = max(found.items(), key=lambda entry: len(entry[1]))
    if len(at) < 2:
        return None
    pattern = f"^{shape.date}$"
    words = list(dict.fromkeys(m["month"] for i in at if (m := re.fullmatch(shape.date, lines[i])) and shape.words))
    headings = [line for line in lines if _MONTH_HEADING.fullmatch(line)]
    out = _header(
        name,
        f"are a date on its own line ({shape.label}), the item's title under it",
        len(at),
        len(lines),
        [f"{lines[i]} / {lines[i + 1]}" for i in at],
        f"items under a date line: {shape.label} (suggested)",
    )
    if headings:
        out += [
            "[section]",
            f"# {len(headings)} month headings (such as {_visible(headings[0])}): each gives the items below its year.",
            f"section = {_literal_string(f'^{_MONTH_HEADING.pattern}$')}".replace("section =", "pattern =", 1),
            "",
        ]
    out += [
        "[item]",
        "# A line that is only a date; the next line is the item's title (add `title = '...(?P<title>...)...'`",
        "# to take only part of it), the lines under that its summary.",
        f"date_line = {_literal_string(pattern)}",
    ]
    if words:
        out += _months_lines("item", words, _months_for(words))
    return Suggestion("\n".join(out) + "\n", pattern, len(at), len(lines), tuple(lines[i] for i in at[:EXAMPLES]))


def _undated_list(lines: Sequence[str], name: str) -> Suggestion | None:
    """A profile for a list of entries with no date ("- Title", "- [Title](url)"), known by their links when
    most have one; None when fewer than two lines are list entries."""
    entries = [line for line in lines if _BULLET.match(line)]
    if len(entries) < 2:
        return None
    linked = sum(bool(MARKDOWN_LINK.search(line)) for line in entries)
    out = _header(
        name,
        "are list entries with no date",
        len(entries),
        len(lines),
        entries,
        "a list of entries with no date (suggested)",
    )
    out += [
        "[item]",
        "# An entry: its title; the lines under it are its summary. The items show no date.",
        f"start = {_literal_string(_BULLET_START)}",
    ]
    if linked * 2 >= len(entries):
        out += [
            f"# {linked} of {len(entries)} entries link somewhere: an entry is known by its link.",
            'identity = "link"',
        ]
    return Suggestion("\n".join(out) + "\n", _BULLET_START, len(entries), len(lines), tuple(entries[:EXAMPLES]))


def _toml(
    name: str,
    chosen: _Group,
    matched: int,
    total: int,
    words: Sequence[str],
    page_date: tuple[_Shape, str] | None,
) -> str:
    """The text of the suggested profile, with comments saying what was found."""
    form = chosen.form
    out = [
        "# A starting profile suggested by `diffcore profile suggest`: check it with",
        "# `diffcore profile check PROFILE CAPTURE...` and add the page's other parts.",
        f"# {matched} of {total} non-blank lines start an item ({form.label}); examples:",
        *(f"#   {_visible(example)}" for example in chosen.examples),
        "",
        f"name = {_basic_string(name)}",
        f"description = {_basic_string(f'dated items: {form.label} (suggested)')}",
        "",
    ]
    if page_date is not None:
        shape, months = page_date
        out += [
            "[capture]",
            f"# The first non-blank line of every capture is the page's date ({shape.label}).",
            f"date = {_literal_string(f'^{shape.date}$')}",
            *_months_lines("capture", (), months),
            "",
        ]
    out += [
        "[item]",
        "# The first line of an item: its date and title; the lines under it are its summary.",
        f"start = {_literal_string(form.pattern)}",
    ]
    if not form.shape.has_year:
        out.append("# A date without a year is the latest one not after the page's date.")
    if form.shape.words:
        item_months = _months_for(words)
        if item_months == "" and page_date is not None and page_date[1]:
            item_months = "en"  # else they would be read with the page date's month names
        out += _months_lines("item", words, item_months)
    return "\n".join(out) + "\n"
