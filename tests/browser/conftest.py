"""Browser tests: the app served for real, driven through the system Chromium by Playwright.

Every test here carries the `browser` marker (`pytest -m "not browser"` leaves them out).
Without Chromium the tests are skipped, except when CI is set: then they fail, so a CI run
cannot pass without having run them.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from werkzeug.serving import make_server

from fieldapp.extensions import db

CHROMIUM_DEFAULT = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    # Without these Chromium keeps trying to reach Google's servers (unreachable here).
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 740}
REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts" / "browser"

# The demo accounts of fieldapp.demo: username -> password.
DEMO_PASSWORDS = {
    "admin": "demo-admin-2026",
    "coordinator": "demo-coord-2026",
    "samira": "demo-samira-2026",
    "piotr": "demo-piotr-2026",
}


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


def _unavailable(message: str):
    """Skip, or fail when running in CI (a CI run must not pass without its browser tests)."""
    if os.environ.get("CI"):
        pytest.fail(message + " (CI is set, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(message)


# ---------------------------------------------------------------- the server


@pytest.fixture(scope="session")
def live_server(app):
    """The session's test app (SQLite file or PostgreSQL) served on a free local port."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield SimpleNamespace(url=f"http://127.0.0.1:{server.server_port}", app=app)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def demo(app):
    """The demo area, accounts and study "Samen in de buurt"; the tables are emptied after."""
    from fieldapp.demo import seed_demo

    with app.app_context():
        seed_demo()
        db.session.commit()
        db.session.remove()
    return SimpleNamespace(passwords=DEMO_PASSWORDS, study_title="Samen in de buurt")


# ---------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def chromium_path():
    """The Chromium to drive: $CHROMIUM_PATH, or Debian's /usr/bin/chromium."""
    executable = os.environ.get("CHROMIUM_PATH") or CHROMIUM_DEFAULT
    if not Path(executable).is_file():
        _unavailable(f"Chromium not found at {executable}; install Debian's chromium package")
    return executable


@pytest.fixture(scope="session")
def browser(chromium_path, live_server):
    """One Chromium for the session. It depends on live_server so that it is closed (and its
    keep-alive connections with it) before the server shuts down."""
    executable = chromium_path
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        try:
            chromium = playwright.chromium.launch(
                executable_path=executable, args=CHROMIUM_ARGS, headless=True
            )
        except PlaywrightError as error:
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
            _unavailable(
                f"Chromium at {executable} could not be started by Playwright ({first_line}); "
                "install Debian's chromium package"
            )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


@pytest.fixture
def new_page(browser, live_server):
    """Open a page in a fresh context (own cookies): new_page(locale="ar", width=320, ...).

    Defaults: a 360×740 phone, Dutch browser, JavaScript on. Relative URLs go to the live
    server. Every context is closed after the test.
    """
    contexts = []

    def make(locale="nl-NL", width=PHONE["width"], height=PHONE["height"], javascript=True):
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": height},
            screen={"width": width, "height": height},
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            locale=locale,
            timezone_id="Europe/Amsterdam",
            java_script_enabled=javascript,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(request, new_page):
    """A 360×740 phone page; parametrize indirectly with a dict to change it, e.g.
    `@pytest.mark.parametrize("page", [{"locale": "ar"}], indirect=True)`."""
    return new_page(**getattr(request, "param", {}))


@pytest.fixture
def screenshot():
    """screenshot(page, name): save a full-page PNG to test-artifacts/browser/<name>.png."""

    def take(page, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        # Written under a name of this worker's own, then renamed: with pytest-xdist another
        # process may write the same file at the same moment, and a reader never sees half.
        partial = path.with_name(f".{name}.{os.getpid()}.png")
        page.screenshot(path=str(partial), full_page=True)
        partial.replace(path)
        return path

    return take
