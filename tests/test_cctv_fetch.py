"""Fetching snapshots: only registered cameras, never internal addresses, bounded, validated."""
from __future__ import annotations

import pytest
from cctv_helpers import add_cameras, camera_server, jpeg

from warroom import cctv
from warroom.cctv.fetcher import CameraService, SnapshotCache


def policy_for(base: str, **kw) -> cctv.FetchPolicy:
    opts = dict(connect_timeout_s=0.5, read_timeout_s=0.5, total_timeout_s=1.5, max_bytes=200_000,
                allow_internal=(base + "/",))
    opts.update(kw)
    return cctv.FetchPolicy(**opts)


@pytest.fixture
def cameras():
    with camera_server() as (server, base):
        yield server, base


def test_a_jpeg_camera_gives_its_picture(cameras):
    _, base = cameras
    result = cctv.fetch_url(base + "/ok.jpg", policy_for(base))
    assert result.ok and result.error is None
    assert result.image == jpeg()
    assert (result.width, result.height) == (64, 48)


@pytest.mark.parametrize("path, error", [
    ("/slow.jpg", "timeout"),
    ("/garbage.jpg", "not_jpeg"),
    ("/error.jpg", "http_500"),
    ("/redirect.jpg", "redirect"),
    ("/big.jpg", "too_large"),
    ("/nothing-here.jpg", "http_404"),
])
def test_failing_cameras_are_failures_with_a_reason(cameras, path, error):
    _, base = cameras
    result = cctv.fetch_url(base + path, policy_for(base))
    assert (result.ok, result.error, result.image) == (False, error, None)


def test_a_timeout_is_bounded_by_the_read_timeout(cameras):
    _, base = cameras
    result = cctv.fetch_url(base + "/slow.jpg", policy_for(base, read_timeout_s=0.3))
    assert result.error == "timeout"
    assert 250 <= result.latency_ms < 3000   # generous: this machine is shared


def test_the_redirect_target_is_never_fetched(cameras):
    server, base = cameras
    cctv.fetch_url(base + "/redirect.jpg", policy_for(base))
    assert server.hits == ["/redirect.jpg"]


def test_first_frame_of_an_mjpeg_stream(cameras):
    _, base = cameras
    result = cctv.fetch_url(base + "/mjpeg", policy_for(base))
    assert result.ok, result
    assert result.image == jpeg()


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:9/x.jpg",               # loopback, not the allowed prefix
    "http://localhost/x.jpg",                 # a name that resolves to loopback
    "http://169.254.169.254/latest/meta-data",  # cloud metadata (link-local)
    "http://10.1.2.3/cam.jpg",                # private network
    "http://192.168.1.10/cam.jpg",
    "http://[::1]/cam.jpg",
    "http://0.0.0.0/cam.jpg",
    "http://[::ffff:127.0.0.1]/cam.jpg",      # IPv4-mapped loopback
    "http://[::127.0.0.1]/cam.jpg",           # IPv4-compatible loopback
    "http://[::ffff:0:7f00:1]/cam.jpg",       # IPv4-translated loopback
    "http://[64:ff9b::7f00:1]/cam.jpg",       # NAT64 of loopback
    "http://[2002:7f00:1::]/cam.jpg",         # 6to4 of loopback
    "http://[::a9fe:a9fe]/cam.jpg",           # compatible cloud metadata
    "http://[fec0::1]/cam.jpg",               # site-local
])
def test_internal_addresses_are_refused_without_a_connection(url):
    result = cctv.fetch_url(url, cctv.FetchPolicy())
    assert (result.ok, result.error) == (False, "internal")
    assert result.latency_ms < 1000   # refused before connecting (the connect timeout is 2 s)


def test_allowed_internal_prefix_cannot_be_climbed_out_of(cameras):
    server, base = cameras
    policy = policy_for(base, allow_internal=(base + "/api/camsim/",))
    assert cctv.fetch_url(base + "/ok.jpg", policy).error == "internal"
    assert cctv.fetch_url(base + "/api/camsim/../../ok.jpg", policy).error == "internal"
    assert cctv.fetch_url(base + "/api/camsim/%2e%2e/ok.jpg", policy).error == "internal"
    assert server.hits == []


@pytest.mark.parametrize("url, error", [
    ("ftp://example.org/cam.jpg", "scheme"),
    ("file:///etc/passwd", "scheme"),
    ("gopher://127.0.0.1:25/", "scheme"),
])
def test_other_schemes_are_refused(url, error):
    assert cctv.fetch_url(url, cctv.FetchPolicy()).error == error


def test_simulator_marker_is_mapped_to_the_apps_own_address(cameras):
    server, base = cameras
    policy = cctv.FetchPolicy.for_app(base, connect_timeout_s=0.5, read_timeout_s=0.5)
    assert policy.allow_internal[-1] == base + "/api/camsim/"
    result = cctv.fetch_url(cctv.CAMSIM_MARKER + "CAM-1.jpg", policy)
    assert result.error == "http_404"          # reached our server (which has no simulator)
    assert server.hits == ["/api/camsim/CAM-1.jpg"]
    # the marker's real port is not reachable through the mapping, nor anything else internal
    assert cctv.fetch_url("http://127.0.0.1:8501/admin", policy).error == "internal"


