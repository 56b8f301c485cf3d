"""Text to Snapshot, following a page profile, with every line accounted for.

The page reads top to bottom in four zones: header (date, clocks, labelled
fields, counter lines), lead article, item list, footer. Each non-blank line
lands in exactly one part of the model; what no rule places goes to
`Snapshot.unparsed`, never nowhere.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from itertools import chain, islice, tee
from operator import itemgetter
from typing import NamedTuple

from diffcore._gc import paused
from diffcore.errors import SnapshotError
from diffcore.fit import misfits
from diffcore.identity import UNDATED, item_id, link_id, repeat_id
from diffcore.item_dates import DateParts, UnknownMonth, compile_formats, parts_of, read_parts, resolve
from diffcore.model import Capture, Clock, Field, Header, HeaderCounter, Item, Lead, Snapshot, Unparsed
from diffcore.normalise import MARKDOWN_LINK, clean
from diffcore.profile import COUNTER_MAX_DIGITS, NEVER, Profile, counter_digits, month_number

_BREAK = re.compile(r"\r\n|\r|\n")

NumberedLine = tuple[int, str, str]
"""A non-blank line: its 1-based number, its text trimmed, its text as read."""


def split_lines(text: str) -> list[str]:
    """Split on LF, CRLF or CR only (not on the other characters str.splitlines honours)."""
    return list(iter_lines(text))


SPLIT_WHOLE_BELOW = 1 << 20
"""Texts shorter than this (in characters) and without a CR are split at once: a page's lines then cost
a list of at most a few MB. Longer ones are split a block of about this size at a time."""

FIRST_BLOCK = 1 << 16
"""The first block of a long text is smaller: reading its date (`read_page_date`) splits little more than its header."""


def iter_lines(text: str) -> Iterator[str]:
    """The lines `split_lines` gives, one at a time: a huge capture is never held twice, once as lines."""
    if len(text) < SPLIT_WHOLE_BELOW and "\r" not in text:
        return iter(text.split("\n"))
    return _lines_by_block(text)


def _lines_by_block(text: str) -> Iterator[str]:
    """Split a block at a time, each block ending at a line end: as fast as one split, one block's lines held."""
    start, size = 0, FIRST_BLOCK
    while (end := _line_end_from(text, start + size)) < len(text):
        yield from _split_block(text[start:end])[:-1]  # the block's last line end leaves an empty last piece
        start, size = end, SPLIT_WHOLE_BELOW
    yield from _split_block(text[start:])


def _line_end_from(text: str, position: int) -> int:
    """Where the first line end at or after `position` ends (a CRLF whole); the text's length when none does."""
    found = _BREAK.search(text, position)
    return len(text) if found is None else found.end()


def _split_block(block: str) -> list[str]:
    return block.split("\n") if "\r" not in block else _BREAK.split(block)


def _date_of(match: re.Match[str], profile: Profile) -> dt.date | None:
    month = profile.month_number(match["month"])
    if month is None:
        return None
    try:
        return dt.date(int(match["year"]), month, int(match["day"]))
    except ValueError:
        return None


def read_page_date(
    text: str, source: str, profile: Profile, captured_at: dt.datetime | None = None
) -> tuple[dt.date | None, str | None]:
    """The page's own date (None when it shows none) and the time on its reference clock.

    Reads only the header lines, so captures can be ordered without parsing
    every one in full. A page that shows no date is refused unless
    `captured_at` says when it was captured.
    """
    date_line, captured, capture_time = _dated(iter_lines(text), source, profile, captured_at)
    return (None if date_line is None else captured), capture_time


