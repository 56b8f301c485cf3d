"""WARC files of captures, well formed and damaged, written with warcio.

A `Record` describes one WARC record; the builders make the records a crawl of
the page holds (request and response pairs, revisits, redirects, a 404, an
image, warcinfo and metadata), `write_warc` writes them one gzip member a
record (the normal `.warc.gz`) or plain, `write_single_member_gzip` as one
gzip member for the whole file, and `damage` breaks a written file.

What warcio 1.8.1's `ArchiveIterator` does with each form, found by reading
the files this module writes (diffcore's WARC reader must cope with all):

- one gzip member a record: every record, `get_record_offset()` the start of
  its member;
- plain `.warc`: every record, offsets into the file;
- one gzip member for the whole file: the first record reads whole, then
  `ArchiveLoadFailed` ("non-chunked gzip file detected, gzip block continues
  beyond single record"); the other records are never reached;
- truncated inside record N, gzip or plain: NO error. Cut in N's payload, N is
  yielded and its payload reads short (fewer bytes than its Content-Length,
  which warcio does not check); cut in N's WARC headers, N is not yielded at
  all and iteration ends cleanly. Records before N read whole. A reader finds
  the damage only by comparing Content-Length with the bytes it read;
- corrupt bytes inside gzip member N: records before N read whole, then
  `ArchiveLoadFailed` ("Invalid WARC record, first line: \\x1f\\x8b...":
  warcio gives up inflating the member and reads it as plain text); there is
  no resynchronising on member N+1.

`warc_behaviour` reads a file and reports which of these happened, so the
tests check the notes above against the installed warcio.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import hashlib
import io
import struct
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Literal

from warcio.archiveiterator import ArchiveIterator  # type: ignore[import-untyped]
from warcio.exceptions import ArchiveLoadFailed  # type: ignore[import-untyped]
from warcio.statusandheaders import StatusAndHeaders  # type: ignore[import-untyped]
from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]

SOFTWARE = "diffcore-synthetic/1.0 (warcio)"

# A 1x1 transparent PNG, the image of `png_response`.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg=="
)


@dataclass(frozen=True)
class Record:
    """One WARC record to write.

    `kind` is the WARC-Type; `http` the status line and headers of an HTTP
    request or response (None for warcinfo, metadata); `body` the payload;
    `extra` more WARC headers (WARC-Refers-To-*, WARC-Payload-Digest of a
    revisit). `when` is the WARC-Date (UTC).
    """

    kind: str
    url: str | None
    when: dt.datetime
    body: bytes = b""
    http: tuple[str, tuple[tuple[str, str], ...]] | None = None
    content_type: str = ""
    extra: tuple[tuple[str, str], ...] = field(default=())


def warc_date(when: dt.datetime) -> str:
    """The WARC-Date form: "2020-08-07T04:17:41Z" (naive times are UTC)."""
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def payload_digest(body: bytes) -> str:
    """The WARC payload digest of a body: "sha1:" and the base32 SHA-1."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def _record_id(record: Record) -> str:
    """A deterministic WARC-Record-ID, from what the record says."""
    seed = f"{record.kind}|{record.url}|{warc_date(record.when)}|{payload_digest(record.body)}|{record.extra}"
    digest = hashlib.sha256(seed.encode("utf-8")).hexdigest()
    return f"<urn:uuid:{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}>"


def _http_date(when: dt.datetime) -> str:
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC)
    return when.strftime("%a, %d %b %Y %H:%M:%S GMT")


def html_response(url: str, when: dt.datetime, body: bytes, charset: str | None = None, status: int = 200) -> Record:
    """An HTTP response with an HTML body; `charset` goes in its Content-Type header."""
    content_type = "text/html" if charset is None else f"text/html; charset={charset}"
    reason = {200: "OK", 404: "Not Found", 500: "Internal Server Error"}.get(status, "OK")
    headers = (
        ("Date", _http_date(when)),
        ("Server", "nginx"),
        ("Content-Type", content_type),
        ("Content-Length", str(len(body))),
        ("Connection", "close"),
    )
    return Record("response", url, when, body, (f"{status} {reason}", headers), "application/http; msgtype=response")


