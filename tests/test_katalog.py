"""Katalog & kualitas: dataset overview with freshness, audit filters, conflicts and their
resolution (walidata only), the rollback plan. Exact values from small hand-made uploads."""
from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from warroom import auth, conflicts, db, katalog, upload_service

PASSWORD = "Rahasia-Katalog-2026"
HEAD = b"tanggal,kode_wilayah,kasus_baru,sembuh_baru,meninggal_baru\n"
DINKES_FILE = HEAD + b"2026-11-27,73.71.01,3,1,0\n2026-11-27,73.71.02,5,2,1\n"
SATGAS_FILE = HEAD + b"2026-11-27,73.71.01,4,1,0\n"
DINKES_FIX = HEAD + b"2026-11-27,73.71.01,4,1,0\n2026-11-27,73.71.02,6,2,1\n"


@pytest.fixture
def desk(store):
    auth.add_user(store, "ani", PASSWORD, "admin")
    auth.add_user(store, "budi", PASSWORD, "staf_opd", "DINKES")
    auth.add_user(store, "sari", PASSWORD, "staf_opd", "SATGAS_COVID")
    return store


def send(con, user, blob, name="harian.csv"):
    result = upload_service.ingest(con, user, "covid19_harian", name, blob, dry_run=False)
    assert result.accepted, result.report_rows()
    return result.upload_id


def test_overview_counts_last_upload_and_freshness(desk, monkeypatch):
    first = send(desk, "budi", DINKES_FILE)
    rows = {r["dataset"]: r for r in katalog.dataset_overview(desk, "id", on=date(2026, 11, 28))}
    covid = rows["covid19_harian"]
    assert (covid["rows"], covid["newest"], covid["producer"], covid["cosenders"], covid["frequency"]) == (
        2, "2026-11-27", "DINKES", "SATGAS_COVID", "harian")
    assert covid["by"] == "budi (DINKES)" and covid["last_upload"] == "2026-11-28 10:00"
    assert covid["status"] == "fresh"
    assert rows["wilayah"]["rows"] == 170 and rows["wilayah"]["status"] == "on_change"
    assert rows["fasyankes"]["status"] == "none" and rows["kinerja_opd"]["producer"] == "OPD pemilik indikator"
    # The same data three and four days later: late, then stale (THRESHOLDS daily 1 / 3 days).
    assert {d: katalog.dataset_overview(desk, "id", on=date(2026, 11, d))[2]["status"] for d in (29, 30, 1)
            if d != 1} == {29: "late", 30: "late"}
    assert katalog.dataset_overview(desk, "id", on=date(2026, 12, 1))[2]["status"] == "stale"
    assert katalog.status_text("stale", "en") == "■ stale" and katalog.status_colour("stale") == "#D55E00"
    assert first == desk.execute("SELECT max(upload_id) FROM uploads").fetchone()[0]


def test_audit_log_filters(desk, monkeypatch):
    send(desk, "budi", DINKES_FILE)
    for _ in range(2):
        with pytest.raises(auth.AuthError):
            auth.authenticate(desk, "budi", "salah-salah-salah")
    monkeypatch.setenv("WARROOM_NOW", "2026-11-30T09:00:00+08:00")
    with pytest.raises(auth.AuthError):
        auth.authenticate(desk, "budiman", "salah-salah-salah")
    everything = katalog.audit_entries(desk, katalog.AuditFilter(), "id")
    assert [e["action"] for e in everything] == ["signin_failed", "signin_failed", "signin_failed", "upload",
                                                 "user_added", "user_added", "user_added"]
    failed = katalog.AuditFilter(actions=("signin_failed",))
    assert katalog.audit_count(desk, failed) == 3
    assert [e["username"] for e in katalog.audit_entries(desk, failed, "id")] == ["budiman", "budi", "budi"]
    assert katalog.audit_count(desk, katalog.AuditFilter(actions=("signin_failed",), username="BUDI")) == 3
    assert katalog.audit_count(desk, katalog.AuditFilter(username="budi"), exact_user=True) == 3
    on_28 = katalog.AuditFilter(date_from=date(2026, 11, 28), date_to=date(2026, 11, 28))
    assert katalog.audit_count(desk, on_28) == 6
    last = katalog.audit_entries(desk, katalog.AuditFilter(date_from=date(2026, 11, 29)), "en")
    assert [(e["when"], e["action_label"], e["detail"]) for e in last] == [
        ("2026-11-30 09:00:00", "sign-in failed", "reason=unknown_user")]
    upload = katalog.audit_entries(desk, katalog.AuditFilter(actions=("upload",)), "id")[0]
    assert upload["username"] == "budi" and "dataset=covid19_harian" in upload["detail"]


