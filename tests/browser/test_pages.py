"""Every page in a real browser, as its intended role: no error box, content drawn,
restricted pages refuse anonymous direct URLs."""
from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.browser.pw import assert_no_page_error, screenshot, sign_in, wait_for_app

PUBLIC = ["ringkasan", "peta", "covid", "kinerja", "cctv"]
RESTRICTED = {"unggah": "staf_opd", "katalog": "pimpinan", "admin": "admin"}
# What each page must draw: a CSS selector and how many at least.
DRAWN = {
    "peta": ("[data-testid=stDeckGlJsonChart] canvas", 1),
    "covid": ("[data-testid=stPlotlyChart] svg.main-svg", 2),
    "kinerja": ("[data-testid=stPlotlyChart] svg.main-svg", 1),
    "cctv": ("img", 4),
}


# Traces drawn in each plotly chart on the page: an empty frame has none.
TRACES_PER_PLOT = ("() => [...document.querySelectorAll('.js-plotly-plot')]"
                   ".map(p => p.querySelectorAll('.cartesianlayer g.trace .point, .cartesianlayer g.trace path.js-line,"
                   " .cartesianlayer g.trace path.js-fill').length)")


@pytest.mark.parametrize("name", PUBLIC)
def test_public_page_opens_for_anonymous_without_error(app, page, name):
    page.goto(f"{app.url}/{name}")
    wait_for_app(page)
    expect(page.get_by_text("DATA DEMO").first).to_be_visible(timeout=30_000)
    if name in DRAWN:
        selector, at_least = DRAWN[name]
        # Pictures and charts arrive over a few reruns (camera snapshots are fetched by the
        # server): wait until enough are drawn, with a generous limit.
        page.wait_for_function(f"() => document.querySelectorAll({json.dumps(selector)}).length >= {at_least}",
                               timeout=90_000)
        if "Plotly" in selector:
            drawn = page.evaluate(TRACES_PER_PLOT)
            assert drawn and all(n > 0 for n in drawn), f"a chart was drawn empty: {drawn}"
    assert_no_page_error(page, app)
    screenshot(page, name)


@pytest.mark.parametrize("name", sorted(RESTRICTED))
def test_restricted_page_refuses_anonymous_direct_url(app, page, name):
    page.goto(f"{app.url}/{name}")
    wait_for_app(page)
    page.get_by_label("Kata sandi").wait_for(timeout=30_000)  # widgets draw after the run ends
    assert page.get_by_text("memerlukan akses masuk").count() == 1
    assert page.get_by_label("Kata sandi").count() == 1
    assert page.locator("[data-testid=stDataFrame], [data-testid=stTable], table").count() == 0  # no data
    assert_no_page_error(page, app)


@pytest.mark.parametrize("name,role", sorted(RESTRICTED.items()))
def test_restricted_page_opens_for_its_role(app, page, name, role):
    sign_in(page, app, role, path=name)
    assert page.get_by_text("memerlukan akses masuk").count() == 0
    assert_no_page_error(page, app)
    screenshot(page, name)
