"""The wall's panel changes in Chromium, frame by frame (issue 19): never a mixed frame.

A mixed frame is one whose title, freshness stamp and content belong to different panels, or
whose panel is partly drawn (its end marker not there yet, a chart not drawn), or with no or
two panels visible. warroom.wall_probe checks every painted frame in the page (a
requestAnimationFrame loop) and, as a second opinion, Python samples the frame every 100 ms.
"""
from __future__ import annotations

import shutil

import pytest

from devtools.devserver import AppServer
from tests.browser.pw import screenshot
from warroom import wall_probe

TIMEOUT_MS = 240_000   # a loaded machine: generous, this is not a timing test
PANELS = ("ringkasan", "peta", "covid", "kinerja", "cctv")

SAMPLE = "() => {" + wall_probe.FRAME_FN + """
  const f = wallFrame();
  (window.__samples = window.__samples || []).push(f);
  return window.__wallFrames && window.__wallFrames.changes.length >= %d;
}"""


@pytest.fixture(scope="module")
def frames_app(demo_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("wall-frames")
    path = folder / "warroom.duckdb"
    shutil.copy(demo_db, path)
    server = AppServer(path, folder / "server.log")
    yield server
    server.stop()


def test_a_panel_change_never_shows_a_mixed_frame(browser, frames_app):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{frames_app.url}/layar?embed=true&panels={','.join(PANELS)}&rotate=6&refresh=6&lang=id")
    page.wait_for_selector(".wr-wallbar", timeout=TIMEOUT_MS)
    page.evaluate(wall_probe.INSTALL)
    # Sampled every 100 ms by the page itself until five changes (a full round) were seen.
    page.wait_for_function(SAMPLE % len(PANELS), polling=100, timeout=TIMEOUT_MS)
    log = page.evaluate(wall_probe.RESULT)
    samples = page.evaluate("() => window.__samples")
    page.close()

    assert log["mixed"] == []
    order = [c["panel"] for c in log["changes"]]
    for before, after in zip([log["changes"][0]["from"], *order], order):
        assert PANELS.index(after) == (PANELS.index(before) + 1) % len(PANELS), order   # no panel skipped
    first_complete = next(i for i, s in enumerate(samples) if s["complete"])
    bad = [s for s in samples[first_complete:] if not s["complete"]]
    assert bad == []
    assert len(samples) - first_complete >= 5 * 6 * 5    # about ten a second were taken


def test_the_swap_is_one_frame_the_next_panel_ready_behind(browser, frames_app):
    """Caught mid-way: right after the swap element changed, the next panel is being drawn in
    the hidden slot while the screen shows the current one whole (screenshot: wall_change_midway)."""
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{frames_app.url}/layar?embed=true&panels=covid,kinerja&rotate=6&refresh=6&lang=id")
    page.wait_for_selector(".wr-wallbar", timeout=TIMEOUT_MS)
    page.evaluate(wall_probe.INSTALL)
    page.wait_for_function("() => window.__wallFrames.changes.length >= 1", timeout=TIMEOUT_MS)
    # The next tick: the swap element names the panel now shown; the hidden slot is redrawn.
    shown = page.evaluate("() => document.querySelector('.wr-swap').dataset.panel")
    page.wait_for_function(f"() => document.querySelector('.wr-swap').dataset.panel !== '{shown}'",
                           polling="raf", timeout=TIMEOUT_MS)
    frame = page.evaluate(wall_probe.SNAPSHOT)
    hidden = page.evaluate("""() => [...document.querySelectorAll('[class*="st-key-wall-slot-"]')]
        .map(s => [s.querySelector('.wr-wallbar') && s.querySelector('.wr-wallbar').dataset.panel,
                   getComputedStyle(s.parentElement).opacity])""")
    screenshot(page, "wall_change_midway")
    log = page.evaluate(wall_probe.RESULT)
    page.close()
    assert frame["complete"] and frame["title"] != shown, frame
    assert sorted(p for p, _ in hidden) == ["covid", "kinerja"]          # both panels are in the page
    assert sorted(o for _, o in hidden) == ["0", "1"]                    # exactly one of them shown
    assert log["mixed"] == []
