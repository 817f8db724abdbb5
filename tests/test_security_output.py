"""What leaves the server (issue 15): no camera password, token or private address reaches a
browser (item 1), and text from data is shown literally, never read as markdown or HTML (item 5).

Every page is run in AppTest as an anonymous viewer; everything Streamlit would send to the
browser (the element protos of the page, deck JSON included) is searched."""
from __future__ import annotations

import json

import pytest
from cctv_helpers import add_cameras
from streamlit.testing.v1 import AppTest

from warroom import cctv, db, peta, safe_text
from warroom.config import today

SECRET_URL = "http://admin:s3cretPW@203.0.113.7/snap.jpg?token=abc"
SECRETS = ("s3cretPW", "token=abc", "203.0.113.7", "admin:")
INJECTED = "Jl. Aman\n\n![x](http://127.0.0.1:9/x.png)\n\n<img src=http://127.0.0.1:9/y.png> **tebal**"
# (page, query) pairs an anonymous viewer can open, the wall with the camera and map panels included
PAGES = [("ringkasan", {}), ("peta", {}), ("peta", {"lapisan": "cctv"}), ("covid", {}), ("kinerja", {}),
         ("cctv", {}), ("cctv", {"kamera": "CAM-S"}), ("cctv", {"kamera": "CAM-R"}), ("cctv", {"kamera": "CAM-N"}),
         ("layar", {"panels": "cctv"}), ("layar", {"panels": "peta"}), ("layar", {}), ("masuk", {})]


@pytest.fixture
def secret_cameras(store_file):
    con = db.connect(store_file)
    try:
        for i, camera in enumerate([
            ("CAM-S", "Simpang Rahasia", "73.71.04", "online", SECRET_URL),
            ("CAM-R", "Pantai RTSP", "73.71.04", "online",
             "rtsp://viewer:s3cretPW@203.0.113.7:554/live?token=abc"),
            ("CAM-P", "Kamera Publik", "73.71.04", "online",
             "rtsp://viewer:s3cretPW@cams.example.org:554/live?token=abc&channel=2"),
            ("CAM-N", INJECTED, "73.71.04", "online", "http://cams.example.org/n.jpg"),
        ]):   # all four inside kecamatan 73.71.04 (Ujung Pandang)
            add_cameras(con, [camera], lat=-5.135 + i * 0.0005, lon=119.41)
    finally:
        con.close()
    return store_file


def _protos(node):
    proto = getattr(node, "proto", None)
    if proto is not None:
        yield proto
    for child in getattr(node, "children", {}).values():
        yield from _protos(child)


def sent(at: AppTest) -> str:
    """Everything of the page that would go to the browser, as text."""
    return "\n".join(str(p) for p in _protos(at._tree))


def run(page: str, query: dict) -> AppTest:
    at = AppTest.from_file(f"../pages/{page}.py", default_timeout=90)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("page, query", PAGES)
def test_no_camera_secret_reaches_an_anonymous_browser(secret_cameras, page, query):
    at = run(page, query)
    everything = sent(at)
    assert everything    # the page drew something
    assert [s for s in SECRETS if s in everything] == []


def test_the_map_sends_codes_and_the_apps_snapshot_route(secret_cameras):
    at = run("peta", {})
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    cams = {p["kode"]: p for layer in deck["layers"] if layer.get("id") == "cctv" for p in layer["data"]}
    assert {k: cams[k]["stream"] for k in ("CAM-S", "CAM-R", "CAM-P", "CAM-N")} == {
        "CAM-S": "/api/cctv/CAM-S/snapshot.jpg", "CAM-R": "",
        "CAM-P": "rtsp://cams.example.org:554/live?channel=2", "CAM-N": "/api/cctv/CAM-N/snapshot.jpg"}


def _detail_script():
    from warroom import peta as peta_rules
    from warroom.config import today
    from warroom.ui import data, page
    from warroom.ui.panels import peta as panel
    ctx = page.setup("peta")
    rows = peta_rules.load(data.cursor(), peta_rules.Options(today())).cctv
    for row in rows:
        panel._cctv_detail(ctx, row)


def test_the_map_detail_stream_button_opens_the_apps_picture(secret_cameras):
    at = AppTest.from_function(_detail_script, default_timeout=90)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [b.proto.url for b in at.get("link_button")] == [   # cameras in code order; CAM-R has none
        "/api/cctv/CAM-N/snapshot.jpg", "rtsp://cams.example.org:554/live?channel=2", "/api/cctv/CAM-S/snapshot.jpg"]
    assert [s for s in SECRETS if s in sent(at)] == []


def test_the_sanitiser():
    assert cctv.viewer_link("CAM-S", SECRET_URL) == "/api/cctv/CAM-S/snapshot.jpg"
    assert cctv.public_link(SECRET_URL) is None                           # documentation range: internal
    assert cctv.public_link("https://u:p@cams.example.org/hls/1.m3u8?Signature=x&X-Amz-Credential=y&q=1") == \
        "https://cams.example.org/hls/1.m3u8?q=1"
    for local in ("rtsp://10.73.1.1/live", "rtsp://kamera/live", "rtsp://cam.local/x", "rtsp://[fd00::1]/x",
                  "rtsp://[::ffff:10.0.0.1]/x", "rtsp://2130706433/x", "rtsp://localhost/x"):
        assert cctv.public_link(local) is None, local


