"""Capture times written in paths: Wayback's 14-digit timestamps and ISO dates in file names."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePath

_WAYBACK = re.compile(r"(?<!\d)(\d{14})(?!\d)")
_WORD = re.compile(r"[0-9A-Za-z]*")
_HEX = re.compile(r"[0-9a-fA-F]*[a-fA-F][0-9a-fA-F]*")
DIGEST_LENGTH = 12
"""A run of this many hex digits or more, letters among them, is a digest or a hash, not a date."""
# A date, then perhaps a time of day after T, _ or a space, then perhaps a UTC offset; never
# followed by more digits or a dash, so two dates in a name are not read as a date and a time.
_ISO = re.compile(
    r"(?<!\d)(?P<year>\d{4})-?(?P<month>\d{2})-?(?P<day>\d{2})"
    r"(?:[T_ ](?P<hour>[01]\d|2[0-3])[:.-]?(?P<minute>[0-5]\d)(?:[:.-]?(?P<second>[0-5]\d))?"
    r"(?P<zone>Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)?)?(?![\d-])"
)


def as_utc(moment: dt.datetime | dt.date | str) -> dt.datetime:
    """A capture time given by a user, as a UTC datetime: an ISO date or date-time (UTC unless it says
    otherwise), a date (its midnight) or a datetime (naive ones taken as UTC)."""
    if isinstance(moment, str):
        try:
            moment = dt.datetime.fromisoformat(moment.strip())
        except ValueError:
            raise ValueError(f"not an ISO date or date-time: {moment!r}") from None
    if not isinstance(moment, dt.datetime):
        if not isinstance(moment, dt.date):
            raise TypeError(f"a capture time is a datetime, a date or an ISO string, not {type(moment).__name__}")
        moment = dt.datetime.combine(moment, dt.time())
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def wayback_timestamp(text: str) -> dt.datetime | None:
    """A Wayback Machine timestamp (YYYYMMDDhhmmss, UTC) as a datetime, if it is a real moment."""
    try:
        return dt.datetime.strptime(text, "%Y%m%d%H%M%S").replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def time_from_path(path: PurePath) -> tuple[dt.datetime, str] | None:
    """The capture time a path names, and whether it came from a Wayback timestamp or the file name.

    The last path component that is a 14-digit timestamp wins (waybackpack's
    `DIR/20200807041741/www.example.org/index.html`, and the layouts of the
    other Wayback downloaders); else an ISO date or date-time in the file
    name (`2020-08-07.html`, `page_2020-08-07T04-17.txt`), taken as UTC.
    """
    for part in reversed(path.parts):
        for match in reversed(list(_WAYBACK.finditer(part))):
            if _in_digest(part, match.start()):
                continue
            moment = wayback_timestamp(match[1])
            if moment is not None:
                return moment, "wayback"
    for match in _ISO.finditer(path.name):
        if _in_digest(path.name, match.start()):
            continue
        try:
            moment = dt.datetime(
                int(match["year"]),
                int(match["month"]),
                int(match["day"]),
                int(match["hour"] or 0),
                int(match["minute"] or 0),
                int(match["second"] or 0),
                tzinfo=_zone(match["zone"]),
            ).astimezone(dt.UTC)
        except (ValueError, OverflowError):
            continue
        if 1990 <= moment.year <= 2200:
            return moment, "file-name"
    return None


def _in_digest(name: str, start: int) -> bool:
    """Whether the digits at `start` of `name` are part of a hex digest (`b5ac9fb21340412b.txt`).

    Captures are often named by a digest of their content or URL, in which a
    run of digits can read as a real date: such a name says nothing of when.
    The word around the digits (letters and digits, up to any other mark)
    tells: a long run of hex digits with letters among them is a digest.
    """
    begin = start
    while begin and name[begin - 1].isascii() and name[begin - 1].isalnum():
        begin -= 1
    word = _WORD.match(name, begin)
    text = word[0] if word else ""
    return len(text) >= DIGEST_LENGTH and _HEX.fullmatch(text) is not None


def _zone(text: str | None) -> dt.tzinfo:
    """The time zone of a UTC offset written in a file name (`Z`, `+03:00`, `-0500`); UTC when none is."""
    if not text or text == "Z":
        return dt.UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


_HOST = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d+)?$", re.IGNORECASE)
_PAGE_SUFFIXES = (".html", ".htm", ".php", ".asp", ".aspx", ".txt")


def _is_host(part: str) -> bool:
    return bool(_HOST.match(part)) and not part.lower().endswith(_PAGE_SUFFIXES)


def url_from_path(path: PurePath) -> str | None:
    """The page a Wayback download's path names: a host folder and the path below the timestamp.

    waybackpack writes `DIR/TIMESTAMP/HOST/PATH`; wayback-machine-downloader
    and pywaybackup write `DIR/HOST/TIMESTAMP/PATH`; `wget -x` of a Wayback URL
    writes `web.archive.org/web/TIMESTAMP/https:/HOST/PATH` (its `//` made one).
    """
    parts = path.parts
    for index in range(len(parts) - 1, -1, -1):
        if _WAYBACK.fullmatch(parts[index]) and index + 1 < len(parts):
            after = parts[index + 1 :]
            if after[0].lower() in ("http:", "https:") and len(after) > 1:
                after = after[1:]
            if _is_host(after[0]):
                return "/".join(after)
            if index > 0 and _is_host(parts[index - 1]):
                return "/".join((parts[index - 1], *after))
            return None
    return None


def page_key(url: str) -> str:
    """The page a URL names, as captures of it are grouped: scheme, `www.`, default port, index file and end slash aside."""
    key = url.strip().split("#", 1)[0]
    key = re.sub(r"^[a-z][a-z0-9+.-]*://", "", key, flags=re.IGNORECASE)
    host, slash, rest = key.partition("/")
    host = re.sub(r":(80|443)$", "", host.lower().removeprefix("www."))
    for index in ("index.html", "index.htm"):
        rest = rest.removesuffix(index)
    return (host + slash + rest).rstrip("/")
