"""Inputs to snapshots: captures found, dated, ordered by capture time, grouped by page, then parsed.

This is the I/O edge of the library. `scan` finds every capture the inputs
hold (the readers of `diffcore.inputs`), reads each once to date and hash it,
and leaves out exact duplicates and what is not a capture; `iter_snapshots`
parses the captures one at a time, in order, reading each payload again.
Nothing here writes a file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections import Counter
from collections.abc import Generator, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import chain, islice
from pathlib import Path
from typing import BinaryIO

from diffcore._files import opened
from diffcore._pool import PARALLEL_FROM, ordered_map, workers_for
from diffcore.errors import InputError, SnapshotError
from diffcore.inputs import Found, Skipped, find_all, head_of, payload_of, read_payload, reader_of
from diffcore.inputs import files as file_reader
from diffcore.inputs.dates import as_utc, page_key
from diffcore.inputs.decoding import BOMS
from diffcore.inputs.records import profile_for
from diffcore.inputs.sniff import is_feed, is_html
from diffcore.inputs.text import page_text
from diffcore.model import Capture, MediaType, Snapshot, Source, TimeSource, clock_order
from diffcore.normalise import source_text
from diffcore.parse import parse, parse_lines, read_page_date
from diffcore.profile import HtmlSelectors, Profile, default_profile

_HASH_BLOCK = 1 << 20
Moment = dt.datetime | dt.date | str
"""A capture time given by the user (`captured=`): see `diffcore.inputs.dates.as_utc`."""


class _NotUTF8(Exception):
    """The file is not plain UTF-8: it is decoded whole instead."""


def _utf8_lines(file: BinaryIO, source: str) -> Generator[str, None, None]:
    """The lines of a UTF-8 file (split as `split_lines` does, without line ends), read a block at a time.

    Raises _NotUTF8 at a byte that is not UTF-8, or at a UTF-16/32 byte order mark.
    """
    if any(file.peek(4)[:4].startswith(mark) for mark, _ in BOMS):  # type: ignore[attr-defined]
        raise _NotUTF8
    # newline="": lines end at LF, CRLF or CR, and keep their end, which is cut here.
    stream = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
    try:
        for line in stream:
            if "\x00" in line:
                raise SnapshotError(source, "binary file (contains NUL bytes)")
            yield line.rstrip("\r\n")
    except UnicodeDecodeError:
        raise _NotUTF8 from None
    finally:
        stream.detach()


def _load_streamed(path: Path, source: str, profile: Profile, capture: Capture | None) -> Snapshot | None:
    """Parse a UTF-8 file as it is read, never holding its bytes or its whole text; None when not UTF-8.

    The file is read to its end even when the parser gives up early, so any
    trouble is the one decoding the whole file would report first.
    """
    with opened(path) as file, closing(_utf8_lines(file, str(path))) as lines:  # closed before the file
        try:
            return parse_lines(lines, source, profile, capture)
        except _NotUTF8:
            return None
        except SnapshotError:
            try:
                for _ in lines:
                    pass
            except _NotUTF8:
                return None
            raise


@dataclass(frozen=True)
class Entry:
    """A capture found, dated and hashed, before it is parsed in full."""

    reader: str
    capture: Capture
    page_date: dt.date | None
    """The date the page shows on its date line; None when it shows none."""
    clock: str | None
    """The time on the page's reference clock, which orders captures of one day."""
    text_digest: str
    """A digest of the page text: the same page saved in another encoding, or as HTML, is the same capture."""
    text: str | None = field(default=None, compare=False, repr=False)
    """The page text, when kept from the scan (`inventory_of(keep_text=True)`), so parsing reads nothing again."""

    @property
    def where(self) -> str:
        """The capture's source, as printed (a file name that is not UTF-8 shows its bytes as \\xNN)."""
        return where(self.capture.source)

    @property
    def path(self) -> Path:
        """The file the capture is read from: the capture file, the WARC file, or the git work-tree file."""
        source = self.capture.source
        return Path(source.repository, source.path) if source.repository else Path(source.path)


