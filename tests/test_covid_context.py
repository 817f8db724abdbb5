"""The province's series (loaded with the shipped mapping) is drawn on the Covid page as context
beside the city, per 100,000 of the province's own population, with its source named; and a
source correction is marked on the daily chart."""
from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from pathlib import Path

from streamlit.testing.v1 import AppTest

from warroom import db
from warroom.ingest import ingest_file

ROOT = Path(__file__).resolve().parent.parent
SULSEL = ROOT / "data/reference/covid_sulsel_daily_satgas_danish1311.csv"
SULSEL_MAP = ROOT / "data/mappings/covid_sulsel_satgas_danish1311.json"
SULSEL_POPULATION = 9073509


def load_province(path):
    con = db.connect(path)
    try:
        r = ingest_file(con, "covid19_harian", SULSEL, kode_opd="SATGAS_COVID", username="t",
                        mapping=json.loads(SULSEL_MAP.read_text()))
        assert r.accepted, r.render_text()
    finally:
        con.close()


def expected_rate(day: date) -> float:
    with open(SULSEL, newline="") as fh:
        rows = {r["date"]: int(r["new_cases"]) for r in csv.DictReader(fh)}
    week = sum(rows.get((day - timedelta(days=i)).isoformat(), 0) for i in range(7))
    return week * 100000.0 / SULSEL_POPULATION


def test_province_series_alone_is_shown_as_context_not_lost(store_file):
    load_province(store_file)
    con = db.connect(store_file)
    try:
        got = con.execute(db.load_query("covid_context_series"),
                          {"kode": "73", "sumber": "SATGAS_COVID", "dari": date(2021, 7, 25),
                           "sampai": date(2021, 7, 31)}).fetchall()
    finally:
        con.close()
    assert len(got) == 7 and got[-1][0] == date(2021, 7, 31)
    assert got[-1][2:4] == ("Sulawesi Selatan", SULSEL_POPULATION)
    assert abs(got[-1][7] - expected_rate(date(2021, 7, 31))) < 1e-9
    at = AppTest.from_file("../pages/covid.py", default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [i.value for i in at.info][0] == "Belum ada data Covid-19 resmi untuk wilayah ini."
    assert [s.value for s in at.subheader] == ["Konteks: Sulawesi Selatan dan Kota Makassar"]
    captions = [c.value for c in at.caption]
    assert ("Sumber Sulawesi Selatan: SATGAS_COVID, berkas covid_sulsel_daily_satgas_danish1311.csv "
            "(501 baris, 19 Maret 2020 s.d. 1 Agustus 2021); penduduk 9.073.509 "
            "(BPS, Hasil Sensus Penduduk 2020 (Sulawesi Selatan)).") in captions
    assert len(at.get("plotly_chart")) == 1


def test_city_page_marks_corrections_and_shows_the_province_beside_it(store_file):
    load_province(store_file)
    con = db.connect(store_file)
    try:
        for text in ("tanggal,kode_wilayah,kasus_kumulatif,sembuh_kumulatif,meninggal_kumulatif\n"
                     "2021-07-01,73.71.01.1001,40,10,3\n2021-07-01,73.71.01.1002,20,5,1\n",
                     "tanggal,kode_wilayah,kasus_kumulatif,sembuh_kumulatif,meninggal_kumulatif\n"
                     "2021-07-31,73.71.01.1001,38,12,4\n2021-07-31,73.71.01.1002,26,6,1\n"):
            r = ingest_file(con, "covid19_harian", text.encode(), kode_opd="DINKES", username="t")
            assert r.accepted, r.render_text()
        assert con.execute(db.load_query("covid_corrections"), {"kode": "73.71", "produsen": "DINKES",
                           "dari": date(2021, 7, 1), "sampai": date(2021, 7, 31)}).fetchall() == [
            (date(2021, 7, 31), -2, 2, 1, 1)]
    finally:
        con.close()
    at = AppTest.from_file("../pages/covid.py", default_timeout=60)
    at.query_params["dari"] = "2021-07-01"
    at.query_params["sampai"] = "2021-07-31"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    captions = [c.value for c in at.caption]
    assert ("1 koreksi dari sumber dalam rentang ini: total kumulatif yang turun disimpan sebagai angka harian "
            "negatif dan ikut dijumlahkan.") in captions
    assert "Konteks: Sulawesi Selatan dan Kota Makassar" in [s.value for s in at.subheader]
    daily = at.get("plotly_chart")[0].proto.spec
    assert "Koreksi sumber (total turun)" in daily


def test_the_province_series_is_kept_in_an_export(store_file):
    load_province(store_file)
    from warroom import exports
    con = db.connect(store_file)
    try:
        lines = exports.to_bytes(con, "covid19_konteks").decode().splitlines()
        assert exports.to_bytes(con, "covid19_ppkm").decode().splitlines() == [
            "tanggal,kode_wilayah,kasus_7hari_per_100rb,rawat_inap_7hari_per_100rb,meninggal_7hari_per_100rb,"
            "positivity_7hari_persen,level_ppkm,indikator_tersedia"]
    finally:
        con.close()
    assert lines[0] == ("tanggal,kode_wilayah,sumber_opd,kasus_baru,kasus_7hari,kasus_7hari_per_100rb,"
                        "meninggal_7hari_per_100rb,level_ppkm,indikator_tersedia")
    assert len(lines) == 1 + 501      # 2020-03-19 .. 2021-08-01, every day has a row in the source
    assert lines[1] == "2020-03-19,73,SATGAS_COVID,2,2,,,,"
    last = lines[-1].split(",")
    assert last[:3] == ["2021-08-01", "73", "SATGAS_COVID"]
    assert float(last[5]) == round(expected_rate(date(2021, 8, 1)), 2)