def _dated(
    lines: Iterable[str], source: str, profile: Profile, captured_at: dt.datetime | None
) -> tuple[int | None, dt.date, str | None]:
    """Index of the date line (None when the page shows no date), its date and the reference clock time.

    A page that shows no date on its first line is refused, unless the
    capture time is known: then its date line may stand under a few lines
    of chrome (`_date_below_chrome`), else it takes the date it was captured.
    Reads no further than the clocks.
    """
    lines = iter(lines)
    head: list[tuple[int, str]] = []  # the first non-blank lines, where the date line is looked for
    ignored = 0
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        if profile.ignores(line.strip()):  # an ignored line is no page line
            ignored += 1
            continue
        head.append((index, line))
        if profile.capture_date.match(line.strip()) or len(head) == DATE_LINE_WITHIN:
            break
    if not head:
        raise SnapshotError(
            source, f"all {ignored} lines are ignored ([ignore] lines, --ignore)" if ignored else "empty file"
        )
    start, first = head[0]
    date_line: int | None = start
    if profile.capture_date.match(first.strip()) or captured_at is None:
        captured = _capture_date(first.strip(), start + 1, source, profile)  # or says there is no date on line 1
    else:
        below = _date_below_chrome(head, profile, captured_at)
        if below is None:
            captured, date_line, lines = captured_at.date(), None, chain((line for _, line in head), lines)
        else:
            date_line, captured = below
    capture_time = None
    for line in lines:
        if not line.strip() or profile.ignores(line.strip()):
            continue
        match = profile.clock.match(line.strip())
        if match is None:
            break  # the clocks stand right under the date; a later "London: 10:00" is text
        if match["place"] == profile.reference_clock:
            capture_time = match["time"]
            break
    return date_line, captured, capture_time


def _date_below_chrome(
    head: list[tuple[int, str]], profile: Profile, captured_at: dt.datetime
) -> tuple[int, dt.date] | None:
    """A date line under a few lines of page chrome (a site title, a cookie banner), and its date; or None.

    Only for a capture whose time is known otherwise, and only when nothing
    above the line reads as the page's header or items (a clock, a field, a
    counter, an item) and its date is not after the capture: a date in a
    lead or a notice of an event to come is no page date.
    """
    index, line = head[-1]
    match = profile.capture_date.match(line.strip())
    if len(head) < 2 or match is None:
        return None
    for _, above in head[:-1]:
        text = above.strip()
        starts = (profile.clock, profile.field_label, *profile.item_starts)
        if any(pattern.match(text) for pattern in starts) or profile.counter.search(text):  # counters stand anywhere
            return None
    shown = _date_of(match, profile)
    if shown is None or shown > captured_at.date() + dt.timedelta(days=1):
        return None
    return index, shown


def _capture_date(line: str, number: int, source: str, profile: Profile) -> dt.date:
    match = profile.capture_date.match(line)
    if match is None and profile.capture_date is NEVER:
        raise SnapshotError(
            source,
            f"profile {profile.name!r} reads no date line, and nothing else says when the page was captured: "
            "name the file by its date (2024-06-01.md), read it from an archive or with --git, or give --captured",
        )
    if match is None:
        shown = line if len(line) <= 60 else line[:57] + "..."
        raise SnapshotError(source, f"no capture date on line {number} (found {shown!r})")
    captured = _date_of(match, profile)
    if captured is None:
        if profile.month_number(match["month"]) is None:
            raise SnapshotError(source, f"line {number}: {match['month']!r} in {line!r} is no month the profile names")
        raise SnapshotError(source, f"line {number}: {line!r} is not a real date")
    return captured


DATE_LINE_WITHIN = 12
"""How many non-blank lines the page's date line is looked for in, when the capture time is known
otherwise: a site title or a cookie banner above it is left unparsed (and said), not mistaken for
the page (see `_date_below_chrome`)."""


def _counters(raw: str, number: int, built: _Builder) -> list[HeaderCounter] | None:
    """The counters on one line, or None unless every sentence on it is a counter."""
    matches = built.profile.counter_matches(raw)
    if matches is None:
        return None
    counters = []
    for match in matches:
        sentence = match.string
        digits = counter_digits(match)
        if len(digits) > COUNTER_MAX_DIGITS:
            built.warnings.append(
                f"{built.source}: line {number}: a counter of {len(digits)} digits "
                f"(over {COUNTER_MAX_DIGITS}) is no plausible count; kept as text"
            )
            return None
        start, end = match.span("value")
        # Interned: a timeline keeps a reading per capture, each with the same label and unit.
        label = sys.intern(clean(sentence[:start] + "{n}" + sentence[end:]))
        counters.append(
            HeaderCounter(
                label=label,
                value=int(digits),
                unit=sys.intern(match["unit"].lower().rstrip("s")),
                text=clean(sentence),
                line=number,
            )
        )
    return counters