def where(source: Source) -> str:
    """A capture's source as printed: the file name alone for a file, else with its offset or commit."""
    return source_text(source.describe())


@dataclass(frozen=True)
class Duplicate:
    """A capture with the same capture time and page text as one kept earlier."""

    where: str
    same_as: str
    path: Path


@dataclass(frozen=True)
class Inventory:
    """The captures of one page, in capture-time order, and what was left out.

    `skipped` are the files and records passed over with a warning (not a
    capture, damaged, an unresolved revisit); `passed_over` counts what an
    archive holds besides captures (requests, redirects, images...), left
    out silently. The captures are those of one page (see `scan`).
    """

    captures: tuple[Entry, ...]
    duplicates: tuple[Duplicate, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    passed_over: int = 0

    def files(self) -> list[Path]:
        """Every file the inputs led to, captures, duplicates and skipped files alike: no output may replace one."""
        skipped = (Path(skipped.path) for skipped in self.skipped if skipped.path)
        read = [*(entry.path for entry in self.captures), *(duplicate.path for duplicate in self.duplicates), *skipped]
        return list(dict.fromkeys(read))  # a WARC file or a git history once, not once per capture


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _text_digest(text: str) -> str:
    """A digest of the page's words line by line: the same page as text or HTML, in any encoding, digests alike."""
    digest = hashlib.blake2b(digest_size=16)
    for line in text.splitlines():
        if words := line.split():
            digest.update(" ".join(words).encode("utf-8", "surrogatepass") + b"\n")
    return digest.hexdigest()


def _examine(
    found: Found | Skipped, profile: Profile, encoding: str | None, captured: dt.datetime | None, keep_text: bool
) -> Entry | Skipped:
    """Date and hash a capture, or say why it is not one; trouble with a file the user named is an error."""
    if isinstance(found, Skipped):
        return found
    place = where(found.source)
    try:
        data = read_payload(found)
        page = page_text(data, place, found.media_type, encoding, found.charset, profile.html)
        captured_at, time_source = _capture_time(found, page.facts.captured_at)
        known = captured_at or page.facts.updated or captured
        page_date, clock = read_page_date(page.text, place, profile_for(page.media_type, profile), known)
    except SnapshotError as exc:
        if found.explicit:
            raise
        in_file = found.source.offset is None and found.source.commit is None
        return Skipped(place, exc.reason, path=found.source.path if in_file else None)
    if captured_at is None or time_source is None:
        captured_at, time_source = _dated_by_page_or_user(page_date, page.facts.updated, captured)
    capture = Capture(
        source=found.source,
        captured_at=captured_at,
        time_source=time_source,
        media_type=page.media_type,
        digest=_digest(data),
        url=(page.facts.url or found.url) if found.url_from_path else (found.url or page.facts.url),
        charset=page.charset,
    )
    return Entry(found.reader, capture, page_date, clock, _text_digest(page.text), page.text if keep_text else None)


def _capture_time(found: Found, from_page: dt.datetime | None) -> tuple[dt.datetime | None, TimeSource | None]:
    """When a capture was taken, if its container or path says, else the Wayback player in the page."""
    if found.captured_at is not None:
        return found.captured_at, found.time_source
    if from_page is not None:
        return from_page, "wayback"
    return None, None


def _dated_by_page_or_user(
    page_date: dt.date | None, updated: dt.datetime | None, captured: dt.datetime | None
) -> tuple[dt.datetime, TimeSource]:
    """The capture time of a capture nothing else dates: its page's date line (midnight UTC), else the time its
    feed says it was updated, else `--captured`."""
    if page_date is not None:
        return dt.datetime.combine(page_date, dt.time(), dt.UTC), "page-date"
    if updated is not None:
        return updated, "feed-date"
    assert captured is not None  # a page without a date of its own is refused without one
    return captured, "user"


def scan(
    paths: Iterable[str | Path] | str | Path,
    profile: Profile | None = None,
    encoding: str | None = None,
    workers: int | None = None,
    *,
    url: str | None = None,
    git: bool = False,
    captured: Moment | None = None,
    strict: bool = False,
) -> Inventory:
    """Find, date and hash every capture in the inputs; keep those of one page, in capture-time order.

    Inputs are capture files (text, HTML or feeds), folders searched recursively,
    WARC and ARC files, or with `git` the files whose git history to read.
    Ordering is by capture time, then the page's clock, then source. Two
    captures are duplicates when their capture time and page text agree
    (the same page saved twice, in any encoding); the same page captured at
    another time is kept (an unchanged capture).
    When the captures are of several pages, `url` picks one (scheme, `www.`
    and a final slash aside); `captured` dates captures nothing else dates.
    `strict` makes anything skipped an error. Captures are examined on every
    core when there are many (`workers`; 1 keeps to this process).
    """
    paths = [paths] if isinstance(paths, str | Path) else list(paths)
    return inventory_of(
        find_all(paths, git),
        _inputs_name(paths),
        profile,
        encoding,
        workers,
        url=url,
        captured=captured,
        strict=strict,
    )


def inventory_of(
    found: Iterable[Found | Skipped],
    inputs_name: str,
    profile: Profile | None = None,
    encoding: str | None = None,
    workers: int | None = None,
    *,
    url: str | None = None,
    captured: Moment | None = None,
    strict: bool = False,
    keep_text: bool = False,
) -> Inventory:
    """`scan` for captures already located (`diffcore.inputs.find_all`, or a collection's page): date and hash
    each, keep those of one page in order; `inputs_name` names the inputs in errors.

    `keep_text` keeps each capture's page text in its entry, so `iter_snapshots` (with the same profile and
    encoding) parses it without reading the capture again: for a collection's page, whose few captures' texts
    fit in memory, not for a long archive."""
    profile = profile or default_profile()
    captured = None if captured is None else as_utc(captured)
    found = iter(found)
    first = list(islice(found, PARALLEL_FROM))
    examine = partial(_examine, profile=profile, encoding=encoding, captured=captured, keep_text=keep_text)
    entries: list[Entry] = []
    skipped: list[Skipped] = []
    passed_over = 0
    for result in ordered_map(examine, chain(first, found), workers_for(len(first), workers)):
        if isinstance(result, Entry):
            entries.append(result)
        elif result.warn:
            if strict:
                raise InputError(result.where, f"{result.reason} (--strict)")
            skipped.append(result)
        else:
            passed_over += 1
    entries = _one_page(entries, _pages(entries), url, inputs_name)
    if not entries:
        raise InputError(inputs_name, _nothing_found(skipped, passed_over))
    entries.sort(key=_order)
    kept: dict[tuple[dt.datetime, str], Entry] = {}
    captures: list[Entry] = []
    duplicates: list[Duplicate] = []
    for entry in entries:
        first_seen = kept.setdefault((entry.capture.captured_at, entry.text_digest), entry)
        if first_seen is entry:
            captures.append(entry)
        else:
            duplicates.append(Duplicate(entry.where, first_seen.where, entry.path))
    return Inventory(tuple(captures), tuple(duplicates), tuple(skipped), passed_over)


def _order(entry: Entry) -> tuple[dt.datetime, tuple[int, ...], str, int, str]:
    """Capture time, then the page's clock (9:05 before 10:05), then where it was read (offsets as numbers)."""
    source = entry.capture.source
    return entry.capture.captured_at, clock_order(entry.clock), source.path, source.offset or 0, source.commit or ""


def _pages(entries: Iterable[Entry]) -> dict[str, int]:
    """The pages the captures are of (those whose URL is known), with their number of captures, most first."""
    counts = Counter(page_key(entry.capture.url) for entry in entries if entry.capture.url)
    return dict(sorted(counts.items(), key=lambda page: (-page[1], page[0])))


def _one_page(entries: list[Entry], pages: dict[str, int], url: str | None, inputs_name: str) -> list[Entry]:
    """The captures of the page `url` names, or of the one page the inputs hold; several pages is an error."""
    listing = "; ".join(f"{page} ({count} capture{'s' if count != 1 else ''})" for page, count in pages.items())
    if url is not None:
        wanted = page_key(url)
        chosen = [entry for entry in entries if entry.capture.url and page_key(entry.capture.url) == wanted]
        if not chosen and entries:
            found = f"pages found: {listing}" if pages else "no capture says which page it is of"
            raise InputError(inputs_name, f"no capture of {url}; {found}")
        return chosen
    if len(pages) > 1:
        raise InputError(inputs_name, f"captures of {len(pages)} pages: {listing}; pick one with --url")
    return entries


def _inputs_name(paths: list[str | Path]) -> str:
    return source_text(paths[0]) if len(paths) == 1 else f"{source_text(paths[0])} (and {len(paths) - 1} more)"


def _nothing_found(skipped: list[Skipped], passed_over: int) -> str:
    if skipped:
        first = skipped[0]
        more = f" (and {len(skipped) - 1} more skipped)" if len(skipped) > 1 else ""
        return f"holds no usable capture: {first.where}: {first.reason}{more}"
    if passed_over:
        records = (
            "1 archive record that is not one" if passed_over == 1 else f"{passed_over:,} archive records that are not"
        )
        return f"holds no HTML page or feed ({records})"
    return "holds no captures"


def snapshot_from_payload(
    data: bytes,
    url: str | None,
    captured_at: Moment,
    profile: Profile | None = None,
    *,
    where: str | None = None,
    media_type: MediaType | None = None,
    charset: str | None = None,
    encoding: str | None = None,
) -> Snapshot:
    """A snapshot of a capture held in memory (an HTML page, a feed or page text, as bytes), taken at `captured_at`.

    For captures read by other tools (a Spark job over WARC files, an HTTP
    client): `where` names it in warnings and errors (its URL by default),
    its media type comes from its bytes unless given.
    """
    profile = profile or default_profile()
    place = where or url or "capture"
    page = page_text(data, place, media_type, encoding, charset, profile.html)
    capture = Capture(
        source=Source(place),
        captured_at=as_utc(captured_at),
        time_source="user",
        media_type=page.media_type,
        digest=_digest(data),
        url=url or page.facts.url,
        charset=page.charset,
    )
    return parse(page.text, place, profile_for(page.media_type, profile), capture)


def capture_text(entry: Entry, encoding: str | None = None, selectors: HtmlSelectors | None = None) -> str:
    """Read a capture again and give its page text; refused when its payload is no longer the one `scan` hashed.

    `selectors` (a profile's `[html]` table) read an HTML page's items from its elements. The text the scan
    kept (`Entry.text`, read with the same selectors and encoding) is given as it is.
    """
    if entry.text is not None:
        return entry.text
    data = payload_of(entry.reader, entry.capture.source)
    if _digest(data) != entry.capture.digest:
        raise SnapshotError(entry.where, "changed while being read (after it was scanned); run again")
    capture = entry.capture
    return page_text(data, entry.where, capture.media_type, encoding, capture.charset, selectors).text


def capture_snapshot(entry: Entry, profile: Profile, encoding: str | None = None) -> Snapshot:
    """Read a capture again and parse it (see `capture_text`), with the profile for what it holds (`profile_for`)."""
    text = capture_text(entry, encoding, profile.html)
    return parse(text, entry.where, profile_for(entry.capture.media_type, profile), entry.capture)


def iter_snapshots(
    inventory: Inventory, profile: Profile | None = None, encoding: str | None = None, workers: int | None = None
) -> Iterator[Snapshot]:
    """Parse the captures of an inventory one at a time, in order (memory stays flat).

    Payloads are read again and their page text extracted on every core when
    there are many (`workers`; 1 keeps to this process); parsing stays in
    this process, as sending a parsed snapshot back from a worker costs about
    as much as parsing it, and sending its text costs little.
    """
    profile = profile or default_profile()
    count = workers_for(len(inventory.captures), workers)
    texts = ordered_map(partial(capture_text, encoding=encoding, selectors=profile.html), inventory.captures, count)
    for entry, text in zip(inventory.captures, texts, strict=True):
        yield parse(text, entry.where, profile_for(entry.capture.media_type, profile), entry.capture)


@dataclass(frozen=True)
class Loaded:
    """Snapshots in capture-time order, with the duplicates and the skipped files left out."""

    snapshots: tuple[Snapshot, ...]
    duplicates: tuple[Duplicate, ...]
    skipped: tuple[Skipped, ...] = ()


def load_many(
    paths: Iterable[str | Path] | str | Path,
    profile: Profile | None = None,
    encoding: str | None = None,
    *,
    url: str | None = None,
    git: bool = False,
    captured: Moment | None = None,
    strict: bool = False,
) -> Loaded:
    """Load files, folders, archives or git histories into snapshots of one page ordered by capture time."""
    inventory = scan(paths, profile, encoding, url=url, git=git, captured=captured, strict=strict)
    return Loaded(tuple(iter_snapshots(inventory, profile, encoding)), inventory.duplicates, inventory.skipped)


def load(
    path: str | Path,
    profile: Profile | None = None,
    encoding: str | None = None,
    *,
    url: str | None = None,
    git: bool = False,
    captured: Moment | None = None,
    at: str | None = None,
) -> Snapshot:
    """Read and parse one capture: a capture file, or one capture of an archive or git history.

    An input that holds several captures of the page needs `at`, the start of
    the capture time wanted (`2020-08-07`, `20200807041741`). A plain UTF-8
    text file (the usual case) is parsed while it is read, so a huge capture
    costs little more memory than its snapshot.
    """
    path = Path(path)
    profile = profile or default_profile()
    captured = None if captured is None else as_utc(captured)
    if not git and at is None and url is None and encoding is None:
        streamed = _load_text_file(path, profile, captured)
        if streamed is not None:
            return streamed
    inventory = scan([path], profile, encoding, url=url, git=git, captured=captured)
    return capture_snapshot(_one_capture(inventory, path, at), profile, encoding)


def _one_capture(inventory: Inventory, path: Path, at: str | None) -> Entry:
    """The one capture of an inventory, or the one taken at the time `at` starts; else an error."""
    entries = list(inventory.captures)
    if at is not None:
        digits = "".join(char for char in at if char.isdigit())
        entries = [entry for entry in entries if entry.capture.captured_at.strftime("%Y%m%d%H%M%S").startswith(digits)]
        if not entries or not digits:
            raise InputError(source_text(path), f"no capture taken at {at}")
    if len(entries) > 1:
        first, last = (entry.capture.captured_at.strftime("%Y-%m-%dT%H:%M:%SZ") for entry in (entries[0], entries[-1]))
        raise InputError(
            source_text(path),
            f"holds {len(entries)} captures ({first} to {last}); pick one by its capture time "
            "(show --at, diff --at-old/--at-new), or use timeline or report for all of them",
        )
    return entries[0]


def _load_text_file(path: Path, profile: Profile, captured: dt.datetime | None) -> Snapshot | None:
    """A plain UTF-8 capture file parsed as it is read, with its capture record; None for any other input."""
    try:
        if not path.is_file():
            return None
        head = head_of(path)
        if reader_of(head).name != file_reader.NAME or is_html(head) or is_feed(head):
            return None
    except (OSError, InputError, SnapshotError):
        return None
    found = next(file_reader.find(path, True))
    assert isinstance(found, Found)
    captured_at, time_source = _capture_time(found, None)
    provisional = None  # dates a page that shows no date of its own
    if captured_at is not None and time_source is not None:
        provisional = Capture(found.source, captured_at, time_source, "text/plain", "")
    elif captured is not None:
        provisional = Capture(found.source, captured, "user", "text/plain", "")
    snapshot = _load_streamed(path, source_text(path), profile, provisional)
    if snapshot is None:
        return None
    if captured_at is None or time_source is None:
        page_date = snapshot.captured if snapshot.header.date_line is not None else None
        captured_at, time_source = _dated_by_page_or_user(page_date, None, captured)
    capture = Capture(found.source, captured_at, time_source, "text/plain", _file_digest(path), url=found.url)
    return replace(snapshot, capture=capture)


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with opened(path) as file:
        while block := file.read(_HASH_BLOCK):
            digest.update(block)
    return "sha256:" + digest.hexdigest()
