"""The map's data and deck (warroom.peta, warroom.peta.deck) and the Peta page in AppTest.

Fixture: the real boundaries plus a few points at the real referral hospitals' coordinates,
one of them coded with the wrong kecamatan, and 14 days of Covid rows for Mariso
(kelurahan rows) and Mamajang (the kecamatan's own row).
"""
from __future__ import annotations

import json
import math
from datetime import date, datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from warroom import covid, db, lineage, peta
from warroom.config import city
from warroom.peta import deck as peta_deck

WAHIDIN = (119.4917125, -5.1348968)
TADJUDDIN = (119.5144349, -5.1112459)
LABUANG = (119.4160676, -5.1625757)
PELAMONIA = (119.4127449, -5.1381122)
DAY = date(2026, 11, 27)

OKABE = {"green": [0, 158, 115, 255], "reddish_purple": [204, 121, 167, 255], "vermillion": [213, 94, 0, 255], "orange": [230, 159, 0, 255],
         "blue": [0, 114, 178, 255], "sky": [86, 180, 233, 255], "grey": [153, 153, 153, 255]}


def fill(con) -> None:
    uid = lineage.new_upload(con, dataset="cctv", kode_opd="DISHUB", username="uji", file_name="uji.csv",
                             sha256="x", status="accepted", rows_total=1, rows_inserted=1)
    cctv = [("CCTV-1", "Simpang Pelamonia", PELAMONIA[1], PELAMONIA[0], "73.71.04.1005", "online",
             "https://cctv.example/1", datetime(2026, 11, 28, 9, 0)),
            ("CCTV-2", "Depan <b>Wahidin</b>", WAHIDIN[1], WAHIDIN[0], None, "offline", "rtsp://cam/2", None),
            ("CCTV-3", "Kode salah", WAHIDIN[1], WAHIDIN[0] + 0.001, "73.71.01", "rusak", None, None),
            ("CCTV-4", "Labuang Baji", LABUANG[1], LABUANG[0], "73.71.02", "pemeliharaan", "http://c/4", None)]
    con.executemany("INSERT INTO cctv VALUES (?,?,?,?,?,?,?,?,'DISHUB',?)", [r + (uid,) for r in cctv])
    towers = [("BTS-1", "Telkomsel;XL", "Mitratel", TADJUDDIN[1], TADJUDDIN[0], None, 42.0, "berlaku", date(2027, 5, 1)),
              ("BTS-2", "Indosat", "Protelindo", LABUANG[1], LABUANG[0] + 0.002, "73.71.02", 30.0, "kedaluwarsa",
               date(2026, 1, 31)),
              ("BTS-3", "XL", "TBG", PELAMONIA[1], PELAMONIA[0] - 0.002, None, None, "tanpa_izin", None)]
    con.executemany("INSERT INTO menara_bts VALUES (?,?,?,?,?,?,?,?,?,'DISKOMINFO',?)", [r + (uid,) for r in towers])
    faskes = [("RS-1", "RSUP Wahidin", "rs", WAHIDIN[1], WAHIDIN[0], None, DAY, 700, 630, 40, 10),
              ("RS-1", "RSUP Wahidin", "rs", WAHIDIN[1], WAHIDIN[0], None, date(2026, 11, 20), 700, 100, 40, 10),
              ("RS-2", "RS Labuang Baji", "rs", LABUANG[1], LABUANG[0], "73.71.02", DAY, 200, 100, 20, 2),
              ("PKM-1", "Puskesmas Pelamonia", "puskesmas", PELAMONIA[1] + 0.002, PELAMONIA[0], None, DAY,
               None, None, None, None)]
    con.executemany("INSERT INTO fasyankes VALUES (?,?,?,?,?,?,?,?,?,?,?,'DINKES',?)", [r + (uid,) for r in faskes])
    rows = []
    for i in range(14):
        d = DAY - timedelta(days=i)
        rows.append((d, "73.71.01.1001", 3, 1, 0, 1))
        rows.append((d, "73.71.01.1002", 1 if i == 0 else 0, 0, 0, None))
        rows.append((d, "73.71.02", 10, 2, 1 if i < 2 else 0, None))
    rows.append((DAY, "73.71.02.1001", 99, 0, 0, None))        # Mamajang's own row wins over its children
    rows.append((DAY, "73.71.03", 500, 0, 0, None))            # another sender's figure is not official:
    con.executemany("INSERT INTO covid19_harian (tanggal, kode_wilayah, kasus_baru, sembuh_baru, meninggal_baru, "
                    "rawat_inap_baru, sumber_opd, upload_id) VALUES (?,?,?,?,?,?,'DINKES',?)",
                    [r + (uid,) for r in rows[:-1]])
    con.execute("INSERT INTO covid19_harian (tanggal, kode_wilayah, kasus_baru, sembuh_baru, meninggal_baru, "
                "sumber_opd, upload_id) VALUES (?, '73.71.03', 500, 0, 0, 'SATGAS_COVID', ?)", [DAY, uid])


