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


# One account per role in the `app` fixture's database (test-only password).
TEST_PASSWORD = "uji-peramban-2026"
TEST_USERS = {"admin": ("uji_admin", None), "pimpinan": ("uji_pimpinan", None),
              "staf_opd": ("uji_staf_dinkes", "DINKES")}


def add_test_users(db_path: Path) -> None:
    from warroom import auth, db
    con = db.connect(db_path)
    try:
        for role, (name, opd) in TEST_USERS.items():
            if not auth.get_user(con, name):
                auth.add_user(con, name, TEST_PASSWORD, role, opd)
    finally:
        con.close()


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


def wait_for_app(page, timeout_ms: int = 60_000) -> None:
    """Wait until Streamlit has connected and finished running the script."""
    page.wait_for_selector("[data-testid=stApp][data-test-connection-state=CONNECTED]", timeout=timeout_ms)
    page.wait_for_function(
        "() => { const a = document.querySelector('[data-testid=stApp]');"
        " return a && a.getAttribute('data-test-script-state') === 'notRunning'; }", timeout=timeout_ms)


def sign_in(page, app, role: str, path: str = "admin") -> None:
    """Open /<path> (a page that asks for sign-in) and sign in with the role's test account."""
    name, _ = TEST_USERS[role]
    page.goto(f"{app.url}/{path}")
    wait_for_app(page)
    page.get_by_label("Nama pengguna").fill(name)
    page.get_by_label("Kata sandi").fill(TEST_PASSWORD)
    button = page.get_by_role("button", name="Masuk", exact=True)
    button.click()
    # The rerun that signs in replaces the form: wait for that, not for a fixed time.
    button.wait_for(state="detached", timeout=60_000)
    wait_for_app(page)


def screenshot(page, name: str) -> Path | None:
    """Save docs/screenshots/<name>.png when WARROOM_SCREENSHOTS names a folder (make screenshots)."""
    folder = os.environ.get("WARROOM_SCREENSHOTS")
    if not folder:
        return None
    path = ROOT / folder / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))
    return path
