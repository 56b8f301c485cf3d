"""Every form of an archive of text captures: HTML pages, Wayback folders, a WARC file, a git history.

    python -m synthetic.forms SRC OUT [--url URL] [--site NAME]

SRC is a folder of text captures (`*.txt`, such as examples/archive). Each is
read with `diffcore.load.load` and written back as HTML with
`synthetic.html.snapshot_html`, so every form holds the page text of the same
snapshot. A capture's time is its page date at 12:00 UTC plus its index in
date order in minutes (captures of one day differ). OUT must not exist or be
empty; it receives:

- `html/<date>.html`: the raw page (`<date>_2.html` for a second capture of a day);
- `wayback/<TIMESTAMP>/<host>/<path>/index.html`: the view mode with the
  toolbar, in waybackpack's folder layout, with stray files beside the
  captures (`wayback/README.txt`, a `logo.png` and a `style.css` beside the
  first capture);
- `waybackpack/<TIMESTAMP>/<host>/<path>/index.html`: the raw `id_` form;
- `captures.warc.gz`: warcinfo, a request and response per capture (a revisit
  record when a capture repeats an earlier page), a 404, a redirect and an image;
- `git/`: a repository committing `scrape/index.html` once per capture at its
  capture time, with commits to other files between.

A JSON summary of what was written goes to standard output. The same SRC gives
the same files, byte for byte (the git commit ids included).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from diffcore.load import load
from diffcore.model import Snapshot
from synthetic import warcs
from synthetic.gitrepo import build_repo
from synthetic.html import BASE_URL, SITE, snapshot_html, wayback_timestamp, wayback_view, waybackpack_raw

GIT_PATH = "scrape/index.html"


@dataclass(frozen=True)
class Source:
    """One text capture of SRC, its snapshot, capture time and page."""

    path: Path
    snapshot: Snapshot
    when: dt.datetime
    page: str


def capture_time(date: dt.date, index: int) -> dt.datetime:
    """The capture time of the index-th capture (date order): its date at 12:00 UTC plus index minutes."""
    return dt.datetime(date.year, date.month, date.day, 12, tzinfo=dt.UTC) + dt.timedelta(minutes=index)


def read_sources(src: Path, *, url: str = BASE_URL, site: str = SITE) -> list[Source]:
    """The text captures of a folder in date order (then name), with their times and pages."""
    snapshots = sorted(
        ((load(path), path) for path in sorted(src.glob("*.txt"))), key=lambda found: (found[0].captured, found[1].name)
    )
    return [
        Source(path, snapshot, capture_time(snapshot.captured, index), snapshot_html(snapshot, site=site, base_url=url))
        for index, (snapshot, path) in enumerate(snapshots)
    ]


def _url_folder(url: str) -> Path:
    """waybackpack's HOST/PATH folder of a URL, its page file `index.html` inside."""
    parts = urlsplit(url)
    path = parts.path.strip("/")
    return Path(parts.netloc, *path.split("/")) if path else Path(parts.netloc)


def _write(path: Path, data: bytes) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path.as_posix()


STRAY_README = """Downloaded with waybackpack from the Wayback Machine.
Captures are in TIMESTAMP/HOST/PATH/index.html; the files beside them are not captures.
"""
STRAY_CSS = "body{font-family:Georgia,serif}\n.site-header{background:#0b2a45}\n"