@pytest.fixture
def filled(store):
    fill(store)
    return store


def load(con, **kw) -> peta.MapData:
    kw.setdefault("tanggal", DAY)
    return peta.load(con, peta.Options(**kw))


def area(md: peta.MapData, kode: str) -> dict:
    return next(a for a in md.areas if a["kode"] == kode)


def deck_json(md: peta.MapData, **kw) -> dict:
    return json.loads(peta_deck.build(md, **kw).to_json())


def layer(spec: dict, layer_id: str) -> dict:
    return next(la for la in spec["layers"] if la["id"] == layer_id)


# ---------------------------------------------------------------- measures

def test_transmission_level_from_unrounded_weekly_rates():
    pop = 100_000
    assert peta.transmission_level(19.999, None, None, pop) == 1
    assert peta.transmission_level(20, None, None, pop) == 2
    assert peta.transmission_level(149.9, None, None, pop) == 3
    assert peta.transmission_level(150, None, None, pop) == 4
    assert peta.transmission_level(0, 10, 0, pop) == 3          # admissions reach level 3
    assert peta.transmission_level(0, None, 5, pop) == 4         # deaths reach level 4
    assert peta.transmission_level(None, None, None, pop) is None
    assert peta.transmission_level(10, 1, 0, None) is None       # population unknown


@pytest.mark.parametrize("cases,admissions,deaths", [
    (19.999, None, None), (20, None, None), (49.999, None, None), (50, None, None), (149.999, None, None),
    (150, None, None), (0, 4.999, 0), (0, 5, 0), (0, 10, 0), (0, 30, 0), (0, 0, 0.999), (0, 0, 1),
    (0, 0, 2), (0, 0, 5), (None, None, None), (None, 10, None)])
def test_the_map_and_the_covid_page_share_one_transmission_rule(cases, admissions, deaths):
    """Per 100,000 people the map's weekly counts are the Covid page's rates: same level."""
    assert peta.transmission_level(cases, admissions, deaths, 100_000) == covid.level_of_rates(cases, admissions, deaths)
    # and over another population the counts become rates before the rule
    pop = 250_000
    rates = [None if c is None else c * 100_000 / pop for c in (cases, admissions, deaths)]
    assert peta.transmission_level(cases, admissions, deaths, pop) == covid.level_of_rates(*rates)


def test_the_map_legend_shows_the_covid_pages_level_colours_and_symbols(store):
    md = peta.load(store, peta.Options(tanggal=date(2026, 11, 28), ukuran="level"))
    peta.colour_areas(md)
    levels = [c for c in md.classes if c["key"] in (1, 2, 3, 4)]
    assert [(c["colour"], c["symbol"]) for c in levels] == [covid.LEVEL_STYLE[lv] for lv in (1, 2, 3, 4)]


