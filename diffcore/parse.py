"""Text to Snapshot, following a page profile, with every line accounted for.

The page reads top to bottom in four zones: header (date, clocks, labelled
fields, counter lines), lead article, item list, footer. Each non-blank line
lands in exactly one part of the model; what no rule places goes to
`Snapshot.unparsed`, never nowhere.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from itertools import chain, islice, tee

from diffcore._gc import paused
from diffcore.errors import SnapshotError
from diffcore.fit import misfits
from diffcore.identity import item_id, repeat_id
from diffcore.model import Capture, Clock, Field, Header, HeaderCounter, Item, Lead, Snapshot, Unparsed
from diffcore.normalise import clean
from diffcore.profile import COUNTER_MAX_DIGITS, NEVER, Profile, counter_digits

_BREAK = re.compile(r"\r\n|\r|\n")

NumberedLine = tuple[int, str, str]
"""A non-blank line: its 1-based number, its text trimmed, its text as read."""


def split_lines(text: str) -> list[str]:
    """Split on LF, CRLF or CR only (not on the other characters str.splitlines honours)."""
    return list(iter_lines(text))


SPLIT_WHOLE_BELOW = 1 << 20
"""Texts shorter than this (in characters) and without a CR are split at once: a page's lines then cost
a list of at most a few MB, and splitting is several times faster than walking the text."""


def iter_lines(text: str) -> Iterator[str]:
    """The lines `split_lines` gives, one at a time: a huge capture is never held twice, once as lines."""
    if len(text) < SPLIT_WHOLE_BELOW and "\r" not in text:
        return iter(text.split("\n"))
    return _walk_lines(text)


def _walk_lines(text: str) -> Iterator[str]:
    start = 0
    for match in _BREAK.finditer(text):
        yield text[start : match.start()]
        start = match.end()
    yield text[start:]


def _date_of(match: re.Match[str], profile: Profile) -> dt.date | None:
    month = profile.month_number(match["month"])
    if month is None:
        return None
    try:
        return dt.date(int(match["year"]), month, int(match["day"]))
    except ValueError:
        return None


def _item_date(match: re.Match[str], profile: Profile, captured: dt.date) -> dt.date | None:
    """An item's date; printed without a year, the latest one not after the page's date (`captured`)."""
    month = profile.month_number(match["month"], profile.item_months)
    if month is None:
        return None
    year = match["year"] if "year" in match.re.groupindex else None
    try:
        if year is not None:
            return dt.date(int(year), month, int(match["day"]))
        date = dt.date(captured.year, month, int(match["day"]))
        return date if date <= captured else date.replace(year=captured.year - 1)
    except ValueError:
        return None


def _why_no_date(match: re.Match[str], printed: str, profile: Profile) -> str:
    """Why an item's printed date gives no date: a month name the profile does not list, or no such day."""
    if profile.month_number(match["month"], profile.item_months) is None:
        return (
            f"item date {printed}: {match['month']!r} is no month the profile names "
            "(its [item] months, else its [capture] months); kept with no published date"
        )
    return f"item date {printed} does not exist; kept with no published date"


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
        starts = (profile.clock, profile.field_label, profile.item_start)
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
        label = clean(sentence[:start] + "{n}" + sentence[end:])
        counters.append(
            HeaderCounter(
                label=label,
                value=int(digits),
                unit=match["unit"].lower().rstrip("s"),
                text=clean(sentence),
                line=number,
            )
        )
    return counters


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
        self.warnings: list[str] = []
        pattern = profile.item_start
        self._date_groups = tuple(
            pattern.groupindex[name] for name in ("day", "month", "year") if name in pattern.groupindex
        )
        self._title_group = pattern.groupindex["title"]
        # Items share dates: each printed date is read once, and its text is kept once.
        self._dates: dict[str, tuple[str, dt.date | None]] = {}
        self._seen: dict[str, int] = {}

    def add_item(self, match: re.Match[str], number: int, numbers: list[int], texts: list[str]) -> None:
        """Build the item whose first line gave `match`, with its summary lines."""
        # The date as the page printed it, in the profile's own layout.
        spans = [match.regs[group] for group in self._date_groups]
        start = min(start for start, _ in spans if start >= 0)  # an optional year may be absent (-1)
        printed = match.string[start : max(end for _, end in spans)]
        if printed in self._dates:
            printed, published = self._dates[printed]
        else:
            published = _item_date(match, self.profile, self.captured)
            self._dates[printed] = printed, published
        if published is None:
            self.warnings.append(f"{self.source}: line {number}: {_why_no_date(match, printed, self.profile)}")
        title = match.group(self._title_group)
        base_id = item_id(published.isoformat() if published else printed, title)
        count = self._seen[base_id] = self._seen.get(base_id, 0) + 1
        self.items.append(
            Item(
                repeat_id(base_id, count),
                published,
                printed,
                title.strip(),
                tuple(texts),
                len(self.items),
                (number, *numbers),
            )
        )

    def build_lead(self) -> Lead | None:
        if not self.lead:
            return None
        (_, title), *rest = self.lead
        return Lead(
            title=title, paragraphs=tuple(text for _, text in rest), lines=tuple(number for number, _ in self.lead)
        )


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
        if built.profile.item_start.match(line):
            built.warnings.append(
                f"{built.source}: line {number}: an item's first line is ignored; its summary joins the item above"
            )


def _parse_header(numbered: Iterator[NumberedLine], built: _Builder) -> Iterator[NumberedLine]:
    """Consume header lines; return the lines after the header."""
    profile = built.profile
    current = next(numbered, None)
    while current is not None:
        number, line, raw = current
        following = next(numbered, None)  # a field's value stands on the next line
        clock = profile.clock.match(line)
        if clock:
            built.clocks.append(Clock(place=clock["place"].strip(), time=clock["time"], line=number))
            current = following
            continue
        label = profile.field_label.match(line)
        if label and following is not None:
            value_number, value, _ = following
            if len(value) <= profile.field_max_value_length and not profile.item_start.match(value):
                built.fields.append(Field(label=label["label"].strip(), value=value, lines=(number, value_number)))
                current = next(numbered, None)
                continue
        counters = _counters(raw, number, built)
        if counters:
            built.counters.extend(counters)
            current = following
            continue
        return chain([current] if following is None else [current, following], numbered)
    return numbered


def _parse_body(numbered: Iterator[NumberedLine], built: _Builder) -> None:
    """Lead article, items and footer; lines after the footer are unparsed."""
    is_footer = built.profile.is_footer
    item_start = built.profile.item_start.match
    item: tuple[re.Match[str], int] | None = None  # the first line of the item being read
    numbers: list[int] = []  # its summary lines
    texts: list[str] = []
    for number, line, _ in numbered:
        if is_footer(line):
            built.footer = (number, line)
            built.unparsed.extend(Unparsed(n, rest) for n, rest, _ in numbered)
            break
        if match := item_start(line):
            if item is not None:
                built.add_item(*item, numbers, texts)
            item, numbers, texts = (match, number), [], []
        elif item is not None:
            numbers.append(number)
            texts.append(line)
        else:
            built.lead.append((number, line))
    if item is not None:
        built.add_item(*item, numbers, texts)