class _Start(NamedTuple):
    """An item's first line (or date line and title line), read: where its date and title stand."""

    lines: tuple[int, ...]
    title: str
    printed: str
    """The date as the page printed it; empty when the item shows none."""
    parts: DateParts | None
    """What the printed date says; None when it says nothing readable (`problem` says why)."""
    problem: str | None = None


class _Builder:
    """Collects the parts of a snapshot while the parser walks its lines.

    Each item is built as soon as its last line is read, so no line, regular
    expression match or list of them outlives its item.
    """

    def __init__(self, source: str, profile: Profile, captured: dt.date) -> None:
        self.source = source
        self.profile = profile
        self.captured = captured
        """The page's date: the year of an item date printed without one is read from it."""
        self.clocks: list[Clock] = []
        self.fields: list[Field] = []
        self.counters: list[HeaderCounter] = []
        self.lead: list[tuple[int, str]] = []
        self.items: list[Item] = []
        self.footer: tuple[int, str] | None = None
        self.unparsed: list[Unparsed] = []
        self.ignored: list[Unparsed] = []
        self.sections: list[Unparsed] = []
        self.roles: list[tuple[int, str]] = []
        self.section_date = DateParts()
        """What the last section heading's date says: the parts an item's date leaves out."""
        self.warnings: list[str] = []
        # Items share dates: each printed date is read once, dated once per section, and its text kept once.
        self._read: dict[str, tuple[DateParts | None, str | None]] = {}
        self._dates: dict[str, tuple[str, dt.date | None, str]] = {}
        """A printed date's text as kept, its date, and what an item id starts with."""
        self._spans: dict[re.Pattern[str], Callable[[tuple[tuple[int, int], ...]], tuple[tuple[int, int], ...]]] = {}
        self._seen: dict[str, int] = {}

    def enter_section(self, date: DateParts) -> None:
        """A section heading was read: its date fills the item dates below it."""
        self.section_date = date
        self._dates = {}

    def month_of(self, month: str) -> int | None:
        """An item date's month: by the item's month names, else the page date's."""
        return month_number(month, self.profile.item_months or self.profile.months)

    def start(self, match: re.Match[str], lines: tuple[int, ...], title: str | None = None) -> _Start:
        """Read an item's first line (`match`), or its date line when `title` comes from the line below."""
        title = match["title"] if title is None else title
        printed = self._printed(match)
        if not printed:
            return _Start(lines, title, "", None)
        read = self._read.get(printed)
        if read is None:
            read = self._read[printed] = self._read_date(match, printed)
        return _Start(lines, title, printed, *read)

    def _printed(self, match: re.Match[str]) -> str:
        """The date as printed: the `date` group, else from the first to the last of `day`, `month`, `year`."""
        pick = self._spans.get(match.re)
        if pick is None:
            index = match.re.groupindex
            names = ("date",) if "date" in index else ("day", "month", "year")
            pick = self._spans[match.re] = _spans_of(tuple(index[name] for name in names if name in index))
        spans = pick(match.regs)
        if (-1, -1) in spans:  # a group that took no part
            spans = tuple(span for span in spans if span[0] >= 0)
        if not spans:
            return ""
        return match.string[min(spans)[0] : max(spans, key=_end)[1]].strip()

    def _read_date(self, match: re.Match[str], printed: str) -> tuple[DateParts | None, str | None]:
        """What a printed date says, or why it says nothing."""
        try:
            if "date" in match.re.groupindex:
                parts = read_parts(printed, self.profile.item_dates, self.month_of)
                return parts, None if parts else f"item date {printed!r}: no date format of the profile reads it"
            return parts_of(match, self.month_of), None
        except UnknownMonth as exc:
            return None, _unknown_month(printed, str(exc))

    def add_item(self, start: _Start, numbers: list[int], texts: list[str]) -> None:
        """Build the item that `start` begins, with its other lines."""
        printed, published, id_date = start.printed, None, start.printed
        if start.parts is not None:
            cached = self._dates.get(printed)
            if cached is None:
                date = resolve(start.parts.filled(self.section_date), self.captured)
                cached = self._dates[printed] = printed, date, printed if date is None else date.isoformat()
            printed, published, id_date = cached
            if published is None:
                parts = start.parts.filled(self.section_date)
                self.warnings.append(f"{self.source}: line {start.lines[0]}: {_no_such_date(printed, parts)}")
        elif start.problem is not None:
            self.warnings.append(f"{self.source}: line {start.lines[0]}: {start.problem}; kept with no published date")
        title, link = start.title.strip(), None
        if "](" in title:
            title, link = _title_and_link(title)
        summary = texts
        key, pattern = None, self.profile.item_link
        look = link is None and pattern is not NEVER
        if look and pattern is MARKDOWN_LINK:
            look = any(map(_LINK_MARK.search, texts))  # the usual case: no Markdown link in the summary
        if look or self.profile.item_key is not NEVER:
            lines = list(zip(numbers, texts, strict=True))
            if look:
                link, lines = self._take(pattern, "link", title, lines)
            if self.profile.item_key is not NEVER:
                key, lines = self._take(self.profile.item_key, "key", None, lines)
            summary = [text for _, text in lines]
        if len(start.lines) == 2:
            self.roles += ((start.lines[0], "item date"), (start.lines[1], "item title"))
        known_by = key or link
        if self.profile.identity == "link" and known_by:
            base_id = link_id(known_by)
        elif printed:
            base_id = item_id(id_date, title)
        else:
            base_id = link_id(link) if link else item_id(UNDATED, title)
        count = self._seen[base_id] = self._seen.get(base_id, 0) + 1
        self.items.append(
            Item(
                base_id if count == 1 else repeat_id(base_id, count),
                published,
                printed,
                title,
                tuple(summary),
                len(self.items),
                (*start.lines, *numbers),
                link,
            )
        )

    def _take(
        self, pattern: re.Pattern[str], group: str, title: str | None, lines: list[tuple[int, str]]
    ) -> tuple[str | None, list[tuple[int, str]]]:
        """What `pattern`'s `group` gives, from the title, else from the first of the item's (numbered) lines
        where it is found, and the lines left: a line that is only that (a link, a key) is no summary line.

        The default link pattern, a Markdown link, is looked for only where one can be.
        """
        markdown = pattern is MARKDOWN_LINK  # a title's were read already (`_title_and_link`)
        found = None if markdown or title is None else pattern.search(title)
        if found is not None:
            return found[group], lines
        for index, (number, text) in enumerate(lines):
            found = None if markdown and "](" not in text else pattern.search(text)
            if found is None:
                continue
            if found.group() == text:
                self.roles.append((number, group))
                return found[group], lines[:index] + lines[index + 1 :]
            return found[group], lines
        return None, lines

    def build_lead(self) -> Lead | None:
        if not self.lead:
            return None
        (_, title), *rest = self.lead
        return Lead(
            title=title, paragraphs=tuple(text for _, text in rest), lines=tuple(number for number, _ in self.lead)
        )


