"""Ringkasan: each headline figure from a hand-made store, and the page on the demo database."""
from __future__ import annotations

import re
from datetime import date

import pytest
from covid_fixtures import mariso_fixture, upload
from streamlit.testing.v1 import AppTest

from warroom import db, reference, ringkasan
from warroom.config import today

TODAY = date(2026, 11, 28)   # WARROOM_NOW in tests/conftest.py


def insert(con, dataset, sender, columns, rows):
    up = upload(con, sender, dataset)
    for r in rows:
        con.execute(f"insert into {dataset} ({', '.join(columns)}, sumber_opd, upload_id) "
                    f"values ({', '.join('?' * len(columns))}, ?, ?)", list(r) + [sender, up])


@pytest.fixture
def city(store):
    mariso_fixture(store)
    insert(store, "cctv", "DISHUB", ("kode_cctv", "nama_lokasi", "latitude", "longitude", "status"), [
        ("C1", "A", -5.14, 119.42, "online"), ("C2", "B", -5.14, 119.42, "online"),
        ("C3", "C", -5.14, 119.42, "online"), ("C4", "D", -5.14, 119.42, "rusak")])
    # another sender's camera is not the producer's figure
    insert(store, "cctv", "DISKOMINFO", ("kode_cctv", "nama_lokasi", "latitude", "longitude", "status"), [
        ("C4", "D", -5.14, 119.42, "online")])
    insert(store, "menara_bts", "DISKOMINFO",
           ("kode_menara", "operator", "latitude", "longitude", "status_izin", "izin_berakhir"), [
               ("M1", "XL", -5.14, 119.42, "kedaluwarsa", date(2025, 1, 1)),
               ("M2", "XL", -5.14, 119.42, "berlaku", date(2026, 11, 27)),    # ended yesterday
               ("M3", "XL", -5.14, 119.42, "berlaku", date(2026, 11, 28)),    # ends today: expiring
               ("M4", "XL", -5.14, 119.42, "berlaku", date(2027, 2, 26)),     # today + 90 days
               ("M5", "XL", -5.14, 119.42, "berlaku", date(2027, 2, 27)),     # today + 91 days
               ("M6", "XL", -5.14, 119.42, "tanpa_izin", None),
               ("M7", "XL", -5.14, 119.42, "proses", None)])
    insert(store, "aplikasi", "DISKOMINFO",
           ("kode_aplikasi", "nama_aplikasi", "kode_opd", "status", "ketersediaan_persen"), [
               ("A1", "Lancar", "DINKES", "aktif", 99.0), ("A2", "Pas batas", "DINKES", "aktif", 95.0),
               ("A3", "Tersendat", "DISHUB", "aktif", 94.99), ("A4", "Mati", "DISHUB", "nonaktif", None),
               ("A5", "Baru", "DISHUB", "pengembangan", None)])
    return store


def test_covid_headline_of_the_city(city):
    c = ringkasan.covid_summary(city)
    assert c.tanggal == date(2026, 11, 14)
    assert (c.aktif, c.kasus_baru, c.kasus_7hari, c.kasus_7hari_sebelumnya) == (197, 14, 173, 31)
    assert c.tren == "naik"
    assert (c.level, c.indikator) == (1, "kasus;rawat_inap;meninggal")


def test_cctv_towers_and_apps(city):
    cam = ringkasan.cctv_summary(city)
    assert (cam.jumlah, cam.online, cam.persen_online) == (4, 3, 75.0)
    towers = ringkasan.menara_summary(city, TODAY)
    assert (towers.jumlah, towers.kedaluwarsa, towers.segera_berakhir, towers.tanpa_izin) == (7, 2, 2, 1)
    apps = ringkasan.aplikasi_summary(city)
    assert (apps.jumlah, apps.aktif) == (5, 3)
    assert [a["kode_aplikasi"] for a in apps.bermasalah] == ["A4", "A3"]


def test_kinerja_without_reports_is_not_available(city):
    k = ringkasan.kinerja_summary(city, TODAY)
    assert k.bulan is None and k.persen_tercapai is None and k.terlambat == []


def test_freshness_of_every_dataset(city):
    rows = {r.dataset: r for r in ringkasan.freshness_rows(city, TODAY)}
    assert set(rows) == {"wilayah", "opd", "covid19_harian", "kinerja_opd", "cctv", "menara_bts", "fasyankes",
                         "aplikasi"}
    covid = rows["covid19_harian"]
    assert (covid.newest, covid.age_days, covid.status) == ("2026-11-14", 14, "stale")
    assert covid.by == "uji_dinkes (DINKES)"
    assert rows["cctv"].status == "on_change" and rows["cctv"].age_days == 0
    assert rows["kinerja_opd"].status == "none" and rows["kinerja_opd"].age_days is None


# --- the page on the demo database ---------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from warroom import demo
    path = tmp_path_factory.mktemp("ringkasan_demo") / "demo.duckdb"
    con = db.open_store(path, create=True)
    reference.load_reference(con)
    demo.load_demo(con, as_of=today(), scale=1, seed=7371)
    con.close()
    return path


def cards(at: AppTest) -> dict[str, str]:
    html = next(m.value for m in at.markdown if "data-card='" in m.value)
    found = re.findall(r"data-card='(\w+)'><div class='wr-label'>[^<]*</div><div class='wr-value[^']*'>([^<]*)", html)
    return dict(found)


def test_page_cards_match_plain_sql(demo_db, monkeypatch):
    monkeypatch.setenv("WARROOM_DB", str(demo_db))
    con = db.connect(demo_db)
    try:
        online, total = con.execute("select count(*) filter (where status = 'online'), count(*) from cctv "
                                    "where sumber_opd = 'DISHUB'").fetchone()
        expired = con.execute("select count(*) from menara_bts where status_izin = 'kedaluwarsa' "
                              "or (status_izin = 'berlaku' and izin_berakhir < ?)", [today()]).fetchone()[0]
        down = con.execute("select count(*) from aplikasi where status = 'nonaktif' "
                           "or (status = 'aktif' and ketersediaan_persen < 95)").fetchone()[0]
        active = con.execute("select sum(kasus_baru) - sum(sembuh_baru) - sum(meninggal_baru) from covid19_harian "
                             "where sumber_opd = 'DINKES'").fetchone()[0]
    finally:
        con.close()
    at = AppTest.from_file("../pages/ringkasan.py", default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    got = cards(at)
    assert got["cctv"] == f"{online * 100 / total:.1f} %".replace(".", ",")
    assert got["menara"] == str(expired)
    assert got["aplikasi"] == str(down)
    assert got["covid_active"] == f"{active:,}".replace(",", ".")
    assert re.match(r"^[●▲◆■] Level [1-4]$", got["covid_level"])
    assert re.match(r"^\d+,\d %$", got["kinerja"])
    table = next(m.value for m in at.markdown if "data-table='freshness'" in m.value)
    assert table.count("<tr>") == 1 + 8