def test_conflict_between_senders_is_listed_and_only_the_walidata_resolves_it(desk):
    d = send(desk, "budi", DINKES_FILE)
    s = send(desk, "sari", SATGAS_FILE)
    found = conflicts.open_conflicts(desk)
    between = [c for c in found if c["jenis"] == "antar_pengirim"]
    assert [(c["kunci"], c["kolom"], c["sumber_opd"], c["nilai"], c["sumber_resmi"], c["nilai_resmi"])
            for c in between] == [("2026-11-27 73.71.01", "kasus_baru", "SATGAS_COVID", 4, "DINKES", 3)]
    row = katalog.conflict_table(between, "id")[0]
    assert (row["Nilai pengirim"], row["Nilai resmi"], row["Unggahan"]) == (4, 3, f"#{d}, #{s}")
    key = between[0]["conflict_key"]
    for who, reason in (("budi", "sudah dicek"), ("sari", "sudah dicek"), ("tamu", "x"), ("ani", "  ")):
        with pytest.raises(katalog.NotAllowed):
            katalog.resolve_conflict(desk, who, key, reason)
    katalog.resolve_conflict(desk, "ani", key, "Angka Satgas belum diverifikasi; angka Dinkes dipakai.")
    assert key not in {c["conflict_key"] for c in conflicts.open_conflicts(desk)}
    (res,) = katalog.resolution_table(desk, "en")
    assert (res["User"], res["Reason"], res["When"]) == (
        "ani", "Angka Satgas belum diverifikasi; angka Dinkes dipakai.", "2026-11-28 10:00")
    assert katalog.audit_entries(desk, katalog.AuditFilter(actions=("resolve",)), "id")[0]["username"] == "ani"


def test_rollback_plan_names_removed_restored_and_blocking_uploads(desk):
    first = send(desk, "budi", DINKES_FILE)
    second = send(desk, "budi", DINKES_FIX)
    plan = katalog.rollback_plan(desk, first)
    assert (plan.removed, plan.restored, plan.later) == (0, 0, (second,))
    plan = katalog.rollback_plan(desk, second)
    assert (plan.dataset, plan.kode_opd, plan.username, plan.removed, plan.restored, plan.later) == (
        "covid19_harian", "DINKES", "budi", 2, 2, ())
    assert sorted((r["kode_wilayah"], r["kasus_baru"]) for r in plan.removed_sample) == [("73.71.01", 4), ("73.71.02", 6)]
    assert sorted((r["kode_wilayah"], r["kasus_baru"]) for r in plan.restored_sample) == [("73.71.01", 3), ("73.71.02", 5)]
    assert katalog.rollback_plan(desk, 99999) is None


# --- the page --------------------------------------------------------------------------------------


def _open(store_file, username):
    at = AppTest.from_file("../pages/katalog.py", default_timeout=120)
    at.session_state["auth_token"] = auth.start_session(username)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def page_db(store_file):
    con = db.connect(store_file)
    try:
        auth.add_user(con, "ani", PASSWORD, "admin")
        auth.add_user(con, "budi", PASSWORD, "staf_opd", "DINKES")
        auth.add_user(con, "sari", PASSWORD, "staf_opd", "SATGAS_COVID")
        auth.add_user(con, "pak_wali", PASSWORD, "pimpinan")
        send(con, "budi", DINKES_FILE)
        send(con, "sari", SATGAS_FILE)
    finally:
        con.close()
    return store_file


