"""Covid-19 and Ringkasan in a real browser: cards with numbers, charts drawn, the kecamatan
ranking from the URL, the overview's cards and freshness table, and never an error box."""
from __future__ import annotations

import re

from tests.browser.pw import assert_no_page_error, screenshot, wait_for_app

CARDS = ("() => Object.fromEntries([...document.querySelectorAll('[data-card]')]"
         ".map(c => [c.dataset.card, c.querySelector('.wr-value').textContent.trim()]))")


def test_covid_page_draws_cards_and_charts(app, page):
    page.goto(f"{app.url}/covid")
    wait_for_app(page, timeout_ms=180_000)
    page.wait_for_selector(".js-plotly-plot", timeout=120_000)
    assert_no_page_error(page, app)
    cards = page.evaluate(CARDS)
    assert set(cards) == {"active", "new", "deaths7", "positivity", "bor", "level"}
    # A whole number; "⚠" follows it when a sender disagrees with the producer on that day
    # (the demo puts one such conflict in its last three days).
    assert re.fullmatch(r"\d{1,3}(\.\d{3})*( ⚠)?", cards["active"]), cards["active"]
    assert cards["level"][:1] in "●▲◆■" and "Level" in cards["level"]
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 4",
                           timeout=120_000)
    assert "tingkat transmisi (asesmen ppkm)" in page.content().lower()
    assert "level ppkm resmi" not in page.content().lower().replace("bukan level ppkm resmi", "")
    screenshot(page, "covid")

    page.goto(f"{app.url}/covid?wilayah=73.71.07")
    wait_for_app(page, timeout_ms=180_000)
    page.wait_for_selector("table.wr-covid-rank", timeout=120_000)
    assert "Tallo" in page.locator("h1").first.inner_text()
    rows = page.locator("table.wr-covid-rank tbody tr").count()
    assert rows == 15                                         # Tallo's kelurahan
    assert "wilayah=73.71.07" in page.url


def test_ringkasan_shows_every_area_and_the_freshness_of_every_dataset(app, page):
    page.goto(f"{app.url}/ringkasan")
    wait_for_app(page, timeout_ms=180_000)
    page.wait_for_selector("table[data-table=freshness]", timeout=120_000)
    assert_no_page_error(page, app)
    cards = page.evaluate(CARDS)
    assert set(cards) == {"covid_level", "covid_active", "kinerja", "kinerja_late", "cctv", "menara", "aplikasi"}
    assert cards["cctv"].endswith("%")
    assert page.locator("table[data-table=freshness] tbody tr").count() == 8
    screenshot(page, "ringkasan")
