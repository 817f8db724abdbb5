"""The wall's rules: pages by the clock, ages in words, merging the live state with the records."""
from __future__ import annotations

from datetime import datetime, timedelta

from cctv_helpers import add_cameras, camera_server

from warroom import cctv
from warroom.cctv import wall as cctv_wall
from warroom.cctv.fetcher import CameraService

NOW = datetime.fromisoformat("2026-11-28T10:00:00+08:00")


def test_pages_turn_with_the_clock_and_can_be_pinned():
    assert cctv_wall.paging(120, 16, None, clock=0).page == 0
    assert cctv_wall.paging(120, 16, None, clock=15).page == 1
    assert cctv_wall.paging(120, 16, None, clock=15 * 8) == cctv_wall.Paging(0, 8, True)   # wraps after 8 pages
    assert cctv_wall.paging(120, 16, 3) == cctv_wall.Paging(2, 8, False)
    assert cctv_wall.paging(120, 16, 99) == cctv_wall.Paging(7, 8, False)                 # clamped
    assert cctv_wall.paging(0, 16, None, clock=99) == cctv_wall.Paging(0, 1, True)


def test_ages_in_words():
    assert cctv_wall.age_text(4.9, "id") == "gambar 4 dtk lalu"
    assert cctv_wall.age_text(125, "id") == "gambar 2 mnt lalu"
    assert cctv_wall.age_text(3 * 3600, "en") == "picture 3 h ago"
    assert cctv_wall.age_text(3 * 86400, "id") == "gambar 3 hari lalu"
    assert cctv_wall.age_text(None, "id") == "tidak ada gambar"
    assert cctv_wall.problem_text("http_503", "id") == "kamera sedang tidak melayani (HTTP 503)"
    assert cctv_wall.problem_text("http_503", "id", detail=False) == "kamera sedang tidak melayani"
    assert cctv_wall.problem_text("http_500", "en", detail=False) == "camera has a fault"
    assert cctv_wall.problem_text("http_404", "id", detail=False) == "kamera menolak permintaan gambar"
    assert cctv_wall.problem_text(None, "id") == ""


def test_live_state_in_memory_wins_over_older_records(store):
    with camera_server() as (_, base):
        add_cameras(store, [("CAM-1", "Jl. A", "73.71.01.1001", "online", base + "/ok.jpg"),
                            ("CAM-2", "Jl. B", "73.71.01.1001", "online", base + "/error.jpg")])
        # the records say CAM-1 failed 5 minutes ago and CAM-2 was fine
        store.execute("INSERT INTO cctv_checks VALUES ('CAM-1', ?, false, 1, 'timeout'), ('CAM-2', ?, true, 1, NULL)",
                      [NOW - timedelta(minutes=5), NOW - timedelta(minutes=5)])
        svc = CameraService(lambda: store, cctv.FetchPolicy(allow_internal=(base + "/",)), clock=lambda: NOW)
        svc.run_once()
    rows = {r["kode_cctv"]: r for r in cctv_wall.tiles(cctv.health(store, NOW), svc, NOW)}
    assert (rows["CAM-1"]["status"], rows["CAM-1"]["picture_age_s"]) == ("live", 0.0)
    assert (rows["CAM-2"]["status"], rows["CAM-2"]["last_error"], rows["CAM-2"]["picture_at"]) == ("stale", "http_500", None)
    assert cctv_wall.counts(list(rows.values()))["live"] == 1
    # without the service (another process), the records alone decide
    alone = {r["kode_cctv"]: r["status"] for r in cctv_wall.tiles(cctv.health(store, NOW), None, NOW)}
    assert alone == {"CAM-1": "dark", "CAM-2": "stale"}