_end = itemgetter(1)


def _spans_of(groups: tuple[int, ...]) -> Callable[[tuple[tuple[int, int], ...]], tuple[tuple[int, int], ...]]:
    """What picks the spans of `groups` from a match's `regs`, as a tuple, in one C call for several groups."""
    if len(groups) > 1:
        return itemgetter(*groups)
    return lambda regs: tuple(regs[group] for group in groups)


def _unknown_month(printed: str, month: str) -> str:
    return (
        f"item date {printed}: {month!r} is no month the profile names (its [item] months, else its [capture] months)"
    )


def _no_such_date(printed: str, parts: DateParts) -> str:
    if parts.day is None or parts.month is None:
        return f"item date {printed} gives no {'day' if parts.day is None else 'month'} (nor does a section heading above it); kept with no published date"
    return f"item date {printed} does not exist; kept with no published date"


_LINK_MARK = re.compile(re.escape("]("))
"""What every Markdown link holds: a text without it holds none."""


def _title_and_link(title: str) -> tuple[str, str | None]:
    """A title with its Markdown links read as their text, and the first link's target."""
    found = MARKDOWN_LINK.search(title) if "](" in title else None
    if found is None:
        return title, None
    return MARKDOWN_LINK.sub(lambda match: match["text"], title).strip(), found["link"]


