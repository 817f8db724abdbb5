"""The camera simulator and the snapshot route, called as Starlette calls them."""
from __future__ import annotations

import asyncio
import io
import json
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
from cctv_helpers import add_cameras, jpeg
from PIL import Image
from starlette.requests import Request

from warroom import camsim, cctv
from warroom.cctv import fetcher as cctv_fetcher
from warroom.cctv import routes as cctv_routes
from warroom.cctv.fetcher import CameraService
from warroom.config import now


def call(endpoint, **path_params):
    scope = {"type": "http", "method": "GET", "path": "/", "headers": [], "query_string": b"",
             "path_params": path_params}
    # In a thread of its own: the browser tests' playwright keeps an event loop running in
    # this thread for the whole session, and asyncio.run refuses to nest in it.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, endpoint(Request(scope))).result()


@pytest.fixture
def simulated(store, monkeypatch):
    add_cameras(store, [
        ("SIM-1", "Simpang Lima Jl. Urip Sumoharjo", "73.71.09.1001", "online", cctv.CAMSIM_MARKER + "SIM-1.jpg"),
        ("SIM-2", "Jl. Masjid Raya", "73.71.06.1001", "offline", cctv.CAMSIM_MARKER + "SIM-2.jpg"),
        ("SIM-3", "Jl. Sunu", "73.71.07.1001", "rusak", cctv.CAMSIM_MARKER + "SIM-3.jpg"),
        ("SIM-4", "Jl. Landak", "73.71.10.1001", "pemeliharaan", cctv.CAMSIM_MARKER + "SIM-4.jpg"),
        ("REAL-1", "Kamera nyata", "73.71.10.1001", "online", "http://cams.example.org/REAL-1.jpg"),
        ("SIM-X", "Alamat lain", "73.71.10.1001", "online", cctv.CAMSIM_MARKER + "SIM-1.jpg"),
    ])
    monkeypatch.setattr(camsim, "_connect", lambda: store)
    monkeypatch.setattr(camsim, "_registry_at", 0.0)
    monkeypatch.setattr(camsim, "HANG_S", 0.2)
    return store


def test_online_camera_gets_a_frame_with_its_name_and_the_time(simulated):
    resp = call(camsim.frame, kode="SIM-1")
    assert resp.status_code == 200 and resp.media_type == "image/jpeg"
    assert cctv.validate_jpeg(resp.body) == (640, 360)
    img = Image.open(io.BytesIO(resp.body))
    assert img.getpixel((5, 5))[0] < 30          # the black name band at the top


@pytest.mark.parametrize("kode, status", [("SIM-2", 503), ("SIM-4", 503), ("SIM-3", 504),
                                          ("REAL-1", 404), ("SIM-X", 404), ("NOPE", 404)])
def test_dark_and_unknown_cameras(simulated, kode, status):
    assert call(camsim.frame, kode=kode).status_code == status


def test_frames_differ_with_the_clock():
    t = datetime.fromisoformat("2026-11-28T10:00:00+08:00")
    assert camsim.draw_frame("SIM-1", "Jl. A", t) != camsim.draw_frame("SIM-1", "Jl. A", t + timedelta(seconds=1))


def test_snapshot_route_serves_only_cached_pictures_of_registered_cameras(store):
    add_cameras(store, [("CAM-1", "Jl. A", "73.71.01.1001", "online", "http://cams.example.org/1.jpg")])
    svc = CameraService(lambda: store, cctv.FetchPolicy())
    svc.load_registry()
    svc.cache.put(cctv.Snapshot("CAM-1", jpeg(), now(), 64, 48))   # the app's (pinned) now
    cctv_fetcher.set_service(svc)
    try:
        ok = call(cctv_routes.snapshot, kode="CAM-1")
        assert (ok.status_code, ok.body) == (200, jpeg())
        assert call(cctv_routes.snapshot, kode="CAM-2").status_code == 404
        assert call(cctv_routes.snapshot, kode="http://169.254.169.254/").status_code == 404
        status = json.loads(call(cctv_routes.status).body)
        assert [c["kode_cctv"] for c in status["cameras"]] == ["CAM-1"]
        assert "example.org" not in json.dumps(status)
    finally:
        cctv_fetcher.set_service(None)


def test_own_app_unreachable_is_not_recorded_as_the_cameras_failure(store):
    add_cameras(store, [("SIM-1", "Jl. A", "73.71.01.1001", "online", cctv.CAMSIM_MARKER + "SIM-1.jpg")])
    # the app "is not listening": its own base points at a closed port
    svc = CameraService(lambda: store, cctv.FetchPolicy.for_app("http://127.0.0.1:9", connect_timeout_s=0.5))
    svc.load_registry()
    assert svc.fetch_one("SIM-1").error == "connect"
    assert svc.state("SIM-1").last_ok is False
    assert svc.flush() == 0