def test_kecamatan_covid_figures(filled):
    md = load(filled)
    mariso, mamajang, makassar = area(md, "73.71.01"), area(md, "73.71.02"), area(md, "73.71.03")
    # Mariso from its kelurahan rows: 7 days x 3 + 1 case; admissions 7 -> 11.6/100k -> level 3.
    assert (mariso["kasus_7h"], mariso["aktif"], mariso["penduduk"]) == (22, 29, 60369)
    assert mariso["kasus_100k"] == pytest.approx(22 / 60369 * 100_000)
    assert mariso["level"] == 3
    # Mamajang's own rows, not its child's 99: 70 cases, 2 deaths (3.3/100k) -> level 3.
    assert (mamajang["kasus_7h"], mamajang["aktif"], mamajang["level"]) == (70, 110, 3)
    # Makassar has only another sender's row: no official figure, "tidak tersedia", never 0.
    assert (makassar["kasus_7h"], makassar["aktif"], makassar["nilai"]) == (None, None, "tidak tersedia")
    assert makassar["fill"] == [153, 153, 153, 200]
    assert len(md.areas) == 15 and len(md.labels) == 15


def test_no_weekly_figures_before_the_seventh_day(filled):
    early = load(filled, tanggal=date(2026, 11, 19))   # data starts 14 Nov: 6 days only
    assert area(early, "73.71.01")["kasus_7h"] is None and area(early, "73.71.01")["level"] is None
    assert area(early, "73.71.01")["aktif"] == 12
    assert area(load(filled, tanggal=date(2026, 11, 20)), "73.71.01")["kasus_7h"] == 21


def test_the_maps_figures_are_the_covid_pages(filled):
    """One roll-up: the map reads the Covid page's per-area table, so a kecamatan whose own
    rows leave admissions empty takes them from its kelurahan (per column, docs/covid.md)."""
    kecamatan = "73.71.05"
    kelurahan = filled.execute("select min(kode_wilayah) from wilayah where kode_induk = ?", [kecamatan]).fetchone()[0]
    uid = lineage.new_upload(filled, dataset="covid19_harian", kode_opd="DINKES", username="uji", file_name="b.csv",
                             sha256="y", status="accepted", rows_total=14, rows_inserted=14)
    for i in range(7):
        d = DAY - timedelta(days=i)
        filled.execute("INSERT INTO covid19_harian (tanggal, kode_wilayah, kasus_baru, sembuh_baru, meninggal_baru, "
                       "sumber_opd, upload_id) VALUES (?, ?, 1, 0, 0, 'DINKES', ?)", [d, kecamatan, uid])
        filled.execute("INSERT INTO covid19_harian (tanggal, kode_wilayah, kasus_baru, sembuh_baru, meninggal_baru, "
                       "rawat_inap_baru, sumber_opd, upload_id) VALUES (?, ?, 0, 0, 0, 5, 'DINKES', ?)",
                       [d, kelurahan, uid])
    covid.ensure_daily(filled)
    for tingkat in ("kecamatan", "kelurahan"):
        md = load(filled, tingkat=tingkat)
        table = {r[0]: r[1:] for r in filled.execute(
            "select kode_wilayah, kasus_7hari, aktif, penduduk, kasus_7hari_per_100rb, rawat_inap_7hari_per_100rb, "
            "meninggal_7hari_per_100rb from covid19_wilayah_harian where tanggal = ? and tingkat = ?",
            [DAY, tingkat]).fetchall()}
        assert {a["kode"] for a in md.areas if a["kasus_7h"] is not None} == {k for k, r in table.items() if r[0] is not None}
        for kode, (k7, aktif, pop, *rates) in table.items():
            a = area(md, kode)
            assert (a["kasus_7h"], a["aktif"], a["penduduk"], a["level"]) == (k7, aktif, pop, covid.level_of_rates(*rates))
    # 7 cases and 35 admissions in a week: the admissions decide the level, as on the Covid page.
    rollup = area(load(filled), kecamatan)
    assert rollup["kasus_7h"] == 7 and rollup["level"] == covid.level_of_rates(
        7 * 100_000 / rollup["penduduk"], 35 * 100_000 / rollup["penduduk"], 0) == 4


def test_a_day_after_the_data_shows_the_newest_days_figures(filled):
    """A day the data has not reached shows the newest day's figures and says which day, not
    a week of zeros."""
    newest, later = load(filled), load(filled, tanggal=DAY + timedelta(days=3))
    for kode in ("73.71.01", "73.71.02", "73.71.03"):
        assert ({k: area(later, kode)[k] for k in ("kasus_7h", "aktif", "level", "data_sampai")}
                == {k: area(newest, kode)[k] for k in ("kasus_7h", "aktif", "level", "data_sampai")})
    assert area(later, "73.71.01")["data_sampai"] == DAY and area(later, "73.71.01")["kasus_7h"] == 22


