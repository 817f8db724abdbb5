"""Sources on the Katalog page (status of a healthy and a failing source, history, "Jalankan
sekarang" for the admin only) and on the Admin page (register, remove), in AppTest."""
from __future__ import annotations

import pytest
from pull_server import PullServer
from streamlit.testing.v1 import AppTest

from warroom import auth, db
from warroom.config import now
from warroom.pull import run, sources

PASSWORD = "Rahasia-Sumber-2026"
HEADER = ("tanggal,kode_wilayah,kasus_baru,sembuh_baru,meninggal_baru,rawat_inap_baru,dirawat,isolasi_mandiri,"
          "spesimen_diperiksa,spesimen_positif")
GOOD = f"{HEADER}\n2026-11-20,73.71.01.1001,12,10,1,2,30,5,40,3\n".encode()


@pytest.fixture
def page_db(store_file, monkeypatch):
    srv = PullServer()
    srv.thread.start()
    monkeypatch.setenv("WARROOM_PULL_ALLOW", srv.base + "/")
    con = db.connect(store_file)
    try:
        auth.add_user(con, "ani", PASSWORD, "admin")
        auth.add_user(con, "budi", PASSWORD, "staf_opd", "DINKES")
        sources.add(con, name="dinkes_harian", dataset="covid19_harian", kode_opd="DINKES",
                    url=srv.serve("/harian.csv", GOOD, Content_Type="text/csv"), at=now(),
                    auth_header="Authorization: Bearer jangan-tampil")
        sources.add(con, name="satgas_api", dataset="covid19_harian", kode_opd="SATGAS_COVID",
                    url=srv.serve("/api/covid", b"", status=503), at=now(), every=15)
        run.run_source(con, "dinkes_harian")
        run.run_source(con, "satgas_api")
    finally:
        con.close()
    yield srv
    srv.close()


def _open(page: str, username: str) -> AppTest:
    at = AppTest.from_file(f"../pages/{page}.py", default_timeout=120)
    at.session_state["auth_token"] = auth.start_session(username)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _table(at, column):
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert len(found) == 1
    return found[0]


def _status(at) -> list[tuple]:
    table = _table(at, "Terakhir berhasil")
    return list(zip(table["Sumber"], table["Hasil"], table["Galat"], table["Baris"]))


def test_katalog_shows_each_source_and_the_admin_runs_one_now(page_db):
    at = _open("katalog", "ani")
    assert _status(at) == [("dinkes_harian", "✔ diterima", "", 1),
                           ("satgas_api", "✖ gagal mengambil", "server menjawab HTTP 503", 0)]
    history = _table(at, "Unggahan")
    assert list(history["Hasil"]) == ["✔ diterima"]
    at.selectbox(key="sumber_pick").select("satgas_api")
    at.run()
    page_db.serve("/api/covid", GOOD.replace(b"73.71.01.1001", b"73.71.01.1002"), Content_Type="text/csv")
    at.button(key="sumber_run_now").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [s.value for s in at.success if s.value.startswith("Sumber ")] == ["Sumber satgas_api: ✔ diterima (#5)"]
    assert _status(at)[1][:2] == ("satgas_api", "✔ diterima")
    assert list(_table(at, "Unggahan")["Hasil"]) == ["✔ diterima", "✖ gagal mengambil"]
    shown = " ".join(str(d.value.to_dict()) for d in at.dataframe)
    assert "jangan-tampil" not in shown


def test_staff_see_the_status_but_no_run_button(page_db):
    at = _open("katalog", "budi")
    assert [row[0] for row in _status(at)] == ["dinkes_harian", "satgas_api"]
    assert [b for b in at.button if b.key == "sumber_run_now"] == []


def test_admin_registers_and_removes_a_source(page_db, store_file):
    at = _open("admin", "ani")
    at.text_input(key="sumber_add_name").input("dishub_json")
    at.selectbox(key="sumber_add_opd").select("DISHUB")
    at.selectbox(key="sumber_add_dataset").select("cctv")
    at.text_input(key="sumber_add_url").input("https://data.contoh.go.id/cctv?token=xyz")
    at.text_input(key="sumber_add_daily").input("6:05")
    at.selectbox(key="sumber_add_format").select("json")
    at.text_input(key="sumber_add_json_path").input("data")
    at.text_input(key="sumber_add_header").input("X-Api-Key: kunci-rahasia")
    next(b for b in at.button if b.label == "Daftarkan").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    listed = _table(at, "Alamat")
    row = listed[listed["Sumber"] == "dishub_json"].iloc[0]
    assert (row["Alamat"], row["Format"], row["Jadwal"], row["Otorisasi"]) == (
        "https://data.contoh.go.id/cctv?…", "json", "harian pukul 06:05 WITA", "ya")
    con = db.connect(store_file)
    try:
        assert sources.auth_header_of(con, "dishub_json") == {"X-Api-Key": "kunci-rahasia"}
    finally:
        con.close()
    at.selectbox(key="sumber_remove_name").select("dishub_json")
    at.checkbox(key="sumber_remove_sure").check()
    next(b for b in at.button if b.label == "Hapus").click()
    at.run()
    assert list(_table(at, "Alamat")["Sumber"]) == ["dinkes_harian", "satgas_api"]


def test_a_refused_registration_shows_typed_text_as_text(page_db):
    at = _open("admin", "ani")
    at.text_input(key="sumber_add_name").input("[klik](http://jahat.example)")
    at.text_input(key="sumber_add_url").input("https://data.contoh.go.id/a.csv")
    next(b for b in at.button if b.label == "Daftarkan").click()
    at.run()
    assert [e.value for e in at.error] == [
        "Nama sumber tidak sah: '\\[klik\\]\\(http://jahat.example\\)' (huruf, angka, _ . -; paling banyak 64)."]
    assert list(_table(at, "Alamat")["Sumber"]) == ["dinkes_harian", "satgas_api"]
