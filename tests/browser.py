"""Headless chromium for the browser tests and the README screenshots.

Debian's chromium and chromedriver are always given by path, so Selenium
Manager never downloads a browser or a driver. selenium is imported inside
the functions: importing this module needs neither it nor a browser.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from selenium.webdriver import Chrome

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
)
WIDTH = 1280
MAX_HEIGHT = 16000


def available() -> bool:
    """Whether Debian's chromium and its driver are installed."""
    return CHROMIUM.is_file() and CHROMEDRIVER.is_file()


def start_chromium(profile: Path) -> Chrome:
    """Headless chromium with a fresh profile folder, its console log kept."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={WIDTH},1000"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)


def settle(driver: Chrome) -> None:
    """Give the tasks a loaded page queued (a broken <img>'s onerror, its timers) a moment to run.

    The driver returns from `get` once the load event fired, after every
    image's load or error event; 50 ms lets what they queued run too.
    """
    driver.execute_async_script("const done = arguments[0]; setTimeout(done, 50);")


def open_page(driver: Chrome, page: Path) -> list[dict[str, object]]:
    """Load a page from disk, let pending events fire, and return its console entries."""
    driver.get_log("browser")  # drop whatever an earlier page left
    driver.get(page.resolve().as_uri())
    settle(driver)
    return driver.get_log("browser")


def screenshot(driver: Chrome, target: Path, height: int | None = None) -> Path:
    """A PNG of the page at WIDTH pixels: its full height, or the top `height` pixels."""
    full = driver.execute_script("return document.documentElement.scrollHeight")
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": WIDTH, "height": min(height or full, full, MAX_HEIGHT), "deviceScaleFactor": 1, "mobile": False},
    )
    try:
        driver.save_screenshot(str(target))
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    return target
