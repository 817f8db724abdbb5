"""Browser fixtures: the app started as the README starts it (streamlit run server.py) on a
free port against a fresh demo database, and Debian's Chromium driven by playwright.

Chromium missing is a failure with instructions, never a skip (`make test` installs it).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from warroom.devserver import CHROMIUM_ARGS, ROOT, AppServer, build_demo_db, free_port  # noqa: F401


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """A fresh demo database file, built once per test session (copy it before writing to it)."""
    path = tmp_path_factory.mktemp("demo") / "warroom.duckdb"
    build_demo_db(path)
    return path


@pytest.fixture(scope="session")
def app(demo_db, tmp_path_factory):
    """The app serving a copy of the demo database, for read-only browser tests."""
    db = tmp_path_factory.mktemp("app") / "warroom.duckdb"
    shutil.copy(demo_db, db)
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


def wait_for_app(page, timeout_ms: int = 60_000) -> None:
    """Wait until Streamlit has connected and finished running the script."""
    page.wait_for_selector("[data-testid=stApp][data-test-connection-state=CONNECTED]", timeout=timeout_ms)
    page.wait_for_function(
        "() => { const a = document.querySelector('[data-testid=stApp]');"
        " return a && a.getAttribute('data-test-script-state') === 'notRunning'; }", timeout=timeout_ms)


def screenshot(page, name: str) -> Path | None:
    """Save docs/screenshots/<name>.png when WARROOM_SCREENSHOTS names a folder (make screenshots)."""
    folder = os.environ.get("WARROOM_SCREENSHOTS")
    if not folder:
        return None
    path = ROOT / folder / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))
    return path
