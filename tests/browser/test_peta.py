"""The Peta page in a real headless Chromium with the network blocked: everything the map
needs comes from the app (no basemap tiles, no fonts or scripts from the internet); the
deck canvas is drawn with the areas' colours and the points; hovering shows a tooltip."""
from __future__ import annotations

import io
import math
from urllib.parse import urlparse

import pytest
import shapely
from PIL import Image

from tests.browser.pw import assert_no_page_error, poll_until, screenshot, wait_for_app
from warroom import reference
from warroom.config import city
from warroom.peta import deck as peta_deck
from warroom.ui.panels.peta import PAGE_MAP_PX

PAGE_BACKGROUND = (14, 17, 23)   # the dark theme's background, seen through the fill (alpha 200)


def rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def filled(colour: str, alpha: int = 200) -> tuple[int, ...]:
    return tuple(round(c * alpha / 255 + b * (255 - alpha) / 255) for c, b in zip(rgb(colour), PAGE_BACKGROUND))


BLUES = [filled(c) for c in ("#BDD7E7", "#6BAED6", "#3182BD", "#08519C")]
LEVELS = [filled(c) for c in ("#009E73", "#F0E442", "#E69F00", "#D55E00")]
OKABE_GREEN = rgb("#009E73")


@pytest.fixture
def offline_page(browser):
    """A page whose every request not to the app itself is aborted (and recorded)."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    blocked: list[str] = []

    def route(r):
        if urlparse(r.request.url).hostname in ("127.0.0.1", "localhost"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.blocked = blocked
    yield page
    context.close()


def near(pixel, colour, tol=14) -> bool:
    return all(abs(a - b) <= tol for a, b in zip(pixel, colour))


def map_pixels(page) -> tuple[Image.Image, dict]:
    chart = page.locator("[data-testid=stDeckGlJsonChart]").first   # the main map (the islands inset follows it)
    image = Image.open(io.BytesIO(chart.screenshot(timeout=120_000))).convert("RGB")
    counts = {"blue": 0, "green": 0}
    for n, pixel in image.getcolors(1 << 22):
        if any(near(pixel, b, 20) for b in BLUES):
            counts["blue"] += n
        if near(pixel, OKABE_GREEN):
            counts["green"] += n
    return image, counts


def wait_for_drawn_map(page, timeout_s: float = 120) -> dict:
    page.wait_for_selector("#deckgl-overlay", state="attached", timeout=int(timeout_s * 1000))
    counts = {}

    def drawn():
        counts.update(map_pixels(page)[1])
        return counts["blue"] > 2000 and counts["green"] > 20

    poll_until(page, drawn, timeout_s)
    return counts


def main_frame() -> list[float]:
    """The bbox the page's main map frames: the mainland areas (islands go to the inset), found
    as the page finds it, from the reference boundaries."""
    from datetime import date

    from warroom import db, peta
    from warroom.peta import plot as peta_plot
    con = db.open_store(":memory:", create=True)
    reference.load_reference(con)
    try:
        return peta_plot.frames(peta.load(con, peta.Options(tanggal=date(2026, 11, 1), tingkat="kecamatan")))["main"]
    finally:
        con.close()


def screen_xy(lon: float, lat: float, box: dict) -> tuple[float, float]:
    """Where a point is drawn in the chart at the initial view (Web Mercator, 512-px tiles)."""
    view = peta_deck.fit_bbox(main_frame(), *PAGE_MAP_PX)
    scale = 512 * 2 ** view.zoom

    def merc(lat_):
        return math.log(math.tan(math.pi / 4 + math.radians(lat_) / 2)) / (2 * math.pi)

    x = box["x"] + box["width"] / 2 + (lon - view.longitude) / 360 * scale
    y = box["y"] + box["height"] / 2 - (merc(lat) - merc(view.latitude)) * scale
    return x, y


def test_peta_draws_every_kelurahan_and_the_points_offline(app, offline_page):
    page = offline_page
    page.goto(f"{app.url}/peta?tingkat=kelurahan&ukuran=aktif")
    wait_for_app(page)
    assert_no_page_error(page, app)
    counts = wait_for_drawn_map(page)
    assert counts["blue"] > 2000, counts      # the choropleth
    assert counts["green"] > 20, counts       # online cameras / valid permits (Okabe-Ito green)
    # The chart's accessible name says what the deck holds: all 153 kelurahan.
    labelled = page.locator("[data-testid=stDeckGlJsonChart] [aria-label*='153 kelurahan'], "
                            "[data-testid=stDeckGlJsonChart][aria-label*='153 kelurahan']")
    assert labelled.count() >= 1 or "153 kelurahan" in page.content()
    assert page.get_by_text("Kelurahan: Kasus aktif").count() == 1          # the legend
    assert page.blocked == [], page.blocked
    screenshot(page, "peta")


def test_peta_kecamatan_tooltip_on_hover_and_detail_on_click_offline(app, offline_page):
    page = offline_page
    page.goto(f"{app.url}/peta?tingkat=kecamatan&ukuran=level&lapisan=wilayah,label")
    wait_for_app(page)
    counts = wait_for_drawn_map_areas(page)
    assert counts > 0
    # Hover over a point inside Manggala (a large inland kecamatan): its tooltip appears.
    feature = next(f for f in reference.read_geojson(city().reference["kecamatan_geojson"])
                   if f["properties"]["nama_kec"] == "Manggala")
    inside = shapely.point_on_surface(shapely.geometry.shape(feature["geometry"]))
    chart = page.locator("[data-testid=stDeckGlJsonChart]").first   # the main map (the islands inset follows it)
    box = chart.bounding_box()
    x, y = screen_xy(inside.x, inside.y, box)
    tooltip = chart.locator(".deck-tooltip")
    for dx in (0, 2, -2, 4):
        page.mouse.move(x + dx, y)
        try:
            tooltip.filter(has_text="Manggala").wait_for(state="visible", timeout=15_000)
            break
        except Exception:
            continue
    text = tooltip.inner_text()
    assert "Kecamatan Manggala" in text and "Level transmisi komunitas" in text
    # Clicking opens the detail panel beside the map with the area's code and trend.
    page.mouse.click(x, y)
    page.get_by_text("73.71.12").first.wait_for(state="visible", timeout=60_000)
    assert page.get_by_text("Kasus baru harian, 28 hari").count() == 1
    assert_no_page_error(page, app)
    assert page.blocked == [], page.blocked


def wait_for_drawn_map_areas(page, timeout_s: float = 120) -> int:
    page.wait_for_selector("#deckgl-overlay", state="attached", timeout=int(timeout_s * 1000))

    def drawn():
        chart = page.locator("[data-testid=stDeckGlJsonChart]").first   # the main map (the islands inset follows it)
        image = Image.open(io.BytesIO(chart.screenshot(timeout=120_000))).convert("RGB")
        pixels = sum(n for n, p in image.getcolors(1 << 22) if any(near(p, c, 20) for c in LEVELS))
        return pixels if pixels > 2000 else 0

    return poll_until(page, drawn, timeout_s)