def request(url: str, when: dt.datetime) -> Record:
    """The HTTP GET request of a capture."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    headers = (
        ("Host", parts.netloc),
        ("User-Agent", "Mozilla/5.0 (compatible; diffcore-synthetic)"),
        ("Accept", "text/html,application/xhtml+xml,*/*;q=0.8"),
        ("Connection", "close"),
    )
    return Record("request", url, when, b"", (f"GET {path} HTTP/1.1", headers), "application/http; msgtype=request")


def capture(url: str, when: dt.datetime, body: bytes, charset: str | None = None) -> list[Record]:
    """A request and its HTML response, the pair a crawler writes for one fetch."""
    return [request(url, when), html_response(url, when, body, charset)]


def revisit(url: str, when: dt.datetime, of: Record) -> Record:
    """A revisit of `of` (identical-payload-digest profile): headers only, the payload refers back."""
    if of.http is None:
        raise ValueError("a revisit refers to an HTTP response")
    extra = (
        ("WARC-Profile", "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"),
        ("WARC-Refers-To-Target-URI", of.url or url),
        ("WARC-Refers-To-Date", warc_date(of.when)),
        ("WARC-Refers-To", _record_id(of)),
        ("WARC-Payload-Digest", payload_digest(of.body)),
    )
    status, headers = of.http
    headers = tuple((name, _http_date(when) if name == "Date" else value) for name, value in headers)
    return Record("revisit", url, when, b"", (status, headers), "application/http; msgtype=response", extra)


def redirect(url: str, when: dt.datetime, location: str) -> Record:
    """A 301 to `location`, with the short HTML body servers send."""
    body = f'<html><body>Moved to <a href="{location}">{location}</a></body></html>\n'.encode()
    headers = (
        ("Date", _http_date(when)),
        ("Location", location),
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Length", str(len(body))),
    )
    return Record("response", url, when, body, ("301 Moved Permanently", headers), "application/http; msgtype=response")


def not_found(url: str, when: dt.datetime) -> Record:
    """A 404 with an HTML body."""
    body = b"<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>\n"
    return html_response(url, when, body, "utf-8", status=404)


def png_response(url: str, when: dt.datetime) -> Record:
    """A 200 image/png response."""
    headers = (("Date", _http_date(when)), ("Content-Type", "image/png"), ("Content-Length", str(len(PNG))))
    return Record("response", url, when, PNG, ("200 OK", headers), "application/http; msgtype=response")


def warcinfo(when: dt.datetime | None = None, filename: str = "captures.warc.gz") -> Record:
    """The warcinfo record that opens a WARC file."""
    when = when or dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    body = f"software: {SOFTWARE}\r\nformat: WARC File Format 1.1\r\nfilename: {filename}\r\n".encode()
    return Record("warcinfo", None, when, body, None, "application/warc-fields")


def metadata(url: str, when: dt.datetime) -> Record:
    """A metadata record about a capture (outlinks, as crawlers write)."""
    body = f"via: {url}\r\nhopsFromSeed: \r\noutlink: {url}about-us/ L a/@href\r\n".encode()
    return Record("metadata", url, when, body, None, "application/warc-fields")


def _write_record(writer: WARCWriter, record: Record) -> None:
    warc_headers: dict[str, str] = {
        "WARC-Date": warc_date(record.when),
        "WARC-Record-ID": _record_id(record),
    }
    extra = dict(record.extra)
    # warcio writes these four of a revisit itself, from its arguments.
    written = ("WARC-Profile", "WARC-Payload-Digest", "WARC-Refers-To-Target-URI", "WARC-Refers-To-Date")
    warc_headers.update(
        {name: value for name, value in extra.items() if record.kind != "revisit" or name not in written}
    )
    http_headers = None
    if record.http is not None:
        status, headers = record.http
        protocol = "HTTP/1.1" if record.kind != "request" else ""
        http_headers = StatusAndHeaders(
            status, list(headers), protocol=protocol, is_http_request=record.kind == "request"
        )
    length = len(record.body) if record.body else 0
    if record.kind == "revisit":
        warc_record = writer.create_revisit_record(
            record.url,
            digest=extra["WARC-Payload-Digest"],
            refers_to_uri=extra["WARC-Refers-To-Target-URI"],
            refers_to_date=extra["WARC-Refers-To-Date"],
            http_headers=http_headers,
            warc_headers_dict=warc_headers,
        )
    else:
        warc_record = writer.create_warc_record(
            record.url or "",
            record.kind,
            payload=io.BytesIO(record.body),
            length=length,
            warc_content_type=record.content_type,
            warc_headers_dict=warc_headers,
            http_headers=http_headers,
        )
    if record.kind == "warcinfo":
        warc_record.rec_headers.remove_header("WARC-Target-URI")
    writer.write_record(warc_record)


def write_warc(path: str | Path, records: Iterable[Record], gzip_records: bool = True) -> Path:
    """Write records as a WARC file: one gzip member a record (the normal form), or plain.

    The records are written as they come, so a large file never has to be
    held in memory.
    """
    path = Path(path)
    with path.open("w+b") as out:
        writer = WARCWriter(out, gzip=gzip_records, warc_version="WARC/1.1")
        for record in records:
            start = out.tell()
            _write_record(writer, record)
            if gzip_records:
                _zero_mtime(out, start)
    return path


def _zero_mtime(out: BinaryIO, start: int) -> None:
    """Zero the MTIME of the gzip member written from `start` on, so the same records give the same bytes."""
    end = out.tell()
    out.seek(start + 4)
    out.write(b"\0\0\0\0")
    out.seek(end)


def member_offsets(data: bytes) -> list[int]:
    """Where each gzip member of `data` starts."""
    starts = []
    at = 0
    while at < len(data):
        starts.append(at)
        inflater = zlib.decompressobj(wbits=31)
        inflater.decompress(data[at:])
        if not inflater.eof:
            break
        at = len(data) - len(inflater.unused_data)
    return starts


def write_single_member_gzip(path: str | Path, records: Iterable[Record]) -> Path:
    """Write records as a plain WARC compressed as ONE gzip member: the bad form."""
    path = Path(path)
    plain = io.BytesIO()
    writer = WARCWriter(plain, gzip=False, warc_version="WARC/1.1")
    for record in records:
        _write_record(writer, record)
    path.write_bytes(gzip.compress(plain.getvalue(), mtime=0))
    return path


def record_offsets(path: str | Path) -> list[int]:
    """The offset of every record warcio finds (`get_record_offset()`)."""
    offsets = []
    with Path(path).open("rb") as stream:
        iterator = ArchiveIterator(stream)
        for record in iterator:
            record.content_stream().read()
            offsets.append(iterator.get_record_offset())
    return offsets


def damage(path: str | Path, at_record: int, how: Literal["truncate", "corrupt"] = "truncate") -> Path:
    """Break record `at_record` (0-based) of a written WARC file in place.

    "truncate" cuts the file in the middle of that record's bytes (its gzip
    member, or its plain bytes); "corrupt" overwrites bytes in the middle of
    its compressed data (gzip files only), past the member's header.
    """
    path = Path(path)
    data = path.read_bytes()
    gzipped = data[:2] == b"\x1f\x8b"
    starts = member_offsets(data) if gzipped else record_offsets(path)
    if not 0 <= at_record < len(starts):
        raise IndexError(f"no record {at_record} in {path.name} ({len(starts)} records)")
    start = starts[at_record]
    end = starts[at_record + 1] if at_record + 1 < len(starts) else len(data)
    middle = start + (end - start) // 2
    if how == "truncate":
        path.write_bytes(data[:middle])
    elif how == "corrupt":
        if not gzipped:
            raise ValueError("corrupt breaks a gzip member; this file is not gzipped")
        broken = bytearray(data)
        header = 10  # the fixed gzip header warcio writes (no name, no comment)
        at = max(start + header, middle - 8)
        broken[at : at + 16] = struct.pack(">4I", 0xDEADBEEF, 0xFEEDFACE, 0x0BADF00D, 0xCAFEBABE)
        path.write_bytes(bytes(broken))
    else:
        raise ValueError(f"unknown damage {how!r}")
    return path


@dataclass
class Behaviour:
    """What warcio did with a file: the records read whole, and how reading ended."""

    records: list[tuple[str, str | None, int, int]]
    """(WARC-Type, WARC-Target-URI, Content-Length, content bytes read) for every record yielded."""
    error: str | None
    """The exception class that ended reading, or None for a clean end."""

    @property
    def short(self) -> list[int]:
        """The indexes of the records read shorter than their Content-Length."""
        return [n for n, (_, _, declared, read) in enumerate(self.records) if read < declared]


def warc_behaviour(path: str | Path) -> Behaviour:
    """Read a WARC file with warcio's ArchiveIterator to its end or first error."""
    found: list[tuple[str, str | None, int, int]] = []
    error: str | None = None
    with Path(path).open("rb") as stream:
        try:
            for record in ArchiveIterator(stream):
                kind = record.rec_type
                uri = record.rec_headers.get_header("WARC-Target-URI")
                declared = int(record.rec_headers.get_header("Content-Length") or 0)
                http = record.http_headers.to_bytes() if record.http_headers is not None else b""
                found.append((kind, uri, declared, len(http) + len(record.content_stream().read())))
        except (ArchiveLoadFailed, EOFError, zlib.error, OSError, ValueError) as exc:
            error = type(exc).__name__
    return Behaviour(found, error)


def crawl(url: str, captures: Sequence[tuple[dt.datetime, bytes]], charset: str | None = "utf-8") -> list[Record]:
    """A crawl of a page: warcinfo, a request/response pair and metadata per capture."""
    records: list[Record] = [warcinfo(captures[0][0] if captures else None)]
    for when, body in captures:
        records.extend(capture(url, when, body, charset))
        records.append(metadata(url, when))
    return records
