"""The CCTV page under a leader's mouse (issue 19): "Buka" opens the camera clicked, and the
grid's page rotation can be paused (button) and holds after activity."""
from __future__ import annotations

import re

from tests.test_cctv_page import html_of, run_page, wall_db  # noqa: F401  (fixture)
from warroom.cctv import wall as cctv_wall
from warroom.ui.panels import cctv as panel


def _page_note(at) -> str:
    return next(c.value for c in at.caption if "Halaman" in c.value)


def test_buka_opens_the_camera_that_was_clicked(wall_db):  # noqa: F811
    at = run_page({"grid": "2x2"})
    shown = [b.key for b in at.button if b.key and b.key.startswith("open_")]
    at.button(key=shown[1]).click().run()
    assert not at.exception
    kode = shown[1].removeprefix("open_")
    assert at.query_params["kamera"] == kode
    names = {"CAM-1": "Simpang Jl. Sudirman", "CAM-2": "Jl. Veteran Selatan", "CAM-3": "Jl. Hertasning",
             "CAM-4": "Jl. Urip Sumoharjo", "CAM-5": "Jl. Boulevard", "CAM-6": "Pantai Losari"}
    assert at.subheader[0].value == names[kode]                        # the clicked camera, large
    # The open also holds the grid on its page for a minute.
    assert re.search(r"rotasi dijeda 60 detik setelah klik atau gulir", _page_note(at))


def test_the_pause_button_holds_the_page_until_pressed_again(wall_db, monkeypatch):  # noqa: F811
    at = run_page({"grid": "2x2"})
    assert "berganti setiap 15 detik" in _page_note(at)
    at.button(key="cctv_pause").click().run()
    note = _page_note(at)
    assert "rotasi dijeda (tekan Lanjutkan rotasi)" in note
    shown = re.search(r"Halaman (\d) dari 2", note).group(1)
    # Whatever the clock says, the held page stays.
    monkeypatch.setattr(cctv_wall.time, "time", lambda: 15.0 * (1 if shown == "1" else 2))
    at.run()
    assert re.search(r"Halaman (\d) dari 2", _page_note(at)).group(1) == shown
    at.button(key="cctv_pause").click().run()
    assert "berganti setiap 15 detik" in _page_note(at)


def test_activity_holds_the_page_for_a_minute_only(monkeypatch):
    state = {}
    monkeypatch.setattr(panel.st, "session_state", state)
    clock = [1000.0]
    monkeypatch.setattr(panel.time, "time", lambda: clock[0])
    monkeypatch.setattr(cctv_wall.time, "time", lambda: clock[0])
    assert panel.held_page(40, 16) is None
    panel._hold()
    page = panel.held_page(40, 16)
    assert page == cctv_wall.paging(40, 16, None, clock=1000.0).page + 1
    clock[0] += 59
    assert panel.held_page(40, 16) == page
    clock[0] += 2
    assert panel.held_page(40, 16) is None