def build_forms(src: Path, out: Path, *, url: str = BASE_URL, site: str = SITE) -> dict[str, object]:
    """Write every form of the captures in `src` into `out`; a summary of what was written."""
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} exists and is not empty")
    sources = read_sources(src, url=url, site=site)
    if not sources:
        raise FileNotFoundError(f"no *.txt captures in {src}")
    out.mkdir(parents=True, exist_ok=True)

    def rel(path: str) -> str:
        return Path(path).relative_to(out).as_posix()

    written: dict[str, list[str]] = {"html": [], "wayback": [], "waybackpack": []}
    days: dict[dt.date, int] = {}
    for source in sources:
        date = source.snapshot.captured
        days[date] = days.get(date, 0) + 1
        name = f"{date.isoformat()}.html" if days[date] == 1 else f"{date.isoformat()}_{days[date]}.html"
        written["html"].append(rel(_write(out / "html" / name, source.page.encode("utf-8"))))
        stamp = wayback_timestamp(source.when)
        folder = Path(stamp) / _url_folder(url)
        view = wayback_view(source.page, url, stamp)
        written["wayback"].append(rel(_write(out / "wayback" / folder / "index.html", view.encode("utf-8"))))
        raw = waybackpack_raw(source.page, url, stamp)
        written["waybackpack"].append(rel(_write(out / "waybackpack" / folder / "index.html", raw.encode("utf-8"))))
    first = out / "wayback" / wayback_timestamp(sources[0].when) / _url_folder(url)
    strays = [
        _write(out / "wayback" / "README.txt", STRAY_README.encode("utf-8")),
        _write(first / "logo.png", warcs.PNG),
        _write(first / "style.css", STRAY_CSS.encode("utf-8")),
    ]

    records = _warc_records(sources, url)
    warc = warcs.write_warc(out / "captures.warc.gz", records)

    commits = _git_commits(sources)
    build_repo(out / "git", commits)

    return {
        "source": str(src),
        "out": str(out),
        "url": url,
        "captures": [
            {"file": s.path.name, "captured": s.snapshot.captured.isoformat(), "time": s.when.isoformat()}
            for s in sources
        ],
        **written,
        "stray": [rel(path) for path in strays],
        "warc": {"path": rel(str(warc)), "records": len(records), "types": [r.kind for r in records]},
        "git": {"path": "git", "file": GIT_PATH, "commits": len(commits)},
    }


def _warc_records(sources: Sequence[Source], url: str) -> list[warcs.Record]:
    """warcinfo, a request and response per capture (a revisit when its payload was seen), a 404, a redirect, an image.

    As a deduplicating crawler writes them: a capture whose page is the same
    as an earlier one's is a revisit of that response, so the archive holds
    exactly the captures of SRC.
    """
    records = [warcs.warcinfo(sources[0].when)]
    responses: dict[bytes, warcs.Record] = {}
    for source in sources:
        body = source.page.encode("utf-8")
        if body in responses:
            records += [warcs.request(url, source.when), warcs.revisit(url, source.when, responses[body])]
            continue
        pair = warcs.capture(url, source.when, body, "utf-8")
        records.extend(pair)
        responses[body] = pair[1]
    last = sources[-1].when
    root = f"{urlsplit(url).scheme}://{urlsplit(url).netloc}/"
    records.append(warcs.not_found(root + "news/missing-page/", last + dt.timedelta(hours=1, minutes=1)))
    records.append(warcs.redirect(root.replace("://www.", "://", 1), last + dt.timedelta(hours=1, minutes=2), root))
    records.append(warcs.png_response(root + "static/img/logo.png", last + dt.timedelta(hours=1, minutes=3)))
    return records


def _git_commits(sources: Sequence[Source]) -> list[tuple[dt.datetime, str, bytes]]:
    """The page once per capture, a README first and a workflow and notes between captures."""
    first = sources[0].when
    commits: list[tuple[dt.datetime, str, bytes]] = [
        (first - dt.timedelta(days=1), "README.md", b"# Saltmere scrape\n\nThe news page, scraped on a schedule.\n"),
        (
            first - dt.timedelta(hours=23),
            ".github/workflows/scrape.yml",
            b"on:\n  schedule:\n    - cron: '0 12 * * *'\njobs:\n  scrape:\n    runs-on: ubuntu-latest\n",
        ),
    ]
    for index, source in enumerate(sources):
        commits.append((source.when, GIT_PATH, source.page.encode("utf-8")))
        if index % 3 == 1:
            note = f"checked {source.snapshot.captured.isoformat()}\n".encode()
            commits.append((source.when + dt.timedelta(seconds=30), "notes.txt", note))
    return commits


def main(argv: Sequence[str] | None = None) -> int:
    """The command line: write the forms and print the summary."""
    parser = argparse.ArgumentParser(prog="python -m synthetic.forms", description=__doc__.splitlines()[0])
    parser.add_argument("src", type=Path, help="folder of text captures (*.txt)")
    parser.add_argument("out", type=Path, help="folder to write (must not exist or be empty)")
    parser.add_argument("--url", default=BASE_URL, help=f"the page's URL (default {BASE_URL})")
    parser.add_argument("--site", default=SITE, help=f"the site's name in the chrome (default {SITE!r})")
    args = parser.parse_args(argv)
    try:
        summary = build_forms(args.src, args.out, url=args.url, site=args.site)
    except (FileExistsError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    json.dump(summary, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
