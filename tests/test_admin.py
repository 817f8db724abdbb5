"""The Admin page and the desk actions behind it: accounts, reference uploads, rollback."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from warroom import admin_desk, auth, db, upload_service
from warroom.katalog import NotAllowed

PASSWORD = "Rahasia-Admin-2026"
HEAD = b"tanggal,kode_wilayah,kasus_baru,sembuh_baru,meninggal_baru\n"
FIRST = HEAD + b"2026-11-27,73.71.01,3,1,0\n2026-11-27,73.71.02,5,2,1\n"
SECOND = HEAD + b"2026-11-27,73.71.01,4,1,0\n2026-11-27,73.71.02,6,2,1\n2026-11-27,73.71.03,1,0,0\n"


@pytest.fixture
def admin_db(store_file):
    con = db.connect(store_file)
    try:
        auth.add_user(con, "ani", PASSWORD, "admin")
        auth.add_user(con, "budi", PASSWORD, "staf_opd", "DINKES")
        auth.add_user(con, "pak_wali", PASSWORD, "pimpinan")
    finally:
        con.close()
    return store_file


def _sql(path, sql, params=None):
    con = db.connect(path)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _open(username="ani"):
    at = AppTest.from_file("../pages/admin.py", default_timeout=120)
    at.session_state["auth_token"] = auth.start_session(username)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _form_button(at, label):
    return next(b for b in at.button if b.label == label)


def test_desk_actions_refuse_anyone_but_an_active_admin(store):
    auth.add_user(store, "ani", PASSWORD, "admin")
    auth.add_user(store, "pak_wali", PASSWORD, "pimpinan")
    auth.add_user(store, "budi", PASSWORD, "staf_opd", "DINKES")
    for who in ("pak_wali", "budi", None, "tidak_ada"):
        with pytest.raises(NotAllowed):
            admin_desk.add_user(store, who, "baru", PASSWORD, PASSWORD, "admin", None)
        with pytest.raises(NotAllowed):
            admin_desk.set_role(store, who, "budi", "admin", None)
        with pytest.raises(NotAllowed):
            admin_desk.rollback_upload(store, who, 1)
    assert [u.username for u in auth.list_users(store)] == ["ani", "budi", "pak_wali"]
    assert auth.get_user(store, "budi").role == "staf_opd"
    assert store.execute("SELECT status FROM uploads WHERE upload_id = 1").fetchone() == ("accepted",)


def test_add_user_on_the_page(admin_db):
    at = _open()
    at.text_input(key="admin_add_name").input("citra")
    at.selectbox(key="admin_add_role").set_value("staf_opd")
    at.selectbox(key="admin_add_opd").set_value("DISHUB")
    at.text_input(key="admin_add_pw").input("Citra-Dishub-2026")
    at.text_input(key="admin_add_again").input("Citra-Dishub-2026")
    _form_button(at, "Tambah").click()
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert _sql(admin_db, "SELECT role, kode_opd, disabled FROM users WHERE username = 'citra'") == [
        ("staf_opd", "DISHUB", False)]
    assert _sql(admin_db, "SELECT username FROM audit_log WHERE action = 'user_added' AND detail LIKE '%citra%'") == [
        ("ani",)]
    users = next(d.value for d in at.dataframe if "Nama pengguna" in d.value.columns)
    assert "citra" in list(users["Nama pengguna"])


def test_add_user_with_mismatched_passwords_is_refused(admin_db):
    at = _open()
    at.text_input(key="admin_add_name").input("citra")
    at.text_input(key="admin_add_pw").input("Citra-Dishub-2026")
    at.text_input(key="admin_add_again").input("Citra-Dishub-2027")
    _form_button(at, "Tambah").click()
    at.run()
    assert [e.value for e in at.error] == ["Kedua kata sandi tidak sama."]
    assert _sql(admin_db, "SELECT count(*) FROM users WHERE username = 'citra'") == [(0,)]


def test_disable_role_and_reset_on_the_page(admin_db):
    at = _open()
    at.selectbox(key="admin_state_user").set_value("budi")
    _form_button(at, "Nonaktifkan").click()
    at.run()
    assert _sql(admin_db, "SELECT disabled FROM users WHERE username = 'budi'") == [(True,)]
    at.selectbox(key="admin_state_user").set_value("budi")
    _form_button(at, "Aktifkan").click()
    at.run()
    at.selectbox(key="admin_role_user").set_value("budi")
    at.selectbox(key="admin_role_role").set_value("staf_opd")
    at.selectbox(key="admin_role_opd").set_value("SATGAS_COVID")
    _form_button(at, "Ubah peran").click()
    at.run()
    assert _sql(admin_db, "SELECT disabled, role, kode_opd FROM users WHERE username = 'budi'") == [
        (False, "staf_opd", "SATGAS_COVID")]
    at.selectbox(key="admin_reset_user").set_value("budi")
    at.text_input(key="admin_reset_pw").input("Budi-Sandi-Baru-1")
    at.text_input(key="admin_reset_again").input("Budi-Sandi-Baru-1")
    _form_button(at, "Atur ulang kata sandi").click()
    at.run()
    assert not at.error, [e.value for e in at.error]
    con = db.connect(admin_db)
    try:
        assert auth.authenticate(con, "budi", "Budi-Sandi-Baru-1").kode_opd == "SATGAS_COVID"
    finally:
        con.close()


def test_the_last_admin_cannot_disable_themself(admin_db):
    at = _open()
    at.selectbox(key="admin_state_user").set_value("ani")
    _form_button(at, "Nonaktifkan").click()
    at.run()
    assert [e.value for e in at.error] == [
        "Walidata (admin) aktif terakhir tidak bisa dinonaktifkan atau diturunkan perannya."]
    assert _sql(admin_db, "SELECT disabled FROM users WHERE username = 'ani'") == [(False,)]


def test_reference_upload_through_the_same_engine(admin_db):
    at = _open()
    at.radio(key="admin_ref_dataset").set_value("opd")
    at.run()
    blob = b"kode_opd,nama_opd,singkatan\nDISKOMINFO,Dinas Komunikasi dan Informatika,Diskominfo\nDKP_LAUT,Dinas Kelautan,DKP\n"
    at.get("file_uploader")[0].set_value(("opd.csv", blob, "text/csv"))
    at.run()
    (preview,) = [i.value for i in at.info if i.value.startswith("opd.csv")]
    assert preview.startswith("opd.csv: lolos pemeriksaan — 2 baris: 1 baru,")
    next(b for b in at.button if b.key == "admin_ref_opd_confirm").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert _sql(admin_db, "SELECT nama_opd, sumber_opd FROM opd WHERE kode_opd = 'DKP_LAUT'") == [
        ("Dinas Kelautan", "DISKOMINFO")]
    assert _sql(admin_db, "SELECT username, kode_opd FROM uploads WHERE dataset = 'opd' ORDER BY upload_id DESC "
                          "LIMIT 1") == [("ani", "DISKOMINFO")]


def test_rollback_shows_what_changes_refuses_out_of_order_then_restores(admin_db):
    con = db.connect(admin_db)
    try:
        first = upload_service.ingest(con, "budi", "covid19_harian", "a.csv", FIRST, dry_run=False).upload_id
        second = upload_service.ingest(con, "budi", "covid19_harian", "b.csv", SECOND, dry_run=False).upload_id
    finally:
        con.close()
    at = _open()
    at.selectbox(key="admin_rollback_upload").set_value(first)
    at.run()
    assert [w.value for w in at.warning][-1] == (
        f"Tidak bisa dibatalkan: baris unggahan ini sudah diganti oleh unggahan berikutnya: #{second}. "
        "Batalkan unggahan itu lebih dulu.")
    assert not [b for b in at.button if b.key == "admin_rollback_go"]
    at.selectbox(key="admin_rollback_upload").set_value(second)
    at.run()
    plan = [i.value for i in at.info][-1]
    assert plan.startswith(f"Unggahan #{second} (covid19_harian, DINKES, budi, ") and plan.endswith(
        "3 baris akan dihapus, 2 baris lama dipulihkan.")
    go = next(b for b in at.button if b.key == "admin_rollback_go")
    assert go.disabled                                   # nothing happens before the confirmation box
    at.checkbox(key=f"admin_rollback_sure_{second}").check()
    at.run()
    next(b for b in at.button if b.key == "admin_rollback_go").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [s.value for s in at.success] == [f"Unggahan #{second} dibatalkan."]
    assert _sql(admin_db, "SELECT kode_wilayah, kasus_baru, upload_id FROM covid19_harian ORDER BY 1") == [
        ("73.71.01", 3, first), ("73.71.02", 5, first)]
    assert _sql(admin_db, "SELECT status, rolled_back_by FROM uploads WHERE upload_id = ?", [second]) == [
        ("rolled_back", "ani")]
    assert _sql(admin_db, "SELECT username FROM audit_log WHERE action = 'rollback'") == [("ani",)]