def test_choropleth_classes_and_legend(filled):
    md = load(filled, ukuran="level")
    assert [c["label"] for c in md.classes] == ["Level 1", "Level 2", "Level 3", "Level 4", "tidak tersedia"]
    assert area(md, "73.71.01")["fill"] == [230, 159, 0, 200]       # level 3 = Okabe-Ito orange
    assert area(md, "73.71.01")["nilai"] == "Level 3"
    rate = load(filled)
    assert [c["label"] for c in rate.classes] == ["0,0 – 37,0", "37,0 – 120,0", "tidak tersedia"]
    assert area(rate, "73.71.02")["fill"] == [8, 81, 156, 200]


def test_anonymous_kelurahan_counts_below_five_are_hidden(filled):
    anon = load(filled, tingkat="kelurahan", ukuran="aktif", anonymous=True)
    small = area(anon, "73.71.01.1002")       # 1 active case
    assert small["nilai"] == "<5" and small["fill"] == [204, 121, 167, 200]
    assert small["tooltip"] == ("Kelurahan Mattoangin\nKasus aktif: <5\nKasus baru 7 hari: <5\n"
                                "Kasus baru 7 hari per 100.000 penduduk: <5\nLevel transmisi komunitas: Level 1")
    assert area(anon, "73.71.01.1001")["nilai"] == "28"
    assert "<5" in [c["label"] for c in anon.classes]
    signed_in = load(filled, tingkat="kelurahan", ukuran="aktif", anonymous=False)
    assert area(signed_in, "73.71.01.1002")["nilai"] == "1"
    # The weekly rate of a kelurahan with 1 case is hidden too, in the tooltip figures.
    figures = dict(peta.area_figures(area(load(filled, tingkat="kelurahan", anonymous=True), "73.71.01.1002"),
                                     peta.Options(DAY, "kelurahan", anonymous=True)))
    assert figures["Kasus baru 7 hari"] == "<5" and figures["Kasus baru 7 hari per 100.000 penduduk"] == "<5"


# ---------------------------------------------------------------- points and data problems

def test_points_get_their_area_and_wrong_codes_become_problems(filled):
    md = load(filled)
    assert [(r["kode"], r["kode_wilayah"], r["status"]) for r in md.cctv] == [
        ("CCTV-1", "73.71.04.1005", "online"), ("CCTV-2", "73.71.14.1003", "offline"),
        ("CCTV-4", "73.71.02.1007", "pemeliharaan")]
    assert [(p["dataset"], p["kode"], p["kode_wilayah"], p["wilayah_titik"], p["nama_wilayah_titik"])
            for p in md.problems] == [("cctv", "CCTV-3", "73.71.01", "73.71.14", "Tamalanrea")]
    assert md.problems[0]["jarak_m"] > 8000
    rows = peta.problem_rows(md)
    assert rows[0]["Wilayah menurut koordinat"] == "73.71.14 Tamalanrea"
    # Counts per area come from the points kept.
    assert (area(md, "73.71.14")["cctv"], area(md, "73.71.02")["cctv"], area(md, "73.71.01")["cctv"]) == (1, 1, 0)
    assert (area(md, "73.71.02")["bor"], area(md, "73.71.14")["bor"], area(md, "73.71.04")["bor"]) == (50.0, 90.0, None)


def test_stream_link_is_the_apps_snapshot_route_never_the_stored_url(filled):
    md = load(filled)
    by = {r["kode"]: r for r in md.cctv}
    # fetched cameras: the app's own picture; rtsp://cam/2 is a local name: no link at all
    assert (by["CCTV-1"]["stream"], by["CCTV-2"]["stream"], by["CCTV-4"]["stream"]) == (
        "/api/cctv/CCTV-1/snapshot.jpg", "", "/api/cctv/CCTV-4/snapshot.jpg")
    assert all("url" not in r and "url_stream" not in r for r in md.cctv)
    # Plain text: the browser escapes it when it fills the tooltip (no markup from uploads).
    assert by["CCTV-2"]["tooltip"] == ("CCTV CCTV-2\nDepan <b>Wahidin</b>\n■ Offline\n"
                                       "Terakhir aktif: tidak tersedia")
    assert by["CCTV-1"]["terakhir_aktif"] == "28 November 2026 09.00 WITA"


