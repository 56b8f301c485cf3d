"""WARC and ARC files (plain or gzipped record by record): their HTML and feed responses are captures.

Read with warcio, the reference reader of web archives. A file is read once,
in order, record by record: a response's payload is handed on with what was
found, so it is not read again until its snapshot is parsed, which seeks to
the record's offset. A `revisit` record (the crawler saw the same payload
again) is resolved by its payload digest to the response it repeats, read
earlier: it is an unchanged capture at its own time. A record cut short or a
damaged gzip member is skipped with a warning naming the file and offset,
and reading goes on at the next gzip member.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import io
import zlib
from collections.abc import Generator, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO

from diffcore._files import opened
from diffcore.errors import InputError, SnapshotError
from diffcore.inputs.found import Found, Revisit, Skipped
from diffcore.inputs.sniff import feed_type, http_charset, is_html
from diffcore.model import MediaType, Source

NAME = "warc"
HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES: dict[str, MediaType] = {
    "application/rss+xml": "application/rss+xml",
    "application/rdf+xml": "application/rss+xml",
    "application/atom+xml": "application/atom+xml",
    "application/feed+json": "application/feed+json",
}
"""The Content-Types of feeds, and the feed each says the record holds (its first bytes may say better)."""
GENERIC_TYPES = frozenset({"application/xml", "text/xml", "application/json", ""})
"""Content-Types a feed may be served as, or none: a feed when its first bytes say so."""
_GZIP_MAGIC = b"\x1f\x8b\x08"
_RECORD_START = b"\nWARC/1."
_RESYNC_BLOCK = 1 << 20
_LENGTH_WARNING = "Record not followed by newline"
"""warcio's warning that the record before did not end where its Content-Length says. Nothing else it prints
counts: its logger's warnings reach stderr too when the program has set up no logging."""


def sniff(head: bytes) -> bool:
    """Whether a file's first bytes are those of a WARC or ARC file, gzipped or not."""
    if head.startswith(_GZIP_MAGIC):
        try:
            head = zlib.decompressobj(31).decompress(head, 64)
        except zlib.error:
            return False
    return head.startswith((b"WARC/", b"filedesc://"))


def find(path: Path, explicit: bool, digests: dict[str, Found]) -> Iterator[Found | Skipped | Revisit]:
    """The HTML captures of a WARC or ARC file, and the records passed over.

    `digests` maps the payload digests of the responses read so far (in this
    file and the files before it) to their captures, for revisits to be
    resolved against.
    """
    with opened(path, InputError) as file:
        start: int | None = 0
        resumed = False
        while start is not None:
            file.seek(start)
            start = yield from _read_from(file, path, digests, resumed)
            resumed = True


def _read_from(
    file: BinaryIO, path: Path, digests: dict[str, Found], resumed: bool
) -> Generator[Found | Skipped | Revisit, None, int | None]:
    """Read records from the file's position on; where reading may resume after damage, or None at the end.

    Resuming after damage starts at the next bytes that look like a gzip
    member; if they are not one, reading moves on without a second warning.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    records = ArchiveIterator(file, arc2warc=True)
    start = file.tell()
    while True:
        try:
            with contextlib.redirect_stderr(io.StringIO()) as noise:  # warcio prints length warnings itself
                record = next(records, None)
            if record is None:
                if _unread(file, records.offset):
                    yield Skipped(f"{path} at offset {records.offset}", "damaged record: the file ends inside it")
                return None
            offset = records.offset  # not get_record_offset(), which reads the record to its end
            if _LENGTH_WARNING in noise.getvalue():
                yield Skipped(f"{path} at offset {offset}", "the record before it does not end where its length says")
            yield _examine(record, Source(str(path), offset), digests)
            continue
        except ArchiveLoadFailed as exc:
            if "non-chunked" in str(exc):
                raise InputError(
                    str(path),
                    "gzipped as one member for the whole file, so its records cannot be read one by one; "
                    "fix it with `warcio recompress FILE FIXED.warc.gz`",
                ) from None
            reason = _first_line(exc)
        except (zlib.error, EOFError, ValueError, IndexError, KeyError, OSError) as exc:
            reason = _first_line(exc) or type(exc).__name__
        offset = records.offset  # where the damaged record starts
        if not (resumed and offset == start):
            yield Skipped(f"{path} at offset {offset}", f"damaged record: {reason}")
        return _next_member(file, offset)


def _examine(record: Any, source: Source, digests: dict[str, Found]) -> Found | Skipped | Revisit:
    """One record as a capture, or why it is not one."""
    kind = record.rec_type
    where = source.describe()
    if kind == "revisit":
        return _revisit(record, source, digests)
    if kind != "response":
        return Skipped(where, f"{kind} record", warn=False)
    headers = record.http_headers
    if headers is None:
        return Skipped(where, "response without HTTP headers", warn=False)
    body = record.content_stream().read()
    record.raw_stream.read()
    missing = getattr(record.raw_stream, "limit", 0)
    if missing:
        return Skipped(where, f"damaged record: cut short, {missing} bytes missing")
    status = headers.get_statuscode()
    if status != "200":
        return Skipped(where, f"HTTP status {status}", warn=False)
    content_type = headers.get_header("Content-Type") or ""
    media_type = _media_type(content_type, body)
    if media_type is None:
        return Skipped(where, f"not HTML nor a feed ({content_type or 'no content type'})", warn=False)
    captured_at = _warc_date(record)
    if captured_at is None:
        return Skipped(where, "damaged record: no valid WARC-Date")
    found = Found(
        NAME,
        source,
        media_type,
        captured_at,
        "warc-date",
        url=record.rec_headers.get_header("WARC-Target-URI"),
        charset=http_charset(content_type),
        explicit=False,
        payload=body,
    )
    # Kept for the revisits that may follow, without the payload: a whole crawl must not stay in memory.
    digests.setdefault(_payload_digest(record, body), replace(found, payload=None))
    return found


def _media_type(content_type: str, body: bytes) -> MediaType | None:
    """An HTML page or a feed, by the record's Content-Type (a generic XML or JSON one by its body); else None."""
    kind = content_type.partition(";")[0].strip().lower()
    if kind.startswith(HTML_TYPES) or (not kind and is_html(body[:1024])):
        return "text/html"
    if kind in FEED_TYPES or kind in GENERIC_TYPES:
        return feed_type(body[:1024]) or FEED_TYPES.get(kind)
    return None


