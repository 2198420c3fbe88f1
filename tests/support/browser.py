"""A live Writer server in a thread and a headless Debian Chromium driven by Playwright.

Never downloads a browser: Playwright drives /usr/bin/chromium through `executable_path`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.support.factories import PASSWORD
from tests.support.services import missing_service

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"

__all__ = ["browser", "live_server", "page", "screenshot", "wait_for_idle_server", "web_login"]


class _InFlight:
    """Counts the live server's requests in progress, so a test can wait until none is left (a closing
    page still sends beacons and heartbeats; PostgreSQL's TRUNCATE between tests deadlocks with them)."""

    def __init__(self, app: Flask) -> None:
        self.app, self.count, self.lock = app, 0, threading.Lock()

    def __call__(self, environ, start_response):  # type: ignore[no-untyped-def]
        with self.lock:
            self.count += 1
        try:
            return list(self.app(environ, start_response))
        finally:
            with self.lock:
                self.count -= 1


_in_flight: _InFlight | None = None


def wait_for_idle_server(quiet_seconds: float = 0.3, timeout: float = 5.0) -> None:
    """Wait until the live server has had no request in progress for `quiet_seconds`."""
    import time

    deadline, quiet_since = time.monotonic() + timeout, None
    while _in_flight is not None and time.monotonic() < deadline:
        now = time.monotonic()
        if _in_flight.count:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = now
        elif now - quiet_since >= quiet_seconds:
            return
        time.sleep(0.02)


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[str]:
    """The test app served on a free loopback port, in a thread (same database as the test)."""
    global _in_flight
    _in_flight = _InFlight(app)
    server = make_server("127.0.0.1", 0, _in_flight, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        missing_service(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser, live_server: str) -> Iterator[object]:
    context = browser.new_context(base_url=live_server, viewport={"width": 1366, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield page
    finally:
        # Let requests still in flight finish before the database is emptied (PostgreSQL would wait on them).
        with contextlib.suppress(Exception):
            page.wait_for_load_state("networkidle", timeout=5_000)
        context.close()
        wait_for_idle_server()


@pytest.fixture
def screenshot(page, request: pytest.FixtureRequest) -> Callable[[str], Path]:
    """screenshot("step-name") saves tests/artifacts/<test>-<step>.png (git-ignored) and returns the path."""

    def _take(step: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{request.node.name}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _take


@pytest.fixture
def web_login(page) -> Callable[..., None]:
    """web_login(user): log in through the real login page in the browser."""

    def _login(user) -> None:
        page.goto("/login")
        page.get_by_label("Email").fill(user.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/")

    return _login