def test_towers_filtered_by_operator_and_provider(filled):
    assert [r["kode"] for r in load(filled).menara] == ["BTS-1", "BTS-2", "BTS-3"]
    assert [r["kode"] for r in load(filled, operator="XL").menara] == ["BTS-1", "BTS-3"]
    assert [r["kode"] for r in load(filled, operator="XL", penyedia="TBG").menara] == ["BTS-3"]
    md = load(filled, penyedia="Mitratel")
    assert [r["kode"] for r in md.menara] == ["BTS-1"]
    assert md.operators == ["Indosat", "Telkomsel", "XL"] and md.providers == ["Mitratel", "Protelindo", "TBG"]


def test_facilities_use_the_latest_report_on_or_before_the_date(filled):
    now = {r["kode"]: r for r in load(filled).faskes}
    assert (now["RS-1"]["bor"], now["RS-1"]["color"]) == (90.0, OKABE["reddish_purple"])
    assert (now["RS-2"]["bor"], now["RS-2"]["color"]) == (50.0, OKABE["sky"])
    assert (now["PKM-1"]["bor"], now["PKM-1"]["color"]) == (None, OKABE["grey"])
    assert now["RS-1"]["radius"] > now["RS-2"]["radius"] > now["PKM-1"]["radius"]
    before = {r["kode"]: r for r in load(filled, tanggal=date(2026, 11, 20)).faskes}
    assert set(before) == {"RS-1"} and before["RS-1"]["bor"] == pytest.approx(100 / 7)


# ---------------------------------------------------------------- the deck

def test_deck_layers_colours_and_tooltips(filled):
    spec = deck_json(load(filled))
    assert [la["id"] for la in spec["layers"]] == ["wilayah", "faskes", "menara", "cctv", "label"]
    assert "mapProvider" not in spec and spec.get("mapStyle") in (None, "__MAP_STYLE__")
    cctv = layer(spec, "cctv")
    assert cctv["radiusUnits"] == "pixels"
    assert [(d["kode"], d["color"]) for d in cctv["data"]] == [
        ("CCTV-1", OKABE["green"]), ("CCTV-2", OKABE["vermillion"]), ("CCTV-4", OKABE["blue"])]
    assert "■ Offline" in cctv["data"][1]["tooltip"]
    towers = layer(spec, "menara")
    assert [(d["kode"], d["color"]) for d in towers["data"]] == [
        ("BTS-1", OKABE["green"]), ("BTS-2", OKABE["orange"]), ("BTS-3", OKABE["vermillion"])]
    assert towers["filled"] is False and towers["stroked"] is True
    assert "Izin kedaluwarsa" in towers["data"][1]["tooltip"] and "31 Januari 2026" in towers["data"][1]["tooltip"]
    polys = layer(spec, "wilayah")["data"]
    assert len({p["kode"] for p in polys}) == 15
    assert sum(p["kode"] == "73.71.15" for p in polys) > 5     # the islands, one polygon each
    mariso = next(p for p in polys if p["kode"] == "73.71.01")
    assert "Kecamatan Mariso" in mariso["tooltip"] and "36,4" in mariso["tooltip"]
    labels = layer(spec, "label")
    assert {d["text"] for d in labels["data"]} >= {"Mariso", "Kepulauan Sangkarrang"}
    # Where names collide the larger kecamatan keeps its label: Tamalate (largest) ranks above Mariso.
    prio = {d["text"]: d["priority"] for d in labels["data"]}
    assert prio["Tamalate"] > prio["Mariso"] and labels["collisionEnabled"] is True
    assert all(la.get("pickable") for la in spec["layers"] if la["id"] != "label")


