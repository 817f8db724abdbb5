"""The CCTV page in Chromium (issue 19): a scroll on the page, seen by the browser, pauses the
grid's page rotation; the pause button is there."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.pw import wait_for_app


def test_a_scroll_pauses_the_rotation_for_a_minute(app, page):
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{app.url}/cctv")
    wait_for_app(page, 120_000)
    expect(page.get_by_role("button", name="Jeda rotasi")).to_be_visible(timeout=60_000)
    note = page.get_by_text("berganti setiap 15 detik")
    expect(note).to_be_visible(timeout=60_000)
    page.mouse.move(700, 500)
    page.mouse.wheel(0, 400)
    expect(page.get_by_text("rotasi dijeda 60 detik setelah klik atau gulir")).to_be_visible(timeout=60_000)
