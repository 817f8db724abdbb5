"""Browser fixtures: the app started as the README starts it (streamlit run server.py) on a
free port against a fresh demo database, and Debian's Chromium driven by playwright.

Chromium missing is a failure with instructions, never a skip (`make test` installs it).
Helpers live in tests/browser/pw.py; nothing is imported from this file. Importing pw pins
the calendar day (WARROOM_TODAY) before any server or demo database is made.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from devtools.devserver import CHROMIUM_ARGS, AppServer, build_demo_db
from tests.browser import pw
from tests.browser.pw import add_test_users, assert_no_page_error_logged


def pytest_collection_modifyitems(items):
    for item in items:
        item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def no_page_error_in_any_server_log(request):
    """A page that raised fails its test even though the app's handler hid the exception box:
    after every browser test, every server's log since the test began is read for page errors."""
    offsets = {server: server.log_size() for server in AppServer.started}
    pw.LOG_OFFSETS.clear()
    pw.LOG_OFFSETS.update(offsets)
    yield
    if request.node.get_closest_marker("page_error_expected") is None:
        assert_no_page_error_logged(offsets)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """A fresh demo database file, built once per test session (copy it before writing to it)."""
    path = tmp_path_factory.mktemp("demo") / "warroom.duckdb"
    build_demo_db(path)
    return path


@pytest.fixture(scope="session")
def app(demo_db, tmp_path_factory):
    """The app serving a copy of the demo database (with one test account per role)."""
    db = tmp_path_factory.mktemp("app") / "warroom.duckdb"
    shutil.copy(demo_db, db)
    add_test_users(db)
    server = AppServer(db, db.parent / "server.log")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        pytest.fail("Chromium is needed for the browser tests: run `sudo apt-get install -y chromium` "
                    "(make test does this automatically when run as root).")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh 1920x1080 browser tab (its own context: no cookies or session shared)."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    p = context.new_page()
    yield p
    context.close()
