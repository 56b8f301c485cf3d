"""Text to Snapshot, following a page profile, with every line accounted for.

The page reads top to bottom in four zones: header (date, clocks, labelled
fields, counter lines), lead article, item list, footer. Each non-blank line
lands in exactly one part of the model; what no rule places goes to
`Snapshot.unparsed`, never nowhere.
"""

from __future__ import annotations

import datetime as dt
import re

from diffcore._gc import paused
from diffcore.errors import SnapshotError
from diffcore.identity import item_id, repeat_id
from diffcore.model import Clock, Field, Header, HeaderCounter, Item, Lead, Snapshot, Unparsed
from diffcore.normalise import clean
from diffcore.profile import Profile


def split_lines(text: str) -> list[str]:
    """Split on LF, CRLF or CR only (not on the other characters str.splitlines honours)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _date_of(match: re.Match[str], profile: Profile) -> dt.date | None:
    month = profile.month_number(match["month"])
    if month is None:
        return None
    try:
        return dt.date(int(match["year"]), month, int(match["day"]))
    except ValueError:
        return None


def _first_line(lines: list[str]) -> int:
    for index, line in enumerate(lines):
        if line.strip():
            return index
    return len(lines)


def read_capture_date(text: str, source: str, profile: Profile) -> tuple[dt.date, str | None]:
    """The capture date (and time, from the reference clock) of a capture.

    Reads only the header lines, so a folder can be ordered without parsing
    every file in full.
    """
    return _dated(split_lines(text), source, profile)[1:]


def _dated(lines: list[str], source: str, profile: Profile) -> tuple[int, dt.date, str | None]:
    """Index of the date line, capture date and capture time of split lines."""
    start = _first_line(lines)
    if start == len(lines):
        raise SnapshotError(source, "empty file")
    captured = _capture_date(lines[start].strip(), start + 1, source, profile)
    capture_time = None
    for line in lines[start + 1 :]:
        if not line.strip():
            continue
        match = profile.clock.match(line.strip())
        if match is None:
            break  # the clocks stand right under the date; a later "London: 10:00" is text
        if match["place"] == profile.reference_clock:
            capture_time = match["time"]
            break
    return start, captured, capture_time


def _capture_date(line: str, number: int, source: str, profile: Profile) -> dt.date:
    match = profile.capture_date.match(line)
    if match is None:
        shown = line if len(line) <= 60 else line[:57] + "..."
        raise SnapshotError(source, f"no capture date on line {number} (found {shown!r})")
    captured = _date_of(match, profile)
    if captured is None:
        raise SnapshotError(source, f"line {number}: {line!r} is not a real date")
    return captured


COUNTER_MAX_DIGITS = 18
"""The longest counter value read as a number (below 10**18, so below 2**63).