def test_deck_tooltips_in_english(filled):
    spec = deck_json(load(filled, lang="en", tingkat="kelurahan"))
    towers = layer(spec, "menara")["data"]
    assert "Permit expired" in towers[1]["tooltip"] and "31 January 2026" in towers[1]["tooltip"]
    polys = layer(spec, "wilayah")["data"]
    assert len({p["kode"] for p in polys}) == 153
    assert "Urban village" in polys[0]["tooltip"]
    # kecamatan names at kelurahan level too; the three that would overlap at the opening view are left out
    assert len(layer(spec, "label")["data"]) == 12


def test_layers_can_be_switched_off(filled):
    spec = deck_json(load(filled, lapisan=("wilayah", "cctv")))
    assert [la["id"] for la in spec["layers"]] == ["wilayah", "cctv"]
    md = load(filled, lapisan=("cctv",))
    assert [s["title"] for s in peta_deck.legend(md)] == ["CCTV"]
    assert [i["label"] for i in peta_deck.legend(md)[0]["items"]] == ["Online", "Offline", "Rusak", "Pemeliharaan"]


def test_initial_view_fits_the_whole_city_including_the_islands():
    bbox = city().bbox
    width, height = 1100, 640
    view = peta_deck.fit_bbox(bbox, width, height)
    scale = 512 * 2 ** view.zoom
    px_w = (bbox[2] - bbox[0]) / 360 * scale

    def merc(lat):
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / (2 * math.pi)

    px_h = (merc(bbox[3]) - merc(bbox[1])) * scale
    assert px_w <= width and px_h <= height
    assert max(px_w / width, px_h / height) > 0.9          # and not much smaller than the frame
    assert view.longitude == pytest.approx((bbox[0] + bbox[2]) / 2)
    assert bbox[1] < view.latitude < bbox[3]
    assert bbox[0] < 119.1 and bbox[3] > -4.98             # Kepulauan Sangkarrang is inside the box


def test_basemap_only_when_configured(filled, monkeypatch):
    monkeypatch.setitem(city().peta, "basemap", "https://basemaps.example/style.json")
    spec = deck_json(load(filled))
    assert spec["mapProvider"] == "carto" and spec["mapStyle"] == "https://basemaps.example/style.json"


