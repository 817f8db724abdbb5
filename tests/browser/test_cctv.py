"""The camera wall in a real browser at 1920x1080: pictures drawn from the app's own
snapshots (the simulator's frames), dark cameras marked, and the HTTP side refusing
anything that is not a registered camera."""
from __future__ import annotations

import json
import urllib.error
import urllib.request

from tests.browser.pw import assert_no_page_error, screenshot, wait_for_app


def get(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read(), r.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), exc.headers.get("Content-Type", "")


def drawn_pictures(page) -> int:
    return page.evaluate("() => [...document.querySelectorAll('img.wr-cam-img')]"
                         ".filter(i => i.complete && i.naturalWidth === 640).length")


def wait_for_pictures(page, at_least: int) -> None:
    page.wait_for_function(
        f"() => [...document.querySelectorAll('img.wr-cam-img')]"
        f".filter(i => i.complete && i.naturalWidth === 640).length >= {at_least}", timeout=45_000)


def test_wall_panel_draws_camera_pictures(app, page):
    page.goto(f"{app.url}/layar?embed=true&panels=cctv&lang=id")
    wait_for_app(page)
    wait_for_pictures(page, 8)
    tiles = page.locator(".wr-wall .wr-cam")
    assert tiles.count() == 16                       # 4x4 on the wall
    assert_no_page_error(page, app)
    statuses = page.evaluate("() => [...document.querySelectorAll('.wr-cam')].map(t => t.dataset.status)")
    assert set(statuses) <= {"live", "stale", "dark", "link", "unknown"}
    # every picture on screen comes from the app, never from a camera address
    sources = page.evaluate("() => [...document.querySelectorAll('img.wr-cam-img')].map(i => i.getAttribute('src'))")
    assert sources and all(s.startswith("/api/cctv/") for s in sources)
    # the whole grid is inside the screen (no tile cut off at the bottom)
    bottom = page.evaluate("() => Math.max(...[...document.querySelectorAll('.wr-wall .wr-cam')]"
                           ".map(t => t.getBoundingClientRect().bottom))")
    assert bottom <= 1080
    screenshot(page, "cctv_layar")


def test_page_opens_one_camera_large_with_a_map(app, page):
    page.goto(f"{app.url}/cctv?grid=4x4&halaman=1")
    wait_for_app(page)
    wait_for_pictures(page, 4)
    page.get_by_role("button", name="Buka").first.click()
    page.wait_for_selector(".wr-cam-big img", timeout=30_000)
    page.wait_for_selector("[data-testid=stDeckGlJsonChart] canvas", timeout=30_000)
    assert "kamera=CCTV-001" in page.url
    assert_no_page_error(page, app)
    screenshot(page, "cctv_kamera")


def test_snapshots_come_only_from_registered_cameras(app):
    status = json.loads(get(f"{app.url}/api/cctv/status.json")[1])
    assert status["running"] and status["workers"] >= 1
    live = [c["kode_cctv"] for c in status["cameras"] if c["status"] == "live"]
    assert live, status
    code, body, ctype = get(f"{app.url}/api/cctv/{live[0]}/snapshot.jpg")
    assert (code, ctype, body[:3]) == (200, "image/jpeg", b"\xff\xd8\xff")
    assert "url" not in json.dumps(status).lower()   # no camera address leaves the server
    for path in ("/api/cctv/NOT-A-CAMERA/snapshot.jpg", "/api/camsim/NOT-A-CAMERA.jpg"):
        assert get(app.url + path)[0] == 404, path
    # an address in place of a code matches no route at all: the app's page, not a picture
    code, body, ctype = get(f"{app.url}/api/cctv/http%3A%2F%2F169.254.169.254%2F/snapshot.jpg")
    assert not ctype.startswith("image/") and not body.startswith(b"\xff\xd8")
