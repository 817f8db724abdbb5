"""Measured status and uptime from recorded checks: exact figures for scripted sequences."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from cctv_helpers import add_cameras, camera_server

from warroom import cctv
from warroom.cctv.fetcher import CameraService
from warroom.config import now

NOW = datetime.fromisoformat("2026-11-28T10:00:00+08:00")


def checks(con, kode, *seq):
    """seq: (seconds before NOW, ok) pairs."""
    for ago, ok in seq:
        con.execute("INSERT INTO cctv_checks VALUES (?, ?, ?, ?, ?)",
                    [kode, NOW - timedelta(seconds=ago), ok, 12.5, None if ok else "timeout"])


@pytest.fixture
def scripted(store):
    add_cameras(store, [
        ("CAM-A", "Jl. A. P. Pettarani", "73.71.13.1001", "online", "http://cams.example.org/a.jpg"),
        ("CAM-B", "Jl. Urip Sumoharjo", "73.71.09.1001", "offline", "http://cams.example.org/b.jpg"),
        ("CAM-C", "Jl. Perintis Kemerdekaan", "73.71.14.1001", "online", "http://cams.example.org/c.jpg"),
        ("CAM-D", "Pantai Losari", "73.71.04.1001", "online", "https://cams.example.org/d.jpg"),
        ("CAM-E", "Jl. Veteran", "73.71.03.1001", "rusak", "http://cams.example.org/e.jpg"),
        ("CAM-R", "Karebosi", "73.71.04.1002", "online", "rtsp://admin:rahasia@cams.example.org:554/live"),
    ])
    # A: ok, failed, ok (10, 8, 5 minutes ago) and one ok two days ago
    checks(store, "CAM-A", (600, True), (480, False), (300, True), (2 * 86400, True))
    checks(store, "CAM-B", (30, False))
    # C: a success just before the 24-hour window that still covers its first two minutes
    checks(store, "CAM-C", (86400 + 60, True), (20, False))
    checks(store, "CAM-D", (30, True), (-60, False))   # a row from the future is ignored
    return store


def by_code(con):
    return {row["kode_cctv"]: row for row in cctv.health(con, NOW)}


def test_uptime_is_exact_for_a_scripted_sequence(scripted):
    h = by_code(scripted)
    # A: ok 10->8 min ago (120 s), failed 8->5 (180 s), ok 5->2 (a check stands for 180 s at most)
    assert h["CAM-A"]["uptime_24h"] == pytest.approx(100 * 300 / 480)
    # ... plus 180 s ok two days ago in the 7-day window
    assert h["CAM-A"]["uptime_7d"] == pytest.approx(100 * 480 / 660)
    assert h["CAM-B"]["uptime_24h"] == 0.0 and h["CAM-B"]["uptime_7d"] == 0.0
    # C: 120 s of the old success fall inside the 24 h window, then 20 s failed
    assert h["CAM-C"]["uptime_24h"] == pytest.approx(100 * 120 / 140)
    assert h["CAM-C"]["uptime_7d"] == pytest.approx(100 * 180 / 200)
    assert h["CAM-D"]["uptime_24h"] == 100.0
    assert h["CAM-E"]["uptime_24h"] is None and h["CAM-E"]["uptime_7d"] is None
    assert h["CAM-R"]["uptime_24h"] is None


def test_measured_status_beside_the_agency_status(scripted):
    h = by_code(scripted)
    got = {k: (r["measured_status"], r["status_opd"]) for k, r in h.items()}
    assert got == {
        "CAM-A": ("stale", "online"),     # last check ok but 5 minutes old
        "CAM-B": ("dark", "offline"),     # never succeeded
        "CAM-C": ("dark", "online"),      # last success a day ago
        "CAM-D": ("live", "online"),
        "CAM-E": ("unknown", "rusak"),    # never checked
        "CAM-R": ("link", "online"),      # RTSP: shown as a link, not fetched
    }
    assert h["CAM-A"]["kecamatan"] == "Rappocini" and h["CAM-D"]["kecamatan"] == "Ujung Pandang"
    assert h["CAM-R"]["link"] == "rtsp://cams.example.org:554/live"
    assert h["CAM-A"]["link"] is None     # a picture camera's address never leaves the server
    assert [r["kode_cctv"] for r in cctv.dark_cameras(scripted, NOW)] == ["CAM-B", "CAM-C"]


def test_python_rule_agrees_with_the_sql(scripted):
    for row in cctv.health(scripted, NOW):
        url = "rtsp://x" if row["kode_cctv"] == "CAM-R" else "http://x/y.jpg"
        assert cctv.measured_status(url=url, last_check_at=row["last_check_at"], last_ok=row["last_ok"],
                                    last_ok_at=row["last_ok_at"], now=NOW, live_s=cctv.DB_LIVE_S) \
            == row["measured_status"], row["kode_cctv"]


def test_checks_are_recorded_on_change_and_every_record_interval_then_pruned(store):
    with camera_server() as (_, base):
        add_cameras(store, [("CAM-OK", "Jl. Ratulangi", "73.71.02.1001", "online", base + "/ok.jpg")])
        clock = iter(NOW + timedelta(seconds=s) for s in (0, 5, 10, 65, 70, 75))
        policy = cctv.FetchPolicy(allow_internal=(base + "/",))
        svc = CameraService(lambda: store, policy, record_s=60, clock=lambda: next(clock))
        svc.load_registry()
        for _ in range(4):
            svc.fetch_one("CAM-OK")          # 0, 5, 10, 65 s: recorded at 0 and 65
        svc.cameras["CAM-OK"].url = base + "/error.jpg"   # the camera breaks
        svc.fetch_one("CAM-OK")              # 70 s: a change, recorded
        svc.fetch_one("CAM-OK")              # 75 s: no change, not recorded
    version = store.execute("SELECT value FROM meta WHERE key='data_version'").fetchone()[0]
    assert svc.flush() == 3 and svc.flush() == 0 and svc.generation == 1
    rows = store.execute("SELECT epoch(checked_at) - epoch(?::timestamptz), ok, error FROM cctv_checks "
                         "ORDER BY checked_at", [NOW]).fetchall()
    assert rows == [(0.0, True, None), (65.0, True, None), (70.0, False, "http_500")]
    # health records are not agency data: page caches keyed by the data version stay valid
    assert store.execute("SELECT value FROM meta WHERE key='data_version'").fetchone()[0] == version
    store.execute("INSERT INTO cctv_checks VALUES ('CAM-OK', ?, true, 1, null)", [NOW - timedelta(days=9)])
    svc.clock = now
    svc.prune(keep_days=8)
    assert store.execute("SELECT count(*) FROM cctv_checks").fetchone()[0] == 3