def test_only_registered_cameras_are_fetched(store, cameras):
    server, base = cameras
    add_cameras(store, [("CAM-OK", "Jl. Penghibur", "73.71.01.1001", "online", base + "/ok.jpg"),
                        ("CAM-META", "Metadata", "73.71.01.1001", "online", "http://169.254.169.254/"),
                        ("CAM-RTSP", "Pantai Losari", "73.71.04.1001", "online", "rtsp://u:p@10.0.0.5/live")])
    policy = policy_for(base)
    assert cctv.fetch_camera(store, "CAM-OK", policy).ok
    assert cctv.fetch_camera(store, "NOT-A-CAMERA", policy).error == "unregistered"
    assert cctv.fetch_camera(store, base + "/ok.jpg", policy).error == "unregistered"  # a URL is not a code
    assert cctv.fetch_camera(store, "CAM-META", policy).error == "internal"
    assert cctv.fetch_camera(store, "CAM-RTSP", policy).error == "not_http"
    assert server.hits == ["/ok.jpg"]


def test_links_never_carry_credentials():
    assert cctv.public_link("rtsp://admin:secret@cams.example.org:554/live/1?token=x") == \
        "rtsp://cams.example.org:554/live/1"
    assert cctv.is_fetchable("https://cams.example.org/hls/1.m3u8") is False
    assert cctv.is_fetchable("https://cams.example.org/snap.jpg") is True


def test_service_fetches_concurrently_and_caches_the_latest_picture(store, cameras):
    _, base = cameras
    add_cameras(store, [(f"CAM-{i:02d}", f"Kamera {i}", "73.71.01.1001", "online", base + "/ok.jpg")
                        for i in range(12)] + [("CAM-SLOW", "Lambat", "73.71.01.1001", "online", base + "/slow.jpg")])
    svc = CameraService(lambda: store, policy_for(base, read_timeout_s=0.4), workers=8)
    svc.run_once()
    assert len(svc.cache) == 12 and svc.cache.get("CAM-SLOW") is None
    assert svc.state("CAM-SLOW").last_error == "timeout"
    assert svc.state("CAM-03").last_ok is True
    assert svc.fetch_one("SOMETHING-ELSE").error == "unregistered"


def test_cache_is_bounded_in_bytes():
    from datetime import datetime, timezone
    cache = SnapshotCache(max_bytes=2500)
    at = datetime(2026, 11, 28, tzinfo=timezone.utc)
    for i in range(5):
        cache.put(cctv.Snapshot(f"C{i}", b"x" * 1000, at, 1, 1))
    assert len(cache) == 2 and cache.total_bytes == 2000
    assert cache.get("C0") is None and cache.get("C4") is not None


def test_background_service_refreshes_pictures_records_checks_and_health(store, cameras):
    import time as _time
    _, base = cameras
    add_cameras(store, [("CAM-A", "Jl. A", "73.71.01.1001", "online", base + "/ok.jpg"),
                        ("CAM-B", "Jl. B", "73.71.01.1001", "online", base + "/error.jpg")])
    from datetime import datetime, timezone
    svc = CameraService(lambda: store, policy_for(base), refresh_s=0.5, workers=2, flush_s=0.5,
                        clock=lambda: datetime.now(timezone.utc))   # a running clock, not the frozen one
    svc.start()
    try:
        deadline = _time.monotonic() + 20
        while _time.monotonic() < deadline and (svc.fetches < 6 or svc.health_rows is None):
            _time.sleep(0.1)
        first = svc.cache.get("CAM-A").fetched_at
        _time.sleep(1.2)
        assert svc.cache.get("CAM-A").fetched_at > first          # refreshed on its own
    finally:
        svc.stop()
    assert svc.peak_active <= 2
    assert svc.state("CAM-B").failures >= 1 and svc.cache.get("CAM-B") is None
    assert [r["kode_cctv"] for r in svc.health_rows] == ["CAM-A", "CAM-B"]
    recorded = dict(store.execute("SELECT kode_cctv, bool_or(ok) FROM cctv_checks GROUP BY 1").fetchall())
    assert recorded == {"CAM-A": True, "CAM-B": False}


def test_a_camera_whose_address_changes_is_fetched_afresh(store, cameras):
    _, base = cameras
    add_cameras(store, [("CAM-A", "Jl. A", "73.71.01.1001", "online", base + "/ok.jpg")])
    svc = CameraService(lambda: store, policy_for(base))
    svc.run_once()
    assert svc.cache.get("CAM-A") is not None
    store.execute("UPDATE cctv SET url_stream = 'http://[::127.0.0.1]/x.jpg' WHERE kode_cctv = 'CAM-A'")
    svc.load_registry()
    assert svc.cache.get("CAM-A") is None and svc.state("CAM-A") is None   # nothing of the old address
    svc.run_once()
    assert svc.state("CAM-A").last_error == "internal"