def parse(text: str, source: str, profile: Profile, capture: Capture | None = None) -> Snapshot:
    """Parse the text of one capture into a Snapshot."""
    return parse_lines(iter_lines(text), source, profile, capture)


@paused()
def parse_lines(lines: Iterable[str], source: str, profile: Profile, capture: Capture | None = None) -> Snapshot:
    """Parse the lines of one capture (split as `split_lines` does) into a Snapshot.

    With a `capture` record, a page that shows no date of its own is dated
    by when it was captured. The lines are read once, one at a time: besides
    the snapshot being built, memory holds only the header lines the capture
    date is read from.
    """
    dating, lines = tee(lines)
    start, captured, capture_time = _dated(dating, source, profile, capture.captured_at if capture else None)
    del dating  # the lines it read are let go as they are parsed
    built = _Builder(source, profile, captured)
    first = 0 if start is None else start + 1
    above = [
        Unparsed(n, line) for n, raw in enumerate(islice(lines, first - 1 if first else 0), 1) if (line := raw.strip())
    ]
    built.ignored.extend(line for line in above if profile.ignores(line.text))
    above = [line for line in above if not profile.ignores(line.text)]
    if above:
        built.unparsed.extend(above)
        built.warnings.append(
            f"{source}: line {first}: the page's date, under {len(above)} line(s) of other text, left unparsed"
        )
    if start is not None:
        next(lines, None)  # the date line, read above
    numbered: Iterator[NumberedLine] = (
        (n, line, raw) for n, raw in enumerate(lines, first + 1) if (line := raw.strip())
    )
    if profile.ignore:
        numbered = _set_aside(numbered, built)
    _parse_body(_parse_header(numbered, built), built)
    header = Header(
        captured=captured,
        capture_time=capture_time,
        date_line=None if start is None else start + 1,
        clocks=tuple(built.clocks),
        fields=tuple(built.fields),
        counters=tuple(built.counters),
    )
    snapshot = Snapshot(
        source=source,
        header=header,
        lead=built.build_lead(),
        items=tuple(built.items),
        footer=built.footer[1] if built.footer else None,
        footer_line=built.footer[0] if built.footer else None,
        unparsed=tuple(built.unparsed),
        warnings=tuple(built.warnings),
        capture=capture,
        ignored=tuple(built.ignored),
        sections=tuple(built.sections),
        roles=tuple(built.roles),
    )
    misfit = misfits(snapshot, profile)
    return replace(snapshot, warnings=(*snapshot.warnings, *misfit)) if misfit else snapshot


def _set_aside(numbered: Iterator[NumberedLine], built: _Builder) -> Iterator[NumberedLine]:
    """The lines the profile does not ignore; the others go to `ignored`."""
    for current in numbered:
        number, line, _ = current
        if not built.profile.ignores(line):
            yield current
            continue
        built.ignored.append(Unparsed(number, line))
        if built.profile.match_item(line):
            built.warnings.append(
                f"{built.source}: line {number}: an item's first line is ignored; its summary joins the item above"
            )


SECTION_FORMATS = compile_formats(("month y", "y"))
"""Besides the item date formats, what a section heading's date may be: a month, or a year."""

HEADER_GAP = 3
"""How many lines that no header rule reads may stand between two that one does (an email address,
a line of navigation), when the profile does not say where the header ends ([header] end)."""


def _parse_header(numbered: Iterator[NumberedLine], built: _Builder) -> Iterator[NumberedLine]:
    """Consume header lines; return the lines after the header.

    A line that no header rule reads does not end the header while another
    header line follows within `HEADER_GAP` lines, or, with a [header] end
    pattern, until that pattern matches: it is kept as unparsed.
    """
    profile = built.profile
    ahead: list[NumberedLine] = []  # lines read past, not yet placed

    def peek(count: int) -> list[NumberedLine]:
        while len(ahead) < count and (line := next(numbered, None)) is not None:
            ahead.append(line)
        return ahead[:count]

    while peek(1):
        taken = _header_line(peek(2), built)
        if taken:
            del ahead[:taken]
            continue
        number, line, _ = ahead[0]
        if any(pattern.match(line) for pattern in (*profile.item_starts, profile.item_date_line, profile.section)):
            break
        if profile.is_footer(line):
            break
        if profile.header_end is not None:
            if profile.header_end.match(line):
                break
        elif not any(_header_line(peek(offset + 2)[offset:], built, dry=True) for offset in range(1, HEADER_GAP + 1)):
            break
        built.unparsed.append(Unparsed(number, line))
        del ahead[0]
    return chain(ahead, numbered)