def test_many_points_are_grouped_per_cell(filled):
    md = load(filled)
    rows = [{**md.cctv[0], "kode": f"C{i}", "status": "online" if i % 3 else "rusak",
             "position": [119.40 + (i % 100) * 0.001, -5.15 + (i // 100) * 0.001]} for i in range(10_000)]
    md.cctv = rows
    spec = deck_json(md)
    cells = layer(spec, "cctv")["data"]
    assert len(cells) < peta.MAX_POINTS
    assert sum(c["count"] for c in cells) == 10_000
    assert all(c["jenis"] == "kelompok" for c in cells)
    assert cells[0]["color"] == OKABE["green"] and "Online" in cells[0]["tooltip"]


def test_constant_props_are_not_turned_into_accessors(filled):
    # pydeck reads an unquoted string as an expression ("@@=pixels"), which hangs deck.gl.
    spec = deck_json(load(filled))
    for lay in spec["layers"]:
        for key in ("radiusUnits", "sizeUnits", "lineWidthUnits", "fontFamily", "getTextAnchor"):
            if key in lay:
                assert not str(lay[key]).startswith("@@="), (lay["id"], key, lay[key])
    assert layer(spec, "cctv")["radiusUnits"] == "pixels" and layer(spec, "label")["sizeUnits"] == "pixels"


def test_deck_json_is_compact(filled):
    md = load(filled)
    text = peta_deck.build(md).to_json()
    assert "\n" not in text and ": " not in text[:200]


# ---------------------------------------------------------------- the page (AppTest)

@pytest.fixture
def page_db(store_file):
    con = db.connect(store_file)
    try:
        fill(con)
    finally:
        con.close()
    return store_file


def run_page(params: dict | None = None) -> AppTest:
    at = AppTest.from_file("../pages/peta.py", default_timeout=60)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def page_spec(at: AppTest) -> dict:
    # The main map (the islands' inset, when the city has some, is a second small map).
    charts = [c for c in at.get("deck_gl_json_chart") if c.key == "peta_map"]
    assert len(charts) == 1
    return json.loads(charts[0].proto.json)


def test_page_opens_on_the_newest_covid_date_and_writes_the_url(page_db):
    at = run_page()
    spec = page_spec(at)
    assert [la["id"] for la in spec["layers"]] == ["wilayah", "faskes", "cctv", "label"]   # towers off by default
    assert at.query_params["lapisan"] == "wilayah,label,cctv,faskes"
    assert json.loads(at.get("deck_gl_json_chart")[0].proto.tooltip)["html"] == "{tooltip}"
    assert at.query_params["tanggal"] == "2026-11-27"
    assert at.query_params["ukuran"] == "kasus_100k" and at.query_params["tingkat"] == "kecamatan"
    # The data problem is listed under the map, not drawn.
    assert [r for r in at.dataframe[0].value["Kode"]] == ["CCTV-3"]
    assert "CCTV-3" not in [d["kode"] for d in layer(spec, "cctv")["data"]]


def test_page_towers_filtered_from_the_url(page_db):
    at = run_page({"lapisan": "menara", "operator": "XL", "penyedia": "TBG"})
    assert [d["kode"] for d in layer(page_spec(at), "menara")["data"]] == ["BTS-3"]
    assert at.selectbox(key="peta_operator").value == "XL"


def test_page_filters_from_the_url(page_db):
    at = run_page({"ukuran": "level", "tingkat": "kelurahan", "lapisan": "wilayah,cctv", "lang": "en",
                   "tanggal": "2026-11-27"})
    spec = page_spec(at)
    assert [la["id"] for la in spec["layers"]] == ["wilayah", "cctv"]
    polys = layer(spec, "wilayah")["data"]
    assert len({p["kode"] for p in polys}) == 153
    k1001 = next(p for p in polys if p["kode"] == "73.71.01.1001")
    assert k1001["nilai"] == "Level 4" and "Community transmission level" in k1001["tooltip"]
    assert "Offline" in layer(spec, "cctv")["data"][1]["tooltip"]


def test_page_bad_url_values_fall_back_to_defaults(page_db):
    at = run_page({"ukuran": "nonsense", "tingkat": "provinsi", "tanggal": "kemarin", "lapisan": "cctv,zzz"})
    spec = page_spec(at)
    assert [la["id"] for la in spec["layers"]] == ["cctv"]
    assert at.query_params["ukuran"] == "kasus_100k" and at.query_params["tanggal"] == "2026-11-27"


def test_page_anonymous_kelurahan_shows_less_than_five(page_db):
    at = run_page({"ukuran": "aktif", "tingkat": "kelurahan"})
    polys = layer(page_spec(at), "wilayah")["data"]
    assert next(p for p in polys if p["kode"] == "73.71.01.1002")["nilai"] == "<5"


def test_selected_object_reads_the_pydeck_selection():
    from warroom.ui.panels.peta import selected_object
    state = {"selection": {"indices": {"cctv": [1]}, "objects": {"wilayah": [], "cctv": [{"kode": "CCTV-2"}]}}}
    assert selected_object(state) == ("cctv", {"kode": "CCTV-2"})
    assert selected_object({"selection": {"indices": {}, "objects": {}}}) is None
    assert selected_object(None) is None


def test_the_map_opens_on_the_newest_day_of_the_registry_producer(store_file, monkeypatch):
    """The producer comes from the dataset registry (x-producer), not from the code."""
    from warroom import datasets, store
    from warroom.ui.panels import peta as peta_panel
    con = store.connection(store_file)
    for day, sender in (("2026-11-20", "DINKES"), ("2026-11-25", "SATGAS_COVID")):
        con.execute("INSERT INTO covid19_harian BY NAME SELECT ?::DATE AS tanggal, '73.71.01.1001' AS kode_wilayah, "
                    "1 AS kasus_baru, 0 AS sembuh_baru, 0 AS meninggal_baru, ? AS sumber_opd, 0 AS upload_id",
                    [day, sender])
    assert peta_panel.default_date() == date(2026, 11, 20)
    monkeypatch.setitem(datasets.get("covid19_harian").spec, "x-producer", "SATGAS_COVID")
    assert peta_panel.default_date() == date(2026, 11, 25)
