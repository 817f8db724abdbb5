"""The camera wall page in AppTest: exactly the pictures that were fetched, the right states."""
from __future__ import annotations

import json
import re

import pytest
from cctv_helpers import add_cameras, camera_server
from streamlit.testing.v1 import AppTest

from warroom import cctv, db
from warroom.cctv import fetcher as cctv_fetcher
from warroom.cctv.fetcher import CameraService
from warroom.config import now


@pytest.fixture
def wall_db(store_file):
    """Six cameras: one answers a JPEG, four fail in different ways, one is RTSP; fetched once."""
    with camera_server() as (_, base):
        con = db.connect(store_file)
        add_cameras(con, [
            ("CAM-1", "Simpang Jl. Sudirman", "73.71.04.1001", "online", base + "/ok.jpg"),
            ("CAM-2", "Jl. Veteran Selatan", "73.71.03.1001", "online", base + "/slow.jpg"),
            ("CAM-3", "Jl. Hertasning", "73.71.13.1001", "online", base + "/garbage.jpg"),
            ("CAM-4", "Jl. Urip Sumoharjo", "73.71.09.1001", "offline", base + "/error.jpg"),
            ("CAM-5", "Jl. Boulevard", "73.71.09.1002", "online", base + "/redirect.jpg"),
            ("CAM-6", "Pantai Losari", "73.71.04.1002", "online", "rtsp://admin:rahasia@10.73.1.1:554/live"),
        ])
        earlier = [("CAM-1", 120, True), ("CAM-4", 300, True), ("CAM-4", 120, False)]
        for kode, ago, ok in earlier:  # scripted history before this fetch
            con.execute("INSERT INTO cctv_checks VALUES (?, ?::timestamptz - to_seconds(?), ?, 10, NULL)",
                        [kode, now(), ago, ok])
        policy = cctv.FetchPolicy(connect_timeout_s=0.5, read_timeout_s=0.5, total_timeout_s=1.5,
                                  allow_internal=(base + "/",))
        svc = CameraService(lambda: con, policy)
        svc.run_once()
        svc.flush()
        cctv_fetcher.set_service(svc)
        try:
            yield store_file, base
        finally:
            cctv_fetcher.set_service(None)
            con.close()


def run_page(query: dict | None = None) -> AppTest:
    at = AppTest.from_file("../pages/cctv.py", default_timeout=60)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def html_of(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in at.markdown)


def test_exactly_one_live_picture_and_the_right_states(wall_db):
    _, base = wall_db
    page = html_of(run_page())
    assert len(re.findall(r"<img class='wr-cam-img'", page)) == 1
    assert "src='/api/cctv/CAM-1/snapshot.jpg?v=" in page
    states = dict(re.findall(r"data-kode='([^']+)' data-status='([^']+)'", page))
    # CAM-4 had a picture five minutes ago: stale, not yet dark
    assert states == {"CAM-1": "live", "CAM-2": "dark", "CAM-3": "dark", "CAM-4": "stale", "CAM-5": "dark",
                      "CAM-6": "link"}
    for reason in ("tidak menjawab (batas waktu)", "jawaban bukan gambar JPEG", "kamera mengalami gangguan",
                   "mengalihkan ke alamat lain (ditolak)"):
        assert reason in page
    assert "● Langsung" in page and "■ Gelap" in page and "◆ Tautan RTSP/HLS" in page
    # no camera address (nor its password) ever reaches the browser
    assert base not in page and "rahasia" not in page