def _header_line(lines: list[NumberedLine], built: _Builder, dry: bool = False) -> int:
    """How many of `lines` (from the first) a header rule reads: a clock, a field (two), counters; 0 when none.

    With `dry`, nothing is kept: the lines are only looked at.
    """
    if not lines:
        return 0
    profile = built.profile
    number, line, raw = lines[0]
    if profile.match_item(line) or profile.is_footer(line):
        return 0
    clock = profile.clock.match(line)
    if clock:
        if not dry:
            built.clocks.append(Clock(place=clock["place"].strip(), time=clock["time"], line=number))
        return 1
    label = profile.field_label.match(line)
    if label and len(lines) > 1:
        value_number, value, _ = lines[1]
        if len(value) <= profile.field_max_value_length and not profile.match_item(value):
            if not dry:
                built.fields.append(Field(label=label["label"].strip(), value=value, lines=(number, value_number)))
            return 2
    if dry:
        return 1 if profile.counter_matches(raw) else 0
    counters = _counters(raw, number, built)
    if counters:
        built.counters.extend(counters)
        return 1
    return 0


def _parse_body(numbered: Iterator[NumberedLine], built: _Builder) -> None:
    """Lead article, items, section headings and footer; lines after the footer are unparsed."""
    profile = built.profile
    is_footer = profile.footer_test()
    item_start = profile.item_starts[0].match if len(profile.item_starts) == 1 else profile.match_item
    date_line, section = _matcher(profile.item_date_line), _matcher(profile.section)
    item: _Start | None = None  # the item being read
    numbers: list[int] = []  # its other lines
    texts: list[str] = []
    dated: tuple[re.Match[str], int] | None = None  # a date line waiting for its title line

    def text_line(number: int, line: str) -> None:
        if item is not None:
            numbers.append(number)
            texts.append(line)
        else:
            built.lead.append((number, line))

    for number, line, _ in numbered:
        if dated is not None:
            date_match, date_number = dated
            dated = None
            title = profile.item_title.match(line) if profile.item_title is not None else None
            if (title is not None or profile.item_title is None) and not is_footer(line):
                if item is not None:
                    built.add_item(item, numbers, texts)
                item = built.start(date_match, (date_number, number), line if title is None else title["title"])
                numbers, texts = [], []
                continue
            text_line(date_number, date_match.string)
        if is_footer(line):
            built.footer = (number, line)
            built.unparsed.extend(Unparsed(n, rest) for n, rest, _ in numbered)
            break
        if match := item_start(line):
            if item is not None:
                built.add_item(item, numbers, texts)
            item, numbers, texts = built.start(match, (number,)), [], []
        elif date_line and (match := date_line(line)):
            dated = match, number
        elif section and (match := section(line)):
            if item is not None:
                built.add_item(item, numbers, texts)
                item = None
            built.sections.append(Unparsed(number, line))
            built.enter_section(_section_date(match, number, built))
        else:
            text_line(number, line)
    if dated is not None:
        text_line(dated[1], dated[0].string)
    if item is not None:
        built.add_item(item, numbers, texts)


def _matcher(pattern: re.Pattern[str]) -> Callable[[str], re.Match[str] | None] | None:
    """A pattern's `match`; None for NEVER, so that the body's loop skips it."""
    return None if pattern is NEVER else pattern.match


def _section_date(match: re.Match[str], number: int, built: _Builder) -> DateParts:
    """The date parts a section heading gives the items below it (none, if it shows no date)."""
    groups = match.re.groupindex
    try:
        if "date" in groups:
            parts = read_parts(match["date"] or "", (*built.profile.item_dates, *SECTION_FORMATS), built.month_of)
            return parts or DateParts()
        return parts_of(match, built.month_of)
    except UnknownMonth as exc:
        built.warnings.append(
            f"{built.source}: line {number}: {str(exc)!r} is no month the profile names; the section gives no date"
        )
        return DateParts()
