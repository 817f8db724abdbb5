"""The Unggah page in AppTest: what staff see, preview before commit, and that neither a crafted
session state nor a change of rights between preview and confirm sends another OPD's data."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from warroom import auth, db

PASSWORD = "Rahasia-Halaman-2026"
GOOD = (b"tanggal,kode_wilayah,kasus_baru,sembuh_baru,meninggal_baru\n"
        b"2026-11-27,73.71.01,3,1,0\n"
        b"2026-11-27,73.71.02,5,2,1\n")
BAD = GOOD + b"2026-11-27,73.71.99,-2,1,0\n"


def _users(path):
    con = db.connect(path)
    try:
        auth.add_user(con, "ani", PASSWORD, "admin")
        auth.add_user(con, "budi", PASSWORD, "staf_opd", "DINKES")
    finally:
        con.close()


def _count(path, sql):
    con = db.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture
def page_as(store_file):
    _users(store_file)

    def open_as(username, lang=None):
        at = AppTest.from_file("../pages/unggah.py", default_timeout=120)
        if lang:  # as in the URL the page was opened with (?lang=en)
            at.query_params["lang"] = lang
        at.session_state["auth_token"] = auth.start_session(username)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at
    return open_as


def _messages(at, kind):
    return [e.value for e in getattr(at, kind)]


def test_staff_sees_only_their_opd_datasets(page_as):
    at = page_as("budi")
    assert at.selectbox(key="unggah_dataset").options == [
        "Covid-19 harian (covid19_harian)", "Kinerja OPD (IKU) (kinerja_opd)",
        "Fasilitas pelayanan kesehatan (fasyankes)"] or len(at.selectbox(key="unggah_dataset").options) == 3
    assert at.text_input[0].value == "DINKES" and at.text_input[0].disabled


def test_refused_file_shows_the_report_and_no_save_button(page_as, store_file):
    at = page_as("budi")
    at.get("file_uploader")[0].set_value(("harian.csv", BAD, "text/csv"))
    at.run()
    assert not at.exception
    errors = _messages(at, "error")
    assert errors == ["harian.csv: DITOLAK — 2 masalah. Tidak ada data yang diubah. Perbaiki baris di bawah lalu "
                      "unggah lagi."]
    report = _table(at, "Masalah")
    assert list(report.columns) == ["Baris", "Kolom", "Nilai", "Masalah", "Saran"]
    assert sorted(zip(report["Baris"], report["Kolom"])) == [(4, "kasus_baru"), (4, "kode_wilayah")]
    assert not [b for b in at.button if b.key == "unggah_confirm"]
    assert _count(store_file, "SELECT count(*) FROM covid19_harian") == [(0,)]
    assert _count(store_file, "SELECT count(*) FROM uploads WHERE username <> 'system'") == [(0,)]


def _table(at, column):
    """The one dataframe on screen with this column (AppTest dataframes carry no key)."""
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert len(found) == 1, [list(d.value.columns) for d in at.dataframe]
    return found[0]


def test_good_file_is_stored_only_after_confirm_and_shows_the_upload_id(page_as, store_file):
    at = page_as("budi")
    at.get("file_uploader")[0].set_value(("harian.csv", GOOD, "text/csv"))
    at.run()
    assert _messages(at, "info") == ["harian.csv: lolos pemeriksaan — 2 baris: 2 baru, 0 diperbarui, "
                                     "0 tidak berubah. Belum disimpan."]
    assert _count(store_file, "SELECT count(*) FROM covid19_harian") == [(0,)]
    at.button(key="unggah_confirm").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    (upload_id, user, opd, status), = _count(
        store_file, "SELECT upload_id, username, kode_opd, status FROM uploads WHERE username <> 'system'")
    assert (user, opd, status) == ("budi", "DINKES", "accepted")
    assert _messages(at, "success") == [f"harian.csv: tersimpan sebagai unggahan #{upload_id} — 2 baru, "
                                        "0 diperbarui, 0 tidak berubah."]
    assert _count(store_file, "SELECT sum(kasus_baru), min(sumber_opd) FROM covid19_harian") == [(8, "DINKES")]
    recent = _table(at, "No.")
    assert recent.iloc[0]["No."] == upload_id and recent.iloc[0]["Status"] == "diterima"


def test_rights_changed_between_preview_and_confirm_send_nothing(page_as, store_file):
    at = page_as("budi")
    at.get("file_uploader")[0].set_value(("harian.csv", GOOD, "text/csv"))
    at.run()
    con = db.connect(store_file)
    try:
        auth.set_role(con, "budi", "staf_opd", "DISHUB", by="ani")   # moved to another agency
    finally:
        con.close()
    at.button(key="unggah_confirm").click()
    at.run()
    assert not at.exception
    assert _count(store_file, "SELECT count(*) FROM covid19_harian") == [(0,)]
    assert _count(store_file, "SELECT count(*) FROM uploads WHERE username <> 'system'") == [(0,)]


def test_forged_session_keys_do_not_widen_the_choice(page_as):
    at = page_as("budi")
    for key, value in {"role": "admin", "kode_opd": "DISHUB", "username": "ani", "user": {"role": "admin"}}.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception
    assert len(at.selectbox(key="unggah_dataset").options) == 3
    assert at.text_input[0].value == "DINKES"


def test_even_if_the_form_offered_another_opds_dataset_the_send_is_refused(page_as, store_file, monkeypatch):
    """Simulates a tampered widget: the choice list offers cctv to a DINKES account. The service
    re-reads the account from the database on every send and refuses."""
    from warroom import upload_service
    monkeypatch.setattr(upload_service, "sendable", lambda role, opd: ["cctv", "covid19_harian"])
    at = page_as("budi")
    assert at.selectbox(key="unggah_dataset").value == "cctv"
    cctv = b"kode_cctv,nama_lokasi,latitude,longitude,status\nC1,Pantai Losari,-5.1432,119.4075,online\n"
    at.get("file_uploader")[0].set_value(("kamera.csv", cctv, "text/csv"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert _messages(at, "error") == ["Akun OPD DINKES tidak berhak mengirim dataset cctv. Tidak ada data yang diubah."]
    assert not [b for b in at.button if b.key == "unggah_confirm"]
    assert _count(store_file, "SELECT count(*) FROM cctv") == [(0,)]
    assert _count(store_file, "SELECT count(*) FROM uploads WHERE dataset = 'cctv'") == [(0,)]


def test_not_a_table_and_wrong_dataset_messages_in_english(page_as, store_file):
    at = page_as("budi", lang="en")
    at.get("file_uploader")[0].set_value([("notes.pdf", b"%PDF-1.4 binary", "application/pdf"),
                                          ("cameras.csv", b"kode_cctv,nama_lokasi,latitude,longitude,status\n"
                                                          b"C1,Losari,-5.14,119.41,online\n", "text/csv")])
    at.run()
    assert not at.exception
    errors = _messages(at, "error")
    assert errors[0].startswith("The file notes.pdf is not a CSV or Excel (.xlsx) table. No data was changed.")
    assert errors[1].startswith("cameras.csv: REFUSED — 1 problems. No data was changed.")
    assert _messages(at, "warning")[-1] == ("This file lacks the required columns of Covid-19 harian. "
                                            "Did you choose the right dataset? This file looks like the dataset "
                                            "CCTV (cctv).")
    assert not [b for b in at.button if b.key == "unggah_confirm"]
    assert _count(store_file, "SELECT count(*) FROM uploads WHERE username <> 'system'") == [(0,)]


def test_a_60_mb_file_on_the_page_gets_a_clear_message_and_changes_nothing(page_as, store_file):
    at = page_as("budi")
    big = GOOD + b"2026-11-26,73.71.03,1,1,0\n" * (60 * 1024 * 1024 // 26)
    at.get("file_uploader")[0].set_value(("besar.csv", big, "text/csv"))
    at.run()
    assert not at.exception
    (message,) = _messages(at, "error")
    assert message.startswith("Berkas besar.csv berukuran 60,0 MB, melebihi batas 50 MB. Tidak ada data yang diubah.")
    assert not [b for b in at.button if b.key == "unggah_confirm"]
    assert _count(store_file, "SELECT count(*) FROM covid19_harian") == [(0,)]
    assert _count(store_file, "SELECT count(*) FROM uploads WHERE username <> 'system'") == [(0,)]


# --- issue 16: names keep their level, templates never become data, the clerk's own form ----------

HEADER = b"tanggal,kode_wilayah,kasus_baru,sembuh_baru,meninggal_baru\n"


def test_a_misspelt_kelurahan_is_suggested_as_a_kelurahan_with_its_code(page_as):
    at = page_as("budi")
    at.get("file_uploader")[0].set_value(("harian.csv", HEADER + b"2026-11-27,Kel. Marisso,3,1,0\n", "text/csv"))
    at.run()
    report = _table(at, "Saran")
    assert list(report["Nilai"]) == ["Kel. Marisso"]
    assert report["Saran"][0] == "Nama resmi terdekat: Kel. Mariso (73.71.01.1006), Kel. Mario (73.71.01.1007)."


def test_preview_shows_each_name_read_as_code_and_level_and_old_to_new_values(page_as, store_file):
    con = db.connect(store_file)
    try:
        from warroom.ingest import ingest_file
        assert ingest_file(con, "covid19_harian", HEADER + b"2026-11-27,73.71.01.1006,3,1,0\n",
                           kode_opd="DINKES", username="budi").accepted
    finally:
        con.close()
    at = page_as("budi")
    sent = HEADER + b"2026-11-27,Kel. Mariso,5,1,0\n2026-11-27,Kel. Bontoala,2,0,0\n"
    at.get("file_uploader")[0].set_value(("harian.csv", sent, "text/csv"))
    at.run()
    assert not at.exception
    names = _table(at, "Tertulis di berkas")
    assert names.to_dict("records") == [
        {"Tertulis di berkas": "Kel. Bontoala", "Kode": "73.71.06.1004", "Tingkat": "kelurahan", "Nama resmi": "Bontoala"},
        {"Tertulis di berkas": "Kel. Mariso", "Kode": "73.71.01.1006", "Tingkat": "kelurahan", "Nama resmi": "Mariso"}]
    changes = _table(at, "Lama")
    assert changes.to_dict("records") == [
        {"Baris (kunci)": "2026-11-27 · 73.71.01.1006", "Kolom": "kasus_baru", "Lama": "3", "Baru": "5"}]
    assert not at.warning   # one level only: nothing to confirm
    assert not at.button(key="unggah_confirm").disabled


def test_a_file_mixing_levels_is_flagged_and_needs_a_confirmation_naming_the_rows(page_as, store_file):
    at = page_as("budi")
    sent = (HEADER + b"2026-11-27,Kel. Mariso,5,1,0\n2026-11-27,73.71.01.1001,2,0,0\n"
            b"2026-11-27,Mariso,4,0,0\n")
    at.get("file_uploader")[0].set_value(("harian.csv", sent, "text/csv"))
    at.run()
    assert not at.exception
    (warning,) = [w.value for w in at.warning]
    from warroom.ui.upload_flow import plain  # the message is shown literally (markdown escaped)
    assert warning == plain("Perhatian: berkas ini mencampur tingkat wilayah (2 baris kelurahan, 1 baris kecamatan). "
                            "Baris berikut BUKAN kelurahan seperti baris lainnya: baris 4: Mariso → kecamatan "
                            "73.71.01 (Mariso). Jika maksud Anda kelurahan, tulis «Kel. NAMA» atau kodenya.")
    assert at.button(key="unggah_confirm").disabled
    (box,) = [c for c in at.checkbox if c.label == "Ya, baris 4 memang data kecamatan"]
    box.check().run()
    assert not at.button(key="unggah_confirm").disabled
    at.button(key="unggah_confirm").click().run()
    assert not at.exception
    assert _count(store_file, "SELECT count(*) FROM covid19_harian") == [(3,)]


def test_the_pages_template_as_downloaded_is_refused_as_the_example_row(page_as, store_file, monkeypatch):
    import streamlit as st
    from streamlit.delta_generator import DeltaGenerator
    seen = {}
    original = DeltaGenerator.download_button

    def record(self, label, data, file_name=None, *args, **kwargs):
        seen[kwargs.get("key")] = data
        return original(self, label, data, file_name, *args, **kwargs)
    monkeypatch.setattr(DeltaGenerator, "download_button", record)
    monkeypatch.setattr(st, "download_button", lambda *a, **k: record(st._main, *a, **k))
    at = page_as("budi")
    template = seen["unggah_template"]
    import subprocess
    import sys

    from tests.conftest import ROOT
    assert template == subprocess.run([sys.executable, "-m", "warroom", "template", "covid19_harian", "--opd", "DINKES"],
                                      cwd=ROOT, capture_output=True, check=True).stdout
    at.get("file_uploader")[0].set_value(("templat_covid19_harian.csv", template, "text/csv"))
    at.run()
    report = _table(at, "Saran")
    assert report.to_dict("records") == [{
        "Baris": 2, "Kolom": "", "Nilai": "", "Masalah": "Baris ini adalah baris contoh dari templat, bukan data.",
        "Saran": "Hapus baris contoh (baris 2 di Excel) lalu tulis data Anda di bawah baris judul kolom, dan unggah lagi."}]
    assert not [b for b in at.button if b.key == "unggah_confirm"]
    assert _count(store_file, "SELECT count(*) FROM covid19_harian") == [(0,)]


def test_report_downloads_come_in_the_semicolon_form_of_the_upload_and_the_drop_zone_speaks_indonesian(
        page_as, monkeypatch):
    from streamlit.delta_generator import DeltaGenerator
    seen = {}
    original = DeltaGenerator.download_button

    def record(self, label, data, file_name=None, *args, **kwargs):
        seen[kwargs.get("key", "")] = data
        return original(self, label, data, file_name, *args, **kwargs)
    monkeypatch.setattr(DeltaGenerator, "download_button", record)
    at = page_as("budi")
    at.get("file_uploader")[0].set_value(("harian.csv", BAD.replace(b",", b";"), "text/csv"))
    at.run()
    report = next(v for k, v in seen.items() if k.endswith("_dl_report"))
    marked = next(v for k, v in seen.items() if k.endswith("_dl_marked"))
    assert report.decode("utf-8").split("\r\n")[0] == "Baris;Kolom;Nilai;Masalah;Saran"
    assert marked.decode("utf-8").split("\r\n")[0] == "tanggal;kode_wilayah;kasus_baru;sembuh_baru;meninggal_baru;kesalahan"
    css = " ".join(m.value for m in at.markdown if "stFileUploaderDropzone" in m.value)
    assert 'button:has([data-testid="stMarkdownContainer"])::after {content: "Pilih berkas";}' in css
    assert ('[class*="st-key-unggah_files_"] [data-testid="stFileUploaderDropzone"] '
            '[data-testid="stFileUploaderDropzoneInstructions"]::after '
            '{content: "Seret berkas ke sini · maks. 50 MB per berkas · CSV, TXT, TSV, XLSX";}') in css
    assert '.st-key-unggah_mapfile [data-testid="stFileUploaderDropzone"]' in css
    assert 'span.euud7oh2::after {content: "Lepaskan berkas di sini";' in css   # while dragging
    assert at.get("file_uploader")[0].proto.label.endswith("maksimal 50 MB per berkas")


CUMULATIVE_NO_DATE = (b"ID_KEL,POSITIF,Sembuh,Meninggal\n"
                      b"7371011001,10,5,3\n7371011002,4,1,0\nTOTAL,14,6,3\n")
MAPPING = (b'{"columns": {"ID_KEL": "kode_wilayah", "POSITIF": "kasus_kumulatif", "Sembuh": "sembuh_kumulatif", '
           b'"Meninggal": "meninggal_kumulatif"}, "skip_rows_where": {"ID_KEL": ["TOTAL"]}}')


def test_a_mapping_file_and_the_date_asked_for_on_the_page(page_as, store_file):
    import datetime as dt
    at = page_as("budi")
    at.get("file_uploader")[0].set_value(("Data_Kelurahan_31_JANUARI_2021.csv", CUMULATIVE_NO_DATE, "text/csv"))
    at.run()
    at.get("file_uploader")[1].set_value(("kelurahan.json", MAPPING, "application/json"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert 'Pemetaan "kelurahan\\.json" dipakai untuk berkas di bawah.' in _messages(at, "caption")
    asked = ("Berkas tidak memuat kolom tanggal (misalnya tanggal hanya ada di nama berkas): isi tanggal data di "
             "bawah, berlaku untuk setiap baris.")
    assert asked in _messages(at, "warning")
    assert not [b for b in at.button if b.key == "unggah_confirm"]
    at.date_input(key="unggah_tanggal").set_value(dt.date(2021, 1, 31)).run()
    assert not at.exception, [e.value for e in at.exception]
    assert asked not in _messages(at, "warning")
    assert _count(store_file, "SELECT count(*) FROM covid19_harian") == [(0,)]   # nothing before confirm
    at.button(key="unggah_confirm").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert _count(store_file, "SELECT tanggal::VARCHAR, kode_wilayah, kasus_baru, meninggal_baru, koreksi "
                              "FROM covid19_harian ORDER BY 2") == [
        ("2021-01-31", "73.71.01.1001", 10, 3, False), ("2021-01-31", "73.71.01.1002", 4, 0, False)]
