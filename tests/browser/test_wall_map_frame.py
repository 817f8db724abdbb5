"""The map's frame in Chromium (issue 19): the mainland fills the main frame, the islands sit
in an inset (found from the shapes), names never overlap, and on a 1440x900 laptop every
control of the page is whole (the "Kelurahan" switch was clipped)."""
from __future__ import annotations

import shutil

import pytest

from devtools.devserver import AppServer
from tests.browser.pw import screenshot, wait_for_app

TIMEOUT_MS = 180_000

FRAME = """() => {
  const box = els => { const r = els.map(e => e.getBoundingClientRect()).filter(r => r.width > 0);
    return r.length ? {left: Math.min(...r.map(b => b.left)), right: Math.max(...r.map(b => b.right)),
                       top: Math.min(...r.map(b => b.top)), bottom: Math.max(...r.map(b => b.bottom))} : null; };
  const plot = document.querySelector('.js-plotly-plot');
  const main = [...plot.querySelectorAll('.subplot.xy .js-fill, .scatterlayer .trace path.js-fill')]
      .filter(p => !p.closest('.subplot.x2y2'));
  const inset = [...plot.querySelectorAll('.subplot.x2y2 path.js-fill')];
  const names = [...plot.querySelectorAll('.subplot.xy .textpoint text')].map(t => {
      const r = t.getBoundingClientRect(); return {text: t.textContent, l: r.left, r: r.right, t: r.top, b: r.bottom}; });
  const overlaps = [];
  for (let i = 0; i < names.length; i++) for (let j = i + 1; j < names.length; j++) {
    const a = names[i], b = names[j];
    if (a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b) overlaps.push([a.text, b.text]);
  }
  const plotBox = plot.getBoundingClientRect();
  return {plot: {top: plotBox.top, bottom: plotBox.bottom, height: plotBox.height, width: plotBox.width},
          main: box(main), inset: box(inset), insetFills: inset.length, names: names.map(n => n.text), overlaps,
          title: [...plot.querySelectorAll('.annotation-text')].map(a => a.textContent)};
}"""


@pytest.fixture(scope="module")
def map_app(demo_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("wall-map")
    path = folder / "warroom.duckdb"
    shutil.copy(demo_db, path)
    server = AppServer(path, folder / "server.log")
    yield server
    server.stop()


@pytest.mark.parametrize("size", [(1920, 1080), (1440, 900)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_wall_map_frames_the_mainland_with_the_islands_in_an_inset(browser, map_app, size):
    w, h = size
    page = browser.new_page(viewport={"width": w, "height": h})
    page.goto(f"{map_app.url}/layar?embed=true&panels=peta&refresh=3600&lang=id")
    page.wait_for_selector(f".wr-swap[data-viewport='{w}x{h}@1']", state="attached", timeout=TIMEOUT_MS)
    page.wait_for_function("() => document.querySelector('.wr-panel-end') && document.querySelector("
                           "'.js-plotly-plot .subplot.x2y2 path.js-fill')", timeout=TIMEOUT_MS)
    m = page.evaluate(FRAME)
    screenshot(page, f"wall_peta_frame_{w}")
    page.close()
    # The mainland spans the main frame's height (it was a fifth of the map with the islands).
    assert m["main"]["bottom"] - m["main"]["top"] >= 0.8 * m["plot"]["height"], m
    assert m["insetFills"] >= 1 and m["inset"]["right"] < m["main"]["left"], m    # islands apart, at the left
    assert m["title"] == ["Kepulauan Sangkarrang"]                               # the inset names them
    # Small central kecamatan whose names would overlap a larger one are left out (docs/wall.md).
    assert len(m["names"]) >= 10 and m["overlaps"] == [], m
    assert "Kepulauan Sangkarrang" not in m["names"]


def test_the_map_page_controls_are_whole_on_a_laptop(browser, map_app):
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(f"{map_app.url}/peta")
    kelurahan = page.get_by_role("radio", name="Kelurahan", exact=True)
    kelurahan.wait_for(timeout=TIMEOUT_MS)
    page.wait_for_selector("[data-testid=stDeckGlJsonChart] canvas", timeout=TIMEOUT_MS)
    wait_for_app(page, TIMEOUT_MS)
    # Every button group and button of the page: nothing cut by its own box or its column.
    clipped = page.evaluate("""() => [...document.querySelectorAll(
          '[data-testid=stMain] [role=radiogroup], [data-testid=stMain] button, [data-testid=stMain] [role=radio]')]
        .filter(e => e.getBoundingClientRect().width > 0)
        .filter(e => { const r = e.getBoundingClientRect();
          const column = e.closest('[data-testid=stColumn]');
          const c = column ? column.getBoundingClientRect() : {left: 0, right: innerWidth};
          return e.scrollWidth > e.clientWidth + 1 || r.right > c.right + 1 || r.left < c.left - 1 || r.right > innerWidth; })
        .map(e => e.textContent.trim() || e.getAttribute('aria-label') || e.tagName)""")
    box = kelurahan.bounding_box()
    canvas = page.evaluate("() => document.querySelector('[data-testid=stDeckGlJsonChart]').getBoundingClientRect().right")
    screenshot(page, "peta_1440")
    page.close()
    assert clipped == []
    assert box["width"] >= 80 and box["x"] + box["width"] <= 1440
    assert canvas <= 1440
