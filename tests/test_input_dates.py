"""Capture times and page URLs read from paths, and the page key captures are grouped by."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diffcore.inputs.dates import DIGEST_LENGTH, page_key, time_from_path, url_from_path

UTC = dt.UTC


@pytest.mark.parametrize(
    ("path", "moment", "source"),
    [
        (
            "caps/20200807041741/www.example.org/news/index.html",
            dt.datetime(2020, 8, 7, 4, 17, 41, tzinfo=UTC),
            "wayback",
        ),
        ("caps/www.example.org/20200807041741/news.html", dt.datetime(2020, 8, 7, 4, 17, 41, tzinfo=UTC), "wayback"),
        ("2020-08-07.html", dt.datetime(2020, 8, 7, tzinfo=UTC), "file-name"),
        ("20200807.txt", dt.datetime(2020, 8, 7, tzinfo=UTC), "file-name"),
        ("page_2020-08-07T04-17.txt", dt.datetime(2020, 8, 7, 4, 17, tzinfo=UTC), "file-name"),
        ("x_2020-08-07_0417.html", dt.datetime(2020, 8, 7, 4, 17, tzinfo=UTC), "file-name"),
        ("2021-03-04T10:15:00+03:00.html", dt.datetime(2021, 3, 4, 7, 15, tzinfo=UTC), "file-name"),
        ("a_2020-07-15_2020-08-07.html", dt.datetime(2020, 7, 15, tzinfo=UTC), "file-name"),  # two dates, no time
        ("2021-03-04 2021-05-06.html", dt.datetime(2021, 3, 4, tzinfo=UTC), "file-name"),
        ("capture20200807.txt", dt.datetime(2020, 8, 7, tzinfo=UTC), "file-name"),
        ("20200807b.txt", dt.datetime(2020, 8, 7, tzinfo=UTC), "file-name"),  # a second capture that day
        ("b5ac9fb2/2020-08-07.txt", dt.datetime(2020, 8, 7, tzinfo=UTC), "file-name"),
    ],
)
def test_capture_times_in_paths(path: str, moment: dt.datetime, source: str) -> None:
    assert time_from_path(PurePath(path)) == (moment, source)


@pytest.mark.parametrize("path", ["index.html", "notes.txt", "2020-02-31.html", "99999999999999/x.html", "v1.2.html"])
def test_paths_without_a_real_time(path: str) -> None:
    assert time_from_path(PurePath(path)) is None


@pytest.mark.parametrize(
    "path",
    [
        "b5ac9fb21340412b.txt",  # 2134-04-12 inside a content digest
        "0d21060901ffe3a7.html",
        "caps/3f2a20200807041741c9d0e1f2/index.html",  # a 14-digit run inside a hash is no Wayback timestamp
        "E3B0C44298FC1C1420200807.txt",
    ],
)
def test_digits_inside_a_digest_are_no_date(path: str) -> None:
    assert time_from_path(PurePath(path)) is None


@given(st.text("0123456789abcdef", min_size=DIGEST_LENGTH, max_size=40).filter(lambda name: not name.isdigit()))
def test_a_hex_digest_name_never_names_a_time(name: str) -> None:
    """Captures named by a digest are dated by their content, whatever digits the digest holds."""
    assert time_from_path(PurePath(f"caps/{name}.txt")) is None


def test_urls_of_wayback_downloads() -> None:
    assert (
        url_from_path(PurePath("d/20200807041741/www.example.org/news/index.html")) == "www.example.org/news/index.html"
    )
    assert (
        url_from_path(PurePath("d/www.example.org/20200807041741/news/index.html")) == "www.example.org/news/index.html"
    )
    assert url_from_path(PurePath("d/2020-08-07.html")) is None
    saved_by_wget = PurePath("web.archive.org/web/20200807041741/https:/www.example.org/news/index.html")
    assert url_from_path(saved_by_wget) == "www.example.org/news/index.html"


@pytest.mark.parametrize(
    "url",
    [
        "https://www.example.org/news/",
        "http://example.org/news",
        "HTTPS://WWW.EXAMPLE.ORG/news/index.html",
        "https://example.org:443/news/#latest",
        "example.org/news/index.htm",
    ],
)
def test_one_page_under_many_urls(url: str) -> None:
    assert page_key(url) == "example.org/news"


def test_pages_that_differ_keep_their_keys() -> None:
    keys = {
        page_key(url)
        for url in (
            "https://example.org/news/",
            "https://example.org/events/",
            "https://example.org/news/?p=2",
            "https://example.com/news/",
        )
    }
    assert len(keys) == 4
