"""Headless Chromium from the system, driven by Playwright's sync API (no browser download)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from playwright.sync_api import Browser, Playwright, sync_playwright

from tests.servers._proc import find_binary, require_binary

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str:
    """Return $MENTORMAIL_TEST_CHROMIUM, or the system chromium; fail loudly if missing."""
    configured = os.environ.get("MENTORMAIL_TEST_CHROMIUM")
    if configured:
        return configured
    return (
        find_binary("chromium")
        or find_binary("chromium-browser")
        or require_binary("chromium", "chromium")
    )


@dataclass
class RunningBrowser:
    """Playwright and the headless Chromium it launched."""

    playwright: Playwright = field(repr=False)
    browser: Browser

    def stop(self) -> None:
        """Close the browser and stop Playwright's driver."""
        try:
            self.browser.close()
        finally:
            self.playwright.stop()


def start_browser() -> RunningBrowser:
    """Launch headless Chromium with the flags known to work on these machines."""
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
    except BaseException:
        playwright.stop()
        raise
    return RunningBrowser(playwright=playwright, browser=browser)