def _revisit(record: Any, source: Source, digests: dict[str, Found]) -> Found | Skipped | Revisit:
    """A revisit as an unchanged capture of the response it repeats, or why it cannot be one.

    Its response may be in a file read later: then it waits, as a `Revisit`,
    until every input has been read.
    """
    where = source.describe()
    url = record.rec_headers.get_header("WARC-Target-URI")
    status = record.http_headers.get_statuscode() if record.http_headers else None
    if status not in (None, "200"):
        return Skipped(where, f"revisit with HTTP status {status}", warn=False)
    captured_at = _warc_date(record)
    if captured_at is None:
        return Skipped(where, "damaged record: no valid WARC-Date")
    revisit = Revisit(source, record.rec_headers.get_header("WARC-Payload-Digest") or "", captured_at, url)
    return resolve(revisit, digests) if revisit.digest in digests else revisit


def resolve(revisit: Revisit, digests: dict[str, Found]) -> Found | Skipped:
    """A revisit as an unchanged capture of the response of its payload digest, if one was read."""
    source = revisit.source
    original = digests.get(revisit.digest)
    if original is None:
        return Skipped(
            source.describe(),
            f"unresolved revisit of {revisit.url}: the response it repeats is in none of the inputs",
        )
    held = original.source
    return Found(
        NAME,
        Source(
            source.path,
            source.offset,
            payload_offset=held.offset,
            payload_path=None if held.path == source.path else held.path,
        ),
        original.media_type,
        revisit.captured_at,
        "warc-date",
        url=revisit.url or original.url,
        charset=original.charset,
        explicit=False,
    )


def payload(source: Source) -> bytes:
    """The payload of the record at the source's offset (for a revisit, of the record it repeats)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    where = source.describe()
    offset = source.payload_offset if source.payload_offset is not None else source.offset
    with opened(Path(source.payload_path or source.path)) as file:
        file.seek(offset or 0)
        try:
            with contextlib.redirect_stderr(io.StringIO()):
                record = next(ArchiveIterator(file, arc2warc=True), None)
            if record is None or record.rec_type != "response":
                raise SnapshotError(where, "no response record at this offset (the file changed after it was read?)")
            body: bytes = record.content_stream().read()
        except (ArchiveLoadFailed, zlib.error, EOFError, ValueError, OSError) as exc:
            raise SnapshotError(where, f"damaged record: {_first_line(exc)}") from None
    return body


def _warc_date(record: Any) -> dt.datetime | None:
    text = (record.rec_headers.get_header("WARC-Date") or "").strip()
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _payload_digest(record: Any, body: bytes) -> str:
    """The record's WARC-Payload-Digest, which revisits name; computed (SHA-1, base 32) when it has none."""
    declared = record.rec_headers.get_header("WARC-Payload-Digest")
    return declared or "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def _next_member(file: BinaryIO, after: int) -> int | None:
    """Where reading can resume after a damaged record: the next gzip member, or in a plain WARC file the
    next line that starts a record; None if there is none."""
    file.seek(0)
    mark = _GZIP_MAGIC if file.read(len(_GZIP_MAGIC)) == _GZIP_MAGIC else _RECORD_START
    skip = 0 if mark == _GZIP_MAGIC else 1  # the line end before "WARC/1."
    position = after + 1
    file.seek(position)
    tail = b""
    while block := file.read(_RESYNC_BLOCK):
        found = (tail + block).find(mark)
        if found >= 0:
            return position - len(tail) + found + skip
        tail = block[-(len(mark) - 1) :]
        position += len(block)
    return None


def _unread(file: BinaryIO, offset: int) -> bool:
    """Whether bytes other than blank space follow where the reader stopped (a record cut inside its headers)."""
    file.seek(offset)
    return bool(file.read(_RESYNC_BLOCK).strip())


def _first_line(error: BaseException) -> str:
    """An error's first line, shortened: warcio quotes whole binary lines of a damaged record."""
    line = next((line.strip() for line in str(error).splitlines() if line.strip()), "")
    return line if len(line) <= 100 else line[:97] + "..."
