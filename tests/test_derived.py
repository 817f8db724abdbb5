"""The per-area Covid daily table follows uploads and rollbacks in the same transaction."""
from __future__ import annotations

from warroom import covid, db, ingest, rollback

HEADER = "tanggal,kode_wilayah,kasus_baru,sembuh_baru,meninggal_baru\n"
KEL = "73.71.01.1001"   # Bontorannu, Mariso


def _send(store, rows: str):
    result = ingest.ingest_file(store, "covid19_harian", (HEADER + rows).encode(), kode_opd="DINKES",
                                username="uji", file_name="c.csv")
    assert result.accepted, result.report_rows()
    return result.upload_id


def _city(store, day: str):
    return store.execute(f"SELECT kasus_baru, kasus_kumulatif, aktif FROM {covid.DAILY_TABLE} "
                         "WHERE kode_wilayah = '73.71' AND tanggal = ?", [day]).fetchone()


def test_upload_then_rollback_keep_the_daily_table_current(store):
    first = _send(store, f"2026-11-01,{KEL},5,0,0\n2026-11-02,{KEL},3,1,0\n")
    assert covid.is_fresh(store)
    assert _city(store, "2026-11-02") == (3, 8, 7)

    # A correction of 2 November and a new day: only those days are recomputed.
    second = _send(store, f"2026-11-02,{KEL},4,1,0\n2026-11-03,{KEL},2,0,1\n")
    assert covid.is_fresh(store)
    assert _city(store, "2026-11-02") == (4, 9, 8)
    assert _city(store, "2026-11-03") == (2, 11, 9)

    rollback.rollback_upload(store, second, "uji")
    assert covid.is_fresh(store)
    assert _city(store, "2026-11-02") == (3, 8, 7)
    assert _city(store, "2026-11-03") is None
    assert first < second


def _table(store):
    return store.execute(f"SELECT * FROM {covid.DAILY_TABLE} ORDER BY kode_wilayah, tanggal").fetchall()


def test_a_file_sent_again_unchanged_skips_the_refresh_and_leaves_the_table_current(store, monkeypatch):
    rows = f"2026-11-01,{KEL},5,0,0\n2026-11-02,{KEL},3,1,0\n"
    _send(store, rows)
    before = _table(store)

    def no_refresh(*args, **kwargs):
        raise AssertionError("refresh_daily called for an upload that changed no value")
    monkeypatch.setattr(covid, "refresh_daily", no_refresh)
    again = _send(store, rows)
    assert store.execute("SELECT rows_inserted, rows_updated, rows_unchanged FROM uploads WHERE upload_id = ?",
                         [again]).fetchone() == (0, 0, 2)
    assert covid.is_fresh(store)
    assert _table(store) == before


def test_an_unchanged_file_still_refreshes_a_table_that_was_stale_before_it(store):
    rows = f"2026-11-01,{KEL},5,0,0\n2026-11-02,{KEL},3,1,0\n"
    _send(store, rows)
    # the stored rows changed behind the table's back (no refresh): it is stale now
    store.execute("UPDATE covid19_harian SET kasus_baru = 6 WHERE tanggal = '2026-11-01'")
    db.set_meta(store, covid.SOURCE_KEY, "changed elsewhere")
    assert not covid.is_fresh(store)
    _send(store, f"2026-11-01,{KEL},6,0,0\n")
    assert covid.is_fresh(store)
    assert _city(store, "2026-11-02") == (3, 9, 8)