Every table, CSV or JSON reader and chart holds such a value as a 64-bit
integer. A longer one is no plausible day count: its line is not read as
counters but kept as page text (the lead, or unparsed), with a warning.
"""


def _counters(raw: str, number: int, built: _Builder) -> list[HeaderCounter] | None:
    """The counters on one line, or None unless every sentence on it is a counter."""
    profile = built.profile
    sentences = [s.strip() for s in profile.counter_separator.split(raw) if s.strip()]
    counters = []
    for sentence in sentences:
        match = profile.counter.search(sentence)
        if match is None:
            return None
        digits = match["value"].replace(",", "")
        if len(digits) > COUNTER_MAX_DIGITS:
            built.warnings.append(f"{built.source}: line {number}: a counter of {len(digits)} digits "
                                  f"(over {COUNTER_MAX_DIGITS}) is no plausible count; kept as text")
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
    return counters or None


class _Builder:
    """Collects the parts of a snapshot while the parser walks its lines."""

    def __init__(self, source: str, profile: Profile) -> None:
        self.source = source
        self.profile = profile
        self.clocks: list[Clock] = []
        self.fields: list[Field] = []
        self.counters: list[HeaderCounter] = []
        self.lead: list[tuple[int, str]] = []
        # Per item: the match of its first line, that line's number, then the
        # numbers and texts of its summary lines.
        self.items: list[tuple[re.Match[str], int, list[int], list[str]]] = []
        self.footer: tuple[int, str] | None = None
        self.unparsed: list[Unparsed] = []
        self.warnings: list[str] = []

    def build_items(self) -> tuple[Item, ...]:
        profile = self.profile
        day, month, year = (profile.item_start.groupindex[name] for name in ("day", "month", "year"))
        title_group = profile.item_start.groupindex["title"]
        dates: dict[str, dt.date | None] = {}  # items share dates: each is read once
        seen: dict[str, int] = {}
        built = []
        for position, (match, number, numbers, texts) in enumerate(self.items):
            # The date as the page printed it, in the profile's own layout.
            starts = match.start(day), match.start(month), match.start(year)
            ends = match.end(day), match.end(month), match.end(year)
            printed = match.string[min(starts):max(ends)]
            if printed in dates:
                published = dates[printed]
            else:
                published = dates[printed] = _date_of(match, profile)
            if published is None:
                self.warnings.append(f"{self.source}: line {number}: item date {printed} does not exist; kept with no published date")
            title = match.group(title_group)
            base_id = item_id(published.isoformat() if published else printed, title)
            count = seen[base_id] = seen.get(base_id, 0) + 1
            built.append(Item(repeat_id(base_id, count), published, printed, title.strip(),
                              tuple(texts), position, (number, *numbers)))
        return tuple(built)

    def build_lead(self) -> Lead | None:
        if not self.lead:
            return None
        (_, title), *rest = self.lead
        return Lead(title=title, paragraphs=tuple(text for _, text in rest),
                    lines=tuple(number for number, _ in self.lead))


@paused()
def parse(text: str, source: str, profile: Profile) -> Snapshot:
    """Parse the text of one capture into a Snapshot."""
    lines = split_lines(text)
    start, captured, capture_time = _dated(lines, source, profile)
    built = _Builder(source, profile)
    numbered = [(n, line, raw) for n, raw in enumerate(lines[start + 1:], start + 2) if (line := raw.strip())]
    index = _parse_header(numbered, built)
    _parse_body(numbered[index:], built)
    header = Header(
        captured=captured,
        capture_time=capture_time,
        date_line=start + 1,
        clocks=tuple(built.clocks),
        fields=tuple(built.fields),
        counters=tuple(built.counters),
    )
    items = built.build_items()
    return Snapshot(
        source=source,
        header=header,
        lead=built.build_lead(),
        items=items,
        footer=built.footer[1] if built.footer else None,
        footer_line=built.footer[0] if built.footer else None,
        unparsed=tuple(built.unparsed),
        warnings=tuple(built.warnings),
    )


def _parse_header(numbered: list[tuple[int, str, str]], built: _Builder) -> int:
    """Consume header lines; return the index of the first line after the header."""
    profile = built.profile
    index = 0
    while index < len(numbered):
        number, line, raw = numbered[index]
        clock = profile.clock.match(line)
        if clock:
            built.clocks.append(Clock(place=clock["place"].strip(), time=clock["time"], line=number))
            index += 1
            continue
        label = profile.field_label.match(line)
        if label and index + 1 < len(numbered):
            value_number, value, _ = numbered[index + 1]
            if len(value) <= profile.field_max_value_length and not profile.item_start.match(value):
                built.fields.append(Field(label=label["label"].strip(), value=value, lines=(number, value_number)))
                index += 2
                continue
        counters = _counters(raw, number, built)
        if counters:
            built.counters.extend(counters)
            index += 1
            continue
        return index
    return index


def _parse_body(numbered: list[tuple[int, str, str]], built: _Builder) -> None:
    """Lead article, items and footer; lines after the footer are unparsed."""
    is_footer = built.profile.is_footer
    item_start = built.profile.item_start.match
    items = built.items
    numbers: list[int] | None = None  # the summary of the item being read
    texts: list[str] = []
    for index, (number, line, _) in enumerate(numbered):
        if is_footer(line):
            built.footer = (number, line)
            built.unparsed.extend(Unparsed(n, rest) for n, rest, _ in numbered[index + 1:])
            return
        if match := item_start(line):
            numbers, texts = [], []
            items.append((match, number, numbers, texts))
        elif numbers is not None:
            numbers.append(number)
            texts.append(line)
        else:
            built.lead.append((number, line))