def _table(at, column):
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert len(found) == 1
    return found[0]


def test_page_shows_datasets_conflicts_and_audit(page_db):
    at = _open(page_db, "pak_wali")
    overview = _table(at, "Kesegaran")
    covid = overview[overview["Kode"] == "covid19_harian"].iloc[0]
    assert (covid["Baris"], covid["Kesegaran"], covid["Produsen"]) == (3, "● segar", "DINKES")
    conflicts_df = _table(at, "Nilai resmi")
    assert list(conflicts_df["Nilai pengirim"]) == [4] and list(conflicts_df["Nilai resmi"]) == [3]
    assert not at.text_area and not any(b.label == "Tandai selesai" for b in at.button)
    audit = _table(at, "Kegiatan")
    assert list(audit["Kegiatan"][:2]) == ["unggahan diterima", "unggahan diterima"]
    # the accounts were added by a command on the server, not by a signed-in user: said, not "None"
    added = audit[audit["Kegiatan"] == "pengguna ditambah"]
    assert len(added) == 4 and set(added["Pengguna"]) == {"(perintah server)"}


def test_staff_see_their_own_audit_entries_only(page_db):
    at = _open(page_db, "sari")
    audit = _table(at, "Kegiatan")
    assert set(audit["Pengguna"]) == {"sari"}


def test_admin_resolves_a_conflict_on_the_page(page_db):
    at = _open(page_db, "ani")
    at.text_area[0].input("Selisih satu kasus; angka Dinkes sudah diverifikasi.")
    next(b for b in at.button if b.label == "Tandai selesai").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [s.value for s in at.success][-1] == "Konflik ditandai selesai oleh ani."
    con = db.connect(page_db)
    try:
        assert con.execute("SELECT resolved_by, reason FROM conflict_resolutions").fetchall() == [
            ("ani", "Selisih satu kasus; angka Dinkes sudah diverifikasi.")]
    finally:
        con.close()


def test_audit_filter_round_trips_through_the_url():
    known = ["upload", "rollback", "signin_failed"]
    flt = katalog.audit_filter_from_url({"aksi": "rollback,hapus_semua,upload", "pengguna": "budi",
                                         "dari": "2026-11-01", "sampai": "bukan-tanggal"}, known, date(2026, 11, 28))
    assert flt == katalog.AuditFilter(("rollback", "upload"), "budi", date(2026, 11, 1), date(2026, 11, 28))
    assert katalog.audit_filter_to_url(flt) == {"aksi": "rollback,upload", "dari": "2026-11-01",
                                                "sampai": "2026-11-28", "pengguna": "budi"}
    assert "pengguna" not in katalog.audit_filter_to_url(flt, staff=True)
    assert katalog.audit_filter_from_url({}, known, date(2026, 11, 28)).date_from == date(2026, 10, 29)


def test_a_shared_link_opens_the_audit_log_filtered(page_db):
    at = AppTest.from_file("../pages/katalog.py", default_timeout=120)
    at.query_params["aksi"] = "user_added"
    at.query_params["pengguna"] = "tidak-ada-yang-cocok"
    at.session_state["auth_token"] = auth.start_session("ani")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.multiselect(key="katalog_audit_actions").value == ["user_added"]
    assert [i.value for i in at.info][-1] == "Tidak ada catatan untuk saringan ini."
    at.text_input(key="katalog_audit_user").input("")
    at.run()
    audit = _table(at, "Kegiatan")
    assert set(audit["Kegiatan"]) == {"pengguna ditambah"} and len(audit) == 4
    assert dict(at.query_params) == {"aksi": "user_added", "dari": "2026-10-29", "sampai": "2026-11-28"}
