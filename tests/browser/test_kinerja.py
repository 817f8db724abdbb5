"""Kinerja OPD in a real browser: the traffic lights are drawn with a symbol in every cell,
the band filter in the URL narrows them, and the page never shows an error box."""
from __future__ import annotations

from tests.browser.pw import assert_no_page_error, screenshot, wait_for_app

GRID_CELLS = "() => [...document.querySelectorAll('table.wr-tl tbody tr')].map(r => [...r.cells].map(c => c.textContent))"


def test_traffic_lights_are_drawn_and_the_band_filter_narrows_them(app, page):
    page.goto(f"{app.url}/kinerja")
    wait_for_app(page, timeout_ms=120_000)
    page.wait_for_selector("table.wr-tl", timeout=120_000)
    assert_no_page_error(page, app)
    rows = page.evaluate(GRID_CELLS)
    assert len(rows) >= 10                       # the demo has 12 agencies
    assert all(len(r) == 13 for r in rows)       # agency + 12 months
    symbols = set("★●◆▼✖○–")
    assert all(cell.strip()[:1] in symbols for r in rows for cell in r[1:])  # never colour alone
    screenshot(page, "kinerja")

    page.goto(f"{app.url}/kinerja?kategori=kurang")
    wait_for_app(page, timeout_ms=120_000)
    page.wait_for_selector("table.wr-tl", timeout=120_000)
    narrowed = page.evaluate(GRID_CELLS)
    assert 0 < len(narrowed) < len(rows)
    assert all(r[-1].strip().startswith("▼") for r in narrowed)   # the chosen month's cell is 'kurang'
