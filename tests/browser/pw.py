"""Helpers for the browser tests (the fixtures are in conftest.py; nothing is imported from it).

The app's error handler (server.py `on_script_error`) replaces Streamlit's exception box with
its own warning and logs "page error" with the traceback, so a crashing page never shows
`stException`. Every check here therefore looks at three things: the box, the app's own
warning, and the server log. tests/browser/test_error_checks.py proves they catch a page
that raises on purpose.
"""
from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

from playwright.sync_api import expect

from devtools.devserver import ROOT, AppServer
from warroom.ui.page import PAGE_ERROR_TEXT

# The calendar day every browser test runs on: $WARROOM_TODAY when set, else this pinned day.
# The app's servers get it through their environment (devtools.devserver passes it on), so the
# demo ends on it and every "today" on screen is it, whatever the wall clock says.
PINNED_TODAY = "2026-11-28"
TODAY = date.fromisoformat(os.environ.setdefault("WARROOM_TODAY", PINNED_TODAY))

# One account per role in the `app` fixture's database (test-only password).
TEST_PASSWORD = "uji-peramban-2026"
TEST_USERS = {"admin": ("uji_admin", None), "pimpinan": ("uji_pimpinan", None),
              "staf_opd": ("uji_staf_dinkes", "DINKES")}

# What a failing page or wall panel leaves in the server log.
PAGE_ERROR_LOG = re.compile(r"page error|wall: panel \S+ failed")
PAGE_ERROR_SHOWN = PAGE_ERROR_TEXT.split(";")[0]


def add_test_users(db_path: Path) -> None:
    from warroom import auth, db
    con = db.connect(db_path)
    try:
        for role, (name, opd) in TEST_USERS.items():
            if not auth.get_user(con, name):
                auth.add_user(con, name, TEST_PASSWORD, role, opd)
    finally:
        con.close()


def wait_for_app(page, timeout_ms: int = 60_000) -> None:
    """Wait until Streamlit has connected, drawn something and finished running the script
    (before the first run the state also reads notRunning: an element drawn proves a run)."""
    page.wait_for_selector("[data-testid=stApp][data-test-connection-state=CONNECTED]", timeout=timeout_ms)
    page.wait_for_function(
        "() => { const a = document.querySelector('[data-testid=stApp]');"
        " return a && a.getAttribute('data-test-script-state') === 'notRunning'"
        " && document.querySelector('[data-testid=stMain] [data-testid=stElementContainer]') !== null; }",
        timeout=timeout_ms)


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
    # Signing in ends its run with st.rerun(): between the two runs the app reads "not running"
    # for a moment, and a test acting then is undone when the page's run redraws it. Only the
    # second run writes who is signed in in the sidebar (attached: a narrow screen folds it away).
    expect(page.locator("[data-testid=stSidebar]").get_by_text(f"{name} (")).to_be_attached(timeout=60_000)
    wait_for_app(page)


def choose(page, key: str, option: str) -> None:
    """Pick `option` in the selectbox with widget key `key` by typing it into the box (the list
    is drawn in part, so a long one must be filtered first). Typing goes to the input itself,
    not to wherever the mouse lands: a click on the box while the page still lays itself out
    can land beside it, and the typed name is then lost."""
    box = page.locator(f".st-key-{key} input[role=combobox]")
    box.press_sequentially(option)
    page.get_by_role("option", name=option, exact=True).click()
    expect(box).to_have_value(option)
    wait_for_app(page)


def poll_until(page, probe, timeout_s: float = 120, every_ms: int = 500):
    """Call probe() until it returns something truthy (for states `expect` cannot see, such
    as the pixels of a canvas); returns the last value, truthy or not, at the limit."""
    value = probe()
    for _ in range(int(timeout_s * 1000 / every_ms)):
        if value:
            break
        page.wait_for_timeout(every_ms)
        value = probe()
    return value


def page_error_lines(log_text: str) -> list[str]:
    return [line for line in log_text.splitlines() if PAGE_ERROR_LOG.search(line)]


# Each server's log size when the running test began (set by conftest's autouse fixture).
LOG_OFFSETS: dict[AppServer, int] = {}


def assert_no_page_error(page, server: AppServer | None = None) -> None:
    """No exception box, none of the app's own error warnings on screen, and (given a server)
    no page error in its log since this test began. Call it once the page has finished running."""
    boxes = page.locator("[data-testid=stException]").count()
    assert boxes == 0, f"{boxes} exception box(es) on {page.url}"
    warnings = page.get_by_text(PAGE_ERROR_SHOWN).count()
    assert warnings == 0, f"the app's error warning is shown on {page.url}"
    assert "Traceback" not in page.inner_text("body"), f"a traceback is shown on {page.url}"
    if server is not None:
        lines = page_error_lines(server.log_since(LOG_OFFSETS.get(server, 0)))
        assert not lines, "page errors in the server log:\n" + "\n".join(lines)


def assert_no_page_error_logged(offsets: dict[AppServer, int]) -> None:
    """No page error in the log of any server started so far, after its recorded offset
    (servers started after the offsets were taken are read from the start)."""
    found = []
    for server in AppServer.started:
        lines = page_error_lines(server.log_since(offsets.get(server, 0)))
        found += [f"{server.url}: {line}" for line in lines]
    assert not found, "page errors in the server log:\n" + "\n".join(found)


def screenshot(page, name: str) -> Path | None:
    """Save docs/screenshots/<name>.png when WARROOM_SCREENSHOTS names a folder (make screenshots)."""
    folder = os.environ.get("WARROOM_SCREENSHOTS")
    if not folder:
        return None
    path = ROOT / folder / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))
    return path
