"""The HTML report in a real browser: Debian's headless chromium, driven by selenium.

Skipped (not failed) when /usr/bin/chromium or /usr/bin/chromedriver is
missing, or selenium is not installed. Nothing is downloaded: the driver and
the browser are always given by path, so Selenium Manager never runs.
Screenshots of every page go to the test's tmp_path.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from diffcore.folder import write_report
from diffcore.load import scan
from tests.browser import (
    CHROMEDRIVER,
    CHROMIUM,
    available,
    open_page,
    screenshot,
    settle,
    start_chromium,
)
from tests.paths import ORCHARD_DIR

KINDS = ("added", "dropped", "edited", "moved")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not available(), reason=f"needs {CHROMIUM} and {CHROMEDRIVER} (apt-get install chromium chromium-driver)"
    ),
]
webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium (pip install '.[test]')")
By = pytest.importorskip("selenium.webdriver.common.by").By


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    """One browser for the module's tests."""
    driver = start_chromium(tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The orchard report folder with HTML pages."""
    folder = tmp_path_factory.mktemp("report")
    write_report(scan([ORCHARD_DIR]), folder, html=True)
    return folder


def change_pages(report: Path) -> list[Path]:
    """The pair pages of a report folder, in order."""
    return sorted((report / "changes").glob("*.html"))


def pages(report: Path) -> list[Path]:
    """The index, then every pair page."""
    return [report / "index.html", *change_pages(report)]


def count(driver: webdriver.Chrome, selector: str) -> int:
    """How many elements match a CSS selector."""
    return len(driver.find_elements(By.CSS_SELECTOR, selector))


def test_every_page_loads_without_console_errors_and_is_photographed(
    browser: webdriver.Chrome, report: Path, tmp_path: Path
) -> None:
    for page in pages(report):
        entries = open_page(browser, page)
        assert [e for e in entries if e["level"] == "SEVERE"] == [], page.name
        shot = screenshot(browser, tmp_path / f"{page.stem}.png")
        assert shot.read_bytes().startswith(b"\x89PNG")


def test_injected_markup_never_runs_even_when_clicked(browser: webdriver.Chrome, report: Path) -> None:
    for page in pages(report):
        open_page(browser, page)
        browser.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert pwned(browser) == "undefined", page.name
        assert count(browser, "script, img, iframe, object, embed, a[href^='javascript']") == 0, page.name
        for element in browser.find_elements(By.XPATH, "//*[contains(text(), 'pwned')]"):
            element.click()
        settle(browser)
        assert pwned(browser) == "undefined", page.name


def pwned(driver: webdriver.Chrome) -> str:
    """typeof window.pwned: "undefined" unless injected markup ran."""
    return driver.execute_script("return typeof window.pwned")


def test_hostile_titles_show_as_written(browser: webdriver.Chrome, report: Path) -> None:
    open_page(browser, change_pages(report)[0])
    browser.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")
    text = browser.find_element(By.TAG_NAME, "body").text
    assert '<img src=x onerror="window.pwned=1">' in text
    assert "<script>window.pwned=1</script>Orchard open day" in text
    assert '<a href="javascript:window.pwned=1">click</a>' in text


def test_escaping_alone_keeps_the_pages_inert(browser: webdriver.Chrome, report: Path, tmp_path: Path) -> None:
    """Without their Content-Security-Policy the pages are just as inert; the same markup unescaped does run."""
    bare = Path(shutil.copytree(report, tmp_path / "bare"))
    for page in pages(bare):
        text = page.read_text(encoding="utf-8")
        start = text.index('<meta http-equiv="Content-Security-Policy"')
        page.write_text(text[:start] + text[text.index(">", start) + 1 :], encoding="utf-8")
        open_page(browser, page)
        browser.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")
        settle(browser)
        assert pwned(browser) == "undefined", page.name
    control = tmp_path / "control.html"
    control.write_text('<!DOCTYPE html><p><img src=x onerror="window.pwned=1"></p>', encoding="utf-8")
    open_page(browser, control)
    assert pwned(browser) == "number"


def test_counts_shown_match_the_json_reports(browser: webdriver.Chrome, report: Path) -> None:
    for page in change_pages(report):
        document = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
        expected = {**{kind: len(document[kind]) for kind in KINDS}, "unchanged": document["unchanged"]}
        open_page(browser, page)
        for kind, number in expected.items():
            shown = browser.find_element(By.ID, f"count-{kind}")
            assert int(shown.get_attribute("data-count")) == number, (page.name, kind)
            assert shown.text == str(number), (page.name, kind)
        for kind in ("added", "dropped", "edited"):
            assert count(browser, f"#{kind} ol.items > li") == expected[kind], (page.name, kind)
        assert count(browser, "#moved tbody tr") == expected["moved"], page.name
        assert count(browser, "#unchanged ol.items > li") == expected["unchanged"], page.name


def test_index_counts_match_the_json_reports(browser: webdriver.Chrome, report: Path) -> None:
    open_page(browser, report / "index.html")
    for number, page in enumerate(change_pages(report), start=1):
        document = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
        row = browser.find_element(By.ID, f"pair-{number}")
        for kind in KINDS:
            cell = row.find_element(By.CSS_SELECTOR, f"td[data-kind='{kind}']")
            assert cell.text == cell.get_attribute("data-count") == str(len(document[kind]))


def test_the_edit_shows_struck_and_underlined_words(browser: webdriver.Chrome, report: Path) -> None:
    open_page(browser, change_pages(report)[0])
    deleted = browser.find_element(By.CSS_SELECTOR, "#edited li del")
    inserted = browser.find_element(By.CSS_SELECTOR, "#edited li ins")
    assert deleted.text == "twelve." and inserted.text == "and pear"
    assert "line-through" in deleted.value_of_css_property("text-decoration-line")
    assert "underline" in inserted.value_of_css_property("text-decoration-line")


def test_unchanged_items_are_folded_until_opened(browser: webdriver.Chrome, report: Path) -> None:
    open_page(browser, change_pages(report)[0])
    items = browser.find_elements(By.CSS_SELECTOR, "details#unchanged ol.items > li")
    assert items and not any(item.is_displayed() for item in items)
    browser.find_element(By.CSS_SELECTOR, "details#unchanged > summary").click()
    assert all(item.is_displayed() for item in items)


def test_index_shows_both_charts_and_links_every_pair(browser: webdriver.Chrome, report: Path) -> None:
    open_page(browser, report / "index.html")
    for chart in ("timeline-chart", "counters-chart"):
        svg = browser.find_element(By.CSS_SELECTOR, f"#{chart} > svg")
        assert svg.size["width"] > 600 and svg.size["height"] > 200, chart
    hrefs = [
        a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "#pairs tbody tr td:first-child a")
    ]
    assert hrefs == [page.as_uri() for page in change_pages(report)]
    browser.find_element(By.CSS_SELECTOR, "#pair-2 a").click()
    assert browser.current_url == change_pages(report)[1].as_uri()
    assert browser.title == "Changes 2023-03-15 to 2023-04-12"
    browser.find_element(By.LINK_TEXT, "\u2191 All changes").click()
    assert browser.current_url == (report / "index.html").as_uri()


def test_a_stalled_counter_is_highlighted(browser: webdriver.Chrome, report: Path) -> None:
    open_page(browser, change_pages(report)[1])
    missed = browser.find_elements(By.CSS_SELECTOR, "#counters tr.miss")
    assert len(missed) == 1
    assert "NO, 28 days behind" in missed[0].text
    cell = missed[0].find_element(By.CSS_SELECTOR, "td")
    assert cell.value_of_css_property("background-color") != "rgba(0, 0, 0, 0)"
