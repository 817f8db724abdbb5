"""Wall typography and screen sizes in Chromium (issue 19).

- No visible text below 24 px at 1080 CSS px high (48 px at 3840x2160): every text node on
  screen, HTML and the charts' SVG text, measured by its computed font size
  (warroom.wall_probe.FONTS; the exceptions are listed in docs/wall.md).
- size=auto and size=4k on a 4K TV at 200 % (1920x1080 CSS px, devicePixelRatio 2): the
  browser reports its viewport, the charts are drawn for 1080 CSS px and nothing is cut.
"""
from __future__ import annotations

import shutil

import pytest

from devtools.devserver import AppServer
from tests.browser.pw import screenshot
from warroom import wall, wall_probe

TIMEOUT_MS = 180_000
SCREENS = {"1080": ((1920, 1080), 1, "auto"), "4k": ((3840, 2160), 1, "auto"),
           "4k_dpr2": ((1920, 1080), 2, "4k")}

CHARTS = """() => [...document.querySelectorAll('.js-plotly-plot')]
  .filter(p => { let o = 1; for (let e = p; e && e !== document.body; e = e.parentElement)
                   o *= parseFloat(getComputedStyle(e).opacity); return o > 0; })
  .map(p => { const r = p.getBoundingClientRect();
              const ticks = [...p.querySelectorAll('.xtick text')].map(t => t.getBoundingClientRect().bottom);
              return {top: r.top, bottom: r.bottom, height: r.height, lowestTick: Math.max(0, ...ticks)}; })"""


@pytest.fixture(scope="module")
def fonts_app(demo_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("wall-fonts")
    path = folder / "warroom.duckdb"
    shutil.copy(demo_db, path)
    server = AppServer(path, folder / "server.log")
    yield server
    server.stop()


def open_panel(browser, app, name: str, screen: str):
    (w, h), dpr, size = SCREENS[screen]
    page = browser.new_page(viewport={"width": w, "height": h}, device_scale_factor=dpr)
    page.goto(f"{app.url}/layar?embed=true&panels={name}&refresh=3600&lang=id&size={size}")
    # The server has the browser's size (the swap element says so: this run draws at that
    # size) and the panel is complete at it.
    page.wait_for_function(f"() => window.__wrViewportSent === '{w}x{h}@{dpr:g}'", timeout=TIMEOUT_MS)
    page.wait_for_selector(f".wr-swap[data-viewport='{w}x{h}@{dpr:g}']", state="attached", timeout=TIMEOUT_MS)
    page.wait_for_function("() => document.querySelector('[data-testid=stApp]')"
                           ".getAttribute('data-test-script-state') === 'notRunning'"
                           " && document.querySelector('.wr-panel-end')", timeout=TIMEOUT_MS)
    page.wait_for_function(wall_probe.SNAPSHOT.replace("return wallFrame(); }", "return wallFrame().complete; }"),
                           timeout=TIMEOUT_MS)
    return page, h


@pytest.mark.parametrize("screen", ["1080", "4k"])
def test_no_visible_text_below_the_floor(browser, fonts_app, screen):
    smallest = {}
    for name in wall.PANELS:
        page, h = open_panel(browser, fonts_app, name, screen)
        fonts = page.evaluate(wall_probe.FONTS)
        screenshot(page, f"wall_{name}_{SCREENS[screen][0][0]}" + ("" if screen != "4k_dpr2" else "_dpr2"))
        page.close()
        assert len(fonts) >= 5, (name, fonts)                  # the panel's text was measured
        smallest[name] = (fonts[0]["px"], fonts[0]["text"])
    floor = 24 * SCREENS[screen][0][1] / 1080
    print(smallest)
    assert {n: s for n, s in smallest.items() if s[0] < floor} == {}


@pytest.mark.parametrize("name", ["covid", "peta"])
def test_a_4k_tv_at_200_percent_draws_charts_for_1080_css_px(browser, fonts_app, name):
    page, h = open_panel(browser, fonts_app, name, "4k_dpr2")
    charts = page.evaluate(CHARTS)
    fonts = page.evaluate(wall_probe.FONTS)
    screenshot(page, f"wall_{name}_1920_dpr2")
    page.close()
    assert charts, "no chart drawn"
    for c in charts:
        assert c["bottom"] <= h and c["height"] <= 0.8 * h, c        # not drawn twice too tall
        assert c["lowestTick"] <= h, c                              # the axis is on screen
    assert fonts[0]["px"] >= 24, fonts[0]


def test_size_auto_on_a_4k_screen_at_100_percent_draws_twice_as_large(browser, fonts_app):
    page, h = open_panel(browser, fonts_app, "covid", "4k")
    charts = page.evaluate(CHARTS)
    page.close()
    assert len(charts) == 2
    for c in charts:
        assert 0.5 * h <= c["height"] + 0.2 * h and c["bottom"] <= h, c
        assert c["height"] >= 2 * 400, c                            # 1440-px panel charts, not 720