def test_health_table_and_dark_list(wall_db):
    at = run_page()
    dark, health = at.dataframe[0].value, at.dataframe[1].value
    assert list(dark["Kode"]) == ["CAM-2", "CAM-3", "CAM-5"]
    assert list(health["Kode"]) == ["CAM-1", "CAM-2", "CAM-3", "CAM-4", "CAM-5", "CAM-6"]
    assert list(health["Status OPD"]) == ["online", "online", "online", "offline", "online", "online"]
    up = health.set_index("Kode")["Ketersediaan 24 jam (%)"].to_dict()
    # CAM-4: ok for 180 s, then failing for 120 s; a first check at 'now' covers no time yet
    assert up == {"CAM-1": "100,0 %", "CAM-2": "tidak tersedia", "CAM-3": "tidak tersedia", "CAM-4": "60,0 %",
                  "CAM-5": "tidak tersedia", "CAM-6": "tidak tersedia"}
    assert health.set_index("Kode")["Gambar terakhir berhasil"]["CAM-2"] == "belum pernah"


def test_health_download_keeps_numbers_and_empty_cells(wall_db):
    at = run_page({"kecamatan": "73.71.09"})
    assert list(at.dataframe[1].value["Kode"]) == ["CAM-4", "CAM-5"]   # the filter applies to the tables
    from warroom.ui.page import PageContext
    from warroom.ui.panels import cctv as panel
    rows = [r for r in cctv.health(db.connect(wall_db[0]), now()) if r["kode_cctv"] in ("CAM-1", "CAM-2")]
    for r in rows:
        r["status"] = r["measured_status"]
    df = panel.health_table(PageContext("cctv", "id", None, "anonim", None), rows, for_screen=False)
    assert df["Ketersediaan 24 jam (%)"].tolist()[0] == 100.0 and df["Ketersediaan 24 jam (%)"].isna().tolist()[1]
    assert df["Status terukur"].tolist() == ["live", "dark"]


def test_filters_are_read_from_the_url(wall_db):
    page = html_of(run_page({"status": "dark", "kecamatan": "73.71.09"}))
    assert re.findall(r"data-kode='([^']+)'", page) == ["CAM-5"]
    page = html_of(run_page({"kecamatan": "73.71.09"}))
    assert re.findall(r"data-kode='([^']+)'", page) == ["CAM-4", "CAM-5"]


def test_a_camera_opens_large_with_its_place_on_a_map(wall_db):
    at = run_page({"kamera": "CAM-1"})
    assert ("<div class='wr-cam-big'><img style='width:100%;height:auto;max-height:none;object-fit:contain' "
            "src='/api/cctv/CAM-1/snapshot.jpg") in html_of(at)
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    assert "mapProvider" not in deck          # map_provider=None: no base map from the internet
    assert (deck["initialViewState"]["latitude"], deck["initialViewState"]["longitude"]) == (-5.135, 119.41)
    assert [layer["@@type"] for layer in deck["layers"]] == ["GeoJsonLayer", "ScatterplotLayer"]


def test_an_unknown_camera_in_the_url_is_said_not_registered(wall_db):
    at = run_page({"kamera": "http://169.254.169.254/"})
    assert any("tidak terdaftar" in w.value for w in at.warning)


def test_wall_panel_shows_the_grid_only(wall_db):
    at = AppTest.from_string(
        "from warroom.ui import page\nfrom warroom.ui.panels import cctv\nctx = page.setup('cctv')\n"
        "cctv.render(ctx, wall=True)\n", default_timeout=60)
    at.run()
    assert not at.exception
    page = html_of(at)
    assert "class='wr-wall'" in page and "repeat(4, 1fr)" in page
    assert len(re.findall(r"<img class='wr-cam-img'", page)) == 1
    assert not at.button and not at.dataframe


def test_english_labels(wall_db):
    page = html_of(run_page({"lang": "en"}))
    assert "● Live" in page and "■ Dark" in page and "no answer (timeout)" in page
    assert "Agency: offline" in page


def test_rtsp_camera_at_a_private_address_opens_without_any_link(wall_db):
    # rtsp://admin:rahasia@10.73.1.1 : neither the password nor the private address leaves the server
    at = run_page({"kamera": "CAM-6"})
    assert [b.proto.url for b in at.get("link_button")] == []
    assert any("RTSP" in i.value for i in at.info)
    assert "rahasia" not in html_of(at) and "10.73.1.1" not in html_of(at)