# ------------------------------------------------------------------ item 5: text stays text

def _markdown(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in at.markdown) + "\n".join(str(s.value) for s in at.subheader)


@pytest.mark.parametrize("page, query", [("cctv", {}), ("cctv", {"kamera": "CAM-N"}), ("layar", {"panels": "cctv"})])
def test_a_camera_name_with_markdown_is_shown_literally(secret_cameras, page, query):
    body = _markdown(run(page, query))
    assert safe_text.text(INJECTED) in body          # the name, as inert text
    assert "](http" not in body and "<img src=http" not in body and "\n\n![" not in body


def test_the_map_detail_shows_the_name_literally(secret_cameras):
    at = AppTest.from_function(_detail_script, default_timeout=90)
    at.run()
    body = _markdown(at)
    assert safe_text.text(INJECTED) in body and "](http" not in body


def test_an_injected_camera_code_in_the_url_is_shown_literally(secret_cameras):
    at = run("cctv", {"kamera": "![x](http://127.0.0.1:9/x.png)"})
    assert [w.value for w in at.warning if "&#33;&#91;x&#93;&#40;http:&#47;&#47;" in w.value]
    assert not [w.value for w in at.warning if "](http" in w.value]


@pytest.mark.parametrize("raw, shown", [
    ("Jl. A\n\n![x](http://h/x.png)", "Jl. A &#33;&#91;x&#93;&#40;http:&#47;&#47;h&#47;x.png&#41;"),
    ("<b>x</b> & 'y'", "&#60;b&#62;x&#60;&#47;b&#62; &#38; &#39;y&#39;"),
    ("lihat www.contoh.id", "lihat www&#46;contoh.id"),
    (":red[merah] $x$ `k` <http://h>", ":red&#91;merah&#93; &#36;x&#36; &#96;k&#96; &#60;http:&#47;&#47;h&#62;"),
    ("Jl. Sudirman, No. 5 - CAM-1: ok", "Jl. Sudirman, No. 5 - CAM-1: ok"),
    ("a\tb\u2028c\x00d\u202ee", "a b cde"),
    (None, ""),
])
def test_safe_text(raw, shown):
    assert safe_text.text(raw) == shown


def test_deck_tooltip_keeps_data_as_text(secret_cameras):
    # the deck tooltip is filled by Streamlit, which escapes it; the row carries plain text only
    con = db.connect(secret_cameras)
    try:
        md = peta.load(con, peta.Options(today()))
    finally:
        con.close()
    row = next(r for r in md.cctv if r["kode"] == "CAM-N")
    assert row["nama"] == INJECTED and "url" not in row
    assert all(len(r["position"]) == 2 for r in md.cctv) and len(md.cctv) == 4 and md.problems == []


def test_a_viewers_export_of_cameras_has_no_secret_the_operators_keeps_the_url(secret_cameras):
    from warroom import exports
    con = db.connect(secret_cameras)
    try:
        header, rows = exports.rows_for(con, "cctv", viewer=True)
        shown = {r[0]: r[header.index("url_stream")] for r in rows}
        operator = {r[0]: r[header.index("url_stream")] for r in exports.rows_for(con, "cctv")[1]}
    finally:
        con.close()
    assert shown == {"CAM-N": "http://cams.example.org/n.jpg", "CAM-P": "rtsp://cams.example.org:554/live?channel=2",
                     "CAM-R": None, "CAM-S": None}
    assert operator["CAM-S"] == SECRET_URL          # python -m warroom export: as sent, ingests back unchanged


def test_an_area_name_with_markdown_is_shown_literally_on_the_covid_page(store_file):
    from covid_fixtures import MARISO, day, insert

    from warroom import derived
    con = db.connect(store_file)
    try:   # the wilayah dataset is data too (the walidata sends it)
        kelurahan = [k for (k,) in con.execute("SELECT kode_wilayah FROM wilayah WHERE kode_induk = ?",
                                               [MARISO]).fetchall()]
        insert(con, [dict(tanggal=day(n), kode_wilayah=k, kasus_baru=n % 3, sembuh_baru=0, meninggal_baru=0)
                     for k in kelurahan for n in range(1, 15)])
        con.execute("UPDATE wilayah SET nama = ? WHERE kode_wilayah = ?", [INJECTED, kelurahan[0]])
        con.execute("UPDATE wilayah SET nama = ? WHERE kode_wilayah = ?", [INJECTED + " (kec)", MARISO])
        derived.after_change(con, "wilayah")
    finally:
        con.close()
    at = run("covid", {"wilayah": MARISO, "sampai": "2026-11-14"})
    assert safe_text.text(INJECTED + " (kec)") in at.title[0].value
    ranking = next(m.value for m in at.markdown if "<table class='wr-covid-rank'" in m.value)
    assert f"<td>{safe_text.text(INJECTED)}</td>" in ranking
    assert "](http" not in at.title[0].value and "](http" not in _markdown(at)
